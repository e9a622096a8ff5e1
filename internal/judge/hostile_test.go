package judge

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// The judge half of the hostile-code suite: whole submissions, judged end
// to end on a real sandbox. Each case must end with an allowed verdict, and
// the judge must accept a correct submission right after it.

type hostileCase struct {
	name, lang, file string
	// tests are input/answer pairs; inputs may use the placeholders filled
	// by hostileEnv.
	tests      [][2]string
	want       []Verdict
	gvisor     bool // part of the runsc smoke subset
	gvisorOnly bool // only on runsc
	check      func(t *testing.T, env *hostileEnv, res *Result)
}

// hostileEnv holds the host-side bait the cases aim at.
type hostileEnv struct {
	secretFile string // a worker file the program must not read
	// localCanary is a host file outside every toolchain (in
	// /usr/local/etc): no box may show it, not even in a compiler error.
	localCanary, localCanaryText string
	canaryFile                   string // target of planted symlinks: must stay intact
	canaryDir                    string
	listener                     net.Listener
	repl                         *strings.Replacer
}

const canaryText = "canary: the host side never follows a planted link\n"

func newHostileEnv(t *testing.T) *hostileEnv {
	dir := t.TempDir()
	env := &hostileEnv{
		secretFile: filepath.Join(dir, "worker-secret.txt"),
		canaryFile: filepath.Join(dir, "canary.txt"),
		canaryDir:  filepath.Join(dir, "canary-dir"),
	}
	mustWrite(t, env.secretFile, "worker secret\n")
	if err := os.MkdirAll("/usr/local/etc", 0o755); err != nil {
		t.Fatal(err)
	}
	env.localCanary = fmt.Sprintf("/usr/local/etc/segfault-canary-%d.h", os.Getpid())
	env.localCanaryText = fmt.Sprintf("local canary %d", os.Getpid())
	mustWrite(t, env.localCanary, env.localCanaryText+"\n")
	t.Cleanup(func() { os.Remove(env.localCanary) })
	mustWrite(t, env.canaryFile, canaryText)
	mustWrite(t, filepath.Join(env.canaryDir, "inside.txt"), canaryText)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() { // accept and drop, so a connection that got through is seen as connected
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	env.listener = ln
	exe, _ := os.Executable()
	selfSource, _ := filepath.Abs(filepath.Join("testdata", "sum", "sum.c"))
	env.repl = strings.NewReplacer(
		"{secret}", env.secretFile,
		"{local_canary}", env.localCanary,
		"{exe}", exe,
		"{worker_source}", selfSource,
		"{canary_file}", env.canaryFile,
		"{canary_dir}", env.canaryDir,
		"{port}", fmt.Sprint(ln.Addr().(*net.TCPAddr).Port),
	)
	// The environment of the worker; a program that prints its own
	// environment must not see it.
	t.Setenv("SEGFAULT_HOST_CANARY", "leaked")
	return env
}

func (env *hostileEnv) checkCanaries(t *testing.T) {
	for _, f := range []string{env.canaryFile, filepath.Join(env.canaryDir, "inside.txt")} {
		b, err := os.ReadFile(f)
		if err != nil || string(b) != canaryText {
			t.Errorf("host file %s changed: %q %v", f, b, err)
		}
	}
}

var allowedEnv = []string{"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING",
	"PWD", "SHLVL", "_", "OLDPWD"} // the last ones are set by a shell, if any

func checkEnv(t *testing.T, env *hostileEnv, res *Result) {
	if len(res.Tests) != 1 {
		t.Fatalf("no test result")
	}
	out := res.Tests[0].Stderr
	if strings.Contains(out, "SEGFAULT_HOST_CANARY") || strings.Contains(out, "leaked") {
		t.Errorf("host environment visible: %q", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, _, _ := strings.Cut(line, "=")
		if !slices.Contains(allowedEnv, k) {
			t.Errorf("unexpected variable %q in the box", line)
		}
	}
}

// hostFiles are the host files (and the helper binary, the memory map,
// the kernel's notes and command line) a program tries to read; all must
// be denied, absent or empty.
var hostFiles = []string{"/etc/shadow", "/proc/1/environ", "{secret}", "{worker_source}", "{exe}", "{local_canary}",
	"/usr/local/etc/npmrc", "/.sandbox/helper", "/proc/iomem", "/sys/kernel/notes", "/proc/cmdline"}

// hostFilesTest is the readfiles test over paths; gVisor shows
// /proc/1/environ to every uid (mode 0444), so on runsc the "pid 1
// environment" case checks what it holds instead, and its /proc/cmdline is
// its own (no host's).
func hostFilesTest(gvisor bool) [][2]string {
	var in, ans []string
	for _, p := range hostFiles {
		if gvisor && (p == "/proc/1/environ" || p == "/proc/cmdline") {
			continue
		}
		in = append(in, p)
		ans = append(ans, p+" denied\n")
	}
	return [][2]string{{strings.Join(in, " "), strings.Join(ans, "")}}
}

// checkNoCanary: a compile error names the missing or unreadable file but
// quotes nothing of it.
func checkNoCanary(t *testing.T, env *hostileEnv, res *Result) {
	if strings.Contains(res.Message, env.localCanaryText) || strings.Contains(res.Message, "ELF") {
		t.Errorf("the compiler error quotes a host file: %s", res.Message)
	}
	if !strings.Contains(res.Message, "No such file") && !strings.Contains(res.Message, "Permission denied") {
		t.Errorf("want a missing or unreadable file: %s", res.Message)
	}
}

// checkMountinfo: the mount table (on stderr) names no host path.
func checkMountinfo(t *testing.T, env *hostileEnv, res *Result) {
	if len(res.Tests) != 1 {
		t.Fatalf("no test result")
	}
	out := res.Tests[0].Stderr
	exe, _ := os.Executable()
	wd, _ := os.Getwd()
	for _, host := range []string{"segfault-sandbox", "sbx-", filepath.Dir(exe), wd, "/var/cache", "/root"} {
		if strings.Contains(out, host) {
			t.Errorf("mountinfo names the host path %s:\n%s", host, out)
		}
	}
}

func checkProc1Env(t *testing.T, env *hostileEnv, res *Result) {
	if len(res.Tests) != 1 || strings.Contains(res.Tests[0].Stderr, "SEGFAULT_HOST_CANARY") {
		t.Errorf("pid 1 environment shows the host's: %+v", res.Tests)
	}
}

var hostileCases = []hostileCase{
	// A fork bomb never ends by itself: the pids limit holds it (256
	// processes: RLIMIT_NPROC, inside the box's cgroup pids limit; at most
	// 64 under gVisor) and the clock or the memory limit ends it. Its
	// memory is kernel memory charged to the box: 256 idle C processes take
	// about 26 MiB, but 256 processes failing fork() in a loop keep 205–235
	// MiB charged (measured on runc, limit 256 MiB), the half-built children
	// (task, kernel stack) waiting to be freed after an RCU grace period,
	// which grows with the machine's load. So whether the clock or the
	// limit comes first depends on the load: both verdicts are true.
	// Python's forked interpreters dirty their copy-on-write pages
	// (reference counts): MLE there too.
	{name: "fork bomb c", lang: "c", file: "forkbomb.c", want: []Verdict{TLE, MLE}, gvisor: true},
	{name: "fork bomb python", lang: "python", file: "forkbomb.py", want: []Verdict{TLE, MLE}},
	{name: "memory bomb c", lang: "c", file: "membomb.c", want: []Verdict{MLE}, gvisor: true},
	{name: "memory bomb python", lang: "python", file: "membomb.py", want: []Verdict{MLE}, gvisor: true},
	{name: "memory bomb java", lang: "java", file: "MemBomb.java", want: []Verdict{MLE}},
	{name: "memory bomb node", lang: "javascript", file: "membomb.js", want: []Verdict{MLE}},
	{name: "infinite loop c", lang: "c", file: "loop.c", want: []Verdict{TLE}, gvisor: true},
	{name: "infinite loop python", lang: "python", file: "loop.py", want: []Verdict{TLE}, gvisor: true},
	{name: "infinite loop java", lang: "java", file: "Loop.java", want: []Verdict{TLE}},
	// CPU time of workers the program never waits for counts: TLE.
	{name: "unwaited workers c", lang: "c", file: "orphans.c", want: []Verdict{TLE}, gvisor: true, check: cpuOver},
	{name: "unwaited workers python", lang: "python", file: "orphans.py", want: []Verdict{TLE}, check: cpuOver},
	{name: "sleep forever c", lang: "c", file: "sleep.c", want: []Verdict{TLE}, gvisor: true, check: wallClockTLE},
	{name: "sleep forever python", lang: "python", file: "sleep.py", want: []Verdict{TLE}, check: wallClockTLE},
	{name: "output flood c", lang: "c", file: "flood.c", want: []Verdict{OLE}, gvisor: true},
	{name: "output flood python", lang: "python", file: "flood.py", want: []Verdict{OLE}},
	// The work dir is read-only for the program; /tmp and /dev/shm fill up
	// (or the file size limit stops one file first): an error exit.
	{name: "disk fill c", lang: "c", file: "diskfill.c", want: []Verdict{RE}, gvisor: true},
	{name: "disk fill python", lang: "python", file: "diskfill.py", want: []Verdict{RE}},
	{name: "read host files c", lang: "c", file: "readfiles.c", tests: hostFilesTest(false), want: []Verdict{AC}},
	{name: "read host files c gvisor", lang: "c", file: "readfiles.c", gvisor: true, gvisorOnly: true,
		tests: hostFilesTest(true), want: []Verdict{AC}},
	{name: "read host files python", lang: "python", file: "readfiles.py", tests: hostFilesTest(false), want: []Verdict{AC}},
	// A box shows only its toolchain: a compiler error cannot quote a host
	// file outside it, nor the helper; the mount table names no host path.
	{name: "include host file c", lang: "c", file: "hostinclude.c", gvisor: true, want: []Verdict{CE}, check: checkNoCanary},
	{name: "include helper c", lang: "c", file: "helperinclude.c", gvisor: true, want: []Verdict{CE}, check: checkNoCanary},
	{name: "mount table c", lang: "c", file: "mountinfo.c", gvisor: true, tests: [][2]string{{"", "ok\n"}}, want: []Verdict{AC}, check: checkMountinfo},
	{name: "pid 1 environment", lang: "python", file: "proc1env.py", gvisor: true,
		tests: [][2]string{{"", "ok\n"}}, want: []Verdict{AC}, check: checkProc1Env},
	{name: "network c", lang: "c", file: "connect.c", gvisor: true,
		tests: [][2]string{{"5432 {port} 4222 6379", "5432 failed\n{port} failed\n4222 failed\n6379 failed\n"}}, want: []Verdict{AC}},
	{name: "network python", lang: "python", file: "connect.py",
		tests: [][2]string{{"5432 {port}", "5432 failed\n{port} failed\n"}}, want: []Verdict{AC}},
	// Only unix, inet and inet6 sockets (netlink 16, packet 17, vsock 40,
	// bluetooth 31, alg 38 are refused); no new namespaces, so no raw
	// sockets inside one either.
	{name: "socket families c", lang: "c", file: "families.c", gvisor: true,
		tests: [][2]string{{"1 2 10 16 17 40 31 38", "1 allowed\n2 allowed\n10 allowed\n16 denied\n17 denied\n40 denied\n31 denied\n38 denied\n"}}, want: []Verdict{AC}},
	{name: "socket families python", lang: "python", file: "families.py",
		tests: [][2]string{{"1 16 17 40", "1 allowed\n16 denied\n17 denied\n40 denied\n"}}, want: []Verdict{AC}},
	{name: "user namespace c", lang: "c", file: "namespaces.c", gvisor: true,
		tests: [][2]string{{"", "clone denied\nclone3 denied\nunshare denied\n"}}, want: []Verdict{AC}},
	// System V IPC: every test starts with none (the helper removes what a
	// run left; kernel.shm_rmid_forced drops detached segments).
	{name: "ipc between tests c", lang: "c", file: "ipc.c", gvisor: true,
		tests: [][2]string{{"first", "clean\n"}, {"second", "clean\n"}, {"third", "clean\n"}}, want: []Verdict{AC}},
	{name: "ipc between tests python", lang: "python", file: "ipc.py",
		tests: [][2]string{{"first", "clean\n"}, {"second", "clean\n"}}, want: []Verdict{AC}},
	{name: "planted symlinks c", lang: "c", file: "symlinks.c", gvisor: true,
		tests: [][2]string{{"{canary_file} {canary_dir}", "ok\n"}}, want: []Verdict{AC},
		check: func(t *testing.T, env *hostileEnv, res *Result) { env.checkCanaries(t) }},
	{name: "planted symlinks python", lang: "python", file: "symlinks.py",
		tests: [][2]string{{"{canary_file} {canary_dir}", "ok\n"}}, want: []Verdict{AC},
		check: func(t *testing.T, env *hostileEnv, res *Result) { env.checkCanaries(t) }},
	{name: "setuid in tmp c", lang: "c", file: "setuid.c", tests: [][2]string{{"", "no-effect\n"}}, want: []Verdict{AC}},
	{name: "setuid in tmp python", lang: "python", file: "setuid.py", tests: [][2]string{{"", "no-effect\n"}}, want: []Verdict{AC}},
	{name: "kill and trace c", lang: "c", file: "killtrace.c",
		tests: [][2]string{{"", "kill-init denied\ntrace-init denied\ntraceme denied\n"}}, want: []Verdict{AC}},
	{name: "kill python", lang: "python", file: "killtrace.py", gvisor: true,
		tests: [][2]string{{"", "kill-init denied\n"}}, want: []Verdict{AC}},
	{name: "background process c", lang: "c", file: "background.c", gvisor: true,
		tests: [][2]string{{"1", "spawned\n"}, {"2", "alone\n"}}, want: []Verdict{AC}},
	{name: "background process python", lang: "python", file: "background.py",
		tests: [][2]string{{"1", "spawned\n"}, {"2", "alone\n"}}, want: []Verdict{AC}},
	{name: "include dev random c", lang: "c", file: "devrandom.c", want: []Verdict{CE}},
	{name: "include dev random cpp", lang: "cpp", file: "devrandom.cpp", want: []Verdict{CE}},
	{name: "template bomb", lang: "cpp", file: "templatebomb.cpp", want: []Verdict{CE},
		check: func(t *testing.T, env *hostileEnv, res *Result) {
			if res.CompileTime > CompileWallTime+5*time.Second {
				t.Errorf("compile bomb ran %v, over the compile limit", res.CompileTime)
			}
		}},
	// The stack limit (half the memory limit) stops runaway recursion before
	// the memory limit: SIGSEGV. Python's own recursion limit raises
	// RecursionError first; lifted, the interpreter's C stack overflows.
	// The JVM and V8 size their own stacks (StackOverflowError, RangeError).
	{name: "deep recursion c", lang: "c", file: "recursion.c", want: []Verdict{RE}, gvisor: true, check: signalled("SIGSEGV")},
	{name: "deep recursion python", lang: "python", file: "recursion.py", want: []Verdict{RE}, gvisor: true},
	{name: "deep recursion python, no limit", lang: "python", file: "recursion_deep.py", want: []Verdict{RE}, check: signalled("SIGSEGV")},
	{name: "deep recursion java", lang: "java", file: "Recursion.java", want: []Verdict{RE}},
	{name: "deep recursion node", lang: "javascript", file: "recursion.js", want: []Verdict{RE}},
	{name: "100k threads c", lang: "c", file: "threads.c", want: []Verdict{RE, MLE}},
	{name: "100k threads python", lang: "python", file: "threads.py", want: []Verdict{RE, MLE}},
	{name: "100k threads java", lang: "java", file: "Threads.java", want: []Verdict{RE, MLE}},
	{name: "environment c", lang: "c", file: "env.c", tests: [][2]string{{"", "ok\n"}}, want: []Verdict{AC}, gvisor: true, check: checkEnv},
	{name: "environment python", lang: "python", file: "env.py", tests: [][2]string{{"", "ok\n"}}, want: []Verdict{AC}, gvisor: true, check: checkEnv},
	{name: "environment node", lang: "javascript", file: "env.js", tests: [][2]string{{"", "ok\n"}}, want: []Verdict{AC}, check: checkEnv},
}

// cpuOver: the TLE is the CPU clock's (the workers' time). A host so
// loaded that the box got less than the limit's CPU time within the wall
// clock proves nothing either way (the sandbox suite's TestWholeBoxCPU
// proves it with a wall clock no load reaches).
func cpuOver(t *testing.T, env *hostileEnv, res *Result) {
	if strings.Contains(res.Message, "wall") {
		t.Logf("starved: the wall clock ran out first (%s)", res.Message)
		return
	}
	if n := len(res.Tests); n == 0 || res.Tests[n-1].CPUTime < time.Second {
		t.Errorf("want a CPU time TLE of at least the 1 s limit: %s", summary(res))
	}
}

func wallClockTLE(t *testing.T, env *hostileEnv, res *Result) {
	if !strings.Contains(res.Message, "wall") {
		t.Errorf("sleeping should be a wall-clock TLE: %s", res.Message)
	}
}

func signalled(sig string) func(t *testing.T, env *hostileEnv, res *Result) {
	return func(t *testing.T, env *hostileEnv, res *Result) {
		if n := len(res.Tests); n == 0 || res.Tests[n-1].Signal != sig {
			t.Errorf("want the run killed by %s: %s", sig, summary(res))
		}
	}
}

func TestHostileRunc(t *testing.T) { runHostile(t, "runc", false) }

// TestHostileRuncPool is the same suite on boxes a pool started ahead: a
// pooled box must hold every guarantee of a box opened for the submission.
func TestHostileRuncPool(t *testing.T) { runHostile(t, "runc+pool", false) }

// TestHostileRunsc is the gVisor smoke subset (slower to start).
func TestHostileRunsc(t *testing.T) {
	if testing.Short() {
		t.Skip("runsc suite skipped in -short mode")
	}
	runHostile(t, "runsc", true)
}

func runHostile(t *testing.T, runtime string, gvisorOnly bool) {
	j := newTestJudge(t, runtime)
	if pool, ok := j.runtime.(*sandbox.Pool); ok {
		// After every case (cleanups run after the parallel subtests).
		t.Cleanup(func() {
			if s := pool.Stats(); s.Direct != 0 || s.Ready+s.Waited == 0 {
				t.Errorf("pool %+v: every box of the suite should have been a pooled one", s)
			}
		})
	}
	env := newHostileEnv(t)
	sum := sumProblem(t, 1)
	healthy := Submission{Lang: "c", Source: readTestdata(t, "sum/sum.c")}
	for _, c := range hostileCases {
		if gvisorOnly && !c.gvisor || !gvisorOnly && c.gvisorOnly {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tests := c.tests
			if tests == nil {
				tests = [][2]string{{"1 2\n", "3\n"}}
			}
			var filled [][2]string
			for _, tc := range tests {
				filled = append(filled, [2]string{env.repl.Replace(tc[0]), env.repl.Replace(tc[1])})
			}
			// Cases that should end otherwise than TLE get a longer clock, so
			// that a starved machine does not turn them into wall-clock TLEs.
			tl := 3 * time.Second
			if slices.Contains(c.want, TLE) {
				tl = time.Second
			}
			p := writeProblem(t, tl, 256<<20, filled...)
			p.OutputBytes = 1 << 20
			start := time.Now()
			src := env.repl.Replace(string(readTestdata(t, "hostile/"+c.file)))
			res := judgeOK(t, j, p, Submission{Lang: c.lang, Source: []byte(src)}, Options{})
			took := time.Since(start)
			if !slices.Contains(c.want, res.Verdict) {
				t.Fatalf("want one of %v, got %s", c.want, summary(res))
			}
			if c.check != nil {
				c.check(t, env, res)
			}
			// The worker is healthy: the next submission is judged at once.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			next, err := j.Judge(ctx, sum, healthy, Options{})
			if err != nil || next.Verdict != AC {
				t.Fatalf("next submission after %s: %v %s", c.name, err, summary(next))
			}
			t.Logf("%s: %s in %v (%s)", c.name, res.Verdict, took.Round(time.Millisecond), firstLine(res.Message))
		})
	}
}
