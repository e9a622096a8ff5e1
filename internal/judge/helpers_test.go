package judge

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

var (
	testLangsOnce sync.Once
	testLangs     *Languages
	testLangsErr  error
)

// sharedLanguages resolves toolchains once for the whole test binary (the
// Go standard library is prepared once and cached on disk).
func sharedLanguages(t testing.TB) *Languages {
	testLangsOnce.Do(func() {
		testLangs, testLangsErr = DefaultLanguages("")
	})
	if testLangsErr != nil {
		t.Fatal(testLangsErr)
	}
	return testLangs
}

// sandboxRuntime returns the named runtime. A runtime whose binary is not
// installed skips the test with a message; one that is installed but does
// not work fails it.
func sandboxRuntime(t testing.TB, name string) sandbox.Runtime {
	t.Helper()
	if name != "bare" && !runtimeInstalled(name) {
		t.Skipf("%s is not installed: skipping (apt-get install %s)", name, name)
	}
	rt, err := sandbox.New(name, sandbox.Options{})
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = rt.Check(ctx)
		cancel()
	}
	if err != nil {
		t.Fatalf("sandbox runtime %s is installed but unusable: %v", name, err)
	}
	return rt
}

func runtimeInstalled(name string) bool {
	if _, err := exec.LookPath(name); err == nil {
		return true
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/sbin", "/usr/local/bin", "/usr/local/sbin"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// pipelineRuntimes are the runtimes the pipeline tests run on: bare always
// (fast), runc when it works here. SEGFAULT_JUDGE_RUNTIMES overrides, e.g.
// "runsc".
func pipelineRuntimes(t *testing.T) []string {
	if v := os.Getenv("SEGFAULT_JUDGE_RUNTIMES"); v != "" {
		return splitComma(v)
	}
	return []string{"bare", "runc"}
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// newTestJudge returns a judge on runtime; "runc+pool" = runc behind a
// pool of warm boxes, started ahead for the languages the tests use (so
// that the hostile suite runs against pooled boxes).
func newTestJudge(t testing.TB, runtime string) *Judge {
	t.Helper()
	base, pooled := strings.CutSuffix(runtime, "+pool")
	j, err := New(sandboxRuntime(t, base), sharedLanguages(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if pooled {
		pool := j.StartPool(context.Background(), 1, "c", "cpp", "python", "java", "javascript")
		t.Cleanup(func() { pool.Close() })
	}
	return j
}

// writeProblem writes tests (input → answer) to a fresh directory and
// returns a problem over them; the first test is a sample.
func writeProblem(t testing.TB, tl time.Duration, mem int64, tests ...[2]string) *Problem {
	t.Helper()
	p := writeProblemIn(t, t.TempDir(), tl, mem, tests...)
	p.Name = "test"
	if len(p.Tests) > 0 {
		p.Tests[0].Sample = true
	}
	return p
}

// writeProblemIn writes tests (input → answer) to dir and returns a
// problem over them.
func writeProblemIn(t testing.TB, dir string, tl time.Duration, mem int64, tests ...[2]string) *Problem {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &Problem{Name: filepath.Base(dir), TimeLimit: tl, MemoryBytes: mem}
	for i, tc := range tests {
		in := filepath.Join(dir, fmt.Sprintf("%d.in", i+1))
		ans := filepath.Join(dir, fmt.Sprintf("%d.ans", i+1))
		if err := os.WriteFile(in, []byte(tc[0]), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(ans, []byte(tc[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		p.Tests = append(p.Tests, Test{Name: fmt.Sprint(i + 1), InputPath: in, AnswerPath: ans})
	}
	return p
}

func sumProblem(t testing.TB, n int) *Problem {
	var tests [][2]string
	for i := 0; i < n; i++ {
		a, b := int64(i*7919+1), int64(1)<<40+int64(i)
		tests = append(tests, [2]string{fmt.Sprintf("%d %d\n", a, b), fmt.Sprintf("%d\n", a+b)})
	}
	return writeProblem(t, 2*time.Second, 256<<20, tests...)
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func judgeOK(t testing.TB, j *Judge, p *Problem, sub Submission, opt Options) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := j.Judge(ctx, p, sub, opt)
	if err != nil {
		t.Fatalf("Judge(%s): %v", sub.Lang, err)
	}
	return res
}

func summary(r *Result) string {
	s := fmt.Sprintf("%s %q passed %d/%d", r.Verdict, r.Message, r.Passed, r.Total)
	for _, tr := range r.Tests {
		s += fmt.Sprintf("\n  %s: %s cpu=%v wall=%v mem=%dKiB exit=%d sig=%s msg=%q stderr=%q",
			tr.Name, tr.Verdict, tr.CPUTime, tr.WallTime, tr.MemoryBytes>>10, tr.ExitCode, tr.Signal, tr.Message, tr.Stderr)
	}
	return s
}

func mkdirAllFor(path string) error { return os.MkdirAll(filepath.Dir(path), 0o755) }

func writeFile(path, data string) error { return os.WriteFile(path, []byte(data), 0o644) }
