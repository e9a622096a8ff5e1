package sandbox

import (
	"strings"
	"testing"
)

// TestStackLimit: runaway recursion overflows the stack limit (half the
// memory limit by default) and dies of SIGSEGV, a run-time error, long
// before the memory limit; and the program cannot lift the limit.
func TestStackLimit(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{MemoryBytes: 1 << 30})
		if err := box.WriteFile("recurse", cProgram(t, "recurse"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, l := range []Limits{
			{MemoryBytes: 256 << 20},                      // default: 128 MiB of stack
			{MemoryBytes: 256 << 20, StackBytes: 8 << 20}, // explicit
		} {
			res, _, _ := run(t, box, Cmd{Args: []string{"./recurse"}, Limits: l})
			if res.Status != StatusSignaled || res.SignalName != "SIGSEGV" {
				t.Fatalf("recursion under %+v: %+v, want SIGSEGV", l, res)
			}
			if res.MemoryBytes >= l.MemoryBytes {
				t.Fatalf("recursion under %+v used %d MiB, the memory limit", l, res.MemoryBytes>>20)
			}
		}
		// The hard limit is the soft one: raising it fails. (gVisor of
		// Debian 12 ignores a prlimit of another process's stack limit; the
		// memory limit still bounds a program that raises its own.)
		if name == "runsc" {
			mustStillWork(t, box)
			return
		}
		// The hard limit arrives by prlimit right after the exec, and again
		// at the poller's first tick (50 ms here), since the end of execve
		// can undo the first one (see limits.go: a program that raises its
		// soft limit before that is still bound by the memory limit); hence
		// the nap.
		_, out, _ := run(t, box, Cmd{Args: sh("sleep 0.2; ulimit -s; ulimit -s unlimited 2>/dev/null && echo raised; ulimit -Hs"), Limits: Limits{MemoryBytes: 64 << 20}})
		if f := strings.Fields(out); len(f) != 2 || f[0] != "32768" || f[1] != "32768" {
			t.Fatalf("stack limits seen by the program: %q, want 32768 (KiB) soft and hard, not raised", out)
		}
		mustStillWork(t, box)
	})
}
