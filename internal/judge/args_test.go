package judge

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// hostileArgs are arguments a shell would mangle: they must reach the
// program byte for byte.
var hostileArgs = []string{"n_max=1000", "a b", "", "$HOME", "'q'", `"dq"`, "*", "--x", "; rm -rf /", "é\t\\"}

// argvPrinters print their command-line arguments (argv[1:]) raw, each as
// "<bytes>:<arg>|", then a newline, in every language: what argLine says.
var argvPrinters = map[string]string{
	"python":     "import sys\nsys.stdout.write(''.join('%d:%s|' % (len(a.encode()), a) for a in sys.argv[1:]) + '\\n')\n",
	"javascript": "process.stdout.write(process.argv.slice(2).map(a => Buffer.byteLength(a) + ':' + a + '|').join('') + '\\n');\n",
	"c": `#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
	for (int i = 1; i < argc; i++) printf("%zu:%s|", strlen(argv[i]), argv[i]);
	printf("\n");
	return 0;
}
`,
	"go": "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfor _, a := range os.Args[1:] {\n\t\tfmt.Printf(\"%d:%s|\", len(a), a)\n\t}\n\tfmt.Println()\n}\n",
	"java": `public class Main {
	public static void main(String[] args) throws Exception {
		StringBuilder b = new StringBuilder();
		for (String a : args) b.append(a.getBytes("UTF-8").length).append(':').append(a).append('|');
		System.out.write((b.toString() + "\n").getBytes("UTF-8"));
		System.out.flush();
	}
}
`,
	"rust": `fn main() {
    let mut s = String::new();
    for a in std::env::args().skip(1) {
        s.push_str(&format!("{}:{}|", a.len(), a));
    }
    println!("{}", s);
}
`,
}

func init() { argvPrinters["cpp"] = argvPrinters["c"] }

// argLine is what a printer prints for args.
func argLine(args []string) string {
	var b strings.Builder
	for _, a := range args {
		fmt.Fprintf(&b, "%d:%s|", len(a), a)
	}
	return b.String() + "\n"
}

// jsonLine is args as a JSON array and a newline.
func jsonLine(t testing.TB, args []string) string {
	if args == nil {
		args = []string{}
	}
	b, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// TestProgramArgs: Submission.Args then Test.Args reach the program as
// real argv, on Judge, RunOnce and Build alike, with no shell in between,
// in each language with an argv printer here (the first seven; the
// conformance program of every language prints its argv too).
func TestProgramArgs(t *testing.T) {
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			for _, lang := range j.Languages().IDs() {
				t.Run(lang, func(t *testing.T) {
					if rt == "bare" && lang != "c" && lang != "cpp" && lang != "python" {
						t.Skip("bare caps the address space (RLIMIT_AS), which the JVM, V8, the Go runtime and rust-lld reserve by the GiB")
					}
					src := argvPrinters[lang]
					if src == "" {
						t.Skipf("no argv printer for %s: TestConformance checks its argv", lang)
					}
					// Case- and space-sensitive: the checker compares the
					// whole line exactly, whitespace inside arguments too.
					p := writeProblem(t, 5*time.Second, 256<<20,
						[2]string{"", argLine(hostileArgs)},
						[2]string{"", argLine(append(append([]string(nil), hostileArgs...), "7", "42"))},
						[2]string{"", argLine(append(append([]string(nil), hostileArgs...), ""))})
					p.ValidatorFlags = []string{"case_sensitive", "space_change_sensitive"}
					p.Tests[1].Args = []string{"7", "42"}
					p.Tests[2].Args = []string{""}
					sub := Submission{Lang: lang, Source: []byte(src), Args: hostileArgs}
					if res := judgeOK(t, j, p, sub, Options{RunAll: true}); res.Verdict != AC {
						t.Fatalf("Judge: %s", summary(res))
					}

					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					defer cancel()
					var out, errOut bytes.Buffer
					ro, err := j.RunOnce(ctx, sub, RunLimits{TimeLimit: 5 * time.Second, MemoryBytes: 256 << 20}, strings.NewReader(""), &out, &errOut)
					if err != nil || ro.Verdict != AC || out.String() != argLine(hostileArgs) {
						t.Fatalf("RunOnce = %+v, %v: %q %q", ro, err, out.String(), errOut.String())
					}

					b, ce, err := j.Build(ctx, sub, 256<<20)
					if err != nil || ce != "" {
						t.Fatalf("Build = %v %q", err, ce)
					}
					defer b.Close()
					out.Reset()
					cmd := b.Cmd
					cmd.Args = append(cmd.Args, "extra")
					cmd.Stdout = &out
					cmd.Limits = sandbox.Limits{CPUTime: 5 * time.Second, MemoryBytes: b.MemoryBytes, OutputBytes: 1 << 20}
					r, err := b.Box.Run(ctx, cmd)
					want := argLine(append(append([]string(nil), hostileArgs...), "extra"))
					if err != nil || r.Status != sandbox.StatusOK || out.String() != want {
						t.Fatalf("Build's Cmd: %+v %v: %q, want %q", r, err, out.String(), want)
					}
				})
			}
		})
	}
}

