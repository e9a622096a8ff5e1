package errcode

// The stable codes, by the area that decides them. The same code means the
// same thing on REST and on the WebSocket; docs/protocol.md and the web
// client's constants are generated from All.
const (
	// Requests, on either transport.
	InvalidRequest       Code = "invalid_request"
	InvalidJSON          Code = "invalid_json"
	UnknownField         Code = "unknown_field"
	BodyTooLarge         Code = "body_too_large"
	UnsupportedMediaType Code = "unsupported_media_type"
	MethodNotAllowed     Code = "method_not_allowed"
	NotFound             Code = "not_found"
	Forbidden            Code = "forbidden"
	ForbiddenOrigin      Code = "forbidden_origin"
	RateLimited          Code = "rate_limited"
	Cancelled            Code = "cancelled"
	Internal             Code = "internal"
	Unavailable          Code = "unavailable"

	// WebSocket frames.
	BadFrame           Code = "bad_frame"
	FrameTooLarge      Code = "frame_too_large"
	UnsupportedVersion Code = "unsupported_version"
	UnknownType        Code = "unknown_type"
	NotHello           Code = "not_hello"
	TooManyConnections Code = "too_many_connections"

	// Identity (internal/auth).
	InvalidUsername    Code = "invalid_username"
	InvalidPassword    Code = "invalid_password"
	UsernameTaken      Code = "username_taken"
	BadCredentials     Code = "bad_credentials"
	Unauthenticated    Code = "unauthenticated"
	AccountDisabled    Code = "account_disabled"
	ProviderUnknown    Code = "provider_unknown"
	OAuthStateInvalid  Code = "oauth_state_invalid"
	OAuthTokenInvalid  Code = "oauth_token_invalid"
	OAuthDenied        Code = "oauth_denied"
	OAuthProviderError Code = "oauth_provider_error"
	IdentityTaken      Code = "identity_taken"
	UsernameReserved   Code = "username_reserved"
	PasswordTooCommon  Code = "password_too_common"
	ProofOfWorkInvalid Code = "proof_of_work_invalid"

	// The arena: lobby, rooms, matches.
	AlreadyQueued     Code = "already_queued"
	AlreadyInMatch    Code = "already_in_match"
	QueueCooldown     Code = "queue_cooldown"
	NotQueued         Code = "not_queued"
	MatchNotFound     Code = "match_not_found"
	NotInMatch        Code = "not_in_match"
	AcceptExpired     Code = "accept_expired"
	AlreadyAccepted   Code = "already_accepted"
	MatchNotRunning   Code = "match_not_running"
	DeadlinePassed    Code = "deadline_passed"
	RoomNotFound      Code = "room_not_found"
	RoomFull          Code = "room_full"
	NotRoomHost       Code = "not_room_host"
	RoomTooSmall      Code = "room_too_small"
	ProblemNotFound   Code = "problem_not_found"
	SpectateForbidden Code = "spectate_forbidden"
	// GhostNotFound: no past accepted solution on the problem fits the
	// requested rating band (and the code rule).
	GhostNotFound Code = "ghost_not_found"
	RankedLocked  Code = "ranked_locked"
	RematchClosed Code = "rematch_closed"
	AlreadySolved Code = "already_solved"
	// The editor timeline (editor.batch).
	TimelineResync   Code = "timeline_resync"
	TimelineTooLarge Code = "timeline_too_large"
	TimelineFull     Code = "timeline_full"
	ProblemInMatch   Code = "problem_in_match"

	// The judge: submissions and sample runs.
	LanguageUnsupported Code = "language_unsupported"
	LanguageUnavailable Code = "language_unavailable"
	CodeEmpty           Code = "code_empty"
	CodeTooLarge        Code = "code_too_large"
	CodeNotUTF8         Code = "code_not_utf8"
	InputTooLarge       Code = "input_too_large"
	InputNotUTF8        Code = "input_not_utf8"
	JudgeBusy           Code = "judge_busy"
	JudgeSaturated      Code = "judge_saturated"
	NoSamples           Code = "no_samples"
	NoCoachReport       Code = "no_coach_report"

	// Problem packages (uploads; the package codes are internal/problem's).
	ProblemConflict   Code = "problem_conflict"
	MissingID         Code = "missing_id"
	IDMismatch        Code = "id_mismatch"
	VerifyUnavailable Code = "verify_unavailable"
	BadArchive        Code = "bad_archive"
	BadYAML           Code = "bad_yaml"
	BadType           Code = "bad_type"
	BadValue          Code = "bad_value"
	Missing           Code = "missing"
	Unsupported       Code = "unsupported"
	BadLayout         Code = "bad_layout"
	VerifyFailed      Code = "verify_failed"

	// Fair-play review (administrators; area arena).
	DecisionConflict Code = "decision_conflict"

	// Chat.
	ChatEmpty           Code = "chat_empty"
	ChatTooLong         Code = "chat_too_long"
	ChatInvalidText     Code = "chat_invalid_text"
	ChatForbidden       Code = "chat_forbidden"
	ChatTimedOut        Code = "chat_timed_out"
	ChatMessageNotFound Code = "chat_message_not_found"
	// Tournaments (area arena, issue 21).
	TournamentClosed Code = "tournament_closed"
	TournamentFull   Code = "tournament_full"
	InTournament     Code = "in_tournament"
)

