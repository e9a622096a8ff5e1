package judge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// prepareGxxPCH gives C++ a precompiled <bits/stdc++.h>: the header that
// competitive programmers include first costs seconds of CPU to parse on
// every compile (~2.7 s of the 3 s of a+b here), a precompiled one ~0.3 s.
//
// {prep} holds bits/stdc++.h.gch only, built by the trusted host g++ from
// the system headers with the flags of the language's compile step, and is
// put on the include path (-I{prep}). GCC takes the .gch when a program's
// first include is <bits/stdc++.h> and the flags match; otherwise (another
// first line, other flags, or no .gch yet) it finds no bits/stdc++.h in
// {prep} and goes on to the real header: the same program either way.
//
// Building it takes ~10 s of CPU (minutes on a loaded machine), so it is
// built in the background, once per host (a lock in the directory; the
// directory is named by the g++ version and the flags): the language is
// usable at once, without the header's speed-up until the .gch is there.
func prepareGxxPCH(ctx context.Context, lang *Language, cacheDir string) (string, error) {
	if len(lang.Compile) == 0 {
		return "", fmt.Errorf("no compile step")
	}
	gxx := lang.vars["gxx"]
	out, err := exec.CommandContext(ctx, gxx, "-dumpfullversion").Output()
	if err != nil {
		return "", fmt.Errorf("%s -dumpfullversion: %w", gxx, err)
	}
	flags := pchFlags(lang.Compile[0])
	h := sha256.Sum256([]byte(gxx + "\x00" + strings.Join(flags, "\x00")))
	dir := filepath.Join(cacheDir, "gxx-pch-"+safeName(firstLine(string(out)))+"-"+hex.EncodeToString(h[:6]))
	if err := os.MkdirAll(filepath.Join(dir, "bits"), 0o755); err != nil {
		return "", err
	}
	makeTraversable(dir, cacheDir)
	gch := filepath.Join(dir, "bits", "stdc++.h.gch")
	if _, err := os.Stat(gch); err != nil {
		startPCHBuild(dir, gxx, flags, gch)
	}
	return dir, nil
}

// pchFlags are the options of a compile command line that shape a
// precompiled header: every option but the output, the sources, the
// libraries and the include path of {prep} itself.
func pchFlags(step []string) []string {
	var flags []string
	for i := 1; i < len(step); i++ {
		a := step[i]
		switch {
		case a == "-o":
			i++
		case !strings.HasPrefix(a, "-"), strings.HasPrefix(a, "-l"), strings.Contains(a, "{prep}"):
		default:
			flags = append(flags, a)
		}
	}
	return flags
}

func startPCHBuild(dir, gxx string, flags []string, gch string) {
	startPrepBuild(dir, func(ctx context.Context) {
		if _, err := os.Stat(gch); err == nil {
			return
		}
		src := filepath.Join(dir, "stdc++.h")
		if err := os.WriteFile(src, []byte("#include <bits/stdc++.h>\n"), 0o644); err != nil {
			return
		}
		tmp := fmt.Sprintf("%s.%d.tmp", gch, os.Getpid())
		args := append(append([]string{}, flags...), "-x", "c++-header", "-o", tmp, src)
		cmd := exec.CommandContext(ctx, gxx, args...)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			os.Remove(tmp)
			slog.Warn("C++ precompiled header not built: compiles go on without it", "err", err, "output", firstLine(string(out)))
			return
		}
		if err := os.Chmod(tmp, 0o644); err == nil {
			err = os.Rename(tmp, gch)
		}
		slog.Info("C++ precompiled header for <bits/stdc++.h> built", "dir", dir, "took", time.Since(start).Round(time.Millisecond))
	})
}
