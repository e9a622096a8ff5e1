package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.Problems = (*Store)(nil)

const problemVersionCols = `v.id, v.problem_id, v.version, v.sha256, v.uuid, v.name, v.difficulty, v.tags,
	v.complexity_time, v.complexity_space, v.time_limit_ms, v.memory_mib, v.interactive, v.scoring,
	pk.size, v.imported_at, v.imported_by, p.enabled, p.latest_version`

const problemVersionFrom = ` FROM problem_versions v
	JOIN problems p ON p.id = v.problem_id
	JOIN problem_packages pk ON pk.sha256 = v.sha256 `

func scanProblemVersion(row pgx.Row) (store.ProblemVersion, error) {
	var v store.ProblemVersion
	var (
		difficulty  *int32
		importedBy  *int64
		tags        []byte
		timeLimitMS int64
		version     int32
		latest      int32
	)
	err := row.Scan(&v.ID, &v.ProblemID, &version, &v.SHA256, &v.UUID, &v.Name, &difficulty, &tags,
		&v.ComplexityTime, &v.ComplexitySpace, &timeLimitMS, &v.MemoryMiB, &v.Interactive, &v.Scoring,
		&v.PackageBytes, &v.ImportedAt, &importedBy, &v.Enabled, &latest)
	if err != nil {
		return store.ProblemVersion{}, err
	}
	v.Version, v.LatestVersion = int(version), int(latest)
	if difficulty != nil {
		v.Difficulty = int(*difficulty)
	}
	if importedBy != nil {
		v.ImportedBy = *importedBy
	}
	v.TimeLimit = time.Duration(timeLimitMS) * time.Millisecond
	v.ImportedAt = utc(v.ImportedAt)
	if err := json.Unmarshal(tags, &v.Tags); err != nil {
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

func problemNullInt(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

// SaveProblemVersion locks the problem row (created first if missing, so
// two importers of a new problem meet on it) for the whole transaction:
// concurrent imports of one problem are numbered one after the other.
func (s *Store) SaveProblemVersion(ctx context.Context, v store.ProblemVersion, zip []byte) (store.ProblemVersion, bool, error) {
	if err := store.CheckProblemVersion(v, zip); err != nil {
		return store.ProblemVersion{}, false, fmt.Errorf("postgres: save problem version: %w", err)
	}
	if v.ImportedAt.IsZero() {
		v.ImportedAt = time.Now()
	}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	tags, err := json.Marshal(v.Tags)
	if err != nil {
		return store.ProblemVersion{}, false, fmt.Errorf("postgres: save problem version: %w", err)
	}
	fail := func(what string, err error) (store.ProblemVersion, bool, error) {
		return store.ProblemVersion{}, false, fmt.Errorf("postgres: save %s: %s: %w", v.ProblemID, what, classify(err))
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fail("begin", err)
	}
	defer tx.Rollback(context.Background())

	now := time.Now()
	if _, err := tx.Exec(ctx, `INSERT INTO problems (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`,
		v.ProblemID, now); err != nil {
		return fail("problem row", err)
	}
	var latest int32
	var uuid *string
	if err := tx.QueryRow(ctx, `SELECT latest_version, uuid FROM problems WHERE id = $1 FOR UPDATE`, v.ProblemID).
		Scan(&latest, &uuid); err != nil {
		return fail("read problem", err)
	}
	if latest > 0 {
		cur, err := scanProblemVersion(tx.QueryRow(ctx, `SELECT `+problemVersionCols+problemVersionFrom+
			`WHERE v.problem_id = $1 AND v.version = $2`, v.ProblemID, latest))
		if err != nil {
			return fail("read newest version", err)
		}
		if cur.SHA256 == v.SHA256 {
			return cur, false, nil
		}
	}
	if v.UUID != "" {
		switch {
		case uuid == nil:
			if _, err := tx.Exec(ctx, `UPDATE problems SET uuid = $1 WHERE id = $2`, v.UUID, v.ProblemID); err != nil {
				if errors.Is(classify(err), store.ErrConflict) {
					return fail("uuid", fmt.Errorf("%w: uuid %s belongs to another problem", store.ErrConflict, v.UUID))
				}
				return fail("uuid", err)
			}
		case *uuid != v.UUID:
			return fail("uuid", fmt.Errorf("%w: the problem has uuid %s, the package says %s", store.ErrConflict, *uuid, v.UUID))
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO problem_packages (sha256, zip, size, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (sha256) DO NOTHING`, v.SHA256, zip, len(zip), now); err != nil {
		return fail("package", err)
	}
	difficulty := problemNullInt(int64(v.Difficulty))
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO problem_versions (problem_id, version, sha256, uuid, name, difficulty, tags,
		complexity_time, complexity_space, time_limit_ms, memory_mib, interactive, scoring, imported_at, imported_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		v.ProblemID, latest+1, v.SHA256, v.UUID, v.Name, difficulty, string(tags),
		v.ComplexityTime, v.ComplexitySpace, v.TimeLimit.Milliseconds(), v.MemoryMiB, v.Interactive, v.Scoring,
		v.ImportedAt, problemNullInt(v.ImportedBy)).Scan(&id); err != nil {
		return fail("version", err)
	}
	for _, tag := range problemTagKeys(v.Tags) {
		if _, err := tx.Exec(ctx, `INSERT INTO problem_tags (tag, version_id) VALUES ($1, $2)`, tag, id); err != nil {
			return fail("tag", err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE problems SET latest_version = $1 WHERE id = $2`, latest+1, v.ProblemID); err != nil {
		return fail("latest version", err)
	}
	saved, err := scanProblemVersion(tx.QueryRow(ctx, `SELECT `+problemVersionCols+problemVersionFrom+`WHERE v.id = $1`, id))
	if err != nil {
		return fail("read back", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fail("commit", err)
	}
	return saved, true, nil
}

func (s *Store) ProblemVersion(ctx context.Context, problemID string, n int) (store.ProblemVersion, error) {
	// Version 0 follows the problem's pointer to its newest version.
	q := `SELECT ` + problemVersionCols + problemVersionFrom + `WHERE v.problem_id = $1 AND v.version = p.latest_version`
	args := []any{problemID}
	if n != 0 {
		q = `SELECT ` + problemVersionCols + problemVersionFrom + `WHERE v.problem_id = $1 AND v.version = $2`
		args = append(args, n)
	}
	v, err := scanProblemVersion(s.pool.QueryRow(ctx, q, args...))
	if err != nil {
		return store.ProblemVersion{}, fmt.Errorf("postgres: problem %s version %d: %w", problemID, n, classify(err))
	}
	return v, nil
}

func (s *Store) ProblemVersionByID(ctx context.Context, id int64) (store.ProblemVersion, error) {
	v, err := scanProblemVersion(s.pool.QueryRow(ctx, `SELECT `+problemVersionCols+problemVersionFrom+`WHERE v.id = $1`, id))
	if err != nil {
		return store.ProblemVersion{}, fmt.Errorf("postgres: problem version #%d: %w", id, classify(err))
	}
	return v, nil
}

func (s *Store) ProblemVersions(ctx context.Context, problemID string) ([]store.ProblemVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+problemVersionCols+problemVersionFrom+
		`WHERE v.problem_id = $1 ORDER BY v.version`, problemID)
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %s: %w", problemID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ProblemVersion, error) { return scanProblemVersion(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %s: %w", problemID, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("postgres: versions of %s: %w", problemID, store.ErrNotFound)
	}
	return out, nil
}

// problemFilterSQL builds the WHERE clause shared by the page and its count.
func problemFilterSQL(f store.ProblemFilter) (string, []any) {
	where := []string{"v.version = p.latest_version"}
	var args []any
	arg := func(a any) string {
		args = append(args, a)
		return "$" + strconv.Itoa(len(args))
	}
	if !f.IncludeDisabled {
		where = append(where, "p.enabled")
	}
	if f.MinDifficulty > 0 {
		where = append(where, "v.difficulty >= "+arg(f.MinDifficulty))
	}
	if f.MaxDifficulty > 0 {
		where = append(where, "v.difficulty <= "+arg(f.MaxDifficulty))
	}
	for _, tag := range problemTagKeys(f.Tags) {
		where = append(where, "EXISTS (SELECT 1 FROM problem_tags t WHERE t.version_id = v.id AND t.tag = "+arg(tag)+")")
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func (s *Store) ListProblems(ctx context.Context, f store.ProblemFilter) ([]store.ProblemVersion, int, error) {
	f = store.NormalizeProblemFilter(f)
	where, args := problemFilterSQL(f)
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM problem_versions v JOIN problems p ON p.id = v.problem_id`+where,
		args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("postgres: list problems: count: %w", err)
	}
	n := len(args)
	rows, err := s.pool.Query(ctx, `SELECT `+problemVersionCols+problemVersionFrom+where+
		` ORDER BY v.difficulty NULLS LAST, v.problem_id LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2),
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list problems: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ProblemVersion, error) { return scanProblemVersion(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: list problems: %w", err)
	}
	return out, total, nil
}

func (s *Store) ProblemPackage(ctx context.Context, versionID int64) ([]byte, error) {
	var zip []byte
	err := s.pool.QueryRow(ctx, `SELECT pk.zip FROM problem_versions v JOIN problem_packages pk ON pk.sha256 = v.sha256
		WHERE v.id = $1`, versionID).Scan(&zip)
	if err != nil {
		return nil, fmt.Errorf("postgres: package of problem version #%d: %w", versionID, classify(err))
	}
	return zip, nil
}

func (s *Store) SetProblemEnabled(ctx context.Context, problemID string, enabled bool) error {
	tag, err := s.pool.Exec(ctx, `UPDATE problems SET enabled = $1 WHERE id = $2`, enabled, problemID)
	if err != nil {
		return fmt.Errorf("postgres: enable problem %s: %w", problemID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: enable problem %s: %w", problemID, store.ErrNotFound)
	}
	return nil
}
