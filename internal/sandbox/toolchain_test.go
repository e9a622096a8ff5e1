package sandbox

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// TestToolchainsInBox resolves each installed toolchain and runs its
// version command inside a runc box with the returned binds.
func TestToolchainsInBox(t *testing.T) {
	ctx := context.Background()
	cases := []struct{ cmd, arg, want string }{
		{"gcc", "--version", "gcc"},
		{"g++", "--version", "g++"},
		{"python3", "--version", "Python 3"},
		{"node", "--version", "v"},
		{"javac", "-version", "javac"},
		{"java", "-version", "version"},
		{"go", "version", "go version"},
		{"rustc", "--version", "rustc"},
	}
	var cmds []string
	for _, c := range cases {
		if _, err := exec.LookPath(c.cmd); err == nil {
			cmds = append(cmds, c.cmd)
		}
	}
	found, binds, err := ResolveToolchains(ctx, cmds...)
	if err != nil {
		t.Fatal(err)
	}
	rt := testRuntime(t, "runc")
	box := openBox(t, rt, BoxOptions{ExtraBinds: binds})
	for _, c := range cases {
		tc, ok := found[c.cmd]
		if !ok {
			continue // not installed on this host
		}
		t.Run(c.cmd, func(t *testing.T) {
			// The JVM reserves far more address space than it uses; the
			// cgroup, not RLIMIT_AS, is the limit in a box.
			res, out, stderr := run(t, box, Cmd{Args: []string{tc.Path, c.arg}, Env: []string{"PATH=/usr/bin:/bin", "HOME=/tmp", "GOCACHE=/tmp/gocache"},
				Privileged: true, Limits: Limits{MemoryBytes: 1 << 30, Pids: 64}})
			if res.Status != StatusOK || res.ExitCode != 0 || !strings.Contains(out+stderr, c.want) {
				t.Fatalf("%s %s in a box (binds %v): %+v %q %q", tc.Path, c.arg, tc.Binds, res, out, stderr)
			}
		})
	}
}

func TestResolveToolchainErrors(t *testing.T) {
	if _, err := ResolveToolchain(context.Background(), "no-such-compiler-xyz"); err == nil {
		t.Fatal("missing toolchain resolved")
	}
	for _, b := range []string{"/", "/root", "/etc", "relative"} {
		if err := checkBind(b); err == nil {
			t.Errorf("checkBind(%q) allowed", b)
		}
	}
}
