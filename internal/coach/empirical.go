package coach

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/fit"
)

// MeasureOptions bound one empirical analysis.
type MeasureOptions struct {
	Budget time.Duration // total CPU of the measured program; default 10 s
	// Target: stop growing a size once a run costs this much more than
	// the smallest run (start-up); default 0.4 s.
	Target        time.Duration
	MaxInputBytes int // never generate inputs larger than this; default 32 MiB
	StartN        int // first size; default 8
	MaxN          int // largest size; default 1<<30 (keeps int32 readers safe)
	// Sizes are the variables the generator takes by name; with two or
	// more, each is also varied alone (an axis) besides all together,
	// when NeedAxes (nil: always) says the series of all sizes together
	// leaves the question open.
	Sizes    []string
	NeedAxes func(diag Axis) bool
	// Growth stops once a run's peak memory passes MemCap (512 MiB): past
	// judge memory limits, page faults and swap are what gets measured.
	Seed int
}

// WithDefaults returns o with its zero fields set to the defaults.
func (o MeasureOptions) WithDefaults() MeasureOptions {
	o.defaults()
	return o
}

func (o *MeasureOptions) defaults() {
	if o.Budget <= 0 {
		o.Budget = 10 * time.Second
	}
	if o.Target <= 0 {
		o.Target = 400 * time.Millisecond
	}
	if o.MaxInputBytes <= 0 {
		o.MaxInputBytes = 32 << 20
	}
	if o.StartN <= 0 {
		o.StartN = 8
	}
	if o.MaxN <= 0 {
		o.MaxN = 1 << 30
	}
}

// Point is one input size with its best (least noisy) measurement.
type Point struct {
	N       int     `json:"n"`
	CPU     float64 `json:"cpu_seconds"`
	PeakMem int64   `json:"peak_bytes"`
	Runs    int     `json:"runs"`
	// Censored: the run hit its CPU limit; CPU is that limit, a lower
	// bound of the true cost. Kept because blowing a limit set at 10x the
	// previous size's cost is itself evidence of steep growth.
	Censored bool `json:"censored,omitempty"`
}

// Axis is one series of measurements: one variable grown with the others
// fixed, or (Var "") every size grown together.
type Axis struct {
	Var             string     `json:"var"`             // "" = all sizes together
	Fixed           string     `json:"fixed,omitempty"` // the other sizes, "m=64"
	Points          []Point    `json:"points"`
	Time            bigo.Class `json:"time"`
	TimeConfidence  float64    `json:"time_confidence"`
	Space           bigo.Class `json:"space"`
	SpaceConfidence float64    `json:"space_confidence"`
	TimeFit         fit.Result `json:"time_fit"`
	SpaceFit        fit.Result `json:"space_fit"`
	Note            string     `json:"note,omitempty"`
}

// Empirical is the measured side of a report. Its top-level series is
// every size grown together (the plot); Axes holds one series per named
// size when the generator takes them.
type Empirical struct {
	Source          string     `json:"source"` // "generator" or "tests"
	Time            bigo.Class `json:"time"`
	TimeConfidence  float64    `json:"time_confidence"`
	Space           bigo.Class `json:"space"`
	SpaceConfidence float64    `json:"space_confidence"`
	Points          []Point    `json:"points"`
	TimeFit         fit.Result `json:"time_fit"`
	SpaceFit        fit.Result `json:"space_fit"`
	Axes            []Axis     `json:"axes,omitempty"`
	CPUUsed         float64    `json:"cpu_used_seconds"`
	Note            string     `json:"note,omitempty"`
}

// MemCap is the largest peak memory a measured size may use.
const MemCap = 512 << 20

// errBudget ends measuring when the CPU budget is spent.
var errBudget = errors.New("cpu budget spent")

type meter struct {
	r    Runner
	opt  MeasureOptions
	used time.Duration
}

func (m *meter) remaining() time.Duration { return m.opt.Budget - m.used }

// series is the points of one axis.
type series struct {
	m      *meter
	points map[int]*Point
}

