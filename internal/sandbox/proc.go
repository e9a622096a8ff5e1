package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// procSpec is one fork/exec with limits, shared by the bare runtime (on the
// host) and the container helper (inside the container).
type procSpec struct {
	Args   []string
	Env    []string
	Dir    string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Limits Limits // normalized
	// UID, when not 0, is the uid (and gid) the program runs as.
	UID int
	// OOMVictim makes the program the OOM killer's first choice (the helper
	// protects itself with oom_score_adj -1000, which children inherit).
	OOMVictim bool
	// AddressSpace sets RLIMIT_AS to Limits.MemoryBytes (bare only: inside a
	// container the cgroup is the memory limit, and RLIMIT_AS would break
	// runtimes that reserve address space, like the JVM or Go).
	AddressSpace bool
	// NProc sets RLIMIT_NPROC to Limits.Pids (useful only when the program's
	// uid is used by nothing else, as in a container).
	NProc bool
	// KillAll kills everything the program may have left behind, beyond its
	// process group, and returns the CPU time of the processes it reaped
	// (with their waited children). nil = the process group only.
	KillAll func() time.Duration
	// BoxCPU reads the CPU time of the whole box so far, less the caller's
	// (boxClock); the run is charged its increase, so that processes the
	// program never waits for count. nil = no such counter.
	BoxCPU func() (time.Duration, error)
	// PollRSS kills the program (as an MLE) when its resident memory goes
	// over Limits.MemoryBytes, and PollProcs kills the run when the
	// container holds more than Limits.Pids processes: for gVisor, whose
	// Sentry shares the box cgroup with the programs (so the cgroup cannot
	// be the per-run limit) and does not enforce RLIMIT_NPROC.
	PollRSS, PollProcs bool
	// ScanCPU charges the run the CPU times of every process in /proc
	// (with PollRSS or PollProcs: gVisor, where the box cgroup holds the
	// Sentry and cannot tell the programs' time).
	ScanCPU bool
}

// procResult adds to Result what only the caller can interpret.
type procResult struct {
	Result
	// MaxRSS is the peak resident set in bytes: rusage's (the process and
	// its waited children) when it is the program's own, else the highest
	// VmHWM the poller saw. (Go forks with CLONE_VM, so an exec'd child's
	// rusage maxrss starts at the parent's peak.)
	MaxRSS int64
}

// runProcess starts spec with its limits, enforces the wall clock and the
// output cap, and waits. It returns an error only for sandbox failures.
func runProcess(ctx context.Context, spec procSpec) (procResult, error) {
	r, err := startProcess(ctx, spec)
	if err != nil {
		return procResult{}, err
	}
	return r.wait()
}

// runningProc is a started program: startProcess forks it (in the
// helper, on the goroutine that reads the host's frames, so that the fork
// does not wait for another thread to be scheduled), and wait collects it.
type runningProc struct {
	ctx       context.Context
	spec      procSpec
	proc      *os.Process
	start     time.Time
	parentHWM int64

	closeAfterWait []*os.File
	outR, errR     *os.File
	stdinW         *os.File // our end of a stdin pipe we feed, if any

	mu       sync.Mutex
	killedBy Status

	wg       sync.WaitGroup
	outBytes int64
	wall     *time.Timer
	pollDone chan struct{}
	hwm      atomic.Int64
	stopCtx  func() bool
	// boxStart is BoxCPU before the fork; boxUsed the most CPU time the
	// poller saw the run's processes use (box counter or /proc).
	boxStart time.Duration
	boxUsed  atomic.Int64
}

