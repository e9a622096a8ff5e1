package protocol

// Replay is GET /api/v1/matches/{id}/replay: each player's editor
// timeline, stamped by the server, with the match's runs, submissions and
// verdicts as markers (issue 20). Stamps are Unix milliseconds (numbers,
// not Time strings: a replay holds thousands of them); StartMs..EndMs is
// the span a player scrubs (the start of the match to its end, or to the
// last event of a match still running).
type Replay struct {
	Match   RecordMatch        `json:"match"`
	StartMs int64              `json:"start_ms"`
	EndMs   int64              `json:"end_ms"`
	Players List[ReplayPlayer] `json:"players"`
	Markers List[ReplayMarker] `json:"markers"`
}

// ReplayPlayer is one player's timeline. Hidden: this viewer may not see
// it (yet): the same rule as the code of a match record (a player sees
// their own at once, anyone else once the match is over and only for a
// public match; administrators always); Events is then empty.
type ReplayPlayer struct {
	UserID   int64             `json:"user_id"`
	Username string            `json:"username"`
	Hidden   bool              `json:"hidden"`
	Events   List[ReplayEvent] `json:"events"`
}

// ReplayEvent is one stamped editor event (the fields of EditorEvent,
// with the server's stamp At instead of the client's time, and Doc, the
// editor instance it happened in).
type ReplayEvent struct {
	At      int64          `json:"at"`
	Doc     string         `json:"doc"`
	Kind    EditorKind     `json:"k"`
	Changes []EditorChange `json:"c,omitempty"`
	Text    string         `json:"text,omitempty"`
	Lang    string         `json:"lang,omitempty"`
	N       int            `json:"n,omitempty"`
}

// ReplayMarker is a moment to jump to: a run, a submission (with its code
// when the viewer may read it), a verdict, the end.
type ReplayMarker struct {
	At           int64   `json:"at"`
	UserID       *int64  `json:"user_id"` // null: the end
	Kind         string  `json:"kind" ts:"'run' | 'submit' | 'verdict' | 'finished'"`
	SubmissionID string  `json:"submission_id,omitempty"`
	Verdict      Verdict `json:"verdict,omitempty"`
	Passed       *int    `json:"passed,omitempty"`
	Total        *int    `json:"total,omitempty"`
	Lang         string  `json:"lang,omitempty"`
	Code         *string `json:"code,omitempty"`
	Detail       string  `json:"detail,omitempty"`
}

// MatchEvidence is GET /api/v1/admin/matches/{id}/evidence: the fair-play
// facts of each player of a match, for an administrator's review (issue
// 20). Facts, never a verdict: players are never shown an automatic
// accusation, and a ranked result stands until an administrator decides.
type MatchEvidence struct {
	MatchID   string               `json:"match_id"`
	ProblemID string               `json:"problem_id"`
	Players   List[PlayerEvidence] `json:"players"`
	Mode      Mode                 `json:"mode"`
	Voided    bool                 `json:"voided"`
	// Decisions on this match and its players, oldest first.
	Decisions List[ReviewDecision] `json:"decisions"`
}

// PlayerEvidence is one player's facts: the pastes (size in UTF-16 units,
// ms after the start, whether the editor had lost focus in the minute
// before), the units typed and pasted, focus losses, whole-text opens,
// and the other submissions of the problem their last submission in the
// match resembles (token fingerprints with winnowing, identifiers
// normalised; score = shared fingerprints over the smaller submission's).
type PlayerEvidence struct {
	UserID       int64               `json:"user_id"`
	Username     string              `json:"username"`
	Pastes       List[PasteEvidence] `json:"pastes"`
	LargestPaste int                 `json:"largest_paste"`
	PastedUnits  int                 `json:"pasted_units"`
	TypedUnits   int                 `json:"typed_units"`
	Blurs        int                 `json:"blurs"`
	Opens        int                 `json:"opens"`
	SubmissionID string              `json:"submission_id,omitempty"`
	// Source is that submission's code (administrators only).
	Source  string                `json:"source,omitempty"`
	Lang    string                `json:"lang,omitempty"`
	Similar List[SimilarEvidence] `json:"similar"`
	Banned  bool                  `json:"banned"`
}

// PasteEvidence is one paste.
type PasteEvidence struct {
	AtMs       int64 `json:"at_ms"`
	Units      int   `json:"units"`
	AfterBlur  bool  `json:"after_blur"`
	BlurAwayMs int64 `json:"blur_away_ms"`
}

