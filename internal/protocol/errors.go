package protocol

import (
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
)

// ErrorData is the data of an `error` frame and, on REST, the "error"
// member of an error body: the same fields on both transports.
type ErrorData struct {
	Code    errcode.Code `json:"code"`
	Message string       `json:"message"`
	// RetryAfterMS: trying again before this many milliseconds is refused.
	RetryAfterMS int64 `json:"retry_after_ms,omitempty"`
	// CooldownUntil: queueing is paused until then (queue_cooldown).
	CooldownUntil string `json:"cooldown_until,omitempty"`
	// Limit: the bound that was exceeded (bytes for sizes).
	Limit int64 `json:"limit,omitempty"`
	// Issues: every problem found in a refused problem package.
	Issues []errcode.Issue `json:"issues,omitempty"`
}

// ErrorOf is the wire form of e.
func ErrorOf(e *errcode.Error) ErrorData {
	d := ErrorData{Code: e.Code, Message: e.Message, Limit: e.Limit, Issues: e.Issues}
	if e.RetryAfter > 0 {
		d.RetryAfterMS = max(1, (e.RetryAfter + time.Millisecond - 1).Milliseconds())
	}
	if !e.CooldownUntil.IsZero() {
		d.CooldownUntil = Time(e.CooldownUntil)
	}
	return d
}

// Time formats t as the protocol's RFC 3339 UTC with milliseconds.
func Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// TimePtr is Time or nil for the zero time (JSON null).
func TimePtr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := Time(t)
	return &s
}

// AsError is the *errcode.Error d describes (the inverse of ErrorOf), for
// errors that crossed a node boundary.
func (d ErrorData) AsError() *errcode.Error {
	e := &errcode.Error{Code: d.Code, Message: d.Message, Limit: d.Limit, Issues: d.Issues,
		RetryAfter: time.Duration(d.RetryAfterMS) * time.Millisecond}
	if d.CooldownUntil != "" {
		e.CooldownUntil, _ = time.Parse(time.RFC3339Nano, d.CooldownUntil)
	}
	return e
}
