package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
)

// Fan-out: frames for a user go to events.user.<id>, spectator frames to
// events.match.<id>, leaderboard changes and lobby.state to
// events.leaderboard; every node subscribes to the wildcards and delivers
// to its own connections (and in-process clients).

// userEvent is what the arena publishes on events.user.<id> and
// events.match.<id>; the nodes deliver Frame to the connections. Sub names
// the submission whose result answers a pending code.submit request.
// appendUserEvent writes it and parseUserEvent reads it without a JSON
// decoder; any other layout of the same JSON is read with encoding/json.
type userEvent struct {
	Type  string          `json:"type"` // "arena"
	Frame protocol.Event  `json:"frame"`
	Data  json.RawMessage `json:"data"`
	Sub   string          `json:"sub,omitempty"`
}

const userEventHead = `{"type":"arena","frame":`

// appendUserEvent encodes a userEvent (data as json.Marshal made it) in
// one layout: type, frame, sub (always, "" for none), data. It is the
// JSON of the struct, so any reader decodes it; parseUserEvent reads it by
// position.
func appendUserEvent(b []byte, frame protocol.Event, sub string, data []byte) []byte {
	b = append(b, userEventHead...)
	b = realtime.AppendJSONString(b, string(frame))
	b = append(b, `,"sub":`...)
	b = realtime.AppendJSONString(b, sub)
	b = append(b, `,"data":`...)
	b = append(b, data...)
	return append(b, '}')
}

// parseUserEvent reads an event in appendUserEvent's layout (data is a
// slice of b); ok is false for any other text, to be decoded as JSON.
func parseUserEvent(b []byte) (frame protocol.Event, sub string, data []byte, ok bool) {
	str := func(rest []byte) (string, []byte, bool) {
		if len(rest) == 0 || rest[0] != '"' {
			return "", nil, false
		}
		i := bytes.IndexByte(rest[1:], '"')
		if i < 0 || bytes.IndexByte(rest[1:1+i], '\\') >= 0 {
			return "", nil, false // escaped: leave it to encoding/json
		}
		return string(rest[1 : 1+i]), rest[2+i:], true
	}
	rest, found := bytes.CutPrefix(b, []byte(userEventHead))
	if !found {
		return "", "", nil, false
	}
	f, rest, ok := str(rest)
	if !ok {
		return "", "", nil, false
	}
	if rest, found = bytes.CutPrefix(rest, []byte(`,"sub":`)); !found {
		return "", "", nil, false
	}
	if sub, rest, ok = str(rest); !ok {
		return "", "", nil, false
	}
	if rest, found = bytes.CutPrefix(rest, []byte(`,"data":`)); !found || len(rest) < 2 || rest[len(rest)-1] != '}' {
		return "", "", nil, false
	}
	return protocol.Event(f), sub, rest[:len(rest)-1], true
}

// decodeUserEvent reads an arena event, by position when it can.
func decodeUserEvent(b []byte) (userEvent, bool) {
	if frame, sub, data, ok := parseUserEvent(b); ok {
		return userEvent{Type: "arena", Frame: frame, Sub: sub, Data: data}, true
	}
	var ev userEvent
	if json.Unmarshal(b, &ev) != nil || ev.Type != "arena" {
		return userEvent{}, false
	}
	return ev, true
}

func (s *Service) toUser(user int64, frame protocol.Event, data any, sub string) {
	s.deliver("", []outMsg{{user: user, frame: frame, data: data, sub: sub}})
}

// deliver publishes frames in order: to a user, or (user 0) to the
// spectators of matchID. A message marked same carries the previous
// one's data, encoded once. It returns once the frames are handed to the
// NATS connection (a flush after it covers them).
func (s *Service) deliver(matchID string, out []outMsg) {
	msgs := make([]pubMsg, 0, len(out))
	var b []byte
	for i, m := range out {
		if !m.same || i == 0 || b == nil {
			var err error
			if b, err = json.Marshal(m.data); err != nil {
				s.log.Error("encode event", "frame", m.frame, "err", err)
				b = nil
				continue
			}
		}
		subj := s.bus.Names.UserEvents(m.user)
		if m.user == 0 {
			var err error
			if subj, err = s.bus.Names.MatchEvents(matchID); err != nil {
				continue
			}
		}
		ev := appendUserEvent(make([]byte, 0, len(userEventHead)+len(m.frame)+len(m.sub)+len(b)+32), m.frame, m.sub, b)
		msgs = append(msgs, pubMsg{subj: subj, data: ev, frame: m.frame})
	}
	s.pub.publish(msgs, s.publishNow)
}

