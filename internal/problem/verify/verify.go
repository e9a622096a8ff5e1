package verify

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
)

// Judger is what verification needs from the judge (*judge.Judge).
type Judger interface {
	Judge(ctx context.Context, p *judge.Problem, sub judge.Submission, opt judge.Options) (*judge.Result, error)
}

// Options tune a verification run.
type Options struct {
	// Parallel is how many submissions are judged at once (default 1).
	// More is faster but CPU contention inflates the measured times that
	// derive the time limit, so derivation always runs one at a time.
	Parallel int
	// LanguageMultipliers scale the time limit per language.
	LanguageMultipliers problem.LanguageMultipliers
	// MeasureLimit is the limit accepted submissions run under while the
	// time limit is being derived (default 10 s).
	MeasureLimit time.Duration
	// Progress, when set, gets one line per finished step.
	Progress func(line string)
}

// Row is the outcome of one submission.
type Row struct {
	Submission string        `json:"submission"`
	Language   string        `json:"language"`
	Expected   string        `json:"expected"` // folder name
	Want       []string      `json:"want"`
	Got        string        `json:"got"` // final verdict (CE, IE included)
	Score      float64       `json:"score"`
	MaxScore   float64       `json:"max_score"`
	Scored     bool          `json:"scored"` // Score/MaxScore meaningful (scoring problems)
	MaxTime    time.Duration `json:"max_time_ns"`
	Limit      time.Duration `json:"limit_ns"` // the limit it ran under
	OK         bool          `json:"ok"`
	Message    string        `json:"message,omitempty"`
}

// ValidatorRow is the outcome of one input validator over every input.
type ValidatorRow struct {
	Validator string   `json:"validator"`
	Checked   int      `json:"checked"`
	Invalid   []string `json:"invalid,omitempty"` // "secret/03: exit 43: n out of range"
	Err       string   `json:"error,omitempty"`   // the validator itself failed (does not compile, ...)
}

// OK reports whether every input was valid.
func (v ValidatorRow) OK() bool { return v.Err == "" && len(v.Invalid) == 0 }

// Report is the result of Verify.
type Report struct {
	Problem       string         `json:"problem"`
	Format        problem.Format `json:"format"`
	TimeLimit     time.Duration  `json:"time_limit_ns"`
	TimeLimitFrom string         `json:"time_limit_from"`
	Validators    []ValidatorRow `json:"validators"`
	Generator     *GeneratorRow  `json:"generator,omitempty"` // nil = no generators/gen
	Rows          []Row          `json:"submissions"`
	Errors        []string       `json:"errors,omitempty"`
	Warnings      []string       `json:"warnings,omitempty"`
}

// OK reports whether the package verified: no error, every input valid,
// every submission with the verdict its folder promises.
func (r *Report) OK() bool {
	if len(r.Errors) > 0 {
		return false
	}
	for _, v := range r.Validators {
		if !v.OK() {
			return false
		}
	}
	if !r.Generator.OK() {
		return false
	}
	for _, row := range r.Rows {
		if !row.OK {
			return false
		}
	}
	return true
}

const defaultMeasureLimit = 10 * time.Second

