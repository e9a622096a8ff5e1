package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/problem/checktestdata"
)

// ValidatorRow is the outcome of one input validator over every input.
type ValidatorRow struct {
	Validator string   `json:"validator"`
	Checked   int      `json:"checked"`
	Invalid   []string `json:"invalid,omitempty"` // "secret/03: exit 43: n out of range"
	Err       string   `json:"error,omitempty"`   // the validator itself failed (does not compile, ...)
}

// OK reports whether every input was valid.
func (v ValidatorRow) OK() bool { return v.Err == "" && len(v.Invalid) == 0 }

// Kattis input validators exit with 42 for a valid input.
const inputValid = 42

// input is one file an input validator checks.
type input struct {
	Name   string
	Path   string
	Sample bool
}

// validateInputs runs one input validator on every input of the package,
// each with the arguments its case gives this validator (legacy
// input_validator_flags, input_validator_args as a list or a map by
// validator name, then the case's 2025-09 args): cases are batched by
// their arguments, one run per distinct set.
func validateInputs(ctx context.Context, pkg *problem.Package, v problem.Program, j Judger) ValidatorRow {
	return validateCases(ctx, pkg, v, j, pkg.Cases())
}

func validateCases(ctx context.Context, pkg *problem.Package, v problem.Program, j Judger, cases []*problem.Case) ValidatorRow {
	row := ValidatorRow{Validator: v.Name}
	var order []string
	batches := map[string][]input{}
	argsOf := map[string][]string{}
	for _, c := range cases {
		args := c.ValidatorArgs(v)
		key := strings.Join(args, "\x00")
		if _, ok := batches[key]; !ok {
			order = append(order, key)
			argsOf[key] = args
		}
		batches[key] = append(batches[key], input{Name: c.Name, Path: c.In, Sample: c.Sample})
	}
	for _, key := range order {
		r := runInputValidator(ctx, pkg, v, j, batches[key], argsOf[key])
		row.Checked += r.Checked
		row.Invalid = append(row.Invalid, r.Invalid...)
		if r.Err != "" {
			if len(argsOf[key]) > 0 {
				r.Err = fmt.Sprintf("with arguments %q: %s", strings.Join(argsOf[key], " "), r.Err)
			}
			row.Err = strings.TrimPrefix(row.Err+"\n"+r.Err, "\n")
		}
	}
	return row
}

// checkInvalidInputs runs every input validator on data/invalid_input:
// each input there must be rejected by at least one. Invalid lists the
// ones every validator accepted.
func checkInvalidInputs(ctx context.Context, pkg *problem.Package, j Judger) *ValidatorRow {
	row := &ValidatorRow{Validator: "data/invalid_input", Checked: len(pkg.InvalidInputs)}
	if len(pkg.InputValidators) == 0 {
		row.Err = "no input validator to reject them"
		return row
	}
	rejected := map[string]bool{}
	for _, v := range pkg.InputValidators {
		r := validateCases(ctx, pkg, v, j, pkg.InvalidInputs)
		if r.Err != "" {
			row.Err = strings.TrimPrefix(row.Err+"\n"+v.Name+": "+r.Err, "\n")
		}
		for _, bad := range r.Invalid {
			name, _, _ := strings.Cut(bad, ": ")
			rejected[name] = true
		}
	}
	for _, c := range pkg.InvalidInputs {
		if !rejected[c.Name] {
			row.Invalid = append(row.Invalid, fmt.Sprintf("invalid input %s is accepted by every input validator", c.Name))
		}
	}
	return row
}

