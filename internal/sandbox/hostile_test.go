package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The sandbox half of the hostile-code suite: each case must end with the
// right status, leave the host untouched and the box usable right after.

// hostileRuntimes are the runtimes the suite runs on; runsc gets the subset
// marked gvisor.
// "runc+pool" is runc with every box started ahead by a Pool.
var hostileRuntimes = []string{"runc", "runc+pool", "runsc"}

func forRuntimes(t *testing.T, gvisorToo bool, f func(t *testing.T, name string, rt Runtime)) {
	for _, name := range hostileRuntimes {
		if name == "runsc" && !gvisorToo {
			continue
		}
		t.Run(name, func(t *testing.T) { f(t, name, testRuntime(t, name)) })
	}
}

// mustStillWork proves the box serves the next run at once.
func mustStillWork(t *testing.T, box Box) {
	t.Helper()
	start := time.Now()
	res, out, _ := run(t, box, Cmd{Args: sh("echo ok")})
	if res.Status != StatusOK || out != "ok\n" {
		t.Fatalf("box unusable after the attack: %+v %q", res, out)
	}
	if d := time.Since(start); d > 20*time.Second { // a run takes milliseconds; 20 s only if it waits on the attack
		t.Fatalf("next run took %v", d)
	}
}

func TestHostileMemory(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{MemoryBytes: 512 << 20})
		if err := box.WriteFile("hog", cProgram(t, "hog"), 0o755); err != nil {
			t.Fatal(err)
		}
		// 40 MiB fits in 64 MiB and is measured; 300 MiB is an MLE.
		res, _, stderr := run(t, box, Cmd{Args: []string{"./hog", "40"}, Limits: Limits{MemoryBytes: 64 << 20}})
		if res.Status != StatusOK || res.ExitCode != 0 {
			t.Fatalf("40 MiB under 64 MiB: %+v %s", res, stderr)
		}
		// Under gVisor the peak is sampled every 10 ms and may miss the
		// last allocations of a program that exits right after them.
		low := int64(40 << 20)
		if name == "runsc" {
			low = 20 << 20
		}
		if res.MemoryBytes < low || res.MemoryBytes > 64<<20 {
			t.Fatalf("peak memory %d MiB for a 40 MiB program", res.MemoryBytes>>20)
		}
		res, _, _ = run(t, box, Cmd{Args: []string{"./hog", "300"}, Limits: Limits{MemoryBytes: 64 << 20}})
		if res.Status != StatusMemoryLimitExceeded {
			t.Fatalf("300 MiB under 64 MiB: %+v", res)
		}
		mustStillWork(t, box)
	})
}

// TestHostileTmpfsMemory: a program with a tiny resident set fills /tmp
// (memory charged to the box, not to any process) past its memory limit.
// The OOM killer must pick the program, not the helper.
func TestHostileTmpfsMemory(t *testing.T) {
	forRuntimes(t, false, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{TmpBytes: 128 << 20})
		res, _, _ := run(t, box, Cmd{Args: []string{"/bin/dd", "if=/dev/zero", "of=/tmp/fill", "bs=1M", "count=100"},
			Limits: Limits{MemoryBytes: 32 << 20, FileBytes: 1 << 30}})
		if res.Status != StatusMemoryLimitExceeded {
			t.Fatalf("100 MiB of /tmp under 32 MiB: %+v", res)
		}
		mustStillWork(t, box)
	})
}

func TestHostileOutputFlood(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		var w countingWriter
		res, _, _ := run(t, box, Cmd{Args: []string{"/usr/bin/yes"}, Stdout: &w, Limits: Limits{OutputBytes: 1 << 20, CPUTime: 10 * time.Second}})
		if res.Status != StatusOutputLimitExceeded || w.n != 1<<20 {
			t.Fatalf("got %v with %d bytes forwarded, want OLE with exactly 1 MiB", res.Status, w.n)
		}
		mustStillWork(t, box)
	})
}

