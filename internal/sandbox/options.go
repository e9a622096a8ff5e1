package sandbox

import (
	"fmt"
	"time"
)

// Options select and configure a Runtime. The zero value picks runc with the
// defaults below.
type Options struct {
	// StateDir holds the runtime's container state (runc --root). It belongs
	// to one worker process: Cleanup deletes every container found there
	// that this Runtime did not open. "" = /run/segfault-sandbox/<runtime>.
	StateDir string
	// BoxDir is where box directories (bundle, rootfs mount point, work dir)
	// are created on the host. "" = /run/segfault-sandbox/boxes-<runtime>.
	BoxDir string
	// Binary is the runtime executable ("" = look up runc / runsc on PATH,
	// then /usr/sbin, /usr/bin).
	Binary string
	// Helper is the host path of the executable started inside each
	// container as its helper (pid 1). It must contain this package (the
	// segfault binary or a test binary). "" = os.Executable().
	Helper string
	// NoUserNS turns off the user namespace. By default (runc) the
	// container's uids map to an unprivileged host range (from 2^30), so
	// that even the helper, root inside, is nobody on the host. runsc
	// never uses one (gVisor's Sentry is the boundary there).
	NoUserNS bool
	// ExtraArgs are passed to the runtime before the subcommand (for example
	// runsc --debug flags).
	ExtraArgs []string
}

// Defaults applied when a Limits or BoxOptions field is zero.
const (
	DefaultStderrBytes = 64 << 10
	DefaultBoxMemory   = 1 << 30
	DefaultBoxPids     = 128
	DefaultWorkBytes   = 64 << 20
	DefaultTmpBytes    = 64 << 20
	DefaultFileBytes   = 64 << 20
	DefaultRunPids     = 64
	DefaultStackBytes  = 8 << 20 // without a memory limit
)

// New returns the runtime called name: "runc" (default when name is ""),
// "runsc" (gVisor, ptrace platform, no network) or "bare" (no isolation;
// benchmarks and tests of upper layers only, never untrusted code).
func New(name string, opts Options) (Runtime, error) {
	switch name {
	case "", "runc":
		return newOCI(ociRunc, opts)
	case "runsc", "gvisor":
		return newOCI(ociRunsc, opts)
	case "bare":
		return NewBare(opts.BoxDir), nil
	}
	return nil, fmt.Errorf("sandbox: unknown runtime %q (want runc, runsc or bare)", name)
}

// normalize fills the zero fields of l with the documented defaults.
func (l Limits) normalize() Limits {
	if l.CPUTime <= 0 {
		l.CPUTime = 10 * time.Second
	}
	if l.WallTime <= 0 {
		l.WallTime = 2*l.CPUTime + time.Second
	}
	if l.StderrBytes <= 0 {
		l.StderrBytes = DefaultStderrBytes
	}
	if l.OutputBytes <= 0 {
		l.OutputBytes = 64 << 20
	}
	if l.FileBytes <= 0 {
		l.FileBytes = DefaultFileBytes
	}
	if l.Pids <= 0 {
		l.Pids = DefaultRunPids
	}
	if l.StackBytes <= 0 {
		l.StackBytes = DefaultStackBytes
		if l.MemoryBytes > 0 {
			l.StackBytes = l.MemoryBytes / 2
		}
	}
	return l
}

func (o BoxOptions) normalize() BoxOptions {
	if o.MemoryBytes <= 0 {
		o.MemoryBytes = DefaultBoxMemory
	}
	if o.Pids <= 0 {
		o.Pids = DefaultBoxPids
	}
	if o.CPUs <= 0 {
		o.CPUs = 1
	}
	if o.WorkBytes <= 0 {
		o.WorkBytes = DefaultWorkBytes
	}
	if o.TmpBytes <= 0 {
		o.TmpBytes = DefaultTmpBytes
	}
	return o
}
