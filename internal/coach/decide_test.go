package coach

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/static"
)

// measureSynth measures costs f(sizes) through MeasureGenerated with the
// synthetic runner: the points are laid out as a real analysis lays them
// out, the costs are known, the noise deterministic.
func measureSynth(t *testing.T, f func(sz map[string]float64) float64, seed uint64, sizes ...string) *Empirical {
	t.Helper()
	parse := func(in []byte) map[string]float64 {
		out := map[string]float64{}
		for _, part := range strings.Split(strings.TrimSpace(string(in)), ",") {
			k, v, ok := strings.Cut(part, "=")
			if !ok {
				k, v = "n", part
			}
			x, _ := strconv.Atoi(v)
			out[k] = float64(x)
		}
		return out
	}
	r := &synthRunner{rng: newSynthRunner(seed, nil, nil, nil).rng}
	r.size = func([]byte) int { return 0 }
	r.mem = func(float64) float64 { return 8 << 20 }
	gen := func(ctx context.Context, sz string, seed int) ([]byte, error) { return []byte(sz), nil }
	run := runnerFunc(func(ctx context.Context, in []byte, limit time.Duration) (Sample, error) {
		cpu := f(parse(in))*(1+0.15*r.rng.Float64()) + 0.01*r.rng.Float64()
		s := Sample{CPU: time.Duration(cpu * float64(time.Second)), PeakMem: 8 << 20}
		if s.CPU > limit {
			s.CPU, s.Exceeded = limit, true
		}
		return s, nil
	})
	e, err := MeasureGenerated(context.Background(), run, gen, MeasureOptions{Budget: 8 * time.Second, Sizes: sizes})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func of(f func(n float64) float64) func(map[string]float64) float64 {
	return func(sz map[string]float64) float64 { return f(sz["n"]) }
}

func expr(t *testing.T, s string, pc static.Context) bigo.Expr {
	t.Helper()
	e, err := bigo.ParseExpr(s, pc.Variables())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDecide(t *testing.T) {
	one := static.Context{Vars: []static.Var{{Name: "n"}}}
	lin := of(func(n float64) float64 { return 0.03 + 2e-7*n })
	quad := of(func(n float64) float64 { return 0.03 + 4e-9*n*n })
	flat := of(func(n float64) float64 { return 0.03 })
	tests := []struct {
		name    string
		static  string
		cost    func(map[string]float64) float64
		time    string
		by      string
		outcome string
	}{
		{"agree", "O(n)", lin, "O(n)", "static analysis and measurement", "agrees"},
		{"log factor: code decides", "O(n log n)", lin, "O(n log n)", "static analysis and measurement", "log-factor"},
		{"measured quadratic overrules a linear guess", "O(n)", quad, "O(n^2)", "measurement", "contradicts"},
		{"measured linear overrules a quadratic guess", "O(n^2)", lin, "O(n)", "measurement", "contradicts"},
		{"flat costs cannot check", "O(n)", flat, "O(n)", "static analysis", "no-signal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 10; seed++ {
				st := &static.Result{Time: expr(t, tc.static, one), Space: bigo.One()}
				d := Decide(st, measureSynth(t, tc.cost, seed), one, nil)
				if !d.Time.OK || d.Time.String() != tc.time || d.By != tc.by {
					t.Fatalf("seed %d: decided %s by %q (%s), want %s by %q; checks %+v", seed, d.Time, d.By, d.Reason, tc.time, tc.by, d.Checks)
				}
				if len(d.Checks) == 0 || d.Checks[0].Outcome != tc.outcome {
					t.Errorf("seed %d: checks %+v, want outcome %s", seed, d.Checks, tc.outcome)
				}
				if d.Confidence < InconclusiveBelow || d.Confidence > 1 {
					t.Errorf("seed %d: confidence %.2f for a decided class", seed, d.Confidence)
				}
			}
		})
	}
}

func bits(n float64) int { return len(strconv.FormatInt(int64(n), 2)) }

