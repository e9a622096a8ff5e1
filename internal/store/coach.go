package store

import (
	"context"
	"time"
)

// Coach report statuses.
const (
	CoachDone   = "done"   // Report holds the coach.Report JSON
	CoachFailed = "failed" // the analysis could not be made; Error says why
)

// CoachReport is the complexity coach's verdict on one accepted submission
// (issue 8), written once by the worker that analysed it.
type CoachReport struct {
	SubmissionID string
	Status       string // CoachDone or CoachFailed
	Report       []byte // coach.Report JSON ("" when failed)
	Error        string // why it failed ("" when done)
	CreatedAt    time.Time
}

// CoachReports is the persistence of coach reports; part of Store.
type CoachReports interface {
	// SaveCoachReport stores r unless the submission already has a report:
	// the first write wins (an analysis delivered twice cannot replace the
	// report a player may already have seen). It returns the stored report
	// and whether this call created it, so the caller that won (and only
	// it) announces the report without reading it back. ErrNotFound if the
	// submission does not exist.
	SaveCoachReport(ctx context.Context, r CoachReport) (stored CoachReport, created bool, err error)
	// CoachReport returns the report of a submission; ErrNotFound if none.
	CoachReport(ctx context.Context, submissionID string) (CoachReport, error)
	// PendingCoachReports lists accepted submissions (verdict AC) whose
	// result was stored in [from, before) and that have no report yet,
	// oldest result first, at most limit: the analyses that may be stuck
	// (a worker that died on the job's last delivery leaves no report and
	// no job), for the sweeper.
	PendingCoachReports(ctx context.Context, from, before time.Time, limit int) ([]Submission, error)
}
