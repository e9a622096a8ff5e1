// Package judge compiles and runs submissions inside sandbox boxes and
// decides verdicts: languages, the compile/run pipeline, the default and
// custom output validators, interactive problems. No HTTP, no queue: those
// layers call Judge.Judge and stream its Progress.
package judge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// Limits of the compile step, for submissions and validators alike.
const (
	MaxSourceBytes     = 64 << 10
	MaxArgs            = 64       // command-line arguments of a program (Submission.Args, Test.Args each)
	MaxArgBytes        = 64 << 10 // their total size
	CompileCPUTime     = 15 * time.Second
	CompileWallTime    = 40 * time.Second
	CompileMemoryBytes = 1 << 30
	CompileOutputBytes = 64 << 10
	compilePids        = 128
	boxPids            = 256
	boxWorkBytes       = 128 << 20
	boxTmpBytes        = 64 << 20
	stderrKeepBytes    = 8 << 10
)

// Limits of a custom output validator run: trusted code, but a buggy one
// must not hang a worker.
const (
	ValidatorCPUTime     = 30 * time.Second
	ValidatorMemoryBytes = 1 << 30
)

// Judge runs submissions on one sandbox runtime. It is safe for concurrent
// use; each submission gets boxes of its own.
type Judge struct {
	runtime sandbox.Runtime
	langs   *Languages
	log     *slog.Logger
	cache   *CompileCache // nil = compile every time
}

// UseCompileCache makes the judge take programs compiled before from c
// and store what it compiles there. Call it once, before the judge is
// used.
func (j *Judge) UseCompileCache(c *CompileCache) { j.cache = c }

// CompileCache is the judge's compile cache (nil = none).
func (j *Judge) CompileCache() *CompileCache { return j.cache }

// New returns a judge. langs nil = the embedded table; log nil = slog's
// default logger.
func New(rt sandbox.Runtime, langs *Languages, log *slog.Logger) (*Judge, error) {
	if rt == nil {
		return nil, errors.New("judge: no sandbox runtime")
	}
	if langs == nil {
		var err error
		if langs, err = DefaultLanguages(""); err != nil {
			return nil, err
		}
	}
	if log == nil {
		log = slog.Default()
	}
	return &Judge{runtime: rt, langs: langs, log: log}, nil
}

// Languages is the judge's language table.
func (j *Judge) Languages() *Languages { return j.langs }

// Runtime is the sandbox runtime the judge uses.
func (j *Judge) Runtime() sandbox.Runtime { return j.runtime }

// StartPool keeps size boxes of each language in use started ahead of
// demand (a sandbox.Pool), so a submission does not wait for a container
// to start; the languages in warm start theirs at once, the others on
// their first submission. Each box shows its language's toolchain only,
// exactly as without a pool, and serves one submission. Call it once,
// before the judge is used; close the pool at shutdown.
func (j *Judge) StartPool(ctx context.Context, size int, warm ...string) *sandbox.Pool {
	var kinds []sandbox.BoxOptions
	for _, id := range warm {
		if lang, err := j.langs.Lookup(ctx, id); err == nil {
			kinds = append(kinds, j.boxOptionsFor(lang, 0))
		}
	}
	pool := sandbox.NewPool(j.runtime, size, kinds...)
	j.runtime = pool
	return pool
}

func boxOptions(maxRunBytes int64) sandbox.BoxOptions {
	return sandbox.BoxOptions{
		// The box's ceiling covers the largest single run plus its tmpfs
		// files, which the kernel charges to the same cgroup.
		MemoryBytes: max(CompileMemoryBytes, maxRunBytes) + boxWorkBytes + boxTmpBytes,
		Pids:        boxPids,
		CPUs:        1,
		WorkBytes:   boxWorkBytes,
		TmpBytes:    boxTmpBytes,
	}
}

// boxOptionsFor are the options of a box for lang whose runs need up to
// runBytes of memory: the same for every run up to the compile step's
// memory, so that a pool serves them all.
func (j *Judge) boxOptionsFor(lang *Language, runBytes int64) sandbox.BoxOptions {
	opts := boxOptions(runBytes)
	opts.ExtraBinds = lang.HostBinds()
	return opts
}

