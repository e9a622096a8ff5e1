package service

import (
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// shard is the matches this node owns: the live ones in memory, found in
// the store when ownership moves here (claimed with the view's epoch as
// fencing token), timed by one timer heap.
type shard struct {
	s   *Service
	ctx context.Context // ends when the service stops

	mu      sync.Mutex // guards the maps; never held during I/O
	view    view
	matches map[string]*live
	byUser  map[int64]*live
	// busy holds the matches being created or claimed here: an action on
	// one waits until it is live (or given up).
	busy map[string]chan struct{}

	tmu    sync.Mutex
	timers timerHeap

	claimKick chan struct{}
	saves     chan saveReq
}

// saveReq is one match's save, grouped with others (saveLoop).
type saveReq struct {
	rec  store.ArenaMatch
	done chan error
}

// saveBatch bounds the matches saved in one store transaction.
const saveBatch = 256

func newShard(ctx context.Context, s *Service) *shard {
	return &shard{s: s, ctx: ctx, matches: map[string]*live{}, byUser: map[int64]*live{}, busy: map[string]chan struct{}{},
		claimKick: make(chan struct{}, 1), saves: make(chan saveReq, saveBatch)}
}

// onView takes a new membership view: matches that moved away are
// dropped at once (their new owner claims them); the claim pass looks for
// the ones that moved here.
func (sh *shard) onView(v view) {
	self := sh.s.node
	var dropped []*live
	sh.mu.Lock()
	sh.view = v
	for id, lv := range sh.matches {
		if v.owner(id) != self {
			dropped = append(dropped, lv)
			sh.unindex(lv)
		}
	}
	sh.mu.Unlock()
	for _, lv := range dropped {
		lv.mu.Lock()
		lv.gone = true
		lv.mu.Unlock()
		sh.s.log.Info("match moved to another node", "match", lv.id, "owner", v.owner(lv.id))
	}
	sh.kickClaims()
}

func (sh *shard) kickClaims() {
	select {
	case sh.claimKick <- struct{}{}:
	default:
	}
}

func (sh *shard) currentView() view {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.view
}

// ownsByView reports whether the current view gives match id to this node.
func (sh *shard) ownsByView(id string) bool {
	v := sh.currentView()
	return v.owner(id) == sh.s.node
}

func (sh *shard) unindex(lv *live) {
	delete(sh.matches, lv.id)
	for _, p := range lv.players {
		if sh.byUser[p.UserID] == lv {
			delete(sh.byUser, p.UserID)
		}
	}
}

func (sh *shard) add(lv *live) {
	sh.matches[lv.id] = lv
	for _, p := range lv.players {
		sh.byUser[p.UserID] = lv
	}
}

// remove forgets a finished match.
func (sh *shard) remove(lv *live) {
	sh.mu.Lock()
	if sh.matches[lv.id] == lv {
		sh.unindex(lv)
	}
	sh.mu.Unlock()
}

// lose drops a match whose write the store fenced: a newer owner has it.
func (sh *shard) lose(lv *live, err error) {
	sh.s.log.Warn("match taken over by another node; dropping it", "match", lv.id, "err", err)
	lv.mu.Lock()
	lv.gone, lv.running, lv.out = true, false, nil
	lv.mu.Unlock()
	sh.remove(lv)
}

// get returns the live match id owned here. It waits while the match is
// being created or claimed here, and answers errMoved when another node
// owns it or this node may not act (members.active) and match_not_found
// when no live match has that id.
func (sh *shard) get(ctx context.Context, id string) (*live, error) {
	for {
		sh.mu.Lock()
		lv, busy, owner := sh.matches[id], sh.busy[id], sh.view.owner(id)
		sh.mu.Unlock()
		switch {
		case !sh.s.members.active():
			// Its view may be stale (a starved node that just woke up, see
			// members): the caller retries until it is current, or the
			// match moved.
			return nil, errMoved
		case lv != nil:
			return lv, nil
		case busy != nil:
			select {
			case <-busy:
				continue
			case <-ctx.Done():
				return nil, errcode.Errorf(errcode.Unavailable, "the match is being taken over; retry in a moment")
			}
		case owner != sh.s.node:
			return nil, errMoved
		}
		return nil, errcode.Errorf(errcode.MatchNotFound, "no running match %q", truncateID(id))
	}
}

// playing returns the live match id if user plays in it.
func (sh *shard) playing(ctx context.Context, id string, user int64) (*live, error) {
	lv, err := sh.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !lv.isPlayer(user) {
		return nil, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	}
	return lv, nil
}

// lookup is the live match id owned here, nil if none (it never waits).
func (sh *shard) lookup(id string) *live {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.matches[id]
}

// userMatch is the live match owned here that user plays in, if any.
func (sh *shard) userMatch(user int64) *live {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.byUser[user]
}

func (sh *shard) all() []*live {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]*live, 0, len(sh.matches))
	for _, lv := range sh.matches {
		out = append(out, lv)
	}
	return out
}

// count is the number of live matches owned here.
func (sh *shard) count() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return len(sh.matches)
}

