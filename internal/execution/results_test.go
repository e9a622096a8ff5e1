package execution

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// TestResultHandlersSeeEveryResult: every finished submission reaches the
// result handler with its result, again after the handler failed once,
// even when the handler starts after the result was stored. The handler
// must see what was stored, whatever the verdict (on a starved machine an
// accepted solution can end TLE; that is the judge's business, not this
// test's).
func TestResultHandlersSeeEveryResult(t *testing.T) {
	// The defaults, but the fresh account may have both submissions in
	// flight (no new-account limit).
	lim := DefaultLimits()
	lim.NewAccountAge = 0
	env := startEmbeddedEnv(t, 1, lim)
	c := newClient(t, env.url, "res")
	var ids []string
	for _, f := range []string{"accepted/incl_excl.py", "wrong_answer/no_overlap.py"} {
		id, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", f))
		if status != http.StatusAccepted {
			t.Fatalf("%d %s", status, body)
		}
		ids = append(ids, id)
	}
	stored := map[string]*protocol.SubmissionVerdict{}
	for _, id := range ids {
		stored[id] = c.wait(id, 60*time.Second).Result
	}
	handled, calls := collectResults(t, env, len(ids), 1)
	for _, id := range ids {
		r, s := handled[id], stored[id]
		if s == nil || r.Verdict == "" || string(r.Verdict) != string(s.Verdict) {
			t.Fatalf("handled %v (calls %v), stored %+v: want every stored result", handled, calls, s)
		}
		// The announcement carries the result: no handler reads the store back.
		if r.Passed != s.Passed || r.Total != s.Total || r.Total == 0 || r.UserID == 0 || r.Lang != "python" || r.FinishedAt.IsZero() {
			t.Fatalf("result without its details: %+v, stored %+v", r, s)
		}
	}
}

// collectResults runs a result handler until n results were handled; the
// first failFirst calls for each submission fail (it must be retried).
func collectResults(t *testing.T, env embeddedEnv, n, failFirst int) (map[string]Result, map[string]int) {
	t.Helper()
	var mu sync.Mutex
	calls := map[string]int{}
	handled := map[string]Result{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- HandleResults(ctx, env.e.Service.opt.Bus, env.e.Service.log, func(ctx context.Context, r Result) error {
			mu.Lock()
			defer mu.Unlock()
			calls[r.SubmissionID]++
			if calls[r.SubmissionID] <= failFirst {
				return errors.New("arena not ready")
			}
			handled[r.SubmissionID] = r
			return nil
		})
	}()
	deadline := time.Now().Add(hangOnly(time.Minute)) // a retry comes 0.5 s later; only a lost result waits this long
	for time.Now().Before(deadline) {
		mu.Lock()
		k := len(handled)
		mu.Unlock()
		if k == n {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	return handled, calls
}

// TestResultPublishRetried: while the results stream refuses the
// announcement, the worker retries it; the job is not handed back, so the
// submission is judged once, and its result arrives once the stream is
// back.
func TestResultPublishRetried(t *testing.T) {
	env := startEmbeddedEnv(t, 1, Limits{})
	b := env.e.Service.opt.Bus
	ctx := context.Background()
	if err := b.JS.DeleteStream(ctx, jobs.ResultsStream(b)); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, env.url, "retry")
	id, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", "accepted/incl_excl.py"))
	if status != http.StatusAccepted {
		t.Fatalf("%d %s", status, body)
	}
	c.wait(id, 60*time.Second)
	// The result is stored; the announcement is being retried. Give the
	// worker time for several attempts (each fails at once: no stream).
	time.Sleep(1500 * time.Millisecond)
	if _, err := jobs.EnsureResults(ctx, b); err != nil {
		t.Fatal(err)
	}
	handled, _ := collectResults(t, env, 1, 0)
	if handled[id].Verdict != "AC" {
		t.Fatalf("result after the stream came back: %+v", handled)
	}
	// One delivery of one job: the job was never handed back.
	var deliveries uint64
	for _, p := range []bus.Priority{bus.Ranked, bus.Practice} {
		cons, err := b.JS.Consumer(ctx, b.Names.JudgeStream(), b.Names.JudgeConsumer(p))
		if err != nil {
			t.Fatal(err)
		}
		info, err := cons.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		deliveries += info.Delivered.Consumer
	}
	if deliveries != 1 {
		t.Fatalf("%d deliveries of the judge job; a failed announcement must not hand the job back", deliveries)
	}
}
