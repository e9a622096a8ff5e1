package judge

import (
	"context"
	"embed"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

//go:embed testdata/bench/stats.cpp testdata/bench/stats.py testdata/conformance
var benchSources embed.FS

// BenchConfig sets up `segfault bench judge`.
type BenchConfig struct {
	Runtimes       []string       // first = the baseline (bare); others compared with it
	Langs          []string       // default cpp, python; "all" = every language found here
	Submissions    int            // per runtime and language (default 10)
	SubmissionsFor map[string]int // runtime → submissions, for slow ones (runsc)
	Tests          int            // per submission (default 20)
	Progress       io.Writer      // nil = quiet
}

// BenchRow holds the samples of one runtime and language.
type BenchRow struct {
	Runtime, Lang string
	Setup         []time.Duration // open the box + write the program
	Compile       []time.Duration // compile it in the box
	Teardown      []time.Duration // close the box
	SetupTeardown []time.Duration
	PerTest       [][]time.Duration // [submission][test]: run + check, as the judge does it
	Judge         []time.Duration   // all tests of one submission, after compile (the sum of its PerTest)
	// Overhead is PerTest minus bare's median for the same test.
	Overhead []time.Duration
}

// BenchReport is the outcome of one benchmark run.
type BenchReport struct {
	Config  BenchConfig
	Rows    []*BenchRow
	Skipped map[string]string // runtime, or "runtime lang", → why it was not measured
}

// RunJudgeBench measures, in one run and on the same programs and tests,
// the cost of judging on each runtime. Every submission is compiled in its
// own box (the compile is timed apart from the box's setup); the runtimes
// judge their submissions side by side, taking turns test by test, so that
// the load of a shared machine weighs on them alike. C++ and Python judge
// a statistics program on 2000+ numbers per test; the other languages
// their conformance program's a+b, so that a test costs about the
// runtime's start: the per-test overhead of the language. A language that
// a runtime cannot run (bare caps the address space, which the JVM and V8
// reserve by the GiB) is skipped on it, with the reason in Skipped.
func RunJudgeBench(ctx context.Context, langs *Languages, cfg BenchConfig) (*BenchReport, error) {
	if len(cfg.Langs) == 0 {
		cfg.Langs = []string{"cpp", "python"}
	}
	if len(cfg.Langs) == 1 && cfg.Langs[0] == "all" {
		cfg.Langs = nil
		for _, l := range langs.ResolveAll(ctx) {
			if l.Err == nil {
				cfg.Langs = append(cfg.Langs, l.ID)
			}
		}
	}
	if cfg.Submissions <= 0 {
		cfg.Submissions = 10
	}
	if cfg.Tests <= 0 {
		cfg.Tests = 20
	}
	logf := func(format string, a ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, format+"\n", a...)
		}
	}
	rep := &BenchReport{Config: cfg, Skipped: map[string]string{}}
	dir, err := os.MkdirTemp("", "segfault-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	type target struct {
		name string
		j    *Judge
	}
	var targets []target
	for _, name := range cfg.Runtimes {
		// "runc+pool": runc behind a sandbox.Pool of 2 boxes, as a worker
		// that called Judge.StartPool; "+cache": with a compile cache (the
		// warm-up round compiles, the measured ones copy the program in).
		base, cached := strings.CutSuffix(name, "+cache")
		base, pooled := strings.CutSuffix(base, "+pool")
		rt, err := sandbox.New(base, sandbox.Options{})
		if err == nil {
			err = rt.Check(ctx)
		}
		if err != nil {
			rep.Skipped[name] = err.Error()
			logf("skip %s: %v", name, err)
			continue
		}
		j, _ := New(rt, langs, nil)
		if pooled {
			pool := j.StartPool(ctx, 2)
			defer pool.Close()
		}
		if cached {
			cc, err := OpenCompileCache(filepath.Join(dir, "compile-cache-"+name), 256<<20, nil)
			if err != nil {
				return nil, err
			}
			j.UseCompileCache(cc)
		}
		targets = append(targets, target{name, j})
	}
	if len(targets) == 0 || targets[0].name != cfg.Runtimes[0] {
		return nil, fmt.Errorf("baseline runtime %s unusable: %s", cfg.Runtimes[0], rep.Skipped[cfg.Runtimes[0]])
	}

	for _, id := range cfg.Langs {
		lang, err := langs.Lookup(ctx, id)
		if err != nil {
			return nil, err
		}
		src, stats, err := benchProgram(lang)
		if err != nil {
			return nil, err
		}
		var p *Problem
		if stats {
			p, err = benchProblem(filepath.Join(dir, id), cfg.Tests)
		} else {
			p, err = sumBenchProblem(filepath.Join(dir, id), cfg.Tests)
		}
		if err != nil {
			return nil, err
		}
		rows := make([]*BenchRow, len(targets))
		failed := make([]bool, len(targets))
		for i, t := range targets {
			rows[i] = &BenchRow{Runtime: t.name, Lang: id}
		}
		// Rounds interleave the runtimes, and within a round the tests
		// alternate between them (test 1 on each runtime, then test 2...),
		// so that a change of load on a shared machine hits them all alike;
		// round 0 warms caches and is dropped.
		for round := 0; round <= cfg.Submissions; round++ {
			var subs []*benchSub
			var idx []int
			drop := func(n int, err error) {
				i := idx[n]
				failed[i] = true
				rep.Skipped[targets[i].name+" "+id] = err.Error()
				logf("skip %s on %s: %v", id, targets[i].name, err)
				subs[n].box.Close()
				subs[n] = nil
			}
			for i, t := range targets {
				if n, ok := cfg.SubmissionsFor[t.name]; ok && round > n || failed[i] {
					continue
				}
				sb, err := openBenchSub(ctx, t.j, lang, src, p)
				if err != nil {
					if ctx.Err() != nil {
						return nil, ctx.Err()
					}
					failed[i] = true
					rep.Skipped[t.name+" "+id] = err.Error()
					logf("skip %s on %s: %v", id, t.name, err)
					continue
				}
				subs, idx = append(subs, sb), append(idx, i)
			}
			for k := range p.Tests {
				for n, sb := range subs {
					if sb == nil {
						continue
					}
					if err := sb.runTest(ctx, k); err != nil {
						if ctx.Err() != nil {
							return nil, ctx.Err()
						}
						drop(n, err)
					}
				}
			}
			for n, sb := range subs {
				if sb == nil {
					continue
				}
				cstart := time.Now()
				if err := sb.box.Close(); err != nil {
					return nil, fmt.Errorf("%s %s: close: %w", targets[idx[n]].name, id, err)
				}
				if round == 0 {
					continue
				}
				r := rows[idx[n]]
				teardown := time.Since(cstart)
				r.Setup = append(r.Setup, sb.setup)
				r.Compile = append(r.Compile, sb.compile)
				r.Teardown = append(r.Teardown, teardown)
				r.SetupTeardown = append(r.SetupTeardown, sb.setup+teardown)
				r.PerTest = append(r.PerTest, sb.perTest)
				r.Judge = append(r.Judge, sb.judge)
			}
			logf("%s: round %d/%d done", id, round, cfg.Submissions)
		}
		// Overhead per test over the baseline's median for the same test,
		// where the baseline ran the language.
		if !failed[0] && len(rows[0].PerTest) > 0 {
			base := make([]time.Duration, cfg.Tests)
			for k := range base {
				var col []time.Duration
				for _, sub := range rows[0].PerTest {
					col = append(col, sub[k])
				}
				base[k] = Percentile(col, 50)
			}
			for _, r := range rows {
				for _, sub := range r.PerTest {
					for k, d := range sub {
						r.Overhead = append(r.Overhead, d-base[k])
					}
				}
			}
		}
		for i, r := range rows {
			if !failed[i] {
				rep.Rows = append(rep.Rows, r)
			}
		}
	}
	return rep, nil
}

