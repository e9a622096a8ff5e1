package service

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// The leader is the matchmaker: the one node holding the arena-leader
// lease runs the lobby (queues, accept phases, cooldowns, private rooms)
// and knows who is playing where. It does not run matches: a confirmed
// match is created on its owner (see members.go), which tells the leader
// when it ends.
//
// Its lock guards memory only. An action changes the lobby under it and
// bumps a version; a saver goroutine writes the latest lobby snapshot to
// the `arena` KV bucket (compressed, coalescing bursts), and the action
// replies only once its version is saved, so a new leader never forgets
// what a player was told. Frames are pushed after the save, outside the
// lock. Who plays in which match is not saved: a new leader reads it from
// the store, where the matches are.

const lobbyKey = "lobby"

type roomSettings struct {
	MaxPlayers int    `json:"max_players"`
	DurationS  int    `json:"duration_s"`
	ProblemID  string `json:"problem_id"`
	// Rule scores the room's match ("" fastest).
	Rule protocol.Rule `json:"rule,omitempty"`
	// LiveEditors: the host opened the match to spectators who watch the
	// editors live (liveeditors.go).
	LiveEditors bool `json:"live_editors,omitempty"`
}

// lobbyDoc is the saved lobby. Info holds the name, level and rating of
// the users waiting, proposed or in a room (the views show them).
type lobbyDoc struct {
	Lobby matchmaking.State       `json:"lobby"`
	Rooms map[string]roomSettings `json:"rooms"`
	Info  map[int64]playerInfo    `json:"info,omitempty"`
	// Rematches are the rematch offers by finished match (rematch.go).
	Rematches map[string]rematchOffer `json:"rematches,omitempty"`
}

type playingEntry struct {
	match string
	since time.Time
	// starting: the owner did not answer match.create in time (it may
	// have created the match after all); the sweep cancels it if the
	// store never shows it.
	starting bool
	mode     protocol.Mode
}

type leader struct {
	s   *Service
	ctx context.Context // ends when the lease is lost

	mu      sync.Mutex
	lobby   *matchmaking.Lobby
	rooms   map[string]roomSettings
	info    map[int64]playerInfo
	playing map[int64]playingEntry
	// rematches: the rematch offers by finished match (rematch.go).
	rematches map[string]rematchOffer
	expired   map[string]time.Time // dissolved proposals, to answer accept_expired
	windows   map[int64]float64
	live      map[string]liveMatchJSON
	liveTop   []liveMatchJSON // the newest liveListMax of live, nil when live changed since
	recent    []recentMatchJSON
	online    onlineCards // who is online (online.go)
	tourney   *tourneyRun // the tournament scheduler (tournament_sched.go)
	lobbySig  string
	ver       uint64 // lobby changes so far
	saved     uint64 // lobby changes in the KV bucket
	savedCh   chan struct{}

	kick       chan struct{} // wakes the saver
	recentKick chan struct{}

	// Actions whose reply is not sent yet: a tick's pushes wait for the
	// replies of the actions before it (a queue.join answered after the
	// match.found of the tick that followed it would hide the match).
	actions  uint64
	open     map[uint64]bool
	closedCh chan struct{}
	// ghostAt: each player's last ghost search (at most one a second:
	// a search reads up to 51 rows; ghostrace.go).
	ghostAt map[int64]time.Time
}

// newLeader restores the lobby from the KV bucket and who is playing from
// the store. Any read error stops it: the lease is given up and tried
// again, rather than leading with a lobby that forgot players.
func newLeader(ctx context.Context, s *Service) (*leader, error) {
	lobby, err := matchmaking.NewLobby(s.opt.Matchmaking, s.clk, nil)
	if err != nil {
		return nil, err
	}
	l := &leader{s: s, ctx: ctx, lobby: lobby, rooms: map[string]roomSettings{}, info: map[int64]playerInfo{},
		playing: map[int64]playingEntry{}, rematches: map[string]rematchOffer{}, expired: map[string]time.Time{}, windows: map[int64]float64{},
		live: map[string]liveMatchJSON{}, online: newOnlineCards(), tourney: newTourneyRun(), savedCh: make(chan struct{}), kick: make(chan struct{}, 1),
		recentKick: make(chan struct{}, 1), open: map[uint64]bool{}, closedCh: make(chan struct{}), ghostAt: map[int64]time.Time{}}
	c, cancel := opCtx(ctx)
	defer cancel()
	var doc lobbyDoc
	entry, err := s.bus.State().Get(c, lobbyKey)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
	case err != nil:
		return nil, fmt.Errorf("arena: read the lobby: %w", err)
	default:
		if err := decodeLobby(entry.Value(), &doc); err != nil {
			s.log.Error("lobby snapshot unreadable; starting with an empty lobby", "err", err)
			doc = lobbyDoc{}
		}
	}
	active, err := s.st.ActivePlayers(c, 1_000_000)
	if err != nil {
		return nil, fmt.Errorf("arena: read who is playing: %w", err)
	}
	now := s.clk.Now()
	elsewhere := map[int64]bool{}
	for _, t := range doc.Lobby.Waiting {
		elsewhere[t.UserID] = true
	}
	for _, p := range doc.Lobby.Proposals {
		for _, t := range p.Tickets {
			elsewhere[t.UserID] = true
		}
	}
	for _, r := range doc.Lobby.Rooms {
		for _, u := range r.Members {
			elsewhere[u] = true
		}
	}
	doc.Lobby.Playing = nil
	for _, p := range active {
		l.playing[p.UserID] = playingEntry{match: p.MatchID, since: now}
		if !elsewhere[p.UserID] {
			doc.Lobby.Playing = append(doc.Lobby.Playing, p.UserID)
		}
	}
	if err := lobby.Restore(doc.Lobby); err != nil {
		s.log.Error("lobby snapshot inconsistent; starting with an empty lobby", "err", err)
		_ = lobby.Restore(matchmaking.State{Playing: doc.Lobby.Playing})
	} else {
		if doc.Rooms != nil {
			l.rooms = doc.Rooms
		}
		if doc.Info != nil {
			l.info = doc.Info
		}
		if doc.Rematches != nil {
			l.rematches = doc.Rematches
		}
	}
	// Every active match, page by page (the lobby's live count and list
	// cover them all, not the oldest page).
	if err := s.eachActiveMatch(c, func(m store.ArenaMatch) bool {
		if public(m.Mode) {
			l.live[m.ID] = liveView(m)
			l.liveTop = nil
		}
		return true
	}); err != nil {
		return nil, fmt.Errorf("arena: read the running matches: %w", err)
	}
	if err := l.refreshRecent(c); err != nil {
		return nil, err
	}
	return l, nil
}

