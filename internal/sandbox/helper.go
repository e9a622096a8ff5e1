package sandbox

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The helper is pid 1 of every container. It reads run requests from its
// stdin (frames, see proto.go), forks each program (limits.go) as an
// unprivileged uid, streams the program's input and output, and after each
// run kills every other process in the container. Being pid 1 it cannot be
// killed from inside its pid namespace, and the programs run as a uid it
// does not share, so they can neither signal nor trace it; their only way to
// reach the host is the result it writes, which is built from the kernel's
// own accounting.

// Inside-container uids. The helper is 0 (mapped to an unprivileged host uid
// when user namespaces are on).
const (
	BuildUID = 1001 // trusted tools: compilers, validators (Cmd.Privileged)
	RunUID   = 1002 // the user's program
)

// HelperMain is the entry point of the in-container helper; it is reached
// through the package init when the binary is started as "__sandbox-init".
func HelperMain(args []string) int {
	fs := flag.NewFlagSet(helperArg, flag.ContinueOnError)
	workDir := fs.String("work", "/work", "default working directory")
	gvisor := fs.Bool("gvisor", false, "running under gVisor (runsc)")
	cpuCounter := fs.String("cpu-counter", "", "format of the box's CPU counter on fd 3 (ns or stat); empty = none")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	// The helper binary is execute-only, which makes the kernel start the
	// helper non-dumpable: its /proc files belong to the host's root, and
	// nothing in the box (the helper itself included) may open them. It
	// opens its own OOM score while it briefly may, and stays
	// non-dumpable: programs cannot even look at /proc/1.
	unix.Prctl(unix.PR_SET_DUMPABLE, 1, 0, 0, 0)
	forkMu.Lock()
	openOOMFile()
	forkMu.Unlock()
	unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
	h := &helper{
		out:     newFrameWriter(os.Stdout),
		workDir: *workDir,
		gvisor:  *gvisor,
	}
	if *cpuCounter != "" {
		clock, err := newBoxClock(cpuFD, *cpuCounter)
		if err != nil {
			fmt.Fprintln(os.Stderr, "sandbox helper:", err)
			h.out.write(frameFatal, []byte(err.Error()))
			return 1
		}
		h.clock = clock
	}
	if err := h.serve(os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox helper:", err)
		h.out.write(frameFatal, []byte(err.Error()))
		h.killAll()
		return 1
	}
	h.killAll()
	return 0
}

type helper struct {
	out     *frameWriter
	workDir string
	gvisor  bool
	clock   *boxClock // the box's CPU counter; nil under gVisor

	mu  sync.Mutex
	cur *helperRun
}

// helperRun is the run in progress.
type helperRun struct {
	cancel context.CancelFunc
	input  *inputQueue // nil when the program has no input
}

func (h *helper) serve(in io.Reader) error {
	if err := h.out.writeJSON(frameHello, hello{Version: protoVersion, Pid: os.Getpid()}); err != nil {
		return err
	}
	fr := newFrameReader(in)
	buf := make([]byte, 64<<10)
	for {
		typ, payload, err := fr.read(buf)
		if err == io.EOF {
			return nil // the host closed the box
		}
		if err != nil {
			return err
		}
		switch typ {
		case frameRun:
			var req runRequest
			if err := json.Unmarshal(payload, &req); err != nil {
				return fmt.Errorf("bad run request: %w", err)
			}
			h.mu.Lock()
			busy := h.cur != nil
			h.mu.Unlock()
			if busy {
				return fmt.Errorf("run request while a run is active")
			}
			h.start(req)
		case frameStdin, frameStdinEOF:
			h.mu.Lock()
			cur := h.cur
			h.mu.Unlock()
			if cur != nil && cur.input != nil {
				if typ == frameStdinEOF {
					cur.input.close()
				} else {
					cur.input.push(payload)
				}
			}
			// else: input that raced with the end of the run; dropped.
		case frameKill:
			h.mu.Lock()
			if h.cur != nil {
				h.cur.cancel()
			}
			h.mu.Unlock()
		default:
			return fmt.Errorf("unknown frame %q", typ)
		}
	}
}

