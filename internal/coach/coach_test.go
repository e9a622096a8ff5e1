package coach

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/llm"
)

const quadraticPy = `import sys
n = int(sys.stdin.readline())
s = 0
for i in range(n):
    for j in range(n):
        s += (i ^ j) & 3
print(s)
`

// problemDir makes a problem package with a generator printing n and an
// intended complexity.
func problemDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "generators"), 0o755)
	os.WriteFile(filepath.Join(dir, "generators", "gen"), []byte("#!/usr/bin/env python3\nimport sys\nprint(int(sys.argv[1]))\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "coach.yaml"), []byte("time: O(n)\nspace: O(1)\nhint: use the closed form of the sum\n"), 0o644)
	return dir
}

func TestLoadProblem(t *testing.T) {
	p, err := LoadProblem(problemDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.Intended.Time.Class() != bigo.Linear || p.Intended.Space.Class() != bigo.Const || !p.HasGenerator() {
		t.Fatalf("intended %+v, generator %v", p.Intended, p.HasGenerator())
	}
	in, err := p.Generate(context.Background(), "42", 1)
	if err != nil || strings.TrimSpace(string(in)) != "42" {
		t.Fatalf("generate: %q, %v", in, err)
	}
	if _, err := LoadProblem(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("no error for a missing problem dir")
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "coach.yaml"), []byte("time: O(n!)\n"), 0o644)
	if _, err := LoadProblem(bad); err == nil {
		t.Fatal("no error for an unknown class in coach.yaml")
	}
}

func TestAnalyzeStaticOnly(t *testing.T) {
	p, err := LoadProblem(problemDir(t))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Analyze(context.Background(), "py", []byte(quadraticPy), p, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Time.Class() != bigo.Quadratic || rep.Verdict != "slower" || rep.TextSource != "offline" || rep.DecidedBy != "static analysis" {
		t.Fatalf("time %v verdict %s source %s decided by %q", rep.Time, rep.Verdict, rep.TextSource, rep.DecidedBy)
	}
	for _, want := range []string{"2 nested loops (O(n) × O(n) iterations) at lines 4–6", "O(n²)", "The author's intended complexity is O(n): yours is slower (hint: use the closed form of the sum)"} {
		if !strings.Contains(rep.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, rep.Text)
		}
	}
	// A language without a grammar is measured only; with nothing to
	// measure it with, the error says so.
	if _, err := Analyze(context.Background(), "cobol", []byte("x"), nil, nil, Options{}); err == nil || !strings.Contains(err.Error(), CodeNoGrammar) {
		t.Fatalf("no-grammar error = %v", err)
	}
	if _, err := Analyze(context.Background(), "c o b o l", []byte("x"), nil, nil, Options{}); err == nil || !strings.Contains(err.Error(), CodeUnsupportedLanguage) {
		t.Fatalf("bad language name error = %v", err)
	}
}

// synthRunner is a Runner whose costs are a known function of the input,
// with deterministic noise shaped like a loaded machine's: CPU time only
// ever grows (another process evicting caches, frequency changes), by up
// to 15% of the run plus up to 10 ms. It lets the fitting and decision
// code be tested on measurements that do not depend on this machine.
type synthRunner struct {
	size func(in []byte) int     // what the cost grows with
	cost func(n float64) float64 // CPU seconds at size n, before noise
	mem  func(n float64) float64 // peak bytes at size n
	rng  *rand.Rand
	runs int
}

func newSynthRunner(seed uint64, size func([]byte) int, cost, mem func(float64) float64) *synthRunner {
	return &synthRunner{size: size, cost: cost, mem: mem, rng: rand.New(rand.NewPCG(seed, 7))}
}

func (r *synthRunner) Measure(ctx context.Context, in []byte, limit time.Duration) (Sample, error) {
	r.runs++
	n := float64(r.size(in))
	cpu := r.cost(n)*(1+0.15*r.rng.Float64()) + 0.01*r.rng.Float64()
	s := Sample{CPU: time.Duration(cpu * float64(time.Second)), PeakMem: int64(r.mem(n))}
	if s.CPU > limit {
		s.CPU, s.Exceeded = limit, true
	}
	return s, nil
}

// firstInt is the size the test generators print first.
func firstInt(in []byte) int {
	f := strings.Fields(string(in))
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(f[0])
	return n
}

// TestAnalyzeMeasures runs the whole analysis (generator, growth of n,
// repeats, fit, combination with the static class, text) on synthetic
// quadratic costs with a large start-up cost, the shape that made the old
// real-Python version of this test flaky (issue 12): Python's 0.1-0.3 s
// start, then a quadratic loop. Every seed must give O(n²).
func TestAnalyzeMeasures(t *testing.T) {
	p, err := LoadProblem(problemDir(t))
	if err != nil {
		t.Fatal(err)
	}
	// The generator runs in-process: the costs are the runner's, not
	// those of starting a generator.
	p.SetGenerator(func(ctx context.Context, n string, seed int) ([]byte, error) { return []byte(n + "\n"), nil })
	quad := func(n float64) float64 { return 0.25 + 6e-8*n*n }
	mem := func(n float64) float64 { return 9 << 20 }
	for seed := uint64(1); seed <= 20; seed++ {
		r := newSynthRunner(seed, firstInt, quad, mem)
		rep, err := Analyze(context.Background(), "python", []byte(quadraticPy), p, r, Options{Measure: MeasureOptions{Budget: 8 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		e := rep.Empirical
		if e == nil {
			t.Fatalf("seed %d: no measurement: %s", seed, rep.EmpiricalError)
		}
		if e.Time != bigo.Quadratic || rep.Time.Class() != bigo.Quadratic {
			t.Errorf("seed %d: measured %v, combined %v, want O(n^2); points %+v", seed, e.Time, rep.Time, e.Points)
		}
		if e.Space != bigo.Const {
			t.Errorf("seed %d: flat memory measured as %v", seed, e.Space)
		}
		// The budget bounds the measured program's CPU: the last run is
		// cut at what remains.
		if len(e.Points) < 4 || e.CPUUsed > 8.001 {
			t.Errorf("seed %d: %d points, %.3fs CPU (budget 8s)", seed, len(e.Points), e.CPUUsed)
		}
	}
}

func TestLocalRunnerLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("runs programs")
	}
	ctx := context.Background()
	cache := t.TempDir()
	if _, err := NewLocalRunner(ctx, "c", []byte("int main( {"), cache); err == nil || !strings.Contains(err.Error(), "compile c") {
		t.Fatalf("compile error = %v", err)
	}
	spin, err := NewLocalRunner(ctx, "c", []byte("int main(void){volatile unsigned long x=0;for(;;)x++;}"), cache)
	if err != nil {
		t.Fatal(err)
	}
	// An endless loop must come back as Exceeded (at the CPU limit, or at
	// the wall-clock kill switch on a machine too loaded to give it 200 ms
	// of CPU in 7 s); no timing is asserted.
	s, err := spin.Measure(ctx, nil, 200*time.Millisecond)
	if err != nil || !s.Exceeded {
		t.Fatalf("spin: %+v, %v", s, err)
	}
	crash, err := NewLocalRunner(ctx, "c", []byte("int main(void){return 3;}"), cache)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crash.Measure(ctx, nil, time.Second); err == nil {
		t.Fatal("no error for exit status 3")
	}
	// The second build of the same source comes from the cache: with no
	// compiler on the PATH it still succeeds.
	t.Setenv("PATH", t.TempDir())
	if _, err := NewLocalRunner(ctx, "c", []byte("int main(void){return 3;}"), cache); err != nil {
		t.Fatalf("cached build: %v", err)
	}
	if _, err := NewLocalRunner(ctx, "c", []byte("int main(void){return 4;}"), cache); err == nil {
		t.Fatal("a new source built without a compiler: the cache test proves nothing")
	}
}

func TestAnalyzeLLMAndFallback(t *testing.T) {
	answer := `{"choices":[{"message":{"role":"assistant","content":"LLM says: two nested loops."},"finish_reason":"stop"}]}`
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		w.Write([]byte(answer))
	}))
	defer srv.Close()
	client := &llm.Client{BaseURL: srv.URL, Model: "m", Timeout: 2 * time.Second}
	ctx := context.Background()

	rep, err := Analyze(ctx, "python", []byte(quadraticPy), nil, nil, Options{LLM: client})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Text != "LLM says: two nested loops." || rep.TextSource != "llm:m" {
		t.Fatalf("llm text %q from %s", rep.Text, rep.TextSource)
	}

	status = http.StatusInternalServerError
	rep, err = Analyze(ctx, "python", []byte(quadraticPy), nil, nil, Options{LLM: client})
	if err != nil {
		t.Fatal(err)
	}
	if rep.TextSource != "offline" || rep.TextError == "" || !strings.HasPrefix(rep.Text, "Time: O(n²) (") {
		t.Fatalf("fallback: source %s, error %q, text %q", rep.TextSource, rep.TextError, rep.Text)
	}
}