// activePage is how many active matches one store read returns.
const activePage = 1000

// eachActiveMatch calls fn with every active match, oldest first, reading
// them activePage at a time, until fn returns false.
func (s *Service) eachActiveMatch(ctx context.Context, fn func(store.ArenaMatch) bool) error {
	var cur store.MatchCursor
	for {
		ms, err := s.st.ActiveMatchesAfter(ctx, cur, activePage)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if !fn(m) {
				return nil
			}
		}
		if len(ms) < activePage {
			return nil
		}
		cur = store.CursorOf(ms[len(ms)-1])
	}
}

func decodeLobby(b []byte, doc *lobbyDoc) error {
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return err
		}
		if b, err = io.ReadAll(io.LimitReader(zr, 256<<20)); err != nil {
			return err
		}
	}
	return json.Unmarshal(b, doc)
}

// public: matches anyone may watch and that appear in the lobby's lists.
func public[M ~string](mode M) bool {
	return mode != M(protocol.ModePrivate) && mode != M(protocol.ModePractice)
}

func liveView(m store.ArenaMatch) liveMatchJSON {
	v := liveMatchJSON{MatchID: m.ID, Mode: protocol.Mode(m.Mode), Rule: ruleOf(m.Rule), ProblemTitle: m.ProblemTitle, Players: []string{},
		StartsAt: protocol.TimePtr(m.StartsAt), Deadline: protocol.TimePtr(m.Deadline)}
	for _, p := range m.Players {
		v.Players = append(v.Players, p.Username)
		v.Cards = append(v.Cards, cardOf(p.UserID, p.Username, p.RatingBefore, p.RDBefore))
	}
	return v
}

// run serves the lobby until ctx ends (the lease is lost or the node stops).
func (l *leader) run() {
	s := l.s
	sub, err := s.bus.NC.Subscribe(s.bus.Names.LobbyRequests(), func(m *nats.Msg) { go s.serve(l.ctx, m) })
	if err != nil {
		s.log.Error("leader cannot subscribe to lobby requests", "err", err)
		return
	}
	defer sub.Unsubscribe()
	_ = s.bus.NC.Flush()
	s.log.Info("leading the lobby", "node", s.node, "playing", len(l.playing))
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); l.saveLoop() }()
	go func() { defer wg.Done(); l.tourneyLoop() }()
	go func() { defer wg.Done(); l.recentLoop() }()
	go func() { defer wg.Done(); l.onlineLoop() }()
	defer wg.Wait()

	tick := time.NewTicker(s.opt.TickEvery)
	defer tick.Stop()
	push := time.NewTicker(time.Second)
	defer push.Stop()
	sweep := time.NewTicker(10 * time.Second)
	defer sweep.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-tick.C:
			l.matchmake()
		case <-push.C:
			l.pushLobby()
		case <-sweep.C:
			l.sweep()
		}
	}
}

// begin records an action whose reply is to be sent; end, once it is.
func (l *leader) begin() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.actions++
	l.open[l.actions] = true
	return l.actions
}

func (l *leader) end(id uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.open, id)
	close(l.closedCh)
	l.closedCh = make(chan struct{})
}

// waitReplies waits (a second at most) until the actions begun up to
// upTo have sent their replies.
func (l *leader) waitReplies(upTo uint64) {
	limit := time.After(time.Second)
	for {
		l.mu.Lock()
		pending := false
		for id := range l.open {
			if id <= upTo {
				pending = true
				break
			}
		}
		ch := l.closedCh
		l.mu.Unlock()
		if !pending {
			return
		}
		select {
		case <-ch:
		case <-limit:
			return
		case <-l.ctx.Done():
			return
		}
	}
}

// bump records a lobby change (l.mu held) and wakes the saver.
func (l *leader) bump() uint64 {
	l.ver++
	select {
	case l.kick <- struct{}{}:
	default:
	}
	return l.ver
}