// Verify checks pkg with the judge. It never stops at the first problem:
// the report lists everything found.
func Verify(ctx context.Context, pkg *problem.Package, j Judger, opt Options) *Report {
	if opt.Parallel < 1 {
		opt.Parallel = 1
	}
	if opt.MeasureLimit <= 0 {
		opt.MeasureLimit = defaultMeasureLimit
	}
	progress := func(format string, a ...any) {
		if opt.Progress != nil {
			opt.Progress(fmt.Sprintf(format, a...))
		}
	}
	rep := &Report{Problem: pkg.ShortName, Format: pkg.Format}
	for _, w := range pkg.Warnings {
		rep.Warnings = append(rep.Warnings, w.String())
	}

	for _, v := range pkg.InputValidators {
		row := validateInputs(ctx, pkg, v, j)
		progress("input validator %s: %d inputs, %d invalid %s", v.Name, row.Checked, len(row.Invalid), row.Err)
		rep.Validators = append(rep.Validators, row)
	}
	if msg := outputValidatorCompileError(ctx, pkg, j); msg != "" {
		// Every submission would end in an internal error: judging them
		// would only bury the cause.
		rep.Errors = append(rep.Errors, msg+"\n(submissions not judged)")
		rep.TimeLimit, rep.TimeLimitFrom = pkg.TimeLimit, pkg.TimeLimitFrom
		return rep
	}
	lim := pkg.Meta.Limits
	var accepted, others []problem.Submission
	for _, s := range pkg.Submissions {
		if s.Expect.TimesLimit {
			accepted = append(accepted, s)
		} else {
			others = append(others, s)
		}
	}

	rows := map[string]Row{}
	if pkg.TimeLimit > 0 {
		rep.TimeLimit = pkg.TimeLimit
		rep.TimeLimitFrom = pkg.TimeLimitFrom
		others = append(accepted, others...)
	} else {
		// Derive: run the accepted submissions one at a time under a
		// generous limit and take the slowest.
		var slowest time.Duration
		var slowestName string
		for _, s := range accepted {
			row := judgeOne(ctx, pkg, j, s, opt.MeasureLimit, opt.LanguageMultipliers)
			rows[s.Name] = row
			progress("%s: %s in %v (measuring)", s.Name, row.Got, row.MaxTime)
			if row.Got == string(judge.AC) {
				if t := opt.LanguageMultipliers.Normalize(row.MaxTime, s.Language); t >= slowest {
					slowest, slowestName = t, s.Name
				}
			}
		}
		if slowestName == "" {
			rep.Errors = append(rep.Errors, "cannot derive the time limit: no accepted submission was accepted (set limits.time_limit or add a .timelimit file)")
			rep.TimeLimit = opt.MeasureLimit
			rep.TimeLimitFrom = "fallback (measuring limit)"
		} else {
			rep.TimeLimit = problem.DeriveTimeLimit(slowest, lim.TimeMultiplier)
			rep.TimeLimitFrom = fmt.Sprintf("derived: slowest accepted %s took %.3fs × %g, rounded up", slowestName, slowest.Seconds(), lim.TimeMultiplier)
		}
	}

	// Everything else, in parallel.
	type job struct {
		s     problem.Submission
		limit time.Duration
	}
	var jobs []job
	for _, s := range others {
		limit := rep.TimeLimit
		if s.Expect.MarginTLE || s.Expect.MarginAC || (!s.Expect.Partial && s.Expect.Folder != "rejected" && !s.Expect.TimesLimit) {
			// Clearly-too-slow check for TLE, and no accidental TLE for
			// slow_accepted, WA, RE, MLE, OLE: problemtools runs them under
			// the limit × safety margin too.
			limit = time.Duration(float64(rep.TimeLimit) * lim.TimeSafetyMargin)
		}
		jobs = append(jobs, job{s, limit})
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, opt.Parallel)
	if pkg.Generator != nil {
		// The generator check measures nothing, so it shares the pool of
		// the submissions that are not timed for the limit.
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			g := checkGenerator(ctx, pkg, j)
			progress("generator %s: %d runs, %d invalid %s", pkg.Generator.Name, len(g.Runs), len(g.Invalid), g.Err)
			mu.Lock()
			rep.Generator = g
			mu.Unlock()
		}()
	}
	for _, jb := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func(jb job) {
			defer wg.Done()
			defer func() { <-sem }()
			row := judgeOne(ctx, pkg, j, jb.s, jb.limit, opt.LanguageMultipliers)
			progress("%s: %s in %v", jb.s.Name, row.Got, row.MaxTime)
			mu.Lock()
			rows[jb.s.Name] = row
			mu.Unlock()
		}(jb)
	}
	wg.Wait()

	for _, s := range pkg.Submissions {
		row := rows[s.Name]
		if s.Expect.TimesLimit && pkg.TimeLimit <= 0 && row.OK {
			// Measured under the generous limit; it must also fit the
			// derived one (it does by construction unless a language
			// multiplier makes it not).
			if lt := opt.LanguageMultipliers.For(rep.TimeLimit, s.Language); row.MaxTime > lt {
				row.OK = false
				row.Message = fmt.Sprintf("took %v, over the derived limit %v", row.MaxTime, lt)
			}
			row.Limit = opt.LanguageMultipliers.For(rep.TimeLimit, s.Language)
		}
		rep.Rows = append(rep.Rows, row)
	}
	return rep
}