func TestUserPromptCarriesFindings(t *testing.T) {
	p, _ := LoadProblem(problemDir(t))
	rep, err := Analyze(context.Background(), "python", []byte(quadraticPy), p, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	prompt := UserPrompt(rep, []byte(quadraticPy))
	for _, want := range []string{"   5 |     for j in range(n):", "loop over n", "Decided: time O(n^2)", "The author's intended complexity: O(n)", "use the closed form"} {
		if !strings.Contains(prompt, want) {
			t.Errorf("prompt lacks %q", want)
		}
	}
}

// TestMeasureTestsFallback: without a generator the problem's own tests,
// ordered by size, are the inputs, and their size in bytes is n. The costs
// are synthetic (quadratic in the input, plus start-up and noise), so the
// fit must find O(n²) for every seed.
func TestMeasureTestsFallback(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data", "secret"), 0o755)
	for i, n := range []int{1000, 250, 2000, 1500, 2800, 500} {
		var b strings.Builder
		b.WriteString(strconv.Itoa(n) + "\n")
		for k := 0; k < n; k++ {
			b.WriteString("12345 ")
		}
		os.WriteFile(filepath.Join(dir, "data", "secret", fmt.Sprintf("%d.in", i)), []byte(b.String()), 0o644)
	}
	p, err := LoadProblem(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.HasGenerator() || len(p.Tests()) != 6 || fileSize(p.Tests()[0]) > fileSize(p.Tests()[1]) {
		t.Fatalf("tests not found in size order: %v", p.Tests())
	}
	src := []byte("import sys\nd = [int(x) for x in sys.stdin.read().split()]\ns = 0\nfor x in d:\n    for y in d:\n        s += x ^ y\nprint(s)\n")
	size := func(in []byte) int { return len(in) }
	quad := func(n float64) float64 { return 0.1 + 4e-9*n*n }
	mem := func(n float64) float64 { return 8<<20 + 30*n }
	for seed := uint64(1); seed <= 20; seed++ {
		r := newSynthRunner(seed, size, quad, mem)
		rep, err := Analyze(context.Background(), "python", src, p, r, Options{Measure: MeasureOptions{Budget: 8 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		e := rep.Empirical
		if e == nil || e.Source != "tests" || len(e.Points) != 6 {
			t.Fatalf("seed %d: empirical %+v (%s)", seed, e, rep.EmpiricalError)
		}
		if e.Time != bigo.Quadratic {
			t.Errorf("seed %d: measured %v on quadratic costs: %+v", seed, e.Time, e.Points)
		}
	}
}

// A generator that clamps n to the problem's limit must not make a linear
// program look constant: growth stops at the clamp.
func TestMeasureGeneratedStopsAtGeneratorClamp(t *testing.T) {
	const clamp = 5000
	gen := func(ctx context.Context, sizes string, seed int) ([]byte, error) {
		n, _ := strconv.Atoi(sizes)
		n = min(n, clamp)
		return bytes.Repeat([]byte("1234567 "), n), nil
	}
	var sizes []int
	r := runnerFunc(func(ctx context.Context, in []byte, limit time.Duration) (Sample, error) {
		sizes = append(sizes, len(in))
		// Linear in the input actually given.
		return Sample{CPU: time.Duration(len(in)) * 200 * time.Nanosecond}, nil
	})
	emp, err := MeasureGenerated(context.Background(), r, gen, MeasureOptions{Budget: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range emp.Points {
		if p.N > 2*clamp {
			t.Errorf("point at n=%d recorded past the generator's clamp %d", p.N, clamp)
		}
	}
	if !strings.Contains(emp.Note, "stopped growing") {
		t.Errorf("note = %q, want it to say the generator stopped growing", emp.Note)
	}
}

type runnerFunc func(ctx context.Context, in []byte, limit time.Duration) (Sample, error)

func (f runnerFunc) Measure(ctx context.Context, in []byte, limit time.Duration) (Sample, error) {
	return f(ctx, in, limit)
}

func TestLoadProblemReadsArenaComplexity(t *testing.T) {
	for _, tc := range []struct {
		yaml   string
		time   bigo.Class
		stated string
	}{
		{"complexity:\n  time: \"O(n log n)\"\n  space: \"O(n)\"\n", bigo.NLogN, "O(n log n)"},
		{"difficulty: 1500\ncomplexity:\n  time: \"O((n + q) log n)\"\n", bigo.Unknown, "O((n + q) log n)"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "arena.yaml"), []byte(tc.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := LoadProblem(dir)
		if err != nil {
			t.Fatal(err)
		}
		if p.Intended.Time.Class() != tc.time || p.Intended.Stated != tc.stated {
			t.Errorf("%q: intended %v stated %q, want %v %q", tc.yaml, p.Intended.Time, p.Intended.Stated, tc.time, tc.stated)
		}
	}
	p, err := LoadProblem("../../problems/anagram-groups")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Intended.Time.OK || p.Intended.Time.String() != "O(n*L log L)" || len(p.Context.Vars) != 2 {
		t.Errorf("bundled problem: intended %s in %+v", p.Intended.Time, p.Context.Vars)
	}
}

// A generator that fails at a large size (a wall-clock limit on a loaded
// worker) ends the growth; the sizes measured before it stand.
func TestMeasureGeneratedGeneratorFailsLate(t *testing.T) {
	gen := func(ctx context.Context, sizes string, seed int) ([]byte, error) {
		if n, _ := strconv.Atoi(sizes); n > 4096 {
			return nil, fmt.Errorf("wall-time-limit")
		}
		return []byte(sizes + "\n"), nil
	}
	r := newSynthRunner(1, firstInt, func(n float64) float64 { return 0.02 + 1e-6*n }, func(float64) float64 { return 1 << 20 })
	e, err := MeasureGenerated(context.Background(), r, gen, MeasureOptions{Budget: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Points) < 3 || !strings.Contains(e.Note, "generator failed") {
		t.Errorf("%d points, note %q", len(e.Points), e.Note)
	}
	// At the first size it is an error: nothing was measured.
	failing := func(ctx context.Context, sizes string, seed int) ([]byte, error) { return nil, fmt.Errorf("boom") }
	if _, err := MeasureGenerated(context.Background(), r, failing, MeasureOptions{Budget: time.Second}); err == nil {
		t.Error("no error when the generator fails at once")
	}
}

// A generator that clamps a size quietly: once the cost stops growing the
// growth stops, and the sizes past the clamp are not kept.
func TestMeasureGeneratedStopsAtPlateau(t *testing.T) {
	gen := func(ctx context.Context, sizes string, seed int) ([]byte, error) { return []byte(sizes + "\n"), nil }
	const clamp = 50000
	r := newSynthRunner(1, firstInt, func(n float64) float64 { return 0.1 + 4e-6*min(n, clamp) }, func(float64) float64 { return 1 << 20 })
	e, err := MeasureGenerated(context.Background(), r, gen, MeasureOptions{Budget: 10 * time.Second, Target: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if top := e.Points[len(e.Points)-1].N; top > 4*clamp || !strings.Contains(e.Note, "stopped growing") {
		t.Errorf("top size %d, note %q", top, e.Note)
	}
	if e.Time != bigo.Linear {
		t.Errorf("fitted %v on a linear cost up to the clamp: %+v", e.Time, e.Points)
	}
}

// A generator that clamps a small input (patrol-walks: 30 rooms, about
// 1 KB, with random digits in the header) stops the growth at the clamp
// even though the cost there is noisy: the sizes past it would be the
// same input labelled with a growing n.
func TestMeasureGeneratedStopsAtSmallClamp(t *testing.T) {
	const clamp = 30
	gen := func(ctx context.Context, sizes string, seed int) ([]byte, error) {
		n, _ := strconv.Atoi(sizes)
		n = min(n, clamp)
		rng := rand.New(rand.NewPCG(uint64(seed), 3))
		var b bytes.Buffer
		fmt.Fprintf(&b, "%d %d %d\n", n, rng.IntN(1e18-1e17)+1e17, 1+rng.IntN(n))
		for range n {
			b.WriteString(strings.Repeat("1", n) + "\n")
		}
		return b.Bytes(), nil
	}
	rng := rand.New(rand.NewPCG(5, 5))
	r := runnerFunc(func(ctx context.Context, in []byte, limit time.Duration) (Sample, error) {
		n := float64(firstInt(in))
		// Start-up plus a cubic cost, with noise larger than the growth
		// between two sizes past the clamp.
		cpu := (0.09 + 4e-6*n*n*n) * (1 + 0.2*rng.Float64())
		return Sample{CPU: time.Duration(cpu * float64(time.Second)), PeakMem: 8 << 20}, nil
	})
	e, err := MeasureGenerated(context.Background(), r, gen, MeasureOptions{Budget: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// The clamp is located to within an eighth; nothing past it is kept.
	if top := e.Points[len(e.Points)-1].N; top < clamp || top > clamp+clamp/8+1 || !strings.Contains(e.Note, "stopped growing") {
		t.Errorf("top size %d, note %q: %+v", top, e.Note, e.Points)
	}
	// A size that is a value (the input is its digits) is not a clamp.
	digits := func(ctx context.Context, sizes string, seed int) ([]byte, error) { return []byte(sizes + "\n"), nil }
	lin := newSynthRunner(1, firstInt, func(n float64) float64 { return 0.02 + 1e-6*n }, func(float64) float64 { return 1 << 20 })
	e, err = MeasureGenerated(context.Background(), lin, digits, MeasureOptions{Budget: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if top := e.Points[len(e.Points)-1].N; top < 100000 || e.Time != bigo.Linear {
		t.Errorf("value-sized input stopped at %d, fitted %v", top, e.Time)
	}
}

// A program that fails at a large size (a runtime over its memory limit)
// ends the growth there; the sizes measured before it make the report.
func TestMeasureGeneratedRunFailsLate(t *testing.T) {
	gen := func(ctx context.Context, sizes string, seed int) ([]byte, error) { return []byte(sizes + "\n"), nil }
	lin := newSynthRunner(1, firstInt, func(n float64) float64 { return 0.02 + 1e-6*n }, func(float64) float64 { return 1 << 20 })
	r := runnerFunc(func(ctx context.Context, in []byte, limit time.Duration) (Sample, error) {
		if firstInt(in) > 100000 {
			return Sample{}, fmt.Errorf("program run ended with memory-limit")
		}
		return lin.Measure(ctx, in, limit)
	})
	e, err := MeasureGenerated(context.Background(), r, gen, MeasureOptions{Budget: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Points) < 3 || !strings.Contains(e.Note, "memory-limit") || e.Points[len(e.Points)-1].N > 100000 {
		t.Errorf("%d points, note %q", len(e.Points), e.Note)
	}
	// At the first sizes it is an error: nothing was measured.
	failing := runnerFunc(func(ctx context.Context, in []byte, limit time.Duration) (Sample, error) {
		return Sample{}, fmt.Errorf("program exited with status 1")
	})
	if _, err := MeasureGenerated(context.Background(), failing, gen, MeasureOptions{Budget: time.Second}); err == nil {
		t.Error("no error when the program fails at once")
	}
}
