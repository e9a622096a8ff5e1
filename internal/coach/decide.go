package coach

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/fit"
	"github.com/segfaultarena/segfault/internal/coach/static"
)

// OverrideRatio: the measured costs must fit the static class this many
// times worse than the fitted class before the measurement overrules the
// code structure.
const OverrideRatio = 3.0

// UpwardStepRatio is the stricter threshold when the measurement says one
// polynomial step slower than the code structure (O(n) → O(n²), O(n²) →
// O(n³)). That is exactly what the memory hierarchy fakes at large n: a
// working set leaving a cache level, malloc switching to mmap, paging, a
// runtime leaving its small-integer path all inflate the top sizes (the
// relative weighting of the fit already keeps one inflated size from
// deciding alone).
const UpwardStepRatio = 6.0

// CompatibleRatio: a static class that fits the measured costs less than
// this many times worse than the best class is compatible with them.
const CompatibleRatio = 3.5

// InconclusiveBelow is the confidence under which the time class is
// reported as inconclusive instead of as a class.
const InconclusiveBelow = 0.5

// MinSignal is the growth (seconds of CPU between the smallest and the
// largest size) below which a series says nothing about the shape (see
// Axis.hasSignal: it must also at least double the smallest cost).
const MinSignal = 0.02

// Check is how one measured series bears on the static class.
type Check struct {
	Axis     string     `json:"axis"`     // "" = every size together
	Static   bigo.Class `json:"static"`   // the static class along this series
	Measured bigo.Class `json:"measured"` // the fitted class
	// Outcome: agrees, log-factor (differs by a log factor, which timing
	// cannot resolve), compatible (the static class fits almost as well),
	// unsettled, contradicts, no-signal (costs barely grew), no-fit.
	Outcome string  `json:"outcome"`
	Ratio   float64 `json:"ratio,omitempty"` // how much worse the static class fits
}

// Decision is the one verdict a report is written from: the headline, the
// sections and the text all say what it says.
type Decision struct {
	Time       bigo.Complexity
	Space      bigo.Complexity
	Confidence float64
	By         string // "static analysis and measurement", "static analysis", "measurement", ""
	Reason     string
	Checks     []Check
}

// Decide merges the static estimate with the measurements.
//
// The code structure is usually right and always explainable, so it
// leads. Each measured series is compared with the static class projected
// onto it (all sizes together, or one size with the others fixed):
// agreement, or a difference of a log factor (timing cannot separate O(n)
// from O(n log n) at affordable sizes), confirms it. A series that fits
// its own class far better than the static one (OverrideRatio, or
// UpwardStepRatio for one polynomial step up) overrules the static class
// with the smallest correction the measurement allows. Between the two,
// the evidence does not settle it and the class is inconclusive.
func Decide(st *static.Result, emp *Empirical, pc static.Context, sizes []string) Decision {
	var checks []Check
	if emp != nil && st != nil {
		checks = checksFor(st.Time, emp, pc, sizes)
	}
	return decideChecks(st, emp, checks, pc, sizes)
}

func decideChecks(st *static.Result, emp *Empirical, checks []Check, pc static.Context, sizes []string) Decision {
	d := Decision{}
	d.Checks = checks
	d.Space = decideSpace(st, emp, pc, sizes)
	switch {
	case st == nil && emp == nil:
		d.Time = bigo.Complexity{}
		d.Reason = "neither static analysis nor measurement produced a class"
		return d
	case st == nil:
		return decideMeasured(d, emp, pc, sizes)
	}
	var agree, compatible, unsettled, contra []Check
	for _, c := range checks {
		switch c.Outcome {
		case "agrees", "log-factor":
			agree = append(agree, c)
		case "compatible":
			compatible = append(compatible, c)
		case "unsettled":
			unsettled = append(unsettled, c)
		case "contradicts":
			contra = append(contra, c)
		}
	}
	switch {
	case len(contra) > 0:
		c := contra[0]
		e := corrected(st.Time, emp, contra, pc, sizes)
		conf := math.Max(0.6, axisOf(emp, c.Axis).TimeFit.ConfidenceBeyondLog())
		d.Time, d.Confidence, d.By = bigo.Known(e), conf, "measurement"
		d.Reason = fmt.Sprintf("the measured costs%s contradict the static %s (it fits %.0fx worse than %s): measurement decides",
			along(c.Axis), c.Static.Pretty(), c.Ratio, c.Measured.Pretty())
	case len(unsettled) > 0:
		c := unsettled[0]
		d.Time, d.Confidence, d.By = bigo.Inconclusive(), 0.4, ""
		d.Reason = fmt.Sprintf("static analysis says %s; the measured costs%s lean to %s (the static class fits %.1fx worse), not clearly enough to decide",
			st.Time.Pretty(), along(c.Axis), c.Measured.Pretty(), c.Ratio)
	case len(agree) > 0:
		d.Time, d.Confidence, d.By = bigo.Known(st.Time), 0.9, "static analysis and measurement"
		d.Reason = "static analysis and measurement agree"
		if agree[0].Outcome == "log-factor" && len(agree) == 1 {
			d.Confidence = 0.8
			d.Reason = fmt.Sprintf("static analysis and measurement agree up to a log factor (measured %s%s, which timing cannot tell from %s): the code structure decides",
				agree[0].Measured.Pretty(), along(agree[0].Axis), agree[0].Static.Pretty())
		}
	case len(compatible) > 0:
		d.Time, d.Confidence, d.By = bigo.Known(st.Time), 0.7, "static analysis"
		d.Reason = fmt.Sprintf("static analysis; the measured costs fit %s about as well (%.1fx), so they do not contradict it", compatible[0].Static.Pretty(), compatible[0].Ratio)
	default:
		d.Time, d.Confidence, d.By = bigo.Known(st.Time), 0.7, "static analysis"
		d.Reason = "static analysis only"
		switch {
		case emp == nil:
		case len(checks) > 0 && checks[0].Outcome == "no-signal":
			d.Reason = "static analysis; the measured costs barely grew over the sizes the problem allows, so they cannot check it"
		default:
			d.Reason = "static analysis; too few sizes were measured to check it"
		}
	}
	return d
}

