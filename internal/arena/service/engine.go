package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// The engine is the single authority of the arena: the matchmaker's lobby
// and every live match. It runs only on the node holding the leader lease;
// other nodes forward player actions to it over NATS request/reply. Its
// state lives in two durable places, so the next leader carries on where it
// stopped: the lobby snapshot in the `arena` KV bucket (written before any
// reply that depends on it) and each match's snapshot, with its deadline,
// in the store.

const lobbyKey = "lobby"

// presenceTTL is how long a node's report that a user is connected counts.
// Nodes report every presenceEvery, so a dead node's players are seen as
// disconnected (and their 60 s grace starts) within presenceTTL.
const (
	presenceEvery = 2 * time.Second
	presenceTTL   = 7 * time.Second
)

type playerInfo struct {
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Rating   float64 `json:"rating"`
	RD       float64 `json:"rd"`
	Level    int     `json:"level"`
}

// live is one match in the engine's memory.
type live struct {
	m        *match.Match
	cfg      match.Config
	mode     string
	private  bool
	players  []playerInfo
	problem  *ProblemInfo
	progress map[int64]*liveProgress
	lastSave match.State
	restored bool // taken over from a previous leader
	// settleHold: a restored match's deadline is held for forwardSettle
	// (see timers).
	settleHold bool
	// finishTried is when finishing was last attempted (retried while the
	// store refuses).
	finishTried time.Time
}

type liveProgress struct {
	LastVerdict string
	Total       int
	Submissions int
	Typing      bool
	TypingAt    time.Time
	Lang, Code  string
	Running     bool // one submission at a time
}

// matchExtras is what the store's snapshot column holds besides the state
// machine: enough for another node to rebuild the live match.
type matchExtras struct {
	Match     match.Snapshot `json:"match"`
	Players   []playerInfo   `json:"players"`
	Private   bool           `json:"private"`
	DurationS int            `json:"duration_s,omitempty"` // private rooms choose their length
	// ProblemVersion is the stored version the match is played on (0: a
	// fixed catalog): a re-import does not change a running match.
	ProblemVersion int `json:"problem_version,omitempty"`
}

type roomSettings struct {
	MaxPlayers int    `json:"max_players"`
	DurationS  int    `json:"duration_s"`
	ProblemID  string `json:"problem_id"`
}

type lobbyDoc struct {
	Lobby matchmaking.State       `json:"lobby"`
	Rooms map[string]roomSettings `json:"rooms"`
}

type engine struct {
	s     *Service
	lobby *matchmaking.Lobby

	mu        sync.Mutex
	matches   map[string]*live
	userMatch map[int64]string
	rooms     map[string]roomSettings
	presence  map[int64]map[string]time.Time
	nodes     map[string]nodeStat
	windows   map[int64]float64
	expired   map[string]time.Time // dissolved proposals, to answer accept_expired
	since     time.Time
	recent    []recentMatchJSON
	lobbySig  string

	refreshing  atomic.Bool     // a problem catalog refresh is running
	unannounced map[string]bool // finished matches whose push failed: retried each second
}

type nodeStat struct {
	Online int
	At     time.Time
}

func newEngine(ctx context.Context, s *Service) (*engine, error) {
	lobby, err := matchmaking.NewLobby(s.opt.Matchmaking, s.clk, nil)
	if err != nil {
		return nil, err
	}
	e := &engine{s: s, lobby: lobby, matches: map[string]*live{}, userMatch: map[int64]string{},
		rooms: map[string]roomSettings{}, presence: map[int64]map[string]time.Time{}, nodes: map[string]nodeStat{},
		windows: map[int64]float64{}, expired: map[string]time.Time{}, since: s.clk.Now(), unannounced: map[string]bool{}}
	if entry, err := s.bus.State().Get(ctx, lobbyKey); err == nil {
		var doc lobbyDoc
		if err := json.Unmarshal(entry.Value(), &doc); err != nil {
			s.log.Error("lobby snapshot unreadable; starting with an empty lobby", "err", err)
		} else if err := lobby.Restore(doc.Lobby); err != nil {
			s.log.Error("lobby snapshot inconsistent; starting with an empty lobby", "err", err)
		} else if doc.Rooms != nil {
			e.rooms = doc.Rooms
		}
	}
	active, err := s.st.ActiveMatches(ctx, 10_000)
	if err != nil {
		return nil, fmt.Errorf("arena: load active matches: %w", err)
	}
	for _, am := range active {
		if err := e.restore(am); err != nil {
			s.log.Error("cannot restore match", "match", am.ID, "err", err)
		}
	}
	// Users the lobby thinks are playing but who have no live match (the
	// previous leader died between the two writes) are freed.
	for _, u := range lobby.Snapshot().Playing {
		if _, ok := e.userMatch[u]; !ok {
			lobby.Release(u)
		}
	}
	e.refreshRecent(ctx)
	return e, nil
}

