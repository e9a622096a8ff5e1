package judge

import (
	"context"
	"strings"
	"testing"
)

// TestStartupBenchSmoke runs the start-up benchmark briefly so that it
// stays working; the figures come from `segfault bench startup`.
func TestStartupBenchSmoke(t *testing.T) {
	j := newTestJudge(t, "runc")
	langs := []string{"python", "bash"}
	if _, err := j.Languages().Lookup(context.Background(), "java"); err == nil {
		langs = append(langs, "java")
	}
	rep, err := RunStartupBench(context.Background(), j, StartupConfig{Langs: langs, Runs: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range langs {
		if row := rep.Row(id); row == nil || len(row.Wall) != 2 || len(row.CPU) != 2 {
			t.Errorf("%s row %+v (skipped: %v)", id, row, rep.Skipped[id])
		}
	}
	if len(langs) == 3 {
		if row := rep.Row("java (no AppCDS)"); row == nil || row.Base != "java" || len(row.Wall) != 2 {
			t.Errorf("java without its archive: %+v", row)
		}
	}
	if rep.Row("python (no AppCDS)") != nil {
		t.Error("a language without an archive has a no-AppCDS row")
	}
	var out strings.Builder
	rep.Print(&out)
	t.Log("\n" + out.String())
}

// TestPythonStdlibByteCompiled: the standard library modules a program
// imports in a box come with their byte code (the toolchain's
// __pycache__, bound with it), so no run compiles them again: each
// module's cached .pyc exists and is what the loader read.
func TestPythonStdlibByteCompiled(t *testing.T) {
	j := newTestJudge(t, "runc")
	src := `import sys, os, collections, heapq, bisect, re, itertools, functools, math, decimal, fractions, string, typing, dataclasses
missing = [m.__name__ for m in list(sys.modules.values())
           if getattr(m, '__spec__', None) and getattr(m.__spec__, 'cached', None) and not os.path.exists(m.__spec__.cached)]
print(len(missing), ' '.join(sorted(missing)[:10]))
`
	for _, id := range []string{"python", "pypy"} {
		if _, err := j.Languages().Lookup(context.Background(), id); err != nil {
			continue
		}
		p := writeProblem(t, 5e9, 256<<20, [2]string{"", "0\n"})
		if r := judgeOK(t, j, p, Submission{Lang: id, Source: []byte(src)}, Options{}); r.Verdict != AC {
			t.Errorf("%s: modules without byte code in the box: %s", id, summary(r))
		}
	}
}
