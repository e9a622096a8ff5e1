package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
)

// argPrograms print their arguments and the rest of their stdin, one per
// language withArgs supports.
var argPrograms = map[string]string{
	"python": "import sys\nprint(','.join(sys.argv[1:]) + '|' + sys.stdin.read().replace('\\n', ''))\n",
	// A #! line must stay first for node.
	"javascript": "#!/usr/bin/env node\nconst fs = require('fs');\n" +
		"console.log(process.argv.slice(2).join(',') + '|' + fs.readFileSync(0, 'utf8').replace(/\\n/g, ''));\n",
	"c": "#include <stdio.h>\nint main(int argc, char **argv) {\n" +
		"  for (int i = 1; i < argc; i++) printf(i > 1 ? \",%s\" : \"%s\", argv[i]);\n" +
		"  putchar('|'); int c; while ((c = getchar()) != EOF) if (c != '\\n') putchar(c);\n" +
		"  putchar('\\n'); return 0;\n}\n",
	// The usual competitive-programming preamble must not break it.
	"cpp": "#include <iostream>\n#include <string>\n#define int long long\nusing namespace std;\n" +
		"signed main(signed argc, char **argv) {\n" +
		"  for (int i = 1; i < argc; i++) cout << (i > 1 ? \",\" : \"\") << argv[i];\n" +
		"  string rest, line; while (getline(cin, line)) rest += line; cout << '|' << rest << endl;\n}\n",
}

// TestWithArgs runs each argPrograms with fixed arguments and with
// arguments read from the first stdin line. TestVerifyOnRunc repeats it in
// the real sandbox, with JavaScript: node does not start under the bare
// runtime on every host (it cannot create its threads there).
func TestWithArgs(t *testing.T) {
	checkArgs(t, realJudge(t), "python", "c", "cpp")
	if _, err := withArgs("java", []byte("class Main {}"), []string{"x"}, false); err == nil || !strings.Contains(err.Error(), "cannot pass command-line arguments to a java program") {
		t.Errorf("java: %v", err)
	}
	if _, err := withArgs("python", []byte("pass"), []string{"a\nb"}, false); err == nil {
		t.Error("newline in an argument accepted")
	}
	got := string(insertAfterHeader([]byte("#!/usr/bin/env python3\n\"\"\"doc\"\"\"\nfrom __future__ import annotations\nx = 1\n"), "ARGS\n", true))
	if got != "#!/usr/bin/env python3\n\"\"\"doc\"\"\"\nfrom __future__ import annotations\nARGS\nx = 1\n" {
		t.Errorf("python header:\n%s", got)
	}
}

func checkArgs(t *testing.T, j *judge.Judge, langs ...string) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.WriteFile(in, []byte("7 42\nrest\n"), 0o644)
	p := &judge.Problem{Name: "args", TimeLimit: 5 * time.Second, MemoryBytes: 256 << 20,
		Tests: []judge.Test{{Name: "1", InputPath: in}}}
	for _, lang := range langs {
		src := argPrograms[lang]
	modes:
		for _, fromStdin := range []bool{false, true} {
			args := []string{"a b", "x=1", `q"uo\te?`}
			want := `a b,x=1,q"uo\te?|7 42rest`
			if fromStdin {
				args, want = nil, "7,42|rest"
			}
			got, err := withArgs(lang, []byte(src), args, fromStdin)
			if err != nil {
				t.Fatalf("%s: %v", lang, err)
			}
			res, err := j.Judge(context.Background(), p, judge.Submission{Lang: lang, Source: got}, judge.Options{KeepOutput: 1 << 10})
			if err != nil {
				t.Fatalf("%s: %v", lang, err)
			}
			if res.Verdict == judge.CE || res.Verdict == judge.IE {
				plain, err := j.Judge(context.Background(), p, judge.Submission{Lang: lang, Source: []byte(src)}, judge.Options{})
				if err != nil || plain.Verdict == judge.CE || plain.Verdict == judge.IE {
					// The toolchain itself does not work here (not installed).
					t.Logf("%s does not run on this judge (%v): skipped", lang, outputOrErr(plain, err))
					break modes
				}
			}
			if res.Verdict == judge.CE || len(res.Tests) != 1 || strings.TrimSpace(res.Tests[0].Output) != want {
				t.Errorf("%s (stdin %v): verdict %s %s output %q, want %q", lang, fromStdin, res.Verdict, res.Message, outputOf(res), want)
			}
		}
	}
}

func outputOrErr(res *judge.Result, err error) string {
	if err != nil {
		return err.Error()
	}
	return string(res.Verdict) + " " + firstLines(res.Message, 2)
}

func outputOf(res *judge.Result) string {
	if len(res.Tests) == 0 {
		return ""
	}
	return res.Tests[0].Output + res.Tests[0].Stderr
}

// copyFixture copies a testdata package into a temporary directory.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	work := filepath.Join(t.TempDir(), name)
	if err := problem.CopyTree(filepath.Join("../testdata", name), work); err != nil {
		t.Fatal(err)
	}
	return work
}

