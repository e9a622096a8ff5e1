package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.Arena = (*Store)(nil)

// nullTime maps the zero time to NULL ("not yet").
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func (s *Store) CreateMatch(ctx context.Context, m store.ArenaMatch) error {
	if m.ID == "" || len(m.Players) == 0 {
		return errors.New("postgres: create match: empty id or no players")
	}
	if m.Snapshot == nil {
		m.Snapshot = []byte("{}")
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: create match: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	// The players' rows are locked (in id order: no deadlock between two
	// creations) so that two creations for one player are serialized:
	// the second sees the first's match.
	users := make([]int64, 0, len(m.Players))
	for _, p := range m.Players {
		users = append(users, p.UserID)
	}
	if _, err := tx.Exec(ctx, `SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR UPDATE`, users); err != nil {
		return fmt.Errorf("postgres: create match %s: lock players: %w", m.ID, classify(err))
	}
	var busyUser int64
	var busy string
	err = tx.QueryRow(ctx, `SELECT mp.user_id, m.id FROM match_players mp JOIN matches m ON m.id = mp.match_id
		WHERE mp.user_id = ANY($1) AND m.state NOT IN ('finished', 'cancelled') AND m.id <> $2 LIMIT 1`, users, m.ID).Scan(&busyUser, &busy)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return fmt.Errorf("postgres: create match %s: players: %w", m.ID, classify(err))
	default:
		return fmt.Errorf("postgres: create match %s: player %d is in match %s: %w", m.ID, busyUser, busy, store.ErrPlayerBusy)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO matches (id, mode, rule, problem_id, problem_version, problem_title,
		problem_difficulty, state, created_at, starts_at, deadline, snapshot, fence, live_editors) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		m.ID, m.Mode, store.RuleOr(m.Rule), m.ProblemID, m.ProblemVersion, m.ProblemTitle, m.ProblemDifficulty, m.State,
		m.CreatedAt.UTC(), nullTime(m.StartsAt), nullTime(m.Deadline), m.Snapshot, m.Fence, m.LiveEditors); err != nil {
		return fmt.Errorf("postgres: create match %s: %w", m.ID, classify(err))
	}
	for i, p := range m.Players {
		if _, err := tx.Exec(ctx, `INSERT INTO match_players (match_id, user_id, seat, rating_before, rd_before,
			rating_after, rd_after) VALUES ($1, $2, $3, $4, $5, $4, $5)`,
			m.ID, p.UserID, i, p.RatingBefore, p.RDBefore); err != nil {
			return fmt.Errorf("postgres: create match %s: player %d: %w", m.ID, p.UserID, classify(err))
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: create match: commit: %w", err)
	}
	return nil
}

func (s *Store) SaveMatchState(ctx context.Context, m store.ArenaMatch) error {
	errs, err := s.SaveMatchStates(ctx, []store.ArenaMatch{m})
	if err != nil {
		return err
	}
	return errs[0]
}

// SaveMatchStates sends every update in one batch inside one
// transaction: one round trip and one commit for the batch. A row an
// update missed (absent, fenced, or terminal) is told apart by its fence.
func (s *Store) SaveMatchStates(ctx context.Context, ms []store.ArenaMatch) ([]error, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: save matches: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	batch := &pgx.Batch{}
	for _, m := range ms {
		if m.Snapshot == nil {
			m.Snapshot = []byte("{}")
		}
		batch.Queue(`UPDATE matches SET state = $1, problem_id = $2, problem_version = $3,
			problem_title = $4, problem_difficulty = $5, starts_at = $6, deadline = $7, snapshot = $8, fence = $9
			WHERE id = $10 AND state NOT IN ('finished', 'cancelled') AND fence <= $9`,
			m.State, m.ProblemID, m.ProblemVersion, m.ProblemTitle, m.ProblemDifficulty, nullTime(m.StartsAt), nullTime(m.Deadline),
			m.Snapshot, m.Fence, m.ID)
	}
	br := tx.SendBatch(ctx, batch)
	missed := []int{}
	for i, m := range ms {
		tag, err := br.Exec()
		if err != nil {
			br.Close()
			return nil, fmt.Errorf("postgres: save match %s: %w", m.ID, err)
		}
		if tag.RowsAffected() == 0 {
			missed = append(missed, i)
		}
	}
	if err := br.Close(); err != nil {
		return nil, fmt.Errorf("postgres: save matches: %w", err)
	}
	errs := make([]error, len(ms))
	for _, i := range missed {
		m := ms[i]
		var fence int64
		err := tx.QueryRow(ctx, "SELECT fence FROM matches WHERE id = $1", m.ID).Scan(&fence)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			errs[i] = fmt.Errorf("postgres: save match %s: %w", m.ID, store.ErrNotFound)
		case err != nil:
			return nil, fmt.Errorf("postgres: save match %s: %w", m.ID, err)
		case fence > m.Fence:
			errs[i] = fmt.Errorf("postgres: save match %s with token %d (held %d): %w", m.ID, m.Fence, fence, store.ErrFenced)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: save matches: commit: %w", err)
	}
	return errs, nil
}

func (s *Store) ClaimMatch(ctx context.Context, id string, fence int64) (store.ArenaMatch, error) {
	tag, err := s.pool.Exec(ctx, "UPDATE matches SET fence = $1 WHERE id = $2 AND fence <= $1", fence, id)
	if err != nil {
		return store.ArenaMatch{}, fmt.Errorf("postgres: claim match %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		var held int64
		if err := s.pool.QueryRow(ctx, "SELECT fence FROM matches WHERE id = $1", id).Scan(&held); err != nil {
			return store.ArenaMatch{}, fmt.Errorf("postgres: claim match %s: %w", id, classify(err))
		}
		return store.ArenaMatch{}, fmt.Errorf("postgres: claim match %s with token %d (held %d): %w", id, fence, held, store.ErrFenced)
	}
	return s.ArenaMatch(ctx, id)
}

func (s *Store) ActivePlayers(ctx context.Context, limit int) ([]store.ActivePlayer, error) {
	rows, err := s.pool.Query(ctx, `SELECT mp.match_id, mp.user_id FROM matches m JOIN match_players mp ON mp.match_id = m.id
		WHERE m.state NOT IN ('finished', 'cancelled') ORDER BY m.created_at, m.id, mp.seat LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: active players: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ActivePlayer, error) {
		var p store.ActivePlayer
		err := r.Scan(&p.MatchID, &p.UserID)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: active players: %w", err)
	}
	if out == nil {
		out = []store.ActivePlayer{}
	}
	return out, nil
}

// FinishMatch locks the match row (FOR UPDATE) first: a second finisher on
// another node waits, then sees the terminal state and writes nothing.
func (s *Store) FinishMatch(ctx context.Context, f store.ArenaFinish, compute func([]store.ArenaStanding) ([]store.ArenaUpdate, error)) (bool, error) {
	if f.State != store.MatchFinished && f.State != store.MatchCancelled {
		return false, fmt.Errorf("postgres: finish match %s: state %q is not terminal", f.MatchID, f.State)
	}
	if f.Snapshot == nil {
		f.Snapshot = []byte("{}")
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: finish match: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	var state string
	var fence int64
	if err := tx.QueryRow(ctx, "SELECT state, fence FROM matches WHERE id = $1 FOR UPDATE", f.MatchID).Scan(&state, &fence); err != nil {
		return false, fmt.Errorf("postgres: finish match %s: %w", f.MatchID, classify(err))
	}
	if fence > f.Fence {
		return false, fmt.Errorf("postgres: finish match %s with token %d (held %d): %w", f.MatchID, f.Fence, fence, store.ErrFenced)
	}
	if state == store.MatchFinished || state == store.MatchCancelled {
		return false, nil
	}
	at := f.FinishedAt.UTC().Truncate(time.Microsecond)
	if _, err := tx.Exec(ctx, `UPDATE matches SET state = $1, reason = $2, winner_id = $3, finished_at = $4, snapshot = $5,
		fence = $6 WHERE id = $7`, f.State, f.Reason, f.WinnerID, at, f.Snapshot, f.Fence, f.MatchID); err != nil {
		return false, fmt.Errorf("postgres: finish match %s: %w", f.MatchID, err)
	}
	if f.State == store.MatchCancelled {
		if err := tx.Commit(ctx); err != nil {
			return false, fmt.Errorf("postgres: finish match: commit: %w", err)
		}
		return true, nil
	}
	// Profiles are locked in user-id order so two matches finishing at once
	// (a player can be in only one, but be safe) cannot deadlock.
	rows, err := tx.Query(ctx, `SELECT p.user_id, p.display_name, p.avatar_url, p.rating, p.rd, p.volatility, p.xp, p.level
		FROM profiles p WHERE p.user_id IN (SELECT user_id FROM match_players WHERE match_id = $1)
		ORDER BY p.user_id FOR UPDATE`, f.MatchID)
	if err != nil {
		return false, fmt.Errorf("postgres: finish match %s: players: %w", f.MatchID, err)
	}
	standings, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ArenaStanding, error) {
		var p store.Profile
		err := r.Scan(&p.UserID, &p.DisplayName, &p.AvatarURL, &p.Rating, &p.RD, &p.Volatility, &p.XP, &p.Level)
		return store.ArenaStanding{Profile: p}, err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: finish match %s: players: %w", f.MatchID, err)
	}
	for i := range standings {
		if standings[i].WinStreak, err = winStreak(ctx, tx, standings[i].Profile.UserID); err != nil {
			return false, fmt.Errorf("postgres: finish match %s: streak: %w", f.MatchID, err)
		}
	}
	ups, err := compute(standings)
	if err != nil {
		return false, fmt.Errorf("postgres: finish match %s: %w", f.MatchID, err)
	}
	for _, u := range ups {
		var before store.Profile
		for _, st := range standings {
			if st.Profile.UserID == u.UserID {
				before = st.Profile
			}
		}
		if before.UserID == 0 {
			return false, fmt.Errorf("postgres: finish match %s: update for user %d who did not play", f.MatchID, u.UserID)
		}
		ratingAfter, rdAfter, vol := before.Rating, before.RD, before.Volatility
		if u.Rated {
			ratingAfter, rdAfter, vol = u.Rating, u.RD, u.Volatility
		}
		if _, err := tx.Exec(ctx, `UPDATE match_players SET rating_after = $1, rd_after = $2, xp_gained = $3, result = $4,
			place = $5, best_submission_id = $6, finished_at = $7, profile_rating = $8, profile_rd = $9, profile_vol = $10,
			vol_after = $11 WHERE match_id = $12 AND user_id = $13`,
			ratingAfter, rdAfter, u.XP, u.Result, u.Place, u.BestSubmissionID, at, before.Rating, before.RD, before.Volatility, vol,
			f.MatchID, u.UserID); err != nil {
			return false, fmt.Errorf("postgres: finish match %s: player %d: %w", f.MatchID, u.UserID, err)
		}
		if u.Rated {
			if _, err := tx.Exec(ctx, `INSERT INTO rating_history (user_id, match_id, at, rating, rd, delta)
				VALUES ($1, $2, $3, $4, $5, $6)`, u.UserID, f.MatchID, at, ratingAfter, rdAfter, ratingAfter-before.Rating); err != nil {
				return false, fmt.Errorf("postgres: finish match %s: rating history: %w", f.MatchID, classify(err))
			}
		}
		bd := u.XPBreakdown
		if bd == nil {
			bd = []byte("{}")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO xp_events (user_id, match_id, at, amount, breakdown) VALUES ($1, $2, $3, $4, $5)`,
			u.UserID, f.MatchID, at, u.XP, bd); err != nil {
			return false, fmt.Errorf("postgres: finish match %s: xp event: %w", f.MatchID, classify(err))
		}
		if _, err := tx.Exec(ctx, `UPDATE profiles SET rating = $1, rd = $2, volatility = $3, xp = xp + $4, level = $5,
			updated_at = $6 WHERE user_id = $7`, ratingAfter, rdAfter, vol, u.XP, u.Level, at, u.UserID); err != nil {
			return false, fmt.Errorf("postgres: finish match %s: profile %d: %w", f.MatchID, u.UserID, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("postgres: finish match: commit: %w", err)
	}
	return true, nil
}

const matchCols = `m.id, m.mode, m.rule, m.problem_id, m.problem_version, m.problem_title, m.problem_difficulty, m.state,
	m.created_at, m.starts_at, m.deadline, m.finished_at, m.reason, m.winner_id, m.snapshot, m.fence, m.voided, m.live_editors`

func (s *Store) queryMatches(ctx context.Context, what, query string, args ...any) ([]store.ArenaMatch, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ArenaMatch, error) {
		var m store.ArenaMatch
		var starts, deadline, finished *time.Time
		err := r.Scan(&m.ID, &m.Mode, &m.Rule, &m.ProblemID, &m.ProblemVersion, &m.ProblemTitle, &m.ProblemDifficulty, &m.State,
			&m.CreatedAt, &starts, &deadline, &finished, &m.Reason, &m.WinnerID, &m.Snapshot, &m.Fence, &m.Voided, &m.LiveEditors)
		m.CreatedAt, m.StartsAt, m.Deadline, m.FinishedAt = m.CreatedAt.UTC(), fromNull(starts), fromNull(deadline), fromNull(finished)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	if len(ms) == 0 {
		return ms, nil
	}
	ids := make([]string, len(ms))
	index := map[string]int{}
	for i, m := range ms {
		ids[i] = m.ID
		index[m.ID] = i
	}
	prows, err := s.pool.Query(ctx, `SELECT mp.match_id, mp.user_id, u.username, mp.seat, mp.rating_before, mp.rd_before,
		mp.rating_after, mp.rd_after, mp.xp_gained, mp.result, mp.place, mp.best_submission_id
		FROM match_players mp JOIN users u ON u.id = mp.user_id
		WHERE mp.match_id = ANY($1) ORDER BY mp.match_id, mp.seat`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: players: %w", what, err)
	}
	defer prows.Close()
	for prows.Next() {
		var id string
		var p store.ArenaPlayer
		if err := prows.Scan(&id, &p.UserID, &p.Username, &p.Seat, &p.RatingBefore, &p.RDBefore, &p.RatingAfter, &p.RDAfter,
			&p.XPGained, &p.Result, &p.Place, &p.BestSubmissionID); err != nil {
			return nil, fmt.Errorf("postgres: %s: players: %w", what, err)
		}
		ms[index[id]].Players = append(ms[index[id]].Players, p)
	}
	if err := prows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: players: %w", what, err)
	}
	return ms, nil
}

func (s *Store) ArenaMatch(ctx context.Context, id string) (store.ArenaMatch, error) {
	ms, err := s.queryMatches(ctx, "match "+id, "SELECT "+matchCols+" FROM matches m WHERE m.id = $1", id)
	if err != nil {
		return store.ArenaMatch{}, err
	}
	if len(ms) == 0 {
		return store.ArenaMatch{}, store.ErrNotFound
	}
	return ms[0], nil
}

func (s *Store) ActiveMatches(ctx context.Context, limit int) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "active matches", "SELECT "+matchCols+` FROM matches m
		WHERE m.state NOT IN ('finished', 'cancelled') ORDER BY m.created_at, m.id LIMIT $1`, limit)
}