// SimilarEvidence is another player's submission of the same problem that
// shares fingerprints with the player's: the shared lines of each side.
type SimilarEvidence struct {
	SubmissionID string    `json:"submission_id"`
	UserID       int64     `json:"user_id"`
	MatchID      string    `json:"match_id,omitempty"`
	Score        float64   `json:"score"`
	Lines        List[int] `json:"lines"`       // the player's shared lines
	OtherLines   List[int] `json:"other_lines"` // the other submission's
	// Username, Lang and Source of the other submission (the evidence
	// page only: the queue leaves Source out).
	Username string `json:"username,omitempty"`
	Lang     string `json:"lang,omitempty"`
	Source   string `json:"source,omitempty"`
}

// ReviewQueue is GET /api/v1/admin/review: the players of the latest
// finished public matches whose editor timeline deserves a look (large
// pastes after a focus loss or in the first minute, pasting more than
// typing), newest first. Each links to the match's evidence and replay.
type ReviewQueue struct {
	Items List[ReviewItem] `json:"items"`
}

// ReviewItem is one flagged player of one match.
type ReviewItem struct {
	MatchID      string       `json:"match_id"`
	Mode         Mode         `json:"mode"`
	ProblemID    string       `json:"problem_id"`
	FinishedAt   *string      `json:"finished_at"`
	UserID       int64        `json:"user_id"`
	Username     string       `json:"username"`
	Result       string       `json:"result"`
	LargestPaste int          `json:"largest_paste"`
	Reasons      List[string] `json:"reasons"`
	// Similar is the closest other submission of the problem to the
	// player's last one in the match (score ≥ 0.5), when the queue's
	// similarity check reached it (bounded: internal/replay's README).
	Similar *SimilarEvidence `json:"similar"`
	// Voided: the match was voided; Banned: the player is disabled.
	Voided bool `json:"voided"`
	Banned bool `json:"banned"`
	// Decided: a decision on this match (a void) or this player (a clear,
	// a ban) stands, i.e. was not reversed; the item has left the open queue.
	Decided bool `json:"decided"`
	// Decisions are the administrators' decisions on this match (the
	// void) and this player (clear, ban), oldest first.
	Decisions List[ReviewDecision] `json:"decisions"`
}

// ReviewStatus selects the items of the review queue
// (GET /api/v1/admin/review?status=): open (the default: no standing
// decision), decided, or all.
type ReviewStatus string

// The review queue's statuses.
const (
	ReviewOpen    ReviewStatus = "open"
	ReviewDecided ReviewStatus = "decided"
	ReviewAll     ReviewStatus = "all"
)

// Review decision actions.
const (
	DecisionClear = "clear"
	DecisionVoid  = "void"
	DecisionBan   = "ban"
)

// DecisionRequest is the body of POST /api/v1/admin/matches/{id}/decisions:
// a decision (Action clear or ban of UserID, a player of the match, or void
// of the whole match), or the reversal of an earlier decision of the match
// (Reverses its id; Action and UserID are then the earlier decision's).
// Reason is required (1–500 characters): it is the audit trail.
type DecisionRequest struct {
	Action   string `json:"action,omitempty"`
	UserID   int64  `json:"user_id,omitempty"`
	Reverses int64  `json:"reverses,omitempty"`
	Reason   string `json:"reason"`
}

// ReviewDecision is one recorded decision: who decided, when, why, and,
// for a void or its reversal, each profile before and after.
type ReviewDecision struct {
	ID         int64               `json:"id"`
	MatchID    string              `json:"match_id"`
	UserID     int64               `json:"user_id"`
	Action     string              `json:"action"`
	Reason     string              `json:"reason"`
	AdminID    int64               `json:"admin_id"`
	Admin      string              `json:"admin"`
	At         string              `json:"at"`
	Reverses   int64               `json:"reverses"`
	ReversedBy int64               `json:"reversed_by"`
	Changes    List[ProfileRevert] `json:"changes"`
}

// ProfileRevert is what a void (or its reversal) did to one player's
// profile. Exact: the profile still held the match's values, so it holds
// exactly the other side now; otherwise later matches had moved it and
// the inverse delta was applied (docs: "Voided matches").
type ProfileRevert struct {
	UserID           int64   `json:"user_id"`
	Rated            bool    `json:"rated"`
	RatingBefore     float64 `json:"rating_before"`
	RatingAfter      float64 `json:"rating_after"`
	RDBefore         float64 `json:"rd_before"`
	RDAfter          float64 `json:"rd_after"`
	VolatilityBefore float64 `json:"volatility_before"`
	VolatilityAfter  float64 `json:"volatility_after"`
	XPBefore         int64   `json:"xp_before"`
	XPAfter          int64   `json:"xp_after"`
	Exact            bool    `json:"exact"`
}
