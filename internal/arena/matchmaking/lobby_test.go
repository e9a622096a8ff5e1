package matchmaking

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/clock"
)

// seqReader is a deterministic random source for ids and room codes.
type seqReader struct{ r *rand.Rand }

func (s seqReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(s.r.Uint32())
	}
	return len(p), nil
}

func newLobby(t *testing.T) (*Lobby, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	l, err := NewLobby(Default(), clk, seqReader{rand.New(rand.NewPCG(7, 7))})
	if err != nil {
		t.Fatal(err)
	}
	return l, clk
}

func mustEnqueue(t *testing.T, l *Lobby, user int64, mode Mode, rating float64) Ticket {
	t.Helper()
	tk, err := l.Enqueue(user, mode, rating, 50)
	if err != nil {
		t.Fatalf("enqueue %d: %v", user, err)
	}
	return tk
}

// rejected asserts that err is want and that the action left the state alone.
func rejected(t *testing.T, l *Lobby, before State, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.ErrorCode() == "" {
		t.Fatalf("error %v carries no code", err)
	}
	if after := l.Snapshot(); !reflect.DeepEqual(before, after) {
		t.Fatalf("rejected action changed state:\nbefore %+v\nafter  %+v", before, after)
	}
}

func matchTwo(t *testing.T, l *Lobby) Proposal {
	t.Helper()
	mustEnqueue(t, l, 1, Ranked, 1500)
	mustEnqueue(t, l, 2, Ranked, 1550)
	res := l.Tick()
	if len(res.Proposed) != 1 {
		t.Fatalf("proposals %+v, want one", res.Proposed)
	}
	return res.Proposed[0]
}

func TestEnqueueRejections(t *testing.T) {
	l, _ := newLobby(t)
	mustEnqueue(t, l, 1, Ranked, 1500)
	s := l.Snapshot()
	_, err := l.Enqueue(1, Ranked, 1500, 50)
	rejected(t, l, s, err, ErrAlreadyQueued)
	_, err = l.Enqueue(1, Casual, 1500, 50)
	rejected(t, l, s, err, ErrAlreadyQueued)
	_, err = l.Enqueue(3, "solo", 1500, 50)
	rejected(t, l, s, err, ErrBadMode)
	_, err = l.Enqueue(3, Ranked, math.NaN(), 50)
	rejected(t, l, s, err, ErrBadTicket)
	_, err = l.Enqueue(3, Ranked, 1500, -1)
	rejected(t, l, s, err, ErrBadTicket)
	rejected(t, l, s, l.Leave(9), ErrNotQueued)
	_, err = l.CreateRoom(1)
	rejected(t, l, s, err, ErrAlreadyQueued)

	if err := l.Leave(1); err != nil {
		t.Fatal(err)
	}
	if st := l.Status(1); st.State != Idle {
		t.Fatalf("after leave: %+v", st)
	}
	mustEnqueue(t, l, 1, Casual, 1500)
	if got := l.QueueSizes(); got[Casual] != 1 || got[Ranked] != 0 {
		t.Fatalf("queue sizes %v", got)
	}
}

