package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Toolchain is a host compiler or interpreter made usable inside a box.
type Toolchain struct {
	Command string   // as asked for ("rustc", "python3")
	Path    string   // absolute real path to run inside the box (no shims)
	Binds   []string // host dirs to add to BoxOptions.ExtraBinds ("" none: already under /usr)
}

// ResolveToolchain finds command on the host PATH and works out what a box
// needs to run it: shims and proxies that only work with the user's home
// (rustup's rustc, pyenv's python3) are resolved to the real toolchain, and
// toolchains outside the dirs every box gets (/usr, /bin, /lib...) are
// returned as binds. A worker whose toolchain is missing gets an error that
// says so.
func ResolveToolchain(ctx context.Context, command string) (Toolchain, error) {
	tc := Toolchain{Command: command}
	p, err := exec.LookPath(command)
	if err != nil {
		return tc, fmt.Errorf("sandbox: toolchain %s not installed: %w", command, err)
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return tc, fmt.Errorf("sandbox: toolchain %s: %w", command, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	switch {
	case filepath.Base(real) == "rustup" || filepath.Base(real) == "rustup-init":
		// A rustup proxy: the toolchain lives in its sysroot.
		out, err := exec.CommandContext(ctx, p, "--print", "sysroot").Output()
		if err != nil {
			return tc, fmt.Errorf("sandbox: %s --print sysroot: %w", command, err)
		}
		sysroot := strings.TrimSpace(string(out))
		tc.Path = filepath.Join(sysroot, "bin", command)
		tc.Binds = []string{sysroot}
	case strings.HasPrefix(command, "python") || strings.Contains(real, "/.pyenv/shims/"):
		// Interpreters (and pyenv's shell-script shims) tell where they are.
		out, err := exec.CommandContext(ctx, p, "-c", "import sys; print(sys.executable); print(sys.base_prefix)").Output()
		if err != nil {
			return tc, fmt.Errorf("sandbox: %s: %w", command, err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 2 {
			return tc, fmt.Errorf("sandbox: %s: unexpected answer %q", command, out)
		}
		exe, err := filepath.EvalSymlinks(lines[0])
		if err != nil {
			return tc, fmt.Errorf("sandbox: %s: %w", command, err)
		}
		tc.Path = exe
		tc.Binds = bindFor(lines[1])
	default:
		tc.Path = real
		dir := filepath.Dir(real)
		if filepath.Base(dir) == "bin" {
			dir = filepath.Dir(dir) // bind the install root, for its lib/ and share/
		}
		tc.Binds = bindFor(dir)
		if len(tc.Binds) == 0 && len(bindFor(filepath.Dir(p))) == 0 {
			// Everything is in every box: keep the familiar name
			// (/usr/bin/gcc rather than /usr/bin/x86_64-linux-gnu-gcc-12).
			tc.Path = p
		}
	}
	for _, b := range tc.Binds {
		if err := checkBind(b); err != nil {
			return tc, err
		}
	}
	return tc, nil
}

// bindFor returns dir as a bind unless every box already has it.
func bindFor(dir string) []string {
	dir = filepath.Clean(dir)
	for _, d := range hostBindDirs {
		if dir == d || strings.HasPrefix(dir, d+"/") {
			return nil
		}
	}
	return []string{dir}
}

// checkBind refuses binds that would show the worker's own files.
func checkBind(dir string) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("sandbox: bind %q is not absolute", dir)
	}
	switch filepath.Clean(dir) {
	case "/", "/root", "/home", "/etc", "/var", "/run", "/tmp", "/proc", "/sys", "/dev":
		return fmt.Errorf("sandbox: refusing to bind %s into a box", dir)
	}
	return nil
}

// ErrToolchainMissing is wrapped by ResolveToolchains for absent commands.
var ErrToolchainMissing = errors.New("toolchain missing")

// ResolveToolchains resolves several commands and merges their binds; it
// returns every command it could resolve and one error naming the others.
func ResolveToolchains(ctx context.Context, commands ...string) (map[string]Toolchain, []string, error) {
	found := map[string]Toolchain{}
	var binds []string
	seen := map[string]bool{}
	var errs []error
	for _, c := range commands {
		tc, err := ResolveToolchain(ctx, c)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrToolchainMissing, err))
			continue
		}
		found[c] = tc
		for _, b := range tc.Binds {
			if !seen[b] {
				seen[b] = true
				binds = append(binds, b)
			}
		}
	}
	return found, binds, errors.Join(errs...)
}
