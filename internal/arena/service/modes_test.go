package service

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/httpapi"
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

// framesOf is every frame w received so far (read or not).
func framesOf(w *wsClient) []frame {
	w.mu.Lock()
	out := append([]frame(nil), w.seen...)
	w.mu.Unlock()
	for {
		select {
		case f := <-w.frames:
			out = append(out, f)
		default:
			return out
		}
	}
}

// pageOnly is the catalog's problem page for the fixed test set (the
// arena's tests run without the database catalog).
type pageOnly struct {
	httpapi.Problems // only Page is called
	cat              *Playable
}

func readAll(resp *http.Response) (string, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func (p pageOnly) Page(ctx context.Context, id string, version int, lang string) (protocol.ProblemPage, error) {
	info, ok := p.cat.Get(id)
	if !ok {
		return protocol.ProblemPage{}, errcode.New(errcode.NotFound, "no such problem")
	}
	return protocol.ProblemPage{ID: id, Name: info.Title, Statement: info.Statement}, nil
}

// TestReverseHidesStatement: in a reverse room the statement never
// reaches a player during the match (no WebSocket frame contains it, the
// problem page is refused to them with problem_in_match while signed-out
// readers still get it), only the samples; after the match it is back.
func TestReverseHidesStatement(t *testing.T) {
	e := newEnv(t)
	e.fakeJudge = func(n *node) Judger { return scriptJudge{t: t, st: e.st, n: n} }
	n1, n2 := e.addNode(), e.addNode()
	for _, n := range []*node{n1, n2} {
		n.api.MountProblems(pageOnly{cat: e.cat})
	}
	e.waitLeader()
	ada, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	a, b := connect(t, n1, adaTok), connect(t, n2, bobTok)
	var room protocol.RoomState
	a.request("room.create", map[string]any{"max_players": 2, "rule": "reverse"}, "room.state").get(&room)
	if room.Rule != protocol.RuleReverse {
		t.Fatalf("room %+v", room)
	}
	a.requestErr("room.create", map[string]any{"max_players": 2, "rule": "golf"}, "invalid_request")
	b.request("room.join", map[string]any{"code": room.Code}, "room.state")
	var ms protocol.MatchState
	a.request("room.start", map[string]any{}, "match.state").get(&ms)
	id := ms.MatchID
	for _, w := range []*wsClient{a, b} {
		w.next(10*time.Second, "running", func(f frame) bool {
			f.get(&ms)
			return f.Type == "match.state" && ms.State == "running"
		})
		if ms.Rule != protocol.RuleReverse || ms.Problem == nil || ms.Problem.Statement != "" || !ms.Problem.StatementHidden ||
			len(ms.Problem.Samples) == 0 {
			t.Fatalf("reverse match.state problem %+v", ms.Problem)
		}
	}
	// A reconnecting player's snapshot hides it too.
	var snap protocol.Snapshot
	b.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	if snap.Match == nil || snap.Match.Problem == nil || snap.Match.Problem.Statement != "" {
		t.Fatalf("snapshot problem %+v", snap.Match)
	}
	info, _ := e.cat.Get(ms.Problem.ID)
	page := func(cookie string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", n2.ts.URL+"/api/v1/problems/"+ms.Problem.ID, nil)
		if cookie != "" {
			req.Header.Set("Cookie", "sf_session="+cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := readAll(resp)
		if resp.StatusCode == http.StatusOK && !strings.Contains(body, "statement") {
			t.Fatalf("page without statement: %s", body)
		}
		if resp.StatusCode != http.StatusOK && (strings.Contains(body, info.Statement[:40]) || !strings.Contains(body, "problem_in_match")) {
			t.Fatalf("refusal %d: %s", resp.StatusCode, body)
		}
		return resp.StatusCode
	}
	if got := page(adaTok); got != http.StatusConflict {
		t.Fatalf("a player's problem page during the reverse match: %d", got)
	}
	if got := page(""); got != http.StatusOK {
		t.Fatalf("signed-out problem page: %d", got)
	}
	// Reverse scores as fastest.
	if r := submitWait(t, a, id, "a1", "print(1)"); r.Verdict != "AC" {
		t.Fatalf("%+v", r)
	}
	var fin protocol.MatchFinished
	b.expect("match.finished", 10*time.Second).get(&fin)
	if fin.Rule != protocol.RuleReverse || fin.Outcome != protocol.OutcomeWon || fin.WinnerID == nil || *fin.WinnerID != ada.ID {
		t.Fatalf("finished %+v", fin)
	}
	// No frame of the match carried the statement (as JSON encodes it).
	enc, _ := json.Marshal(info.Statement)
	probe := string(enc[len(enc)/2 : len(enc)/2+40])
	for name, w := range map[string]*wsClient{"ada": a, "bob": b} {
		for _, f := range framesOf(w) {
			if strings.Contains(string(f.Data), probe) {
				t.Fatalf("%s got the statement in %s: %.200s", name, f.Type, f.Data)
			}
		}
	}
	if got := page(adaTok); got != http.StatusOK {
		t.Fatalf("the page after the match: %d", got)
	}
}

// TestBigODuel: a bigo room is a duel on a problem with an intended
// class; the quadratic solution (Accepted first, measured slower by the
// fake coach) does not win, the n log n one (Accepted later, measured
// meets) does; the result carries both measures and the coach's reports
// (their growth curves). A measurement that never comes falls back to
// Accepted after the measure grace.
func TestBigODuel(t *testing.T) {
	coach := func(code string) string {
		switch {
		case strings.Contains(code, "QUADRATIC"):
			return "slower"
		case strings.Contains(code, "NLOGN"):
			return "meets"
		}
		return "" // never analysed
	}
	t.Run("quadratic loses to n log n", func(t *testing.T) {
		e := newEnv(t)
		e.fakeJudge = func(n *node) Judger { return scriptJudge{t: t, st: e.st, n: n, coach: coach} }
		n1, n2 := e.addNode(), e.addNode()
		e.waitLeader()
		ada, adaTok := e.user("ada")
		bob, bobTok := e.user("bob")
		a, b := connect(t, n1, adaTok), connect(t, n2, bobTok)
		a.requestErr("room.create", map[string]any{"max_players": 3, "rule": "bigo"}, "invalid_request")
		var room protocol.RoomState
		a.request("room.create", map[string]any{"max_players": 2, "rule": "bigo"}, "room.state").get(&room)
		b.request("room.join", map[string]any{"code": room.Code}, "room.state")
		var ms protocol.MatchState
		a.request("room.start", map[string]any{}, "match.state").get(&ms)
		id := ms.MatchID
		if ms.Rule != protocol.RuleBigO {
			t.Fatalf("rule %q", ms.Rule)
		}
		a.next(10*time.Second, "running", func(f frame) bool {
			f.get(&ms)
			return f.Type == "match.state" && ms.State == "running"
		})
		if r := submitWait(t, a, id, "q", "# QUADRATIC\nprint(1)"); r.Verdict != "AC" {
			t.Fatalf("%+v", r)
		}
		// Accepted, then measured slower: no win, the match runs on.
		waitMeasure(t, e, id, match.MeasureSlower)
		// Both players are told (opponent.progress measure), so the loser knows to do better.
		for _, w := range []*wsClient{a, b} {
			w.next(10*time.Second, "measure slower", func(f frame) bool {
				var p protocol.OpponentProgress
				f.get(&p)
				return f.Type == "opponent.progress" && p.UserID == ada.ID && p.Measure != nil && *p.Measure == protocol.MeasureSlower
			})
		}
		var snap protocol.Snapshot
		a.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
		if snap.Match == nil || snap.Match.State != "running" {
			t.Fatalf("after the slower solution: %+v", snap.Match)
		}
		if r := submitWait(t, b, id, "n", "# NLOGN\nprint(1)"); r.Verdict != "AC" {
			t.Fatalf("%+v", r)
		}
		var fin protocol.MatchFinished
		a.expect("match.finished", 10*time.Second).get(&fin)
		if fin.Rule != protocol.RuleBigO || fin.Outcome != protocol.OutcomeWon || fin.WinnerID == nil || *fin.WinnerID != bob.ID {
			t.Fatalf("finished %+v", fin)
		}
		measures := map[int64]protocol.Measure{}
		for _, s := range fin.Solutions {
			if s.Measure != nil {
				measures[s.UserID] = *s.Measure
			}
		}
		if measures[ada.ID] != protocol.MeasureSlower || measures[bob.ID] != protocol.MeasureMeets {
			t.Fatalf("measures %v", measures)
		}
		if len(fin.Coach) != 2 {
			t.Fatalf("coach reports %+v: the result shows both growth curves", fin.Coach)
		}
	})
	t.Run("no measurement falls back to Accepted", func(t *testing.T) {
		e := newEnv(t)
		e.opt.Match.MeasureGrace = time.Second
		e.fakeJudge = func(n *node) Judger { return scriptJudge{t: t, st: e.st, n: n, coach: coach} }
		n1 := e.addNode()
		e.waitLeader()
		ada, adaTok := e.user("ada")
		_, bobTok := e.user("bob")
		a, b := connect(t, n1, adaTok), connect(t, n1, bobTok)
		var room protocol.RoomState
		a.request("room.create", map[string]any{"max_players": 2, "rule": "bigo"}, "room.state").get(&room)
		b.request("room.join", map[string]any{"code": room.Code}, "room.state")
		var ms protocol.MatchState
		a.request("room.start", map[string]any{}, "match.state").get(&ms)
		a.next(10*time.Second, "running", func(f frame) bool {
			f.get(&ms)
			return f.Type == "match.state" && ms.State == "running"
		})
		if r := submitWait(t, a, ms.MatchID, "x", "print(1)"); r.Verdict != "AC" {
			t.Fatalf("%+v", r)
		}
		var fin protocol.MatchFinished
		b.expect("match.finished", 10*time.Second).get(&fin)
		if fin.WinnerID == nil || *fin.WinnerID != ada.ID || len(fin.Solutions) == 0 || fin.Solutions[0].Measure == nil ||
			*fin.Solutions[0].Measure != protocol.MeasureInconclusive {
			t.Fatalf("finished %+v", fin)
		}
	})
}

// waitMeasure waits until the stored snapshot of match id has a
// submission measured m.
func waitMeasure(t *testing.T, e *env, id string, m match.Measure) {
	t.Helper()
	deadline := time.Now().Add(hangOnly)
	for time.Now().Before(deadline) {
		am, err := e.st.ArenaMatch(context.Background(), id)
		if err == nil {
			var x matchExtras
			_ = json.Unmarshal(am.Snapshot, &x)
			for _, s := range x.Match.Submissions {
				if s.Measure == m {
					return
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no submission of %s measured %s", id, m)
}
