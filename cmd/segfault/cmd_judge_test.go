package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
)

const judgeTestdata = "../../internal/judge/testdata"

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestCmdJudge drives `segfault judge` on the bare runtime (the sandboxed
// runtimes are covered by internal/judge's own tests).
func TestCmdJudge(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sum := filepath.Join(judgeTestdata, "problems", "sum")
	cases := []struct {
		name   string
		args   []string
		code   int
		last   string // prefix of the last stdout line
		stderr string
	}{
		{"accepted", []string{"--sandbox-runtime", "bare", "--problem", sum, filepath.Join(judgeTestdata, "sum", "sum.py")}, 0, "AC 3/3", ""},
		{"wrong answer", []string{"--sandbox-runtime", "bare", "--problem", sum, "--lang", "py", write("wa.py", "print(3)\n")}, 1, "WA test 2", ""},
		{"run all", []string{"--sandbox-runtime", "bare", "--all", "--problem", sum, write("wa2.py", "print(3)\n")}, 1, "WA test 2 (secret/1)", ""},
		{"compile error", []string{"--sandbox-runtime", "bare", "--problem", sum, write("ce.c", "int main( {")}, 1, "CE compilation failed", ""},
		{"runtime error", []string{"--sandbox-runtime", "bare", "--problem", sum, write("re.c", "int main(void){return 7;}")}, 1, "RE test 1", ""},
		{"unsupported language", []string{"--sandbox-runtime", "bare", "--problem", sum, "--lang", "cobol", write("x.cob", "x")}, 2, "", "language_unsupported"},
		{"unknown extension", []string{"--sandbox-runtime", "bare", "--problem", sum, write("x.zz", "x")}, 2, "", "pass --lang"},
		{"empty source", []string{"--sandbox-runtime", "bare", "--problem", sum, write("empty.py", "")}, 2, "", "code_empty"},
		{"not a package", []string{"--sandbox-runtime", "bare", "--problem", dir, write("ok.py", "print(1)\n")}, 2, "", "error [missing] problem.yaml"},
		{"missing problem flag", []string{"x.py"}, 2, "", "usage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runJudge(context.Background(), c.args, &out, &errb)
			if code != c.code || !strings.HasPrefix(lastLine(out.String()), c.last) || !strings.Contains(errb.String(), c.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, c.code, out.String(), errb.String())
			}
		})
	}
}

func TestCmdRun(t *testing.T) {
	src := filepath.Join(judgeTestdata, "sum", "sum.cpp")
	var out, errb bytes.Buffer
	code := runRun(context.Background(), []string{"--sandbox-runtime", "bare", src}, strings.NewReader("3 4\n"), &out, &errb)
	if code != 0 || out.String() != "7\n" || !strings.Contains(errb.String(), "time") || !strings.Contains(errb.String(), "memory") {
		t.Fatalf("exit %d stdout %q stderr %q", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	loop := filepath.Join(judgeTestdata, "hostile", "loop.c")
	code = runRun(context.Background(), []string{"--sandbox-runtime", "bare", "--time", "300ms", loop}, strings.NewReader(""), &out, &errb)
	if code != 1 || !strings.HasPrefix(errb.String(), "TLE") {
		t.Fatalf("loop: exit %d stderr %q", code, errb.String())
	}
}

// TestCmdRunInfersLanguage: without --lang the language comes from the
// extension (and, for .pl, the shebang); an unknown one is a usage error.
func TestCmdRunInfersLanguage(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		file, src, lang string
	}{
		{"a.py", "print(int(input()) * 2)\n", "python"},
		{"a.pl", "#!/usr/bin/perl\nmy $x = <STDIN>; print $x * 2, \"\\n\";\n", "perl"},
		{"a.sh", "read -r x; echo $((x * 2))\n", "bash"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			langs, err := judge.DefaultLanguages("")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := langs.Lookup(context.Background(), c.lang); err != nil {
				t.Skipf("%s not installed: %v", c.lang, err)
			}
			f := filepath.Join(dir, c.file)
			if err := os.WriteFile(f, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			code := runRun(context.Background(), []string{"--sandbox-runtime", "bare", f}, strings.NewReader("21\n"), &out, &errb)
			if code != 0 || out.String() != "42\n" {
				t.Fatalf("exit %d stdout %q stderr %q", code, out.String(), errb.String())
			}
		})
	}
	f := filepath.Join(dir, "a.txt")
	os.WriteFile(f, []byte("x"), 0o644)
	var out, errb bytes.Buffer
	if code := runRun(context.Background(), []string{"--sandbox-runtime", "bare", f}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "cannot tell the language") {
		t.Fatalf("unknown extension: exit %d stderr %q", code, errb.String())
	}
}

// TestCmdLanguages: one line per language found here, id first; --all adds
// the missing ones.
func TestCmdLanguages(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runLanguages(context.Background(), nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "python ") && !strings.HasPrefix(lines[0], "c ") {
		t.Fatalf("output %q", out.String())
	}
	for _, l := range lines {
		if len(strings.Fields(l)) < 3 || strings.Contains(l, "missing") {
			t.Errorf("line %q: want id, name, version", l)
		}
	}
	out.Reset()
	// --wait also returns only once the background toolchain builds (C++'s
	// precompiled header, the JVM archives) are done: none is left running.
	if code := runLanguages(context.Background(), []string{"--all", "--wait"}, &out, &errb); code != 0 || strings.Count(out.String(), "\n") != 29 {
		t.Errorf("--all --wait: exit %d, %d lines", code, strings.Count(out.String(), "\n"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := judge.PreparedBuilt(ctx); err != nil {
		t.Errorf("a build still running after --wait: %v", err)
	}
	if code := runLanguages(context.Background(), []string{"extra"}, &out, &errb); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
}
