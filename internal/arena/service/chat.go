package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
)

// Chat (issue 21): lobby, match (players), spectators and tournament
// channels over the arena's WebSocket.
//
// Storage and fan-out are one JetStream stream, CHAT: a message is
// published once to chat.msg.<kind>[.<id>] (the stream's acknowledgement
// is its id, the stream sequence), and every API node reads the stream
// from its end with an ordered consumer and pushes each message to the
// connections that joined that channel here. The stream keeps at most
// ChatHistoryMax messages per channel for ChatHistoryHours (MaxMsgsPerSubject,
// MaxAge): history, expiry and cleanup are the server's, nothing to sweep,
// no table in both stores, and it survives node restarts (file storage;
// `serve` keeps it under ./data with the other streams). chat.join reads a
// channel's kept messages with a short-lived ordered consumer on its
// subject. Deleting is JetStream's DeleteMsg plus a core-NATS notice
// (chat.ev.deleted) every node pushes to the channel.
//
// Reports go to a second stream (CHAT_REPORTS, 30 days); mutes and
// timeouts live in the "chat" KV bucket (mute.<user>: the ids, JSON;
// timeout.<user>: the end, RFC 3339). Every node watches mute.* so it
// filters muted senders out of what it delivers; a timeout is read from
// the bucket at each send (authoritative). The per-user send rate is a
// token bucket shared by the nodes (internal/ratelimit, compare-and-set).
//
// Who may read and write a channel is its kind's authorizer (chatKinds):
// adding "tournament:<id>" is one function there.

const (
	chatReportsAge = 30 * 24 * time.Hour
	chatMaxBytes   = 4 << 10 // a stored message (text ≤ 500 characters, 2 KiB; names; exclusions)
)

// chatRate is each user's chat budget on every node together.
var chatRate = ratelimit.Rate{Burst: protocol.ChatBurst, PerSec: 1000.0 / protocol.ChatEveryMs, Penalize: true}

// chatReportRate bounds reports (each one is kept for a month).
var chatReportRate = ratelimit.Rate{Burst: 5, PerSec: 1.0 / 60}

// chatAccess is what an authorizer decided for one user and channel.
type chatAccess struct {
	// exclude are users who never receive the channel's messages posted
	// now (the players of a running ranked match, for its spectators'
	// channel): stored with each message, applied by every node.
	exclude []int64
}

// chatAuthorizer decides whether user may read (write false) or post to
// (write true) the channel kind:id. It returns an *errcode.Error
// (chat_forbidden, match_not_found ...) to refuse.
type chatAuthorizer func(ctx context.Context, s *Service, c call, id string, write bool) (chatAccess, error)

// chatKinds are the channel kinds this arena serves. A kind of the
// protocol without an authorizer here is refused (chat_forbidden).
var chatKinds = map[protocol.ChatKind]chatAuthorizer{
	protocol.ChatLobby:      func(context.Context, *Service, call, string, bool) (chatAccess, error) { return chatAccess{}, nil },
	protocol.ChatMatch:      chatMatchPlayers,
	protocol.ChatSpectators: chatMatchSpectators,
	protocol.ChatTournament: chatTournament,
}

// chatTournament: anyone signed in reads a tournament's channel (its page
// shows it); its registered players write to it.
func chatTournament(ctx context.Context, s *Service, c call, id string, write bool) (chatAccess, error) {
	tid, err := strconv.ParseInt(id, 10, 64)
	if err != nil || tid <= 0 {
		return chatAccess{}, errcode.New(errcode.ChatForbidden, "no such tournament")
	}
	if _, err := s.st.Tournament(ctx, tid); errors.Is(err, store.ErrNotFound) {
		return chatAccess{}, errcode.New(errcode.ChatForbidden, "no such tournament")
	} else if err != nil {
		return chatAccess{}, err
	}
	if !write {
		return chatAccess{}, nil
	}
	ps, err := s.st.TournamentPlayers(ctx, tid)
	if err != nil {
		return chatAccess{}, err
	}
	if !slices.ContainsFunc(ps, func(p store.TournamentPlayer) bool { return p.UserID == c.User }) {
		return chatAccess{}, errcode.New(errcode.ChatForbidden, "only the tournament's registered players write in its chat")
	}
	return chatAccess{}, nil
}

