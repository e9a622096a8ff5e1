package timeline

import (
	"errors"
	"fmt"
)

// ErrNoOpen is an event of an editor instance that never opened.
var ErrNoOpen = errors.New("timeline: event before its editor opened")

// Player replays one player's events. A player may have had several
// editor instances (a reload opens a new one with the text it restored;
// two tabs are two); the player's text is the one of the editor they last
// touched.
type Player struct {
	docs map[string]*Doc
	cur  string
	lang string
}

// NewPlayer returns a Player with no editor open.
func NewPlayer() *Player { return &Player{docs: map[string]*Doc{}} }

// Apply plays one event (events must come in stamp order).
func (p *Player) Apply(e Event) error {
	if e.Kind == KindOpen {
		p.docs[e.Doc] = NewDoc(e.Text)
		p.cur, p.lang = e.Doc, e.Lang
		return nil
	}
	d := p.docs[e.Doc]
	if d == nil {
		return fmt.Errorf("%w: %s in editor %q", ErrNoOpen, e.Kind, e.Doc)
	}
	switch e.Kind {
	case KindEdit:
		if err := d.Apply(e.Changes); err != nil {
			return err
		}
	case KindLang:
		p.lang = e.Lang
	}
	p.cur = e.Doc
	return nil
}

// Text is the current text ("" before any editor opened).
func (p *Player) Text() string {
	if d := p.docs[p.cur]; d != nil {
		return d.String()
	}
	return ""
}

// Doc is the current editor's text model (nil before any opened).
func (p *Player) Doc() *Doc { return p.docs[p.cur] }

// Lang is the current editor's language.
func (p *Player) Lang() string { return p.lang }

// TextAt replays events (sorted) up to and including stamp at and returns
// the text then.
func TextAt(evs []Event, at int64) (string, error) {
	p := NewPlayer()
	for _, e := range evs {
		if e.At > at {
			break
		}
		if err := p.Apply(e); err != nil {
			return "", err
		}
	}
	return p.Text(), nil
}