// startProcess starts spec with its limits and the watchers of its wall
// clock, CPU time and output; wait collects it.
func startProcess(ctx context.Context, spec procSpec) (*runningProc, error) {
	l := spec.Limits
	if len(spec.Args) == 0 {
		return nil, errors.New("sandbox: empty command")
	}
	path, err := lookPath(spec.Args[0], spec.Env)
	if err != nil {
		return nil, err
	}
	r := &runningProc{ctx: ctx, spec: spec, killedBy: -1}
	if spec.BoxCPU != nil {
		if r.boxStart, err = spec.BoxCPU(); err != nil {
			return nil, err
		}
	}
	var closeAfterStart []*os.File
	ok := false
	defer func() {
		for _, f := range closeAfterStart {
			f.Close()
		}
		if !ok {
			for _, f := range r.closeAfterWait {
				f.Close()
			}
			if r.stdinW != nil {
				r.stdinW.Close()
			}
		}
	}()

	// stdin
	var stdin *os.File
	if spec.Stdin == nil {
		f, err := os.Open(os.DevNull)
		if err != nil {
			return nil, fmt.Errorf("sandbox: open %s: %w", os.DevNull, err)
		}
		stdin = f
		closeAfterStart = append(closeAfterStart, f)
	} else if f, ok := spec.Stdin.(*os.File); ok {
		stdin = f
	} else {
		pr, pw, err := os.Pipe()
		if err != nil {
			return nil, fmt.Errorf("sandbox: stdin pipe: %w", err)
		}
		stdin = pr
		closeAfterStart = append(closeAfterStart, pr)
		r.stdinW = pw
	}

	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: stdout pipe: %w", err)
	}
	closeAfterStart = append(closeAfterStart, outW)
	r.closeAfterWait = append(r.closeAfterWait, outR)
	errR, errW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: stderr pipe: %w", err)
	}
	closeAfterStart = append(closeAfterStart, errW)
	r.closeAfterWait = append(r.closeAfterWait, errR)
	r.outR, r.errR = outR, errR
	attr := &os.ProcAttr{
		Dir:   spec.Dir,
		Env:   spec.Env,
		Files: []*os.File{stdin, outW, errW},
		Sys: &syscall.SysProcAttr{
			Setpgid:   true,
			Pdeathsig: syscall.SIGKILL,
		},
	}
	if attr.Env == nil {
		attr.Env = []string{}
	}
	if spec.UID != 0 {
		attr.Sys.Credential = &syscall.Credential{Uid: uint32(spec.UID), Gid: uint32(spec.UID), Groups: []uint32{}}
	}
	// The parent's peak resident set, an upper bound of what an exec'd
	// child inherits as its rusage maxrss (see procResult.MaxRSS); one
	// system call, where /proc/self/status costs ~40 µs.
	var self syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) == nil {
		r.parentHWM = self.Maxrss * 1024
	}
	r.start = time.Now()
	proc, err := startLimited(path, spec, attr)
	if err != nil {
		return nil, err
	}
	r.proc = proc
	ok = true
	for _, f := range closeAfterStart {
		f.Close()
	}
	closeAfterStart = nil
	if r.stdinW != nil {
		// Not waited for: the reader may block (an interactive peer); the
		// goroutine ends when its next Read returns and the Write fails.
		go func(w *os.File) {
			io.Copy(w, spec.Stdin)
			w.Close()
		}(r.stdinW)
	}

	// Output readers: stdout is passed through up to the cap; one byte more
	// proves the overflow and kills the program, so at most the cap is ever
	// held or forwarded. stderr is kept up to its cap and drained after.
	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		r.outBytes = copyCapped(spec.Stdout, outR, l.OutputBytes, func() { r.kill(StatusOutputLimitExceeded) })
	}()
	go func() {
		defer r.wg.Done()
		copyCapped(spec.Stderr, errR, l.StderrBytes, nil)
	}()

	r.wall = time.AfterFunc(l.WallTime, func() { r.kill(StatusWallTimeExceeded) })
	// RLIMIT_CPU counts whole seconds; a poller stops a looping program
	// close to a fractional limit instead of at the next second.
	r.pollDone = make(chan struct{})
	lim := pollLimits{cpu: l.CPUTime, hwm: !spec.PollRSS, stack: uint64(l.StackBytes),
		boxCPU: spec.BoxCPU, boxStart: r.boxStart, scanCPU: spec.ScanCPU}
	if spec.PollRSS {
		lim.rss = l.MemoryBytes
	}
	if spec.PollProcs {
		lim.procs = l.Pids
	}
	go pollUsage(proc.Pid, lim, &r.hwm, &r.boxUsed, r.pollDone, func(why Status) {
		if why == StatusSignaled { // too many processes: killed, no verdict of its own
			why = StatusOK
		}
		r.kill(why)
	})
	r.stopCtx = context.AfterFunc(ctx, func() { r.kill(StatusInternalError) })
	return r, nil
}

