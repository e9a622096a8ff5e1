package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.CoachReports = (*Store)(nil)

// SaveCoachReport inserts r; a second report for the same submission is
// ignored (first write wins). The insert and the read of the stored report
// share a transaction: ON CONFLICT waits for a concurrent writer's commit,
// so the report read is the one that won.
func (s *Store) SaveCoachReport(ctx context.Context, r store.CoachReport) (store.CoachReport, bool, error) {
	if r.SubmissionID == "" {
		return store.CoachReport{}, false, fmt.Errorf("postgres: save coach report: empty submission id")
	}
	if r.Status != store.CoachDone && r.Status != store.CoachFailed {
		return store.CoachReport{}, false, fmt.Errorf("postgres: save coach report: status %q is neither %q nor %q", r.Status, store.CoachDone, store.CoachFailed)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	if r.Report == nil {
		r.Report = []byte{}
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return store.CoachReport{}, false, fmt.Errorf("postgres: save coach report: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	tag, err := tx.Exec(ctx,
		`INSERT INTO coach_reports (submission_id, status, report, error, created_at) VALUES ($1, $2, $3, $4, $5)
		 ON CONFLICT (submission_id) DO NOTHING`,
		r.SubmissionID, r.Status, r.Report, r.Error, r.CreatedAt)
	if err != nil {
		return store.CoachReport{}, false, fmt.Errorf("postgres: save coach report %s: %w", r.SubmissionID, classify(err))
	}
	stored, err := readCoachReport(ctx, tx, r.SubmissionID)
	if err != nil {
		return store.CoachReport{}, false, fmt.Errorf("postgres: save coach report %s: %w", r.SubmissionID, classify(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return store.CoachReport{}, false, fmt.Errorf("postgres: save coach report: commit: %w", err)
	}
	return stored, tag.RowsAffected() == 1, nil
}

func (s *Store) CoachReport(ctx context.Context, submissionID string) (store.CoachReport, error) {
	r, err := readCoachReport(ctx, s.pool, submissionID)
	if err != nil {
		return store.CoachReport{}, fmt.Errorf("postgres: coach report %s: %w", submissionID, classify(err))
	}
	return r, nil
}

// readCoachReport reads a submission's report through q (the pool, or the
// transaction that just wrote it).
func readCoachReport(ctx context.Context, q querier, submissionID string) (store.CoachReport, error) {
	r := store.CoachReport{SubmissionID: submissionID}
	if err := q.QueryRow(ctx,
		"SELECT status, report, error, created_at FROM coach_reports WHERE submission_id = $1", submissionID).
		Scan(&r.Status, &r.Report, &r.Error, &r.CreatedAt); err != nil {
		return store.CoachReport{}, err
	}
	if r.Report == nil {
		r.Report = []byte{}
	}
	r.CreatedAt = utc(r.CreatedAt)
	return r, nil
}

// PendingCoachReports uses the partial index on accepted results'
// finished_at (migration 0015), so the sweeper's query stays cheap however
// many submissions there are.
func (s *Store) PendingCoachReports(ctx context.Context, from, before time.Time, limit int) ([]store.Submission, error) {
	return s.querySubmissions(ctx, "pending coach reports",
		"SELECT "+submissionCols+submissionFrom+`WHERE r.verdict = 'AC' AND r.finished_at >= $1 AND r.finished_at < $2
		 AND NOT EXISTS (SELECT 1 FROM coach_reports c WHERE c.submission_id = s.id)
		 ORDER BY r.finished_at LIMIT $3`,
		from, before, limit)
}
