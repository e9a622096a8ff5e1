package judge

import (
	"context"
	"fmt"
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
// whose sum is 2^63-1; loop spins on the CPU forever (a loop no compiler
// can prove endless); crash fails at run time; alloc keeps allocating.
var conformanceTests = []struct {
	name, input, answer string
	want                Verdict
}{
	{"hello", "hello\n", "Hello, World!\n", AC},
	{"sum", "sum 4611686018427387904 4611686018427387903\n", "9223372036854775807\n", AC},
	{"loop", "loop\n", "0\n", TLE},
	{"crash", "crash\n", "0\n", RE},
	{"alloc", "alloc\n", "0\n", MLE},
}

// TestConformance judges every language of the table in a runc box:
// hello, a+b on 64-bit numbers, TLE, RE, MLE (one compiled program, five
// tests in one box), CE, and the web's starter template (it must compile
// and run: AC or WA). A language whose toolchain is missing is skipped
// with the package to install; under CI (CI set), where scripts/setup.sh
// installs every language, it fails instead.
//
// Margins: the time limit is 3 s of CPU (wall 7 s) so that a JVM or BEAM
// start on a loaded machine stays far from it, while the endless loop
// reaches it whatever the load (CPU time is not wall time); the memory
// limit is 128 MiB plus the language's allowance, which every runtime's
// start fits in with room to spare and which the alloc mode passes within
// a second of CPU (page faults at ~200 MiB/s here).
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("conformance suite skipped in -short mode")
	}
	j := newTestJudge(t, "runc")
	dir := t.TempDir()
	for _, id := range j.Languages().IDs() {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			lang, err := j.Languages().Lookup(context.Background(), id)
			if err != nil {
				if os.Getenv("CI") != "" {
					t.Fatalf("%v (CI installs every language with scripts/setup.sh)", err)
				}
				t.Skipf("not installed here: %v", err)
			}
			src := conformanceSource(t, lang)

			var tests [][2]string
			for _, c := range conformanceTests {
				tests = append(tests, [2]string{c.input, c.answer})
			}
			p := writeProblemIn(t, filepath.Join(dir, id), 3*time.Second, 128<<20, tests...)
			res := judgeOK(t, j, p, Submission{Lang: id, Source: src}, Options{RunAll: true})
			if res.Verdict == CE || len(res.Tests) != len(conformanceTests) {
				t.Fatalf("conformance program: %s", summary(res))
			}
			for i, c := range conformanceTests {
				if got := res.Tests[i]; got.Verdict != c.want {
					t.Errorf("%s: want %s, got %s (%s) cpu=%v mem=%d KiB exit=%d %s stderr=%q",
						c.name, c.want, got.Verdict, got.Message, got.CPUTime, got.MemoryBytes>>10, got.ExitCode, got.Signal, firstLines(got.Stderr, 3))
				}
			}

			ce := judgeOK(t, j, p, Submission{Lang: id, Source: []byte(conformanceCE[id])}, Options{})
			if ce.Verdict != CE || strings.TrimSpace(ce.Message) == "" {
				t.Errorf("compile error: want CE with the compiler's message, got %s", summary(ce))
			}

			tp := writeProblemIn(t, filepath.Join(dir, id+"-template"), 3*time.Second, 128<<20, [2]string{"7\n1 2 3 4 5 6 7\n", "7\n"})
			tr := judgeOK(t, j, tp, Submission{Lang: id, Source: []byte(lang.Template)}, Options{})
			if tr.Verdict != AC && tr.Verdict != WA {
				t.Errorf("starter template: want it to compile and run (AC or WA), got %s", summary(tr))
			}
			t.Logf("%s (%s): compile %v; hello cpu %v mem %d KiB; alloc ended at %d KiB",
				id, res.LanguageVersion, res.CompileTime.Round(time.Millisecond), res.Tests[0].CPUTime, res.Tests[0].MemoryBytes>>10, res.Tests[4].MemoryBytes>>10)
		})
	}
}

// conformanceSource reads the conformance program of a language.
func conformanceSource(t *testing.T, lang *Language) []byte {
	t.Helper()
	ext := lang.Extensions[0]
	b, err := os.ReadFile(filepath.Join("testdata", "conformance", lang.ID+"."+ext))
	if err != nil {
		t.Fatalf("no conformance program for %s: %v", lang.ID, err)
	}
	return b
}

// writeProblemIn is writeProblem with the test files in dir.
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

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
