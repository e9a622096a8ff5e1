package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.Tournaments = (*Store)(nil)

const tournamentCols = `t.id, t.name, t.format, t.swiss_rounds, t.state, t.starts_at, t.check_in, t.round_break, t.match_length,
	t.problems, t.max_players, t.created_by, t.created_at, t.round, t.finished_at,
	(SELECT COUNT(*) FROM tournament_players tp WHERE tp.tournament_id = t.id)`

func scanTournament(sc interface{ Scan(...any) error }, extra ...any) (store.Tournament, error) {
	var t store.Tournament
	var checkIn, brk, length int64
	var finished *time.Time
	var problems string
	err := sc.Scan(append([]any{&t.ID, &t.Name, &t.Format, &t.SwissRounds, &t.State, &t.StartsAt, &checkIn, &brk, &length,
		&problems, &t.MaxPlayers, &t.CreatedBy, &t.CreatedAt, &t.Round, &finished, &t.Players}, extra...)...)
	if err != nil {
		return t, err
	}
	t.StartsAt, t.CreatedAt, t.FinishedAt = t.StartsAt.UTC(), t.CreatedAt.UTC(), fromNull(finished)
	t.CheckIn, t.RoundBreak, t.MatchLength = time.Duration(checkIn)*time.Microsecond, time.Duration(brk)*time.Microsecond,
		time.Duration(length)*time.Microsecond
	if problems != "" {
		t.Problems = strings.Split(problems, ",")
	}
	return t, nil
}

