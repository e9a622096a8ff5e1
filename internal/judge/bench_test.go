package judge

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestBenchSmoke runs the benchmark harness briefly so that it stays
// working; the real figures come from `segfault bench judge`.
func TestBenchSmoke(t *testing.T) {
	rep, err := RunJudgeBench(context.Background(), sharedLanguages(t), BenchConfig{
		Runtimes: []string{"bare", "runc"}, Langs: []string{"cpp", "python", "bash"}, Submissions: 2, Tests: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"cpp", "python"} {
		base := rep.Row("bare", lang)
		if base == nil || len(base.Judge) != 2 || len(base.PerTest[0]) != 3 || rep.Ratio("bare", lang) != 1 {
			t.Fatalf("%s baseline row %+v", lang, base)
		}
		if row := rep.Row("runc", lang); row != nil && (len(row.Overhead) != 6 || rep.Ratio("runc", lang) <= 0) {
			t.Errorf("%s runc row %+v", lang, row)
		}
	}
	// Languages without a statistics program judge their conformance a+b.
	if row := rep.Row("bare", "bash"); row == nil || len(row.Judge) != 2 || len(row.Compile) != 2 {
		t.Errorf("bash row %+v", row)
	}
	var out strings.Builder
	rep.Print(&out)
	t.Log("\n" + out.String())
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3}
	for pct, want := range map[float64]time.Duration{50: 3, 99: 5, 0: 1, 100: 5, 20: 1, 40: 2} {
		if got := Percentile(ds, pct); got != want {
			t.Errorf("p%v = %v, want %v", pct, got, want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty percentile")
	}
}

// BenchmarkJudge judges a 20-test submission of the same compiled program
// per iteration (box setup, 20 runs with checking, teardown) on each
// runtime: go test -run XXX -bench Judge ./internal/judge/
func BenchmarkJudge(b *testing.B) {
	langs := sharedLanguages(b)
	ctx := context.Background()
	dir := b.TempDir()
	p, err := benchProblem(dir, 20)
	if err != nil {
		b.Fatal(err)
	}
	runtimes := []string{"bare", "runc", "runsc"}
	if v := os.Getenv("SEGFAULT_JUDGE_RUNTIMES"); v != "" {
		runtimes = splitComma(v)
	}
	for _, id := range []string{"cpp", "python"} {
		lang, err := langs.Lookup(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		src, _, err := benchProgram(lang)
		if err != nil {
			b.Fatal(err)
		}
		for _, rt := range runtimes {
			b.Run(rt+"/"+id, func(b *testing.B) {
				j := newTestJudge(b, rt)
				var setup, perTest time.Duration
				n := 0
				for b.Loop() {
					s, err := benchSubmission(ctx, j, lang, src, p)
					if err != nil {
						b.Fatal(err)
					}
					setup += s.setup + s.teardown
					for _, d := range s.perTest {
						perTest += d
					}
					n++
				}
				b.ReportMetric(float64(setup.Milliseconds())/float64(n), "setup+teardown-ms/op")
				b.ReportMetric(float64(perTest.Microseconds())/1000/float64(n*len(p.Tests)), "ms/test")
			})
		}
	}
}