// reserve marks id as being created here; false if it exists or is busy.
func (sh *shard) reserve(id string) (chan struct{}, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.matches[id] != nil || sh.busy[id] != nil {
		return nil, false
	}
	ch := make(chan struct{})
	sh.busy[id] = ch
	return ch, true
}

// settleBusy ends a reservation, making lv live if it is not nil and this
// node still owns it by the current view.
func (sh *shard) settleBusy(id string, ch chan struct{}, lv *live) bool {
	sh.mu.Lock()
	delete(sh.busy, id)
	ok := lv != nil && sh.view.owner(id) == sh.s.node
	if ok {
		sh.add(lv)
	}
	sh.mu.Unlock()
	close(ch)
	return ok
}

// save writes a match's state, grouped with the other matches' saves
// waiting at the same time: one store transaction for all of them.
func (sh *shard) save(ctx context.Context, rec store.ArenaMatch) error {
	req := saveReq{rec: rec, done: make(chan error, 1)}
	select {
	case sh.saves <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// saveLoop takes the saves waiting (up to saveBatch) and writes them in
// one transaction; a failed batch fails each of its saves.
func (sh *shard) saveLoop() {
	for {
		var batch []saveReq
		select {
		case <-sh.ctx.Done():
			return
		case r := <-sh.saves:
			batch = append(batch, r)
		}
	more:
		for len(batch) < saveBatch {
			select {
			case r := <-sh.saves:
				batch = append(batch, r)
			default:
				break more
			}
		}
		recs := make([]store.ArenaMatch, len(batch))
		for i, r := range batch {
			recs[i] = r.rec
		}
		c, cancel := context.WithTimeout(sh.ctx, 10*time.Second)
		errs, err := sh.s.st.SaveMatchStates(c, recs)
		cancel()
		for i, r := range batch {
			if err != nil {
				r.done <- err
			} else {
				r.done <- errs[i]
			}
		}
	}
}

// --- claims ------------------------------------------------------------------

// claimLoop claims the active matches the view gives to this node: at
// each view change, and every few seconds for matches created by a node
// that had not seen the change yet. It also announces results whose
// owner died before announcing them.
func (sh *shard) claimLoop() {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-sh.ctx.Done():
			return
		case <-sh.claimKick:
		case <-t.C:
		}
		if !sh.s.members.active() {
			continue
		}
		sh.claimPass()
		sh.s.announcePending(sh.ctx)
		sh.measureAll()
	}
}

func (sh *shard) claimPass() {
	v := sh.currentView()
	c, cancel := opCtx(sh.ctx)
	ps, err := sh.s.st.ActivePlayers(c, 1_000_000)
	cancel()
	if err != nil {
		sh.s.log.Warn("list active matches", "err", err)
		return
	}
	seen := map[string]bool{}
	var mine []string
	for _, p := range ps {
		if seen[p.MatchID] {
			continue
		}
		seen[p.MatchID] = true
		if v.owner(p.MatchID) != sh.s.node {
			continue
		}
		sh.mu.Lock()
		known := sh.matches[p.MatchID] != nil || sh.busy[p.MatchID] != nil
		sh.mu.Unlock()
		if !known {
			mine = append(mine, p.MatchID)
		}
	}
	for _, id := range mine {
		if err := sh.claim(id, v.epoch); err != nil {
			sh.s.log.Warn("claim match", "match", id, "err", err)
		}
	}
}

// forwardSettle is how long a new owner holds the deadlines of the matches
// it took over (match.Hold): actions the nodes received during the
// takeover (retried every 150 ms while no owner answers) arrive first, so
// a submission received before a deadline that passed meanwhile counts.
const forwardSettle = time.Second

// claim takes match id over with the fencing token and restores it.
func (sh *shard) claim(id string, token int64) error {
	ch, ok := sh.reserve(id)
	if !ok {
		return nil
	}
	var lv *live
	defer func() {
		if sh.settleBusy(id, ch, lv) {
			sh.s.log.Info("took over match", "match", id, "token", token)
			_, _ = lv.do(func() error { lv.m.Tick(); return nil }) // overdue timers fire at their instants
		}
	}()
	c, cancel := opCtx(sh.ctx)
	defer cancel()
	am, err := sh.s.st.ClaimMatch(c, id, token)
	switch {
	case errors.Is(err, store.ErrFenced), errors.Is(err, store.ErrNotFound):
		return nil // a newer view's owner has it, or it is gone
	case err != nil:
		return err
	case am.State == store.MatchFinished || am.State == store.MatchCancelled:
		return nil
	}
	lv, err = sh.restore(c, am, token)
	return err
}