// chatMatchInfo is what the chat needs of a match (opChatMatch).
type chatMatchInfo struct {
	Mode     protocol.Mode `json:"mode"`
	Private  bool          `json:"private"`
	Finished bool          `json:"finished"`
	Players  []int64       `json:"players"`
}

// matchForChat asks the match's owner, or the store once it is over.
func (s *Service) matchForChat(ctx context.Context, c call, id string) (chatMatchInfo, error) {
	r, err := s.do(ctx, c, opChatMatch, &protocol.MatchRef{MatchID: id})
	if err == nil {
		return decodeResult[chatMatchInfo](r)
	}
	if errcode.CodeOf(err) != errcode.MatchNotFound {
		return chatMatchInfo{}, err
	}
	m, serr := s.st.ArenaMatch(ctx, id)
	if errors.Is(serr, store.ErrNotFound) {
		return chatMatchInfo{}, err
	}
	if serr != nil {
		return chatMatchInfo{}, serr
	}
	info := chatMatchInfo{Mode: protocol.Mode(m.Mode), Private: m.Mode == string(protocol.ModePrivate),
		Finished: m.State == store.MatchFinished || m.State == store.MatchCancelled}
	for _, p := range m.Players {
		info.Players = append(info.Players, p.UserID)
	}
	return info, nil
}

// chatMatch is opChatMatch on the owner.
func (lv *live) chatMatch(ctx context.Context, c call, _ *protocol.MatchRef) (result, error) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	info := chatMatchInfo{Mode: lv.mode, Private: lv.private, Finished: lv.m.State().Terminal()}
	for _, p := range lv.players {
		info.Players = append(info.Players, p.UserID)
	}
	return result{Data: info}, nil
}

func chatMatchPlayers(ctx context.Context, s *Service, c call, id string, _ bool) (chatAccess, error) {
	info, err := s.matchForChat(ctx, c, id)
	if err != nil {
		return chatAccess{}, err
	}
	if !slices.Contains(info.Players, c.User) {
		return chatAccess{}, errcode.New(errcode.ChatForbidden, "only the players of this match use its chat")
	}
	return chatAccess{}, nil
}

// chatMatchSpectators: the spectators of a public match talk among
// themselves. Its players may join in only when it is not ranked or is
// over; during a ranked match nothing a spectator writes reaches a player
// (no coaching): they cannot join, and every message written then is
// stored with the players excluded, so no node ever delivers it to them.
func chatMatchSpectators(ctx context.Context, s *Service, c call, id string, _ bool) (chatAccess, error) {
	info, err := s.matchForChat(ctx, c, id)
	if err != nil {
		return chatAccess{}, err
	}
	if info.Private || info.Mode == protocol.ModePrivate || info.Mode == protocol.ModePractice {
		return chatAccess{}, errcode.New(errcode.ChatForbidden, "this match has no spectators")
	}
	guarded := info.Mode == protocol.ModeRanked && !info.Finished
	if guarded && slices.Contains(info.Players, c.User) {
		return chatAccess{}, errcode.New(errcode.ChatForbidden, "players read the spectators' chat only after a ranked match")
	}
	if guarded {
		return chatAccess{exclude: slices.Clone(info.Players)}, nil
	}
	return chatAccess{}, nil
}

// chatSub is one receiver on this node: a WebSocket connection or an
// in-process client.
type chatSub struct {
	conn   *realtime.Conn
	client *Client
}

func (cs chatSub) user() int64 {
	if cs.conn != nil {
		return cs.conn.User.ID
	}
	return cs.client.User
}

func (cs chatSub) send(frame []byte) {
	if cs.conn != nil {
		cs.conn.Send(frame)
		return
	}
	select {
	case cs.client.Frames <- frame:
	default:
	}
}

// chatStored is a message as the CHAT stream keeps it.
type chatStored struct {
	User     int64     `json:"u"`
	Username string    `json:"n"`
	Text     string    `json:"t"`
	At       time.Time `json:"at"`
	Exclude  []int64   `json:"x,omitempty"`
}

type chatReportStored struct {
	ReporterID int64                `json:"rid"`
	Reporter   string               `json:"r"`
	Reason     string               `json:"why"`
	At         time.Time            `json:"at"`
	Message    protocol.ChatMessage `json:"m"`
}

type chatDeletedEvent struct {
	Channel string `json:"channel"`
	ID      int64  `json:"id"`
}