func along(axis string) string {
	if axis == "" {
		return ""
	}
	return " along " + axis
}

func axisOf(emp *Empirical, v string) Axis {
	if v == "" {
		return emp.diagonal()
	}
	for _, a := range emp.Axes {
		if a.Var == v {
			return a
		}
	}
	return Axis{}
}

// sizeVars are the variables that are sizes (not values or constants).
func sizeVars(pc static.Context) []string {
	var out []string
	for _, v := range pc.Vars {
		if v.Kind == "" || v.Kind == "size" || v.Kind == "token" {
			out = append(out, v.Name)
		}
	}
	return out
}

// diagonalClass is e when every measured size grows together: the named
// sizes when the generator takes them (the rest fixed), else every
// variable as one size. ok is false when the generator's single size
// scales several variables in a way the coach does not know.
func diagonalClass(e bigo.Expr, pc static.Context, sizes []string) (bigo.Class, bool) {
	if len(sizes) == 0 {
		if len(sizeVars(pc)) > 1 {
			return bigo.Unknown, false
		}
		return e.Class(), true
	}
	m := map[string]bigo.Expr{}
	for _, v := range e.Vars() {
		if slices.Contains(sizes, v) {
			m[v] = bigo.Var("t")
		} else {
			m[v] = bigo.One()
		}
	}
	return bigo.Subst(e, m).Class(), true
}

func checksFor(e bigo.Expr, emp *Empirical, pc static.Context, sizes []string) []Check {
	var out []Check
	if want, ok := diagonalClass(e, pc, sizes); ok {
		out = append(out, check("", want, emp.diagonal()))
	}
	for _, a := range emp.Axes {
		c := check(a.Var, e.Along(a.Var), a)
		if c.Outcome == "unsettled" {
			// One size alone grows over a shorter range than all together:
			// a lean there is weak evidence, not a reason to give up.
			c.Outcome = "compatible"
		}
		out = append(out, c)
	}
	return out
}

// NeedsAxes reports whether the series of all sizes together leaves the
// static class in doubt, so that measuring each size alone is worth its
// time: without static analysis, or when that series does not confirm it.
func NeedsAxes(st *static.Result, diag Axis, pc static.Context, sizes []string) bool {
	if st == nil {
		return true
	}
	want, ok := diagonalClass(st.Time, pc, sizes)
	if !ok {
		return true
	}
	switch check("", want, diag).Outcome {
	case "agrees", "log-factor", "compatible", "no-signal":
		return false
	}
	return true
}

func check(axis string, want bigo.Class, a Axis) Check {
	c := Check{Axis: axis, Static: want, Measured: a.Time}
	f := a.TimeFit
	switch {
	case a.Time == bigo.Unknown:
		c.Outcome = "no-fit"
		return c
	case want == a.Time:
		c.Outcome = "agrees"
		return c
	case !a.hasSignal():
		c.Outcome = "no-signal"
		if want == bigo.Const {
			c.Outcome = "agrees"
		}
		return c
	case bigo.LogNeighbours(want, a.Time):
		c.Outcome = "log-factor"
		return c
	}
	c.Ratio = f.Ratio(want)
	need := OverrideRatio
	if d := degree(want); d > 0 && degree(a.Time) == d+1 {
		need = UpwardStepRatio
	}
	switch {
	case math.IsInf(c.Ratio, 1) || c.Ratio >= need:
		c.Outcome = "contradicts"
	case c.Ratio < CompatibleRatio:
		c.Outcome = "compatible"
	default:
		c.Outcome = "unsettled"
	}
	if math.IsInf(c.Ratio, 1) {
		c.Ratio = 1e9
	}
	return c
}

