package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.Problems = (*Store)(nil)

const problemVersionCols = `v.id, v.problem_id, v.version, v.sha256, v.uuid, v.name, v.difficulty, v.tags,
	v.complexity_time, v.complexity_space, v.time_limit_ms, v.memory_mib, v.interactive, v.scoring,
	pk.size, v.imported_at, v.imported_by, p.enabled, p.latest_version`

const problemVersionFrom = ` FROM problem_versions v
	JOIN problems p ON p.id = v.problem_id
	JOIN problem_packages pk ON pk.sha256 = v.sha256 `

func scanProblemVersion(row rowScanner) (store.ProblemVersion, error) {
	var v store.ProblemVersion
	var (
		difficulty, importedBy sql.NullInt64
		tags                   string
		timeLimitMS, imported  int64
	)
	err := row.Scan(&v.ID, &v.ProblemID, &v.Version, &v.SHA256, &v.UUID, &v.Name, &difficulty, &tags,
		&v.ComplexityTime, &v.ComplexitySpace, &timeLimitMS, &v.MemoryMiB, &v.Interactive, &v.Scoring,
		&v.PackageBytes, &imported, &importedBy, &v.Enabled, &v.LatestVersion)
	if err != nil {
		return store.ProblemVersion{}, err
	}
	v.Difficulty = int(difficulty.Int64)
	v.ImportedBy = importedBy.Int64
	v.TimeLimit = time.Duration(timeLimitMS) * time.Millisecond
	v.ImportedAt = fromMicros(imported)
	if err := json.Unmarshal([]byte(tags), &v.Tags); err != nil {
		return store.ProblemVersion{}, fmt.Errorf("problem %s v%d: tags: %w", v.ProblemID, v.Version, err)
	}
	return v, nil
}

