package judge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

var sumSources = map[string]string{
	"c":          "sum/sum.c",
	"cpp":        "sum/sum.cpp",
	"python":     "sum/sum.py",
	"go":         "sum/sum.go",
	"javascript": "sum/sum.js",
	"java":       "sum/sum.java",
	"rust":       "sum/sum.rs",
}

// TestLanguagesAccept judges a correct program in each language of the
// first seven on every pipeline runtime (TestConformance covers every
// language of the table on runc).
func TestLanguagesAccept(t *testing.T) {
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			p := sumProblem(t, 3)
			for _, lang := range j.Languages().IDs() {
				if _, ok := sumSources[lang]; !ok {
					continue
				}
				t.Run(lang, func(t *testing.T) {
					if rt == "bare" && lang != "c" && lang != "cpp" && lang != "python" {
						t.Skip("bare caps the address space (RLIMIT_AS), which the JVM, V8, the Go runtime and rust-lld reserve by the GiB")
					}
					src := readTestdata(t, sumSources[lang])
					res := judgeOK(t, j, p, Submission{Lang: lang, Source: src}, Options{})
					if res.Verdict != AC || res.Passed != 3 {
						t.Fatalf("verdict %s", summary(res))
					}
					if res.LanguageVersion == "" {
						t.Error("no language version")
					}
					t.Logf("%s (%s): compile %v, max cpu %v, max mem %d KiB", lang, res.LanguageVersion, res.CompileTime.Round(time.Millisecond), res.MaxCPUTime, res.MaxMemoryBytes>>10)
				})
			}
		})
	}
}

// TestVerdicts covers the verdicts any runtime can produce.
func TestVerdicts(t *testing.T) {
	cases := []struct {
		name, lang, src string
		want            Verdict
		msg             string // substring of Result.Message
	}{
		{"c wrong answer", "c", `#include <stdio.h>
int main(void){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\n",a-b);}`, WA, "expected"},
		{"c exit code", "c", `int main(void){return 3;}`, RE, "exit code 3"},
		{"c segfault", "c", `int main(void){volatile int *p=0; *p=1; return 0;}`, RE, "SIGSEGV"},
		{"c abort", "c", `#include <stdlib.h>
int main(void){abort();}`, RE, "SIGABRT"},
		{"c infinite loop", "c", `int main(void){volatile unsigned long x=0; for(;;) x++;}`, TLE, "limit"},
		{"c compile error", "c", `int main(void){ return x; }`, CE, "x"},
		{"c output flood", "c", `#include <stdio.h>
#include <string.h>
int main(void){static char b[1<<16]; memset(b,'y',sizeof b); for(;;) fwrite(b,1,sizeof b,stdout);}`, OLE, "output limit"},
		{"python exception", "python", "raise ValueError('boom')\n", RE, "exit code 1"},
		{"python syntax error", "python", "def f(:\n  pass\n", CE, "SyntaxError"},
		{"python wrong", "python", "print(42)\n", WA, "expected"},
		{"python sleep", "python", "import time\ntime.sleep(60)\n", TLE, "wall"},
		{"python recursion", "python", "import sys\ndef f(n): return f(n+1)\nf(0)\n", RE, "exit code"},
		{"cpp compile error", "cpp", "int main() { std::vector<int> v; }", CE, "vector"},
	}
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			p := sumProblem(t, 2) // 2 s: a busy machine must not turn quick runs into wall-clock TLEs
			p.OutputBytes = 1 << 20
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					res := judgeOK(t, j, p, Submission{Lang: c.lang, Source: []byte(c.src)}, Options{})
					if res.Verdict != c.want || !strings.Contains(res.Message, c.msg) {
						t.Fatalf("want %s (%q), got %s", c.want, c.msg, summary(res))
					}
					if c.want != CE && res.FailedTest != 1 {
						t.Errorf("failed test %d, want 1", res.FailedTest)
					}
				})
			}
		})
	}
}

