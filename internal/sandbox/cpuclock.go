package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// A run's CPU time is the whole box's, not only its main process's: a
// program that forks workers and never waits for them (their time never
// reaches its rusage) is charged for them too. Under runc the helper reads
// the box cgroup's CPU counter through a file the host opened before the
// container started (passed as a file descriptor: the cgroup is not visible
// inside), less its own CPU time; the poller checks it during the run and
// the result takes it once every process of the run is gone. gVisor's
// Sentry shares the host cgroup with the programs, so there the helper sums
// the CPU times of every process in its /proc while the run lasts, and
// after it the rusage of every process it reaped (see procSpec.ScanCPU).

// cpuFD is the descriptor of the box's CPU counter in the helper.
const cpuFD = 3

// Formats of the CPU counter file.
const (
	cpuCounterNS   = "ns"   // cgroup v1 cpuacct.usage: nanoseconds
	cpuCounterStat = "stat" // cgroup v2 cpu.stat: usage_usec
)

// boxClock reads the CPU time used by every process of the box but the
// helper.
type boxClock struct {
	f      *os.File
	format string
	buf    [512]byte
}

func newBoxClock(fd int, format string) (*boxClock, error) {
	if format != cpuCounterNS && format != cpuCounterStat {
		return nil, fmt.Errorf("sandbox: CPU counter format %q", format)
	}
	// Inherited from the runtime without close-on-exec: no program may get it.
	unix.CloseOnExec(fd)
	c := &boxClock{f: os.NewFile(uintptr(fd), "cpu-counter"), format: format}
	if _, err := c.now(); err != nil {
		return nil, err
	}
	return c, nil
}

// now returns the box's CPU time so far, less the helper's own.
func (c *boxClock) now() (time.Duration, error) {
	total, err := c.total()
	if err != nil {
		return 0, err
	}
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	self := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return total - self, nil
}

// total is the cgroup's CPU counter.
func (c *boxClock) total() (time.Duration, error) {
	n, err := c.f.ReadAt(c.buf[:], 0)
	if n == 0 && err != nil {
		return 0, fmt.Errorf("sandbox: read CPU counter: %w", err)
	}
	return parseCPUCounter(c.format, c.buf[:n])
}

// parseCPUCounter reads a cgroup CPU counter file's content.
func parseCPUCounter(format string, b []byte) (time.Duration, error) {
	if format == cpuCounterStat {
		usec, ok := statField(b, "usage_usec")
		if !ok {
			return 0, errors.New("sandbox: cpu.stat without usage_usec")
		}
		return time.Duration(usec) * time.Microsecond, nil
	}
	ns, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("sandbox: CPU counter: %w", err)
	}
	return time.Duration(ns), nil
}
