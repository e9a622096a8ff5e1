// Package xp computes experience points and levels. XP is decided only by the
// server from facts it observed (verdicts, its own clock, stored streaks); no
// client-supplied number ever enters these functions.
//
// Formula for one player after one match (all values integers):
//
//	participation = 10                         finished the match (not resigned / forfeited)
//	result        = 50 win, 20 draw, 0 loss    win = first place
//	solve         = 30 easy, 60 medium, 100 hard   got Accepted on the match problem
//	speed         = floor(solve × 0.5 × (1 − t/T))  t = time to Accepted, T = match duration
//	streak        = 10 × min(streak − 1, 5)    wins only; streak counts this win
//	base          = participation + result + solve + speed + streak
//	total         = base × mode factor, rounded down
//	                ranked 1, casual 1/2, free-for-all 1/2, private room 1/2
//
// A resigned or forfeited player gets 0 XP. Practice is solo and unrated: it
// grants only half the solve XP, and only for the first Accepted on a
// problem (so replaying a solved problem cannot farm XP).
//
// Levels: reaching level L needs a total of 50·L·(L−1) XP (level 2 at 100,
// level 3 at 300, level 10 at 4,500), i.e. the step from L to L+1 costs 100·L.
// Levels stop at MaxLevel.
package xp

import (
	"errors"
	"fmt"
	"time"
)

// Mode is the kind of match the XP is for.
type Mode string

// Modes. They match the lobby's queue names.
const (
	Ranked   Mode = "ranked"
	Casual   Mode = "casual"
	FFA      Mode = "ffa"
	Private  Mode = "private"
	Practice Mode = "practice"
)

// Result is the player's standing at the end of the match.
type Result int

// Results.
const (
	Loss Result = iota
	Draw
	Win
)

// Difficulty of the match problem.
type Difficulty string

// Difficulties.
const (
	Easy   Difficulty = "easy"
	Medium Difficulty = "medium"
	Hard   Difficulty = "hard"
)

// Components of the formula (see the package comment).
const (
	Participation  = 10
	WinXP          = 50
	DrawXP         = 20
	StreakStep     = 10
	StreakMaxSteps = 5
	MaxLevel       = 100
)

// SolveXP is the XP for solving a problem of each difficulty.
var SolveXP = map[Difficulty]int64{Easy: 30, Medium: 60, Hard: 100}

// Outcome is what the server knows about one player's match.
type Outcome struct {
	Mode       Mode
	Result     Result
	Quit       bool          // resigned or forfeited (disconnect)
	Difficulty Difficulty    // of the problem played
	Solved     bool          // an Accepted submission before the deadline
	SolveTime  time.Duration // from match start to the Accepted submission's receipt
	Duration   time.Duration // the match's time limit
	Streak     int           // consecutive wins including this one (only read on a win)
	FirstSolve bool          // practice only: first Accepted on this problem ever
}

// Award is the XP granted and how it was made up, for the results screen.
type Award struct {
	Participation, Result, Solve, Speed, Streak int64
	// Factor is the mode factor as a fraction Num/Den.
	FactorNum, FactorDen int64
	Total                int64
}

// ErrInvalid reports an outcome the server could not have produced.
var ErrInvalid = errors.New("xp: invalid outcome")

func modeFactor(m Mode) (num, den int64, ok bool) {
	switch m {
	case Ranked:
		return 1, 1, true
	case Casual, FFA, Private:
		return 1, 2, true
	case Practice:
		return 1, 2, true
	}
	return 0, 0, false
}

// Compute returns the XP for one outcome.
func Compute(o Outcome) (Award, error) {
	num, den, ok := modeFactor(o.Mode)
	if !ok {
		return Award{}, fmt.Errorf("%w: unknown mode %q", ErrInvalid, o.Mode)
	}
	solveBase, ok := SolveXP[o.Difficulty]
	if !ok {
		return Award{}, fmt.Errorf("%w: unknown difficulty %q", ErrInvalid, o.Difficulty)
	}
	if o.Result < Loss || o.Result > Win {
		return Award{}, fmt.Errorf("%w: unknown result %d", ErrInvalid, o.Result)
	}
	if o.Solved && (o.Duration <= 0 || o.SolveTime < 0 || o.SolveTime > o.Duration) {
		return Award{}, fmt.Errorf("%w: solve time %v outside match duration %v", ErrInvalid, o.SolveTime, o.Duration)
	}
	if o.Result == Win && o.Streak < 1 {
		return Award{}, fmt.Errorf("%w: a win with streak %d", ErrInvalid, o.Streak)
	}
	a := Award{FactorNum: num, FactorDen: den}
	if o.Quit {
		return a, nil
	}
	if o.Mode == Practice {
		if o.Solved && o.FirstSolve {
			a.Solve = solveBase
			a.Total = a.Solve * num / den
		}
		return a, nil
	}
	a.Participation = Participation
	switch o.Result {
	case Win:
		a.Result = WinXP
		a.Streak = StreakStep * int64(min(o.Streak-1, StreakMaxSteps))
	case Draw:
		a.Result = DrawXP
	}
	if o.Solved {
		a.Solve = solveBase
		// Integer arithmetic on nanoseconds keeps the bonus exact and
		// identical on every node: floor(solve × (T − t) / (2T)).
		left := int64(o.Duration - o.SolveTime)
		a.Speed = solveBase * left / (2 * int64(o.Duration))
	}
	base := a.Participation + a.Result + a.Solve + a.Speed + a.Streak
	a.Total = base * num / den
	return a, nil
}

// LevelThreshold is the total XP needed to reach level l (1 ≤ l ≤ MaxLevel).
func LevelThreshold(l int) int64 {
	if l <= 1 {
		return 0
	}
	if l > MaxLevel {
		l = MaxLevel
	}
	return 50 * int64(l) * int64(l-1)
}

// Level returns the level for a total XP.
func Level(total int64) int {
	if total <= 0 {
		return 1
	}
	// Binary search over the monotone thresholds: exact, no float rounding.
	lo, hi := 1, MaxLevel
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if LevelThreshold(mid) <= total {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// Progress describes where a total XP sits within its level, for a progress
// bar: Into XP earned since the level started, Need XP the level spans (0 at
// MaxLevel).
type Progress struct {
	Level      int
	Into, Need int64
}

// ProgressOf returns the level and the progress towards the next one.
func ProgressOf(total int64) Progress {
	if total < 0 {
		total = 0
	}
	l := Level(total)
	p := Progress{Level: l, Into: total - LevelThreshold(l)}
	if l < MaxLevel {
		p.Need = LevelThreshold(l+1) - LevelThreshold(l)
	}
	return p
}
