package service

import (
	"time"

	"github.com/segfaultarena/segfault/internal/protocol"
)

// Live editor spectating (issue 20): a per-match setting, chosen when the
// match is created and stored with it (store.ArenaMatch.LiveEditors):
// queued matches take Options.LiveEditors for their mode (empty by
// default: off everywhere, ranked included, so nobody can feed a player
// their opponent's code from the spectator seat), a room takes its host's
// choice (room.create live_editors, which also opens the room's match to
// spectators who have its id; it stays unrated, unlisted, and its code
// private after the end). Practice matches never have spectators.
//
// When it is on, every editor.batch the owner accepts is pushed, in the
// order accepted, as editor.live on the match's spectator subject only:
// players never receive it (they cannot spectate their own match), and
// when it is off nothing of the code reaches spectators.

// liveEditor is what the owner knows of a player's editor for spectators
// (lv.mu held).
type liveEditor struct {
	seq  uint64
	doc  string
	lang string
}

// liveEditorsFor is the setting of a new match.
func (s *Service) liveEditorsFor(req *createReq) bool {
	switch req.Mode {
	case protocol.ModePractice:
		return false
	case protocol.ModePrivate:
		return req.Room.LiveEditors
	}
	return s.opt.LiveEditors[req.Mode]
}

// acceptLive records a batch and pushes it to the spectators, both under
// the match's lock so that the frames leave in the order the recorder
// accepted the batches.
func (lv *live) acceptLive(user int64, recv time.Time, d *protocol.EditorBatch) error {
	_, err := lv.do(func() error {
		if err := lv.tl.Accept(user, recv, d); err != nil {
			return err
		}
		le := lv.liveEd[user]
		if le == nil {
			le = &liveEditor{}
			lv.liveEd[user] = le
		}
		le.seq++
		le.doc = d.Doc
		f := protocol.EditorLive{MatchID: lv.id, UserID: user, Seq: le.seq, Doc: d.Doc, Events: protocol.List[protocol.ReplayEvent]{}}
		at := recv.UnixMilli()
		for _, e := range d.Events {
			if e.Kind == protocol.EditorOpen || e.Kind == protocol.EditorLang {
				le.lang = e.Lang
			}
			f.Events = append(f.Events, protocol.ReplayEvent{At: at, Doc: d.Doc, Kind: e.Kind, Changes: e.Changes, Text: e.Text, Lang: e.Lang, N: e.N})
		}
		lv.out = append(lv.out, outMsg{frame: protocol.EventEditorLive, data: f})
		return nil
	})
	return err
}

// liveEditorsView is each player's editor now, for a spectator's start
// (lv.mu held).
func (lv *live) liveEditorsView() []protocol.EditorLive {
	var out []protocol.EditorLive
	for _, p := range lv.players {
		le := lv.liveEd[p.UserID]
		if le == nil {
			continue
		}
		text, ok := lv.tl.Text(p.UserID, le.doc)
		if !ok {
			continue
		}
		out = append(out, protocol.EditorLive{MatchID: lv.id, UserID: p.UserID, Seq: le.seq, Doc: le.doc, Reset: true, Text: text,
			Lang: le.lang, Events: protocol.List[protocol.ReplayEvent]{}})
	}
	return out
}
