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

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// statusOf is the one mapping of error codes to HTTP statuses. Every code
// of errcode.All has one (a test checks).
var statusOf = map[errcode.Code]int{
	errcode.InvalidRequest:       http.StatusBadRequest,
	errcode.InvalidJSON:          http.StatusBadRequest,
	errcode.UnknownField:         http.StatusBadRequest,
	errcode.BodyTooLarge:         http.StatusRequestEntityTooLarge,
	errcode.UnsupportedMediaType: http.StatusUnsupportedMediaType,
	errcode.MethodNotAllowed:     http.StatusMethodNotAllowed,
	errcode.NotFound:             http.StatusNotFound,
	errcode.Forbidden:            http.StatusForbidden,
	errcode.ForbiddenOrigin:      http.StatusForbidden,
	errcode.RateLimited:          http.StatusTooManyRequests,
	errcode.Cancelled:            http.StatusRequestTimeout,
	errcode.Internal:             http.StatusInternalServerError,
	errcode.Unavailable:          http.StatusServiceUnavailable,

	errcode.BadFrame:           http.StatusBadRequest,
	errcode.FrameTooLarge:      http.StatusRequestEntityTooLarge,
	errcode.UnsupportedVersion: http.StatusBadRequest,
	errcode.UnknownType:        http.StatusBadRequest,
	errcode.NotHello:           http.StatusBadRequest,
	errcode.TooManyConnections: http.StatusTooManyRequests,

	errcode.InvalidUsername:    http.StatusBadRequest,
	errcode.InvalidPassword:    http.StatusBadRequest,
	errcode.UsernameTaken:      http.StatusConflict,
	errcode.BadCredentials:     http.StatusUnauthorized,
	errcode.Unauthenticated:    http.StatusUnauthorized,
	errcode.AccountDisabled:    http.StatusForbidden,
	errcode.ProviderUnknown:    http.StatusNotFound,
	errcode.OAuthStateInvalid:  http.StatusBadRequest,
	errcode.OAuthTokenInvalid:  http.StatusBadRequest,
	errcode.OAuthDenied:        http.StatusBadRequest,
	errcode.OAuthProviderError: http.StatusBadGateway,
	errcode.IdentityTaken:      http.StatusConflict,
	errcode.UsernameReserved:   http.StatusConflict,
	errcode.PasswordTooCommon:  http.StatusBadRequest,
	errcode.ProofOfWorkInvalid: http.StatusBadRequest,

	errcode.AlreadyQueued:     http.StatusConflict,
	errcode.AlreadyInMatch:    http.StatusConflict,
	errcode.QueueCooldown:     http.StatusTooManyRequests,
	errcode.NotQueued:         http.StatusConflict,
	errcode.MatchNotFound:     http.StatusNotFound,
	errcode.NotInMatch:        http.StatusForbidden,
	errcode.AcceptExpired:     http.StatusConflict,
	errcode.AlreadyAccepted:   http.StatusConflict,
	errcode.MatchNotRunning:   http.StatusConflict,
	errcode.DeadlinePassed:    http.StatusConflict,
	errcode.RoomNotFound:      http.StatusNotFound,
	errcode.RoomFull:          http.StatusConflict,
	errcode.NotRoomHost:       http.StatusForbidden,
	errcode.RoomTooSmall:      http.StatusConflict,
	errcode.ProblemNotFound:   http.StatusNotFound,
	errcode.SpectateForbidden: http.StatusForbidden,
	errcode.GhostNotFound:     http.StatusNotFound,
	errcode.RankedLocked:      http.StatusForbidden,
	errcode.TimelineResync:    http.StatusConflict,
	errcode.RematchClosed:     http.StatusConflict,
	errcode.AlreadySolved:     http.StatusConflict,
	errcode.TimelineTooLarge:  http.StatusRequestEntityTooLarge,
	errcode.TimelineFull:      http.StatusRequestEntityTooLarge,
	errcode.ProblemInMatch:    http.StatusConflict,

	errcode.LanguageUnsupported: http.StatusBadRequest,
	errcode.LanguageUnavailable: http.StatusServiceUnavailable,
	errcode.CodeEmpty:           http.StatusBadRequest,
	errcode.CodeTooLarge:        http.StatusRequestEntityTooLarge,
	errcode.CodeNotUTF8:         http.StatusBadRequest,
	errcode.InputTooLarge:       http.StatusRequestEntityTooLarge,
	errcode.InputNotUTF8:        http.StatusBadRequest,
	errcode.JudgeBusy:           http.StatusTooManyRequests,
	errcode.JudgeSaturated:      http.StatusServiceUnavailable,
	errcode.NoSamples:           http.StatusConflict,
	errcode.NoCoachReport:       http.StatusNotFound,

	errcode.ProblemConflict:   http.StatusConflict,
	errcode.MissingID:         http.StatusBadRequest,
	errcode.IDMismatch:        http.StatusBadRequest,
	errcode.VerifyUnavailable: http.StatusBadRequest,
	errcode.BadArchive:        http.StatusBadRequest,
	errcode.BadYAML:           http.StatusBadRequest,
	errcode.BadType:           http.StatusBadRequest,
	errcode.BadValue:          http.StatusBadRequest,
	errcode.Missing:           http.StatusBadRequest,
	errcode.Unsupported:       http.StatusBadRequest,
	errcode.BadLayout:         http.StatusBadRequest,
	errcode.VerifyFailed:      http.StatusBadRequest,

	errcode.DecisionConflict: http.StatusConflict,

	errcode.ChatEmpty:           http.StatusBadRequest,
	errcode.ChatTooLong:         http.StatusRequestEntityTooLarge,
	errcode.ChatInvalidText:     http.StatusBadRequest,
	errcode.ChatForbidden:       http.StatusForbidden,
	errcode.ChatTimedOut:        http.StatusForbidden,
	errcode.ChatMessageNotFound: http.StatusNotFound,
	errcode.TournamentClosed:    http.StatusConflict,
	errcode.TournamentFull:      http.StatusConflict,
	errcode.InTournament:        http.StatusConflict,
}

