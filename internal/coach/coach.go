// Package coach explains what an accepted solution costs and how to do
// better: a static estimate from the code (package static), a measured
// estimate from running it on growing inputs (MeasureGenerated, package fit),
// their combination, and coaching text written offline from the findings or
// by an LLM when one is configured.
package coach

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/static"
)

// Stable error codes for user-facing failures.
const (
	CodeUnsupportedLanguage = "coach.unsupported_language"
	CodeParse               = "coach.parse_failed"
	CodeMeasure             = "coach.measure_failed"
	CodeProblem             = "coach.bad_problem"
	CodeNoGrammar           = "coach.no_grammar"
)

// Error is a user-facing coach error with a stable code.
type Error struct {
	Code string
	Err  error
}

func (e *Error) Error() string { return e.Code + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// LangAliases maps what people type to the analyser's language names.
var LangAliases = map[string]string{
	"py": "python", "python": "python", "python3": "python",
	"c":   "c",
	"cpp": "cpp", "c++": "cpp", "cc": "cpp", "cxx": "cpp",
	"go": "go", "golang": "go",
	"js": "javascript", "javascript": "javascript", "node": "javascript",
	"java": "java",
	"rs":   "rust", "rust": "rust",
}

// NormalizeLang resolves an alias or file extension (without dot) to a
// language name. A name the coach has no grammar for is kept as it is
// (lower case): such solutions are measured only.
func NormalizeLang(s string) (string, error) {
	k := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))
	if l, ok := LangAliases[k]; ok {
		return l, nil
	}
	if k == "" || !langNameRe.MatchString(k) {
		return "", &Error{Code: CodeUnsupportedLanguage, Err: fmt.Errorf("bad language name %q", s)}
	}
	return k, nil
}

var langNameRe = regexp.MustCompile(`^[a-z][a-z0-9+#_-]{0,31}$`)

// LLM writes coaching text. llm.Client implements it; nil means offline.
type LLM interface {
	Complete(ctx context.Context, system, user string) (string, error)
	Name() string
}

// Options configure one analysis.
type Options struct {
	Measure MeasureOptions
	LLM     LLM
	// Analyser is the static analyser's language when it differs from
	// the judge's (languages.yaml's coach key: PyPy is read as Python);
	// "" = lang itself. A language with neither is measured only.
	Analyser string
}

// Report is everything the coach says about one solution, written from
// one Decision: the headline (Time, Space, Confidence, DecidedBy,
// Reason), the static and measured sections and the text agree because
// they all come from it. It is the JSON the UI renders.
type Report struct {
	Lang           string         `json:"lang"`
	Static         *static.Result `json:"static,omitempty"`
	StaticError    string         `json:"static_error,omitempty"`
	Empirical      *Empirical     `json:"empirical,omitempty"`
	EmpiricalError string         `json:"empirical_error,omitempty"`
	// Time is the decided class, or "inconclusive" (the evidence does not
	// settle it; Reason and Checks say why) or "unknown".
	Time       bigo.Complexity `json:"time"`
	Space      bigo.Complexity `json:"space"`
	Confidence float64         `json:"confidence"` // of the time class, 0..1
	DecidedBy  string          `json:"decided_by"` // "static analysis and measurement", "static analysis", "measurement" or ""
	Reason     string          `json:"reason"`
	Checks     []Check         `json:"checks,omitempty"`
	Variables  []string        `json:"variables,omitempty"` // what the classes are written in
	Intended   Intended        `json:"intended"`
	// Verdict compares Time with the intended time: "meets", "slower",
	// "faster", "inconclusive" (no class), "unknown" (no intended class,
	// or the two do not compare, e.g. O(n·m) against O(n²)).
	Verdict    string `json:"verdict"`
	Text       string `json:"text"`
	TextSource string `json:"text_source"` // "offline" or "llm:<model>"
	TextError  string `json:"text_error,omitempty"`
}

