// Package timeline is the record of what a player did in a match's
// editor: Monaco's content changes (offset, length and text in UTF-16
// units, as Monaco counts them), whole-text snapshots when an editor opens,
// pastes, focus and blur, runs and language switches, each stamped with
// the server's clock. Replays, ghost opponents and the fair-play signals
// are all read from it.
//
// It is pure: the text model (Doc), the stamping rule (Stamp), the binary
// encoding and its compressed form (Encode, Pack), reconstruction (Replay)
// and typing statistics (Typing). Package replay receives the batches and
// stores them.
package timeline

import (
	"fmt"
	"slices"
)

// Kind is what an event records.
type Kind uint8

const (
	// KindOpen is an editor opening (a page load, a reconnection, or a
	// resynchronisation after a refused batch): Text is its whole text,
	// Lang its language. Every editor instance (Doc) starts with one.
	KindOpen Kind = 1 + iota
	// KindEdit is one Monaco content change event: Changes.
	KindEdit
	// KindPaste is a paste of N UTF-16 units (its text is the KindEdit
	// beside it).
	KindPaste
	// KindFocus and KindBlur are the page or editor gaining and losing
	// focus.
	KindFocus
	KindBlur
	// KindRun is a Run (samples or custom input) started.
	KindRun
	// KindLang is a language switch: Lang.
	KindLang
	kindEnd
)

var kindNames = [...]string{KindOpen: "open", KindEdit: "edit", KindPaste: "paste", KindFocus: "focus", KindBlur: "blur",
	KindRun: "run", KindLang: "lang"}

// String is the kind's wire name.
func (k Kind) String() string {
	if k > 0 && k < kindEnd {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// ParseKind is the inverse of String.
func ParseKind(s string) (Kind, bool) {
	for k := KindOpen; k < kindEnd; k++ {
		if kindNames[k] == s {
			return k, true
		}
	}
	return 0, false
}

// Kinds lists the kinds' wire names.
func Kinds() []string {
	out := make([]string, 0, kindEnd-1)
	for k := KindOpen; k < kindEnd; k++ {
		out = append(out, kindNames[k])
	}
	return out
}

// Change replaces Len UTF-16 units at Offset with Text.
type Change struct {
	Offset int
	Len    int
	Text   string
}

// Event is one stamped event.
type Event struct {
	At   int64  // the server's stamp, Unix milliseconds
	Doc  string // the editor instance it happened in
	Kind Kind
	// Changes of a KindEdit, each against the text the previous one left.
	Changes []Change
	Text    string // KindOpen: the whole text
	Lang    string // KindOpen, KindLang
	N       int    // KindPaste: UTF-16 units pasted
}

// Inserted is the number of UTF-16 units an edit inserts.
func (e Event) Inserted() int {
	n := 0
	for _, c := range e.Changes {
		n += unitLen(c.Text)
	}
	return n
}

// Sort orders events by stamp, keeping the order of equal stamps (a batch's
// events, a document's batches).
func Sort(evs []Event) {
	slices.SortStableFunc(evs, func(a, b Event) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
}

// Stamp gives the events of one batch their server times. The batch
// arrived at recv (Unix ms, the server's clock); the client's times t (ms,
// non-decreasing, any origin) only space the events within the batch: the
// last event is stamped recv and each earlier one its client distance
// before that, but never before floor (the player's previous stamp, so a
// player's timeline never goes back) nor more than maxSpan before recv (a
// client cannot date its events into the past). Stamps are non-decreasing.
func Stamp(recv, floor, maxSpan int64, t []int64) []int64 {
	out := make([]int64, len(t))
	if len(t) == 0 {
		return out
	}
	lo := max(floor, recv-maxSpan)
	last := t[len(t)-1]
	for i, ti := range t {
		out[i] = max(lo, recv-(last-ti))
	}
	return out
}