func benchProblem(dir string, tests int) (*Problem, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := &Problem{Name: "bench", TimeLimit: 5 * time.Second, MemoryBytes: 256 << 20}
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range tests {
		n := 2000 + 100*k
		var in strings.Builder
		fmt.Fprintf(&in, "%d\n", n)
		var sum int64
		seen := map[int64]bool{}
		for range n {
			x := rng.Int64N(1_000_000)
			sum += x
			seen[x] = true
			fmt.Fprintf(&in, "%d ", x)
		}
		in.WriteString("\n")
		t := Test{Name: fmt.Sprint(k + 1), InputPath: filepath.Join(dir, fmt.Sprintf("%d.in", k+1)), AnswerPath: filepath.Join(dir, fmt.Sprintf("%d.ans", k+1))}
		if err := os.WriteFile(t.InputPath, []byte(in.String()), 0o644); err != nil {
			return nil, err
		}
		if err := os.WriteFile(t.AnswerPath, fmt.Appendf(nil, "%d %d\n", sum, len(seen)), 0o644); err != nil {
			return nil, err
		}
		p.Tests = append(p.Tests, t)
	}
	return p, nil
}

// sumBenchProblem has tests of the conformance program's sum mode.
func sumBenchProblem(dir string, tests int) (*Problem, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := &Problem{Name: "bench-sum", TimeLimit: 5 * time.Second, MemoryBytes: 256 << 20}
	for k := range tests {
		a, b := int64(1)<<62-int64(k)*7919, int64(k)*104729+1
		t := Test{Name: fmt.Sprint(k + 1), InputPath: filepath.Join(dir, fmt.Sprintf("%d.in", k+1)), AnswerPath: filepath.Join(dir, fmt.Sprintf("%d.ans", k+1))}
		if err := os.WriteFile(t.InputPath, fmt.Appendf(nil, "sum %d %d\n", a, b), 0o644); err != nil {
			return nil, err
		}
		if err := os.WriteFile(t.AnswerPath, fmt.Appendf(nil, "%d\n", a+b), 0o644); err != nil {
			return nil, err
		}
		p.Tests = append(p.Tests, t)
	}
	return p, nil
}