// chatHub is one node's chat: its receivers by channel and the mute lists
// of everyone (from the KV watch).
type chatHub struct {
	s       *Service
	prefix  string // the deployment's subject prefix ("" or "<ns>.")
	stream  jetstream.Stream
	reports jetstream.Stream
	kv      jetstream.KeyValue
	limits  *ratelimit.Buckets

	mu     sync.Mutex
	subs   map[string]map[chatSub]struct{} // channel → receivers
	joined map[chatSub][]string            // receiver → channels
	mutes  map[int64]map[int64]bool        // user → users they muted
}

func (h *chatHub) subject(kind protocol.ChatKind, id string) string {
	if id == "" {
		return h.prefix + "chat.msg." + string(kind)
	}
	return h.prefix + "chat.msg." + string(kind) + "." + id
}

// channelOf is the inverse of subject.
func (h *chatHub) channelOf(subj string) (string, bool) {
	rest, ok := strings.CutPrefix(subj, h.prefix+"chat.msg.")
	if !ok {
		return "", false
	}
	kind, id, _ := strings.Cut(rest, ".")
	ch := protocol.ChatChannelOf(protocol.ChatKind(kind), id)
	if _, _, err := protocol.ParseChatChannel(ch); err != nil {
		return "", false
	}
	return ch, true
}

// startChat ensures the chat's stream, bucket and limiter and starts this
// node's readers; they stop with ctx.
func startChat(ctx context.Context, s *Service) (*chatHub, error) {
	b := s.bus
	h := &chatHub{s: s, prefix: strings.TrimSuffix(b.Names.LeaderboardEvents(), "events.leaderboard"),
		subs: map[string]map[chatSub]struct{}{}, joined: map[chatSub][]string{}, mutes: map[int64]map[int64]bool{}}
	storage := jetstream.FileStorage
	if b.Config.Memory {
		storage = jetstream.MemoryStorage
	}
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var err error
	h.stream, err = b.JS.CreateOrUpdateStream(c, jetstream.StreamConfig{
		Name:              jobs.NSName(b, "CHAT"),
		Description:       "chat messages: the latest of each channel for a day (history and fan-out)",
		Subjects:          []string{h.prefix + "chat.msg.>"},
		Storage:           storage,
		Replicas:          b.Config.Replicas,
		MaxAge:            protocol.ChatHistoryHours * time.Hour,
		MaxMsgsPerSubject: protocol.ChatHistoryMax,
		MaxMsgSize:        chatMaxBytes,
		MaxBytes:          512 << 20,
		Discard:           jetstream.DiscardOld,
	})
	if err != nil {
		return nil, fmt.Errorf("chat: ensure stream: %w", err)
	}
	h.reports, err = b.JS.CreateOrUpdateStream(c, jetstream.StreamConfig{
		Name:        jobs.NSName(b, "CHAT_REPORTS"),
		Description: "chat reports for the administrators",
		Subjects:    []string{h.prefix + "chat.reports"},
		Storage:     storage,
		Replicas:    b.Config.Replicas,
		MaxAge:      chatReportsAge,
		MaxMsgs:     100_000,
		MaxMsgSize:  2 * chatMaxBytes,
		Discard:     jetstream.DiscardOld,
	})
	if err != nil {
		return nil, fmt.Errorf("chat: ensure reports stream: %w", err)
	}
	h.kv, err = b.JS.CreateOrUpdateKeyValue(c, jetstream.KeyValueConfig{
		Bucket:      jobs.NSName(b, "chat"),
		Description: "chat mutes and timeouts",
		History:     1,
		Storage:     storage,
		Replicas:    b.Config.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("chat: ensure bucket: %w", err)
	}
	// The judge's token-bucket store (same bucket and settings as
	// jobs.Usage), under chat.* keys.
	if h.limits, err = ratelimit.Open(c, b.JS, jobs.NSName(b, "tokenbuckets"), b.Config.Replicas, b.Config.Memory, time.Hour); err != nil {
		return nil, err
	}
	// Mutes first (a node that delivers must know them), then the feed.
	w, err := h.kv.Watch(ctx, "mute.*")
	if err != nil {
		return nil, fmt.Errorf("chat: watch mutes: %w", err)
	}
	ready := make(chan struct{})
	go h.watchMutes(w, ready)
	select {
	case <-ready:
	case <-c.Done():
		return nil, errors.New("chat: mutes not read within 10 s")
	}
	cons, err := h.stream.OrderedConsumer(c, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverNewPolicy})
	if err != nil {
		return nil, fmt.Errorf("chat: feed: %w", err)
	}
	cc, err := cons.Consume(h.onMessage)
	if err != nil {
		return nil, fmt.Errorf("chat: consume: %w", err)
	}
	sub, err := b.NC.Subscribe(h.prefix+"chat.ev.deleted", h.onDeleted)
	if err != nil {
		cc.Stop()
		return nil, fmt.Errorf("chat: subscribe: %w", err)
	}
	go func() {
		<-ctx.Done()
		cc.Stop()
		_ = sub.Unsubscribe()
	}()
	return h, nil
}

