package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/segfaultarena/segfault/internal/judge"
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
	problem := fs.String("problem", "", "Kattis problem package directory (required)")
	lang := fs.String("lang", "", "language id or alias (default: from the file extension)")
	runtime := fs.String("runtime", "runc", "sandbox runtime: runc, runsc or bare (bare = no isolation, trusted code only)")
	all := fs.Bool("all", false, "run every test instead of stopping at the first failure")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: segfault judge --problem DIR [flags] SOURCE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *problem == "" {
		fs.Usage()
		return 2
	}
	p, err := judge.LoadKattisDir(*problem)
	if err != nil {
		return reportRequestError(stderr, err)
	}
	j, sub, code := judgeSetup(ctx, stderr, *runtime, *lang, fs.Arg(0))
	if j == nil {
		return code
	}
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
