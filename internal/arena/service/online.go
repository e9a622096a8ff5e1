package service

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/segfaultarena/segfault/internal/protocol"
)

// Who is online, for the lobby (lobby.state's online_tiers and
// online_players). The presence table (every node keeps all of it) gives
// the user ids; the leader keeps one card per online user (name, rating,
// tier, provisional), read from the store in one query for the users it
// has no card for, or whose rating changed (their match ended), never
// under a lock. Once a second it counts the online users by tier and keeps
// the first onlineListMax by rating: lobby.state carries those, bounded
// whatever the number of users, and pushLobby sends it when it changed.

// onlineListMax bounds the online players lobby.state lists.
const onlineListMax = 50

// onlineEvery is how often the leader reads presence again.
const onlineEvery = time.Second

// onlineCards is the leader's copy of the online users' cards (l.mu).
type onlineCards struct {
	// cards: nil value for a user the store does not list (unknown or
	// disabled), so they are not read again every second.
	cards map[int64]*protocol.CardPlayer
	// stale: users whose rating changed since their card was read, with
	// the mark's number (a mark set during a read survives it).
	stale map[int64]uint64
	marks uint64
	tiers map[string]int
	top   []protocol.CardPlayer
}

func newOnlineCards() onlineCards {
	return onlineCards{cards: map[int64]*protocol.CardPlayer{}, stale: map[int64]uint64{}, tiers: map[string]int{}, top: []protocol.CardPlayer{}}
}

// markStale asks for users' cards to be read again (l.mu held).
func (o *onlineCards) markStale(users ...int64) {
	for _, u := range users {
		if _, ok := o.cards[u]; ok {
			o.marks++
			o.stale[u] = o.marks
		}
	}
}

// onlineLoop refreshes the online list every onlineEvery until the lease
// is lost. A store error is logged and the list kept as it was: it is
// read again at the next round, never filled with made-up ratings.
func (l *leader) onlineLoop() {
	t := time.NewTicker(onlineEvery)
	defer t.Stop()
	for {
		c, cancel := opCtx(l.ctx)
		if err := l.refreshOnline(c); err != nil && l.ctx.Err() == nil {
			l.s.log.Warn("refresh who is online", "err", err)
		}
		cancel()
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refreshOnline reads the cards the leader lacks (or that are stale) for
// the users presence says are online, then recomputes the tier counts and
// the list.
func (l *leader) refreshOnline(ctx context.Context) error {
	ids := l.s.presence.onlineUsers()
	l.mu.Lock()
	o := &l.online
	on := make(map[int64]bool, len(ids))
	var need []int64
	marks := map[int64]uint64{}
	for _, u := range ids {
		on[u] = true
		if _, ok := o.cards[u]; !ok {
			need = append(need, u)
		} else if m, ok := o.stale[u]; ok {
			need = append(need, u)
			marks[u] = m
		}
	}
	for u := range o.cards {
		if !on[u] {
			delete(o.cards, u)
			delete(o.stale, u)
		}
	}
	l.mu.Unlock()

	var read map[int64]*protocol.CardPlayer
	if len(need) > 0 {
		rs, err := l.s.st.RatedUsers(ctx, need)
		if err != nil {
			return fmt.Errorf("arena: read the online users' ratings: %w", err)
		}
		read = make(map[int64]*protocol.CardPlayer, len(need))
		for _, u := range need {
			read[u] = nil
		}
		for _, r := range rs {
			c := cardOf(r.ID, r.Username, r.Rating, r.RD)
			read[r.ID] = &c
		}
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	for u, c := range read {
		o.cards[u] = c
		if m, ok := o.stale[u]; ok && m == marks[u] {
			delete(o.stale, u)
		}
	}
	// Counted: the users online now whose card is read.
	tiers := map[string]int{}
	list := make([]protocol.CardPlayer, 0, len(ids))
	for _, u := range ids {
		if c := o.cards[u]; c != nil {
			tiers[c.Tier]++
			list = append(list, *c)
		}
	}
	slices.SortFunc(list, func(a, b protocol.CardPlayer) int {
		if c := cmp.Compare(b.Rating, a.Rating); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Username, b.Username); c != 0 {
			return c
		}
		return cmp.Compare(a.UserID, b.UserID)
	})
	o.tiers, o.top = tiers, slices.Clip(list[:min(len(list), onlineListMax)])
	return nil
}
