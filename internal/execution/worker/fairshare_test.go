package worker

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
)

// Issue 17's fair share on the worker side: a flooding account's or
// address's jobs wait in the gated lanes (the practice repeat lane, the
// low queue), which may hold all of a worker's slots but one, so a job in
// the first lane never waits behind a gated job that is running. These
// tests drive the worker's own take/done with jobs published in a fixed
// order and assert which job each slot gets, never a timing.

func publish(t *testing.T, b *bus.Bus, p bus.Priority, id string) {
	t.Helper()
	j := jobs.Job{SubmissionID: id, Problem: jobs.ProblemRef{ID: "p", SHA256: "x"}}
	if _, err := b.PublishJob(context.Background(), p, id, j.Encode()); err != nil {
		t.Fatal(err)
	}
}

func jobID(t *testing.T, job bus.Job) string {
	t.Helper()
	j, err := jobs.DecodeJob(job.Data())
	if err != nil {
		t.Fatal(err)
	}
	return j.SubmissionID
}

// takeID is w.take with a hang-only wait, returning the job's id; the job
// stays running (counted busy) until finish.
func takeID(t *testing.T, w *Worker) (string, bus.Job) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	job, err := w.take(ctx, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	return jobID(t, job), job
}

func finish(t *testing.T, w *Worker, job bus.Job) {
	t.Helper()
	if err := job.Done(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.done(job)
}

func twoSlotWorker(t *testing.T) (*Worker, *bus.Bus) {
	t.Helper()
	b := testBus(t)
	f, err := newFetcher(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.close)
	return &Worker{opt: Options{Slots: 2}, fetch: f}, b
}

// TestGatedJobLeavesASlot: on a two-slot worker, a flooder's repeat job
// queued before a first-lane job (publishes of concurrent submissions may
// land in either order) does not start while the first-lane job runs; the
// free slot goes to the next first-lane job (an honest player's), and the
// repeat job runs only once the worker is idle, leaving the other slot to
// the next first-lane job again.
func TestGatedJobLeavesASlot(t *testing.T) {
	w, b := twoSlotWorker(t)
	publish(t, b, bus.PracticeRepeat, "flood-2")
	publish(t, b, bus.Practice, "flood-1")
	id1, j1 := takeID(t, w)
	publish(t, b, bus.Practice, "honest-1")
	id2, j2 := takeID(t, w)
	if id1 != "flood-1" || id2 != "honest-1" {
		t.Fatalf("slots got %s then %s; want flood-1 (first lane) then honest-1, the repeat job waiting", id1, id2)
	}
	finish(t, w, j1)
	finish(t, w, j2)
	id3, j3 := takeID(t, w)
	if id3 != "flood-2" {
		t.Fatalf("idle worker took %s, want the repeat job flood-2", id3)
	}
	publish(t, b, bus.PracticeRepeat, "flood-3")
	publish(t, b, bus.Practice, "honest-2")
	if id4, _ := takeID(t, w); id4 != "honest-2" {
		t.Fatalf("with a repeat job running the free slot took %s, want honest-2", id4)
	}
	finish(t, w, j3)
}

// TestGatedJobLeavesASlotConcurrently: the same with both slots of an
// idle worker looking at the lanes at once (as they do when two
// submissions are published together). One slot gets the first-lane job;
// the other must not take the repeat job while the first slot's job is
// fetched but not yet counted busy: it waits, and takes the honest job
// published next. Each round starts from an idle worker.
func TestGatedJobLeavesASlotConcurrently(t *testing.T) {
	w, b := twoSlotWorker(t)
	for round := range 30 {
		publish(t, b, bus.Practice, fmt.Sprintf("flood-1-%d", round))
		publish(t, b, bus.PracticeRepeat, fmt.Sprintf("flood-2-%d", round))
		type got struct {
			id  string
			job bus.Job
		}
		out := make(chan got, 2)
		for range 2 {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				job, err := w.take(ctx, 50*time.Millisecond)
				if err != nil {
					out <- got{}
					return
				}
				j, _ := jobs.DecodeJob(job.Data())
				out <- got{j.SubmissionID, job}
			}()
		}
		first := <-out
		honest := fmt.Sprintf("honest-%d", round)
		publish(t, b, bus.Practice, honest)
		second := <-out
		ids := []string{first.id, second.id}
		slices.Sort(ids)
		if want := []string{fmt.Sprintf("flood-1-%d", round), honest}; !slices.Equal(ids, want) {
			t.Fatalf("round %d: the two slots got %v, want %v (the repeat job waiting)", round, ids, want)
		}
		finish(t, w, first.job)
		finish(t, w, second.job)
		id, j := takeID(t, w)
		if id != fmt.Sprintf("flood-2-%d", round) {
			t.Fatalf("round %d: idle worker took %s, want the repeat job", round, id)
		}
		finish(t, w, j)
	}
}

// TestChargeUsageAddress: the worker charges a job's wall time beyond
// the estimate to its account and to the client address the job names,
// so every account behind a flooding address loses the first lane.
func TestChargeUsageAddress(t *testing.T) {
	ctx := context.Background()
	b := testBus(t)
	usage, err := jobs.OpenBuckets(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	w := &Worker{usage: usage}
	w.chargeUsage(ctx, slog.New(slog.DiscardHandler), jobs.Job{UserID: 7, IP: "10.66.0.1"}, 1+4) // ran to a 5 s limit
	for _, key := range []string{jobs.UsageKey(7), jobs.UsageIPKey("10.66.0.1")} {
		lvl, err := usage.Level(ctx, key, jobs.UsageRate)
		if err != nil {
			t.Fatal(err)
		}
		// 6 − 4 = 2 left: under the first lane's threshold for about 35 s.
		if lvl >= jobs.UsageRate.Burst-jobs.UsageFirstLane {
			t.Fatalf("%s: %.2f judge-seconds left after a job that ran 4 s past the estimate: still in the first lane", key, lvl)
		}
	}
}
