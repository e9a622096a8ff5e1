package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/config"

	"github.com/segfaultarena/segfault/internal/coach"
	"github.com/segfaultarena/segfault/internal/coach/eval"
	"github.com/segfaultarena/segfault/internal/coach/llm"
)

func init() {
	register(command{name: "coach", summary: "explain a solution's time and space complexity (coach eval: accuracy)", run: runCoach})
}

func runCoach(ctx context.Context, args []string) int {
	if len(args) > 0 && args[0] == "eval" {
		return runCoachEval(ctx, args[1:])
	}
	fs := flag.NewFlagSet("coach", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: segfault coach [flags] SOLUTION\n       segfault coach eval [flags]\n\nflags:")
		fs.PrintDefaults()
	}
	problem := fs.String("problem", "", "problem package `dir` (coach.yaml, generators/gen, data/)")
	lang := fs.String("lang", "", "language: py, c, cpp, go, js, java, rust, or another judge language (measured only) (default: from the file extension)")
	budget := fs.Duration("budget", 10*time.Second, "CPU budget for measuring")
	run := fs.Bool("run", true, "measure by running SOLUTION on this machine (no sandbox: only for your own code)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	cache := fs.String("cache", filepath.Join(os.TempDir(), "segfault-coach-cache"), "build cache `dir`")
	// The LLM settings are serve's (and the workers'): the same names and
	// SEGFAULT_* variables.
	var cfg config.Config
	if err := config.Bind(fs, &cfg, os.Getenv, "llm-base-url", "llm-model", "llm-api-key", "llm-timeout"); err != nil {
		fmt.Fprintln(os.Stderr, "coach:", err)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	file := fs.Arg(0)
	src, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "coach: %v\n", err)
		return 1
	}
	if *lang == "" {
		*lang = strings.TrimPrefix(filepath.Ext(file), ".")
	}
	l, err := coach.NormalizeLang(*lang)
	if err != nil {
		fmt.Fprintf(os.Stderr, "coach: %v\n", err)
		return 2
	}
	var prob *coach.Problem
	if *problem != "" {
		if prob, err = coach.LoadProblem(*problem); err != nil {
			fmt.Fprintf(os.Stderr, "coach: %s: %v\n", coach.CodeProblem, err)
			return 1
		}
	}
	var runner coach.Runner
	if *run && prob != nil {
		if err := os.MkdirAll(*cache, 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "coach: %v\n", err)
			return 1
		}
		r, err := coach.NewLocalRunner(ctx, l, src, *cache)
		if err != nil {
			fmt.Fprintf(os.Stderr, "coach: %s: %v\n", coach.CodeMeasure, err)
			return 1
		}
		runner = r
	}
	opt := coach.Options{Measure: coach.MeasureOptions{Budget: *budget}}
	if cfg.LLMBaseURL != "" && cfg.LLMModel != "" {
		opt.LLM = &llm.Client{BaseURL: cfg.LLMBaseURL, Model: cfg.LLMModel, APIKey: cfg.LLMAPIKey, Timeout: cfg.LLMTimeout}
	}
	rep, err := coach.Analyze(ctx, l, src, prob, runner, opt)
	if err != nil {
		fmt.Fprintf(os.Stderr, "coach: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return 1
		}
		return 0
	}
	printReport(os.Stdout, rep)
	return 0
}