func (e *engine) restore(am store.ArenaMatch) error {
	var x matchExtras
	if err := json.Unmarshal(am.Snapshot, &x); err != nil {
		return fmt.Errorf("decode snapshot: %w", err)
	}
	cfg := e.s.opt.Match
	if x.DurationS > 0 {
		cfg = withDuration(cfg, time.Duration(x.DurationS)*time.Second)
	}
	m, err := match.Restore(cfg, e.s.clk, x.Match)
	if err != nil {
		return err
	}
	lv := &live{m: m, cfg: cfg, mode: am.Mode, private: x.Private, players: x.Players, progress: map[int64]*liveProgress{}, lastSave: m.State(), restored: true}
	m.Hold()
	lv.settleHold = true
	c, cancel := opCtx(context.Background())
	defer cancel()
	version := x.ProblemVersion
	if version == 0 {
		version = am.ProblemVersion
	}
	if p, ok := e.s.playable.At(c, am.ProblemID, version); ok {
		lv.problem = p
	} else {
		e.s.log.Error("restored match's problem is gone", "match", am.ID, "problem", am.ProblemID, "version", version)
	}
	for _, p := range x.Players {
		lv.progress[p.UserID] = &liveProgress{}
		e.userMatch[p.UserID] = am.ID
	}
	e.matches[am.ID] = lv
	e.s.log.Info("restored match", "match", am.ID, "state", m.State(), "deadline", x.Match.Deadline)
	return nil
}

func withDuration(cfg match.Config, d time.Duration) match.Config {
	cfg.Durations = map[match.Difficulty]time.Duration{match.Easy: d, match.Medium: d, match.Hard: d}
	return cfg
}

// run is the leader's loop: requests, judge events, timers, matchmaking.
func (e *engine) run(ctx context.Context) {
	nc := e.s.bus.NC
	reqs, err := nc.Subscribe(e.s.bus.Names.LobbyRequests(), func(m *nats.Msg) {
		// NATS delivers one subscription's messages one at a time. A
		// submission spends most of its time in the judge's store and
		// queue with the engine unlocked, so it runs on its own goroutine
		// and does not hold up everyone else's lobby actions. (One
		// connection sends its next request only after the reply, so a
		// player's own actions stay in order.)
		if bytes.Contains(m.Data, []byte(`"op":"code.submit"`)) {
			go e.onRequest(ctx, m)
			return
		}
		e.onRequest(ctx, m)
	})
	if err != nil {
		e.s.log.Error("leader cannot subscribe to lobby requests", "err", err)
		return
	}
	defer reqs.Unsubscribe()
	judged, err := nc.Subscribe(e.s.bus.Names.AllUserEvents(), func(m *nats.Msg) { e.onJudgeEvent(ctx, m) })
	if err != nil {
		e.s.log.Error("leader cannot subscribe to judge events", "err", err)
		return
	}
	defer judged.Unsubscribe()
	_ = nc.Flush()
	e.s.log.Info("leading the arena", "node", e.s.node, "matches", len(e.matches))

	// Timers first: a match whose deadline passed during the failover is
	// finished at once, at its deadline.
	e.mu.Lock()
	e.timers(ctx)
	e.announcePending(ctx)
	e.mu.Unlock()

	timer := time.NewTicker(e.s.opt.TimerEvery)
	defer timer.Stop()
	tick := time.NewTicker(e.s.opt.TickEvery)
	defer tick.Stop()
	slow := time.NewTicker(time.Second)
	defer slow.Stop()
	odd := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
			e.mu.Lock()
			e.timers(ctx)
			e.mu.Unlock()
		case <-tick.C:
			e.mu.Lock()
			e.matchmake(ctx)
			e.mu.Unlock()
		case <-slow.C:
			e.refreshProblems(ctx)
			e.mu.Lock()
			e.presenceCheck(ctx)
			e.pollVerdicts(ctx)
			for id := range e.unannounced {
				if e.announceFinished(ctx, id) == nil {
					delete(e.unannounced, id)
				}
			}
			if odd = !odd; odd {
				e.pushLobby() // at most every 2 s
			}
			e.mu.Unlock()
		}
	}
}

func opCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// saveLobby writes the lobby snapshot; callers reply only after it.
func (e *engine) saveLobby(ctx context.Context) error {
	if ctx.Err() != nil {
		// The lease is lost: a newer leader owns the state now.
		return fmt.Errorf("arena: not the leader any more")
	}
	b, err := json.Marshal(lobbyDoc{Lobby: e.lobby.Snapshot(), Rooms: e.rooms})
	if err != nil {
		return err
	}
	c, cancel := opCtx(ctx)
	defer cancel()
	if _, err := e.s.bus.State().Put(c, lobbyKey, b); err != nil {
		return fmt.Errorf("arena: save lobby: %w", err)
	}
	return nil
}

// --- publishing -------------------------------------------------------

// userEvent is what the arena publishes on events.user.<id>; the nodes
// deliver Frame to the user's connections. Sub names the submission whose
// result answers a pending code.submit request.
type userEvent struct {
	Type  string          `json:"type"` // "arena"
	Frame protocol.Event  `json:"frame"`
	Data  json.RawMessage `json:"data"`
	Sub   string          `json:"sub,omitempty"`
}

