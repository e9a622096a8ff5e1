package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunCleansUpWhenStopped: `segfault run` or `segfault judge` stopped by
// SIGTERM or SIGINT during a run closes its box (container, box dir,
// mounts, cgroups); one killed by SIGKILL cannot, and the next `segfault
// run` of the same sandbox dir removes what it left.
func TestRunCleansUpWhenStopped(t *testing.T) {
	if args := os.Getenv("SEGFAULT_TEST_MAIN"); args != "" {
		os.Exit(runMain(strings.Fields(args)))
	}
	if os.Geteuid() != 0 {
		t.Skip("runc needs root")
	}
	if _, err := exec.LookPath("runc"); err != nil {
		t.Skip("runc is not installed")
	}
	// Under /run, as workers' dirs are: the box root must be searchable by
	// the containers' (user-namespaced) root, which a test temp dir is not.
	dir := fmt.Sprintf("/run/segfault-sandbox/cmd-test-%d", os.Getpid())
	t.Cleanup(func() { os.RemoveAll(dir) })
	src := filepath.Join(t.TempDir(), "sleep.c")
	if err := os.WriteFile(src, []byte("#include <unistd.h>\nint main(void) { for (;;) pause(); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(t.TempDir(), "ok.c")
	if err := os.WriteFile(ok, []byte("int main(void) { return 0; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	boxes := filepath.Join(dir, "runc", "boxes")
	sum, err := filepath.Abs(filepath.Join(judgeTestdata, "problems", "sum"))
	if err != nil {
		t.Fatal(err)
	}
	start := func(command, file string) (*exec.Cmd, *strings.Builder) {
		args := "run --time 60s"
		if command == "judge" {
			args = "judge --problem " + sum
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestRunCleansUpWhenStopped$")
		cmd.Env = append(os.Environ(), "SEGFAULT_TEST_MAIN="+args+" --sandbox-runtime runc --sandbox-dir "+dir+" "+file)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &out
	}
	// running waits until the program runs in a box (compiled: the box's
	// work dir holds ./main) and returns the box's id.
	running := func(cmd *exec.Cmd, out *strings.Builder) string {
		deadline := time.Now().Add(2 * time.Minute) // a hang-only bound
		for time.Now().Before(deadline) {
			ents, _ := os.ReadDir(boxes)
			for _, e := range ents {
				if _, err := os.Stat(filepath.Join(boxes, e.Name(), "work", "main")); err == nil {
					time.Sleep(300 * time.Millisecond) // from compiled to running
					return e.Name()
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the program never ran: %s", out)
		return ""
	}
	gone := func(id string) {
		t.Helper()
		for _, p := range []string{filepath.Join(boxes, id), filepath.Join(dir, "runc", "state", id),
			"/sys/fs/cgroup/memory/segfault-sandbox/" + id, "/sys/fs/cgroup/cpuacct/segfault-sandbox/" + id,
			"/sys/fs/cgroup/pids/segfault-sandbox/" + id, "/sys/fs/cgroup/segfault-sandbox/" + id} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("%s survives", p)
			}
		}
		if mounts, _ := os.ReadFile("/proc/self/mountinfo"); strings.Contains(string(mounts), id) {
			t.Errorf("a mount of %s survives", id)
		}
	}

	for _, c := range []struct {
		command string
		sig     syscall.Signal
	}{{"run", syscall.SIGTERM}, {"run", syscall.SIGINT}, {"judge", syscall.SIGTERM}} {
		sig := c.sig
		cmd, out := start(c.command, src)
		id := running(cmd, out)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 0 {
			t.Errorf("%s %v: exit %v, want a failure status: %s", c.command, sig, err, out)
		}
		if !strings.Contains(out.String(), "interrupted") {
			t.Errorf("%s %v: %s", c.command, sig, out)
		}
		gone(id)
	}

	cmd, out := start("run", src)
	id := running(cmd, out)
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(boxes, id)); err != nil {
		t.Fatalf("SIGKILL left nothing to clean (%v): the test proves nothing", err)
	}
	next, out := start("run", ok)
	if err := next.Wait(); err != nil {
		t.Fatalf("the next run: %v: %s", err, out)
	}
	gone(id)
}
