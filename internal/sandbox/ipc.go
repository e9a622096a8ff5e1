package sandbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// System V IPC objects (shared memory segments, message queues, semaphore
// sets) live in the box's IPC namespace, not in any process or file: left
// behind, one test's could pass its input to the next, and a segment stays
// charged to the box's memory. After every run the helper removes all of
// them. (kernel.shm_rmid_forced=1, set in the spec, also destroys a segment
// as soon as no process has it attached. POSIX shared memory and
// semaphores are files in /dev/shm, emptied after every run; POSIX message
// queues are refused by seccomp. Under gVisor, programs get no System V
// IPC at all: see the runsc part of buildSpec.)

// The *_INFO and *_STAT_ANY commands of shmctl, msgctl and semctl.
const (
	ipcInfoSHM    = 14 // SHM_INFO
	ipcInfoMSG    = 12 // MSG_INFO
	ipcInfoSEM    = 19 // SEM_INFO
	ipcStatAnySHM = 15 // SHM_STAT_ANY (Linux 4.17)
	ipcStatAnyMSG = 13 // MSG_STAT_ANY
	ipcStatAnySEM = 20 // SEM_STAT_ANY
	ipcRMID       = 0  // IPC_RMID
)

// ipcKind is one of the three kinds of SysV objects.
type ipcKind struct {
	name    string
	nr      uintptr // system call number
	info    int     // *_INFO command
	used    int     // offset of the "objects in use" int in the info struct
	statAny int     // *_STAT_ANY command
}

// In shm_info the count comes first (used_ids); in msginfo it is msgpool
// (the first int); in seminfo, semusz (the eighth).
var ipcKinds = []ipcKind{
	{"shared memory", unix.SYS_SHMCTL, ipcInfoSHM, 0, ipcStatAnySHM},
	{"message queue", unix.SYS_MSGCTL, ipcInfoMSG, 0, ipcStatAnyMSG},
	{"semaphore set", unix.SYS_SEMCTL, ipcInfoSEM, 28, ipcStatAnySEM},
}

// ctl calls kind's system call with an index or id, a command and buf
// (semctl takes a semaphore number before the command). On x86_64 and
// arm64 the structures are the 64-bit ones without IPC_64.
func (k ipcKind) ctl(idOrIndex, cmd int, buf []byte) (int, error) {
	p := uintptr(unsafe.Pointer(&buf[0]))
	var r uintptr
	var errno unix.Errno
	if k.nr == unix.SYS_SEMCTL {
		r, _, errno = unix.Syscall6(k.nr, uintptr(idOrIndex), 0, uintptr(cmd), p, 0, 0)
	} else {
		r, _, errno = unix.Syscall(k.nr, uintptr(idOrIndex), uintptr(cmd), p)
	}
	if errno != 0 {
		return -1, errno
	}
	return int(r), nil
}

// objects returns how many objects of the kind exist and the highest
// index in use.
func (k ipcKind) objects(buf []byte) (n, maxIndex int, err error) {
	if maxIndex, err = k.ctl(0, k.info, buf); err != nil {
		return 0, 0, err
	}
	return int(binary.NativeEndian.Uint32(buf[k.used:])), maxIndex, nil
}

// removeIPC removes every SysV IPC object of the caller's IPC namespace.
// Most runs leave none, which three system calls prove.
func removeIPC() error {
	var buf [512]byte
	var errs []error
	for _, k := range ipcKinds {
		n, maxIndex, err := k.objects(buf[:])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s info: %w", k.name, err))
			continue
		}
		if n > 0 {
			if err := k.removeAll(n, maxIndex); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// removeAll removes the objects of one kind, each as its owner: IPC_RMID
// needs the owner's or creator's uid (or CAP_SYS_ADMIN, which the helper
// lacks), so a thread of its own takes that uid for the call. The thread
// is never given back to the Go scheduler: it ends with its goroutine.
//
// The objects are found by index (*_STAT), until n of them are.
func (k ipcKind) removeAll(n, maxIndex int) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // no Unlock: the thread dies with the goroutine
		var buf [512]byte
		var errs []error
		found := 0
		for idx := 0; found < n && idx <= maxIndex; idx++ {
			id, err := k.ctl(idx, k.statAny, buf[:])
			if err == unix.EINVAL {
				continue // a free index
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %d: %w", k.name, idx, err))
				continue
			}
			found++
			// struct ipc64_perm: key, uid, gid, cuid, cgid...
			owner := uintptr(binary.NativeEndian.Uint32(buf[4:]))
			if _, _, errno := unix.RawSyscall(unix.SYS_SETRESUID, ^uintptr(0), owner, ^uintptr(0)); errno != 0 {
				errs = append(errs, fmt.Errorf("remove %s %d: become uid %d: %w", k.name, id, owner, errno))
				continue
			}
			_, err = k.ctl(id, ipcRMID, buf[:])
			if _, _, errno := unix.RawSyscall(unix.SYS_SETRESUID, ^uintptr(0), 0, ^uintptr(0)); errno != 0 {
				errs = append(errs, fmt.Errorf("back to uid 0: %w", errno))
				break
			}
			if err != nil && err != unix.EINVAL && err != unix.EIDRM {
				errs = append(errs, fmt.Errorf("remove %s %d: %w", k.name, id, err))
			}
		}
		done <- errors.Join(errs...)
	}()
	return <-done
}