// checkSource validates a submission before anything is created: the
// errors carry stable codes and nothing is written. It returns the
// program's files for compileIn and its entry file ("" for one source).
func (j *Judge) checkSource(ctx context.Context, sub Submission) (*Language, map[string][]byte, string, error) {
	spec, ok := j.langs.Spec(sub.Lang)
	if !ok {
		return nil, nil, "", errorf(CodeUnsupportedLanguage, "language %q is not supported (supported: %s)", sub.Lang, strings.Join(j.langs.IDs(), ", "))
	}
	files, entry, err := j.programFiles(sub, spec)
	if err != nil {
		return nil, nil, "", err
	}
	if err := checkArgs("program", sub.Args); err != nil {
		return nil, nil, "", err
	}
	lang, err := j.langs.Lookup(ctx, sub.Lang)
	return lang, files, entry, err
}

// checkArgs rejects arguments that execve cannot pass as they are (a NUL
// would cut one short) or that are unreasonably many or long. Anything
// else, spaces, quotes and $ included, reaches the program byte for byte:
// arguments are argv entries, no shell ever sees them.
func checkArgs(what string, args []string) error {
	if len(args) > MaxArgs {
		return errorf(CodeBadArguments, "%s: %d arguments; at most %d are passed", what, len(args), MaxArgs)
	}
	total := 0
	for _, a := range args {
		if strings.IndexByte(a, 0) >= 0 {
			return errorf(CodeBadArguments, "%s: argument %q contains a NUL byte", what, a)
		}
		total += len(a) + 1
	}
	if total > MaxArgBytes {
		return errorf(CodeBadArguments, "%s: arguments are %d bytes; at most %d are passed", what, total, MaxArgBytes)
	}
	return nil
}

// checkProblem rejects a problem the judge cannot judge fairly. It
// returns the default checker's flags of each test (nil with a custom
// validator), so that a bad flag in any group is refused before anything
// runs.
func checkProblem(p *Problem) ([]CheckerFlags, error) {
	if p == nil || len(p.Tests) == 0 {
		return nil, errorf(CodeNoTests, "the problem has no tests")
	}
	if p.TimeLimit <= 0 || p.MemoryBytes <= 0 {
		return nil, errorf(CodeBadProblem, "the problem needs a positive time and memory limit")
	}
	for _, t := range p.Tests {
		if _, err := os.Stat(t.InputPath); err != nil {
			return nil, errorf(CodeNoTests, "test %s: input missing: %v", t.Name, err)
		}
		if t.AnswerPath != "" {
			if _, err := os.Stat(t.AnswerPath); err != nil {
				return nil, errorf(CodeNoTests, "test %s: answer missing: %v", t.Name, err)
			}
		}
		if err := checkArgs("test "+t.Name, t.Args); err != nil {
			return nil, err
		}
		if p.Validator != nil {
			if err := checkArgs("test "+t.Name+": output validator", p.flagsOf(t)); err != nil {
				return nil, err
			}
		}
	}
	if p.Interactive && p.Validator == nil {
		return nil, errorf(CodeBadProblem, "an interactive problem needs an output validator")
	}
	if p.Validator != nil {
		return nil, nil
	}
	flags := make([]CheckerFlags, len(p.Tests))
	for i, t := range p.Tests {
		f, err := ParseCheckerFlags(p.flagsOf(t))
		if err != nil {
			return nil, errorf(CodeBadProblem, "test %s: %v", t.Name, err)
		}
		flags[i] = f
	}
	return flags, nil
}

// flagsOf are the output validator flags of test t: its own, or the
// problem's when it has none.
func (p *Problem) flagsOf(t Test) []string {
	if t.ValidatorFlags != nil {
		return t.ValidatorFlags
	}
	return p.ValidatorFlags
}

