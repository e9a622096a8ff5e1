package service

import (
	"context"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/arena/fairplay"
	"github.com/segfaultarena/segfault/internal/arena/match"
)

// The rules of rated play (package fairplay, issue 17) as the service
// applies them:
//
//   - queue.join ranked asks rankedEligible (the account's age and its
//     completed matches from the store): ranked_locked otherwise;
//   - a finished match that does not count (it ran less than MinRunTime
//     and nobody submitted) stores no result for anyone: no rating change,
//     no XP, no win (compute);
//   - a counted match between accounts that already finished counted
//     matches against each other within RepeatWindow counts
//     fairplay.PairWeight of a match, in rating (rating.MatchWeighted) and
//     XP (pairWeights, compute).

// fair returns the rules in force (Options.FairPlay, else the defaults).
func (s *Service) fair() fairplay.Rules {
	if s.opt.FairPlay != nil {
		return *s.opt.FairPlay
	}
	return fairplay.Default()
}

// rankedEligible is nil when user may queue for ranked matches now.
func (s *Service) rankedEligible(ctx context.Context, user int64) error {
	r := s.fair()
	if r.MinAccountAge == 0 && r.MinCompleted == 0 {
		return nil
	}
	u, err := s.st.UserByID(ctx, user)
	if err != nil {
		return fmt.Errorf("arena: user %d: %w", user, err)
	}
	acc := fairplay.Account{CreatedAt: u.CreatedAt}
	if r.MinAccountAge == 0 || s.clk.Now().Before(u.CreatedAt.Add(r.MinAccountAge)) {
		if acc.Completed, err = s.st.CompletedMatches(ctx, user); err != nil {
			return fmt.Errorf("arena: completed matches of %d: %w", user, err)
		}
	}
	return r.RankedEligible(acc, s.clk.Now())
}

// pairWeights is each player's weight in a finished match of mode: 1,
// or less after prior counted matches against the same opponent within
// the window (the largest prior over the player's opponents). Practice
// and matches that do not count weigh 1 (nothing to scale).
func (s *Service) pairWeights(ctx context.Context, mode string, snap match.Snapshot) (map[int64]float64, error) {
	r := s.fair()
	out := map[int64]float64{}
	if mode == "practice" || r.RepeatWindow == 0 || !r.Counts(snap) {
		return out, nil
	}
	since := r.Since(snap.EndedAt)
	prior := map[int64]int{}
	for i, a := range snap.Players {
		for _, b := range snap.Players[i+1:] {
			n, err := s.st.PairMatches(ctx, a.ID, b.ID, since)
			if err != nil {
				return nil, fmt.Errorf("arena: pairings of %d and %d: %w", a.ID, b.ID, err)
			}
			prior[a.ID], prior[b.ID] = max(prior[a.ID], n), max(prior[b.ID], n)
		}
	}
	for id, n := range prior {
		out[id] = fairplay.PairWeight(n)
	}
	return out, nil
}

// SessionsEnded tells every API node (this one included) that sessions of
// user ended (sign-out, sign-out everywhere, disabling, a new password):
// each checks that user's open sockets again at once and closes those
// whose session is gone. Wire it to auth.Service.OnSessionsEnded. A lost
// message leaves the periodic check (realtime.Options.Reauth) as before.
func (s *Service) SessionsEnded(user int64) {
	if err := s.bus.NC.Publish(s.bus.Names.SessionsEnded(), strconv.AppendInt(nil, user, 10)); err != nil {
		s.log.Warn("announce ended sessions; sockets close at their next check", "user", user, "err", err)
	}
}

func (s *Service) onSessionsEnded(m *nats.Msg) {
	if user, err := strconv.ParseInt(string(m.Data), 10, 64); err == nil && user > 0 {
		s.hub.Recheck(user)
	}
}
