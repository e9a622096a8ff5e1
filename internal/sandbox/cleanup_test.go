package sandbox

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCleanupAfterCrash kills a worker (a child process holding an open
// box) and its runtime process without any chance to clean up, then checks
// that Cleanup at the next start removes the container, its box dir (with
// its work tmpfs) and its cgroups.
func TestCleanupAfterCrash(t *testing.T) {
	if dir := os.Getenv("SANDBOX_CRASH_CHILD"); dir != "" {
		crashChild(dir)
		return
	}
	testRuntime(t, "runc") // skips when runc is unusable
	dir := filepath.Join(testRoot, "crash")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCleanupAfterCrash$")
	cmd.Env = append(os.Environ(), "SANDBOX_CRASH_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var id string
	var runtimePid int
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "box %s %d", &id, &runtimePid); err == nil {
			break
		}
	}
	if id == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child did not open a box")
	}
	// The runtime first, so it cannot tidy up when its container ends (a
	// detached runc has already exited: 0).
	if runtimePid > 0 {
		syscall.Kill(runtimePid, syscall.SIGKILL)
	}
	cmd.Process.Kill()
	cmd.Wait()

	boxDir := filepath.Join(dir, "boxes", id)
	if _, err := os.Stat(boxDir); err != nil {
		t.Fatalf("the crash left nothing to clean (%v): the test proves nothing", err)
	}
	rt, err := New("runc", Options{StateDir: filepath.Join(dir, "state"), BoxDir: filepath.Join(dir, "boxes")})
	if err != nil {
		t.Fatal(err)
	}
	// The helper dies when its input closes; give it a moment, as a
	// restarting worker would.
	deadline := time.Now().Add(5 * time.Second)
	for {
		err = rt.Cleanup(context.Background())
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("cleanup: %v", err)
	}
	if _, err := os.Stat(boxDir); !os.IsNotExist(err) {
		t.Errorf("box dir survives: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "state", id)); !os.IsNotExist(err) {
		t.Errorf("container state survives: %v", err)
	}
	for _, c := range []string{"memory", "pids", "cpu", "freezer"} {
		p := filepath.Join(hostCgroups.root, c, cgroupParent, id)
		if _, err := os.Stat(p); err == nil {
			t.Errorf("cgroup %s survives", p)
		}
	}
	mounts, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(mounts), id) {
		t.Errorf("a mount of %s survives", id)
	}
}

func crashChild(dir string) {
	rt, err := New("runc", Options{StateDir: filepath.Join(dir, "state"), BoxDir: filepath.Join(dir, "boxes")})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	b, err := rt.Open(context.Background(), BoxOptions{ExtraBinds: testBinds})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	box := b.(*ociBox)
	// A program left running in the box, as at a crash mid-test.
	go box.Run(context.Background(), Cmd{Args: []string{"/bin/sleep", "1000"}, Limits: Limits{CPUTime: time.Hour}})
	time.Sleep(200 * time.Millisecond)
	runtimePid := 0
	if !box.detached() {
		runtimePid = box.cmd.Process.Pid
	}
	fmt.Printf("box %s %d\n", box.id, runtimePid)
	select {}
}

// TestCleanupSparesLiveBoxes: a Cleanup by another runtime (another worker
// process sharing the dirs) must not touch a box that is alive.
func TestCleanupSparesLiveBoxes(t *testing.T) {
	testRuntime(t, "runc")
	dir := filepath.Join(testRoot, "shared")
	opts := Options{StateDir: filepath.Join(dir, "state"), BoxDir: filepath.Join(dir, "boxes")}
	rt1, err := New("runc", opts)
	if err != nil {
		t.Fatal(err)
	}
	rt2, err := New("runc", opts)
	if err != nil {
		t.Fatal(err)
	}
	box := openBox(t, rt1, BoxOptions{})
	if err := rt2.Cleanup(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustStillWork(t, box)
}

// TestSweepSparesLiveBoxes: another process (another worker, or another
// worktree's tests on a shared machine) opens, uses and closes boxes in the
// same dirs without a pause while this one sweeps them without a pause:
// none of its boxes may be touched, not even between a box dir's creation
// and its lock.
func TestSweepSparesLiveBoxes(t *testing.T) {
	if dir := os.Getenv("SANDBOX_SWEEP_CHILD"); dir != "" {
		sweepChild(dir)
		return
	}
	testRuntime(t, "runc")
	dir := filepath.Join(testRoot, "sweep")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSweepSparesLiveBoxes$")
	cmd.Env = append(os.Environ(), "SANDBOX_SWEEP_CHILD="+dir)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	sweeps := 0
	for {
		select {
		case err := <-done:
			if err != nil || !strings.Contains(out.String(), "child ok") {
				t.Fatalf("the other process failed after %d sweeps: %v\n%q", sweeps, err, out.String())
			}
			if sweeps < 10 {
				t.Fatalf("only %d sweeps ran meanwhile: the test proves little", sweeps)
			}
			t.Logf("%d sweeps while the other process worked", sweeps)
			return
		default:
		}
		// A fresh runtime each time, as a newly started process has.
		rt, err := New("runc", Options{StateDir: filepath.Join(dir, "state"), BoxDir: filepath.Join(dir, "boxes")})
		if err != nil {
			t.Fatal(err)
		}
		if err := rt.Cleanup(context.Background()); err != nil {
			t.Errorf("sweep: %v", err)
		}
		sweeps++
	}
}

// sweepChild keeps one box open and opens, runs and closes 20 more; any
// failure is printed.
func sweepChild(dir string) {
	rt, err := New("runc", Options{StateDir: filepath.Join(dir, "state"), BoxDir: filepath.Join(dir, "boxes")})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	ctx := context.Background()
	check := func(b Box) {
		var out strings.Builder
		res, err := b.Run(ctx, Cmd{Args: []string{"/bin/echo", "hi"}, Stdout: &out, Limits: Limits{CPUTime: 5 * time.Second}})
		if err != nil || res.Status != StatusOK || out.String() != "hi\n" {
			fmt.Printf("run: %+v %v %q\n", res, err, out.String())
			os.Exit(1)
		}
	}
	long, err := rt.Open(ctx, BoxOptions{ExtraBinds: []string{"/usr/bin/echo"}})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	for i := 0; i < 20; i++ {
		b, err := rt.Open(ctx, BoxOptions{ExtraBinds: []string{"/usr/bin/echo"}})
		if err != nil {
			fmt.Println("open:", err)
			os.Exit(1)
		}
		check(b)
		if err := b.Close(); err != nil {
			fmt.Println("close:", err)
			os.Exit(1)
		}
		check(long)
	}
	if err := long.Close(); err != nil {
		fmt.Println("close:", err)
		os.Exit(1)
	}
	fmt.Println("child ok")
}
