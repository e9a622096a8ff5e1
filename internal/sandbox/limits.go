package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// How a program gets its limits. Go cannot run code in a child between
// fork and exec, and re-executing a helper binary there (a "shim") costs a
// Go runtime start per test: ~1-3 ms of wall and CPU time on runc, tens of
// ms under gVisor's ptrace platform, all charged to the program. Instead:
//
//   - what must hold from the first instruction is set in the fork itself:
//     the uid and gid (Credential), the process group, the parent-death
//     signal; in a container, no_new_privs, seccomp, capabilities, the
//     cgroups and the mounts are the container's and apply already;
//   - RLIMIT_STACK must be known at exec (it places the mmap area), and
//     RLIMIT_FSIZE and RLIMIT_NPROC should hold from the first write or
//     fork, so the parent sets its own soft limits around the fork (forkMu;
//     the parent writes no regular file meanwhile), and the child inherits
//     them;
//   - the OOM score is inherited too: the helper raises itself to 1000
//     around the fork, so the program is the OOM killer's first choice
//     (the host also sets the helper to -1000 where it has
//     CAP_SYS_RESOURCE);
//   - the other rlimits (CPU, NPROC, NOFILE, CORE, AS) and the hard
//     limits are set with prlimit(2) right after the exec. Until then (a
//     few microseconds, more on a loaded host) the program is still bound
//     by the cgroup (memory, pids, CPU quota), the tmpfs sizes, seccomp, its
//     uid and the wall clock, and RLIMIT_CPU counts the CPU time used before
//     it was set. CPU cannot be set on the parent: its own CPU time counts
//     against it.

const oomScoreFile = "/proc/self/oom_score_adj"

// minInheritedNproc keeps the helper able to start threads while its soft
// RLIMIT_NPROC is lowered around a fork.
const minInheritedNproc = 64

// forkMu serialises forks that change the process-wide soft stack limit
// and OOM score.
var forkMu sync.Mutex

// startLimited starts the program at path with attr and applies spec's
// limits.
func startLimited(path string, spec procSpec, attr *os.ProcAttr) (*os.Process, error) {
	l := spec.Limits
	forkMu.Lock()
	// Soft limits of the parent, inherited at fork: in force from the
	// program's first instruction. The stack limit must be there at exec
	// (it places the mmap area); it is below the memory limit, so deep
	// recursion ends in SIGSEGV (RE) rather than an out-of-memory kill. A
	// file over FileBytes fails at once. The hard limits follow by prlimit.
	var inherited []savedLimit
	inherited = append(inherited, setSoft(unix.RLIMIT_STACK, uint64(l.StackBytes)))
	inherited = append(inherited, setSoft(unix.RLIMIT_FSIZE, uint64(l.FileBytes)))
	if spec.NProc {
		// A fork bomb is bounded from its first fork. The parent's own
		// threads count against the soft limit while it is lowered, so it
		// never goes below what the parent needs; prlimit then sets the
		// exact one.
		inherited = append(inherited, setSoft(unix.RLIMIT_NPROC, uint64(max(l.Pids, minInheritedNproc))))
	}
	// Raising one's own score is always allowed, and lowering it back to
	// where it was too (not below the minimum a privileged writer set).
	var oldOOM []byte
	if spec.OOMVictim {
		var err error
		if oldOOM, err = raiseOOMScore(); err != nil {
			for _, sl := range inherited {
				sl.restore()
			}
			forkMu.Unlock()
			return nil, fmt.Errorf("sandbox: oom_score_adj: %w", err)
		}
	}
	proc, err := startRetryingBusy(path, spec.Args, attr)
	if oldOOM != nil {
		if _, werr := oomFile.WriteAt(oldOOM, 0); werr != nil {
			fmt.Fprintln(os.Stderr, "sandbox helper: restore oom_score_adj:", werr)
		}
	}
	for _, sl := range inherited {
		sl.restore()
	}
	forkMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("sandbox: start %s: %w", spec.Args[0], err)
	}

	type limit struct {
		res        int
		soft, hard uint64
	}
	cpu := uint64((l.CPUTime + time.Second - 1) / time.Second)
	limits := []limit{
		{unix.RLIMIT_CPU, cpu, cpu + 1},
		{unix.RLIMIT_CORE, 0, 0},
		{unix.RLIMIT_NOFILE, 1024, 1024},
		{unix.RLIMIT_FSIZE, uint64(l.FileBytes), uint64(l.FileBytes)},
		// The hard limit too: else the program could raise its soft limit
		// and recurse on until the memory limit (an MLE then, not an
		// escape). The end of execve writes back the stack limit the exec
		// started with, which can undo this one if it lands meanwhile, so
		// the poller sets it again at its first tick (pollLimits.stack).
		{unix.RLIMIT_STACK, uint64(l.StackBytes), uint64(l.StackBytes)},
	}
	if spec.NProc {
		limits = append(limits, limit{unix.RLIMIT_NPROC, uint64(l.Pids), uint64(l.Pids)})
	}
	if spec.AddressSpace && l.MemoryBytes > 0 {
		limits = append(limits, limit{unix.RLIMIT_AS, uint64(l.MemoryBytes), uint64(l.MemoryBytes)})
	}
	for _, lim := range limits {
		r := unix.Rlimit{Cur: lim.soft, Max: lim.hard}
		err := unix.Prlimit(proc.Pid, lim.res, &r, nil)
		if err == unix.EPERM && lowerAlready(proc.Pid, lim.res, r) {
			// The program lowered this limit itself before the helper
			// got to it (gVisor refuses to raise it again): stricter
			// is fine.
			err = nil
		}
		if err != nil && err != unix.ESRCH {
			// ESRCH: the program already ended (and was not reaped yet,
			// so this is not another process).
			syscall.Kill(-proc.Pid, syscall.SIGKILL)
			proc.Kill()
			proc.Wait()
			return nil, fmt.Errorf("sandbox: limit %s: %w", spec.Args[0], err)
		}
	}
	return proc, nil
}