// judgeOne judges one submission under limit and checks it against its
// folder's promise.
func judgeOne(ctx context.Context, pkg *problem.Package, j Judger, s problem.Submission, limit time.Duration, mult problem.LanguageMultipliers) Row {
	row := Row{Submission: s.Name, Language: s.Language, Expected: s.Expect.Folder, Want: s.Expect.Verdicts,
		Limit: mult.For(limit, s.Language)}
	fail := func(got, format string, a ...any) Row {
		row.Got, row.OK, row.Message = got, false, fmt.Sprintf(format, a...)
		return row
	}
	src, err := singleSource(s.Program)
	if err != nil {
		return fail("-", "%v", err)
	}
	jp, err := JudgeProblem(pkg, limit, s.Language, mult)
	if err != nil {
		return fail("-", "%v", err)
	}
	scoring := pkg.Meta.Scoring()
	res, err := j.Judge(ctx, jp, judge.Submission{Lang: s.Language, Source: src}, judge.Options{RunAll: scoring || s.Expect.Partial})
	if err != nil {
		return fail("-", "judge refused it: %v", err)
	}
	row.Got = string(res.Verdict)
	row.MaxTime = res.MaxCPUTime
	verdict := res.Verdict
	if scoring {
		row.Score, row.MaxScore = Score(pkg, res)
		row.Scored = true
	}
	switch verdict {
	case judge.CE, judge.IE:
		return fail(row.Got, "%s", firstLines(authorMessage(res), 6))
	}
	want := s.Expect.Verdicts
	ok := false
	for _, w := range want {
		if w == row.Got {
			ok = true
		}
	}
	if s.Expect.MarginAC {
		ok = verdict == judge.AC
	}
	if s.Expect.Partial {
		ok = row.Score > 0 && row.Score < row.MaxScore
		if !ok {
			return fail(row.Got, "score %g of %g: partially_accepted wants strictly between 0 and the maximum", row.Score, row.MaxScore)
		}
	}
	if !ok {
		return fail(row.Got, "want %s, got %s: %s", strings.Join(want, " or "), row.Got, firstLines(res.Message, 3))
	}
	row.OK = true
	return row
}

// authorMessage is a result's message for the package's author: for an
// internal error the package caused (its output validator crashed or wrote
// a bad score.txt), the failed test's detail, which Result.Message keeps
// from players.
func authorMessage(res *judge.Result) string {
	if res.Verdict == judge.IE && res.FailedTest > 0 && res.FailedTest <= len(res.Tests) {
		if tr := res.Tests[res.FailedTest-1]; tr.Verdict == judge.IE && tr.Message != "" {
			return fmt.Sprintf("test %d (%s): %s", res.FailedTest, tr.Name, tr.Message)
		}
	}
	return res.Message
}

