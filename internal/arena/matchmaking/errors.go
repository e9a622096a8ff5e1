package matchmaking

// Error is a rejected lobby action. Code is stable and meant for clients
// (error frames, JSON bodies); a rejected action never changes state.
type Error struct {
	Code string
	msg  string
}

func (e *Error) Error() string { return "matchmaking: " + e.msg }

// ErrorCode returns the stable code, for transport layers that only know
// interface{ ErrorCode() string }.
func (e *Error) ErrorCode() string { return e.Code }

// Errors returned by Lobby. Compare with errors.Is; some are wrapped with
// detail (e.g. the cooldown's end).
var (
	ErrBadMode         = &Error{"bad_mode", "unknown queue"}
	ErrBadTicket       = &Error{"bad_ticket", "rating or deviation out of range"}
	ErrAlreadyQueued   = &Error{"already_queued", "already in a queue"}
	ErrMatchPending    = &Error{"match_pending", "a found match awaits acceptance"}
	ErrInMatch         = &Error{"in_match", "already playing a match"}
	ErrInRoom          = &Error{"in_room", "already in a private room"}
	ErrCooldown        = &Error{"cooldown", "queueing is paused after a declined match"}
	ErrNotQueued       = &Error{"not_queued", "not in a queue"}
	ErrNoProposal      = &Error{"no_proposal", "no such found match"}
	ErrNotInProposal   = &Error{"not_in_proposal", "not a player of this found match"}
	ErrAlreadyAccepted = &Error{"already_accepted", "already accepted"}
	ErrAcceptExpired   = &Error{"accept_expired", "the time to accept has passed"}
	ErrBadCode         = &Error{"bad_code", "malformed room code"}
	ErrNoRoom          = &Error{"no_room", "no such room"}
	ErrRoomFull        = &Error{"room_full", "the room is full"}
	ErrNotInRoom       = &Error{"not_in_room", "not in a room"}
	ErrNotHost         = &Error{"not_host", "only the host can start the room"}
	ErrRoomTooSmall    = &Error{"room_too_small", "not enough players to start"}
)
