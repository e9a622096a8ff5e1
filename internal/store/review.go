package store

import (
	"context"
	"time"
)

// Review decision actions (issue 20). A reversal carries the action of the
// decision it undoes and Reverses set.
const (
	DecisionClear = "clear" // the player's flagged timeline was looked at: nothing wrong
	DecisionVoid  = "void"  // the match counts for nothing: ratings, XP and results reverted
	DecisionBan   = "ban"   // the player is disabled: signed out everywhere, cannot sign in
)

// Reviews is the persistence of an administrator's fair-play decisions;
// part of Store. Every decision is a row (the audit trail): a reversal is a
// new row, and the decision it undoes gets ReversedBy; nothing is deleted.
type Reviews interface {
	// Decide records d and applies it in ONE transaction, returning it as
	// stored (ID, At as given, Changes). A first decision (Reverses 0):
	//   - clear: UserID must be a player of the finished match.
	//   - void: the finished match, not voided, is voided: its results no
	//     longer count (ArenaStats, WinStreak, PairMatches), its XP events
	//     become 0 and its rating history points are deleted; each
	//     player's profile is set by revert (called once per player, with
	//     the match's values read in the transaction; XP and level
	//     included), and the before/after of each profile is recorded
	//     as Changes.
	//   - ban: UserID, a player of the match and not disabled, is disabled.
	// A reversal (Reverses = the id of a decision of d.MatchID that is not a
	// reversal and not reversed yet) undoes it: clear: nothing; void: the
	// match counts again (results, XP events, rating points restored,
	// profiles set by revert in the other direction); ban: the user is
	// enabled. ErrNotFound: no such match, player or decision; ErrConflict:
	// the state does not allow it (match not finished or already voided,
	// user already disabled or not, decision already reversed).
	Decide(ctx context.Context, d Decision, revert func(VoidStanding) (RevertedProfile, error)) (Decision, error)
	// Decisions lists the decisions of the given matches, oldest first.
	Decisions(ctx context.Context, matchIDs []string) ([]Decision, error)
}

// Decision is one recorded decision.
type Decision struct {
	ID         int64
	MatchID    string
	UserID     int64  // the player concerned; 0 for a void (the whole match)
	Action     string // DecisionClear, DecisionVoid or DecisionBan
	Reason     string
	AdminID    int64
	AdminName  string // read only
	At         time.Time
	Reverses   int64 // non-zero: this decision undoes that one
	ReversedBy int64 // read only: the decision that undid this one
	Changes    []ProfileChange
}

// RatingState is a rating as a profile holds it.
type RatingState struct {
	Rating     float64 `json:"rating"`
	RD         float64 `json:"rd"`
	Volatility float64 `json:"volatility"`
}

// VoidStanding is one player of a match being voided (or un-voided), read
// in Decide's transaction: the current profile, whether the match was
// rated for them, and the move to undo: From is what the match (or the
// earlier void) left, To what it replaced. XPDelta is the XP to add
// (−XPGained for a void, +XPGained for its reversal). KnownVolatility is
// false for matches finished before the volatility was recorded.
type VoidStanding struct {
	Profile         Profile
	Rated           bool
	From, To        RatingState
	KnownVolatility bool
	XPDelta         int64
}

// RevertedProfile is revert's answer: the profile's new values.
type RevertedProfile struct {
	RatingState
	XP    int64
	Level int
	Exact bool // the profile still held From, so it is now exactly To
}

// ProfileChange is what a void (or its reversal) did to one profile
// (stored as JSON in the decision row).
type ProfileChange struct {
	UserID      int64       `json:"user_id"`
	Rated       bool        `json:"rated"`
	Before      RatingState `json:"before"`
	After       RatingState `json:"after"`
	XPBefore    int64       `json:"xp_before"`
	XPAfter     int64       `json:"xp_after"`
	LevelBefore int         `json:"level_before"`
	LevelAfter  int         `json:"level_after"`
	Exact       bool        `json:"exact"`
}

// VoidRow is what a backend reads of one player of a match being voided
// (match_players); Standing turns it into revert's input. Backends only.
type VoidRow struct {
	RatingBefore, RDBefore, RatingAfter, RDAfter, VolAfter float64
	ProfileRating, ProfileRD, ProfileVol                   float64 // 0: finished before they were recorded
	XPGained                                               int64
}

// Standing fills st (Profile and, for a void, Rated already read) for a
// void (undo false) or its reversal (undo true, Rated taken from the
// void's recorded changes orig).
func (r VoidRow) Standing(st VoidStanding, undo bool, orig []ProfileChange) VoidStanding {
	before := RatingState{Rating: r.ProfileRating, RD: r.ProfileRD, Volatility: r.ProfileVol}
	if r.ProfileRD == 0 {
		before = RatingState{Rating: r.RatingBefore, RD: r.RDBefore}
	}
	after := RatingState{Rating: r.RatingAfter, RD: r.RDAfter, Volatility: r.VolAfter}
	st.KnownVolatility = r.ProfileVol > 0 && r.VolAfter > 0
	st.From, st.To, st.XPDelta = after, before, -r.XPGained
	if undo {
		st.Rated = false
		for _, c := range orig {
			if c.UserID == st.Profile.UserID {
				st.Rated = c.Rated
			}
		}
		st.From, st.To, st.XPDelta = before, after, r.XPGained
	}
	return st
}

// ChangeOf is the recorded change of one profile.
func ChangeOf(st VoidStanding, nw RevertedProfile) ProfileChange {
	p := st.Profile
	return ProfileChange{UserID: p.UserID, Rated: st.Rated, Before: RatingState{Rating: p.Rating, RD: p.RD, Volatility: p.Volatility},
		After: nw.RatingState, XPBefore: p.XP, XPAfter: nw.XP, LevelBefore: p.Level, LevelAfter: nw.Level, Exact: nw.Exact}
}