// TestDecideInconclusive: a measurement that leans away from the static
// class without clearly contradicting it leaves the class inconclusive,
// with the evidence in the reason; never a class next to a contradiction.
func TestDecideInconclusive(t *testing.T) {
	one := static.Context{Vars: []static.Var{{Name: "n"}}}
	// n^1.5: between linear and quadratic, fitting neither cleanly.
	mid := of(func(n float64) float64 { return 0.03 + 2e-8*n*sqrt(n) })
	st := &static.Result{Time: bigo.Var("n"), Space: bigo.One()}
	for seed := uint64(1); seed <= 10; seed++ {
		d := Decide(st, measureSynth(t, mid, seed), one, nil)
		switch {
		case d.Time.OK && d.By == "measurement":
		case d.Time.OK:
			if d.Checks[0].Outcome == "unsettled" || d.Checks[0].Outcome == "contradicts" {
				t.Fatalf("seed %d: class %s decided next to a %s check", seed, d.Time, d.Checks[0].Outcome)
			}
		default:
			if d.Time.String() != "inconclusive" || d.Confidence >= InconclusiveBelow || !strings.Contains(d.Reason, "lean") {
				t.Fatalf("seed %d: %s, confidence %.2f, reason %q", seed, d.Time, d.Confidence, d.Reason)
			}
		}
	}
	// A made-up unsettled check: the class is inconclusive.
	a := measureSynth(t, mid, 1)
	d := decideChecks(st, a, []Check{{Static: bigo.Linear, Measured: bigo.Quadratic, Outcome: "unsettled", Ratio: 2.5}}, one, nil)
	if d.Time.OK || d.Time.String() != "inconclusive" || !strings.Contains(d.Reason, "not clearly enough") {
		t.Fatalf("unsettled: %s (%s)", d.Time, d.Reason)
	}
	// Measurement only, with no signal: inconclusive, not a guess.
	d = Decide(nil, measureSynth(t, of(func(float64) float64 { return 0.03 }), 1), one, nil)
	if d.Time.OK || d.Time.String() != "inconclusive" || d.By != "measurement" {
		t.Fatalf("measured only and flat: %s by %q (%s)", d.Time, d.By, d.Reason)
	}
}

func sqrt(x float64) float64 {
	r := x
	for i := 0; i < 60; i++ {
		r = (r + x/r) / 2
	}
	return r
}

// TestDecideAxes: one size at a time says which variable a contradiction
// is about, and the series of all sizes together tells a sum from a
// product.
func TestDecideAxes(t *testing.T) {
	pc := static.Context{Vars: []static.Var{{Name: "n"}, {Name: "m"}}}
	sizes := []string{"n", "m"}
	sum := func(sz map[string]float64) float64 { return 0.03 + 1e-7*(sz["n"]+sz["m"]) }
	prod := func(sz map[string]float64) float64 { return 0.03 + 5e-8*sz["n"]*sz["m"] }
	st := &static.Result{Time: expr(t, "O(n + m)", pc), Space: bigo.One()}
	for seed := uint64(1); seed <= 5; seed++ {
		if d := Decide(st, measureSynth(t, sum, seed, sizes...), pc, sizes); d.Time.String() != "O(n + m)" || d.By != "static analysis and measurement" {
			t.Errorf("seed %d: n + m on additive costs: %s by %q (%s) %+v", seed, d.Time, d.By, d.Reason, d.Checks)
		}
		if d := Decide(st, measureSynth(t, prod, seed, sizes...), pc, sizes); d.Time.String() != "O(n*m)" || d.By != "measurement" {
			t.Errorf("seed %d: n + m on multiplicative costs: %s by %q (%s) %+v", seed, d.Time, d.By, d.Reason, d.Checks)
		}
		// Without static analysis the series still rebuild the class.
		if d := Decide(nil, measureSynth(t, prod, seed, sizes...), pc, sizes); d.Time.String() != "O(n*m)" {
			t.Errorf("seed %d: measured only: %s (%s)", seed, d.Time, d.Reason)
		}
		if d := Decide(nil, measureSynth(t, sum, seed, sizes...), pc, sizes); d.Time.String() != "O(n + m)" {
			t.Errorf("seed %d: measured only: %s (%s)", seed, d.Time, d.Reason)
		}
	}
}

