package service

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
)

// TestUpgradeRefused: no session → 401, foreign Origin → 403, a client that
// offers only another protocol version → 400; each with the API's JSON
// error body.
func TestUpgradeRefused(t *testing.T) {
	e := newEnv(t)
	n := e.addNode()
	_, tok := e.user("ada")
	cases := []struct {
		name   string
		token  string
		header http.Header
		status int
		code   string
	}{
		{"no session", "", nil, http.StatusUnauthorized, "unauthenticated"},
		{"bad session", "forged-token", nil, http.StatusUnauthorized, "unauthenticated"},
		{"foreign origin", tok, http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden, "forbidden_origin"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, resp, err := dialWS(t, n, c.token, c.header)
			if err == nil || resp == nil || resp.StatusCode != c.status {
				t.Fatalf("dial: err %v, resp %v; want HTTP %d", err, resp, c.status)
			}
			var body struct {
				Error struct{ Code string } `json:"error"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if body.Error.Code != c.code {
				t.Fatalf("error code %q, want %q", body.Error.Code, c.code)
			}
		})
	}
	t.Run("other protocol version", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, resp, err := websocket.Dial(ctx, strings.Replace(n.ts.URL, "http", "ws", 1)+"/ws", &websocket.DialOptions{
			HTTPHeader: http.Header{"Cookie": {"sf_session=" + tok}}, Subprotocols: []string{"segfault.v9"}})
		if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("dial with segfault.v9: %v %v; want 400", err, resp)
		}
	})
	t.Run("same origin accepted", func(t *testing.T) {
		w, _, err := dialWS(t, n, tok, http.Header{"Origin": {n.ts.URL}})
		if err != nil {
			t.Fatalf("same-origin dial: %v", err)
		}
		w.request("hello", map[string]any{"client": "t"}, "snapshot")
	})
}

// TestBadFrames: every malformed, unknown or unauthorized action gets an
// error frame with a stable code and changes nothing.
func TestBadFrames(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = 2 * time.Second
	e.opt.Match.JudgeGrace = 0
	n := e.addNode()
	e.waitLeader()
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")

	w, _, err := dialWS(t, n, adaTok, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw := func(s, code string) {
		t.Helper()
		w.sendRaw([]byte(s))
		f := w.expect("error", 5*time.Second)
		if f.code() != code {
			t.Fatalf("%s: error %s, want %s", s, f.Data, code)
		}
	}
	// Before hello: only hello/resume (and ping) are served.
	w.requestErr("queue.join", map[string]any{"mode": "ranked"}, "not_hello")
	w.request("ping", map[string]any{}, "pong")
	w.request("hello", map[string]any{"client": "t"}, "snapshot")

	raw(`not json`, "bad_frame")
	raw(`[1,2]`, "bad_frame")
	raw(`{"v":1,"type":"queue.join","data":`, "bad_frame")
	raw(`{"v":2,"type":"ping","data":{}}`, "unsupported_version")
	raw(`{"type":"ping","data":{}}`, "unsupported_version")
	raw(`{"v":1,"type":"launch.missiles","data":{}}`, "unknown_type")
	raw(`{"v":1,"type":"queue.join","data":{"mode":"ranked","rating":3000}}`, "invalid_request")
	raw(`{"v":1,"type":"queue.join","data":{"mode":"solo"}}`, "invalid_request")
	raw(`{"v":1,"type":"queue.join","data":{"mode":7}}`, "invalid_request")
	raw(`{"v":1,"type":"queue.join","data":"ranked"}`, "invalid_request")
	raw(`{"v":1,"type":"leaderboard.subscribe","data":{"board":"rating","limit":1000}}`, "invalid_request")
	raw(`{"v":1,"type":"match.accept","data":{"match_id":"a.b"}}`, "invalid_request")
	raw(`{"v":1,"type":"ping","id":"`+strings.Repeat("x", 65)+`","data":{}}`, "invalid_request")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	_ = w.c.Write(ctx, websocket.MessageBinary, []byte(`{"v":1,"type":"ping","data":{}}`))
	cancel()
	if f := w.expect("error", 5*time.Second); f.code() != "bad_frame" {
		t.Fatalf("binary frame: %s", f.Data)
	}
	// An error carries the request id.
	w.send("launch.missiles", "x1", map[string]any{})
	if f := w.next(5*time.Second, "x1", func(f frame) bool { return f.ID == "x1" }); f.code() != "unknown_type" {
		t.Fatalf("error reply %s", f.Data)
	}

	// Queue twice; leave when not queued.
	w.requestErr("queue.leave", map[string]any{}, "not_queued")
	w.request("queue.join", map[string]any{"mode": "casual"}, "queue.status")
	w.requestErr("queue.join", map[string]any{"mode": "casual"}, "already_queued")
	w.requestErr("queue.join", map[string]any{"mode": "ranked"}, "already_queued")
	w.request("queue.leave", map[string]any{}, "queue.status")

	// Matches you are not in.
	w.requestErr("match.accept", map[string]any{"match_id": "nope"}, "match_not_found")
	w.requestErr("code.submit", map[string]any{"match_id": "nope", "lang": "python", "code": "x"}, "match_not_found")
	w.requestErr("match.resign", map[string]any{"match_id": "nope"}, "match_not_found")
	w.requestErr("spectate", map[string]any{"match_id": "nope"}, "match_not_found")

	b, c := connect(t, n, bobTok), connect(t, n, cydTok)
	b.request("queue.join", map[string]any{"mode": "ranked"}, "queue.status")
	c.request("queue.join", map[string]any{"mode": "ranked"}, "queue.status")
	var found struct {
		MatchID string `json:"match_id"`
	}
	b.expect("match.found", 5*time.Second).get(&found)
	w.requestErr("match.accept", map[string]any{"match_id": found.MatchID}, "not_in_match")
	b.request("match.accept", map[string]any{"match_id": found.MatchID}, "match.state")
	b.requestErr("match.accept", map[string]any{"match_id": found.MatchID}, "already_accepted")
	c.request("match.accept", map[string]any{"match_id": found.MatchID}, "match.state")
	b.requestErr("match.accept", map[string]any{"match_id": found.MatchID}, "already_accepted")
	b.requestErr("queue.join", map[string]any{"mode": "casual"}, "already_in_match")
	w.requestErr("code.submit", map[string]any{"match_id": found.MatchID, "lang": "python", "code": "x"}, "not_in_match")
	w.requestErr("match.resign", map[string]any{"match_id": found.MatchID}, "not_in_match")
	b.requestErr("spectate", map[string]any{"match_id": found.MatchID}, "spectate_forbidden")
	// A spectator sees the match, without code.
	w.request("spectate", map[string]any{"match_id": found.MatchID}, "match.state")

	// The match times out (2 s, nobody submitted): a submit after the
	// deadline is refused and nothing is judged.
	b.next(10*time.Second, "match end", func(f frame) bool { return f.Type == "match.finished" })
	b.requestErr("code.submit", map[string]any{"match_id": found.MatchID, "lang": "python", "code": "x"}, "match_not_found")
	subs, _ := e.st.UserSubmissions(context.Background(), 2, 10)
	if len(subs) != 0 {
		t.Fatalf("%d submissions stored for refused submits", len(subs))
	}

	// Flooding: over the rate the server answers rate_limited, then closes
	// with 4429 when it goes on.
	for range 300 {
		w.sendRaw([]byte(`{"v":1,"type":"ping","data":{}}`))
	}
	w.next(10*time.Second, "rate_limited", func(f frame) bool { return f.Type == "error" && f.code() == "rate_limited" })
	if st := w.waitClosed(10 * time.Second); st != realtime.StatusFlooding {
		t.Fatalf("flood closed with %d, want 4429", st)
	}

	// A 2 MB code.submit is refused naming the limit, on an open
	// connection; only a frame over the hard limit closes it (1009).
	big := connect(t, n, cydTok)
	d := big.requestErr("code.submit", map[string]any{"match_id": found.MatchID, "lang": "python", "code": strings.Repeat("x", 2<<20)}, "code_too_large")
	if d["limit"] != float64(protocol.MaxCodeBytes) {
		t.Fatalf("code_too_large data = %v, want limit %d", d, protocol.MaxCodeBytes)
	}
	big.requestErr("code.submit", map[string]any{"match_id": found.MatchID, "lang": "python", "code": ""}, "code_empty")
	big.request("ping", map[string]any{}, "pong")
	big.sendRaw([]byte(`{"v":1,"type":"ping","data":{"pad":"` + strings.Repeat("x", protocol.HardFrameBytes) + `"}}`))
	if st := big.waitClosed(10 * time.Second); st != websocket.StatusMessageTooBig {
		t.Fatalf("frame over the hard limit closed with %d, want 1009", st)
	}
	// The node keeps serving.
	connect(t, n, cydTok).request("ping", map[string]any{}, "pong")
}

// TestPrivateRoom: invite code, capacity, host-only start, no spectators.
func TestPrivateRoom(t *testing.T) {
	e := newEnv(t)
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a, b, c := connect(t, n1, adaTok), connect(t, n2, bobTok), connect(t, n1, cydTok)

	var room struct {
		Code       string `json:"code"`
		MaxPlayers int    `json:"max_players"`
		DurationS  int    `json:"duration_s"`
		Players    []any  `json:"players"`
	}
	a.request("room.create", map[string]any{"max_players": 2, "duration_s": 300}, "room.state").get(&room)
	if len(room.Code) != 6 || room.MaxPlayers != 2 || room.DurationS != 300 {
		t.Fatalf("room %+v", room)
	}
	a.requestErr("queue.join", map[string]any{"mode": "ranked"}, "already_in_match")
	b.requestErr("room.join", map[string]any{"code": "ZZZZZZ"}, "room_not_found")
	b.requestErr("room.join", map[string]any{"code": "no!"}, "room_not_found")
	b.requestErr("room.start", map[string]any{}, "room_not_found")
	a.requestErr("room.start", map[string]any{}, "room_too_small")
	b.request("room.join", map[string]any{"code": strings.ToLower(room.Code)}, "room.state")
	a.expect("room.state", 5*time.Second) // bob joined
	c.requestErr("room.join", map[string]any{"code": room.Code}, "room_full")
	b.requestErr("room.start", map[string]any{}, "not_room_host")
	st := a.request("room.start", map[string]any{}, "match.state")
	var ms struct {
		MatchID   string `json:"match_id"`
		Mode      string `json:"mode"`
		DurationS int    `json:"duration_s"`
	}
	st.get(&ms)
	if ms.Mode != "private" || ms.DurationS != 300 {
		t.Fatalf("room match %s", st.Data)
	}
	b.expect("match.state", 5*time.Second)
	c.requestErr("spectate", map[string]any{"match_id": ms.MatchID}, "spectate_forbidden")
	a.request("match.resign", map[string]any{"match_id": ms.MatchID}, "match.finished")
	var fin struct {
		Ratings []any `json:"ratings"`
	}
	b.expect("match.finished", 5*time.Second).get(&fin)
	if len(fin.Ratings) != 0 {
		t.Fatalf("a private match changed ratings: %+v", fin)
	}
}

// TestFreeForAll: three players grouped after the fill wait, all accept;
// the match goes on when one resigns and ends when the second does; it is
// unrated and the last one standing wins.
func TestFreeForAll(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	mm := matchmaking.Default()
	mm.FFAFillWait = time.Second
	e.opt.Matchmaking = mm
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	var ws []*wsClient
	var ids []int64
	for i, name := range []string{"ada", "bob", "cyd"} {
		u, tok := e.user(name)
		ids = append(ids, u.ID)
		ws = append(ws, connect(t, []*node{n1, n2}[i%2], tok))
	}
	for _, w := range ws {
		w.request("queue.join", map[string]any{"mode": "ffa"}, "queue.status")
	}
	var found struct {
		MatchID string `json:"match_id"`
		Players []any  `json:"players"`
	}
	for _, w := range ws {
		w.expect("match.found", 10*time.Second).get(&found)
	}
	if len(found.Players) != 3 {
		t.Fatalf("found %+v", found)
	}
	for _, w := range ws {
		w.request("match.accept", map[string]any{"match_id": found.MatchID}, "match.state")
	}
	running := func(f frame) bool {
		var d struct {
			State string `json:"state"`
		}
		f.get(&d)
		return f.Type == "match.state" && d.State == "running"
	}
	for _, w := range ws {
		w.next(5*time.Second, "running", running)
	}
	ws[0].request("match.resign", map[string]any{"match_id": found.MatchID}, "match.state")
	ws[0].requestErr("match.resign", map[string]any{"match_id": found.MatchID}, "match_not_running")
	ws[1].request("match.resign", map[string]any{"match_id": found.MatchID}, "match.finished")
	var fin struct {
		WinnerID int64 `json:"winner_id"`
		Ratings  []any `json:"ratings"`
		XP       []struct {
			UserID int64 `json:"user_id"`
			Gained int64 `json:"gained"`
		} `json:"xp"`
	}
	ws[2].expect("match.finished", 5*time.Second).get(&fin)
	if fin.WinnerID != ids[2] || len(fin.Ratings) != 0 || len(fin.XP) != 3 {
		t.Fatalf("finished %+v, want cyd winning an unrated match", fin)
	}
	for _, x := range fin.XP {
		// Resigned players get nothing; the winner half of participation + win.
		want := int64(0)
		if x.UserID == ids[2] {
			want = (10 + 50) / 2
		}
		if x.Gained != want {
			t.Fatalf("XP of %d = %d, want %d", x.UserID, x.Gained, want)
		}
	}
}