// run measures input `repeats` times and keeps the minimum CPU: noise from
// the machine only ever adds time.
func (s *series) run(ctx context.Context, n int, input []byte, repeats int, limit time.Duration) (exceeded bool, err error) {
	m := s.m
	for i := 0; i < repeats; i++ {
		lim := min(limit, m.remaining())
		if lim <= 10*time.Millisecond {
			return false, errBudget
		}
		smp, err := m.r.Measure(ctx, input, lim)
		m.used += smp.CPU
		if err != nil {
			return false, err
		}
		if smp.Exceeded {
			if lim < limit {
				return false, errBudget
			}
			return true, nil
		}
		p := s.points[n]
		if p == nil || p.Censored {
			p = &Point{N: n, CPU: math.Inf(1)}
			s.points[n] = p
		}
		p.CPU = math.Min(p.CPU, smp.CPU.Seconds())
		p.PeakMem = max(p.PeakMem, smp.PeakMem)
		p.Runs++
		if smp.CPU > limit/2 { // big runs are steady; save the budget
			break
		}
	}
	return false, nil
}

func repeatsFor(last time.Duration) int {
	switch {
	case last < 50*time.Millisecond:
		return 3
	case last < 300*time.Millisecond:
		return 2
	}
	return 1
}

// sizeArg writes the generator's size argument: "t" for one size, else
// every named size set to t except those fixed.
func sizeArg(sizes []string, grow string, t int, fixed map[string]int) string {
	if len(sizes) == 0 {
		return strconv.Itoa(t)
	}
	parts := make([]string, 0, len(sizes))
	for _, v := range sizes {
		val := t
		if f, ok := fixed[v]; ok && v != grow {
			val = f
		}
		parts = append(parts, v+"="+strconv.Itoa(val))
	}
	return strings.Join(parts, ",")
}

// MeasureGenerated measures the program on generated inputs: every size
// grown together, then (with two or more named sizes) each size alone
// with the others fixed where the program's own cost starts to show.
func MeasureGenerated(ctx context.Context, r Runner, gen Generator, opt MeasureOptions) (*Empirical, error) {
	opt.defaults()
	m := &meter{r: r, opt: opt}
	diag, err := m.grow(ctx, gen, "", opt.StartN, nil, opt.Budget)
	if err != nil {
		return nil, err
	}
	e := &Empirical{Source: "generator"}
	e.setDiagonal(diag)
	if len(opt.Sizes) >= 2 && !strings.Contains(diag.Note, "budget") && (opt.NeedAxes == nil || opt.NeedAxes(*diag)) {
		base := axisBase(diag.Points, opt)
		share := m.remaining() / time.Duration(len(opt.Sizes))
		for i, v := range opt.Sizes {
			fixed := map[string]int{}
			for _, w := range opt.Sizes {
				fixed[w] = base
			}
			budget := share
			if i == len(opt.Sizes)-1 {
				budget = m.remaining()
			}
			ax, err := m.grow(ctx, gen, v, base, fixed, budget)
			if err != nil {
				ax = &Axis{Var: v, Note: "measuring failed: " + err.Error()}
			}
			ax.Var = v
			ax.Fixed = fixedText(opt.Sizes, v, fixed)
			e.Axes = append(e.Axes, *ax)
		}
	}
	e.CPUUsed = m.used.Seconds()
	return e, nil
}

func fixedText(sizes []string, v string, fixed map[string]int) string {
	var parts []string
	for _, w := range sizes {
		if w != v {
			parts = append(parts, fmt.Sprintf("%s=%d", w, fixed[w]))
		}
	}
	return strings.Join(parts, ",")
}

// axisBase is where the others stay while one size grows: the largest
// size grown together whose cost is still well below the target, so that
// the growing size's own cost soon dominates.
func axisBase(pts []Point, opt MeasureOptions) int {
	if len(pts) == 0 {
		return opt.StartN
	}
	base := pts[0]
	best := pts[0].N
	for _, p := range pts {
		if !p.Censored && p.CPU <= base.CPU+opt.Target.Seconds()/8 {
			best = max(best, p.N)
		}
	}
	return best
}

