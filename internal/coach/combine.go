package coach

import (
	"fmt"
	"math"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/fit"
)

// OverrideRatio: the measured costs must fit the static class this many
// times worse than the fitted class before the measurement overrules the
// code structure.
const OverrideRatio = 3.0

// UpwardStepRatio is the stricter threshold when the measurement says one
// polynomial step slower than the code structure (O(n) → O(n²), O(n²) →
// O(n³)). That is exactly what the memory hierarchy fakes at large n: a
// working set leaving a cache level, malloc switching to mmap, paging, a
// runtime leaving its small-integer path all inflate the top sizes.
const UpwardStepRatio = 10.0

// Combine merges the static estimate with the empirical fit.
//
// The code structure is usually right and always explainable, so it leads.
// Timing overrules it only when the static class plainly does not fit the
// measured curve (amortised loops the analyser could not prove, hidden costs
// in calls it does not know). Classes that differ by a log factor are left
// to the static side: at affordable sizes a log factor is within noise.
func Combine(st bigo.Class, emp *Empirical) (bigo.Class, string) {
	if emp == nil || emp.Time == bigo.Unknown {
		if st == bigo.Unknown {
			return bigo.Unknown, "neither analysis produced a class"
		}
		return st, "static analysis only (no measurement)"
	}
	if st == bigo.Unknown {
		return emp.Time, "measurement only (static analysis failed)"
	}
	if st == emp.Time {
		return st, "static analysis and measurement agree"
	}
	if bigo.LogNeighbours(st, emp.Time) {
		return st, fmt.Sprintf("measurement (%v) cannot separate a log factor; code structure decides", emp.Time)
	}
	f := emp.TimeFit
	floor := float64(len(emp.Points)) * f.Noise * f.Noise
	ratio := (f.SSR(st) + floor) / (f.SSR(emp.Time) + floor)
	need := OverrideRatio
	if d := degree(st); d > 0 && degree(emp.Time) == d+1 {
		need = UpwardStepRatio
	}
	if math.IsInf(ratio, 1) || ratio >= need {
		c := nearestPlausible(st, emp, floor)
		return c, fmt.Sprintf("measured costs contradict the static %v (fit %.0fx worse); measurement decides", st, ratio)
	}
	return st, fmt.Sprintf("measurement (%v) does not clearly contradict the static %v (fit only %.1fx worse)", emp.Time, st, ratio)
}

// nearestPlausible is the minimal correction of the static class: among the
// classes the measurement cannot tell apart from its best fit (inside the
// fitter's tolerance band), the one closest to the static estimate.
func nearestPlausible(st bigo.Class, emp *Empirical, floor float64) bigo.Class {
	best := math.Inf(1)
	for _, f := range emp.TimeFit.Fits {
		best = math.Min(best, f.SSR)
	}
	chosen := emp.Time
	dist := func(c bigo.Class) int {
		d := int(c) - int(st)
		if d < 0 {
			d = -d
		}
		return d
	}
	for _, f := range emp.TimeFit.Fits {
		if f.Class == st || f.SSR > (1+fit.DefaultTolerance)*best+floor {
			continue
		}
		if dist(f.Class) < dist(chosen) {
			chosen = f.Class
		}
	}
	return chosen
}

// degree is the polynomial degree of a class, 0 for the others.
func degree(c bigo.Class) int {
	switch c {
	case bigo.Linear, bigo.NLogN:
		return 1
	case bigo.Quadratic:
		return 2
	case bigo.Cubic:
		return 3
	}
	return 0
}
