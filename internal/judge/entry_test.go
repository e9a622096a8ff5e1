package judge

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

func TestEntryFile(t *testing.T) {
	l := sharedLanguages(t)
	cases := []struct {
		lang  string
		files []string
		want  string // "" = an error
		err   string
	}{
		{"python", []string{"solve.py"}, "solve.py", ""},
		{"python", []string{"util.py", "main.py", "notes.txt"}, "main.py", ""},
		{"python", []string{"util.py", "Main.py"}, "Main.py", ""},
		{"python", []string{"util.py", "solve.py"}, "", "none is the entry: name it main.py"},
		{"python", []string{"readme.md"}, "", "no Python 3 source file"},
		{"java", []string{"Main.java", "Graph.java"}, "Main.java", ""},
		{"java", []string{"Graph.java", "Solver.java"}, "", "name it Main.java"},
		// C and C++ compile every source: no entry to find.
		{"cpp", []string{"b.cpp", "a.cpp", "a.h"}, "a.cpp", ""},
		{"c", []string{"x.h"}, "", "no C (gcc, C17) source file"},
	}
	for _, c := range cases {
		got, err := l.EntryFile(c.lang, c.files)
		if c.want != "" && (err != nil || got != c.want) {
			t.Errorf("EntryFile(%s, %v) = %q, %v; want %q", c.lang, c.files, got, err, c.want)
		}
		if c.want == "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("EntryFile(%s, %v) = %q, %v; want an error with %q", c.lang, c.files, got, err, c.err)
		}
	}
}

// TestMultiFileSubmission judges directory submissions: the entry file
// runs and imports its neighbours; C++ compiles every source with its
// local header.
func TestMultiFileSubmission(t *testing.T) {
	j := newTestJudge(t, "bare")
	p := sumProblem(t, 2)
	subs := map[string]Submission{
		"python": {Lang: "python", Files: map[string][]byte{
			"main.py":  []byte("from adder import add\na, b = map(int, input().split())\nprint(add(a, b))\n"),
			"adder.py": []byte("def add(a, b):\n    return a + b\n"),
		}},
		"python explicit entry": {Lang: "python", Entry: "run.py", Files: map[string][]byte{
			"run.py":   []byte("import adder\na, b = map(int, input().split())\nprint(adder.add(a, b))\n"),
			"adder.py": []byte("def add(a, b):\n    return a + b\n"),
		}},
		"cpp": {Lang: "cpp", Files: map[string][]byte{
			"main.cpp":  []byte("#include <cstdio>\n#include \"adder.h\"\nint main(){long long a,b;scanf(\"%lld %lld\",&a,&b);printf(\"%lld\\n\",add(a,b));}\n"),
			"adder.cpp": []byte("#include \"adder.h\"\nlong long add(long long a, long long b){return a+b;}\n"),
			"adder.h":   []byte("long long add(long long a, long long b);\n"),
		}},
	}
	for name, sub := range subs {
		t.Run(name, func(t *testing.T) {
			res := judgeOK(t, j, p, sub, Options{})
			if res.Verdict != AC || res.Passed != 2 {
				t.Fatalf("verdict %s", summary(res))
			}
		})
	}
}

func TestMultiFileRefused(t *testing.T) {
	boxes := t.TempDir()
	j, err := New(sandbox.NewBare(boxes), sharedLanguages(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := sumProblem(t, 1)
	py := []byte("print(1)\n")
	cases := []struct {
		name string
		sub  Submission
		code string
	}{
		{"source and files", Submission{Lang: "python", Source: py, Files: map[string][]byte{"main.py": py}}, CodeBadArguments},
		{"directory in a name", Submission{Lang: "python", Files: map[string][]byte{"main.py": py, "lib/x.py": py}}, CodeBadArguments},
		{"dot dot", Submission{Lang: "python", Files: map[string][]byte{"main.py": py, "..": py}}, CodeBadArguments},
		{"hidden file", Submission{Lang: "python", Files: map[string][]byte{"main.py": py, ".bashrc": py}}, CodeBadArguments},
		{"no entry", Submission{Lang: "python", Files: map[string][]byte{"a.py": py, "b.py": py}}, CodeEmptySource},
		{"no source", Submission{Lang: "python", Files: map[string][]byte{"notes.txt": py}}, CodeEmptySource},
		{"entry not a file", Submission{Lang: "python", Entry: "gone.py", Files: map[string][]byte{"main.py": py}}, CodeBadArguments},
		{"empty entry", Submission{Lang: "python", Files: map[string][]byte{"main.py": []byte(" \n")}}, CodeEmptySource},
		{"too large", Submission{Lang: "python", Files: map[string][]byte{"main.py": py, "big.py": []byte(strings.Repeat("#", MaxSourceBytes))}}, CodeSourceTooLarge},
		{"latin-1", Submission{Lang: "python", Files: map[string][]byte{"main.py": py, "x.py": []byte("# caf\xe9\n")}}, CodeInvalidEncoding},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := j.Judge(context.Background(), p, c.sub, Options{})
			if res != nil || ErrorCode(err) != c.code {
				t.Fatalf("got result %v, err %v; want code %s", res, err, c.code)
			}
			if ents, _ := os.ReadDir(boxes); len(ents) != 0 {
				t.Fatalf("a rejected request left %d entries in the box dir", len(ents))
			}
		})
	}
}