// saveLoop writes the latest lobby snapshot whenever it changed.
func (l *leader) saveLoop() {
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-l.kick:
		}
		for {
			l.mu.Lock()
			ver := l.ver
			if ver == l.saved {
				l.mu.Unlock()
				break
			}
			doc := l.doc()
			l.mu.Unlock()
			err := l.put(doc)
			if err != nil {
				if l.ctx.Err() != nil {
					return
				}
				l.s.log.Error("save the lobby; retrying", "err", err)
				time.Sleep(200 * time.Millisecond)
				continue
			}
			l.mu.Lock()
			if ver > l.saved {
				l.saved = ver
				close(l.savedCh)
				l.savedCh = make(chan struct{})
			}
			l.mu.Unlock()
		}
	}
}

// doc is the lobby to save (l.mu held).
func (l *leader) doc() lobbyDoc {
	st := l.lobby.Snapshot()
	st.Playing = nil // the store knows who plays
	info := map[int64]playerInfo{}
	keep := func(u int64) {
		if in, ok := l.info[u]; ok {
			info[u] = in
		}
	}
	for _, t := range st.Waiting {
		keep(t.UserID)
	}
	for _, p := range st.Proposals {
		for _, t := range p.Tickets {
			keep(t.UserID)
		}
	}
	for _, r := range st.Rooms {
		for _, u := range r.Members {
			keep(u)
		}
	}
	return lobbyDoc{Lobby: st, Rooms: maps.Clone(l.rooms), Info: info, Rematches: maps.Clone(l.rematches)}
}

func (l *leader) put(doc lobbyDoc) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(doc); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	c, cancel := opCtx(l.ctx)
	defer cancel()
	_, err := l.s.bus.State().Put(c, lobbyKey, buf.Bytes())
	return err
}

// waitSaved waits until lobby change ver is saved.
func (l *leader) waitSaved(ctx context.Context, ver uint64) error {
	for {
		l.mu.Lock()
		saved, ch := l.saved, l.savedCh
		l.mu.Unlock()
		if saved >= ver {
			return nil
		}
		select {
		case <-ctx.Done():
			return errcode.Errorf(errcode.Unavailable, "the lobby could not be saved in time; retry in a moment")
		case <-l.ctx.Done():
			// Not retried: the change may or may not have been saved.
			return errcode.Errorf(errcode.Unavailable, "the matchmaker moved to another server; retry in a moment")
		case <-ch:
		}
	}
}

// --- views (l.mu held) --------------------------------------------------

func (l *leader) queueView(user int64) *queueStatusJSON {
	st := l.lobby.Status(user)
	v := &queueStatusJSON{ServerNow: protocol.Time(l.s.clk.Now()), CooldownUntil: protocol.TimePtr(st.CooldownUntil)}
	if st.State == matchmaking.Queued {
		v.Queued = true
		v.Mode = ptr(protocol.Mode(st.Ticket.Mode))
		v.JoinedAt = protocol.TimePtr(st.Ticket.Enqueued)
		if st.Ticket.Mode == matchmaking.FFA {
			v.Rule = ptr(ruleOf(st.Ticket.Rule))
		}
		if st.Ticket.Mode == matchmaking.Ranked {
			v.Window = &windowJSON{Min: math.Round(st.Ticket.Rating - st.Window), Max: math.Round(st.Ticket.Rating + st.Window)}
		}
	}
	return v
}

func (l *leader) foundView(p matchmaking.Proposal) *matchFoundJSON {
	v := &matchFoundJSON{MatchID: p.ID, Mode: protocol.Mode(p.Mode), Rule: ruleOf(p.Rule), ServerNow: protocol.Time(l.s.clk.Now()),
		AcceptDeadline: protocol.Time(p.AcceptBy), Players: []foundPlayerJSON{}}
	var sum float64
	for i, t := range p.Tickets {
		info := l.info[t.UserID]
		v.Players = append(v.Players, foundPlayerJSON{UserID: t.UserID, Username: info.Username, Rating: t.Rating, RD: t.RD,
			Level: info.Level, Accepted: p.Accepted[i], WinStreak: info.WinStreak})
		sum += t.Rating
	}
	v.Difficulty = int(math.Round(sum / float64(max(1, len(p.Tickets)))))
	return v
}

// foundState is the match.state reply to an accept before everyone did.
func (l *leader) foundState(p matchmaking.Proposal, you int64) matchStateJSON {
	v := matchStateJSON{MatchID: p.ID, Mode: protocol.Mode(p.Mode), Rule: ruleOf(p.Rule), State: "found", You: ptr(you),
		ServerNow: protocol.Time(l.s.clk.Now()), Players: []playerJSON{}}
	for i, t := range p.Tickets {
		info := l.info[t.UserID]
		v.Players = append(v.Players, playerJSON{UserID: t.UserID, Username: info.Username, Rating: t.Rating, RD: t.RD,
			Level: info.Level, Connected: true, Accepted: p.Accepted[i], WinStreak: info.WinStreak})
	}
	return v
}

func (l *leader) roomView(r matchmaking.Room, closed bool) *roomStateJSON {
	set := l.rooms[r.Code]
	v := &roomStateJSON{Code: r.Code, HostID: r.Host, MaxPlayers: set.MaxPlayers, DurationS: set.DurationS, LiveEditors: set.LiveEditors, Closed: closed, Rule: ruleOf(string(set.Rule)),
		Players: []roomPlayerJSON{}}
	if set.ProblemID != "" {
		v.ProblemID = ptr(set.ProblemID)
	}
	for _, u := range r.Members {
		info := l.info[u]
		v.Players = append(v.Players, roomPlayerJSON{UserID: u, Username: info.Username, Rating: info.Rating, Level: info.Level,
			Connected: l.s.presence.online(u)})
	}
	return v
}