// problemTagKeys lower-cases and de-duplicates tags for the filter index.
func problemTagKeys(tags []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range tags {
		k := strings.ToLower(strings.TrimSpace(t))
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func problemNullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// SaveProblemVersion runs in one IMMEDIATE transaction on the single writer
// connection, so two imports of the same problem cannot pick one number.
func (s *Store) SaveProblemVersion(ctx context.Context, v store.ProblemVersion, zip []byte) (store.ProblemVersion, bool, error) {
	if err := store.CheckProblemVersion(v, zip); err != nil {
		return store.ProblemVersion{}, false, fmt.Errorf("sqlite: save problem version: %w", err)
	}
	if v.ImportedAt.IsZero() {
		v.ImportedAt = time.Now()
	}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	tags, err := json.Marshal(v.Tags)
	if err != nil {
		return store.ProblemVersion{}, false, fmt.Errorf("sqlite: save problem version: %w", err)
	}
	fail := func(what string, err error) (store.ProblemVersion, bool, error) {
		return store.ProblemVersion{}, false, fmt.Errorf("sqlite: save %s: %s: %w", v.ProblemID, what, classify(err))
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fail("begin", err)
	}
	defer tx.Rollback()

	now := micros(time.Now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO problems (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`,
		v.ProblemID, now); err != nil {
		return fail("problem row", err)
	}
	var latest int
	var uuid sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT latest_version, uuid FROM problems WHERE id = ?`, v.ProblemID).
		Scan(&latest, &uuid); err != nil {
		return fail("read problem", err)
	}
	if latest > 0 {
		cur, err := scanProblemVersion(tx.QueryRowContext(ctx, `SELECT `+problemVersionCols+problemVersionFrom+
			`WHERE v.problem_id = ? AND v.version = ?`, v.ProblemID, latest))
		if err != nil {
			return fail("read newest version", err)
		}
		if cur.SHA256 == v.SHA256 {
			return cur, false, nil
		}
	}
	if v.UUID != "" {
		switch {
		case !uuid.Valid:
			if _, err := tx.ExecContext(ctx, `UPDATE problems SET uuid = ? WHERE id = ?`, v.UUID, v.ProblemID); err != nil {
				if errors.Is(classify(err), store.ErrConflict) {
					return fail("uuid", fmt.Errorf("%w: uuid %s belongs to another problem", store.ErrConflict, v.UUID))
				}
				return fail("uuid", err)
			}
		case uuid.String != v.UUID:
			return fail("uuid", fmt.Errorf("%w: the problem has uuid %s, the package says %s", store.ErrConflict, uuid.String, v.UUID))
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO problem_packages (sha256, zip, size, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`, v.SHA256, zip, len(zip), now); err != nil {
		return fail("package", err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO problem_versions (problem_id, version, sha256, uuid, name, difficulty, tags,
		complexity_time, complexity_space, time_limit_ms, memory_mib, interactive, scoring, imported_at, imported_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		v.ProblemID, latest+1, v.SHA256, v.UUID, v.Name, problemNullInt(int64(v.Difficulty)), string(tags),
		v.ComplexityTime, v.ComplexitySpace, v.TimeLimit.Milliseconds(), v.MemoryMiB, v.Interactive, v.Scoring,
		micros(v.ImportedAt), problemNullInt(v.ImportedBy)).Scan(&id); err != nil {
		return fail("version", err)
	}
	for _, tag := range problemTagKeys(v.Tags) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO problem_tags (tag, version_id) VALUES (?, ?)`, tag, id); err != nil {
			return fail("tag", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE problems SET latest_version = ? WHERE id = ?`, latest+1, v.ProblemID); err != nil {
		return fail("latest version", err)
	}
	saved, err := scanProblemVersion(tx.QueryRowContext(ctx, `SELECT `+problemVersionCols+problemVersionFrom+`WHERE v.id = ?`, id))
	if err != nil {
		return fail("read back", err)
	}
	if err := tx.Commit(); err != nil {
		return fail("commit", err)
	}
	return saved, true, nil
}

func (s *Store) ProblemVersion(ctx context.Context, problemID string, n int) (store.ProblemVersion, error) {
	// Version 0 follows the problem's pointer to its newest version.
	q := `SELECT ` + problemVersionCols + problemVersionFrom + `WHERE v.problem_id = ? AND v.version = p.latest_version`
	args := []any{problemID}
	if n != 0 {
		q = `SELECT ` + problemVersionCols + problemVersionFrom + `WHERE v.problem_id = ? AND v.version = ?`
		args = append(args, n)
	}
	v, err := scanProblemVersion(s.r.QueryRowContext(ctx, q, args...))
	if err != nil {
		return store.ProblemVersion{}, fmt.Errorf("sqlite: problem %s version %d: %w", problemID, n, classify(err))
	}
	return v, nil
}

func (s *Store) ProblemVersionByID(ctx context.Context, id int64) (store.ProblemVersion, error) {
	v, err := scanProblemVersion(s.r.QueryRowContext(ctx, `SELECT `+problemVersionCols+problemVersionFrom+`WHERE v.id = ?`, id))
	if err != nil {
		return store.ProblemVersion{}, fmt.Errorf("sqlite: problem version #%d: %w", id, classify(err))
	}
	return v, nil
}

func (s *Store) ProblemVersions(ctx context.Context, problemID string) ([]store.ProblemVersion, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+problemVersionCols+problemVersionFrom+
		`WHERE v.problem_id = ? ORDER BY v.version`, problemID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %s: %w", problemID, err)
	}
	out, err := collectProblemVersions(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %s: %w", problemID, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sqlite: versions of %s: %w", problemID, store.ErrNotFound)
	}
	return out, nil
}

func collectProblemVersions(rows *sql.Rows) ([]store.ProblemVersion, error) {
	defer rows.Close()
	var out []store.ProblemVersion
	for rows.Next() {
		v, err := scanProblemVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// problemFilterSQL builds the WHERE clause shared by the page and its count.
func problemFilterSQL(f store.ProblemFilter) (string, []any) {
	where := []string{"v.version = p.latest_version"}
	var args []any
	if !f.IncludeDisabled {
		where = append(where, "p.enabled = 1")
	}
	if f.MinDifficulty > 0 {
		where = append(where, "v.difficulty >= ?")
		args = append(args, f.MinDifficulty)
	}
	if f.MaxDifficulty > 0 {
		where = append(where, "v.difficulty <= ?")
		args = append(args, f.MaxDifficulty)
	}
	for _, tag := range problemTagKeys(f.Tags) {
		where = append(where, "EXISTS (SELECT 1 FROM problem_tags t WHERE t.version_id = v.id AND t.tag = ?)")
		args = append(args, tag)
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func (s *Store) ListProblems(ctx context.Context, f store.ProblemFilter) ([]store.ProblemVersion, int, error) {
	f = store.NormalizeProblemFilter(f)
	where, args := problemFilterSQL(f)
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM problem_versions v JOIN problems p ON p.id = v.problem_id`+where,
		args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: list problems: count: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+problemVersionCols+problemVersionFrom+where+
		` ORDER BY COALESCE(v.difficulty, 1000000000), v.problem_id LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: list problems: %w", err)
	}
	out, err := collectProblemVersions(rows)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: list problems: %w", err)
	}
	return out, total, nil
}

func (s *Store) ProblemPackage(ctx context.Context, versionID int64) ([]byte, error) {
	var zip []byte
	err := s.r.QueryRowContext(ctx, `SELECT pk.zip FROM problem_versions v JOIN problem_packages pk ON pk.sha256 = v.sha256
		WHERE v.id = ?`, versionID).Scan(&zip)
	if err != nil {
		return nil, fmt.Errorf("sqlite: package of problem version #%d: %w", versionID, classify(err))
	}
	return zip, nil
}

func (s *Store) SetProblemEnabled(ctx context.Context, problemID string, enabled bool) error {
	res, err := s.w.ExecContext(ctx, `UPDATE problems SET enabled = ? WHERE id = ?`, enabled, problemID)
	if err != nil {
		return fmt.Errorf("sqlite: enable problem %s: %w", problemID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: enable problem %s: %w", problemID, store.ErrNotFound)
	}
	return nil
}