// Score grades a judge result (judged with RunAll, so every case has an
// outcome) on the package's secret groups with the Kattis default grader:
// accept_score / reject_score per case, sum / min / ... per group, on_reject
// break / continue. An accepted case's score is the one its output
// validator wrote to score.txt (judge.TestResult.Score) when the package
// reads scores from the validator: legacy packages with validation:
// custom score, draft packages whenever one is written. The maximum score
// assumes every case accepted with its group's accept_score; a validator
// score above that can exceed it, as in Kattis (groups' range clamps it).
// Samples never count unless their testdata.yaml gives them a score.
func Score(pkg *problem.Package, res *judge.Result) (score, maxScore float64) {
	byName := map[string]judge.TestResult{}
	for _, t := range res.Tests {
		byName[t.Name] = t
	}
	validatorScores := pkg.Format.Modern() || strings.Contains(pkg.Meta.Validation, "score")
	outcome := func(c *problem.Case) (problem.CaseOutcome, bool) {
		t, ok := byName[c.Name]
		o := problem.CaseOutcome{Accepted: ok && t.Verdict == judge.AC}
		if o.Accepted && validatorScores {
			o.Score = t.Score
		}
		return o, ok
	}
	_, score = pkg.Grade(outcome)
	maxScore = pkg.MaxScore()
	return score, maxScore
}

// Kattis input validators exit with 42 for a valid input.
const inputValid = 42