// benchProgram is the program the benchmark judges in a language: the
// statistics program where there is one (C++, Python), else the
// language's conformance program.
func benchProgram(lang *Language) (src []byte, stats bool, err error) {
	if ext := map[string]string{"cpp": "cpp", "python": "py"}[lang.ID]; ext != "" {
		src, err = benchSources.ReadFile("testdata/bench/stats." + ext)
		return src, true, err
	}
	src, err = benchSources.ReadFile(conformanceFile(lang))
	if err != nil {
		return nil, false, fmt.Errorf("no benchmark program for %s", lang.ID)
	}
	return src, false, nil
}

// conformanceFile is the conformance program of a language
// (testdata/conformance/ID.EXT; PyPy runs CPython's).
func conformanceFile(lang *Language) string {
	id := lang.ID
	if id == "pypy" {
		id = "python"
	}
	return "testdata/conformance/" + id + "." + lang.Extensions[0]
}

// benchSub is one submission being judged: its box, with the program
// compiled in it, and its figures so far.
type benchSub struct {
	j       *Judge
	box     sandbox.Box
	prog    *program
	p       *Problem
	flags   CheckerFlags
	setup   time.Duration   // open the box + write the program
	compile time.Duration   // compile it
	perTest []time.Duration // run + check, as the judge does it
	judge   time.Duration   // the sum of perTest: all tests, after compile
}

// openBenchSub opens a fresh box for a submission and compiles the
// program in it, as Judge does.
func openBenchSub(ctx context.Context, j *Judge, lang *Language, src []byte, p *Problem) (*benchSub, error) {
	start := time.Now()
	prog, ce, err := j.compileIn(ctx, lang, map[string][]byte{"": src}, "", p.MemoryBytes, "")
	if err != nil {
		return nil, err
	}
	if ce != "" {
		return nil, fmt.Errorf("compile error: %s", firstLine(ce))
	}
	sb := &benchSub{j: j, box: prog.box, prog: prog, p: p, compile: prog.compileTime, setup: time.Since(start) - prog.compileTime}
	sb.flags, _ = ParseCheckerFlags(nil)
	return sb, nil
}

