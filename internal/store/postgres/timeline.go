package postgres

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
	_, err := s.pool.Exec(ctx, `INSERT INTO match_timelines (match_id, user_id, data, created_at) VALUES ($1, $2, $3, $4)`,
		matchID, userID, data, time.Now())
	if err != nil {
		return fmt.Errorf("postgres: append timeline %s/%d: %w", matchID, userID, classify(err))
	}
	return nil
}

func (s *Store) MatchTimelines(ctx context.Context, matchID string) ([]store.TimelineChunk, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, match_id, user_id, data, created_at FROM match_timelines
		WHERE match_id = $1 ORDER BY user_id, id`, matchID)
	if err != nil {
		return nil, fmt.Errorf("postgres: match timelines %s: %w", matchID, err)
	}
	defer rows.Close()
	var out []store.TimelineChunk
	for rows.Next() {
		var c store.TimelineChunk
		if err := rows.Scan(&c.ID, &c.MatchID, &c.UserID, &c.Data, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: match timelines %s: %w", matchID, err)
		}
		c.CreatedAt = utc(c.CreatedAt)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: match timelines %s: %w", matchID, err)
	}
	return out, nil
}

func (s *Store) CompactTimeline(ctx context.Context, matchID string, userID int64, upTo int64, data []byte) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: compact timeline: begin: %w", err)
	}
	defer tx.Rollback(context.Background())
	// The compacted chunk takes the id of the first one it replaces, so it
	// stays before the chunks appended meanwhile; the rows replaced are
	// locked, so two compactions of one player cannot interleave.
	var first int64
	err = tx.QueryRow(ctx, `SELECT COALESCE(MIN(id), 0) FROM (SELECT id FROM match_timelines
		WHERE match_id = $1 AND user_id = $2 AND id <= $3 FOR UPDATE) t`, matchID, userID, upTo).Scan(&first)
	if err != nil {
		return fmt.Errorf("postgres: compact timeline %s/%d: %w", matchID, userID, err)
	}
	if first == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM match_timelines WHERE match_id = $1 AND user_id = $2 AND id <= $3`, matchID, userID, upTo); err != nil {
		return fmt.Errorf("postgres: compact timeline %s/%d: %w", matchID, userID, err)
	}
	if data == nil {
		data = []byte{}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO match_timelines (id, match_id, user_id, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
		first, matchID, userID, data, time.Now()); err != nil {
		return fmt.Errorf("postgres: compact timeline %s/%d: %w", matchID, userID, classify(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: compact timeline: commit: %w", err)
	}
	return nil
}