func (e *engine) toUser(user int64, frame protocol.Event, data any, sub string) {
	b, err := json.Marshal(data)
	if err != nil {
		e.s.log.Error("encode event", "frame", frame, "err", err)
		return
	}
	ev, _ := json.Marshal(userEvent{Type: "arena", Frame: frame, Data: b, Sub: sub})
	if err := e.s.bus.NC.Publish(e.s.bus.Names.UserEvents(user), ev); err != nil {
		e.s.log.Warn("publish user event", "err", err)
	}
}

func (e *engine) toSpectators(matchID string, frame protocol.Event, data any) {
	subj, err := e.s.bus.Names.MatchEvents(matchID)
	if err != nil {
		return
	}
	b, _ := json.Marshal(data)
	ev, _ := json.Marshal(userEvent{Type: "arena", Frame: frame, Data: b})
	_ = e.s.bus.NC.Publish(subj, ev)
}

// --- views ---------------------------------------------------------------

func (e *engine) playerView(lv *live, p playerInfo, snap match.Snapshot) playerJSON {
	pj := playerJSON{UserID: p.UserID, Username: p.Username, Rating: p.Rating, RD: p.RD, Level: p.Level, Connected: true}
	for _, mp := range snap.Players {
		if mp.ID != p.UserID {
			continue
		}
		pj.Accepted = mp.Accepted
		pj.TestsPassed = mp.Best
		pj.Finished = mp.Out != "" || snap.State.Terminal()
		if !mp.DisconnectedAt.IsZero() {
			pj.Connected = false
			pj.GraceDeadline = protocol.TimePtr(mp.DisconnectedAt.Add(lv.cfg.DisconnectGrace))
		}
	}
	if pr := lv.progress[p.UserID]; pr != nil {
		pj.TestsTotal, pj.Submissions, pj.Typing = pr.Total, pr.Submissions, pr.Typing
		if pr.LastVerdict != "" {
			pj.LastVerdict = ptr(protocol.Verdict(pr.LastVerdict))
		}
	}
	return pj
}

func (e *engine) stateView(id string, lv *live, you int64) matchStateJSON {
	snap := lv.m.Snapshot()
	v := matchStateJSON{MatchID: id, Mode: protocol.Mode(lv.mode), State: protocolState(snap.State), ServerNow: protocol.Time(e.s.clk.Now()),
		StartsAt: protocol.TimePtr(snap.StartAt), Deadline: protocol.TimePtr(snap.Deadline)}
	if you != 0 {
		v.You = ptr(you)
	} else {
		v.Spectating = true
	}
	if !snap.Deadline.IsZero() {
		v.DurationS = int(snap.Deadline.Sub(snap.StartAt) / time.Second)
	}
	if lv.problem != nil && snap.State != match.Found {
		pj := e.s.playable.view(lv.problem)
		v.Problem = &pj
	}
	for _, p := range lv.players {
		v.Players = append(v.Players, e.playerView(lv, p, snap))
	}
	return v
}

func (e *engine) progressView(id string, lv *live, user int64) progressJSON {
	for _, p := range lv.players {
		if p.UserID == user {
			pj := e.playerView(lv, p, lv.m.Snapshot())
			return progressJSON{MatchID: id, UserID: user, TestsPassed: pj.TestsPassed, TestsTotal: pj.TestsTotal,
				LastVerdict: pj.LastVerdict, Submissions: pj.Submissions, Typing: pj.Typing, Connected: pj.Connected,
				GraceDeadline: pj.GraceDeadline, ServerNow: protocol.Time(e.s.clk.Now())}
		}
	}
	return progressJSON{MatchID: id, UserID: user}
}

// broadcastState pushes match.state to every player and the spectators.
func (e *engine) broadcastState(id string, lv *live) {
	for _, p := range lv.players {
		e.toUser(p.UserID, "match.state", e.stateView(id, lv, p.UserID), "")
	}
	if !lv.private {
		e.toSpectators(id, "match.state", e.stateView(id, lv, 0))
	}
}

// broadcastProgress pushes one player's public progress to the others and
// the spectators. It never contains code.
func (e *engine) broadcastProgress(id string, lv *live, user int64) {
	v := e.progressView(id, lv, user)
	for _, p := range lv.players {
		if p.UserID != user {
			e.toUser(p.UserID, "opponent.progress", v, "")
		}
	}
	if !lv.private {
		e.toSpectators(id, "opponent.progress", v)
	}
}

func (e *engine) queueView(user int64) *queueStatusJSON {
	st := e.lobby.Status(user)
	v := &queueStatusJSON{ServerNow: protocol.Time(e.s.clk.Now()), CooldownUntil: protocol.TimePtr(st.CooldownUntil)}
	if st.State == matchmaking.Queued {
		v.Queued = true
		v.Mode = ptr(protocol.Mode(st.Ticket.Mode))
		v.JoinedAt = protocol.TimePtr(st.Ticket.Enqueued)
		if st.Ticket.Mode == matchmaking.Ranked {
			v.Window = &windowJSON{Min: math.Round(st.Ticket.Rating - st.Window), Max: math.Round(st.Ticket.Rating + st.Window)}
		}
	}
	return v
}