// runInputValidator runs one input validator with args on inputs: a
// checktestdata program in process (checkInputs), anything else in the
// judge's sandbox. The judge has no "run this program on that input"
// call, so two routes are used:
//
//   - as a submission (the usual case): the validator is the program under
//     test (one source, or a directory program's files), each input a test
//     with an empty answer, args its command-line arguments
//     (judge.Submission.Args: real argv in every language, no shell). A
//     valid input shows up as a run-time error with exit code 42; anything
//     else is a rejection.
//   - as an output validator, when the judge cannot take it as a submission
//     (over the 64 KiB source cap, as testlib.h-based validators are): a
//     tiny submission echoes the input to its output, which reaches the
//     validator on stdin; 42 is accepted (AC), 43 rejected (WA). The
//     validator then also sees the Kattis output-validator arguments
//     (input answer feedback_dir), so input validator arguments cannot be
//     given that way: an error says so.
func runInputValidator(ctx context.Context, pkg *problem.Package, v problem.Program, j Judger, inputs []input, args []string) ValidatorRow {
	if v.Language == problem.LangChecktestdata {
		return checkInputs(ctx, pkg, v, inputs, args)
	}
	row := ValidatorRow{Validator: v.Name}
	lim := pkg.Meta.Limits
	jp := &judge.Problem{
		Name:        pkg.ShortName + " input validation",
		TimeLimit:   min(lim.ValidationTime, 30*time.Second),
		MemoryBytes: lim.ValidationMiB << 20,
		OutputBytes: lim.ValidationOutMiB << 20,
	}
	var biggest int64
	for _, in := range inputs {
		jp.Tests = append(jp.Tests, judge.Test{Name: in.Name, InputPath: in.Path, Sample: in.Sample})
		if fi, err := os.Stat(in.Path); err == nil {
			biggest = max(biggest, fi.Size())
		}
	}
	sub, err := Submission(v)
	if err != nil {
		row.Err = err.Error()
		return row
	}
	sub.Args = args
	echo := sourceBytes(sub) > judge.MaxSourceBytes
	if echo {
		if len(args) > 0 {
			row.Err = fmt.Sprintf("cannot pass input validator arguments %q: only a validator under %d KiB can get them here (%d bytes)",
				strings.Join(args, " "), judge.MaxSourceBytes>>10, sourceBytes(sub))
			return row
		}
		files, ferr := flatSources(v)
		if ferr != nil {
			row.Err = ferr.Error()
			return row
		}
		jp.Validator = &judge.ValidatorSpec{Lang: v.Language, Files: files}
		jp.OutputBytes = max(jp.OutputBytes, biggest+1)
		sub = judge.Submission{Lang: "python", Source: []byte(echoProgram)}
	}
	res, err := j.Judge(ctx, jp, sub, judge.Options{RunAll: true})
	if echo && err == nil && res.Verdict == judge.IE {
		// The judge logs the details (compiler output, exit code).
		row.Err = "does not compile, or exited with neither 42 nor 43 (see the judge log): " + res.Message
		return row
	}
	if row.Err = runError(res, err); row.Err != "" {
		return row
	}
	for _, t := range res.Tests {
		row.Checked++
		if echo {
			if t.Verdict != judge.AC {
				why := firstLines(t.Message, 2)
				if t.Verdict == judge.WA && why == "wrong answer (output validator)" {
					why = "exit 43" // the judge's wording is about outputs
				}
				row.Invalid = append(row.Invalid, t.Name+": "+why)
			}
			continue
		}
		if t.Verdict == judge.RE && t.ExitCode == inputValid && t.Signal == "" {
			continue
		}
		why := t.Message
		if t.Verdict == judge.AC || (t.Verdict == judge.WA && t.ExitCode == 0) {
			why = "exit 0 (a valid input exits with 42)"
		} else if t.Verdict == judge.RE && t.Signal == "" {
			why = fmt.Sprintf("exit %d", t.ExitCode)
		}
		if s := strings.TrimSpace(t.Stderr); s != "" {
			why += ": " + firstLines(s, 2)
		}
		row.Invalid = append(row.Invalid, t.Name+": "+why)
	}
	if row.Checked < len(inputs) {
		row.Err = fmt.Sprintf("only %d of %d inputs were checked", row.Checked, len(inputs))
	}
	return row
}

// checkInputs runs a checktestdata (.ctd) validator on inputs, in this
// process: the checker bounds its own work, memory and number sizes, and
// each input gets the package's validation time. args are
// checktestdata's options (--whitespace-ok).
func checkInputs(ctx context.Context, pkg *problem.Package, v problem.Program, inputs []input, args []string) ValidatorRow {
	row := ValidatorRow{Validator: v.Name}
	opt, err := checktestdata.ParseArgs(args)
	if err != nil {
		row.Err = err.Error()
		return row
	}
	src, err := os.ReadFile(v.Path)
	if err != nil {
		row.Err = err.Error()
		return row
	}
	prog, err := checktestdata.Parse(src)
	if err != nil {
		row.Err = fmt.Sprintf("checktestdata: %v", err)
		return row
	}
	for _, in := range inputs {
		data, err := os.ReadFile(in.Path)
		if err != nil {
			row.Err = err.Error()
			return row
		}
		cctx, cancel := context.WithTimeout(ctx, pkg.Meta.Limits.ValidationTime)
		err = prog.Check(cctx, data, opt)
		cancel()
		row.Checked++
		switch {
		case err == nil:
		case errors.Is(err, context.DeadlineExceeded):
			row.Invalid = append(row.Invalid, fmt.Sprintf("%s: checktestdata gave up after the validation time (%v)", in.Name, pkg.Meta.Limits.ValidationTime))
		case ctx.Err() != nil:
			row.Err = ctx.Err().Error()
			return row
		default:
			row.Invalid = append(row.Invalid, in.Name+": "+err.Error())
		}
	}
	return row
}

// runError says why a package program run as a submission gave no
// per-test results (the judge refused it, it does not compile, the judge
// failed); "" when it ran.
func runError(res *judge.Result, err error) string {
	switch {
	case err != nil:
		return fmt.Sprintf("cannot run: %v", err)
	case res.Verdict == judge.CE:
		return "does not compile: " + firstLines(res.Message, 8)
	case res.Verdict == judge.IE:
		return "internal error: " + res.Message
	}
	return ""
}

// echoProgram copies its input to its output (see runInputValidator).
const echoProgram = "import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())\n"
