package execution

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

// Issue 17, "Judge fairness across accounts": accounts flooding infinite
// loops made an honest player's Accepted wait behind all of them (FIFO
// queue). These tests submit through the real path (HTTP → Service → the
// NATS judge stream) and drain the stream with the workers' own fetcher,
// so they assert the dispatch order itself, never a timing.

const infiniteLoopPy = "while True:\n    pass\n"

// dispatchOrder takes n jobs as an idle one-slot worker would and returns
// their users in the order they were handed out.
func dispatchOrder(t *testing.T, env embeddedEnv, n int) []int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangOnly(time.Minute))
	defer cancel()
	f, err := worker.NewFetcher(ctx, env.e.Bus)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var users []int64
	for range n {
		job, err := f.Next(ctx)
		if err != nil {
			t.Fatalf("after %d jobs (%v): %v", len(users), users, err)
		}
		j, err := jobs.DecodeJob(job.Data())
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, j.UserID)
		if err := job.Done(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return users
}

func userID(t *testing.T, env embeddedEnv, name string) int64 {
	t.Helper()
	u, err := env.st.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestFairShareOneFlooder: one account queues 6 infinite loops, then an
// honest account submits once. The honest job is handed out second at
// worst (behind the flooder's first), not seventh.
func TestFairShareOneFlooder(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 10, MaxQueued: 100, QueueFloor: -1})
	flood := newClient(t, env.url, "flooder")
	for i := range 6 {
		if _, status, body := flood.submit("two-divisors", "python", infiniteLoopPy); status != http.StatusAccepted {
			t.Fatalf("flood submission %d: %d %s", i, status, body)
		}
	}
	honest := newClient(t, env.url, "honest")
	if _, status, body := honest.submit("two-divisors", "python", tinyPy); status != http.StatusAccepted {
		t.Fatalf("honest submission: %d %s", status, body)
	}
	order := dispatchOrder(t, env, 7)
	hid := userID(t, env, "honest")
	pos := indexOf(order, hid)
	if pos < 0 || pos > 1 {
		t.Fatalf("dispatch order %v: the honest job (user %d) came at position %d, want 0 or 1", order, hid, pos)
	}
}

// TestFairShareRoundRobin: three accounts queue 3 infinite loops each,
// then an honest account submits once: the honest job waits for at most
// one job of each flooder (one round), and every account's first job
// goes before any account's second.
func TestFairShareRoundRobin(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 10, MaxQueued: 100, QueueFloor: -1})
	var flooders []*client
	for i := range 3 {
		flooders = append(flooders, newClient(t, env.url, fmt.Sprintf("flooder%d", i)))
	}
	for range 3 {
		for i, c := range flooders {
			if _, status, body := c.submit("two-divisors", "python", infiniteLoopPy); status != http.StatusAccepted {
				t.Fatalf("flooder %d: %d %s", i, status, body)
			}
		}
	}
	honest := newClient(t, env.url, "honest")
	if _, status, body := honest.submit("two-divisors", "python", tinyPy); status != http.StatusAccepted {
		t.Fatalf("honest submission: %d %s", status, body)
	}
	order := dispatchOrder(t, env, 10)
	if pos := indexOf(order, userID(t, env, "honest")); pos < 0 || pos > len(flooders) {
		t.Fatalf("dispatch order %v: the honest job came at position %d, want at most %d", order, pos, len(flooders))
	}
	seen := map[int64]bool{}
	for _, u := range order[:len(flooders)+1] {
		if seen[u] {
			t.Fatalf("dispatch order %v: user %d got a second job before every account got its first", order, u)
		}
		seen[u] = true
	}
}

func indexOf(s []int64, v int64) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// TestQueueDrainBound: without workers the drain bound is the floor; past
// it a practice submission gets 503 judge_saturated with Retry-After.
func TestQueueDrainBound(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 10, MaxQueued: 1000,
		QueueFloor: 2, SaturatedRetry: 3 * time.Second})
	for i := range 2 {
		c := newClient(t, env.url, fmt.Sprintf("player%d", i))
		if _, status, body := c.submit("two-divisors", "python", tinyPy); status != http.StatusAccepted {
			t.Fatalf("submission %d: %d %s", i, status, body)
		}
	}
	time.Sleep(600 * time.Millisecond) // the status cache
	c := newClient(t, env.url, "late")
	status, body, h := c.doH("POST", "/api/v1/submissions", map[string]string{"problem": "two-divisors", "lang": "python", "code": tinyPy})
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") != "3" || !strings.Contains(string(body), "judge_saturated") {
		t.Fatalf("past the drain bound: %d %s Retry-After %q", status, body, h.Get("Retry-After"))
	}
}

