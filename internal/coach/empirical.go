package coach

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"time"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/fit"
)

// MeasureOptions bound one empirical analysis.
type MeasureOptions struct {
	Budget        time.Duration // total CPU of the measured program; default 10 s
	Target        time.Duration // stop growing n once a run costs this; default 0.8 s
	MaxInputBytes int           // never generate inputs larger than this; default 32 MiB
	StartN        int           // first size; default 8
	MaxN          int           // largest size; default 1<<30 (keeps int32 readers safe)
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
		o.Target = 800 * time.Millisecond
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

// Empirical is the measured side of a report.
type Empirical struct {
	Source          string     `json:"source"` // "generator" or "tests"
	Time            bigo.Class `json:"time"`
	TimeConfidence  float64    `json:"time_confidence"`
	Space           bigo.Class `json:"space"`
	SpaceConfidence float64    `json:"space_confidence"`
	Points          []Point    `json:"points"`
	CPUUsed         float64    `json:"cpu_used_seconds"`
	TimeFit         fit.Result `json:"time_fit"`
	SpaceFit        fit.Result `json:"space_fit"`
	Note            string     `json:"note,omitempty"`
}

// MemCap is the largest peak memory a measured size may use.
const MemCap = 512 << 20

// errBudget ends measuring when the CPU budget is spent.
var errBudget = errors.New("cpu budget spent")

type meter struct {
	r      Runner
	opt    MeasureOptions
	used   time.Duration
	points map[int]*Point
}

func (m *meter) remaining() time.Duration { return m.opt.Budget - m.used }

// run measures input `repeats` times and keeps the minimum CPU: noise from
// the machine only ever adds time.
func (m *meter) run(ctx context.Context, n int, input []byte, repeats int, limit time.Duration) (exceeded bool, err error) {
	for i := 0; i < repeats; i++ {
		lim := min(limit, m.remaining())
		if lim <= 10*time.Millisecond {
			return false, errBudget
		}
		s, err := m.r.Measure(ctx, input, lim)
		m.used += s.CPU
		if err != nil {
			return false, err
		}
		if s.Exceeded {
			if lim < limit {
				return false, errBudget
			}
			return true, nil
		}
		p := m.points[n]
		if p == nil || p.Censored {
			p = &Point{N: n, CPU: math.Inf(1)}
			m.points[n] = p
		}
		p.CPU = math.Min(p.CPU, s.CPU.Seconds())
		p.PeakMem = max(p.PeakMem, s.PeakMem)
		p.Runs++
		if s.CPU > limit/2 { // big runs are steady; save the budget
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

// MeasureGenerated grows n geometrically from the generator until a run
// costs Target (or the budget, input size or n cap stops it), bisects back
// when a size blows the per-run limit (exponential programs), then adds
// interior points near the top where the signal is, and fits.
func MeasureGenerated(ctx context.Context, r Runner, gen func(ctx context.Context, n, seed int) ([]byte, error), opt MeasureOptions) (*Empirical, error) {
	opt.defaults()
	m := &meter{r: r, opt: opt, points: map[int]*Point{}}
	prevN, prevLen := 0, 0
	measure := func(n int, limit time.Duration) (bool, error) {
		in, err := gen(ctx, n, opt.Seed+n)
		if err != nil {
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
		if n > 2*prevN-prevN/4 && prevLen >= 4096 && len(in) < prevLen+prevLen/8 {
			return false, errGeneratorCap
		}
		if n > prevN {
			prevN, prevLen = n, len(in)
		}
		repeats := 2 // the first size sets the base cost: take the better of two
		if p := m.top(); p != nil {
			repeats = repeatsFor(time.Duration(p.CPU * float64(time.Second)))
			if m.flat(p) {
				repeats = 1 // start-up cost only: nothing to sharpen yet
			}
		}
		return m.run(ctx, n, in, repeats, limit)
	}
	perRun := func() time.Duration {
		last := 0.0
		if p := m.top(); p != nil {
			last = p.CPU
		}
		// Generous enough for one doubling of a cubic program, tight
		// enough that an exponential blow-up costs little of the budget.
		lim := time.Duration(10*last*float64(time.Second)) + 250*time.Millisecond
		return min(max(lim, time.Second), 3*time.Second)
	}
	note := ""
	n, bad := opt.StartN, 0
	var perRunAt time.Duration
	for steps := 0; steps < 24 && n <= opt.MaxN; steps++ {
		perRunAt = perRun()
		exceeded, err := measure(n, perRunAt)
		if err != nil {
			note = stopNote(err)
			if errors.Is(err, errBudget) || errors.Is(err, errInputCap) || errors.Is(err, errGeneratorCap) {
				break
			}
			return nil, err
		}
		if exceeded && m.points[n] == nil {
			bad = n
			m.points[n] = &Point{N: n, CPU: perRunAt.Seconds(), Runs: 1, Censored: true}
			break
		}
		p := m.points[n]
		if p.CPU >= opt.Target.Seconds() || p.PeakMem > MemCap {
			break
		}
		factor := 2
		if len(m.points) >= 2 && m.flat(p) {
			factor = 4 // still flat: move faster
		}
		n *= factor
	}
	// A size over the per-run limit: bisect between the last good size and
	// it, so steep (exponential) growth still gets points near the top.
	for i := 0; bad > 0 && i < 6; i++ {
		good := m.top()
		if good == nil || bad-good.N <= 1 || good.CPU >= opt.Target.Seconds()/2 {
			break // already have costly points: the limit was only just missed
		}
		mid := good.N + (bad-good.N)/2
		lim := perRun()
		exceeded, err := measure(mid, lim)
		if err != nil {
			note = stopNote(err)
			break
		}
		if exceeded {
			// The nearer blow-up is the better lower bound.
			delete(m.points, bad)
			bad = mid
			m.points[bad] = &Point{N: bad, CPU: lim.Seconds(), Runs: 1, Censored: true}
		}
	}
	// Interior points below the top sharpen the fit where the program's
	// own cost, not its start-up, is measured. Growth by 4 out of a flat
	// region can leave the top as the only such point, and one point says
	// nothing about the shape: fill the top octaves first, as far as the
	// budget allows (no interior size costs more than the top).
	if top := m.top(); top != nil && !m.flat(top) {
		for _, f := range []float64{0.5, 0.7, 0.35, 0.85, 0.25} {
			k := int(float64(top.N) * f)
			if k <= m.base().N || m.near(k) {
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
	e := m.result("generator")
	if note != "" && e.Note == "" {
		e.Note = note
	}
	return e, nil
}

var errInputCap = errors.New("input size cap reached")

// errGeneratorCap: a doubled n gave an input barely larger than the last.
var errGeneratorCap = errors.New("the generator stopped growing its input (the problem's size limit)")

func stopNote(err error) string {
	return "measuring stopped: " + err.Error()
}

// MeasureTests is the fallback without a generator: the problem's own tests,
// smallest first, with the input size in bytes as n.
func MeasureTests(ctx context.Context, r Runner, tests []string, opt MeasureOptions) (*Empirical, error) {
	opt.defaults()
	m := &meter{r: r, opt: opt, points: map[int]*Point{}}
	note := ""
	for _, path := range tests {
		in, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read test: %w", err)
		}
		if _, err := m.run(ctx, max(1, len(in)), in, 2, min(3*time.Second, m.remaining())); err != nil {
			note = stopNote(err)
			if errors.Is(err, errBudget) {
				break
			}
			return nil, err
		}
	}
	e := m.result("tests")
	if e.Note == "" {
		e.Note = note
	}
	return e, nil
}

func (m *meter) sorted() []Point {
	var out []Point
	for _, p := range m.points {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].N < out[j].N })
	return out
}

func (m *meter) top() *Point {
	var t *Point
	for _, p := range m.points {
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
func (m *meter) flat(p *Point) bool {
	b := m.base()
	return b != nil && p.CPU < 1.5*b.CPU+0.005
}

// near reports whether a size within 10% of n was measured.
func (m *meter) near(n int) bool {
	for k := range m.points {
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

func (m *meter) base() *Point {
	var b *Point
	for _, p := range m.points {
		if b == nil || p.N < b.N {
			b = p
		}
	}
	return b
}

func (m *meter) result(source string) *Empirical {
	e := &Empirical{Source: source, Points: m.sorted(), CPUUsed: m.used.Seconds()}
	e.Refit()
	return e
}

// Refit (re)computes the fits from the points. A censored point (a run
// that hit its CPU limit) joins the time fit only when that limit was at
// least 8x the cost of the largest size below it: then blowing it says the
// cost grew by more than a cubic step. A limit capped near the previous cost
// says little, and as a lower bound it would drag the fit down.
func (e *Empirical) Refit() {
	var tp, mp []fit.Point
	minT, minM := math.Inf(1), math.Inf(1)
	measured := 0
	last := 0.0
	for _, p := range e.Points {
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
	e.Time, e.Space, e.TimeConfidence, e.SpaceConfidence = bigo.Unknown, bigo.Unknown, 0, 0
	e.TimeFit, e.SpaceFit = fit.Result{}, fit.Result{}
	if measured < 3 {
		e.Note = fmt.Sprintf("only %d sizes measured: no fit", measured)
		return
	}
	// Noise floors: a few ms of CPU (process start jitter), a MiB of RSS.
	e.TimeFit = fit.Fit(tp, fit.Options{Noise: math.Max(0.004, 0.08*minT)})
	e.SpaceFit = fit.Fit(mp, fit.Options{Noise: math.Max(1<<20, 0.05*minM)})
	e.Time, e.TimeConfidence = e.TimeFit.Class, e.TimeFit.Confidence
	e.Space, e.SpaceConfidence = e.SpaceFit.Class, e.SpaceFit.Confidence
}
