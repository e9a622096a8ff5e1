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

// argPrograms reject every input, printing their arguments joined by ","
// to stderr, where verification quotes them: one per language.
var argPrograms = map[string]string{
	"python": "import sys\nsys.stderr.write(','.join(sys.argv[1:]) + '\\n')\nsys.exit(43)\n",
	// A #! line is fine for node.
	"javascript": "#!/usr/bin/env node\nprocess.stderr.write(process.argv.slice(2).join(',') + '\\n');\nprocess.exit(43);\n",
	"c": "#include <stdio.h>\nint main(int argc, char **argv) {\n" +
		"  for (int i = 1; i < argc; i++) fprintf(stderr, i > 1 ? \",%s\" : \"%s\", argv[i]);\n" +
		"  fputc('\\n', stderr); return 43;\n}\n",
	// The usual competitive-programming preamble.
	"cpp": "#include <iostream>\n#define int long long\nusing namespace std;\n" +
		"signed main(signed argc, char **argv) {\n" +
		"  for (int i = 1; i < argc; i++) cerr << (i > 1 ? \",\" : \"\") << argv[i];\n" +
		"  cerr << endl; return 43;\n}\n",
	"go": "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n)\n\n" +
		"func main() {\n\tfmt.Fprintln(os.Stderr, strings.Join(os.Args[1:], \",\"))\n\tos.Exit(43)\n}\n",
	"java": "public class Validate {\n  public static void main(String[] args) {\n" +
		"    System.err.println(String.join(\",\", args));\n    System.exit(43);\n  }\n}\n",
	"rust": "fn main() {\n    let a: Vec<String> = std::env::args().skip(1).collect();\n" +
		"    eprintln!(\"{}\", a.join(\",\"));\n    std::process::exit(43);\n}\n",
}

var argExts = map[string]string{"python": "py", "javascript": "js", "c": "c", "cpp": "cpp", "go": "go", "java": "java", "rust": "rs"}

// TestValidatorArgs: input validator arguments reach a validator as its
// real argv, quotes, spaces and shell syntax included, untouched. Under
// the bare runtime only C, C++ and Python run (the others reserve more
// address space than it allows); TestVerifyOnRunc repeats it for every
// language in the real sandbox.
func TestValidatorArgs(t *testing.T) {
	checkArgs(t, realJudge(t), "python", "c", "cpp")
}

func checkArgs(t *testing.T, j *judge.Judge, langs ...string) {
	t.Helper()
	pkg := load(t, "../testdata/scoring_triangle")
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.WriteFile(in, []byte("7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"a b", "x=1", `q"uo\te?`, "$HOME", "*", "; exit 42", "--max", "1000"}
	want := "secret/1: exit 43: " + strings.Join(args, ",")
	for _, lang := range langs {
		name := "validate." + argExts[lang]
		if lang == "java" {
			name = "Validate.java"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(argPrograms[lang]), 0o644); err != nil {
			t.Fatal(err)
		}
		v := problem.Program{Name: "input_validators/" + name, Path: filepath.Join(dir, name), Language: lang, Files: []string{name}, Main: name}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		row := runInputValidator(ctx, pkg, v, j, []input{{Name: "secret/1", Path: in}}, args)
		cancel()
		if row.Err != "" || len(row.Invalid) != 1 || row.Invalid[0] != want {
			t.Errorf("%s: row %+v, want invalid %q", lang, row, want)
		}
	}
	// NUL cannot be an argv entry: a clear error, nothing run.
	if err := os.WriteFile(filepath.Join(dir, "validate.py"), []byte(argPrograms["python"]), 0o644); err != nil {
		t.Fatal(err)
	}
	v := problem.Program{Name: "input_validators/validate.py", Path: filepath.Join(dir, "validate.py"), Language: "python", Files: []string{"validate.py"}, Main: "validate.py"}
	row := runInputValidator(context.Background(), pkg, v, j, []input{{Name: "secret/1", Path: in}}, []string{"a\x00b"})
	if !strings.Contains(row.Err, judge.CodeBadArguments) {
		t.Errorf("NUL argument: %+v", row)
	}
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
			if err := (&FailedError{Report: rep}).Error(); !strings.Contains(err, "generators/gen: "+tc.want) {
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
