package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

type ociKind int

const (
	ociRunc ociKind = iota
	ociRunsc
)

func (k ociKind) String() string {
	if k == ociRunsc {
		return "runsc"
	}
	return "runc"
}

// helperMemoryReserve is the memory kept for the helper beyond what a run
// can leave in the box's file systems (see helperFloor).
const helperMemoryReserve = 16 << 20

// runHangGrace is how long past a run's wall clock the host waits for the
// helper's answer before giving the box up (the helper itself answers
// within its kill deadline, killDeadline).
const runHangGrace = 30 * time.Second

// userNSBase is the host uid (and gid) of uid 0 inside user-namespaced
// containers; container uids 0..65535 map to userNSBase.. on the host, a range
// no host account uses.
const userNSBase = 1 << 30

// ociRuntime starts one container per box through runc or runsc, with a
// bundle (config.json + empty read-only root) generated per box.
type ociRuntime struct {
	kind     ociKind
	bin      string
	stateDir string
	boxRoot  string
	helper   string // host path of the helper binary as given
	userNS   bool
	extra    []string

	helperOnce sync.Once
	helperReal string // the helper binary's real path
	helperErr  error

	sweepOnce sync.Once // the first Open sweeps what killed processes left

	mu   sync.Mutex
	live map[string]bool // ids of boxes open in this process
}

func newOCI(kind ociKind, opts Options) (Runtime, error) {
	r := &ociRuntime{
		kind:     kind,
		bin:      opts.Binary,
		stateDir: opts.StateDir,
		boxRoot:  opts.BoxDir,
		helper:   opts.Helper,
		userNS:   !opts.NoUserNS && kind == ociRunc,
		extra:    opts.ExtraArgs,
		live:     map[string]bool{},
	}
	if r.stateDir == "" {
		r.stateDir = "/run/segfault-sandbox/" + kind.String()
	}
	if r.boxRoot == "" {
		r.boxRoot = "/run/segfault-sandbox/boxes-" + kind.String()
	}
	if r.bin == "" {
		r.bin = findBinary(kind.String())
	}
	if r.helper == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("sandbox: helper binary: %w", err)
		}
		r.helper = exe
	}
	if kind == ociRunsc {
		// --oci-seccomp applies the spec's syscall filter inside the
		// Sentry too (gVisor emulates unshare, mount... by itself).
		r.extra = append([]string{"--platform=ptrace", "--network=none", "--oci-seccomp"}, r.extra...)
	}
	return r, nil
}

func findBinary(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range []string{"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"} {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return name
}

func (r *ociRuntime) Name() string { return r.kind.String() }

func (r *ociRuntime) Check(ctx context.Context) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("sandbox: %s needs root (cgroups, mounts)", r.Name())
	}
	if _, err := exec.LookPath(r.bin); err != nil {
		return fmt.Errorf("sandbox: %s not found (install the Debian package %q): %w", r.bin, r.Name(), err)
	}
	if !hostCgroups.v2() {
		if _, err := os.Stat(filepath.Join(hostCgroups.root, "memory")); err != nil {
			return fmt.Errorf("sandbox: no memory cgroup controller: %w", err)
		}
	}
	if _, err := r.helperPath(); err != nil {
		return err
	}
	return r.makeDirs()
}

// makeDirs creates the box root (first: parents it creates are searchable)
// and the state dir, and checks that the box root can be searched by the
// container's root, which is nobody on the host in a user namespace.
func (r *ociRuntime) makeDirs() error {
	if err := os.MkdirAll(r.boxRoot, 0o711); err != nil {
		return fmt.Errorf("sandbox: box root: %w", err)
	}
	if err := os.MkdirAll(r.stateDir, 0o700); err != nil {
		return fmt.Errorf("sandbox: state dir: %w", err)
	}
	if !r.userNS {
		return nil
	}
	for dir := r.boxRoot; ; dir = filepath.Dir(dir) {
		st, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("sandbox: box root: %w", err)
		}
		if st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("sandbox: box root %s: %s is not searchable by others (chmod o+x), which the user-namespaced container needs", r.boxRoot, dir)
		}
		if dir == "/" || dir == "." {
			return nil
		}
	}
}

// helperPath returns the host path of the helper binary bound into boxes:
// its execute-only copy (helperCopy).
func (r *ociRuntime) helperPath() (string, error) {
	r.helperOnce.Do(func() {
		real, err := filepath.EvalSymlinks(r.helper)
		if err == nil {
			_, err = os.Stat(real)
		}
		if err != nil {
			r.helperErr = fmt.Errorf("sandbox: helper binary: %w", err)
			return
		}
		r.helperReal = real
	})
	if r.helperErr != nil {
		return "", r.helperErr
	}
	return helperCopy(r.helperReal)
}