// TestInputValidatorArgs: group arguments reach the validator (legacy
// input_validator_flags to a Python validator, draft input_validator_args
// to a C++ one), so an input valid for the problem but too big for its
// group is reported, and only that one.
func TestInputValidatorArgs(t *testing.T) {
	legacy := copyFixture(t, "scoring_triangle")
	os.WriteFile(filepath.Join(legacy, "data/secret/group1/4.in"), []byte("5000\n"), 0o644)
	os.WriteFile(filepath.Join(legacy, "data/secret/group1/4.ans"), []byte("12502500\n"), 0o644)
	draft := copyFixture(t, "draft_average")
	big := "1001\n" + strings.TrimSpace(strings.Repeat("1 ", 1001)) + "\n"
	os.WriteFile(filepath.Join(draft, "data/secret/7.in"), []byte(big), 0o644)
	os.WriteFile(filepath.Join(draft, "data/secret/7.ans"), []byte("1\n"), 0o644)
	for _, tc := range []struct{ dir, want string }{
		{legacy, "secret/group1/4: exit 43: n=5000 out of range 1..1000"},
		{draft, "secret/7: exit 43: n out of range"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		v := validateInputs(ctx, load(t, tc.dir), load(t, tc.dir).InputValidators[0], realJudge(t))
		cancel()
		if v.Err != "" || len(v.Invalid) != 1 || v.Invalid[0] != tc.want {
			t.Errorf("%s: validator row %+v, want only %q", filepath.Base(tc.dir), v, tc.want)
		}
	}
}

// TestVerifyRunsGenerator: verify runs generators/gen at a few sizes and
// checks each output with the input validators; a generator that crashes
// or prints an invalid input fails verification with a message naming the
// run.
func TestVerifyRunsGenerator(t *testing.T) {
	rep := verifyDir(t, "../testdata/scoring_triangle")
	if g := rep.Generator; g == nil || !g.OK() || strings.Join(g.Runs, ", ") != "gen 1 1, gen 10 2, gen 100 3" {
		t.Fatalf("generator row %+v", rep.Generator)
	}

	// tests.txt (the bundled set's list) sets the sizes: smallest, largest
	// and one in between.
	sized := copyFixture(t, "scoring_triangle")
	os.WriteFile(filepath.Join(sized, "generators/tests.txt"), []byte("# name n seed\nkeep: 01\nsmall 4 1\nbig 40000 2 mode\n"), 0o644)
	if got := generatorSizes(load(t, sized)); len(got) != 3 || got[0] != 4 || got[1] != 400 || got[2] != 40000 {
		t.Errorf("sizes %v", got)
	}

	for i, tc := range []struct{ name, gen, want string }{
		{"invalid output", "#!/usr/bin/env python3\nimport sys\nn = int(sys.argv[1])\nprint(0 if n >= 100 else n)\n",
			"gen 100 3: exit 43: n=0 out of range 1..1000000000 (input_validators/validate.py)"},
		{"crash", "#!/usr/bin/env python3\nimport sys\nsys.exit('no such mode' if int(sys.argv[2]) == 2 else print(1))\n",
			"gen 10 2: exit 1: no such mode"},
		{"silent", "#!/usr/bin/env python3\n", "gen 1 1: printed nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := copyFixture(t, "scoring_triangle")
			os.WriteFile(filepath.Join(work, "generators/gen"), []byte(tc.gen), 0o755)
			if i > 0 {
				// The generator check alone; the first case goes through
				// Verify to see the report and the import error fail.
				g := checkGenerator(context.Background(), load(t, work), realJudge(t))
				if len(g.Invalid) == 0 || g.Invalid[0] != tc.want {
					t.Fatalf("generator row %+v, want first invalid %q", g, tc.want)
				}
				return
			}
			rep := verifyDir(t, work)
			if rep.OK() || rep.Generator == nil || len(rep.Generator.Invalid) == 0 || rep.Generator.Invalid[0] != tc.want {
				t.Fatalf("generator row %+v, want first invalid %q", rep.Generator, tc.want)
			}
			if err := (&FailedError{Report: rep}).Error(); !strings.Contains(err, "generators/gen: 1 bad run(s), first "+tc.want) {
				t.Errorf("error %q does not name the generator run", err)
			}
		})
	}
	t.Run("compiled generator", func(t *testing.T) {
		work := copyFixture(t, "scoring_triangle")
		os.Remove(filepath.Join(work, "generators/gen"))
		os.WriteFile(filepath.Join(work, "generators/gen.cpp"), []byte(
			"#include <cstdio>\n#include <cstdlib>\nint main(int argc, char **argv) {\n"+
				"  if (argc != 3) return 3;\n  std::printf(\"%d\\n\", std::atoi(argv[1]) + 1);\n  return 0;\n}\n"), 0o644)
		pkg := load(t, work)
		if pkg.Generator == nil || pkg.Generator.Language != "cpp" {
			t.Fatalf("generator %+v", pkg.Generator)
		}
		if g := checkGenerator(context.Background(), pkg, realJudge(t)); !g.OK() || len(g.Runs) != 3 {
			t.Fatalf("generator row %+v", g)
		}
	})
}
