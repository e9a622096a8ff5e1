package judge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// toolVersion is the first line a language's version command prints. The
// command can cost seconds of CPU (Kotlin's and Scala's compilers load on a
// JVM, Elixir boots the BEAM, TypeScript loads its compiler in Node), and
// every worker, `segfault serve` and `segfault languages` probes all 29
// languages at start, so the line is kept in cacheDir/versions under a key
// made of the command and the identity (inode, change time, size, mtime)
// of every file it names: an upgraded toolchain replaces those files, so
// its version command runs again. Nothing else is cached: the probes and
// the tools are resolved on every start.
func toolVersion(ctx context.Context, cacheDir string, vcmd []string) (string, error) {
	path := ""
	if key, ok := versionKey(vcmd); ok && cacheDir != "" {
		path = filepath.Join(cacheDir, "versions", key)
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b), nil
		}
	}
	out, err := exec.CommandContext(ctx, vcmd[0], vcmd[1:]...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s: %v", strings.Join(vcmd, " "), err)
	}
	v := firstLine(string(out))
	if path != "" && v != "" {
		// Best effort: a cache that cannot be written only costs the
		// next start the command again.
		if os.MkdirAll(filepath.Dir(path), 0o755) == nil {
			tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
			if os.WriteFile(tmp, []byte(v), 0o644) == nil {
				os.Rename(tmp, path)
			}
			os.Remove(tmp)
		}
	}
	return v, nil
}

// versionKey identifies a version command and the files it names (every
// absolute path in an argument, colon-separated lists included). ok is
// false when the program itself is not a file that can be identified.
func versionKey(vcmd []string) (key string, ok bool) {
	if len(vcmd) == 0 || !filepath.IsAbs(vcmd[0]) {
		return "", false
	}
	h := sha256.New()
	for i, arg := range vcmd {
		fmt.Fprintf(h, "arg %q\n", arg)
		for _, p := range strings.Split(arg, ":") {
			if !filepath.IsAbs(p) {
				continue
			}
			fi, err := os.Stat(p)
			if err != nil {
				if i == 0 {
					return "", false
				}
				fmt.Fprintf(h, "missing %s\n", p)
				continue
			}
			st, _ := fi.Sys().(*syscall.Stat_t)
			if st == nil {
				return "", false
			}
			fmt.Fprintf(h, "file %s %d %d %d %d.%d %d\n", p, st.Dev, st.Ino, fi.Size(), st.Ctim.Sec, st.Ctim.Nsec, fi.ModTime().UnixNano())
		}
	}
	return hex.EncodeToString(h.Sum(nil)), true
}