func (r *ociRuntime) runtimeCmd(ctx context.Context, args ...string) *exec.Cmd {
	full := append([]string{"--root", r.stateDir}, r.extra...)
	full = append(full, args...)
	return exec.CommandContext(ctx, r.bin, full...)
}

// Cleanup removes what a crashed or killed process left: containers in the
// state dir, box directories (unmounting their tmpfs mounts), and their
// cgroups. Boxes open in this process, and boxes another process sharing
// the dirs holds the lock of, are kept. The first Open of a runtime calls
// it.
func (r *ociRuntime) Cleanup(ctx context.Context) error {
	if err := r.makeDirs(); err != nil {
		return err
	}
	containers, dirs, err := r.deadBoxes()
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range containers {
		if out, err := r.runtimeCmd(ctx, "delete", "--force", id).CombinedOutput(); err != nil {
			// A state dir without a container is not worth failing for.
			if _, serr := os.Stat(filepath.Join(r.stateDir, id)); serr == nil {
				if rerr := removeTree(filepath.Join(r.stateDir, id)); rerr != nil {
					errs = append(errs, fmt.Errorf("sandbox: delete %s: %v: %s", id, err, bytes.TrimSpace(out)))
				}
			}
		}
	}
	for _, id := range dirs {
		if err := removeBoxDir(filepath.Join(r.boxRoot, id)); err != nil {
			errs = append(errs, err)
		}
	}
	if err := hostCgroups.removeStale(append(containers, dirs...)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// deadBoxes lists the containers (in the state dir) and box dirs of boxes
// that are not alive: neither open in this process nor locked by another
// process sharing the dirs. It holds the sweep lock exclusively while it
// looks, so that no box is seen between its creation and its lock (see
// create); a box found dead stays dead, and boxes made later are not in
// the lists.
func (r *ociRuntime) deadBoxes() (containers, dirs []string, err error) {
	guard, err := lockPath(filepath.Join(r.boxRoot, ".lock"), unix.LOCK_EX)
	if err != nil {
		return nil, nil, fmt.Errorf("sandbox: sweep lock: %w", err)
	}
	defer guard.Close()
	r.mu.Lock()
	live := make(map[string]bool, len(r.live))
	for id := range r.live {
		live[id] = true
	}
	r.mu.Unlock()
	dead := func(dir string) []string {
		var ids []string
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			id := e.Name()
			if e.IsDir() && strings.HasPrefix(id, "sbx-") && !live[id] && !boxLocked(filepath.Join(r.boxRoot, id)) {
				ids = append(ids, id)
			}
		}
		return ids
	}
	return dead(r.stateDir), dead(r.boxRoot), nil
}

// removeBoxDir unmounts the tmpfs mounts of a box dir and removes the dir
// by unlinking, never following links.
func removeBoxDir(dir string) error {
	for _, m := range []string{"rootfs", "work", "scratch"} {
		for {
			// Stacked mounts are possible after a crash in the middle of Open.
			if err := unix.Unmount(filepath.Join(dir, m), unix.MNT_DETACH|unix.UMOUNT_NOFOLLOW); err != nil {
				break
			}
		}
	}
	if err := removeTree(dir); err != nil {
		return fmt.Errorf("sandbox: remove box dir %s: %w", dir, err)
	}
	return nil
}

// boxLocked reports whether a live process holds the lock of a box dir.
func boxLocked(dir string) bool {
	fd, err := unix.Open(filepath.Join(dir, ".lock"), unix.O_RDWR|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return true
	}
	unix.Flock(fd, unix.LOCK_UN)
	return false
}

func killPid(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

func newBoxID() string {
	var b [6]byte
	rand.Read(b[:])
	return "sbx-" + hex.EncodeToString(b[:])
}

func (r *ociRuntime) Open(ctx context.Context, opts BoxOptions) (Box, error) {
	opts = opts.normalize()
	helper, err := r.helperPath()
	if err != nil {
		return nil, err
	}
	if err := r.makeDirs(); err != nil {
		return nil, err
	}
	// At every start, what a killed process of these dirs left (its
	// containers, box dirs, mounts, cgroups) goes, never a live box of
	// another process.
	r.sweepOnce.Do(func() {
		if err := r.Cleanup(ctx); err != nil {
			slog.Warn("sandbox: cleanup of boxes left by a killed process failed", "err", err)
		}
	})
	id := newBoxID()
	b := &ociBox{rt: r, id: id, dir: filepath.Join(r.boxRoot, id), opts: opts, workFD: -1, scratchFD: -1, lockFD: -1}
	r.mu.Lock()
	r.live[id] = true
	r.mu.Unlock()
	err = b.create()
	if err == nil {
		err = b.start(ctx, helper)
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("sandbox: open %s box: %w", r.Name(), err)
	}
	return b, nil
}

// ociBox is one running container and its helper.
type ociBox struct {
	rt        *ociRuntime
	id        string
	dir       string
	opts      BoxOptions
	workFD    int
	scratchFD int // tmpfs holding /tmp and /dev/shm
	lockFD    int // flock held while the box is alive
	// scratchFresh is the scratch tmpfs's statfs when it holds only the
	// empty /tmp and /dev/shm: a run that leaves it so needs no cleanup.
	scratchFresh scratchUsage

	cmd      *exec.Cmd
	waitCh   chan struct{} // closed when the runtime process exited
	toHelp   io.WriteCloser
	fromHelp io.ReadCloser
	out      *frameWriter
	in       *frameReader
	stderr   *tailBuffer
	mem      *memCgroup
	// helperPid is the helper's pid on the host (runc; 0 if unknown).
	helperPid int

	mu     sync.Mutex // one Run at a time; guards dead/closed
	dead   error      // set when the helper is gone
	closed bool
}

func (b *ociBox) hostUID(uid int) int {
	if b.rt.userNS {
		return userNSBase + uid
	}
	return uid
}

// create makes the box dir and takes its lock, which says "alive" to a
// Cleanup in another process sharing these dirs (the kernel drops it if
// this process dies). The sweep lock, held shared meanwhile, keeps such a
// Cleanup from seeing the dir before it is locked.
func (b *ociBox) create() error {
	guard, err := lockPath(filepath.Join(b.rt.boxRoot, ".lock"), unix.LOCK_SH)
	if err != nil {
		return fmt.Errorf("sweep lock: %w", err)
	}
	defer guard.Close()
	if err := os.Mkdir(b.dir, 0o711); err != nil {
		return err
	}
	lock, err := unix.Open(filepath.Join(b.dir, ".lock"), unix.O_RDWR|unix.O_CREAT|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	b.lockFD = lock
	if err := unix.Flock(lock, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return fmt.Errorf("lock box dir: %w", err)
	}
	return nil
}

func (b *ociBox) start(ctx context.Context, helper string) error {
	// The root is a small tmpfs of its own: mountinfo then shows "/" of a
	// tmpfs, not the box dir's path on the host; the runtime makes it
	// read-only once the mount points are in.
	rootfs := filepath.Join(b.dir, "rootfs")
	if err := os.Mkdir(rootfs, 0o755); err != nil {
		return err
	}
	root := b.hostUID(0)
	data := fmt.Sprintf("size=4m,nr_inodes=4096,mode=0755,uid=%d,gid=%d", root, root)
	if err := unix.Mount("tmpfs", rootfs, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, data); err != nil {
		return fmt.Errorf("mount root tmpfs: %w", err)
	}
	if err := populateRoot(rootfs, root); err != nil {
		return fmt.Errorf("box root: %w", err)
	}
	work := filepath.Join(b.dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		return err
	}
	// The work dir is a tmpfs of its own: its size is bounded, it vanishes
	// with the box, and the host never writes to a disk the program can fill.
	owner := b.hostUID(BuildUID)
	data = fmt.Sprintf("size=%d,mode=0755,uid=%d,gid=%d,nr_inodes=16384", b.opts.WorkBytes, owner, owner)
	if err := unix.Mount("tmpfs", work, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, data); err != nil {
		return fmt.Errorf("mount work tmpfs: %w", err)
	}
	fd, err := unix.Open(work, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return fmt.Errorf("open work dir: %w", err)
	}
	b.workFD = fd
	// /tmp and /dev/shm are directories of a second tmpfs, mounted here so
	// that the host can empty them between runs (nothing a program leaves
	// there reaches the next test) and bound their size under gVisor too.
	scratch := filepath.Join(b.dir, "scratch")
	if err := os.Mkdir(scratch, 0o755); err != nil {
		return err
	}
	data = fmt.Sprintf("size=%d,mode=0755,uid=%d,gid=%d,nr_inodes=16384", b.opts.TmpBytes, root, root)
	if err := unix.Mount("tmpfs", scratch, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, data); err != nil {
		return fmt.Errorf("mount scratch tmpfs: %w", err)
	}
	if fd, err = unix.Open(scratch, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0); err != nil {
		return fmt.Errorf("open scratch dir: %w", err)
	}
	b.scratchFD = fd
	for _, d := range scratchDirs {
		if err := unix.Mkdirat(fd, d, 0o1777); err != nil {
			return fmt.Errorf("scratch %s: %w", d, err)
		}
		// mkdir applies the umask; the sticky world-writable mode is meant.
		if err := unix.Fchmodat(fd, d, 0o1777, 0); err != nil {
			return err
		}
		if err := unix.Fchownat(fd, d, root, root, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return err
		}
	}
	if b.scratchFresh, err = statScratch(fd); err != nil {
		return fmt.Errorf("scratch: %w", err)
	}

	binds, err := boxBinds(b.opts.ExtraBinds)
	if err != nil {
		return err
	}
	raiseSandboxWeight()
	// runc: the box's CPU counter, for the helper (runsc's cgroup holds the
	// Sentry: the helper counts there itself).
	var cpuCounter *os.File
	var cpuFormat string
	if b.rt.kind == ociRunc {
		if cpuCounter, cpuFormat, err = hostCgroups.openCPUCounter(b.id); err != nil {
			return err
		}
		defer cpuCounter.Close() // the runtime has passed it on once started
	}
	spec := buildSpec(specInput{
		kind: b.rt.kind, boxDir: b.dir, helper: helper, binds: binds, opts: b.opts,
		cgroup: "/" + cgroupParent + "/" + b.id, userNS: b.rt.userNS, hostBase: userNSBase,
		hostname: "sandbox", cpuCounter: cpuFormat,
	})
	cfg, err := json.MarshalIndent(spec, "", "\t")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.dir, "config.json"), cfg, 0o644); err != nil {
		return err
	}

	// Not CommandContext: the runtime must outlive a cancelled Open long
	// enough to tear its container down; Close kills it if it must.
	//
	// runc in the foreground relays the container's stdio through pipes and
	// copying goroutines of its own: two more process hops for every frame,
	// ~0.1-0.2 ms per test. Detached (runc), the helper inherits our pipes
	// and runc exits once the container runs; Close deletes the container.
	// runsc keeps the foreground mode: its sandbox process hands the fds to
	// the Sentry itself.
	args := []string{"run"}
	if b.detached() {
		args = append(args, "--detach")
	}
	if cpuCounter != nil {
		args = append(args, "--preserve-fds", "1")
	}
	cmd := b.rt.runtimeCmd(context.Background(), append(args, "--bundle", b.dir, b.id)...)
	cmd.Dir = b.dir
	if cpuCounter != nil {
		cmd.ExtraFiles = []*os.File{cpuCounter} // fd 3 = cpuFD
	}
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
	b.stderr = &tailBuffer{max: 8 << 10}
	var toHelper io.WriteCloser
	var fromHelper io.ReadCloser
	var theirs []*os.File // the container's ends, closed here once started
	closeTheirs := func() {
		for _, f := range theirs {
			f.Close()
		}
	}
	if b.detached() {
		var files [6]*os.File
		for i := 0; i < 6; i += 2 {
			if files[i], files[i+1], err = os.Pipe(); err != nil {
				for _, f := range files[:i] {
					f.Close()
				}
				return err
			}
		}
		cmd.Stdin, cmd.Stdout, cmd.Stderr = files[0], files[3], files[5]
		toHelper, fromHelper = files[1], files[2]
		theirs = []*os.File{files[0], files[3], files[5]}
		errR := files[4]
		// Ends when the helper and runc have both closed their stderr.
		go func() { io.Copy(b.stderr, errR); errR.Close() }()
	} else {
		if toHelper, err = cmd.StdinPipe(); err != nil {
			return err
		}
		if fromHelper, err = cmd.StdoutPipe(); err != nil {
			return err
		}
		cmd.Stderr = b.stderr
	}
	// Its own process group: a ^C at the worker's terminal must not reach
	// the container before the worker closes it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		closeTheirs()
		if b.detached() {
			toHelper.Close()
			fromHelper.Close()
		}
		return fmt.Errorf("start %s: %w", b.rt.bin, err)
	}
	closeTheirs()
	b.cmd = cmd
	b.waitCh = make(chan struct{})
	go func() { cmd.Wait(); close(b.waitCh) }()
	b.toHelp = toHelper
	b.fromHelp = fromHelper
	b.out = newFrameWriter(toHelper)
	b.in = newFrameReader(fromHelper)

	helloCh := make(chan error, 1)
	go func() {
		typ, payload, err := b.in.read(nil)
		switch {
		case err != nil:
			helloCh <- fmt.Errorf("no hello from the helper: %v", err)
		case typ != frameHello:
			helloCh <- fmt.Errorf("helper said %q: %s", typ, payload)
		default:
			var h hello
			if err := json.Unmarshal(payload, &h); err != nil || h.Version != protoVersion {
				helloCh <- fmt.Errorf("helper protocol %q, want version %d", payload, protoVersion)
				return
			}
			helloCh <- nil
		}
	}()
	timer := time.NewTimer(helloTimeout)
	defer timer.Stop()
	select {
	case err = <-helloCh:
	case <-ctx.Done():
		err = ctx.Err()
	case <-timer.C:
		err = errors.New("timed out waiting for the container")
	}
	if err != nil {
		toHelper.Close()
		select {
		case <-b.waitCh:
		case <-time.After(2 * time.Second):
		}
		return fmt.Errorf("%w; %s: %s", err, b.rt.Name(), b.stderr.String())
	}
	// Under gVisor the cgroup also holds the Sentry: per-run limits and
	// peaks come from inside (rusage, RSS polling), the cgroup is only the
	// box ceiling.
	if mem, err := hostCgroups.openMem(b.id); err == nil && b.rt.kind == ociRunc {
		b.mem = mem
		// Make the helper the OOM killer's last choice; it may not lower its
		// own score inside a user namespace, so the host does it. Right after
		// the hello the helper is the only process of the box.
		if pids, err := os.ReadFile(filepath.Join(mem.dir, "cgroup.procs")); err == nil {
			for _, f := range strings.Fields(string(pids)) {
				os.WriteFile("/proc/"+f+"/oom_score_adj", []byte("-1000"), 0)
				fmt.Sscan(f, &b.helperPid)
			}
		}
	}
	return nil
}

