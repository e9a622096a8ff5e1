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
}

// PlayerEvidence is one player's facts: the pastes (size in UTF-16 units,
// ms after the start, whether the editor had lost focus in the minute
// before), the units typed and pasted, focus losses, whole-text opens,
// and the other submissions of the problem their last submission in the
// match resembles (token fingerprints with winnowing, identifiers
// normalised; score = shared fingerprints over the smaller submission's).
type PlayerEvidence struct {
	UserID       int64                 `json:"user_id"`
	Username     string                `json:"username"`
	Pastes       List[PasteEvidence]   `json:"pastes"`
	LargestPaste int                   `json:"largest_paste"`
	PastedUnits  int                   `json:"pasted_units"`
	TypedUnits   int                   `json:"typed_units"`
	Blurs        int                   `json:"blurs"`
	Opens        int                   `json:"opens"`
	SubmissionID string                `json:"submission_id,omitempty"`
	Similar      List[SimilarEvidence] `json:"similar"`
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
}
