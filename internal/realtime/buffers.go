package realtime

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"net"
	"net/http"
)

// An idle socket should cost little more than its kernel state: at 10,000
// connections every byte kept per socket is 10 MB. The WebSocket library
// reads and writes through the bufio pair the HTTP server hands over at the
// hijack, 4 KiB each, held for the socket's whole life. leanHijacker gives
// it 16-byte buffers instead (bufio's smallest):
//   - reading: a frame's header and first bytes come through the buffer;
//     a payload larger than it is read straight into the caller's slice.
//     A client frame costs two reads instead of one; clients send few.
//   - writing: frameWriter, under the buffer, sends each frame with one
//     write (writev), as the 4 KiB buffer did, without holding any of it
//     once it is sent.
const leanBuffer = 16

// leanHijacker wraps the ResponseWriter given to websocket.Accept.
type leanHijacker struct{ http.ResponseWriter }

func (l leanHijacker) Unwrap() http.ResponseWriter { return l.ResponseWriter }

func (l leanHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(l.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w := &frameWriter{conn: conn}
	// The client may have sent its first frames right behind the upgrade
	// request: they are in the server's buffer, which is let go, so the
	// connection returns them first. (The library reads through the
	// returned connection, not through the reader's current source.)
	if n := brw.Reader.Buffered(); n > 0 {
		early, _ := brw.Reader.Peek(n)
		conn = &earlyConn{Conn: conn, early: bytes.Clone(early)}
	}
	return conn, bufio.NewReadWriter(bufio.NewReaderSize(conn, leanBuffer), bufio.NewWriterSize(w, leanBuffer)), nil
}

// earlyConn is a connection that reads early first.
type earlyConn struct {
	net.Conn
	early []byte
}

func (c *earlyConn) Read(p []byte) (int, error) {
	if len(c.early) == 0 {
		return c.Conn.Read(p)
	}
	n := copy(p, c.early)
	c.early = c.early[n:]
	if len(c.early) == 0 {
		c.early = nil
	}
	return n, nil
}

// frameWriter receives the library's frames through a 16-byte bufio.Writer:
// a frame larger than that arrives as two or more writes (its first 16
// bytes, then the rest). frameWriter holds a frame's first bytes until the
// rest comes and sends them together, so each frame still goes out in one
// system call and one TCP segment where it fits. It holds only bytes of an
// unfinished frame, which the library always finishes within the same
// call (it writes a frame under its own lock), so nothing waits in it.
type frameWriter struct {
	conn net.Conn
	held [32]byte
	n    int   // bytes held: the start of a frame
	rest int64 // bytes of the frame being passed through still to come
	vec  [2][]byte
}

func (f *frameWriter) Write(p []byte) (int, error) {
	size := len(p)
	for len(p) > 0 {
		if f.rest > 0 {
			// The frame's start was sent: its rest goes straight out.
			k := int(min(int64(len(p)), f.rest))
			if err := f.send(nil, p[:k]); err != nil {
				return 0, err
			}
			f.rest -= int64(k)
			p = p[k:]
			continue
		}
		// held+p starts with a frame.
		frame := frameLen(f.held[:f.n], p)
		switch {
		case frame >= 0 && int64(f.n+len(p)) >= frame:
			// The frame is complete: out in one write.
			k := int(frame) - f.n
			if err := f.send(f.held[:f.n], p[:k]); err != nil {
				return 0, err
			}
			f.n = 0
			p = p[k:]
		case f.n+len(p) <= len(f.held):
			// Its header or its payload is still to come: wait for it.
			f.n += copy(f.held[f.n:], p)
			p = nil
		default:
			// Too long to hold: send what there is, pass the rest through.
			if err := f.send(f.held[:f.n], p); err != nil {
				return 0, err
			}
			f.rest = frame - int64(f.n+len(p))
			f.n = 0
			p = nil
		}
	}
	return size, nil
}

// send writes a then b with one writev.
func (f *frameWriter) send(a, b []byte) error {
	if len(a) == 0 {
		_, err := f.conn.Write(b)
		return err
	}
	f.vec = [2][]byte{a, b}
	bufs := net.Buffers(f.vec[:])
	_, err := bufs.WriteTo(f.conn)
	f.vec = [2][]byte{} // keep no frame alive
	return err
}

// frameLen is the length (header and payload) of the WebSocket frame that
// starts with a followed by b, or -1 while its header is incomplete
// (RFC 6455 §5.2).
func frameLen(a, b []byte) int64 {
	var h [14]byte
	n := copy(h[:], a)
	n += copy(h[n:], b)
	if n < 2 {
		return -1
	}
	hdr := 2
	if h[1]&0x80 != 0 {
		hdr += 4 // masking key
	}
	payload := int64(h[1] & 0x7f)
	switch payload {
	case 126:
		hdr += 2
		if n < 4 {
			return -1
		}
		payload = int64(binary.BigEndian.Uint16(h[2:4]))
	case 127:
		hdr += 8
		if n < 10 {
			return -1
		}
		payload = int64(binary.BigEndian.Uint64(h[2:10]) &^ (1 << 63))
	}
	if n < hdr {
		return -1
	}
	return int64(hdr) + payload
}
