package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.Tournaments = (*Store)(nil)

const tournamentCols = `t.id, t.name, t.format, t.swiss_rounds, t.state, t.starts_at, t.check_in, t.round_break, t.match_length,
	t.problems, t.max_players, t.created_by, t.created_at, t.round, t.finished_at,
	(SELECT COUNT(*) FROM tournament_players tp WHERE tp.tournament_id = t.id)`

func scanTournament(sc interface{ Scan(...any) error }, extra ...any) (store.Tournament, error) {
	var t store.Tournament
	var starts, checkIn, brk, length, created, finished int64
	var problems string
	err := sc.Scan(append([]any{&t.ID, &t.Name, &t.Format, &t.SwissRounds, &t.State, &starts, &checkIn, &brk, &length,
		&problems, &t.MaxPlayers, &t.CreatedBy, &created, &t.Round, &finished, &t.Players}, extra...)...)
	if err != nil {
		return t, err
	}
	t.StartsAt, t.CreatedAt = fromMicros(starts), fromMicros(created)
	t.CheckIn, t.RoundBreak, t.MatchLength = time.Duration(checkIn)*time.Microsecond, time.Duration(brk)*time.Microsecond,
		time.Duration(length)*time.Microsecond
	if finished != 0 {
		t.FinishedAt = fromMicros(finished)
	}
	if problems != "" {
		t.Problems = strings.Split(problems, ",")
	}
	return t, nil
}

