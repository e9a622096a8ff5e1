package service

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/store"
)

// fakeRunner stands in for execution.Service.RunSamples: it records the
// requests and answers from a script.
type fakeRunner struct {
	mu   sync.Mutex
	reqs []execution.RunRequest
	err  error
}

func (f *fakeRunner) RunSamples(ctx context.Context, req execution.RunRequest) (*execution.RunResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, req)
	if f.err != nil {
		return nil, f.err
	}
	exp := "2\n"
	return &execution.RunResult{Results: []execution.RunTestResult{{Sample: 1, Verdict: "WA", TimeMS: 3, Input: "6\n1 5 3 4 7 2\n",
		Expected: &exp, Actual: strings.TrimSpace(string(req.Source)) + "\n"}}}, nil
}

func (f *fakeRunner) last() execution.RunRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reqs[len(f.reqs)-1]
}

func runningState(f frame) bool {
	var d struct {
		State string `json:"state"`
	}
	f.get(&d)
	return f.Type == "match.state" && d.State == "running"
}

// TestPracticeAndRun: practice through the lobby (queue.join mode
// practice, with or without a problem) is a solo, unrated match with the
// server's clock; code.run works in it and in ranked matches, answering
// run.result with the match id, at the match's priority; every misuse gets
// its stable code.
func TestPracticeAndRun(t *testing.T) {
	e := newEnv(t)
	runner := &fakeRunner{}
	e.opt.Runner = runner
	// The owner of the first practice match to end waits, between storing
	// its result and freeing its player, until the test has queued again
	// (1 s at most): whatever order the owner, the matchmaker and the
	// pushes run in, a player told "finished" is free to queue at once.
	hold := make(chan struct{})
	var held atomic.Bool
	var unhold sync.Once
	release := func() { unhold.Do(func() { close(hold) }) }
	t.Cleanup(release)
	e.opt.afterFinishStored = func(s *Service, id string) {
		if strings.HasPrefix(id, "p") && held.CompareAndSwap(false, true) {
			select {
			case <-hold:
			case <-time.After(time.Second):
			}
		}
	}
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a := connect(t, n1, adaTok)
	b := connect(t, n2, bobTok)
	c := connect(t, n1, cydTok)

	a.requestErr("queue.join", map[string]any{"mode": "practice", "problem_id": "no-such-problem"}, "problem_not_found")
	a.requestErr("queue.join", map[string]any{"mode": "practice", "problem_id": strings.Repeat("x", 500)}, "problem_not_found")
	// Queued elsewhere: practice is refused until the player leaves.
	b.request("queue.join", map[string]any{"mode": "casual"}, "queue.status")
	b.requestErr("queue.join", map[string]any{"mode": "practice"}, "already_queued")
	b.request("queue.leave", map[string]any{}, "queue.status")

	var st struct {
		MatchID string       `json:"match_id"`
		Mode    string       `json:"mode"`
		State   string       `json:"state"`
		You     int64        `json:"you"`
		Problem *problemJSON `json:"problem"`
		Players []playerJSON `json:"players"`
	}
	a.request("queue.join", map[string]any{"mode": "practice", "problem_id": "peak-count"}, "match.state").get(&st)
	if st.Mode != "practice" || st.State != "countdown" || st.You != ada.ID || st.Problem == nil || st.Problem.ID != "peak-count" ||
		len(st.Players) != 1 {
		t.Fatalf("practice match.state = %+v", st)
	}
	id := st.MatchID
	a.requestErr("queue.join", map[string]any{"mode": "ranked"}, "already_in_match")
	a.requestErr("queue.join", map[string]any{"mode": "practice"}, "already_in_match")
	a.requestErr("room.create", map[string]any{"max_players": 2}, "already_in_match")
	c.requestErr("spectate", map[string]any{"match_id": id}, "spectate_forbidden")
	// Nor is it in the list of matches to watch.
	resp, err := http.Get(n2.ts.URL + "/api/v1/matches?state=running")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Matches []struct {
			MatchID string `json:"match_id"`
		} `json:"matches"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	for _, m := range list.Matches {
		if m.MatchID == id {
			t.Fatal("a practice match is listed for spectators")
		}
	}
	// Before the countdown ends: no run.
	a.requestErr("code.run", map[string]any{"match_id": id, "lang": "python", "code": "print(3)"}, "match_not_running")
	a.next(5*time.Second, "practice running", runningState)

	var rr struct {
		MatchID      string  `json:"match_id"`
		CompileError *string `json:"compile_error"`
		Results      []struct {
			Sample   int     `json:"sample"`
			Verdict  string  `json:"verdict"`
			Expected *string `json:"expected"`
			Actual   string  `json:"actual"`
		} `json:"results"`
	}
	in := "3\n1 2 1\n"
	a.request("code.run", map[string]any{"match_id": id, "lang": "python", "code": "print(3)", "input": in}, "run.result").get(&rr)
	if rr.MatchID != id || rr.CompileError != nil || len(rr.Results) != 1 || rr.Results[0].Actual != "print(3)\n" {
		t.Fatalf("run.result = %+v", rr)
	}
	played, _ := e.opt.Playable.Get("peak-count")
	if r := runner.last(); r.UserID != ada.ID || r.ProblemID != "peak-count" || r.ProblemVersion != played.Version || r.Lang != "python" ||
		r.MatchID != id || r.Priority != execution.PriorityPractice || r.Input == nil || *r.Input != in {
		t.Fatalf("run request = %+v", r)
	}
	// The run's code is what a reload restores.
	var snap struct {
		Match *struct {
			MatchID string `json:"match_id"`
		} `json:"match"`
		MyCode *myCodeJSON `json:"my_code"`
	}
	a.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	if snap.Match == nil || snap.Match.MatchID != id || snap.MyCode == nil || snap.MyCode.Code != "print(3)" {
		t.Fatalf("snapshot after a run: %+v %+v", snap.Match, snap.MyCode)
	}
	// Misuse.
	a.requestErr("code.run", map[string]any{"match_id": id, "lang": "python", "code": "x", "input": strings.Repeat("1", 65<<10)}, "input_too_large")
	a.requestErr("code.run", map[string]any{"match_id": id, "lang": "python", "code": strings.Repeat("#", 65<<10)}, "code_too_large")
	c.requestErr("code.run", map[string]any{"match_id": id, "lang": "python", "code": "x"}, "not_in_match")
	c.requestErr("code.run", map[string]any{"match_id": "nope", "lang": "python", "code": "x"}, "match_not_found")
	runner.mu.Lock()
	runner.err = &errcode.Error{Code: errcode.RateLimited, Message: "slow down", RetryAfter: 1500 * time.Millisecond}
	runs := len(runner.reqs)
	runner.mu.Unlock()
	// The judge's code reaches the player as it is, with its data.
	if d := a.requestErr("code.run", map[string]any{"match_id": id, "lang": "python", "code": "x"}, "rate_limited"); d["retry_after_ms"] != 1500.0 {
		t.Fatalf("rate_limited data = %v, want retry_after_ms 1500", d)
	}
	runner.mu.Lock()
	runner.err = errcode.New(errcode.LanguageUnsupported, "no")
	runner.mu.Unlock()
	a.requestErr("code.run", map[string]any{"match_id": id, "lang": "cobol", "code": "x"}, "language_unsupported")
	runner.mu.Lock()
	runner.err = nil
	if len(runner.reqs) != runs+2 {
		t.Fatalf("%d runs reached the runner, want %d (refused ones must not)", len(runner.reqs), runs+2)
	}
	runner.mu.Unlock()

	// Resigning ends practice: unrated, no result in the record, no XP.
	var fin matchFinishedJSON
	a.request("match.resign", map[string]any{"match_id": id}, "match.finished").get(&fin)
	if fin.Mode != "practice" || len(fin.Ratings) != 0 || len(fin.XP) != 1 || fin.XP[0].Gained != 0 {
		t.Fatalf("practice finished = %+v", fin)
	}
	m, err := e.st.ArenaMatch(context.Background(), id)
	if err != nil || m.Mode != "practice" || m.State != store.MatchFinished || len(m.Players) != 1 || m.Players[0].Result != "" {
		t.Fatalf("stored practice = %+v, %v", m, err)
	}
	if stats, _ := e.st.ArenaStats(context.Background(), ada.ID); stats.Wins+stats.Losses+stats.Draws != 0 {
		t.Fatalf("practice counted in the record: %+v", stats)
	}
	// Free at once: the next practice starts right after match.finished.
	// A random practice problem (the catalog has one).
	a.request("queue.join", map[string]any{"mode": "practice"}, "match.state").get(&st)
	release()
	if !held.Load() {
		t.Fatal("the practice result was not held between storing and freeing the player")
	}
	if st.Problem == nil || st.Problem.ID != "peak-count" || st.MatchID == id {
		t.Fatalf("random practice = %+v", st)
	}
	a.request("match.resign", map[string]any{"match_id": st.MatchID}, "match.finished")
	a.requestErr("code.run", map[string]any{"match_id": id, "lang": "python", "code": "x"}, "match_not_found")

	// In a ranked match a run goes at ranked priority.
	rid := startRanked(t, a, b)
	b.request("code.run", map[string]any{"match_id": rid, "lang": "python", "code": "print(1)"}, "run.result")
	if r := runner.last(); r.Priority != execution.PriorityRanked || r.MatchID != rid || r.Input != nil {
		t.Fatalf("ranked run request = %+v", r)
	}
}

// TestPracticeXP: practice grants half the solve XP, only for the first
// Accepted on the problem ever, and never a result.
func TestPracticeXP(t *testing.T) {
	s := &Service{}
	t0 := time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)
	snap := match.Snapshot{ID: "p1", State: match.Finished, Solo: true,
		Problem: match.Problem{ID: "peak-count", Difficulty: match.Easy}, StartAt: t0, Deadline: t0.Add(10 * time.Minute),
		Players:     []match.Player{{ID: 7, Accepted: true, Solved: true, Best: 5, BestSeq: 0}},
		Submissions: []match.Submission{{ID: "s1", Player: 7, Received: t0.Add(time.Minute), Judged: true, Passed: 5, Total: 5, Accepted: true}},
		Result:      match.Result{Reason: match.Won, Winner: 7, Standings: []int64{7}}}
	st := []store.ArenaStanding{{Profile: store.Profile{UserID: 7, Rating: 1500, RD: 350, XP: 0}, WinStreak: 3}}
	for _, first := range []bool{true, false} {
		ups, err := s.compute("practice", snap, st, map[int64]bool{7: first}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := int64(0)
		if first {
			want = 15 // half the easy solve XP
		}
		if len(ups) != 1 || ups[0].XP != want || ups[0].Result != "" || ups[0].Rated || ups[0].BestSubmissionID != "s1" {
			t.Fatalf("first solve %v: %+v", first, ups)
		}
	}
}
