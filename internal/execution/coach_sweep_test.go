package execution

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/store"
)

// TestSweepCoachEndsLostAnalyses: an accepted submission whose analysis
// job is gone (its worker died on the last delivery) gets a failed report
// from the sweeper once CoachStaleAfter has passed with an idle analysis
// queue, announced to its owner; a recent one is left to its analysis, a
// waiting analysis queue stretches the bound to CoachGiveUpAfter, a
// stored report is never replaced, and the coach route stops answering
// pending.
func TestSweepCoachEndsLostAnalyses(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{}) // no workers: nothing analyses
	s := env.e.Service
	c := newClient(t, env.url, "coached")
	ctx := context.Background()
	events := coachEvents(t, env.e.Bus)
	cr := env.st
	now := time.Now()
	accepted := func(ago time.Duration) store.Submission {
		t.Helper()
		sub, err := env.st.CreateSubmission(ctx, store.NewSubmission{ID: jobs.NewID(), UserID: 1, ProblemID: "two-divisors",
			ProblemSHA256: "ab", Lang: "python", Source: []byte(tinyPy), Priority: PriorityPractice, MatchID: "m-1",
			CreatedAt: now.Add(-ago - time.Second)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := env.st.FinishSubmission(ctx, store.SubmissionResult{SubmissionID: sub.ID, Verdict: "AC",
			FinishedAt: now.Add(-ago)}); err != nil {
			t.Fatal(err)
		}
		return sub
	}
	report := func(id string) (store.CoachReport, error) { return cr.CoachReport(ctx, id) }

	lost := accepted(15 * time.Minute)
	recent := accepted(time.Minute)
	reported := accepted(20 * time.Minute)
	if _, _, err := cr.SaveCoachReport(ctx, store.CoachReport{SubmissionID: reported.ID, Status: store.CoachDone, Report: []byte(`{"time":"O(1)"}`)}); err != nil {
		t.Fatal(err)
	}
	if status, body := c.do("GET", "/api/v1/submissions/"+lost.ID+"/coach", nil); status != http.StatusAccepted {
		t.Fatalf("before the sweep: %d %s, want 202 pending", status, body)
	}

	if err := s.Sweep(ctx, now); err != nil {
		t.Fatal(err)
	}
	r, err := report(lost.ID)
	if err != nil || r.Status != store.CoachFailed || r.Error != coachSweptMessage {
		t.Fatalf("lost analysis: %+v, %v; want failed", r, err)
	}
	if _, err := report(recent.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("recent analysis swept too early: %v", err)
	}
	if r, err := report(reported.ID); err != nil || r.Status != store.CoachDone {
		t.Fatalf("stored report replaced: %+v, %v", r, err)
	}
	if status, body := c.do("GET", "/api/v1/submissions/"+lost.ID+"/coach", nil); status != http.StatusOK {
		t.Fatalf("after the sweep: %d %s, want 200 failed", status, body)
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(hangOnly(30 * time.Second)) // only a lost event waits this long
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: events %+v", what, events())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor("coach event for the swept analysis", func() bool {
		for _, ev := range events() {
			if ev.SubmissionID == lost.ID && ev.UserID == 1 && ev.MatchID == "m-1" && ev.Phase == PhaseDone &&
				ev.Message == "failed: "+coachSweptMessage {
				return true
			}
		}
		return false
	})

	// A second pass finds nothing new and announces nothing again.
	n := len(events())
	if err := s.Sweep(ctx, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if len(events()) != n {
		t.Fatalf("second sweep announced again: %+v", events()[n:])
	}

	// While analyses wait in the queue the lost one may be among them:
	// only CoachGiveUpAfter (2 h) ends it.
	waiting := accepted(30 * time.Minute)
	ancient := accepted(3 * time.Hour)
	if err := jobs.PublishAnalysis(ctx, env.e.Bus, accepted(time.Second), "coach-queued"); err != nil {
		t.Fatal(err)
	}
	if err := s.Sweep(ctx, now); err != nil {
		t.Fatal(err)
	}
	if _, err := report(waiting.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("swept while analyses are queued: %v", err)
	}
	if r, err := report(ancient.ID); err != nil || r.Status != store.CoachFailed {
		t.Fatalf("past the give-up bound: %+v, %v", r, err)
	}
}

// TestCoachSweepLookback: the window behind the give-up bound never
// closes, however long CoachGiveUpAfter is, and the default bounds keep
// the 24 h lookback.
func TestCoachSweepLookback(t *testing.T) {
	for _, tc := range []struct{ giveUp, want time.Duration }{
		{10 * time.Minute, 24 * time.Hour},
		{2 * time.Hour, 24 * time.Hour}, // the default
		{12 * time.Hour, 24 * time.Hour},
		{24 * time.Hour, 36 * time.Hour},
		{30 * time.Hour, 42 * time.Hour},
		{7 * 24 * time.Hour, 7*24*time.Hour + 12*time.Hour},
	} {
		got := coachSweepLookback(tc.giveUp)
		if got != tc.want {
			t.Errorf("coachSweepLookback(%v) = %v, want %v", tc.giveUp, got, tc.want)
		}
		if got-tc.giveUp < coachSweepMargin {
			t.Errorf("coachSweepLookback(%v) = %v leaves less than %v past the give-up bound", tc.giveUp, got, coachSweepMargin)
		}
	}
}

// TestSweepCoachGivesUpPastADay: with CoachGiveUpAfter over the minimum
// lookback (24 h) and analyses queued, a submission past the give-up
// bound is still swept (a fixed 24 h lookback would leave an empty window
// and nothing would ever be given up); one under the bound and one past
// the lookback are left alone.
func TestSweepCoachGivesUpPastADay(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{}) // no workers: nothing analyses
	newClient(t, env.url, "patient")        // user 1
	ctx := context.Background()
	s, err := New(ctx, Options{Store: env.st, Bus: env.e.Bus, Catalog: &catalog.Dir{Root: problemsDir(t)},
		Logger: testLogger(t), CoachGiveUpAfter: 30 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	events := coachEvents(t, env.e.Bus)
	now := time.Now()
	accepted := func(ago time.Duration) store.Submission {
		t.Helper()
		sub, err := env.st.CreateSubmission(ctx, store.NewSubmission{ID: jobs.NewID(), UserID: 1, ProblemID: "two-divisors",
			ProblemSHA256: "ab", Lang: "python", Source: []byte(tinyPy), Priority: PriorityPractice,
			CreatedAt: now.Add(-ago - time.Second)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := env.st.FinishSubmission(ctx, store.SubmissionResult{SubmissionID: sub.ID, Verdict: "AC",
			FinishedAt: now.Add(-ago)}); err != nil {
			t.Fatal(err)
		}
		return sub
	}
	under := accepted(29 * time.Hour)     // inside CoachGiveUpAfter: its analysis may be queued
	past := accepted(31 * time.Hour)      // past the bound, inside the lookback (42 h)
	forgotten := accepted(43 * time.Hour) // past the lookback
	// A waiting analysis: only CoachGiveUpAfter applies.
	if err := jobs.PublishAnalysis(ctx, env.e.Bus, accepted(time.Second), "coach-queued"); err != nil {
		t.Fatal(err)
	}
	if err := s.SweepCoach(ctx, now); err != nil {
		t.Fatal(err)
	}
	if r, err := env.st.CoachReport(ctx, past.ID); err != nil || r.Status != store.CoachFailed || r.Error != coachSweptMessage {
		t.Fatalf("past the 30 h give-up bound: %+v, %v; want the swept report", r, err)
	}
	for name, sub := range map[string]store.Submission{"under the bound": under, "past the lookback": forgotten} {
		if _, err := env.st.CoachReport(ctx, sub.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("%s: swept (%v)", name, err)
		}
	}
	deadline := time.Now().Add(hangOnly(30 * time.Second)) // only a lost event waits this long
	for {
		found := false
		for _, ev := range events() {
			if ev.SubmissionID == past.ID && ev.Type == CoachEventType && ev.Phase == PhaseDone &&
				ev.Message == "failed: "+coachSweptMessage {
				found = true
			}
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no coach event for the swept analysis: %+v", events())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