func (s *Store) CreateTournament(ctx context.Context, t store.Tournament) (store.Tournament, error) {
	t.State = store.TournamentScheduled
	err := s.pool.QueryRow(ctx, `INSERT INTO tournaments (name, format, swiss_rounds, state, starts_at, check_in, round_break,
		match_length, problems, max_players, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		t.Name, t.Format, t.SwissRounds, t.State, nullTime(t.StartsAt), t.CheckIn.Microseconds(), t.RoundBreak.Microseconds(),
		t.MatchLength.Microseconds(), strings.Join(t.Problems, ","), t.MaxPlayers, t.CreatedBy, nullTime(t.CreatedAt)).Scan(&t.ID)
	if err != nil {
		return t, fmt.Errorf("postgres: create tournament: %w", classify(err))
	}
	return s.Tournament(ctx, t.ID)
}

func (s *Store) Tournament(ctx context.Context, id int64) (store.Tournament, error) {
	t, err := scanTournament(s.pool.QueryRow(ctx, "SELECT "+tournamentCols+" FROM tournaments t WHERE t.id = $1", id))
	if err != nil {
		return t, fmt.Errorf("postgres: tournament %d: %w", id, classify(err))
	}
	return t, nil
}

func (s *Store) ListTournaments(ctx context.Context, states []string, limit int) ([]store.Tournament, error) {
	q := "SELECT " + tournamentCols + " FROM tournaments t WHERE (cardinality($1::text[]) = 0 OR t.state = ANY($1)) ORDER BY t.starts_at DESC, t.id DESC LIMIT $2"
	if states == nil {
		states = []string{}
	}
	rows, err := s.pool.Query(ctx, q, states, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tournaments: %w", err)
	}
	defer rows.Close()
	var out []store.Tournament
	for rows.Next() {
		t, err := scanTournament(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list tournaments: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// tournamentState reads (and locks) the tournament row inside tx.
func tournamentState(ctx context.Context, tx pgx.Tx, id int64) (state string, maxPlayers, round int, err error) {
	err = tx.QueryRow(ctx, "SELECT state, max_players, round FROM tournaments WHERE id = $1 FOR UPDATE", id).Scan(&state, &maxPlayers, &round)
	if err != nil {
		err = fmt.Errorf("postgres: tournament %d: %w", id, classify(err))
	}
	return
}

func (s *Store) RegisterTournament(ctx context.Context, id, userID int64, at time.Time) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: register: begin: %w", err)
	}
	defer tx.Rollback(ctx)
	state, max, _, err := tournamentState(ctx, tx, id)
	if err != nil {
		return err
	}
	if state != store.TournamentScheduled {
		return fmt.Errorf("postgres: register in tournament %d (%s): %w", id, state, store.ErrConflict)
	}
	if max > 0 {
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM tournament_players WHERE tournament_id = $1", id).Scan(&n); err != nil {
			return fmt.Errorf("postgres: register: count: %w", err)
		}
		if n >= max {
			return fmt.Errorf("postgres: tournament %d is full: %w", id, store.ErrLimit)
		}
	}
	if _, err := tx.Exec(ctx, "INSERT INTO tournament_players (tournament_id, user_id, registered_at) VALUES ($1, $2, $3)",
		id, userID, nullTime(at)); err != nil {
		return fmt.Errorf("postgres: register user %d in tournament %d: %w", userID, id, classify(err))
	}
	return tx.Commit(ctx)
}

func (s *Store) UnregisterTournament(ctx context.Context, id, userID int64) error {
	return s.scheduledPlayerUpdate(ctx, id, userID, "DELETE FROM tournament_players WHERE tournament_id = $1 AND user_id = $2", id, userID)
}

func (s *Store) CheckInTournament(ctx context.Context, id, userID int64, at time.Time) error {
	return s.scheduledPlayerUpdate(ctx, id, userID, `UPDATE tournament_players SET checked_in_at = $3
		WHERE tournament_id = $1 AND user_id = $2 AND checked_in_at IS NULL`, id, userID, nullTime(at))
}

func (s *Store) scheduledPlayerUpdate(ctx context.Context, id, userID int64, q string, args ...any) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: registration: begin: %w", err)
	}
	defer tx.Rollback(ctx)
	state, _, _, err := tournamentState(ctx, tx, id)
	if err != nil {
		return err
	}
	if state != store.TournamentScheduled {
		return fmt.Errorf("postgres: tournament %d is %s: %w", id, state, store.ErrConflict)
	}
	var one int
	if err := tx.QueryRow(ctx, "SELECT 1 FROM tournament_players WHERE tournament_id = $1 AND user_id = $2", id, userID).Scan(&one); err != nil {
		return fmt.Errorf("postgres: registration of %d in tournament %d: %w", userID, id, classify(err))
	}
	if _, err := tx.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("postgres: registration of %d in tournament %d: %w", userID, id, err)
	}
	return tx.Commit(ctx)
}

func (s *Store) TournamentPlayers(ctx context.Context, id int64) ([]store.TournamentPlayer, error) {
	rows, err := s.pool.Query(ctx, `SELECT tp.user_id, u.username, tp.registered_at, tp.checked_in_at, tp.seed, tp.rating, tp.place
		FROM tournament_players tp JOIN users u ON u.id = tp.user_id WHERE tp.tournament_id = $1
		ORDER BY tp.seed = 0, tp.seed, tp.registered_at, tp.user_id`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: tournament %d players: %w", id, err)
	}
	defer rows.Close()
	var out []store.TournamentPlayer
	for rows.Next() {
		var p store.TournamentPlayer
		var in *time.Time
		if err := rows.Scan(&p.UserID, &p.Username, &p.RegisteredAt, &in, &p.Seed, &p.Rating, &p.Place); err != nil {
			return nil, fmt.Errorf("postgres: tournament %d players: %w", id, err)
		}
		p.RegisteredAt, p.CheckedInAt = p.RegisteredAt.UTC(), fromNull(in)
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) StartTournament(ctx context.Context, id int64, seeded []store.TournamentPlayer) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: start tournament: begin: %w", err)
	}
	defer tx.Rollback(ctx)
	state, _, _, err := tournamentState(ctx, tx, id)
	if err != nil {
		return err
	}
	if state != store.TournamentScheduled {
		return fmt.Errorf("postgres: start tournament %d (%s): %w", id, state, store.ErrConflict)
	}
	if _, err := tx.Exec(ctx, "UPDATE tournaments SET state = 'running' WHERE id = $1", id); err != nil {
		return fmt.Errorf("postgres: start tournament %d: %w", id, err)
	}
	for _, p := range seeded {
		if _, err := tx.Exec(ctx, "UPDATE tournament_players SET seed = $1, rating = $2 WHERE tournament_id = $3 AND user_id = $4",
			p.Seed, p.Rating, id, p.UserID); err != nil {
			return fmt.Errorf("postgres: seed %d in tournament %d: %w", p.UserID, id, err)
		}
	}
	return tx.Commit(ctx)
}

func (s *Store) StartRound(ctx context.Context, id int64, r store.TournamentRound, games []store.TournamentGame) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: start round: begin: %w", err)
	}
	defer tx.Rollback(ctx)
	state, _, round, err := tournamentState(ctx, tx, id)
	if err != nil {
		return err
	}
	if state != store.TournamentRunning || round != r.Round-1 {
		return fmt.Errorf("postgres: start round %d of tournament %d (%s, round %d): %w", r.Round, id, state, round, store.ErrConflict)
	}
	if _, err := tx.Exec(ctx, "UPDATE tournaments SET round = $1 WHERE id = $2", r.Round, id); err != nil {
		return fmt.Errorf("postgres: start round %d of tournament %d: %w", r.Round, id, err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO tournament_rounds (tournament_id, round, problem_id, starts_at, done_at) VALUES ($1, $2, $3, $4, $5)",
		id, r.Round, r.ProblemID, nullTime(r.StartsAt), nullTime(r.DoneAt)); err != nil {
		return fmt.Errorf("postgres: start round %d of tournament %d: %w", r.Round, id, classify(err))
	}
	for _, g := range games {
		if _, err := tx.Exec(ctx, `INSERT INTO tournament_games (tournament_id, round, board, a, b, match_id, outcome)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, r.Round, g.Board, g.A, g.B, g.MatchID, g.Outcome); err != nil {
			return fmt.Errorf("postgres: game %d of round %d of tournament %d: %w", g.Board, r.Round, id, classify(err))
		}
	}
	return tx.Commit(ctx)
}

