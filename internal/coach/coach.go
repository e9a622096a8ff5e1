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

// NormalizeLang resolves an alias or file extension (without dot).
func NormalizeLang(s string) (string, error) {
	if l, ok := LangAliases[strings.ToLower(strings.TrimPrefix(s, "."))]; ok {
		return l, nil
	}
	return "", &Error{Code: CodeUnsupportedLanguage, Err: fmt.Errorf("unsupported language %q (want one of py, c, cpp, go, js, java, rust)", s)}
}

// LLM writes coaching text. llm.Client implements it; nil means offline.
type LLM interface {
	Complete(ctx context.Context, system, user string) (string, error)
	Name() string
}

// Options configure one analysis.
type Options struct {
	Measure MeasureOptions
	LLM     LLM
}

// Report is everything the coach says about one solution. It is the JSON
// the UI renders (evidence lines, measured points for the plot, text).
type Report struct {
	Lang           string         `json:"lang"`
	Static         *static.Result `json:"static,omitempty"`
	StaticError    string         `json:"static_error,omitempty"`
	Empirical      *Empirical     `json:"empirical,omitempty"`
	EmpiricalError string         `json:"empirical_error,omitempty"`
	Time           bigo.Class     `json:"time"`
	Space          bigo.Class     `json:"space"`
	Reason         string         `json:"reason"`
	Intended       Intended       `json:"intended"`
	Verdict        string         `json:"verdict"` // "meets", "slower", "faster", "unknown"
	Text           string         `json:"text"`
	TextSource     string         `json:"text_source"` // "offline" or "llm:<model>"
	TextError      string         `json:"text_error,omitempty"`
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
	if prob != nil {
		rep.Intended = prob.Intended
	}
	if st, err := static.Analyze(lang, src); err != nil {
		rep.StaticError = (&Error{Code: CodeParse, Err: err}).Error()
	} else {
		rep.Static = &st
	}
	if runner != nil && prob != nil {
		var emp *Empirical
		var err error
		switch {
		case prob.HasGenerator():
			emp, err = MeasureGenerated(ctx, runner, prob.Generate, opt.Measure)
		case len(prob.Tests()) > 0:
			emp, err = MeasureTests(ctx, runner, prob.Tests(), opt.Measure)
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
		if rep.StaticError != "" {
			return rep, errors.New(rep.StaticError)
		}
		return rep, &Error{Code: CodeMeasure, Err: errors.New(rep.EmpiricalError)}
	}
	stTime, stSpace := bigo.Unknown, bigo.Unknown
	if rep.Static != nil {
		stTime, stSpace = rep.Static.Time, rep.Static.Space
	}
	rep.Time, rep.Reason = Combine(stTime, rep.Empirical)
	rep.Space = combineSpace(stSpace, rep.Empirical)
	rep.Verdict = verdict(rep.Time, rep.Intended.Time)
	rep.Text, rep.TextSource = OfflineText(rep), "offline"
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

func verdict(got, want bigo.Class) string {
	switch {
	case got == bigo.Unknown || want == bigo.Unknown:
		return "unknown"
	case got > want:
		return "slower"
	case got < want:
		return "faster"
	}
	return "meets"
}

// combineSpace follows the same rule as time, on the memory fit. Peak RSS
// includes the runtime's own heap, so only a clear contradiction counts.
func combineSpace(st bigo.Class, emp *Empirical) bigo.Class {
	if emp == nil || emp.Space == bigo.Unknown || emp.Space == st {
		if st == bigo.Unknown && emp != nil {
			return emp.Space
		}
		return st
	}
	if st == bigo.Unknown {
		return emp.Space
	}
	f := emp.SpaceFit
	floor := float64(len(emp.Points)) * f.Noise * f.Noise
	if !bigo.LogNeighbours(st, emp.Space) && (f.SSR(st)+floor)/(f.SSR(emp.Space)+floor) >= 10 && emp.Space > st {
		return emp.Space
	}
	return st
}
