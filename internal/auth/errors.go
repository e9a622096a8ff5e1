package auth

import (
	"errors"
	"time"
)

// Error is a user-facing failure with a stable machine-readable code. The
// HTTP layer maps codes to status codes; the message is safe to show.
type Error struct {
	Code    string
	Message string
	// RetryAfter is set for rate_limited.
	RetryAfter time.Duration
	// cause is kept for logs; never shown to users.
	cause error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.Message + ": " + e.cause.Error()
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.cause }

// Is makes errors.Is(err, ErrBadCredentials) match by code, so wrapped
// copies with a cause still compare equal to the sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func (e *Error) with(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

func (e *Error) withMessage(msg string) *Error {
	c := *e
	c.Message = msg
	return &c
}

// Stable codes. The HTTP layer documents their status codes.
var (
	ErrInvalidUsername = &Error{Code: "invalid_username", Message: "username must be 3-32 characters of a-z, 0-9, _ or -"}
	ErrInvalidPassword = &Error{Code: "invalid_password", Message: "password must be 10-256 bytes"}
	ErrUsernameTaken   = &Error{Code: "username_taken", Message: "that username is taken"}
	ErrBadCredentials  = &Error{Code: "bad_credentials", Message: "wrong username or password"}
	ErrUnauthenticated = &Error{Code: "unauthenticated", Message: "sign in first"}
	ErrAccountDisabled = &Error{Code: "account_disabled", Message: "this account is disabled"}
	ErrRateLimited     = &Error{Code: "rate_limited", Message: "too many attempts; try again later"}

	ErrProviderUnknown     = &Error{Code: "provider_unknown", Message: "unknown or disabled sign-in provider"}
	ErrOAuthStateInvalid   = &Error{Code: "oauth_state_invalid", Message: "sign-in request expired, was already used or did not start here; start again"}
	ErrOAuthTokenInvalid   = &Error{Code: "oauth_token_invalid", Message: "the sign-in provider's answer could not be verified"}
	ErrOAuthDenied         = &Error{Code: "oauth_denied", Message: "sign-in was cancelled or refused at the provider"}
	ErrOAuthProviderFailed = &Error{Code: "oauth_provider_error", Message: "the sign-in provider could not be reached or answered badly"}
	ErrIdentityTaken       = &Error{Code: "identity_taken", Message: "that provider account is already linked to another user"}
)

// CodeOf returns the stable code of err, or "internal".
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "internal"
}