func (h *chatHub) watchMutes(w jetstream.KeyWatcher, ready chan struct{}) {
	defer func() { _ = w.Stop() }()
	once := sync.OnceFunc(func() { close(ready) })
	for e := range w.Updates() {
		if e == nil { // the initial values are in
			once()
			continue
		}
		user, err := strconv.ParseInt(strings.TrimPrefix(e.Key(), "mute."), 10, 64)
		if err != nil {
			continue
		}
		var ids []int64
		if e.Operation() == jetstream.KeyValuePut {
			_ = json.Unmarshal(e.Value(), &ids)
		}
		h.setMutes(user, ids)
	}
	once()
}

func (h *chatHub) setMutes(user int64, ids []int64) {
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	h.mu.Lock()
	if len(set) == 0 {
		delete(h.mutes, user)
	} else {
		h.mutes[user] = set
	}
	h.mu.Unlock()
}

// receivers lists the receivers of channel here who may get a message by
// sender (not excluded, not muting the sender).
func (h *chatHub) receivers(channel string, sender int64, exclude []int64) []chatSub {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []chatSub
	for cs := range h.subs[channel] {
		u := cs.user()
		if slices.Contains(exclude, u) || h.mutes[u][sender] {
			continue
		}
		out = append(out, cs)
	}
	return out
}

func (h *chatHub) onMessage(m jetstream.Msg) {
	channel, ok := h.channelOf(m.Subject())
	if !ok {
		return
	}
	meta, err := m.Metadata()
	if err != nil {
		return
	}
	var st chatStored
	if json.Unmarshal(m.Data(), &st) != nil {
		return
	}
	to := h.receivers(channel, st.User, st.Exclude)
	if len(to) == 0 {
		return
	}
	frame := realtime.Encode(protocol.EventChatMessage, "", st.message(channel, int64(meta.Sequence.Stream)))
	for _, cs := range to {
		cs.send(frame)
	}
}

func (h *chatHub) onDeleted(m *nats.Msg) {
	var ev chatDeletedEvent
	if json.Unmarshal(m.Data, &ev) != nil {
		return
	}
	h.mu.Lock()
	to := make([]chatSub, 0, len(h.subs[ev.Channel]))
	for cs := range h.subs[ev.Channel] {
		to = append(to, cs)
	}
	h.mu.Unlock()
	frame := realtime.Encode(protocol.EventChatDeleted, "", protocol.ChatDeleted{Channel: ev.Channel, MessageID: ev.ID})
	for _, cs := range to {
		cs.send(frame)
	}
}

func (st chatStored) message(channel string, id int64) protocol.ChatMessage {
	return protocol.ChatMessage{Channel: channel, ID: id, UserID: st.User, Username: st.Username, Text: st.Text, At: protocol.Time(st.At)}
}

func subOf(c call) (chatSub, bool) {
	switch {
	case c.conn != nil:
		return chatSub{conn: c.conn}, true
	case c.client != nil:
		return chatSub{client: c.client}, true
	}
	return chatSub{}, false
}

// join adds a receiver to channel; false when it has MaxChatChannels.
func (h *chatHub) join(cs chatSub, channel string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	chs := h.joined[cs]
	if slices.Contains(chs, channel) {
		return true
	}
	if len(chs) >= protocol.MaxChatChannels {
		return false
	}
	h.joined[cs] = append(chs, channel)
	set := h.subs[channel]
	if set == nil {
		set = map[chatSub]struct{}{}
		h.subs[channel] = set
	}
	set[cs] = struct{}{}
	return true
}

func (h *chatHub) leave(cs chatSub, channel string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.leaveLocked(cs, channel)
}

