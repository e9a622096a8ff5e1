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
