package judge

import (
	"errors"
	"fmt"

	"github.com/segfaultarena/segfault/internal/errcode"
)

// Stable codes of the errors a submitter or a problem author can cause. They
// are part of the API: callers (HTTP, CLI) show them as they are, so those a
// player can see are the codes of package errcode, never renamed on the way.
const (
	CodeUnsupportedLanguage = string(errcode.LanguageUnsupported) // no such language id or alias
	CodeLanguageUnavailable = string(errcode.LanguageUnavailable) // known language, toolchain missing on this worker
	CodeEmptySource         = string(errcode.CodeEmpty)
	CodeSourceTooLarge      = string(errcode.CodeTooLarge)
	CodeInvalidEncoding     = string(errcode.CodeNotUTF8) // not UTF-8 where the language requires it
	CodeNoTests             = "no_tests"
	CodeBadProblem          = "bad_problem"   // the problem itself is unusable (limits, files)
	CodeBadArguments        = "bad_arguments" // program arguments the judge will not pass (NUL, too many, too long)
)

// Error is a rejected request: nothing was compiled or run, nothing was
// written. Message is meant for the person who sent the request.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(code, format string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...)}
}

// ErrorCode returns the stable code of err, or "" when err is not a judge
// request error (an internal failure).
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
