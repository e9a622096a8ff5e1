package coach

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// The cases issue 16 reported, on the real code (the bundled problems'
// accepted solutions with their arena.yaml, the labelled set's JavaScript
// sort-then-scan), measured through the whole pipeline with synthetic
// costs of the true class: deterministic, never this machine's timing.

// sizesOf reads a generator argument "n=100,m=300" (or "100": n).
func sizesOf(in []byte) map[string]float64 {
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

// synthProblem loads a real problem and replaces its generator with one
// that hands the sizes to a runner costing f(sizes).
func synthProblem(t *testing.T, dir string, seed uint64, f func(sz map[string]float64) float64) (*Problem, Runner) {
	t.Helper()
	p, err := LoadProblem(dir)
	if err != nil {
		t.Fatal(err)
	}
	p.SetGenerator(func(ctx context.Context, sz string, seed int) ([]byte, error) { return []byte(sz), nil })
	rng := newSynthRunner(seed, nil, nil, nil).rng
	r := runnerFunc(func(ctx context.Context, in []byte, limit time.Duration) (Sample, error) {
		sz := sizesOf(in)
		cpu := f(sz)*(1+0.15*rng.Float64()) + 0.01*rng.Float64()
		total := 0.0
		for _, v := range sz {
			total += v
		}
		s := Sample{CPU: time.Duration(cpu * float64(time.Second)), PeakMem: int64(8<<20 + 40*total)}
		if s.CPU > limit {
			s.CPU, s.Exceeded = limit, true
		}
		return s, nil
	})
	return p, r
}

// oneTruth checks that a report does not contradict itself: the headline
// is the decided class with a confidence above the threshold, the static
// section says the same when static analysis decided, the author's
// complexity appears once and is compared, and nothing says 0%.
func oneTruth(t *testing.T, name string, rep *Report) {
	t.Helper()
	if !rep.Time.OK || rep.Confidence < InconclusiveBelow {
		t.Errorf("%s: time %s with confidence %.2f (%s)", name, rep.Time, rep.Confidence, rep.Reason)
	}
	if strings.Contains(rep.DecidedBy, "static") && (rep.Static == nil || !bigo.Equal(rep.Static.Time, rep.Time.Expr)) {
		t.Errorf("%s: decided by %q as %s but the static section says %v", name, rep.DecidedBy, rep.Time, rep.Static)
	}
	for _, c := range rep.Checks {
		if c.Outcome == "contradicts" && rep.DecidedBy != "measurement" {
			t.Errorf("%s: a contradicting check (%+v) but decided by %q", name, c, rep.DecidedBy)
		}
	}
	if !strings.HasPrefix(rep.Text, "Time: "+rep.Time.Pretty()+" (") {
		t.Errorf("%s: text headline does not state %s: %q", name, rep.Time.Pretty(), rep.Text)
	}
	if strings.Count(rep.Text, "intended") != 1 || strings.Contains(rep.Text, "No intended") {
		t.Errorf("%s: the intended complexity must appear once:\n%s", name, rep.Text)
	}
	if strings.Contains(rep.Text, "confidence 0%") || strings.Contains(rep.Text, "nested loops (O(n) × O(m)") {
		t.Errorf("%s: text contradicts the class:\n%s", name, rep.Text)
	}
}

func accepted(t *testing.T, problem string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "problems", problem, "submissions", "accepted", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no accepted submissions of %s: %v", problem, err)
	}
	return files
}

func analyzeFile(t *testing.T, path string, p *Problem, r Runner) *Report {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lang, err := NormalizeLang(filepath.Ext(path))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Analyze(context.Background(), lang, src, p, r, Options{Measure: MeasureOptions{Budget: 6 * time.Second}})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rep
}