func TestHostileDiskFill(t *testing.T) {
	forRuntimes(t, false, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{TmpBytes: 8 << 20, WorkBytes: 8 << 20})
		for _, target := range []string{"/tmp/fill", "/work/fill"} {
			res, _, stderr := run(t, box, Cmd{Args: sh("dd if=/dev/zero of=" + target + " bs=1M count=100"), Privileged: true, Limits: Limits{FileBytes: 1 << 30}})
			if res.Status == StatusOK && res.ExitCode == 0 {
				t.Fatalf("filled %s with 100 MiB: %+v %s", target, res, stderr)
			}
		}
		// /tmp is emptied after every run; /work is the box's to keep.
		if res, _, stderr := run(t, box, Cmd{Args: sh("test ! -e /tmp/fill && rm /work/fill"), Privileged: true}); res.ExitCode != 0 {
			t.Fatalf("after the fill: %+v %s", res, stderr)
		}
		// RLIMIT_FSIZE stops one big file before the file system does.
		res, _, _ := run(t, box, Cmd{Args: []string{"/bin/dd", "if=/dev/zero", "of=/tmp/big", "bs=1M", "count=4"}, Limits: Limits{FileBytes: 1 << 20}})
		if res.Status != StatusSignaled || res.SignalName != "SIGXFSZ" {
			t.Fatalf("file over RLIMIT_FSIZE: %+v", res)
		}
		mustStillWork(t, box)
	})
}

func TestHostileForkBomb(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		if err := box.WriteFile("bomb", cProgram(t, "forkbomb"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := box.WriteFile("threads", cProgram(t, "threads"), 0o755); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res, err := box.Run(context.Background(), Cmd{Args: []string{"./bomb"}, Limits: Limits{CPUTime: time.Second, WallTime: 2 * time.Second}})
		t.Logf("%s: fork bomb ended %v after %v (wall limit 2 s)", name, res.Status, time.Since(start))
		// The bomb never ends by itself: its own CPU clock, or (starved by
		// its children) the wall clock, ends it. Under gVisor too: a run has
		// at most 64 processes there, and the box's host pids cover the
		// Sentry's stubs for them (the Sentry used to die: an internal
		// error).
		if err != nil || res.Status != StatusTimeLimitExceeded && res.Status != StatusWallTimeExceeded {
			t.Fatalf("fork bomb: %+v %v", res, err)
		}
		mustStillWork(t, box)
		// The pids limit refuses a thread: the program says how many it got.
		res, out, _ := run(t, box, Cmd{Args: []string{"./threads"}, Limits: Limits{CPUTime: 2 * time.Second, MemoryBytes: 256 << 20}})
		if res.Status != StatusOK || res.ExitCode != 1 {
			t.Fatalf("10^5 threads: %+v %s", res, out)
		}
		mustStillWork(t, box)
	})
}

func TestHostileNetwork(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
			accepted <- struct{}{}
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		if err := box.WriteFile("connect", cProgram(t, "connect"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"5432", port} {
			res, out, _ := run(t, box, Cmd{Args: []string{"./connect", p}})
			if res.Status != StatusOK || !strings.HasPrefix(out, "connect ") || out == "connect 0\n" {
				t.Fatalf("connect to 127.0.0.1:%s: %+v %q", p, res, out)
			}
		}
		res, out, _ := run(t, box, Cmd{Args: sh("cat /proc/net/dev | grep -c : ")})
		if res.Status != StatusOK || strings.TrimSpace(out) != "1" && name != "runsc" {
			t.Fatalf("interfaces: %q (want only lo)", out)
		}
	})
	select {
	case <-accepted:
		t.Fatal("a sandboxed program reached the host listener")
	default:
	}
}

