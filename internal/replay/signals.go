package replay

import (
	"fmt"

	"github.com/segfaultarena/segfault/internal/timeline"
)

// Signals are the fair-play facts of one player's timeline (issue 20):
// evidence for an administrator, never an accusation by themselves.
type Signals struct {
	// Pastes, in order.
	Pastes []Paste
	// PastedUnits and TypedUnits split the UTF-16 units the player put
	// into the editor: pasted, or inserted by edits of at most a few
	// units (typing; an autocompletion counts here too).
	PastedUnits, TypedUnits int
	// Blurs is how often the editor lost focus.
	Blurs int
	// Opens is how many times the editor's whole text arrived (page
	// loads, reconnections, resyncs): text that came without edits.
	Opens int
}

// Paste is one paste: its size, when (ms after the start), and whether
// the editor had lost focus in the BlurWindow before it (the text was
// fetched elsewhere).
type Paste struct {
	AtMs       int64
	Units      int
	AfterBlur  bool
	BlurAwayMs int64 // how long the editor was away before it (0: not)
}

// BlurWindow is how recent a blur must be for a paste to count as after it.
const BlurWindow = 60_000

// typedMax is the largest insert counted as typing (a keystroke, an
// auto-closed bracket pair, a short completion).
const typedMax = 8

// Analyze reads evs (one player's, in stamp order) against the match's
// start (Unix ms).
func Analyze(evs []timeline.Event, startMs int64) Signals {
	var s Signals
	var blurAt, focusAt int64 = -1, -1
	for _, e := range evs {
		switch e.Kind {
		case timeline.KindOpen:
			s.Opens++
		case timeline.KindBlur:
			s.Blurs++
			blurAt = e.At
		case timeline.KindFocus:
			focusAt = e.At
		case timeline.KindPaste:
			p := Paste{AtMs: e.At - startMs, Units: e.N}
			if blurAt >= 0 && e.At-blurAt <= BlurWindow {
				p.AfterBlur = true
				if focusAt >= blurAt {
					p.BlurAwayMs = focusAt - blurAt
				} else {
					p.BlurAwayMs = e.At - blurAt
				}
			}
			s.Pastes = append(s.Pastes, p)
			s.PastedUnits += e.N
		case timeline.KindEdit:
			for _, c := range e.Changes {
				if n := timeline.UnitLen(c.Text); n > 0 && n <= typedMax {
					s.TypedUnits += n
				}
			}
		}
	}
	return s
}

// LargestPaste is the biggest paste's size (0: none).
func (s Signals) LargestPaste() int {
	m := 0
	for _, p := range s.Pastes {
		m = max(m, p.Units)
	}
	return m
}

// Review thresholds: a paste this large (UTF-16 units, about five lines)
// is worth a look when it follows a focus loss, comes in the match's
// first minute, or when pastes make most of what the player wrote.
const (
	ReviewPasteUnits = 200
	reviewEarlyMs    = 60_000
)

// Reasons lists why a timeline deserves an administrator's look (none:
// nothing unusual). They describe facts, never a verdict.
func (s Signals) Reasons() []string {
	var out []string
	for _, p := range s.Pastes {
		if p.Units < ReviewPasteUnits {
			continue
		}
		if p.AfterBlur {
			out = append(out, fmt.Sprintf("pasted %d characters after the editor had lost focus (away %.0f s)", p.Units, float64(p.BlurAwayMs)/1000))
		}
		if p.AtMs < reviewEarlyMs {
			out = append(out, fmt.Sprintf("pasted %d characters %.0f s after the start", p.Units, float64(max(0, p.AtMs))/1000))
		}
	}
	if s.PastedUnits >= ReviewPasteUnits && s.PastedUnits > s.TypedUnits {
		out = append(out, fmt.Sprintf("pasted %d characters, typed %d", s.PastedUnits, s.TypedUnits))
	}
	return out
}
