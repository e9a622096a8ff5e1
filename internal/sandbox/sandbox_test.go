package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Tests run the real runtimes. They need root, runc (and runsc for the
// gVisor subset) and gcc for the C test programs; each is skipped with the
// reason when missing.

var testRoot = fmt.Sprintf("/run/segfault-sandbox/test-%d", os.Getpid())

func TestMain(m *testing.M) {
	code := m.Run()
	for _, p := range testPools {
		p.Close()
	}
	ReleaseHelper()
	// Boxes are closed by the tests; this removes the state and box roots
	// (and proves they hold nothing that unlinking cannot remove).
	removeTree(testRoot)
	if cDir != "" {
		os.RemoveAll(cDir) // our own temporary dir of compiled test programs
	}
	os.Exit(code)
}

var (
	rtMu  sync.Mutex
	rtMap = map[string]Runtime{}
)

// pooledRuntime hands out only boxes its pool started in the background:
// "runc+pool", the hostile suite against pooled boxes.
type pooledRuntime struct {
	Runtime
	pool *Pool
}

func (r *pooledRuntime) Open(ctx context.Context, opts BoxOptions) (Box, error) {
	r.pool.Warm(opts) // a start under way (or a box waiting) for this kind
	return r.pool.Open(ctx, opts)
}

var testPools []*Pool

// testRuntime returns the shared runtime called name, or skips the test.
func testRuntime(t testing.TB, name string) Runtime {
	t.Helper()
	if name == "runc+pool" {
		base := testRuntime(t, "runc")
		rtMu.Lock()
		defer rtMu.Unlock()
		if rt, ok := rtMap[name]; ok {
			return rt
		}
		pool := NewPool(base, 1)
		testPools = append(testPools, pool)
		rt := &pooledRuntime{Runtime: base, pool: pool}
		rtMap[name] = rt
		return rt
	}
	rtMu.Lock()
	defer rtMu.Unlock()
	if rt, ok := rtMap[name]; ok {
		if rt == nil {
			if name == "runc" {
				t.Fatal("runc cannot start a box (see the first test that tried it)")
			}
			t.Skipf("%s unusable here (see the first test that tried it)", name)
		}
		return rt
	}
	rt, err := New(name, Options{
		StateDir: filepath.Join(testRoot, name, "state"),
		BoxDir:   filepath.Join(testRoot, name, "boxes"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := rt.Check(ctx); err != nil {
		rtMap[name] = nil
		t.Skipf("%s unusable here: %v", name, err)
	}
	// Probe once: a runtime that is installed but cannot start a container
	// here (runsc on some kernels) is skipped with its error.
	box, err := rt.Open(ctx, BoxOptions{ExtraBinds: testBinds})
	if err != nil {
		rtMap[name] = nil
		if name == "runc" {
			// Installed and usable as far as Check can tell: failing to
			// start a box is a bug, not a missing dependency.
			t.Fatalf("runc cannot start a box: %v", err)
		}
		t.Skipf("%s cannot start a box here: %v", name, err)
	}
	box.Close()
	rtMap[name] = rt
	return rt
}

// testBinds are what test boxes show of the host besides the base set: the
// shell and the tools of /usr/bin the tests run.
var testBinds = []string{"/usr/bin"}

// openBox opens a box for a test, with testBinds unless opts names binds.
func openBox(t testing.TB, rt Runtime, opts BoxOptions) Box {
	t.Helper()
	if opts.ExtraBinds == nil {
		opts.ExtraBinds = testBinds
	}
	box, err := rt.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := box.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return box
}

// run runs a command and fails the test on a sandbox error.
// hangWall is the wall clock of test runs that check something other than
// time: long enough that no load reaches it, short enough to end a hang.
const hangWall = 2 * time.Minute

func run(t testing.TB, box Box, cmd Cmd) (Result, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if cmd.Stdout == nil {
		cmd.Stdout = &out
	}
	if cmd.Stderr == nil {
		cmd.Stderr = &errb
	}
	if cmd.Limits.CPUTime == 0 {
		cmd.Limits.CPUTime = 2 * time.Second
	}
	if cmd.Limits.WallTime == 0 {
		// Hang-only: the default (2 × CPU + 1 s) is a judge's figure, and
		// at load 40 even /bin/true took more than 3 s of wall time.
		cmd.Limits.WallTime = hangWall
	}
	if cmd.Env == nil {
		cmd.Env = []string{"PATH=/usr/bin:/bin"}
	}
	res, err := box.Run(context.Background(), cmd)
	if err != nil {
		t.Fatalf("run %v: %v", cmd.Args, err)
	}
	return res, out.String(), errb.String()
}

func sh(script string) []string { return []string{"/bin/sh", "-c", script} }

// C test programs, compiled once on the host with gcc.
var cPrograms = map[string]string{
	"hog": `#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
	long mb = atol(argv[1]);
	for (long i = 0; i < mb; i++) { char *p = malloc(1 << 20); if (!p) return 3; memset(p, 1, 1 << 20); }
	return 0;
}`,
	"forkbomb": `#include <unistd.h>
int main(void) { for (;;) fork(); }`,
	"threads": `#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void *idle(void *a) { pause(); return 0; }
int main(void) {
	int n = 0;
	for (int i = 0; i < 100000; i++) { pthread_t t; if (pthread_create(&t, 0, idle, 0)) break; n++; }
	printf("%d\n", n);
	return n == 100000 ? 0 : 1;
}`,
	"attack": `#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sched.h>
#include <sys/ptrace.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <mqueue.h>
#include <unistd.h>
int main(void) {
	printf("kill %d\n", kill(1, SIGKILL) == 0 ? 0 : errno);
	printf("ptrace %d\n", ptrace(PTRACE_ATTACH, 1, 0, 0) == 0 ? 0 : errno);
	printf("unshare %d\n", unshare(CLONE_NEWUSER) == 0 ? 0 : errno);
	printf("mount %d\n", mount("none", "/tmp", "tmpfs", 0, 0) == 0 ? 0 : errno);
	printf("bpf %d\n", syscall(SYS_bpf, 0, 0, 0) == 0 ? 0 : errno);
	printf("keyctl %d\n", syscall(SYS_keyctl, 0, 0, 0) == 0 ? 0 : errno);
	printf("personality %d\n", syscall(SYS_personality, 0x0040000) == -1 ? errno : 0);
	printf("setuid %d\n", setuid(0) == 0 ? 0 : errno);
	/* Socket families other than unix, inet and inet6. */
	int fams[] = {AF_NETLINK, AF_PACKET, AF_VSOCK, AF_BLUETOOTH, AF_ALG, AF_KEY, AF_APPLETALK, 0x10000 | AF_UNIX, -1};
	int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET};
	for (int i = 0; i < 9; i++) {
		int err = EAFNOSUPPORT;
		for (int k = 0; k < 4; k++) {
			int fd = syscall(SYS_socket, (long)fams[i], types[k], 0);
			if (fd >= 0) { err = 0; close(fd); break; }
		}
		printf("socket-%d %d\n", fams[i], err);
	}
	int sv[2];
	printf("socketpair-netlink %d\n", socketpair(AF_NETLINK, SOCK_DGRAM, 0, sv) == 0 ? 0 : errno);
	/* Namespaces by clone and clone3. */
	long pid = syscall(SYS_clone, (long)(CLONE_NEWUSER | SIGCHLD), 0L, 0L, 0L, 0L);
	if (pid == 0) _exit(0);
	if (pid > 0) waitpid(pid, 0, 0);
	printf("clone-newuser %d\n", pid > 0 ? 0 : errno);
	pid = syscall(SYS_clone, (long)(CLONE_NEWNET | SIGCHLD), 0L, 0L, 0L, 0L);
	if (pid == 0) _exit(0);
	if (pid > 0) waitpid(pid, 0, 0);
	printf("clone-newnet %d\n", pid > 0 ? 0 : errno);
	unsigned long long args[11] = {CLONE_NEWUSER, 0, 0, 0, SIGCHLD};
	pid = syscall(435 /* clone3 */, args, sizeof args);
	if (pid == 0) _exit(0);
	if (pid > 0) waitpid(pid, 0, 0);
	printf("clone3-newuser %d\n", pid > 0 ? 0 : errno);
	/* POSIX message queues outlive a run. */
	struct mq_attr qa = {0, 4, 64, 0};
	mqd_t q = mq_open("/attack", O_CREAT | O_RDWR, 0600, &qa);
	printf("mq_open %d\n", q != (mqd_t)-1 ? 0 : errno);
	return 0;
}`,
	"orphans": `#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
/* argv[1] workers, never waited for, each burn argv[2] ms of CPU. Then the
   program exits at once (argv[3] = "exit"), once the workers are done
   ("done": the pipe they hold reaches EOF; they stay unreaped zombies), or
   never ("sleep"). */
static void burn(long ms) {
	struct timespec t;
	do clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); while (t.tv_sec * 1000 + t.tv_nsec / 1000000 < ms);
}
int main(int argc, char **argv) {
	int n = atoi(argv[1]), p[2];
	if (pipe(p)) return 2;
	for (int i = 0; i < n; i++)
		if (fork() == 0) { close(p[0]); burn(atol(argv[2])); _exit(0); }
	close(p[1]);
	if (argv[3][0] == 'd') { char c; while (read(p[0], &c, 1) > 0) ; }
	if (argv[3][0] == 's') for (;;) pause();
	puts("done");
	return 0;
}`,
	"recurse": `#include <stdio.h>
static int down(int n) { volatile char pad[4096]; pad[0] = (char)n; return down(n + 1) + pad[0]; }
int main(void) { printf("%d\n", down(0)); return 0; }`,
	"euid": `#include <stdio.h>
#include <unistd.h>
int main(void) { printf("%d %d\n", getuid(), geteuid()); return 0; }`,
	"connect": `#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv) {
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) { printf("socket %d\n", errno); return 0; }
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET; a.sin_port = htons(atoi(argv[1])); a.sin_addr.s_addr = htonl(0x7f000001);
	printf("connect %d\n", connect(fd, (struct sockaddr *)&a, sizeof a) == 0 ? 0 : errno);
	return 0;
}`,
}

// cProgramFiles are test programs shared with the judge's hostile suite.
var cProgramFiles = map[string]string{
	"ipc": "../judge/testdata/hostile/ipc.c",
}

var (
	cOnce    sync.Once
	cDir     string
	cErr     error
	cMissing bool // gcc absent: skip, not fail
)

// cProgram returns the host path of a compiled test program.
func cProgram(t testing.TB, name string) []byte {
	t.Helper()
	cOnce.Do(func() {
		if _, err := exec.LookPath("gcc"); err != nil {
			cErr, cMissing = err, true
			return
		}
		cDir, cErr = os.MkdirTemp("", "sandbox-c-")
		if cErr != nil {
			return
		}
		for n, file := range cProgramFiles {
			src, err := os.ReadFile(file)
			if err != nil {
				cErr = err
				return
			}
			cPrograms[n] = string(src)
		}
		for n, src := range cPrograms {
			srcPath := filepath.Join(cDir, n+".c")
			if cErr = os.WriteFile(srcPath, []byte(src), 0o644); cErr != nil {
				return
			}
			out, err := exec.Command("gcc", "-O2", "-pthread", "-o", filepath.Join(cDir, n), srcPath).CombinedOutput()
			if err != nil {
				cErr = fmt.Errorf("gcc %s: %v: %s", n, err, out)
				return
			}
		}
	})
	if cMissing {
		t.Skipf("C test programs need gcc: %v", cErr)
	}
	if cErr != nil {
		t.Fatal(cErr)
	}
	b, err := os.ReadFile(filepath.Join(cDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countingWriter counts bytes without keeping them.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

func TestRunBasics(t *testing.T) {
	for _, name := range []string{"bare", "runc", "runsc"} {
		t.Run(name, func(t *testing.T) {
			var rt Runtime
			if name == "bare" {
				rt = NewBare(filepath.Join(testRoot, "bare"))
			} else {
				rt = testRuntime(t, name)
			}
			box := openBox(t, rt, BoxOptions{})
			tests := []struct {
				name   string
				cmd    Cmd
				status Status
				exit   int
				signal string
				out    string
			}{
				{name: "stdin to stdout", cmd: Cmd{Args: []string{"/bin/cat"}, Stdin: strings.NewReader("hello\nworld\n")}, out: "hello\nworld\n"},
				{name: "exit code", cmd: Cmd{Args: sh("echo out; exit 7")}, exit: 7, out: "out\n"},
				{name: "signal", cmd: Cmd{Args: sh("kill -SEGV $$")}, status: StatusSignaled, signal: "SIGSEGV"},
				{name: "environment is exactly Cmd.Env", cmd: Cmd{Args: []string{"/usr/bin/env"}, Env: []string{"ONLY=1"}}, out: "ONLY=1\n"},
				// A generous wall clock: on a starved host the loop may get
				// its 300 ms of CPU only after seconds.
				{name: "cpu limit", cmd: Cmd{Args: sh("while :; do :; done"), Limits: Limits{CPUTime: 300 * time.Millisecond, WallTime: time.Minute}}, status: StatusTimeLimitExceeded},
				{name: "wall limit", cmd: Cmd{Args: []string{"/bin/sleep", "30"}, Limits: Limits{CPUTime: time.Second, WallTime: 300 * time.Millisecond}}, status: StatusWallTimeExceeded},
				{name: "output limit", cmd: Cmd{Args: []string{"/usr/bin/yes"}, Limits: Limits{CPUTime: 5 * time.Second, OutputBytes: 1000}}, status: StatusOutputLimitExceeded, out: strings.Repeat("y\n", 500)},
				{name: "missing input is empty", cmd: Cmd{Args: sh("wc -c")}, out: "0\n"},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					res, out, stderr := run(t, box, tc.cmd)
					if res.Status != StatusSignaled {
						res.SignalName = "" // the signal that ended a limit is informative only
					}
					if res.Status != tc.status || res.ExitCode != tc.exit || res.SignalName != tc.signal {
						t.Fatalf("got %v exit %d signal %q, want %v exit %d signal %q (%+v, stderr %q)",
							res.Status, res.ExitCode, res.SignalName, tc.status, tc.exit, tc.signal, res, stderr)
					}
					if out != tc.out {
						t.Fatalf("stdout %q, want %q", out, tc.out)
					}
					if tc.status == StatusTimeLimitExceeded && res.CPUTime < tc.cmd.Limits.CPUTime {
						t.Fatalf("TLE after %v of CPU, limit %v", res.CPUTime, tc.cmd.Limits.CPUTime)
					}
				})
			}
			t.Run("missing program is a sandbox error", func(t *testing.T) {
				res, err := box.Run(context.Background(), Cmd{Args: []string{"/no/such/program"}, Limits: Limits{CPUTime: time.Second}})
				if err == nil || res.Status != StatusInternalError || !strings.Contains(err.Error(), "/no/such/program") {
					t.Fatalf("got %+v, %v", res, err)
				}
				mustStillWork(t, box)
			})
		})
	}
}
