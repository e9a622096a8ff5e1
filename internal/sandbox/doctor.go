package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The self-test of `segfault doctor`: the runtime's version, and whether a
// small box really enforces the memory, process and CPU limits. The
// programs it runs are this binary itself, copied into the box's work dir
// and started as probeArg, so the check needs no compiler. (Not the
// execute-only helper copy: gVisor runs no file its user cannot read.)

const probeArg = "__sandbox-probe"

// probeMain is what a probe run does: "mem N" touches N MiB, "threads N"
// starts N OS threads, "spin" burns CPU forever, "workers" starts two
// spinning copies of itself that it never waits for and sleeps.
func probeMain(args []string) int {
	if len(args) == 0 {
		return 2
	}
	n := 0
	if len(args) > 1 {
		n, _ = strconv.Atoi(args[1])
	}
	switch args[0] {
	case "mem":
		var keep [][]byte
		for i := 0; i < n; i++ {
			b := make([]byte, 1<<20)
			for j := range b {
				b[j] = 1
			}
			keep = append(keep, b)
		}
		fmt.Println(len(keep))
	case "threads":
		// Each goroutine holds an OS thread of its own; the Go runtime
		// dies when the kernel refuses one (the limit held).
		var started sync.WaitGroup
		block := make(chan struct{})
		for i := 0; i < n; i++ {
			started.Add(1)
			go func() {
				runtime.LockOSThread()
				started.Done()
				<-block
			}()
		}
		started.Wait()
		fmt.Println(n)
	case "spin":
		for {
		}
	case "workers":
		for i := 0; i < 2; i++ {
			if _, err := os.StartProcess(os.Args[0], []string{os.Args[0], probeArg, "spin"}, &os.ProcAttr{}); err != nil {
				fmt.Println(err)
				return 1
			}
		}
		time.Sleep(time.Hour)
	default:
		return 2
	}
	return 0
}

// LimitCheck is one limit a probe tried to go past.
type LimitCheck struct {
	Name     string // "memory", "processes", "CPU time"
	Enforced bool
	Detail   string // what happened
}

// DoctorReport is the self-test of one runtime.
type DoctorReport struct {
	Runtime string
	Path    string // the runtime binary used
	Version string // its --version, first line
	Err     error  // the runtime cannot start boxes here
	Open    time.Duration
	Checks  []LimitCheck
}

// OK reports whether the runtime starts boxes and enforces every limit.
func (r DoctorReport) OK() bool {
	if r.Err != nil || len(r.Checks) == 0 {
		return false
	}
	for _, c := range r.Checks {
		if !c.Enforced {
			return false
		}
	}
	return true
}

// RuntimeVersion runs the runtime binary with --version and returns its
// path and first line.
func RuntimeVersion(ctx context.Context, name string) (path, version string, err error) {
	path = findBinary(name)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return path, "", fmt.Errorf("%s --version: %w", path, err)
	}
	line, _, _ := strings.Cut(string(bytes.TrimSpace(out)), "\n")
	return path, line, nil
}

// runscDateRE finds the release date in a runsc version ("0.0~20221219.0"
// from Debian, "release-20240513.0" from gVisor's own builds).
var runscDateRE = regexp.MustCompile(`(20\d{6})`)

// RunscOldest is the oldest runsc release the sandbox is tested with
// (Debian 12's); newer ones found on the PATH are used first.
var RunscOldest = time.Date(2022, 12, 19, 0, 0, 0, 0, time.UTC)

// RunscDate returns the release date of a runsc version line, if it has one.
func RunscDate(version string) (time.Time, bool) {
	m := runscDateRE.FindString(version)
	if m == "" {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", m)
	return t, err == nil
}

// Doctor checks that rt starts a box and enforces its limits there: a run
// that touches 4x its memory limit must end as an MLE, one that asks for
// more threads than its process limit must be refused, and workers that
// spin while their parent never waits for them must end the run at its
// CPU limit.
func Doctor(ctx context.Context, rt Runtime) DoctorReport {
	rep := DoctorReport{Runtime: rt.Name()}
	o, ok := rt.(*ociRuntime)
	if !ok {
		rep.Err = fmt.Errorf("sandbox: %s is not a container runtime", rt.Name())
		return rep
	}
	rep.Path = o.bin
	if _, v, err := RuntimeVersion(ctx, o.kind.String()); err == nil {
		rep.Version = v
	}
	if rep.Err = rt.Check(ctx); rep.Err != nil {
		return rep
	}
	self, err := os.ReadFile(o.helperReal) // resolved by Check
	if err != nil {
		rep.Err = err
		return rep
	}
	start := time.Now()
	box, err := rt.Open(ctx, BoxOptions{MemoryBytes: 512 << 20, Pids: 64, WorkBytes: int64(len(self)) + 16<<20})
	if err != nil {
		rep.Err = err
		return rep
	}
	defer box.Close()
	rep.Open = time.Since(start)
	if err := box.WriteFile("probe", self, 0o755); err != nil {
		rep.Err = err
		return rep
	}
	probe := func(limits Limits, args ...string) (Result, string, error) {
		var out bytes.Buffer
		limits.WallTime = time.Minute // the CPU clock is what is checked
		res, err := box.Run(ctx, Cmd{Args: append([]string{"./probe", probeArg}, args...), Stdout: &out, Limits: limits})
		return res, strings.TrimSpace(out.String()), err
	}

	check := LimitCheck{Name: "memory"}
	res, out, err := probe(Limits{CPUTime: 20 * time.Second, MemoryBytes: 64 << 20}, "mem", "256")
	switch {
	case err != nil:
		check.Detail = err.Error()
	case res.Status == StatusMemoryLimitExceeded:
		check.Enforced, check.Detail = true, fmt.Sprintf("a run touching 256 MiB under 64 MiB ended as MLE (peak %d MiB)", res.MemoryBytes>>20)
	default:
		check.Detail = fmt.Sprintf("a run touching 256 MiB under 64 MiB ended %v (%q)", res.Status, out)
	}
	rep.Checks = append(rep.Checks, check)

	check = LimitCheck{Name: "processes"}
	res, out, err = probe(Limits{CPUTime: 20 * time.Second, MemoryBytes: 256 << 20, Pids: 32}, "threads", "200")
	switch {
	case err != nil:
		check.Detail = err.Error()
	case res.Status != StatusOK || res.ExitCode != 0:
		check.Enforced, check.Detail = true, fmt.Sprintf("a run asking for 200 threads under 32 was refused (%v, exit %d)", res.Status, res.ExitCode)
	default:
		check.Detail = fmt.Sprintf("a run got %s threads under a limit of 32", out)
	}
	rep.Checks = append(rep.Checks, check)

	check = LimitCheck{Name: "CPU time"}
	res, _, err = probe(Limits{CPUTime: time.Second}, "workers")
	switch {
	case err != nil:
		check.Detail = err.Error()
	case res.Status == StatusTimeLimitExceeded:
		check.Enforced, check.Detail = true, fmt.Sprintf("two workers never waited for ended the run at %.2f s of CPU (limit 1 s)", res.CPUTime.Seconds())
	default:
		check.Detail = fmt.Sprintf("two spinning workers never waited for: the run ended %v with %.2f s of CPU", res.Status, res.CPUTime.Seconds())
	}
	rep.Checks = append(rep.Checks, check)
	return rep
}
