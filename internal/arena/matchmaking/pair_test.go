package matchmaking

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestWindowCurve(t *testing.T) {
	c := Default()
	tests := []struct {
		wait time.Duration
		rd   float64
		want float64
	}{
		{0, 30, 100}, {0, 50, 100}, {4999 * time.Millisecond, 50, 100}, {5 * time.Second, 50, 150},
		{10 * time.Second, 50, 200}, {30 * time.Second, 50, 400}, {50 * time.Second, 50, 600},
		{10 * time.Minute, 50, 600},
		{0, 150, 150}, {20 * time.Second, 150, 350}, {45 * time.Second, 150, 600},
		{0, 350, 250}, {5 * time.Second, 350, 300}, {30 * time.Second, 350, 550}, {40 * time.Second, 350, 600},
		{-time.Minute, 50, 100}, // enqueue time ahead of the clock (skew) counts as no wait
	}
	for _, tt := range tests {
		tk := Ticket{Rating: 1500, RD: tt.rd, Enqueued: t0}
		if got := c.Window(tk, t0.Add(tt.wait)); got != tt.want {
			t.Errorf("Window(wait %v, RD %v) = %v, want %v", tt.wait, tt.rd, got, tt.want)
		}
	}
}

func TestAcceptableIsMutual(t *testing.T) {
	c := Default()
	old := Ticket{UserID: 1, Rating: 1500, RD: 50, Enqueued: t0.Add(-time.Minute)} // ±600
	fresh := Ticket{UserID: 2, Rating: 1800, RD: 50, Enqueued: t0}                 // ±100
	if c.Acceptable(old, fresh, t0) || c.Acceptable(fresh, old, t0) {
		t.Fatal("a gap of 300 is outside the fresh ticket's ±100 window")
	}
	if !c.Acceptable(old, fresh, t0.Add(20*time.Second)) { // fresh now ±300
		t.Fatal("gap 300 within both windows after 20 s")
	}
}

// brute returns the best (pairs, gap) over all matchings of sorted tickets
// whose pairs span at most span positions (span ≥ n means unrestricted).
func brute(c Config, now time.Time, ts []Ticket, span int) value {
	used := make([]bool, len(ts))
	var rec func(i int) value
	rec = func(i int) value {
		for i < len(ts) && used[i] {
			i++
		}
		if i >= len(ts) {
			return value{}
		}
		used[i] = true
		best := rec(i + 1)
		for j := i + 1; j < len(ts) && j-i <= span; j++ {
			if used[j] || !c.Acceptable(ts[i], ts[j], now) {
				continue
			}
			used[j] = true
			r := rec(i + 1)
			used[j] = false
			v := value{pairs: r.pairs + 1, gap: r.gap + math.Abs(ts[j].Rating-ts[i].Rating)}
			if v.pairs > best.pairs || (v.pairs == best.pairs && v.gap < best.gap-1e-9) {
				best = v
			}
		}
		used[i] = false
		return best
	}
	return rec(0)
}

func checkValid(t *testing.T, c Config, now time.Time, in []Ticket, pairs []Pair) value {
	t.Helper()
	seen := map[int64]bool{}
	var v value
	for _, p := range pairs {
		for _, u := range []int64{p.A.UserID, p.B.UserID} {
			if seen[u] {
				t.Fatalf("user %d paired twice", u)
			}
			seen[u] = true
		}
		if !c.Acceptable(p.A, p.B, now) {
			t.Fatalf("unacceptable pair %+v", p)
		}
		if !slices.Contains(in, p.A) || !slices.Contains(in, p.B) {
			t.Fatalf("pair %+v not from the input", p)
		}
		v.pairs++
		v.gap += p.Gap
	}
	return v
}

func randomTickets(r *rand.Rand, n int, uniform bool) []Ticket {
	ts := make([]Ticket, n)
	for i := range ts {
		ts[i] = Ticket{UserID: int64(i + 1), Rating: 1200 + float64(r.IntN(600)) + float64(i)*1e-3, RD: 50, Enqueued: t0}
		if !uniform {
			ts[i].RD = float64(r.IntN(350))
			ts[i].Enqueued = t0.Add(-time.Duration(r.IntN(60)) * time.Second)
		}
	}
	slices.SortFunc(ts, func(a, b Ticket) int { return int(math.Copysign(1, a.Rating-b.Rating)) })
	return ts
}

