package service

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/store"
)

// instantJudge stores each submission and, shortly after, an Accepted
// result with its done event: verdicts without a sandbox.
type instantJudge struct {
	t  *testing.T
	st store.Store
	n  *node
}

func (j instantJudge) SubmitRanked(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	sub, err := j.st.CreateSubmission(ctx, store.NewSubmission{ID: newID(), UserID: req.UserID, ProblemID: req.ProblemID,
		Lang: req.Lang, Source: req.Source, Priority: execution.PriorityRanked, MatchID: req.MatchID, CreatedAt: time.Now()}, 2)
	if err != nil {
		return sub, err
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		stored, _, err := j.st.FinishSubmission(context.Background(), store.SubmissionResult{SubmissionID: sub.ID, Verdict: "AC",
			Passed: 5, Total: 5, FinishedAt: time.Now()})
		if err != nil {
			j.t.Error(err)
			return
		}
		if err := jobs.PublishResult(context.Background(), j.n.bus, jobs.ResultOf(sub, stored)); err != nil {
			j.t.Error(err)
		}
	}()
	return sub, nil
}

func (j instantJudge) Submit(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	return j.SubmitRanked(ctx, req)
}

const testReport = `{"lang":"python","time":"O(n)","space":"O(1)","confidence":0.9,"reason":"one loop","intended":{"time":"O(n)","space":"O(n)"},` +
	`"verdict":"meets","text":"One pass compares each reading with its neighbours.","text_source":"offline",` +
	`"empirical":{"source":"tests","time":"O(n)","time_confidence":0.93,"space":"O(1)","space_confidence":0.8}}`

// TestMatchCoach: a coach report stored after a match ended is pushed as
// match.coach to both players (on two nodes) and the spectators, and is
// part of the snapshot's last_finished and of GET /api/v1/matches/{id};
// announcements that do not concern a revealed solution push nothing.
func TestMatchCoach(t *testing.T) {
	e := newEnv(t)
	e.fakeJudge = func(n *node) Judger { return instantJudge{t: t, st: e.st, n: n} }
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a, b, c := connect(t, n1, adaTok), connect(t, n2, bobTok), connect(t, n2, cydTok)

	id := startRanked(t, a, b)
	c.request("spectate", map[string]any{"match_id": id}, "match.state")
	a.send("code.submit", "s1", map[string]any{"match_id": id, "lang": "python", "code": acceptedSolution(t)})
	var res struct {
		SubmissionID string `json:"submission_id"`
		Verdict      string `json:"verdict"`
	}
	a.next(10*time.Second, "submission.result", func(f frame) bool { return f.ID == "s1" }).get(&res)
	var fin struct {
		Coach []coachJSON `json:"coach"`
	}
	raw := b.expect("match.finished", 10*time.Second)
	raw.get(&fin)
	if res.Verdict != "AC" || len(fin.Coach) != 0 || !json.Valid(raw.Data) || !containsJSON(raw.Data, `"coach":[]`) {
		t.Fatalf("result %+v, finished %s: coach must be [] before a report", res, raw.Data)
	}
	c.expect("match.finished", 5*time.Second)

	publish := func(ev execution.Event) {
		t.Helper()
		b, _ := json.Marshal(ev)
		if err := n2.bus.NC.Publish(n2.bus.Names.UserEvents(ev.UserID), b); err != nil {
			t.Fatal(err)
		}
	}
	cr := e.st
	// Noise first: an unknown match, and an announcement whose report is
	// not readable yet. Neither pushes anything, so the first match.coach
	// everyone sees is the real one.
	publish(execution.Event{Type: execution.CoachEventType, SubmissionID: "nope", UserID: ada.ID, MatchID: "no-such-match", Phase: "done"})
	publish(execution.Event{Type: execution.CoachEventType, SubmissionID: res.SubmissionID, UserID: ada.ID, MatchID: id, Phase: "done"})
	if _, _, err := cr.SaveCoachReport(context.Background(), store.CoachReport{SubmissionID: res.SubmissionID, Status: store.CoachDone,
		Report: []byte(testReport), CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	publish(execution.Event{Type: execution.CoachEventType, SubmissionID: res.SubmissionID, UserID: ada.ID, MatchID: id, Phase: "done"})
	check := func(who string, entries []coachJSON) {
		t.Helper()
		if len(entries) != 1 {
			t.Fatalf("%s: coach = %+v", who, entries)
		}
		e := entries[0]
		if e.UserID != ada.ID || e.SubmissionID != res.SubmissionID || e.Time != "O(n)" || e.Space != "O(1)" || e.IntendedTime != "O(n)" ||
			e.Confidence == nil || *e.Confidence != 0.9 || e.Explanation == "" || !json.Valid(e.Report) {
			t.Fatalf("%s: coach entry = %+v", who, e)
		}
	}
	for name, w := range map[string]*wsClient{"ada": a, "bob": b, "spectator": c} {
		var mc matchCoachJSON
		w.expect("match.coach", 5*time.Second).get(&mc)
		if mc.MatchID != id {
			t.Fatalf("%s: match.coach for %s", name, mc.MatchID)
		}
		check(name, mc.Coach)
	}

	// A reconnecting player gets the result with the report.
	var snap struct {
		Match        any                `json:"match"`
		LastFinished *matchFinishedJSON `json:"last_finished"`
	}
	b.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	if snap.Match != nil || snap.LastFinished == nil || snap.LastFinished.MatchID != id {
		t.Fatalf("snapshot after the match: %+v", snap)
	}
	var lf struct {
		Coach []coachJSON `json:"coach"`
	}
	rawLF, _ := json.Marshal(snap.LastFinished)
	_ = json.Unmarshal(rawLF, &lf)
	check("last_finished", lf.Coach)

	// REST, from either node, signed out.
	resp, err := http.Get(n1.ts.URL + "/api/v1/matches/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rest struct {
		Coach []coachJSON `json:"coach"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rest); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET match: %d %v", resp.StatusCode, err)
	}
	check("REST", rest.Coach)
}

func containsJSON(b []byte, s string) bool {
	return json.Valid(b) && strings.Contains(string(b), s)
}