// cancelledView tells a player of a dissolved proposal what happened:
// someone declined or did not accept in time, whether they are back in the
// queue, and their own cooldown if they were the one.
func (l *leader) cancelledView(d matchmaking.Dissolved, user int64, declined bool) matchCancelledJSON {
	reason := protocol.CancelAcceptTimeout
	if declined {
		reason = protocol.CancelDeclined
	}
	v := matchCancelledJSON{MatchID: d.Proposal.ID, Mode: protocol.Mode(d.Proposal.Mode), Reason: reason,
		ServerNow: protocol.Time(l.s.clk.Now()), Requeued: slices.ContainsFunc(d.Requeued, func(t matchmaking.Ticket) bool { return t.UserID == user })}
	if slices.Contains(d.Removed, user) {
		v.You = true
		v.CooldownUntil = protocol.TimePtr(l.lobby.Status(user).CooldownUntil)
	}
	return v
}

// lobbyView is the lobby as everyone sees it.
func (l *leader) lobbyView() lobbyJSON {
	now := l.s.clk.Now()
	q := map[protocol.Mode]queueSizeJSON{protocol.ModeRanked: {}, protocol.ModeCasual: {}, protocol.ModeFFA: {}, protocol.ModePractice: {}}
	waits := map[protocol.Mode][]float64{}
	for _, t := range l.lobby.Snapshot().Waiting {
		m := protocol.Mode(t.Mode)
		waits[m] = append(waits[m], now.Sub(t.Enqueued).Seconds())
	}
	for mode, ws := range waits {
		sort.Float64s(ws)
		q[mode] = queueSizeJSON{Waiting: len(ws), MedianWait: int(ws[len(ws)/2])}
	}
	if l.liveTop == nil {
		l.liveTop = newestLive(l.live, liveListMax)
	}
	v := lobbyJSON{Online: l.s.presence.total(), Queues: q, RecentMatches: l.recent, LiveMatches: l.liveTop, LiveTotal: len(l.live),
		OnlineTiers: l.online.tiers, OnlinePlayers: l.online.top}
	day := now.UTC().Format(time.DateOnly)
	if p, ok := l.s.playable.Featured(day); ok {
		v.Featured = &protocol.FeaturedProblem{Date: day, ID: p.ID, Title: p.Title, Difficulty: p.Rating}
	}
	return v
}

