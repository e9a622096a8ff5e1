package service

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// scriptJudge judges by the code: code containing "WRONG" passes 3 of 5
// tests, anything else is Accepted; verdicts come through the real
// results stream. With coach set, an Accepted submission's coach report
// is stored (its verdict is coach(code): "meets", "slower", ...; "" none)
// and announced, as a worker does after its analysis: a fake coach.
type scriptJudge struct {
	t     *testing.T
	st    store.Store
	n     *node
	coach func(code string) string
}

func (j scriptJudge) SubmitRanked(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	sub, err := j.st.CreateSubmission(ctx, store.NewSubmission{ID: newID(), UserID: req.UserID, ProblemID: req.ProblemID,
		Lang: req.Lang, Source: req.Source, Priority: execution.PriorityRanked, MatchID: req.MatchID, CreatedAt: time.Now()}, 2)
	if err != nil {
		return sub, err
	}
	code := string(req.Source)
	go func() {
		time.Sleep(50 * time.Millisecond)
		res := store.SubmissionResult{SubmissionID: sub.ID, Verdict: "AC", Passed: 5, Total: 5, FinishedAt: time.Now()}
		if strings.Contains(code, "WRONG") {
			res.Verdict, res.Passed, res.FailedTest = "WA", 3, 4
		}
		stored, _, err := j.st.FinishSubmission(context.Background(), res)
		if err != nil {
			j.t.Error(err)
			return
		}
		if err := jobs.PublishResult(context.Background(), j.n.bus, jobs.ResultOf(sub, stored)); err != nil {
			j.t.Error(err)
		}
		if res.Verdict != "AC" || j.coach == nil {
			return
		}
		v := j.coach(code)
		if v == "" {
			return // never analysed: the measure grace decides
		}
		time.Sleep(200 * time.Millisecond) // the analysis comes after the verdict
		rep := strings.Replace(testReport, `"verdict":"meets"`, `"verdict":"`+v+`"`, 1)
		cr := store.CoachReport{SubmissionID: sub.ID, Status: store.CoachDone, Report: []byte(rep), CreatedAt: time.Now()}
		if v == "failed" {
			cr = store.CoachReport{SubmissionID: sub.ID, Status: store.CoachFailed, Error: "generator crashed", CreatedAt: time.Now()}
		}
		stored2, _, err := j.st.SaveCoachReport(context.Background(), cr)
		if err != nil {
			j.t.Error(err)
			return
		}
		jobs.PublishCoachEvent(j.n.bus, sub, stored2, "fake", time.Now())
	}()
	return sub, nil
}

func (j scriptJudge) Submit(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	return j.SubmitRanked(ctx, req)
}

// submitWait submits code and returns its submission.result.
func submitWait(t *testing.T, w *wsClient, matchID, id, code string) protocol.SubmissionResult {
	t.Helper()
	w.send("code.submit", id, map[string]any{"match_id": matchID, "lang": "python", "code": code})
	var r protocol.SubmissionResult
	f := w.next(10*time.Second, "result of "+id, func(f frame) bool { return f.ID == id })
	if f.Type != "submission.result" {
		t.Fatalf("%s: %s %s", id, f.Type, f.Data)
	}
	f.get(&r)
	return r
}

