// Package ghost is the pure part of racing a ghost: a replay of a real
// past accepted solution on the same problem, played back against the
// practice match's clock at its original pace. A Script is what the ghost
// did, each step at its offset from the start of the ghost's match (its
// editor, runs, submits, verdicts); Due says which steps are due when the
// practice match has run for a given time, so the server sends each step
// at its original offset and never sooner; Race compares the two accept
// times. No clock, no I/O: the caller passes the elapsed time.
package ghost

import (
	"cmp"
	"slices"
	"time"

	"github.com/segfaultarena/segfault/internal/timeline"
)

// Kind is what a step records.
type Kind string

const (
	KindEditor  Kind = "editor"  // an editor event (open, edit, language)
	KindRun     Kind = "run"     // a run of the samples or custom input started
	KindSubmit  Kind = "submit"  // a submission received
	KindVerdict Kind = "verdict" // a submission's result
)

// Step is one thing the ghost did, At after its match started.
type Step struct {
	At   time.Duration
	Kind Kind
	// Editor is the editor event (KindEditor).
	Editor *timeline.Event
	// Submission fields (KindSubmit, KindVerdict).
	SubmissionID string
	Lang         string
	Verdict      string
	Passed       int
	Total        int
}

// Submit is one of the ghost's submissions as the store holds it.
type Submit struct {
	ID       string
	Lang     string
	Received time.Time
	// Judged is zero when no result is stored.
	Judged        time.Time
	Verdict       string
	Passed, Total int
}

// Script is a ghost's steps in offset order.
type Script struct {
	Steps []Step
	// Accept is the offset of the ghost's accepted submission (its
	// receipt, the instant that decides who solved first); Accepted is
	// false when it has none (never true for a script a ghost race uses).
	Accept   time.Duration
	Accepted bool
}

// Build makes a Script of one player's timeline (stamped events, any
// order) and submissions in a match that started at start. Steps before
// the start (an editor opened during the countdown) are due at 0. The
// ghost stops at its first accepted submission's verdict: nothing it did
// after counts (in a finished match there is nothing after it anyway).
// Focus, blur and paste markers are left out: the race shows the text,
// the runs and the submissions.
func Build(start time.Time, evs []timeline.Event, subs []Submit) Script {
	var s Script
	off := func(t time.Time) time.Duration { return max(0, Offset(start, t)) }
	for i := range evs {
		e := evs[i]
		switch e.Kind {
		case timeline.KindOpen, timeline.KindEdit, timeline.KindLang:
			s.Steps = append(s.Steps, Step{At: off(time.UnixMilli(e.At)), Kind: KindEditor, Editor: &e})
		case timeline.KindRun:
			s.Steps = append(s.Steps, Step{At: off(time.UnixMilli(e.At)), Kind: KindRun})
		}
	}
	subs = slices.Clone(subs)
	slices.SortStableFunc(subs, func(a, b Submit) int { return a.Received.Compare(b.Received) })
	end := time.Duration(-1)
	for _, sub := range subs {
		s.Steps = append(s.Steps, Step{At: off(sub.Received), Kind: KindSubmit, SubmissionID: sub.ID, Lang: sub.Lang})
		if sub.Judged.IsZero() {
			continue
		}
		at := max(off(sub.Judged), off(sub.Received))
		s.Steps = append(s.Steps, Step{At: at, Kind: KindVerdict, SubmissionID: sub.ID, Lang: sub.Lang,
			Verdict: sub.Verdict, Passed: sub.Passed, Total: sub.Total})
		if sub.Verdict == "AC" && !s.Accepted {
			s.Accept, s.Accepted, end = off(sub.Received), true, at
			break
		}
	}
	// Stable: at one offset, editor steps before the run or submission
	// they led to (the timeline's order within a batch is kept).
	slices.SortStableFunc(s.Steps, func(a, b Step) int { return cmp.Compare(a.At, b.At) })
	if end >= 0 {
		s.Steps = slices.DeleteFunc(s.Steps, func(st Step) bool { return st.At > end })
		// A step at the verdict's offset that came after it (the
		// ghost's editor in the same millisecond) is harmless: it is
		// text the ghost had.
	}
	return s
}

// Offset is t's offset from start in whole milliseconds (the protocol's
// unit), from their Unix milliseconds: sub-millisecond parts of either
// never turn 10 s into 9.999 s.
func Offset(start, t time.Time) time.Duration {
	return time.Duration(t.UnixMilli()-start.UnixMilli()) * time.Millisecond
}

// Due returns the steps due when the race has run for elapsed, starting
// at index from (the first step not sent yet), and the index of the first
// step still to come. A step is due once elapsed reaches its offset, never
// before: however late the caller asks, it gets every step due by then
// and none after.
func (s Script) Due(from int, elapsed time.Duration) ([]Step, int) {
	if from < 0 {
		from = 0
	}
	to := from
	for to < len(s.Steps) && s.Steps[to].At <= elapsed {
		to++
	}
	if to == from {
		return nil, from
	}
	return s.Steps[from:to], to
}

// Next is the offset of step i (false once every step was sent).
func (s Script) Next(i int) (time.Duration, bool) {
	if i < 0 || i >= len(s.Steps) {
		return 0, false
	}
	return s.Steps[i].At, true
}

// Text is the ghost's editor text after its first n steps (the text a
// reconnecting player's ghost lane restarts from).
func (s Script) Text(n int) string {
	p := timeline.NewPlayer()
	for _, st := range s.Steps[:min(n, len(s.Steps))] {
		if st.Editor != nil {
			_ = p.Apply(*st.Editor) // a stored timeline replays (store invariant)
		}
	}
	return p.Text()
}

// Winner of a race.
const (
	WinnerYou   = "you"
	WinnerGhost = "ghost"
	WinnerNone  = "none" // neither accepted
)

// Result is how a race ended.
type Result struct {
	Winner string
	// You and Ghost are the accept offsets (nil: no accept).
	You, Ghost *time.Duration
	// Margin is how far ahead the winner was (0 without both accepts).
	Margin time.Duration
}

// Race compares the player's accept offset (ok false: none) with the
// ghost's. Ties go to the player: the ghost is a record to beat, equal is
// beaten.
func Race(you time.Duration, youOK bool, s Script) Result {
	var r Result
	if youOK {
		r.You = &you
	}
	if s.Accepted {
		g := s.Accept
		r.Ghost = &g
	}
	switch {
	case youOK && (!s.Accepted || you <= s.Accept):
		r.Winner = WinnerYou
		if s.Accepted {
			r.Margin = s.Accept - you
		}
	case s.Accepted:
		r.Winner = WinnerGhost
		if youOK {
			r.Margin = you - s.Accept
		}
	default:
		r.Winner = WinnerNone
	}
	return r
}
