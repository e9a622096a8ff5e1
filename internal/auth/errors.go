package auth

import "github.com/segfaultarena/segfault/internal/errcode"

// The refusals of sign-in and sessions, with their stable codes. Copies
// with a cause (Wrap) or another message still match them with errors.Is.
var (
	ErrInvalidUsername = errcode.New(errcode.InvalidUsername, "username must be 3-32 characters of a-z, 0-9, _ or -")
	ErrInvalidPassword = errcode.New(errcode.InvalidPassword, "password must be 10-256 bytes")
	ErrUsernameTaken   = errcode.New(errcode.UsernameTaken, "that username is taken")
	ErrBadCredentials  = errcode.New(errcode.BadCredentials, "wrong username or password")
	ErrUnauthenticated = errcode.New(errcode.Unauthenticated, "sign in first")
	ErrAccountDisabled = errcode.New(errcode.AccountDisabled, "this account is disabled")
	ErrRateLimited     = errcode.New(errcode.RateLimited, "too many attempts; try again later")

	ErrUsernameReserved  = errcode.New(errcode.UsernameReserved, "that username is reserved; choose another")
	ErrPasswordTooCommon = errcode.New(errcode.PasswordTooCommon, "that password is too easy to guess; choose another")
	ErrProofRequired     = errcode.New(errcode.ProofOfWorkInvalid, "solve the sign-up challenge first (GET /api/v1/auth/challenge)")
	ErrProofInvalid      = errcode.New(errcode.ProofOfWorkInvalid, "the sign-up challenge was not solved; start again")
	ErrRegisterLimited   = errcode.New(errcode.RateLimited, "too many accounts created from your address; try again later")

	ErrProviderUnknown     = errcode.New(errcode.ProviderUnknown, "unknown or disabled sign-in provider")
	ErrOAuthStateInvalid   = errcode.New(errcode.OAuthStateInvalid, "sign-in request expired, was already used or did not start here; start again")
	ErrOAuthTokenInvalid   = errcode.New(errcode.OAuthTokenInvalid, "the sign-in provider's answer could not be verified")
	ErrOAuthDenied         = errcode.New(errcode.OAuthDenied, "sign-in was cancelled or refused at the provider")
	ErrOAuthProviderFailed = errcode.New(errcode.OAuthProviderError, "the sign-in provider could not be reached or answered badly")
	ErrIdentityTaken       = errcode.New(errcode.IdentityTaken, "that provider account is already linked to another user")
)
