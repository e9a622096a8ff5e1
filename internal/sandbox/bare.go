package sandbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/sys/unix"
)

// Bare runs programs with no isolation at all: a plain fork/exec on the host,
// as the worker's own user, in a temporary directory, with rlimits (CPU,
// address space, file size), a wall clock, the stdout cap and rusage
// accounting. It is the physical floor that benchmarks compare the real
// sandboxes against, and a fast runtime for tests of the layers above.
//
// NEVER use it for untrusted code: the program can read and write anything
// the worker can, reach the network and outlive its run.
type Bare struct {
	dir string
}

// NewBare returns the bare runtime; boxes are created under dir ("" = the
// system temporary directory).
func NewBare(dir string) Runtime {
	return &Bare{dir: dir}
}

func (b *Bare) Name() string { return "bare" }

func (b *Bare) Check(ctx context.Context) error { return nil }

// Cleanup does nothing: bare boxes live in fresh temporary directories, and
// the runtime cannot tell another process's live boxes from stale ones.
func (b *Bare) Cleanup(ctx context.Context) error { return nil }

func (b *Bare) Open(ctx context.Context, opts BoxOptions) (Box, error) {
	if b.dir != "" {
		if err := os.MkdirAll(b.dir, 0o755); err != nil {
			return nil, fmt.Errorf("sandbox: bare box dir: %w", err)
		}
	}
	dir, err := os.MkdirTemp(b.dir, "segfault-bare-")
	if err != nil {
		return nil, fmt.Errorf("sandbox: bare box dir: %w", err)
	}
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("sandbox: bare box dir: %w", err)
	}
	return &bareBox{dir: dir, fd: fd}, nil
}

type bareBox struct {
	dir    string
	mu     sync.Mutex
	fd     int // -1 once closed
	closed bool
}

func (b *bareBox) WorkDir() string { return b.dir }

func (b *bareBox) dirfd() (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return -1, fmt.Errorf("sandbox: box closed")
	}
	return b.fd, nil
}

func (b *bareBox) WriteFile(name string, data []byte, mode uint32) error {
	fd, err := b.dirfd()
	if err != nil {
		return err
	}
	return writeFileAt(fd, name, data, mode, -1)
}

func (b *bareBox) MkdirAll(name string) error {
	fd, err := b.dirfd()
	if err != nil {
		return err
	}
	return mkdirAt(fd, name, -1)
}

func (b *bareBox) ReadFile(name string, max int64) ([]byte, error) {
	fd, err := b.dirfd()
	if err != nil {
		return nil, err
	}
	return readFileAt(fd, name, max)
}

func (b *bareBox) Files(max int64) ([]File, error) {
	fd, err := b.dirfd()
	if err != nil {
		return nil, err
	}
	return filesAt(fd, max)
}

func (b *bareBox) Run(ctx context.Context, cmd Cmd) (Result, error) {
	if _, err := b.dirfd(); err != nil {
		return Result{Status: StatusInternalError, Message: err.Error()}, err
	}
	dir := cmd.Dir
	if dir == "" {
		dir = b.dir
	} else if !filepath.IsAbs(dir) {
		dir = filepath.Join(b.dir, dir)
	}
	l := cmd.Limits.normalize()
	defer closeStdinPipe(cmd.Stdin)
	pr, err := runProcess(ctx, procSpec{
		Args: cmd.Args, Env: cmd.Env, Dir: dir,
		Stdin: cmd.Stdin, Stdout: cmd.Stdout, Stderr: cmd.Stderr,
		Limits:       l,
		AddressSpace: true,
	})
	if err != nil {
		return Result{Status: StatusInternalError, Message: err.Error()}, err
	}
	r := pr.Result
	// No cgroup here: peak memory is the rusage high-water mark. A program
	// stopped by RLIMIT_AS usually fails an allocation and dies (RE); only a
	// resident peak over the limit is reported as MLE.
	r.MemoryBytes = pr.MaxRSS
	if l.MemoryBytes > 0 && r.MemoryBytes > l.MemoryBytes &&
		(r.Status == StatusOK || r.Status == StatusSignaled) {
		r.Status = StatusMemoryLimitExceeded
	}
	return r, nil
}

func (b *bareBox) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	unix.Close(b.fd)
	b.mu.Unlock()
	if err := removeTree(b.dir); err != nil {
		return fmt.Errorf("sandbox: remove %s: %w", b.dir, err)
	}
	return nil
}
