package judge

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// RunLimits bound a single run of `segfault run`.
type RunLimits struct {
	TimeLimit   time.Duration
	MemoryBytes int64
	OutputBytes int64 // 0 = DefaultOutputBytes
}

// RunOutcome is what one compile-and-run produced.
type RunOutcome struct {
	Language, LanguageVersion string
	CompileTime               time.Duration
	// Verdict is CE when compilation failed (Message holds the compiler's
	// output), AC when the program exited 0 within the limits, and TLE,
	// MLE, OLE, RE or IE otherwise.
	Verdict     Verdict
	Message     string
	CPUTime     time.Duration
	WallTime    time.Duration
	MemoryBytes int64
	ExitCode    int
	Signal      string
}

// RunOnce compiles a program in a fresh box and runs it once, streaming
// stdin to it and its output to stdout and stderr (stdout cut at the
// output limit). It is the engine of `segfault run`. When ctx ends, the
// error is ctx's (no verdict) and the box is closed.
func (j *Judge) RunOnce(ctx context.Context, sub Submission, lim RunLimits, stdin io.Reader, stdout, stderr io.Writer) (*RunOutcome, error) {
	lang, files, entry, err := j.checkSource(ctx, sub)
	if err != nil {
		return nil, err
	}
	if lim.TimeLimit <= 0 || lim.MemoryBytes <= 0 {
		return nil, errorf(CodeBadProblem, "the time and memory limits must be positive")
	}
	out := &RunOutcome{Language: lang.ID, LanguageVersion: lang.Version}
	prog, ce, err := j.compileIn(ctx, lang, files, entry, lim.MemoryBytes, "")
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err() // stopped (SIGINT, SIGTERM): no verdict
	}
	if err != nil {
		j.log.Error("run: internal error", "stage", "compile", "lang", lang.ID, "err", err)
		out.Verdict, out.Message = IE, "internal error while compiling"
		return out, nil
	}
	out.CompileTime = prog.compileTime
	if ce != "" {
		out.Verdict, out.Message = CE, ce
		return out, nil
	}
	defer prog.close(j.log)
	prog.args = sub.Args
	p := &Problem{TimeLimit: lim.TimeLimit, MemoryBytes: lim.MemoryBytes, OutputBytes: lim.OutputBytes}
	l := runLimits(p, lang)
	l.StderrBytes = 64 << 10
	errw := &capWriter{max: stderrKeepBytes}
	r, err := prog.box.Run(ctx, sandbox.Cmd{
		Args: prog.runArgs(), Env: prog.env(), Dir: prog.dir,
		Stdin: stdin, Stdout: stdout, Stderr: io.MultiWriter(stderr, errw),
		Limits: l,
	})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil || r.Status == sandbox.StatusInternalError {
		j.log.Error("run: internal error", "stage", "run", "lang", lang.ID, "err", fmt.Errorf("%v %s", err, r.Message))
		out.Verdict, out.Message = IE, "internal error while running"
		return out, nil
	}
	out.CPUTime, out.WallTime, out.MemoryBytes = r.CPUTime, r.WallTime, r.MemoryBytes
	out.ExitCode, out.Signal = r.ExitCode, r.SignalName
	out.Verdict, out.Message = classify(r, lim.TimeLimit, lang, errw.String())
	return out, nil
}