func (r *runningProc) kill(why Status) {
	r.mu.Lock()
	if r.killedBy < 0 {
		r.killedBy = why
	}
	r.mu.Unlock()
	syscall.Kill(-r.proc.Pid, syscall.SIGKILL)
	r.proc.Kill()
}

// wait waits for the program, ends whatever it left behind, and builds the
// result.
func (r *runningProc) wait() (procResult, error) {
	var res procResult
	spec, l := r.spec, r.spec.Limits
	pid := r.proc.Pid
	defer func() {
		for _, f := range r.closeAfterWait {
			f.Close()
		}
		if r.stdinW != nil {
			r.stdinW.Close()
		}
	}()
	state, werr := r.proc.Wait()
	close(r.pollDone)
	r.wall.Stop()
	r.stopCtx()
	res.WallTime = time.Since(r.start)

	// Leftover processes (background jobs) hold the pipes open; kill them
	// so the readers see EOF, and bound the wait in case something escaped
	// the process group (bare runtime only: in a container KillAll reaches
	// everything).
	syscall.Kill(-pid, syscall.SIGKILL)
	var reaped time.Duration
	if spec.KillAll != nil {
		reaped = spec.KillAll()
	}
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(500 * time.Millisecond):
		r.outR.Close()
		r.errR.Close()
		<-done
	}
	if werr != nil {
		return res, fmt.Errorf("sandbox: wait %s: %w", spec.Args[0], werr)
	}

	ws := state.Sys().(syscall.WaitStatus)
	if ru, ok := state.SysUsage().(*syscall.Rusage); ok {
		res.CPUTime = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		// Every process of the run is gone now: the whole box's figure
		// counts what the program left running or never waited for.
		res.CPUTime = max(res.CPUTime+reaped, time.Duration(r.boxUsed.Load()))
		if spec.BoxCPU != nil {
			if now, err := spec.BoxCPU(); err == nil {
				res.CPUTime = max(res.CPUTime, now-r.boxStart)
			}
		}
		res.MaxRSS = ru.Maxrss * 1024
		if res.MaxRSS <= r.parentHWM || spec.PollRSS {
			// Maybe the parent's figure (or, under gVisor, the Sentry's
			// own notion of it): use the samples.
			res.MaxRSS = r.hwm.Load()
		}
	}
	res.OutputBytes = r.outBytes
	res.Result.Status = StatusOK
	switch {
	case ws.Exited():
		res.ExitCode = ws.ExitStatus()
	case ws.Signaled():
		res.Status = StatusSignaled
		res.Signal = int(ws.Signal())
		res.SignalName = SignalName(ws.Signal())
	}
	r.mu.Lock()
	why := r.killedBy
	r.mu.Unlock()
	switch {
	case why == StatusMemoryLimitExceeded:
		res.Status = why
		if res.MaxRSS < l.MemoryBytes {
			res.MaxRSS = l.MemoryBytes
		}
	case why == StatusTimeLimitExceeded:
		res.Status = why
		if res.CPUTime < l.CPUTime {
			// The poller saw the limit reached by children not yet waited
			// for; report at least the limit.
			res.CPUTime = l.CPUTime
		}
	case why == StatusInternalError:
		return res, fmt.Errorf("sandbox: run %s: %w", spec.Args[0], r.ctx.Err())
	case why == StatusOutputLimitExceeded:
		res.Status = why
	case res.CPUTime > l.CPUTime || (ws.Signaled() && ws.Signal() == syscall.SIGXCPU):
		// The CPU clock is the verdict clock: a run killed by the wall timer
		// that also used up its CPU time is a TLE, not a sleeper.
		res.Status = StatusTimeLimitExceeded
	case why == StatusWallTimeExceeded:
		res.Status = why
	}
	return res, nil
}