func TestHostileFilesystem(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		tests := []struct {
			name   string
			script string
			priv   bool
			gvisor bool // also holds under runsc
		}{
			{"root is read-only", "touch /evil", true, true},
			{"usr is read-only", "touch /usr/evil", true, true},
			{"etc is read-only", "echo x >> /etc/passwd", true, true},
			{"no shadow", "cat /etc/shadow", false, true},
			// The gVisor release in Debian 12 lets any uid read another
			// process's environ and maps; the helper's hold nothing of the
			// host (see TestHostEnvironmentInvisible).
			{"no helper environment", "cat /proc/1/environ", false, false},
			{"no helper memory", "cat /proc/1/maps", false, false},
			{"work is not writable by the program", "touch /work/x", false, true},
			{"no worker files", "ls /run/segfault-sandbox || ls /root || ls /home", false, true},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if name == "runsc" && !tc.gvisor {
					t.Skip("not enforced by this gVisor release")
				}
				res, out, _ := run(t, box, Cmd{Args: sh(tc.script), Privileged: tc.priv})
				if res.Status == StatusOK && res.ExitCode == 0 {
					t.Fatalf("%q succeeded: %q", tc.script, out)
				}
			})
		}
		res, _, stderr := run(t, box, Cmd{Args: sh("echo x > /tmp/x && cat /tmp/x")})
		if res.Status != StatusOK || res.ExitCode != 0 {
			t.Fatalf("/tmp not writable: %+v %s", res, stderr)
		}
		if _, err := os.Stat("/evil"); err == nil {
			t.Fatal("/evil appeared on the host")
		}
	})
}

// TestHostileHostView: a box shows the base set and its binds only, names
// no host path in its mount table, hides the helper's bytes, and masks what
// tells about the host's hardware and kernel.
func TestHostileHostView(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{ExtraBinds: []string{"/usr/bin/cat", "/usr/bin/sh"}})
		prog := unwrapBox(box).(*ociBox)
		res, out, stderr := run(t, box, Cmd{Args: []string{"/usr/bin/cat", "/proc/self/mountinfo"}})
		if res.Status != StatusOK || res.ExitCode != 0 || !strings.Contains(out, "/work") {
			t.Fatalf("mountinfo: %+v %q %s", res, out, stderr)
		}
		for _, host := range []string{prog.dir, stateRoot, helperRoot, exe, filepath.Dir(exe), "sbx-"} {
			if strings.Contains(out, host) {
				t.Errorf("mountinfo names the host path %s:\n%s", host, out)
			}
		}
		// Nothing of the host but the binds: each of these exists here.
		for _, p := range []string{"/usr/local/bin", "/usr/local/etc", "/usr/share", "/usr/bin/env", "/etc/shadow", "/etc/os-release", "/root", "/home"} {
			if _, err := os.Stat(p); err != nil {
				continue
			}
			res, _, _ := run(t, box, Cmd{Args: sh("test -e " + p), Privileged: true})
			if res.Status != StatusOK || res.ExitCode == 0 {
				t.Errorf("%s is visible in the box: %+v", p, res)
			}
		}
		// The helper runs, but no program may read it.
		for _, priv := range []bool{false, true} {
			res, out, _ := run(t, box, Cmd{Args: []string{"/usr/bin/cat", containerHelper}, Privileged: priv})
			if res.Status == StatusOK && res.ExitCode == 0 || len(out) > 0 {
				t.Errorf("the helper is readable (privileged %v): %d bytes", priv, len(out))
			}
		}
		masked := []string{"/proc/iomem", "/sys/kernel/notes", "/proc/cmdline", "/proc/modules"}
		if name == "runsc" {
			masked = []string{"/proc/iomem", "/sys/kernel/notes"} // gVisor's own /proc and /sys
		}
		for _, p := range masked {
			_, out, _ := run(t, box, Cmd{Args: []string{"/usr/bin/cat", p}})
			if out != "" {
				t.Errorf("%s is not masked: %q", p, out)
			}
		}
		mustStillWork(t, box)
	})
}

// TestIPCRemovedBetweenRuns: a run leaves System V shared memory (attached
// and not, keyed and private), a message queue and a semaphore; the next
// run finds none of them, whichever uid made them.
func TestIPCRemovedBetweenRuns(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		if err := box.WriteFile("ipc", cProgram(t, "ipc"), 0o755); err != nil {
			t.Fatal(err)
		}
		for i, priv := range []bool{false, true, false} {
			res, out, stderr := run(t, box, Cmd{Args: []string{"./ipc"}, Stdin: strings.NewReader(fmt.Sprintf("run%d\n", i)), Privileged: priv})
			if res.Status != StatusOK || res.ExitCode != 0 || out != "clean\n" {
				t.Fatalf("run %d: %+v %q %s", i, res, out, stderr)
			}
		}
		mustStillWork(t, box)
	})
}

