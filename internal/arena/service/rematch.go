package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// Rematches. After a 1v1 match (ranked, casual or private) either player
// may offer a rematch (rematch.offer) for rematchWindow after it ended;
// the other accepts with the same message. The matchmaker keeps the offer
// with the lobby (saved in the KV bucket like the rest of it, so a new
// leader keeps it, and every node reaches it through the operations
// table); the second acceptance reserves both players in the lobby and
// starts a match of the same mode between them, on another problem than
// the last one when the catalog has one. An offer is open for rematchTTL
// (Options.RematchTTL);
// it ends at once when a player declines or withdraws (rematch.decline),
// or queues, joins or opens a room, or starts practice ("left"). Every
// change is pushed to both players as rematch.state; a decided rematch
// answers rematch_closed for rematchKeep.
const (
	rematchWindow = 2 * time.Minute
	rematchTTL    = 30 * time.Second
	rematchKeep   = time.Minute
)

// rematchOffer is the rematch of one finished match (saved with the lobby).
type rematchOffer struct {
	Match    string                 `json:"match"`
	Mode     protocol.Mode          `json:"mode"`
	Rule     protocol.Rule          `json:"rule,omitempty"` // the rematch is scored like the match
	Problem  string                 `json:"problem"`
	Users    []int64                `json:"users"`
	Accepted []int64                `json:"accepted"`
	Expires  time.Time              `json:"expires"`
	State    protocol.RematchStatus `json:"state"`
	By       int64                  `json:"by,omitempty"`
	NewMatch string                 `json:"new_match,omitempty"`
	Decided  time.Time              `json:"decided,omitzero"`
}

func (o rematchOffer) view(now time.Time) protocol.RematchState {
	v := protocol.RematchState{MatchID: o.Match, State: o.State, Accepted: slices.Clone(o.Accepted),
		ExpiresAt: protocol.Time(o.Expires), ServerNow: protocol.Time(now)}
	if o.By != 0 {
		v.By = ptr(o.By)
	}
	if o.NewMatch != "" {
		v.NewMatchID = ptr(o.NewMatch)
	}
	return v
}

// rematchMsgs pushes o's view to both players.
func (l *leader) rematchMsgs(o rematchOffer) []outMsg {
	v := o.view(l.s.clk.Now())
	out := make([]outMsg, 0, len(o.Users))
	for _, u := range o.Users {
		out = append(out, outMsg{user: u, frame: protocol.EventRematchState, data: v})
	}
	return out
}

// decide ends an open offer (l.mu held).
func (l *leader) decideRematch(o *rematchOffer, st protocol.RematchStatus, by int64) {
	o.State, o.By, o.Decided = st, by, l.s.clk.Now()
	l.rematches[o.Match] = *o
}

// leaveRematches ends the open offers of u, who went elsewhere (l.mu
// held); the frames are for after the save.
func (l *leader) leaveRematches(u int64) []outMsg {
	var out []outMsg
	for _, o := range l.rematches {
		if o.State == protocol.RematchOpen && slices.Contains(o.Users, u) {
			l.decideRematch(&o, protocol.RematchLeft, u)
			out = append(out, l.rematchMsgs(o)...)
		}
	}
	return out
}

// expireRematches ends the offers nobody completed in time and forgets
// those decided long enough ago (l.mu held).
func (l *leader) expireRematches(now time.Time) (out []outMsg, changed bool) {
	for id, o := range l.rematches {
		switch {
		case o.State == protocol.RematchOpen && !now.Before(o.Expires):
			l.decideRematch(&o, protocol.RematchExpired, 0)
			out = append(out, l.rematchMsgs(o)...)
			changed = true
		case o.State != protocol.RematchOpen && now.Sub(o.Decided) > rematchKeep:
			delete(l.rematches, id)
			changed = true
		}
	}
	return out, changed
}