// With one common window, adjacent pairing is optimal among all matchings
// (see the argument on Pair): compare with exhaustive search.
func TestPairOptimalWithUniformWindow(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, la := range []int{1, 4} {
		c := Default()
		c.Lookahead = la
		for iter := 0; iter < 300; iter++ {
			ts := randomTickets(r, 2+r.IntN(9), true)
			got := checkValid(t, c, t0, ts, c.Pair(t0, ts))
			want := brute(c, t0, ts, len(ts))
			if got.pairs != want.pairs || math.Abs(got.gap-want.gap) > 1e-6 {
				t.Fatalf("lookahead %d, %v: DP %+v, exhaustive %+v", la, ts, got, want)
			}
		}
	}
}

// With per-ticket windows the DP is exact among matchings whose pairs span at
// most Lookahead positions in rating order.
func TestPairExactWithinLookahead(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, la := range []int{1, 2, 3, 4} {
		c := Default()
		c.Lookahead = la
		for iter := 0; iter < 300; iter++ {
			ts := randomTickets(r, 2+r.IntN(10), false)
			got := checkValid(t, c, t0, ts, c.Pair(t0, ts))
			want := brute(c, t0, ts, la)
			if got.pairs != want.pairs || math.Abs(got.gap-want.gap) > 1e-6 {
				t.Fatalf("lookahead %d: DP %+v, exhaustive %+v", la, got, want)
			}
		}
	}
}

// The counterexample from Pair's comment: only the crossing matching pairs
// all four, which adjacent pairing cannot find and lookahead 2 does.
func TestPairCrossingNeedsLookahead(t *testing.T) {
	c := Default()
	c.StartWindow, c.Step, c.RDBase, c.RDFactor = 5, 0, 0, 1 // window = 5 + RD
	ts := []Ticket{
		{UserID: 1, Rating: 1000, RD: 7, Enqueued: t0}, // ±12
		{UserID: 2, Rating: 1010, RD: 0, Enqueued: t0}, // ±5
		{UserID: 3, Rating: 1012, RD: 7, Enqueued: t0}, // ±12
		{UserID: 4, Rating: 1015, RD: 0, Enqueued: t0}, // ±5
	}
	c.Lookahead = 1
	if got := c.Pair(t0, ts); len(got) != 1 {
		t.Fatalf("adjacent pairing found %d pairs, expected it to miss the crossing", len(got))
	}
	c.Lookahead = 2
	got := c.Pair(t0, ts)
	if len(got) != 2 {
		t.Fatalf("lookahead 2 found %d pairs, want 2", len(got))
	}
	checkValid(t, c, t0, ts, got)
}

func TestPairPrefersCloserOverFirstCome(t *testing.T) {
	c := Default()
	ts := []Ticket{
		{UserID: 1, Rating: 1500, RD: 50, Enqueued: t0.Add(-40 * time.Second)}, // waited longest
		{UserID: 2, Rating: 1590, RD: 50, Enqueued: t0.Add(-20 * time.Second)},
		{UserID: 3, Rating: 1600, RD: 50, Enqueued: t0},
	}
	got := c.Pair(t0, ts)
	if len(got) != 1 || got[0].A.UserID != 2 || got[0].B.UserID != 3 {
		t.Fatalf("got %+v, want the closest pair 2–3 (gap 10), not the oldest ticket 1", got)
	}
	// Among equal gaps, the longer-waiting players are served.
	ts = []Ticket{
		{UserID: 1, Rating: 1500, RD: 50, Enqueued: t0},
		{UserID: 2, Rating: 1550, RD: 50, Enqueued: t0.Add(-30 * time.Second)},
		{UserID: 3, Rating: 1600, RD: 50, Enqueued: t0.Add(-30 * time.Second)},
	}
	got = c.Pair(t0, ts)
	if len(got) != 1 || got[0].A.UserID != 2 || got[0].B.UserID != 3 {
		t.Fatalf("got %+v, want the longer-waiting 2–3", got)
	}
}

