package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

const submissionCols = `s.id, s.user_id, s.problem_id, s.problem_version, s.problem_sha256, s.lang, s.source,
	s.priority, s.match_id, s.status, s.attempts, s.worker, s.created_at, s.updated_at,
	r.verdict, r.message, r.passed, r.total, r.failed_test, r.max_cpu_us, r.max_memory_bytes,
	r.compile_us, r.language_version, r.details, r.worker, r.finished_at`

const submissionFrom = ` FROM submissions s LEFT JOIN submission_results r ON r.submission_id = s.id `

func scanSubmission(row rowScanner) (store.Submission, error) {
	var s store.Submission
	var created, updated int64
	var (
		verdict, message, langVersion, rworker sql.NullString
		passed, total, failed                  sql.NullInt64
		cpu, mem, compile, finished            sql.NullInt64
		details                                []byte
	)
	err := row.Scan(&s.ID, &s.UserID, &s.ProblemID, &s.ProblemVersion, &s.ProblemSHA256, &s.Lang, &s.Source,
		&s.Priority, &s.MatchID, &s.Status, &s.Attempts, &s.Worker, &created, &updated,
		&verdict, &message, &passed, &total, &failed, &cpu, &mem, &compile, &langVersion, &details, &rworker, &finished)
	if err != nil {
		return store.Submission{}, err
	}
	s.CreatedAt, s.UpdatedAt = fromMicros(created), fromMicros(updated)
	if s.Source == nil {
		s.Source = []byte{}
	}
	if verdict.Valid {
		s.Result = &store.SubmissionResult{
			SubmissionID: s.ID, Verdict: verdict.String, Message: message.String,
			Passed: int(passed.Int64), Total: int(total.Int64), FailedTest: int(failed.Int64),
			MaxCPUTime: time.Duration(cpu.Int64) * time.Microsecond, MaxMemoryBytes: mem.Int64,
			CompileTime: time.Duration(compile.Int64) * time.Microsecond, LanguageVersion: langVersion.String,
			Details: details, Worker: rworker.String, FinishedAt: fromMicros(finished.Int64),
		}
		if s.Result.Details == nil {
			s.Result.Details = []byte{}
		}
	}
	return s, nil
}