// corrected is the class the measurements support, closest to the static
// one: along each contradicted series the nearest class the fit cannot
// tell from its best, rebuilt in the problem's variables.
func corrected(st bigo.Expr, emp *Empirical, contra []Check, pc static.Context, sizes []string) bigo.Expr {
	primary := "n"
	if sv := sizeVars(pc); len(sv) > 0 {
		primary = sv[0]
	}
	if len(emp.Axes) == 0 {
		c := contra[0]
		a := axisOf(emp, c.Axis)
		return bigo.FromClass(nearestPlausible(c.Static, a), primary)
	}
	// Per size: the static class along it, unless a series along it
	// contradicts that.
	per := map[string]bigo.Class{}
	for _, a := range emp.Axes {
		per[a.Var] = st.Along(a.Var)
	}
	for _, c := range contra {
		if c.Axis != "" {
			per[c.Axis] = nearestPlausible(c.Static, axisOf(emp, c.Axis))
		}
	}
	var prod, sum bigo.Expr
	degSum := 0
	for _, v := range sizes {
		f := bigo.FromClass(per[v], v)
		prod = bigo.Mul(prod, f)
		sum = bigo.Add(sum, f)
		degSum += degree(per[v])
	}
	// Together the sizes grow as the product (degrees add up) or as the
	// sum (the largest degree): the series of all sizes says which.
	diag := emp.Time
	for _, c := range contra {
		if c.Axis == "" {
			diag = nearestPlausible(c.Static, emp.diagonal())
		}
	}
	if degree(diag) >= degSum && degSum > 1 {
		return prod
	}
	return sum
}

// nearestPlausible is the class a contradicting series supports: its best
// fit, or the static class's log neighbour when that fits as well (the
// code's structure settles what timing cannot).
func nearestPlausible(st bigo.Class, a Axis) bigo.Class {
	f := a.TimeFit
	for _, c := range bigo.All {
		if bigo.LogNeighbours(c, st) && bigo.LogNeighbours(c, a.Time) && f.Ratio(c) <= 1+fit.DefaultTolerance {
			return c
		}
	}
	return a.Time
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

// decideMeasured is the decision without static analysis (a language the
// coach has no grammar for, or code it could not parse): the measured
// classes, rebuilt in the problem's variables, if they are clear enough.
func decideMeasured(d Decision, emp *Empirical, pc static.Context, sizes []string) Decision {
	primary := "n"
	if sv := sizeVars(pc); len(sv) > 0 {
		primary = sv[0]
	}
	diag := emp.diagonal()
	conf := diag.TimeFit.ConfidenceBeyondLog()
	var e bigo.Expr
	switch {
	case diag.Time == bigo.Unknown:
		d.Time, d.Confidence = bigo.Inconclusive(), 0
		d.Reason = "no static analysis, and too few sizes were measured for a fit"
		return d
	case len(emp.Axes) > 0:
		var prod, sum bigo.Expr
		degSum := 0
		for _, a := range emp.Axes {
			f := bigo.FromClass(a.Time, a.Var)
			prod, sum = bigo.Mul(prod, f), bigo.Add(sum, f)
			degSum += degree(a.Time)
			conf = math.Min(conf, a.TimeFit.ConfidenceBeyondLog())
		}
		e = sum
		if degree(diag.Time) >= degSum && degSum > 1 {
			e = prod
		}
	case len(sizeVars(pc)) > 1:
		e = bigo.FromClass(diag.Time, primary)
		d.Reason = "measured with one size for all of " + strings.Join(sizeVars(pc), ", ") + "; "
	default:
		e = bigo.FromClass(diag.Time, primary)
	}
	d.By = "measurement"
	if !diag.hasSignal() {
		conf = math.Min(conf, 0.3)
	}
	d.Confidence = conf
	if conf < InconclusiveBelow {
		d.Time = bigo.Inconclusive()
		d.Reason += fmt.Sprintf("measurement only: the best fit is %s but with confidence %.0f%%, below %.0f%%", e.Pretty(), 100*conf, 100*InconclusiveBelow)
		return d
	}
	d.Time = bigo.Known(e)
	d.Reason += fmt.Sprintf("measurement only (no static analysis): confidence %.0f%%", 100*conf)
	return d
}

// decideSpace follows the same rule on memory. Peak RSS includes the
// runtime's own heap, so only a clear contradiction upward counts.
func decideSpace(st *static.Result, emp *Empirical, pc static.Context, sizes []string) bigo.Complexity {
	primary := "n"
	if sv := sizeVars(pc); len(sv) > 0 {
		primary = sv[0]
	}
	if st == nil {
		if emp == nil || emp.Space == bigo.Unknown {
			return bigo.Complexity{}
		}
		return bigo.Known(bigo.FromClass(emp.Space, primary))
	}
	if emp == nil || emp.Space == bigo.Unknown {
		return bigo.Known(st.Space)
	}
	want, ok := diagonalClass(st.Space, pc, sizes)
	if !ok || want == emp.Space {
		return bigo.Known(st.Space)
	}
	f := emp.SpaceFit
	if !bigo.LogNeighbours(want, emp.Space) && emp.Space > want && f.Ratio(want) >= 10 {
		return bigo.Known(bigo.FromClass(emp.Space, primary))
	}
	return bigo.Known(st.Space)
}
