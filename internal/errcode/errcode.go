// Package errcode is SegFault Arena's one error model: the stable codes a
// client can receive and the one error type that carries them. It imports
// no other package of the project, so every layer can use it.
//
// Domain code returns an *Error; the transports map it once each: httpapi
// to an HTTP status and {"error":{...}}, realtime to an `error` frame. A
// code is never renamed on the way: the code the domain chose is the code
// the client sees, on REST and on the WebSocket alike. Any other error is
// an internal error: its text goes to the log, never to the client.
package errcode

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable, machine-readable error code ("code_too_large"). Codes
// are part of the API: never rename one; add a new one instead.
type Code string

// Error is a refusal a client may see: a code, a message safe to show, and
// optional data. Err, the cause, is for logs only.
type Error struct {
	Code    Code
	Message string
	// RetryAfter says when trying again may succeed (REST: Retry-After
	// header and retry_after_ms; WebSocket: retry_after_ms).
	RetryAfter time.Duration
	// CooldownUntil is when a queueing cooldown ends (cooldown_until).
	CooldownUntil time.Time
	// Limit is the bound that was exceeded, in the unit the message names
	// (bytes for sizes).
	Limit int64
	// Issues lists every problem found in a refused input (a problem
	// package), so its author can fix them all at once.
	Issues []Issue
	// Err is the cause, kept for the log.
	Err error
}

// Issue is one problem found in a refused input.
type Issue struct {
	Code    string `json:"code"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// New returns an *Error with code and msg.
func New(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code Code, format string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...)}
}

func (e *Error) Error() string {
	if e.Err != nil {
		return string(e.Code) + ": " + e.Message + ": " + e.Err.Error()
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches any *Error with the same code: errors.Is(err, ErrSentinel)
// holds for copies of a sentinel made with Wrap or WithMessage.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Wrap returns a copy of e with cause as its Err.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.Err = cause
	return &c
}

// WithMessage returns a copy of e with another message.
func (e *Error) WithMessage(msg string) *Error {
	c := *e
	c.Message = msg
	return &c
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// CodeOf is the code of err, Internal for any error that is not an *Error
// (nil included, which is not an error at all and should not be asked).
func CodeOf(err error) Code {
	if e, ok := As(err); ok {
		return e.Code
	}
	return Internal
}
