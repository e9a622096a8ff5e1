package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

func coachReports(t *testing.T, s Harness) store.CoachReports {
	t.Helper()
	return s
}

// testCoachReports: first write wins, reads are exact, bad input writes
// nothing, the report goes with its submission.
func testCoachReports(t *testing.T, s Harness) {
	c := ctx(t)
	cr := coachReports(t, s)
	u := mustUser(t, s, "coach_user")
	if _, err := s.CreateSubmission(c, newSub("cs1", u.ID, now()), 0); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "no report yet", func() error { _, err := cr.CoachReport(c, "cs1"); return err }(), store.ErrNotFound)
	wantErr(t, "unknown submission", func() error { _, err := cr.CoachReport(c, "nope"); return err }(), store.ErrNotFound)

	for _, bad := range []store.CoachReport{
		{SubmissionID: "", Status: store.CoachDone},
		{SubmissionID: "cs1", Status: "pending"},
		{SubmissionID: "cs1", Status: ""},
	} {
		if _, _, err := cr.SaveCoachReport(c, bad); err == nil {
			t.Fatalf("SaveCoachReport(%+v) = nil, want an error", bad)
		}
	}
	if n := count(t, s, "SELECT COUNT(*) FROM coach_reports"); n != 0 {
		t.Fatalf("%d rows after refused writes", n)
	}
	wantErr(t, "report for a missing submission", func() error {
		_, _, err := cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "ghost", Status: store.CoachDone, Report: []byte("{}")})
		return err
	}(), store.ErrNotFound)

	t0 := now()
	first := store.CoachReport{SubmissionID: "cs1", Status: store.CoachDone, Report: []byte(`{"time":"O(n)"}`), CreatedAt: t0}
	isFirst := func(what string, got store.CoachReport) {
		t.Helper()
		if got.SubmissionID != "cs1" || got.Status != store.CoachDone || !bytes.Equal(got.Report, first.Report) ||
			got.Error != "" || !got.CreatedAt.Equal(t0) {
			t.Fatalf("%s = %+v, want %+v", what, got, first)
		}
	}
	stored, created, err := cr.SaveCoachReport(c, first)
	if err != nil {
		t.Fatalf("SaveCoachReport: %v", err)
	}
	if !created {
		t.Fatal("first SaveCoachReport: created = false, want true")
	}
	isFirst("first SaveCoachReport's stored report", stored)
	// A redelivered analysis must not replace what the player saw, and
	// learns that it lost (and what won) from the call itself.
	stored, created, err = cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "cs1", Status: store.CoachFailed, Error: "late", CreatedAt: t0.Add(1)})
	if err != nil {
		t.Fatalf("second SaveCoachReport: %v", err)
	}
	if created {
		t.Fatal("second SaveCoachReport: created = true, want false")
	}
	isFirst("second SaveCoachReport's stored report", stored)
	got, err := cr.CoachReport(c, "cs1")
	if err != nil {
		t.Fatal(err)
	}
	isFirst("CoachReport", got)

	// A failed analysis keeps its reason and an empty (non-nil) report.
	if _, err := s.CreateSubmission(c, newSub("cs2", u.ID, now()), 0); err != nil {
		t.Fatal(err)
	}
	stored, created, err = cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "cs2", Status: store.CoachFailed, Error: "generator crashed"})
	if err != nil {
		t.Fatal(err)
	}
	if !created || stored.SubmissionID != "cs2" || stored.Status != store.CoachFailed || stored.Error != "generator crashed" ||
		stored.Report == nil || len(stored.Report) != 0 || stored.CreatedAt.IsZero() {
		t.Fatalf("SaveCoachReport(failed) = %+v, created %v", stored, created)
	}
	got, err = cr.CoachReport(c, "cs2")
	if err != nil || got.Status != store.CoachFailed || got.Error != "generator crashed" || got.Report == nil ||
		len(got.Report) != 0 || got.CreatedAt.IsZero() {
		t.Fatalf("failed report = %+v, %v", got, err)
	}

	// Concurrent analyses of one submission: exactly one report, readable.
	if _, err := s.CreateSubmission(c, newSub("cs3", u.ID, now()), 0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	type saved struct {
		stored  store.CoachReport
		created bool
		err     error
	}
	results := make(chan saved, 8)
	for i := range 8 {
		wg.Go(func() {
			stored, created, err := cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "cs3", Status: store.CoachDone,
				Report: fmt.Appendf(nil, `{"writer":%d}`, i)})
			results <- saved{stored, created, err}
		})
	}
	wg.Wait()
	close(results)
	if n := count(t, s, "SELECT COUNT(*) FROM coach_reports WHERE submission_id = 'cs3'"); n != 1 {
		t.Fatalf("%d reports for cs3, want 1", n)
	}
	winner, err := cr.CoachReport(c, "cs3")
	if err != nil {
		t.Fatal(err)
	}
	// Exactly one writer created the report, and every writer was handed
	// the winner's report (the losers announce nothing, but must not
	// believe their own report is the stored one).
	creators := 0
	for r := range results {
		if r.err != nil {
			t.Fatalf("concurrent SaveCoachReport: %v", r.err)
		}
		if r.created {
			creators++
		}
		if r.stored.SubmissionID != "cs3" || r.stored.Status != winner.Status || !bytes.Equal(r.stored.Report, winner.Report) ||
			!r.stored.CreatedAt.Equal(winner.CreatedAt) {
			t.Fatalf("concurrent SaveCoachReport returned %+v, stored %+v", r.stored, winner)
		}
	}
	if creators != 1 {
		t.Fatalf("%d concurrent writers created the report, want 1", creators)
	}

	// Reports go with their submissions (and users).
	if err := s.RawExec(c, "DELETE FROM users WHERE id = ?", u.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM coach_reports"); n != 0 {
		t.Fatalf("%d coach reports left after the user was deleted", n)
	}
	if _, err := cr.CoachReport(c, "cs1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("report of a deleted submission: %v", err)
	}
}