// TestDrainPerMinute: the bound follows the healthy workers' slots and
// recent job durations, never below the floor.
func TestDrainPerMinute(t *testing.T) {
	st := Status{Workers: []WorkerInfo{
		{Healthy: true, Slots: 2, JobSeconds: 1.5}, // 80 a minute
		{Healthy: true, Slots: 1},                  // no job yet: 1 s a job, 60
		{Healthy: false, Slots: 8, JobSeconds: 0.1},
	}}
	if got := st.DrainPerMinute(); got != 140 {
		t.Fatalf("DrainPerMinute = %d, want 140", got)
	}
	if got := st.QueueBound(20); got != 140 {
		t.Fatalf("QueueBound(20) = %d, want 140", got)
	}
	slow := Status{Workers: []WorkerInfo{{Healthy: true, Slots: 1, JobSeconds: 30}}} // 2 a minute
	if got := slow.QueueBound(20); got != 20 {
		t.Fatalf("QueueBound under the floor = %d, want the floor 20", got)
	}
	if got := slow.QueueBound(-1); got != 0 {
		t.Fatalf("QueueBound(-1) = %d, want 0 (no bound)", got)
	}
}

// TestSubmitPerIP: several accounts behind one address share its bucket;
// past it a third account is refused with rate_limited.
func TestSubmitPerIP(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 10, MaxQueued: 100,
		SubmitPerIP: ratelimit.Rate{Burst: 2, PerSec: 0.001}})
	for i := range 3 {
		c := newClient(t, env.url, fmt.Sprintf("acct%d", i))
		_, status, body := c.submit("two-divisors", "python", tinyPy)
		if i < 2 && status != http.StatusAccepted {
			t.Fatalf("account %d: %d %s", i, status, body)
		}
		if i == 2 && (status != http.StatusTooManyRequests || !strings.Contains(string(body), "rate_limited") ||
			!strings.Contains(string(body), "address")) {
			t.Fatalf("third account on the address: %d %s, want 429 rate_limited", status, body)
		}
	}
}

// TestNewAccountInFlight: an account younger than NewAccountAge has one
// submission in flight, not MaxInFlight.
func TestNewAccountInFlight(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 5, MaxQueued: 100,
		NewAccountAge: time.Hour, NewAccountInFlight: 1})
	c := newClient(t, env.url, "fresh")
	if _, status, body := c.submit("two-divisors", "python", tinyPy); status != http.StatusAccepted {
		t.Fatalf("first: %d %s", status, body)
	}
	if _, status, body := c.submit("two-divisors", "python", tinyPy); status != http.StatusTooManyRequests || !strings.Contains(string(body), "judge_busy") {
		t.Fatalf("second submission of a new account: %d %s, want 429 judge_busy", status, body)
	}
}

// TestFairShareByJudgeTime: an account with one submission at a time
// (as new accounts are) whose last program ran to the time limit queues
// its next infinite loop before an honest account submits: the honest
// job goes first, because the flooder spent its judge time (the weight of
// the fair share), however few jobs it has in flight.
func TestFairShareByJudgeTime(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 1, MaxQueued: 100, QueueFloor: -1})
	ctx := context.Background()
	flood := newClient(t, env.url, "flooder")
	first, status, body := flood.submit("two-divisors", "python", infiniteLoopPy)
	if status != http.StatusAccepted {
		t.Fatalf("flood submission: %d %s", status, body)
	}
	fid := userID(t, env, "flooder")
	if order := dispatchOrder(t, env, 1); order[0] != fid {
		t.Fatalf("dispatched %v", order)
	}
	// What a worker does when the loop hits the time limit after 3 s:
	// stores the verdict and charges the wall time beyond the estimate.
	if _, _, err := env.st.FinishSubmission(ctx, store.SubmissionResult{SubmissionID: first, Verdict: "TLE"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.e.Service.Limiter().Spend(ctx, jobs.UsageKey(fid), jobs.UsageRate, 3-jobs.UsageEstimate); err != nil {
		t.Fatal(err)
	}
	if _, status, body := flood.submit("two-divisors", "python", infiniteLoopPy); status != http.StatusAccepted {
		t.Fatalf("second flood submission: %d %s", status, body)
	}
	honest := newClient(t, env.url, "honest")
	if _, status, body := honest.submit("two-divisors", "python", tinyPy); status != http.StatusAccepted {
		t.Fatalf("honest submission: %d %s", status, body)
	}
	if order := dispatchOrder(t, env, 2); order[0] != userID(t, env, "honest") {
		t.Fatalf("dispatch order %v: the flooder (user %d) went before the honest account", order, fid)
	}
}