func TestAcceptBothConfirms(t *testing.T) {
	l, clk := newLobby(t)
	p := matchTwo(t, l)
	if p.AcceptBy != t0.Add(15*time.Second) || p.Mode != Ranked {
		t.Fatalf("proposal %+v", p)
	}
	for _, u := range []int64{1, 2} {
		if st := l.Status(u); st.State != Proposed || st.ProposalID != p.ID {
			t.Fatalf("user %d: %+v", u, st)
		}
	}
	s := l.Snapshot()
	_, err := l.Enqueue(1, Casual, 1500, 50)
	rejected(t, l, s, err, ErrMatchPending)
	_, _, err = l.Accept(3, p.ID)
	rejected(t, l, s, err, ErrNotInProposal)
	_, _, err = l.Accept(1, "nope")
	rejected(t, l, s, err, ErrNoProposal)

	clk.Advance(14 * time.Second)
	if _, done, err := l.Accept(1, p.ID); err != nil || done {
		t.Fatalf("first accept: done=%v err=%v", done, err)
	}
	s = l.Snapshot()
	_, _, err = l.Accept(1, p.ID)
	rejected(t, l, s, err, ErrAlreadyAccepted)

	got, done, err := l.Accept(2, p.ID)
	if err != nil || !done || !reflect.DeepEqual(got.Accepted, []bool{true, true}) {
		t.Fatalf("second accept: %+v done=%v err=%v", got, done, err)
	}
	if _, ok := l.Proposal(p.ID); ok {
		t.Fatal("confirmed proposal still pending")
	}
	s = l.Snapshot()
	_, err = l.Enqueue(2, Ranked, 1500, 50)
	rejected(t, l, s, err, ErrInMatch)
	_, err = l.CreateRoom(2)
	rejected(t, l, s, err, ErrInMatch)
	if res := l.Tick(); len(res.Proposed) != 0 {
		t.Fatalf("players in a match were proposed again: %+v", res)
	}

	l.Release(1, 2)
	mustEnqueue(t, l, 2, Ranked, 1500)
}

func TestAcceptTimeout(t *testing.T) {
	l, clk := newLobby(t)
	clk.Advance(-10 * time.Second) // the players queued 10 s before the match was found
	mustEnqueue(t, l, 1, Ranked, 1500)
	mustEnqueue(t, l, 2, Ranked, 1550)
	clk.Set(t0)
	p := l.Tick().Proposed[0]
	if _, _, err := l.Accept(1, p.ID); err != nil {
		t.Fatal(err)
	}

	clk.Advance(15 * time.Second) // the deadline instant: too late
	s := l.Snapshot()
	_, _, err := l.Accept(2, p.ID)
	rejected(t, l, s, err, ErrAcceptExpired)
	_, err = l.Decline(2, p.ID)
	rejected(t, l, s, err, ErrAcceptExpired)

	res := l.Tick()
	if len(res.Dissolved) != 1 || len(res.Proposed) != 0 {
		t.Fatalf("tick: %+v", res)
	}
	d := res.Dissolved[0]
	if !reflect.DeepEqual(d.Removed, []int64{2}) || len(d.Requeued) != 1 || d.Requeued[0].UserID != 1 {
		t.Fatalf("dissolved %+v", d)
	}
	st := l.Status(1)
	if st.State != Queued || st.Ticket.Enqueued != t0.Add(-10*time.Second) || st.Waited != 25*time.Second {
		t.Fatalf("accepting player must be back with waiting time kept: %+v", st)
	}
	st = l.Status(2)
	if st.State != Idle || st.CooldownUntil != t0.Add(45*time.Second) {
		t.Fatalf("non-accepting player: %+v", st)
	}
	s = l.Snapshot()
	_, err = l.Enqueue(2, Casual, 1500, 50)
	rejected(t, l, s, err, ErrCooldown)
	clk.Advance(30 * time.Second)
	mustEnqueue(t, l, 2, Casual, 1500)
}

func TestNobodyAccepts(t *testing.T) {
	l, clk := newLobby(t)
	matchTwo(t, l)
	clk.Advance(15 * time.Second)
	d := l.Tick().Dissolved
	if len(d) != 1 || len(d[0].Removed) != 2 || len(d[0].Requeued) != 0 {
		t.Fatalf("dissolved %+v", d)
	}
	if sz := l.QueueSizes(); sz[Ranked] != 0 {
		t.Fatalf("queue not empty: %v", sz)
	}
}