// TestStopAtFirstFailure checks the default stop and RunAll's partial score.
func TestStopAtFirstFailure(t *testing.T) {
	// Accepts every test but the second (whose a is 7920).
	src := `a, b = map(int, input().split())
print(a + b + (1 if a == 7920 else 0))
`
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			p := sumProblem(t, 4)
			var seen []Progress
			res := judgeOK(t, j, p, Submission{Lang: "py", Source: []byte(src)}, Options{Progress: func(pr Progress) { seen = append(seen, pr) }})
			if res.Verdict != WA || res.FailedTest != 2 || len(res.Tests) != 2 || res.Passed != 1 {
				t.Fatalf("default run: %s", summary(res))
			}
			// Test 2 is secret: the player is not shown the expected answer.
			if res.Message != "test 2 (2): wrong answer" || !strings.Contains(res.Tests[1].Message, "expected") {
				t.Errorf("secret test messages: %q / %q", res.Message, res.Tests[1].Message)
			}
			if len(seen) != 3 || seen[0].Phase != "compiled" || seen[2].Test != 2 || seen[2].Total != 4 || seen[2].Verdict != WA {
				t.Errorf("progress %+v", seen)
			}
			res = judgeOK(t, j, p, Submission{Lang: "python", Source: []byte(src)}, Options{RunAll: true})
			if res.Verdict != WA || res.FailedTest != 2 || len(res.Tests) != 4 || res.Passed != 3 {
				t.Fatalf("run all: %s", summary(res))
			}
		})
	}
}

// TestBadInput: every rejected request has a stable code and leaves
// nothing behind (no box is opened: the bare runtime's dir stays empty).
func TestBadInput(t *testing.T) {
	boxes := t.TempDir()
	j, err := New(sandbox.NewBare(boxes), sharedLanguages(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	good := sumProblem(t, 1)
	noTests := &Problem{TimeLimit: time.Second, MemoryBytes: 64 << 20}
	missingFile := sumProblem(t, 1)
	missingFile.Tests[0].InputPath += ".gone"
	cases := []struct {
		name string
		p    *Problem
		sub  Submission
		code string
	}{
		{"unknown language", good, Submission{Lang: "cobol", Source: []byte("x")}, CodeUnsupportedLanguage},
		{"empty source", good, Submission{Lang: "cpp", Source: nil}, CodeEmptySource},
		{"blank source", good, Submission{Lang: "py", Source: []byte(" \n\t\n")}, CodeEmptySource},
		{"source too large", good, Submission{Lang: "c", Source: []byte("//" + strings.Repeat("x", MaxSourceBytes))}, CodeSourceTooLarge},
		{"latin-1 python", good, Submission{Lang: "python", Source: []byte("print('caf\xe9')\n")}, CodeInvalidEncoding},
		{"latin-1 java", good, Submission{Lang: "java", Source: []byte("class Main{} // \xff")}, CodeInvalidEncoding},
		{"no tests", noTests, Submission{Lang: "c", Source: []byte("int main(){}")}, CodeNoTests},
		{"nil problem", nil, Submission{Lang: "c", Source: []byte("int main(){}")}, CodeNoTests},
		{"missing test file", missingFile, Submission{Lang: "c", Source: []byte("int main(){}")}, CodeNoTests},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := j.Judge(context.Background(), c.p, c.sub, Options{})
			if res != nil || ErrorCode(err) != c.code {
				t.Fatalf("got result %v, err %v; want code %s", res, err, c.code)
			}
			if ents, _ := os.ReadDir(boxes); len(ents) != 0 {
				t.Fatalf("a rejected request left %d entries in the box dir", len(ents))
			}
		})
	}
	// Latin-1 is fine in C: compilers take bytes.
	res := judgeOK(t, j, good, Submission{Lang: "c", Source: []byte("#include <stdio.h>\n// caf\xe9\nint main(void){long long a,b;scanf(\"%lld%lld\",&a,&b);printf(\"%lld\\n\",a+b);}\n")}, Options{})
	if res.Verdict != AC {
		t.Errorf("latin-1 comment in C: %s", summary(res))
	}
	if ents, _ := os.ReadDir(boxes); len(ents) != 0 {
		t.Errorf("a judged submission left %d entries in the box dir", len(ents))
	}
}

func TestBadProblem(t *testing.T) {
	j := newTestJudge(t, "bare")
	src := Submission{Lang: "c", Source: []byte("int main(){}")}
	flags := sumProblem(t, 1)
	flags.ValidatorFlags = []string{"float_tolerance"}
	noLimit := sumProblem(t, 1)
	noLimit.TimeLimit = 0
	inter := sumProblem(t, 1)
	inter.Interactive = true
	for name, p := range map[string]*Problem{"bad flags": flags, "no time limit": noLimit, "interactive without validator": inter} {
		if _, err := j.Judge(context.Background(), p, src, Options{}); ErrorCode(err) != CodeBadProblem {
			t.Errorf("%s: err %v, want %s", name, err, CodeBadProblem)
		}
	}
}

