package service

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/store"
)

type rematchFrame struct {
	MatchID    string  `json:"match_id"`
	State      string  `json:"state"`
	Accepted   []int64 `json:"accepted"`
	By         *int64  `json:"by"`
	ExpiresAt  string  `json:"expires_at"`
	NewMatchID *string `json:"new_match_id"`
}

// rematchState waits for w's next rematch.state of match id in state want.
func rematchState(t *testing.T, w *wsClient, id, want string) rematchFrame {
	t.Helper()
	var got rematchFrame
	w.next(hangOnly, "rematch.state "+want, func(f frame) bool {
		if f.Type != "rematch.state" {
			return false
		}
		f.get(&got)
		return got.MatchID == id && got.State == want
	})
	return got
}

// finishByResign plays a ranked match between a and b that a resigns.
func finishByResign(t *testing.T, e *env, a, b *wsClient) (id, problem string) {
	t.Helper()
	id = startRanked(t, a, b)
	a.request("match.resign", map[string]any{"match_id": id}, "match.finished")
	b.expect("match.finished", hangOnly)
	return id, matchProblem(t, e, id)
}

func matchProblem(t *testing.T, e *env, id string) string {
	t.Helper()
	m, err := e.st.(store.Arena).ArenaMatch(context.Background(), id)
	if err != nil || m.ProblemID == "" {
		t.Fatalf("match %s: %+v %v", id, m, err)
	}
	return m.ProblemID
}

// twoProblems gives the arena a second problem, so a rematch can move on.
func twoProblems(t *testing.T, e *env) {
	t.Helper()
	langs, _ := judge.DefaultLanguages("")
	full, errs := LoadPlayable(filepath.Join(repoRoot(), "problems"), langs.IDs())
	if full == nil {
		t.Fatalf("load problems: %v", errs)
	}
	a, _ := full.Get("peak-count")
	b, ok := full.Get("two-divisors")
	if !ok {
		t.Fatal("problems/two-divisors missing")
	}
	cat, err := NewPlayable([]ProblemInfo{*a, *b}, langs.IDs())
	if err != nil {
		t.Fatal(err)
	}
	e.cat, e.opt.Playable = cat, cat
}