// TestWholeBoxCPU: CPU time of processes the program never waits for is
// charged to the run; past the limit, the poller ends the run as a TLE.
func TestWholeBoxCPU(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		if err := box.WriteFile("orphans", cProgram(t, "orphans"), 0o755); err != nil {
			t.Fatal(err)
		}
		// Two workers of 600 ms, done (not reaped) before the program ends:
		// 1.2 s charged (/proc counts in 10 ms ticks under gVisor: a margin
		// of 150 ms below; no noise adds CPU time to a count).
		res, out, _ := run(t, box, Cmd{Args: []string{"./orphans", "2", "600", "done"}, Limits: Limits{CPUTime: 10 * time.Second, WallTime: 5 * time.Minute}})
		if res.Status != StatusOK || out != "done\n" || res.CPUTime < 1050*time.Millisecond {
			t.Fatalf("two 600 ms workers: %+v %q, want at least 1.05 s of CPU", res, out)
		}
		// Workers that would burn 200 s under a 1 s limit while the program
		// sleeps: the poller stops them all at about 1 s (it checks every
		// 50 ms at most; 9 s of margin), long before the wall clock.
		res, _, _ = run(t, box, Cmd{Args: []string{"./orphans", "2", "100000", "sleep"}, Limits: Limits{CPUTime: time.Second, WallTime: 5 * time.Minute}})
		if res.Status != StatusTimeLimitExceeded || res.CPUTime < time.Second || res.CPUTime > 10*time.Second {
			t.Fatalf("workers under a 1 s limit: %+v", res)
		}
		mustStillWork(t, box)
	})
}

func TestHostEnvironmentInvisible(t *testing.T) {
	t.Setenv("SEGFAULT_SANDBOX_TEST_SECRET", "hunter2")
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		_, out, _ := run(t, box, Cmd{Args: sh("env; cat /proc/*/environ; cat /proc/1/cmdline"), Privileged: true})
		if strings.Contains(out, "hunter2") || strings.Contains(out, "SEGFAULT_SANDBOX") {
			t.Fatalf("host environment visible: %q", out)
		}
	})
}

func TestHostileSymlinks(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		host := t.TempDir()
		sentinel := filepath.Join(host, "sentinel")
		if err := os.WriteFile(sentinel, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		box := openBox(t, rt, BoxOptions{})
		// The build uid plants links to host paths: the host side must
		// neither read through them, write through them, nor delete
		// through them at Close.
		script := fmt.Sprintf("ln -s /etc/passwd /work/file && ln -s %s /work/dir && ln -s / /work/root && mkfifo /work/fifo", host)
		if res, _, stderr := run(t, box, Cmd{Args: sh(script), Privileged: true}); res.Status != StatusOK || res.ExitCode != 0 {
			t.Fatalf("plant: %+v %s", res, stderr)
		}
		for _, n := range []string{"file", "dir/sentinel", "root/etc/passwd", "fifo"} {
			if b, err := box.ReadFile(n, 1<<20); err == nil {
				t.Fatalf("ReadFile(%q) followed a planted link: %q", n, b)
			}
		}
		if err := box.WriteFile("dir/sentinel", []byte("owned"), 0o644); err == nil {
			t.Fatal("WriteFile wrote through a planted directory link")
		}
		if err := box.WriteFile("root/tmp/evil", []byte("owned"), 0o644); err == nil {
			t.Fatal("WriteFile wrote through a planted link to /")
		}
		// Replacing a planted link replaces the link, not its target.
		if err := box.WriteFile("file", []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := box.ReadFile("file", 100); err != nil || string(b) != "mine" {
			t.Fatalf("after replace: %q %v", b, err)
		}
		if err := box.Close(); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(sentinel); err != nil || string(b) != "keep" {
			t.Fatalf("Close touched a host file through a link: %q %v", b, err)
		}
		if _, err := os.Stat("/etc/passwd"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestHostileSetuid(t *testing.T) {
	forRuntimes(t, false, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		if err := box.WriteFile("euid", cProgram(t, "euid"), 0o755); err != nil {
			t.Fatal(err)
		}
		// The build uid makes a setuid copy in /work (nosuid); the
		// program's euid must stay its own. (/tmp is emptied between runs,
		// so a plant there cannot outlive the run that made it; it is
		// nosuid too.)
		if res, _, stderr := run(t, box, Cmd{Args: sh("cp euid /work/s && chmod 4755 /work/s"), Privileged: true}); res.ExitCode != 0 {
			t.Fatalf("setup: %+v %s", res, stderr)
		}
		res, out, _ := run(t, box, Cmd{Args: []string{"/work/s"}})
		want := fmt.Sprintf("%d %d\n", RunUID, RunUID)
		if res.Status != StatusOK || out != want {
			t.Fatalf("/work/s: %q, want %q", out, want)
		}
		_, out, _ = run(t, box, Cmd{Args: sh("grep -E ' /(tmp|work|dev/shm) ' /proc/self/mountinfo")})
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.Contains(line, "nosuid") || !strings.Contains(line, "nodev") {
				t.Errorf("mount without nosuid,nodev: %s", line)
			}
		}
		if strings.Count(out, "\n") != 3 {
			t.Errorf("mounts: %q", out)
		}
	})
}

func TestHostileAttackHelper(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		if err := box.WriteFile("attack", cProgram(t, "attack"), 0o755); err != nil {
			t.Fatal(err)
		}
		res, out, _ := run(t, box, Cmd{Args: []string{"./attack"}})
		if res.Status != StatusOK {
			t.Fatalf("%+v", res)
		}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			f := strings.Fields(line)
			if len(f) != 2 || f[1] == "0" {
				t.Errorf("%s: allowed (%q)", name, line)
			}
		}
		mustStillWork(t, box)
	})
}

