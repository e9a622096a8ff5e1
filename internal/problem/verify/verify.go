package verify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
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
	Want       []string      `json:"want"`     // final verdicts (legacy), or the 2025-09 rules in words
	Got        string        `json:"got"`      // final verdict (CE, IE included); "skipped"
	Score      float64       `json:"score"`
	MaxScore   float64       `json:"max_score"`
	Scored     bool          `json:"scored"` // Score/MaxScore meaningful (scoring problems)
	MaxTime    time.Duration `json:"max_time_ns"`
	Limit      time.Duration `json:"limit_ns"` // the limit it ran under
	OK         bool          `json:"ok"`
	// Skipped: its language is not available on this machine; not judged,
	// a warning (as problemtools skips a language it lacks).
	Skipped bool   `json:"skipped,omitempty"`
	Message string `json:"message,omitempty"`
}

// Report is the result of Verify.
type Report struct {
	Problem       string         `json:"problem"`
	Format        problem.Format `json:"format"`
	TimeLimit     time.Duration  `json:"time_limit_ns"`
	TimeLimitFrom string         `json:"time_limit_from"`
	// Checks are the parts of verification in problemtools' order and with
	// its names; every error and warning belongs to one.
	Checks     []Check        `json:"checks"`
	Validators []ValidatorRow `json:"validators"`
	// InvalidInputs is data/invalid_input: every input must be rejected
	// by some input validator. nil = the package has none.
	InvalidInputs *ValidatorRow `json:"invalid_inputs,omitempty"`
	Generator     *GeneratorRow `json:"generator,omitempty"` // nil = no generators/gen
	Rows          []Row         `json:"submissions"`
}

// Check is one part of verification, named as problemtools' verifyproblem
// names its parts (-p): config, statement, validators, graders,
// generators, data, submissions.
type Check struct {
	Part     string   `json:"part"`
	Notes    []string `json:"notes,omitempty"` // what was checked and passed
	Warnings []string `json:"warnings,omitempty"`
	Errors   []string `json:"errors,omitempty"`
}

// Parts are problemtools' parts, in its order.
var Parts = []string{"config", "statement", "validators", "graders", "generators", "data", "submissions"}

func newReport(pkg *problem.Package) *Report {
	r := &Report{Problem: pkg.ShortName, Format: pkg.Format}
	for _, p := range Parts {
		r.Checks = append(r.Checks, Check{Part: p})
	}
	return r
}

func (r *Report) check(part string) *Check {
	for i := range r.Checks {
		if r.Checks[i].Part == part {
			return &r.Checks[i]
		}
	}
	r.Checks = append(r.Checks, Check{Part: part})
	return &r.Checks[len(r.Checks)-1]
}

// AddError records an error in a part (cmd adds the bundled set's rules).
func (r *Report) AddError(part, format string, a ...any) {
	c := r.check(part)
	c.Errors = append(c.Errors, fmt.Sprintf(format, a...))
}

func (r *Report) warnf(part, format string, a ...any) {
	c := r.check(part)
	c.Warnings = append(c.Warnings, fmt.Sprintf(format, a...))
}

func (r *Report) notef(part, format string, a ...any) {
	c := r.check(part)
	c.Notes = append(c.Notes, fmt.Sprintf(format, a...))
}

// Errors lists every error, part by part.
func (r *Report) Errors() []string {
	var out []string
	for _, c := range r.Checks {
		out = append(out, c.Errors...)
	}
	return out
}

// Warnings lists every warning, part by part.
func (r *Report) Warnings() []string {
	var out []string
	for _, c := range r.Checks {
		out = append(out, c.Warnings...)
	}
	return out
}

// OK reports whether the package verified: no error in any part (every
// input valid, every submission with the verdict its folder promises).
func (r *Report) OK() bool { return len(r.Errors()) == 0 }

