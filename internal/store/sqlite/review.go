package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/segfaultarena/segfault/internal/store"
)

// Decide runs in one transaction on the single writer connection (see
// store.Reviews).
func (s *Store) Decide(ctx context.Context, d store.Decision, revert func(store.VoidStanding) (store.RevertedProfile, error)) (store.Decision, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return d, fmt.Errorf("sqlite: decide: begin: %w", err)
	}
	defer tx.Rollback()
	var state string
	var voided bool
	var finishedAt int64
	if err := tx.QueryRowContext(ctx, "SELECT state, voided, finished_at FROM matches WHERE id = ?", d.MatchID).
		Scan(&state, &voided, &finishedAt); err != nil {
		return d, fmt.Errorf("sqlite: decide on match %s: %w", d.MatchID, classify(err))
	}
	if state != store.MatchFinished {
		return d, fmt.Errorf("sqlite: decide on match %s in state %s: %w", d.MatchID, state, store.ErrConflict)
	}
	undo := d.Reverses != 0
	var orig []store.ProfileChange
	if undo {
		var reverses, reversedBy int64
		var changes []byte
		if err := tx.QueryRowContext(ctx, `SELECT user_id, action, reverses, reversed_by, changes FROM review_decisions
			WHERE id = ? AND match_id = ?`, d.Reverses, d.MatchID).Scan(&d.UserID, &d.Action, &reverses, &reversedBy, &changes); err != nil {
			return d, fmt.Errorf("sqlite: decision %d of match %s: %w", d.Reverses, d.MatchID, classify(err))
		}
		if reverses != 0 || reversedBy != 0 {
			return d, fmt.Errorf("sqlite: decision %d is a reversal or reversed: %w", d.Reverses, store.ErrConflict)
		}
		if err := json.Unmarshal(changes, &orig); err != nil {
			return d, fmt.Errorf("sqlite: decision %d: changes: %w", d.Reverses, err)
		}
	}
	d.Changes = []store.ProfileChange{}
	switch d.Action {
	case store.DecisionClear, store.DecisionBan:
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM match_players WHERE match_id = ? AND user_id = ?", d.MatchID, d.UserID).
			Scan(&one); err != nil {
			return d, fmt.Errorf("sqlite: player %d of match %s: %w", d.UserID, d.MatchID, classify(err))
		}
	case store.DecisionVoid:
		d.UserID = 0
	default:
		return d, fmt.Errorf("sqlite: decide: unknown action %q", d.Action)
	}
	switch d.Action {
	case store.DecisionBan:
		var disabled bool
		if err := tx.QueryRowContext(ctx, "SELECT disabled FROM users WHERE id = ?", d.UserID).Scan(&disabled); err != nil {
			return d, fmt.Errorf("sqlite: ban user %d: %w", d.UserID, classify(err))
		}
		if disabled != undo {
			return d, fmt.Errorf("sqlite: ban user %d (disabled: %v): %w", d.UserID, disabled, store.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET disabled = ? WHERE id = ?", !undo, d.UserID); err != nil {
			return d, fmt.Errorf("sqlite: ban user %d: %w", d.UserID, err)
		}
	case store.DecisionVoid:
		if voided != undo {
			return d, fmt.Errorf("sqlite: void match %s (voided: %v): %w", d.MatchID, voided, store.ErrConflict)
		}
		if d.Changes, err = voidMatch(ctx, tx, d.MatchID, finishedAt, undo, orig, revert); err != nil {
			return d, err
		}
	}
	changes, err := json.Marshal(d.Changes)
	if err != nil {
		return d, err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO review_decisions (match_id, user_id, action, reason, admin_id, at, reverses, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.MatchID, d.UserID, d.Action, d.Reason, d.AdminID, micros(d.At), d.Reverses,
		changes).Scan(&d.ID); err != nil {
		return d, fmt.Errorf("sqlite: record decision on %s: %w", d.MatchID, classify(err))
	}
	if undo {
		if _, err := tx.ExecContext(ctx, "UPDATE review_decisions SET reversed_by = ? WHERE id = ?", d.ID, d.Reverses); err != nil {
			return d, fmt.Errorf("sqlite: mark decision %d reversed: %w", d.Reverses, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return d, fmt.Errorf("sqlite: decide: commit: %w", err)
	}
	d.At = fromMicros(micros(d.At))
	return d, nil
}

// voidMatch voids (undo false) or restores (undo true) a finished match's
// effects on its players' profiles, XP events and rating history.
func voidMatch(ctx context.Context, tx *sql.Tx, matchID string, finishedAt int64, undo bool, orig []store.ProfileChange,
	revert func(store.VoidStanding) (store.RevertedProfile, error)) ([]store.ProfileChange, error) {
	rows, err := tx.QueryContext(ctx, `SELECT mp.user_id, mp.rating_before, mp.rd_before, mp.rating_after, mp.rd_after, mp.vol_after,
		mp.profile_rating, mp.profile_rd, mp.profile_vol, mp.xp_gained,
		EXISTS (SELECT 1 FROM rating_history rh WHERE rh.user_id = mp.user_id AND rh.match_id = mp.match_id),
		p.rating, p.rd, p.volatility, p.xp, p.level
		FROM match_players mp JOIN profiles p ON p.user_id = mp.user_id WHERE mp.match_id = ? ORDER BY mp.seat`, matchID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: void match %s: players: %w", matchID, err)
	}
	type player struct {
		st       store.VoidStanding
		xpGained int64
	}
	var ps []player
	for rows.Next() {
		var p player
		var r store.VoidRow
		pf := &p.st.Profile
		if err := rows.Scan(&pf.UserID, &r.RatingBefore, &r.RDBefore, &r.RatingAfter, &r.RDAfter, &r.VolAfter,
			&r.ProfileRating, &r.ProfileRD, &r.ProfileVol, &r.XPGained, &p.st.Rated,
			&pf.Rating, &pf.RD, &pf.Volatility, &pf.XP, &pf.Level); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: void match %s: players: %w", matchID, err)
		}
		p.st, p.xpGained = r.Standing(p.st, undo, orig), r.XPGained
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: void match %s: players: %w", matchID, err)
	}
	out := []store.ProfileChange{}
	for _, p := range ps {
		nw, err := revert(p.st)
		if err != nil {
			return nil, fmt.Errorf("sqlite: void match %s: player %d: %w", matchID, p.st.Profile.UserID, err)
		}
		pf := p.st.Profile
		if _, err := tx.ExecContext(ctx, `UPDATE profiles SET rating = ?, rd = ?, volatility = ?, xp = ?, level = ? WHERE user_id = ?`,
			nw.Rating, nw.RD, nw.Volatility, nw.XP, nw.Level, pf.UserID); err != nil {
			return nil, fmt.Errorf("sqlite: void match %s: profile %d: %w", matchID, pf.UserID, err)
		}
		amount := int64(0)
		if undo {
			amount = p.xpGained
		}
		if _, err := tx.ExecContext(ctx, "UPDATE xp_events SET amount = ? WHERE match_id = ? AND user_id = ?", amount, matchID, pf.UserID); err != nil {
			return nil, fmt.Errorf("sqlite: void match %s: xp event %d: %w", matchID, pf.UserID, err)
		}
		if p.st.Rated && undo {
			// From is what the void left, To what the match wrote: the
			// point is the match's own (its delta from what it replaced).
			if _, err := tx.ExecContext(ctx, `INSERT INTO rating_history (user_id, match_id, at, rating, rd, delta) VALUES (?, ?, ?, ?, ?, ?)`,
				pf.UserID, matchID, finishedAt, p.st.To.Rating, p.st.To.RD, p.st.To.Rating-p.st.From.Rating); err != nil {
				return nil, fmt.Errorf("sqlite: void match %s: rating history %d: %w", matchID, pf.UserID, classify(err))
			}
		}
		out = append(out, store.ChangeOf(p.st, nw))
	}
	if !undo {
		if _, err := tx.ExecContext(ctx, "DELETE FROM rating_history WHERE match_id = ?", matchID); err != nil {
			return nil, fmt.Errorf("sqlite: void match %s: rating history: %w", matchID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE matches SET voided = ? WHERE id = ?", !undo, matchID); err != nil {
		return nil, fmt.Errorf("sqlite: void match %s: %w", matchID, err)
	}
	return out, nil
}

func (s *Store) Decisions(ctx context.Context, matchIDs []string) ([]store.Decision, error) {
	out := []store.Decision{}
	if len(matchIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(matchIDs))
	for i, id := range matchIDs {
		args[i] = id
	}
	rows, err := s.r.QueryContext(ctx, `SELECT d.id, d.match_id, d.user_id, d.action, d.reason, d.admin_id, COALESCE(u.username, ''),
		d.at, d.reverses, d.reversed_by, d.changes FROM review_decisions d LEFT JOIN users u ON u.id = d.admin_id
		WHERE d.match_id IN (?`+strings.Repeat(", ?", len(args)-1)+`) ORDER BY d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d store.Decision
		var at int64
		var changes []byte
		if err := rows.Scan(&d.ID, &d.MatchID, &d.UserID, &d.Action, &d.Reason, &d.AdminID, &d.AdminName, &at, &d.Reverses,
			&d.ReversedBy, &changes); err != nil {
			return nil, fmt.Errorf("sqlite: decisions: %w", err)
		}
		d.At = fromMicros(at)
		if err := json.Unmarshal(changes, &d.Changes); err != nil {
			return nil, fmt.Errorf("sqlite: decision %d: changes: %w", d.ID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
