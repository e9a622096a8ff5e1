package store

import (
	"context"
	"time"
)

// TimelineChunk is one stored piece of a player's editor timeline in a
// match (issue 20): events packed by internal/timeline (Pack), written
// while the match runs and compacted into one chunk once it ended.
type TimelineChunk struct {
	ID        int64 // increasing in the order chunks were appended
	MatchID   string
	UserID    int64
	Data      []byte
	CreatedAt time.Time
}

// Timelines is the persistence of the editor timelines; part of Store.
type Timelines interface {
	// AppendTimeline stores a chunk of a player's timeline. ErrNotFound if
	// the match or the user does not exist.
	AppendTimeline(ctx context.Context, matchID string, userID int64, data []byte) error
	// MatchTimelines returns every chunk of a match, by user then in the
	// order they were appended.
	MatchTimelines(ctx context.Context, matchID string) ([]TimelineChunk, error)
	// CompactTimeline replaces a player's chunks with id ≤ upTo by one
	// chunk holding data, in one transaction (chunks appended meanwhile
	// stay, after it). Nothing happens if upTo names no chunk of theirs.
	CompactTimeline(ctx context.Context, matchID string, userID int64, upTo int64, data []byte) error
}