// validateInputs runs one input validator on every input of the package,
// with each group's input validator arguments (input_validator_flags /
// input_validator_args): cases are batched by their arguments, one judge
// run per distinct set.
func validateInputs(ctx context.Context, pkg *problem.Package, v problem.Program, j Judger) ValidatorRow {
	row := ValidatorRow{Validator: v.Name}
	var order []string
	batches := map[string][]input{}
	argsOf := map[string][]string{}
	for _, c := range pkg.Cases() {
		key := strings.Join(c.InputValidatorArgs, "\x00")
		if _, ok := batches[key]; !ok {
			order = append(order, key)
			argsOf[key] = c.InputValidatorArgs
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

// input is one file an input validator checks.
type input struct {
	Name   string
	Path   string
	Sample bool
}

// runInputValidator runs one input validator with args on inputs. The
// judge has no "run this program on that input" call, so two routes are
// used:
//
//   - as a submission (the usual case): the validator is the program under
//     test, each input a test with an empty answer, args its command-line
//     arguments (judge.Submission.Args: real argv in every language, no
//     shell). A valid input shows up as a run-time error with exit code 42;
//     anything else is a rejection.
//   - as an output validator, when the judge cannot take it as a submission
//     (several source files that cannot be merged, or over the 64 KiB source
//     cap, as testlib.h-based validators are): a tiny submission echoes the
//     input to its output, which reaches the validator on stdin; 42 is
//     accepted (AC), 43 rejected (WA). The validator then also sees the
//     Kattis output-validator arguments (input answer feedback_dir), so
//     input validator arguments cannot be given that way: an error says so.
func runInputValidator(ctx context.Context, pkg *problem.Package, v problem.Program, j Judger, inputs []input, args []string) ValidatorRow {
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
	sub := judge.Submission{Lang: v.Language, Args: args}
	src, err := singleSource(v)
	echo := err != nil || len(src) > judge.MaxSourceBytes
	if echo {
		if len(args) > 0 {
			why := fmt.Sprintf("%d bytes", len(src))
			if err != nil {
				why = err.Error()
			}
			row.Err = fmt.Sprintf("cannot pass input validator arguments %q: only a single-source validator under %d KiB can get them here (%s)",
				strings.Join(args, " "), judge.MaxSourceBytes>>10, why)
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
	} else {
		sub.Source = src
	}
	res, err := j.Judge(ctx, jp, sub, judge.Options{RunAll: true})
	if err != nil {
		row.Err = fmt.Sprintf("cannot run: %v", err)
		return row
	}
	switch res.Verdict {
	case judge.CE:
		row.Err = "does not compile: " + firstLines(res.Message, 8)
		return row
	case judge.IE:
		if echo {
			// The judge logs the details (compiler output, exit code).
			row.Err = "does not compile, or exited with neither 42 nor 43 (see the judge log): " + res.Message
		} else {
			row.Err = "internal error: " + res.Message
		}
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

// outputValidatorCompileError compiles the output validator on its own and
// returns the compiler's message if it fails. Judging reports a validator
// that does not compile as an internal error of every submission, with the
// details only in the judge's log; an author needs the compiler output.
// Validators the judge can only take as an output validator (several
// sources, over the source cap) are left to judging.
func outputValidatorCompileError(ctx context.Context, pkg *problem.Package, j Judger) string {
	v := pkg.OutputValidator
	cases := pkg.Cases()
	if v == nil || len(cases) == 0 {
		return ""
	}
	src, err := singleSource(*v)
	if err != nil || len(src) > judge.MaxSourceBytes {
		return ""
	}
	// Compiled as the program under test; its run (without the Kattis
	// arguments) means nothing and is not looked at.
	jp := &judge.Problem{Name: pkg.ShortName + " output validator", TimeLimit: time.Second, MemoryBytes: 256 << 20,
		Tests: []judge.Test{{Name: cases[0].Name, InputPath: cases[0].In}}}
	res, err := j.Judge(ctx, jp, judge.Submission{Lang: v.Language, Source: src}, judge.Options{})
	if err != nil || res.Verdict != judge.CE {
		return ""
	}
	return fmt.Sprintf("output validator %s does not compile:\n%s", v.Name, firstLines(res.Message, 8))
}

// echoProgram copies its input to its output (see validateInputs).
const echoProgram = "import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())\n"

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}

// WriteText prints the report as problemtools-like text with a table.
func (r *Report) WriteText(w io.Writer) {
	status := "OK"
	if !r.OK() {
		status = "FAILED"
	}
	fmt.Fprintf(w, "== %s (%s): %s\n", r.Problem, r.Format, status)
	fmt.Fprintf(w, "time limit: %v (%s)\n", r.TimeLimit, r.TimeLimitFrom)
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	for _, v := range r.Validators {
		res := "ok"
		if !v.OK() {
			res = "FAIL"
		}
		fmt.Fprintf(w, "input validator %s: %d inputs checked: %s\n", v.Validator, v.Checked, res)
		if v.Err != "" {
			fmt.Fprintf(w, "  %s\n", indent(v.Err))
		}
		for _, bad := range v.Invalid {
			fmt.Fprintf(w, "  invalid: %s\n", indent(bad))
		}
	}
	if g := r.Generator; g != nil {
		res := "ok"
		if !g.OK() {
			res = "FAIL"
		}
		fmt.Fprintf(w, "generator %s: %s: %s\n", g.Generator, strings.Join(g.Runs, ", "), res)
		if g.Err != "" {
			fmt.Fprintf(w, "  %s\n", indent(g.Err))
		}
		for _, bad := range g.Invalid {
			fmt.Fprintf(w, "  invalid: %s\n", indent(bad))
		}
	}
	if len(r.Rows) > 0 {
		tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "SUBMISSION\tEXPECTED\tGOT\tMAX TIME\tLIMIT\tRESULT")
		for _, row := range r.Rows {
			res := "ok"
			if !row.OK {
				res = "MISMATCH"
			}
			got := row.Got
			if row.Scored {
				got = fmt.Sprintf("%s %g/%g", got, row.Score, row.MaxScore)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.3fs\t%v\t%s\n", row.Submission, expectLabel(row), got, row.MaxTime.Seconds(), row.Limit, res)
		}
		tw.Flush()
		for _, row := range r.Rows {
			if !row.OK && row.Message != "" {
				fmt.Fprintf(w, "%s: %s\n", row.Submission, indent(row.Message))
			}
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
}

// expectLabel says in a few characters what a folder promises.
func expectLabel(row Row) string {
	switch row.Expected {
	case "partially_accepted":
		return "0<score<max"
	case "rejected":
		return "not AC"
	case "slow_accepted":
		return "AC (limit×margin)"
	case "time_limit_exceeded":
		return "TLE (limit×margin)"
	}
	return strings.Join(row.Want, "|")
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }
