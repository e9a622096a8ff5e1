package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

func TestDecode(t *testing.T) {
	cases := []struct {
		in, typ, code string
	}{
		{`{"v":1,"type":"ping","id":"a","data":{}}`, "ping", ""},
		{`{"v":1,"type":"ping"}`, "ping", ""},
		{`{"v":1,"type":"queue.join","data":{"mode":"ranked"}}`, "queue.join", ""},
		{`{"v":1,"type":"queue.join","data":{"mode":"practice","problem_id":"peak-count"}}`, "queue.join", ""},
		{`{"v":1,"type":"queue.join","data":{"mode":"ranked","problem_id":"x"}}`, "", "invalid_request"},
		{`{"v":1,"type":"queue.join","data":{"mode":"ranked","xp":1e9}}`, "", "invalid_request"},
		{`{"v":1,"type":"room.create","data":{"max_players":9}}`, "", "invalid_request"},
		{`{"v":1,"type":"room.create","data":{"max_players":4,"duration_s":60}}`, "", "invalid_request"},
		{`{"v":1,"type":"room.create","data":{"max_players":4,"duration_s":1200}}`, "room.create", ""},
		{`{"v":1,"type":"code.submit","data":{"match_id":"m","lang":"go"}}`, "", "code_empty"},
		{`{"v":1,"type":"code.run","id":"r1","data":{"match_id":"m","lang":"go","code":""}}`, "", "code_empty"},
		{`{"v":1,"type":"code.submit","data":{"lang":"go","code":"x"}}`, "", "invalid_request"},
		{`{"v":1,"type":"leaderboard.subscribe","data":{"board":"rating","limit":10,"around":"me"}}`, "leaderboard.subscribe", ""},
		{`{"v":1,"type":"leaderboard.subscribe","data":{"board":"elo","limit":10}}`, "", "invalid_request"},
		{`{"v":1,"type":"leaderboard.subscribe","data":{"board":"rating","limit":10,"offset":-1}}`, "", "invalid_request"},
		{`{"v":1,"type":"leaderboard.subscribe","data":{"board":"rating","limit":10,"offset":10001}}`, "", "invalid_request"},
		{`{"v":1,"type":"leaderboard.subscribe","data":{"board":"rating","limit":10,"offset":10000}}`, "leaderboard.subscribe", ""},
		{`{"v":1,"type":"resume","data":{"client":"x","subscriptions":{"spectate":"m 1"}}}`, "", "invalid_request"},
		{`{"v":1,"type":"typing","data":{"match_id":"m","active":"yes"}}`, "", "invalid_request"},
		{`{"v":1,"type":"nope","data":{}}`, "", "unknown_type"},
		{`{"v":"1","type":"ping","data":{}}`, "", "bad_frame"},
		{`{"v":3,"type":"ping","data":{}}`, "", "unsupported_version"},
		{`{"v":1,"type":"ping","id":"","data":{}}`, "", "invalid_request"},
		{`"ping"`, "", "bad_frame"},
		{``, "", "bad_frame"},
		{`{"v":1,"type":"ping","data":[]}`, "", "invalid_request"},
	}
	for _, c := range cases {
		req, err := decode([]byte(c.in))
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.in, err)
		case c.code != "" && (err == nil || string(err.Code) != c.code):
			t.Errorf("%s: error %v, want %s", c.in, err, c.code)
		case c.code == "" && string(req.Type) != c.typ:
			t.Errorf("%s: type %q, want %q", c.in, req.Type, c.typ)
		}
	}
}

type echoHandler struct{ opened, closed atomic.Int32 }

func (h *echoHandler) Request(ctx context.Context, c *Conn, req Request) (protocol.Event, any, error) {
	switch req.Type {
	case "hello":
		return "snapshot", map[string]any{"user": c.User.ID}, nil
	case "match.resign":
		panic("handler bug")
	case "leaderboard.subscribe":
		c.SetLeaderboard(req.Data.(*LeaderboardSub))
		return "leaderboard.update", map[string]any{}, nil
	case "leaderboard.unsubscribe":
		c.SetLeaderboard(nil)
		return "", nil, nil
	}
	return "", nil, errors.New("not in this test")
}
func (h *echoHandler) Opened(*Conn) { h.opened.Add(1) }
func (h *echoHandler) Closed(*Conn) { h.closed.Add(1) }

var revoked atomic.Bool // user 1's session is revoked

func newTestHub(t *testing.T, o Options) (*Hub, string) {
	t.Helper()
	o.Authenticate = func(r *http.Request) (store.User, error) {
		switch r.Header.Get("Cookie") {
		case "sf_session=1":
			if revoked.Load() {
				return store.User{}, errcode.New(errcode.Unauthenticated, "revoked")
			}
			return store.User{ID: 1}, nil
		case "sf_session=2":
			return store.User{ID: 2}, nil
		}
		return store.User{}, errcode.New(errcode.Unauthenticated, "no session")
	}
	if o.Handler == nil {
		o.Handler = &echoHandler{}
	}
	h, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() { h.Close(); ts.Close() })
	return h, strings.Replace(ts.URL, "http", "ws", 1)
}

