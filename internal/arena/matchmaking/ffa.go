package matchmaking

import (
	"cmp"
	"slices"
	"time"
)

// Group forms free-for-all groups from the FFA queue's tickets.
//
// Every member of a group must accept every other: the group's rating spread
// (max − min) is within the smallest window of its members. Tickets are swept
// in rating order; a group grows from its lowest-rated ticket while the next
// ticket keeps the group acceptable, up to FFAMax. A group is returned when it
// is full, or when it has at least FFAMin players and its longest-waiting
// member has waited FFAFillWait (a half-empty lobby still gets to play). A
// group that is not ready yet releases its lowest ticket and the sweep goes
// on from the next one, so every ticket is considered as a group start.
// Greedy and linear (n·FFAMax); free-for-all is casual, so near-optimal is
// enough.
func (c Config) Group(now time.Time, tickets []Ticket) [][]Ticket {
	ts := slices.Clone(tickets)
	slices.SortFunc(ts, func(a, b Ticket) int {
		if r := cmp.Compare(a.Rating, b.Rating); r != 0 {
			return r
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
	var groups [][]Ticket
	for start := 0; start < len(ts); {
		minWin := c.Window(ts[start], now)
		oldest := ts[start].Enqueued
		end := start + 1
		for end < len(ts) && end-start < c.FFAMax {
			w := min(minWin, c.Window(ts[end], now))
			if ts[end].Rating-ts[start].Rating > w {
				break
			}
			minWin = w
			if ts[end].Enqueued.Before(oldest) {
				oldest = ts[end].Enqueued
			}
			end++
		}
		size := end - start
		if size == c.FFAMax || (size >= c.FFAMin && now.Sub(oldest) >= c.FFAFillWait) {
			groups = append(groups, slices.Clone(ts[start:end]))
			start = end
			continue
		}
		start++
	}
	return groups
}