func (b *ociBox) WorkDir() string { return containerWork }

func (b *ociBox) usable() error {
	if b.closed {
		return errors.New("sandbox: box closed")
	}
	if b.dead != nil {
		return b.dead
	}
	return nil
}

func (b *ociBox) WriteFile(name string, data []byte, mode uint32) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return err
	}
	return writeFileAt(b.workFD, name, data, mode, b.hostUID(BuildUID))
}

func (b *ociBox) MkdirAll(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return err
	}
	return mkdirAt(b.workFD, name, b.hostUID(BuildUID))
}

func (b *ociBox) ReadFile(name string, max int64) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return nil, err
	}
	return readFileAt(b.workFD, name, max)
}

func (b *ociBox) Files(max int64) ([]File, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.usable(); err != nil {
		return nil, err
	}
	return filesAt(b.workFD, max)
}

func (b *ociBox) Run(ctx context.Context, cmd Cmd) (Result, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fail := func(err error) (Result, error) {
		return Result{Status: StatusInternalError, Message: err.Error()}, err
	}
	if err := b.usable(); err != nil {
		return fail(err)
	}
	if len(cmd.Args) == 0 {
		return fail(errors.New("sandbox: empty command"))
	}
	if cmd.Limits.Pids <= 0 || cmd.Limits.Pids > b.opts.Pids {
		cmd.Limits.Pids = b.opts.Pids // documented: 0 = the box's ceiling
	}
	l := cmd.Limits.normalize()
	if b.rt.kind == ociRunsc {
		l.Pids = min(l.Pids, gvisorMaxProcs)
	}

	// Memory: this run may use l.MemoryBytes beyond what the box holds now
	// (the helper, files in the work dir and /tmp).
	var baseline, oom0, cache0 int64
	if b.mem != nil {
		var err error
		if baseline, err = b.mem.usage(); err != nil {
			return fail(fmt.Errorf("sandbox: memory usage: %w", err))
		}
		limit := b.opts.MemoryBytes
		if l.MemoryBytes > 0 {
			limit = min(limit, baseline+max(l.MemoryBytes, b.helperFloor(cmd.Privileged)))
		}
		if err := b.mem.setLimit(limit); err != nil {
			return fail(fmt.Errorf("sandbox: memory limit: %w", err))
		}
		if err := b.mem.resetPeak(); err != nil {
			return fail(fmt.Errorf("sandbox: memory peak: %w", err))
		}
		oom0, _ = b.mem.oomKills()
		cache0, _ = b.mem.fileCache()
	}

	req := runRequest{Args: cmd.Args, Env: cmd.Env, Dir: cmd.Dir, Limits: l, Privileged: cmd.Privileged, Stdin: cmd.Stdin != nil}
	if req.Env == nil {
		req.Env = []string{}
	}
	// Input that is at hand (a test file) and fits in the window goes with
	// the request, in one write: the helper puts it in the program's pipe
	// before the program reads, with no credit to return and no goroutine
	// on either side. Anything else (a pipe from an interactive peer, a
	// large file) is streamed by the pump.
	var whole []byte
	if cmd.Stdin != nil {
		var err error
		if whole, err = smallInput(cmd.Stdin); err != nil {
			return fail(fmt.Errorf("sandbox: read input: %w", err))
		}
		req.StdinAll = whole != nil
	}
	pump := &stdinPump{fw: b.out, credit: stdinWindow}
	pump.cond = sync.NewCond(&pump.mu)
	if req.StdinAll {
		err := b.out.writeRunWithInput(req, whole)
		if err != nil {
			return fail(b.died(fmt.Errorf("send run request: %w", err)))
		}
	} else {
		if err := b.out.writeJSON(frameRun, req); err != nil {
			return fail(b.died(fmt.Errorf("send run request: %w", err)))
		}
		if cmd.Stdin != nil {
			go pump.run(cmd.Stdin)
		}
	}
	defer pump.stop()
	defer closeStdinPipe(cmd.Stdin)
	stopKill := context.AfterFunc(ctx, func() { b.out.write(frameKill, nil) })
	defer stopKill()
	// The helper enforces the wall clock and always answers; should it hang
	// anyway (a kernel stall, a bug), the worker must not: past the wall
	// clock plus the helper's own kill deadline, the box is given up.
	var hung atomic.Bool
	watchdog := time.AfterFunc(l.WallTime+runHangGrace, func() {
		hung.Store(true)
		b.fromHelp.Close() // the read below fails at once
		b.toHelp.Close()   // and so does a write blocked on the helper
	})
	defer watchdog.Stop()

	var outN, errN int64
	buf := make([]byte, 64<<10)
	for {
		typ, payload, err := b.in.read(buf)
		if err != nil {
			if hung.Load() {
				return fail(b.died(fmt.Errorf("no answer from the helper %v after the wall clock; %s", runHangGrace, b.stderr.String())))
			}
			return fail(b.died(fmt.Errorf("helper gone: %v; %s", err, b.stderr.String())))
		}
		switch typ {
		case frameStdout:
			outN += forwardCapped(cmd.Stdout, payload, outN, l.OutputBytes)
		case frameStderr:
			errN += forwardCapped(cmd.Stderr, payload, errN, l.StderrBytes)
		case frameAck:
			if len(payload) == 4 {
				pump.ack(int(binary.BigEndian.Uint32(payload)))
			}
		case frameFatal:
			return fail(b.died(fmt.Errorf("helper failed: %s", payload)))
		case frameDone:
			pump.stop() // waits for a frame being written: the helper reads on
			if !watchdog.Stop() || hung.Load() {
				return fail(b.died(fmt.Errorf("the helper stopped reading its input for %v after the wall clock; %s", runHangGrace, b.stderr.String())))
			}
			// Every process of the run is gone (the helper killed them
			// before replying): empty /tmp and /dev/shm for the next one.
			if err := b.resetScratch(); err != nil {
				return fail(b.died(fmt.Errorf("empty /tmp: %w", err)))
			}
			var rep runReply
			if err := json.Unmarshal(payload, &rep); err != nil {
				return fail(b.died(fmt.Errorf("bad reply: %w", err)))
			}
			if rep.Error != "" {
				if ctx.Err() != nil {
					return fail(fmt.Errorf("sandbox: run %s: %w", cmd.Args[0], ctx.Err()))
				}
				return fail(errors.New(rep.Error))
			}
			return b.finish(rep, l, baseline, oom0, cache0), nil
		default:
			return fail(b.died(fmt.Errorf("unexpected frame %q", typ)))
		}
	}
}

