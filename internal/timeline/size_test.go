package timeline

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// typist simulates twenty minutes of continuous typing in Monaco: the
// bundled accepted solutions typed one after the other, character by
// character, 120–400 ms a keystroke with a thinking pause now and then,
// typos fixed with backspace, a line deleted and retyped from time to time,
// a run every two minutes and a few focus changes. Every keystroke is its
// own content change event (as Monaco fires them).
func typist(tb testing.TB, minutes int, seed uint64) (evs []Event, final string) {
	tb.Helper()
	files, _ := filepath.Glob("../../problems/*/submissions/accepted/*")
	sort.Strings(files)
	if len(files) == 0 {
		tb.Skip("no bundled solutions")
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	ed := &editor{}
	at := int64(1_750_000_000_000)
	end := at + int64(minutes)*60_000
	nextRun := at + 120_000
	evs = append(evs, Event{At: at, Doc: "ed1", Kind: KindOpen, Lang: "cpp"})
	add := func(e Event) {
		e.At, e.Doc = at, "ed1"
		evs = append(evs, e)
	}
	for fi := 0; at < end; fi++ {
		src, err := os.ReadFile(files[(fi*7)%len(files)])
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range string(src) {
			if at >= end {
				break
			}
			at += int64(120 + rng.IntN(280))
			if rng.IntN(60) == 0 {
				at += int64(2_000 + rng.IntN(8_000)) // thinking
			}
			if rng.IntN(25) == 0 { // a typo, then backspace
				add(ed.edit(Change{Offset: len(ed.u), Text: "q"}))
				at += int64(150 + rng.IntN(200))
				add(ed.edit(Change{Offset: len(ed.u) - 1, Len: 1}))
				at += int64(100 + rng.IntN(200))
			}
			add(ed.edit(Change{Offset: len(ed.u), Text: string(r)}))
			if r == '\n' && rng.IntN(40) == 0 { // delete the last line typed and go on
				at += 600
				add(ed.edit(Change{Offset: max(0, len(ed.u)-1), Len: min(1, len(ed.u))}))
				at += 300
				add(ed.edit(Change{Offset: len(ed.u), Text: "\n"}))
			}
			if at >= nextRun {
				add(Event{Kind: KindRun})
				nextRun += 120_000
			}
			if rng.IntN(500) == 0 {
				add(Event{Kind: KindBlur})
				at += int64(1_000 + rng.IntN(5_000))
				add(Event{Kind: KindFocus})
			}
		}
	}
	return evs, ed.text()
}

// TestTwentyMinutesFitBudget checks the storage budget on the
// deterministic typing sample: a 20-minute match of typing must cost at
// most 64 KiB per player, packed. (A size, not a speed: the same bytes on
// every machine.)
func TestTwentyMinutesFitBudget(t *testing.T) {
	evs, want := typist(t, 20, 1)
	packed, err := Pack(evs)
	if err != nil {
		t.Fatal(err)
	}
	if len(packed) > 64<<10 {
		t.Fatalf("20 minutes of typing pack to %d bytes, over 64 KiB", len(packed))
	}
	back, err := Unpack(packed)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := TextAt(back, 1<<62); got != want {
		t.Fatal("the packed sample does not replay to the typed text")
	}
	t.Logf("%d events, %d bytes typed text, packed %d bytes", len(evs), len(want), len(packed))
}

// BenchmarkTwentyMinutes prints what a 20-minute match of continuous
// typing costs in storage per player:
//
//	go test -run '^$' -bench TwentyMinutes ./internal/timeline
func BenchmarkTwentyMinutes(b *testing.B) {
	evs, text := typist(b, 20, 1)
	raw, _ := Encode(evs)
	var packed []byte
	for b.Loop() {
		var err error
		if packed, err = Pack(evs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(packed)), "packed-bytes")
	b.ReportMetric(float64(len(raw)), "encoded-bytes")
	b.ReportMetric(float64(len(evs)), "events")
	b.Logf("20 min of typing: %d events, final text %d bytes, encoded %d bytes, packed %.1f KiB (budget 64 KiB)",
		len(evs), len(text), len(raw), float64(len(packed))/1024)
}