func (h *chatHub) leaveLocked(cs chatSub, channel string) {
	chs := slices.DeleteFunc(h.joined[cs], func(c string) bool { return c == channel })
	if len(chs) == 0 {
		delete(h.joined, cs)
	} else {
		h.joined[cs] = chs
	}
	if set := h.subs[channel]; set != nil {
		delete(set, cs)
		if len(set) == 0 {
			delete(h.subs, channel)
		}
	}
}

// drop forgets a closed connection or detached client.
func (h *chatHub) drop(cs chatSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range slices.Clone(h.joined[cs]) {
		h.leaveLocked(cs, ch)
	}
}

// history reads the kept messages of channel, oldest first, without those
// of senders user muted or that exclude user. The stream says how many
// the channel has (at most ChatHistoryMax), and one fetch of that many
// returns as soon as they are in.
func (h *chatHub) history(ctx context.Context, channel string, user int64) (protocol.List[protocol.ChatMessage], error) {
	kind, id, _ := protocol.ParseChatChannel(channel)
	subj := h.subject(kind, id)
	out := protocol.List[protocol.ChatMessage]{}
	info, err := h.stream.Info(ctx, jetstream.WithSubjectFilter(subj))
	if err != nil {
		return nil, fmt.Errorf("chat: history of %s: %w", channel, err)
	}
	count := min(int(info.State.Subjects[subj]), protocol.ChatHistoryMax)
	if count == 0 {
		return out, nil
	}
	cons, err := h.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subj}})
	if err != nil {
		return nil, fmt.Errorf("chat: history of %s: %w", channel, err)
	}
	// (A message deleted meanwhile makes the fetch wait for its end.)
	batch, err := cons.Fetch(count, jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		return nil, fmt.Errorf("chat: history of %s: %w", channel, err)
	}
	h.mu.Lock()
	muted := maps.Clone(h.mutes[user])
	h.mu.Unlock()
	for m := range batch.Messages() {
		meta, err := m.Metadata()
		if err != nil {
			continue
		}
		var st chatStored
		if json.Unmarshal(m.Data(), &st) != nil || muted[st.User] || slices.Contains(st.Exclude, user) {
			continue
		}
		out = append(out, st.message(channel, int64(meta.Sequence.Stream)))
	}
	if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("chat: history of %s: %w", channel, err)
	}
	return out, nil
}

// authorize runs the channel kind's authorizer.
func (s *Service) chatAuthorize(ctx context.Context, c call, channel string, write bool) (chatAccess, error) {
	kind, id, err := protocol.ParseChatChannel(channel)
	if err != nil {
		return chatAccess{}, errcode.Errorf(errcode.InvalidRequest, "%v", err)
	}
	auth := chatKinds[kind]
	if auth == nil {
		return chatAccess{}, errcode.Errorf(errcode.ChatForbidden, "%s chat is not open", kind)
	}
	return auth(ctx, s, c, id, write)
}

// --- operations ---------------------------------------------------------------

// opChatMatch asks a match's owner what the chat needs of it.
const opChatMatch protocol.Op = "chat.match"

func chatOps() map[protocol.Op]*opDef {
	return map[protocol.Op]*opDef{
		protocol.OpChatJoin:    op(onNode, (*Service).chatJoin),
		protocol.OpChatLeave:   op(onNode, (*Service).chatLeave),
		protocol.OpChatSend:    op(onNode, (*Service).chatSend),
		protocol.OpChatMute:    op(onNode, (*Service).chatMute),
		protocol.OpChatReport:  op(onNode, (*Service).chatReport),
		protocol.OpChatDelete:  op(onNode, (*Service).chatDelete),
		protocol.OpChatTimeout: op(onNode, (*Service).chatTimeout),
		protocol.OpChatReports: op(onNode, (*Service).chatReports),
		opChatMatch:            owned(func(r *protocol.MatchRef) string { return r.MatchID }, (*live).chatMatch),
	}
}