func (h *helper) start(req runRequest) {
	ctx, cancel := context.WithCancel(context.Background())
	run := &helperRun{cancel: cancel}
	spec := procSpec{
		Args:      req.Args,
		Env:       req.Env,
		Dir:       req.Dir,
		Limits:    req.Limits.normalize(),
		Stdout:    streamWriter{h.out, frameStdout},
		Stderr:    streamWriter{h.out, frameStderr},
		UID:       RunUID,
		NProc:     true,
		OOMVictim: true,
		KillAll:   h.killAll,
		PollRSS:   h.gvisor,
		PollProcs: h.gvisor,
		ScanCPU:   h.gvisor,
	}
	if h.clock != nil {
		spec.BoxCPU = h.clock.now
	}
	if req.Privileged {
		spec.UID = BuildUID
	}
	if spec.Dir == "" {
		spec.Dir = h.workDir
	} else if !filepath.IsAbs(spec.Dir) {
		spec.Dir = filepath.Join(h.workDir, spec.Dir)
	}
	var inR *os.File
	if req.Stdin {
		r, w, err := os.Pipe()
		if err != nil {
			h.out.writeJSON(frameDone, runReply{Error: "stdin pipe: " + err.Error()})
			cancel()
			return
		}
		inR = r
		spec.Stdin = r
		ack := func(n int) {
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], uint32(n))
			h.out.write(frameAck, b[:])
		}
		// StdinAll: the host sent it all at once and needs no credit.
		run.input = newInputQueue(w, ack, !req.StdinAll)
		// A pipe as large as the window takes the whole of a small input
		// at once (stdinWindow bounds what the host sends unacknowledged).
		// (Through SyscallConn: Fd() would make the pipe blocking.)
		if rc, err := w.SyscallConn(); err == nil {
			rc.Control(func(fd uintptr) { unix.FcntlInt(fd, unix.F_SETPIPE_SZ, stdinWindow) })
		}
		go run.input.feed()
	}
	// The fork happens here, on the goroutine that reads the host's frames:
	// handing it to another goroutine costs a thread wake-up (~0.1 ms on a
	// busy host) per test. Frames that arrive meanwhile wait in the pipe.
	rp, err := startProcess(ctx, spec)
	if err != nil {
		if inR != nil {
			inR.Close()
			run.input.close()
		}
		cancel()
		h.out.writeJSON(frameDone, runReply{Error: err.Error()})
		return
	}
	h.mu.Lock()
	h.cur = run
	h.mu.Unlock()
	go func() {
		pr, err := rp.wait()
		if err == nil && os.Getpid() == 1 {
			// Every process of the run is gone: nothing of it may reach
			// the next run through System V IPC either.
			if ierr := removeIPC(); ierr != nil {
				err = fmt.Errorf("sandbox: remove IPC objects: %w", ierr)
			}
		}
		if h.gvisor && err == nil {
			// Every process of the run is gone: empty what the host cannot
			// see (see the runsc capabilities in spec.go); the host empties
			// the same directories from its side too.
			if cerr := emptyDirs(gvisorScratch); cerr != nil {
				err = fmt.Errorf("sandbox: empty /tmp: %w", cerr)
			}
		}
		if inR != nil {
			inR.Close() // a blocked feed write now fails
			run.input.close()
		}
		h.mu.Lock()
		h.cur = nil
		h.mu.Unlock()
		cancel()
		reply := runReply{Result: pr.Result, MaxRSS: pr.MaxRSS}
		if err != nil {
			reply.Error = err.Error()
		}
		h.out.writeJSON(frameDone, reply)
	}()
}

