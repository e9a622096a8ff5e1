// Package fairplay holds the game-integrity rules of rated play as pure
// functions: who may queue for ranked matches, which finished matches count
// (a rating change and XP), and how much a repeated pairing of the same two
// accounts counts. No I/O: the caller passes what the store knows and the
// time of its clock.
//
// The rules answer one attack: four fresh accounts queued against one player
// and resigned in the countdown, taking that player from 1500 to 1852 and to
// level 3 in 24 s. Each rule removes part of that:
//
//   - a match whose last opponent leaves before it runs is cancelled (package
//     match, reason aborted): no result at all;
//   - a finished match counts only if it ran for MinRunTime or someone
//     submitted: an instant resignation changes no rating and earns nobody
//     XP;
//   - ranked play opens to an account MinAccountAge old, or one that
//     completed MinCompleted matches (a finished match with a submission of
//     its own): fresh accounts cannot be fed into ranked;
//   - the n-th counted match between the same two accounts within
//     RepeatWindow counts 1/2^(n−1) of a match, in rating and XP (see
//     internal/arena/README.md).
package fairplay

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/errcode"
)

// Rules are the thresholds. Start from Default().
type Rules struct {
	// MinAccountAge and MinCompleted open ranked play: an account qualifies
	// when it is MinAccountAge old OR has completed MinCompleted matches
	// of any mode. Zero for both opens ranked play to everyone.
	MinAccountAge time.Duration
	MinCompleted  int
	// MinRunTime: a finished match counts only if it ran (from its start,
	// after the countdown) this long, or if any player submitted.
	MinRunTime time.Duration
	// RepeatWindow: counted matches between the same two accounts this
	// recent make the next one count less (PairWeight). Zero disables.
	RepeatWindow time.Duration
}

// Default returns 24 h or 3 completed matches to open ranked play, 60 s of
// play (or a submission) for a result to count, and a 24 h window for
// repeated pairings.
func Default() Rules {
	return Rules{MinAccountAge: 24 * time.Hour, MinCompleted: 3, MinRunTime: time.Minute, RepeatWindow: 24 * time.Hour}
}

// Validate refuses negative thresholds.
func (r Rules) Validate() error {
	if r.MinAccountAge < 0 || r.MinCompleted < 0 || r.MinRunTime < 0 || r.RepeatWindow < 0 {
		return errors.New("fairplay: thresholds must not be negative")
	}
	return nil
}

// Account is what the rules need to know of a player.
type Account struct {
	CreatedAt time.Time
	// Completed counts the player's finished matches in which the player
	// submitted at least once (resigning or idling through matches does
	// not open ranked play).
	Completed int
}

// ErrRankedLocked is the refusal of a ranked queue by an account that does
// not qualify yet; RankedEligible's copies say what is missing.
var ErrRankedLocked = errcode.New(errcode.RankedLocked, "ranked play opens to older accounts or after a few completed matches")

// RankedEligible is nil when a may queue for ranked matches at now, else
// ErrRankedLocked saying when the account qualifies by age (CooldownUntil)
// and how many completed matches qualify it sooner.
func (r Rules) RankedEligible(a Account, now time.Time) error {
	if r.MinAccountAge == 0 && r.MinCompleted == 0 {
		return nil
	}
	if r.MinAccountAge > 0 && !now.Before(a.CreatedAt.Add(r.MinAccountAge)) {
		return nil
	}
	if r.MinCompleted > 0 && a.Completed >= r.MinCompleted {
		return nil
	}
	e := *ErrRankedLocked
	left := r.MinCompleted - a.Completed
	switch {
	case r.MinAccountAge > 0 && r.MinCompleted > 0:
		e.CooldownUntil = a.CreatedAt.Add(r.MinAccountAge)
		e.Message = fmt.Sprintf("ranked play opens %s after sign-up or after %d more completed %s (casual or practice, with a submission)",
			r.MinAccountAge, left, plural(left, "match", "matches"))
	case r.MinAccountAge > 0:
		e.CooldownUntil = a.CreatedAt.Add(r.MinAccountAge)
		e.Message = fmt.Sprintf("ranked play opens %s after sign-up", r.MinAccountAge)
	default:
		e.Message = fmt.Sprintf("ranked play opens after %d more completed %s (casual or practice, with a submission)",
			left, plural(left, "match", "matches"))
	}
	return &e
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Counts reports whether a finished match counts: a rating change when
// ranked, XP for everyone. It ran for MinRunTime, or some player
// submitted; a match that was not finished (cancelled) never counts.
func (r Rules) Counts(s match.Snapshot) bool {
	if s.State != match.Finished {
		return false
	}
	if len(s.Submissions) > 0 {
		return true
	}
	return !s.StartAt.IsZero() && s.EndedAt.Sub(s.StartAt) >= r.MinRunTime
}

// Since is where the window of repeated pairings starts for a match
// finishing at now (now itself when the rule is disabled: count nothing).
func (r Rules) Since(now time.Time) time.Time {
	if r.RepeatWindow == 0 {
		return now
	}
	return now.Add(-r.RepeatWindow)
}

// PairWeight is how much a match counts when the same two accounts already
// finished prior counted matches against each other within the window:
// 1, ½, ¼, … (the n-th of a pair in the window counts 1/2^(n−1)). With
// more players, a player's prior is the largest over their opponents.
func PairWeight(prior int) float64 {
	if prior <= 0 {
		return 1
	}
	return math.Ldexp(1, -min(prior, 60))
}
