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

func TestReasons(t *testing.T) {
	typed := Signals{TypedUnits: 2000, Pastes: []Paste{{AtMs: 300_000, Units: 150}}, PastedUnits: 150}
	if r := typed.Reasons(); len(r) != 0 {
		t.Fatalf("a typist with a small paste: %v", r)
	}
	s := Signals{TypedUnits: 40, PastedUnits: 900, Pastes: []Paste{{AtMs: 20_000, Units: 900, AfterBlur: true, BlurAwayMs: 12_000}}}
	want := []string{"pasted 900 characters after the editor had lost focus (away 12 s)", "pasted 900 characters 20 s after the start", "pasted 900 characters, typed 40"}
	if r := s.Reasons(); len(r) != 3 || r[0] != want[0] || r[1] != want[1] || r[2] != want[2] {
		t.Fatalf("reasons %q, want %q", r, want)
	}
}