func (e *Empirical) setDiagonal(a *Axis) {
	e.Points, e.Time, e.TimeConfidence, e.Space, e.SpaceConfidence = a.Points, a.Time, a.TimeConfidence, a.Space, a.SpaceConfidence
	e.TimeFit, e.SpaceFit, e.Note = a.TimeFit, a.SpaceFit, a.Note
}

// diagonal is the all-sizes series as an Axis.
func (e *Empirical) diagonal() Axis {
	return Axis{Points: e.Points, Time: e.Time, TimeConfidence: e.TimeConfidence, Space: e.Space, SpaceConfidence: e.SpaceConfidence,
		TimeFit: e.TimeFit, SpaceFit: e.SpaceFit, Note: e.Note}
}

// grow measures one axis: t grows geometrically from start until a run
// costs Target above the first (or the budget, input size or n cap stops
// it), bisects back when a size blows the per-run limit (exponential
// programs), then adds interior points near the top where the signal is.
func (m *meter) grow(ctx context.Context, gen Generator, v string, start int, fixed map[string]int, budget time.Duration) (*Axis, error) {
	opt := m.opt
	s := &series{m: m, points: map[int]*Point{}}
	stopAt := m.used + budget
	// A sub-budget: the meter's budget is shared by the axes.
	saved := m.opt.Budget
	m.opt.Budget = min(saved, stopAt)
	defer func() { m.opt.Budget = saved }()
	prevN, prevLen := 0, 0
	grew := false // the input grew by rows, not digits, when n doubled
	capLen := 0   // the clamped input's length, once the last size measured is known to be past the clamp
	lens := map[int]int{}
	measure := func(n int, limit time.Duration) (bool, error) {
		in, err := gen(ctx, sizeArg(opt.Sizes, v, n, fixed), opt.Seed+n)
		if err != nil {
			if len(s.points) >= 3 && ctx.Err() == nil {
				// A generator that fails (or times out) at a large size
				// ends the growth; what was measured stands.
				return false, fmt.Errorf("%w: %v", errGeneratorFailed, err)
			}
			return false, err
		}
		if len(in) > opt.MaxInputBytes {
			return false, errInputCap
		}
		// Generators clamp n to the problem's constraints: past the
		// clamp the input stops growing and the points would describe a
		// constant-size input labelled with a growing n (a linear
		// program would fit O(1) or O(log n)). Stop growing there. Small
		// inputs are exempt: when n is a value ("print the n-th prime"),
		// doubling it adds a digit, not bytes in proportion.
		// Along one named size the input need not grow in proportion (more
		// vertices, same edges): there only an unchanged input is a clamp.
		// A small input that grew with n before (by whole rows, not by a
		// digit) and stops growing is a clamp too: patrol-walks clamps n
		// to 30 rooms, a 1 KB input, and random digits in its header keep
		// the length from being exactly the same.
		doubled := n > 2*prevN-prevN/4
		if doubled && prevLen >= 4096 && (v == "" && len(in) < prevLen+prevLen/8 || v != "" && len(in) == prevLen) ||
			doubled && grew && v == "" && len(in) < prevLen+prevLen/32 {
			if v == "" && len(in) < prevLen+prevLen/32 {
				capLen = len(in) // the last size measured was the clamp already
			}
			return false, errGeneratorCap
		}
		lens[n] = len(in)
		if n > prevN {
			if prevN > 0 && len(in) >= prevLen+64 && len(in) >= prevLen+prevLen/4 {
				grew = true
			}
			prevN, prevLen = n, len(in)
		}
		repeats := 2 // the first size sets the base cost: take the better of two
		if p := s.top(); p != nil {
			repeats = repeatsFor(time.Duration(p.CPU * float64(time.Second)))
			if s.flat(p) {
				repeats = 1 // start-up cost only: nothing to sharpen yet
			}
		}
		return s.run(ctx, n, in, repeats, limit)
	}
	perRun := func() time.Duration {
		last := 0.0
		if p := s.top(); p != nil {
			last = p.CPU
		}
		// Generous enough for one doubling of a cubic program, tight
		// enough that an exponential blow-up costs little of the budget.
		lim := time.Duration(10*last*float64(time.Second)) + 250*time.Millisecond
		return min(max(lim, time.Second), 3*time.Second)
	}
	target := func() float64 {
		if b := s.base(); b != nil {
			return b.CPU + opt.Target.Seconds()
		}
		return opt.Target.Seconds()
	}
	note := ""
	n, bad := start, 0
	flatSteps, plateau := 0, 0
	var perRunAt time.Duration
	for steps := 0; steps < 24 && n <= opt.MaxN; steps++ {
		perRunAt = perRun()
		exceeded, err := measure(n, perRunAt)
		if err != nil {
			note = stopNote(err)
			if errors.Is(err, errBudget) || errors.Is(err, errInputCap) || errors.Is(err, errGeneratorCap) || errors.Is(err, errGeneratorFailed) {
				break
			}
			// A run that fails at a large size (the memory limit, a stack
			// overflow) ends the growth; the sizes measured before stand.
			if len(s.points) >= 3 && ctx.Err() == nil {
				note = fmt.Sprintf("measuring stopped at n=%d: %v", n, err)
				break
			}
			return nil, err
		}
		if exceeded && s.points[n] == nil {
			bad = n
			s.points[n] = &Point{N: n, CPU: perRunAt.Seconds(), Runs: 1, Censored: true}
			break
		}
		p := s.points[n]
		if p.CPU >= target() || p.PeakMem > MemCap {
			break
		}
		// After growing, a cost that stops growing over two doublings
		// means a generator clamping its size (or a program that stops
		// reading): the sizes past the clamp are not measurements of n.
		if prev := s.below(n); prev != nil && !s.flat(prev) && p.CPU < 1.15*prev.CPU {
			if plateau++; plateau >= 2 {
				delete(s.points, n)
				delete(s.points, prev.N)
				note = "the cost stopped growing with the size (the generator's limit)"
				break
			}
		} else {
			plateau = 0
		}
		factor := 2
		if len(s.points) >= 2 && s.flat(p) {
			factor = 4 // still flat: move faster
			// 4^8 times the size and still start-up only: a constant
			// cost, or a generator that clamps this size quietly.
			if flatSteps++; flatSteps >= 8 {
				note = "the cost stayed at its start-up level over the sizes tried"
				break
			}
		} else {
			flatSteps = 0
		}
		n *= factor
	}
	if capLen > 0 {
		m.locateClamp(ctx, s, lens, capLen, func(n int) ([]byte, error) { return gen(ctx, sizeArg(opt.Sizes, v, n, fixed), opt.Seed+n) },
			func(n int) error { _, err := measure(n, perRun()); return err })
	}
	// A size over the per-run limit: bisect between the last good size and
	// it, so steep (exponential) growth still gets points near the top.
	for i := 0; bad > 0 && i < 6; i++ {
		good := s.top()
		if good == nil || bad-good.N <= 1 || good.CPU >= target()/2 && s.growing() >= 3 {
			break // already have costly points: the limit was only just missed
		}
		mid := good.N + (bad-good.N)/2
		lim := min(perRun(), max(time.Second, m.remaining()/3))
		exceeded, err := measure(mid, lim)
		if err != nil {
			note = stopNote(err)
			break
		}
		if exceeded {
			// The nearer blow-up is the better lower bound.
			delete(s.points, bad)
			bad = mid
			s.points[bad] = &Point{N: bad, CPU: lim.Seconds(), Runs: 1, Censored: true}
		}
	}
	// Interior points below the top sharpen the fit where the program's
	// own cost, not its start-up, is measured. Growth by 4 out of a flat
	// region can leave the top as the only such point, and one point says
	// nothing about the shape: fill the top octaves first, as far as the
	// budget allows (no interior size costs more than the top).
	if top := s.top(); top != nil && !s.flat(top) {
		fills := []float64{0.5, 0.7, 0.35}
		if v != "" {
			fills = fills[:1] // along one size: its growth needs fewer points
		}
		for _, f := range fills {
			k := int(float64(top.N) * f)
			if k <= s.base().N || s.near(k) {
				continue
			}
			if m.remaining() < time.Duration(1.2*top.CPU*float64(time.Second))+50*time.Millisecond {
				break
			}
			if _, err := measure(k, perRun()); err != nil {
				break
			}
		}
	}
	a := &Axis{Var: v, Points: s.sorted()}
	a.refit()
	if note != "" && a.Note == "" {
		a.Note = note
	}
	return a, nil
}