// Info describes a code for the generated references.
type Info struct {
	Code Code
	Area string // "request", "websocket", "identity", "arena", "judge", "problems"
	When string // when a client gets it (Markdown)
}

// All lists every code once, in the order of the references.
func All() []Info { return all }

// Known reports whether c is one of the codes of All.
func Known(c Code) bool { return known[c] }

var known = func() map[Code]bool {
	m := map[Code]bool{}
	for _, in := range all {
		m[in.Code] = true
	}
	return m
}()

var all = []Info{
	{InvalidRequest, "request", "a field is missing, ill-typed or out of range (WebSocket: also an unknown field in `data`)"},
	{InvalidJSON, "request", "REST: the body is not exactly one JSON object"},
	{UnknownField, "request", "REST: the body has a field the endpoint does not know"},
	{BodyTooLarge, "request", "REST: the body is over the endpoint's limit (`limit`, bytes)"},
	{UnsupportedMediaType, "request", "REST: a body that is not `application/json` (or a zip where one is expected)"},
	{MethodNotAllowed, "request", "REST: the path exists, the method does not"},
	{NotFound, "request", "REST: no such path, user, match, problem or submission"},
	{Forbidden, "request", "the signed-in account may not do this (admin endpoints)"},
	{ForbiddenOrigin, "request", "a state-changing request or WebSocket upgrade from another origin"},
	{RateLimited, "request", "too many requests or frames (`retry_after_ms`; REST also `Retry-After`)"},
	{Cancelled, "request", "the request ended (client gone or timed out) before an answer"},
	{Internal, "request", "a server bug; details only in the server log"},
	{Unavailable, "request", "a dependency (database, queue, judge) is down or changing leaders; retry later"},

	{BadFrame, "websocket", "not JSON, not an object, or a binary frame"},
	{FrameTooLarge, "websocket", "a frame over the frame limit (`limit`, bytes); the connection stays open"},
	{UnsupportedVersion, "websocket", "`v` is not the server's protocol version"},
	{UnknownType, "websocket", "`type` is not a client message"},
	{NotHello, "websocket", "the first frame was not `hello` or `resume`"},
	{TooManyConnections, "websocket", "an upgrade over the connections one account or one address may hold on a node (`limit`; HTTP 429)"},

	{InvalidUsername, "identity", "username is not 3–32 characters of a-z, 0-9, _ or -"},
	{InvalidPassword, "identity", "password is not 10–256 bytes of UTF-8"},
	{UsernameTaken, "identity", "registering a username that exists"},
	{BadCredentials, "identity", "wrong username or password"},
	{Unauthenticated, "identity", "no valid session (WebSocket: followed by close 4401)"},
	{AccountDisabled, "identity", "the account is disabled"},
	{ProviderUnknown, "identity", "an unknown or disabled sign-in provider"},
	{OAuthStateInvalid, "identity", "a sign-in callback that expired, was used or did not start here"},
	{OAuthTokenInvalid, "identity", "the provider's answer could not be verified"},
	{OAuthDenied, "identity", "sign-in cancelled or refused at the provider"},
	{OAuthProviderError, "identity", "the provider could not be reached or answered badly"},
	{IdentityTaken, "identity", "the provider account is linked to another user"},
	{UsernameReserved, "identity", "registering a name kept for the system (`admin`, `root`, `support`, … or one with digits, `_` or `-` added)"},
	{PasswordTooCommon, "identity", "a new password that is common or breached, repeats few characters, runs a sequence or is the username"},
	{ProofOfWorkInvalid, "identity", "registering without a solved, fresh sign-up challenge (`GET /api/v1/auth/challenge`)"},

	{AlreadyQueued, "arena", "`queue.join` (or practice) while queued"},
	{AlreadyInMatch, "arena", "`queue.join`/`room.*` while in a match, a pending match or a room"},
	{QueueCooldown, "arena", "queueing during a decline cooldown (`cooldown_until`)"},
	{NotQueued, "arena", "`queue.leave` while not queued (harmless)"},
	{MatchNotFound, "arena", "unknown or no longer running match id"},
	{NotInMatch, "arena", "an action on a match you are not a player in"},
	{AcceptExpired, "arena", "`match.accept`/`match.decline` after `accept_deadline` or on a cancelled match"},
	{AlreadyAccepted, "arena", "a second `match.accept`, or a decline after the match started"},
	{MatchNotRunning, "arena", "run/submit/resign before `starts_at`, after the end or after you resigned"},
	{DeadlinePassed, "arena", "a submission received after the deadline (not judged)"},
	{RoomNotFound, "arena", "wrong room code"},
	{RoomFull, "arena", "the room is at `max_players`"},
	{NotRoomHost, "arena", "`room.start` by someone else than the host"},
	{RoomTooSmall, "arena", "`room.start` with fewer than 2 players"},
	{ProblemNotFound, "arena", "unknown or disabled `problem_id`, or no playable problem at all"},
	{SpectateForbidden, "arena", "spectating a match you play in, a private room's or a practice match"},
	{GhostNotFound, "arena", "a ghost race (`queue.join` practice with `ghost`) on a problem with no public accepted solution by a player of that rating band"},
	{TimelineResync, "arena", "an `editor.batch` that does not fit the server's copy of that editor (unknown `doc`, a change outside the text, or `hash` differs): nothing of it was kept; send an `open` with the whole text"},
	{TimelineTooLarge, "arena", "an `editor.batch` over its limits (`limit`: events, changes or bytes of text); nothing of it was kept"},
	{TimelineFull, "arena", "the match's recording of your editor reached its size budget (`limit`, bytes); later batches are refused"},
	{RankedLocked, "arena", "`queue.join` ranked by an account too new with too few completed matches (`cooldown_until`: when age opens it)"},
	{RematchClosed, "arena", "`rematch.offer` for a match that is not a finished 1v1 of yours, ended over 2 minutes ago, or whose rematch was already declined, expired or started"},
	{AlreadySolved, "arena", "`code.submit` after your Accepted submission in a Shortest match (it is final)"},
	{ProblemInMatch, "arena", "a practice submission or run (REST) on the problem of a match you are playing: submit and run in the match; or its page (`GET /api/v1/problems/{id}`, assets) while you play it in a reverse match"},

	{LanguageUnsupported, "judge", "`lang` is not a language of the judge"},
	{LanguageUnavailable, "judge", "no judge worker offers the language right now; retry or pick another"},
	{CodeEmpty, "judge", "run or submit with empty code"},
	{CodeTooLarge, "judge", "code over the code limit (`limit`, bytes)"},
	{CodeNotUTF8, "judge", "code is not UTF-8"},
	{InputTooLarge, "judge", "custom run input over the input limit (`limit`, bytes)"},
	{InputNotUTF8, "judge", "custom run input is not UTF-8"},
	{JudgeBusy, "judge", "your previous submission or run is still being judged (`retry_after_ms`)"},
	{JudgeSaturated, "judge", "the judge queue is full (`retry_after_ms`); nothing was queued"},
	{NoSamples, "judge", "a run on a problem without sample tests: give a custom input"},
	{NoCoachReport, "judge", "no coach report for this submission (not Accepted, or not analysed yet)"},

	{ProblemConflict, "problems", "an upload that conflicts with the stored problem"},
	{MissingID, "problems", "an upload whose zip has `problem.yaml` at its top and no `?id=`"},
	{IDMismatch, "problems", "`?id=` differs from the zip's package directory"},
	{VerifyUnavailable, "problems", "`verify=true` on a server without a judge"},
	{BadArchive, "problems", "an unsafe or malformed zip (`issues`)"},
	{BadYAML, "problems", "a package YAML file does not parse (`issues`)"},
	{BadType, "problems", "a package key has a value of the wrong type (`issues`)"},
	{BadValue, "problems", "a package value is impossible (`issues`)"},
	{Missing, "problems", "a required package file or directory is absent (`issues`)"},
	{Unsupported, "problems", "valid Kattis, not supported here (`issues`)"},
	{BadLayout, "problems", "package files in places they cannot be (`issues`)"},
	{VerifyFailed, "problems", "a package submission or validator disagreed with its folder (`issues`)"},

	{DecisionConflict, "arena", "a review decision the match or player is not in a state for: the match is not finished or already voided, the player already banned (or not banned), the decision already reversed or itself a reversal"},

	{ChatEmpty, "arena", "a chat message with nothing but spaces"},
	{ChatTooLong, "arena", "a chat message over `MAX_CHAT_CHARS` characters (`limit`)"},
	{ChatInvalidText, "arena", "a chat message holding control characters (line breaks included), direction overrides or invalid UTF-8"},
	{ChatForbidden, "arena", "a chat channel you may not read or write: a match's players channel when you are not a player, a private or practice match's spectators, the spectators channel of a ranked match you play until it is over, a tournament channel not open to you"},
	{ChatTimedOut, "arena", "posting while an administrator's chat timeout runs (`cooldown_until`)"},
	{ChatMessageNotFound, "arena", "reporting or deleting a chat message that is not in that channel (deleted, or older than the kept history)"},
	{TournamentClosed, "arena", "registering, leaving or checking in outside its window: registration closes at the start, check-in is open only in the minutes before it"},
	{TournamentFull, "arena", "the tournament has its maximum number of players"},
	{InTournament, "arena", "`queue.join`, a room or practice while the player is checked in to a tournament about to start or playing one: a tournament player is matched nowhere else"},
}