// rematchFor is the rematch to show user in a snapshot (l.mu held).
func (l *leader) rematchFor(user int64) *protocol.RematchState {
	var best *rematchOffer
	for _, o := range l.rematches {
		if slices.Contains(o.Users, user) && (best == nil || o.Expires.After(best.Expires)) {
			best = &o
		}
	}
	if best == nil {
		return nil
	}
	v := best.view(l.s.clk.Now())
	return &v
}

var errRematchClosed = errcode.New(errcode.RematchClosed, "this match's rematch is over")

// rematchable reads the finished match id from the store (no lock held)
// and checks that u may offer its rematch.
func (l *leader) rematchable(ctx context.Context, u int64, id string) (store.ArenaMatch, error) {
	m, err := l.s.st.ArenaMatch(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return m, errcode.Errorf(errcode.MatchNotFound, "no such match")
	case err != nil:
		return m, fmt.Errorf("arena: read match %s: %w", id, err)
	}
	mine := slices.ContainsFunc(m.Players, func(p store.ArenaPlayer) bool { return p.UserID == u })
	switch {
	case !mine:
		return m, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	case m.State != store.MatchFinished:
		return m, errcode.Errorf(errcode.RematchClosed, "only a finished match can be rematched")
	case len(m.Players) != 2 || (m.Mode != string(protocol.ModeRanked) && m.Mode != string(protocol.ModeCasual) && m.Mode != string(protocol.ModePrivate)):
		return m, errcode.Errorf(errcode.RematchClosed, "only a 1v1 ranked, casual or private match can be rematched")
	case l.s.clk.Now().Sub(m.FinishedAt) > rematchWindow:
		return m, errcode.Errorf(errcode.RematchClosed, "a rematch can be offered up to %s after the match", rematchWindow)
	}
	return m, nil
}

// idleCheck refuses an offer from a user who is already elsewhere (l.mu held).
func (l *leader) idleCheck(u int64) error {
	if _, ok := l.playing[u]; ok {
		return errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
	}
	switch l.lobby.Status(u).State {
	case matchmaking.Queued:
		return errcode.Errorf(errcode.AlreadyQueued, "you are in a queue; leave it first")
	case matchmaking.Proposed, matchmaking.Playing:
		return errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
	case matchmaking.InRoom:
		return errcode.Errorf(errcode.AlreadyInMatch, "you are in a private room; leave it first")
	}
	return nil
}