func (s *Store) SetGameOutcome(ctx context.Context, id int64, round, board int, outcome string, at time.Time) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: game outcome: begin: %w", err)
	}
	defer tx.Rollback(ctx)
	var cur string
	if err := tx.QueryRow(ctx, "SELECT outcome FROM tournament_games WHERE tournament_id = $1 AND round = $2 AND board = $3 FOR UPDATE",
		id, round, board).Scan(&cur); err != nil {
		return fmt.Errorf("postgres: game %d/%d of tournament %d: %w", round, board, id, classify(err))
	}
	if cur == outcome {
		return nil
	}
	if cur != "" || outcome == "" {
		return fmt.Errorf("postgres: game %d/%d of tournament %d is %q, not %q: %w", round, board, id, cur, outcome, store.ErrConflict)
	}
	// The round row is locked first so that two games of a round ending
	// at once agree on which was the last.
	if _, err := tx.Exec(ctx, "SELECT 1 FROM tournament_rounds WHERE tournament_id = $1 AND round = $2 FOR UPDATE", id, round); err != nil {
		return fmt.Errorf("postgres: round %d of tournament %d: %w", round, id, err)
	}
	if _, err := tx.Exec(ctx, "UPDATE tournament_games SET outcome = $1 WHERE tournament_id = $2 AND round = $3 AND board = $4",
		outcome, id, round, board); err != nil {
		return fmt.Errorf("postgres: game %d/%d of tournament %d: %w", round, board, id, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE tournament_rounds SET done_at = $1 WHERE tournament_id = $2 AND round = $3 AND done_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM tournament_games WHERE tournament_id = $2 AND round = $3 AND outcome = '')`,
		nullTime(at), id, round); err != nil {
		return fmt.Errorf("postgres: round %d of tournament %d done: %w", round, id, err)
	}
	return tx.Commit(ctx)
}

func (s *Store) TournamentRounds(ctx context.Context, id int64) ([]store.TournamentRound, error) {
	rows, err := s.pool.Query(ctx, "SELECT round, problem_id, starts_at, done_at FROM tournament_rounds WHERE tournament_id = $1 ORDER BY round", id)
	if err != nil {
		return nil, fmt.Errorf("postgres: tournament %d rounds: %w", id, err)
	}
	defer rows.Close()
	var out []store.TournamentRound
	for rows.Next() {
		var r store.TournamentRound
		var done *time.Time
		if err := rows.Scan(&r.Round, &r.ProblemID, &r.StartsAt, &done); err != nil {
			return nil, fmt.Errorf("postgres: tournament %d rounds: %w", id, err)
		}
		r.StartsAt, r.DoneAt = r.StartsAt.UTC(), fromNull(done)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) TournamentGames(ctx context.Context, id int64) ([]store.TournamentGame, error) {
	rows, err := s.pool.Query(ctx, `SELECT round, board, a, b, match_id, outcome FROM tournament_games WHERE tournament_id = $1
		ORDER BY round, board`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: tournament %d games: %w", id, err)
	}
	defer rows.Close()
	var out []store.TournamentGame
	for rows.Next() {
		var g store.TournamentGame
		if err := rows.Scan(&g.Round, &g.Board, &g.A, &g.B, &g.MatchID, &g.Outcome); err != nil {
			return nil, fmt.Errorf("postgres: tournament %d games: %w", id, err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func (s *Store) EndTournament(ctx context.Context, id int64, state string, at time.Time, places map[int64]int) error {
	if state != store.TournamentFinished && state != store.TournamentCancelled {
		return fmt.Errorf("postgres: end tournament %d in state %q", id, state)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: end tournament: begin: %w", err)
	}
	defer tx.Rollback(ctx)
	cur, _, _, err := tournamentState(ctx, tx, id)
	if err != nil {
		return err
	}
	if cur != store.TournamentScheduled && cur != store.TournamentRunning {
		return fmt.Errorf("postgres: end tournament %d (%s): %w", id, cur, store.ErrConflict)
	}
	if _, err := tx.Exec(ctx, "UPDATE tournaments SET state = $1, finished_at = $2 WHERE id = $3", state, nullTime(at), id); err != nil {
		return fmt.Errorf("postgres: end tournament %d: %w", id, err)
	}
	for u, place := range places {
		if _, err := tx.Exec(ctx, "UPDATE tournament_players SET place = $1 WHERE tournament_id = $2 AND user_id = $3", place, id, u); err != nil {
			return fmt.Errorf("postgres: place of %d in tournament %d: %w", u, id, err)
		}
	}
	return tx.Commit(ctx)
}

func (s *Store) UserTournaments(ctx context.Context, userID int64, limit int) ([]store.UserTournament, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+tournamentCols+`, tp.place, tp.seed FROM tournament_players tp
		JOIN tournaments t ON t.id = tp.tournament_id WHERE tp.user_id = $1 AND tp.seed > 0
		ORDER BY t.starts_at DESC, t.id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: tournaments of %d: %w", userID, err)
	}
	defer rows.Close()
	var out []store.UserTournament
	for rows.Next() {
		var ut store.UserTournament
		t, err := scanTournament(rows, &ut.Place, &ut.Seed)
		if err != nil {
			return nil, fmt.Errorf("postgres: tournaments of %d: %w", userID, err)
		}
		ut.Tournament = t
		out = append(out, ut)
	}
	return out, rows.Err()
}
