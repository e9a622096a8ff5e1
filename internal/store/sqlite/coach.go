package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.CoachReports = (*Store)(nil)

// SaveCoachReport inserts r; a second report for the same submission is
// ignored (first write wins). The insert and the read of the stored report
// share a transaction, so the report returned is the one that won.
func (s *Store) SaveCoachReport(ctx context.Context, r store.CoachReport) (store.CoachReport, bool, error) {
	if err := checkCoachReport(r); err != nil {
		return store.CoachReport{}, false, fmt.Errorf("sqlite: save coach report: %w", err)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	if r.Report == nil {
		r.Report = []byte{}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.CoachReport{}, false, fmt.Errorf("sqlite: save coach report: begin: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx,
		`INSERT INTO coach_reports (submission_id, status, report, error, created_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (submission_id) DO NOTHING`,
		r.SubmissionID, r.Status, r.Report, r.Error, micros(r.CreatedAt))
	if err != nil {
		return store.CoachReport{}, false, fmt.Errorf("sqlite: save coach report %s: %w", r.SubmissionID, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return store.CoachReport{}, false, fmt.Errorf("sqlite: save coach report %s: %w", r.SubmissionID, err)
	}
	stored, err := readCoachReport(ctx, tx, r.SubmissionID)
	if err != nil {
		return store.CoachReport{}, false, fmt.Errorf("sqlite: save coach report %s: %w", r.SubmissionID, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return store.CoachReport{}, false, fmt.Errorf("sqlite: save coach report: commit: %w", err)
	}
	return stored, n == 1, nil
}

func (s *Store) CoachReport(ctx context.Context, submissionID string) (store.CoachReport, error) {
	r, err := readCoachReport(ctx, s.r, submissionID)
	if err != nil {
		return store.CoachReport{}, fmt.Errorf("sqlite: coach report %s: %w", submissionID, classify(err))
	}
	return r, nil
}

// readCoachReport reads a submission's report through q (the read pool, or
// the transaction that just wrote it).
func readCoachReport(ctx context.Context, q execer, submissionID string) (store.CoachReport, error) {
	r := store.CoachReport{SubmissionID: submissionID}
	var created int64
	if err := q.QueryRowContext(ctx,
		"SELECT status, report, error, created_at FROM coach_reports WHERE submission_id = ?", submissionID).
		Scan(&r.Status, &r.Report, &r.Error, &created); err != nil {
		return store.CoachReport{}, err
	}
	if r.Report == nil {
		r.Report = []byte{}
	}
	r.CreatedAt = fromMicros(created)
	return r, nil
}

func checkCoachReport(r store.CoachReport) error {
	if r.SubmissionID == "" {
		return fmt.Errorf("empty submission id")
	}
	if r.Status != store.CoachDone && r.Status != store.CoachFailed {
		return fmt.Errorf("status %q is neither %q nor %q", r.Status, store.CoachDone, store.CoachFailed)
	}
	return nil
}

// PendingCoachReports uses the partial index on accepted results'
// finished_at (migration 0015), so the sweeper's query stays cheap however
// many submissions there are.
func (s *Store) PendingCoachReports(ctx context.Context, from, before time.Time, limit int) ([]store.Submission, error) {
	return s.querySubmissions(ctx, "pending coach reports",
		"SELECT "+submissionCols+submissionFrom+`WHERE r.verdict = 'AC' AND r.finished_at >= ? AND r.finished_at < ?
		 AND NOT EXISTS (SELECT 1 FROM coach_reports c WHERE c.submission_id = s.id)
		 ORDER BY r.finished_at LIMIT ?`,
		micros(from), micros(before), limit)
}
