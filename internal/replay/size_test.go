package replay

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/timeline"
)

// TestTwentyMinutesStoredSize drives the recorder as the web client does:
// twenty minutes of typing the bundled accepted solutions one keystroke
// per Monaco event (120–400 ms apart, typos fixed with backspace), sent in
// 250 ms batches, flushed to "the store" as the arena does (chunks every
// 5 s), then compacted. The stored bytes per player must fit the issue's
// 64 KiB budget after compaction and also while the match runs (chunks),
// and the compacted timeline must replay to the text typed. Sizes, not
// speeds: the same on every machine.
func TestTwentyMinutesStoredSize(t *testing.T) {
	files, _ := filepath.Glob("../../problems/*/submissions/accepted/*")
	sort.Strings(files)
	if len(files) == 0 {
		t.Skip("no bundled solutions")
	}
	rng := rand.New(rand.NewPCG(20, 26))
	lim := DefaultLimits()
	lim.BatchesPerSec, lim.Burst = 100, 100 // the client's 4 a second never reaches the limit; simulated time is coarse
	r := NewRecorder(lim)
	t0 := time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)
	now := t0
	var chunks [][]byte
	write := func(p []byte) error { chunks = append(chunks, p); return nil }
	text := ""
	var pending []protocol.EditorEvent
	next := now.Add(250 * time.Millisecond)
	send := func() {
		if len(pending) == 0 {
			return
		}
		b := &protocol.EditorBatch{MatchID: "m", Doc: "ed1", Events: pending, Hash: timeline.HashString(text)}
		if err := r.Accept(1, now, b); err != nil {
			t.Fatalf("batch at %s: %v", now.Sub(t0), err)
		}
		pending = nil
		if err := r.Flush(1, now, false, write); err != nil {
			t.Fatal(err)
		}
	}
	ev := func(e protocol.EditorEvent) {
		e.T = now.Sub(t0).Milliseconds()
		pending = append(pending, e)
	}
	ev(protocol.EditorEvent{Kind: protocol.EditorOpen, Lang: "cpp"})
	insert := func(s string) {
		ev(protocol.EditorEvent{Kind: protocol.EditorEdit, Changes: []protocol.EditorChange{{Offset: timeline.UnitLen(text), Text: s}}})
		text += s
	}
	end := t0.Add(20 * time.Minute)
	for fi := 0; now.Before(end); fi++ {
		src, err := os.ReadFile(files[(fi*7)%len(files)])
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range string(src) {
			if !now.Before(end) {
				break
			}
			now = now.Add(time.Duration(120+rng.IntN(280)) * time.Millisecond)
			if rng.IntN(25) == 0 {
				insert("q")
				ev(protocol.EditorEvent{Kind: protocol.EditorEdit, Changes: []protocol.EditorChange{{Offset: timeline.UnitLen(text) - 1, Len: 1}}})
				text = text[:len(text)-1]
			}
			insert(string(c))
			if !now.Before(next) {
				send()
				next = now.Add(250 * time.Millisecond)
			}
		}
	}
	send()
	if err := r.Flush(1, now, true, write); err != nil {
		t.Fatal(err)
	}
	var all []timeline.Event
	during := 0
	for _, c := range chunks {
		during += len(c)
		evs, err := timeline.Unpack(c)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, evs...)
	}
	compacted, err := timeline.Pack(all)
	if err != nil {
		t.Fatal(err)
	}
	got, err := timeline.TextAt(all, all[len(all)-1].At)
	if err != nil || got != text {
		t.Fatalf("the stored timeline replays to %d bytes, typed %d (%v)", len(got), len(text), err)
	}
	t.Logf("20 min of typing: %d events, %d chunks holding %.1f KiB while the match runs, %.1f KiB compacted, %d bytes typed",
		len(all), len(chunks), float64(during)/1024, float64(len(compacted))/1024, len(text))
	if len(compacted) > 64<<10 || during > 64<<10 {
		t.Fatalf("stored %d bytes compacted, %d in chunks: over the 64 KiB budget", len(compacted), during)
	}
}
