package timeline

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The binary form of a list of events, for the store. Events are sorted
// by stamp; each is
//
//	kind byte (| 0x80 when its Doc differs from the previous event's, then
//	the Doc as a string), the stamp as an unsigned varint of milliseconds
//	since the previous event (the first: since the stream's base), then
//	open: lang, text; edit: the change count, then per change the offset
//	as a signed varint relative to where the previous change's text ended,
//	the length, the text; paste: N; lang: lang
//
// with strings as a length varint and UTF-8 bytes. Typing at the cursor
// makes every offset 0 relative to the last insert, so a keystroke costs
// five bytes before compression. Pack deflates it.

const (
	streamMagic  = 'T'
	packedMagic  = 'Z'
	codecVersion = 1
	docFlag      = 0x80
)

// ErrCorrupt is a stream that does not decode.
var ErrCorrupt = errors.New("timeline: corrupt stream")

// Encode writes events (sorted by stamp) in the binary form.
func Encode(evs []Event) ([]byte, error) {
	var b []byte
	b = append(b, streamMagic, codecVersion)
	var base int64
	if len(evs) > 0 {
		base = evs[0].At
	}
	b = binary.AppendVarint(b, base)
	b = binary.AppendUvarint(b, uint64(len(evs)))
	prevAt, doc, pred := base, "", 0
	for i, e := range evs {
		if e.Kind == 0 || e.Kind >= kindEnd {
			return nil, fmt.Errorf("timeline: encode event %d: unknown kind %d", i, e.Kind)
		}
		if e.At < prevAt {
			return nil, fmt.Errorf("timeline: encode event %d: stamp %d before %d", i, e.At, prevAt)
		}
		k := byte(e.Kind)
		if e.Doc != doc || i == 0 {
			k |= docFlag
		}
		b = append(b, k)
		if k&docFlag != 0 {
			b = appendString(b, e.Doc)
			doc = e.Doc
		}
		b = binary.AppendUvarint(b, uint64(e.At-prevAt))
		prevAt = e.At
		switch e.Kind {
		case KindOpen:
			b = appendString(b, e.Lang)
			b = appendString(b, e.Text)
			pred = unitLen(e.Text)
		case KindEdit:
			b = binary.AppendUvarint(b, uint64(len(e.Changes)))
			for _, c := range e.Changes {
				b = binary.AppendVarint(b, int64(c.Offset-pred))
				b = binary.AppendUvarint(b, uint64(c.Len))
				b = appendString(b, c.Text)
				pred = c.Offset + unitLen(c.Text)
			}
		case KindPaste:
			b = binary.AppendUvarint(b, uint64(e.N))
		case KindLang:
			b = appendString(b, e.Lang)
		}
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Decode reads the binary form. It never trusts a length beyond the bytes
// left, so a corrupt stream is an error, not an allocation.
func Decode(b []byte) ([]Event, error) {
	r := &reader{b: b}
	if r.byte() != streamMagic || r.byte() != codecVersion {
		return nil, fmt.Errorf("%w: not a version %d stream", ErrCorrupt, codecVersion)
	}
	at := r.varint()
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) { // every event takes at least two bytes
		return nil, fmt.Errorf("%w: header", ErrCorrupt)
	}
	evs := make([]Event, 0, n)
	doc, pred := "", 0
	for i := uint64(0); i < n && r.err == nil; i++ {
		k := r.byte()
		if k&docFlag != 0 {
			doc = r.string()
		} else if i == 0 {
			r.fail()
		}
		e := Event{Kind: Kind(k &^ docFlag), Doc: doc}
		dt := r.uvarint()
		if dt > 1<<53 {
			r.fail()
		}
		at += int64(dt)
		e.At = at
		switch e.Kind {
		case KindOpen:
			e.Lang = r.string()
			e.Text = r.string()
			pred = unitLen(e.Text)
		case KindEdit:
			nc := r.uvarint()
			if nc > uint64(len(r.b)) {
				r.fail()
				break
			}
			e.Changes = make([]Change, 0, nc)
			for j := uint64(0); j < nc && r.err == nil; j++ {
				off := int64(pred) + r.varint()
				l := r.uvarint()
				text := r.string()
				if off < 0 || off > 1<<31 || l > 1<<31 {
					r.fail()
				}
				e.Changes = append(e.Changes, Change{Offset: int(off), Len: int(l), Text: text})
				pred = int(off) + unitLen(text)
			}
		case KindPaste:
			nn := r.uvarint()
			if nn > 1<<31 {
				r.fail()
			}
			e.N = int(nn)
		case KindLang:
			e.Lang = r.string()
		case KindFocus, KindBlur, KindRun:
		default:
			r.fail()
		}
		evs = append(evs, e)
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last event", ErrCorrupt, len(r.b))
	}
	return evs, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = ErrCorrupt
	}
	r.b = nil
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// MaxUnpacked bounds what Unpack inflates (a stored timeline is far
// smaller; a corrupt or hostile blob cannot exhaust memory).
const MaxUnpacked = 64 << 20

// Pack is the stored, compressed form: Encode, then DEFLATE.
func Pack(evs []Event) ([]byte, error) {
	raw, err := Encode(evs)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteByte(packedMagic)
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unpack reads Pack's form.
func Unpack(b []byte) ([]Event, error) {
	if len(b) == 0 || b[0] != packedMagic {
		return nil, fmt.Errorf("%w: not a packed timeline", ErrCorrupt)
	}
	r := flate.NewReader(bytes.NewReader(b[1:]))
	defer r.Close()
	raw, err := io.ReadAll(io.LimitReader(r, MaxUnpacked+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if len(raw) > MaxUnpacked {
		return nil, fmt.Errorf("%w: over %d bytes inflated", ErrCorrupt, MaxUnpacked)
	}
	return Decode(raw)
}