// TestCancel: a judge stopped by its caller returns the context's error,
// not a verdict (a queue must redeliver the job, not record IE).
func TestCancel(t *testing.T) {
	j := newTestJudge(t, "bare")
	p := sumProblem(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	res, err := j.Judge(ctx, p, Submission{Lang: "python", Source: []byte("import time\ntime.sleep(30)\n")}, Options{})
	if res != nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, %v", res, err)
	}
}

// TestCompileOutputCapped: a flood of compiler errors is cut at 64 KiB.
func TestCompileOutputCapped(t *testing.T) {
	j := newTestJudge(t, "bare")
	var src strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&src, "int f%d(){return u%d;}\n", i, i)
	}
	res := judgeOK(t, j, sumProblem(t, 1), Submission{Lang: "c", Source: []byte(src.String())}, Options{})
	if res.Verdict != CE || len(res.Message) > CompileOutputBytes+200 || !strings.Contains(res.Message, "cut at 64 KiB") || !strings.Contains(res.Message, "u0") {
		t.Fatalf("CE message of %d bytes: ...%s", len(res.Message), res.Message[max(0, len(res.Message)-200):])
	}
}

// TestPool: with a pool, boxes are pooled per language: each shows its own
// language's toolchain only, as without a pool, and judging works as
// without it; warmed languages never wait for a container start.
func TestPool(t *testing.T) {
	j := newTestJudge(t, "runc")
	pool := j.StartPool(context.Background(), 1, "c", "python")
	defer pool.Close()
	p := sumProblem(t, 2)
	for _, lang := range []string{"c", "python", "java", "go", "c", "python"} {
		res := judgeOK(t, j, p, Submission{Lang: lang, Source: readTestdata(t, sumSources[lang])}, Options{})
		if res.Verdict != AC {
			t.Errorf("%s: %s", lang, summary(res))
		}
	}
	if s := pool.Stats(); s.Direct != 2 || s.Ready+s.Waited != 4 {
		t.Errorf("pool stats %+v: want the first java and go boxes opened directly, the rest pooled", s)
	}
	// A Python box shows no other language's toolchain.
	java, err := j.Languages().Lookup(context.Background(), "java")
	if err != nil {
		t.Skip("no java here:", err)
	}
	var probe strings.Builder
	probe.WriteString("import os\nprint(sum(os.path.exists(p) for p in [")
	for _, b := range java.HostBinds() {
		fmt.Fprintf(&probe, "%q,", b)
	}
	probe.WriteString("]))\n")
	q := writeProblem(t, 2*time.Second, 256<<20, [2]string{"", "0\n"})
	if res := judgeOK(t, j, q, Submission{Lang: "python", Source: []byte(probe.String())}, Options{}); res.Verdict != AC {
		t.Errorf("a pooled Python box shows the JVM's files: %s", summary(res))
	}
	// A memory limit over the pooled boxes' ceiling gets a box of its own.
	big := sumProblem(t, 1)
	big.MemoryBytes = 2 << 30
	if res := judgeOK(t, j, big, Submission{Lang: "c", Source: readTestdata(t, "sum/sum.c")}, Options{}); res.Verdict != AC {
		t.Errorf("big memory: %s", summary(res))
	}
}

// TestJavaClassNames: Java runs the file's public class, else Main.
func TestJavaClassNames(t *testing.T) {
	j := newTestJudge(t, "runc")
	p := sumProblem(t, 1)
	for name, src := range map[string]string{
		"package-private Main": "import java.util.*;\nclass Main { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }\n",
		"helper class first":   "import java.util.*;\nclass Helper { static long add(long a, long b) { return a + b; } }\npublic class Solution { public static void main(String[] a) { Scanner s = new Scanner(System.in); System.out.println(Helper.add(s.nextLong(), s.nextLong())); } }\n",
	} {
		res := judgeOK(t, j, p, Submission{Lang: "java", Source: []byte(src)}, Options{})
		if res.Verdict != AC {
			t.Errorf("%s: %s", name, summary(res))
		}
	}
}