func (s *Service) chatJoin(ctx context.Context, c call, r *protocol.ChatChannel) (result, error) {
	if _, err := s.chatAuthorize(ctx, c, r.Channel, false); err != nil {
		return result{}, err
	}
	cs, ok := subOf(c)
	if !ok {
		return result{}, errcode.New(errcode.InvalidRequest, "chat.join needs a connection")
	}
	if !s.chat.join(cs, r.Channel) {
		return result{}, &errcode.Error{Code: errcode.InvalidRequest, Limit: protocol.MaxChatChannels,
			Message: fmt.Sprintf("a connection joins at most %d chat channels; leave one first", protocol.MaxChatChannels)}
	}
	msgs, err := s.chat.history(ctx, r.Channel, c.User)
	if err != nil {
		s.chat.leave(cs, r.Channel)
		return result{}, err
	}
	return result{Type: protocol.EventChatHistory, Data: protocol.ChatHistory{Channel: r.Channel, Messages: msgs}}, nil
}

func (s *Service) chatLeave(_ context.Context, c call, r *protocol.ChatChannel) (result, error) {
	if cs, ok := subOf(c); ok {
		s.chat.leave(cs, r.Channel)
	}
	return result{}, nil
}

func (s *Service) chatSend(ctx context.Context, c call, r *protocol.ChatSend) (result, error) {
	h := s.chat
	// The request was validated (trimmed, length, characters) by the hub;
	// an in-process client's is checked here.
	if err := r.Validate(); err != nil {
		return result{}, err
	}
	if until, err := h.timedOut(ctx, c.User); err != nil {
		return result{}, err
	} else if until.After(s.clk.Now()) {
		return result{}, &errcode.Error{Code: errcode.ChatTimedOut, CooldownUntil: until,
			Message: "a moderator stopped your chat until " + protocol.Time(until)}
	}
	access, err := s.chatAuthorize(ctx, c, r.Channel, true)
	if err != nil {
		return result{}, err
	}
	d, err := h.limits.Allow(ctx, ratelimit.Key("chat", strconv.FormatInt(c.User, 10)), chatRate)
	if err != nil {
		return result{}, errcode.New(errcode.Unavailable, "the chat cannot check its rate limit now; retry in a moment").Wrap(err)
	}
	if !d.Allowed {
		return result{}, &errcode.Error{Code: errcode.RateLimited, RetryAfter: d.RetryAfter,
			Message: fmt.Sprintf("at most %d chat messages at once, then one every %d s", protocol.ChatBurst, protocol.ChatEveryMs/1000)}
	}
	name, err := s.usernameOf(ctx, c)
	if err != nil {
		return result{}, err
	}
	st := chatStored{User: c.User, Username: name, Text: r.Text, At: s.clk.Now(), Exclude: access.exclude}
	data, _ := json.Marshal(st)
	kind, id, _ := protocol.ParseChatChannel(r.Channel)
	ack, err := s.bus.JS.Publish(ctx, h.subject(kind, id), data)
	if err != nil {
		return result{}, errcode.New(errcode.Unavailable, "the chat could not store the message; retry in a moment").Wrap(err)
	}
	return result{Type: protocol.EventChatMessage, Data: st.message(r.Channel, int64(ack.Sequence))}, nil
}

func (s *Service) usernameOf(ctx context.Context, c call) (string, error) {
	if c.conn != nil {
		return c.conn.User.Username, nil
	}
	u, err := s.st.UserByID(ctx, c.User)
	if err != nil {
		return "", fmt.Errorf("chat: user %d: %w", c.User, err)
	}
	return u.Username, nil
}

// timedOut is when user's chat timeout ends (zero: none).
func (h *chatHub) timedOut(ctx context.Context, user int64) (time.Time, error) {
	e, err := h.kv.Get(ctx, "timeout."+strconv.FormatInt(user, 10))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, errcode.New(errcode.Unavailable, "the chat cannot check moderation now; retry in a moment").Wrap(err)
	}
	t, _ := time.Parse(time.RFC3339Nano, string(e.Value()))
	return t, nil
}

