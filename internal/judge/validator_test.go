package judge

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testdataProblem builds a problem over testdata/problems/<name> by hand:
// the .in/.ans pairs under data/sample and data/secret in path order, and
// the validator's files from validatorDir (relative to the package; ""
// = the default checker). The limits are given here, not read from
// problem.yaml: reading packages is verify.LoadJudgeProblem's job, which
// cmd/segfault's tests run on these same directories.
func testdataProblem(t *testing.T, name string, tl time.Duration, validatorDir string, flags ...string) *Problem {
	t.Helper()
	dir := filepath.Join("testdata", "problems", name)
	p := &Problem{Name: name, TimeLimit: tl, MemoryBytes: 256 << 20, ValidatorFlags: flags}
	for _, part := range []string{"sample", "secret"} {
		root := filepath.Join(dir, "data", part)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".in") {
				return err
			}
			base := strings.TrimSuffix(path, ".in")
			rel, _ := filepath.Rel(filepath.Join(dir, "data"), base)
			p.Tests = append(p.Tests, Test{Name: filepath.ToSlash(rel), InputPath: path, AnswerPath: base + ".ans", Sample: part == "sample"})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if validatorDir != "" {
		ents, err := os.ReadDir(filepath.Join(dir, validatorDir))
		if err != nil {
			t.Fatal(err)
		}
		p.Validator = &ValidatorSpec{Files: map[string][]byte{}}
		for _, e := range ents {
			p.Validator.Files[e.Name()] = readTestdata(t, filepath.Join("problems", name, validatorDir, e.Name()))
		}
	}
	if len(p.Tests) == 0 {
		t.Fatalf("%s: no tests", dir)
	}
	return p
}

func squareProblem(t *testing.T) *Problem {
	p := testdataProblem(t, "square", 2*time.Second, "output_validators/square_validator", "tolerance", "1")
	if len(p.Tests) != 3 || !p.Tests[0].Sample || p.Tests[1].Name != "secret/group1/a" || len(p.Validator.Files) != 2 {
		t.Fatalf("square: %+v", p)
	}
	return p
}

func guessProblem(t *testing.T) *Problem {
	p := testdataProblem(t, "guess", 1500*time.Millisecond, "output_validator")
	p.Interactive = true
	return p
}

func TestCustomValidator(t *testing.T) {
	cases := []struct {
		name, src string
		want      Verdict
		msg       string
	}{
		{"exact", "n = int(input())\nprint(n * n)\n", AC, ""},
		{"within tolerance", "n = int(input())\nprint(n * n + 1)\n", AC, ""},
		{"outside tolerance", "n = int(input())\nprint(n * n + (2 if n == 10 else 0))\n", WA, "off by 2"},
		{"trailing output", "n = int(input())\nprint(n * n, 'x')\n", WA, "trailing output"},
		{"crash still RE", "raise SystemExit(4)\n", RE, "exit code 4"},
	}
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			p := squareProblem(t)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					res := judgeOK(t, j, p, Submission{Lang: "python", Source: []byte(c.src)}, Options{})
					if res.Verdict != c.want || res.Verdict != AC && !strings.Contains(res.Tests[len(res.Tests)-1].Message, c.msg) {
						t.Fatalf("want %s %q, got %s", c.want, c.msg, summary(res))
					}
				})
			}
			// A validator that cannot be compiled is the problem's fault.
			broken := *p
			broken.Validator = &ValidatorSpec{Files: map[string][]byte{"validator.cpp": []byte("int main( {")}}
			res := judgeOK(t, j, &broken, Submission{Lang: "python", Source: []byte("print(9)\n")}, Options{})
			if res.Verdict != IE || strings.Contains(res.Message, "int main") {
				t.Errorf("broken validator: %s", summary(res))
			}
		})
	}
}

const guessC = `#include <stdio.h>
#include <string.h>
int main(void) {
	int lo = 1, hi = 1000;
	char reply[32];
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		printf("%d\n", mid);
		fflush(stdout);
		if (scanf("%31s", reply) != 1) return 0;
		if (strcmp(reply, "correct") == 0) return EXIT_CODE;
		if (strcmp(reply, "higher") == 0) lo = mid + 1; else hi = mid - 1;
	}
	return 0;
}
`

func TestInteractive(t *testing.T) {
	cases := []struct {
		name, lang, src string
		want            Verdict
		msg             string
	}{
		{"binary search", "c", strings.Replace(guessC, "EXIT_CODE", "0", 1), AC, ""},
		{"binary search python", "python", `lo, hi = 1, 1000
while True:
    mid = (lo + hi) // 2
    print(mid, flush=True)
    r = input()
    if r == "correct":
        break
    if r == "higher":
        lo = mid + 1
    else:
        hi = mid - 1
`, AC, ""},
		{"linear guessing", "python", "for i in range(1, 1001):\n    print(i, flush=True)\n    if input() == 'correct': break\n", WA, "too many guesses"},
		{"says nothing and exits", "c", "int main(void){return 0;}", WA, "no guess"},
		{"guesses once and leaves", "c", "#include <stdio.h>\nint main(void){puts(\"1\");return 0;}", WA, "no guess after 1"},
		{"waits forever", "python", "import sys\nsys.stdin.readline()\n", TLE, ""},
		{"busy loop", "c", "int main(void){volatile long x=0; for(;;) x++;}", TLE, ""},
		{"crash after correct", "c", strings.Replace(guessC, "EXIT_CODE", "3", 1), RE, "exit code 3"},
		{"talks on after correct", "c", strings.Replace(strings.Replace(guessC, "EXIT_CODE", "0", 1), "if (strcmp(reply, \"correct\") == 0) return 0;",
			"if (strcmp(reply, \"correct\") == 0) { for (int i = 0; i < 200000; i++) printf(\"chatter %d\\n\", i); return 0; }", 1), AC, ""},
		{"talks on after correct python", "python", `lo, hi = 1, 1000
while True:
    mid = (lo + hi) // 2
    print(mid, flush=True)
    r = input()
    if r == "correct":
        break
    lo, hi = (mid + 1, hi) if r == "higher" else (lo, mid - 1)
for i in range(200000):
    print("chatter", i)
`, AC, ""},
		{"garbage", "python", "print('hello', flush=True)\nimport time\ntime.sleep(5)\n", WA, "not a number"},
	}
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			p := guessProblem(t)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					start := time.Now()
					res := judgeOK(t, j, p, Submission{Lang: c.lang, Source: []byte(c.src)}, Options{})
					if res.Verdict != c.want || !strings.Contains(res.Message, c.msg) {
						t.Fatalf("want %s %q, got %s", c.want, c.msg, summary(res))
					}
					t.Logf("%s in %v", res.Verdict, time.Since(start).Round(time.Millisecond))
				})
			}
		})
	}
}

func mustWrite(t *testing.T, path, data string) {
	t.Helper()
	if err := mkdirAllFor(path); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(path, data); err != nil {
		t.Fatal(err)
	}
}