// newestLive is the n newest of live (starts_at, then id), newest first.
// It is computed once per change of the live set (every snapshot and the
// lobby push read it under the leader's lock): a bounded insertion, not a
// sort of every live match.
func newestLive(live map[string]liveMatchJSON, n int) []liveMatchJSON {
	newer := func(a, b liveMatchJSON) int { // < 0: a comes first
		if c := compareTimes(b.StartsAt, a.StartsAt); c != 0 {
			return c
		}
		return compareStrings(a.MatchID, b.MatchID)
	}
	top := make([]liveMatchJSON, 0, min(n, len(live)))
	for _, m := range live {
		if len(top) == n && newer(m, top[n-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, m, newer)
		if len(top) < n {
			top = append(top, liveMatchJSON{})
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = m
	}
	return top
}

// liveListMax bounds the running matches lobby.state lists.
const liveListMax = 20

func compareTimes(a, b *string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return compareStrings(*a, *b)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pushLobby broadcasts lobby.state when it changed (waiting times alone do
// not count as a change: clients compute them).
func (l *leader) pushLobby() {
	l.mu.Lock()
	v := l.lobbyView()
	sigView := v
	sigView.Queues = map[protocol.Mode]queueSizeJSON{}
	for k, q := range v.Queues {
		sigView.Queues[k] = queueSizeJSON{Waiting: q.Waiting}
	}
	b, _ := json.Marshal(sigView)
	changed := string(b) != l.lobbySig
	l.lobbySig = string(b)
	l.mu.Unlock()
	if changed {
		l.s.publishLobby(v)
	}
}

func (l *leader) refreshRecent(ctx context.Context) error {
	ms, err := l.s.st.RecentlyFinished(ctx, 30)
	if err != nil {
		return fmt.Errorf("arena: read recent matches: %w", err)
	}
	rv := recentViews(ms)
	l.mu.Lock()
	l.recent = rv
	l.mu.Unlock()
	return nil
}

// recentLoop rereads the recent matches after matches ended (at most twice
// a second).
func (l *leader) recentLoop() {
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-l.recentKick:
		}
		c, cancel := opCtx(l.ctx)
		if err := l.refreshRecent(c); err != nil && l.ctx.Err() == nil {
			l.s.log.Warn("refresh recent matches", "err", err)
		}
		cancel()
		select {
		case <-l.ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// recentViews is the public feed of finished matches: practice and
// private matches are nobody else's business and stay out of it.
// cardOf is a player as a lobby card shows them.
func cardOf(id int64, name string, r, rd float64) protocol.CardPlayer {
	return protocol.CardPlayer{UserID: id, Username: name, Rating: math.Round(r), Tier: rating.TierOf(r).ID, Provisional: rd > rating.ProvisionalRD}
}

func recentViews(ms []store.ArenaMatch) []recentMatchJSON {
	out := []recentMatchJSON{}
	for _, m := range ms {
		if !public(m.Mode) {
			continue
		}
		r := recentMatchJSON{MatchID: m.ID, Mode: protocol.Mode(m.Mode), ProblemTitle: m.ProblemTitle, FinishedAt: protocol.Time(m.FinishedAt), Players: []string{}}
		for _, p := range m.Players {
			r.Players = append(r.Players, p.Username)
			r.Cards = append(r.Cards, cardOf(p.UserID, p.Username, p.RatingBefore, p.RDBefore))
			if p.UserID == m.WinnerID && m.WinnerID != 0 {
				r.Winner = ptr(p.Username)
			}
		}
		out = append(out, r)
		if len(out) == 10 {
			break
		}
	}
	return out
}

// --- matchmaking -----------------------------------------------------------

// matchmake runs one tick: the pairing under the lock, then (saved) the
// pushes.
func (l *leader) matchmake() {
	l.mu.Lock()
	res := l.lobby.Tick()
	var out []outMsg
	for _, p := range res.Proposed {
		fv := l.foundView(p)
		for _, t := range p.Tickets {
			delete(l.windows, t.UserID)
			out = append(out, outMsg{user: t.UserID, frame: protocol.EventMatchFound, data: fv})
		}
	}
	now := l.s.clk.Now()
	for _, d := range res.Dissolved {
		l.expired[d.Proposal.ID] = now
		out = append(out, l.dissolvedMsgs(d, false)...)
	}
	for _, r := range res.Closed {
		v := l.roomView(r, true)
		for _, u := range r.Members {
			out = append(out, outMsg{user: u, frame: protocol.EventRoomState, data: v})
		}
		delete(l.rooms, r.Code)
	}
	for id, at := range l.expired {
		if now.Sub(at) > time.Minute {
			delete(l.expired, id)
		}
	}
	rm, rematchChanged := l.expireRematches(now)
	out = append(out, rm...)
	// Windows widen with waiting time: tell each ranked waiter when theirs did.
	for _, t := range l.lobby.Snapshot().Waiting {
		if t.Mode != matchmaking.Ranked {
			continue
		}
		w := l.s.opt.Matchmaking.Window(t, now)
		if old, ok := l.windows[t.UserID]; !ok || old != w {
			if ok {
				out = append(out, outMsg{user: t.UserID, frame: protocol.EventQueueStatus, data: l.queueView(t.UserID)})
			}
			l.windows[t.UserID] = w
		}
	}
	var ver uint64
	if len(res.Proposed)+len(res.Dissolved)+len(res.Closed) > 0 || rematchChanged {
		ver = l.bump()
	}
	upTo := l.actions
	l.mu.Unlock()
	if ver > 0 {
		if err := l.waitSaved(l.ctx, ver); err != nil {
			return // not saved: a new leader restores the lobby as it was and decides again
		}
	}
	l.waitReplies(upTo)
	l.s.deliver("", out)
}

// dissolvedMsgs tells every player of a dissolved proposal what happened
// (match.cancelled) and where they are now (queue.status) (l.mu held).
func (l *leader) dissolvedMsgs(d matchmaking.Dissolved, declined bool) []outMsg {
	var out []outMsg
	for _, t := range d.Proposal.Tickets {
		u := t.UserID
		out = append(out, outMsg{user: u, frame: protocol.EventMatchCancelled, data: l.cancelledView(d, u, declined)},
			outMsg{user: u, frame: protocol.EventQueueStatus, data: l.queueView(u)})
	}
	return out
}

// sweep frees players whose match is over although its owner never said
// so (it died between storing the result and telling the leader).
func (l *leader) sweep() {
	c, cancel := opCtx(l.ctx)
	active, err := l.s.st.ActivePlayers(c, 1_000_000)
	cancel()
	if err != nil {
		l.s.log.Warn("sweep playing users", "err", err)
		return
	}
	running := map[string]bool{}
	for _, p := range active {
		running[p.MatchID] = true
	}
	now := l.s.clk.Now()
	l.mu.Lock()
	var freed []int64
	var out []outMsg
	for u, e := range l.playing {
		if !running[e.match] && now.Sub(e.since) > 30*time.Second {
			delete(l.playing, u)
			delete(l.live, e.match)
			l.liveTop = nil
			freed = append(freed, u)
			if e.starting { // never started (it is not in the store): tell them
				out = append(out, l.startFailedMsgs(e.match, e.mode, []int64{u})...)
			}
		}
	}
	if len(freed) > 0 {
		l.lobby.Release(freed...)
		l.bump()
	}
	// Forget the names and ratings of users who left the lobby.
	for u := range l.info {
		if _, playing := l.playing[u]; !playing && l.lobby.Status(u).State == matchmaking.Idle {
			delete(l.info, u)
		}
	}
	l.mu.Unlock()
	l.s.deliver("", out)
	if len(freed) > 0 {
		l.s.log.Info("freed players of matches that ended or never started without notice", "users", len(freed))
	}
}

// --- actions ------------------------------------------------------------------

// lobbySnapshot is the leader's part of a user's snapshot.
func (l *leader) lobbySnapshot(user int64) lobbySnapshotJSON {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := lobbySnapshotJSON{Lobby: l.lobbyView(), Rematch: l.rematchFor(user)}
	if e, ok := l.playing[user]; ok {
		out.MatchID = e.match
		return out
	}
	st := l.lobby.Status(user)
	switch st.State {
	case matchmaking.Queued:
		out.Queue = l.queueView(user)
	case matchmaking.Proposed:
		if p, ok := l.lobby.Proposal(st.ProposalID); ok {
			out.PendingMatch = l.foundView(p)
		}
	case matchmaking.InRoom:
		if r, err := l.lobby.Room(st.RoomCode); err == nil {
			out.Room = l.roomView(r, false)
		}
	default:
		if !st.CooldownUntil.IsZero() {
			out.Queue = l.queueView(user)
		}
	}
	return out
}

func (l *leader) queueJoin(ctx context.Context, u int64, d *protocol.QueueJoin) (result, error) {
	if d.Mode == protocol.ModePractice {
		return l.startPractice(ctx, u, d.ProblemID, d.Ghost)
	}
	var eligible func() error
	if d.Mode == protocol.ModeRanked {
		eligible = func() error { return l.s.rankedEligible(ctx, u) }
	}
	info, err := l.admit(ctx, u, eligible)
	if err != nil {
		return result{}, err
	}
	if _, err := l.lobby.EnqueueRule(u, matchmaking.Mode(d.Mode), string(d.Rule), info.Rating, info.RD); err != nil {
		var e error = lobbyError(err)
		if errors.Is(err, matchmaking.ErrCooldown) {
			e = &errcode.Error{Code: errcode.QueueCooldown, Message: "you declined a match; queueing is paused",
				CooldownUntil: l.lobby.Status(u).CooldownUntil}
		}
		l.mu.Unlock()
		return result{}, e
	}
	l.info[u] = info
	left := l.leaveRematches(u)
	ver := l.bump()
	v := l.queueView(u)
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	l.s.deliver("", left)
	return result{Type: protocol.EventQueueStatus, Data: v}, nil
}

func (l *leader) queueLeave(ctx context.Context, u int64) (result, error) {
	l.mu.Lock()
	if err := l.lobby.Leave(u); err != nil {
		l.mu.Unlock()
		return result{}, lobbyError(err)
	}
	delete(l.windows, u)
	ver := l.bump()
	v := l.queueView(u)
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	return result{Type: protocol.EventQueueStatus, Data: v}, nil
}

func (l *leader) accept(ctx context.Context, u int64, id string) (result, error) {
	l.mu.Lock()
	if e, ok := l.playing[u]; ok && e.match == id {
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.AlreadyAccepted, "you already accepted")
	}
	if _, gone := l.expired[id]; gone {
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.AcceptExpired, "the time to accept has passed")
	}
	p, confirmed, err := l.lobby.Accept(u, id)
	if err != nil {
		l.mu.Unlock()
		return result{}, lobbyError(err)
	}
	ver := l.bump()
	var out []outMsg
	var reply matchStateJSON
	var infos []playerInfo
	if !confirmed {
		fv := l.foundView(p)
		for _, t := range p.Tickets {
			if t.UserID != u {
				out = append(out, outMsg{user: t.UserID, frame: protocol.EventMatchFound, data: fv})
			}
		}
		reply = l.foundState(p, u)
	} else {
		now := l.s.clk.Now()
		for _, t := range p.Tickets {
			info := l.info[t.UserID]
			info.UserID, info.Rating, info.RD = t.UserID, t.Rating, t.RD
			infos = append(infos, info)
			l.playing[t.UserID] = playingEntry{match: p.ID, since: now}
		}
	}
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	if !confirmed {
		l.s.deliver("", out)
		return result{Type: protocol.EventMatchState, Data: reply}, nil
	}
	return l.create(ctx, u, createReq{MatchID: p.ID, Mode: protocol.Mode(p.Mode), Rule: ruleOf(p.Rule), Players: infos})
}

// create starts a match on its owner and replies its match.state for u;
// on failure the players are free again.
func (l *leader) create(ctx context.Context, u int64, req createReq) (result, error) {
	req.You = u
	r, err := l.s.do(ctx, call{User: u, Node: l.s.node, At: l.s.clk.Now()}, opMatchCreate, &req)
	if errcode.CodeOf(err) == errcode.Unavailable {
		// No answer in time: the owner may still create it. The players
		// stay in it (its owner pushes match.state if it starts); the
		// sweep frees them with match.cancelled start_failed if the store
		// never shows it.
		l.mu.Lock()
		for _, p := range req.Players {
			if e, ok := l.playing[p.UserID]; ok && e.match == req.MatchID {
				e.starting, e.mode = true, req.Mode
				l.playing[p.UserID] = e
			}
		}
		l.mu.Unlock()
		l.s.log.Warn("start match: its owner did not answer in time; the sweep decides", "match", req.MatchID, "err", err)
		return result{}, errcode.Errorf(errcode.Unavailable, "the match is slow to start: it is pushed when it does, or cancelled")
	}
	if err != nil {
		l.mu.Lock()
		users := make([]int64, 0, len(req.Players))
		var freed []int64 // only those this match held: one admitted elsewhere meanwhile stays there
		for _, p := range req.Players {
			users = append(users, p.UserID)
			if l.playing[p.UserID].match == req.MatchID {
				delete(l.playing, p.UserID)
				freed = append(freed, p.UserID)
			}
		}
		l.lobby.Release(freed...)
		l.bump()
		l.mu.Unlock()
		l.s.log.Error("start match", "match", req.MatchID, "err", err)
		// Every player learns that it will not start (the others accepted
		// earlier and wait for it): they are free, in no queue.
		if req.Mode != protocol.ModePractice {
			l.s.deliver("", l.startFailedMsgs(req.MatchID, req.Mode, users))
		}
		if errcode.CodeOf(err) == errcode.Internal {
			return result{}, errcode.Errorf(errcode.Unavailable, "the match could not start; queue again")
		}
		return result{}, err
	}
	started, err := decodeResult[createReply](r)
	if err != nil {
		return result{}, err
	}
	l.mu.Lock()
	if public(req.Mode) {
		l.live[req.MatchID] = started.Live
		l.liveTop = nil
	}
	l.mu.Unlock()
	return result{Type: protocol.EventMatchState, Data: started.State}, nil
}

// startFailedMsgs tells the players of a match that could not start.
func (l *leader) startFailedMsgs(id string, mode protocol.Mode, users []int64) []outMsg {
	now := protocol.Time(l.s.clk.Now())
	var out []outMsg
	for _, u := range users {
		out = append(out, outMsg{user: u, frame: protocol.EventMatchCancelled, data: matchCancelledJSON{MatchID: id, Mode: mode,
			Reason: protocol.CancelStartFailed, ServerNow: now}})
	}
	return out
}

func (l *leader) decline(ctx context.Context, u int64, id string) (result, error) {
	l.mu.Lock()
	if _, gone := l.expired[id]; gone {
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.AcceptExpired, "the time to accept has passed")
	}
	if e, ok := l.playing[u]; ok && e.match == id {
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.AlreadyAccepted, "the match has started; resign instead")
	}
	d, err := l.lobby.Decline(u, id)
	if err != nil {
		l.mu.Unlock()
		return result{}, lobbyError(err)
	}
	l.expired[id] = l.s.clk.Now()
	ver := l.bump()
	var out []outMsg
	for _, m := range l.dissolvedMsgs(d, true) {
		if m.user != u || m.frame == "match.cancelled" {
			out = append(out, m)
		}
	}
	v := l.queueView(u)
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	l.s.deliver("", out)
	return result{Type: protocol.EventQueueStatus, Data: v}, nil
}

func (l *leader) roomCreate(ctx context.Context, u int64, d *protocol.RoomCreate) (result, error) {
	if d.ProblemID != "" {
		p, ok := l.s.playable.Get(d.ProblemID)
		if !ok {
			return result{}, errcode.Errorf(errcode.ProblemNotFound, "no problem %q", truncateID(d.ProblemID))
		}
		if d.Rule == protocol.RuleBigO && p.IntendedTime == "" {
			return result{}, errcode.Errorf(errcode.InvalidRequest, "problem %q has no intended complexity: a bigo duel needs one", truncateID(d.ProblemID))
		}
	}
	info, err := l.admit(ctx, u, nil)
	if err != nil {
		return result{}, err
	}
	r, err := l.lobby.CreateRoom(u)
	if err != nil {
		l.mu.Unlock()
		return result{}, lobbyError(err)
	}
	l.info[u] = info
	l.rooms[r.Code] = roomSettings{MaxPlayers: d.MaxPlayers, DurationS: d.DurationS, ProblemID: d.ProblemID, Rule: d.Rule, LiveEditors: d.LiveEditors}
	left := l.leaveRematches(u)
	ver := l.bump()
	v := l.roomView(r, false)
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	l.s.deliver("", left)
	return result{Type: protocol.EventRoomState, Data: v}, nil
}

func (l *leader) roomJoin(ctx context.Context, u int64, code string) (result, error) {
	info, err := l.admit(ctx, u, nil)
	if err != nil {
		return result{}, err
	}
	if r, err := l.lobby.Room(code); err == nil && l.rooms[r.Code].MaxPlayers > 0 && len(r.Members) >= l.rooms[r.Code].MaxPlayers {
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.RoomFull, "the room is full")
	}
	r, err := l.lobby.JoinRoom(u, code)
	if err != nil {
		l.mu.Unlock()
		return result{}, lobbyError(err)
	}
	l.info[u] = info
	out := l.leaveRematches(u)
	ver := l.bump()
	v := l.roomView(r, false)
	for _, m := range r.Members {
		if m != u {
			out = append(out, outMsg{user: m, frame: protocol.EventRoomState, data: v})
		}
	}
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	l.s.deliver("", out)
	return result{Type: protocol.EventRoomState, Data: v}, nil
}

