package protocol

import (
	"errors"
	"fmt"

	"github.com/segfaultarena/segfault/internal/errcode"
)

// Limits of editor.batch (issue 20: every match replayable). The client
// sends what its editor did about every 250 ms; the server stamps each
// event with its own clock and records it for the replay.
const (
	// MaxEditorEvents bounds the events of one editor.batch
	// (timeline_too_large).
	MaxEditorEvents = 512
	// MaxEditorBatchText bounds the text one editor.batch carries (an open's
	// whole text plus the changes' inserted text, bytes; timeline_too_large).
	MaxEditorBatchText = 2 * MaxCodeBytes
	// MaxEditorChanges bounds the changes of one edit event (a multi-cursor
	// edit or a formatting is one event of many changes).
	MaxEditorChanges = 2048
	// MaxEditorDocBytes bounds an editor instance id.
	MaxEditorDocBytes = 32
	// EditorBatchMs is how often the web client sends a batch.
	EditorBatchMs = 250
)

// EditorKind is what an editor event records (the names of
// internal/timeline's kinds that a client may send; `run` is recorded by
// the server when code.run arrives, so a client can neither fake nor hide
// one).
type EditorKind string

const (
	// EditorOpen is an editor instance opening with its whole text (a page
	// load, a reconnection, or the answer to timeline_resync).
	EditorOpen EditorKind = "open"
	// EditorEdit is one Monaco content change event.
	EditorEdit EditorKind = "edit"
	// EditorPaste is a paste of n UTF-16 units (its text is the edit beside it).
	EditorPaste EditorKind = "paste"
	// EditorFocus and EditorBlur are the page or editor gaining and losing focus.
	EditorFocus EditorKind = "focus"
	EditorBlur  EditorKind = "blur"
	// EditorLang is a language switch.
	EditorLang EditorKind = "lang"
	// EditorRun is a Run, recorded by the server (never sent by a client;
	// it appears in replays).
	EditorRun EditorKind = "run"
)

// EditorChange replaces l UTF-16 units at offset o with x (Monaco's
// rangeOffset, rangeLength and text).
type EditorChange struct {
	Offset int    `json:"o"`
	Len    int    `json:"l"`
	Text   string `json:"x"`
}

// EditorEvent is one event of a batch. T is the client's time in ms (any
// origin, non-decreasing within the batch): it only spaces the batch's
// events, the server stamps them with its own clock.
type EditorEvent struct {
	T       int64          `json:"t"`
	Kind    EditorKind     `json:"k"`
	Changes []EditorChange `json:"c,omitempty"`    // edit
	Text    string         `json:"text,omitempty"` // open: the whole text
	Lang    string         `json:"lang,omitempty"` // open, lang
	N       int            `json:"n,omitempty"`    // paste: UTF-16 units
}

// EditorBatch is editor.batch: what one editor instance (Doc, random per
// page load) did since the previous batch, and Hash, the FNV-1a hash (32
// bits) of its text after the batch over the UTF-16 units, so the server
// knows its copy is the editor's. Success has no reply; a refusal is an
// error frame naming the batch (timeline_resync: send an open with the
// whole text; timeline_too_large, timeline_full, rate_limited,
// invalid_request, match_not_running, not_in_match).
type EditorBatch struct {
	MatchID string            `json:"match_id"`
	Doc     string            `json:"doc"`
	Events  List[EditorEvent] `json:"events"`
	Hash    uint32            `json:"hash"`
}

// ValidEditorDoc reports whether s is an editor instance id: 1 to
// MaxEditorDocBytes of A-Z, a-z, 0-9, '_' and '-'.
func ValidEditorDoc(s string) bool {
	if s == "" || len(s) > MaxEditorDocBytes {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Validate checks the batch's shape; whether its changes fit the text is
// the server's recorder's check (timeline_resync).
func (m *EditorBatch) Validate() error {
	switch {
	case !ValidMatchID(m.MatchID):
		return errors.New("match_id is required")
	case !ValidEditorDoc(m.Doc):
		return fmt.Errorf("doc must be 1..%d characters of A-Z, a-z, 0-9, _ or -", MaxEditorDocBytes)
	case len(m.Events) == 0:
		return errors.New("events must not be empty")
	case len(m.Events) > MaxEditorEvents:
		return &errcode.Error{Code: errcode.TimelineTooLarge, Limit: MaxEditorEvents,
			Message: fmt.Sprintf("%d events in one batch, over the limit of %d", len(m.Events), MaxEditorEvents)}
	}
	text := 0
	var prev int64
	for i, e := range m.Events {
		if e.T < 0 || e.T < prev {
			return fmt.Errorf("events[%d]: t must be non-negative and non-decreasing", i)
		}
		prev = e.T
		if e.N < 0 || len(e.Lang) > 32 {
			return fmt.Errorf("events[%d]: bad n or lang", i)
		}
		ok := true
		switch e.Kind {
		case EditorOpen:
			ok = len(e.Changes) == 0 && e.N == 0
			if len(e.Text) > MaxCodeBytes {
				return &errcode.Error{Code: errcode.TimelineTooLarge, Limit: MaxCodeBytes,
					Message: fmt.Sprintf("events[%d]: an open of %d bytes, over the code limit of %d", i, len(e.Text), MaxCodeBytes)}
			}
		case EditorEdit:
			ok = len(e.Changes) > 0 && e.Text == "" && e.Lang == "" && e.N == 0
			if len(e.Changes) > MaxEditorChanges {
				return &errcode.Error{Code: errcode.TimelineTooLarge, Limit: MaxEditorChanges,
					Message: fmt.Sprintf("events[%d]: %d changes in one edit, over the limit of %d", i, len(e.Changes), MaxEditorChanges)}
			}
			for j, c := range e.Changes {
				if c.Offset < 0 || c.Len < 0 || c.Offset > 1<<30 || c.Len > 1<<30 {
					return fmt.Errorf("events[%d].c[%d]: offset and length must be non-negative", i, j)
				}
				text += len(c.Text)
			}
		case EditorPaste:
			ok = len(e.Changes) == 0 && e.Text == "" && e.Lang == "" && e.N <= 1<<30
		case EditorFocus, EditorBlur:
			ok = len(e.Changes) == 0 && e.Text == "" && e.Lang == "" && e.N == 0
		case EditorLang:
			ok = len(e.Changes) == 0 && e.Text == "" && e.Lang != "" && e.N == 0
		default:
			return fmt.Errorf("events[%d]: k must be open, edit, paste, focus, blur or lang", i)
		}
		if !ok {
			return fmt.Errorf("events[%d]: fields that a %s event does not have", i, e.Kind)
		}
		text += len(e.Text)
	}
	if text > MaxEditorBatchText {
		return &errcode.Error{Code: errcode.TimelineTooLarge, Limit: MaxEditorBatchText,
			Message: fmt.Sprintf("the batch carries %d bytes of text, over the limit of %d", text, MaxEditorBatchText)}
	}
	return nil
}
