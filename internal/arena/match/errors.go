package match

// Error is a rejected match action. Code is stable and meant for clients; a
// rejected action never changes the match.
type Error struct {
	Code string
	msg  string
}

func (e *Error) Error() string { return "match: " + e.msg }

// ErrorCode returns the stable code.
func (e *Error) ErrorCode() string { return e.Code }

// Errors. Compare with errors.Is; some are wrapped with detail.
var (
	ErrBadSetup            = &Error{"bad_setup", "invalid match setup"}
	ErrBadProblem          = &Error{"bad_problem", "invalid problem"}
	ErrNoProblem           = &Error{"no_problem", "no eligible problem"}
	ErrNotParticipant      = &Error{"not_participant", "not a player of this match"}
	ErrWrongState          = &Error{"wrong_state", "action not allowed in the match's current state"}
	ErrAlreadyAccepted     = &Error{"already_accepted", "already accepted"}
	ErrAcceptExpired       = &Error{"accept_expired", "the time to accept has passed"}
	ErrDeadlinePassed      = &Error{"deadline_passed", "submission received after the deadline"}
	ErrPlayerOut           = &Error{"player_out", "player already resigned or forfeited"}
	ErrDuplicateSubmission = &Error{"duplicate_submission", "submission already registered"}
	ErrUnknownSubmission   = &Error{"unknown_submission", "no such submission in this match"}
	ErrDuplicateVerdict    = &Error{"duplicate_verdict", "submission already judged"}
	ErrBadVerdict          = &Error{"bad_verdict", "inconsistent verdict"}
	ErrAlreadyDisconnected = &Error{"already_disconnected", "player already marked disconnected"}
	ErrNotDisconnected     = &Error{"not_disconnected", "player is connected"}
	ErrAlreadySolved       = &Error{"already_solved", "your Accepted submission is final in this mode"}
	ErrNotMeasured         = &Error{"not_measured", "not an Accepted submission of a Big-O match"}
)
