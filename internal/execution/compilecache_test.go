package execution

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/config"
)

// gaugeOrCounter is the value of the unlabelled metric name in reg.
func gaugeOrCounter(t *testing.T, reg prometheus.Gatherer, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			m := mf.GetMetric()[0]
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestCompileCacheRunThenSubmit: serve with --compile-cache-mib, a player
// runs the samples then submits the same C++ code: the worker compiles it
// once (the worker's compile cache counters say so) and both are judged.
// The program is wrong, so that no coach analysis (after an Accepted)
// builds it a third time while the counters are read.
func TestCompileCacheRunThenSubmit(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Load("serve", []string{"--data-dir", dir, "--workers", "1", "--problems-dir", problemsDir(t),
		"--compile-cache-mib", "32"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	st := openSQLite(t, filepath.Join(dir, "db"))
	api, ts := newAPIServer(t, st)
	removeSandboxDirs(t, dir)
	e, err := FromConfig(context.Background(), "serve", cfg, st, api.Registry(), nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	api.MountJudge(e.Service)
	defer e.Close()
	waitHealthyWorker(t, e.Service)
	reg := api.Registry()
	if gaugeOrCounter(t, reg, "segfault_worker_compile_cache_misses_total") != 0 {
		t.Fatal("compiled before anything was sent")
	}

	src := "#include <cstdio>\nint main() { std::puts(\"0\"); }\n"
	run, err := e.Service.RunSamples(context.Background(), RunRequest{UserID: 1, ProblemID: "two-divisors", Lang: "cpp", Source: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	if run.CompileError != nil || len(run.Results) == 0 || run.Results[0].Verdict != "WA" {
		t.Fatalf("run: %+v", run)
	}
	c := newClient(t, ts.URL, "cache")
	id, status, body := c.submit("two-divisors", "cpp", src)
	if status != http.StatusAccepted {
		t.Fatalf("%d %s", status, body)
	}
	if got := c.wait(id, 90*time.Second); got.Result.Verdict != "WA" {
		t.Fatalf("%+v", got.Result)
	}
	if m, h := gaugeOrCounter(t, reg, "segfault_worker_compile_cache_misses_total"), gaugeOrCounter(t, reg, "segfault_worker_compile_cache_hits_total"); m != 1 || h != 1 {
		t.Fatalf("compiles %v, cache hits %v; want 1 and 1", m, h)
	}
	if gaugeOrCounter(t, reg, "segfault_worker_compile_cache_bytes") <= 0 {
		t.Fatal("no bytes in the cache")
	}
}