func (s *Store) CreateTournament(ctx context.Context, t store.Tournament) (store.Tournament, error) {
	t.State, t.Round, t.FinishedAt, t.Players = store.TournamentScheduled, 0, time.Time{}, 0
	res, err := s.w.ExecContext(ctx, `INSERT INTO tournaments (name, format, swiss_rounds, state, starts_at, check_in, round_break,
		match_length, problems, max_players, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Name, t.Format, t.SwissRounds, t.State, micros(t.StartsAt), t.CheckIn.Microseconds(), t.RoundBreak.Microseconds(),
		t.MatchLength.Microseconds(), strings.Join(t.Problems, ","), t.MaxPlayers, t.CreatedBy, micros(t.CreatedAt))
	if err != nil {
		return t, fmt.Errorf("sqlite: create tournament: %w", classify(err))
	}
	if t.ID, err = res.LastInsertId(); err != nil {
		return t, fmt.Errorf("sqlite: create tournament: %w", err)
	}
	return s.Tournament(ctx, t.ID)
}

func (s *Store) Tournament(ctx context.Context, id int64) (store.Tournament, error) {
	t, err := scanTournament(s.r.QueryRowContext(ctx, "SELECT "+tournamentCols+" FROM tournaments t WHERE t.id = ?", id))
	if err != nil {
		return t, fmt.Errorf("sqlite: tournament %d: %w", id, classify(err))
	}
	return t, nil
}

func (s *Store) ListTournaments(ctx context.Context, states []string, limit int) ([]store.Tournament, error) {
	q := "SELECT " + tournamentCols + " FROM tournaments t"
	var args []any
	if len(states) > 0 {
		q += " WHERE t.state IN (?" + strings.Repeat(", ?", len(states)-1) + ")"
		for _, st := range states {
			args = append(args, st)
		}
	}
	q += " ORDER BY t.starts_at DESC, t.id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tournaments: %w", err)
	}
	defer rows.Close()
	var out []store.Tournament
	for rows.Next() {
		t, err := scanTournament(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list tournaments: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// tournamentState reads the state (and the limit) inside tx.
func tournamentState(ctx context.Context, tx *sql.Tx, id int64) (state string, maxPlayers, round int, err error) {
	err = tx.QueryRowContext(ctx, "SELECT state, max_players, round FROM tournaments WHERE id = ?", id).Scan(&state, &maxPlayers, &round)
	if err != nil {
		err = fmt.Errorf("sqlite: tournament %d: %w", id, classify(err))
	}
	return
}

func (s *Store) RegisterTournament(ctx context.Context, id, userID int64, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: register: begin: %w", err)
	}
	defer tx.Rollback()
	state, max, _, err := tournamentState(ctx, tx, id)
	if err != nil {
		return err
	}
	if state != store.TournamentScheduled {
		return fmt.Errorf("sqlite: register in tournament %d (%s): %w", id, state, store.ErrConflict)
	}
	if max > 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM tournament_players WHERE tournament_id = ?", id).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: register: count: %w", err)
		}
		if n >= max {
			return fmt.Errorf("sqlite: tournament %d is full: %w", id, store.ErrLimit)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO tournament_players (tournament_id, user_id, registered_at) VALUES (?, ?, ?)",
		id, userID, micros(at)); err != nil {
		return fmt.Errorf("sqlite: register user %d in tournament %d: %w", userID, id, classify(err))
	}
	return tx.Commit()
}

func (s *Store) UnregisterTournament(ctx context.Context, id, userID int64) error {
	return s.scheduledPlayerUpdate(ctx, id, userID, "DELETE FROM tournament_players WHERE tournament_id = ? AND user_id = ?", id, userID)
}

func (s *Store) CheckInTournament(ctx context.Context, id, userID int64, at time.Time) error {
	return s.scheduledPlayerUpdate(ctx, id, userID, `UPDATE tournament_players SET checked_in_at = ?
		WHERE tournament_id = ? AND user_id = ? AND checked_in_at = 0`, micros(at), id, userID)
}

// scheduledPlayerUpdate runs q on a registration of a scheduled tournament.
func (s *Store) scheduledPlayerUpdate(ctx context.Context, id, userID int64, q string, args ...any) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: registration: begin: %w", err)
	}
	defer tx.Rollback()
	state, _, _, err := tournamentState(ctx, tx, id)
	if err != nil {
		return err
	}
	if state != store.TournamentScheduled {
		return fmt.Errorf("sqlite: tournament %d is %s: %w", id, state, store.ErrConflict)
	}
	var one int
	if err := tx.QueryRowContext(ctx, "SELECT 1 FROM tournament_players WHERE tournament_id = ? AND user_id = ?", id, userID).
		Scan(&one); err != nil {
		return fmt.Errorf("sqlite: registration of %d in tournament %d: %w", userID, id, classify(err))
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("sqlite: registration of %d in tournament %d: %w", userID, id, err)
	}
	return tx.Commit()
}

func (s *Store) TournamentPlayers(ctx context.Context, id int64) ([]store.TournamentPlayer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT tp.user_id, u.username, tp.registered_at, tp.checked_in_at, tp.seed, tp.rating, tp.place
		FROM tournament_players tp JOIN users u ON u.id = tp.user_id WHERE tp.tournament_id = ?
		ORDER BY tp.seed = 0, tp.seed, tp.registered_at, tp.user_id`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tournament %d players: %w", id, err)
	}
	defer rows.Close()
	var out []store.TournamentPlayer
	for rows.Next() {
		var p store.TournamentPlayer
		var reg, in int64
		if err := rows.Scan(&p.UserID, &p.Username, &reg, &in, &p.Seed, &p.Rating, &p.Place); err != nil {
			return nil, fmt.Errorf("sqlite: tournament %d players: %w", id, err)
		}
		p.RegisteredAt = fromMicros(reg)
		if in != 0 {
			p.CheckedInAt = fromMicros(in)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) StartTournament(ctx context.Context, id int64, seeded []store.TournamentPlayer) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: start tournament: begin: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "UPDATE tournaments SET state = 'running' WHERE id = ? AND state = 'scheduled'", id)
	if err != nil {
		return fmt.Errorf("sqlite: start tournament %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, _, _, err := tournamentState(ctx, tx, id); err != nil {
			return err
		}
		return fmt.Errorf("sqlite: start tournament %d: %w", id, store.ErrConflict)
	}
	for _, p := range seeded {
		if _, err := tx.ExecContext(ctx, "UPDATE tournament_players SET seed = ?, rating = ? WHERE tournament_id = ? AND user_id = ?",
			p.Seed, p.Rating, id, p.UserID); err != nil {
			return fmt.Errorf("sqlite: seed %d in tournament %d: %w", p.UserID, id, err)
		}
	}
	return tx.Commit()
}