// TestProgramArgsRefused: arguments execve cannot pass faithfully are a
// request error with a stable code, before anything runs.
func TestProgramArgsRefused(t *testing.T) {
	j := newTestJudge(t, "bare")
	ctx := context.Background()
	many := make([]string, MaxArgs+1)
	for i := range many {
		many[i] = "x"
	}
	for name, args := range map[string][]string{
		"nul":      {"a\x00b"},
		"too many": many,
		"too long": {strings.Repeat("x", MaxArgBytes)},
	} {
		sub := Submission{Lang: "python", Source: []byte("print(1)\n"), Args: args}
		p := writeProblem(t, time.Second, 64<<20, [2]string{"", "1\n"})
		if _, err := j.Judge(ctx, p, sub, Options{}); ErrorCode(err) != CodeBadArguments {
			t.Errorf("%s: Judge err %v, want %s", name, err, CodeBadArguments)
		}
		if _, err := j.RunOnce(ctx, sub, RunLimits{TimeLimit: time.Second, MemoryBytes: 64 << 20}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); ErrorCode(err) != CodeBadArguments {
			t.Errorf("%s: RunOnce err %v", name, err)
		}
		if _, _, err := j.Build(ctx, sub, 64<<20); ErrorCode(err) != CodeBadArguments {
			t.Errorf("%s: Build err %v", name, err)
		}
		sub.Args = nil
		p.Tests[0].Args = args
		if _, err := j.Judge(ctx, p, sub, Options{}); ErrorCode(err) != CodeBadArguments || !strings.Contains(err.Error(), "test 1") {
			t.Errorf("%s: Test.Args err %v", name, err)
		}
	}
	// Right at both limits: passed in full.
	full := make([]string, MaxArgs)
	for i := range full {
		full[i] = strings.Repeat(string(rune('a'+i%26)), MaxArgBytes/MaxArgs-1)
	}
	sub := Submission{Lang: "python", Source: []byte("import sys\nprint(len(sys.argv) - 1, sum(map(len, sys.argv[1:])))\n"), Args: full}
	p := writeProblem(t, 5*time.Second, 64<<20, [2]string{"", fmt.Sprintf("%d %d\n", MaxArgs, MaxArgBytes-MaxArgs)})
	if res := judgeOK(t, j, p, sub, Options{}); res.Verdict != AC {
		t.Errorf("arguments at the limits: %s", summary(res))
	}
}

// TestPerTestValidatorFlags: a test's own ValidatorFlags replace the
// problem's, for the default checker (tolerances) and for a custom
// validator's argv.
func TestPerTestValidatorFlags(t *testing.T) {
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			// The program prints its input: each test's input is the output.
			echo := Submission{Lang: "python", Source: []byte("import sys\nsys.stdout.write(sys.stdin.read())\n")}
			p := writeProblem(t, 2*time.Second, 64<<20,
				[2]string{"1.0000001\n", "1.0\n"}, // problem flags: float_tolerance 1e-6
				[2]string{"1.3\n", "1.0\n"},       // its own: absolute 0.5
				[2]string{"1.00\n", "1.0\n"},      // its own: none (exact tokens)
				[2]string{"1.3\n", "1.0\n"},       // problem flags again
			)
			p.ValidatorFlags = []string{"float_tolerance", "1e-6"}
			p.Tests[1].ValidatorFlags = []string{"float_absolute_tolerance", "0.5"}
			p.Tests[2].ValidatorFlags = []string{}
			res := judgeOK(t, j, p, echo, Options{RunAll: true})
			var got []string
			for _, tr := range res.Tests {
				got = append(got, string(tr.Verdict))
			}
			if strings.Join(got, " ") != "AC AC WA WA" {
				t.Fatalf("verdicts %v: %s", got, summary(res))
			}
			// Samples-only judging keeps each test's own flags.
			p.Tests[1].Sample = true
			if res := judgeOK(t, j, p, echo, Options{SamplesOnly: true}); res.Verdict != AC || res.Total != 2 {
				t.Fatalf("samples only: %s", summary(res))
			}

			// A bad flag in any one test refuses the problem up front.
			p.Tests[3].ValidatorFlags = []string{"float_tolerance", "lots"}
			if _, err := j.Judge(context.Background(), p, echo, Options{}); ErrorCode(err) != CodeBadProblem || !strings.Contains(err.Error(), "test 4") {
				t.Errorf("bad per-test flag: %v", err)
			}

			// A custom validator gets each test's flags after the Kattis
			// arguments, as argv entries: the answer file holds the argv
			// the validator must see.
			val := "import json, sys\nwant = json.load(open(sys.argv[2]))\nsys.exit(42 if sys.argv[4:] == want else 43)\n"
			cp := writeProblem(t, 2*time.Second, 64<<20,
				[2]string{"", jsonLine(t, []string{"problem", "wide"})},
				[2]string{"", jsonLine(t, hostileArgs)},
				[2]string{"", jsonLine(t, nil)})
			cp.Validator = &ValidatorSpec{Files: map[string][]byte{"validate.py": []byte(val)}}
			cp.ValidatorFlags = []string{"problem", "wide"}
			cp.Tests[1].ValidatorFlags = hostileArgs
			cp.Tests[2].ValidatorFlags = []string{}
			if res := judgeOK(t, j, cp, echo, Options{RunAll: true}); res.Verdict != AC || res.Passed != 3 {
				t.Fatalf("custom validator flags: %s", summary(res))
			}
		})
	}
}