func TestHostileBackgroundProcess(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		start := time.Now()
		// setsid + nohup + closed stdio: still killed when the run ends.
		res, out, _ := run(t, box, Cmd{Args: sh("setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $!")})
		if res.Status != StatusOK || time.Since(start) > 10*time.Second {
			t.Fatalf("%+v after %v", res, time.Since(start))
		}
		pid := strings.TrimSpace(out)
		res, out, _ = run(t, box, Cmd{Args: sh("ls /proc | grep -c '^[0-9]'; test -e /proc/" + pid)})
		if res.ExitCode == 0 {
			t.Fatalf("background process %s survived the run (%s processes)", pid, out)
		}
	})
}

func TestTmpEmptiedBetweenRuns(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		// Each plant alone, then all together: under runc a run that leaves
		// nothing is not cleaned up at all (the scratch file system's inode
		// and block counts prove it), so every kind of entry must change
		// those counts. A zero-byte file and an empty directory take no
		// block, only an inode; a hidden name is not missed by a glob here.
		plants := []string{
			"mkdir -p /tmp/a/b && echo x > /tmp/a/b/c",
			"echo y > /dev/shm/z",
			"ln -s /etc /tmp/l",
			": > /tmp/.hidden",
			"mkdir /tmp/emptydir",
			"mkfifo /tmp/fifo",
			"mkdir /dev/shm/d && : > /dev/shm/d/.e",
		}
		plants = append(plants, strings.Join(plants, " && "))
		for _, plant := range plants {
			if res, _, stderr := run(t, box, Cmd{Args: sh(plant)}); res.ExitCode != 0 {
				t.Fatalf("%s: %+v %s", plant, res, stderr)
			}
			// Globs, not ls: ls fails on gVisor's files in this release.
			_, out, _ := run(t, box, Cmd{Args: sh("echo /tmp/* /tmp/.[!.]* /dev/shm/* /dev/shm/.[!.]*")})
			if out != "/tmp/* /tmp/.[!.]* /dev/shm/* /dev/shm/.[!.]*\n" {
				t.Fatalf("after %q, left for the next run: %q", plant, out)
			}
		}
		if ob, ok := unwrapBox(box).(*ociBox); ok && name != "runsc" {
			if u, err := statScratch(ob.scratchFD); err != nil || u != ob.scratchFresh {
				t.Fatalf("scratch file system not back to fresh: %+v, fresh %+v (%v)", u, ob.scratchFresh, err)
			}
		}
		// A file written by the build uid (compilers use /tmp) goes too.
		if res, _, _ := run(t, box, Cmd{Args: sh("echo z > /tmp/build"), Privileged: true}); res.ExitCode != 0 {
			t.Fatalf("%+v", res)
		}
		if res, _, _ := run(t, box, Cmd{Args: sh("test ! -e /tmp/build")}); res.ExitCode != 0 {
			t.Fatal("/tmp/build left by the previous run")
		}
	})
}