func TestDecline(t *testing.T) {
	l, clk := newLobby(t)
	p := matchTwo(t, l)
	clk.Advance(3 * time.Second)
	if _, _, err := l.Accept(2, p.ID); err != nil {
		t.Fatal(err)
	}
	s := l.Snapshot()
	_, err := l.Decline(3, p.ID)
	rejected(t, l, s, err, ErrNotInProposal)
	d, err := l.Decline(1, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Removed, []int64{1}) || len(d.Requeued) != 1 || d.Requeued[0].Enqueued != t0 {
		t.Fatalf("dissolved %+v", d)
	}
	if st := l.Status(2); st.State != Queued || st.Waited != 3*time.Second {
		t.Fatalf("other player: %+v", st)
	}
	if st := l.Status(1); st.CooldownUntil != t0.Add(33*time.Second) {
		t.Fatalf("decliner: %+v", st)
	}
	// The proposal is gone: late actions on it are rejected.
	s = l.Snapshot()
	_, _, err = l.Accept(2, p.ID)
	rejected(t, l, s, err, ErrNoProposal)
}

func TestRequeuedPlayerPairsInSameTick(t *testing.T) {
	l, clk := newLobby(t)
	p := matchTwo(t, l)
	if _, _, err := l.Accept(1, p.ID); err != nil {
		t.Fatal(err)
	}
	mustEnqueue(t, l, 3, Ranked, 1520)
	clk.Advance(15 * time.Second)
	res := l.Tick()
	if len(res.Dissolved) != 1 || len(res.Proposed) != 1 {
		t.Fatalf("tick %+v", res)
	}
	if got := res.Proposed[0].Players(); !(got[0] == 1 && got[1] == 3 || got[0] == 3 && got[1] == 1) {
		t.Fatalf("proposed %v, want 1 and 3", got)
	}
}

func TestModesAreSeparate(t *testing.T) {
	l, _ := newLobby(t)
	mustEnqueue(t, l, 1, Ranked, 1500)
	mustEnqueue(t, l, 2, Casual, 1500)
	if res := l.Tick(); len(res.Proposed) != 0 {
		t.Fatalf("ranked and casual players paired: %+v", res.Proposed)
	}
	for u := int64(10); u < 18; u++ {
		mustEnqueue(t, l, u, FFA, 1500+float64(u))
	}
	res := l.Tick()
	if len(res.Proposed) != 1 || res.Proposed[0].Mode != FFA || len(res.Proposed[0].Tickets) != 8 {
		t.Fatalf("ffa: %+v", res.Proposed)
	}
}

// TestFFARules: free-for-all groups form among tickets of the same rule
// ("fastest" and "" are one); a rule on a 1v1 queue is refused.
func TestFFARules(t *testing.T) {
	l, _ := newLobby(t)
	for u := int64(1); u <= 12; u++ {
		rule := []string{"", "shortest", "fastest"}[u%3]
		if _, err := l.EnqueueRule(u, FFA, rule, 1500+float64(u), 50); err != nil {
			t.Fatal(err)
		}
	}
	res := l.Tick()
	if len(res.Proposed) != 1 || res.Proposed[0].Rule != "" || len(res.Proposed[0].Tickets) != 8 {
		t.Fatalf("fastest group: %+v", res.Proposed)
	}
	for _, tk := range res.Proposed[0].Tickets {
		if tk.UserID%3 == 1 {
			t.Fatalf("a shortest ticket in the fastest group: %+v", res.Proposed[0].Tickets)
		}
	}
	if st := l.Status(1); st.State != Queued || st.Ticket.Rule != "shortest" {
		t.Fatalf("shortest player 1: %+v", st)
	}
	// The proposal keeps its rule across a snapshot (a new leader).
	snap := l.Snapshot()
	if p := snap.Proposals[0]; p.Rule != "" {
		t.Fatalf("snapshot proposal rule %q", p.Rule)
	}
	if _, err := l.EnqueueRule(99, Ranked, "shortest", 1500, 50); !errors.Is(err, ErrBadMode) {
		t.Fatalf("ranked with a rule: %v", err)
	}
}