// testPendingCoachReports: only accepted submissions finished inside the
// window and without a report are listed, oldest first, within the limit.
func testPendingCoachReports(t *testing.T, s Harness) {
	c := ctx(t)
	cr := coachReports(t, s)
	u := mustUser(t, s, "coach_pending")
	t0 := now()
	finish := func(id, verdict string, at time.Time) {
		t.Helper()
		if _, err := s.CreateSubmission(c, newSub(id, u.ID, at.Add(-time.Second)), 0); err != nil {
			t.Fatal(err)
		}
		if verdict == "" {
			return // still queued
		}
		if _, _, err := s.FinishSubmission(c, store.SubmissionResult{SubmissionID: id, Verdict: verdict, FinishedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	finish("pa-old", "AC", t0.Add(-48*time.Hour))    // before the window
	finish("pa-1", "AC", t0.Add(-50*time.Minute))    // pending
	finish("pa-2", "AC", t0.Add(-40*time.Minute))    // pending
	finish("pa-wa", "WA", t0.Add(-45*time.Minute))   // not accepted: never analysed
	finish("pa-done", "AC", t0.Add(-45*time.Minute)) // has a report
	finish("pa-new", "AC", t0.Add(-time.Minute))     // too recent: its analysis may be running
	finish("pa-queued", "", t0.Add(-45*time.Minute)) // no result yet
	if _, _, err := cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "pa-done", Status: store.CoachDone, Report: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	from, before := t0.Add(-24*time.Hour), t0.Add(-30*time.Minute)
	got, err := cr.PendingCoachReports(c, from, before, 10)
	if err != nil {
		t.Fatal(err)
	}
	if ids := ids(got); len(ids) != 2 || ids[0] != "pa-1" || ids[1] != "pa-2" {
		t.Fatalf("pending = %v, want [pa-1 pa-2] (oldest first)", ids)
	}
	if got[0].Result == nil || got[0].Result.Verdict != "AC" || got[0].UserID != u.ID || got[0].Lang != "python" {
		t.Fatalf("pending submission not read in full: %+v", got[0])
	}
	if got, err := cr.PendingCoachReports(c, from, before, 1); err != nil || len(got) != 1 || got[0].ID != "pa-1" {
		t.Fatalf("limit 1: %v, %v", ids(got), err)
	}
	// The window's lower end is inclusive, its upper end exclusive.
	if got, err := cr.PendingCoachReports(c, t0.Add(-40*time.Minute), t0.Add(-40*time.Minute).Add(time.Microsecond), 10); err != nil ||
		len(got) != 1 || got[0].ID != "pa-2" {
		t.Fatalf("window [pa-2's finish, +1µs): %v, %v", ids(got), err)
	}
	// A failed report ends it too.
	if _, _, err := cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "pa-1", Status: store.CoachFailed, Error: "swept"}); err != nil {
		t.Fatal(err)
	}
	if got, err := cr.PendingCoachReports(c, from, before, 10); err != nil || len(got) != 1 || got[0].ID != "pa-2" {
		t.Fatalf("after a failed report: %v, %v", ids(got), err)
	}
}