// The 30 s bounds on single round trips below only end a test that would
// hang; a round trip takes milliseconds, seconds on a loaded machine.
func dial(t *testing.T, url, user string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: http.Header{"Cookie": {"sf_session=" + user}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

func hello(t *testing.T, c *websocket.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"v":1,"type":"hello","id":"h","data":{"client":"t"}}`)); err != nil {
		t.Fatal(err)
	}
	_, b, err := c.Read(ctx)
	if err != nil || !strings.Contains(string(b), `"snapshot"`) {
		t.Fatalf("hello reply %s, %v", b, err)
	}
}

// TestSlowConsumerIsCut: a client that stops reading is disconnected with
// 4408 once its queue is full, while a reading client gets every frame.
// Each frame to the reader waits until it has read the one before, so its
// own queue (8 frames) never fills however the machine schedules it; the
// minute-long bounds only catch a broadcast stalled by the slow client.
func TestSlowConsumerIsCut(t *testing.T) {
	h, url := newTestHub(t, Options{SendQueue: 8})
	slow, fast := dial(t, url, "1"), dial(t, url, "2")
	slow.SetReadLimit(1 << 20)
	hello(t, slow)
	hello(t, fast)

	read := make(chan error, 200)
	go func() {
		for range 200 {
			_, _, err := fast.Read(context.Background())
			read <- err
			if err != nil {
				return
			}
		}
	}()
	big := Encode("lobby.state", "", map[string]string{"pad": strings.Repeat("x", 256<<10)})
	small := Encode("lobby.state", "", map[string]int{"n": 1})
	for i := range 200 {
		sent := make(chan struct{})
		go func() {
			h.ForUser(1, func(c *Conn) { c.Send(big) })
			h.ForUser(2, func(c *Conn) { c.Send(small) })
			close(sent)
		}()
		select {
		case <-sent:
		case <-time.After(time.Minute):
			t.Fatalf("frame %d: broadcasting stalled for a minute behind the slow client", i)
		}
		select {
		case err := <-read:
			if err != nil {
				t.Fatalf("the reading client got %d of 200 frames: %v", i, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("the reading client did not get frame %d within a minute", i)
		}
	}
	// The slow one was cut: once it reads again it finds the close.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := slow.Read(ctx)
		if err != nil {
			if st := websocket.CloseStatus(err); st != StatusSlowConsumer {
				t.Fatalf("slow client closed with %v (%d), want 4408", err, st)
			}
			return
		}
	}
}

// TestHandlerPanicIsContained: a panicking handler becomes an `internal`
// error frame; the connection and the node keep working.
func TestHandlerPanicIsContained(t *testing.T) {
	_, url := newTestHub(t, Options{})
	c := dial(t, url, "1")
	hello(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = c.Write(ctx, websocket.MessageText, []byte(`{"v":1,"type":"match.resign","id":"x","data":{"match_id":"m"}}`))
	_, b, err := c.Read(ctx)
	if err != nil || !strings.Contains(string(b), `"internal"`) {
		t.Fatalf("reply %s, %v; want an internal error", b, err)
	}
	_ = c.Write(ctx, websocket.MessageText, []byte(`{"v":1,"type":"ping","id":"p","data":{}}`))
	if _, b, err = c.Read(ctx); err != nil || !strings.Contains(string(b), `"pong"`) {
		t.Fatalf("after the panic: %s, %v", b, err)
	}
}

// TestRevokedSessionIsClosed: a session revoked while its socket is open
// ends the socket with 4401 at the next check.
func TestRevokedSessionIsClosed(t *testing.T) {
	_, url := newTestHub(t, Options{PingEvery: 200 * time.Millisecond, Reauth: 100 * time.Millisecond})
	c, other := dial(t, url, "1"), dial(t, url, "2")
	hello(t, c)
	hello(t, other)
	revoked.Store(true)
	defer revoked.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			if st := websocket.CloseStatus(err); st != StatusUnauthorized {
				t.Fatalf("closed with %v, want 4401", err)
			}
			break
		}
		if !strings.Contains(string(b), "unauthenticated") {
			t.Fatalf("unexpected frame %s", b)
		}
	}
	// The other user's connection is untouched.
	_ = other.Write(ctx, websocket.MessageText, []byte(`{"v":1,"type":"ping","id":"p","data":{}}`))
	if _, b, err := other.Read(ctx); err != nil || !strings.Contains(string(b), "pong") {
		t.Fatalf("other connection: %s %v", b, err)
	}
}

// TestLeaderboardIndex: the hub groups leaderboard subscribers by page as
// they subscribe, move or leave, so a broadcast walks each page's
// subscribers once and never a closed connection.
func TestLeaderboardIndex(t *testing.T) {
	h, url := newTestHub(t, Options{})
	send := func(c *websocket.Conn, frame string, reply bool) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := c.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
			t.Fatal(err)
		}
		if reply {
			if _, b, err := c.Read(ctx); err != nil || !strings.Contains(string(b), "leaderboard.update") {
				t.Fatalf("reply %s, %v", b, err)
			}
		}
	}
	pages := func() map[string]int {
		out := map[string]int{}
		h.ForLeaderboards(func(key string, sub LeaderboardSub, user int64, conns []*Conn) {
			if pageKey(sub, user) != key {
				t.Errorf("page %s has subscription %+v of user %d", key, sub, user)
			}
			out[key] = len(conns)
		})
		return out
	}
	waitPages := func(want map[string]int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			got := pages()
			if fmt.Sprint(got) == fmt.Sprint(want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("pages %v, want %v", got, want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	top := `{"v":1,"type":"leaderboard.subscribe","id":"l","data":{"board":"rating","offset":0,"limit":10}}`
	a1, a2, b := dial(t, url, "1"), dial(t, url, "1"), dial(t, url, "2")
	for _, c := range []*websocket.Conn{a1, a2, b} {
		hello(t, c)
		send(c, top, true)
	}
	waitPages(map[string]int{"rating|0|10": 3})
	send(b, `{"v":1,"type":"leaderboard.subscribe","id":"l","data":{"board":"rating","around":"me","limit":11}}`, true)
	waitPages(map[string]int{"rating|0|10": 2, "rating|me2|11": 1})
	a2.Close(websocket.StatusNormalClosure, "")
	waitPages(map[string]int{"rating|0|10": 1, "rating|me2|11": 1})
	send(a1, `{"v":1,"type":"leaderboard.unsubscribe","data":{}}`, false)
	send(b, `{"v":1,"type":"leaderboard.subscribe","id":"l","data":{"board":"weekly_xp","offset":50,"limit":25}}`, true)
	waitPages(map[string]int{"weekly_xp|50|25": 1})
}

// TestOversizedFrameIsAnswered: a frame over the frame limit (a 2 MB
// code.submit) is answered with an error frame naming the limit, with the
// request's id, and the connection stays open; only one over the hard
// limit closes it (1009).
func TestOversizedFrameIsAnswered(t *testing.T) {
	_, url := newTestHub(t, Options{HardFrame: 4 << 20})
	c := dial(t, url, "1")
	hello(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	roundTrip := func(frame string) map[string]any {
		t.Helper()
		if err := c.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
			t.Fatal(err)
		}
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("the connection dropped: %v", err)
		}
		var f struct {
			Type string         `json:"type"`
			ID   string         `json:"id"`
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		f.Data["type"], f.Data["id"] = f.Type, f.ID
		return f.Data
	}
	big := strings.Repeat("x", 2<<20)
	cases := []struct {
		name, frame, id, code string
		limit                 float64
	}{
		{"2 MB code.submit", `{"v":1,"type":"code.submit","id":"s1","data":{"match_id":"m","lang":"python","code":"` + big + `"}}`,
			"s1", "code_too_large", MaxCodeBytes},
		{"2 MB code.run input", `{"v":1,"type":"code.run","id":"r1","data":{"match_id":"m","lang":"python","code":"print(1)","input":"` + big + `"}}`,
			"r1", "input_too_large", MaxInputBytes},
		{"300 KiB of something else", `{"v":1,"type":"ping","id":"p1","data":{"pad":"` + big[:300<<10] + `"}}`,
			"p1", "frame_too_large", MaxFrameBytes},
		{"id after the cut", `{"v":1,"type":"code.submit","data":{"match_id":"m","lang":"python","code":"` + big + `"},"id":"late"}`,
			"late", "code_too_large", MaxCodeBytes},
		{"keys in Go's map order", `{"data":{"code":"` + big + `","lang":"python","match_id":"m"},"id":"sorted","type":"code.submit","v":1}`,
			"sorted", "code_too_large", MaxCodeBytes},
		{"a big field of another message", `{"data":{"code":"` + big + `"},"id":"t1","type":"typing","v":1}`,
			"t1", "frame_too_large", MaxFrameBytes},
		{"not JSON", big, "", "frame_too_large", MaxFrameBytes},
	}
	for _, tc := range cases {
		d := roundTrip(tc.frame)
		if d["type"] != "error" || d["id"] != tc.id || d["code"] != tc.code || d["limit"] != tc.limit ||
			!strings.Contains(d["message"].(string), "KiB") {
			t.Errorf("%s: got %v, want error %s with id %q and limit %v", tc.name, d, tc.code, tc.id, tc.limit)
		}
	}
	// Still open and served.
	if d := roundTrip(`{"v":1,"type":"ping","id":"after","data":{}}`); d["type"] != "pong" || d["id"] != "after" {
		t.Fatalf("after the refusals: %v", d)
	}
	// Over the hard limit the connection is closed with 1009.
	huge := `{"v":1,"type":"code.submit","id":"s2","data":{"match_id":"m","lang":"python","code":"` + strings.Repeat("x", 5<<20) + `"}}`
	_ = c.Write(ctx, websocket.MessageText, []byte(huge))
	_, _, err := c.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Fatalf("over the hard limit: %v, want close 1009", err)
	}
}
