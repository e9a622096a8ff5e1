package matchmaking

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Pair is two tickets matched by one tick.
type Pair struct {
	A, B Ticket
	Gap  float64 // |A.Rating − B.Rating|
}

// Pair computes the pairs of one tick for tickets of a single 1v1 queue.
//
// Objective, in order: (1) as many pairs as possible, (2) the smallest total
// rating gap, (3) the largest total waiting time of the paired players (so
// among equal choices the longest-waiting get served). Every pair must be
// mutually acceptable (Config.Acceptable). Minimising the gap alone would be
// won by pairing nobody, hence (1) first. This is not first-come-first-served:
// a ticket waits for a closer opponent when one exists.
//
// Algorithm: sort by rating, then a dynamic programme along the sorted line
// in which a ticket may be paired with one of the next Lookahead tickets. The
// state at position i is the set of the next Lookahead positions already
// taken by earlier pairs (a bit mask), so the DP is exact over all matchings
// whose pairs span at most Lookahead positions, in O(n·2^L·L) time after the
// O(n log n) sort.
//
// Why this is optimal (or nearly):
//
// With one common window W (all tickets accept the same gap) adjacent pairing
// (Lookahead = 1) is already optimal among all matchings. Take an optimal
// matching with, among optima, the least sum of squared gaps, and ratings
// a ≤ b ≤ c ≤ d:
//   - crossing pairs (a,c),(b,d) can be replaced by (a,b),(c,d): both new gaps
//     are ≤ W (b−a ≤ c−a, d−c ≤ d−b), the count is the same and the total gap
//     is not larger, the sum of squares strictly smaller (unless equal ratings,
//     where the choice is immaterial);
//   - nested pairs (a,d),(b,c) likewise become (a,b),(c,d): total gap drops by
//     2(c−b) ≥ 0;
//   - a pair (a,c) with an unpaired b between them becomes (a,b): smaller gap.
//
// So some optimum has neither crossings, nestings nor skipped tickets inside a
// pair, which means every pair is adjacent in rating order: exactly what the
// DP explores.
//
// With per-ticket windows (they grow with waiting time and RD) the exchange
// can fail, because the new partner may not accept: for ratings 0, 10, 12, 15
// with b's window 5 and d's window 5 the only two-pair matching is the
// crossing (a,c),(b,d). Lookahead > 1 covers such cases as long as the
// partners are within Lookahead positions of each other, which is where
// compatible partners are in a dense queue; a ticket missed this way is
// considered again next tick with a wider window. The default Lookahead 4
// keeps a 10,000-ticket tick at a few milliseconds (see BenchmarkTick).
func (c Config) Pair(now time.Time, tickets []Ticket) []Pair {
	return c.pair(now, tickets, &scratch{})
}

// scratch holds the DP's buffers so that the lobby can reuse them from tick
// to tick instead of allocating megabytes each time.
type scratch struct {
	ts     []Ticket
	win    []float64
	wait   []float64
	best   []value
	choice []int8
}

// grow returns s[:n], reallocating only when the capacity is short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (c Config) pair(now time.Time, tickets []Ticket, sc *scratch) []Pair {
	n := len(tickets)
	if n < 2 {
		return nil
	}
	sc.ts = append(sc.ts[:0], tickets...)
	ts := sc.ts
	slices.SortFunc(ts, func(a, b Ticket) int {
		if r := cmp.Compare(a.Rating, b.Rating); r != 0 {
			return r
		}
		if r := a.Enqueued.Compare(b.Enqueued); r != 0 {
			return r
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
	sc.win, sc.wait = grow(sc.win, n), grow(sc.wait, n)
	win, wait := sc.win, sc.wait
	for i, t := range ts {
		win[i] = c.Window(t, now)
		wait[i] = now.Sub(t.Enqueued).Seconds()
	}
	L := c.Lookahead
	if L < 1 {
		L = 1
	}
	states := 1 << L

	// best[i*states+mask]: optimum for positions i..n−1 given that the
	// positions i+d with bit d of mask set are already paired.
	sc.best, sc.choice = grow(sc.best, (n+1)*states), grow(sc.choice, (n+1)*states)
	best := sc.best
	choice := sc.choice    // 0: leave i unpaired (or taken); d>0: pair i with i+d
	clear(best[n*states:]) // the base case; every other entry is written before it is read
	for i := n - 1; i >= 0; i-- {
		for mask := 0; mask < states; mask++ {
			idx := i*states + mask
			next := (i + 1) * states
			if mask&1 != 0 {
				best[idx] = best[next+mask>>1]
				continue
			}
			bv, bc := best[next+mask>>1], int8(0)
			for d := 1; d <= L && i+d < n; d++ {
				if d < L && mask&(1<<d) != 0 {
					continue
				}
				j := i + d
				gap := ts[j].Rating - ts[i].Rating
				if gap > win[i] {
					break // sorted: farther tickets are farther still
				}
				if gap > win[j] {
					continue
				}
				rest := best[next+(mask|1<<d)>>1]
				v := value{pairs: rest.pairs + 1, gap: rest.gap + gap, wait: rest.wait + wait[i] + wait[j]}
				if v.better(bv) {
					bv, bc = v, int8(d)
				}
			}
			best[idx], choice[idx] = bv, bc
		}
	}

	pairs := make([]Pair, 0, best[0].pairs)
	mask := 0
	for i := 0; i < n; i++ {
		if mask&1 == 0 {
			if d := int(choice[i*states+mask]); d > 0 {
				pairs = append(pairs, Pair{A: ts[i], B: ts[i+d], Gap: math.Abs(ts[i+d].Rating - ts[i].Rating)})
				mask |= 1 << d
			}
		}
		mask >>= 1
	}
	return pairs
}

type value struct {
	pairs int
	gap   float64
	wait  float64
}

func (v value) better(o value) bool {
	if v.pairs != o.pairs {
		return v.pairs > o.pairs
	}
	if v.gap != o.gap {
		return v.gap < o.gap
	}
	return v.wait > o.wait
}
