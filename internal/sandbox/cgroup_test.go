package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The development machine is cgroup v1 (hybrid); most hosts today are v2
// only. These tests run the host-side cgroup code on fake trees of both
// kinds: files as the kernel lays them out, with values the test knows.

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCgroupV2Tree(t *testing.T) {
	root := t.TempDir()
	fs := cgroupFS{root: root}
	writeFiles(t, root, map[string]string{"cgroup.controllers": "cpuset cpu io memory pids\n"})
	if fs.Mode() != "v2" || !fs.v2() {
		t.Fatalf("mode %s", fs.Mode())
	}
	const id = "sbx-0123456789ab"
	box := filepath.Join(root, cgroupParent, id)
	writeFiles(t, box, map[string]string{
		"memory.current":  "1048576\n",
		"memory.max":      "max\n",
		"memory.swap.max": "", // written in place: a fake file starts no longer than what is written to it
		"memory.peak":     "3145728\n",
		"memory.events":   "low 0\nhigh 0\nmax 7\noom 2\noom_kill 1\noom_group_kill 0\n",
		"memory.stat":     "anon 524288\nfile 1048576\nkernel 65536\nshmem 262144\nfile_mapped 4096\n",
		"cpu.stat":        "usage_usec 1500250\nuser_usec 1000000\nsystem_usec 500250\nnr_periods 0\n",
	})

	mem, err := fs.openMem(id)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.close()
	if !mem.v2 || mem.limit != -1 {
		t.Errorf("v2 %v, limit %d (want -1 for max)", mem.v2, mem.limit)
	}
	if u, err := mem.usage(); err != nil || u != 1<<20 {
		t.Errorf("usage %d %v", u, err)
	}
	if err := mem.setLimit(256 << 20); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(box, "memory.max")); got != "268435456" {
		t.Errorf("memory.max %q", got)
	}
	if got := readFile(t, filepath.Join(box, "memory.swap.max")); got != "0" { // no swap for a box
		t.Errorf("memory.swap.max %q", got)
	}
	if err := mem.resetPeak(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(box, "memory.peak")); !strings.HasPrefix(got, "reset") {
		t.Errorf("memory.peak after reset: %q", got)
	}
	writeFiles(t, box, map[string]string{"memory.peak": "5242880\n"}) // the kernel's next figure
	if p, err := mem.peak(); err != nil || p != 5<<20 {
		t.Errorf("peak %d %v", p, err)
	}
	if c, err := mem.fileCache(); err != nil || c != 1048576-262144 {
		t.Errorf("file cache %d %v (file less shmem)", c, err)
	}
	if n, err := mem.oomKills(); err != nil || n != 1 {
		t.Errorf("oom kills %d %v", n, err)
	}

	f, format, err := fs.openCPUCounter(id)
	if err != nil {
		t.Fatal(err)
	}
	clock := &boxClock{f: f, format: format}
	if d, err := clock.total(); err != nil || format != cpuCounterStat || d != 1500250*time.Microsecond {
		t.Errorf("CPU counter %v %v (format %s)", d, err, format)
	}
	f.Close()

	if err := fs.setParentWeight(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(root, cgroupParent, "cpu.weight")); got != "6400" {
		t.Errorf("cpu.weight %q", got)
	}
	if dirs := fs.boxDirs(id); len(dirs) != 1 || dirs[0] != box {
		t.Errorf("box dirs %v", dirs)
	}
	// A dead box's cgroup (rmdir of a kernel cgroup succeeds with its files
	// in; a fake one must be empty).
	dead := filepath.Join(root, cgroupParent, "sbx-dead")
	writeFiles(t, dead, nil)
	if err := fs.removeStale([]string{"sbx-dead", "sbx-never-made"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("dead cgroup survives: %v", err)
	}
}

func TestCgroupV1Tree(t *testing.T) {
	root := t.TempDir()
	fs := cgroupFS{root: root}
	const id = "sbx-0123456789ab"
	mem := filepath.Join(root, "memory", cgroupParent, id)
	writeFiles(t, mem, map[string]string{
		"memory.usage_in_bytes":           "1048576\n",
		"memory.limit_in_bytes":           "4096\n",
		"memory.max_usage_in_bytes":       "2097152\n",
		"memory.oom_control":              "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n",
		"memory.stat":                     "cache 1048576\nrss 524288\nshmem 131072\n",
		"memory.memsw.usage_in_bytes":     "1572864\n",
		"memory.memsw.limit_in_bytes":     "4096\n",
		"memory.memsw.max_usage_in_bytes": "3145728\n",
	})
	writeFiles(t, filepath.Join(root, "cpuacct", cgroupParent, id), map[string]string{"cpuacct.usage": "2500000123\n"})
	if fs.Mode() != "v1" {
		t.Fatalf("mode %s", fs.Mode())
	}
	writeFiles(t, filepath.Join(root, "unified"), nil)
	if fs.Mode() != "hybrid" || fs.v2() {
		t.Fatalf("mode %s", fs.Mode())
	}
	c, err := fs.openMem(id)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	if u, err := c.usage(); err != nil || u != 1572864 || !c.swap {
		t.Errorf("usage %d %v (memory+swap)", u, err)
	}
	// Raising: memory+swap first, then memory (memory <= memory+swap at
	// every step); both end at the limit.
	if err := c.setLimit(64 << 20); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"memory.limit_in_bytes", "memory.memsw.limit_in_bytes"} {
		if got := readFile(t, filepath.Join(mem, name)); got != "67108864" {
			t.Errorf("%s %q", name, got)
		}
	}
	if p, err := c.peak(); err != nil || p != 3<<20 {
		t.Errorf("peak %d %v", p, err)
	}
	if n, err := c.oomKills(); err != nil || n != 3 {
		t.Errorf("oom kills %d %v", n, err)
	}
	f, format, err := fs.openCPUCounter(id)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	clock := &boxClock{f: f, format: format}
	if d, err := clock.total(); err != nil || format != cpuCounterNS || d != 2500000123 {
		t.Errorf("CPU counter %v %v (format %s)", d, err, format)
	}
	if dirs := fs.boxDirs(id); len(dirs) != len(v1Controllers) {
		t.Errorf("box dirs %v", dirs)
	}
	if err := fs.setParentWeight(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(root, "cpu", cgroupParent, "cpu.shares")); got != "65536" {
		t.Errorf("cpu.shares %q", got)
	}
}

func TestParseCPUCounter(t *testing.T) {
	for _, c := range []struct {
		format, data string
		want         time.Duration
		ok           bool
	}{
		{cpuCounterNS, "123456789\n", 123456789, true},
		{cpuCounterStat, "usage_usec 42\nuser_usec 40\n", 42 * time.Microsecond, true},
		{cpuCounterStat, "user_usec 40\n", 0, false},
		{cpuCounterNS, "max\n", 0, false},
	} {
		d, err := parseCPUCounter(c.format, []byte(c.data))
		if (err == nil) != c.ok || d != c.want {
			t.Errorf("%s %q: %v %v", c.format, c.data, d, err)
		}
	}
}
