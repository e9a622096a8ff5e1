package problem

import (
	"errors"
	"fmt"
	"strings"
)

// Stable codes of problems found in a package. User-facing messages carry
// them so that tools and the web UI can react without parsing text.
const (
	CodeBadYAML     = "bad_yaml"      // a YAML file does not parse
	CodeBadType     = "bad_type"      // a key has a value of the wrong type
	CodeBadValue    = "bad_value"     // right type, impossible value
	CodeUnknownKey  = "unknown_key"   // warning: key we do not know
	CodeMissing     = "missing"       // a required file or directory is absent
	CodeUnsupported = "unsupported"   // valid Kattis, not supported here
	CodeBadLayout   = "bad_layout"    // files in places they cannot be
	CodeBadArchive  = "bad_archive"   // unsafe or malformed zip
	CodeVerify      = "verify_failed" // a submission or validator disagreed
)

// Severity of an Issue.
type Severity int

const (
	Warning Severity = iota
	Error
)

// Issue is one problem found in a package. Path is relative to the package
// root (or a key path inside a YAML file, e.g. "problem.yaml: limits.memory").
type Issue struct {
	Severity Severity
	Code     string
	Path     string
	Msg      string
}

func (i Issue) String() string {
	if i.Path == "" {
		return i.Msg
	}
	return i.Path + ": " + i.Msg
}

// LoadError is returned when a package has at least one error. It lists every
// error found, not only the first, so an author fixes them in one pass.
type LoadError struct {
	Dir      string
	Issues   []Issue // errors
	Warnings []Issue // warnings found on the way, shown with the errors
}

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "problem package %s: %d error(s)", e.Dir, len(e.Issues))
	for _, is := range e.Issues {
		b.WriteString("\n  [")
		b.WriteString(is.Code)
		b.WriteString("] ")
		b.WriteString(is.String())
	}
	return b.String()
}

// Code returns the code of the first error, the stable code of the whole.
func (e *LoadError) Code() string {
	if len(e.Issues) == 0 {
		return ""
	}
	return e.Issues[0].Code
}

// HasCode reports whether err is (or wraps) a LoadError or ArchiveError with
// an issue of the given code.
func HasCode(err error, code string) bool {
	var le *LoadError
	if errors.As(err, &le) {
		for _, is := range le.Issues {
			if is.Code == code {
				return true
			}
		}
	}
	var ae *ArchiveError
	if errors.As(err, &ae) {
		return code == CodeBadArchive
	}
	return false
}

// report collects issues while loading.
type report struct {
	issues []Issue
}

func (r *report) errorf(code, path, format string, args ...any) {
	r.issues = append(r.issues, Issue{Severity: Error, Code: code, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (r *report) warnf(code, path, format string, args ...any) {
	r.issues = append(r.issues, Issue{Severity: Warning, Code: code, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (r *report) split() (errs, warns []Issue) {
	for _, is := range r.issues {
		if is.Severity == Error {
			errs = append(errs, is)
		} else {
			warns = append(warns, is)
		}
	}
	return errs, warns
}

// ErrorCode returns the stable code of an error from this package or its
// sub-packages (anything with a Code() string method: *LoadError,
// *ArchiveError, verify's *FailedError), "" for other errors.
func ErrorCode(err error) string {
	var c interface{ Code() string }
	if errors.As(err, &c) {
		return c.Code()
	}
	return ""
}
