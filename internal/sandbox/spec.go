package sandbox

import (
	"path/filepath"
	"runtime"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Paths inside the container.
const (
	containerWork   = "/work"
	containerHelper = "/.sandbox/helper"
)

// deniedSyscalls fail with EPERM inside the container: kernel attack surface
// and ways around the sandbox that no contest program needs.
var deniedSyscalls = []string{
	"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
	"mount", "umount", "umount2", "pivot_root", "chroot", "unshare", "setns",
	"fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
	"kexec_load", "kexec_file_load", "reboot", "init_module", "finit_module", "delete_module",
	"bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
	"keyctl", "add_key", "request_key", "personality",
	"acct", "swapon", "swapoff", "syslog", "quotactl", "lookup_dcookie",
	"open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "fanotify_init",
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname",
	"vhangup", "nfsservctl", "uselib", "create_module", "get_kernel_syms", "query_module",
	// POSIX message queues outlive the run that made them (SysV objects
	// are removed after each run; POSIX shared memory and semaphores are
	// files in /dev/shm, emptied after each run).
	"mq_open",
}

// Namespace flags of clone(2) (CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC,
// NEWUSER, NEWPID, NEWNET, NEWTIME); a clone that asks for any of them is
// denied (unshare and setns are denied outright).
var cloneNamespaceFlags = []uint64{0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080}

func seccompProfile() *specs.LinuxSeccomp {
	eperm := uint(1)
	enosys := uint(38)
	rules := []specs.LinuxSyscall{
		{Names: deniedSyscalls, Action: specs.ActErrno, ErrnoRet: &eperm},
		// clone3 passes its flags in memory where seccomp cannot see them;
		// ENOSYS makes libc and Go fall back to clone.
		{Names: []string{"clone3"}, Action: specs.ActErrno, ErrnoRet: &enosys},
	}
	// One rule per flag: the conditions of one rule are ANDed.
	for _, f := range cloneNamespaceFlags {
		rules = append(rules, specs.LinuxSyscall{Names: []string{"clone"}, Action: specs.ActErrno, ErrnoRet: &eperm,
			Args: []specs.LinuxSeccompArg{{Index: 0, Value: f, ValueTwo: f, Op: specs.OpMaskedEqual}}})
	}
	rules = append(rules, socketRules()...)
	return &specs.LinuxSeccomp{
		DefaultAction: specs.ActAllow,
		// Only the native ABI: 32-bit (int 0x80) and x32 system calls are
		// refused as a whole, which also keeps the filter short.
		Architectures: nativeArch(),
		Syscalls:      rules,
	}
}

// Address families a box may open sockets of: AF_UNIX, and AF_INET and
// AF_INET6, which some language runtimes open at start (on the empty
// network namespace they reach nothing). Every other family (AF_NETLINK,
// AF_PACKET, AF_VSOCK, which on a VM reaches the hypervisor's side,
// AF_BLUETOOTH...) fails with EAFNOSUPPORT, as if the kernel had none.
const (
	afUnix  = 1
	afInet  = 2
	afInet6 = 10
)

// socketRules deny socket(2) and socketpair(2) for every family but the
// allowed ones: one rule per denied value below AF_INET6 and one for all
// above it (the comparison is on the whole 64-bit register, so a family
// with high bits set is above).
func socketRules() []specs.LinuxSyscall {
	eafnosupport := uint(97)
	var rules []specs.LinuxSyscall
	deny := func(op specs.LinuxSeccompOperator, v uint64) {
		rules = append(rules, specs.LinuxSyscall{Names: []string{"socket", "socketpair"}, Action: specs.ActErrno, ErrnoRet: &eafnosupport,
			Args: []specs.LinuxSeccompArg{{Index: 0, Value: v, Op: op}}})
	}
	for f := uint64(0); f < afInet6; f++ {
		if f != afUnix && f != afInet {
			deny(specs.OpEqualTo, f)
		}
	}
	deny(specs.OpGreaterThan, afInet6)
	return rules
}

func nativeArch() []specs.Arch {
	switch runtime.GOARCH {
	case "arm64":
		return []specs.Arch{specs.ArchAARCH64}
	}
	return []specs.Arch{specs.ArchX86_64}
}

// specInput is what one box's config depends on.
type specInput struct {
	kind     ociKind
	boxDir   string   // host: holds rootfs/, work/, scratch/
	helper   string   // host path of the helper binary (its execute-only copy)
	binds    []string // host paths bound read-only at the same path (boxBinds)
	opts     BoxOptions
	cgroup   string // cgroupsPath
	userNS   bool
	hostBase uint32 // host uid of container uid 0 when userNS
	hostname string
	// cpuCounter is the format of the box's CPU counter passed to the
	// helper as fd 3 ("" = none: runsc).
	cpuCounter string
}

func buildSpec(in specInput) *specs.Spec {
	// Not rbind: whatever is mounted below a host path stays out.
	ro := []string{"bind", "ro", "nosuid", "nodev"}
	mounts := []specs.Mount{
		{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
		{Destination: "/dev", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
		{Destination: "/dev/pts", Type: "devpts", Source: "devpts", Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}},
		{Destination: "/dev/shm", Type: "bind", Source: filepath.Join(in.boxDir, "scratch", "shm"), Options: []string{"bind", "rw", "nosuid", "noexec", "nodev", "nosymfollow"}},
		{Destination: "/sys", Type: "sysfs", Source: "sysfs", Options: []string{"nosuid", "noexec", "nodev", "ro"}},
		{Destination: "/tmp", Type: "bind", Source: filepath.Join(in.boxDir, "scratch", "tmp"), Options: []string{"bind", "rw", "nosuid", "nodev", "nosymfollow"}},
		{Destination: containerWork, Type: "bind", Source: filepath.Join(in.boxDir, "work"), Options: []string{"bind", "rw", "nosuid", "nodev", "nosymfollow"}},
		{Destination: containerHelper, Type: "bind", Source: in.helper, Options: []string{"bind", "ro", "nosuid", "nodev"}},
	}
	if in.kind == ociRunsc {
		// gVisor implements the mount flags itself and rejects some Linux
		// spellings; its own file system is the boundary.
		for i := range mounts {
			mounts[i].Options = dropOption(mounts[i].Options, "nosymfollow")
		}
	}
	for _, b := range in.binds {
		mounts = append(mounts, specs.Mount{Destination: b, Type: "bind", Source: b, Options: ro})
	}

	memLimit := in.opts.MemoryBytes
	if in.kind == ociRunsc {
		// The Sentry and its gofer live in the box cgroup too; the per-run
		// limit is enforced inside (see procSpec.PollRSS).
		memLimit += gvisorOverhead
	}
	memSwap := memLimit // memory+swap = memory: no swap at all
	// BoxOptions.Pids is for the programs; the helper's threads come on top,
	// so that a program at its limit never starves the helper.
	pids := int64(in.opts.Pids) + helperPidsReserve
	if in.kind == ociRunsc {
		// The cgroup holds gVisor's Sentry (many Go threads) and its ptrace
		// stubs: one process per address space, with a thread in it for
		// each Sentry thread that ran a task of it, so about processes²
		// host threads. The Sentry dies when it cannot make one (a fork
		// bomb was an internal error): inside, a run may have at most
		// gvisorMaxProcs processes (RLIMIT_NPROC, which gVisor enforces),
		// and the host headroom covers their square.
		pids += gvisorMaxProcs*gvisorMaxProcs + 2048
	}
	period := uint64(100000)
	quota := int64(in.opts.CPUs * float64(period))
	swappiness := uint64(0)

	s := &specs.Spec{
		Version:  specs.Version,
		Root:     &specs.Root{Path: filepath.Join(in.boxDir, "rootfs"), Readonly: true},
		Hostname: in.hostname,
		Process: &specs.Process{
			Args: helperArgs(in),
			Env:  []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "GOMAXPROCS=2", "GOGC=50"},
			Cwd:  "/",
			User: specs.User{UID: 0, GID: 0},
			// The helper needs exactly these: switch to the run uids, set
			// the rlimits of a program of another uid right after its exec
			// (prlimit), and kill leftovers of any uid. The programs have
			// none: the uid change clears them (no ambient set), and
			// no_new_privs keeps setuid files and file capabilities inert.
			// In a user namespace they reach nothing outside the box.
			Capabilities: &specs.LinuxCapabilities{
				Bounding:  helperCaps,
				Effective: helperCaps,
				Permitted: helperCaps,
			},
			NoNewPrivileges: true,
			Rlimits: []specs.POSIXRlimit{
				{Type: "RLIMIT_NOFILE", Hard: 4096, Soft: 4096},
				{Type: "RLIMIT_CORE", Hard: 0, Soft: 0},
				// The helper's soft stack limit is set per run around the
				// fork (limits.go); the hard one must allow any memory limit.
				{Type: "RLIMIT_STACK", Hard: ^uint64(0), Soft: 8 << 20},
			},
		},
		Mounts: mounts,
		Linux: &specs.Linux{
			Namespaces: []specs.LinuxNamespace{
				{Type: specs.PIDNamespace}, {Type: specs.NetworkNamespace}, {Type: specs.IPCNamespace},
				{Type: specs.UTSNamespace}, {Type: specs.MountNamespace}, {Type: specs.CgroupNamespace},
			},
			CgroupsPath: in.cgroup,
			Resources: &specs.LinuxResources{
				Memory:  &specs.LinuxMemory{Limit: &memLimit, Swap: &memSwap, Swappiness: &swappiness},
				Pids:    &specs.LinuxPids{Limit: &pids},
				CPU:     &specs.LinuxCPU{Quota: &quota, Period: &period},
				Devices: []specs.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}},
			},
			Seccomp: seccompProfile(),
			// A shared memory segment dies with its last attachment, even
			// one never marked for removal (the helper removes the rest of
			// a run's IPC objects after it).
			Sysctl:      map[string]string{"kernel.shm_rmid_forced": "1"},
			MaskedPaths: maskedPaths,
			ReadonlyPaths: []string{
				"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
			},
		},
	}
	if in.userNS {
		s.Linux.Namespaces = append(s.Linux.Namespaces, specs.LinuxNamespace{Type: specs.UserNamespace})
		s.Linux.UIDMappings = []specs.LinuxIDMapping{{ContainerID: 0, HostID: in.hostBase, Size: 65536}}
		s.Linux.GIDMappings = []specs.LinuxIDMapping{{ContainerID: 0, HostID: in.hostBase, Size: 65536}}
	}
	if in.kind == ociRunsc {
		// gVisor's OCI seccomp answers EPERM whatever errnoRet says, and
		// EPERM from clone3 stops libc and Go from falling back to clone:
		// no thread could start. The Sentry (Debian's 2022 release) has no
		// clone3 of its own (ENOSYS), so the clone rules keep namespaces
		// out (a new user namespace would give raw sockets in the Sentry);
		// the hostile suite checks that clone3 with CLONE_NEWUSER fails
		// there too, should a newer runsc implement it.
		var rules []specs.LinuxSyscall
		for _, r := range s.Linux.Seccomp.Syscalls {
			if r.Names[0] != "clone3" {
				rules = append(rules, r)
			}
		}
		// gVisor's System V IPC (2022) cannot be listed reliably (its
		// counts include removed objects, its indexes are not bounded by
		// them), so the helper could not prove a run left none: there,
		// programs get no System V IPC at all, and no state can pass from
		// one test to the next through it.
		eperm := uint(1)
		rules = append(rules, specs.LinuxSyscall{Names: []string{"shmget", "msgget", "semget"}, Action: specs.ActErrno, ErrnoRet: &eperm})
		s.Linux.Seccomp.Syscalls = rules
		// gVisor keeps some entries a program makes in /tmp (fifos, unix
		// sockets) inside the Sentry, where the host cannot see them; the
		// helper empties /tmp and /dev/shm from inside after each run, which
		// takes these two over files of other uids in sticky, private dirs.
		caps := append(append([]string(nil), helperCaps...), "CAP_FOWNER", "CAP_DAC_OVERRIDE")
		s.Process.Capabilities = &specs.LinuxCapabilities{Bounding: caps, Effective: caps, Permitted: caps}
	}
	return s
}