func (e *engine) foundView(p matchmaking.Proposal) *matchFoundJSON {
	v := &matchFoundJSON{MatchID: p.ID, Mode: protocol.Mode(p.Mode), ServerNow: protocol.Time(e.s.clk.Now()),
		AcceptDeadline: protocol.Time(p.AcceptBy)}
	var sum float64
	for i, t := range p.Tickets {
		info := e.userInfo(t.UserID)
		v.Players = append(v.Players, foundPlayerJSON{UserID: t.UserID, Username: info.Username, Rating: t.Rating, RD: t.RD,
			Level: info.Level, Accepted: p.Accepted[i]})
		sum += t.Rating
	}
	v.Difficulty = int(math.Round(sum / float64(max(1, len(p.Tickets)))))
	return v
}

func (e *engine) roomView(r matchmaking.Room, closed bool) *roomStateJSON {
	set := e.rooms[r.Code]
	v := &roomStateJSON{Code: r.Code, HostID: r.Host, MaxPlayers: set.MaxPlayers, DurationS: set.DurationS, Closed: closed}
	if set.ProblemID != "" {
		v.ProblemID = ptr(set.ProblemID)
	}
	for _, u := range r.Members {
		info := e.userInfo(u)
		v.Players = append(v.Players, roomPlayerJSON{UserID: u, Username: info.Username, Rating: info.Rating, Level: info.Level,
			Connected: e.online(u)})
	}
	return v
}

// userInfo reads a user's name and rating (the store is the truth).
func (e *engine) userInfo(id int64) playerInfo {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	info := playerInfo{UserID: id, Rating: 1500, RD: 350, Level: 1}
	if u, err := e.s.st.UserByID(c, id); err == nil {
		info.Username = u.Username
	}
	if p, err := e.s.st.Profile(c, id); err == nil {
		info.Rating, info.RD, info.Level = p.Rating, p.RD, p.Level
	}
	return info
}

func (e *engine) online(user int64) bool {
	now := e.s.clk.Now()
	for _, at := range e.presence[user] {
		if now.Sub(at) < presenceTTL {
			return true
		}
	}
	return false
}

// --- matchmaking ------------------------------------------------------------

func (e *engine) matchmake(ctx context.Context) {
	res := e.lobby.Tick()
	changed := len(res.Proposed)+len(res.Dissolved)+len(res.Closed) > 0
	if changed {
		if err := e.saveLobby(ctx); err != nil {
			e.s.log.Error("save lobby after tick", "err", err)
		}
	}
	for _, p := range res.Proposed {
		fv := e.foundView(p)
		for _, t := range p.Tickets {
			delete(e.windows, t.UserID)
			e.toUser(t.UserID, "match.found", fv, "")
		}
	}
	now := e.s.clk.Now()
	for _, d := range res.Dissolved {
		e.expired[d.Proposal.ID] = now
		for _, u := range d.Removed {
			e.toUser(u, "queue.status", e.queueView(u), "")
		}
		for _, t := range d.Requeued {
			e.toUser(t.UserID, "queue.status", e.queueView(t.UserID), "")
		}
	}
	for _, r := range res.Closed {
		for _, u := range r.Members {
			e.toUser(u, "room.state", e.roomView(r, true), "")
		}
		delete(e.rooms, r.Code)
	}
	for id, at := range e.expired {
		if now.Sub(at) > time.Minute {
			delete(e.expired, id)
		}
	}
	// Windows widen with waiting time: tell each ranked waiter when theirs did.
	for _, t := range e.lobby.Snapshot().Waiting {
		if t.Mode != matchmaking.Ranked {
			continue
		}
		w := e.s.opt.Matchmaking.Window(t, now)
		if old, ok := e.windows[t.UserID]; !ok || old != w {
			if ok {
				e.toUser(t.UserID, "queue.status", e.queueView(t.UserID), "")
			}
			e.windows[t.UserID] = w
		}
	}
}

