package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/segfaultarena/segfault/internal/store"
)

func coachReports(t *testing.T, s Harness) store.CoachReports {
	t.Helper()
	cr, ok := s.(store.CoachReports)
	if !ok {
		t.Fatalf("%T does not implement store.CoachReports", s)
	}
	return cr
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
		if err := cr.SaveCoachReport(c, bad); err == nil {
			t.Fatalf("SaveCoachReport(%+v) = nil, want an error", bad)
		}
	}
	if n := count(t, s, "SELECT COUNT(*) FROM coach_reports"); n != 0 {
		t.Fatalf("%d rows after refused writes", n)
	}
	wantErr(t, "report for a missing submission",
		cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "ghost", Status: store.CoachDone, Report: []byte("{}")}), store.ErrNotFound)

	t0 := now()
	first := store.CoachReport{SubmissionID: "cs1", Status: store.CoachDone, Report: []byte(`{"time":"O(n)"}`), CreatedAt: t0}
	if err := cr.SaveCoachReport(c, first); err != nil {
		t.Fatalf("SaveCoachReport: %v", err)
	}
	// A redelivered analysis must not replace what the player saw.
	if err := cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "cs1", Status: store.CoachFailed, Error: "late", CreatedAt: t0.Add(1)}); err != nil {
		t.Fatalf("second SaveCoachReport: %v", err)
	}
	got, err := cr.CoachReport(c, "cs1")
	if err != nil {
		t.Fatal(err)
	}
	if got.SubmissionID != "cs1" || got.Status != store.CoachDone || !bytes.Equal(got.Report, first.Report) ||
		got.Error != "" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("CoachReport = %+v, want %+v", got, first)
	}

	// A failed analysis keeps its reason and an empty (non-nil) report.
	if _, err := s.CreateSubmission(c, newSub("cs2", u.ID, now()), 0); err != nil {
		t.Fatal(err)
	}
	if err := cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "cs2", Status: store.CoachFailed, Error: "generator crashed"}); err != nil {
		t.Fatal(err)
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
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			errs <- cr.SaveCoachReport(c, store.CoachReport{SubmissionID: "cs3", Status: store.CoachDone,
				Report: fmt.Appendf(nil, `{"writer":%d}`, i)})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent SaveCoachReport: %v", err)
		}
	}
	if n := count(t, s, "SELECT COUNT(*) FROM coach_reports WHERE submission_id = 'cs3'"); n != 1 {
		t.Fatalf("%d reports for cs3, want 1", n)
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