// locateClamp handles growth that jumped past a generator's clamp: the
// sizes measured at or above it are one input labelled with growing n's
// (patrol-walks clamps n to 30: n = 32, 44 and 64 were the same 30 rooms).
// It bisects the generator's input length between the largest size below
// the clamp and the smallest above to within an eighth, drops the clamped
// points and measures the clamp once, at the size found.
func (m *meter) locateClamp(ctx context.Context, s *series, lens map[int]int, capLen int, gen func(int) ([]byte, error), measure func(int) error) {
	clamped := func(l int) bool { return l >= capLen-capLen/32 }
	lo, hi := 0, 0
	for n, l := range lens {
		if clamped(l) {
			if hi == 0 || n < hi {
				hi = n
			}
		} else if n > lo {
			lo = n
		}
	}
	if hi == 0 || lo == 0 || lo >= hi {
		return
	}
	for i := 0; i < 6 && hi-lo > hi/8 && ctx.Err() == nil; i++ {
		mid := lo + (hi-lo)/2
		in, err := gen(mid)
		if err != nil {
			return
		}
		if clamped(len(in)) {
			hi = mid
		} else {
			lo = mid
		}
	}
	for n := range s.points {
		if n > hi {
			delete(s.points, n)
		}
	}
	if s.points[hi] == nil {
		measure(hi)
	}
}