// Judge compiles a submission once and runs it on the problem's tests. A
// returned error means the request itself was bad (an *Error with a code;
// nothing ran) or ctx ended first; every other outcome, internal errors
// included, is a Result.
func (j *Judge) Judge(ctx context.Context, p *Problem, sub Submission, opt Options) (*Result, error) {
	lang, files, entry, err := j.checkSource(ctx, sub)
	if err != nil {
		return nil, err
	}
	allFlags, err := checkProblem(p)
	if err != nil {
		return nil, err
	}
	tests, flags := p.Tests, allFlags
	if opt.SamplesOnly {
		tests, flags = nil, nil
		for i, t := range p.Tests {
			if t.Sample {
				tests = append(tests, t)
				if allFlags != nil {
					flags = append(flags, allFlags[i])
				}
			}
		}
		if len(tests) == 0 {
			return nil, errorf(CodeNoTests, "problem %s has no sample tests", p.Name)
		}
	}
	res := &Result{Language: lang.ID, LanguageVersion: lang.Version, Total: len(tests)}
	progress := func(pr Progress) {
		if opt.Progress != nil {
			pr.Total = len(tests)
			opt.Progress(pr)
		}
	}
	internal := func(stage string, err error) (*Result, error) {
		if ctx.Err() != nil {
			// Shutting down or the caller gave up: no verdict at all, so a
			// queue redelivers the job instead of recording an IE.
			return nil, fmt.Errorf("judging cancelled at %s: %w", stage, ctx.Err())
		}
		j.log.Error("judge internal error", "stage", stage, "lang", lang.ID, "problem", p.Name, "runtime", j.runtime.Name(), "err", err)
		res.Verdict = IE
		res.Message = "internal error in the judge (" + stage + "); this is not your fault and has been logged"
		return res, nil
	}

	prog, ce, err := j.compileIn(ctx, lang, files, entry, p.MemoryBytes, "")
	if err == nil && ce == "" {
		prog.args = sub.Args
	}
	if err == nil && ctx.Err() != nil {
		if ce == "" {
			prog.close(j.log)
		}
		err = ctx.Err()
	}
	if err != nil {
		if ctx.Err() == nil {
			progress(Progress{Phase: "compiled", Verdict: IE})
		}
		return internal("compile", err)
	}
	defer prog.close(j.log)
	res.CompileTime, res.CompileCached = prog.compileTime, prog.cached
	if ce != "" {
		res.Verdict, res.Message = CE, ce
		progress(Progress{Phase: "compiled", Verdict: CE})
		return res, nil
	}
	progress(Progress{Phase: "compiled", Verdict: AC})

	var val *program
	if p.Validator != nil {
		var vce string
		val, vce, err = j.compileValidator(ctx, p.Validator, len(tests))
		if err == nil && vce != "" {
			err = fmt.Errorf("output validator does not compile: %s", vce)
		}
		if err != nil {
			return internal("validator", err)
		}
		defer val.close(j.log)
	}

	for i, t := range tests {
		if err := ctx.Err(); err != nil {
			return internal("cancelled", err)
		}
		var tr TestResult
		if p.Interactive {
			tr, err = j.runInteractive(ctx, prog, val, p, t, i+1)
		} else {
			var f CheckerFlags
			if flags != nil {
				f = flags[i]
			}
			tr, err = j.runTest(ctx, prog, val, p, f, t, i+1, opt.KeepOutput)
		}
		if err == nil {
			err = ctx.Err() // a run killed because ctx ended is no verdict
		}
		var pf *problemFault
		if err != nil && errors.As(err, &pf) && ctx.Err() == nil {
			// The package is broken (its validator crashed, wrote a bad
			// score): the test is IE with the details for its author in
			// TestResult.Message; players see the generic message.
			tr.Verdict, tr.Message = IE, pf.Error()
			res.Tests = append(res.Tests, tr)
			res.FailedTest = i + 1
			progress(Progress{Phase: "test", Test: i + 1, Verdict: IE})
		}
		if err != nil {
			return internal(fmt.Sprintf("test %d", i+1), err)
		}
		res.Tests = append(res.Tests, tr)
		res.MaxCPUTime = max(res.MaxCPUTime, tr.CPUTime)
		res.MaxMemoryBytes = max(res.MaxMemoryBytes, tr.MemoryBytes)
		progress(Progress{Phase: "test", Test: i + 1, Verdict: tr.Verdict})
		if tr.Verdict == AC {
			res.Passed++
			continue
		}
		if res.FailedTest == 0 {
			res.FailedTest = i + 1
			res.Verdict = tr.Verdict
			res.Message = fmt.Sprintf("test %d (%s): %s", i+1, t.Name, playerMessage(t, tr))
		}
		if !opt.RunAll {
			break
		}
	}
	if res.FailedTest == 0 {
		res.Verdict = AC
	}
	return res, nil
}