func (s *Service) publishNow(msgs []pubMsg) {
	for _, m := range msgs {
		if err := s.bus.NC.Publish(m.subj, m.data); err != nil {
			s.log.Warn("publish event", "frame", m.frame, "err", err)
		}
	}
}

// pubMsg is one fan-out message for NATS.
type pubMsg struct {
	subj  string
	data  []byte
	frame protocol.Event
}

// publisher hands fan-out messages to the NATS connection in groups, in
// the order they were given. Every running match's runner publishes its
// own frames; thousands of them each taking the connection's lock for one
// message spent far more time waiting for that lock than publishing (the
// load test's mutex profile: ~90 % of all lock waiting). Now the first
// caller publishes, and whoever arrives meanwhile queues its messages and
// waits: the publishing caller takes the whole queue at once, so the
// connection's lock is taken by one goroutine in a row. After a few
// rounds it hands the job to the next caller in line, so no caller
// publishes for others forever.
type publisher struct {
	mu    sync.Mutex
	busy  bool
	queue []*pubBatch
}

type pubBatch struct {
	msgs []pubMsg
	done chan bool // closed: published; true: publish yourself and lead
}

const publishRounds = 4

// publish publishes msgs with send, in order after every batch given
// before, and returns once they are published.
func (p *publisher) publish(msgs []pubMsg, send func([]pubMsg)) {
	if len(msgs) == 0 {
		return
	}
	p.mu.Lock()
	if p.busy {
		b := &pubBatch{msgs: msgs, done: make(chan bool, 1)}
		p.queue = append(p.queue, b)
		p.mu.Unlock()
		if lead := <-b.done; !lead {
			return
		}
		// Handed the job: this batch is the oldest not yet published.
	} else {
		p.busy = true
		p.mu.Unlock()
	}
	send(msgs)
	for round := 0; ; round++ {
		p.mu.Lock()
		if len(p.queue) == 0 {
			p.busy = false
			p.mu.Unlock()
			return
		}
		if round == publishRounds {
			next := p.queue[0]
			p.queue = slices.Delete(p.queue, 0, 1)
			p.mu.Unlock()
			next.done <- true
			return
		}
		batch := p.queue
		p.queue = nil
		p.mu.Unlock()
		for _, b := range batch {
			send(b.msgs)
			close(b.done)
		}
	}
}

func (s *Service) onUserEvent(m *nats.Msg) {
	if ev, ok := decodeUserEvent(m.Data); ok {
		user, err := strconv.ParseInt(splitLast(m.Subject), 10, 64)
		if err != nil || user == 0 {
			return
		}
		plain := realtime.EncodeRaw(ev.Frame, "", ev.Data)
		s.hub.ForUser(user, func(c *realtime.Conn) {
			if ev.Sub != "" {
				if id, ok := c.TakePending(ev.Sub); ok {
					c.Send(realtime.EncodeRaw(ev.Frame, id, ev.Data))
					return
				}
			}
			c.Send(plain)
		})
		s.clients.deliver(user, plain)
		return
	}
	var head struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(m.Data, &head) != nil {
		return
	}
	switch head.Type {
	case execution.EventType:
		// A worker's progress: the match's owner tells its players and
		// spectators.
		var ev execution.Event
		if json.Unmarshal(m.Data, &ev) != nil || ev.MatchID == "" {
			return
		}
		if lv := s.shard.lookup(ev.MatchID); lv != nil {
			lv.progressEvent(ev)
		}
	case execution.CoachEventType:
		var ev execution.Event
		if json.Unmarshal(m.Data, &ev) != nil || ev.MatchID == "" || !s.shard.ownsByView(ev.MatchID) {
			return
		}
		go s.onCoachEvent(ev)
	}
}

func (s *Service) onMatchEvent(m *nats.Msg) {
	ev, ok := decodeUserEvent(m.Data)
	if !ok {
		return
	}
	matchID := splitLast(m.Subject)
	frame := realtime.EncodeRaw(ev.Frame, "", ev.Data)
	s.hub.ForSpectators(matchID, func(c *realtime.Conn) { c.Send(frame) })
	s.clients.toSpectators(matchID, frame)
}

type boardEvent struct {
	Kind    string     `json:"kind"` // "leaderboard" or "lobby"
	Changed []int64    `json:"changed,omitempty"`
	Lobby   *lobbyJSON `json:"lobby,omitempty"`
}

// publishBoard tells every node that ratings or XP changed. The lobby
// state rides the same subject (kind "lobby"): both go to every client.
func (s *Service) publishBoard(changed []int64) {
	b, _ := json.Marshal(boardEvent{Kind: "leaderboard", Changed: changed})
	_ = s.bus.NC.Publish(s.bus.Names.LeaderboardEvents(), b)
}

func (s *Service) publishLobby(v lobbyJSON) {
	b, _ := json.Marshal(boardEvent{Kind: "lobby", Lobby: &v})
	_ = s.bus.NC.Publish(s.bus.Names.LeaderboardEvents(), b)
}

// PublishLeaderboardChange announces a rating change for users (load
// tools use it to trigger a broadcast).
func (s *Service) PublishLeaderboardChange(users []int64) { s.publishBoard(users) }

func (s *Service) onBoardEvent(m *nats.Msg) {
	var ev boardEvent
	if json.Unmarshal(m.Data, &ev) != nil {
		return
	}
	switch ev.Kind {
	case "lobby":
		if ev.Lobby == nil {
			return
		}
		frame := realtime.Encode(protocol.EventLobbyState, "", ev.Lobby)
		s.hub.ForAll(func(c *realtime.Conn) { c.Send(frame) })
		s.clients.broadcast(frame)
	case "leaderboard":
		// Coalesce bursts (several matches ending together) into one
		// recomputation, well inside the 1 s budget.
		s.boardMu.Lock()
		s.boardGen.Add(1)
		clear(s.pageCache)
		s.boardChg = append(s.boardChg, ev.Changed...)
		if s.boardTimer == nil {
			s.boardTimer = time.AfterFunc(5*time.Millisecond, s.fanOutBoards)
		}
		s.boardMu.Unlock()
	}
}

// --- judge results -------------------------------------------------------------

// onResult takes a judge result from the results stream (any node may get
// it) to its match's owner, which applies it once and answers only after
// the match with it is stored: then the stream forgets it.
func (s *Service) onResult(ctx context.Context, r execution.Result) error {
	if r.MatchID == "" {
		return nil // not a match's (a practice submission through the REST API)
	}
	// Within the stream's 30 s ack wait; past it, the result is retried.
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err := s.do(c, call{User: r.UserID, Node: s.node, At: s.clk.Now()}, opMatchResult, &r)
	return err
}

// --- finishing -------------------------------------------------------------------

// releasePlayers tells the matchmaker that a match's players are free.
// It is retried for a while; should the matchmaker stay unreachable, its
// sweep frees them from the store's truth.
func (s *Service) releasePlayers(ctx context.Context, id string, users []int64) {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := s.do(c, call{Node: s.node, At: s.clk.Now()}, opMatchEnded, &endedReq{MatchID: id, Users: users}); err != nil {
		s.log.Warn("tell the matchmaker a match ended", "match", id, "err", err)
	}
}

// announcePrefix marks, in the arena KV bucket, a match whose result is
// stored but may not have been announced yet.
const announcePrefix = "announce."

func (s *Service) markUnannounced(ctx context.Context, id string) {
	if _, err := s.bus.State().Put(ctx, announcePrefix+id, nil); err != nil {
		// Only a crash right after storing would then lose the push; the
		// players still get the result from last_finished on reconnect.
		// (Not retried: an owner cut off from NATS must still reach the
		// store, whose fencing tells it the match is no longer its own.)
		s.log.Warn("mark match unannounced", "match", id, "err", err)
	}
}