// TestRematch: the players of a finished 1v1, on two nodes, offer and
// accept a rematch; it starts a new match between them on another problem.
// A stranger cannot offer; a decline closes it for both; a player who
// queues instead leaves it, and the other is told who.
func TestRematch(t *testing.T) {
	e := newEnv(t)
	twoProblems(t, e)
	e.opt.Pick = func(int) int { return 0 }
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	bob, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a, b, c := connect(t, n1, adaTok), connect(t, n2, bobTok), connect(t, n1, cydTok)

	id, prob := finishByResign(t, e, a, b)
	c.requestErr("rematch.offer", map[string]any{"match_id": id}, "not_in_match")
	a.requestErr("rematch.offer", map[string]any{"match_id": "nope"}, "match_not_found")
	a.requestErr("rematch.offer", map[string]any{"match_id": ""}, "invalid_request")

	var open rematchFrame
	a.request("rematch.offer", map[string]any{"match_id": id}, "rematch.state").get(&open)
	if open.State != "open" || !slices.Equal(open.Accepted, []int64{ada.ID}) || open.ExpiresAt == "" {
		t.Fatalf("offer: %+v", open)
	}
	pushed := rematchState(t, b, id, "open")
	if !slices.Equal(pushed.Accepted, []int64{ada.ID}) {
		t.Fatalf("bob sees %+v", pushed)
	}
	// Offering twice changes nothing.
	a.request("rematch.offer", map[string]any{"match_id": id}, "rematch.state")
	c.requestErr("rematch.decline", map[string]any{"match_id": id}, "not_in_match")

	var ms struct {
		MatchID string `json:"match_id"`
		Mode    string `json:"mode"`
		Players []struct {
			UserID    int64 `json:"user_id"`
			WinStreak int   `json:"win_streak"`
		} `json:"players"`
	}
	b.request("rematch.offer", map[string]any{"match_id": id}, "match.state").get(&ms)
	if ms.MatchID == "" || ms.MatchID == id || ms.Mode != "ranked" {
		t.Fatalf("rematch match %+v", ms)
	}
	// Bob won the first match (ada resigned): the cards carry his streak.
	for _, p := range ms.Players {
		if want := map[int64]int{ada.ID: 0, bob.ID: 1}[p.UserID]; p.WinStreak != want {
			t.Fatalf("player %d win_streak %d, want %d", p.UserID, p.WinStreak, want)
		}
	}
	started := rematchState(t, a, id, "started")
	if started.NewMatchID == nil || *started.NewMatchID != ms.MatchID || len(started.Accepted) != 2 {
		t.Fatalf("ada sees %+v, want started %s", started, ms.MatchID)
	}
	running := func(f frame) bool {
		var d struct {
			MatchID string `json:"match_id"`
			State   string `json:"state"`
		}
		f.get(&d)
		return f.Type == "match.state" && d.MatchID == ms.MatchID && d.State == "running"
	}
	a.next(hangOnly, "rematch running", running)
	b.next(hangOnly, "rematch running", running)
	// The lobby's live card of the rematch: each player's id, name and tier.
	c.next(hangOnly, "the rematch's lobby card", func(f frame) bool {
		var d struct {
			LiveMatches []struct {
				MatchID string `json:"match_id"`
				Cards   []struct {
					UserID   int64   `json:"user_id"`
					Username string  `json:"username"`
					Rating   float64 `json:"rating"`
					Tier     string  `json:"tier"`
				} `json:"cards"`
			} `json:"live_matches"`
		}
		if f.Type != "lobby.state" {
			return false
		}
		f.get(&d)
		for _, m := range d.LiveMatches {
			if m.MatchID != ms.MatchID {
				continue
			}
			if len(m.Cards) != 2 || m.Cards[0].UserID == 0 || m.Cards[0].Username == "" || m.Cards[0].Tier == "" || m.Cards[0].Rating == 0 {
				t.Fatalf("lobby card of the rematch: %+v", m)
			}
			return true
		}
		return false
	})
	if p := matchProblem(t, e, ms.MatchID); p == prob {
		t.Fatalf("the rematch replays %s; the catalog has another problem", p)
	}
	// Its rematch is decided: a second one is closed.
	a.requestErr("rematch.offer", map[string]any{"match_id": id}, "rematch_closed")

	// The rematch itself ends; bob declines the next one.
	var fin struct {
		XP []struct {
			UserID    int64 `json:"user_id"`
			WinStreak int   `json:"win_streak"`
		} `json:"xp"`
	}
	b.request("match.resign", map[string]any{"match_id": ms.MatchID}, "match.finished").get(&fin)
	a.expect("match.finished", hangOnly)
	for _, x := range fin.XP {
		if want := map[int64]int{ada.ID: 1, bob.ID: 0}[x.UserID]; x.WinStreak != want {
			t.Fatalf("after the rematch: %d win_streak %d, want %d", x.UserID, x.WinStreak, want)
		}
	}
	if _, prof := getJSON(t, n2.ts.URL+"/api/v1/users/ada", bobTok); prof["user"].(map[string]any)["win_streak"] != float64(1) {
		t.Fatalf("ada's profile: %v", prof["user"])
	}
	a.request("rematch.offer", map[string]any{"match_id": ms.MatchID}, "rematch.state")
	rematchState(t, b, ms.MatchID, "open")
	var dec rematchFrame
	b.request("rematch.decline", map[string]any{"match_id": ms.MatchID}, "rematch.state").get(&dec)
	if dec.State != "declined" || dec.By == nil || *dec.By != bob.ID {
		t.Fatalf("decline: %+v", dec)
	}
	if got := rematchState(t, a, ms.MatchID, "declined"); got.By == nil || *got.By != bob.ID {
		t.Fatalf("ada sees %+v", got)
	}
	a.requestErr("rematch.offer", map[string]any{"match_id": ms.MatchID}, "rematch_closed")

	// Both problems are recent now: the third match repeats one (pick 0,
	// the closest), and its rematch still moves to the other.
	id3, prob3 := finishByResign(t, e, a, b)
	a.request("rematch.offer", map[string]any{"match_id": id3}, "rematch.state")
	rematchState(t, b, id3, "open")
	b.request("rematch.offer", map[string]any{"match_id": id3}, "match.state").get(&ms)
	if p := matchProblem(t, e, ms.MatchID); p == prob3 {
		t.Fatalf("the rematch of a match on %s replays it", p)
	}
	a.next(hangOnly, "rematch running", running)
	b.next(hangOnly, "rematch running", running)
	a.request("match.resign", map[string]any{"match_id": ms.MatchID}, "match.finished")
	b.expect("match.finished", hangOnly)

	// Ada offers, bob queues instead: ada learns bob left.
	id3 = ms.MatchID
	a.request("rematch.offer", map[string]any{"match_id": id3}, "rematch.state")
	rematchState(t, b, id3, "open")
	// The offer is in a reconnecting player's snapshot.
	var snap struct {
		Rematch *rematchFrame `json:"rematch"`
	}
	b2, resp, err := dialWS(t, n1, bobTok, nil)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	b2.request("hello", map[string]any{"client": "test"}, "snapshot").get(&snap)
	if snap.Rematch == nil || snap.Rematch.MatchID != id3 || snap.Rematch.State != "open" {
		t.Fatalf("snapshot rematch %+v", snap.Rematch)
	}
	b.request("queue.join", map[string]any{"mode": "casual"}, "queue.status")
	if got := rematchState(t, a, id3, "left"); got.By == nil || *got.By != bob.ID {
		t.Fatalf("ada sees %+v, want left by bob", got)
	}
	b.requestErr("rematch.offer", map[string]any{"match_id": id3}, "rematch_closed")
}

// TestRematchExpires: an offer nobody answers expires, and both players
// are told.
func TestRematchExpires(t *testing.T) {
	e := newEnv(t)
	e.opt.RematchTTL = 500 * time.Millisecond
	n1 := e.addNode()
	e.waitLeader()
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	a, b := connect(t, n1, adaTok), connect(t, n1, bobTok)
	id, _ := finishByResign(t, e, a, b)
	a.request("rematch.offer", map[string]any{"match_id": id}, "rematch.state")
	rematchState(t, a, id, "expired")
	rematchState(t, b, id, "expired")
	b.requestErr("rematch.offer", map[string]any{"match_id": id}, "rematch_closed")
}
