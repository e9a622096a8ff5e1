// Package sandbox runs untrusted programs inside OCI containers started by an
// existing runtime (runc by default, gVisor runsc for hardened hosts).
//
// One Box is one container: it is created once per submission, the program is
// compiled inside it, and then every test is a fork/exec inside the same
// container (done by a small helper that runs in the container), so a test
// costs a process start and not a container start.
//
// This file is the contract that the judge consumes. Keep it small and stable.
package sandbox

import (
	"context"
	"io"
	"time"
)

// Limits bound one process run inside a box.
type Limits struct {
	CPUTime     time.Duration // verdict clock (TLE)
	WallTime    time.Duration // safety net against sleeping; 0 = 2*CPUTime + 1s
	MemoryBytes int64         // address space charged by the cgroup, swap included (MLE)
	OutputBytes int64         // stdout cap; over it the run ends as OutputLimitExceeded
	StderrBytes int64         // stderr cap (kept, never an error by itself); 0 = 64 KiB
	Pids        int           // max processes/threads for this run; 0 = box default
	FileBytes   int64         // max size of any one file written (RLIMIT_FSIZE); 0 = box default
	// StackBytes is the main thread's stack limit (RLIMIT_STACK, soft and
	// hard); 0 = half of MemoryBytes (8 MiB without a memory limit). Kept
	// well below MemoryBytes so that runaway recursion overflows the stack
	// (SIGSEGV: a run-time error) before it fills the memory limit (which
	// would look like a memory hog).
	StackBytes int64
}

// Cmd is one process to run inside a box.
type Cmd struct {
	Args []string // Args[0] is resolved inside the container (absolute path preferred)
	Env  []string // complete environment; nothing of the host is added
	Dir  string   // working dir inside the container; "" = the box work dir
	// Stdin is fed to the process. nil = empty input.
	Stdin io.Reader
	// Stdout receives at most Limits.OutputBytes bytes; nil = discarded (still counted).
	Stdout io.Writer
	// Stderr receives at most Limits.StderrBytes bytes; nil = discarded.
	Stderr io.Writer
	Limits Limits
	// Privileged marks trusted helper programs (compilers, output validators
	// in their own box) that may run as the box's build uid instead of the
	// untrusted run uid. User programs never set it.
	Privileged bool
}

// Status says how a run ended.
type Status int

const (
	StatusOK                  Status = iota // exited (any exit code; see ExitCode)
	StatusSignaled                          // killed by a signal (see Signal)
	StatusTimeLimitExceeded                 // CPU limit hit
	StatusWallTimeExceeded                  // wall clock safety net hit (sleeping, blocked)
	StatusMemoryLimitExceeded               // cgroup limit hit / OOM kill
	StatusOutputLimitExceeded               // stdout over Limits.OutputBytes
	StatusInternalError                     // the sandbox failed, never the user's fault
)

func (s Status) String() string {
	switch s {
	case StatusOK:
		return "ok"
	case StatusSignaled:
		return "signaled"
	case StatusTimeLimitExceeded:
		return "time-limit"
	case StatusWallTimeExceeded:
		return "wall-time-limit"
	case StatusMemoryLimitExceeded:
		return "memory-limit"
	case StatusOutputLimitExceeded:
		return "output-limit"
	case StatusInternalError:
		return "internal-error"
	}
	return "unknown"
}

// Result is what was measured for one run.
type Result struct {
	Status      Status
	ExitCode    int    // valid when Status == StatusOK
	Signal      int    // valid when Status == StatusSignaled (or the signal that ended a limit)
	SignalName  string // e.g. "SIGSEGV"
	CPUTime     time.Duration
	WallTime    time.Duration
	MemoryBytes int64 // peak, from cgroup accounting
	OutputBytes int64 // stdout bytes produced (up to the cap + 1)
	Message     string
}

// Box is one running container. Methods are safe to call from one goroutine
// at a time, except that Run may be called concurrently from two goroutines on
// two different boxes (interactive problems use two boxes).
type Box interface {
	// WriteFile creates or replaces a regular file beneath the box work dir.
	// name is a relative path without ".." and is opened without following
	// symlinks on the host side.
	WriteFile(name string, data []byte, mode uint32) error
	// MkdirAll creates a directory and its parents beneath the box work
	// dir, owned by the build uid (Cmd.Privileged runs may write in it);
	// a symlink on the path is refused.
	MkdirAll(name string) error
	// ReadFile reads a regular file beneath the box work dir, at most max
	// bytes, without following symlinks; a symlink or special file is refused.
	ReadFile(name string, max int64) ([]byte, error)
	// Files reads every regular file beneath the box work dir (directories
	// recursed, nothing followed), in path order, at most max bytes of
	// contents in all. A symlink, fifo, socket or device anywhere is refused
	// (ErrNotRegular), and so is a tree over max (ErrTooLarge): the judge
	// snapshots a compiler's outputs with it for the compile cache.
	Files(max int64) ([]File, error)
	// Run executes one process inside the container and waits for it. The
	// error is non-nil only when the sandbox itself failed (Status is then
	// StatusInternalError); user-program failures are reported in Result.
	Run(ctx context.Context, cmd Cmd) (Result, error)
	// WorkDir is the work dir path as seen from inside the container.
	WorkDir() string
	// Close kills every process of the container and removes it, its cgroup
	// and its files. Safe to call twice.
	Close() error
}

// File is a regular file of a box work dir: its path relative to the work
// dir, its permission bits and its contents.
type File struct {
	Name string
	Mode uint32
	Data []byte
}

// BoxOptions configure a new box.
type BoxOptions struct {
	MemoryBytes int64 // cgroup ceiling for the whole container (>= every Run's MemoryBytes)
	Pids        int   // cgroup pids ceiling for the whole container
	CPUs        float64
	WorkBytes   int64 // size of the writable work dir (tmpfs or quota)
	TmpBytes    int64 // size of /tmp
	// ExtraBinds are host paths (files or directories) the box shows
	// read-only at the same path, beyond the base set every box has (the
	// shared libraries and the loader): a toolchain, named file by file or
	// dir by dir (CheckBind refuses whole system dirs such as /usr).
	ExtraBinds []string
}

// Runtime creates boxes. Implementations: runc, runsc (gVisor) and bare
// (no isolation at all: the physical floor for benchmarks, and for tests of
// the layers above the sandbox; never used for untrusted code in production).
type Runtime interface {
	Name() string
	// Check reports whether the runtime can start boxes here (binary present,
	// cgroups usable). A worker whose Check fails is unhealthy and takes no jobs.
	Check(ctx context.Context) error
	// Open creates and starts a fresh box.
	Open(ctx context.Context, opts BoxOptions) (Box, error)
	// Cleanup removes containers, cgroups and box dirs left by an earlier
	// process (a crash), without following any symlink.
	Cleanup(ctx context.Context) error
}