func TestPairEdgeCases(t *testing.T) {
	c := Default()
	if got := c.Pair(t0, nil); got != nil {
		t.Fatalf("no tickets: %v", got)
	}
	one := []Ticket{{UserID: 1, Rating: 1500, RD: 50, Enqueued: t0}}
	if got := c.Pair(t0, one); got != nil {
		t.Fatalf("one ticket: %v", got)
	}
	far := []Ticket{{UserID: 1, Rating: 1000, RD: 50, Enqueued: t0}, {UserID: 2, Rating: 2000, RD: 50, Enqueued: t0.Add(-time.Hour)}}
	if got := c.Pair(t0, far); len(got) != 0 {
		t.Fatalf("gap beyond any window paired: %v", got)
	}
	same := []Ticket{{UserID: 1, Rating: 1500, RD: 50, Enqueued: t0}, {UserID: 2, Rating: 1500, RD: 50, Enqueued: t0}}
	if got := c.Pair(t0, same); len(got) != 1 || got[0].Gap != 0 {
		t.Fatalf("equal ratings: %v", got)
	}
}

func TestGroup(t *testing.T) {
	c := Default()
	mk := func(n int, base float64, enq time.Time) []Ticket {
		var ts []Ticket
		for i := 0; i < n; i++ {
			ts = append(ts, Ticket{UserID: int64(base) + int64(i), Rating: base + float64(i*10), RD: 50, Mode: FFA, Enqueued: enq})
		}
		return ts
	}
	tests := []struct {
		name  string
		ts    []Ticket
		sizes []int
	}{
		{"full group starts at once", mk(8, 1500, t0), []int{8}},
		{"nine: eight start, one waits", mk(9, 1500, t0), []int{8}},
		{"three fresh wait to fill", mk(3, 1500, t0), nil},
		{"three waited 30 s start", mk(3, 1500, t0.Add(-30*time.Second)), []int{3}},
		{"one alone never starts", mk(1, 1500, t0.Add(-time.Hour)), nil},
		{"far apart are separate groups", append(mk(8, 1000, t0), mk(8, 2000, t0)...), []int{8, 8}},
		{"waiting widens windows into one group", append(mk(4, 1500, t0.Add(-time.Minute)), mk(4, 1800, t0.Add(-time.Minute))...), []int{8}},
		{"fresh spread too wide", append(mk(4, 1500, t0), mk(4, 1800, t0)...), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs := c.Group(t0, tt.ts)
			var sizes []int
			seen := map[int64]bool{}
			for _, g := range gs {
				sizes = append(sizes, len(g))
				lo, hi, minW := math.Inf(1), math.Inf(-1), math.Inf(1)
				for _, tk := range g {
					if seen[tk.UserID] {
						t.Fatalf("user %d in two groups", tk.UserID)
					}
					seen[tk.UserID] = true
					lo, hi, minW = math.Min(lo, tk.Rating), math.Max(hi, tk.Rating), math.Min(minW, c.Window(tk, t0))
				}
				if hi-lo > minW {
					t.Fatalf("group spread %v exceeds window %v", hi-lo, minW)
				}
			}
			if !slices.Equal(sizes, tt.sizes) {
				t.Fatalf("group sizes %v, want %v", sizes, tt.sizes)
			}
		})
	}
}

// The lobby reuses the DP buffers across ticks: stale contents from a larger
// or smaller previous tick must not change the result.
func TestPairScratchReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	c := Default()
	var sc scratch
	for iter := 0; iter < 200; iter++ {
		ts := randomTickets(r, r.IntN(60), r.IntN(2) == 0)
		now := t0.Add(time.Duration(r.IntN(30)) * time.Second)
		if got, want := c.pair(now, ts, &sc), c.Pair(now, ts); !slices.Equal(got, want) {
			t.Fatalf("iteration %d: reused buffers gave %v, fresh %v", iter, got, want)
		}
	}
}
