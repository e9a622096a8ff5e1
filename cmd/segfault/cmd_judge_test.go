package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