func (s *Store) ActiveMatchesAfter(ctx context.Context, cur store.MatchCursor, limit int) ([]store.ArenaMatch, error) {
	if cur.ID == "" {
		return s.ActiveMatches(ctx, limit)
	}
	return s.queryMatches(ctx, "active matches", "SELECT "+matchCols+` FROM matches m
		WHERE m.state NOT IN ('finished', 'cancelled') AND (m.created_at, m.id) > ($1, $2)
		ORDER BY m.created_at, m.id LIMIT $3`, cur.CreatedAt.UTC(), cur.ID, limit)
}

func (s *Store) RecentMatches(ctx context.Context, userID int64, limit int) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "recent matches", "SELECT "+matchCols+` FROM match_players mp
		JOIN matches m ON m.id = mp.match_id WHERE mp.user_id = $1 AND m.state = 'finished'
		ORDER BY m.finished_at DESC, m.id LIMIT $2`, userID, limit)
}

func (s *Store) PublicMatches(ctx context.Context, userID int64, limit int) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "public matches", "SELECT "+matchCols+` FROM match_players mp
		JOIN matches m ON m.id = mp.match_id WHERE mp.user_id = $1 AND m.state = 'finished' AND m.mode NOT IN ('practice', 'private')
		ORDER BY m.finished_at DESC, m.id LIMIT $2`, userID, limit)
}