// startMatch turns a confirmed proposal or a started room into a live
// match: it chooses the problem, persists the match (with its deadline)
// and tells the players.
func (e *engine) startMatch(ctx context.Context, id, mode string, users []int64, private bool, set roomSettings) (*live, error) {
	c, cancel := opCtx(ctx)
	defer cancel()
	var infos []playerInfo
	var ratings []float64
	var recent [][]string
	for _, u := range users {
		info := e.userInfo(u)
		infos = append(infos, info)
		ratings = append(ratings, info.Rating)
		rp, err := e.s.st.RecentProblems(c, u, 20)
		if err != nil {
			return nil, err
		}
		recent = append(recent, rp)
	}
	// New matches get the newest versions the background refresh has
	// loaded (refreshProblems); running matches keep theirs.
	var prob *ProblemInfo
	if set.ProblemID != "" {
		prob, _ = e.s.playable.Get(set.ProblemID)
	}
	if prob == nil {
		pick := e.s.opt.Pick
		cands := e.s.playable.Candidates()
		chosen, err := match.DefaultPolicy().Choose(cands, ratings, recent, pick)
		if errors.Is(err, match.ErrNoProblem) {
			// Everything was played recently (a small catalog): repeat rather than refuse to play.
			chosen, err = match.ProblemPolicy{Recent: 0, Band: 100}.Choose(cands, ratings, nil, pick)
		}
		if err != nil {
			return nil, err
		}
		prob, _ = e.s.playable.Get(chosen.ID)
	}
	if prob == nil {
		return nil, fmt.Errorf("arena: no playable problem")
	}
	cfg := e.s.opt.Match
	if set.DurationS > 0 {
		cfg = withDuration(cfg, time.Duration(set.DurationS)*time.Second)
	}
	m, err := match.New(cfg, e.s.clk, match.Setup{ID: id, Players: users, PreAccepted: true, Solo: mode == "practice"})
	if err != nil {
		return nil, err
	}
	if err := m.Begin(match.Problem{ID: prob.ID, Rating: float64(prob.Rating), Difficulty: prob.Difficulty()}); err != nil {
		return nil, err
	}
	m.Events()
	lv := &live{m: m, cfg: cfg, mode: mode, private: private, players: infos, problem: prob, progress: map[int64]*liveProgress{}}
	for _, u := range users {
		lv.progress[u] = &liveProgress{}
	}
	snap := m.Snapshot()
	am := store.ArenaMatch{ID: id, Mode: mode, ProblemID: prob.ID, ProblemVersion: prob.Version, ProblemTitle: prob.Title, ProblemDifficulty: prob.Rating,
		State: string(snap.State), CreatedAt: snap.Created, StartsAt: snap.StartAt, Deadline: snap.Deadline,
		Snapshot: e.extras(lv, snap)}
	for _, p := range infos {
		am.Players = append(am.Players, store.ArenaPlayer{UserID: p.UserID, RatingBefore: p.Rating, RDBefore: p.RD})
	}
	if err := e.s.st.CreateMatch(c, am); err != nil {
		return nil, err
	}
	lv.lastSave = snap.State
	e.matches[id] = lv
	for _, u := range users {
		e.userMatch[u] = id
	}
	e.broadcastState(id, lv)
	return lv, nil
}

func (e *engine) extras(lv *live, snap match.Snapshot) []byte {
	x := matchExtras{Match: snap, Players: lv.players, Private: lv.private}
	if lv.problem != nil {
		x.ProblemVersion = lv.problem.Version
	}
	if d, ok := lv.cfg.DurationFor(match.Easy); ok && lv.cfg.Durations[match.Hard] == d && e.s.opt.Match.Durations[match.Easy] != d {
		x.DurationS = int(d / time.Second)
	}
	b, _ := json.Marshal(x)
	return b
}

// save persists a live match's snapshot.
func (e *engine) save(ctx context.Context, id string, lv *live) {
	snap := lv.m.Snapshot()
	if snap.State.Terminal() || ctx.Err() != nil {
		return // FinishMatch writes the terminal state; a deposed leader writes nothing
	}
	c, cancel := opCtx(ctx)
	defer cancel()
	am := store.ArenaMatch{ID: id, State: string(snap.State), StartsAt: snap.StartAt, Deadline: snap.Deadline,
		Snapshot: e.extras(lv, snap)}
	if lv.problem != nil {
		am.ProblemID, am.ProblemVersion, am.ProblemTitle, am.ProblemDifficulty = lv.problem.ID, lv.problem.Version, lv.problem.Title, lv.problem.Rating
	}
	if err := e.s.st.SaveMatchState(c, am); err != nil {
		e.s.log.Error("save match", "match", id, "err", err)
	}
	lv.lastSave = snap.State
}

// --- timers -------------------------------------------------------------

// refreshProblems reloads the problem catalog in the background, once a
// second: a new upload or re-import is unpacked and loaded without holding
// the engine (a big package takes a while), and matches starting after
// that use it.
func (e *engine) refreshProblems(ctx context.Context) {
	if !e.refreshing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer e.refreshing.Store(false)
		c, cancel := opCtx(ctx)
		defer cancel()
		if err := e.s.playable.Refresh(c); err != nil {
			e.s.log.Warn("problem catalog refresh", "err", err)
		}
	}()
}

// forwardSettle is how long a new leader holds the deadlines of the
// matches it took over (match.Hold): actions the nodes received during the
// failover (retried every 150 ms while no leader answers) arrive first, so
// a submission received before a deadline that passed meanwhile counts.
const forwardSettle = time.Second