// TestMeasureGeneratedAxes: with named sizes the generator is called with
// every size grown together, then each alone with the others fixed.
func TestMeasureGeneratedAxes(t *testing.T) {
	var args []string
	gen := func(ctx context.Context, sizes string, seed int) ([]byte, error) {
		args = append(args, sizes)
		return []byte(sizes + "\n"), nil
	}
	// cost n·m in the named sizes
	size := func(in []byte) int {
		n, m := 1, 1
		for _, part := range strings.Split(strings.TrimSpace(string(in)), ",") {
			k, v, _ := strings.Cut(part, "=")
			x, _ := strconv.Atoi(v)
			if k == "n" {
				n = x
			} else {
				m = x
			}
		}
		return n * m
	}
	r := newSynthRunner(1, size, func(x float64) float64 { return 0.02 + 5e-8*x }, func(float64) float64 { return 8 << 20 })
	e, err := MeasureGenerated(context.Background(), r, gen, MeasureOptions{Budget: 8 * time.Second, Sizes: []string{"n", "m"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(args[0], "n=8,m=8") || len(e.Axes) != 2 || e.Axes[0].Var != "n" || e.Axes[1].Var != "m" {
		t.Fatalf("first args %v, axes %+v", args[:3], e.Axes)
	}
	if e.Time != bigo.Quadratic || e.Axes[0].Time != bigo.Linear || e.Axes[1].Time != bigo.Linear {
		t.Errorf("together %v, n %v, m %v", e.Time, e.Axes[0].Time, e.Axes[1].Time)
	}
	if !strings.Contains(e.Axes[0].Fixed, "m=") || e.CPUUsed > 8.001 {
		t.Errorf("fixed %q, cpu %.2f", e.Axes[0].Fixed, e.CPUUsed)
	}
}

func TestLoadProblemCoachSection(t *testing.T) {
	write := func(yaml string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "arena.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	p, err := LoadProblem(write(`tags: [graphs, trees]
complexity:
  time: "O((n + m) log m)"
  space: "O(n + m)"
coach:
  variables:
    n: {what: vertices}
    m: {what: edges, log_as: n}
    V: {what: largest weight, kind: value}
  sizes: [n, m]
  meets_intended: [accepted/a.py]
  faster: [accepted/b.cpp]
  space: {accepted/a.py: "O(n + m + V)"}
`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range p.Context.Vars {
		names = append(names, v.Name)
	}
	if strings.Join(names, ",") != "n,m,V" || p.Context.Vars[2].Kind != "value" || strings.Join(p.Sizes, ",") != "n,m" {
		t.Fatalf("vars %v sizes %v", p.Context.Vars, p.Sizes)
	}
	if p.Intended.Time.String() != "O((n + m) log n)" || p.Intended.Stated != "O((n + m) log m)" {
		t.Errorf("intended %s (stated %q): log m counts as log n", p.Intended.Time, p.Intended.Stated)
	}
	if p.SpaceOf["accepted/a.py"].String() != "O(n + m + V)" || p.Faster[0] != "accepted/b.cpp" || p.Tags[1] != "trees" {
		t.Errorf("space of %v faster %v tags %v", p.SpaceOf, p.Faster, p.Tags)
	}
	for _, bad := range []string{
		"coach:\n  variables:\n    n: {kind: huge}\n",
		"coach:\n  variables:\n    n: {log_as: q}\n",
		"coach:\n  variables:\n    n: {le: n}\n",
		"coach:\n  variables: [n]\n  sizes: [m]\n",
		"coach:\n  variables: [\"2x\"]\n",
		"coach:\n  variables: [n]\n  space: {accepted/a.py: \"O(zz)\"}\n",
		"coach: [",
	} {
		if _, err := LoadProblem(write(bad)); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

func TestCachedGenerator(t *testing.T) {
	calls := 0
	gen := func(ctx context.Context, sizes string, seed int) ([]byte, error) {
		calls++
		return []byte(sizes + "/" + strconv.Itoa(seed)), nil
	}
	dir := filepath.Join(t.TempDir(), "inputs")
	c := CachedGenerator(gen, dir)
	for i := 0; i < 3; i++ {
		b, err := c(context.Background(), "n=5,m=7", 3)
		if err != nil || string(b) != "n=5,m=7/3" {
			t.Fatalf("%q, %v", b, err)
		}
	}
	if calls != 1 {
		t.Errorf("generator ran %d times for one input", calls)
	}
	// A size argument that is not a plain list of sizes is never a path.
	if _, err := c(context.Background(), "../../etc", 1); err != nil || calls != 2 {
		t.Errorf("odd argument: calls %d, %v", calls, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 1 {
		t.Errorf("files outside the cache dir: %v", entries)
	}
}

// TestMeasuredOnlyLanguage: a language the coach has no grammar for gets a
// report from measurement alone that says so.
func TestMeasuredOnlyLanguage(t *testing.T) {
	p, err := LoadProblem(problemDir(t))
	if err != nil {
		t.Fatal(err)
	}
	p.SetGenerator(func(ctx context.Context, n string, seed int) ([]byte, error) { return []byte(n + "\n"), nil })
	r := newSynthRunner(1, firstInt, func(n float64) float64 { return 0.05 + 4e-7*n }, func(float64) float64 { return 9 << 20 })
	rep, err := Analyze(context.Background(), "kotlin", []byte("fun main() {}"), p, r, Options{Measure: MeasureOptions{Budget: 6 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Static != nil || !strings.Contains(rep.StaticError, CodeNoGrammar) || rep.DecidedBy != "measurement" {
		t.Fatalf("static %v (%s), decided by %q", rep.Static, rep.StaticError, rep.DecidedBy)
	}
	if rep.Time.String() != "O(n)" || rep.Verdict != "meets" || !strings.Contains(rep.Text, "measures only") {
		t.Errorf("time %s verdict %s text %q", rep.Time, rep.Verdict, rep.Text)
	}
}

// TestReportOneTruth: the headline, the sections and the text say the
// same thing; a decision against the static class says which decided.
func TestReportOneTruth(t *testing.T) {
	p, err := LoadProblem(problemDir(t))
	if err != nil {
		t.Fatal(err)
	}
	p.SetGenerator(func(ctx context.Context, n string, seed int) ([]byte, error) { return []byte(n + "\n"), nil })
	// The code looks quadratic; it runs linearly (an amortised loop the
	// analyser missed): measurement decides, and the text says so once.
	r := newSynthRunner(2, firstInt, func(n float64) float64 { return 0.05 + 4e-7*n }, func(float64) float64 { return 9 << 20 })
	rep, err := Analyze(context.Background(), "python", []byte(quadraticPy), p, r, Options{Measure: MeasureOptions{Budget: 6 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Time.String() != "O(n)" || rep.DecidedBy != "measurement" || rep.Verdict != "meets" {
		t.Fatalf("time %s by %q verdict %s (%s)", rep.Time, rep.DecidedBy, rep.Verdict, rep.Reason)
	}
	head, _, _ := strings.Cut(rep.Text, ". From the code")
	if !strings.HasPrefix(head, "Time: O(n) (") || !strings.Contains(head, "measurement decides") {
		t.Errorf("headline %q", head)
	}
	if strings.Contains(rep.Text, "agrees") || strings.Count(rep.Text, "intended") != 1 {
		t.Errorf("text contradicts itself or repeats the intended class:\n%s", rep.Text)
	}
}

// TestAdviceFitsTags: a slower tree solution gets traversal advice, not
// hash maps; an array problem gets sorting and two pointers.
func TestAdviceFitsTags(t *testing.T) {
	ev := []static.Evidence{{Start: 3, End: 9, Tag: static.TagLoop}, {Start: 4, End: 8, Tag: static.TagLoop}}
	tree := strings.Join(tips(ev, "python", []string{"trees", "dfs"}), " ")
	if !strings.Contains(tree, "adjacency lists") || strings.Contains(tree, "hash") {
		t.Errorf("tree advice: %s", tree)
	}
	arr := strings.Join(tips(ev, "python", []string{"sorting", "two pointers"}), " ")
	if !strings.Contains(arr, "two pointers") {
		t.Errorf("array advice: %s", arr)
	}
	// Only the bottleneck: a sort that is within the intended class gives
	// no advice of its own.
	want := bigo.Known(bigo.Mul(bigo.Var("n"), bigo.LogVar("n")))
	b := bottleneck([]static.Evidence{{Tag: static.TagSort, Class: want.Expr}, {Tag: static.TagLoop, Class: bigo.Mul(bigo.Var("n"), bigo.Var("n"))}}, want)
	if len(b) != 1 || b[0].Tag != static.TagLoop {
		t.Errorf("bottleneck %+v", b)
	}
}
