package coach

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Sample is one measured run.
type Sample struct {
	CPU      time.Duration // user + system CPU of the program
	PeakMem  int64         // peak resident memory in bytes
	Exceeded bool          // stopped at the CPU limit: the cost is at least the limit
}

// Runner measures one compiled solution on one input. The judge implements
// it on top of its sandbox (one box per analysis, a run per input); the coach
// only needs this. cpuLimit bounds the run: a run over it reports Exceeded
// and is not an error.
type Runner interface {
	Measure(ctx context.Context, input []byte, cpuLimit time.Duration) (Sample, error)
}

// LocalRunner compiles and runs a program directly on this machine with
// os/exec, with no isolation at all. It exists for trusted code only: the
// evaluation set, tests and problem authors' own solutions on their machine.
// Never give it a player's submission; those go through the sandbox.
type LocalRunner struct {
	argv []string
	dir  string
}

// Toolchain commands per language. Build output is cached by content hash
// under the cache dir because Rust and Java builds take seconds.
var (
	buildCmd = map[string][]string{
		"c":    {"gcc", "-O2", "-std=gnu11", "-o", "sol", "sol.c", "-lm"},
		"cpp":  {"g++", "-O2", "-std=gnu++17", "-o", "sol", "sol.cpp"},
		"go":   {"go", "build", "-o", "sol", "sol.go"},
		"java": {"javac", "-d", ".", "Main.java"},
		"rust": {"rustc", "--edition", "2021", "-O", "-o", "sol", "sol.rs"},
	}
	sourceName = map[string]string{"python": "sol.py", "c": "sol.c", "cpp": "sol.cpp", "go": "sol.go",
		"javascript": "sol.js", "java": "Main.java", "rust": "sol.rs"}
)

func runArgv(lang, dir string) []string {
	switch lang {
	case "python":
		return []string{"python3", filepath.Join(dir, "sol.py")}
	case "javascript":
		return []string{"node", "--stack-size=65500", filepath.Join(dir, "sol.js")}
	case "java":
		// Serial GC and the C1 compiler only: less background CPU from the
		// JVM's own threads, so CPU time tracks the program.
		return []string{"java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512m", "-cp", dir, "Main"}
	}
	return []string{filepath.Join(dir, "sol")}
}

// NewLocalRunner builds src (language lang) in a cache directory below
// cacheDir, reusing an earlier build of the same source.
func NewLocalRunner(ctx context.Context, lang string, src []byte, cacheDir string) (*LocalRunner, error) {
	name, ok := sourceName[lang]
	if !ok {
		return nil, fmt.Errorf("local runner: unsupported language %q", lang)
	}
	sum := sha256.Sum256(append([]byte(lang+"\x00"), src...))
	dir := filepath.Join(cacheDir, lang+"-"+hex.EncodeToString(sum[:8]))
	r := &LocalRunner{argv: runArgv(lang, dir), dir: dir}
	if _, err := os.Stat(filepath.Join(dir, ".built")); err == nil {
		return r, nil
	}
	tmp, err := os.MkdirTemp(cacheDir, "build-")
	if err != nil {
		return nil, fmt.Errorf("local runner: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, name), src, 0o644); err != nil {
		return nil, fmt.Errorf("local runner: %w", err)
	}
	if argv := buildCmd[lang]; argv != nil {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("compile %s: %w: %s", lang, err, truncate(string(out), 2000))
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, ".built"), nil, 0o644); err != nil {
		return nil, err
	}
	// Publish the finished build atomically; a concurrent builder of the
	// same source may have won the race, which is fine.
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, ".built")); statErr != nil {
			return nil, fmt.Errorf("local runner: publish build: %w", err)
		}
	}
	return r, nil
}

// Measure runs the program once with input on stdin.
func (r *LocalRunner) Measure(ctx context.Context, input []byte, cpuLimit time.Duration) (Sample, error) {
	// The wall clock is the kill switch; the JVM's extra threads make CPU
	// run ahead of wall time, so the verdict uses measured CPU.
	wall := 10*cpuLimit + 5*time.Second // generous: a loaded machine must not turn into "exceeded"
	cctx, cancel := context.WithTimeout(ctx, wall)
	defer cancel()
	cmd := exec.CommandContext(cctx, r.argv[0], r.argv[1:]...)
	cmd.Dir = r.dir
	cmd.Stdin = bytes.NewReader(input)
	cmd.Stdout = io.Discard
	var stderr bytes.Buffer
	cmd.Stderr = &limitWriter{w: &stderr, n: 4096}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Start(); err != nil {
		return Sample{}, fmt.Errorf("start %s: %w", r.argv[0], err)
	}
	// Enforce the CPU limit by watching the process's CPU clock: the wall
	// clock above only catches programs that sleep or block.
	stop := make(chan struct{})
	done := make(chan struct{})
	var cpuKilled atomic.Bool
	var hwm atomic.Int64
	go func() {
		defer close(done)
		watchCPU(cmd.Process.Pid, cpuLimit, stop, &cpuKilled, &hwm)
	}()
	err := cmd.Wait()
	close(stop)
	<-done
	ps := cmd.ProcessState
	if ps == nil {
		return Sample{}, fmt.Errorf("run %s: %w", r.argv[0], err)
	}
	// Peak memory comes from VmHWM sampled while the program runs:
	// rusage's maxrss of a child starts from the parent's RSS at fork
	// (Linux keeps the pre-exec high-water mark), which hides small programs
	// behind a big parent.
	s := Sample{CPU: ps.UserTime() + ps.SystemTime(), PeakMem: hwm.Load()}
	if cpuKilled.Load() || cctx.Err() != nil && ctx.Err() == nil || s.CPU > cpuLimit {
		s.Exceeded = true
		return s, nil
	}
	if ctx.Err() != nil {
		return s, ctx.Err()
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return s, fmt.Errorf("program failed (%v): %s", ee, truncate(stderr.String(), 500))
		}
		return s, fmt.Errorf("run: %w", err)
	}
	return s, nil
}

// watchCPU kills the process group once the process has used limit of CPU,
// read from /proc/PID/stat (utime+stime in clock ticks, 100 per second on
// Linux).
func watchCPU(pid int, limit time.Duration, stop <-chan struct{}, killed *atomic.Bool, hwm *atomic.Int64) {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	path := fmt.Sprintf("/proc/%d/stat", pid)
	status := fmt.Sprintf("/proc/%d/status", pid)
	for {
		if kb := readHWM(status); kb > 0 {
			hwm.Store(max(hwm.Load(), kb*1024))
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// Fields after the ")" that closes the command name; utime and
		// stime are fields 14 and 15 of the whole line.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		if time.Duration(ut+st)*10*time.Millisecond > limit {
			killed.Store(true)
			syscall.Kill(-pid, syscall.SIGKILL)
			return
		}
	}
}

// readHWM returns VmHWM in KiB from /proc/PID/status, 0 if unavailable.
func readHWM(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	i := bytes.Index(b, []byte("VmHWM:"))
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+6:]))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseInt(f[0], 10, 64)
	return v
}

type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
