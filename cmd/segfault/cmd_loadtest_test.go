package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestLoadtestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no scenario", nil, "usage: segfault loadtest judge|ws|matches|arena|verdict"},
		{"unknown scenario", []string{"nope"}, "usage: segfault loadtest judge|ws|matches|arena|verdict"},
		{"no target", []string{"judge"}, "exactly one of --url or --embedded"},
		{"two targets", []string{"judge", "--url", "http://127.0.0.1:1", "--embedded"}, "exactly one of --url or --embedded"},
		{"no solution", []string{"judge", "--url", "http://127.0.0.1:1", "--problem", "nope"}, "no accepted python solution"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := runLoadtest(context.Background(), tc.args, &out, &errb); code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", code, errb.String())
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("stderr %q lacks %q", errb.String(), tc.want)
			}
		})
	}
}

func TestWorkerNeedsNATS(t *testing.T) {
	t.Setenv("SEGFAULT_NATS", "")
	if code := runWorker(context.Background(), []string{"--data-dir", t.TempDir()}); code != 2 {
		t.Fatalf("worker without --nats exited %d, want 2", code)
	}
	if code := runWorker(context.Background(), []string{"--nats", "http://x"}); code != 2 {
		t.Fatalf("worker with a bad --nats exited %d, want 2", code)
	}
}

// TestLoadtestMixSmoke: `segfault loadtest judge --mix` in small: both
// configurations judge bundled submissions (figures reported, not
// asserted), with no internal error.
func TestLoadtestMixSmoke(t *testing.T) {
	var out bytes.Buffer
	sides, err := runMix(context.Background(), mixConfig{ProblemsDir: "../../problems", Langs: []string{"python", "c"}, Slots: 1,
		Duration: 2 * time.Second, Rounds: 1, Pool: 1, CacheMiB: 16, Runtime: "bare", Out: &out})
	if err != nil {
		t.Fatal(err)
	}
	printMix(&out, sides, 1)
	t.Log(out.String())
	if len(sides) != 2 {
		t.Fatalf("%d sides", len(sides))
	}
	for _, s := range sides {
		if s.Judged == 0 || s.Errors != 0 || s.Elapsed <= 0 {
			t.Errorf("%s: judged %d, errors %d, elapsed %v", s.Name, s.Judged, s.Errors, s.Elapsed)
		}
	}
	if !strings.Contains(out.String(), "on / off:") {
		t.Errorf("no ratio in %q", out.String())
	}
}

// TestLoadtestVerdictSmoke: `segfault loadtest verdict` in small, on an
// embedded arena judging on bare: the verdicts arrive and are right
// (figures printed, not asserted).
func TestLoadtestVerdictSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	url, stop, err := startLoadtestArenaWith(ctx, "../../problems", 1, "bare", 16, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	src, err := loadtestSource("", "../../problems", "range-sums", "python")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c := verdictConfig{URL: url, Problem: "range-sums", Langs: []string{"python"}, N: 1, Poll: 10 * time.Millisecond,
		Sources: map[string]string{"python": src}, Out: &out, Username: "smoke", Forwarded: "198.51.100.1"}
	res, err := measureVerdicts(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	printVerdicts(&out, c, res)
	t.Log("\n" + out.String())
	if len(res) != 1 || len(res[0].Submit) != 1 || len(res[0].Run) != 1 || res[0].Tests != 18 {
		t.Fatalf("figures %+v", res)
	}
	// A wrong solution is reported as such, not measured as a verdict.
	c.Sources["python"] = "print(0)\n"
	c.Username = "smokewrong"
	if _, err := measureVerdicts(ctx, c); err == nil || !strings.Contains(err.Error(), "python submission WA") {
		t.Fatalf("a wrong solution: %v", err)
	}
}