// killAll kills every process of the container but the helper, whatever
// their uid, session or process group, and reaps them (orphans are
// re-parented to pid 1); it returns the CPU time of those it reaped. On Linux kill(-1) from pid 1 reaches all of them
// at once; gVisor's kill(-1) also hits the caller, so there (and to catch
// anything forked meanwhile) the helper walks /proc.
func (h *helper) killAll() (reaped time.Duration) {
	if os.Getpid() != 1 {
		return 0 // not in a container (tests of the helper itself)
	}
	// Under runc every other process of the pid namespace descends from
	// pid 1 (nothing enters it from outside: no runc exec), and a process
	// whose parent dies is re-parented to pid 1 before that parent can be
	// reaped; so once pid 1 has no child left, not even a zombie, the
	// container holds no other process. That is one wait4 for a run that
	// left nothing behind, the common case, instead of a kill(-1) (which
	// walks every task of the host) and a walk of /proc.
	if !h.gvisor && noChildren() {
		return 0
	}
	// Dying processes need CPU time to exit, and the box's CPU quota may be
	// spent (a fork bomb) on a loaded host: be patient before giving up.
	deadline := time.Now().Add(killDeadline)
	for {
		if !h.gvisor {
			syscall.Kill(-1, syscall.SIGKILL)
		}
		others := 0
		if h.gvisor {
			others = killOthers()
		}
		for {
			var ws unix.WaitStatus
			var ru unix.Rusage
			pid, err := unix.Wait4(-1, &ws, unix.WNOHANG, &ru)
			if pid <= 0 || err != nil {
				break
			}
			reaped += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
		if h.gvisor && others == 0 || !h.gvisor && noChildren() {
			// Zombies not yet reaped would show in /proc; none left.
			return reaped
		}
		if time.Now().After(deadline) {
			// Never run the next program in a box that is not clean: end
			// the box (the host sees the helper gone and reports an
			// internal error; the worker opens a fresh box).
			h.out.write(frameFatal, []byte("processes survive SIGKILL"))
			fmt.Fprintln(os.Stderr, "sandbox helper: processes survive SIGKILL; giving up the box")
			os.Exit(1)
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// gvisorScratch are the directories emptied after each run under gVisor.
var gvisorScratch = []string{"/tmp", "/dev/shm"}

// emptyDirs removes the entries of dirs (os.RemoveAll never follows a
// symlink).
func emptyDirs(dirs []string) error {
	for _, d := range dirs {
		f, err := os.Open(d)
		if err != nil {
			return err
		}
		names, err := f.Readdirnames(-1)
		f.Close()
		if err != nil {
			return err
		}
		for _, n := range names {
			if err := os.RemoveAll(filepath.Join(d, n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// killDeadline bounds how long killAll waits for killed processes to exit.
const killDeadline = 10 * time.Second

// noChildren reports whether the caller has no child process left, alive
// or zombie.
func noChildren() bool {
	var info unix.Siginfo
	err := unix.Waitid(unix.P_ALL, 0, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil)
	return err == unix.ECHILD
}

// killOthers sends SIGKILL to every process in /proc but the caller and
// returns how many it found.
func killOthers() int {
	d, err := os.Open("/proc")
	if err != nil {
		return 0
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	self := os.Getpid()
	n := 0
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || pid == self {
			continue
		}
		syscall.Kill(pid, syscall.SIGKILL)
		n++
	}
	return n
}

// inputQueue holds program input between the frame reader (which must
// never block, or it would miss a kill, and the host would wait on it) and
// the pipe to the program (which blocks when the program does not read).
// The host keeps at most stdinWindow bytes unacknowledged, which bounds the
// queue. While nothing is queued, push writes straight into the pipe when
// it has room (the usual case: the whole input of a test fits), and close
// closes it: the program gets its input without waiting for the feeding
// goroutine to be scheduled. Acknowledgements (credit for the host) are
// only ever sent by the feeding goroutine: a write to the host may block.
type inputQueue struct {
	w    *os.File
	ack  func(int)
	acks bool // the host wants credit back

	mu         sync.Mutex
	cond       *sync.Cond
	chunks     [][]byte
	pendingAck int  // written or dropped, not yet acknowledged
	closed     bool // no more input will come
	writing    bool // feed is writing a chunk outside the lock
	done       bool // the pipe is closed: input is dropped
}

func newInputQueue(w *os.File, ack func(int), acks bool) *inputQueue {
	q := &inputQueue{w: w, ack: ack, acks: acks}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// closeW closes the pipe once (q.mu held).
func (q *inputQueue) closeW() {
	if !q.done {
		q.done = true
		q.w.Close()
	}
}

// credit records n bytes to acknowledge (q.mu held).
func (q *inputQueue) credit(n int) {
	if q.acks && n > 0 {
		q.pendingAck += n
		q.cond.Signal()
	}
}

// push queues b or writes it to the pipe; it never blocks. b is the
// caller's buffer, copied if kept.
func (q *inputQueue) push(b []byte) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if q.done { // the program is gone or stopped reading: drop it
		q.credit(len(b))
		return
	}
	if len(q.chunks) == 0 && !q.writing {
		n := q.tryWrite(b)
		q.credit(n)
		b = b[n:]
		if q.done {
			q.credit(len(b))
			return
		}
		if len(b) == 0 {
			return
		}
	}
	q.chunks = append(q.chunks, append([]byte(nil), b...))
	q.cond.Signal()
}

// tryWrite writes what fits into the pipe without blocking (q.mu held).
func (q *inputQueue) tryWrite(b []byte) int {
	rc, err := q.w.SyscallConn()
	if err != nil {
		return 0
	}
	written, broken := 0, false
	rc.Control(func(fd uintptr) {
		for written < len(b) {
			n, err := unix.Write(int(fd), b[written:])
			if n > 0 {
				written += n
			}
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				broken = err != unix.EAGAIN // EPIPE: the program closed its input
				return
			}
		}
	})
	if broken {
		// Not inside Control: Close waits for the reference Control holds.
		q.closeW()
	}
	return written
}

// close ends the input (the host's end of input, or the end of the run).
func (q *inputQueue) close() {
	q.mu.Lock()
	q.closed = true
	if len(q.chunks) == 0 && !q.writing {
		q.closeW()
	}
	q.mu.Unlock()
	q.cond.Signal()
}

// feed writes queued input to the pipe and sends the acknowledgements,
// until the queue is closed and empty.
func (q *inputQueue) feed() {
	for {
		b, ack, more := q.next()
		if ack > 0 {
			q.ack(ack)
		}
		if b != nil {
			_, err := q.w.Write(b)
			q.mu.Lock()
			q.writing = false
			n := len(b)
			if err != nil {
				// The program closed its input or exited: drop the rest,
				// but keep acknowledging so the host never waits on credit.
				q.closeW()
				for _, c := range q.chunks {
					n += len(c)
				}
				q.chunks = nil
			}
			if q.closed && len(q.chunks) == 0 {
				q.closeW()
			}
			q.mu.Unlock()
			if q.acks {
				q.ack(n)
			}
		}
		if !more {
			return
		}
	}
}

// next waits for a chunk to write or credit to return; more is false once
// the queue is closed and nothing is left.
func (q *inputQueue) next() (b []byte, ack int, more bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.chunks) == 0 && q.pendingAck == 0 && !q.closed {
		q.cond.Wait()
	}
	ack, q.pendingAck = q.pendingAck, 0
	if len(q.chunks) > 0 {
		b, q.chunks = q.chunks[0], q.chunks[1:]
		q.writing = true
		return b, ack, true
	}
	if q.closed {
		q.closeW()
		return nil, ack, false
	}
	return nil, ack, true
}
