// Package tournament is the pure core of arena tournaments (issue 21):
// Swiss pairing, single-elimination brackets, standings with tie-breaks,
// and the schedule (registration, check-in, rounds on the server clock).
// No I/O: the service (internal/arena/service/tournament*.go) reads the
// store, calls these functions with the time it read from its clock, and
// writes what they decide.
package tournament

import (
	"errors"
	"fmt"
	"time"
)

// Format is how a tournament pairs its players.
type Format string

const (
	Swiss       Format = "swiss"
	Elimination Format = "elimination"
)

// State of a tournament as stored.
type State string

const (
	Scheduled State = "scheduled" // registration open (check-in opens CheckIn before the start)
	Running   State = "running"
	Finished  State = "finished"
	Cancelled State = "cancelled" // fewer than MinPlayers checked in at the start
)

// Outcome of one game, seen from A.
type Outcome string

const (
	Pending Outcome = ""
	AWins   Outcome = "a"
	BWins   Outcome = "b"
	Draw    Outcome = "draw"
	// Bye: A had no opponent (B is 0). It scores as a win in Swiss and
	// advances A in an elimination bracket.
	Bye Outcome = "bye"
	// Lost: neither player scores (a match cancelled before it ran, or
	// both players busy elsewhere until the round's start timed out).
	Lost Outcome = "none"
)

// Valid reports whether o is a stored outcome (Pending included).
func (o Outcome) Valid() bool {
	switch o {
	case Pending, AWins, BWins, Draw, Bye, Lost:
		return true
	}
	return false
}

// Player is a checked-in participant as seeded at the start. Rating is
// the rating at the start (it does not move during the tournament for
// the pairing or the tie-breaks); Seed is 1 for the highest rating.
type Player struct {
	ID     int64
	Rating float64
	Seed   int
}

// Game is one pairing of a round. B = 0 is a bye.
type Game struct {
	Round   int
	Board   int // 1-based position in the round
	A, B    int64
	Outcome Outcome
}

// Points A and B score in g (Swiss): win 1, draw ½, bye 1.
func (g Game) Points() (a, b float64) {
	switch g.Outcome {
	case AWins, Bye:
		return 1, 0
	case BWins:
		return 0, 1
	case Draw:
		return 0.5, 0.5
	}
	return 0, 0
}

// ErrTooFewPlayers: a round cannot be paired with fewer than two players.
var ErrTooFewPlayers = errors.New("tournament: fewer than two players")

// MinPlayers is how many checked-in players a tournament needs to start.
const MinPlayers = 2

// Rounds is how many rounds an elimination bracket of n players has
// (log2 of the next power of two).
func Rounds(format Format, swissRounds, n int) int {
	if format == Swiss {
		return swissRounds
	}
	r := 0
	for size := 1; size < n; size *= 2 {
		r++
	}
	return r
}

// Seed orders players by rating (highest first, then lower id) and
// numbers them from 1.
func Seed(ps []Player) []Player {
	out := append([]Player(nil), ps...)
	sortPlayers(out, func(a, b Player) int { return cmpRating(a, b) })
	for i := range out {
		out[i].Seed = i + 1
	}
	return out
}

func cmpRating(a, b Player) int {
	switch {
	case a.Rating > b.Rating:
		return -1
	case a.Rating < b.Rating:
		return 1
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// Pair pairs round `round` (1-based) of a tournament from the games of
// the rounds before it, which must all have an outcome.
func Pair(format Format, ps []Player, history []Game, round int) ([]Game, error) {
	if len(ps) < MinPlayers {
		return nil, ErrTooFewPlayers
	}
	for _, g := range history {
		if g.Round >= round {
			return nil, fmt.Errorf("tournament: game of round %d before pairing round %d", g.Round, round)
		}
		if g.Outcome == Pending {
			return nil, fmt.Errorf("tournament: round %d board %d has no result", g.Round, g.Board)
		}
	}
	switch format {
	case Swiss:
		return PairSwiss(ps, history, round), nil
	case Elimination:
		return PairElimination(ps, history, round)
	}
	return nil, fmt.Errorf("tournament: unknown format %q", format)
}

// Schedule is the timing of a tournament.
type Schedule struct {
	StartsAt   time.Time
	CheckIn    time.Duration // check-in opens this long before StartsAt
	RoundBreak time.Duration // between the last result of a round and the next round
}

// CheckInOpen reports whether a registered player may check in at now.
func (s Schedule) CheckInOpen(now time.Time) bool {
	return !now.Before(s.StartsAt.Add(-s.CheckIn)) && now.Before(s.StartsAt)
}

// View is what the scheduler knows of a tournament, read from the store.
type View struct {
	Format      Format
	SwissRounds int
	State       State
	Schedule    Schedule
	CheckedIn   int      // before the start: how many players checked in
	Players     []Player // seeded at the start
	Games       []Game
	Round       int       // the latest round paired (0 before round 1)
	RoundDone   time.Time // when the latest round's last result was recorded (zero while one is pending)
}

// Step is what the scheduler must do next.
type Step string

const (
	Wait      Step = ""        // nothing now
	Start     Step = "start"   // seed the checked-in players and start
	Cancel    Step = "cancel"  // too few players checked in at the start
	PairRound Step = "pair"    // pair round Action.Round
	Finish    Step = "finish"  // every round has its results
	Record    Step = "results" // some games of the current round await their match's result
)

// Action is the scheduler's next step and, for Wait, when to look again
// (zero: when a result arrives).
type Action struct {
	Step  Step
	Round int
	At    time.Time
}

// Next decides the scheduler's next step at now. Rounds start on the
// server clock: round 1 at StartsAt, each next one RoundBreak after the
// previous round's last result.
func Next(v View, now time.Time) Action {
	switch v.State {
	case Scheduled:
		if now.Before(v.Schedule.StartsAt) {
			return Action{At: v.Schedule.StartsAt}
		}
		if v.CheckedIn < MinPlayers {
			return Action{Step: Cancel}
		}
		return Action{Step: Start}
	case Running:
	default:
		return Action{}
	}
	if v.Round == 0 {
		return Action{Step: PairRound, Round: 1}
	}
	for _, g := range v.Games {
		if g.Round == v.Round && g.Outcome == Pending {
			return Action{Step: Record, Round: v.Round}
		}
	}
	total := Rounds(v.Format, v.SwissRounds, len(v.Players))
	if v.Round >= total {
		return Action{Step: Finish}
	}
	next := v.RoundDone.Add(v.Schedule.RoundBreak)
	if now.Before(next) {
		return Action{At: next}
	}
	return Action{Step: PairRound, Round: v.Round + 1}
}