func TestStreamingStdio(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		// Interactive: each answer is read before the next question is
		// written, through pipes on the host side.
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		done := make(chan Result, 1)
		go func() {
			res, err := box.Run(context.Background(), Cmd{Args: sh("while read x; do echo \"got $x\"; done"), Env: []string{"PATH=/usr/bin:/bin"},
				Stdin: inR, Stdout: outW, Limits: Limits{CPUTime: 2 * time.Second, WallTime: 10 * time.Second}})
			if err != nil {
				t.Error(err)
			}
			outW.Close()
			done <- res
		}()
		rd := bufio.NewReader(outR)
		for i := 0; i < 20; i++ {
			fmt.Fprintf(inW, "%d\n", i)
			line, err := rd.ReadString('\n')
			if err != nil || line != fmt.Sprintf("got %d\n", i) {
				t.Fatalf("round %d: %q %v", i, line, err)
			}
		}
		inW.Close()
		if res := <-done; res.Status != StatusOK || res.ExitCode != 0 {
			t.Fatalf("%+v", res)
		}
		// Bulk: 8 MiB through cat, more than the flow-control window.
		big := strings.Repeat("0123456789abcdef", 1<<19)
		var w countingWriter
		res, _, _ := run(t, box, Cmd{Args: []string{"/bin/cat"}, Stdin: strings.NewReader(big), Stdout: &w})
		if res.Status != StatusOK || w.n != int64(len(big)) {
			t.Fatalf("bulk: %+v, %d bytes out of %d", res, w.n, len(big))
		}
		// A program that ignores a large input still ends.
		res, _, _ = run(t, box, Cmd{Args: []string{"/bin/true"}, Stdin: strings.NewReader(big)})
		if res.Status != StatusOK {
			t.Fatalf("ignored input: %+v", res)
		}
		// Inputs at hand that fit in the flow-control window go with the
		// run request; larger ones and pipes are streamed. Both ways give
		// the program exactly its input, then end of input, whether it
		// reads all of it, some of it or none.
		file := filepath.Join(t.TempDir(), "input")
		for _, n := range []int{0, 1, 200 << 10, stdinWindow, stdinWindow + 1, 3 << 20} {
			data := big[:n]
			if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			inputs := map[string]io.Reader{"file": f, "bytes": bytes.NewReader([]byte(data)), "string": strings.NewReader(data),
				"pipe": io.MultiReader(strings.NewReader(data))}
			for kind, in := range inputs {
				var w countingWriter
				res, _, _ := run(t, box, Cmd{Args: []string{"/bin/cat"}, Stdin: in, Stdout: &w})
				if res.Status != StatusOK || res.ExitCode != 0 || w.n != int64(n) {
					t.Fatalf("%d bytes from a %s: %+v, %d bytes out", n, kind, res, w.n)
				}
			}
			f.Close()
			for _, args := range [][]string{{"/bin/true"}, {"/usr/bin/head", "-c", "10"}} {
				res, _, _ := run(t, box, Cmd{Args: args, Stdin: strings.NewReader(data)})
				if res.Status != StatusOK || res.ExitCode != 0 {
					t.Fatalf("%v with %d bytes of input: %+v", args, n, res)
				}
			}
		}
		// A file read from where its reader stands, not from its start.
		f, _ := os.Open(file)
		f.Seek(3<<20-5, io.SeekStart) // the file holds the last input: 3 MiB
		defer f.Close()
		_, out, _ := run(t, box, Cmd{Args: []string{"/bin/cat"}, Stdin: f})
		if out != big[(3<<20)-5:3<<20] {
			t.Fatalf("input from an offset: %q", out)
		}
	})
}