var errInputCap = errors.New("input size cap reached")

// errGeneratorFailed: the generator failed at a size past the first few.
var errGeneratorFailed = errors.New("the generator failed")

// errGeneratorCap: a doubled n gave an input barely larger than the last.
var errGeneratorCap = errors.New("the generator stopped growing its input (the problem's size limit)")

func stopNote(err error) string {
	return "measuring stopped: " + err.Error()
}

// MeasureTests is the fallback without a generator: the problem's own tests,
// smallest first, with the input size in bytes as n.
func MeasureTests(ctx context.Context, r Runner, tests []string, opt MeasureOptions) (*Empirical, error) {
	opt.defaults()
	m := &meter{r: r, opt: opt}
	s := &series{m: m, points: map[int]*Point{}}
	note := ""
	for _, path := range tests {
		in, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read test: %w", err)
		}
		if _, err := s.run(ctx, max(1, len(in)), in, 2, min(3*time.Second, m.remaining())); err != nil {
			note = stopNote(err)
			if errors.Is(err, errBudget) {
				break
			}
			return nil, err
		}
	}
	a := &Axis{Points: s.sorted()}
	a.refit()
	if a.Note == "" {
		a.Note = note
	}
	e := &Empirical{Source: "tests", CPUUsed: m.used.Seconds()}
	e.setDiagonal(a)
	return e, nil
}

func (s *series) sorted() []Point {
	var out []Point
	for _, p := range s.points {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].N < out[j].N })
	return out
}

func (s *series) top() *Point {
	var t *Point
	for _, p := range s.points {
		if p.Censored {
			continue
		}
		if t == nil || p.N > t.N {
			t = p
		}
	}
	return t
}

// flat reports whether p costs about what the smallest size costs: start-up
// and noise, no growth yet.
func (s *series) flat(p *Point) bool {
	b := s.base()
	return b != nil && p.CPU < 1.5*b.CPU+0.005
}

