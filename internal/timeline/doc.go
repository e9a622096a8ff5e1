package timeline

import (
	"errors"
	"fmt"
	"unicode/utf16"
)

// Doc is an editor's text as Monaco holds it: UTF-16 code units, which is
// what Monaco's offsets and lengths count. A character outside the Basic
// Multilingual Plane (an emoji) is two units; "é" typed as one code point
// is one.
type Doc struct {
	u []uint16
}

// NewDoc returns a Doc holding text.
func NewDoc(text string) *Doc { return &Doc{u: utf16.Encode([]rune(text))} }

// String is the text as UTF-8: the bytes a submission of it carries.
func (d *Doc) String() string { return string(utf16.Decode(d.u)) }

// Len is the text's length in UTF-16 units.
func (d *Doc) Len() int { return len(d.u) }

// Clone returns an independent copy.
func (d *Doc) Clone() *Doc { return &Doc{u: append([]uint16(nil), d.u...)} }

// Hash is FNV-1a (32 bits) over the UTF-16 units, the client's check
// that the server's copy is its own: for each unit u, h = (h ^ u) × 16777619.
func (d *Doc) Hash() uint32 { return hashUnits(d.u) }

func hashUnits(us []uint16) uint32 {
	h := uint32(2166136261)
	for _, u := range us {
		h = (h ^ uint32(u)) * 16777619
	}
	return h
}

// HashString is Hash of a text.
func HashString(s string) uint32 { return hashUnits(utf16.Encode([]rune(s))) }

// ErrRange is a change outside the text.
var ErrRange = errors.New("timeline: change outside the text")

// Apply applies changes in order, each to the text the previous one left
// (Monaco gives the changes of one event against the text before it, in
// descending offset order, so applying them one after the other is the
// same). Nothing changes on error.
func (d *Doc) Apply(changes []Change) error {
	// Check every change against the length it will meet before touching
	// the text, so a bad change in the middle leaves it as it was.
	n := len(d.u)
	for i, c := range changes {
		if c.Offset < 0 || c.Len < 0 || c.Offset > n || c.Len > n-c.Offset {
			return fmt.Errorf("%w: change %d replaces [%d, %d+%d) of %d units", ErrRange, i, c.Offset, c.Offset, c.Len, n)
		}
		n += unitLen(c.Text) - c.Len
	}
	for _, c := range changes {
		ins := utf16.Encode([]rune(c.Text))
		tail := d.u[c.Offset+c.Len:]
		out := make([]uint16, 0, c.Offset+len(ins)+len(tail))
		out = append(out, d.u[:c.Offset]...)
		out = append(out, ins...)
		out = append(out, tail...)
		d.u = out
	}
	return nil
}

// unitLen is the length of s in UTF-16 units.
func unitLen(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// UnitLen is the length of s in UTF-16 units, as Monaco counts it.
func UnitLen(s string) int { return unitLen(s) }
