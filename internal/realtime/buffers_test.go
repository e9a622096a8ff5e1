package realtime

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// recordingConn keeps what is written to it.
type recordingConn struct {
	net.Conn
	out bytes.Buffer
}

func (c *recordingConn) Write(p []byte) (int, error) { return c.out.Write(p) }

// serverFrame is a final unmasked text frame as a server writes it.
func serverFrame(payload []byte) (header, frame []byte) {
	header = []byte{0x81, 0}
	switch n := len(payload); {
	case n <= 125:
		header[1] = byte(n)
	case n <= 0xffff:
		header[1] = 126
		header = binary.BigEndian.AppendUint16(header, uint16(n))
	default:
		header[1] = 127
		header = binary.BigEndian.AppendUint64(header, uint64(n))
	}
	return header, append(bytes.Clone(header), payload...)
}

// TestFrameWriter: frames of every length class, written the way the
// library writes them (header bytes, payload, flush at the end of a
// message), come out of the 16-byte buffer and frameWriter byte for byte,
// and nothing of a frame is held once it is written. Two frames may share
// one flush (the first one unflushed).
func TestFrameWriter(t *testing.T) {
	sizes := []int{0, 1, 5, 13, 14, 15, 16, 17, 30, 100, 125, 126, 127, 1000, 4096, 65535, 65536, 70000}
	for _, pairs := range []bool{false, true} {
		conn := &recordingConn{}
		fw := &frameWriter{conn: conn}
		bw := bufio.NewWriterSize(fw, leanBuffer)
		var want bytes.Buffer
		for i, n := range sizes {
			payload := bytes.Repeat([]byte{byte('a' + i)}, n)
			header, frame := serverFrame(payload)
			want.Write(frame)
			for _, b := range header[:2] {
				_ = bw.WriteByte(b)
			}
			_, _ = bw.Write(header[2:])
			_, _ = bw.Write(payload)
			if pairs && i%2 == 0 {
				continue // flushed with the next frame
			}
			if err := bw.Flush(); err != nil {
				t.Fatal(err)
			}
			if fw.n != 0 || fw.rest != 0 {
				t.Fatalf("after a %d-byte frame: %d bytes held, %d to come", n, fw.n, fw.rest)
			}
		}
		if !bytes.Equal(conn.out.Bytes(), want.Bytes()) {
			t.Fatalf("pairs=%v: %d bytes out, want %d (or different bytes)", pairs, conn.out.Len(), want.Len())
		}
	}
}

// TestFramesOfEverySize: through a real socket, frames of every length
// class reach the client whole and in order.
func TestFramesOfEverySize(t *testing.T) {
	h, url := newTestHub(t, Options{})
	c := dial(t, url, "1")
	c.SetReadLimit(1 << 20)
	hello(t, c)
	var sent []string
	for _, n := range []int{0, 1, 13, 16, 100, 125, 126, 4096, 65535, 65536, 200_000} {
		f := Encode("lobby.state", "", map[string]string{"pad": strings.Repeat("y", n)})
		sent = append(sent, string(f))
		h.ForUser(1, func(c *Conn) { c.Send(f) })
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i, want := range sent {
		_, b, err := c.Read(ctx)
		if err != nil || string(b) != want {
			t.Fatalf("frame %d: %d bytes, %v; want %d bytes", i, len(b), err, len(want))
		}
	}
}

// TestFrameBehindUpgrade: a client that sends its first frame in the same
// write as its upgrade request is answered (the frame sat in the HTTP
// server's buffer, which the socket does not keep).
func TestFrameBehindUpgrade(t *testing.T) {
	_, url := newTestHub(t, Options{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "ws://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute)) // hang guard only
	payload := []byte(`{"v":1,"type":"hello","id":"h","data":{"client":"t"}}`)
	mask := [4]byte{1, 2, 3, 4}
	frame := append([]byte{0x81, 0x80 | byte(len(payload))}, mask[:]...)
	for i, b := range payload {
		frame = append(frame, b^mask[i%4])
	}
	req := "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nCookie: sf_session=1\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := conn.Write(append([]byte(req), frame...)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	res, err := http.ReadResponse(r, nil)
	if err != nil || res.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", res, err)
	}
	var head [2]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		t.Fatal(err)
	}
	n := int(head[1] & 0x7f)
	if n == 126 {
		var ext [2]byte
		_, _ = io.ReadFull(r, ext[:])
		n = int(binary.BigEndian.Uint16(ext[:]))
	}
	reply := make([]byte, n)
	if _, err := io.ReadFull(r, reply); err != nil || !strings.Contains(string(reply), `"snapshot"`) {
		t.Fatalf("reply to the early hello: %q %v", reply, err)
	}
}

// TestIdleSocketKeepsOneGoroutine: an idle connection is one goroutine (its
// reader) on the server: no writer waits on an empty queue and the HTTP
// server's goroutine of the upgrade has ended.
func TestIdleSocketKeepsOneGoroutine(t *testing.T) {
	_, url := newTestHub(t, Options{PingEvery: time.Hour, MaxConnsPerUser: 100})
	const n = 40
	before := runtime.NumGoroutine()
	for range n {
		hello(t, dial(t, url, "2"))
	}
	// Writers end and upgrade goroutines return soon after the replies;
	// the minute only ends a wait that would never be met.
	var now int
	for end := time.Now().Add(time.Minute); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if now = runtime.NumGoroutine(); now-before <= n {
			return
		}
	}
	t.Fatalf("%d idle connections hold %d goroutines, want at most %d", n, now-before, n)
}

// TestSlowConsumerQueueBound: to a client that does not read, the queue
// holds at most SendQueue frames (the writer blocks once the socket
// buffers are full); the frame after that closes the connection with 4408,
// and nothing is queued after the cut.
func TestSlowConsumerQueueBound(t *testing.T) {
	h, url := newTestHub(t, Options{SendQueue: 4})
	c := dial(t, url, "1")
	c.SetReadLimit(4 << 20)
	hello(t, c)
	var conn *Conn
	h.ForUser(1, func(x *Conn) { conn = x })
	big := Encode("lobby.state", "", map[string]string{"pad": strings.Repeat("z", 1<<20)})
	sent := 0
	for conn.Send(big) {
		if q := conn.queued(); q > 4 {
			t.Fatalf("%d frames queued, the bound is 4", q)
		}
		// Loopback buffers take some megabytes before the writer blocks.
		if sent++; sent > 1000 {
			t.Fatal("1000 frames of 1 MiB queued to a client that does not read")
		}
	}
	if conn.Send(big) || conn.queued() > 4 {
		t.Fatal("a frame was queued after the cut")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		_, _, err := c.Read(ctx)
		if err != nil {
			if st := websocket.CloseStatus(err); st != StatusSlowConsumer {
				t.Fatalf("closed with %v, want 4408", err)
			}
			return
		}
	}
}
