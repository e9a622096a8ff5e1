package execution

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/config"
)

// TestFromConfig: serve without --nats judges with embedded NATS and
// in-process workers; api without --nats is refused with a clear error.
func TestFromConfig(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string { return "" }
	cfg, err := config.Load("serve", []string{"--data-dir", dir, "--workers", "1", "--problems-dir", problemsDir(t),
		"--time-multipliers", "python=2"}, env, io.Discard)
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
	if e.NATS == nil || e.Worker == nil {
		t.Fatalf("serve: embedded NATS %v, worker %v", e.NATS != nil, e.Worker != nil)
	}
	if m := e.Worker.TimeMultipliers(); len(m) != 1 || m["python"] != 2 {
		t.Fatalf("serve's workers got time multipliers %v, want python=2", m)
	}
	c := newClient(t, ts.URL, "cfg")
	id, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", "accepted/incl_excl.py"))
	if status != http.StatusAccepted {
		t.Fatalf("%d %s", status, body)
	}
	if got := c.wait(id, 60*time.Second); got.Result.Verdict != "AC" {
		t.Fatalf("%+v", got.Result)
	}

	apiCfg, err := config.Load("api", []string{"--data-dir", t.TempDir()}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FromConfig(context.Background(), "api", apiCfg, st, api.Registry(), nil, testLogger(t)); err == nil || !strings.Contains(err.Error(), "--nats") {
		t.Fatalf("api without --nats: %v", err)
	}
}

// TestLimitsFromConfig: the judge-sharing settings reach the limits.
func TestLimitsFromConfig(t *testing.T) {
	cfg, err := config.Load("serve", []string{"--data-dir", t.TempDir(), "--judge-ip-per-minute", "12",
		"--judge-new-account-age", "30m", "--judge-queue-floor", "-1"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	lim := LimitsFromConfig(cfg)
	if lim.SubmitPerIP.Burst != 12 || lim.SubmitPerIP.PerSec != 0.2 || lim.NewAccountAge != 30*time.Minute ||
		lim.NewAccountInFlight != 1 || lim.QueueFloor != -1 || lim.MaxInFlight != 2 {
		t.Fatalf("limits %+v", lim)
	}
	cfg.JudgeIPPerMinute = 0
	if lim := LimitsFromConfig(cfg); lim.SubmitPerIP.Burst != 0 {
		t.Fatalf("0 per minute should turn the per-address bucket off: %+v", lim.SubmitPerIP)
	}
}