func printReport(w io.Writer, r *coach.Report) {
	fmt.Fprintf(w, "Language: %s\n", r.Lang)
	fmt.Fprintf(w, "Time:     %s   (confidence %.0f%%; %s)\n", r.Time.Pretty(), 100*r.Confidence, r.Reason)
	fmt.Fprintf(w, "Space:    %s\n", r.Space.Pretty())
	if r.Intended.Stated != "" || r.Intended.Time.OK {
		fmt.Fprintf(w, "Author's: %s time, %s space -> %s\n", r.Intended.Stated, r.Intended.StatedSpace, r.Verdict)
	}
	if s := r.Static; s != nil {
		fmt.Fprintf(w, "\nStatic analysis: time %s, space %s\n", s.Time.Pretty(), s.Space.Pretty())
		for _, e := range s.Evidence {
			fmt.Fprintf(w, "  lines %4d-%-4d %-14s %s\n", e.Start, e.End, e.Class.Pretty(), e.Note)
		}
		for _, e := range s.SpaceEvidence {
			fmt.Fprintf(w, "  lines %4d-%-4d %-14s space: %s\n", e.Start, e.End, e.Class.Pretty(), e.Note)
		}
	} else if r.StaticError != "" {
		fmt.Fprintf(w, "\nStatic analysis: %s\n", r.StaticError)
	}
	if e := r.Empirical; e != nil {
		fmt.Fprintf(w, "\nMeasured (%s inputs, %.1fs CPU): all sizes together %s (fit confidence %.2f), memory %s\n",
			e.Source, e.CPUUsed, e.Time.Pretty(), e.TimeConfidence, e.Space.Pretty())
		fmt.Fprintf(w, "  %12s %12s %12s\n", "n", "cpu (s)", "peak (KiB)")
		for _, p := range e.Points {
			fmt.Fprintf(w, "  %12d %12.4f %12d\n", p.N, p.CPU, p.PeakMem>>10)
		}
		for _, a := range e.Axes {
			fmt.Fprintf(w, "  %s alone (%s): %s (fit confidence %.2f), %d sizes\n", a.Var, a.Fixed, a.Time.Pretty(), a.TimeConfidence, len(a.Points))
		}
		if e.Note != "" {
			fmt.Fprintf(w, "  note: %s\n", e.Note)
		}
	} else if r.EmpiricalError != "" {
		fmt.Fprintf(w, "\nMeasurement failed: %s\n", r.EmpiricalError)
	}
	for _, c := range r.Checks {
		axis := "all sizes"
		if c.Axis != "" {
			axis = c.Axis
		}
		fmt.Fprintf(w, "  check %-10s static %-10s measured %-10s %s\n", axis, c.Static.Pretty(), c.Measured.Pretty(), c.Outcome)
	}
	fmt.Fprintf(w, "\nCoach (%s):\n%s\n", r.TextSource, wrap(r.Text, 100))
	if r.TextError != "" {
		fmt.Fprintf(w, "(LLM unavailable, offline coach used: %s)\n", r.TextError)
	}
}

func wrap(s string, width int) string {
	var b strings.Builder
	col := 0
	for _, word := range strings.Fields(s) {
		if col > 0 && col+1+len(word) > width {
			b.WriteString("\n")
			col = 0
		} else if col > 0 {
			b.WriteString(" ")
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}

func runCoachEval(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("coach eval", flag.ContinueOnError)
	smoke := fs.Bool("smoke", false, "only the small smoke subset")
	bundled := fs.Bool("bundled", false, "score every accepted submission of the bundled problems (see --problems-dir) instead of the labelled set")
	var cfg config.Config
	if err := config.Bind(fs, &cfg, os.Getenv, "problems-dir"); err != nil {
		fmt.Fprintln(os.Stderr, "coach eval:", err)
		return 2
	}
	filter := fs.String("filter", "", "only cases whose path contains this")
	budget := fs.Duration("budget", 10*time.Second, "CPU budget per solution")
	target := fs.Duration("target", 0, "stop growing a size once a run costs this much more than the smallest (default: the coach's)")
	reuse := fs.Bool("reuse", false, "reuse cached measurements of unchanged solutions (re-scores static and the decision only)")
	cachedOnly := fs.Bool("cached-only", false, "with -reuse: score only the solutions measured before (no runs)")
	staticOnly := fs.Bool("static", false, "static analysis only (no builds, no runs)")
	verbose := fs.Bool("v", false, "print the measured points of every case")
	cache := fs.String("cache", "", "build and input cache dir (default under the temp dir)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	opt := eval.Options{Smoke: *smoke, Filter: *filter, Budget: *budget, Target: *target, Static: *staticOnly,
		CacheDir: *cache, Out: os.Stdout, Verbose: *verbose, Reuse: *reuse || *cachedOnly, CachedOnly: *cachedOnly}
	var sum eval.Summary
	var err error
	set := "labelled"
	if *bundled {
		set = "bundled"
		sum, err = eval.RunBundled(ctx, cfg.ProblemsDir, opt)
	} else {
		sum, err = eval.Run(ctx, opt)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "coach eval: %v\n", err)
		return 1
	}
	if *staticOnly {
		set += "-static"
	}
	fmt.Println()
	sum.Print(os.Stdout)
	fmt.Println(sum.Result(set))
	return 0
}
