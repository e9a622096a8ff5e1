package replay

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/timeline"
)

var t0 = time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)

func open(doc, text string, t int64) *protocol.EditorBatch {
	return &protocol.EditorBatch{MatchID: "m", Doc: doc, Hash: timeline.HashString(text),
		Events: protocol.List[protocol.EditorEvent]{{T: t, Kind: protocol.EditorOpen, Text: text, Lang: "go"}}}
}

func insert(doc string, at int, text, after string, t int64) *protocol.EditorBatch {
	return &protocol.EditorBatch{MatchID: "m", Doc: doc, Hash: timeline.HashString(after),
		Events: protocol.List[protocol.EditorEvent]{{T: t, Kind: protocol.EditorEdit, Changes: []protocol.EditorChange{{Offset: at, Text: text}}}}}
}

func code(err error) errcode.Code { return errcode.CodeOf(err) }

func pending(t *testing.T, r *Recorder, user int64) []timeline.Event {
	t.Helper()
	var got []timeline.Event
	if err := r.Flush(user, t0, true, func(p []byte) error {
		evs, err := timeline.Unpack(p)
		got = evs
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestAcceptStampsWithTheServerClock(t *testing.T) {
	r := NewRecorder(DefaultLimits())
	// The client's clock is days off: only its spacing counts, and never
	// more than MaxSpan before the arrival.
	b := open("d", "", 9_000_000)
	b.Events = append(b.Events, protocol.EditorEvent{T: 9_000_000 + 60_000, Kind: protocol.EditorFocus},
		protocol.EditorEvent{T: 9_000_000 + 61_000, Kind: protocol.EditorBlur})
	if err := r.Accept(1, t0, b); err != nil {
		t.Fatal(err)
	}
	// A later batch arriving "earlier" (a skewed forwarding node) never
	// stamps before the last one.
	if err := r.Accept(1, t0.Add(-time.Second), insert("d", 0, "a", "a", 5)); err != nil {
		t.Fatal(err)
	}
	evs := pending(t, r, 1)
	ms := t0.UnixMilli()
	want := []int64{ms - 5000, ms - 1000, ms, ms}
	var got []int64
	for _, e := range evs {
		got = append(got, e.At)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("stamps %v, want %v", got, want)
	}
}

func TestRefusedBatchChangesNothing(t *testing.T) {
	r := NewRecorder(DefaultLimits())
	if err := r.Accept(1, t0, open("d", "héllo 🚀", 0)); err != nil {
		t.Fatal(err)
	}
	// The emoji is two UTF-16 units: offset 8 is the end, 9 is outside.
	cases := map[string]*protocol.EditorBatch{
		"outside":      insert("d", 9, "!", "héllo 🚀!", 1),
		"wrong hash":   insert("d", 8, "!", "héllo 🚀?", 1),
		"unknown doc":  insert("e", 0, "!", "!", 1),
		"second half":  {MatchID: "m", Doc: "d", Hash: 1, Events: protocol.List[protocol.EditorEvent]{{T: 1, Kind: protocol.EditorEdit, Changes: []protocol.EditorChange{{Offset: 0, Text: "x"}, {Offset: 99, Len: 1}}}}},
		"focus on new": {MatchID: "m", Doc: "f", Hash: 0, Events: protocol.List[protocol.EditorEvent]{{T: 1, Kind: protocol.EditorFocus}}},
	}
	for name, b := range cases {
		if err := r.Accept(1, t0, b); code(err) != errcode.TimelineResync {
			t.Errorf("%s: %v, want timeline_resync", name, err)
		}
	}
	if txt, _ := r.Text(1, "d"); txt != "héllo 🚀" {
		t.Fatalf("text %q after refusals", txt)
	}
	if err := r.Accept(1, t0, insert("d", 8, "!", "héllo 🚀!", 2)); err != nil {
		t.Fatal(err)
	}
	if evs := pending(t, r, 1); len(evs) != 2 {
		t.Fatalf("%d events kept, want the open and the one good edit", len(evs))
	}
}

func TestRateAndBudget(t *testing.T) {
	lim := DefaultLimits()
	lim.BatchesPerSec, lim.Burst = 2, 3
	r := NewRecorder(lim)
	text := ""
	send := func(at time.Time) error {
		err := r.Accept(1, at, insert("d", len(text), "x", text+"x", 0))
		if err == nil {
			text += "x"
		}
		return err
	}
	if err := r.Accept(1, t0, open("d", "", 0)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := send(t0); err != nil {
			t.Fatal(err)
		}
	}
	err := send(t0)
	var e *errcode.Error
	if !errors.As(err, &e) || e.Code != errcode.RateLimited || e.RetryAfter <= 0 {
		t.Fatalf("4th batch in an instant: %v, want rate_limited with retry_after", err)
	}
	if err := send(t0.Add(500 * time.Millisecond)); err != nil {
		t.Fatalf("after half a second at 2/s: %v", err)
	}

	lim = DefaultLimits()
	lim.MaxBytes = 200
	r = NewRecorder(lim)
	if err := r.Accept(1, t0, open("d", strings.Repeat("a", 150), 0)); err != nil {
		t.Fatal(err)
	}
	if err := r.Accept(1, t0, insert("d", 150, strings.Repeat("b", 60), strings.Repeat("a", 150)+strings.Repeat("b", 60), 1)); code(err) != errcode.TimelineFull {
		t.Fatalf("over the budget: %v, want timeline_full", err)
	}
}

func TestEditorsAreForgottenLeastRecentlyUsedFirst(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxDocs = 2
	r := NewRecorder(lim)
	for _, d := range []string{"a", "b"} {
		if err := r.Accept(1, t0, open(d, d, 0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Accept(1, t0, insert("a", 1, "!", "a!", 1)); err != nil { // a is the recent one
		t.Fatal(err)
	}
	if err := r.Accept(1, t0, open("c", "c", 2)); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Text(1, "b"); ok {
		t.Fatal("b should be forgotten")
	}
	if txt, ok := r.Text(1, "a"); !ok || txt != "a!" {
		t.Fatalf("a = %q %v", txt, ok)
	}
	if err := r.Accept(1, t0, insert("b", 1, "!", "b!", 3)); code(err) != errcode.TimelineResync {
		t.Fatalf("a forgotten editor: %v, want timeline_resync", err)
	}
}

func TestRecordAndFlush(t *testing.T) {
	lim := DefaultLimits()
	r := NewRecorder(lim)
	r.Record(1, t0, timeline.KindRun) // no editor yet: nothing to mark
	if err := r.Accept(1, t0, open("d", "x", 0)); err != nil {
		t.Fatal(err)
	}
	r.Record(1, t0.Add(-time.Hour), timeline.KindRun) // never before the last stamp
	var wrote [][]timeline.Event
	write := func(p []byte) error {
		evs, err := timeline.Unpack(p)
		wrote = append(wrote, evs)
		return err
	}
	// Not due yet: two events, the oldest just stamped.
	if err := r.Flush(1, t0, false, write); err != nil || len(wrote) != 0 {
		t.Fatalf("flushed early: %v %d", err, len(wrote))
	}
	// A failed write keeps the events.
	if err := r.Flush(1, t0, true, func([]byte) error { return errors.New("db down") }); err == nil {
		t.Fatal("a failed write must say so")
	}
	if err := r.Flush(1, t0.Add(lim.FlushAge), false, write); err != nil || len(wrote) != 1 {
		t.Fatalf("due by age: %v %d", err, len(wrote))
	}
	evs := wrote[0]
	if len(evs) != 2 || evs[1].Kind != timeline.KindRun || evs[1].At != t0.UnixMilli() || evs[1].Doc != "d" {
		t.Fatalf("events %+v", evs)
	}
}

// The client may send what internal/timeline replays, except runs.
func TestEditorKindsAreTimelineKinds(t *testing.T) {
	for _, k := range []protocol.EditorKind{protocol.EditorOpen, protocol.EditorEdit, protocol.EditorPaste,
		protocol.EditorFocus, protocol.EditorBlur, protocol.EditorLang, protocol.EditorRun} {
		if _, ok := timeline.ParseKind(string(k)); !ok {
			t.Errorf("%s is not a timeline kind", k)
		}
	}
}
