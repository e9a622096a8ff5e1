package service

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/clock"
	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/timeline"
)

// seedSolution stores a finished match of mode on peak-count in which
// user (rated rating) opened the editor in the countdown, typed at 2 s,
// ran at 4 s, submitted a wrong answer at 6 s (judged at 7 s), fixed it at
// 9 s and was accepted at 10 s (judged at 11 s): a ghost of a short match.
func seedSolution(t *testing.T, st store.Store, id, mode string, user int64, rating float64, start time.Time) {
	t.Helper()
	c := context.Background()
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	evs := []timeline.Event{
		{At: at(-300).UnixMilli(), Doc: "d1", Kind: timeline.KindOpen, Text: "", Lang: "python"},
		{At: at(2000).UnixMilli(), Doc: "d1", Kind: timeline.KindEdit, Changes: []timeline.Change{{Offset: 0, Text: "print(1)"}}},
		{At: at(4000).UnixMilli(), Doc: "d1", Kind: timeline.KindRun},
		{At: at(9000).UnixMilli(), Doc: "d1", Kind: timeline.KindEdit, Changes: []timeline.Change{{Offset: 6, Len: 1, Text: "2"}}},
	}
	subs := []struct {
		id       string
		received int
		judged   int
		verdict  string
		code     string
	}{{id + "-s1", 6000, 7000, "WA", "print(1)"}, {id + "-s2", 10000, 11000, "AC", "print(2)"}}
	snap := match.Snapshot{ID: id, State: match.Finished, Created: at(-500), StartAt: start, Deadline: at(600000), EndedAt: at(11000)}
	for _, s := range subs {
		if _, err := st.CreateSubmission(c, store.NewSubmission{ID: s.id, UserID: user, ProblemID: "peak-count", Lang: "python",
			Source: []byte(s.code), Priority: "ranked", MatchID: id, CreatedAt: at(s.received)}, 0); err != nil {
			t.Fatal(err)
		}
		passed := 2
		if s.verdict == "AC" {
			passed = 5
		}
		if _, _, err := st.FinishSubmission(c, store.SubmissionResult{SubmissionID: s.id, Verdict: s.verdict, Passed: passed, Total: 5,
			FinishedAt: at(s.judged)}); err != nil {
			t.Fatal(err)
		}
		snap.Submissions = append(snap.Submissions, match.Submission{ID: s.id, Player: user, Received: at(s.received), Judged: true,
			Passed: passed, Total: 5, Accepted: s.verdict == "AC"})
	}
	x, _ := json.Marshal(matchExtras{Match: snap, Players: []playerInfo{{UserID: user, Rating: rating, RD: 100}}})
	if err := st.CreateMatch(c, store.ArenaMatch{ID: id, Mode: mode, ProblemID: "peak-count", ProblemTitle: "Peak count", State: "running",
		CreatedAt: at(-500), StartsAt: start, Deadline: at(600000), Snapshot: x, Fence: 1,
		Players: []store.ArenaPlayer{{UserID: user, RatingBefore: rating, RDBefore: 100}}}); err != nil {
		t.Fatal(err)
	}
	packed, err := timeline.Pack(evs)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AppendTimeline(c, id, user, packed); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FinishMatch(c, store.ArenaFinish{MatchID: id, State: store.MatchFinished, Reason: "won", WinnerID: user,
		FinishedAt: at(11000), Snapshot: x, Fence: 1}, func(s []store.ArenaStanding) ([]store.ArenaUpdate, error) {
		return []store.ArenaUpdate{{UserID: user, Result: store.ResultWin, Place: 1}}, nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestGhostRace: a practice against a ghost picks, by rating band, a
// public accepted solution (never a private room's, a free-for-all's or a
// practice's code, nor the player's own), and the owner streams the
// ghost's steps on the match clock at their original offsets: with an
// injected clock that the test advances, no step arrives before the
// clock reaches it, and every step arrives once it has. The result
// compares the accept times; a reloaded page gets the lane so far.
func TestGhostRace(t *testing.T) {
	e := newEnv(t)
	clk := clock.NewFake(time.Now())
	e.opt.Clock = clk
	e.fakeJudge = func(n *node) Judger { return instantJudge{t: t, st: e.st, n: n} }
	n := e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	gina, _ := e.user("gina")
	hal, _ := e.user("hal")
	pia, _ := e.user("pia")
	base := clk.Now().Add(-time.Hour)
	seedSolution(t, e.st, "g-gina", "ranked", gina.ID, 1500, base)
	seedSolution(t, e.st, "g-hal", "casual", hal.ID, 2000, base.Add(time.Minute))
	// Newer, in the band, but their code is not public: never ghosts.
	seedSolution(t, e.st, "g-room", "private", pia.ID, 1500, base.Add(2*time.Minute))
	seedSolution(t, e.st, "g-ffa", "ffa", pia.ID, 1500, base.Add(3*time.Minute))
	seedSolution(t, e.st, "g-prac", "practice", pia.ID, 1500, base.Add(4*time.Minute))
	// The player's own solution is no ghost either.
	seedSolution(t, e.st, "g-ada", "ranked", ada.ID, 1500, base.Add(5*time.Minute))

	a := connect(t, n, adaTok)
	a.requestErr("queue.join", map[string]any{"mode": "practice", "ghost": map[string]any{"min_rating": 1400}}, "invalid_request")
	a.requestErr("queue.join", map[string]any{"mode": "ranked", "ghost": map[string]any{"min_rating": 1400}}, "invalid_request")
	a.requestErr("queue.join", map[string]any{"mode": "practice", "problem_id": "peak-count",
		"ghost": map[string]any{"min_rating": 1600, "max_rating": 1400}}, "invalid_request")
	a.requestErr("queue.join", map[string]any{"mode": "practice", "problem_id": "peak-count",
		"ghost": map[string]any{"min_rating": 2500}}, "ghost_not_found")
	// One search a second per player.
	a.requestErr("queue.join", map[string]any{"mode": "practice", "problem_id": "peak-count",
		"ghost": map[string]any{"min_rating": 2500}}, "rate_limited")
	clk.Advance(time.Second)

	type stateT struct {
		MatchID string              `json:"match_id"`
		State   string              `json:"state"`
		Ghost   *protocol.GhostInfo `json:"ghost"`
	}
	start := func(band map[string]any) stateT {
		t.Helper()
		var st stateT
		a.request("queue.join", map[string]any{"mode": "practice", "problem_id": "peak-count", "ghost": band}, "match.state").get(&st)
		if st.Ghost == nil {
			t.Fatalf("practice without its ghost: %+v", st)
		}
		clk.Advance(e.opt.Match.Countdown)
		a.next(5*time.Second, "running", runningState)
		return st
	}
	// elapsed is the race's clock; steps checks each ghost.progress step
	// is due (at_ms ≤ elapsed) and new (after the last one seen).
	var elapsed, seen time.Duration
	var got []protocol.GhostStep
	ghostFrame := func(f frame) bool { return f.Type == "ghost.progress" }
	take := func(what string, want int) {
		t.Helper()
		for len(got) < want {
			var gp protocol.GhostProgress
			a.next(5*time.Second, what, ghostFrame).get(&gp)
			if gp.Reset {
				t.Fatalf("%s: unexpected reset", what)
			}
			for _, st := range gp.Steps {
				at := time.Duration(st.AtMs) * time.Millisecond
				if at > elapsed || at < seen {
					t.Fatalf("%s: step %s at %v received at %v (last %v)", what, st.Kind, at, elapsed, seen)
				}
				seen = at
				got = append(got, st)
			}
		}
		if len(got) != want {
			t.Fatalf("%s: %d steps, want %d", what, len(got), want)
		}
	}
	quiet := func(what string) {
		t.Helper()
		// Nothing more may come while the clock holds (a loaded machine
		// can only make this pass, never fail).
		if f, ok := a.maybe(300*time.Millisecond, ghostFrame); ok {
			t.Fatalf("%s: early ghost step %s", what, f.Data)
		}
	}
	advance := func(to time.Duration) {
		clk.Advance(to - elapsed)
		elapsed = to
	}

	// Race 1, band 1400–1600: gina (hal is out of the band, pia's code is
	// private, ada's is her own).
	st := start(map[string]any{"min_rating": 1400, "max_rating": 1600})
	if g := st.Ghost; g.Username != "gina" || g.SourceMatchID != "g-gina" || g.AcceptMs != 10000 || g.Lang != "python" {
		t.Fatalf("ghost = %+v", g)
	}
	take("the countdown's open at 0", 1)
	if got[0].Kind != "editor" || got[0].Event == nil || got[0].Event.Kind != protocol.EditorOpen {
		t.Fatalf("first step %+v", got[0])
	}
	advance(1999 * time.Millisecond)
	quiet("1 ms before the first edit")
	advance(2000 * time.Millisecond)
	take("the edit at 2 s", 2)
	advance(5 * time.Second)
	take("the run at 4 s", 3)
	quiet("before the submission at 6 s")
	advance(8 * time.Second)
	take("submit at 6 s, verdict at 7 s", 5)
	if got[3].Kind != "submit" || got[4].Kind != "verdict" || got[4].Verdict != "WA" {
		t.Fatalf("steps %+v", got[3:5])
	}
	// ada submits at 8 s, before the ghost's 10 s: she wins by 2 s.
	a.request("code.submit", map[string]any{"match_id": st.MatchID, "lang": "python", "code": acceptedSolution(t)}, "submission.result")
	var res protocol.GhostResult
	a.next(5*time.Second, "ghost.result", func(f frame) bool { return f.Type == "ghost.result" }).get(&res)
	if res.Winner != "you" || res.YouMs == nil || *res.YouMs != 8000 || res.GhostMs == nil || *res.GhostMs != 10000 ||
		res.MarginMs != 2000 || res.Ghost != "gina" {
		t.Fatalf("result %+v", res)
	}
	a.expect("match.finished", 5*time.Second)

	// Race 2, band 1900+: hal. ada reloads mid-race and gets the lane so
	// far; the ghost accepts at 10 s, ada at 22 s: the ghost won by 12 s.
	elapsed, seen, got = 0, 0, nil
	st = start(map[string]any{"min_rating": 1900})
	if st.Ghost.Username != "hal" {
		t.Fatalf("ghost = %+v", st.Ghost)
	}
	take("open", 1)
	advance(4500 * time.Millisecond)
	take("edit and run", 3)
	a.c.CloseNow()
	a = connect(t, n, adaTok)
	var gp protocol.GhostProgress
	a.next(5*time.Second, "lane after reload", ghostFrame).get(&gp)
	if !gp.Reset || len(gp.Steps) != 3 {
		t.Fatalf("after reload: %+v", gp)
	}
	advance(12 * time.Second)
	take("the ghost's submissions and verdicts", 8)
	if last := got[7]; last.Kind != "verdict" || last.Verdict != "AC" {
		t.Fatalf("last step %+v", last)
	}
	advance(22 * time.Second)
	quiet("after the ghost's accept: nothing more")
	a.request("code.submit", map[string]any{"match_id": st.MatchID, "lang": "python", "code": acceptedSolution(t)}, "submission.result")
	a.next(5*time.Second, "ghost.result", func(f frame) bool { return f.Type == "ghost.result" }).get(&res)
	if res.Winner != "ghost" || *res.YouMs != 22000 || *res.GhostMs != 10000 || res.MarginMs != 12000 || res.Ghost != "hal" {
		t.Fatalf("result %+v", res)
	}
}

// maybe returns the first frame matching pred within d, if any (frames
// that do not match are dropped, as next does).
func (w *wsClient) maybe(d time.Duration, pred func(frame) bool) (frame, bool) {
	tm := time.NewTimer(d)
	defer tm.Stop()
	for {
		select {
		case f := <-w.frames:
			w.mu.Lock()
			w.seen = append(w.seen, f)
			w.mu.Unlock()
			if pred(f) {
				return f, true
			}
		case <-tm.C:
			return frame{}, false
		}
	}
}
