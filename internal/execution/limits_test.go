package execution

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

const tinyPy = "print(0)\n"

// TestUserLimits: the token bucket answers 429 with Retry-After, the
// in-flight cap 429 too, and one user's limits leave another alone. No
// workers run, so everything accepted stays in flight.
func TestUserLimits(t *testing.T) {
	// One token per 100 s: the five submissions below would have to take
	// that long for a refill to change the answers.
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 3, PerSec: 0.01}, MaxInFlight: 5, MaxQueued: 100})
	flood := newClient(t, env.url, "flood")
	var codes []int
	var retry string
	for range 5 {
		_, status, body := flood.submit("two-divisors", "python", tinyPy)
		codes = append(codes, status)
		if status == http.StatusTooManyRequests {
			_, _, h := flood.doH("POST", "/api/v1/submissions", map[string]string{"problem": "two-divisors", "lang": "python", "code": tinyPy})
			retry = h.Get("Retry-After")
			if !strings.Contains(string(body), "rate_limited") {
				t.Errorf("429 body %s", body)
			}
		}
	}
	if codes[0] != 202 || codes[1] != 202 || codes[2] != 202 || codes[3] != 429 || codes[4] != 429 {
		t.Fatalf("statuses %v, want 3×202 then 429", codes)
	}
	if n, err := strconv.Atoi(retry); err != nil || n < 1 || n > 101 {
		t.Fatalf("Retry-After %q, want 1..101 s", retry)
	}
	// The bucket's last token sends the job to the low queue: a player
	// spending faster than the refill waits behind everyone else.
	time.Sleep(600 * time.Millisecond) // the status cache
	st, err := env.e.Service.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p, a := st.PracticeWaiting(), st.Queues[PriorityAnalysis].Pending; p != 2 || a != 1 {
		t.Fatalf("queued practice %d, low %d; want 2 and 1", p, a)
	}
	// The second one waits in the repeat lane (its first was in flight).
	if first, repeat := st.Queues[PriorityPractice].Pending, st.Queues[bus.PracticeRepeat.String()].Pending; first != 1 || repeat != 1 {
		t.Fatalf("practice lanes: first %d, repeat %d; want 1 and 1", first, repeat)
	}
	// The in-flight cap: a generous bucket, a cap of 2.
	env2 := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 2, MaxQueued: 100})
	c := newClient(t, env2.url, "capped")
	for i := range 3 {
		_, status, body := c.submit("two-divisors", "python", tinyPy)
		want := http.StatusAccepted
		if i == 2 {
			want = http.StatusTooManyRequests
			if !strings.Contains(string(body), "judge_busy") {
				t.Errorf("body %s", body)
			}
		}
		if status != want {
			t.Fatalf("submission %d: %d %s, want %d", i, status, body, want)
		}
	}
	other := newClient(t, env2.url, "honest")
	if _, status, body := other.submit("two-divisors", "python", tinyPy); status != http.StatusAccepted {
		t.Fatalf("another user was limited: %d %s", status, body)
	}
}

// TestQueueSaturation: over the global cap practice submissions get 503 +
// Retry-After; ranked ones still go through.
func TestQueueSaturation(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 100, MaxQueued: 3,
		SaturatedRetry: 7 * time.Second})
	c := newClient(t, env.url, "sat")
	for range 3 {
		if _, status, body := c.submit("two-divisors", "python", tinyPy); status != http.StatusAccepted {
			t.Fatalf("%d %s", status, body)
		}
	}
	time.Sleep(600 * time.Millisecond) // the status cache
	status, body, h := c.doH("POST", "/api/v1/submissions", map[string]string{"problem": "two-divisors", "lang": "python", "code": tinyPy})
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") != "7" || !strings.Contains(string(body), "judge_saturated") {
		t.Fatalf("over the cap: %d %s Retry-After %q", status, body, h.Get("Retry-After"))
	}
	sub, err := env.e.Service.SubmitRanked(context.Background(), SubmitRequest{UserID: 1, ProblemID: "two-divisors", Lang: "python", Source: []byte(tinyPy), MatchID: "m1"})
	if err != nil || sub.Priority != PriorityRanked {
		t.Fatalf("ranked submission refused under a practice flood: %v", err)
	}
}

// TestRankedServedFirst: with practice jobs waiting, a ranked job queued
// last is judged first.
func TestRankedServedFirst(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 100, MaxQueued: 100})
	c := newClient(t, env.url, "prio")
	src := solution(t, "two-divisors", "accepted/incl_excl.py")
	var practice []string
	for range 3 {
		id, status, body := c.submit("two-divisors", "python", src)
		if status != http.StatusAccepted {
			t.Fatalf("%d %s", status, body)
		}
		practice = append(practice, id)
	}
	ranked, err := env.e.Service.SubmitRanked(context.Background(), SubmitRequest{UserID: 1, ProblemID: "two-divisors", Lang: "python", Source: []byte(src), MatchID: "m7"})
	if err != nil {
		t.Fatal(err)
	}
	startWorker(t, env, 1)
	r := c.wait(ranked.ID, 60*time.Second)
	p := c.wait(practice[0], 60*time.Second)
	// Protocol times sort as strings; one slot judges one job at a time,
	// so the two are a whole judging (well over the 1 ms resolution) apart.
	if r.Result.FinishedAt >= p.Result.FinishedAt {
		t.Fatalf("ranked finished at %v, first practice at %v; want ranked first", r.Result.FinishedAt, p.Result.FinishedAt)
	}
}

