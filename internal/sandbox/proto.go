package sandbox

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// The host talks to the helper (pid 1 of each container) over the
// container's stdin and stdout, which runc and runsc both pass through
// unchanged. Every message is a frame: one type byte, a 4-byte big-endian
// length, then the payload. The same bytes work for both runtimes, need no
// socket inside the container, and the helper dies with its stdin when the
// worker dies, which tears the container down.
const (
	// host → helper
	frameRun      = 'R' // JSON runRequest
	frameStdin    = 'I' // program input bytes
	frameStdinEOF = 'E'
	frameKill     = 'K' // kill the current run (the host gave up on it)
	// helper → host
	frameHello  = 'H' // JSON hello: the helper is ready
	frameStdout = 'O'
	frameStderr = 'e'
	frameAck    = 'A' // 4 bytes: input bytes consumed (flow control credit)
	frameDone   = 'D' // JSON runReply
	frameFatal  = 'X' // text: the helper cannot go on
)

// stdinWindow bounds the input bytes in flight between host and program, so
// the helper never queues more than this, whatever the host has to send.
const stdinWindow = 256 << 10

const maxFrame = 1 << 20

const protoVersion = 1

type hello struct {
	Version int
	Pid     int
}

type runRequest struct {
	Args       []string
	Env        []string
	Dir        string
	Limits     Limits
	Privileged bool
	Stdin      bool // input frames follow; false = empty input
	// StdinAll: the whole input follows at once, then EOF (it fits in the
	// window): the helper returns no credit for it.
	StdinAll bool
}

type runReply struct {
	Result Result
	MaxRSS int64
	Error  string // sandbox failure, never the user's
}

type frameWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func newFrameWriter(w io.Writer) *frameWriter {
	return &frameWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

func (f *frameWriter) write(typ byte, payload []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.put(typ, payload); err != nil {
		return err
	}
	return f.w.Flush()
}

// put buffers one frame without flushing (f.mu held).
func (f *frameWriter) put(typ byte, payload []byte) error {
	var hdr [5]byte
	hdr[0] = typ
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	if _, err := f.w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := f.w.Write(payload)
	return err
}

// writeRunWithInput sends a run request, its whole input and the end of
// input in one write (stdinWindow bounds the input).
func (f *frameWriter) writeRunWithInput(req runRequest, input []byte) error {
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.put(frameRun, b); err != nil {
		return err
	}
	for off := 0; off < len(input); off += maxFrame {
		if err := f.put(frameStdin, input[off:min(off+maxFrame, len(input))]); err != nil {
			return err
		}
	}
	if err := f.put(frameStdinEOF, nil); err != nil {
		return err
	}
	return f.w.Flush()
}

func (f *frameWriter) writeJSON(typ byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return f.write(typ, b)
}

// streamWriter turns writes into frames of one type (program output).
type streamWriter struct {
	fw  *frameWriter
	typ byte
}

func (s streamWriter) Write(p []byte) (int, error) {
	for off := 0; off < len(p); off += maxFrame {
		end := min(off+maxFrame, len(p))
		if err := s.fw.write(s.typ, p[off:end]); err != nil {
			return off, err
		}
	}
	return len(p), nil
}

type frameReader struct {
	r *bufio.Reader
}

func newFrameReader(r io.Reader) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// read returns the next frame; the payload is valid until the next call.
func (f *frameReader) read(buf []byte) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(f.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("sandbox: frame of %d bytes", n)
	}
	if int(n) > cap(buf) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(f.r, buf); err != nil {
		return 0, nil, err
	}
	return hdr[0], buf, nil
}

// helloTimeout bounds the start of a container up to the helper's hello.
const helloTimeout = 20 * time.Second