// pollLimits are the limits pollUsage checks; zero = not checked (cpu is
// always checked). rss and procs count every process of the container but
// the caller (gVisor mode: the helper is alone with the run).
type pollLimits struct {
	cpu time.Duration
	// boxCPU (with boxStart, its value at the fork) and scanCPU extend the
	// CPU check to the whole box (procSpec.BoxCPU, procSpec.ScanCPU).
	boxCPU   func() (time.Duration, error)
	boxStart time.Duration
	scanCPU  bool
	rss      int64
	procs    int
	hwm      bool // sample the program's VmHWM (when rss and procs are 0)
	// stack is set again as the program's hard (and soft) stack limit at
	// the first tick: the end of execve writes back the stack limit it
	// started with, which can undo the prlimit made right after the fork
	// returned (see startLimited).
	stack uint64
}

// pollUsage kills pid once its CPU time (with its waited-for children)
// exceeds lim.cpu, the container's resident memory exceeds lim.rss, or it
// holds more than lim.procs processes, checking often enough to stop a
// looping program within a few percent of its limit. It records in hwm the
// highest resident set seen (the program's VmHWM, or the container's sum).
func pollUsage(pid int, lim pollLimits, hwm, cpuUsed *atomic.Int64, done <-chan struct{}, kill func(Status)) {
	every := min(max(lim.cpu/20, 5*time.Millisecond), 50*time.Millisecond)
	whole := lim.rss > 0 || lim.procs > 0
	if whole {
		every = min(every, 10*time.Millisecond)
	}
	t := time.NewTicker(every)
	defer t.Stop()
	stat := "/proc/" + strconv.Itoa(pid) + "/stat"
	buf := make([]byte, 1024)
	if !whole && lim.hwm {
		// A first sample right away, off the start path: a program that
		// ends before the first tick still has a figure.
		hwm.Store(procHWM(pid))
	}
	for first := true; ; first = false {
		select {
		case <-done:
			return
		case <-t.C:
		}
		if first && lim.stack > 0 {
			r := unix.Rlimit{Cur: lim.stack, Max: lim.stack}
			unix.Prlimit(pid, unix.RLIMIT_STACK, &r, nil)
		}
		used, _ := procCPU(stat, buf)
		if lim.boxCPU != nil {
			if now, err := lim.boxCPU(); err == nil {
				used = max(used, now-lim.boxStart)
			}
		}
		var n int
		var rss int64
		if whole {
			var cpu time.Duration
			n, rss, cpu = scanProcs(buf)
			if lim.scanCPU {
				used = max(used, cpu)
			}
		}
		if int64(used) > cpuUsed.Load() {
			cpuUsed.Store(int64(used))
		}
		if used > lim.cpu {
			kill(StatusTimeLimitExceeded)
			return
		}
		if !whole {
			if !lim.hwm {
				continue
			}
			if h := procHWM(pid); h > hwm.Load() {
				hwm.Store(h)
			}
			continue
		}
		if rss > hwm.Load() {
			hwm.Store(rss)
		}
		if lim.rss > 0 && rss > lim.rss {
			kill(StatusMemoryLimitExceeded)
			return
		}
		if lim.procs > 0 && n > lim.procs {
			kill(StatusSignaled)
			return
		}
	}
}

