package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
)

// Error is an API error: an HTTP status and a stable code with a message
// safe to show. Handlers in other packages may return it too.
type Error struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration // sent as Retry-After when > 0
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// statusOf maps the stable codes of package auth (and our own) to statuses.
var statusOf = map[string]int{
	"invalid_json":           http.StatusBadRequest,
	"unknown_field":          http.StatusBadRequest,
	"invalid_request":        http.StatusBadRequest,
	"invalid_username":       http.StatusBadRequest,
	"invalid_password":       http.StatusBadRequest,
	"oauth_state_invalid":    http.StatusBadRequest,
	"oauth_token_invalid":    http.StatusBadRequest,
	"oauth_denied":           http.StatusBadRequest,
	"bad_credentials":        http.StatusUnauthorized,
	"unauthenticated":        http.StatusUnauthorized,
	"forbidden_origin":       http.StatusForbidden,
	"forbidden":              http.StatusForbidden,
	"account_disabled":       http.StatusForbidden,
	"not_found":              http.StatusNotFound,
	"provider_unknown":       http.StatusNotFound,
	"method_not_allowed":     http.StatusMethodNotAllowed,
	"username_taken":         http.StatusConflict,
	"identity_taken":         http.StatusConflict,
	"body_too_large":         http.StatusRequestEntityTooLarge,
	"unsupported_media_type": http.StatusUnsupportedMediaType,
	"rate_limited":           http.StatusTooManyRequests,
	"internal":               http.StatusInternalServerError,
	"oauth_provider_error":   http.StatusBadGateway,
	"unavailable":            http.StatusServiceUnavailable,
}

// toAPIError turns any error into an *Error. Unknown errors become
// "internal" with a generic message (details go to the log, not the client).
func toAPIError(err error) (*Error, bool) {
	var ae *Error
	if errors.As(err, &ae) {
		return ae, true
	}
	var au *auth.Error
	if errors.As(err, &au) {
		st, ok := statusOf[au.Code]
		if !ok {
			st = http.StatusBadRequest
		}
		return &Error{Status: st, Code: au.Code, Message: au.Message, RetryAfter: au.RetryAfter}, true
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}, false
}

func newError(code, msg string) *Error {
	return &Error{Status: statusOf[code], Code: code, Message: msg}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// WriteJSON writes v as JSON with status. API responses are never cached.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do
}

// WriteError writes err as {"error":{"code","message"}}. Internal errors are
// logged with the request's route; their text never reaches the client.
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	ae, known := toAPIError(err)
	if !known || ae.Status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", routeOf(r), "err", err)
	} else if e := errors.Unwrap(err); e != nil {
		// Refusals with a cause (e.g. why an ID token was rejected) are
		// worth a debug line for operators chasing a sign-in problem.
		s.log.DebugContext(r.Context(), "request refused", "code", ae.Code, "err", err)
	}
	if ae.RetryAfter > 0 {
		secs := int((ae.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
	}
	WriteJSON(w, ae.Status, errorBody{Error: errorDetail{Code: ae.Code, Message: ae.Message}})
}

// DecodeJSON reads exactly one JSON object from the body into v: at most
// the server's body limit, a JSON (or absent) Content-Type, no unknown
// fields, nothing after the value. It returns an *Error ready to write.
func (s *Server) DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			// Refusing form and text bodies also closes the door on
			// "simple" cross-site requests, on top of the Origin check.
			return newError("unsupported_media_type", "Content-Type must be application/json (curl: --json, or -H 'Content-Type: application/json')")
		}
	}
	if r.ContentLength > s.bodyLimit {
		return newError("body_too_large", fmt.Sprintf("request body exceeds %d bytes", s.bodyLimit))
	}
	body := http.MaxBytesReader(w, r.Body, s.bodyLimit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, s.bodyLimit)
	}
	// Exactly one value: anything but whitespace after it is an error, so
	// `{"a":1}{"b":2}` or `{...}garbage` cannot slip through half-read.
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return decodeError(err, s.bodyLimit)
		}
		return newError("invalid_json", "unexpected data after the JSON object")
	}
	return nil
}

func decodeError(err error, limit int64) *Error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return newError("body_too_large", fmt.Sprintf("request body exceeds %d bytes", limit))
	case errors.Is(err, io.EOF):
		return newError("invalid_json", "request body is empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return newError("invalid_json", "request body is truncated JSON")
	case errors.As(err, &se):
		return newError("invalid_json", fmt.Sprintf("malformed JSON at byte %d", se.Offset))
	case errors.As(err, &te):
		if te.Field != "" {
			return newError("invalid_json", fmt.Sprintf("field %q must be a %s", te.Field, te.Type))
		}
		return newError("invalid_json", fmt.Sprintf("expected a JSON %s", te.Type))
	case strings.Contains(err.Error(), "unknown field"):
		// encoding/json has no typed error for this; its text names the field.
		_, field, _ := strings.Cut(err.Error(), "unknown field ")
		return newError("unknown_field", "unknown field "+field)
	}
	return newError("invalid_json", "malformed JSON")
}
