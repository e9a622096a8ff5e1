package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestSandboxToolCheck(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"-sandbox-runtime", "bare", "check"}, 0},
		{[]string{"-sandbox-runtime", "bare", "cleanup"}, 0},
		{[]string{"-sandbox-runtime", "nope", "check"}, 1},
		{[]string{"frobnicate"}, 2},
		{nil, 2},
	}
	for _, c := range cases {
		if got := runSandboxTool(ctx, c.args); got != c.want {
			t.Errorf("__sandbox %v = %d, want %d", c.args, got, c.want)
		}
	}
}

// TestDoctor: `segfault doctor` on runc reports the cgroup mode, the
// runtime's version, each limit enforced, and the languages; exit 0.
func TestDoctor(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("runc needs root")
	}
	if _, err := exec.LookPath("runc"); err != nil {
		t.Skip("runc is not installed")
	}
	var out, errb bytes.Buffer
	code := runDoctor(context.Background(), []string{"--runtimes", "runc"}, &out, &errb)
	got := out.String()
	for _, want := range []string{"cgroups: ", "runc: ", "runc version", "memory limit: enforced", "processes limit: enforced", "CPU time limit: enforced", "languages: "} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	if code != 0 {
		t.Errorf("exit %d\n%s%s", code, got, errb.String())
	}
	if code := runDoctor(context.Background(), []string{"--runtimes", "nope"}, &out, &errb); code != 2 {
		t.Errorf("unknown runtime: exit %d", code)
	}
}
