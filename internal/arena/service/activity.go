package service

import (
	"context"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// Activity: what a player is doing right now, as the server knows it,
// shown to the other players and the spectators (opponent.progress
// `typing` and `running_samples`, and the same fields of match.state).
// Both live only in the owner's memory (a match that moves to another
// node starts with neither) and both expire, so a client or node that
// goes away never leaves an indicator on.
//
//   - typing: the client's `typing` message ({active}), sent at most every
//     2 s while keys come in and once when idle. A change is pushed at most
//     once a second; active expires typingTTL after the last active:true
//     (the idle message may be lost, or the player gone).
//   - running samples: the owner marks a run when it allows it (runCheck,
//     on the way from the player's node to the worker) and the player's
//     node clears it when the run is answered (match.run.done, whatever
//     the outcome). A mark whose node left the live view (it died with the
//     run) or that is older than Options.RunMarkTTL is dropped.

const (
	typingTTL = 6 * time.Second
	// runMarkTTL (Options.RunMarkTTL) is past execution's RunTimeout
	// (60 s): a node that lives but never said "done" (its request to the
	// owner failed).
	runMarkTTL = 90 * time.Second
)

// runMark is a sample run in flight: the node waiting for it and when
// the owner allowed it.
type runMark struct {
	node string
	at   time.Time
}

// runDoneReq is match.run.done: the player's node got the answer of run
// Run (from runTarget) of the caller in match MatchID.
type runDoneReq struct {
	MatchID string `json:"match_id"`
	Run     uint64 `json:"run"`
}

// typing applies the client's typing message (never answered).
func (lv *live) typing(ctx context.Context, c call, d *protocol.Typing) (result, error) {
	s := lv.sh.s
	if !lv.isPlayer(c.User) {
		return result{}, nil
	}
	_, _ = lv.do(func() error {
		if lv.m.State() != match.Running {
			return nil
		}
		pr := lv.progress[c.User]
		now := s.clk.Now()
		if d.Active {
			pr.TypingSeen = now
		}
		if pr.Typing != d.Active && now.Sub(pr.TypingAt) >= time.Second {
			pr.Typing, pr.TypingAt = d.Active, now
			lv.pushProgress(c.User, false)
		}
		return nil
	})
	return result{}, nil // typing never answers
}

// runStarted marks a sample run of user, waited for by node, and returns
// its number (lv.mu held).
func (lv *live) runStarted(user int64, node string) uint64 {
	pr := lv.progress[user]
	if pr == nil {
		return 0
	}
	lv.runSeq++
	if pr.runs == nil {
		pr.runs = map[uint64]runMark{}
	}
	pr.runs[lv.runSeq] = runMark{node: node, at: lv.sh.s.clk.Now()}
	if len(pr.runs) == 1 {
		lv.pushProgress(user, false)
	}
	return lv.runSeq
}

// runFinished clears the caller's run (match.run.done). An unknown run
// (expired, or the match moved here since) is nothing to do.
func (lv *live) runFinished(ctx context.Context, c call, d *runDoneReq) (result, error) {
	_, err := lv.do(func() error {
		pr := lv.progress[c.User]
		if pr == nil {
			return nil
		}
		if _, ok := pr.runs[d.Run]; ok {
			delete(pr.runs, d.Run)
			if len(pr.runs) == 0 && !lv.m.State().Terminal() {
				lv.pushProgress(c.User, false)
			}
		}
		return nil
	})
	return result{}, err
}

// runDone tells the match's owner that run n of c.User was answered.
// It runs after the reply, on its own: the player never waits for it.
func (s *Service) runDone(c call, matchID string, n uint64) {
	ctx, cancel := context.WithTimeout(s.shard.ctx, 10*time.Second)
	defer cancel()
	c.conn, c.client, c.id = nil, nil, ""
	if _, err := s.do(ctx, c, opRunDone, &runDoneReq{MatchID: matchID, Run: n}); err != nil {
		s.log.Debug("run done", "match", matchID, "user", c.User, "err", err)
	}
}

// expireActivity drops typing nobody confirmed for typingTTL, and runs
// whose node is not live (alive reports it) or older than RunMarkTTL.
func (lv *live) expireActivity(now time.Time, alive func(node string) bool) {
	_, _ = lv.do(func() error {
		for _, p := range lv.players {
			pr := lv.progress[p.UserID]
			if pr == nil {
				continue
			}
			changed := false
			if pr.Typing && now.Sub(pr.TypingSeen) > typingTTL {
				pr.Typing, pr.TypingAt = false, now
				changed = true
			}
			for n, r := range pr.runs {
				if !alive(r.node) || now.Sub(r.at) > lv.sh.s.opt.RunMarkTTL {
					delete(pr.runs, n)
					changed = changed || len(pr.runs) == 0
				}
			}
			if changed && !lv.m.State().Terminal() {
				lv.pushProgress(p.UserID, false)
			}
		}
		return nil
	})
}
