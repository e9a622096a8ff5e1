package service

import (
	"context"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/replay"
	"github.com/segfaultarena/segfault/internal/timeline"
)

// editorBatch records what a player's editor did (editor.batch), stamped
// with the clock of the node that received it. It never answers on
// success; a refusal is an error frame naming the batch (see
// replay.Recorder.Accept), so nothing is dropped silently.
func (lv *live) editorBatch(ctx context.Context, c call, d *protocol.EditorBatch) (result, error) {
	s := lv.sh.s
	if !lv.isPlayer(c.User) {
		return result{}, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	}
	lv.mu.Lock()
	gone, state := lv.gone, lv.m.State()
	lv.mu.Unlock()
	switch {
	case gone:
		return result{}, errMoved
	case state != match.Countdown && state != match.Running && state != match.Judging:
		return result{}, errcode.Errorf(errcode.MatchNotRunning, "the match is not running")
	}
	accept := lv.tl.Accept
	if lv.liveEditors && !lv.private {
		accept = lv.acceptLive
	}
	if err := accept(c.User, s.receipt(c), d); err != nil {
		return result{}, err
	}
	lv.flushTimeline(ctx, c.User, false)
	return result{}, nil
}

// recordRun marks a run in the player's timeline (the server saw it: a
// client can neither fake nor hide one).
func (lv *live) recordRun(user int64, at time.Time) {
	lv.tl.Record(user, at, timeline.KindRun)
}

// flushTimeline writes the player's pending timeline events when they are
// due (all of them with force). A failed write keeps them for the next
// try; the game goes on.
func (lv *live) flushTimeline(ctx context.Context, user int64, force bool) {
	s := lv.sh.s
	err := lv.tl.Flush(user, s.clk.Now(), force, func(packed []byte) error {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return s.st.AppendTimeline(c, lv.id, user, packed)
	})
	if err != nil {
		s.log.Error("store timeline", "match", lv.id, "user", user, "err", err)
	}
}

// finishTimeline stores what is left of every player's timeline once the
// match's result is stored, and compacts each into one chunk.
func (lv *live) finishTimeline() {
	s := lv.sh.s
	for _, u := range lv.tl.Users() {
		lv.flushTimeline(lv.sh.ctx, u, true)
	}
	c, cancel := context.WithTimeout(lv.sh.ctx, 10*time.Second)
	defer cancel()
	if err := replay.Compact(c, s.st, lv.id); err != nil {
		s.log.Error("compact timelines", "match", lv.id, "err", err)
	}
}
