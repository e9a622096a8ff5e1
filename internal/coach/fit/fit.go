// Package fit picks the complexity class that best explains measured costs
// (CPU time or memory) at growing input sizes.
//
// Each candidate class f is fitted as y = a + b·f(n) by weighted least
// squares with a, b ≥ 0 (the intercept absorbs process start-up; a negative
// slope or intercept means the class does not describe the data). Timing
// noise is multiplicative (a loaded machine slows a run by a share of it),
// so residuals are weighed relative to the cost: each point has weight
// 1/(y + noise)², and a small run counts as much as a large one in the
// shape. The class with the smallest residual wins, except that a simpler
// class whose residual is close to the best one is preferred: with few
// noisy points a richer curve always fits a little better, and
// over-calling complexity is the worse error for a coach. This is the
// approach of Goldsmith et al., "Measuring Empirical Computational
// Complexity" (curve fitting on measured costs), applied to the fixed
// class list of the coach.
package fit

import (
	"math"
	"sort"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// Point is one measurement: input size N and cost Y (seconds or bytes).
type Point struct {
	N float64 `json:"n"`
	Y float64 `json:"y"`
}

// ClassFit is the least-squares fit of one class.
type ClassFit struct {
	Class bigo.Class `json:"class"`
	A     float64    `json:"a"`   // intercept
	B     float64    `json:"b"`   // slope on the normalised f(n)
	SSR   float64    `json:"ssr"` // sum of squared residuals, relative to the costs
}

// Result is the chosen class and how sure the fit is.
type Result struct {
	Class      bigo.Class `json:"class"`
	Confidence float64    `json:"confidence"` // 0..1
	Fits       []ClassFit `json:"fits"`       // every class, in bigo.All order
	Noise      float64    `json:"noise"`      // the noise floor used, in units of Y
	Unstable   bool       `json:"unstable"`   // the largest size alone argued for a richer class
	// Floor is the residual that relative noise alone explains: SSR
	// differences below it are not evidence.
	Floor float64 `json:"floor"`
}

// RelativeNoise is the share of a run's cost that noise is assumed to
// change it by when judging residuals.
const RelativeNoise = 0.05

// Ratio is how many times worse class c explains the points than the
// chosen class (1 = as well), with the noise floor added to both.
func (r Result) Ratio(c bigo.Class) float64 {
	return (r.SSR(c) + r.Floor) / (r.SSR(r.Class) + r.Floor)
}

// ConfidenceBeyondLog is Confidence against the classes more than a log
// factor away: timing cannot separate O(n) from O(n log n) at affordable
// sizes, so that closeness says nothing about how polynomial growth was
// measured.
func (r Result) ConfidenceBeyondLog() float64 {
	other := math.Inf(1)
	for _, f := range r.Fits {
		if f.Class != r.Class && !bigo.LogNeighbours(f.Class, r.Class) && f.SSR < other {
			other = f.SSR
		}
	}
	if math.IsInf(other, 1) {
		return r.Confidence
	}
	return clamp01(1 - (r.SSR(r.Class)+r.Floor)/(other+r.Floor))
}

// SSR returns the residual of class c, or +Inf when it was not fitted.
func (r Result) SSR(c bigo.Class) float64 {
	for _, f := range r.Fits {
		if f.Class == c {
			return f.SSR
		}
	}
	return math.Inf(1)
}

// Options tune the selection.
type Options struct {
	// Noise is the typical measurement noise of one point in units of Y
	// (for CPU seconds a few milliseconds). Residuals within the noise are
	// not evidence for a richer class.
	Noise float64
	// Tolerance: a simpler class is kept while its SSR ≤ (1+Tolerance)·best.
	Tolerance float64
}

// MaxExponentialN is the largest size at which O(2^n) is considered.
const MaxExponentialN = 100

// DefaultTolerance keeps a simpler class within 30% of the best residual.
const DefaultTolerance = 0.3

// Fit chooses a class for the points. With fewer than three distinct sizes
// it returns Unknown.
//
// The largest size carries the most weight in absolute least squares, and
// it is also where a program falls out of a cache level, starts paging, or
// leaves a runtime's small-integer fast path. So the choice must survive
// dropping that one point: if the remaining points (at least four sizes)
// prefer a simpler class, the simpler class is reported.
func Fit(points []Point, opt Options) Result {
	r := fitAll(points, opt)
	pts := append([]Point(nil), points...)
	sort.Slice(pts, func(i, j int) bool { return pts[i].N < pts[j].N })
	if r.Class < bigo.Quadratic || len(pts) < 5 {
		return r // the artefacts above inflate costs; they never fake flatness
	}
	top := pts[len(pts)-1].N
	var rest []Point
	for _, p := range pts {
		if p.N != top {
			rest = append(rest, p)
		}
	}
	if distinctN(rest) < 4 {
		return r
	}
	if alt := fitAll(rest, opt); alt.Class >= bigo.Linear && alt.Class < r.Class {
		r.Class = alt.Class
		r.Confidence = math.Min(r.Confidence, alt.Confidence) / 2
		r.Unstable = true
	}
	return r
}

func fitAll(points []Point, opt Options) Result {
	pts := append([]Point(nil), points...)
	sort.Slice(pts, func(i, j int) bool { return pts[i].N < pts[j].N })
	res := Result{Noise: opt.Noise}
	if distinctN(pts) < 3 {
		return res
	}
	tol := opt.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	floor := float64(len(pts)) * RelativeNoise * RelativeNoise
	res.Floor = floor

	minY, maxY := pts[0].Y, pts[0].Y
	for _, p := range pts {
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	for _, c := range bigo.All {
		// 2^n past n = 100 cannot have been run at all; at such sizes the
		// normalised curve is a step at the last point and would "explain"
		// any jump there.
		if c == bigo.Exponential && pts[len(pts)-1].N > MaxExponentialN {
			continue
		}
		res.Fits = append(res.Fits, fitClass(pts, c, opt.Noise))
	}
	// Costs that never leave the noise band are constant whatever the
	// curves say: there is no growth to explain.
	if maxY-minY <= 3*opt.Noise {
		res.Class = bigo.Const
		res.Confidence = 1 - (maxY-minY)/(3*opt.Noise+1e-300)*0.5
		return res
	}
	best := res.Fits[0]
	for _, f := range res.Fits[1:] {
		if f.SSR < best.SSR {
			best = f
		}
	}
	chosen := best
	for _, f := range res.Fits { // cheapest first
		if f.SSR <= (1+tol)*best.SSR+floor {
			chosen = f
			break
		}
	}
	res.Class = chosen.Class
	// Confidence: how much worse the closest competing class fits. Classes
	// inside the tolerance band make it low; a clear winner makes it near 1.
	other := math.Inf(1)
	for _, f := range res.Fits {
		if f.Class != chosen.Class && f.SSR < other {
			other = f.SSR
		}
	}
	res.Confidence = clamp01(1 - (chosen.SSR+floor)/(other+floor))
	return res
}

func distinctN(pts []Point) int {
	n := 0
	for i, p := range pts {
		if i == 0 || p.N != pts[i-1].N {
			n++
		}
	}
	return n
}

// shape is f(n) for a class, normalised so that f(nMax) = 1; normalising
// keeps 2^n usable at large n (it underflows to 0 for small n instead of
// overflowing for big ones).
func shape(c bigo.Class, n, nMax float64) float64 {
	lg := func(x float64) float64 { return math.Log2(math.Max(x, 1) + 1) }
	switch c {
	case bigo.Const:
		return 1
	case bigo.Log:
		return lg(n) / lg(nMax)
	case bigo.Linear:
		return n / nMax
	case bigo.NLogN:
		return n * lg(n) / (nMax * lg(nMax))
	case bigo.Quadratic:
		return (n / nMax) * (n / nMax)
	case bigo.Cubic:
		r := n / nMax
		return r * r * r
	case bigo.Exponential:
		return math.Exp2(n - nMax)
	}
	return 0
}

func fitClass(pts []Point, c bigo.Class, noise float64) ClassFit {
	nMax := pts[len(pts)-1].N
	weight := func(y float64) float64 {
		d := math.Max(y, 0) + noise
		if d <= 0 {
			return 1
		}
		return 1 / (d * d)
	}
	var sw, sx, sy, sxx, sxy float64
	for _, p := range pts {
		w := weight(p.Y)
		x := shape(c, p.N, nMax)
		sw += w
		sx += w * x
		sy += w * p.Y
		sxx += w * x * x
		sxy += w * x * p.Y
	}
	out := ClassFit{Class: c}
	if c == bigo.Const {
		out.A = sy / sw
	} else {
		den := sw*sxx - sx*sx
		if den > 1e-300 {
			out.B = (sw*sxy - sx*sy) / den
			out.A = (sy - out.B*sx) / sw
		}
		switch {
		case out.B <= 0: // falling cost: the best this class can do is flat
			out.B, out.A = 0, sy/sw
		case out.A < 0: // would need a negative start-up cost: go through 0
			out.A = 0
			if sxx > 0 {
				out.B = sxy / sxx
			}
		}
	}
	for _, p := range pts {
		d := p.Y - (out.A + out.B*shape(c, p.N, nMax))
		out.SSR += weight(p.Y) * d * d
	}
	return out
}

func clamp01(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return math.Max(0, math.Min(1, x))
}