// scoreValidator writes the team output to score.txt and accepts, except
// for a few keywords that test the other paths.
const scoreValidator = `import os, sys
out = sys.stdin.buffer.read().decode("latin-1")
fb = sys.argv[3]
def score(text):
    with open(os.path.join(fb, "score.txt"), "wb") as f:
        f.write(text.encode("latin-1"))
if out == "REJECT":
    score("5")
    sys.exit(43)
if out == "NONE":
    sys.exit(42)
if out == "CRASH":
    sys.exit(3)
if out == "LINK":
    os.symlink("/etc/passwd", os.path.join(fb, "score.txt"))
    sys.exit(42)
if out == "HUGE":
    score("1" * (1 << 20))
    sys.exit(42)
if out == "FIFO":
    os.mkfifo(os.path.join(fb, "score.txt"))
    sys.exit(42)
score(out)
sys.exit(42)
`

// TestValidatorScore: an accepting validator's score.txt becomes
// TestResult.Score; a malformed one is the package's fault, an IE that
// tells the author what is wrong (and tells the player nothing).
func TestValidatorScore(t *testing.T) {
	num := func(f float64) *float64 { return &f }
	cases := []struct {
		name, out string
		want      Verdict
		score     *float64
		msg       string // substring of TestResult.Message for IE
	}{
		{"decimal", "37.5", AC, num(37.5), ""},
		{"surrounding whitespace", "  \n 12 \n\n", AC, num(12), ""},
		{"exponent", "-2.5e1", AC, num(-25), ""},
		{"no score.txt", "NONE", AC, nil, ""},
		{"rejected ignores score.txt", "REJECT", WA, nil, ""},
		{"not a number", "lots", IE, nil, `score.txt must hold one decimal number, got "lots"`},
		{"two numbers", "1 2", IE, nil, "one decimal number"},
		{"empty", "", IE, nil, "one decimal number"},
		{"nan", "nan", IE, nil, "one decimal number"},
		{"inf", "inf", IE, nil, "one decimal number"},
		{"hex float", "0x1p3", IE, nil, "one decimal number"},
		{"overflow", "1e999", IE, nil, "out of range"},
		{"huge file", "HUGE", IE, nil, "over 128 bytes"},
		{"binary", "\xff\xfe", IE, nil, "one decimal number"},
		{"symlink", "LINK", IE, nil, "not a regular file"},
		{"fifo", "FIFO", IE, nil, "not a regular file"},
		{"validator crash", "CRASH", IE, nil, "output validator failed"},
	}
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					p := writeProblem(t, 5*time.Second, 256<<20, [2]string{"", ""}, [2]string{"", ""})
					p.Validator = &ValidatorSpec{Files: map[string][]byte{"validate.py": []byte(scoreValidator)}}
					sub := Submission{Lang: "python", Source: []byte("import sys\nsys.stdout.buffer.write(" + pyBytes(c.out) + ")\n")}
					res := judgeOK(t, j, p, sub, Options{RunAll: true})
					if len(res.Tests) == 0 {
						t.Fatalf("no test results: %s", summary(res))
					}
					tr := res.Tests[0]
					if res.Verdict != c.want || tr.Verdict != c.want {
						t.Fatalf("want %s, got %s", c.want, summary(res))
					}
					switch {
					case c.score == nil && tr.Score != nil:
						t.Errorf("score %v, want none", *tr.Score)
					case c.score != nil && (tr.Score == nil || *tr.Score != *c.score):
						t.Errorf("score %v, want %v", tr.Score, *c.score)
					}
					if c.want != IE {
						return
					}
					if !strings.Contains(tr.Message, c.msg) || len(tr.Message) > 300 {
						t.Errorf("author message %q, want %q", tr.Message, c.msg)
					}
					if strings.Contains(res.Message, "score") || strings.Contains(res.Message, "validator") || res.FailedTest != 1 || len(res.Tests) != 1 {
						t.Errorf("player message %q, failed test %d, tests %d", res.Message, res.FailedTest, len(res.Tests))
					}
				})
			}
		})
	}
}

// pyBytes is a Python bytes literal of s.
func pyBytes(s string) string {
	var b strings.Builder
	b.WriteString("b'")
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "\\x%02x", s[i])
	}
	b.WriteString("'")
	return b.String()
}