// finish adds the cgroup's view of memory to the helper's result: the peak
// over the run, less what the box held before and the file cache the run
// added (libraries read for the first time in this box), and at least the
// program's maxrss.
func (b *ociBox) finish(rep runReply, l Limits, baseline, oom0, cache0 int64) Result {
	res := rep.Result
	res.MemoryBytes = rep.MaxRSS
	if b.mem == nil {
		if l.MemoryBytes > 0 && res.MemoryBytes > l.MemoryBytes && (res.Status == StatusOK || res.Status == StatusSignaled) {
			res.Status = StatusMemoryLimitExceeded
		}
		return res
	}
	peak, err := b.mem.peak()
	if err == nil {
		used := peak - baseline
		if cache1, err := b.mem.fileCache(); err == nil && cache1 > cache0 {
			used -= cache1 - cache0
		}
		res.MemoryBytes = max(res.MemoryBytes, used)
	}
	oom1, _ := b.mem.oomKills()
	if l.MemoryBytes <= 0 {
		return res
	}
	switch res.Status {
	case StatusOutputLimitExceeded, StatusTimeLimitExceeded:
		return res
	}
	failed := res.Status != StatusOK || res.ExitCode != 0
	switch {
	case oom1 > oom0:
		res.Status = StatusMemoryLimitExceeded
	case res.MemoryBytes > l.MemoryBytes:
		res.Status = StatusMemoryLimitExceeded
	case failed && res.MemoryBytes >= l.MemoryBytes-l.MemoryBytes/16:
		// An allocation refused at the limit usually ends in a crash or an
		// error exit rather than an OOM kill; at the ceiling, that is an MLE.
		res.Status = StatusMemoryLimitExceeded
	}
	if res.Status == StatusMemoryLimitExceeded && res.MemoryBytes < l.MemoryBytes {
		res.MemoryBytes = l.MemoryBytes
	}
	return res
}