func (l *leader) roomLeave(ctx context.Context, u int64) (result, error) {
	l.mu.Lock()
	r, err := l.lobby.LeaveRoom(u)
	if err != nil {
		l.mu.Unlock()
		return result{}, lobbyError(err)
	}
	closed := len(r.Members) == 0
	v := l.roomView(r, closed)
	if closed {
		delete(l.rooms, r.Code)
	}
	ver := l.bump()
	var out []outMsg
	for _, m := range r.Members {
		out = append(out, outMsg{user: m, frame: protocol.EventRoomState, data: v})
	}
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	l.s.deliver("", out)
	mine := *v
	mine.Closed = true
	return result{Type: protocol.EventRoomState, Data: &mine}, nil
}

func (l *leader) roomStart(ctx context.Context, u int64) (result, error) {
	l.mu.Lock()
	st := l.lobby.Status(u)
	set := l.rooms[st.RoomCode]
	r, err := l.lobby.StartRoom(u)
	if err != nil {
		l.mu.Unlock()
		return result{}, lobbyError(err)
	}
	delete(l.rooms, r.Code)
	id := "r" + newID()
	now := l.s.clk.Now()
	var infos []playerInfo
	for _, m := range r.Members {
		info := l.info[m]
		info.UserID = m
		infos = append(infos, info)
		l.playing[m] = playingEntry{match: id, since: now}
	}
	ver := l.bump()
	l.mu.Unlock()
	if err := l.waitSaved(ctx, ver); err != nil {
		return result{}, err
	}
	// A room whose host turned live editors on admits spectators (by
	// its id: it is not listed).
	return l.create(ctx, u, createReq{MatchID: id, Mode: protocol.ModePrivate, Rule: ruleOf(string(set.Rule)), Players: infos, Private: !set.LiveEditors, Room: set})
}

