package store

import (
	"context"
	"time"
)

// Tournament states as stored (package arena/tournament).
const (
	TournamentScheduled = "scheduled"
	TournamentRunning   = "running"
	TournamentFinished  = "finished"
	TournamentCancelled = "cancelled"
)

// Tournament is one tournament row (issue 21).
type Tournament struct {
	ID          int64
	Name        string
	Format      string // swiss, elimination
	SwissRounds int    // Swiss: the number of rounds
	State       string
	StartsAt    time.Time
	CheckIn     time.Duration // check-in opens this long before StartsAt
	RoundBreak  time.Duration
	MatchLength time.Duration // 0: the problem's difficulty decides
	// Problems: round r plays Problems[(r-1) % len] (every match of the
	// round on the same problem); empty: one problem chosen per round.
	Problems   []string
	MaxPlayers int // 0: no limit
	CreatedBy  int64
	CreatedAt  time.Time
	// Round is the latest round paired (0 before round 1).
	Round      int
	FinishedAt time.Time
	Players    int // registered (read only)
}

// TournamentPlayer is one registration.
type TournamentPlayer struct {
	UserID       int64
	Username     string // read only
	RegisteredAt time.Time
	CheckedInAt  time.Time // zero until checked in
	// Seed and Rating are set at the start for the checked-in players;
	// Seed 0: the player did not check in and does not play.
	Seed   int
	Rating float64
	Place  int // final place, 0 until the tournament finished
}

// TournamentRound is one paired round.
type TournamentRound struct {
	Round     int
	ProblemID string
	StartsAt  time.Time
	DoneAt    time.Time // when its last result was recorded; zero while one is pending
}

// TournamentGame is one pairing of a round. B = 0 is a bye.
type TournamentGame struct {
	Round   int
	Board   int
	A, B    int64
	MatchID string // "" for a bye
	Outcome string // "", a, b, draw, bye, none (tournament.Outcome)
}

// UserTournament is a user's entry in a tournament (profiles).
type UserTournament struct {
	Tournament Tournament
	Place      int
	Seed       int
}

// Tournaments is the persistence of tournaments; part of Store. Every
// state change is a conditional update, so two schedulers (an old
// matchmaker and a new one) cannot both apply it: the loser gets
// ErrConflict and re-reads.
type Tournaments interface {
	// CreateTournament stores t (state scheduled, round 0) and returns it
	// with its ID.
	CreateTournament(ctx context.Context, t Tournament) (Tournament, error)
	// Tournament reads one (with Players). ErrNotFound.
	Tournament(ctx context.Context, id int64) (Tournament, error)
	// ListTournaments lists tournaments in the given states (all when
	// empty), the latest start first, up to limit.
	ListTournaments(ctx context.Context, states []string, limit int) ([]Tournament, error)
	// RegisterTournament adds userID. ErrNotFound: no such tournament or
	// user; ErrConflict: already registered or the tournament is not
	// scheduled; ErrLimit: MaxPlayers reached. One transaction.
	RegisterTournament(ctx context.Context, id, userID int64, at time.Time) error
	// UnregisterTournament removes userID before the start. ErrNotFound:
	// not registered; ErrConflict: the tournament is not scheduled.
	UnregisterTournament(ctx context.Context, id, userID int64) error
	// CheckInTournament marks userID checked in (again: no-op).
	// ErrNotFound: not registered; ErrConflict: not scheduled.
	CheckInTournament(ctx context.Context, id, userID int64, at time.Time) error
	// TournamentPlayers lists the registrations, by seed (the players
	// who play first) then registration.
	TournamentPlayers(ctx context.Context, id int64) ([]TournamentPlayer, error)
	// StartTournament moves a scheduled tournament to running and stores
	// the seeds and ratings of seeded (checked-in) players. ErrConflict if
	// it is not scheduled.
	StartTournament(ctx context.Context, id int64, seeded []TournamentPlayer) error
	// StartRound stores round r (r = the tournament's Round + 1) and its
	// games, and makes r the tournament's Round, in one transaction.
	// ErrConflict if the tournament is not running or r was paired.
	StartRound(ctx context.Context, id int64, r TournamentRound, games []TournamentGame) error
	// SetGameOutcome records the outcome of a pending game; when it was
	// the round's last pending game, the round's DoneAt becomes at.
	// Recording the outcome already stored is a no-op; a different one is
	// ErrConflict. ErrNotFound: no such game.
	SetGameOutcome(ctx context.Context, id int64, round, board int, outcome string, at time.Time) error
	// TournamentRounds and TournamentGames list a tournament's rounds and
	// games in order.
	TournamentRounds(ctx context.Context, id int64) ([]TournamentRound, error)
	TournamentGames(ctx context.Context, id int64) ([]TournamentGame, error)
	// EndTournament moves a scheduled or running tournament to state
	// (finished or cancelled) at at, with each player's final place
	// (places: user → place). ErrConflict if it already ended.
	EndTournament(ctx context.Context, id int64, state string, at time.Time, places map[int64]int) error
	// UserTournaments lists the tournaments userID played (seeded), the
	// latest start first.
	UserTournaments(ctx context.Context, userID int64, limit int) ([]UserTournament, error)
}