func (s *Store) RecentlyFinished(ctx context.Context, limit int) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "recently finished", "SELECT "+matchCols+` FROM matches m
		WHERE m.state = 'finished' AND m.mode NOT IN ('practice', 'private') ORDER BY m.finished_at DESC, m.id LIMIT $1`, limit)
}

// winStreak counts the user's consecutive wins, newest first, in finished
// matches (at most 50 are looked at: the streak bonus caps far below).
func winStreak(ctx context.Context, q interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}, userID int64) (int, error) {
	rows, err := q.Query(ctx, `SELECT mp.result FROM match_players mp JOIN matches m ON m.id = mp.match_id
		WHERE mp.user_id = $1 AND mp.result <> '' AND NOT m.voided ORDER BY mp.finished_at DESC LIMIT 50`, userID)
	if err != nil {
		return 0, err
	}
	results, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range results {
		if r != store.ResultWin {
			break
		}
		n++
	}
	return n, nil
}

func (s *Store) WinStreak(ctx context.Context, userID int64) (int, error) {
	n, err := winStreak(ctx, s.pool, userID)
	if err != nil {
		return 0, fmt.Errorf("postgres: win streak of %d: %w", userID, err)
	}
	return n, nil
}

func (s *Store) WinStreaks(ctx context.Context, userIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	for _, id := range userIDs {
		n, err := winStreak(ctx, s.pool, id)
		if err != nil {
			return nil, fmt.Errorf("postgres: win streak of %d: %w", id, err)
		}
		if n > 0 {
			out[id] = n
		}
	}
	return out, nil
}

