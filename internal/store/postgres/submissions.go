package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segfaultarena/segfault/internal/store"
)

const submissionCols = `s.id, s.user_id, s.problem_id, s.problem_version, s.problem_sha256, s.lang, s.source,
	s.priority, s.match_id, s.status, s.attempts, s.worker, s.created_at, s.updated_at,
	r.verdict, r.message, r.passed, r.total, r.failed_test, r.max_cpu_us, r.max_memory_bytes,
	r.compile_us, r.language_version, r.details, r.worker, r.finished_at`

const submissionFrom = ` FROM submissions s LEFT JOIN submission_results r ON r.submission_id = s.id `

// submissionLockClass is the first key of the two-key advisory lock that
// serialises one user's submission inserts ("SUBM").
const submissionLockClass int32 = 0x5355424d

func scanSubmission(row pgx.Row) (store.Submission, error) {
	var s store.Submission
	var status string
	var (
		verdict, message, langVersion, rworker *string
		passed, total, failed                  *int32
		cpu, mem, compile                      *int64
		details                                []byte
		finished                               *time.Time
	)
	err := row.Scan(&s.ID, &s.UserID, &s.ProblemID, &s.ProblemVersion, &s.ProblemSHA256, &s.Lang, &s.Source,
		&s.Priority, &s.MatchID, &status, &s.Attempts, &s.Worker, &s.CreatedAt, &s.UpdatedAt,
		&verdict, &message, &passed, &total, &failed, &cpu, &mem, &compile, &langVersion, &details, &rworker, &finished)
	if err != nil {
		return store.Submission{}, err
	}
	s.Status = store.SubmissionStatus(status)
	s.CreatedAt, s.UpdatedAt = utc(s.CreatedAt), utc(s.UpdatedAt)
	if s.Source == nil {
		s.Source = []byte{}
	}
	if verdict != nil {
		s.Result = &store.SubmissionResult{
			SubmissionID: s.ID, Verdict: *verdict, Message: *message,
			Passed: int(*passed), Total: int(*total), FailedTest: int(*failed),
			MaxCPUTime: time.Duration(*cpu) * time.Microsecond, MaxMemoryBytes: *mem,
			CompileTime: time.Duration(*compile) * time.Microsecond, LanguageVersion: *langVersion,
			Details: details, Worker: *rworker, FinishedAt: utc(*finished),
		}
		if s.Result.Details == nil {
			s.Result.Details = []byte{}
		}
	}
	return s, nil
}

