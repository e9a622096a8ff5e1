package httpapi

import (
	"slices"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// Access is who may call a route.
type Access string

const (
	Public Access = "public" // anyone; a session, if any, is used
	User   Access = "user"   // a signed-in, enabled user (401 unauthenticated)
	Admin  Access = "admin"  // an administrator (403 forbidden)
)

// Param is a query or path parameter of a route.
type Param struct {
	Name string
	In   string // "query" or "path"
	Type string // JSON Schema type: "string", "integer", "boolean"
	Doc  string
}

// Route documents one endpoint: /api/v1/openapi.json is built from Routes,
// and a test checks that every route the server mounts is here and every
// route here is mounted.
type Route struct {
	Method, Path string
	Summary      string
	Access       Access
	Params       []Param
	Body         any    // a zero value of the JSON body's type; nil: none
	BodyMedia    string // when the body is not JSON (a zip upload)
	Status       int    // success status (default 200)
	Response     any    // a zero value of the JSON answer's type; nil: none
	Media        string // when the answer is not JSON
	Errors       []errcode.Code
}

var (
	boardParams = []Param{
		{"board", "query", "string", "`rating` (default) or `weekly_xp`"},
		{"offset", "query", "integer", "first rank − 1: 0–10000 (default 0)"},
		{"limit", "query", "integer", "1–100 (default 50)"},
		{"around", "query", "string", "`me`: the page around the signed-in user"},
	}
	versionParam = Param{"version", "query", "integer", "a stored version (default: the newest)"}
	judgeErrors  = []errcode.Code{errcode.Unauthenticated, errcode.RateLimited}
	submitErrors = []errcode.Code{errcode.InvalidJSON, errcode.UnknownField, errcode.BodyTooLarge, errcode.LanguageUnsupported,
		errcode.LanguageUnavailable, errcode.CodeEmpty, errcode.CodeTooLarge, errcode.CodeNotUTF8, errcode.ProblemNotFound,
		errcode.RateLimited, errcode.JudgeBusy, errcode.JudgeSaturated, errcode.Unavailable, errcode.Unauthenticated, errcode.ProblemInMatch}
)

// Routes lists every endpoint the server serves once the problem, judge
// and arena routes are mounted, besides the SPA at "/".
func Routes() []Route {
	return append([]Route{
		{Method: "GET", Path: "/api/v1/auth/challenge", Summary: "A sign-up challenge (proof of work) to solve before registering.",
			Response: protocol.Challenge{}},
		{Method: "POST", Path: "/api/v1/auth/register", Summary: "Create an account and sign in (sets the session cookie).",
			Body: protocol.Credentials{}, Status: 201, Response: protocol.Me{},
			Errors: []errcode.Code{errcode.InvalidJSON, errcode.InvalidUsername, errcode.UsernameReserved, errcode.InvalidPassword,
				errcode.PasswordTooCommon, errcode.ProofOfWorkInvalid, errcode.UsernameTaken, errcode.RateLimited, errcode.ForbiddenOrigin}},
		{Method: "POST", Path: "/api/v1/auth/login", Summary: "Sign in with a password (sets the session cookie).",
			Body: protocol.Credentials{}, Response: protocol.Me{},
			Errors: []errcode.Code{errcode.InvalidJSON, errcode.BadCredentials, errcode.AccountDisabled, errcode.RateLimited, errcode.ForbiddenOrigin}},
		{Method: "POST", Path: "/api/v1/auth/logout", Summary: "Sign out: the session is revoked on the server.", Status: 204,
			Errors: []errcode.Code{errcode.ForbiddenOrigin}},
		{Method: "POST", Path: "/api/v1/auth/logout-all", Summary: "Sign out everywhere: every session of the user is revoked and their open WebSockets close at once on every node.",
			Access: User, Status: 204, Errors: []errcode.Code{errcode.Unauthenticated, errcode.ForbiddenOrigin}},
		{Method: "GET", Path: "/api/v1/auth/providers", Summary: "The enabled sign-in providers.", Response: protocol.Providers{}},
		{Method: "GET", Path: "/api/v1/me", Summary: "The signed-in user.", Access: User, Response: protocol.Me{},
			Errors: []errcode.Code{errcode.Unauthenticated, errcode.AccountDisabled}},
		{Method: "GET", Path: "/auth/{provider}/start", Summary: "Start an OAuth 2.0 / OIDC sign-in (302 to the provider).", Status: 302,
			Params: []Param{{"provider", "path", "string", "a provider name"},
				{"redirect_to", "query", "string", "a local path to land on afterwards"},
				{"link", "query", "string", "`1`: link the provider to the signed-in account"}},
			Errors: []errcode.Code{errcode.ProviderUnknown, errcode.OAuthProviderError}},
		{Method: "GET", Path: "/auth/{provider}/callback", Summary: "The provider's redirect back: signs in, then 303 to redirect_to (JSON with Accept: application/json).",
			Status: 303, Params: []Param{{"provider", "path", "string", "a provider name"}, {"state", "query", "string", ""}, {"code", "query", "string", ""}},
			Errors: []errcode.Code{errcode.OAuthStateInvalid, errcode.OAuthTokenInvalid, errcode.OAuthDenied, errcode.OAuthProviderError, errcode.IdentityTaken}},
		{Method: "GET", Path: "/healthz", Summary: "Liveness: the process serves.", Response: protocol.Health{}},
		{Method: "GET", Path: "/readyz", Summary: "Readiness: every dependency answers (else 503). Each check's error and detail only with the metrics token (or on --metrics-addr).", Response: protocol.Readiness{}},
		{Method: "GET", Path: "/metrics", Summary: "Prometheus metrics: only with `Authorization: Bearer <metrics token>` (or on --metrics-addr).", Media: "text/plain",
			Errors: []errcode.Code{errcode.NotFound}},
		{Method: "GET", Path: "/api/v1/openapi.json", Summary: "This document.", Media: "application/json"},

		{Method: "GET", Path: "/ws", Summary: "The WebSocket of docs/protocol.md (subprotocol segfault.v1).", Access: User, Status: 101,
			Errors: []errcode.Code{errcode.Unauthenticated, errcode.ForbiddenOrigin, errcode.UnsupportedVersion}},
		{Method: "GET", Path: "/api/v1/leaderboard", Summary: "A leaderboard page (with the signed-in user's entry as `me`).",
			Params: boardParams, Response: protocol.LeaderboardUpdate{}, Errors: []errcode.Code{errcode.InvalidRequest, errcode.Unauthenticated}},
		{Method: "GET", Path: "/api/v1/users/{name}", Summary: "A user's public profile (no practice).",
			Params: []Param{{"name", "path", "string", "a username"}}, Response: protocol.Profile{}, Errors: []errcode.Code{errcode.NotFound}},
		{Method: "GET", Path: "/api/v1/matches/{id}", Summary: "A match: its timeline, results and, once over, the code and coach reports.",
			Params: []Param{{"id", "path", "string", "a match id"}}, Response: protocol.MatchRecord{}, Errors: []errcode.Code{errcode.NotFound}},
		{Method: "GET", Path: "/api/v1/matches/{id}/replay", Summary: "A match's replay: each player's editor timeline stamped by the server, with runs, submissions and verdicts as markers. A player sees their own timeline at once; the others', and anyone else's, once the match is over and only for ranked and casual matches (administrators always; practice: not_found to others).",
			Params: []Param{{"id", "path", "string", "a match id"}}, Response: protocol.Replay{}, Errors: []errcode.Code{errcode.NotFound}},
		{Method: "GET", Path: "/api/v1/admin/review", Summary: "The fair-play review queue: players of the latest finished public matches whose editor timeline deserves a look (large pastes after a focus loss or in the first minute, pasting more than typing), newest first; each with its reasons and the decisions taken. An item whose match or player has a standing (not reversed) decision is decided and leaves the open queue. Facts, never a verdict.",
			Access: Admin, Params: []Param{{"limit", "query", "integer", "matches read, 1–200 (default 50)"}, {"status", "query", "string", "open (default: no standing decision), decided, or all"}}, Response: protocol.ReviewQueue{},
			Errors: []errcode.Code{errcode.InvalidRequest, errcode.Unauthenticated, errcode.Forbidden}},
		{Method: "GET", Path: "/api/v1/admin/matches/{id}/evidence", Summary: "Fair-play evidence of a match for an administrator's review: each player's pastes (size, time, focus lost before), typed and pasted units, focus losses, and the problem's other submissions their last one resembles (winnowed token fingerprints) with the shared lines. Facts, never a verdict.",
			Access: Admin, Params: []Param{{"id", "path", "string", "a match id"}}, Response: protocol.MatchEvidence{}, Errors: []errcode.Code{errcode.NotFound, errcode.Unauthenticated, errcode.Forbidden}},
		{Method: "POST", Path: "/api/v1/admin/matches/{id}/decisions", Summary: "Record an administrator's decision on a reviewed finished match, with its reason (the audit trail): `clear` a player, `void` the match (its results, XP and rating changes are reverted for both players: exactly, or by the inverse delta when later matches moved a rating; see the ranked rules), or `ban` a player (disabled, signed out everywhere, sockets closed); or reverse an earlier decision of the match (`reverses`): an unvoid reapplies the match, an unban enables the player. Flagged results stand until an administrator decides.",
			Access: Admin, Params: []Param{{"id", "path", "string", "a match id"}}, Body: protocol.DecisionRequest{}, Status: 201, Response: protocol.ReviewDecision{},
			Errors: []errcode.Code{errcode.InvalidJSON, errcode.UnknownField, errcode.BodyTooLarge, errcode.InvalidRequest, errcode.NotFound,
				errcode.DecisionConflict, errcode.Unauthenticated, errcode.Forbidden, errcode.ForbiddenOrigin}},
		{Method: "GET", Path: "/api/v1/matches", Summary: "The public matches being played (the spectate list).",
			Params:   []Param{{"state", "query", "string", "`running` (the only one)"}, {"limit", "query", "integer", "1–100 (default 20)"}},
			Response: protocol.RunningMatches{}, Errors: []errcode.Code{errcode.InvalidRequest}},

		{Method: "GET", Path: "/api/v1/problems", Summary: "The enabled problems.",
			Params: []Param{{"min_difficulty", "query", "integer", ""}, {"max_difficulty", "query", "integer", ""},
				{"tag", "query", "string", "repeatable or comma-separated: every tag must match"},
				{"offset", "query", "integer", ""}, {"limit", "query", "integer", "1–100 (default 50)"}},
			Response: protocol.ProblemList{}, Errors: []errcode.Code{errcode.InvalidRequest}},
		{Method: "GET", Path: "/api/v1/problems/{id}", Summary: "A problem's statement page.",
			Params:   []Param{{"id", "path", "string", ""}, versionParam, {"lang", "query", "string", "statement language (default English)"}},
			Response: protocol.ProblemPage{}, Errors: []errcode.Code{errcode.NotFound, errcode.InvalidRequest, errcode.ProblemInMatch}},
		{Method: "GET", Path: "/api/v1/problems/{id}/assets/{name}", Summary: "A statement image.",
			Params: []Param{{"id", "path", "string", ""}, {"name", "path", "string", ""}, versionParam}, Media: "image/*",
			Errors: []errcode.Code{errcode.NotFound, errcode.InvalidRequest, errcode.ProblemInMatch}},
		{Method: "POST", Path: "/api/v1/admin/problems", Summary: "Upload a problem package (a zip, or a multipart field `package`).",
			Access: Admin, BodyMedia: "application/zip", Status: 201, Response: protocol.ProblemUpload{},
			Params: []Param{{"id", "query", "string", "the problem id when problem.yaml is at the zip's top"},
				{"verify", "query", "boolean", "judge the package's submissions first"}},
			Errors: []errcode.Code{errcode.BodyTooLarge, errcode.UnsupportedMediaType, errcode.InvalidRequest, errcode.MissingID,
				errcode.IDMismatch, errcode.VerifyUnavailable, errcode.ProblemConflict, errcode.BadArchive, errcode.BadYAML,
				errcode.BadType, errcode.BadValue, errcode.Missing, errcode.Unsupported, errcode.BadLayout, errcode.VerifyFailed}},
		{Method: "PUT", Path: "/api/v1/admin/problems/{id}/enabled", Summary: "Show or hide a problem in the list and matchmaking.",
			Access: Admin, Params: []Param{{"id", "path", "string", ""}}, Body: protocol.SetEnabled{}, Response: protocol.ProblemEnabled{},
			Errors: []errcode.Code{errcode.NotFound, errcode.InvalidRequest}},

		{Method: "POST", Path: "/api/v1/submissions", Summary: "Submit a practice solution (judged on the hidden tests).",
			Access: User, Body: protocol.SubmissionRequest{}, Status: 202, Response: protocol.Submission{}, Errors: submitErrors},
		{Method: "GET", Path: "/api/v1/submissions", Summary: "The signed-in user's latest submissions.", Access: User,
			Params: []Param{{"limit", "query", "integer", "1–100 (default 20)"}}, Response: protocol.Submissions{}, Errors: judgeErrors},
		{Method: "GET", Path: "/api/v1/submissions/{id}", Summary: "One of the user's submissions, with its live progress.", Access: User,
			Params: []Param{{"id", "path", "string", ""}}, Response: protocol.Submission{}, Errors: slices.Concat(judgeErrors, []errcode.Code{errcode.NotFound})},
		{Method: "GET", Path: "/api/v1/submissions/{id}/coach", Summary: "Its coach report (202 while pending).", Access: User,
			Params: []Param{{"id", "path", "string", ""}}, Response: protocol.CoachView{}, Errors: slices.Concat(judgeErrors, []errcode.Code{errcode.NotFound, errcode.NoCoachReport})},
		{Method: "POST", Path: "/api/v1/runs", Summary: "Run code on a problem's samples, or on `input` (practice; nothing is stored).",
			Access: User, Body: protocol.RunRequest{}, Response: protocol.RunResult{},
			Errors: slices.Concat(submitErrors, []errcode.Code{errcode.InputTooLarge, errcode.InputNotUTF8, errcode.NoSamples, errcode.Cancelled})},
		{Method: "GET", Path: "/api/v1/judge/status", Summary: "The judge queue's depth and workers (host names and errors for administrators only).", Access: User,
			Response: protocol.JudgeStatus{}, Errors: slices.Concat(judgeErrors, []errcode.Code{errcode.Unavailable})},
		{Method: "GET", Path: "/api/v1/languages", Summary: "The languages players are offered (every live worker has them), with editor mode and starter code.",
			Access: User, Response: protocol.Languages{}, Errors: slices.Concat(judgeErrors, []errcode.Code{errcode.Unavailable})},
	}, tournamentRoutes()...)
}
