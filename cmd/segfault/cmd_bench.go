package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/sandbox"
)

func init() {
	register(command{name: "bench", summary: "benchmarks (bench judge: sandbox cost per submission and test; bench startup: each language's start in a box)", run: runBench})
}

func runBench(ctx context.Context, args []string) int {
	if len(args) > 0 && args[0] == "startup" {
		return runBenchStartup(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "judge" {
		fmt.Fprintln(os.Stderr, "usage: segfault bench judge|startup [flags]")
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

// runBenchStartup is `segfault bench startup`: each language's template
// run N times in one box, p50/p90 of wall and CPU; the JVM languages also
// without their class-data archive, alternating in the same box.
func runBenchStartup(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("bench startup", flag.ContinueOnError)
	runtime := fs.String("runtime", "runc", "sandbox runtime (runc, runsc, bare)")
	langs := fs.String("langs", "all", "languages, or all (every language found here)")
	runs := fs.Int("n", 20, "runs per language (after one warm-up run)")
	quiet := fs.Bool("q", false, "no progress lines")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	l, err := judge.DefaultLanguages("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "segfault:", err)
		return 1
	}
	rt, err := sandbox.New(*runtime, sandbox.Options{})
	if err == nil {
		err = rt.Check(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "segfault: bench startup:", err)
		return 1
	}
	j, err := judge.New(rt, l, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "segfault:", err)
		return 1
	}
	cfg := judge.StartupConfig{Langs: strings.Split(*langs, ","), Runs: *runs}
	if !*quiet {
		cfg.Progress = os.Stderr
	}
	load := loadAvg()
	rep, err := judge.RunStartupBench(ctx, j, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "segfault: bench startup:", err)
		return 1
	}
	rep.Print(os.Stdout)
	fmt.Printf("runtime %s; load average %s at the start, %s at the end\n", *runtime, load, loadAvg())
	return 0
}
