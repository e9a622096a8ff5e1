package verify

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
)

// GeneratorRow is the outcome of running generators/gen: every output must
// be a valid input, since complexity coaching feeds them to solutions.
type GeneratorRow struct {
	Generator string   `json:"generator"`
	Runs      []string `json:"runs"`              // "gen 100000 3", in order
	Invalid   []string `json:"invalid,omitempty"` // "gen 100000 3: validate.py: exit 43: n too large"
	Err       string   `json:"error,omitempty"`   // the generator itself failed (does not compile, crashes, ...)
}

// OK reports whether every run worked and produced a valid input.
func (g *GeneratorRow) OK() bool { return g == nil || (g.Err == "" && len(g.Invalid) == 0) }

// generatorOutputBytes bounds one generated input (the biggest bundled
// inputs are a few MiB).
const generatorOutputBytes = 64 << 20

// generatorSizes are the sizes verification runs the generator with: the
// smallest and largest n of generators/tests.txt (the bundled set's list of
// generated tests, "<name> <n> <seed> [mode]") and one in between, or
// 1, 10 and 100 when the package has no such list (a generator must accept
// small sizes whatever the problem).
func generatorSizes(pkg *problem.Package) []int {
	lo, hi := math.MaxInt, 0
	if f, err := os.Open(filepath.Join(pkg.Dir, "generators", "tests.txt")); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 || strings.HasPrefix(fields[0], "#") || strings.HasSuffix(fields[0], ":") {
				continue
			}
			if n, err := strconv.Atoi(fields[1]); err == nil && n >= 0 {
				lo, hi = min(lo, n), max(hi, n)
			}
		}
	}
	if hi == 0 {
		return []int{1, 10, 100}
	}
	mid := int(math.Round(math.Sqrt(float64(max(lo, 1)) * float64(hi))))
	return slices.Compact([]int{lo, min(max(mid, lo), hi), hi})
}

// checkGenerator runs the generator once per size (seed = run number) in
// the sandbox, as the program under test: one compile, then one test per
// size with `n seed` as its command-line arguments (judge.Test.Args) and
// an empty stdin. It keeps each output and runs every input validator on
// them.
func checkGenerator(ctx context.Context, pkg *problem.Package, j Judger) *GeneratorRow {
	row := &GeneratorRow{Generator: pkg.Generator.Name}
	sub, _, err := GeneratorSubmission(pkg)
	if err == nil && sourceBytes(sub) > judge.MaxSourceBytes {
		err = fmt.Errorf("source over %d KiB", judge.MaxSourceBytes>>10)
	}
	if err != nil {
		row.Err = fmt.Sprintf("cannot run: %v", err)
		return row
	}
	tmp, err := os.MkdirTemp("", "segfault-gen-")
	if err != nil {
		row.Err = err.Error()
		return row
	}
	defer os.RemoveAll(tmp)
	lim := pkg.Meta.Limits
	jp := &judge.Problem{
		Name:        pkg.ShortName + " generator",
		TimeLimit:   min(lim.ValidationTime, 30*time.Second),
		MemoryBytes: lim.ValidationMiB << 20,
		OutputBytes: generatorOutputBytes,
	}
	empty := filepath.Join(tmp, "empty.in")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		row.Err = err.Error()
		return row
	}
	for i, n := range generatorSizes(pkg) {
		args := []string{strconv.Itoa(n), strconv.Itoa(i + 1)}
		name := "gen " + strings.Join(args, " ")
		row.Runs = append(row.Runs, name)
		jp.Tests = append(jp.Tests, judge.Test{Name: name, InputPath: empty, Args: args})
	}
	res, err := j.Judge(ctx, jp, sub, judge.Options{RunAll: true, KeepOutput: generatorOutputBytes})
	if row.Err = runError(res, err); row.Err != "" {
		return row
	}
	var outputs []input
	for i, t := range res.Tests {
		// The "answer" is empty, so a generator that printed something and
		// exited 0 gets WA: that is success here.
		if t.Verdict != judge.AC && t.Verdict != judge.WA {
			why := string(t.Verdict)
			if t.Verdict == judge.RE && t.Signal == "" {
				why = fmt.Sprintf("exit %d", t.ExitCode)
			} else if t.Message != "" {
				why += ": " + firstLines(t.Message, 1)
			}
			if s := strings.TrimSpace(t.Stderr); s != "" {
				why += ": " + firstLines(s, 2)
			}
			row.Invalid = append(row.Invalid, t.Name+": "+why)
			continue
		}
		if t.Output == "" {
			row.Invalid = append(row.Invalid, t.Name+": printed nothing")
			continue
		}
		path := filepath.Join(tmp, fmt.Sprintf("out-%d.in", i+1))
		if err := os.WriteFile(path, []byte(t.Output), 0o644); err != nil {
			row.Err = err.Error()
			return row
		}
		outputs = append(outputs, input{Name: t.Name, Path: path})
	}
	if len(outputs) == 0 {
		return row
	}
	for _, v := range pkg.InputValidators {
		vr := runInputValidator(ctx, pkg, v, j, outputs, nil)
		for _, bad := range vr.Invalid {
			row.Invalid = append(row.Invalid, bad+" ("+v.Name+")")
		}
		if vr.Err != "" {
			row.Invalid = append(row.Invalid, fmt.Sprintf("%s on generated inputs: %s", v.Name, firstLines(vr.Err, 2)))
		}
	}
	return row
}

// GeneratorSubmission is the package's generator as a judge submission,
// for running it in a sandbox box (Judge.Build) with `n seed` appended to
// its command line. ok is false when the package has no generator.
func GeneratorSubmission(pkg *problem.Package) (sub judge.Submission, ok bool, err error) {
	if pkg.Generator == nil {
		return judge.Submission{}, false, nil
	}
	sub, err = Submission(*pkg.Generator)
	return sub, true, err
}
