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
		{"no scenario", nil, "usage: segfault loadtest judge|ws|matches|arena"},
		{"unknown scenario", []string{"nope"}, "usage: segfault loadtest judge|ws|matches|arena"},
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