// runLimits are the limits of one run of the submission.
func runLimits(p *Problem, lang *Language) sandbox.Limits {
	out := p.OutputBytes
	if out <= 0 {
		out = DefaultOutputBytes
	}
	return sandbox.Limits{
		CPUTime:     p.TimeLimit,
		WallTime:    2*p.TimeLimit + time.Second,
		MemoryBytes: p.MemoryBytes + lang.MemoryOverheadMiB<<20,
		OutputBytes: out,
		StderrBytes: stderrKeepBytes,
		Pids:        lang.Pids,
		StackBytes:  lang.StackMiB << 20, // 0 = the sandbox's default, half the memory limit
	}
}

// runTest runs one test and checks its output outside the box.
func (j *Judge) runTest(ctx context.Context, prog, val *program, p *Problem, flags CheckerFlags, t Test, n, keep int) (TestResult, error) {
	tr := TestResult{Name: t.Name, Sample: t.Sample}
	in, err := os.Open(t.InputPath)
	if err != nil {
		return tr, fmt.Errorf("open input: %w", err)
	}
	defer in.Close()
	lim := runLimits(p, prog.lang)
	stdout := &capWriter{max: lim.OutputBytes}
	stderr := &capWriter{max: stderrKeepBytes}
	r, err := prog.box.Run(ctx, sandbox.Cmd{
		Args: prog.runArgs(t.Args...), Env: prog.env(), Dir: prog.dir,
		Stdin: in, Stdout: stdout, Stderr: stderr,
		Limits: lim,
	})
	if err != nil || r.Status == sandbox.StatusInternalError {
		return tr, fmt.Errorf("run: %v %s", err, r.Message)
	}
	fillRun(&tr, r, stderr)
	if keep > 0 {
		out := stdout.Bytes()
		tr.Output = string(out[:min(len(out), keep)])
	}
	if v, msg := classify(r, p.TimeLimit, prog.lang, stderr.String()); v != AC {
		tr.Verdict, tr.Message = v, msg
		return tr, nil
	}
	answer, err := readAnswer(t)
	if err != nil {
		return tr, err
	}
	if val != nil {
		tr.Verdict, tr.Message, tr.Score, err = j.validate(ctx, val, p, t, n, answer, bytes.NewReader(stdout.Bytes()))
		return tr, err
	}
	if ok, why := Check(stdout.Bytes(), answer, flags); ok {
		tr.Verdict = AC
	} else {
		tr.Verdict, tr.Message = WA, why
	}
	return tr, nil
}

func readFileLimited(name string) ([]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read test file: %w", err)
	}
	return b, nil
}

func readAnswer(t Test) ([]byte, error) {
	if t.AnswerPath == "" {
		return nil, nil
	}
	b, err := os.ReadFile(t.AnswerPath)
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	return b, nil
}

func fillRun(tr *TestResult, r sandbox.Result, stderr *capWriter) {
	tr.CPUTime, tr.WallTime = r.CPUTime, r.WallTime
	tr.MemoryBytes, tr.OutputBytes = r.MemoryBytes, r.OutputBytes
	tr.ExitCode, tr.Signal = r.ExitCode, r.SignalName
	tr.Stderr = stderr.String()
}