// startWorker starts one more worker; its metrics go to the registry
// returned.
func startWorker(t *testing.T, env embeddedEnv, slots int) (*worker.Worker, *prometheus.Registry) {
	t.Helper()
	dir := t.TempDir()
	removeSandboxDirs(t, dir)
	reg := prometheus.NewRegistry()
	w, err := worker.NewFromConfig(context.Background(), worker.Config{Bus: env.e.Bus, Store: env.st, DataDir: dir,
		Slots: slots, Runtime: "runc", Logger: testLogger(t), Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return w, reg
}

// TestDuplicateDeliveryKeepsOneResult: a job delivered again after its
// result was stored is acknowledged without judging or a second result.
func TestDuplicateDeliveryKeepsOneResult(t *testing.T) {
	env := startEmbeddedEnv(t, 1, Limits{})
	c := newClient(t, env.url, "dup")
	id, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", "accepted/incl_excl.py"))
	if status != http.StatusAccepted {
		t.Fatalf("%d %s", status, body)
	}
	first := c.wait(id, 60*time.Second)
	sub, err := env.st.Submission(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	job := jobs.Job{SubmissionID: id, UserID: sub.UserID, Lang: sub.Lang, Priority: PriorityPractice,
		Problem: ProblemRef{ID: sub.ProblemID, SHA256: sub.ProblemSHA256}}
	// A different message id: the server's dedup window must not hide it.
	if _, err := env.e.Bus.PublishJob(context.Background(), bus.Practice, id+"-again", job.Encode()); err != nil {
		t.Fatal(err)
	}
	waitQueueEmpty(t, env.e.Service)
	after, err := env.st.Submission(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if after.Attempts != 1 || protocol.Time(after.Result.FinishedAt) != first.Result.FinishedAt || after.Result.Verdict != "AC" {
		t.Fatalf("after a duplicate delivery: attempts %d, result %+v (first finished %v)", after.Attempts, after.Result, first.Result.FinishedAt)
	}
}

// TestBoundedRedeliveriesEndInIE: a job no worker can judge (its package
// is missing) ends as IE after MaxDeliver deliveries instead of staying
// queued.
func TestBoundedRedeliveriesEndInIE(t *testing.T) {
	env := startEmbeddedEnv(t, 1, Limits{})
	c := newClient(t, env.url, "ghost")
	ctx := context.Background()
	sub, err := env.st.CreateSubmission(ctx, store.NewSubmission{ID: jobs.NewID(), UserID: 1, ProblemID: "ghost",
		ProblemSHA256: strings.Repeat("ab", 32), Lang: "python", Source: []byte(tinyPy), Priority: PriorityPractice}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.e.Service.enqueue(ctx, sub); err != nil {
		t.Fatal(err)
	}
	got := c.wait(sub.ID, 90*time.Second)
	if got.Result.Verdict != protocol.Verdict(judge.IE) || !strings.Contains(got.Result.Message, "giving up") {
		t.Fatalf("result %+v, want IE giving up", got.Result)
	}
	if got.Attempts != env.e.Bus.Config.MaxDeliver {
		t.Fatalf("%d attempts, want %d", got.Attempts, env.e.Bus.Config.MaxDeliver)
	}
}

// TestSweeperRepublishesLostJobs: a submission stored but never published
// (API node died in between) is republished and judged; one past the
// give-up age ends as IE.
func TestSweeperRepublishesLostJobs(t *testing.T) {
	env := startEmbeddedEnv(t, 1, Limits{})
	c := newClient(t, env.url, "sweep")
	ctx := context.Background()
	ref, err := Resolve(ctx, env.e.Service.opt.Catalog, "two-divisors", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.e.Service.pkgs.Publish(ctx, ref); err != nil {
		t.Fatal(err)
	}
	mk := func(age time.Duration) store.Submission {
		s, err := env.st.CreateSubmission(ctx, store.NewSubmission{ID: jobs.NewID(), UserID: 1, ProblemID: ref.ID,
			ProblemSHA256: ref.SHA256, Lang: "python", Source: []byte(solution(t, "two-divisors", "accepted/incl_excl.py")),
			Priority: PriorityPractice, CreatedAt: time.Now().Add(-age)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	lost, ancient := mk(10*time.Minute), mk(2*time.Hour)
	if err := env.e.Service.Sweep(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := c.wait(lost.ID, 60*time.Second); got.Result.Verdict != "AC" {
		t.Fatalf("republished: %+v", got.Result)
	}
	if got := c.wait(ancient.ID, 10*time.Second); got.Result.Verdict != protocol.Verdict(judge.IE) {
		t.Fatalf("ancient: %+v", got.Result)
	}
}

// TestPerIPLimitsUnauthenticated: requests without a session are limited
// per address (401, then 429 + Retry-After); signed-in players from the
// same address are not.
func TestPerIPLimitsUnauthenticated(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 100, MaxQueued: 100,
		PerIP: ratelimit.Rate{Burst: 3, PerSec: 0.1}})
	player := newClient(t, env.url, "behindproxy")
	anon := &client{t: t, base: env.url, hc: http.DefaultClient}
	var codes []int
	for range 5 {
		status, _, h := anon.doH("GET", "/api/v1/submissions/x", nil)
		codes = append(codes, status)
		if status == http.StatusTooManyRequests && h.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	}
	if fmt.Sprint(codes) != "[401 401 401 429 429]" {
		t.Fatalf("anonymous statuses %v, want 3×401 then 429", codes)
	}
	for range 5 {
		if status, body := player.do("GET", "/api/v1/submissions", nil); status != http.StatusOK {
			t.Fatalf("signed-in player from the same address: %d %s", status, body)
		}
	}
}
