package service

import (
	"context"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/store"
)

// slowJudge takes its time to store and queue a submission (a loaded
// database or queue), then judges it Accepted.
type slowJudge struct {
	instantJudge
	delay time.Duration
}

func (j slowJudge) SubmitRanked(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	time.Sleep(j.delay)
	return j.instantJudge.SubmitRanked(ctx, req)
}

func (j slowJudge) Submit(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	return j.SubmitRanked(ctx, req)
}

// TestSlowQueueBeforeDeadline: a submission received before the deadline
// whose storing and queueing ends after it still counts (the deadline is
// held meanwhile), and wins the match; one received after it is refused.
func TestSlowQueueBeforeDeadline(t *testing.T) {
	e := newEnv(t)
	e.fakeJudge = func(n *node) Judger {
		return slowJudge{instantJudge: instantJudge{t: t, st: e.st, n: n}, delay: 6 * time.Second}
	}
	// 4 s of margin for the submission to arrive before the deadline (a
	// loaded machine can stall a second), queued 2 s after it.
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = 15 * time.Second
	n := e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	a, b := connect(t, n, adaTok), connect(t, n, bobTok)
	id := startRanked(t, a, b)
	var snap struct {
		Match struct {
			Deadline string `json:"deadline"`
		} `json:"match"`
	}
	a.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	deadline, err := time.Parse(time.RFC3339Nano, snap.Match.Deadline)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(deadline.Add(-4 * time.Second)))
	a.send("code.submit", "s", map[string]any{"match_id": id, "lang": "python", "code": acceptedSolution(t)})
	if f := a.next(time.Minute, "reply", func(f frame) bool { return f.ID == "s" }); f.Type != "submission.result" {
		t.Fatalf("submission received 4 s before the deadline, queued 2 s after it: %s %s", f.Type, f.Data)
	}
	var fin matchFinishedJSON
	b.expect("match.finished", 10*time.Second).get(&fin)
	if fin.Outcome != "won" || fin.WinnerID == nil || *fin.WinnerID != ada.ID {
		t.Fatalf("finished %+v", fin)
	}
	b.requestErr("code.submit", map[string]any{"match_id": id, "lang": "python", "code": "print(1)"}, "match_not_found")
}