func TestUIDs(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		for _, priv := range []bool{false, true} {
			want := RunUID
			if priv {
				want = BuildUID
			}
			_, out, _ := run(t, box, Cmd{Args: []string{"/usr/bin/id", "-u"}, Privileged: priv})
			if strings.TrimSpace(out) != strconv.Itoa(want) {
				t.Fatalf("privileged=%v: uid %q, want %d", priv, out, want)
			}
		}
		// Files written by the host are readable inside; files written by a
		// privileged run are readable by the host.
		if err := box.WriteFile("src/in.txt", []byte("from host"), 0o644); err != nil {
			t.Fatal(err)
		}
		res, out, _ := run(t, box, Cmd{Args: sh("cat src/in.txt && echo made > out.txt"), Privileged: true})
		if res.ExitCode != 0 || out != "from host" {
			t.Fatalf("%+v %q", res, out)
		}
		if b, err := box.ReadFile("out.txt", 100); err != nil || string(b) != "made\n" {
			t.Fatalf("ReadFile: %q %v", b, err)
		}
		// Directories WriteFile creates belong to the build uid, which
		// compiles in them (javac writes classes next to nested sources);
		// the program still cannot write there.
		if err := box.WriteFile("pkg/deep/er/Main.java", []byte("class Main {}"), 0o644); err != nil {
			t.Fatal(err)
		}
		res, out, _ = run(t, box, Cmd{Args: sh("cd pkg/deep/er && echo c > Main.class && mkdir sub && echo ok"), Privileged: true})
		if res.ExitCode != 0 || out != "ok\n" {
			t.Fatalf("build uid in a directory made by WriteFile: %+v %q", res, out)
		}
		for _, d := range []string{"pkg", "pkg/deep", "pkg/deep/er"} {
			if res, _, _ := run(t, box, Cmd{Args: sh("touch " + d + "/x")}); res.Status == StatusOK && res.ExitCode == 0 {
				t.Fatalf("the program wrote into %s", d)
			}
		}
		if b, err := box.ReadFile("pkg/deep/er/Main.class", 100); err != nil || string(b) != "c\n" {
			t.Fatalf("ReadFile of the build's output: %q %v", b, err)
		}
	})
}

func TestCancelAndDeadHelper(t *testing.T) {
	forRuntimes(t, false, func(t *testing.T, name string, rt Runtime) {
		box := openBox(t, rt, BoxOptions{})
		// A cancelled run is a sandbox error (the caller gave up), and the
		// box serves the next run.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := box.Run(ctx, Cmd{Args: []string{"/bin/sleep", "30"}, Limits: Limits{CPUTime: 10 * time.Second}})
		if err == nil || time.Since(start) > 20*time.Second { // 0.2 s wanted; 30 s if the sleep ran out
			t.Fatalf("cancelled run: err %v after %v", err, time.Since(start))
		}
		mustStillWork(t, box)
		// Relative Dir is beneath the work dir.
		if res, _, stderr := run(t, box, Cmd{Args: sh("mkdir sub"), Privileged: true}); res.ExitCode != 0 {
			t.Fatalf("mkdir: %s", stderr)
		}
		if _, out, _ := run(t, box, Cmd{Args: []string{"/bin/pwd"}, Dir: "sub"}); out != box.WorkDir()+"/sub\n" {
			t.Fatalf("pwd in sub: %q", out)
		}
		// The runtime process dies under the box: runs fail as sandbox
		// errors, and Close still removes everything.
		ob := unwrapBox(box).(*ociBox)
		ob.cmd.Process.Kill()
		ob.toHelp.Close()
		res, err := box.Run(context.Background(), Cmd{Args: []string{"/bin/true"}})
		if err == nil || res.Status != StatusInternalError {
			t.Fatalf("run in a dead box: %+v %v", res, err)
		}
		if err := ob.Close(); err != nil { // the runtime's own Close (a pool's runs in the background)
			t.Fatalf("close of a dead box: %v", err)
		}
		if _, err := os.Stat(ob.dir); !os.IsNotExist(err) {
			t.Fatalf("box dir left: %v", err)
		}
	})
}

