package service

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/tournament"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

var _ httpapi.Tournaments = (*Service)(nil)

// tourneyBot plays a tournament's matches: in each one it sees running,
// the player with the higher user id resigns (so the lower id wins),
// after think, which makes every result known in advance. It stops with
// ctx.
func tourneyBot(ctx context.Context, c *Client, think time.Duration, wg *sync.WaitGroup) {
	defer wg.Done()
	done := map[string]bool{}
	// As a client that (re)connects: the snapshot has the match it is in.
	var snap struct {
		Match *protocol.MatchState `json:"match"`
	}
	if _, data, err := c.Do(ctx, protocol.OpHello, &protocol.Hello{Client: "bot"}); err == nil {
		_ = json.Unmarshal(mustJSON(data), &snap)
	}
	for {
		var ms protocol.MatchState
		if snap.Match != nil {
			ms, snap.Match = *snap.Match, nil
		} else {
			var raw []byte
			select {
			case <-ctx.Done():
				return
			case raw = <-c.Frames:
			}
			var f struct {
				Type string          `json:"type"`
				Data json.RawMessage `json:"data"`
			}
			if json.Unmarshal(raw, &f) != nil || f.Type != string(protocol.EventMatchState) || json.Unmarshal(f.Data, &ms) != nil {
				continue
			}
		}
		if !strings.HasPrefix(ms.MatchID, "t") || ms.State != protocol.PhaseRunning || done[ms.MatchID] {
			continue
		}
		done[ms.MatchID] = true
		loser := false
		for _, p := range ms.Players {
			if p.UserID < c.User {
				loser = true
			}
		}
		if loser {
			go func() {
				select {
				case <-time.After(think):
				case <-ctx.Done():
					return
				}
				for range 50 { // retried while the match moves between owners
					rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
					_, _, err := c.Do(rctx, protocol.OpMatchResign, &protocol.MatchRef{MatchID: ms.MatchID})
					cancel()
					if err == nil || ctx.Err() != nil || errcode.CodeOf(err) == errcode.MatchNotRunning {
						return
					}
					time.Sleep(200 * time.Millisecond)
				}
			}()
		}
	}
}

