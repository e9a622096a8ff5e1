package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.Arena = (*Store)(nil)

// opt converts a possibly zero time to the on-disk form (0 = not set).
func opt(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return micros(t)
}

func fromOpt(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return fromMicros(us)
}

func (s *Store) CreateMatch(ctx context.Context, m store.ArenaMatch) error {
	if m.ID == "" || len(m.Players) == 0 {
		return errors.New("sqlite: create match: empty id or no players")
	}
	if m.Snapshot == nil {
		m.Snapshot = []byte("{}")
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: create match: begin: %w", err)
	}
	defer tx.Rollback()
	// One writer: the check and the insert cannot interleave with another
	// creation. (The match itself is left out: an id stored twice is
	// ErrConflict, from the insert.)
	for _, p := range m.Players {
		var busy string
		err := tx.QueryRowContext(ctx, `SELECT m.id FROM match_players mp JOIN matches m ON m.id = mp.match_id
			WHERE mp.user_id = ? AND m.state NOT IN ('finished', 'cancelled') AND m.id <> ? LIMIT 1`, p.UserID, m.ID).Scan(&busy)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("sqlite: create match %s: player %d: %w", m.ID, p.UserID, err)
		default:
			return fmt.Errorf("sqlite: create match %s: player %d is in match %s: %w", m.ID, p.UserID, busy, store.ErrPlayerBusy)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO matches (id, mode, rule, problem_id, problem_version, problem_title,
		problem_difficulty, state, created_at, starts_at, deadline, snapshot, fence, live_editors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.Mode, store.RuleOr(m.Rule), m.ProblemID, m.ProblemVersion, m.ProblemTitle, m.ProblemDifficulty, m.State,
		micros(m.CreatedAt), opt(m.StartsAt), opt(m.Deadline), m.Snapshot, m.Fence, m.LiveEditors); err != nil {
		return fmt.Errorf("sqlite: create match %s: %w", m.ID, classify(err))
	}
	for i, p := range m.Players {
		if _, err := tx.ExecContext(ctx, `INSERT INTO match_players (match_id, user_id, seat, rating_before, rd_before,
			rating_after, rd_after) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			m.ID, p.UserID, i, p.RatingBefore, p.RDBefore, p.RatingBefore, p.RDBefore); err != nil {
			return fmt.Errorf("sqlite: create match %s: player %d: %w", m.ID, p.UserID, classify(err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: create match: commit: %w", err)
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

// SaveMatchStates runs every update in one transaction on the writer:
// one commit for the batch, however many matches it holds.
func (s *Store) SaveMatchStates(ctx context.Context, ms []store.ArenaMatch) ([]error, error) {
	// The statement is compiled once on the writer connection, not once
	// per match: parsing the UPDATE cost as much as running it. (Prepared
	// before the transaction takes the writer's only connection.)
	stmt, err := s.saveMatchStmt(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: save matches: begin: %w", err)
	}
	defer tx.Rollback()
	update := tx.StmtContext(ctx, stmt)
	defer update.Close()
	errs := make([]error, len(ms))
	for i, m := range ms {
		if m.Snapshot == nil {
			m.Snapshot = []byte("{}")
		}
		res, err := update.ExecContext(ctx, m.State, m.ProblemID, m.ProblemVersion, m.ProblemTitle, m.ProblemDifficulty,
			opt(m.StartsAt), opt(m.Deadline), m.Snapshot, m.Fence, m.ID, m.Fence)
		if err != nil {
			return nil, fmt.Errorf("sqlite: save match %s: %w", m.ID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			continue
		}
		// Absent, fenced, or terminal (left as it is).
		var fence int64
		err = tx.QueryRowContext(ctx, "SELECT fence FROM matches WHERE id = ?", m.ID).Scan(&fence)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			errs[i] = fmt.Errorf("sqlite: save match %s: %w", m.ID, store.ErrNotFound)
		case err != nil:
			return nil, fmt.Errorf("sqlite: save match %s: %w", m.ID, err)
		case fence > m.Fence:
			errs[i] = fmt.Errorf("sqlite: save match %s with token %d (held %d): %w", m.ID, m.Fence, fence, store.ErrFenced)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlite: save matches: commit: %w", err)
	}
	return errs, nil
}

// saveMatchStmt is the UPDATE of SaveMatchStates, prepared once.
func (s *Store) saveMatchStmt(ctx context.Context) (*sql.Stmt, error) {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if s.saveMatch == nil {
		st, err := s.w.PrepareContext(ctx, `UPDATE matches SET state = ?, problem_id = ?, problem_version = ?,
			problem_title = ?, problem_difficulty = ?, starts_at = ?, deadline = ?, snapshot = ?, fence = ?
			WHERE id = ? AND state NOT IN ('finished', 'cancelled') AND fence <= ?`)
		if err != nil {
			return nil, fmt.Errorf("sqlite: save matches: prepare: %w", err)
		}
		s.saveMatch = st
	}
	return s.saveMatch, nil
}

func (s *Store) ClaimMatch(ctx context.Context, id string, fence int64) (store.ArenaMatch, error) {
	res, err := s.w.ExecContext(ctx, "UPDATE matches SET fence = ? WHERE id = ? AND fence <= ?", fence, id, fence)
	if err != nil {
		return store.ArenaMatch{}, fmt.Errorf("sqlite: claim match %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var held int64
		if err := s.w.QueryRowContext(ctx, "SELECT fence FROM matches WHERE id = ?", id).Scan(&held); err != nil {
			return store.ArenaMatch{}, fmt.Errorf("sqlite: claim match %s: %w", id, classify(err))
		}
		return store.ArenaMatch{}, fmt.Errorf("sqlite: claim match %s with token %d (held %d): %w", id, fence, held, store.ErrFenced)
	}
	// Read through the writer: a reader could lag behind the claim.
	ms, err := s.queryMatchesOn(ctx, s.w, "match "+id, "SELECT "+matchCols+" FROM matches m WHERE m.id = ?", id)
	if err != nil {
		return store.ArenaMatch{}, err
	}
	if len(ms) == 0 {
		return store.ArenaMatch{}, store.ErrNotFound
	}
	return ms[0], nil
}

// FinishMatch runs in one IMMEDIATE transaction on the single writer
// connection, so the terminal-state check and the writes cannot interleave
// with another finisher.
func (s *Store) FinishMatch(ctx context.Context, f store.ArenaFinish, compute func([]store.ArenaStanding) ([]store.ArenaUpdate, error)) (bool, error) {
	if f.State != store.MatchFinished && f.State != store.MatchCancelled {
		return false, fmt.Errorf("sqlite: finish match %s: state %q is not terminal", f.MatchID, f.State)
	}
	if f.Snapshot == nil {
		f.Snapshot = []byte("{}")
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sqlite: finish match: begin: %w", err)
	}
	defer tx.Rollback()
	var state string
	var fence int64
	if err := tx.QueryRowContext(ctx, "SELECT state, fence FROM matches WHERE id = ?", f.MatchID).Scan(&state, &fence); err != nil {
		return false, fmt.Errorf("sqlite: finish match %s: %w", f.MatchID, classify(err))
	}
	if fence > f.Fence {
		return false, fmt.Errorf("sqlite: finish match %s with token %d (held %d): %w", f.MatchID, f.Fence, fence, store.ErrFenced)
	}
	if state == store.MatchFinished || state == store.MatchCancelled {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE matches SET state = ?, reason = ?, winner_id = ?, finished_at = ?, snapshot = ?,
		fence = ? WHERE id = ?`, f.State, f.Reason, f.WinnerID, micros(f.FinishedAt), f.Snapshot, f.Fence, f.MatchID); err != nil {
		return false, fmt.Errorf("sqlite: finish match %s: %w", f.MatchID, err)
	}
	if f.State == store.MatchCancelled {
		if err := tx.Commit(); err != nil {
			return false, fmt.Errorf("sqlite: finish match: commit: %w", err)
		}
		return true, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.user_id, p.display_name, p.avatar_url, p.rating, p.rd, p.volatility, p.xp, p.level
		FROM match_players mp JOIN profiles p ON p.user_id = mp.user_id WHERE mp.match_id = ? ORDER BY mp.seat`, f.MatchID)
	if err != nil {
		return false, fmt.Errorf("sqlite: finish match %s: players: %w", f.MatchID, err)
	}
	var standings []store.ArenaStanding
	for rows.Next() {
		var p store.Profile
		if err := rows.Scan(&p.UserID, &p.DisplayName, &p.AvatarURL, &p.Rating, &p.RD, &p.Volatility, &p.XP, &p.Level); err != nil {
			rows.Close()
			return false, fmt.Errorf("sqlite: finish match %s: players: %w", f.MatchID, err)
		}
		standings = append(standings, store.ArenaStanding{Profile: p})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("sqlite: finish match %s: players: %w", f.MatchID, err)
	}
	for i := range standings {
		n, err := winStreak(ctx, tx, standings[i].Profile.UserID)
		if err != nil {
			return false, fmt.Errorf("sqlite: finish match %s: streak: %w", f.MatchID, err)
		}
		standings[i].WinStreak = n
	}
	ups, err := compute(standings)
	if err != nil {
		return false, fmt.Errorf("sqlite: finish match %s: %w", f.MatchID, err)
	}
	at := micros(f.FinishedAt)
	for _, u := range ups {
		var before store.Profile
		for _, st := range standings {
			if st.Profile.UserID == u.UserID {
				before = st.Profile
			}
		}
		if before.UserID == 0 {
			return false, fmt.Errorf("sqlite: finish match %s: update for user %d who did not play", f.MatchID, u.UserID)
		}
		ratingAfter, rdAfter, vol := before.Rating, before.RD, before.Volatility
		if u.Rated {
			ratingAfter, rdAfter, vol = u.Rating, u.RD, u.Volatility
		}
		if _, err := tx.ExecContext(ctx, `UPDATE match_players SET rating_after = ?, rd_after = ?, xp_gained = ?, result = ?,
			place = ?, best_submission_id = ?, finished_at = ?, profile_rating = ?, profile_rd = ?, profile_vol = ?, vol_after = ?
			WHERE match_id = ? AND user_id = ?`,
			ratingAfter, rdAfter, u.XP, u.Result, u.Place, u.BestSubmissionID, at, before.Rating, before.RD, before.Volatility, vol,
			f.MatchID, u.UserID); err != nil {
			return false, fmt.Errorf("sqlite: finish match %s: player %d: %w", f.MatchID, u.UserID, err)
		}
		if u.Rated {
			if _, err := tx.ExecContext(ctx, `INSERT INTO rating_history (user_id, match_id, at, rating, rd, delta)
				VALUES (?, ?, ?, ?, ?, ?)`, u.UserID, f.MatchID, at, ratingAfter, rdAfter, ratingAfter-before.Rating); err != nil {
				return false, fmt.Errorf("sqlite: finish match %s: rating history: %w", f.MatchID, classify(err))
			}
		}
		bd := u.XPBreakdown
		if bd == nil {
			bd = []byte("{}")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO xp_events (user_id, match_id, at, amount, breakdown) VALUES (?, ?, ?, ?, ?)`,
			u.UserID, f.MatchID, at, u.XP, bd); err != nil {
			return false, fmt.Errorf("sqlite: finish match %s: xp event: %w", f.MatchID, classify(err))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE profiles SET rating = ?, rd = ?, volatility = ?, xp = xp + ?, level = ?,
			updated_at = ? WHERE user_id = ?`, ratingAfter, rdAfter, vol, u.XP, u.Level, at, u.UserID); err != nil {
			return false, fmt.Errorf("sqlite: finish match %s: profile %d: %w", f.MatchID, u.UserID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sqlite: finish match: commit: %w", err)
	}
	return true, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// winStreak counts the user's consecutive wins, newest first, in finished
// matches (at most 50 are looked at: the streak bonus caps far below).
func winStreak(ctx context.Context, q querier, userID int64) (int, error) {
	rows, err := q.QueryContext(ctx, `SELECT mp.result FROM match_players mp JOIN matches m ON m.id = mp.match_id
		WHERE mp.user_id = ? AND mp.result <> '' AND m.voided = 0 ORDER BY mp.finished_at DESC LIMIT 50`, userID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return 0, err
		}
		if r != store.ResultWin {
			break
		}
		n++
	}
	return n, rows.Err()
}

const matchCols = `m.id, m.mode, m.rule, m.problem_id, m.problem_version, m.problem_title, m.problem_difficulty, m.state,
	m.created_at, m.starts_at, m.deadline, m.finished_at, m.reason, m.winner_id, m.snapshot, m.fence, m.voided, m.live_editors`

func scanMatch(row rowScanner) (store.ArenaMatch, error) {
	var m store.ArenaMatch
	var created, starts, deadline, finished int64
	err := row.Scan(&m.ID, &m.Mode, &m.Rule, &m.ProblemID, &m.ProblemVersion, &m.ProblemTitle, &m.ProblemDifficulty, &m.State,
		&created, &starts, &deadline, &finished, &m.Reason, &m.WinnerID, &m.Snapshot, &m.Fence, &m.Voided, &m.LiveEditors)
	if err != nil {
		return m, err
	}
	m.CreatedAt, m.StartsAt, m.Deadline, m.FinishedAt = fromMicros(created), fromOpt(starts), fromOpt(deadline), fromOpt(finished)
	return m, nil
}

// queryMatches runs a query over matches m and fills in the players.
func (s *Store) queryMatches(ctx context.Context, what, query string, args ...any) ([]store.ArenaMatch, error) {
	return s.queryMatchesOn(ctx, s.r, what, query, args...)
}

func (s *Store) queryMatchesOn(ctx context.Context, db *sql.DB, what, query string, args ...any) ([]store.ArenaMatch, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	var ms []store.ArenaMatch
	for rows.Next() {
		m, err := scanMatch(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: %s: %w", what, err)
		}
		ms = append(ms, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if len(ms) == 0 {
		return ms, nil
	}
	ids := make([]any, len(ms))
	index := map[string]int{}
	for i, m := range ms {
		ids[i] = m.ID
		index[m.ID] = i
	}
	prows, err := db.QueryContext(ctx, `SELECT mp.match_id, mp.user_id, u.username, mp.seat, mp.rating_before, mp.rd_before,
		mp.rating_after, mp.rd_after, mp.xp_gained, mp.result, mp.place, mp.best_submission_id
		FROM match_players mp JOIN users u ON u.id = mp.user_id
		WHERE mp.match_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY mp.match_id, mp.seat`, ids...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: players: %w", what, err)
	}
	defer prows.Close()
	for prows.Next() {
		var id string
		var p store.ArenaPlayer
		if err := prows.Scan(&id, &p.UserID, &p.Username, &p.Seat, &p.RatingBefore, &p.RDBefore, &p.RatingAfter, &p.RDAfter,
			&p.XPGained, &p.Result, &p.Place, &p.BestSubmissionID); err != nil {
			return nil, fmt.Errorf("sqlite: %s: players: %w", what, err)
		}
		ms[index[id]].Players = append(ms[index[id]].Players, p)
	}
	if err := prows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: players: %w", what, err)
	}
	return ms, nil
}

func (s *Store) ArenaMatch(ctx context.Context, id string) (store.ArenaMatch, error) {
	ms, err := s.queryMatches(ctx, "match "+id, "SELECT "+matchCols+" FROM matches m WHERE m.id = ?", id)
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
		WHERE m.state NOT IN ('finished', 'cancelled') ORDER BY m.created_at, m.id LIMIT ?`, limit)
}

func (s *Store) ActiveMatchesAfter(ctx context.Context, cur store.MatchCursor, limit int) ([]store.ArenaMatch, error) {
	if cur.ID == "" {
		return s.ActiveMatches(ctx, limit)
	}
	at := micros(cur.CreatedAt)
	return s.queryMatches(ctx, "active matches", "SELECT "+matchCols+` FROM matches m
		WHERE m.state NOT IN ('finished', 'cancelled') AND (m.created_at > ? OR (m.created_at = ? AND m.id > ?))
		ORDER BY m.created_at, m.id LIMIT ?`, at, at, cur.ID, limit)
}

func (s *Store) ActivePlayers(ctx context.Context, limit int) ([]store.ActivePlayer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT mp.match_id, mp.user_id FROM matches m JOIN match_players mp ON mp.match_id = m.id
		WHERE m.state NOT IN ('finished', 'cancelled') ORDER BY m.created_at, m.id, mp.seat LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: active players: %w", err)
	}
	defer rows.Close()
	out := []store.ActivePlayer{}
	for rows.Next() {
		var p store.ActivePlayer
		if err := rows.Scan(&p.MatchID, &p.UserID); err != nil {
			return nil, fmt.Errorf("sqlite: active players: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) RecentMatches(ctx context.Context, userID int64, limit int) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "recent matches", "SELECT "+matchCols+` FROM match_players mp
		JOIN matches m ON m.id = mp.match_id WHERE mp.user_id = ? AND m.state = 'finished'
		ORDER BY m.finished_at DESC, m.id LIMIT ?`, userID, limit)
}

func (s *Store) PublicMatches(ctx context.Context, userID int64, limit int) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "public matches", "SELECT "+matchCols+` FROM match_players mp
		JOIN matches m ON m.id = mp.match_id WHERE mp.user_id = ? AND m.state = 'finished' AND m.mode NOT IN ('practice', 'private')
		ORDER BY m.finished_at DESC, m.id LIMIT ?`, userID, limit)
}

func (s *Store) RecentlyFinished(ctx context.Context, limit int) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "recently finished", "SELECT "+matchCols+` FROM matches m
		WHERE m.state = 'finished' AND m.mode NOT IN ('practice', 'private') ORDER BY m.finished_at DESC, m.id LIMIT ?`, limit)
}

func (s *Store) WinStreak(ctx context.Context, userID int64) (int, error) {
	n, err := winStreak(ctx, s.r, userID)
	if err != nil {
		return 0, fmt.Errorf("sqlite: win streak of %d: %w", userID, err)
	}
	return n, nil
}

func (s *Store) WinStreaks(ctx context.Context, userIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	for _, id := range userIDs {
		n, err := winStreak(ctx, s.r, id)
		if err != nil {
			return nil, fmt.Errorf("sqlite: win streak of %d: %w", id, err)
		}
		if n > 0 {
			out[id] = n
		}
	}
	return out, nil
}

func (s *Store) RatedUsers(ctx context.Context, userIDs []int64) ([]store.RatedUser, error) {
	var out []store.RatedUser
	// SQLite binds at most 32,766 parameters: ask in chunks.
	for chunk := range slices.Chunk(userIDs, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.r.QueryContext(ctx, `SELECT u.id, u.username, p.rating, p.rd FROM users u JOIN profiles p ON p.user_id = u.id
			WHERE u.disabled = 0 AND u.id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: rated users: %w", err)
		}
		for rows.Next() {
			var u store.RatedUser
			if err := rows.Scan(&u.ID, &u.Username, &u.Rating, &u.RD); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: rated users: %w", err)
			}
			out = append(out, u)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite: rated users: %w", err)
		}
	}
	slices.SortFunc(out, func(a, b store.RatedUser) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (s *Store) RecentProblems(ctx context.Context, userID int64, limit int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT m.problem_id FROM match_players mp JOIN matches m ON m.id = mp.match_id
		WHERE mp.user_id = ? AND m.problem_id <> '' AND m.state <> 'cancelled'
		ORDER BY m.created_at DESC, m.id LIMIT ?`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recent problems: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: recent problems: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *Store) RatingHistory(ctx context.Context, userID int64, limit int) ([]store.RatingPoint, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT match_id, at, rating, rd, delta FROM (
		SELECT * FROM rating_history WHERE user_id = ? ORDER BY at DESC, match_id DESC LIMIT ?) ORDER BY at, match_id`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: rating history: %w", err)
	}
	defer rows.Close()
	var ps []store.RatingPoint
	for rows.Next() {
		var p store.RatingPoint
		var at int64
		if err := rows.Scan(&p.MatchID, &at, &p.Rating, &p.RD, &p.Delta); err != nil {
			return nil, fmt.Errorf("sqlite: rating history: %w", err)
		}
		p.At = fromMicros(at)
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// boardSQL is the ranked set of a board: every enabled user, by rating
// (ties by id), or by XP gained since q.Since (only users who gained some).
func boardSQL(q store.LeaderboardQuery) (string, []any, error) {
	const base = `SELECT u.id, u.username, p.rating, p.rd, p.xp, p.level, COALESCE(w.weekly, 0) AS weekly
		FROM users u JOIN profiles p ON p.user_id = u.id
		LEFT JOIN (SELECT user_id, SUM(amount) AS weekly FROM xp_events WHERE at >= ? GROUP BY user_id) w ON w.user_id = u.id
		WHERE u.disabled = 0`
	switch q.Board {
	case store.BoardRating:
		return `SELECT *, ROW_NUMBER() OVER (ORDER BY rating DESC, id) AS rank FROM (` + base + `)`, []any{micros(q.Since)}, nil
	case store.BoardWeeklyXP:
		return `SELECT *, ROW_NUMBER() OVER (ORDER BY weekly DESC, id) AS rank FROM (` + base + ` AND w.weekly > 0)`,
			[]any{micros(q.Since)}, nil
	}
	return "", nil, fmt.Errorf("sqlite: unknown leaderboard %q", q.Board)
}

func scanEntry(row rowScanner) (store.LeaderboardEntry, error) {
	var e store.LeaderboardEntry
	err := row.Scan(&e.UserID, &e.Username, &e.Rating, &e.RD, &e.XP, &e.Level, &e.WeeklyXP, &e.Rank)
	return e, err
}

func (s *Store) Leaderboard(ctx context.Context, q store.LeaderboardQuery) ([]store.LeaderboardEntry, int, error) {
	board, args, err := boardSQL(q)
	if err != nil {
		return nil, 0, err
	}
	var total int
	countQ, countArgs := "SELECT COUNT(*) FROM ("+board+")", args
	if q.Board == store.BoardRating {
		countQ, countArgs = "SELECT COUNT(*) FROM users WHERE disabled = 0", nil
	}
	if err := s.r.QueryRowContext(ctx, countQ, countArgs...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("sqlite: leaderboard: %w", err)
	}
	var rows *sql.Rows
	if q.Board == store.BoardRating {
		// The rating board walks the rating index from the top: a page
		// costs offset + limit rows, not a window over every user.
		rows, err = s.r.QueryContext(ctx, `SELECT u.id, u.username, p.rating, p.rd, p.xp, p.level,
			COALESCE((SELECT SUM(amount) FROM xp_events x WHERE x.user_id = u.id AND x.at >= ?), 0), 0
			FROM profiles p JOIN users u ON u.id = p.user_id WHERE u.disabled = 0
			ORDER BY p.rating DESC, p.user_id LIMIT ? OFFSET ?`, micros(q.Since), q.Limit, q.Offset)
	} else {
		rows, err = s.r.QueryContext(ctx, "SELECT * FROM ("+board+") ORDER BY rank LIMIT ? OFFSET ?",
			append(args, q.Limit, q.Offset)...)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: leaderboard: %w", err)
	}
	defer rows.Close()
	var es []store.LeaderboardEntry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("sqlite: leaderboard: %w", err)
		}
		if q.Board == store.BoardRating {
			e.Rank = q.Offset + len(es) + 1
		}
		es = append(es, e)
	}
	return es, total, rows.Err()
}

func (s *Store) LeaderboardEntry(ctx context.Context, q store.LeaderboardQuery, userID int64) (store.LeaderboardEntry, error) {
	board, args, err := boardSQL(q)
	if err != nil {
		return store.LeaderboardEntry{}, err
	}
	e, err := scanEntry(s.r.QueryRowContext(ctx, "SELECT * FROM ("+board+") WHERE id = ?", append(args, userID)...))
	if err != nil {
		return store.LeaderboardEntry{}, fmt.Errorf("sqlite: leaderboard entry: %w", classify(err))
	}
	return e, nil
}

func (s *Store) ArenaStats(ctx context.Context, userID int64) (store.ArenaStats, error) {
	var st store.ArenaStats
	err := s.r.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(mp.result = 'win' AND m.voided = 0), 0), COALESCE(SUM(mp.result = 'loss' AND m.voided = 0), 0),
		COALESCE(SUM(mp.result = 'draw' AND m.voided = 0), 0),
		COALESCE(SUM(m.state = 'finished'), 0)
		FROM match_players mp JOIN matches m ON m.id = mp.match_id WHERE mp.user_id = ?`, userID).Scan(&st.Wins, &st.Losses, &st.Draws, &st.Played)
	if err != nil {
		return st, fmt.Errorf("sqlite: arena stats: %w", err)
	}
	return st, nil
}

func (s *Store) UserActiveMatches(ctx context.Context, userID int64) ([]store.ArenaMatch, error) {
	return s.queryMatches(ctx, "user's active matches", "SELECT "+matchCols+` FROM match_players mp
		JOIN matches m ON m.id = mp.match_id WHERE mp.user_id = ? AND m.state NOT IN ('finished', 'cancelled')
		ORDER BY m.created_at, m.id`, userID)
}

func (s *Store) CompletedMatches(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM match_players mp JOIN matches m ON m.id = mp.match_id
		WHERE mp.user_id = ? AND m.state = 'finished' AND mp.best_submission_id <> ''`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: completed matches: %w", err)
	}
	return n, nil
}

func (s *Store) PairMatches(ctx context.Context, a, b int64, since time.Time) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM match_players pa
		JOIN match_players pb ON pb.match_id = pa.match_id AND pb.user_id = ?
		JOIN matches m ON m.id = pa.match_id
		WHERE pa.user_id = ? AND pa.finished_at >= ? AND m.state = 'finished' AND m.voided = 0 AND pa.result <> ''`,
		b, a, micros(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: pair matches: %w", err)
	}
	return n, nil
}
