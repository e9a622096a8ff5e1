package judge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// conformanceCE is a program that must not compile, per language: a
// syntax error, or a type error where the language has static types.
var conformanceCE = map[string]string{
	"python":     "def f(:\n    pass\n",
	"pypy":       "def f(:\n    pass\n",
	"c":          "int main(void) { return undeclared; }\n",
	"cpp":        "int main() { undeclared(); }\n",
	"go":         "package main\n\nfunc main() { x := }\n",
	"javascript": "function (\n",
	"typescript": "const x: number = 'text'\nconsole.log(x)\n",
	"java":       "public class Main { public static void main(String[] a) { int x = \"s\"; } }\n",
	"rust":       "fn main() { let x: i32 = \"s\"; }\n",
	"kotlin":     "fun main() { val x: Int = \"s\" }\n",
	"scala":      "object Main { def main(a: Array[String]): Unit = { val x: Int = \"s\" } }\n",
	"csharp":     "public class P { public static void Main() { int x = \"s\"; } }\n",
	"haskell":    "main :: IO ()\nmain = putStrLn (1 + )\n",
	"ocaml":      "let () = print_int \"s\"\n",
	"php":        "<?php\necho 1 +;\n",
	"ruby":       "def f(\n",
	"lisp":       "(defun main ()\n",
	"prolog":     "main :- foo(.\n",
	"pascal":     "program P;\nbegin\n  x := 1;\nend.\n",
	"lua":        "local x = = 1\n",
	"perl":       "#!/usr/bin/perl\nmy $x = ;\n",
	"fortran":    "program p\n  x = \nend program p\n",
	"ada":        "procedure Main is\nbegin\n   null\nend Main;\n",
	"erlang":     "-module(main).\n-export([start/0]).\nstart() -> 1 +.\n",
	"elixir":     "defmodule Main do\n  def main do\n    1 +\n  end\n",
	"nim":        "let x: int = \"s\"\n",
	"d":          "void main() { int x = \"s\"; }\n",
	"r":          "x <- (1 + \n",
	"bash":       "if then fi\n",
}

// The conformance program of each language (testdata/conformance/ID.EXT)
// reads a mode and then: hello prints a greeting; sum adds two numbers
// whose sum is 2^63-1; args prints its arguments (hostileArgs, which a
// shell would mangle: validators and generators of any language get
// argv); loop spins on the CPU forever (a loop no compiler
// can prove endless); crash fails at run time; alloc keeps allocating.
var conformanceTests = []struct {
	name, input, answer string
	want                Verdict
	args                []string // the test's argv (args: prints them as argLine does)
}{
	{"hello", "hello\n", "Hello, World!\n", AC, nil},
	{"sum", "sum 4611686018427387904 4611686018427387903\n", "9223372036854775807\n", AC, nil},
	{"args", "args\n", argLine(hostileArgs), AC, hostileArgs},
	{"loop", "loop\n", "0\n", TLE, nil},
	{"crash", "crash\n", "0\n", RE, nil},
	{"alloc", "alloc\n", "0\n", MLE, nil},
}

// TestConformance judges every language of the table in a runc box: the
// conformance program is compiled once, and each case runs in that box as
// a test of its own (the judge's per-test path, runTest), so one compile
// serves hello, a+b on 64-bit numbers, argv, TLE, RE and MLE; then a
// compile error (CE) and the starter template (it must compile and run:
// AC or WA) go through Judge. A language whose toolchain is missing is
// skipped with the package to install; under CI (CI set), where
// scripts/setup.sh installs every language, it fails instead.
//
// Margins: the endless loop gets 1 s of CPU (it reaches it whatever the
// load: CPU time is not wall time, and a starved run ends as a wall-clock
// TLE, the same verdict); every other case gets 10 s of CPU and 21 s of
// wall clock, over 30 times what the slowest runtime start (Scala, ~0.3
// s of CPU) needs, so a loaded machine cannot turn them into TLEs. The
// memory limit is 128 MiB plus the language's allowance: every runtime
// starts within it, and the alloc mode passes it within a second of CPU.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("conformance suite skipped in -short mode")
	}
	j := newTestJudge(t, "runc")
	dir := t.TempDir()
	for _, id := range j.Languages().IDs() {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			lang, err := j.Languages().Lookup(ctx, id)
			if err != nil {
				if os.Getenv("CI") != "" {
					t.Fatalf("%v (CI installs every language with scripts/setup.sh)", err)
				}
				t.Skipf("not installed here: %v", err)
			}
			prog, ce, err := j.compileIn(ctx, lang, map[string][]byte{"": conformanceSource(t, lang)}, "", 128<<20, "")
			if err != nil || ce != "" {
				t.Fatalf("conformance program does not compile: %v %s", err, ce)
			}
			defer prog.close(j.log)
			for _, c := range conformanceTests {
				tl := 10 * time.Second
				if c.want == TLE {
					tl = time.Second
				}
				p := writeProblemIn(t, filepath.Join(dir, id, c.name), tl, 128<<20, [2]string{c.input, c.answer})
				var flags []string
				if c.args != nil {
					p.Tests[0].Args = c.args
					flags = []string{"case_sensitive", "space_change_sensitive"}
				}
				cf, _ := ParseCheckerFlags(flags)
				got, err := j.runTest(ctx, prog, nil, p, cf, p.Tests[0], 1, 0)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if got.Verdict != c.want {
					t.Errorf("%s: want %s, got %s (%s) cpu=%v wall=%v mem=%d KiB exit=%d %s stderr=%q",
						c.name, c.want, got.Verdict, got.Message, got.CPUTime, got.WallTime, got.MemoryBytes>>10, got.ExitCode, got.Signal, firstLines(got.Stderr, 3))
				}
				if c.name == "hello" || c.name == "alloc" {
					t.Logf("%s: %s cpu %v mem %d KiB", c.name, got.Verdict, got.CPUTime, got.MemoryBytes>>10)
				}
			}

			p := writeProblemIn(t, filepath.Join(dir, id, "judge"), 10*time.Second, 128<<20, [2]string{"7\n1 2 3 4 5 6 7\n", "7\n"})
			res := judgeOK(t, j, p, Submission{Lang: id, Source: []byte(conformanceCE[id])}, Options{})
			if res.Verdict != CE || strings.TrimSpace(res.Message) == "" {
				t.Errorf("compile error: want CE with the compiler's message, got %s", summary(res))
			}
			res = judgeOK(t, j, p, Submission{Lang: id, Source: []byte(lang.Template)}, Options{})
			if res.Verdict != AC && res.Verdict != WA {
				t.Errorf("starter template: want it to compile and run (AC or WA), got %s", summary(res))
			}
			t.Logf("%s (%s): compile %v", id, lang.Version, prog.compileTime.Round(time.Millisecond))
		})
	}
}

// conformanceSource reads the conformance program of a language.
func conformanceSource(t *testing.T, lang *Language) []byte {
	t.Helper()
	b, err := benchSources.ReadFile(conformanceFile(lang))
	if err != nil {
		t.Fatalf("no conformance program for %s: %v", lang.ID, err)
	}
	return b
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