// below is the measured size just under n.
func (s *series) below(n int) *Point {
	var b *Point
	for _, p := range s.points {
		if p.N < n && !p.Censored && (b == nil || p.N > b.N) {
			b = p
		}
	}
	return b
}

// growing counts the measured sizes above the start-up cost.
func (s *series) growing() int {
	k := 0
	for _, p := range s.points {
		if !p.Censored && !s.flat(p) {
			k++
		}
	}
	return k
}

// near reports whether a size within 10% of n was measured.
func (s *series) near(n int) bool {
	for k := range s.points {
		if 10*abs(k-n) <= n {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (s *series) base() *Point {
	var b *Point
	for _, p := range s.points {
		if b == nil || p.N < b.N {
			b = p
		}
	}
	return b
}

// Refit (re)computes every fit from the points (after points were loaded
// from a cache, or to re-score them with changed fitting code).
func (e *Empirical) Refit() {
	d := e.diagonal()
	d.refit()
	e.setDiagonal(&d)
	for i := range e.Axes {
		e.Axes[i].refit()
	}
}

// refit computes the fits from the points. A censored point (a run that
// hit its CPU limit) joins the time fit only when that limit was at least
// 8x the cost of the largest size below it: then blowing it says the cost
// grew by more than a cubic step. A limit capped near the previous cost
// says little, and as a lower bound it would drag the fit down.
func (a *Axis) refit() {
	var tp, mp []fit.Point
	minT, minM := math.Inf(1), math.Inf(1)
	measured := 0
	last := 0.0
	for _, p := range a.Points {
		if p.PeakMem > MemCap {
			continue
		}
		if p.Censored {
			if last > 0 && p.CPU >= 8*last {
				tp = append(tp, fit.Point{N: float64(p.N), Y: p.CPU})
			}
			continue
		}
		last = p.CPU
		measured++
		tp = append(tp, fit.Point{N: float64(p.N), Y: p.CPU})
		mp = append(mp, fit.Point{N: float64(p.N), Y: float64(p.PeakMem)})
		minT = math.Min(minT, p.CPU)
		minM = math.Min(minM, float64(p.PeakMem))
	}
	a.Time, a.Space, a.TimeConfidence, a.SpaceConfidence = bigo.Unknown, bigo.Unknown, 0, 0
	a.TimeFit, a.SpaceFit = fit.Result{}, fit.Result{}
	if measured < 3 {
		a.Note = fmt.Sprintf("only %d sizes measured: no fit", measured)
		return
	}
	// Noise floors: a few ms of CPU (process start jitter), a MiB of RSS.
	a.TimeFit = fit.Fit(tp, fit.Options{Noise: math.Max(0.004, 0.08*minT)})
	a.SpaceFit = fit.Fit(mp, fit.Options{Noise: math.Max(1<<20, 0.05*minM)})
	a.Time, a.TimeConfidence = a.TimeFit.Class, a.TimeFit.Confidence
	a.Space, a.SpaceConfidence = a.SpaceFit.Class, a.SpaceFit.Confidence
}

// signal is the growth a series shows above its smallest size, in
// seconds: what a fit had to work with.
func (a Axis) signal() float64 {
	if len(a.Points) == 0 {
		return 0
	}
	lo, hi := math.Inf(1), 0.0
	for _, p := range a.Points {
		if p.Censored {
			continue
		}
		lo, hi = math.Min(lo, p.CPU), math.Max(hi, p.CPU)
	}
	if math.IsInf(lo, 1) {
		return 0
	}
	return hi - lo
}

// hasSignal reports whether the series grew enough to say anything about
// its shape: the largest cost at least twice the smallest (growth stops
// at Target above the start-up, so less means a capped or flat series),
// and more than the noise.
func (a Axis) hasSignal() bool {
	lo := math.Inf(1)
	for _, p := range a.Points {
		if !p.Censored {
			lo = math.Min(lo, p.CPU)
		}
	}
	sig := a.signal()
	return sig >= MinSignal && sig >= 3*a.TimeFit.Noise && sig >= lo
}
