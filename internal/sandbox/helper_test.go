package sandbox

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// queueUnderTest is an inputQueue on a real pipe, fed as the helper feeds it.
type queueUnderTest struct {
	q       *inputQueue
	r       *os.File
	mu      sync.Mutex
	acked   int
	feedEnd chan struct{}
}

func newQueueUnderTest(t *testing.T) *queueUnderTest {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	qt := &queueUnderTest{r: r, feedEnd: make(chan struct{})}
	qt.q = newInputQueue(w, func(n int) { qt.mu.Lock(); qt.acked += n; qt.mu.Unlock() }, true)
	go func() { qt.q.feed(); close(qt.feedEnd) }()
	return qt
}

// within fails the test if f does not return in time: push and close run
// on the helper's frame reader, which must never block.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

func (qt *queueUnderTest) waitAcked(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		qt.mu.Lock()
		got := qt.acked
		qt.mu.Unlock()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("acknowledged %d bytes, want %d", got, want)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestInputQueue(t *testing.T) {
	t.Run("in order, then end of input", func(t *testing.T) {
		qt := newQueueUnderTest(t)
		// More than a pipe holds: the rest is queued and fed as the
		// reader drains, in order.
		var want bytes.Buffer
		for i := 0; i < 40; i++ {
			chunk := []byte(strings.Repeat(string(rune('a'+i%26)), 10<<10))
			want.Write(chunk)
			within(t, "push", func() { qt.q.push(chunk) })
			chunk[0] = '!' // the caller's buffer is reused by the frame reader
		}
		within(t, "close", qt.q.close)
		got, err := io.ReadAll(qt.r)
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("read %d bytes (%v), want %d in order", len(got), err, want.Len())
		}
		<-qt.feedEnd
		qt.waitAcked(t, want.Len())
	})
	t.Run("program gone", func(t *testing.T) {
		qt := newQueueUnderTest(t)
		within(t, "push", func() { qt.q.push([]byte("first")) })
		qt.r.Close() // the program exited: writes now fail with EPIPE
		// The next push meets the broken pipe in the frame reader itself:
		// it must neither block nor stop crediting the host.
		for i := 0; i < 3; i++ {
			within(t, "push to a closed pipe", func() { qt.q.push(make([]byte, 100<<10)) })
		}
		within(t, "close", qt.q.close)
		select {
		case <-qt.feedEnd:
		case <-time.After(5 * time.Second):
			t.Fatal("feed did not end")
		}
		qt.waitAcked(t, len("first")+3*100<<10)
	})
	t.Run("program stops reading, run ends", func(t *testing.T) {
		qt := newQueueUnderTest(t)
		for i := 0; i < 10; i++ { // 1 MiB: more than the pipe holds
			within(t, "push", func() { qt.q.push(make([]byte, 100<<10)) })
		}
		// The run ends: the helper closes its read end, then the queue.
		qt.r.Close()
		within(t, "close", qt.q.close)
		select {
		case <-qt.feedEnd:
		case <-time.After(5 * time.Second):
			t.Fatal("feed blocked on a pipe nobody reads")
		}
		qt.waitAcked(t, 10*100<<10)
	})
}
