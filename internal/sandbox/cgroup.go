package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// cgroupRoot is where the cgroup controllers are mounted on the host.
const cgroupRoot = "/sys/fs/cgroup"

// cgroupParent is the parent of every box cgroup (cgroupsPath
// "/segfault-sandbox/<id>"); Cleanup removes stale children of it.
const cgroupParent = "segfault-sandbox"

// v1Controllers are the cgroup v1 hierarchies runc creates a box cgroup in.
var v1Controllers = []string{"memory", "pids", "cpu", "cpuacct", "cpuset", "devices", "freezer", "blkio", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "systemd", "misc"}

// memCgroup is the host's view of one box's memory cgroup: per run, the host
// lowers the box ceiling to (usage before the run + the run's limit), resets
// the high-water marks, and afterwards reads the peak and the OOM-kill
// counter. Adjusting it from the host costs a few file writes per run and
// needs no cgroup access inside the container.
type memCgroup struct {
	dir      string
	v2       bool
	swap     bool     // v1 memsw files exist (swap accounting on)
	peakFile *os.File // v2: the description the peak is reset on
}

// close releases the v2 peak file.
func (c *memCgroup) close() {
	if c.peakFile != nil {
		c.peakFile.Close()
	}
}

func cgroupV2() bool {
	_, err := os.Stat(filepath.Join(cgroupRoot, "cgroup.controllers"))
	return err == nil
}

func openMemCgroup(path string) (*memCgroup, error) {
	if cgroupV2() {
		dir := filepath.Join(cgroupRoot, path)
		if _, err := os.Stat(filepath.Join(dir, "memory.max")); err != nil {
			return nil, fmt.Errorf("sandbox: memory cgroup: %w", err)
		}
		return &memCgroup{dir: dir, v2: true}, nil
	}
	dir := filepath.Join(cgroupRoot, "memory", path)
	if _, err := os.Stat(filepath.Join(dir, "memory.limit_in_bytes")); err != nil {
		return nil, fmt.Errorf("sandbox: memory cgroup: %w", err)
	}
	_, err := os.Stat(filepath.Join(dir, "memory.memsw.limit_in_bytes"))
	return &memCgroup{dir: dir, swap: err == nil}, nil
}

func (c *memCgroup) readInt(name string) (int64, error) {
	b, err := os.ReadFile(filepath.Join(c.dir, name))
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
	f, err := os.OpenFile(filepath.Join(c.dir, name), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(strconv.FormatInt(v, 10))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
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
	if c.v2 {
		if err := c.write("memory.max", limit); err != nil {
			return err
		}
		return c.write("memory.swap.max", 0)
	}
	if !c.swap {
		return c.write("memory.limit_in_bytes", limit)
	}
	// v1 requires memory <= memory+swap at every step.
	cur, err := c.readInt("memory.limit_in_bytes")
	if err != nil {
		return err
	}
	if limit >= cur {
		if err := c.write("memory.memsw.limit_in_bytes", limit); err != nil {
			return err
		}
		return c.write("memory.limit_in_bytes", limit)
	}
	if err := c.write("memory.limit_in_bytes", limit); err != nil {
		return err
	}
	return c.write("memory.memsw.limit_in_bytes", limit)
}

// resetPeak restarts the high-water mark. On v2 (not exercised on the v1
// hosts this was built on) a reset applies to the file description that
// wrote it (Linux 6.12+), so resetPeak keeps memory.peak open and peak()
// reads that same description; on older kernels the write fails and peak()
// reports the box's peak so far.
func (c *memCgroup) resetPeak() error {
	if c.v2 {
		if c.peakFile == nil {
			f, err := os.OpenFile(filepath.Join(c.dir, "memory.peak"), os.O_RDWR, 0)
			if err != nil {
				return err
			}
			c.peakFile = f
		}
		c.peakFile.WriteAt([]byte("reset\n"), 0)
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
	if c.v2 && c.peakFile != nil {
		buf := make([]byte, 32)
		n, err := c.peakFile.ReadAt(buf, 0)
		if n == 0 && err != nil {
			return 0, err
		}
		return strconv.ParseInt(strings.TrimSpace(string(buf[:n])), 10, 64)
	}
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
	b, err := os.ReadFile(filepath.Join(c.dir, "memory.stat"))
	if err != nil {
		return 0, err
	}
	cacheKey := "cache"
	if c.v2 {
		cacheKey = "file"
	}
	var cache, shmem int64
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		v, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		switch f[0] {
		case cacheKey:
			cache = v
		case "shmem":
			shmem = v
		}
	}
	return cache - shmem, nil
}

// oomKills counts the processes the kernel killed for this cgroup's limit.
func (c *memCgroup) oomKills() (int64, error) {
	name, key := "memory.oom_control", "oom_kill"
	if c.v2 {
		name, key = "memory.events", "oom_kill"
	}
	b, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == key {
			return strconv.ParseInt(f[1], 10, 64)
		}
	}
	return 0, errors.New("no oom_kill counter")
}

// removeStaleCgroups removes the cgroups of the given dead boxes (found in
// this runtime's state and box dirs, so never another worker's): processes
// still in them are killed first. Only directories are removed (rmdir).
func removeStaleCgroups(ids []string) error {
	var parents []string
	if cgroupV2() {
		parents = []string{filepath.Join(cgroupRoot, cgroupParent)}
	} else {
		for _, c := range v1Controllers {
			parents = append(parents, filepath.Join(cgroupRoot, c, cgroupParent))
		}
	}
	var firstErr error
	for _, parent := range parents {
		for _, id := range ids {
			dir := filepath.Join(parent, id)
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