// TestKahnTopologicalSortReport: Kahn's algorithm and the DFS order of
// task-order are O(n + m) in time and space, meet the author's O(n + m),
// whether the measured costs grow as n + m or lean to a log factor.
func TestKahnTopologicalSortReport(t *testing.T) {
	costs := map[string]func(sz map[string]float64) float64{
		"linear":     func(sz map[string]float64) float64 { return 0.02 + 3e-7*(sz["n"]+sz["m"]) },
		"log-factor": func(sz map[string]float64) float64 { x := sz["n"] + sz["m"]; return 0.02 + 2e-8*x*math.Log2(x+2) },
	}
	for _, path := range accepted(t, "task-order") {
		for name, cost := range costs {
			p, r := synthProblem(t, filepath.Join("..", "..", "problems", "task-order"), 3, cost)
			rep := analyzeFile(t, path, p, r)
			label := filepath.Base(path) + "/" + name
			oneTruth(t, label, rep)
			if rep.Time.String() != "O(n + m)" || rep.Space.String() != "O(n + m)" || rep.Verdict != "meets" {
				t.Errorf("%s: time %s space %s verdict %s (%s)", label, rep.Time, rep.Space, rep.Verdict, rep.Reason)
			}
		}
	}
}

// TestTreeDiameterReport: the two-sweep tree diameter is O(n), meets the
// author's O(n), and gets no advice (least of all hash maps or two
// pointers, which do not fit a tree).
func TestTreeDiameterReport(t *testing.T) {
	for _, path := range accepted(t, "tree-diameter") {
		p, r := synthProblem(t, filepath.Join("..", "..", "problems", "tree-diameter"), 5,
			func(sz map[string]float64) float64 { return 0.03 + 5e-7*sz["n"] })
		rep := analyzeFile(t, path, p, r)
		label := filepath.Base(path)
		oneTruth(t, label, rep)
		if rep.Time.String() != "O(n)" || rep.Verdict != "meets" {
			t.Errorf("%s: time %s verdict %s (%s)", label, rep.Time, rep.Verdict, rep.Reason)
		}
		if strings.Contains(rep.Text, "hash") || strings.Contains(rep.Text, "two pointers") || strings.Contains(rep.Text, "slower") {
			t.Errorf("%s: advice that does not fit:\n%s", label, rep.Text)
		}
		// The explanation names the traversal, not only the input read.
		if !strings.Contains(rep.Text, "once") {
			t.Errorf("%s: the text does not explain the traversal:\n%s", label, rep.Text)
		}
	}
}

// TestJSSortThenTwoPointersReport: JavaScript that sorts and then scans
// with two pointers is O(n log n) (the sort), not O(n²).
func TestJSSortThenTwoPointersReport(t *testing.T) {
	p, r := synthProblem(t, filepath.Join("eval", "testdata", "array"), 7,
		func(sz map[string]float64) float64 { n := sz["n"]; return 0.04 + 3e-8*n*math.Log2(n+2) })
	rep := analyzeFile(t, filepath.Join("eval", "testdata", "array", "solutions", "sortscan.js"), p, r)
	oneTruth(t, "sortscan.js", rep)
	if rep.Time.String() != "O(n log n)" || rep.Static == nil || rep.Static.Time.String() != "O(n log n)" || rep.Verdict != "meets" {
		t.Errorf("time %s (static %v) verdict %s (%s)", rep.Time, rep.Static, rep.Verdict, rep.Reason)
	}
}

// TestAnalyserFromLanguageTable: a judge language read by another
// language's analyser (PyPy as Python) gets static analysis and keeps its
// own name.
func TestAnalyserFromLanguageTable(t *testing.T) {
	p, r := synthProblem(t, filepath.Join("..", "..", "problems", "tree-diameter"), 9,
		func(sz map[string]float64) float64 { return 0.03 + 5e-7*sz["n"] })
	src, err := os.ReadFile(filepath.Join("..", "..", "problems", "tree-diameter", "submissions", "accepted", "two_sweeps.py"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Analyze(context.Background(), "pypy", src, p, r, Options{Analyser: "python", Measure: MeasureOptions{Budget: 6 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Lang != "pypy" || rep.Static == nil || rep.Time.String() != "O(n)" {
		t.Errorf("lang %s static %v time %s (%s)", rep.Lang, rep.Static, rep.Time, rep.StaticError)
	}
}
