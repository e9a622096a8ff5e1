package replay

import (
	"context"
	"fmt"

	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/timeline"
)

// Load reads a match's stored timelines: each player's events in stamp
// order. A chunk that does not decode is an error (the store holds only
// what Pack wrote).
func Load(ctx context.Context, st store.Timelines, matchID string) (map[int64][]timeline.Event, error) {
	chunks, err := st.MatchTimelines(ctx, matchID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]timeline.Event{}
	for _, c := range chunks {
		evs, err := timeline.Unpack(c.Data)
		if err != nil {
			return nil, fmt.Errorf("replay: timeline chunk %d of match %s: %w", c.ID, matchID, err)
		}
		out[c.UserID] = append(out[c.UserID], evs...)
	}
	for _, evs := range out {
		// Chunks of one owner are in stamp order already; after a
		// failover the next owner's stamps may interleave by a few ms.
		timeline.Sort(evs)
	}
	return out, nil
}

// Compact packs each player's chunks of a finished match into one.
func Compact(ctx context.Context, st store.Timelines, matchID string) error {
	chunks, err := st.MatchTimelines(ctx, matchID)
	if err != nil {
		return err
	}
	type acc struct {
		n    int
		upTo int64
		evs  []timeline.Event
	}
	by := map[int64]*acc{}
	var users []int64
	for _, c := range chunks {
		a := by[c.UserID]
		if a == nil {
			a = &acc{}
			by[c.UserID] = a
			users = append(users, c.UserID)
		}
		evs, err := timeline.Unpack(c.Data)
		if err != nil {
			return fmt.Errorf("replay: compact match %s: chunk %d: %w", matchID, c.ID, err)
		}
		a.n++
		a.upTo = max(a.upTo, c.ID)
		a.evs = append(a.evs, evs...)
	}
	for _, u := range users {
		a := by[u]
		if a.n < 2 {
			continue
		}
		timeline.Sort(a.evs)
		packed, err := timeline.Pack(a.evs)
		if err != nil {
			return fmt.Errorf("replay: compact match %s: %w", matchID, err)
		}
		if err := st.CompactTimeline(ctx, matchID, u, a.upTo, packed); err != nil {
			return err
		}
	}
	return nil
}