func TestRooms(t *testing.T) {
	l, clk := newLobby(t)
	r, err := l.CreateRoom(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Code) != 6 || strings.Trim(r.Code, codeAlphabet) != "" {
		t.Fatalf("code %q", r.Code)
	}
	s := l.Snapshot()
	_, err = l.StartRoom(1)
	rejected(t, l, s, err, ErrRoomTooSmall)
	_, err = l.Enqueue(1, Ranked, 1500, 50)
	rejected(t, l, s, err, ErrInRoom)
	_, err = l.CreateRoom(1)
	rejected(t, l, s, err, ErrInRoom)
	_, err = l.JoinRoom(2, "ZZZZZZ")
	if r.Code == "ZZZZZZ" {
		t.Skip("improbable code collision")
	}
	rejected(t, l, s, err, ErrNoRoom)
	_, err = l.JoinRoom(2, "abc")
	rejected(t, l, s, err, ErrBadCode)
	_, err = l.JoinRoom(2, "UUUUUU")
	rejected(t, l, s, err, ErrBadCode)
	_, err = l.LeaveRoom(2)
	rejected(t, l, s, err, ErrNotInRoom)

	// Lower case and look-alike letters are folded to the code.
	typed := strings.ToLower(strings.NewReplacer("0", "o", "1", "l").Replace(r.Code))
	if _, err := l.JoinRoom(2, " "+typed+" "); err != nil {
		t.Fatalf("join with %q: %v", typed, err)
	}
	for u := int64(3); u <= 8; u++ {
		if _, err := l.JoinRoom(u, r.Code); err != nil {
			t.Fatal(err)
		}
	}
	s = l.Snapshot()
	_, err = l.JoinRoom(9, r.Code)
	rejected(t, l, s, err, ErrRoomFull)
	_, err = l.JoinRoom(8, r.Code)
	rejected(t, l, s, err, ErrInRoom)
	_, err = l.StartRoom(2)
	rejected(t, l, s, err, ErrNotHost)

	after, err := l.LeaveRoom(1)
	if err != nil || after.Host != 2 || len(after.Members) != 7 {
		t.Fatalf("host left: %+v %v", after, err)
	}
	clk.Advance(time.Minute)
	started, err := l.StartRoom(2)
	if err != nil || len(started.Members) != 7 {
		t.Fatalf("start: %+v %v", started, err)
	}
	if st := l.Status(5); st.State != Playing {
		t.Fatalf("member after start: %+v", st)
	}
	if _, err := l.Room(r.Code); !errors.Is(err, ErrNoRoom) {
		t.Fatalf("started room still open: %v", err)
	}
	if st := l.Status(1); st.State != Idle {
		t.Fatalf("former host: %+v", st)
	}
}

func TestRoomClosesWhenEmptyOrIdle(t *testing.T) {
	l, clk := newLobby(t)
	r, _ := l.CreateRoom(1)
	if after, err := l.LeaveRoom(1); err != nil || len(after.Members) != 0 {
		t.Fatalf("leave: %+v %v", after, err)
	}
	if _, err := l.Room(r.Code); !errors.Is(err, ErrNoRoom) {
		t.Fatalf("empty room still open: %v", err)
	}
	r, _ = l.CreateRoom(1)
	clk.Advance(29 * time.Minute)
	if _, err := l.JoinRoom(2, r.Code); err != nil { // activity resets the idle timer
		t.Fatal(err)
	}
	clk.Advance(29 * time.Minute)
	if res := l.Tick(); len(res.Closed) != 0 {
		t.Fatalf("active room closed: %+v", res.Closed)
	}
	clk.Advance(time.Minute)
	if res := l.Tick(); len(res.Closed) != 1 || res.Closed[0].Code != r.Code {
		t.Fatalf("idle room not closed: %+v", res.Closed)
	}
	if st := l.Status(2); st.State != Idle {
		t.Fatalf("member of closed room: %+v", st)
	}
}