func (sh *shard) restore(ctx context.Context, am store.ArenaMatch, token int64) (*live, error) {
	s := sh.s
	var x matchExtras
	if err := json.Unmarshal(am.Snapshot, &x); err != nil {
		return nil, fmt.Errorf("decode snapshot of %s: %w", am.ID, err)
	}
	cfg := s.opt.Match
	if x.DurationS > 0 {
		cfg = withDuration(cfg, time.Duration(x.DurationS)*time.Second)
	}
	m, err := match.Restore(cfg, s.clk, x.Match)
	if err != nil {
		return nil, err
	}
	version := x.ProblemVersion
	if version == 0 {
		version = am.ProblemVersion
	}
	prob, ok := s.playable.At(ctx, am.ProblemID, version)
	if !ok {
		s.log.Error("restored match's problem is gone", "match", am.ID, "problem", am.ProblemID, "version", version)
	}
	lv := newLive(sh, am.ID, cfg, m, protocol.Mode(am.Mode), x.Private, x.Players, prob, token)
	lv.restored = true
	lv.liveEditors = am.LiveEditors
	if x.Ghost != nil {
		// The lane restarts on the player's page from the start
		// (ghost.progress reset) with every step due by now.
		if lv.ghost, err = s.loadGhost(ctx, *x.Ghost); err != nil {
			return nil, err
		}
		lv.ghost.reset = true
	}
	for _, sub := range x.Match.Submissions {
		if pr := lv.progress[sub.Player]; pr != nil {
			pr.Submissions++
		}
	}
	m.Hold()
	lv.settle = s.clk.Now().Add(forwardSettle)
	return lv, nil
}

func withDuration(cfg match.Config, d time.Duration) match.Config {
	cfg.Durations = map[match.Difficulty]time.Duration{match.Easy: d, match.Medium: d, match.Hard: d}
	return cfg
}

// --- timers ------------------------------------------------------------------

type timerEntry struct {
	at time.Time
	lv *live
}

type timerHeap []timerEntry

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timerEntry)) }
func (h *timerHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// schedule makes sure lv is ticked at `at` (entries for an instant the
// match no longer wants are skipped when they come up).
func (sh *shard) schedule(lv *live, at time.Time) {
	sh.tmu.Lock()
	defer sh.tmu.Unlock()
	if lv.timerAt.Equal(at) {
		return
	}
	lv.timerAt = at
	heap.Push(&sh.timers, timerEntry{at: at, lv: lv})
}

// timerLoop ticks the matches whose timers are due, every TimerEvery.
// Cut off from NATS (or from the membership), this node decides nothing:
// it cannot hear forwarded submissions nor tell anyone, and its matches
// are about to move; their new owner decides, at the timers' instants.
func (sh *shard) timerLoop() {
	t := time.NewTicker(sh.s.opt.TimerEvery)
	defer t.Stop()
	for {
		select {
		case <-sh.ctx.Done():
			return
		case <-t.C:
		}
		if !sh.s.bus.NC.IsConnected() || !sh.s.members.active() {
			continue
		}
		now := sh.s.clk.Now()
		var due []*live
		sh.tmu.Lock()
		for sh.timers.Len() > 0 && !now.Before(sh.timers[0].at) {
			e := heap.Pop(&sh.timers).(timerEntry)
			if e.lv.timerAt.Equal(e.at) {
				e.lv.timerAt = time.Time{}
				due = append(due, e.lv)
			}
		}
		sh.tmu.Unlock()
		for _, lv := range due {
			_, _ = lv.do(func() error { lv.m.Tick(); return nil })
		}
	}
}

// --- presence -------------------------------------------------------------------

// presenceChanged applies a user's connection change to their match here.
func (sh *shard) presenceChanged(user int64) {
	if lv := sh.userMatch(user); lv != nil {
		sh.reconcile(lv, sh.s.presence.online)
	}
}

// reconcile brings a match's players' connection state in line with the
// presence table: absent players get their grace, returning ones lose it.
// Until every live node has reported (right after this node started),
// nobody is judged absent: they may be connected to a node not heard yet.
func (sh *shard) reconcile(lv *live, online func(int64) bool) {
	settling := !sh.s.presence.heardAll(sh.currentView().nodes)
	_, _ = lv.do(func() error {
		st := lv.m.State()
		if st != match.Countdown && st != match.Running && st != match.Accepted {
			return nil
		}
		for _, mp := range lv.m.Players() {
			if mp.Out != "" {
				continue
			}
			on := online(mp.ID)
			switch {
			case !on && mp.DisconnectedAt.IsZero() && !settling:
				_ = lv.m.Disconnected(mp.ID)
			case on && !mp.DisconnectedAt.IsZero():
				_ = lv.m.Reconnected(mp.ID)
			}
		}
		return nil
	})
}

// presenceLoop reconciles every match each second: a node that went
// silent stops counting its users after presenceTTL; typing and sample
// runs expire (activity.go).
func (sh *shard) presenceLoop() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-sh.ctx.Done():
			return
		case <-t.C:
		}
		if !sh.s.members.active() {
			continue
		}
		v, now := sh.currentView(), sh.s.clk.Now()
		for _, lv := range sh.all() {
			sh.reconcile(lv, sh.s.presence.online)
			lv.expireActivity(now, v.has)
		}
	}
}

func truncateID(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// splitLast returns the last dot-separated token of s.
func splitLast(s string) string {
	return s[strings.LastIndexByte(s, '.')+1:]
}