// TestTwoBoxesInteractive wires two boxes through host pipes, as an
// interactive problem does (validator ⇄ submission), with both runs live at
// once.
func TestTwoBoxesInteractive(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		validator := openBox(t, rt, BoxOptions{})
		submission := openBox(t, rt, BoxOptions{})
		toSub, fromVal := io.Pipe()
		toVal, fromSub := io.Pipe()
		env := []string{"PATH=/usr/bin:/bin"}
		limits := Limits{CPUTime: 2 * time.Second, WallTime: 20 * time.Second}
		type outcome struct {
			res Result
			err error
		}
		valDone := make(chan outcome, 1)
		go func() {
			res, err := validator.Run(context.Background(), Cmd{
				Args: sh(`for i in 1 2 3 4 5; do echo $i; read x; [ "$x" = "got $i" ] || exit 43; done; exit 42`),
				Env:  env, Stdin: toVal, Stdout: fromVal, Limits: limits})
			fromVal.Close() // the submission sees EOF
			valDone <- outcome{res, err}
		}()
		res, err := submission.Run(context.Background(), Cmd{
			Args: sh(`while read x; do echo "got $x"; done`),
			Env:  env, Stdin: toSub, Stdout: fromSub, Limits: limits})
		fromSub.Close()
		if err != nil || res.Status != StatusOK || res.ExitCode != 0 {
			t.Fatalf("submission: %+v %v", res, err)
		}
		v := <-valDone
		if v.err != nil || v.res.Status != StatusOK || v.res.ExitCode != 42 {
			t.Fatalf("validator: %+v %v", v.res, v.err)
		}
	})
}

// TestPeerExitsEarly: the submission exits without reading while the
// validator keeps writing; the validator must not block forever.
func TestPeerExitsEarly(t *testing.T) {
	forRuntimes(t, false, func(t *testing.T, name string, rt Runtime) {
		validator := openBox(t, rt, BoxOptions{})
		submission := openBox(t, rt, BoxOptions{})
		toSub, fromVal := io.Pipe()
		limits := Limits{CPUTime: 5 * time.Second, WallTime: 20 * time.Second}
		valDone := make(chan Result, 1)
		go func() {
			res, _ := validator.Run(context.Background(), Cmd{Args: []string{"/usr/bin/yes"}, Stdout: fromVal, Limits: limits})
			fromVal.Close()
			valDone <- res
		}()
		res, err := submission.Run(context.Background(), Cmd{Args: []string{"/bin/true"}, Stdin: toSub, Limits: limits})
		if err != nil || res.Status != StatusOK {
			t.Fatalf("submission: %+v %v", res, err)
		}
		select {
		case v := <-valDone:
			if v.Status == StatusWallTimeExceeded {
				t.Fatalf("validator ran into its wall clock: %+v", v)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("validator blocked after the submission exited")
		}
	})
}

// TestDoctor: the self-test finds every limit enforced on a working
// runtime, and reports a broken one as such.
func TestDoctor(t *testing.T) {
	forRuntimes(t, true, func(t *testing.T, name string, rt Runtime) {
		if _, pooled := rt.(*pooledRuntime); pooled {
			t.Skip("the self-test checks the runtime itself (its version, its binary)")
		}
		rep := Doctor(context.Background(), rt)
		if !rep.OK() || len(rep.Checks) != 3 || rep.Version == "" {
			t.Fatalf("%+v", rep)
		}
		for _, c := range rep.Checks {
			t.Logf("%s: %s", c.Name, c.Detail)
		}
	})
	testRuntime(t, "runc")
	broken, err := New("runc", Options{Binary: "/bin/false", StateDir: filepath.Join(testRoot, "broken", "state"), BoxDir: filepath.Join(testRoot, "broken", "boxes")})
	if err != nil {
		t.Fatal(err)
	}
	if rep := Doctor(context.Background(), broken); rep.OK() || rep.Err == nil {
		t.Fatalf("a runtime that starts nothing passed: %+v", rep)
	}
	if d, ok := RunscDate("runsc version 0.0~20221219.0"); !ok || !d.Equal(RunscOldest) {
		t.Errorf("Debian's runsc date: %v %v", d, ok)
	}
	if d, ok := RunscDate("runsc version release-20240513.0"); !ok || d.Year() != 2024 {
		t.Errorf("gVisor's own release date: %v %v", d, ok)
	}
}
