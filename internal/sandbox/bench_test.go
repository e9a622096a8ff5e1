package sandbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// go test -bench . ./internal/sandbox prints p50/p99 per runtime for a box
// setup+teardown and for one run of /bin/true, and the per-run overhead
// over bare. Short smoke version in TestBenchSmoke.

var benchCmd = Cmd{Args: []string{"/bin/true"}, Limits: Limits{CPUTime: time.Second}}

func benchRuntimes(t testing.TB) []Runtime {
	rts := []Runtime{NewBare(filepath.Join(testRoot, "bare"))}
	for _, name := range []string{"runc", "runsc"} {
		rt, err := New(name, Options{StateDir: filepath.Join(testRoot, name, "state"), BoxDir: filepath.Join(testRoot, name, "boxes")})
		if err != nil {
			t.Fatal(err)
		}
		rts = append(rts, rt)
	}
	return rts
}

func TestBenchSmoke(t *testing.T) {
	testRuntime(t, "runc")
	reports := Bench(context.Background(), benchRuntimes(t)[:2], benchCmd, 5)
	WriteBench(os.Stderr, reports)
	for _, r := range reports {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Runtime, r.Err)
		}
		if r.Run.N != 5 || r.Run.P50 <= 0 || r.Runtime != "exec" && r.Setup.N != 5 {
			t.Fatalf("%s: incomplete figures %+v", r.Runtime, r)
		}
	}
}

// BenchmarkSandbox measures the whole table (SANDBOX_BENCH_N box cycles
// and runs per runtime, default 100) per iteration, prints it, and reports
// per runtime: box-p50-ms, box-p99-ms (setup + teardown), run-p50-ms,
// run-p99-ms, overhead-p50-ms, overhead-p99-ms (run minus bare's run). Use
// -benchtime 1x.
func BenchmarkSandbox(b *testing.B) {
	n := 100
	if s := os.Getenv("SANDBOX_BENCH_N"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			b.Fatal(err)
		}
	}
	rts := benchRuntimes(b)
	var reports []BenchReport
	for i := 0; i < b.N; i++ {
		reports = Bench(context.Background(), rts, benchCmd, n)
	}
	b.StopTimer()
	WriteBench(os.Stdout, reports)
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	for _, r := range reports {
		if r.Err != nil || r.Runtime == "exec" {
			continue
		}
		b.ReportMetric(ms(r.Setup.P50), r.Runtime+"-box-p50-ms")
		b.ReportMetric(ms(r.Setup.P99), r.Runtime+"-box-p99-ms")
		b.ReportMetric(ms(r.Run.P50), r.Runtime+"-run-p50-ms")
		b.ReportMetric(ms(r.Run.P99), r.Runtime+"-run-p99-ms")
		b.ReportMetric(ms(r.Overhead.P50), r.Runtime+"-overhead-p50-ms")
		b.ReportMetric(ms(r.Overhead.P99), r.Runtime+"-overhead-p99-ms")
	}
}
