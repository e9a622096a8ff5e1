package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/arena/xp"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// MaxDecisionReason bounds a decision's reason (characters).
const MaxDecisionReason = 500

// Decide is POST /api/v1/admin/matches/{id}/decisions (administrators
// only: the route requires the role): an administrator's decision on a
// reviewed match, recorded with who, when and why (store.Reviews), or the
// reversal of an earlier one. A ban also ends every session of the player
// and closes their sockets on every node (the sign-out-everywhere path),
// so they can neither sign in nor queue until an unban.
func (s *Service) Decide(ctx context.Context, matchID string, admin int64, req protocol.DecisionRequest) (protocol.ReviewDecision, error) {
	reason := strings.TrimSpace(req.Reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxDecisionReason || !utf8.ValidString(reason) {
		return protocol.ReviewDecision{}, errcode.New(errcode.InvalidRequest, fmt.Sprintf("reason is required: 1–%d characters", MaxDecisionReason))
	}
	d := store.Decision{MatchID: matchID, Reason: reason, AdminID: admin, At: s.clk.Now(), Reverses: req.Reverses}
	switch {
	case req.Reverses < 0:
		return protocol.ReviewDecision{}, errcode.New(errcode.InvalidRequest, "reverses is a decision id")
	case req.Reverses > 0:
		if req.Action != "" || req.UserID != 0 {
			return protocol.ReviewDecision{}, errcode.New(errcode.InvalidRequest, "a reversal names only the decision it reverses (and a reason)")
		}
	case req.Action == protocol.DecisionClear || req.Action == protocol.DecisionBan:
		if req.UserID <= 0 {
			return protocol.ReviewDecision{}, errcode.New(errcode.InvalidRequest, req.Action+" needs user_id, a player of the match")
		}
		d.Action, d.UserID = req.Action, req.UserID
	case req.Action == protocol.DecisionVoid:
		if req.UserID != 0 {
			return protocol.ReviewDecision{}, errcode.New(errcode.InvalidRequest, "a void is of the whole match: no user_id")
		}
		d.Action = req.Action
	default:
		return protocol.ReviewDecision{}, errcode.New(errcode.InvalidRequest, "action is clear, void or ban (or give reverses)")
	}
	got, err := s.st.Decide(ctx, d, RevertProfile)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return protocol.ReviewDecision{}, errcode.New(errcode.NotFound, "no such finished match, player of it, or decision of it")
	case errors.Is(err, store.ErrConflict):
		return protocol.ReviewDecision{}, errcode.New(errcode.DecisionConflict, conflictMessage(d))
	case err != nil:
		return protocol.ReviewDecision{}, err
	}
	s.log.Info("review decision", "match", matchID, "action", got.Action, "user", got.UserID, "admin", admin,
		"reverses", got.Reverses, "decision", got.ID)
	if len(got.Changes) > 0 {
		// A void (or unvoid) moved ratings and XP: the boards follow, as
		// after a finished match.
		changed := make([]int64, 0, len(got.Changes))
		for _, c := range got.Changes {
			changed = append(changed, c.UserID)
		}
		s.publishBoard(changed)
	}
	if got.Action == store.DecisionBan {
		s.publishBoard([]int64{got.UserID}) // a disabled user leaves the boards
	}
	if got.Action == store.DecisionBan && got.Reverses == 0 {
		// The user is disabled already (sign-in refused); ending the
		// sessions and announcing it closes every open socket now.
		if err := s.st.DeleteUserSessions(ctx, got.UserID); err != nil {
			return protocol.ReviewDecision{}, fmt.Errorf("ban %d: end sessions: %w", got.UserID, err)
		}
		s.SessionsEnded(got.UserID)
	}
	if u, err := s.st.UserByID(ctx, admin); err == nil {
		got.AdminName = u.Username
	}
	return decisionView(got), nil
}

func conflictMessage(d store.Decision) string {
	switch {
	case d.Reverses != 0:
		return "that decision is already reversed, or is itself a reversal"
	case d.Action == store.DecisionVoid:
		return "the match is not finished, or is voided already"
	case d.Action == store.DecisionBan:
		return "the match is not finished, or the player is banned already"
	}
	return "the match is not finished"
}

// RevertProfile is the void rule handed to store.Reviews.Decide: rating,
// RD and volatility by rating.Config.Revert (exact when nothing moved them
// since, else the inverse delta), XP by the match's XP (never below 0) and
// the level of the new total.
func RevertProfile(st store.VoidStanding) (store.RevertedProfile, error) {
	p := st.Profile
	out := store.RevertedProfile{RatingState: store.RatingState{Rating: p.Rating, RD: p.RD, Volatility: p.Volatility},
		XP: max(0, p.XP+st.XPDelta), Exact: true}
	out.Level = xp.Level(out.XP)
	if st.Rated {
		r, exact := rating.Default().Revert(rating.Rating{R: p.Rating, RD: p.RD, Sigma: p.Volatility},
			rating.Rating{R: st.From.Rating, RD: st.From.RD, Sigma: st.From.Volatility},
			rating.Rating{R: st.To.Rating, RD: st.To.RD, Sigma: st.To.Volatility}, st.KnownVolatility)
		out.RatingState, out.Exact = store.RatingState{Rating: r.R, RD: r.RD, Volatility: r.Sigma}, exact
	}
	return out, nil
}

func decisionView(d store.Decision) protocol.ReviewDecision {
	v := protocol.ReviewDecision{ID: d.ID, MatchID: d.MatchID, UserID: d.UserID, Action: d.Action, Reason: d.Reason, AdminID: d.AdminID,
		Admin: d.AdminName, At: protocol.Time(d.At), Reverses: d.Reverses, ReversedBy: d.ReversedBy, Changes: protocol.List[protocol.ProfileRevert]{}}
	for _, c := range d.Changes {
		v.Changes = append(v.Changes, protocol.ProfileRevert{UserID: c.UserID, Rated: c.Rated, RatingBefore: c.Before.Rating,
			RatingAfter: c.After.Rating, RDBefore: c.Before.RD, RDAfter: c.After.RD, VolatilityBefore: c.Before.Volatility,
			VolatilityAfter: c.After.Volatility, XPBefore: c.XPBefore, XPAfter: c.XPAfter, Exact: c.Exact})
	}
	return v
}
