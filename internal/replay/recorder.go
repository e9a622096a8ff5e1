// Package replay receives the editor timeline of live matches
// (editor.batch), stamps it with the server's clock, bounds it and keeps
// it for the store, and reads it back for replays (issue 20). The text
// model, the stamping rule and the stored form are internal/timeline's.
package replay

import (
	"fmt"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/timeline"
)

// Limits bound what one player may record in one match.
type Limits struct {
	// MaxSpan is how far before its arrival a batch's first event may be
	// stamped (the client's times only space the events of a batch).
	MaxSpan time.Duration
	// BatchesPerSec and Burst are a player's batch budget in a match
	// (rate_limited beyond; the web client sends 4 a second).
	BatchesPerSec, Burst float64
	// MaxBytes is the player's recording budget in the match, in encoded
	// bytes (timeline_full beyond): twenty minutes of typing encode to
	// about 60 KiB.
	MaxBytes int
	// MaxDocs is how many editor instances a player's texts are kept for
	// (the least recently used is forgotten; its next batch resyncs).
	MaxDocs int
	// MaxDocUnits bounds an editor's text, UTF-16 units.
	MaxDocUnits int
	// FlushEvents and FlushAge say when pending events are due for the
	// store: that many, or the oldest that old.
	FlushEvents int
	FlushAge    time.Duration
}

// DefaultLimits are the arena's.
func DefaultLimits() Limits {
	return Limits{MaxSpan: 5 * time.Second, BatchesPerSec: 8, Burst: 24, MaxBytes: 2 << 20, MaxDocs: 8,
		MaxDocUnits: 4 * protocol.MaxCodeBytes, FlushEvents: 512, FlushAge: 5 * time.Second}
}

// Recorder holds the timelines of one live match: each player's editor
// texts (to check every batch against), the last stamp, and the events
// not yet in the store. It is safe for concurrent use.
type Recorder struct {
	lim Limits
	mu  sync.Mutex
	p   map[int64]*track
}

type track struct {
	docs    map[string]*timeline.Doc
	used    map[string]int64 // doc → last batch, for the LRU
	tick    int64
	floor   int64 // the last stamp: a player's timeline never goes back
	pending []timeline.Event
	bytes   int // encoded bytes recorded so far
	tokens  float64
	last    int64 // the bucket's last refill, Unix ms
	// flush serialises a player's writes, so chunks reach the store in
	// the order their events were stamped.
	flush sync.Mutex
}

// NewRecorder returns an empty Recorder.
func NewRecorder(lim Limits) *Recorder {
	return &Recorder{lim: lim, p: map[int64]*track{}}
}

func (r *Recorder) track(user int64) *track {
	t := r.p[user]
	if t == nil {
		t = &track{docs: map[string]*timeline.Doc{}, used: map[string]int64{}, tokens: r.lim.Burst}
		r.p[user] = t
	}
	return t
}

// Accept checks a batch that arrived at recv against the player's editor
// text, stamps its events and keeps them. A refused batch changes
// nothing and says why with an *errcode.Error: rate_limited,
// timeline_full, timeline_too_large, or timeline_resync (the server does
// not hold the text the batch was made against: the client sends an open
// with its whole text).
func (r *Recorder) Accept(user int64, recv time.Time, b *protocol.EditorBatch) error {
	if err := b.Validate(); err != nil {
		if _, ok := errcode.As(err); ok {
			return err
		}
		return errcode.New(errcode.InvalidRequest, err.Error())
	}
	now := recv.UnixMilli()
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.track(user)
	// The batch budget (refilled by the server's clock).
	if t.last != 0 {
		t.tokens = min(r.lim.Burst, t.tokens+float64(max(0, now-t.last))/1000*r.lim.BatchesPerSec)
	}
	t.last = now
	if t.tokens < 1 {
		retry := time.Duration((1 - t.tokens) / r.lim.BatchesPerSec * float64(time.Second))
		return &errcode.Error{Code: errcode.RateLimited, Message: "too many editor batches; slow down", RetryAfter: retry}
	}

	// Apply to a copy of the editor's text: all or nothing.
	var doc *timeline.Doc
	if d := t.docs[b.Doc]; d != nil {
		doc = d.Clone()
	}
	ts := make([]int64, len(b.Events))
	evs := make([]timeline.Event, 0, len(b.Events))
	size := 0
	for i, e := range b.Events {
		ts[i] = e.T
		ev := timeline.Event{Doc: b.Doc, Text: e.Text, Lang: e.Lang, N: e.N}
		switch e.Kind {
		case protocol.EditorOpen:
			ev.Kind = timeline.KindOpen
			doc = timeline.NewDoc(e.Text)
		case protocol.EditorEdit:
			ev.Kind = timeline.KindEdit
			if doc == nil {
				return resync("editor %q is not open here", b.Doc)
			}
			ev.Changes = make([]timeline.Change, len(e.Changes))
			for j, c := range e.Changes {
				ev.Changes[j] = timeline.Change{Offset: c.Offset, Len: c.Len, Text: c.Text}
			}
			if err := doc.Apply(ev.Changes); err != nil {
				return resync("events[%d] does not fit the editor's text: %v", i, err)
			}
		case protocol.EditorPaste:
			ev.Kind = timeline.KindPaste
		case protocol.EditorFocus:
			ev.Kind = timeline.KindFocus
		case protocol.EditorBlur:
			ev.Kind = timeline.KindBlur
		case protocol.EditorLang:
			ev.Kind = timeline.KindLang
		}
		if doc == nil {
			return resync("editor %q is not open here", b.Doc)
		}
		if doc.Len() > r.lim.MaxDocUnits {
			return &errcode.Error{Code: errcode.TimelineTooLarge, Limit: int64(r.lim.MaxDocUnits),
				Message: fmt.Sprintf("the editor's text would be %d UTF-16 units, over the limit of %d", doc.Len(), r.lim.MaxDocUnits)}
		}
		size += eventSize(ev)
		evs = append(evs, ev)
	}
	if h := doc.Hash(); h != b.Hash {
		return resync("the editor's text after the batch hashes to %d here, %d in the editor", h, b.Hash)
	}
	if t.bytes+size > r.lim.MaxBytes {
		return &errcode.Error{Code: errcode.TimelineFull, Limit: int64(r.lim.MaxBytes),
			Message: fmt.Sprintf("this match's recording of your editor is full (%d bytes)", r.lim.MaxBytes)}
	}

	// Accepted: stamp and keep.
	t.tokens--
	stamps := timeline.Stamp(now, t.floor, r.lim.MaxSpan.Milliseconds(), ts)
	for i := range evs {
		evs[i].At = stamps[i]
	}
	t.floor = stamps[len(stamps)-1]
	t.bytes += size
	t.pending = append(t.pending, evs...)
	if t.docs[b.Doc] == nil && len(t.docs) >= r.lim.MaxDocs {
		t.evict()
	}
	t.tick++
	t.docs[b.Doc], t.used[b.Doc] = doc, t.tick
	return nil
}