// announceFinished pushes match.finished for a stored match to its
// players and spectators, tells every node the leaderboard changed, and
// clears the match's mark once the NATS server has the pushes.
func (s *Service) announceFinished(ctx context.Context, id string) error {
	c, cancel := opCtx(ctx)
	defer cancel()
	m, err := s.st.ArenaMatch(c, id)
	if err != nil {
		return err
	}
	return s.announceFinishedMatch(ctx, m)
}

// announceFinishedMatch is announceFinished of a match row already read.
func (s *Service) announceFinishedMatch(ctx context.Context, m store.ArenaMatch) error {
	c, cancel := opCtx(ctx)
	defer cancel()
	view, err := s.finishedViewOf(c, m)
	if err != nil {
		return err
	}
	var out []outMsg
	for _, p := range m.Players {
		out = append(out, outMsg{user: p.UserID, frame: protocol.EventMatchFinished, data: view, same: len(out) > 0})
	}
	if public(m.Mode) {
		// Spectators read the code (and the coach on it) by the code rule:
		// not a free-for-all's.
		spec := view
		if !replayVisible(m, 0, false, 0) {
			spec.Solutions, spec.Coach = protocol.List[solutionJSON]{}, protocol.List[coachJSON]{}
		}
		out = append(out, outMsg{frame: protocol.EventMatchFinished, data: spec})
	}
	s.deliver(m.ID, out)
	var changed []int64
	for _, r := range view.Ratings {
		changed = append(changed, r.UserID)
	}
	for _, x := range view.XP {
		if !slices.Contains(changed, x.UserID) {
			changed = append(changed, x.UserID)
		}
	}
	s.publishBoard(changed)
	if err := s.bus.NC.FlushWithContext(c); err != nil {
		return fmt.Errorf("flush announcements: %w", err) // the mark stays: the match's next owner repeats them
	}
	if err := s.bus.State().Delete(c, announcePrefix+m.ID); err != nil {
		s.log.Warn("unmark announced match", "match", m.ID, "err", err)
	}
	return nil
}

// announcePending pushes the results that an owner stored but may not
// have pushed (it died in between), for the matches this node owns now.
// Players may see a match.finished twice; never zero times.
func (s *Service) announcePending(ctx context.Context) {
	c, cancel := opCtx(ctx)
	defer cancel()
	kl, err := s.bus.State().ListKeysFiltered(c, announcePrefix+">")
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.log.Warn("list unannounced matches", "err", err)
		}
		return
	}
	var ids []string
	for k := range kl.Keys() {
		ids = append(ids, strings.TrimPrefix(k, announcePrefix))
	}
	for _, id := range ids {
		if !s.shard.ownsByView(id) || s.shard.lookup(id) != nil {
			continue // another node's, or live here (finished and announced in due course)
		}
		m, err := s.st.ArenaMatch(c, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if err := s.bus.State().Delete(c, announcePrefix+id); err != nil {
				s.log.Warn("unmark unknown match", "match", id, "err", err)
			}
			continue
		case err != nil:
			s.log.Warn("read unannounced match", "match", id, "err", err)
			continue
		case m.State != store.MatchFinished && m.State != store.MatchCancelled:
			continue
		}
		s.log.Info("announcing a match whose owner stopped before announcing it", "match", id)
		users := make([]int64, 0, len(m.Players))
		for _, p := range m.Players {
			users = append(users, p.UserID)
		}
		s.releasePlayers(ctx, id, users)
		if err := s.announceFinishedMatch(ctx, m); err != nil {
			s.log.Warn("announce finished match", "match", id, "err", err)
		}
	}
}

// --- in-process clients -----------------------------------------------------------

// Client is an in-process player of this node (load tools and tests): it
// counts as connected here and receives the frames a WebSocket connection
// of its user would (submission results without a request id: they carry
// the submission's).
type Client struct {
	s      *Service
	User   int64
	Frames chan []byte

	watching string // the spectated match (under s.clients.mu)
}

