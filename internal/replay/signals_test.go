package replay

import (
	"testing"

	"github.com/segfaultarena/segfault/internal/timeline"
)

func TestAnalyze(t *testing.T) {
	const start = 1_000_000
	ed := func(at int64, text string) timeline.Event {
		return timeline.Event{At: at, Doc: "d", Kind: timeline.KindEdit, Changes: []timeline.Change{{Text: text}}}
	}
	evs := []timeline.Event{
		{At: start, Doc: "d", Kind: timeline.KindOpen, Text: "tmpl"},
		ed(start+1000, "a"), ed(start+1200, "🚀"), ed(start+1400, "()"),
		{At: start + 2000, Doc: "d", Kind: timeline.KindPaste, N: 300}, ed(start+2000, string(make([]byte, 300))),
		{At: start + 10_000, Doc: "d", Kind: timeline.KindBlur},
		{At: start + 40_000, Doc: "d", Kind: timeline.KindFocus},
		{At: start + 41_000, Doc: "d", Kind: timeline.KindPaste, N: 900}, ed(start+41_000, string(make([]byte, 900))),
		{At: start + 200_000, Doc: "d", Kind: timeline.KindPaste, N: 5}, ed(start+200_000, "hello"),
	}
	s := Analyze(evs, start)
	if s.Opens != 1 || s.Blurs != 1 || s.TypedUnits != 1+2+2+5 || s.PastedUnits != 1205 || s.LargestPaste() != 900 {
		t.Fatalf("signals %+v", s)
	}
	want := []Paste{{AtMs: 2000, Units: 300}, {AtMs: 41_000, Units: 900, AfterBlur: true, BlurAwayMs: 30_000}, {AtMs: 200_000, Units: 5}}
	for i, p := range s.Pastes {
		if p != want[i] {
			t.Errorf("paste %d = %+v, want %+v", i, p, want[i])
		}
	}
}
