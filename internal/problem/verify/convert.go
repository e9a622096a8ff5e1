// Package verify turns problem packages into judge problems and checks a
// package the way problemtools' verifyproblem does, part by part with its
// names (config, statement, validators, graders, generators, data,
// submissions): input validators (programs in the sandbox, checktestdata
// in process) on every input and on data/invalid_input, the output
// validator compiled, generators/gen run at a few sizes, every submission
// under submissions/ against the verdict its folder promises (2025-09:
// the per-case rules of its folder and submissions.yaml), submissions in
// languages this machine lacks skipped with a warning, and the time limit
// chosen (explicit or derived).
//
// It is a sub-package so that loading and importing packages does not
// depend on the judge and the sandbox.
package verify

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
)

// JudgeProblem is the one conversion from a package to the judge's problem:
// verification, the judge workers (execution.Packages.Load) and `segfault
// judge --problem` all use it, so a package plays exactly as it verified.
//
// timeLimit is the base time limit; 0 means the package's own (explicit
// limits.time_limit, or the .timelimit file that import writes after
// deriving it), and a package with neither is an error (CodeBadProblem):
// guessing a limit would judge players against a number no one chose. The
// limit is then scaled for lang by mult (nil = no scaling); lang "" leaves
// it unscaled (ForLanguage scales later, once the language is known).
//
// What carries over: memory and output limits, samples then secret cases
// in judging order, the output validator (legacy: only with validation:
// custom; draft: whenever output_validator/ exists), validator_flags /
// output_validator_args (problem-wide plus testdata.yaml, per test when
// groups differ: judge.Test.ValidatorFlags), interactivity.
func JudgeProblem(pkg *problem.Package, timeLimit time.Duration, lang string, mult problem.LanguageMultipliers) (*judge.Problem, error) {
	if timeLimit <= 0 {
		timeLimit = pkg.TimeLimit
	}
	if timeLimit <= 0 {
		return nil, &judge.Error{Code: judge.CodeBadProblem, Message: fmt.Sprintf(
			"%s: no time limit: set limits.time_limit, add a .timelimit file, or import with verification (which derives one and writes .timelimit)", pkg.ShortName)}
	}
	jp := &judge.Problem{
		Name:        pkg.Meta.Name("en"),
		TimeLimit:   mult.For(timeLimit, lang),
		MemoryBytes: pkg.Meta.Limits.MemoryMiB << 20,
		OutputBytes: pkg.Meta.Limits.OutputMiB << 20,
		Interactive: pkg.Meta.Interactive(),
	}
	cases := pkg.Cases()
	// Each case's flags are the problem-wide ones then its group's
	// (testdata.yaml). The problem carries the first case's; a case whose
	// flags differ (a group with its own float tolerance) carries its own.
	flagsOf := func(c *problem.Case) []string {
		return append(append([]string{}, pkg.Meta.OutputValidatorArgs...), c.OutputValidatorArgs...)
	}
	jp.ValidatorFlags = append([]string(nil), pkg.Meta.OutputValidatorArgs...)
	if len(cases) > 0 {
		jp.ValidatorFlags = flagsOf(cases[0])
	}
	for _, c := range cases {
		t := judge.Test{Name: c.Name, InputPath: c.In, AnswerPath: c.Ans, Sample: c.Sample, Args: c.Args}
		if f := flagsOf(c); !slices.Equal(f, jp.ValidatorFlags) {
			t.ValidatorFlags = f // never nil: an empty list means no flags
		}
		jp.Tests = append(jp.Tests, t)
	}
	if pkg.OutputValidator != nil {
		files, err := flatSources(*pkg.OutputValidator)
		if err != nil {
			return nil, &judge.Error{Code: judge.CodeBadProblem, Message: err.Error()}
		}
		jp.Validator = &judge.ValidatorSpec{Lang: pkg.OutputValidator.Language, Files: files}
	}
	return jp, nil
}

// LoadJudgeProblem loads the package at dir (problem.LoadForJudging: every
// check of Load, a statement optional) and converts it with its own time
// limit, unscaled. Errors are *problem.LoadError
// for a package that does not load, *judge.Error (CodeBadProblem) for one the
// judge cannot run.
func LoadJudgeProblem(dir string) (*judge.Problem, *problem.Package, error) {
	pkg, err := problem.LoadForJudging(dir)
	if err != nil {
		return nil, nil, err
	}
	jp, err := JudgeProblem(pkg, 0, "", nil)
	if err != nil {
		return nil, nil, err
	}
	return jp, pkg, nil
}

// ForLanguage returns p with its time limit scaled for lang by mult (the
// time-multipliers setting): p itself when nothing changes, else a shallow
// copy, so a cached problem is never modified.
func ForLanguage(p *judge.Problem, lang string, mult problem.LanguageMultipliers) *judge.Problem {
	tl := mult.For(p.TimeLimit, lang)
	if tl == p.TimeLimit {
		return p
	}
	cp := *p
	cp.TimeLimit = tl
	return &cp
}

// flatSources reads a program's files for the judge, which takes file
// names without directories.
func flatSources(p problem.Program) (map[string][]byte, error) {
	src, err := p.Sources()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Name, err)
	}
	out := map[string][]byte{}
	for name, data := range src {
		if strings.Contains(name, "/") {
			return nil, fmt.Errorf("%s: file %s is in a subdirectory; programs must be flat", p.Name, name)
		}
		out[name] = data
	}
	return out, nil
}

// Submission is a package program as the judge takes it: one source, or
// for a directory program (or one with include/ files) its files with the
// entry the package loader chose. The judge refuses programs over its
// source cap (judge.CodeSourceTooLarge).
func Submission(p problem.Program) (judge.Submission, error) {
	files, err := flatSources(p)
	if err != nil {
		return judge.Submission{}, err
	}
	if len(files) == 1 {
		return judge.Submission{Lang: p.Language, Source: files[p.Main]}, nil
	}
	return judge.Submission{Lang: p.Language, Files: files, Entry: p.Main}, nil
}
