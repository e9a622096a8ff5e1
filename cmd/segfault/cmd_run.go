package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/config"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/sandbox"
)

func init() {
	register(command{name: "run", summary: "compile and run one program in the sandbox", run: func(ctx context.Context, args []string) int {
		return runRun(ctx, args, os.Stdin, os.Stdout, os.Stderr)
	}})
}

// runRun is `segfault run --lang cpp main.cpp < input.txt`: the program's
// output goes to stdout, the judge's report (time, memory) to stderr.
func runRun(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "", "language id or alias (default: from the file extension)")
	var cfg config.Config
	if err := config.Bind(fs, &cfg, os.Getenv, "sandbox-runtime"); err != nil {
		fmt.Fprintln(stderr, "segfault run:", err)
		return 2
	}
	sbxDir := sandboxDirFlag(fs)
	tl := fs.Duration("time", 2*time.Second, "CPU time limit")
	mem := fs.Int64("memory", 256, "memory limit in MiB")
	out := fs.Int64("output", 64, "output limit in MiB")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: segfault run [flags] SOURCE < input\n\n--sandbox-runtime also takes bare: no isolation, trusted code only.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	j, sub, code := judgeSetup(ctx, stderr, cfg.SandboxRuntime, *sbxDir, *lang, fs.Arg(0))
	if j == nil {
		return code
	}
	res, err := j.RunOnce(ctx, sub, judge.RunLimits{TimeLimit: *tl, MemoryBytes: *mem << 20, OutputBytes: *out << 20}, stdin, stdout, stderr)
	if err != nil {
		return reportRequestError(stderr, err)
	}
	if res.Verdict == judge.CE {
		fmt.Fprintf(stderr, "CE: compilation failed (%s)\n%s\n", res.LanguageVersion, res.Message)
		return 1
	}
	fmt.Fprintf(stderr, "%s: time %.3fs cpu, %.3fs wall; memory %s; exit %d%s\n",
		res.Verdict, res.CPUTime.Seconds(), res.WallTime.Seconds(), mib(res.MemoryBytes), res.ExitCode, signalText(res.Signal))
	if res.Message != "" {
		fmt.Fprintln(stderr, res.Message)
	}
	if res.Verdict != judge.AC {
		return 1
	}
	return 0
}

// sandboxDirFlag is the --sandbox-dir flag of run and judge.
func sandboxDirFlag(fs *flag.FlagSet) *string {
	return fs.String("sandbox-dir", "", "directory of the sandbox's container state and boxes (default /run/segfault-sandbox); killed runs of the same directory are cleaned up at the next start")
}

// sandboxOptions are the runtime options for --sandbox-dir.
func sandboxOptions(runtime, dir string) sandbox.Options {
	if dir == "" {
		return sandbox.Options{}
	}
	return sandbox.Options{StateDir: filepath.Join(dir, runtime, "state"), BoxDir: filepath.Join(dir, runtime, "boxes")}
}

// judgeSetup builds the judge on the chosen runtime and reads the source.
// A nil judge means the command must exit with the returned status. On
// SIGINT or SIGTERM (ctx ends) the judge stops the run and closes its
// boxes before the command returns; a killed run's boxes are removed by
// the next run or judge of the same sandbox dir.
func judgeSetup(ctx context.Context, stderr io.Writer, runtime, sbxDir, lang, file string) (*judge.Judge, judge.Submission, int) {
	var sub judge.Submission
	langs, err := judge.DefaultLanguages("")
	if err != nil {
		fmt.Fprintln(stderr, "segfault:", err)
		return nil, sub, 1
	}
	src, err := readSource(file)
	if err != nil {
		fmt.Fprintln(stderr, "segfault:", err)
		return nil, sub, 2
	}
	if lang == "" {
		// As Kattis: by extension, and by the first line where languages
		// share one (.pl: Prolog, or Perl after a #!...perl line).
		spec, ok := langs.Detect(file, src)
		if !ok {
			fmt.Fprintf(stderr, "segfault: cannot tell the language of %s; pass --lang (%s)\n", file, strings.Join(langs.IDs(), ", "))
			return nil, sub, 2
		}
		lang = spec.ID
	}
	rt, err := sandbox.New(runtime, sandboxOptions(runtime, sbxDir))
	if err == nil {
		err = rt.Check(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "segfault: sandbox runtime %s unusable: %v\n", runtime, err)
		return nil, sub, 1
	}
	// Operators' details (internal errors) go to stderr as text.
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	j, err := judge.New(rt, langs, log)
	if err != nil {
		fmt.Fprintln(stderr, "segfault:", err)
		return nil, sub, 1
	}
	return j, judge.Submission{Lang: lang, Source: src}, 0
}

// readSource reads at most one byte over the judge's limit, so a huge file
// is rejected by the judge (code_too_large) without being read whole.
func readSource(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, judge.MaxSourceBytes+1))
}

func reportRequestError(stderr io.Writer, err error) int {
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "segfault: interrupted; the sandbox is cleaned up")
		return 1
	}
	var je *judge.Error
	if errors.As(err, &je) {
		fmt.Fprintf(stderr, "segfault: %s: %s\n", je.Code, je.Message)
		return 2
	}
	fmt.Fprintln(stderr, "segfault:", err)
	return 1
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func signalText(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