// CreateSubmission takes a per-user advisory lock for the transaction when
// it enforces maxInFlight: under READ COMMITTED two API nodes could
// otherwise both count below the cap and both insert.
func (s *Store) CreateSubmission(ctx context.Context, n store.NewSubmission, maxInFlight int) (store.Submission, error) {
	if n.ID == "" {
		return store.Submission{}, errors.New("postgres: create submission: empty id")
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now()
	}
	n.CreatedAt = n.CreatedAt.UTC().Truncate(time.Microsecond)
	if n.Source == nil {
		n.Source = []byte{}
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return store.Submission{}, fmt.Errorf("postgres: create submission: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	if maxInFlight > 0 {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", submissionLockClass, int32(n.UserID)); err != nil {
			return store.Submission{}, fmt.Errorf("postgres: create submission: lock: %w", err)
		}
		var inFlight int
		if err := tx.QueryRow(ctx,
			"SELECT COUNT(*) FROM submissions WHERE user_id = $1 AND status <> 'done'", n.UserID).Scan(&inFlight); err != nil {
			return store.Submission{}, fmt.Errorf("postgres: create submission: count in flight: %w", err)
		}
		if inFlight >= maxInFlight {
			return store.Submission{}, fmt.Errorf("postgres: create submission: user %d has %d in flight: %w", n.UserID, inFlight, store.ErrLimit)
		}
	}
	if _, err := tx.Exec(ctx,
		`INSERT INTO submissions (id, user_id, problem_id, problem_version, problem_sha256, lang, source, priority, match_id,
		 status, attempts, worker, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', 0, '', $10, $10)`,
		n.ID, n.UserID, n.ProblemID, n.ProblemVersion, n.ProblemSHA256, n.Lang, n.Source, n.Priority, n.MatchID,
		n.CreatedAt); err != nil {
		return store.Submission{}, fmt.Errorf("postgres: create submission %s: %w", n.ID, classify(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return store.Submission{}, fmt.Errorf("postgres: create submission: commit: %w", classify(err))
	}
	return store.Submission{NewSubmission: n, Status: store.SubmissionQueued, UpdatedAt: n.CreatedAt}, nil
}

func (s *Store) Submission(ctx context.Context, id string) (store.Submission, error) {
	sub, err := scanSubmission(s.pool.QueryRow(ctx, "SELECT "+submissionCols+submissionFrom+"WHERE s.id = $1", id))
	if err != nil {
		return store.Submission{}, fmt.Errorf("postgres: submission %s: %w", id, classify(err))
	}
	return sub, nil
}

func (s *Store) querySubmissions(ctx context.Context, what, query string, args ...any) ([]store.Submission, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	defer rows.Close()
	out := []store.Submission{}
	for rows.Next() {
		sub, err := scanSubmission(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", what, err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return out, nil
}

func (s *Store) UserSubmissions(ctx context.Context, userID int64, limit int) ([]store.Submission, error) {
	return s.querySubmissions(ctx, "user submissions",
		"SELECT "+submissionCols+submissionFrom+"WHERE s.user_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2", userID, limit)
}

func (s *Store) ProblemSubmissions(ctx context.Context, problemID string, limit int) ([]store.Submission, error) {
	return s.querySubmissions(ctx, "problem submissions",
		"SELECT "+submissionCols+submissionFrom+"WHERE s.problem_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2", problemID, limit)
}

func (s *Store) StaleSubmissions(ctx context.Context, olderThan time.Time, limit int) ([]store.Submission, error) {
	return s.querySubmissions(ctx, "stale submissions",
		"SELECT "+submissionCols+submissionFrom+"WHERE s.status <> 'done' AND s.updated_at < $1 ORDER BY s.updated_at LIMIT $2",
		olderThan, limit)
}

func (s *Store) StartSubmissionAttempt(ctx context.Context, id, worker string, now time.Time) (store.Submission, error) {
	if _, err := s.pool.Exec(ctx,
		`UPDATE submissions SET attempts = attempts + 1, status = 'running', worker = $1, updated_at = $2
		 WHERE id = $3 AND status <> 'done'`, worker, now, id); err != nil {
		return store.Submission{}, fmt.Errorf("postgres: start attempt of %s: %w", id, classify(err))
	}
	return s.Submission(ctx, id)
}

func (s *Store) TouchSubmission(ctx context.Context, id string, now time.Time) error {
	if _, err := s.pool.Exec(ctx, "UPDATE submissions SET updated_at = $1 WHERE id = $2 AND status <> 'done'", now, id); err != nil {
		return fmt.Errorf("postgres: touch submission %s: %w", id, err)
	}
	return nil
}

// FinishSubmission inserts the result and marks the submission done in one
// transaction; ON CONFLICT DO NOTHING makes a second finisher (a redelivered
// job) a reader of the first result: the primary key decides, not timing.
func (s *Store) FinishSubmission(ctx context.Context, r store.SubmissionResult) (store.SubmissionResult, bool, error) {
	if r.FinishedAt.IsZero() {
		r.FinishedAt = time.Now()
	}
	if r.Details == nil {
		r.Details = []byte{}
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("postgres: finish submission: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	tag, err := tx.Exec(ctx,
		`INSERT INTO submission_results (submission_id, verdict, message, passed, total, failed_test, max_cpu_us,
		 max_memory_bytes, compile_us, language_version, details, worker, finished_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (submission_id) DO NOTHING`,
		r.SubmissionID, r.Verdict, r.Message, r.Passed, r.Total, r.FailedTest, r.MaxCPUTime.Microseconds(),
		r.MaxMemoryBytes, r.CompileTime.Microseconds(), r.LanguageVersion, r.Details, r.Worker, r.FinishedAt)
	if err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("postgres: finish submission %s: %w", r.SubmissionID, classify(err))
	}
	created := tag.RowsAffected() == 1
	if created {
		if _, err := tx.Exec(ctx, "UPDATE submissions SET status = 'done', updated_at = $1 WHERE id = $2",
			r.FinishedAt, r.SubmissionID); err != nil {
			return store.SubmissionResult{}, false, fmt.Errorf("postgres: finish submission %s: %w", r.SubmissionID, err)
		}
	}
	sub, err := scanSubmission(tx.QueryRow(ctx, "SELECT "+submissionCols+submissionFrom+"WHERE s.id = $1", r.SubmissionID))
	if err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("postgres: finish submission %s: %w", r.SubmissionID, classify(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return store.SubmissionResult{}, false, fmt.Errorf("postgres: finish submission: commit: %w", err)
	}
	if sub.Result == nil {
		// A concurrent finisher's row is not visible yet under READ
		// COMMITTED only if it has not committed; ON CONFLICT waited for it,
		// so this cannot happen, but never hand back a nil result.
		return store.SubmissionResult{}, false, fmt.Errorf("postgres: finish submission %s: result vanished", r.SubmissionID)
	}
	return *sub.Result, created, nil
}

func (s *Store) InFlightSubmissions(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx,
		"SELECT COUNT(*) FROM submissions WHERE user_id = $1 AND status <> 'done'", userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count in-flight submissions: %w", err)
	}
	return n, nil
}

// DeleteExpiredOAuthStates sweeps abandoned sign-ins.
func (s *Store) DeleteExpiredOAuthStates(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, "DELETE FROM oauth_states WHERE expires_at <= $1", now)
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired oauth states: %w", err)
	}
	return tag.RowsAffected(), nil
}