// runTest judges test k (0-based) as Judge does after compiling.
func (sb *benchSub) runTest(ctx context.Context, k int) error {
	start := time.Now()
	tr, err := sb.j.runTest(ctx, sb.prog, nil, sb.p, sb.flags, sb.p.Tests[k], k+1, 0)
	if err != nil {
		return err
	}
	if tr.Verdict != AC {
		return fmt.Errorf("test %d: %s %s", k+1, tr.Verdict, tr.Message)
	}
	d := time.Since(start)
	sb.perTest = append(sb.perTest, d)
	sb.judge += d
	return nil
}

type benchSample struct {
	setup, teardown, judge time.Duration
	perTest                []time.Duration
}

// benchSubmission compiles and judges the program on every test in a
// fresh box, as Judge does (go test -bench: one runtime at a time).
func benchSubmission(ctx context.Context, j *Judge, lang *Language, src []byte, p *Problem) (benchSample, error) {
	var s benchSample
	sb, err := openBenchSub(ctx, j, lang, src, p)
	if err != nil {
		return s, err
	}
	for k := range p.Tests {
		if err := sb.runTest(ctx, k); err != nil {
			sb.box.Close()
			return s, err
		}
	}
	cstart := time.Now()
	if err := sb.box.Close(); err != nil {
		return s, err
	}
	return benchSample{setup: sb.setup, teardown: time.Since(cstart), judge: sb.judge, perTest: sb.perTest}, nil
}

// Percentile is the nearest-rank percentile of ds (0 for none).
func Percentile(ds []time.Duration, pct float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(pct/100*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// Row returns the row of a runtime and language.
func (r *BenchReport) Row(runtime, lang string) *BenchRow {
	for _, row := range r.Rows {
		if row.Runtime == runtime && row.Lang == lang {
			return row
		}
	}
	return nil
}

// Ratio is the median judge time (after compile) of runtime over the
// baseline's, for one language.
func (r *BenchReport) Ratio(runtime, lang string) float64 {
	a, b := r.Row(r.Config.Runtimes[0], lang), r.Row(runtime, lang)
	if a == nil || b == nil {
		return 0
	}
	return float64(Percentile(b.Judge, 50)) / float64(Percentile(a.Judge, 50))
}

// Print writes the figures as a table.
func (r *BenchReport) Print(w io.Writer) {
	fmt.Fprintf(w, "judge benchmark: %d tests per submission, %d submissions per runtime and language (after a warm-up)", r.Config.Tests, r.Config.Submissions)
	for _, name := range r.Config.Runtimes {
		if n, ok := r.Config.SubmissionsFor[name]; ok {
			fmt.Fprintf(w, ", %s: %d", name, n)
		}
	}
	fmt.Fprintln(w, "; each submission compiled in its own box; the runtimes take turns test by test")
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "runtime\tlang\tsetup+teardown p50\tp99\tcompile p50\tper-test p50\tp99\toverhead/test p50\tp99\tall tests p50\tratio vs "+r.Config.Runtimes[0]+"\t")
	for _, row := range r.Rows {
		var flat []time.Duration
		for _, sub := range row.PerTest {
			flat = append(flat, sub...)
		}
		over50, over99, ratio := "—", "—", "—"
		if len(row.Overhead) > 0 {
			over50, over99 = ms(Percentile(row.Overhead, 50)), ms(Percentile(row.Overhead, 99))
			ratio = fmt.Sprintf("%.2fx", r.Ratio(row.Runtime, row.Lang))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", row.Runtime, row.Lang,
			ms(Percentile(row.SetupTeardown, 50)), ms(Percentile(row.SetupTeardown, 99)), ms(Percentile(row.Compile, 50)),
			ms(Percentile(flat, 50)), ms(Percentile(flat, 99)), over50, over99,
			ms(Percentile(row.Judge, 50)), ratio)
	}
	tw.Flush()
	for _, name := range slices.Sorted(maps.Keys(r.Skipped)) {
		fmt.Fprintf(w, "skipped %s: %s\n", name, firstLine(r.Skipped[name]))
	}
}