type localClients struct {
	mu       sync.Mutex
	byUser   map[int64][]*Client
	watchers map[string]map[*Client]struct{} // spectators by match: a spectator frame reaches them without a walk over every client
}

// Attach connects an in-process client for user; frames that do not fit
// in its buffer are dropped (a client that cannot keep up).
func (s *Service) Attach(user int64, buffer int) *Client {
	c := &Client{s: s, User: user, Frames: make(chan []byte, buffer)}
	s.clients.mu.Lock()
	first := len(s.clients.byUser[user]) == 0 && !s.hub.UserConnected(user)
	s.clients.byUser[user] = append(s.clients.byUser[user], c)
	s.clients.mu.Unlock()
	if first {
		s.publishPresence(presenceMsg{User: user, On: true, Count: s.onlineCount()})
	}
	return c
}

// Detach disconnects the client.
func (c *Client) Detach() {
	s := c.s
	s.chat.drop(chatSub{client: c})
	s.clients.mu.Lock()
	cs := s.clients.byUser[c.User]
	if i := slices.Index(cs, c); i >= 0 {
		cs = slices.Delete(cs, i, i+1)
	}
	if len(cs) == 0 {
		delete(s.clients.byUser, c.User)
	} else {
		s.clients.byUser[c.User] = cs
	}
	s.clients.watch(c, "")
	s.clients.mu.Unlock()
	if !s.connectedHere(c.User) {
		s.publishPresence(presenceMsg{User: c.User, On: false, Count: s.onlineCount()})
	}
}

// Do runs one client message (type and its realtime request struct, e.g.
// &protocol.QueueJoin{Mode: "ranked"}) as the WebSocket hub would; it
// returns the reply's type and data.
func (c *Client) Do(ctx context.Context, typ protocol.Op, data any) (protocol.Event, any, error) {
	r, err := c.s.do(ctx, call{User: c.User, Node: c.s.node, At: c.s.clk.Now(), client: c}, typ, data)
	return r.Type, r.Data, err
}

func (c *Client) spectate(id string) {
	c.s.clients.mu.Lock()
	c.s.clients.watch(c, id)
	c.s.clients.mu.Unlock()
}

// watch makes c spectate match id ("" = none); lc.mu is held.
func (lc *localClients) watch(c *Client, id string) {
	if old := c.watching; old != "" {
		delete(lc.watchers[old], c)
		if len(lc.watchers[old]) == 0 {
			delete(lc.watchers, old)
		}
	}
	c.watching = id
	if id == "" {
		return
	}
	if lc.watchers == nil {
		lc.watchers = map[string]map[*Client]struct{}{}
	}
	if lc.watchers[id] == nil {
		lc.watchers[id] = map[*Client]struct{}{}
	}
	lc.watchers[id][c] = struct{}{}
}

func (lc *localClients) toSpectators(id string, frame []byte) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for c := range lc.watchers[id] {
		select {
		case c.Frames <- frame:
		default:
		}
	}
}

func (lc *localClients) deliver(user int64, frame []byte) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for _, c := range lc.byUser[user] {
		select {
		case c.Frames <- frame:
		default:
		}
	}
}

func (lc *localClients) broadcast(frame []byte) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for _, cs := range lc.byUser {
		for _, c := range cs {
			select {
			case c.Frames <- frame:
			default:
			}
		}
	}
}

// connectedUsers lists the users with a connection or client here.
func (s *Service) connectedUsers() []int64 {
	users := s.hub.Users()
	s.clients.mu.Lock()
	for u := range s.clients.byUser {
		if !s.hub.UserConnected(u) {
			users = append(users, u)
		}
	}
	s.clients.mu.Unlock()
	return users
}

func (s *Service) connectedHere(user int64) bool {
	s.clients.mu.Lock()
	n := len(s.clients.byUser[user])
	s.clients.mu.Unlock()
	return n > 0 || s.hub.UserConnected(user)
}

func (s *Service) onlineCount() int {
	s.clients.mu.Lock()
	n := len(s.clients.byUser)
	s.clients.mu.Unlock()
	return n + s.hub.UserCount()
}
