package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// What of the host a box shows. A box's root is a small tmpfs of its own
// (so /proc/self/mountinfo names no host directory for it), holding the
// generated /etc files and the mount points; read-only binds add, at the
// same paths as on the host, only the shared libraries every program needs
// (baseBinds) and what the caller asks for (BoxOptions.ExtraBinds: the
// judge passes each language's toolchain, from its language table). All of
// /usr, /usr/local, /etc and the worker's files stay out.

// Multiarch is the Debian multiarch triplet of this host ("x86_64-linux-gnu"),
// where the shared libraries live.
func Multiarch() string {
	switch runtime.GOARCH {
	case "arm64":
		return "aarch64-linux-gnu"
	case "386":
		return "i386-linux-gnu"
	}
	return "x86_64-linux-gnu"
}

// baseBinds are bound into every box that has them: the dynamic loader and
// the shared libraries (on merged-/usr hosts /lib and /lib64 are symlinks
// into /usr, recreated in the root), and the C.UTF-8 locale.
func baseBinds() []string {
	arch := Multiarch()
	return []string{"/usr/lib/" + arch, "/usr/lib64", "/lib/" + arch, "/lib64", "/usr/lib/locale/C.utf8"}
}

// rootLinks are the merged-/usr symlinks recreated in a box's root when the
// host has them as symlinks.
var rootLinks = []string{"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}

// refusedBinds are host directories a box never gets whole: the worker's own
// state and configuration, or most of the host at once.
var refusedBinds = []string{"/", "/boot", "/dev", "/etc", "/home", "/media", "/mnt", "/opt", "/proc", "/root",
	"/run", "/srv", "/sys", "/tmp", "/usr", "/usr/local", "/var"}

// CheckBind refuses a bind that would show the worker's own files or most
// of the host: a relative path, one of refusedBinds, anything under /proc,
// /sys, /dev, /tmp, /work, /.sandbox or the sandbox's own state root.
func CheckBind(p string) error {
	if !filepath.IsAbs(p) {
		return fmt.Errorf("sandbox: bind %q is not absolute", p)
	}
	c := filepath.Clean(p)
	if slices.Contains(refusedBinds, c) {
		return fmt.Errorf("sandbox: refusing to bind %s into a box (too much of the host)", c)
	}
	// Below the box's own mounts a bind would be hidden or emptied.
	for _, d := range []string{"/proc", "/sys", "/dev", "/tmp", containerWork, "/.sandbox", stateRoot} {
		if strings.HasPrefix(c, d+"/") {
			return fmt.Errorf("sandbox: refusing to bind %s into a box", c)
		}
	}
	return nil
}

// boxBinds returns the host paths bound into a box: the base set and
// extra, existing ones only, sorted, without paths already under another.
func boxBinds(extra []string) ([]string, error) {
	var all []string
	for _, p := range baseBinds() {
		// Not through a symlink (/lib64 on merged-/usr hosts): the root has
		// the same symlink, and the target is bound by its own path.
		if real, err := filepath.EvalSymlinks(p); err == nil && real == p {
			all = append(all, p)
		}
	}
	for _, p := range extra {
		if err := CheckBind(p); err != nil {
			return nil, err
		}
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("sandbox: bind %s: %w", p, err)
		}
		all = append(all, filepath.Clean(p))
	}
	slices.Sort(all)
	out := all[:0]
	for _, p := range all {
		if n := len(out); n > 0 && (p == out[n-1] || strings.HasPrefix(p, strings.TrimSuffix(out[n-1], "/")+"/")) {
			continue // the same, or inside the previous bind
		}
		out = append(out, p)
	}
	return out, nil
}

// Generated /etc files of every box. nsswitch keeps name lookups in these
// files (no NSS module of the host is needed).
const (
	etcPasswd = "root:x:0:0:root:/root:/bin/false\n" +
		"build:x:1001:1001:build:/tmp:/bin/false\n" +
		"runner:x:1002:1002:runner:/tmp:/bin/false\n" +
		"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
	etcGroup    = "root:x:0:\nbuild:x:1001:\nrunner:x:1002:\nnogroup:x:65534:\n"
	etcHosts    = "127.0.0.1 localhost\n::1 localhost\n"
	etcNSSwitch = "passwd: files\ngroup: files\nshadow: files\nhosts: files\n"
)

// copiedEtcFiles are host files copied into each box's /etc (the loader's
// cache of library paths, the time zone): a copy rather than a bind, so
// that mountinfo shows no more host paths and a box costs fewer mounts.
var copiedEtcFiles = []string{"ld.so.cache", "localtime"}