func (s *Service) chatMute(ctx context.Context, c call, r *protocol.ChatMute) (result, error) {
	if r.UserID == c.User {
		return result{}, errcode.New(errcode.InvalidRequest, "you cannot mute yourself")
	}
	h := s.chat
	key := "mute." + strconv.FormatInt(c.User, 10)
	for range 20 {
		var ids []int64
		var rev uint64
		e, err := h.kv.Get(ctx, key)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
		case err != nil:
			return result{}, errcode.New(errcode.Unavailable, "the chat cannot save mutes now; retry in a moment").Wrap(err)
		default:
			rev = e.Revision()
			_ = json.Unmarshal(e.Value(), &ids)
		}
		has := slices.Contains(ids, r.UserID)
		switch {
		case r.Muted && !has:
			if len(ids) >= protocol.MaxChatMutes {
				return result{}, &errcode.Error{Code: errcode.InvalidRequest, Limit: protocol.MaxChatMutes,
					Message: fmt.Sprintf("at most %d muted users; unmute one first", protocol.MaxChatMutes)}
			}
			ids = append(ids, r.UserID)
		case !r.Muted && has:
			ids = slices.DeleteFunc(ids, func(id int64) bool { return id == r.UserID })
		default:
			return result{Type: protocol.EventChatMutes, Data: protocol.ChatMutes{Users: ids}}, nil
		}
		slices.Sort(ids)
		val, _ := json.Marshal(ids)
		if rev == 0 {
			_, err = h.kv.Create(ctx, key, val)
		} else {
			_, err = h.kv.Update(ctx, key, val, rev)
		}
		if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			continue // another tab changed it: read again
		}
		if err != nil {
			return result{}, errcode.New(errcode.Unavailable, "the chat cannot save mutes now; retry in a moment").Wrap(err)
		}
		// This node applies it at once; the others from the watch.
		h.setMutes(c.User, ids)
		return result{Type: protocol.EventChatMutes, Data: protocol.ChatMutes{Users: ids}}, nil
	}
	return result{}, errcode.New(errcode.Unavailable, "the mute list kept changing; retry")
}

// storedMessage reads message id of channel from the stream.
func (h *chatHub) storedMessage(ctx context.Context, channel string, id int64) (protocol.ChatMessage, error) {
	kind, cid, _ := protocol.ParseChatChannel(channel)
	m, err := h.stream.GetMsg(ctx, uint64(id))
	if errors.Is(err, jetstream.ErrMsgNotFound) || err == nil && m.Subject != h.subject(kind, cid) {
		return protocol.ChatMessage{}, errcode.New(errcode.ChatMessageNotFound, "no such message in this channel (deleted or expired)")
	}
	if err != nil {
		return protocol.ChatMessage{}, errcode.New(errcode.Unavailable, "the chat cannot read the message now").Wrap(err)
	}
	var st chatStored
	if err := json.Unmarshal(m.Data, &st); err != nil {
		return protocol.ChatMessage{}, fmt.Errorf("chat: message %d: %w", id, err)
	}
	return st.message(channel, id), nil
}

func (s *Service) chatReport(ctx context.Context, c call, r *protocol.ChatMessageRef) (result, error) {
	h := s.chat
	// Only what you could read can be reported.
	if _, err := s.chatAuthorize(ctx, c, r.Channel, false); err != nil {
		return result{}, err
	}
	msg, err := h.storedMessage(ctx, r.Channel, r.MessageID)
	if err != nil {
		return result{}, err
	}
	d, err := h.limits.Allow(ctx, ratelimit.Key("chatreport", strconv.FormatInt(c.User, 10)), chatReportRate)
	if err != nil {
		return result{}, errcode.New(errcode.Unavailable, "the chat cannot check its rate limit now; retry in a moment").Wrap(err)
	}
	if !d.Allowed {
		return result{}, &errcode.Error{Code: errcode.RateLimited, RetryAfter: d.RetryAfter, Message: "too many reports; an administrator is reading them"}
	}
	name, err := s.usernameOf(ctx, c)
	if err != nil {
		return result{}, err
	}
	data, _ := json.Marshal(chatReportStored{ReporterID: c.User, Reporter: name, Reason: strings.TrimSpace(r.Reason), At: s.clk.Now(), Message: msg})
	if _, err := s.bus.JS.Publish(ctx, h.prefix+"chat.reports", data); err != nil {
		return result{}, errcode.New(errcode.Unavailable, "the report could not be stored; retry in a moment").Wrap(err)
	}
	return result{Type: protocol.EventChatReported, Data: protocol.ChatReported{MessageID: r.MessageID}}, nil
}

// requireAdmin reads the caller's role from the store (a role taken away
// counts at once, whatever the connection was opened with).
func (s *Service) requireAdmin(ctx context.Context, c call) error {
	u, err := s.st.UserByID(ctx, c.User)
	if err != nil {
		return fmt.Errorf("chat: user %d: %w", c.User, err)
	}
	if u.Role != store.RoleAdmin {
		return errcode.New(errcode.Forbidden, "only administrators moderate the chat")
	}
	return nil
}

