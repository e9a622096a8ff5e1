package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// cgroupFS is a mounted cgroup tree: the host's (hostCgroups), or a fake
// one in tests, so that the cgroup v2 code paths run on v1 hosts too.
type cgroupFS struct{ root string }

// hostCgroups is where the cgroup controllers are mounted on the host.
var hostCgroups = cgroupFS{root: "/sys/fs/cgroup"}

// v2 reports whether the tree is cgroup v2 only (unified).
func (fs cgroupFS) v2() bool {
	_, err := os.Stat(filepath.Join(fs.root, "cgroup.controllers"))
	return err == nil
}

// Mode is "v2" (unified only), "hybrid" (v1 controllers and a v2 tree
// without them) or "v1".
func (fs cgroupFS) Mode() string {
	switch {
	case fs.v2():
		return "v2"
	case isDir(filepath.Join(fs.root, "unified")):
		return "hybrid"
	}
	return "v1"
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// CgroupMode says how the host mounts cgroups: "v2", "hybrid" or "v1". The
// sandbox runs on all three; on v1 and hybrid hosts it uses the v1
// controllers.
func CgroupMode() string { return hostCgroups.Mode() }

// cgroupParent is the parent of every box cgroup (cgroupsPath
// "/segfault-sandbox/<id>"); Cleanup removes stale children of it.
const cgroupParent = "segfault-sandbox"

// v1Controllers are the cgroup v1 hierarchies runc creates a box cgroup in.
var v1Controllers = []string{"memory", "pids", "cpu", "cpuacct", "cpuset", "devices", "freezer", "blkio", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "systemd", "misc"}

// memCgroup is the host's view of one box's memory cgroup: per run, the host
// lowers the box ceiling to (usage before the run + the run's limit), resets
// the high-water marks, and afterwards reads the peak and the OOM-kill
// counter. Adjusting it from the host needs no cgroup access inside the
// container. The files are opened once per box and then read and written
// at offset 0 (kernfs regenerates a file read from offset 0): an open+read+
// close of a cgroup file costs 20-50 µs here, a pread 1-2 µs (15 µs for
// memory.stat), which is most of what the sandbox adds to a short test.
type memCgroup struct {
	dir  string
	v2   bool
	swap bool // v1 memsw files exist (swap accounting on)

	files map[string]*os.File
	limit int64 // the last limit written (memory and memory+swap)
	buf   []byte
}

// close releases the cgroup files.
func (c *memCgroup) close() {
	for _, f := range c.files {
		f.Close()
	}
	c.files = nil
}

// openMem opens the memory cgroup files of box id.
func (fs cgroupFS) openMem(id string) (*memCgroup, error) {
	c := &memCgroup{files: map[string]*os.File{}, buf: make([]byte, 8<<10)}
	var names []string
	if fs.v2() {
		c.dir, c.v2 = filepath.Join(fs.root, cgroupParent, id), true
		names = []string{"memory.current", "memory.max", "memory.swap.max", "memory.peak", "memory.events", "memory.stat"}
	} else {
		c.dir = filepath.Join(fs.root, "memory", cgroupParent, id)
		_, err := os.Stat(filepath.Join(c.dir, "memory.memsw.limit_in_bytes"))
		c.swap = err == nil
		names = []string{"memory.usage_in_bytes", "memory.limit_in_bytes", "memory.max_usage_in_bytes", "memory.oom_control", "memory.stat"}
		if c.swap {
			names = append(names, "memory.memsw.usage_in_bytes", "memory.memsw.limit_in_bytes", "memory.memsw.max_usage_in_bytes")
		}
	}
	for _, name := range names {
		// memory.peak (v2): a reset applies to the description that
		// wrote it (Linux 6.12+), so it is read through the same one.
		f, err := os.OpenFile(filepath.Join(c.dir, name), os.O_RDWR, 0)
		if err != nil && (errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EACCES)) {
			f, err = os.Open(filepath.Join(c.dir, name)) // read-only files
		}
		if err != nil {
			c.close()
			return nil, fmt.Errorf("sandbox: memory cgroup: %w", err)
		}
		c.files[name] = f
	}
	limitFile := "memory.limit_in_bytes"
	if c.v2 {
		limitFile = "memory.max"
	}
	lim, err := c.readInt(limitFile)
	if err != nil {
		c.close()
		return nil, fmt.Errorf("sandbox: memory cgroup: %w", err)
	}
	c.limit = lim
	return c, nil
}