// procHWM reads VmHWM (peak resident set of the current program image) of
// pid, in bytes; 0 if unknown.
func procHWM(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.Index(s, "VmHWM:")
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+len("VmHWM:"):])
	if len(f) < 2 || f[1] != "kB" {
		return 0
	}
	kb, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0
	}
	return kb << 10
}

// scanProcs counts the processes in /proc other than the caller and sums
// their resident sets and CPU times (each with its waited children's).
func scanProcs(buf []byte) (n int, rss int64, cpu time.Duration) {
	d, err := os.Open("/proc")
	if err != nil {
		return 0, 0, 0
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	self := strconv.Itoa(os.Getpid())
	for _, name := range names {
		if name == "" || name[0] < '0' || name[0] > '9' || name == self {
			continue
		}
		n++
		if st, ok := readProcStat("/proc/"+name+"/stat", buf); ok {
			rss += st.rss
			cpu += st.cpu
		}
	}
	return n, rss, cpu
}

// procStat is what the poller reads from /proc/<pid>/stat.
type procStat struct {
	cpu time.Duration // utime+stime+cutime+cstime
	rss int64         // resident set, bytes
}

// readProcStat reads /proc/<pid>/stat.
func readProcStat(path string, buf []byte) (procStat, bool) {
	f, err := os.Open(path)
	if err != nil {
		return procStat{}, false
	}
	n, _ := f.Read(buf)
	f.Close()
	s := string(buf[:n])
	// Fields after the command name, which may contain spaces and ')'.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procStat{}, false
	}
	f2 := strings.Fields(s[i+1:])
	// f2[0] is field 3 (state); utime is field 14 → f2[11]; rss is
	// field 24 → f2[21], in pages.
	if len(f2) < 22 {
		return procStat{}, false
	}
	var ticks int64
	for _, x := range f2[11:15] {
		v, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return procStat{}, false
		}
		ticks += v
	}
	pages, err := strconv.ParseInt(f2[21], 10, 64)
	if err != nil {
		return procStat{}, false
	}
	return procStat{cpu: time.Duration(ticks) * time.Second / clockTicks, rss: pages * int64(os.Getpagesize())}, true
}

// procCPU reads utime+stime+cutime+cstime from /proc/<pid>/stat.
func procCPU(path string, buf []byte) (time.Duration, bool) {
	st, ok := readProcStat(path, buf)
	return st.cpu, ok
}

// clockTicks is USER_HZ, 100 on every Linux ABI Go supports.
const clockTicks = 100

// closeStdinPipe closes the reading end of an in-process pipe that fed a
// finished run, as the kernel closes a dead process's stdin: the peer's
// next write fails instead of blocking forever (an interactive validator
// writing to a submission that has exited).
func closeStdinPipe(r io.Reader) {
	if p, ok := r.(*io.PipeReader); ok {
		p.CloseWithError(io.ErrClosedPipe)
	}
}

// copyCapped copies r to w (w may be nil), forwarding at most max bytes. It
// calls over once when a byte beyond max arrives, then keeps draining (and
// discarding) so the writer never blocks. It returns the bytes seen, counted
// up to max+1.
func copyCapped(w io.Writer, r io.Reader, max int64, over func()) int64 {
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, err := r.Read(buf)
		if k > 0 {
			room := max - n
			if room > 0 {
				chunk := buf[:min(int64(k), room)]
				if w != nil {
					if _, werr := w.Write(chunk); werr != nil {
						w = nil // the consumer is gone (interactive peer exited); keep draining
					}
				}
			}
			if int64(k) > room {
				if n <= max && over != nil {
					over()
				}
				n = max + 1
			} else {
				n += int64(k)
			}
		}
		if err != nil {
			return n
		}
	}
}

// SignalName returns the conventional name of a signal ("SIGSEGV").
func SignalName(s syscall.Signal) string {
	if name := unix.SignalName(s); name != "" {
		return name
	}
	return fmt.Sprintf("signal %d", int(s))
}
