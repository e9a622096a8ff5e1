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
	if err := fs.Parse(args); err != nil {
		return 2
	}
	h := &helper{
		out:     newFrameWriter(os.Stdout),
		workDir: *workDir,
		gvisor:  *gvisor,
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
					cur.input.push(append([]byte(nil), payload...))
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
		run.input = newInputQueue()
		go run.input.feed(w, func(n int) {
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], uint32(n))
			h.out.write(frameAck, b[:])
		})
	}
	h.mu.Lock()
	h.cur = run
	h.mu.Unlock()
	go func() {
		pr, err := runProcess(ctx, spec)
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
// re-parented to pid 1). On Linux kill(-1) from pid 1 reaches all of them
// at once; gVisor's kill(-1) also hits the caller, so there (and to catch
// anything forked meanwhile) the helper walks /proc.
func (h *helper) killAll() {
	if os.Getpid() != 1 {
		return // not in a container (tests of the helper itself)
	}
	// gVisor's ptrace platform kills thousands of processes slowly.
	deadline := time.Now().Add(2 * time.Second)
	if h.gvisor {
		deadline = time.Now().Add(10 * time.Second)
	}
	for {
		if !h.gvisor {
			syscall.Kill(-1, syscall.SIGKILL)
		}
		others := killOthers()
		for {
			var ws unix.WaitStatus
			pid, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
		if others == 0 {
			// Zombies not yet reaped would show in /proc; none left.
			return
		}
		if time.Now().After(deadline) {
			// Never run the next program in a box that is not clean: end
			// the box (the host sees the helper gone and reports an
			// internal error; the worker opens a fresh box).
			h.out.write(frameFatal, []byte("processes survive SIGKILL"))
			fmt.Fprintln(os.Stderr, "sandbox helper: processes survive SIGKILL; giving up the box")
			os.Exit(1)
		}
		time.Sleep(100 * time.Microsecond)
	}
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
// never block, or it would miss a kill) and the pipe to the program (which
// blocks when the program does not read). The host keeps at most
// stdinWindow bytes unacknowledged, which bounds the queue.
type inputQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	chunks [][]byte
	closed bool
}

func newInputQueue() *inputQueue {
	q := &inputQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *inputQueue) push(b []byte) {
	q.mu.Lock()
	if !q.closed {
		q.chunks = append(q.chunks, b)
	}
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *inputQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Signal()
}

// feed writes queued input to w until the queue is closed and empty, or the
// program stops reading; ack reports consumed bytes.
func (q *inputQueue) feed(w *os.File, ack func(int)) {
	defer w.Close()
	for {
		b, ok := q.next()
		if !ok {
			return
		}
		if _, err := w.Write(b); err != nil {
			// The program closed its input or exited: drop the rest, but
			// keep acknowledging so the host never waits on credit.
			ack(len(b))
			q.discard(ack)
			return
		}
		ack(len(b))
	}
}

func (q *inputQueue) discard(ack func(int)) {
	for {
		b, ok := q.next()
		if !ok {
			return
		}
		ack(len(b))
	}
}

// next waits for the next queued chunk; false once the queue is closed and
// empty.
func (q *inputQueue) next() ([]byte, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.chunks) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.chunks) == 0 {
		return nil, false
	}
	b := q.chunks[0]
	q.chunks = q.chunks[1:]
	return b, true
}