// checkTournament checks a finished tournament against its stored games:
// every game of the lower id against a higher one was won by the lower
// id, nobody played twice in a round, no rematch, at most one bye each,
// the standings and places are package tournament's.
func checkTournament(t *testing.T, st store.Store, id int64, rounds int) {
	t.Helper()
	ctx := context.Background()
	tr, err := st.Tournament(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tr.State != store.TournamentFinished || tr.Round != rounds {
		t.Fatalf("tournament %d: state %s round %d, want finished after %d rounds", id, tr.State, tr.Round, rounds)
	}
	ps, _ := st.TournamentPlayers(ctx, id)
	games, _ := st.TournamentGames(ctx, id)
	met := map[[2]int64]bool{}
	byes := map[int64]int{}
	seen := map[[2]int64]bool{} // (round, player)
	for _, g := range games {
		for _, u := range []int64{g.A, g.B} {
			if u == 0 {
				continue
			}
			k := [2]int64{int64(g.Round), u}
			if seen[k] {
				t.Fatalf("player %d plays twice in round %d", u, g.Round)
			}
			seen[k] = true
		}
		if g.B == 0 {
			byes[g.A]++
			if g.Outcome != "bye" || byes[g.A] > 1 {
				t.Fatalf("bye %+v (player's byes %d)", g, byes[g.A])
			}
			continue
		}
		k := [2]int64{min(g.A, g.B), max(g.A, g.B)}
		if met[k] {
			t.Fatalf("rematch %v", k)
		}
		met[k] = true
		want := "a"
		if g.B < g.A {
			want = "b"
		}
		if g.Outcome != want {
			t.Fatalf("game %+v: outcome %q, want %q (the lower id wins)", g, g.Outcome, want)
		}
		m, err := st.ArenaMatch(ctx, g.MatchID)
		if err != nil || m.State != store.MatchFinished {
			t.Fatalf("match %s of game %+v: %+v, %v", g.MatchID, g, m.State, err)
		}
	}
	want := tournament.Standings(tournament.Format(tr.Format), seededPlayers(ps), coreGames(games))
	place := map[int64]int{}
	for _, p := range ps {
		place[p.UserID] = p.Place
	}
	for _, s := range want {
		if place[s.PlayerID] != s.Rank {
			t.Fatalf("player %d: place %d, standings say %d", s.PlayerID, place[s.PlayerID], s.Rank)
		}
	}
}

// TestTournamentSwissAcrossNodes: an admin creates a Swiss tournament of
// 2 rounds for 5 players on three API nodes; players register (one over
// REST), check in (one never does and does not play), are refused the
// queue while the tournament is on, play their matches on whichever node
// owns them, and the matchmaker's node dies in the middle of round 2: the
// new matchmaker carries on from the store, and the tournament finishes
// with the standings package tournament computes, the places stored and
// shown on the profiles.
func TestTournamentSwissAcrossNodes(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Countdown = 200 * time.Millisecond
	e.addNode()
	e.addNode()
	e.addNode()
	first := e.waitLeader()
	svcOf := func() *Service { return e.survivor(first).svc }
	ctx := context.Background()

	admin, _ := e.user("boss")
	_, adaTok := e.user("ada")
	ids := e.users("tp", 5) // tp0000..tp0004; tp0004 never checks in
	now := time.Now()
	brk, checkIn := 0, 5
	d, err := svcOf().CreateTournament(ctx, admin.ID, protocol.TournamentCreate{Name: "Test Swiss", Format: "swiss", Rounds: 2,
		StartsAt: now.Add(8 * time.Second).UTC().Format(time.RFC3339Nano), CheckInMinutes: &checkIn, RoundBreakS: &brk, DurationS: 60})
	if err != nil {
		t.Fatal(err)
	}
	id := d.Tournament.ID
	// Bad settings are refused.
	for _, bad := range []protocol.TournamentCreate{
		{Name: "", Format: "swiss", Rounds: 1, StartsAt: now.Add(time.Hour).Format(time.RFC3339)},
		{Name: "x", Format: "round-robin", StartsAt: now.Add(time.Hour).Format(time.RFC3339)},
		{Name: "x", Format: "swiss", Rounds: 0, StartsAt: now.Add(time.Hour).Format(time.RFC3339)},
		{Name: "x", Format: "swiss", Rounds: 2, StartsAt: now.Add(-time.Hour).Format(time.RFC3339)},
		{Name: "x", Format: "elimination", Rounds: 2, StartsAt: now.Add(time.Hour).Format(time.RFC3339)},
		{Name: "x", Format: "swiss", Rounds: 2, StartsAt: now.Add(time.Hour).Format(time.RFC3339), Problems: []string{"nope"}},
	} {
		if _, err := svcOf().CreateTournament(ctx, admin.ID, bad); err == nil {
			t.Fatalf("created %+v", bad)
		}
	}

	// ada registers and checks in over REST on node 2 (and then leaves).
	post := func(method, path, tok string) (int, protocol.TournamentDetail) {
		t.Helper()
		req, _ := http.NewRequest(method, e.nodes[1].ts.URL+path, nil)
		req.Header.Set("Cookie", "sf_session="+tok)
		req.Header.Set("Origin", e.nodes[1].ts.URL)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out protocol.TournamentDetail
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	path := fmt.Sprintf("/api/v1/tournaments/%d", id)
	if code, out := post("POST", path+"/register", adaTok); code != 200 || !out.Tournament.Registered || out.Tournament.Players != 1 {
		t.Fatalf("register over REST: %d %+v", code, out.Tournament)
	}
	if code, out := post("POST", path+"/check-in", adaTok); code != 200 || !out.Tournament.CheckedIn {
		t.Fatalf("check in over REST: %d %+v", code, out.Tournament)
	}
	if code, _ := post("POST", path+"/register", ""); code != 401 {
		t.Fatalf("register signed out: %d, want 401", code)
	}
	if code, out := post("DELETE", path+"/register", adaTok); code != 200 || out.Tournament.Registered {
		t.Fatalf("leave over REST: %d %+v", code, out.Tournament)
	}

	bots := make([]*bot, len(ids))
	for i, u := range ids {
		bots[i] = attach(t, e.nodes[i%len(e.nodes)], u)
		if _, err := svcOf().TournamentAction(ctx, id, u, "register"); err != nil {
			t.Fatal(err)
		}
		if i < 4 {
			if _, err := svcOf().TournamentAction(ctx, id, u, "check-in"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A checked-in player is refused the queue (once the matchmaker's
	// scheduler has read the check-in: it passes every second).
	waitFor(t, "in_tournament", func() bool {
		typ, code := tryDo(bots[0], protocol.OpQueueJoin, &protocol.QueueJoin{Mode: protocol.ModeCasual})
		if typ == protocol.EventQueueStatus {
			tryDo(bots[0], protocol.OpQueueLeave, &protocol.Empty{})
		}
		return code == errcode.InTournament
	})
	// The one who did not check in may queue (and leaves again).
	waitFor(t, "queue.join of the player not checked in", func() bool {
		typ, _ := tryDo(bots[4], protocol.OpQueueJoin, &protocol.QueueJoin{Mode: protocol.ModeCasual})
		return typ == protocol.EventQueueStatus
	})
	waitFor(t, "queue.leave", func() bool {
		typ, _ := tryDo(bots[4], protocol.OpQueueLeave, &protocol.Empty{})
		return typ == protocol.EventQueueStatus
	})

	bctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, b := range bots[:4] {
		wg.Add(1)
		go tourneyBot(bctx, b.c, 1500*time.Millisecond, &wg)
	}
	defer func() { stop(); wg.Wait() }()

	// Round 2's matches running: the matchmaker's node dies.
	waitFor(t, "round 2", func() bool {
		gs, err := e.st.TournamentGames(ctx, id)
		if err != nil {
			return false
		}
		for _, g := range gs {
			if g.Round == 2 && g.MatchID != "" {
				if m, err := e.st.ArenaMatch(ctx, g.MatchID); err == nil && m.State == "running" {
					return true
				}
			}
		}
		return false
	})
	leader := e.leader()
	if leader == nil {
		t.Fatal("no leader")
	}
	t.Logf("killing the matchmaker %s during round 2", leader.svc.Node())
	leader.kill()
	// Its bots move to a live node (as a browser reconnects).
	for i, b := range bots[:4] {
		if e.nodes[i%len(e.nodes)] == leader {
			b.c.Detach()
			nb := attach(t, e.survivor(leader), ids[i])
			bots[i] = nb
			wg.Add(1)
			go tourneyBot(bctx, nb.c, 1500*time.Millisecond, &wg)
		}
	}
	waitFor(t, "the end", func() bool {
		tr, err := e.st.Tournament(ctx, id)
		return err == nil && tr.State == store.TournamentFinished
	})
	checkTournament(t, e.st, id, 2)

	live := e.survivor(leader).svc
	out, err := live.TournamentDetail(ctx, id, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Standings) != 4 || len(out.Rounds) != 2 || out.Standings[0].UserID != ids[0] || out.Standings[0].Points != 2 {
		t.Fatalf("detail: %+v", out)
	}
	for _, en := range out.Entrants {
		if en.UserID == ids[4] && en.Seed != 0 {
			t.Fatalf("the player who did not check in was seeded: %+v", en)
		}
	}
	prof, err := live.UserTournaments(ctx, "tp0000")
	if err != nil || len(prof.Tournaments) != 1 || prof.Tournaments[0].Place != 1 {
		t.Fatalf("tp0000's tournaments: %+v, %v", prof, err)
	}
	// Free again: the queue takes them.
	waitFor(t, "queue after the end", func() bool {
		typ, _ := tryDo(bots[0], protocol.OpQueueJoin, &protocol.QueueJoin{Mode: protocol.ModeCasual})
		return typ == protocol.EventQueueStatus
	})
}

// tryDo runs one operation and returns its reply type or error code.
func tryDo(b *bot, op protocol.Op, data any) (protocol.Event, errcode.Code) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	typ, _, err := b.c.Do(ctx, op, data)
	return typ, errcode.CodeOf(err)
}

// waitFor polls cond until it holds (hang-only timeout).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(max(hangOnly, 2*time.Minute))
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
