package protocol

import "errors"

// GhostChoice asks queue.join practice for a ghost race (issue 20): the
// server picks a real past accepted solution on the problem by a player
// whose rating then was in [MinRating, MaxRating] (MaxRating 0: no upper
// bound) and plays it back beside the player at its original pace.
type GhostChoice struct {
	MinRating int `json:"min_rating"`
	MaxRating int `json:"max_rating"`
}

func (g *GhostChoice) validate() error {
	switch {
	case g.MinRating < 0 || g.MaxRating < 0 || g.MinRating > MaxGhostRating || g.MaxRating > MaxGhostRating:
		return errors.New("ghost ratings must be 0..10000")
	case g.MaxRating != 0 && g.MaxRating < g.MinRating:
		return errors.New("ghost max_rating must not be below min_rating")
	}
	return nil
}

// MaxGhostRating bounds a ghost band's ratings.
const MaxGhostRating = 10000

// GhostInfo is the ghost of a race (match.state "ghost"): whose solution
// it replays, from which match, and when it was accepted (ms after its
// start: the time to beat).
type GhostInfo struct {
	Username      string  `json:"username"`
	Rating        float64 `json:"rating"`
	SourceMatchID string  `json:"source_match_id"`
	Lang          string  `json:"lang" ts:"Lang"`
	AcceptMs      int64   `json:"accept_ms"`
}

// GhostStep is one thing the ghost did, sent when the race's clock reaches
// AtMs (ms after the start, its original offset): an editor event (Event,
// with At its original stamp), a run, a submission, a verdict.
type GhostStep struct {
	AtMs         int64        `json:"at_ms"`
	Kind         string       `json:"kind" ts:"'editor' | 'run' | 'submit' | 'verdict'"`
	Event        *ReplayEvent `json:"event,omitempty"`
	SubmissionID string       `json:"submission_id,omitempty"`
	Lang         string       `json:"lang,omitempty"`
	Verdict      Verdict      `json:"verdict,omitempty"`
	Passed       *int         `json:"passed,omitempty"`
	Total        *int         `json:"total,omitempty"`
}

// GhostProgress is ghost.progress: the ghost's steps now due, pushed by
// the server at their original offsets on the match clock (never sooner).
// Reset: Steps are every step from the start (after a reconnection or a
// failover): the client replays its ghost lane from scratch.
type GhostProgress struct {
	MatchID string          `json:"match_id"`
	Reset   bool            `json:"reset"`
	Steps   List[GhostStep] `json:"steps"`
}

// GhostResult is ghost.result, pushed to the player when a ghost race
// ends: who accepted first (by receipt, as a match decides) and by how
// much. YouMs/GhostMs: accept times in ms after the start (null: none).
type GhostResult struct {
	MatchID  string `json:"match_id"`
	Winner   string `json:"winner" ts:"'you' | 'ghost' | 'none'"`
	YouMs    *int64 `json:"you_ms"`
	GhostMs  *int64 `json:"ghost_ms"`
	MarginMs int64  `json:"margin_ms"`
	Ghost    string `json:"ghost"` // the ghost's username
}

// EditorLive is editor.live, pushed to a match's spectators when the
// match's live-editor setting is on (match.state "live_editors"; issue
// 20): a player's editor events as the server accepted them, never to the
// other players. Seq counts a player's frames from 1: a spectator who
// misses one (Seq is not the last + 1) sends spectate again, whose reply
// (match.state "editors") carries each editor's whole text (Reset, Text)
// and the Seq it is at.
type EditorLive struct {
	MatchID string            `json:"match_id"`
	UserID  int64             `json:"user_id"`
	Seq     uint64            `json:"seq"`
	Doc     string            `json:"doc"`
	Reset   bool              `json:"reset"`
	Text    string            `json:"text,omitempty"`
	Lang    string            `json:"lang,omitempty"`
	Events  List[ReplayEvent] `json:"events"`
}
