package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

var _ store.Timelines = (*Store)(nil)

func (s *Store) AppendTimeline(ctx context.Context, matchID string, userID int64, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO match_timelines (match_id, user_id, data, created_at) VALUES (?, ?, ?, ?)`,
		matchID, userID, data, micros(time.Now()))
	if err != nil {
		return fmt.Errorf("sqlite: append timeline %s/%d: %w", matchID, userID, classify(err))
	}
	return nil
}

func (s *Store) MatchTimelines(ctx context.Context, matchID string) ([]store.TimelineChunk, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, match_id, user_id, data, created_at FROM match_timelines
		WHERE match_id = ? ORDER BY user_id, id`, matchID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: match timelines %s: %w", matchID, err)
	}
	defer rows.Close()
	var out []store.TimelineChunk
	for rows.Next() {
		var c store.TimelineChunk
		var at int64
		if err := rows.Scan(&c.ID, &c.MatchID, &c.UserID, &c.Data, &at); err != nil {
			return nil, fmt.Errorf("sqlite: match timelines %s: %w", matchID, err)
		}
		c.CreatedAt = fromMicros(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: match timelines %s: %w", matchID, err)
	}
	return out, nil
}

func (s *Store) CompactTimeline(ctx context.Context, matchID string, userID int64, upTo int64, data []byte) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: compact timeline: begin: %w", err)
	}
	defer tx.Rollback()
	// The compacted chunk takes the id of the first one it replaces, so it
	// stays before the chunks appended meanwhile.
	var first int64
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM match_timelines WHERE match_id = ? AND user_id = ? AND id <= ?`,
		matchID, userID, upTo).Scan(&first)
	if err != nil {
		return fmt.Errorf("sqlite: compact timeline %s/%d: %w", matchID, userID, err)
	}
	if first == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM match_timelines WHERE match_id = ? AND user_id = ? AND id <= ?`, matchID, userID, upTo); err != nil {
		return fmt.Errorf("sqlite: compact timeline %s/%d: %w", matchID, userID, err)
	}
	if data == nil {
		data = []byte{}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO match_timelines (id, match_id, user_id, data, created_at) VALUES (?, ?, ?, ?, ?)`,
		first, matchID, userID, data, micros(time.Now())); err != nil {
		return fmt.Errorf("sqlite: compact timeline %s/%d: %w", matchID, userID, classify(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: compact timeline: commit: %w", err)
	}
	return nil
}