func (e *engine) timers(ctx context.Context) {
	if !e.s.bus.NC.IsConnected() {
		// Cut off from NATS, this node cannot hear the submissions other
		// nodes forward nor tell anyone a result: it decides nothing until
		// it is back or its lease ends and another node decides (holding
		// the deadlines it takes over, see forwardSettle).
		return
	}
	now := e.s.clk.Now()
	settling := now.Sub(e.since) < forwardSettle
	for _, id := range sortedKeys(e.matches) {
		lv := e.matches[id]
		if lv.m.State().Terminal() {
			// A finish the store refused (database down): retry each second.
			if now.Sub(lv.finishTried) >= time.Second {
				e.finish(ctx, id, lv)
			}
			continue
		}
		if lv.settleHold && !settling {
			lv.settleHold = false
			lv.m.Release()
		}
		lv.m.Tick()
		e.afterChange(ctx, id, lv)
	}
}

// afterChange drains the match's events: persist, publish, finish.
func (e *engine) afterChange(ctx context.Context, id string, lv *live) {
	evs := lv.m.Events()
	if len(evs) == 0 {
		return
	}
	stateChanged := false
	for _, ev := range evs {
		switch ev.Kind {
		case "state":
			stateChanged = true
		case "disconnected", "reconnected", "out":
			e.broadcastProgress(id, lv, ev.Player)
		}
	}
	if lv.m.State().Terminal() {
		e.finish(ctx, id, lv)
		return
	}
	e.save(ctx, id, lv)
	if stateChanged {
		e.broadcastState(id, lv)
	}
}

// presenceCheck feeds connection changes into running matches.
func (e *engine) presenceCheck(ctx context.Context) {
	now := e.s.clk.Now()
	for node, st := range e.nodes {
		if now.Sub(st.At) > presenceTTL {
			delete(e.nodes, node)
		}
	}
	// Right after a failover the nodes have not reported yet: players of
	// the matches taken over are not judged absent before they could be.
	settling := now.Sub(e.since) < presenceTTL
	for _, id := range sortedKeys(e.matches) {
		lv := e.matches[id]
		if lv.restored && settling {
			continue
		}
		st := lv.m.State()
		if st != match.Countdown && st != match.Running && st != match.Accepted {
			continue
		}
		for _, mp := range lv.m.Snapshot().Players {
			if mp.Out != "" {
				continue
			}
			on := e.online(mp.ID)
			switch {
			case !on && mp.DisconnectedAt.IsZero():
				_ = lv.m.Disconnected(mp.ID)
			case on && !mp.DisconnectedAt.IsZero():
				_ = lv.m.Reconnected(mp.ID)
			}
		}
		e.afterChange(ctx, id, lv)
	}
}

// pollVerdicts catches verdicts whose event was lost (or published while
// no leader was listening): the store has every result.
func (e *engine) pollVerdicts(ctx context.Context) {
	c, cancel := opCtx(ctx)
	defer cancel()
	for _, id := range sortedKeys(e.matches) {
		lv := e.matches[id]
		for _, sub := range lv.m.Snapshot().Submissions {
			if sub.Judged {
				continue
			}
			s, err := e.s.st.Submission(c, sub.ID)
			if err != nil || s.Result == nil {
				continue
			}
			e.applyVerdict(ctx, id, lv, s)
		}
	}
}

