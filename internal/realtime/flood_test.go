package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/segfaultarena/segfault/internal/protocol"
)

// countingHandler counts leaderboard.subscribe requests: each is a page
// read in the arena (a database query when not cached).
type countingHandler struct {
	echoHandler
	subscribes atomic.Int64
}

func (h *countingHandler) Request(ctx context.Context, c *Conn, req Request) (protocol.Event, any, error) {
	if req.Type == protocol.OpLeaderboardSubscribe {
		h.subscribes.Add(1)
	}
	return h.echoHandler.Request(ctx, c, req)
}

// tryDial is dial that reports a refused upgrade instead of failing.
func tryDial(url, user string) (*websocket.Conn, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: http.Header{"Cookie": {"sf_session=" + user}}})
}

// TestSocketFlood is issue 17's socket attack: one account opened 60
// WebSockets and had 30 of them subscribe to the leaderboard 19 times a
// second each. Connections are capped per user (and per address), and the
// frame budget is the user's, not each connection's: however many sockets
// it opens, the handler (a database read per subscription) sees at most
// the budget. Counts only; the bound on elapsed time below is an upper
// bound the budget holds on any machine.
func TestSocketFlood(t *testing.T) {
	hd := &countingHandler{}
	h, url := newTestHub(t, Options{Handler: hd, MaxConnsPerUser: 5, MaxConnsPerIP: 50, RateBurst: 10, RatePerSec: 2,
		FloodRefused: 1 << 20})
	var open []*websocket.Conn
	refused := 0
	for range 60 {
		c, res, err := tryDial(url, "1")
		if err != nil {
			if res == nil || res.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("refused connection: %v %v", res, err)
			}
			refused++
			continue
		}
		t.Cleanup(func() { c.CloseNow() })
		open = append(open, c)
	}
	// The hub registers a socket after the handshake's answer: wait for
	// the last one (hang-only bound; it failed as "hub holds 4" at load ~20).
	for deadline := time.Now().Add(30 * time.Second); h.Count() < 5 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if len(open) != 5 || refused != 55 || h.Count() != 5 {
		t.Fatalf("60 sockets of one account: %d open, %d refused, hub holds %d; want 5, 55, 5", len(open), refused, h.Count())
	}
	// Another player is not locked out by this one.
	other := dial(t, url, "2")
	hello(t, other)

	// Every open socket floods leaderboard subscriptions to distinct pages.
	start := time.Now() // before the hellos: their tokens are counted below
	var wg sync.WaitGroup
	var answered atomic.Int64
	for _, c := range open {
		hello(t, c)
	}
	for i, c := range open {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for j := range 40 {
				f := fmt.Sprintf(`{"v":1,"type":"leaderboard.subscribe","id":"s%d","data":{"board":"rating","offset":%d,"limit":10}}`, j, i*1000+j)
				if c.Write(ctx, websocket.MessageText, []byte(f)) != nil {
					return
				}
			}
			// Read until the connection has answered or refused all 40.
			for n := 0; n < 40; n++ {
				_, b, err := c.Read(ctx)
				if err != nil {
					return
				}
				var env struct{ Type string }
				_ = json.Unmarshal(b, &env)
				if env.Type == string(protocol.EventLeaderboardUpdate) {
					answered.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	// 5 hellos spent 5 tokens of the user's 10; the rest refills at 2/s.
	bound := int64(10-5) + int64(elapsed.Seconds()*2) + 1
	if got := hd.subscribes.Load(); got > bound || got != answered.Load() {
		t.Fatalf("200 subscriptions over 5 sockets in %v reached the handler %d times (%d answered), want at most %d (the user's budget)",
			elapsed, got, answered.Load(), bound)
	}
	// A closed socket frees its place.
	open[0].Close(websocket.StatusNormalClosure, "")
	deadline := time.Now().Add(30 * time.Second)
	for h.Count() > 5 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if c, res, err := tryDial(url, "1"); err != nil {
		t.Fatalf("after one closed, a new socket was refused: %v %v", res, err)
	} else {
		c.CloseNow()
	}
}

// TestSocketsPerAddress: the per-address cap counts every account behind
// one address.
func TestSocketsPerAddress(t *testing.T) {
	h, url := newTestHub(t, Options{MaxConnsPerUser: 5, MaxConnsPerIP: 7})
	n := 0
	for _, user := range []string{"1", "1", "1", "1", "2", "2", "2", "2"} {
		if c, _, err := tryDial(url, user); err == nil {
			t.Cleanup(func() { c.CloseNow() })
			n++
		}
	}
	for deadline := time.Now().Add(30 * time.Second); h.Count() < 7 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond) // the hub registers after the handshake's answer
	}
	if n != 7 || h.Count() != 7 {
		t.Fatalf("8 sockets from one address with a cap of 7: %d open (hub %d)", n, h.Count())
	}
}