// evict forgets the least recently used editor.
func (t *track) evict() {
	var oldest string
	for d, u := range t.used {
		if oldest == "" || u < t.used[oldest] {
			oldest = d
		}
	}
	delete(t.docs, oldest)
	delete(t.used, oldest)
}

func resync(format string, a ...any) error {
	return errcode.Errorf(errcode.TimelineResync, "send the editor's whole text again (open): "+format, a...)
}

// eventSize is about what ev costs encoded.
func eventSize(ev timeline.Event) int {
	n := 4 + len(ev.Doc) + len(ev.Text) + len(ev.Lang)
	for _, c := range ev.Changes {
		n += 4 + len(c.Text)
	}
	return n
}

// Record keeps an event the server itself observed (a run), stamped at
// (never before the player's last stamp). It is dropped if the player
// never opened an editor here (a replay has no editor to mark) or the
// budget is spent.
func (r *Recorder) Record(user int64, at time.Time, kind timeline.Kind) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.track(user)
	doc := ""
	var best int64 = -1
	for d, u := range t.used {
		if u > best {
			doc, best = d, u
		}
	}
	if doc == "" || t.bytes+8 > r.lim.MaxBytes {
		return
	}
	ev := timeline.Event{At: max(at.UnixMilli(), t.floor), Doc: doc, Kind: kind}
	t.floor = ev.At
	t.bytes += eventSize(ev)
	t.pending = append(t.pending, ev)
}

// Text is the player's current text in editor doc, as the server holds it.
func (r *Recorder) Text(user int64, doc string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t := r.p[user]; t != nil && t.docs[doc] != nil {
		return t.docs[doc].String(), true
	}
	return "", false
}

// Users lists the players with a recording.
func (r *Recorder) Users() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]int64, 0, len(r.p))
	for u := range r.p {
		out = append(out, u)
	}
	return out
}

// Flush writes a player's pending events with write (one packed chunk)
// when they are due (all of them with force). Writes of one player never
// overlap or reorder; a failed write puts its events back in front.
func (r *Recorder) Flush(user int64, now time.Time, force bool, write func(packed []byte) error) error {
	r.mu.Lock()
	t := r.p[user]
	r.mu.Unlock()
	if t == nil {
		return nil
	}
	t.flush.Lock()
	defer t.flush.Unlock()
	r.mu.Lock()
	evs := t.pending
	due := len(evs) > 0 && (force || len(evs) >= r.lim.FlushEvents || now.UnixMilli()-evs[0].At >= r.lim.FlushAge.Milliseconds())
	if due {
		t.pending = nil
	}
	r.mu.Unlock()
	if !due {
		return nil
	}
	packed, err := timeline.Pack(evs)
	if err == nil {
		err = write(packed)
	}
	if err != nil {
		r.mu.Lock()
		t.pending = append(evs, t.pending...)
		r.mu.Unlock()
		return fmt.Errorf("replay: flush timeline of user %d: %w", user, err)
	}
	return nil
}