// startPractice starts a solo, unrated practice match on problemID (or,
// without one, on a problem chosen like a match's).
func (l *leader) startPractice(ctx context.Context, u int64, problemID string, band *protocol.GhostChoice) (result, error) {
	if problemID != "" {
		if _, ok := l.s.playable.Get(problemID); !ok {
			// (One imported this very second is playable after the next
			// background refresh.)
			return result{}, errcode.Errorf(errcode.ProblemNotFound, "no playable problem %q", truncateID(problemID))
		}
	}
	var gr *ghostRef
	if band != nil {
		// Chosen before admission: no lock held during the search.
		if err := l.ghostBudget(u); err != nil {
			return result{}, err
		}
		ref, err := l.s.pickGhost(ctx, problemID, *band, u)
		if err != nil {
			return result{}, err
		}
		gr = &ref
	}
	id := "p" + newID()
	info, err := l.admit(ctx, u, nil)
	if err != nil {
		return result{}, err
	}
	switch l.lobby.Status(u).State {
	case matchmaking.Queued:
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.AlreadyQueued, "you are in a queue; leave it first")
	case matchmaking.Proposed, matchmaking.Playing:
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
	case matchmaking.InRoom:
		l.mu.Unlock()
		return result{}, errcode.Errorf(errcode.AlreadyInMatch, "you are in a private room; leave it first")
	}
	l.playing[u] = playingEntry{match: id, since: l.s.clk.Now()}
	left := l.leaveRematches(u)
	var ver uint64
	if len(left) > 0 {
		ver = l.bump()
	}
	l.mu.Unlock()
	if ver > 0 {
		if err := l.waitSaved(ctx, ver); err != nil {
			return result{}, err
		}
		l.s.deliver("", left)
	}
	return l.create(ctx, u, createReq{MatchID: id, Mode: protocol.ModePractice, Players: []playerInfo{info}, Private: true,
		Room: roomSettings{ProblemID: problemID}, Ghost: gr})
}

