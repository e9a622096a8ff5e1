package judge

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
)

// CheckerFlags are the options of the default output validator, with the
// meaning Kattis gives them.
type CheckerFlags struct {
	CaseSensitive        bool
	SpaceChangeSensitive bool
	FloatAbsTolerance    float64 // < 0: not set
	FloatRelTolerance    float64 // < 0: not set
}

// ParseCheckerFlags reads validator_flags for the default validator:
// case_sensitive, space_change_sensitive, float_relative_tolerance E,
// float_absolute_tolerance E, float_tolerance E (both at once).
func ParseCheckerFlags(args []string) (CheckerFlags, error) {
	f := CheckerFlags{FloatAbsTolerance: -1, FloatRelTolerance: -1}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "case_sensitive":
			f.CaseSensitive = true
		case "space_change_sensitive":
			f.SpaceChangeSensitive = true
		case "float_relative_tolerance", "float_absolute_tolerance", "float_tolerance":
			if i+1 >= len(args) {
				return f, fmt.Errorf("validator flag %s needs a value", a)
			}
			i++
			e, err := strconv.ParseFloat(args[i], 64)
			if err != nil || e < 0 || math.IsNaN(e) || math.IsInf(e, 0) {
				return f, fmt.Errorf("validator flag %s: bad tolerance %q", a, args[i])
			}
			switch a {
			case "float_relative_tolerance":
				f.FloatRelTolerance = e
			case "float_absolute_tolerance":
				f.FloatAbsTolerance = e
			default:
				f.FloatRelTolerance, f.FloatAbsTolerance = e, e
			}
		default:
			return f, fmt.Errorf("unknown validator flag %q", a)
		}
	}
	return f, nil
}

// floatRE is the float syntax the checker compares numerically: plain
// decimal notation only, so "inf", "nan" or "0x1p3" stay strings.
var floatRE = regexp.MustCompile(`^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// scanner walks whitespace-separated tokens, keeping the whitespace before
// each token and the line number for messages.
type scanner struct {
	b    []byte
	pos  int
	line int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// next returns the whitespace before the next token and the token; tok is
// nil at the end (ws then holds the trailing whitespace).
func (s *scanner) next() (ws, tok []byte, line int) {
	start := s.pos
	for s.pos < len(s.b) && isSpace(s.b[s.pos]) {
		if s.b[s.pos] == '\n' {
			s.line++
		}
		s.pos++
	}
	ws = s.b[start:s.pos]
	start = s.pos
	for s.pos < len(s.b) && !isSpace(s.b[s.pos]) {
		s.pos++
	}
	if start == s.pos {
		return ws, nil, s.line + 1
	}
	return ws, s.b[start:s.pos], s.line + 1
}

// Check compares a program's output with the judge's answer. It returns
// whether the output is accepted and, if not, a one-line reason.
func Check(output, answer []byte, f CheckerFlags) (bool, string) {
	team := scanner{b: output}
	judge := scanner{b: answer}
	for n := 1; ; n++ {
		jws, jtok, jline := judge.next()
		tws, ttok, tline := team.next()
		if f.SpaceChangeSensitive && !bytes.Equal(jws, tws) {
			return false, fmt.Sprintf("whitespace differs before token %d (line %d of output, line %d of answer)", n, tline, jline)
		}
		switch {
		case jtok == nil && ttok == nil:
			return true, ""
		case jtok == nil:
			return false, fmt.Sprintf("trailing output from token %d (line %d): %s", n, tline, quote(ttok))
		case ttok == nil:
			return false, fmt.Sprintf("output ended at token %d, answer has more: expected %s (line %d of answer)", n, quote(jtok), jline)
		}
		if ok, why := tokensMatch(jtok, ttok, f); !ok {
			return false, fmt.Sprintf("token %d (line %d of output) %s: expected %s, got %s", n, tline, why, quote(jtok), quote(ttok))
		}
	}
}

func tokensMatch(judge, team []byte, f CheckerFlags) (bool, string) {
	if (f.FloatAbsTolerance >= 0 || f.FloatRelTolerance >= 0) && floatRE.Match(judge) {
		jv, jerr := strconv.ParseFloat(string(judge), 64)
		if jerr == nil {
			if !floatRE.Match(team) {
				return false, "is not a number"
			}
			tv, terr := strconv.ParseFloat(string(team), 64)
			if terr != nil && !isRangeErr(terr) {
				return false, "is not a number"
			}
			d := math.Abs(jv - tv)
			if f.FloatAbsTolerance >= 0 && d <= f.FloatAbsTolerance {
				return true, ""
			}
			if f.FloatRelTolerance >= 0 && d <= f.FloatRelTolerance*math.Abs(jv) {
				return true, ""
			}
			return false, "is outside the tolerance"
		}
	}
	if f.CaseSensitive {
		if bytes.Equal(judge, team) {
			return true, ""
		}
	} else if bytes.EqualFold(judge, team) {
		return true, ""
	}
	return false, "differs"
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// quote shows a token in a message, cut so that a flood of output does not
// become a flood of message.
func quote(tok []byte) string {
	const max = 64
	if len(tok) > max {
		return strconv.Quote(string(tok[:max])) + "..."
	}
	return strconv.Quote(string(tok))
}