// Status is the HTTP status of code (500 for a code without one, which a
// test rules out).
func Status(code errcode.Code) int {
	if st, ok := statusOf[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// errInternal is what a client sees of any error that is not an
// *errcode.Error.
var errInternal = errcode.New(errcode.Internal, "internal error")

// clientError is the *errcode.Error err carries, or errInternal.
func clientError(err error) (e *errcode.Error, known bool) {
	if e, ok := errcode.As(err); ok {
		return e, true
	}
	return errInternal, false
}

type errorBody struct {
	Error protocol.ErrorData `json:"error"`
}

// WriteJSON writes v as JSON with status. API responses are never cached.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do
}

// WriteError writes err as {"error":{"code","message",...}} with the
// status of its code. Internal errors are logged with the request's route;
// their text never reaches the client.
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e, known := clientError(err)
	status := Status(e.Code)
	if !known || status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", routeOf(r), "err", err)
	} else if e.Err != nil {
		// Refusals with a cause (e.g. why an ID token was rejected) are
		// worth a debug line for operators chasing a sign-in problem.
		s.log.DebugContext(r.Context(), "request refused", "code", e.Code, "err", err)
	}
	if e.RetryAfter > 0 {
		secs := int((e.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
	}
	WriteJSON(w, status, errorBody{Error: protocol.ErrorOf(e)})
}

// DecodeJSON reads exactly one JSON object from the body into v: at most
// the server's body limit, a JSON (or absent) Content-Type, no unknown
// fields, nothing after the value. It returns an *errcode.Error ready to write.
func (s *Server) DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			// Refusing form and text bodies also closes the door on
			// "simple" cross-site requests, on top of the Origin check.
			return errcode.New(errcode.UnsupportedMediaType, "Content-Type must be application/json (curl: --json, or -H 'Content-Type: application/json')")
		}
	}
	if r.ContentLength > s.bodyLimit {
		return tooLarge(s.bodyLimit)
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
		return errcode.New(errcode.InvalidJSON, "unexpected data after the JSON object")
	}
	return nil
}

func decodeError(err error, limit int64) *errcode.Error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return tooLarge(limit)
	case errors.Is(err, io.EOF):
		return errcode.New(errcode.InvalidJSON, "request body is empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errcode.New(errcode.InvalidJSON, "request body is truncated JSON")
	case errors.As(err, &se):
		return errcode.New(errcode.InvalidJSON, fmt.Sprintf("malformed JSON at byte %d", se.Offset))
	case errors.As(err, &te):
		if te.Field != "" {
			return errcode.New(errcode.InvalidJSON, fmt.Sprintf("field %q must be a %s", te.Field, te.Type))
		}
		return errcode.New(errcode.InvalidJSON, fmt.Sprintf("expected a JSON %s", te.Type))
	case strings.Contains(err.Error(), "unknown field"):
		// encoding/json has no typed error for this; its text names the field.
		_, field, _ := strings.Cut(err.Error(), "unknown field ")
		return errcode.New(errcode.UnknownField, "unknown field "+field)
	}
	return errcode.New(errcode.InvalidJSON, "malformed JSON")
}

func tooLarge(limit int64) *errcode.Error {
	return &errcode.Error{Code: errcode.BodyTooLarge, Message: fmt.Sprintf("request body exceeds %d bytes", limit), Limit: limit}
}