func (s *Service) chatDelete(ctx context.Context, c call, r *protocol.ChatMessageRef) (result, error) {
	if err := s.requireAdmin(ctx, c); err != nil {
		return result{}, err
	}
	h := s.chat
	if _, err := h.storedMessage(ctx, r.Channel, r.MessageID); err != nil {
		return result{}, err
	}
	if err := h.stream.DeleteMsg(ctx, uint64(r.MessageID)); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		return result{}, errcode.New(errcode.Unavailable, "the chat could not delete the message now").Wrap(err)
	}
	ev, _ := json.Marshal(chatDeletedEvent{Channel: r.Channel, ID: r.MessageID})
	if err := s.bus.NC.Publish(h.prefix+"chat.ev.deleted", ev); err != nil {
		s.log.Warn("chat: announce a deletion", "err", err)
	}
	s.log.Info("chat message deleted", "admin", c.User, "channel", r.Channel, "message", r.MessageID)
	return result{Type: protocol.EventChatDeleted, Data: protocol.ChatDeleted{Channel: r.Channel, MessageID: r.MessageID}}, nil
}

func (s *Service) chatTimeout(ctx context.Context, c call, r *protocol.ChatTimeout) (result, error) {
	if err := s.requireAdmin(ctx, c); err != nil {
		return result{}, err
	}
	if _, err := s.st.UserByID(ctx, r.UserID); errors.Is(err, store.ErrNotFound) {
		return result{}, errcode.New(errcode.NotFound, "no such user")
	} else if err != nil {
		return result{}, err
	}
	h := s.chat
	key := "timeout." + strconv.FormatInt(r.UserID, 10)
	out := protocol.ChatTimedOut{UserID: r.UserID}
	if r.Minutes == 0 {
		if err := h.kv.Delete(ctx, key); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
			return result{}, errcode.New(errcode.Unavailable, "the chat cannot save the timeout now").Wrap(err)
		}
	} else {
		until := s.clk.Now().Add(time.Duration(r.Minutes) * time.Minute)
		if _, err := h.kv.Put(ctx, key, []byte(until.UTC().Format(time.RFC3339Nano))); err != nil {
			return result{}, errcode.New(errcode.Unavailable, "the chat cannot save the timeout now").Wrap(err)
		}
		out.Until = protocol.TimePtr(until)
	}
	s.log.Info("chat timeout", "admin", c.User, "user", r.UserID, "minutes", r.Minutes)
	s.toUser(r.UserID, protocol.EventChatTimedOut, out, "")
	return result{Type: protocol.EventChatTimedOut, Data: out}, nil
}

func (s *Service) chatReports(ctx context.Context, c call, r *protocol.ChatReportList) (result, error) {
	if err := s.requireAdmin(ctx, c); err != nil {
		return result{}, err
	}
	h := s.chat
	out := protocol.List[protocol.ChatReport]{}
	info, err := h.reports.Info(ctx)
	if err != nil {
		return result{}, errcode.New(errcode.Unavailable, "the chat cannot read reports now").Wrap(err)
	}
	if info.State.Msgs == 0 {
		return result{Type: protocol.EventChatReports, Data: protocol.ChatReports{Reports: out}}, nil
	}
	count := min(uint64(r.Limit), info.State.Msgs)
	first := info.State.LastSeq - count + 1
	cons, err := h.reports.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: first})
	if err != nil {
		return result{}, fmt.Errorf("chat: reports: %w", err)
	}
	batch, err := cons.Fetch(int(count), jetstream.FetchMaxWait(2*time.Second))
	if err != nil {
		return result{}, fmt.Errorf("chat: reports: %w", err)
	}
	for m := range batch.Messages() {
		meta, err := m.Metadata()
		if err != nil {
			continue
		}
		var st chatReportStored
		if json.Unmarshal(m.Data(), &st) != nil {
			continue
		}
		out = append(out, protocol.ChatReport{ID: int64(meta.Sequence.Stream), At: protocol.Time(st.At), ReporterID: st.ReporterID,
			Reporter: st.Reporter, Reason: st.Reason, Message: st.Message})
	}
	slices.Reverse(out)
	return result{Type: protocol.EventChatReports, Data: protocol.ChatReports{Reports: out}}, nil
}