// populateRoot fills a fresh box root (a tmpfs owned by the container's
// root, uid/gid owner): /etc with the generated and copied files, the
// merged-/usr symlinks, the helper's directory.
func populateRoot(root string, owner int) error {
	for _, l := range rootLinks {
		if target, err := os.Readlink(l); err == nil {
			if err := os.Symlink(target, filepath.Join(root, l)); err != nil {
				return err
			}
		}
	}
	etc := filepath.Join(root, "etc")
	if err := os.Mkdir(etc, 0o755); err != nil {
		return err
	}
	// The runtime creates mount points below /etc (language binds) as the
	// container's root.
	if err := os.Lchown(etc, owner, owner); err != nil {
		return err
	}
	files := map[string]string{"passwd": etcPasswd, "group": etcGroup, "hosts": etcHosts, "nsswitch.conf": etcNSSwitch}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(etc, name), []byte(data), 0o644); err != nil {
			return err
		}
	}
	for _, name := range copiedEtcFiles {
		data, err := os.ReadFile(filepath.Join("/etc", name)) // follows /etc/localtime's link
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(etc, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// The helper binary is bound into every box from an execute-only copy
// (mode 0111: programs cannot read it), made once per process in a tmpfs
// shared by every process of the host (helperRoot), so that mountinfo names
// it by a random name instead of its path on the host. A process holds a
// lock on its copy while it lives; the next process to make a copy
// removes the copies whose owner is gone.
const (
	stateRoot  = "/run/segfault-sandbox"
	helperRoot = stateRoot + "/helpers"
)

var helperCopies struct {
	mu    sync.Mutex
	paths map[string]string // source path → copy
	locks []*os.File        // one per copy, held until Release
}

// helperCopy returns the path of the execute-only copy of the helper at src.
func helperCopy(src string) (string, error) {
	helperCopies.mu.Lock()
	defer helperCopies.mu.Unlock()
	if p, ok := helperCopies.paths[src]; ok {
		return p, nil
	}
	if err := mountHelperRoot(); err != nil {
		return "", err
	}
	// Shared while making a copy, exclusive while sweeping: a sweep never
	// sees a copy between its creation and its owner's lock.
	guard, err := lockPath(filepath.Join(helperRoot, ".lock"), unix.LOCK_EX)
	if err != nil {
		return "", err
	}
	sweepHelpers()
	if err := unix.Flock(int(guard.Fd()), unix.LOCK_SH); err != nil {
		guard.Close()
		return "", err
	}
	defer guard.Close()
	p := filepath.Join(helperRoot, randomHex(8))
	lock, err := writeHelperCopy(src, p)
	if err != nil {
		os.Remove(p)
		return "", fmt.Errorf("sandbox: copy the helper: %w", err)
	}
	if helperCopies.paths == nil {
		helperCopies.paths = map[string]string{}
	}
	helperCopies.paths[src] = p
	helperCopies.locks = append(helperCopies.locks, lock)
	return p, nil
}

// writeHelperCopy copies src to dst (mode 0111) and returns dst opened and
// locked: its owner is alive.
func writeHelperCopy(src, dst string) (*os.File, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o700)
	if err != nil {
		return nil, err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Chmod(0o111)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	// Read-only (root reads a 0111 file): a file open for writing cannot be
	// executed.
	return lockPath(dst, unix.LOCK_EX)
}

// mountHelperRoot mounts the shared tmpfs of helper copies unless it is
// already there.
func mountHelperRoot() error {
	if err := os.MkdirAll(helperRoot, 0o711); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	guard, err := lockPath(stateRoot+"/.helpers.lock", unix.LOCK_EX)
	if err != nil {
		return err
	}
	defer guard.Close()
	if isMountPoint(helperRoot) {
		return nil
	}
	if err := unix.Mount("tmpfs", helperRoot, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0711"); err != nil {
		return fmt.Errorf("sandbox: mount %s: %w", helperRoot, err)
	}
	return nil
}

// sweepHelpers removes the copies whose owner is gone (no lock held).
func sweepHelpers() {
	ents, _ := os.ReadDir(helperRoot)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(helperRoot, e.Name())
		if f, err := lockPath(p, unix.LOCK_EX|unix.LOCK_NB); err == nil {
			os.Remove(p) // a box still running keeps its inode
			f.Close()
		}
	}
}

// ReleaseHelper removes this process's helper copies (at a clean exit; a
// process that is killed leaves its copy to the next one's sweep). Boxes
// still open keep working: their bind holds the file.
func ReleaseHelper() {
	helperCopies.mu.Lock()
	defer helperCopies.mu.Unlock()
	for _, p := range helperCopies.paths {
		os.Remove(p)
	}
	for _, f := range helperCopies.locks {
		f.Close()
	}
	helperCopies.paths, helperCopies.locks = nil, nil
}

// lockPath opens p read-only (creating it empty if missing) and takes the
// flock how.
func lockPath(p string, how int) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|os.O_CREATE|unix.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// isMountPoint reports whether p is the root of a mount (its device differs
// from its parent's).
func isMountPoint(p string) bool {
	var st, parent unix.Stat_t
	if unix.Lstat(p, &st) != nil || unix.Lstat(filepath.Dir(p), &parent) != nil {
		return false
	}
	return st.Dev != parent.Dev
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
