package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/segfaultarena/segfault/internal/config"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/problem/verify"
)

func init() {
	register(command{name: "judge", summary: "judge a solution against a Kattis problem package", run: func(ctx context.Context, args []string) int {
		return runJudge(ctx, args, os.Stdout, os.Stderr)
	}})
}

// runJudge is `segfault judge --problem DIR --lang python sol.py`: one line
// per test, then the final verdict code as the last line. Exit 0 only for
// AC; 1 for any other verdict; 2 for a bad request (flags, source, problem).
func runJudge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("judge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	problemDir := fs.String("problem", "", "Kattis problem package directory (required)")
	lang := fs.String("lang", "", "language id or alias (default: from the file extension)")
	sbxDir := sandboxDirFlag(fs)
	all := fs.Bool("all", false, "run every test instead of stopping at the first failure")
	var cfg config.Config
	if err := config.Bind(fs, &cfg, os.Getenv, "sandbox-runtime", "time-multipliers"); err != nil {
		fmt.Fprintln(stderr, "segfault judge:", err)
		return 2
	}
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: segfault judge --problem DIR [flags] SOURCE\n\n--sandbox-runtime also takes bare: no isolation, trusted code only.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *problemDir == "" {
		fs.Usage()
		return 2
	}
	mult, err := problem.ParseLanguageMultipliers(cfg.TimeMultipliers)
	if err != nil {
		fmt.Fprintln(stderr, "segfault judge:", err)
		return 2
	}
	// The loader and conversion the judge workers use: the package is
	// judged here exactly as it is in play.
	p, _, err := verify.LoadJudgeProblem(*problemDir)
	if err != nil {
		var le *problem.LoadError
		if errors.As(err, &le) {
			printLoadError(stderr, err)
			return 2
		}
		return reportRequestError(stderr, err)
	}
	j, sub, code := judgeSetup(ctx, stderr, cfg.SandboxRuntime, *sbxDir, *lang, fs.Arg(0))
	if j == nil {
		return code
	}
	langID := sub.Lang
	if spec, ok := j.Languages().Spec(sub.Lang); ok {
		langID = spec.ID // multipliers name languages by id, --lang may be an alias
	}
	p = verify.ForLanguage(p, langID, mult)
	fmt.Fprintf(stdout, "problem %s: %d tests, time limit %v, memory %s\n", p.Name, len(p.Tests), p.TimeLimit, mib(p.MemoryBytes))
	res, err := j.Judge(ctx, p, sub, judge.Options{
		RunAll: *all,
		Progress: func(pr judge.Progress) {
			if pr.Phase == "compiled" && pr.Verdict == judge.AC {
				fmt.Fprintln(stdout, "compiled")
			}
		},
	})
	if err != nil {
		return reportRequestError(stderr, err)
	}
	for i, t := range res.Tests {
		line := fmt.Sprintf("test %d/%d %-24s %-3s %6.3fs %9s", i+1, res.Total, t.Name, t.Verdict, t.CPUTime.Seconds(), mib(t.MemoryBytes))
		if t.Message != "" {
			line += "  " + t.Message
		}
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintln(stdout, finalLine(res))
	if res.Verdict != judge.AC {
		return 1
	}
	return 0
}

// finalLine is the verdict code first, then the details.
func finalLine(res *judge.Result) string {
	switch res.Verdict {
	case judge.AC:
		return fmt.Sprintf("AC %d/%d tests passed, max time %.3fs, max memory %s (%s)", res.Passed, res.Total, res.MaxCPUTime.Seconds(), mib(res.MaxMemoryBytes), res.LanguageVersion)
	case judge.CE:
		// The compiler's full message first; the last line stays one line.
		first, _, _ := strings.Cut(res.Message, "\n")
		return fmt.Sprintf("%s\nCE compilation failed (%s): %s", res.Message, res.LanguageVersion, first)
	}
	msg := res.Message
	if res.FailedTest > 0 {
		// Authors see the checker's full remark, secret tests included.
		t := res.Tests[res.FailedTest-1]
		msg = fmt.Sprintf("test %d (%s): %s", res.FailedTest, t.Name, t.Message)
	}
	return fmt.Sprintf("%s %s; %d/%d tests passed", res.Verdict, msg, res.Passed, res.Total)
}