// lowerAlready reports whether pid's limit res is already at most want.
func lowerAlready(pid, res int, want unix.Rlimit) bool {
	var cur unix.Rlimit
	return unix.Prlimit(pid, res, nil, &cur) == nil && cur.Cur <= want.Cur && cur.Max <= want.Max
}

// oomFile is the caller's oom_score_adj, opened once (forkMu): a pread and
// two pwrites per run instead of three opens of a /proc file.
var (
	oomFile    *os.File
	oomFileErr error
)

// openOOMFile opens the caller's oom_score_adj once (forkMu held).
func openOOMFile() {
	if oomFile == nil && oomFileErr == nil {
		oomFile, oomFileErr = os.OpenFile(oomScoreFile, os.O_RDWR, 0)
	}
}

// raiseOOMScore sets the caller's OOM score to 1000 and returns the old
// value (forkMu held).
func raiseOOMScore() ([]byte, error) {
	openOOMFile()
	if oomFileErr != nil {
		return nil, oomFileErr
	}
	var buf [16]byte
	n, err := oomFile.ReadAt(buf[:], 0)
	if n == 0 {
		return nil, err
	}
	old := []byte(strings.TrimSpace(string(buf[:n])))
	if _, err := oomFile.WriteAt([]byte("1000"), 0); err != nil {
		return nil, err
	}
	return old, nil
}

// savedLimit is a parent's rlimit changed around a fork.
type savedLimit struct {
	res int
	old unix.Rlimit
	ok  bool
}

// setSoft lowers (or raises, up to the hard limit) the caller's soft limit.
func setSoft(res int, soft uint64) savedLimit {
	s := savedLimit{res: res}
	if unix.Getrlimit(res, &s.old) != nil {
		return s
	}
	want := unix.Rlimit{Cur: min(soft, s.old.Max), Max: s.old.Max}
	s.ok = unix.Setrlimit(res, &want) == nil
	return s
}

func (s savedLimit) restore() {
	if s.ok {
		unix.Setrlimit(s.res, &s.old)
	}
}

// lookPath resolves a program name without a slash on the PATH of env (the
// program's environment, not the caller's).
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	path := "/usr/local/bin:/usr/bin:/bin"
	for _, e := range env {
		if p, ok := strings.CutPrefix(e, "PATH="); ok {
			path = p
		}
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("sandbox: exec %s: not found in PATH %s", name, path)
}

// startRetryingBusy is os.StartProcess, retried while exec fails with
// ETXTBSY. A program just written (by a compiler, or by this process for a
// pooled box) can still be open for writing in a child that another
// goroutine forked at that moment and that has not reached its own exec
// yet (golang.org/issue/22315); the descriptor goes at that exec, within
// milliseconds. forkMu is held, so no new fork can inherit it meanwhile.
func startRetryingBusy(path string, args []string, attr *os.ProcAttr) (*os.Process, error) {
	for attempt := 1; ; attempt++ {
		proc, err := os.StartProcess(path, args, attr)
		if err == nil || !errors.Is(err, syscall.ETXTBSY) || attempt == 40 {
			return proc, err
		}
		time.Sleep(time.Duration(attempt) * 2 * time.Millisecond) // at most 1.6 s in all
	}
}
