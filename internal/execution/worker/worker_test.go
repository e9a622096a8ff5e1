package worker

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/bus/bustest"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/sandbox"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// Tests of the worker's own parts, on an in-process NATS and SQLite; the
// whole pipeline (API side, workers, HTTP) is tested in package execution.

func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("SEGFAULT_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// testBus is a bus on an in-process NATS server for one test.
func testBus(t testing.TB) *bus.Bus {
	t.Helper()
	b, err := bus.Setup(context.Background(), bustest.Conn(t, bustest.Server(t)), bus.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func openSQLite(t testing.TB, path string) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testJudge judges without a sandbox (these tests never run code).
func testJudge(t testing.TB) *judge.Judge {
	t.Helper()
	j, err := judge.New(sandbox.NewBare(t.TempDir()), nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// coachEvents collects the coach events published on the user subjects.
func coachEvents(t *testing.T, b *bus.Bus) func() []jobs.Event {
	var mu sync.Mutex
	var evs []jobs.Event
	sub, err := b.NC.Subscribe(b.Names.AllUserEvents(), func(m *nats.Msg) {
		var ev jobs.Event
		if json.Unmarshal(m.Data, &ev) == nil && ev.Type == jobs.CoachEventType {
			mu.Lock()
			evs = append(evs, ev)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.Unsubscribe() })
	return func() []jobs.Event {
		mu.Lock()
		defer mu.Unlock()
		return append([]jobs.Event(nil), evs...)
	}
}

// settled waits until events has at least n events (a minute: only a lost
// one waits that long), then 200 ms more so that an extra one would show.
func settled(t *testing.T, events func() []jobs.Event, n int) []jobs.Event {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); len(events()) < n && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	return events()
}

// TestProblemForScalesByLanguage: a worker's problem is scaled for the
// submission's language id (aliases resolved), other languages keep the
// base limit, and the cached problem is never modified.
func TestProblemForScalesByLanguage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := testBus(t)
	dir := filepath.Join(repoRoot(t), "problems", "two-divisors") // time_limit: 1
	sha, err := problem.ContentHash(dir)
	if err != nil {
		t.Fatal(err)
	}
	ref := jobs.ProblemRef{ID: "two-divisors", SHA256: sha, Dir: dir}
	api, err := jobs.NewPackages(ctx, b, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Publish(ctx, ref); err != nil {
		t.Fatal(err)
	}
	pkgs, err := jobs.NewPackages(ctx, b, filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := judge.New(sandbox.NewBare(t.TempDir()), nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	w := &Worker{pkgs: pkgs, opt: Options{Judge: j, TimeMultipliers: problem.LanguageMultipliers{"python": 3, "java": 1.5}}}
	ref.Dir = ""
	for _, c := range []struct {
		lang string
		want time.Duration
	}{
		{"python", 3 * time.Second},
		{"py3", 3 * time.Second}, // alias of python
		{"PYTHON", 3 * time.Second},
		{"java", 1500 * time.Millisecond},
		{"cpp", time.Second},
		{"cobol", time.Second}, // unknown: base limit, the judge refuses the language
	} {
		p, err := w.problemFor(ctx, ref, c.lang)
		if err != nil {
			t.Fatal(err)
		}
		if p.TimeLimit != c.want {
			t.Errorf("%s: time limit %v, want %v", c.lang, p.TimeLimit, c.want)
		}
	}
	base, err := pkgs.Load(ctx, ref)
	if err != nil || base.TimeLimit != time.Second {
		t.Fatalf("cached problem changed: %v, %v", base.TimeLimit, err)
	}
	w.opt.TimeMultipliers = nil
	if p, _ := w.problemFor(ctx, ref, "python"); p != base {
		t.Error("without multipliers the cached problem itself is judged (no copy)")
	}
}

// TestFetcherRankedBeforeAnalysis: with analysis jobs queued first, a
// ranked job (then a practice job) is taken before any of them, and a
// slot that may not take low jobs never gets one.
func TestFetcherRankedBeforeAnalysis(t *testing.T) {
	ctx := context.Background()
	b := testBus(t)
	f, err := newFetcher(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	for i := range 3 {
		j := jobs.Job{Kind: jobs.JobAnalysis, SubmissionID: "a" + string(rune('0'+i)), Problem: jobs.ProblemRef{ID: "p", SHA256: "x"}}
		if _, err := b.PublishJob(ctx, bus.Analysis, "an-"+j.SubmissionID, j.Encode()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.PublishJob(ctx, bus.Practice, "pr", jobs.Job{SubmissionID: "pr", Problem: jobs.ProblemRef{ID: "p", SHA256: "x"}}.Encode()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.PublishJob(ctx, bus.Ranked, "rk", jobs.Job{SubmissionID: "rk", Problem: jobs.ProblemRef{ID: "p", SHA256: "x"}}.Encode()); err != nil {
		t.Fatal(err)
	}
	var low bool
	claim := func(bus.Priority) bool { low = true; return true }
	release := func(bus.Priority) { low = false }
	var order []string
	for range 5 {
		job, err := f.next(ctx, 100*time.Millisecond, claim, release, func(bus.Priority) {})
		if err != nil {
			t.Fatal(err)
		}
		j, err := jobs.DecodeJob(job.Data())
		if err != nil {
			t.Fatal(err)
		}
		order = append(order, job.Priority.String()+":"+j.SubmissionID)
		_ = job.Done(ctx)
	}
	want := []string{"ranked:rk", "practice:pr", "analysis:a0", "analysis:a1", "analysis:a2"}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order = %v, want %v", order, want)
		}
	}
	if !low {
		t.Fatal("the low claim was not kept while holding an analysis job")
	}

	// A slot that may not claim the low queue never receives from it.
	if _, err := b.PublishJob(ctx, bus.Analysis, "an-late", jobs.Job{Kind: jobs.JobAnalysis, SubmissionID: "late", Problem: jobs.ProblemRef{ID: "p", SHA256: "x"}}.Encode()); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 700*time.Millisecond)
	defer cancel()
	if job, err := f.next(cctx, 100*time.Millisecond, func(bus.Priority) bool { return false }, func(bus.Priority) {}, func(bus.Priority) {}); err == nil {
		t.Fatalf("got %s job without the low claim", job.Priority)
	}
}

// TestCoachQueueFullSkips: past Coach.MaxQueued waiting analyses an
// accepted submission gets a failed "busy" report instead of a job, so
// analyses never fill the queue the practice saturation check counts.
func TestCoachQueueFullSkips(t *testing.T) {
	ctx := context.Background()
	b := testBus(t)
	st := openSQLite(t, filepath.Join(t.TempDir(), "db.sqlite"))
	reg := prometheus.NewRegistry()
	w, err := New(ctx, Options{Bus: b, Store: st, Judge: testJudge(t), CacheDir: t.TempDir(), Slots: 1,
		Logger: testLogger(t), Registry: reg, Coach: CoachOptions{MaxQueued: 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.fetch.close()
	events := coachEvents(t, b)
	u, err := st.CreateUser(ctx, store.NewUser{Username: "crowd", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var subs []store.Submission
	for i := range 3 {
		sub, err := st.CreateSubmission(ctx, store.NewSubmission{ID: "ac" + string(rune('0'+i)), UserID: u.ID,
			ProblemID: "two-divisors", ProblemSHA256: "ab", Lang: "python", Source: []byte("print(1)\n"),
			Priority: jobs.PriorityPractice, CreatedAt: time.Now()}, 0)
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
		if i == 2 {
			// The consumer's pending count follows the stream a moment
			// later: the cap is soft by that much.
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				if info, err := w.fetch.consumers[bus.Analysis].Info(ctx); err == nil && info.NumPending == 2 {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		w.enqueueAnalysis(ctx, w.log, sub) // no worker runs: they wait
	}
	cr := st
	for _, sub := range subs[:2] {
		if _, err := cr.CoachReport(ctx, sub.ID); err == nil {
			t.Fatalf("%s has a report while its analysis is queued", sub.ID)
		}
	}
	rep, err := cr.CoachReport(ctx, subs[2].ID)
	if err != nil || rep.Status != store.CoachFailed || rep.Error == "" {
		t.Fatalf("third analysis over the cap: %+v, %v; want a failed busy report", rep, err)
	}
	d, err := b.QueueDepth(ctx)
	if err != nil || d[bus.Analysis].Pending != 2 {
		t.Fatalf("analysis queue %+v, %v; want 2 waiting", d[bus.Analysis], err)
	}
	if n := counterValue(t, w.analyses.WithLabelValues("skipped")); n != 1 {
		t.Fatalf("skipped = %v, want 1", n)
	}
	if evs := settled(t, events, 1); len(evs) != 1 || evs[0].SubmissionID != subs[2].ID {
		t.Fatalf("events = %+v", evs)
	}
}

// TestLowQueueClaim: only one slot at a time, and only on an otherwise
// idle worker, may take a low-priority job.
func TestLowQueueClaim(t *testing.T) {
	var w Worker
	if !w.claimLow() {
		t.Fatal("idle worker refused the low queue")
	}
	if w.claimLow() {
		t.Fatal("a second slot got the low queue while the first holds it")
	}
	w.releaseLow()
	w.busy.Store(1) // another slot judges a player's job
	if w.claimLow() {
		t.Fatal("low queue taken while another slot is busy")
	}
	w.busy.Store(0)
	if !w.claimLow() {
		t.Fatal("claim not available again after release")
	}
}

// TestClaimRepeatKeepsASlot: the practice repeat lane holds at most all
// slots but one (one on a one-slot worker), and is taken only while
// another slot stays free, so another account's next job always finds a
// slot free of any account's backlog.
func TestClaimRepeatKeepsASlot(t *testing.T) {
	busy := &Worker{opt: Options{Slots: 2}}
	busy.busy.Store(1) // one slot judges a first-lane job
	if busy.claim(bus.PracticeRepeat) {
		t.Fatal("2 slots, 1 busy: a repeat job would take the last free slot")
	}
	idle1 := &Worker{opt: Options{Slots: 1}}
	idle1.busy.Store(1)
	if idle1.claim(bus.PracticeRepeat) {
		t.Fatal("1 slot, busy: repeat claim granted")
	}
	for _, c := range []struct{ slots, want int }{{1, 1}, {2, 1}, {4, 3}} {
		w := &Worker{opt: Options{Slots: c.slots}}
		got := 0
		for range c.slots + 2 {
			if w.claim(bus.PracticeRepeat) {
				got++
			}
		}
		if got != c.want {
			t.Fatalf("%d slots: %d repeat claims granted, want %d", c.slots, got, c.want)
		}
		w.release(bus.PracticeRepeat)
		if !w.claim(bus.PracticeRepeat) {
			t.Fatalf("%d slots: no claim after a release", c.slots)
		}
	}
}