// Analyze produces the report for src. prob may be nil (no intended
// complexity, no inputs); runner may be nil (static analysis only). A failure
// of one side is recorded in the report and the other side still counts; an
// error is returned only when nothing could be said.
func Analyze(ctx context.Context, lang string, src []byte, prob *Problem, runner Runner, opt Options) (*Report, error) {
	lang, err := NormalizeLang(lang)
	if err != nil {
		return nil, err
	}
	rep := &Report{Lang: lang}
	var pc static.Context
	var sizes []string
	if prob != nil {
		rep.Intended = prob.Intended
		pc, sizes = prob.Context, prob.Sizes
	}
	for _, v := range pc.Vars {
		rep.Variables = append(rep.Variables, v.Name)
	}
	grammar := lang
	if opt.Analyser != "" {
		if g, err := NormalizeLang(opt.Analyser); err == nil {
			grammar = g
		}
	}
	if !static.Supported(grammar) {
		rep.StaticError = (&Error{Code: CodeNoGrammar, Err: fmt.Errorf("the coach has no grammar for %s: it measures only", lang)}).Error()
	} else if st, err := static.AnalyzeIn(grammar, src, pc); err != nil {
		rep.StaticError = (&Error{Code: CodeParse, Err: err}).Error()
	} else {
		rep.Static = &st
	}
	if runner != nil && prob != nil {
		mo := opt.Measure
		mo.Sizes = sizes
		if mo.NeedAxes == nil {
			st := rep.Static
			mo.NeedAxes = func(diag Axis) bool { return NeedsAxes(st, diag, pc, sizes) }
		}
		var emp *Empirical
		var err error
		switch {
		case prob.Interactive:
			err = errors.New("an interactive problem: its solutions talk to an interactor and are not timed alone")
		case prob.HasGenerator():
			emp, err = MeasureGenerated(ctx, runner, prob.Generate, mo)
		case len(prob.Tests()) > 0:
			mo.Sizes = nil
			emp, err = MeasureTests(ctx, runner, prob.Tests(), mo)
		default:
			err = errors.New("the problem has neither a generator nor tests")
		}
		if err != nil {
			rep.EmpiricalError = (&Error{Code: CodeMeasure, Err: err}).Error()
		} else {
			rep.Empirical = emp
		}
	}
	if rep.Static == nil && rep.Empirical == nil {
		if rep.StaticError != "" && rep.EmpiricalError == "" {
			return rep, errors.New(rep.StaticError)
		}
		if rep.EmpiricalError == "" {
			return rep, &Error{Code: CodeMeasure, Err: errors.New("nothing to measure with: " + rep.StaticError)}
		}
		return rep, &Error{Code: CodeMeasure, Err: errors.New(rep.EmpiricalError)}
	}
	d := Decide(rep.Static, rep.Empirical, pc, sizes)
	rep.Time, rep.Space, rep.Confidence, rep.DecidedBy, rep.Reason, rep.Checks = d.Time, d.Space, d.Confidence, d.By, d.Reason, d.Checks
	rep.Verdict = verdict(rep.Time, rep.Intended.Time)
	rep.Text, rep.TextSource = OfflineText(rep, prob), "offline"
	if opt.LLM != nil {
		text, err := opt.LLM.Complete(ctx, systemPrompt, UserPrompt(rep, src))
		if err != nil {
			rep.TextError = err.Error()
		} else {
			rep.Text, rep.TextSource = text, "llm:"+opt.LLM.Name()
		}
	}
	return rep, nil
}

func verdict(got, want bigo.Complexity) string {
	switch {
	case !got.OK && got.Label == "inconclusive":
		return "inconclusive"
	case !got.OK || !want.OK:
		return "unknown"
	}
	c, ok := bigo.Compare(got.Expr, want.Expr)
	switch {
	case !ok:
		return "unknown"
	case c > 0:
		return "slower"
	case c < 0:
		return "faster"
	}
	return "meets"
}