func TestSnapshotRestore(t *testing.T) {
	l, clk := newLobby(t)
	p := matchTwo(t, l)
	_, _, _ = l.Accept(1, p.ID)
	mustEnqueue(t, l, 3, Casual, 1400)
	r, _ := l.CreateRoom(4)
	_, _ = l.JoinRoom(5, r.Code)
	mustEnqueue(t, l, 6, Ranked, 1500)
	mustEnqueue(t, l, 7, Ranked, 1510)
	p2 := l.Tick().Proposed[0]
	_, _, _ = l.Accept(6, p2.ID)
	_, _, _ = l.Accept(7, p2.ID)
	snap := l.Snapshot()

	l2, err := NewLobby(Default(), clk, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l2.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if got := l2.Snapshot(); !reflect.DeepEqual(got, snap) {
		t.Fatalf("restored state differs:\n%+v\n%+v", got, snap)
	}
	// The restored lobby carries on: user 2 accepts on the new leader.
	if _, done, err := l2.Accept(2, p.ID); err != nil || !done {
		t.Fatalf("accept after restore: %v %v", done, err)
	}

	bad := l2.Snapshot()
	bad.Waiting = append(bad.Waiting, Ticket{UserID: 4, Mode: Ranked})
	before := l2.Snapshot()
	if err := l2.Restore(bad); err == nil {
		t.Fatal("restored a state with user 4 both queued and in a room")
	}
	if !reflect.DeepEqual(l2.Snapshot(), before) {
		t.Fatal("failed restore changed the state")
	}
}

func TestNewLobbyValidates(t *testing.T) {
	c := Default()
	c.Lookahead = 0
	if _, err := NewLobby(c, nil, nil); err == nil {
		t.Fatal("lookahead 0 accepted")
	}
	c = Default()
	c.MaxWindow = 50
	if _, err := NewLobby(c, nil, nil); err == nil {
		t.Fatal("max window below start accepted")
	}
}

// The snapshot is what a leader persists (JSON in NATS KV or the database):
// it must survive encoding unchanged.
func TestSnapshotJSON(t *testing.T) {
	l, _ := newLobby(t)
	p := matchTwo(t, l)
	_, _, _ = l.Accept(1, p.ID)
	mustEnqueue(t, l, 3, FFA, 1400)
	r, _ := l.CreateRoom(4)
	_, _ = l.JoinRoom(5, r.Code)
	snap := l.Snapshot()
	snap.Cooldowns[9] = t0.Add(time.Minute)
	raw, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, snap) {
		t.Fatalf("JSON round trip changed the state:\n%s\n%+v\n%+v", raw, back, snap)
	}
	l2, _ := newLobby(t)
	if err := l2.Restore(back); err != nil {
		t.Fatal(err)
	}
}

// TestReserve: a rematch marks both players playing at once, unless one
// of them went elsewhere; a cooldown does not stop it.
func TestReserve(t *testing.T) {
	l, _ := newLobby(t)
	p := matchTwo(t, l)
	if _, err := l.Decline(1, p.ID); err != nil { // 1 cools down, 2 is requeued
		t.Fatal(err)
	}
	s := l.Snapshot()
	who, err := l.Reserve(1, 2)
	if who != 2 {
		t.Fatalf("refused for user %d, want 2 (queued)", who)
	}
	rejected(t, l, s, err, ErrAlreadyQueued)
	if err := l.Leave(2); err != nil {
		t.Fatal(err)
	}
	if _, err := l.CreateRoom(3); err != nil {
		t.Fatal(err)
	}
	s = l.Snapshot()
	_, err = l.Reserve(1, 3)
	rejected(t, l, s, err, ErrInRoom)
	if who, err := l.Reserve(1, 2); err != nil || who != 0 {
		t.Fatalf("reserve after leaving the queue: %d %v", who, err)
	}
	for _, u := range []int64{1, 2} {
		if st := l.Status(u); st.State != Playing {
			t.Fatalf("user %d: %+v, want playing", u, st)
		}
	}
	s = l.Snapshot()
	_, err = l.Reserve(2, 4)
	rejected(t, l, s, err, ErrInMatch)
	l.Release(1, 2)
	if st := l.Status(1); st.State == Playing {
		t.Fatalf("released user still playing: %+v", st)
	}
}