// TestShortestFreeForAll: three players who chose shortest are grouped
// (a fastest ticket is not), the match says so; an Accepted submission is
// final (already_solved, nothing judged); a wrong answer may be followed
// by another; the match ends when the last player solves, won by the
// fewest non-whitespace characters, and the result shows each solution's
// count; the store and the REST record carry the rule.
func TestShortestFreeForAll(t *testing.T) {
	e := newEnv(t)
	e.fakeJudge = func(n *node) Judger { return scriptJudge{t: t, st: e.st, n: n} }
	mm := matchmaking.Default()
	mm.FFAFillWait = time.Second
	e.opt.Matchmaking = mm
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	var ws []*wsClient
	var ids []int64
	for i, name := range []string{"ada", "bob", "cyd", "dan"} {
		u, tok := e.user(name)
		ids = append(ids, u.ID)
		ws = append(ws, connect(t, []*node{n1, n2}[i%2], tok))
	}
	a, b, c, d := ws[0], ws[1], ws[2], ws[3]
	d.request("queue.join", map[string]any{"mode": "ffa"}, "queue.status")
	// A rule is for ffa only, and bigo is a room's.
	a.requestErr("queue.join", map[string]any{"mode": "casual", "rule": "shortest"}, "invalid_request")
	a.requestErr("queue.join", map[string]any{"mode": "ffa", "rule": "bigo"}, "invalid_request")
	for _, w := range ws[:3] {
		var qs protocol.QueueStatus
		w.request("queue.join", map[string]any{"mode": "ffa", "rule": "shortest"}, "queue.status").get(&qs)
		if qs.Rule == nil || *qs.Rule != protocol.RuleShortest {
			t.Fatalf("queue.status rule %v", qs.Rule)
		}
	}
	var found protocol.MatchFound
	for _, w := range ws[:3] {
		w.expect("match.found", 10*time.Second).get(&found)
		if found.Rule != protocol.RuleShortest || len(found.Players) != 3 {
			t.Fatalf("match.found %+v", found)
		}
	}
	for _, w := range ws[:3] {
		w.send("match.accept", "", map[string]any{"match_id": found.MatchID})
	}
	var ms protocol.MatchState
	for _, w := range ws[:3] {
		w.next(10*time.Second, "running", func(f frame) bool {
			f.get(&ms)
			return f.Type == "match.state" && ms.State == "running"
		})
		if ms.Rule != protocol.RuleShortest || ms.Problem == nil || ms.Problem.Statement == "" {
			t.Fatalf("match.state %+v", ms)
		}
	}
	// The fastest ticket was not grouped with them: still queued.
	d.requestErr("queue.join", map[string]any{"mode": "ffa"}, "already_queued")
	id := found.MatchID

	long := "import sys\n\n\ndef main():\n    print(  1  )\n\n\nmain()\n" // 33 characters
	short := "print(1)\n"                                                 // 8
	mid := "x = 1\nprint( x )\n"                                          // 11
	if match.CountChars(long) != 33 || match.CountChars(short) != 8 || match.CountChars(mid) != 11 {
		t.Fatalf("counts %d %d %d", match.CountChars(long), match.CountChars(short), match.CountChars(mid))
	}
	if r := submitWait(t, a, id, "a1", long); r.Verdict != "AC" {
		t.Fatalf("ada: %+v", r)
	}
	// Final: a shorter one after Accepted is refused, and never judged.
	subsBefore, _ := e.st.UserSubmissions(context.Background(), ids[0], 100)
	a.requestErr("code.submit", map[string]any{"match_id": id, "lang": "python", "code": short}, "already_solved")
	if subs, _ := e.st.UserSubmissions(context.Background(), ids[0], 100); len(subs) != len(subsBefore) {
		t.Fatalf("a refused submission was stored: %d → %d", len(subsBefore), len(subs))
	}
	if r := submitWait(t, b, id, "b1", "WRONG"); r.Verdict != "WA" {
		t.Fatalf("bob: %+v", r)
	}
	if r := submitWait(t, b, id, "b2", short); r.Verdict != "AC" {
		t.Fatalf("bob 2: %+v", r)
	}
	// Two solved, one to go: the match runs on.
	var snap protocol.Snapshot
	a.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	if snap.Match == nil || snap.Match.State != "running" {
		t.Fatalf("after two of three solved: %+v", snap.Match)
	}
	if r := submitWait(t, c, id, "c1", mid); r.Verdict != "AC" {
		t.Fatalf("cyd: %+v", r)
	}
	var fin protocol.MatchFinished
	for _, w := range ws[:3] {
		w.expect("match.finished", 10*time.Second).get(&fin)
	}
	if fin.Rule != protocol.RuleShortest || fin.Outcome != protocol.OutcomeShortest || fin.WinnerID == nil || *fin.WinnerID != ids[1] {
		t.Fatalf("finished %+v", fin)
	}
	chars := map[int64]int{}
	for _, s := range fin.Solutions {
		chars[s.UserID] = s.Chars
		if s.Measure != nil {
			t.Fatalf("a measure outside bigo: %+v", s)
		}
	}
	if chars[ids[0]] != 33 || chars[ids[1]] != 8 || chars[ids[2]] != 11 {
		t.Fatalf("solution characters %v", chars)
	}
	m, err := e.st.ArenaMatch(context.Background(), id)
	if err != nil || m.Rule != "shortest" || m.Reason != "shortest" {
		t.Fatalf("stored %q %q %v", m.Rule, m.Reason, err)
	}
	// Places by characters: bob, cyd, ada.
	place := map[int64]int{}
	for _, p := range m.Players {
		place[p.UserID] = p.Place
	}
	if place[ids[1]] != 1 || place[ids[2]] != 2 || place[ids[0]] != 3 {
		t.Fatalf("places %v", place)
	}
	resp, err := http.Get(n2.ts.URL + "/api/v1/matches/" + id)
	if err != nil {
		t.Fatal(err)
	}
	var rec protocol.MatchRecord
	_ = json.NewDecoder(resp.Body).Decode(&rec)
	resp.Body.Close()
	if rec.Match.Rule != protocol.RuleShortest {
		t.Fatalf("record rule %q", rec.Match.Rule)
	}
}
