package judge

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func loadTestProblem(t *testing.T, name string) *Problem {
	t.Helper()
	p, err := LoadKattisDir(filepath.Join("testdata", "problems", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadKattisDir(t *testing.T) {
	p := loadTestProblem(t, "square")
	if p.TimeLimit != 2*time.Second || p.MemoryBytes != 256<<20 || p.Interactive || p.Validator == nil {
		t.Errorf("square: %+v", p)
	}
	if got := strings.Join(p.ValidatorFlags, " "); got != "tolerance 1" {
		t.Errorf("flags %q", got)
	}
	var names []string
	for _, tc := range p.Tests {
		names = append(names, tc.Name)
	}
	if got := strings.Join(names, ","); got != "sample/1,secret/group1/a,secret/group1/b" || !p.Tests[0].Sample || p.Tests[1].Sample {
		t.Errorf("tests %s %+v", got, p.Tests)
	}
	if len(p.Validator.Files) != 2 || p.Validator.Files["message.h"] == nil {
		t.Errorf("validator files %v", sortedKeys(p.Validator.Files))
	}

	g := loadTestProblem(t, "guess")
	if !g.Interactive || g.Validator == nil || g.TimeLimit != 1500*time.Millisecond || len(g.Tests) != 3 {
		t.Errorf("guess (.timelimit wins over problem.yaml): %+v", g)
	}

	s := loadTestProblem(t, "sum")
	if s.Validator != nil || s.MemoryBytes != 128<<20 || len(s.Tests) != 3 {
		t.Errorf("sum: %+v", s)
	}

	// A legacy validator directory without validation: custom is unused.
	legacy := t.TempDir()
	mustWrite(t, filepath.Join(legacy, "data/secret/1.in"), "1\n")
	mustWrite(t, filepath.Join(legacy, "data/secret/1.ans"), "1\n")
	mustWrite(t, filepath.Join(legacy, "output_validators/v/v.py"), "exit(42)\n")
	if lp, err := LoadKattisDir(legacy); err != nil || lp.Validator != nil {
		t.Errorf("legacy default validation: %v %+v", err, lp)
	}

	for name, code := range map[string]string{"empty": CodeNoTests, "noans": CodeBadProblem, "badtl": CodeBadProblem, "novalidator": CodeBadProblem} {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "problem.yaml"), "name: x\n")
		switch name {
		case "noans":
			mustWrite(t, filepath.Join(dir, "data/secret/1.in"), "1\n")
		case "badtl":
			mustWrite(t, filepath.Join(dir, ".timelimit"), "fast\n")
		case "novalidator":
			mustWrite(t, filepath.Join(dir, "problem.yaml"), "validation: custom\n")
			mustWrite(t, filepath.Join(dir, "data/secret/1.in"), "1\n")
			mustWrite(t, filepath.Join(dir, "data/secret/1.ans"), "1\n")
		}
		if _, err := LoadKattisDir(dir); ErrorCode(err) != code {
			t.Errorf("%s: err %v, want code %s", name, err, code)
		}
	}
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
			p := loadTestProblem(t, "square")
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
			p := loadTestProblem(t, "guess")
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