// scratchDirs are the directories of the scratch tmpfs (/tmp, /dev/shm).
var scratchDirs = []string{"tmp", "shm"}

// scratchUsage is what statfs says of the scratch tmpfs: every entry a run
// creates in /tmp or /dev/shm (file, directory, link, fifo, socket) takes an
// inode of it, and every byte written a block; xattrs take inode space.
type scratchUsage struct{ freeFiles, freeBlocks uint64 }

func statScratch(fd int) (scratchUsage, error) {
	var st unix.Statfs_t
	if err := unix.Fstatfs(fd, &st); err != nil {
		return scratchUsage{}, err
	}
	return scratchUsage{freeFiles: st.Ffree, freeBlocks: st.Bfree}, nil
}

// resetScratch brings /tmp and /dev/shm back to empty after a run. Under
// runc most runs leave nothing there, and one fstatfs proves it: the
// scratch tmpfs is the box's own, /tmp and /dev/shm are its only entries
// (directories, which cannot be hard-linked), so any entry a run leaves is
// an inode more, and any byte a block more. Otherwise everything is
// unlinked, and the file system must be back to its fresh state, or the
// box is not used again. Under runsc the gofer keeps host files open after
// the sandboxed program has unlinked them, so the counts prove nothing
// there: the directories are always emptied.
func (b *ociBox) resetScratch() error {
	if b.rt.kind == ociRunsc {
		return b.emptyScratch()
	}
	u, err := statScratch(b.scratchFD)
	if err != nil {
		return err
	}
	if u == b.scratchFresh {
		return nil
	}
	if err := b.emptyScratch(); err != nil {
		return err
	}
	// Every process of the run is gone, but the kernel may release a file
	// a moment later (one in flight in a unix socket, for instance).
	for i := 0; ; i++ {
		if u, err = statScratch(b.scratchFD); err != nil {
			return err
		}
		if u == b.scratchFresh {
			return nil
		}
		if i == 20 {
			return fmt.Errorf("scratch not empty after cleanup: %+v, fresh %+v", u, b.scratchFresh)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// helperFloor is the least memory limit of a run in this box: enough that,
// once the OOM killer has ended the run's processes, what they leave
// behind (files in /tmp and /dev/shm, and in the work dir for a privileged
// run) can never fill the cgroup up to its limit. Else the helper, which
// the OOM killer spares, would stall on its next page fault with no process
// left to kill, and the host would wait for an answer that never comes. A
// program with a lower limit that goes over it is still caught: its peak
// is over its limit (MLE).
func (b *ociBox) helperFloor(privileged bool) int64 {
	floor := b.opts.TmpBytes + helperMemoryReserve
	if privileged {
		floor += b.opts.WorkBytes
	}
	return floor
}

// emptyScratch removes everything in /tmp and /dev/shm, by unlinking
// beneath the scratch fd.
func (b *ociBox) emptyScratch() error {
	for _, d := range scratchDirs {
		fd, err := openBeneath(b.scratchFD, d, unix.O_RDONLY|unix.O_DIRECTORY, 0)
		if err != nil {
			return err
		}
		dir := os.NewFile(uintptr(fd), d)
		names, err := dir.Readdirnames(-1)
		if err == nil {
			for _, n := range names {
				if rerr := removeAllAt(fd, n); rerr != nil && err == nil {
					err = rerr
				}
			}
		}
		dir.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// died marks the box unusable: its helper is gone or out of step.
func (b *ociBox) died(err error) error {
	err = fmt.Errorf("sandbox: box %s: %w", b.id, err)
	if b.dead == nil {
		b.dead = err
	}
	return err
}

// forwardCapped writes the part of p that fits under max (given n bytes
// already forwarded) and returns len(p).
func forwardCapped(w io.Writer, p []byte, n, max int64) int64 {
	if w != nil && n < max {
		room := max - n
		if int64(len(p)) > room {
			w.Write(p[:room])
		} else {
			w.Write(p)
		}
	}
	return int64(len(p))
}

func (b *ociBox) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()

	var errs []error
	if b.cmd != nil {
		// EOF on its input makes the helper kill everything and exit; a
		// foreground runtime then deletes the container and its cgroups by
		// itself. A detached container is deleted below once its helper
		// is gone (EOF on its output), or killed by the delete.
		b.toHelp.Close()
		if b.detached() {
			b.waitHelperExit(3 * time.Second)
			b.fromHelp.Close()
		}
		select {
		case <-b.waitCh:
		case <-time.After(3 * time.Second):
			syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
			<-b.waitCh
		}
	}
	if _, err := os.Stat(filepath.Join(b.rt.stateDir, b.id)); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := b.rt.runtimeCmd(ctx, "delete", "--force", b.id).CombinedOutput()
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("sandbox: delete %s: %v: %s", b.id, err, bytes.TrimSpace(out)))
		}
	}
	if b.workFD >= 0 {
		unix.Close(b.workFD)
	}
	if b.scratchFD >= 0 {
		unix.Close(b.scratchFD)
	}
	if err := removeBoxDir(b.dir); err != nil {
		errs = append(errs, err)
	}
	if b.mem != nil {
		b.mem.close()
	}
	hostCgroups.removeBox(b.id)
	if b.lockFD >= 0 {
		unix.Close(b.lockFD)
	}
	b.rt.mu.Lock()
	delete(b.rt.live, b.id)
	b.rt.mu.Unlock()
	return errors.Join(errs...)
}

// detached reports whether the box's container runs without its runtime
// process (runc --detach).
func (b *ociBox) detached() bool { return b.rt.kind == ociRunc }

// waitHelperExit reads the helper's output to its end (the helper has
// exited), for at most d; then reaps the helper if it was re-parented to
// this process (a worker that is pid 1 of its own container).
func (b *ociBox) waitHelperExit(d time.Duration) {
	pid := b.helperPid
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, b.fromHelp)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
		b.fromHelp.Close() // the delete --force below kills it
		<-done
		return
	}
	if pid <= 0 || !isParentOf(os.Getpid(), pid) {
		return
	}
	for i := 0; i < 100; i++ {
		var ws unix.WaitStatus
		if p, err := unix.Wait4(pid, &ws, unix.WNOHANG, nil); p == pid || err != nil {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// isParentOf reports whether parent is the parent of pid (read from
// /proc/<pid>/stat, which a zombie keeps).
func isParentOf(parent, pid int) bool {
	b, err := os.ReadFile("/proc/" + fmt.Sprint(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return false
	}
	f := strings.Fields(s[i+1:])
	return len(f) > 1 && f[1] == fmt.Sprint(parent)
}

// smallInput returns the whole of r when r is a regular file or an
// in-memory reader holding at most stdinWindow bytes (reading it cannot
// block), and nil otherwise, leaving r where it was.
func smallInput(r io.Reader) ([]byte, error) {
	switch v := r.(type) {
	case *os.File:
		st, err := v.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return nil, nil
		}
		pos, err := v.Seek(0, io.SeekCurrent)
		if err != nil || st.Size()-pos > stdinWindow {
			return nil, nil
		}
		b, err := io.ReadAll(io.LimitReader(v, stdinWindow+1))
		if err != nil {
			return nil, err
		}
		if len(b) > stdinWindow { // grew meanwhile: stream it instead
			_, err := v.Seek(pos, io.SeekStart)
			return nil, err
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	case *bytes.Reader:
		if v.Len() > stdinWindow {
			return nil, nil
		}
		b := make([]byte, v.Len())
		_, err := io.ReadFull(v, b)
		return b, err
	case *strings.Reader:
		if v.Len() > stdinWindow {
			return nil, nil
		}
		b := make([]byte, v.Len())
		_, err := io.ReadFull(v, b)
		return b, err
	}
	return nil, nil
}

// stdinPump streams a run's input to the helper within the credit the
// helper grants, and stops writing as soon as the run is over.
type stdinPump struct {
	fw     *frameWriter
	mu     sync.Mutex
	cond   *sync.Cond
	credit int
	done   bool
}

func (p *stdinPump) run(r io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		p.mu.Lock()
		for p.credit <= 0 && !p.done {
			p.cond.Wait()
		}
		if p.done {
			p.mu.Unlock()
			return
		}
		n := min(p.credit, len(buf))
		p.mu.Unlock()
		k, err := r.Read(buf[:n])
		p.mu.Lock()
		if p.done {
			p.mu.Unlock()
			return
		}
		if k > 0 {
			p.credit -= k
			p.fw.write(frameStdin, buf[:k])
		}
		if err != nil {
			p.fw.write(frameStdinEOF, nil)
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
	}
}

func (p *stdinPump) ack(n int) {
	p.mu.Lock()
	p.credit += n
	p.mu.Unlock()
	p.cond.Broadcast()
}

func (p *stdinPump) stop() {
	p.mu.Lock()
	p.done = true
	p.mu.Unlock()
	p.cond.Broadcast()
}

// tailBuffer keeps the last max bytes written (the runtime's diagnostics).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}