func (s *Store) RatedUsers(ctx context.Context, userIDs []int64) ([]store.RatedUser, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT u.id, u.username, p.rating, p.rd FROM users u JOIN profiles p ON p.user_id = u.id
		WHERE NOT u.disabled AND u.id = ANY($1) ORDER BY u.id`, userIDs)
	if err != nil {
		return nil, fmt.Errorf("postgres: rated users: %w", err)
	}
	us, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.RatedUser, error) {
		var u store.RatedUser
		err := r.Scan(&u.ID, &u.Username, &u.Rating, &u.RD)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: rated users: %w", err)
	}
	return us, nil
}

func (s *Store) RecentProblems(ctx context.Context, userID int64, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT m.problem_id FROM match_players mp JOIN matches m ON m.id = mp.match_id
		WHERE mp.user_id = $1 AND m.problem_id <> '' AND m.state <> 'cancelled'
		ORDER BY m.created_at DESC, m.id LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: recent problems: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: recent problems: %w", err)
	}
	return ids, nil
}

func (s *Store) RatingHistory(ctx context.Context, userID int64, limit int) ([]store.RatingPoint, error) {
	rows, err := s.pool.Query(ctx, `SELECT match_id, at, rating, rd, delta FROM (
		SELECT * FROM rating_history WHERE user_id = $1 ORDER BY at DESC, match_id DESC LIMIT $2) h ORDER BY at, match_id`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: rating history: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.RatingPoint, error) {
		var p store.RatingPoint
		err := r.Scan(&p.MatchID, &p.At, &p.Rating, &p.RD, &p.Delta)
		p.At = p.At.UTC()
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: rating history: %w", err)
	}
	return ps, nil
}

func boardSQL(q store.LeaderboardQuery) (string, error) {
	const base = `SELECT u.id, u.username, p.rating, p.rd, p.xp, p.level, COALESCE(w.weekly, 0)::bigint AS weekly
		FROM users u JOIN profiles p ON p.user_id = u.id
		LEFT JOIN (SELECT user_id, SUM(amount) AS weekly FROM xp_events WHERE at >= $1 GROUP BY user_id) w ON w.user_id = u.id
		WHERE NOT u.disabled`
	switch q.Board {
	case store.BoardRating:
		return `SELECT b.*, ROW_NUMBER() OVER (ORDER BY rating DESC, id) AS rank FROM (` + base + `) b`, nil
	case store.BoardWeeklyXP:
		return `SELECT b.*, ROW_NUMBER() OVER (ORDER BY weekly DESC, id) AS rank FROM (` + base + ` AND w.weekly > 0) b`, nil
	}
	return "", fmt.Errorf("postgres: unknown leaderboard %q", q.Board)
}

func scanEntry(row pgx.Row) (store.LeaderboardEntry, error) {
	var e store.LeaderboardEntry
	err := row.Scan(&e.UserID, &e.Username, &e.Rating, &e.RD, &e.XP, &e.Level, &e.WeeklyXP, &e.Rank)
	return e, err
}

func (s *Store) Leaderboard(ctx context.Context, q store.LeaderboardQuery) ([]store.LeaderboardEntry, int, error) {
	board, err := boardSQL(q)
	if err != nil {
		return nil, 0, err
	}
	since := q.Since.UTC()
	var total int
	if q.Board == store.BoardRating {
		err = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE NOT disabled").Scan(&total)
	} else {
		err = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM ("+board+") c", since).Scan(&total)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: leaderboard: %w", err)
	}
	var rows pgx.Rows
	if q.Board == store.BoardRating {
		// The rating board walks the rating index from the top: a page
		// costs offset + limit rows, not a window over every user.
		rows, err = s.pool.Query(ctx, `SELECT u.id, u.username, p.rating, p.rd, p.xp, p.level,
			COALESCE((SELECT SUM(amount) FROM xp_events x WHERE x.user_id = u.id AND x.at >= $1), 0)::bigint, 0::bigint
			FROM profiles p JOIN users u ON u.id = p.user_id WHERE NOT u.disabled
			ORDER BY p.rating DESC, p.user_id LIMIT $2 OFFSET $3`, since, q.Limit, q.Offset)
	} else {
		rows, err = s.pool.Query(ctx, "SELECT * FROM ("+board+") r ORDER BY rank LIMIT $2 OFFSET $3", since, q.Limit, q.Offset)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: leaderboard: %w", err)
	}
	es, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.LeaderboardEntry, error) { return scanEntry(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: leaderboard: %w", err)
	}
	if q.Board == store.BoardRating {
		for i := range es {
			es[i].Rank = q.Offset + i + 1
		}
	}
	return es, total, nil
}

func (s *Store) LeaderboardEntry(ctx context.Context, q store.LeaderboardQuery, userID int64) (store.LeaderboardEntry, error) {
	board, err := boardSQL(q)
	if err != nil {
		return store.LeaderboardEntry{}, err
	}
	e, err := scanEntry(s.pool.QueryRow(ctx, "SELECT * FROM ("+board+") r WHERE id = $2", q.Since.UTC(), userID))
	if err != nil {
		return store.LeaderboardEntry{}, fmt.Errorf("postgres: leaderboard entry: %w", classify(err))
	}
	return e, nil
}

func (s *Store) ArenaStats(ctx context.Context, userID int64) (store.ArenaStats, error) {
	var st store.ArenaStats
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FILTER (WHERE mp.result = 'win' AND NOT m.voided),
		COUNT(*) FILTER (WHERE mp.result = 'loss' AND NOT m.voided), COUNT(*) FILTER (WHERE mp.result = 'draw' AND NOT m.voided), COUNT(*) FILTER (WHERE m.state = 'finished')
		FROM match_players mp JOIN matches m ON m.id = mp.match_id WHERE mp.user_id = $1`, userID).Scan(&st.Wins, &st.Losses, &st.Draws, &st.Played)
	if err != nil {
		return st, fmt.Errorf("postgres: arena stats: %w", err)
	}
	return st, nil
}

func (s *Store) UserActiveMatches(ctx context.Context, userID int64) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "user's active matches", "SELECT "+matchCols+` FROM match_players mp
		JOIN matches m ON m.id = mp.match_id WHERE mp.user_id = $1 AND m.state NOT IN ('finished', 'cancelled')
		ORDER BY m.created_at, m.id`, userID)
}

func (s *Store) CompletedMatches(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM match_players mp JOIN matches m ON m.id = mp.match_id
		WHERE mp.user_id = $1 AND m.state = 'finished' AND mp.best_submission_id <> ''`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: completed matches: %w", err)
	}
	return n, nil
}

func (s *Store) PairMatches(ctx context.Context, a, b int64, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM match_players pa
		JOIN match_players pb ON pb.match_id = pa.match_id AND pb.user_id = $1
		JOIN matches m ON m.id = pa.match_id
		WHERE pa.user_id = $2 AND pa.finished_at >= $3 AND m.state = 'finished' AND NOT m.voided AND pa.result <> ''`,
		b, a, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: pair matches: %w", err)
	}
	return n, nil
}