func (s *Store) StartRound(ctx context.Context, id int64, r store.TournamentRound, games []store.TournamentGame) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: start round: begin: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "UPDATE tournaments SET round = ? WHERE id = ? AND state = 'running' AND round = ?", r.Round, id, r.Round-1)
	if err != nil {
		return fmt.Errorf("sqlite: start round %d of tournament %d: %w", r.Round, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, _, _, err := tournamentState(ctx, tx, id); err != nil {
			return err
		}
		return fmt.Errorf("sqlite: start round %d of tournament %d: %w", r.Round, id, store.ErrConflict)
	}
	done := int64(0)
	if !r.DoneAt.IsZero() {
		done = micros(r.DoneAt)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO tournament_rounds (tournament_id, round, problem_id, starts_at, done_at) VALUES (?, ?, ?, ?, ?)",
		id, r.Round, r.ProblemID, micros(r.StartsAt), done); err != nil {
		return fmt.Errorf("sqlite: start round %d of tournament %d: %w", r.Round, id, classify(err))
	}
	for _, g := range games {
		if _, err := tx.ExecContext(ctx, `INSERT INTO tournament_games (tournament_id, round, board, a, b, match_id, outcome)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, r.Round, g.Board, g.A, g.B, g.MatchID, g.Outcome); err != nil {
			return fmt.Errorf("sqlite: game %d of round %d of tournament %d: %w", g.Board, r.Round, id, classify(err))
		}
	}
	return tx.Commit()
}

func (s *Store) SetGameOutcome(ctx context.Context, id int64, round, board int, outcome string, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: game outcome: begin: %w", err)
	}
	defer tx.Rollback()
	var cur string
	if err := tx.QueryRowContext(ctx, "SELECT outcome FROM tournament_games WHERE tournament_id = ? AND round = ? AND board = ?",
		id, round, board).Scan(&cur); err != nil {
		return fmt.Errorf("sqlite: game %d/%d of tournament %d: %w", round, board, id, classify(err))
	}
	if cur == outcome {
		return nil
	}
	if cur != "" || outcome == "" {
		return fmt.Errorf("sqlite: game %d/%d of tournament %d is %q, not %q: %w", round, board, id, cur, outcome, store.ErrConflict)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE tournament_games SET outcome = ? WHERE tournament_id = ? AND round = ? AND board = ?",
		outcome, id, round, board); err != nil {
		return fmt.Errorf("sqlite: game %d/%d of tournament %d: %w", round, board, id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tournament_rounds SET done_at = ? WHERE tournament_id = ? AND round = ? AND done_at = 0
		AND NOT EXISTS (SELECT 1 FROM tournament_games WHERE tournament_id = ? AND round = ? AND outcome = '')`,
		micros(at), id, round, id, round); err != nil {
		return fmt.Errorf("sqlite: round %d of tournament %d done: %w", round, id, err)
	}
	return tx.Commit()
}

func (s *Store) TournamentRounds(ctx context.Context, id int64) ([]store.TournamentRound, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT round, problem_id, starts_at, done_at FROM tournament_rounds WHERE tournament_id = ? ORDER BY round", id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tournament %d rounds: %w", id, err)
	}
	defer rows.Close()
	var out []store.TournamentRound
	for rows.Next() {
		var r store.TournamentRound
		var starts, done int64
		if err := rows.Scan(&r.Round, &r.ProblemID, &starts, &done); err != nil {
			return nil, fmt.Errorf("sqlite: tournament %d rounds: %w", id, err)
		}
		r.StartsAt = fromMicros(starts)
		if done != 0 {
			r.DoneAt = fromMicros(done)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) TournamentGames(ctx context.Context, id int64) ([]store.TournamentGame, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT round, board, a, b, match_id, outcome FROM tournament_games WHERE tournament_id = ?
		ORDER BY round, board`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tournament %d games: %w", id, err)
	}
	defer rows.Close()
	var out []store.TournamentGame
	for rows.Next() {
		var g store.TournamentGame
		if err := rows.Scan(&g.Round, &g.Board, &g.A, &g.B, &g.MatchID, &g.Outcome); err != nil {
			return nil, fmt.Errorf("sqlite: tournament %d games: %w", id, err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func (s *Store) EndTournament(ctx context.Context, id int64, state string, at time.Time, places map[int64]int) error {
	if state != store.TournamentFinished && state != store.TournamentCancelled {
		return fmt.Errorf("sqlite: end tournament %d in state %q", id, state)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: end tournament: begin: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE tournaments SET state = ?, finished_at = ? WHERE id = ? AND state IN ('scheduled', 'running')`,
		state, micros(at), id)
	if err != nil {
		return fmt.Errorf("sqlite: end tournament %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, _, _, err := tournamentState(ctx, tx, id); err != nil {
			return err
		}
		return fmt.Errorf("sqlite: end tournament %d: %w", id, store.ErrConflict)
	}
	for u, place := range places {
		if _, err := tx.ExecContext(ctx, "UPDATE tournament_players SET place = ? WHERE tournament_id = ? AND user_id = ?", place, id, u); err != nil {
			return fmt.Errorf("sqlite: place of %d in tournament %d: %w", u, id, err)
		}
	}
	return tx.Commit()
}

func (s *Store) UserTournaments(ctx context.Context, userID int64, limit int) ([]store.UserTournament, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+tournamentCols+`, tp.place, tp.seed FROM tournament_players tp
		JOIN tournaments t ON t.id = tp.tournament_id WHERE tp.user_id = ? AND tp.seed > 0
		ORDER BY t.starts_at DESC, t.id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tournaments of %d: %w", userID, err)
	}
	defer rows.Close()
	var out []store.UserTournament
	for rows.Next() {
		var ut store.UserTournament
		t, err := scanTournament(rows, &ut.Place, &ut.Seed)
		if err != nil {
			return nil, fmt.Errorf("sqlite: tournaments of %d: %w", userID, err)
		}
		ut.Tournament = t
		out = append(out, ut)
	}
	return out, rows.Err()
}