// CreateSubmission inserts in one IMMEDIATE transaction: the in-flight
// count and the insert see the same database, so two API nodes cannot both
// squeeze in the last slot.
func (s *Store) CreateSubmission(ctx context.Context, n store.NewSubmission, maxInFlight int) (store.Submission, error) {
	if n.ID == "" {
		return store.Submission{}, errors.New("sqlite: create submission: empty id")
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now()
	}
	if n.Source == nil {
		n.Source = []byte{}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.Submission{}, fmt.Errorf("sqlite: create submission: begin: %w", err)
	}
	defer tx.Rollback()
	if maxInFlight > 0 {
		var inFlight int
		if err := tx.QueryRowContext(ctx,
			"SELECT COUNT(*) FROM submissions WHERE user_id = ? AND status <> 'done'", n.UserID).Scan(&inFlight); err != nil {
			return store.Submission{}, fmt.Errorf("sqlite: create submission: count in flight: %w", err)
		}
		if inFlight >= maxInFlight {
			return store.Submission{}, fmt.Errorf("sqlite: create submission: user %d has %d in flight: %w", n.UserID, inFlight, store.ErrLimit)
		}
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO submissions (id, user_id, problem_id, problem_version, problem_sha256, lang, source, priority, match_id,
		 status, attempts, worker, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, '', ?, ?)`,
		n.ID, n.UserID, n.ProblemID, n.ProblemVersion, n.ProblemSHA256, n.Lang, n.Source, n.Priority, n.MatchID,
		micros(n.CreatedAt), micros(n.CreatedAt)); err != nil {
		return store.Submission{}, fmt.Errorf("sqlite: create submission %s: %w", n.ID, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return store.Submission{}, fmt.Errorf("sqlite: create submission: commit: %w", err)
	}
	n.CreatedAt = fromMicros(micros(n.CreatedAt))
	return store.Submission{NewSubmission: n, Status: store.SubmissionQueued, UpdatedAt: n.CreatedAt}, nil
}

func (s *Store) Submission(ctx context.Context, id string) (store.Submission, error) {
	sub, err := scanSubmission(s.r.QueryRowContext(ctx, "SELECT "+submissionCols+submissionFrom+"WHERE s.id = ?", id))
	if err != nil {
		return store.Submission{}, fmt.Errorf("sqlite: submission %s: %w", id, classify(err))
	}
	return sub, nil
}

func (s *Store) querySubmissions(ctx context.Context, what, query string, args ...any) ([]store.Submission, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer rows.Close()
	out := []store.Submission{}
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", what, err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return out, nil
}

func (s *Store) UserSubmissions(ctx context.Context, userID int64, limit int) ([]store.Submission, error) {
	return s.querySubmissions(ctx, "user submissions",
		"SELECT "+submissionCols+submissionFrom+"WHERE s.user_id = ? ORDER BY s.created_at DESC, s.id DESC LIMIT ?", userID, limit)
}

func (s *Store) ProblemSubmissions(ctx context.Context, problemID string, limit int) ([]store.Submission, error) {
	return s.querySubmissions(ctx, "problem submissions",
		"SELECT "+submissionCols+submissionFrom+"WHERE s.problem_id = ? ORDER BY s.created_at DESC, s.id DESC LIMIT ?", problemID, limit)
}

func (s *Store) StaleSubmissions(ctx context.Context, olderThan time.Time, limit int) ([]store.Submission, error) {
	return s.querySubmissions(ctx, "stale submissions",
		"SELECT "+submissionCols+submissionFrom+"WHERE s.status <> 'done' AND s.updated_at < ? ORDER BY s.updated_at LIMIT ?",
		micros(olderThan), limit)
}

func (s *Store) StartSubmissionAttempt(ctx context.Context, id, worker string, now time.Time) (store.Submission, error) {
	if _, err := s.w.ExecContext(ctx,
		`UPDATE submissions SET attempts = attempts + 1, status = 'running', worker = ?, updated_at = ?
		 WHERE id = ? AND status <> 'done'`, worker, micros(now), id); err != nil {
		return store.Submission{}, fmt.Errorf("sqlite: start attempt of %s: %w", id, classify(err))
	}
	// Read through the writer: a reader could lag behind our own write.
	sub, err := scanSubmission(s.w.QueryRowContext(ctx, "SELECT "+submissionCols+submissionFrom+"WHERE s.id = ?", id))
	if err != nil {
		return store.Submission{}, fmt.Errorf("sqlite: start attempt of %s: %w", id, classify(err))
	}
	return sub, nil
}

func (s *Store) TouchSubmission(ctx context.Context, id string, now time.Time) error {
	if _, err := s.w.ExecContext(ctx, "UPDATE submissions SET updated_at = ? WHERE id = ? AND status <> 'done'", micros(now), id); err != nil {
		return fmt.Errorf("sqlite: touch submission %s: %w", id, err)
	}
	return nil
}

// FinishSubmission inserts the result and marks the submission done in one
// transaction; INSERT ... ON CONFLICT DO NOTHING makes the second finisher a
// reader of the first one's result.
func (s *Store) FinishSubmission(ctx context.Context, r store.SubmissionResult) (store.SubmissionResult, bool, error) {
	if r.FinishedAt.IsZero() {
		r.FinishedAt = time.Now()
	}
	if r.Details == nil {
		r.Details = []byte{}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("sqlite: finish submission: begin: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx,
		`INSERT INTO submission_results (submission_id, verdict, message, passed, total, failed_test, max_cpu_us,
		 max_memory_bytes, compile_us, language_version, details, worker, finished_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id) DO NOTHING`,
		r.SubmissionID, r.Verdict, r.Message, r.Passed, r.Total, r.FailedTest, r.MaxCPUTime.Microseconds(),
		r.MaxMemoryBytes, r.CompileTime.Microseconds(), r.LanguageVersion, r.Details, r.Worker, micros(r.FinishedAt))
	if err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("sqlite: finish submission %s: %w", r.SubmissionID, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("sqlite: finish submission %s: %w", r.SubmissionID, err)
	}
	created := n == 1
	if created {
		if _, err := tx.ExecContext(ctx, "UPDATE submissions SET status = 'done', updated_at = ? WHERE id = ?",
			micros(r.FinishedAt), r.SubmissionID); err != nil {
			return store.SubmissionResult{}, false, fmt.Errorf("sqlite: finish submission %s: %w", r.SubmissionID, err)
		}
	}
	sub, err := scanSubmission(tx.QueryRowContext(ctx, "SELECT "+submissionCols+submissionFrom+"WHERE s.id = ?", r.SubmissionID))
	if err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("sqlite: finish submission %s: %w", r.SubmissionID, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("sqlite: finish submission: commit: %w", err)
	}
	return *sub.Result, created, nil
}

func (s *Store) InFlightSubmissions(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx,
		"SELECT COUNT(*) FROM submissions WHERE user_id = ? AND status <> 'done'", userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count in-flight submissions: %w", err)
	}
	return n, nil
}

// DeleteExpiredOAuthStates sweeps abandoned sign-ins.
func (s *Store) DeleteExpiredOAuthStates(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, "DELETE FROM oauth_states WHERE expires_at <= ?", micros(now))
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete expired oauth states: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete expired oauth states: %w", err)
	}
	return n, nil
}