// helperArgs is the helper's command line in the box.
func helperArgs(in specInput) []string {
	args := []string{containerHelper, helperArg, "-work", containerWork}
	if in.cpuCounter != "" {
		args = append(args, "-cpu-counter", in.cpuCounter)
	}
	if in.kind == ociRunsc {
		args = append(args, "-gvisor")
	}
	return args
}

func dropOption(opts []string, o string) []string {
	out := opts[:0:0]
	for _, x := range opts {
		if x != o {
			out = append(out, x)
		}
	}
	return out
}

// maskedPaths are hidden in every box (an empty file or directory in
// their place): runc's defaults, and what tells about the host's hardware,
// kernel or boot (memory map, kernel build notes, command line, modules).
var maskedPaths = []string{
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/proc/kallsyms",
	"/proc/iomem", "/proc/ioports", "/proc/cmdline", "/proc/modules", "/proc/config.gz", "/proc/bootconfig",
	"/sys/firmware", "/sys/devices/virtual/powercap", "/sys/devices/virtual/dmi", "/sys/kernel/debug",
	"/sys/kernel/notes", "/sys/kernel/btf", "/sys/kernel/boot_params", "/sys/module",
}

// helperPidsReserve is the cgroup pids headroom of the helper (Go threads).
const helperPidsReserve = 32

var helperCaps = []string{"CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_SYS_RESOURCE"}

// gvisorMaxProcs caps a run's processes and threads under gVisor (see the
// pids headroom in buildSpec).
const gvisorMaxProcs = 64

// gvisorOverhead is added to a runsc box's cgroup for the Sentry and gofer.
const gvisorOverhead = 256 << 20