// read returns the content of an open cgroup file (valid until the next
// read).
func (c *memCgroup) read(name string) ([]byte, error) {
	f := c.files[name]
	if f == nil {
		return nil, fmt.Errorf("sandbox: cgroup file %s not open", name)
	}
	n, err := f.ReadAt(c.buf, 0)
	if n == len(c.buf) {
		// Never expected (memory.stat is ~2 KiB): read it whole.
		b, err := os.ReadFile(filepath.Join(c.dir, name))
		return b, err
	}
	if n == 0 && err != nil {
		return nil, err
	}
	return c.buf[:n], nil
}

func (c *memCgroup) readInt(name string) (int64, error) {
	b, err := c.read(name)
	if err != nil {
		return 0, err
	}
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return -1, nil
	}
	return strconv.ParseInt(s, 10, 64)
}

func (c *memCgroup) write(name string, v int64) error {
	f := c.files[name]
	if f == nil {
		return fmt.Errorf("sandbox: cgroup file %s not open", name)
	}
	if _, err := f.WriteAt(strconv.AppendInt(nil, v, 10), 0); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// usage is the current charge of the cgroup (memory, plus swap if
// accounted).
func (c *memCgroup) usage() (int64, error) {
	if c.v2 {
		return c.readInt("memory.current")
	}
	if c.swap {
		return c.readInt("memory.memsw.usage_in_bytes")
	}
	return c.readInt("memory.usage_in_bytes")
}

// setLimit sets memory and memory+swap to limit (no swap for the box).
func (c *memCgroup) setLimit(limit int64) error {
	if limit == c.limit {
		return nil
	}
	cur := c.limit
	c.limit = -2 // unknown until both writes succeed
	if c.v2 {
		if err := c.write("memory.max", limit); err != nil {
			return err
		}
		if err := c.write("memory.swap.max", 0); err != nil {
			return err
		}
		c.limit = limit
		return nil
	}
	if !c.swap {
		if err := c.write("memory.limit_in_bytes", limit); err != nil {
			return err
		}
		c.limit = limit
		return nil
	}
	// v1 requires memory <= memory+swap at every step.
	order := []string{"memory.limit_in_bytes", "memory.memsw.limit_in_bytes"}
	if cur < 0 || limit >= cur {
		order[0], order[1] = order[1], order[0]
	}
	for _, name := range order {
		if err := c.write(name, limit); err != nil {
			return err
		}
	}
	c.limit = limit
	return nil
}

// resetPeak restarts the high-water mark. On v2 (not exercised on the v1
// hosts this was built on) a reset applies to the file description that
// wrote it (Linux 6.12+), which peak() then reads; on older kernels the
// write fails and peak() reports the box's peak so far.
func (c *memCgroup) resetPeak() error {
	if c.v2 {
		c.files["memory.peak"].WriteAt([]byte("reset\n"), 0)
		return nil
	}
	if err := c.write("memory.max_usage_in_bytes", 0); err != nil {
		return err
	}
	if c.swap {
		return c.write("memory.memsw.max_usage_in_bytes", 0)
	}
	return nil
}

func (c *memCgroup) peak() (int64, error) {
	if c.v2 {
		return c.readInt("memory.peak")
	}
	if c.swap {
		return c.readInt("memory.memsw.max_usage_in_bytes")
	}
	return c.readInt("memory.max_usage_in_bytes")
}

// fileCache is the page cache of regular files charged to the cgroup
// (libraries and binaries read by the run), which the kernel reclaims under
// pressure and which is nobody's "memory used"; tmpfs pages (shmem) are not
// in it: a program filling /tmp uses that memory.
func (c *memCgroup) fileCache() (int64, error) {
	b, err := c.read("memory.stat")
	if err != nil {
		return 0, err
	}
	cacheKey := "cache"
	if c.v2 {
		cacheKey = "file"
	}
	cache, okC := statField(b, cacheKey)
	shmem, okS := statField(b, "shmem")
	if !okC || !okS {
		return 0, errors.New("memory.stat without cache or shmem")
	}
	return cache - shmem, nil
}

// statField finds "key value" among the lines of a cgroup stat file.
func statField(b []byte, key string) (int64, bool) {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		k, v, ok := bytes.Cut(line, []byte{' '})
		if !ok || string(k) != key {
			continue
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// oomKills counts the processes the kernel killed for this cgroup's limit.
func (c *memCgroup) oomKills() (int64, error) {
	name := "memory.oom_control"
	if c.v2 {
		name = "memory.events"
	}
	b, err := c.read(name)
	if err != nil {
		return 0, err
	}
	if n, ok := statField(b, "oom_kill"); ok {
		return n, nil
	}
	return 0, errors.New("no oom_kill counter")
}

// The boxes of a host share one parent cgroup, which competes for CPU with
// every process of the host as one entity: at its default weight (that of
// one process), a busy host starves every box at once, and programs hit
// their wall clock with a fraction of their CPU time used (and killed
// processes take long to exit). sandboxCPUWeight gives the parent the
// weight of that many processes; each box stays capped by its own CPU
// quota (BoxOptions.CPUs).
const sandboxCPUWeight = 64

var weightOnce sync.Once

// raiseSandboxWeight sets the parent cgroup's CPU weight once per process
// (best effort: a host where it fails only judges slower under load).
func raiseSandboxWeight() {
	weightOnce.Do(func() { hostCgroups.setParentWeight() })
}

// setParentWeight gives the boxes' parent cgroup the CPU weight of
// sandboxCPUWeight processes.
func (fs cgroupFS) setParentWeight() error {
	dir, file, value := filepath.Join(fs.root, "cpu", cgroupParent), "cpu.shares", 1024*sandboxCPUWeight
	if fs.v2() {
		dir, file, value = filepath.Join(fs.root, cgroupParent), "cpu.weight", 100*sandboxCPUWeight
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, file), []byte(strconv.Itoa(value)), 0)
}

// openCPUCounter creates a box's cgroup where its CPU time is counted
// (the runtime then joins it) and opens the counter: cpuacct.usage (v1, in
// ns) or cpu.stat (v2, usage_usec). The helper reads it through the file
// (see boxClock).
func (fs cgroupFS) openCPUCounter(id string) (*os.File, string, error) {
	dir, name, format := filepath.Join(fs.root, "cpuacct", cgroupParent, id), "cpuacct.usage", cpuCounterNS
	if fs.v2() {
		dir, name, format = filepath.Join(fs.root, cgroupParent, id), "cpu.stat", cpuCounterStat
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", fmt.Errorf("sandbox: CPU cgroup: %w", err)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, "", fmt.Errorf("sandbox: CPU cgroup: %w", err)
	}
	return f, format, nil
}

// removeStale removes the cgroups of the given dead boxes (found in
// this runtime's state and box dirs, so never another worker's): processes
// still in them are killed first. Only directories are removed (rmdir).
func (fs cgroupFS) removeStale(ids []string) error {
	var firstErr error
	for _, id := range ids {
		for _, dir := range fs.boxDirs(id) {
			if _, err := os.Stat(dir); err != nil {
				continue
			}
			killCgroup(dir)
			var err error
			for i := 0; i < 50; i++ { // killed processes leave asynchronously
				if err = os.Remove(dir); err == nil || errors.Is(err, os.ErrNotExist) {
					err = nil
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("sandbox: remove cgroup %s: %w", dir, err)
			}
		}
	}
	return firstErr
}

// boxDirs are the cgroup dirs box id may have: one per v1 controller, or
// the one v2 dir.
func (fs cgroupFS) boxDirs(id string) []string {
	if fs.v2() {
		return []string{filepath.Join(fs.root, cgroupParent, id)}
	}
	var dirs []string
	for _, c := range v1Controllers {
		dirs = append(dirs, filepath.Join(fs.root, c, cgroupParent, id))
	}
	return dirs
}

// removeBox removes the cgroups of one closed box if the runtime left
// any (rmdir: only empty cgroups go).
func (fs cgroupFS) removeBox(id string) {
	for _, dir := range fs.boxDirs(id) {
		os.Remove(dir)
	}
}

func killCgroup(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	if err != nil {
		return
	}
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
			// SIGKILL via the pid read from the cgroup: these are processes
			// of a dead box, never ours.
			_ = killPid(pid)
		}
	}
}
