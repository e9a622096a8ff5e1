package judge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The version command runs once per identity of the files it names: again
// when the program is replaced (as an upgrade does), never for a cached one.
func TestToolVersionCache(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	runs := filepath.Join(dir, "runs")
	tool := filepath.Join(dir, "tool")
	write := func(version string) {
		t.Helper()
		// A new file, as a package upgrade installs it (a new inode).
		tmp := tool + ".new"
		script := "#!/bin/sh\necho run >> " + runs + "\necho '" + version + "'\necho second line\n"
		if err := os.WriteFile(tmp, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, tool); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		b, _ := os.ReadFile(runs)
		return strings.Count(string(b), "run")
	}
	ctx := context.Background()
	write("tool 1.0")
	for i := range 3 {
		v, err := toolVersion(ctx, cache, []string{tool, "--version"})
		if err != nil || v != "tool 1.0" {
			t.Fatalf("call %d: %q, %v", i, v, err)
		}
	}
	if n := count(); n != 1 {
		t.Fatalf("the command ran %d times for 3 calls, want 1", n)
	}
	// Other arguments are another command.
	if _, err := toolVersion(ctx, cache, []string{tool, "-v"}); err != nil || count() != 2 {
		t.Fatalf("other arguments: %v, %d runs", err, count())
	}
	write("tool 2.0")
	if v, err := toolVersion(ctx, cache, []string{tool, "--version"}); err != nil || v != "tool 2.0" {
		t.Fatalf("after the upgrade: %q, %v (runs %d)", v, err, count())
	}
	// A file named in an argument counts too (a compiler's jar).
	jar := filepath.Join(dir, "lib.jar")
	os.WriteFile(jar, []byte("a"), 0o644)
	toolVersion(ctx, cache, []string{tool, "-cp", jar + ":" + filepath.Join(dir, "other.jar")})
	n := count()
	toolVersion(ctx, cache, []string{tool, "-cp", jar + ":" + filepath.Join(dir, "other.jar")})
	os.WriteFile(jar+".new", []byte("bb"), 0o644)
	os.Rename(jar+".new", jar)
	toolVersion(ctx, cache, []string{tool, "-cp", jar + ":" + filepath.Join(dir, "other.jar")})
	if got := count() - n; got != 1 {
		t.Fatalf("named jar: %d runs after the first, want 1 (cached, then the jar changed)", got)
	}
	// A failing command is an error and is not cached.
	if _, err := toolVersion(ctx, cache, []string{filepath.Join(dir, "missing"), "--version"}); err == nil {
		t.Fatal("a missing program gave a version")
	}
	// Without a cache directory, or a program named by a relative path,
	// the command runs every time.
	n = count()
	toolVersion(ctx, "", []string{tool, "--version"})
	toolVersion(ctx, "", []string{tool, "--version"})
	if got := count() - n; got != 2 {
		t.Fatalf("no cache dir: %d runs for 2 calls", got)
	}
}