// admit runs the admission steps shared by every action that puts u in
// the lobby or a match (queue.join, room.create, room.join, practice), in
// this order, with no lock held during I/O: checkPlaying (u's stale match
// is freed if the store says it is over), then check (nil for none: the
// ranked eligibility of queue.join), then u's name and rating from the
// store; then it takes l.mu and refuses u if the matchmaker has them in a
// match. On success it returns u's info with l.mu HELD: the caller makes
// its change to the lobby and unlocks. On error l.mu is not held.
func (l *leader) admit(ctx context.Context, u int64, check func() error) (playerInfo, error) {
	if err := l.checkPlaying(ctx, u); err != nil {
		return playerInfo{}, err
	}
	if check != nil {
		if err := check(); err != nil {
			return playerInfo{}, err
		}
	}
	info, err := l.s.userInfo(ctx, u)
	if err != nil {
		return playerInfo{}, err
	}
	l.mu.Lock()
	if _, ok := l.playing[u]; ok {
		l.mu.Unlock()
		return playerInfo{}, errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
	}
	if err := l.inTournament(u); err != nil {
		l.mu.Unlock()
		return playerInfo{}, err
	}
	return info, nil
}

// checkPlaying frees u when the matchmaker has them in a match that the
// store says is over: its end did not reach this matchmaker (it was told
// to the one before, which then lost the lease, or the owner died between
// storing the result and telling). The store is the truth; it is read
// only for a player the matchmaker believes in a match, with no lock held.
func (l *leader) checkPlaying(ctx context.Context, u int64) error {
	l.mu.Lock()
	e, ok := l.playing[u]
	l.mu.Unlock()
	if !ok {
		return nil
	}
	m, err := l.s.st.ArenaMatch(ctx, e.match)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil // being created
	case err != nil:
		return fmt.Errorf("arena: read match %s: %w", e.match, err)
	case m.State != store.MatchFinished && m.State != store.MatchCancelled:
		return nil
	}
	l.ended(&endedReq{MatchID: e.match, Users: []int64{u}})
	return nil
}

// ended frees the players of a match its owner finished.
func (l *leader) ended(d *endedReq) {
	l.mu.Lock()
	var freed []int64
	for _, u := range d.Users {
		if l.playing[u].match == d.MatchID {
			delete(l.playing, u)
			freed = append(freed, u)
		}
	}
	l.lobby.Release(freed...)
	l.online.markStale(d.Users...) // their ratings may have changed
	if _, ok := l.live[d.MatchID]; ok {
		delete(l.live, d.MatchID)
		l.liveTop = nil
	}
	l.mu.Unlock()
	select {
	case l.recentKick <- struct{}{}:
	default:
	}
	if strings.HasPrefix(d.MatchID, "t") {
		l.kickTournaments()
	}
}
