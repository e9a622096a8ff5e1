package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/segfaultarena/segfault/internal/judge"
)

func init() {
	register(command{name: "bench", summary: "benchmarks (bench judge: sandbox cost per submission and test)", run: runBench})
}

func runBench(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] != "judge" {
		fmt.Fprintln(os.Stderr, "usage: segfault bench judge [flags]")
		return 2
	}
	fs := flag.NewFlagSet("bench judge", flag.ContinueOnError)
	runtimes := fs.String("runtimes", "bare,runc,runsc", "runtimes to compare; the first is the baseline; +pool = behind a pool of 2 warm boxes, +cache = with a compile cache (e.g. runc+pool+cache)")
	langs := fs.String("langs", "cpp,python", "languages, or all (every language found here)")
	subs := fs.Int("submissions", 20, "submissions per runtime and language")
	runscSubs := fs.Int("runsc-submissions", 5, "submissions for runsc (slow to start)")
	tests := fs.Int("tests", 20, "tests per submission")
	quiet := fs.Bool("q", false, "no progress lines")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	l, err := judge.DefaultLanguages("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "segfault:", err)
		return 1
	}
	cfg := judge.BenchConfig{
		Runtimes:       strings.Split(*runtimes, ","),
		Langs:          strings.Split(*langs, ","),
		Submissions:    *subs,
		SubmissionsFor: map[string]int{"runsc": *runscSubs},
		Tests:          *tests,
	}
	if !*quiet {
		cfg.Progress = os.Stderr
	}
	rep, err := judge.RunJudgeBench(ctx, l, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "segfault: bench judge:", err)
		return 1
	}
	rep.Print(os.Stdout)
	return 0
}