// rematchOffer is rematch.offer: the first player's offer opens the
// rematch, the second's starts it.
func (l *leader) rematchOffer(ctx context.Context, u int64, id string) (result, error) {
	l.mu.Lock()
	o, ok := l.rematches[id]
	l.mu.Unlock()
	if !ok {
		m, err := l.rematchable(ctx, u, id)
		if err != nil {
			return result{}, err
		}
		l.mu.Lock()
		if o, ok = l.rematches[id]; !ok {
			if err := l.idleCheck(u); err != nil {
				l.mu.Unlock()
				return result{}, err
			}
			o = newRematchOffer(m, []int64{u}, l.s.clk.Now().Add(l.s.opt.RematchTTL))
			l.rematches[id] = o
			return l.publishRematch(ctx, o, u)
		}
		l.mu.Unlock() // the other player offered meanwhile: this accepts it
	}
	switch {
	case !slices.Contains(o.Users, u):
		return result{}, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	case o.State != protocol.RematchOpen:
		return result{}, errRematchClosed
	case slices.Contains(o.Accepted, u):
		return result{Type: protocol.EventRematchState, Data: o.view(l.s.clk.Now())}, nil
	}
	// The second acceptance: both players' current ratings (I/O, no lock).
	infos := make([]playerInfo, 0, len(o.Users))
	for _, p := range o.Users {
		info, err := l.s.userInfo(ctx, p)
		if err != nil {
			return result{}, err
		}
		info.UserID = p
		infos = append(infos, info)
	}
	l.mu.Lock()
	o, ok = l.rematches[id]
	now := l.s.clk.Now()
	switch {
	case !ok || o.State != protocol.RematchOpen:
		l.mu.Unlock()
		return result{}, errRematchClosed
	case !now.Before(o.Expires):
		l.mu.Unlock()
		return result{}, errRematchClosed // the next tick pushes expired
	case slices.Contains(o.Accepted, u):
		l.mu.Unlock()
		return result{Type: protocol.EventRematchState, Data: o.view(now)}, nil
	}
	var out []outMsg
	if who, err := l.lobby.Reserve(o.Users...); err != nil {
		// One of them went elsewhere (a queue, a room) without the offer
		// being ended yet: say so rather than start half a match.
		l.decideRematch(&o, protocol.RematchLeft, who)
		return l.publishRematch(ctx, o, u)
	}
	newID := "x" + newID()
	o.Accepted = append(slices.Clone(o.Accepted), u)
	o.NewMatch = newID
	l.decideRematch(&o, protocol.RematchStarted, 0)
	for _, p := range o.Users {
		l.playing[p] = playingEntry{match: newID, since: now}
	}
	ver := l.bump()
	out = l.rematchMsgs(o)
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	l.s.deliver("", out)
	req := createReq{MatchID: newID, Mode: o.Mode, Rule: o.Rule, Players: infos, Private: o.Mode == protocol.ModePrivate, Avoid: o.Problem}
	r, err := l.create(ctx, u, req)
	if err != nil && errcode.CodeOf(err) != errcode.Unavailable {
		// create freed both players and told them (start_failed).
		l.mu.Lock()
		if cur, ok := l.rematches[id]; ok && cur.NewMatch == newID {
			l.decideRematch(&cur, protocol.RematchFailed, 0)
			l.bump()
			out = l.rematchMsgs(cur)
		}
		l.mu.Unlock()
		l.s.deliver("", out)
	}
	return r, err
}

// rematchDecline is rematch.decline: the player declines the offer, or
// withdraws their own.
func (l *leader) rematchDecline(ctx context.Context, u int64, id string) (result, error) {
	l.mu.Lock()
	o, ok := l.rematches[id]
	switch {
	case !ok:
		l.mu.Unlock()
		// Nothing offered yet: declining closes it for both all the same.
		m, err := l.rematchable(ctx, u, id)
		if err != nil {
			return result{}, err
		}
		l.mu.Lock()
		if o, ok = l.rematches[id]; !ok {
			o = newRematchOffer(m, []int64{}, l.s.clk.Now())
		}
	case !slices.Contains(o.Users, u):
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	}
	if o.State != protocol.RematchOpen {
		l.mu.Unlock()
		return result{}, errRematchClosed
	}
	l.decideRematch(&o, protocol.RematchDeclined, u)
	return l.publishRematch(ctx, o, u)
}

// newRematchOffer is an open offer for finished match m.
func newRematchOffer(m store.ArenaMatch, accepted []int64, expires time.Time) rematchOffer {
	o := rematchOffer{Match: m.ID, Mode: protocol.Mode(m.Mode), Rule: ruleOf(m.Rule), Problem: m.ProblemID, Accepted: accepted,
		Expires: expires, State: protocol.RematchOpen}
	for _, p := range m.Players {
		o.Users = append(o.Users, p.UserID)
	}
	return o
}

// publishRematch is the end of a change to offer o made under l.mu, which it
// releases: the lobby version is bumped and saved, the other player is told,
// and u is answered with the offer's view.
func (l *leader) publishRematch(ctx context.Context, o rematchOffer, u int64) (result, error) {
	ver := l.bump()
	out := l.rematchMsgs(o)
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	l.s.deliver("", others(out, u))
	return result{Type: protocol.EventRematchState, Data: o.view(l.s.clk.Now())}, nil
}

// others is out without the frames to u (who gets the reply instead).
func others(out []outMsg, u int64) []outMsg {
	return slices.DeleteFunc(slices.Clone(out), func(m outMsg) bool { return m.user == u })
}