func (e *engine) onJudgeEvent(ctx context.Context, m *nats.Msg) {
	var ev execution.Event
	if json.Unmarshal(m.Data, &ev) != nil || ev.MatchID == "" {
		return
	}
	if ev.Type == execution.CoachEventType {
		e.onCoachEvent(ctx, ev)
		return
	}
	if ev.Type != execution.EventType {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	lv := e.matches[ev.MatchID]
	if lv == nil {
		if ev.Phase == execution.PhaseDone {
			// The match ended while this was judged: the submitter still
			// gets the one reply to their code.submit.
			c, cancel := opCtx(ctx)
			defer cancel()
			if s, err := e.s.st.Submission(c, ev.SubmissionID); err == nil && s.Result != nil {
				e.toUser(s.UserID, "submission.result", resultView(ev.MatchID, s, s.CreatedAt), s.ID)
			}
		}
		return
	}
	switch ev.Phase {
	case execution.PhaseTesting:
		if pr := lv.progress[ev.UserID]; pr != nil && ev.Verdict != "" {
			pr.LastVerdict, pr.Total = ev.Verdict, ev.Total
			e.broadcastProgress(ev.MatchID, lv, ev.UserID)
		}
	case execution.PhaseDone:
		c, cancel := opCtx(ctx)
		defer cancel()
		s, err := e.s.st.Submission(c, ev.SubmissionID)
		if err != nil || s.Result == nil {
			return // pollVerdicts retries
		}
		e.applyVerdict(ctx, ev.MatchID, lv, s)
	}
}

func (e *engine) applyVerdict(ctx context.Context, id string, lv *live, s store.Submission) {
	r := s.Result
	passed, total := r.Passed, r.Total
	if total <= 0 { // compile error, internal error: nothing ran
		total, passed = 1, 0
	}
	passed = min(passed, total)
	accepted := r.Verdict == "AC" && passed == total
	if !accepted && passed == total {
		passed = total - 1
	}
	err := lv.m.Verdict(s.ID, passed, total, accepted)
	if errors.Is(err, match.ErrDuplicateVerdict) || errors.Is(err, match.ErrUnknownSubmission) {
		return
	}
	if err != nil {
		e.s.log.Error("verdict refused", "match", id, "submission", s.ID, "err", err)
		return
	}
	if pr := lv.progress[s.UserID]; pr != nil {
		pr.LastVerdict, pr.Total, pr.Running = r.Verdict, r.Total, false
	}
	var received time.Time
	for _, sub := range lv.m.Snapshot().Submissions {
		if sub.ID == s.ID {
			received = sub.Received
		}
	}
	res := resultView(id, s, received)
	e.toUser(s.UserID, "submission.result", res, s.ID)
	e.broadcastProgress(id, lv, s.UserID)
	e.afterChange(ctx, id, lv)
}

func resultView(matchID string, s store.Submission, received time.Time) submissionResultJSON {
	r := s.Result
	res := submissionResultJSON{MatchID: matchID, SubmissionID: s.ID, Lang: s.Lang, Verdict: protocol.Verdict(r.Verdict), Passed: r.Passed,
		Total: r.Total, TimeMS: r.MaxCPUTime.Milliseconds(), MemoryKB: r.MaxMemoryBytes >> 10, ReceivedAt: protocol.Time(received)}
	if r.FailedTest > 0 {
		res.FailedTest = ptr(r.FailedTest)
	}
	if r.Verdict == "CE" {
		msg := r.Message
		if len(msg) > 16<<10 {
			msg = msg[:16<<10]
		}
		res.CompileError = ptr(msg)
	}
	return res
}

// --- finishing ------------------------------------------------------------

// finish applies the result in one store transaction (idempotent per
// match), frees the players and tells everyone.
func (e *engine) finish(ctx context.Context, id string, lv *live) {
	lv.finishTried = e.s.clk.Now()
	if ctx.Err() != nil {
		return // deposed: the next leader finishes it (FinishMatch is idempotent anyway)
	}
	snap := lv.m.Snapshot()
	c, cancel := opCtx(ctx)
	defer cancel()
	state := store.MatchFinished
	if snap.State == match.Cancelled {
		state = store.MatchCancelled
	}
	fin := store.ArenaFinish{MatchID: id, State: state, Reason: string(snap.Result.Reason), WinnerID: snap.Result.Winner,
		FinishedAt: snap.EndedAt, Snapshot: e.extras(lv, snap)}
	// Marked before it is stored, unmarked once announced: a leader dying
	// in between leaves the mark, and the next one announces the result.
	e.markUnannounced(c, id)
	first, err := e.s.firstSolves(c, lv, snap)
	if err == nil {
		_, err = e.s.st.FinishMatch(c, fin, func(st []store.ArenaStanding) ([]store.ArenaUpdate, error) {
			return e.s.compute(lv, snap, st, first)
		})
	}
	if err != nil {
		// Keep it live: the next timer pass retries (FinishMatch is idempotent).
		e.s.log.Error("finish match", "match", id, "err", err)
		return
	}
	if e.s.opt.afterFinishStored != nil {
		e.s.opt.afterFinishStored(e.s, id)
	}
	delete(e.matches, id)
	users := make([]int64, 0, len(lv.players))
	for _, p := range lv.players {
		users = append(users, p.UserID)
		if e.userMatch[p.UserID] == id {
			delete(e.userMatch, p.UserID)
		}
	}
	e.lobby.Release(users...)
	if err := e.saveLobby(ctx); err != nil {
		e.s.log.Error("save lobby after finish", "err", err)
	}
	if err := e.announceFinished(ctx, id); err != nil {
		e.s.log.Error("announce finished match; retrying", "match", id, "err", err)
		e.unannounced[id] = true
	}
	e.s.log.Info("match finished", "match", id, "reason", snap.Result.Reason, "winner", snap.Result.Winner,
		"late_ms", e.s.clk.Now().Sub(snap.EndedAt).Milliseconds())
	if e.s.opt.OnFinish != nil {
		e.s.opt.OnFinish(id, snap)
	}
}

// announcePrefix marks, in the arena KV bucket, a match whose result is
// stored but may not have been announced yet.
const announcePrefix = "announce."

func (e *engine) markUnannounced(ctx context.Context, id string) {
	if _, err := e.s.bus.State().Put(ctx, announcePrefix+id, nil); err != nil {
		// Only a crash right after storing would then lose the push; the
		// players still get the result from last_finished on reconnect.
		e.s.log.Warn("mark match unannounced", "match", id, "err", err)
	}
}

// announceFinished pushes match.finished for a stored match to its
// players and spectators, tells every node the leaderboard changed, and
// clears the match's mark once the NATS server has the pushes.
func (e *engine) announceFinished(ctx context.Context, id string) error {
	c, cancel := opCtx(ctx)
	defer cancel()
	m, err := e.s.st.ArenaMatch(c, id)
	if err != nil {
		return err
	}
	return e.announceFinishedMatch(ctx, m)
}

// announceFinishedMatch is announceFinished of a match row already read.
func (e *engine) announceFinishedMatch(ctx context.Context, m store.ArenaMatch) error {
	c, cancel := opCtx(ctx)
	defer cancel()
	id := m.ID
	view, err := e.s.finishedViewOf(c, m)
	if err != nil {
		return err
	}
	for _, p := range m.Players {
		e.toUser(p.UserID, "match.finished", view, "")
	}
	if m.Mode != "private" && m.Mode != "practice" {
		e.toSpectators(id, "match.finished", view)
	}
	var changed []int64
	for _, r := range view.Ratings {
		changed = append(changed, r.UserID)
	}
	for _, x := range view.XP {
		if !slices.Contains(changed, x.UserID) {
			changed = append(changed, x.UserID)
		}
	}
	e.s.publishBoard(changed)
	e.refreshRecent(ctx)
	if err := e.s.bus.NC.FlushWithContext(c); err != nil {
		return fmt.Errorf("flush announcements: %w", err) // the mark stays: the next leader repeats them
	}
	if err := e.s.bus.State().Delete(c, announcePrefix+id); err != nil {
		e.s.log.Warn("unmark announced match", "match", id, "err", err)
	}
	return nil
}

// announcePending runs when a node takes the lead: results the previous
// leader stored but may not have pushed (it died in between) are pushed
// now. Players may see a match.finished twice; never zero times.
func (e *engine) announcePending(ctx context.Context) {
	c, cancel := opCtx(ctx)
	defer cancel()
	kl, err := e.s.bus.State().ListKeysFiltered(c, announcePrefix+">")
	if err != nil {
		e.s.log.Warn("list unannounced matches", "err", err)
		return
	}
	var ids []string
	for k := range kl.Keys() {
		ids = append(ids, strings.TrimPrefix(k, announcePrefix))
	}
	for _, id := range ids {
		if _, live := e.matches[id]; live {
			continue // finished (and announced) by this leader in due course
		}
		m, err := e.s.st.ArenaMatch(c, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			_ = e.s.bus.State().Delete(c, announcePrefix+id)
			continue
		case err != nil:
			e.s.log.Warn("read unannounced match", "match", id, "err", err)
			continue
		case m.State != store.MatchFinished && m.State != store.MatchCancelled:
			continue
		}
		e.s.log.Info("announcing a match the previous leader finished", "match", id)
		if err := e.announceFinishedMatch(ctx, m); err != nil {
			e.s.log.Warn("announce finished match", "match", id, "err", err)
		}
	}
}

func (e *engine) refreshRecent(ctx context.Context) {
	c, cancel := opCtx(ctx)
	defer cancel()
	ms, err := e.s.st.RecentlyFinished(c, 10)
	if err != nil {
		return
	}
	e.recent = recentViews(ms)
}

func recentViews(ms []store.ArenaMatch) []recentMatchJSON {
	out := []recentMatchJSON{}
	for _, m := range ms {
		r := recentMatchJSON{MatchID: m.ID, Mode: protocol.Mode(m.Mode), ProblemTitle: m.ProblemTitle, FinishedAt: protocol.Time(m.FinishedAt), Players: []string{}}
		for _, p := range m.Players {
			r.Players = append(r.Players, p.Username)
			if p.UserID == m.WinnerID && m.WinnerID != 0 {
				r.Winner = ptr(p.Username)
			}
		}
		out = append(out, r)
	}
	return out
}

// lobbyView is the lobby as everyone sees it.
func (e *engine) lobbyView() lobbyJSON {
	now := e.s.clk.Now()
	online := 0
	for _, st := range e.nodes {
		online += st.Online
	}
	q := map[protocol.Mode]queueSizeJSON{protocol.ModeRanked: {}, protocol.ModeCasual: {}, protocol.ModeFFA: {}, protocol.ModePractice: {}}
	waits := map[protocol.Mode][]float64{}
	for _, t := range e.lobby.Snapshot().Waiting {
		m := protocol.Mode(t.Mode)
		waits[m] = append(waits[m], now.Sub(t.Enqueued).Seconds())
	}
	for mode, ws := range waits {
		sort.Float64s(ws)
		q[mode] = queueSizeJSON{Waiting: len(ws), MedianWait: int(ws[len(ws)/2])}
	}
	return lobbyJSON{Online: online, Queues: q, RecentMatches: e.recent}
}

// pushLobby broadcasts lobby.state when it changed (waiting times alone do
// not count as a change: clients compute them).
func (e *engine) pushLobby() {
	v := e.lobbyView()
	sigView := v
	sigView.Queues = map[protocol.Mode]queueSizeJSON{}
	for k, s := range v.Queues {
		sigView.Queues[k] = queueSizeJSON{Waiting: s.Waiting}
	}
	b, _ := json.Marshal(sigView)
	if string(b) == e.lobbySig {
		return
	}
	e.lobbySig = string(b)
	e.s.publishLobby(v)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