// partOf files a load issue under the part that checks its path.
func partOf(path string) string {
	first, _, _ := strings.Cut(path, "/")
	first, _, _ = strings.Cut(first, ":")
	switch first {
	case "statement", "problem_statement":
		return "statement"
	case "input_validators", "input_format_validators", "output_validator", "output_validators":
		return "validators"
	case "generators":
		return "generators"
	case "data":
		return "data"
	case "submissions", "include":
		return "submissions"
	}
	return "config"
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
	rep := newReport(pkg)
	for _, w := range pkg.Warnings {
		rep.warnf(partOf(w.Path), "%s", w)
	}
	rep.notef("config", "%s package, %s", pkg.Format, strings.Join(pkg.Meta.Types, ", "))
	rep.notef("statement", "%d statement(s)", len(pkg.Statements))
	if pkg.Meta.Scoring() {
		rep.notef("graders", "default grader")
	}
	cases := pkg.Cases()
	rep.notef("data", "%d test cases: %d sample, %d secret", len(cases), len(pkg.Sample.AllCases()), len(pkg.Secret.AllCases()))

	for _, v := range pkg.InputValidators {
		row := validateInputs(ctx, pkg, v, j)
		progress("input validator %s: %d inputs, %d invalid %s", v.Name, row.Checked, len(row.Invalid), row.Err)
		rep.Validators = append(rep.Validators, row)
		if row.Err != "" {
			rep.AddError("validators", "input validator %s: %s", v.Name, row.Err)
		} else {
			rep.notef("validators", "input validator %s (%s) ran on %d inputs", v.Name, v.Language, row.Checked)
		}
		for _, bad := range row.Invalid {
			rep.AddError("data", "%s rejects input %s", v.Name, bad)
		}
	}
	if len(pkg.InvalidInputs) > 0 {
		rep.InvalidInputs = checkInvalidInputs(ctx, pkg, j)
		for _, bad := range rep.InvalidInputs.Invalid {
			rep.AddError("validators", "%s", bad)
		}
		if rep.InvalidInputs.Err != "" {
			rep.AddError("validators", "invalid inputs: %s", rep.InvalidInputs.Err)
		} else if len(rep.InvalidInputs.Invalid) == 0 {
			rep.notef("validators", "every one of %d invalid inputs is rejected", rep.InvalidInputs.Checked)
		}
	}
	if msg := outputValidatorCompileError(ctx, pkg, j); msg != "" {
		// Every submission would end in an internal error: judging them
		// would only bury the cause.
		rep.AddError("validators", "%s\n(submissions not judged)", msg)
		rep.TimeLimit, rep.TimeLimitFrom = pkg.TimeLimit, pkg.TimeLimitFrom
		return rep
	}
	if pkg.OutputValidator != nil {
		rep.notef("validators", "output validator %s (%s)", pkg.OutputValidator.Name, pkg.OutputValidator.Language)
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
			rep.AddError("submissions", "cannot derive the time limit: no accepted submission was accepted (set limits.time_limit or add a .timelimit file)")
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

	if g := rep.Generator; g != nil {
		if g.Err != "" {
			rep.AddError("generators", "%s: %s", g.Generator, g.Err)
		}
		for _, bad := range g.Invalid {
			rep.AddError("generators", "%s: %s", g.Generator, bad)
		}
		if g.OK() {
			rep.notef("generators", "%s: %s: every output a valid input", g.Generator, strings.Join(g.Runs, ", "))
		}
	}
	for _, s := range pkg.Submissions {
		row := rows[s.Name]
		if s.Expect.TimesLimit && pkg.TimeLimit <= 0 && row.OK && !row.Skipped {
			// Measured under the generous limit; it must also fit the
			// derived one (it does by construction unless a language
			// multiplier makes it not).
			if lt := opt.LanguageMultipliers.For(rep.TimeLimit, s.Language); row.MaxTime > lt {
				row.OK = false
				row.Message = fmt.Sprintf("took %v, over the derived limit %v", row.MaxTime, lt)
			}
			row.Limit = opt.LanguageMultipliers.For(rep.TimeLimit, s.Language)
		}
		desc := fmt.Sprintf("%s submission %s (%s)", expectLabel(row), strings.TrimPrefix(s.Name, "submissions/"), s.Language)
		switch {
		case row.Skipped:
			rep.warnf("submissions", "%s skipped: %s", desc, row.Message)
		case row.OK:
			rep.notef("submissions", "%s OK: %s [CPU: %.3fs, limit %v]", desc, gotLabel(row), row.MaxTime.Seconds(), row.Limit)
		default:
			rep.AddError("submissions", "%s got %s: %s", desc, gotLabel(row), row.Message)
		}
		rep.Rows = append(rep.Rows, row)
	}
	rep.notef("submissions", "time limit %v (%s), safety margin %g", rep.TimeLimit, rep.TimeLimitFrom, lim.TimeSafetyMargin)
	return rep
}

// judgeOne judges one submission under limit and checks it against its
// folder's promise.
func judgeOne(ctx context.Context, pkg *problem.Package, j Judger, s problem.Submission, limit time.Duration, mult problem.LanguageMultipliers) Row {
	row := Row{Submission: s.Name, Language: s.Language, Expected: s.Expect.Folder, Want: s.Expect.Verdicts,
		Limit: mult.For(limit, s.Language)}
	for _, rule := range s.Expect.Rules {
		row.Want = append(row.Want, rule.String())
	}
	fail := func(got, format string, a ...any) Row {
		row.Got, row.OK, row.Message = got, false, fmt.Sprintf(format, a...)
		return row
	}
	sub, err := Submission(s.Program)
	if err != nil {
		return fail("-", "%v", err)
	}
	jp, err := JudgeProblem(pkg, limit, s.Language, mult)
	if err != nil {
		return fail("-", "%v", err)
	}
	scoring := pkg.Meta.Scoring()
	res, err := j.Judge(ctx, jp, sub, judge.Options{RunAll: scoring || s.Expect.Partial || len(s.Expect.Rules) > 0})
	if judge.ErrorCode(err) == judge.CodeLanguageUnavailable {
		row.Got, row.OK, row.Skipped = "skipped", true, true
		var je *judge.Error
		if errors.As(err, &je) {
			row.Message = je.Message
		}
		return row
	}
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
	if len(s.Expect.Rules) > 0 {
		if msg := checkRules(pkg, s.Expect.Rules, res); msg != "" {
			return fail(row.Got, "%s", msg)
		}
		row.OK = true
		return row
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
// outcome) with the package's grading (problem.Package.Grade): the Kattis
// default grader for legacy and 2023-07-draft packages (accept_score /
// reject_score per case, sum / min / ... per group, on_reject break /
// continue), the 2025-09 rules otherwise (max_score, score_aggregation,
// require_pass). An accepted case's score is the one its output validator
// wrote to score.txt (judge.TestResult.Score) when the package reads scores
// from the validator: legacy packages with validation: custom score,
// 2023-07-draft and 2025-09 packages whenever one is written. The maximum
// is Package.MaxScore. Samples never count unless their testdata.yaml
// gives them a score.
func Score(pkg *problem.Package, res *judge.Result) (score, maxScore float64) {
	_, score = pkg.Grade(outcomes(pkg, res))
	return score, pkg.MaxScore()
}

// outputValidatorCompileError compiles the output validator on its own and
// returns the compiler's message if it fails. Judging reports a validator
// that does not compile as an internal error of every submission, with the
// details only in the judge's log; an author needs the compiler output.
// Validators the judge can only take as an output validator (over the
// source cap) are left to judging.
func outputValidatorCompileError(ctx context.Context, pkg *problem.Package, j Judger) string {
	v := pkg.OutputValidator
	cases := pkg.Cases()
	if v == nil || len(cases) == 0 {
		return ""
	}
	sub, err := Submission(*v)
	if err != nil || sourceBytes(sub) > judge.MaxSourceBytes {
		return ""
	}
	// Compiled as the program under test; its run (without the Kattis
	// arguments) means nothing and is not looked at.
	jp := &judge.Problem{Name: pkg.ShortName + " output validator", TimeLimit: time.Second, MemoryBytes: 256 << 20,
		Tests: []judge.Test{{Name: cases[0].Name, InputPath: cases[0].In}}}
	res, err := j.Judge(ctx, jp, sub, judge.Options{})
	if err != nil || res.Verdict != judge.CE {
		return ""
	}
	return fmt.Sprintf("output validator %s does not compile:\n%s", v.Name, firstLines(res.Message, 8))
}

// sourceBytes is what the judge counts against its source cap.
func sourceBytes(sub judge.Submission) int {
	n := len(sub.Source)
	for _, data := range sub.Files {
		n += len(data)
	}
	return n
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}

// expectLabel says in a few characters what a folder promises.
func expectLabel(row Row) string {
	switch {
	case row.Expected == "partially_accepted":
		return "0<score<max"
	case row.Expected == "rejected" && len(row.Want) > 0 && !strings.Contains(row.Want[0], "some"):
		return "not AC"
	case row.Expected == "slow_accepted":
		return "AC (limit×margin)"
	case row.Expected == "time_limit_exceeded" && len(row.Want) == 1 && row.Want[0] == "TLE":
		return "TLE (limit×margin)"
	}
	if len(row.Want) > 0 && strings.ContainsAny(row.Want[0], " ") {
		return row.Expected // 2025-09 rules: the folder's name says it
	}
	return strings.Join(row.Want, "|")
}

func gotLabel(row Row) string {
	if row.Scored && !math.IsInf(row.MaxScore, 1) {
		return fmt.Sprintf("%s %g/%g", row.Got, row.Score, row.MaxScore)
	}
	if row.Scored {
		return fmt.Sprintf("%s %g", row.Got, row.Score)
	}
	return row.Got
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }
