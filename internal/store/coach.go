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

// CoachReports is the persistence of coach reports. It is a separate
// interface until the lead embeds it in Store; callers type-assert.
type CoachReports interface {
	// SaveCoachReport stores r unless the submission already has a report:
	// the first write wins (an analysis delivered twice cannot replace the
	// report a player may already have seen). ErrNotFound if the submission
	// does not exist.
	SaveCoachReport(ctx context.Context, r CoachReport) error
	// CoachReport returns the report of a submission; ErrNotFound if none.
	CoachReport(ctx context.Context, submissionID string) (CoachReport, error)
}
