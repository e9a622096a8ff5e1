package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
)

// The operations table: every action a player (or another node) can ask
// for, with its typed request, where it runs and its handler. The
// WebSocket hub hands each decoded client frame to Service.Request, which
// looks the type up here; an operation that runs elsewhere (on the
// matchmaker leader, or on the node owning the match) is sent there over
// NATS request/reply, and that node looks the same name up in the same
// table, decodes the same request type and runs the same handler. Nothing
// else dispatches on operation names.

// route says which node runs an operation.
type route int

const (
	onNode   route = iota // the node the request arrived at
	onLeader              // the matchmaker (the arena-leader lease holder)
	onOwner               // the node owning the request's match
)

// call is who asked, from where and when: a submission counts from the
// instant its player's node received it, however long forwarding took.
type call struct {
	User int64     `json:"user"`
	Node string    `json:"node"`
	At   time.Time `json:"at"`
	// IP is the client's address as the node it is connected to computed
	// it at the WebSocket upgrade (realtime.Conn.IP; "" for in-process
	// clients): it travels with a forwarded operation so that the judge's
	// per-address limits apply on whichever node queues the job.
	IP string `json:"ip,omitempty"`

	conn   *realtime.Conn // the client's connection (onNode only)
	client *Client        // or its in-process client
	id     string         // the client's request id
}

// result is an operation's reply: a frame type and its data (nil data
// and "" type: no reply), and frames pushed right after it.
type result struct {
	Type protocol.Event
	Data any
	Push [][]byte
}

type opDef struct {
	route route
	// newReq returns a new request value (a pointer to its type).
	newReq func() any
	// matchOf names the match of an onOwner request.
	matchOf func(req any) string
	run     func(ctx context.Context, s *Service, c call, req any) (result, error)
	// after runs on the caller's node once a remote run succeeded (it can
	// see the connection).
	after func(s *Service, c call, req any, r result) (result, error)
	// oneWay operations get no reply (typing).
	oneWay bool
}

// op makes a table entry for requests of type Req.
func op[Req any](rt route, run func(s *Service, ctx context.Context, c call, req *Req) (result, error)) *opDef {
	return &opDef{route: rt, newReq: func() any { return new(Req) },
		run: func(ctx context.Context, s *Service, c call, req any) (result, error) {
			return run(s, ctx, c, req.(*Req))
		}}
}

// owned makes an onOwner entry; matchOf names the request's match.
func owned[Req any](matchOf func(*Req) string, run func(lv *live, ctx context.Context, c call, req *Req) (result, error)) *opDef {
	d := op(onOwner, func(s *Service, ctx context.Context, c call, req *Req) (result, error) {
		lv, err := s.shard.get(ctx, matchOf(req))
		if err != nil {
			return result{}, err
		}
		return run(lv, ctx, c, req)
	})
	d.matchOf = func(req any) string { return matchOf(req.(*Req)) }
	return d
}

// led makes an onLeader entry.
func led[Req any](run func(l *leader, ctx context.Context, c call, req *Req) (result, error)) *opDef {
	return op(onLeader, func(s *Service, ctx context.Context, c call, req *Req) (result, error) {
		l := s.currentLeader()
		if l == nil {
			return result{}, errcode.New(codeNotLeader, "this node does not run the matchmaker")
		}
		return run(l, ctx, c, req)
	})
}

func (d *opDef) then(after func(s *Service, c call, req any, r result) (result, error)) *opDef {
	d.after = after
	return d
}

// Internal operations (between nodes only).
const (
	opLobbySnapshot protocol.Op = "lobby.snapshot"
	opMatchSnapshot protocol.Op = "match.snapshot"
	opMatchCreate   protocol.Op = "match.create"
	opMatchEnded    protocol.Op = "match.ended"
	opMatchResult   protocol.Op = "match.result"
	opRunCheck      protocol.Op = "match.run"
	opRunDone       protocol.Op = "match.run.done"
)

var ops map[protocol.Op]*opDef

func init() {
	matchRef := func(r *protocol.MatchRef) string { return r.MatchID }
	ops = map[protocol.Op]*opDef{
		// Client messages.
		protocol.OpHello:  op(onNode, (*Service).hello),
		protocol.OpResume: op(onNode, (*Service).resume),
		protocol.OpQueueJoin: led(func(l *leader, ctx context.Context, c call, r *protocol.QueueJoin) (result, error) {
			return l.queueJoin(ctx, c.User, r)
		}),
		protocol.OpQueueLeave: led(func(l *leader, ctx context.Context, c call, _ *protocol.Empty) (result, error) {
			return l.queueLeave(ctx, c.User)
		}),
		protocol.OpMatchAccept: led(func(l *leader, ctx context.Context, c call, r *protocol.MatchRef) (result, error) {
			return l.accept(ctx, c.User, r.MatchID)
		}),
		protocol.OpMatchDecline: led(func(l *leader, ctx context.Context, c call, r *protocol.MatchRef) (result, error) {
			return l.decline(ctx, c.User, r.MatchID)
		}),
		protocol.OpRoomCreate: led(func(l *leader, ctx context.Context, c call, r *protocol.RoomCreate) (result, error) {
			return l.roomCreate(ctx, c.User, r)
		}),
		protocol.OpRoomJoin: led(func(l *leader, ctx context.Context, c call, r *protocol.RoomJoin) (result, error) {
			return l.roomJoin(ctx, c.User, r.Code)
		}),
		protocol.OpRoomLeave: led(func(l *leader, ctx context.Context, c call, _ *protocol.Empty) (result, error) {
			return l.roomLeave(ctx, c.User)
		}),
		protocol.OpRoomStart: led(func(l *leader, ctx context.Context, c call, _ *protocol.Empty) (result, error) {
			return l.roomStart(ctx, c.User)
		}),
		protocol.OpRematchOffer: led(func(l *leader, ctx context.Context, c call, r *protocol.MatchRef) (result, error) {
			return l.rematchOffer(ctx, c.User, r.MatchID)
		}),
		protocol.OpRematchDecline: led(func(l *leader, ctx context.Context, c call, r *protocol.MatchRef) (result, error) {
			return l.rematchDecline(ctx, c.User, r.MatchID)
		}),
		protocol.OpCodeSubmit:             owned(func(r *protocol.CodeSubmit) string { return r.MatchID }, (*live).submit).then(afterSubmit),
		protocol.OpCodeRun:                op(onNode, (*Service).run),
		protocol.OpMatchResign:            owned(matchRef, (*live).resign),
		protocol.OpTyping:                 owned(func(r *protocol.Typing) string { return r.MatchID }, (*live).typing),
		protocol.OpEditorBatch:            owned(func(r *protocol.EditorBatch) string { return r.MatchID }, (*live).editorBatch),
		protocol.OpSpectate:               owned(matchRef, (*live).spectate).then(afterSpectate),
		protocol.OpSpectateStop:           op(onNode, (*Service).spectateStop),
		protocol.OpLeaderboardSubscribe:   op(onNode, (*Service).leaderboardSubscribe),
		protocol.OpLeaderboardUnsubscribe: op(onNode, (*Service).leaderboardUnsubscribe),

		// Between nodes.
		opLobbySnapshot: led(func(l *leader, ctx context.Context, c call, _ *protocol.Empty) (result, error) {
			return result{Data: l.lobbySnapshot(c.User)}, nil
		}),
		opMatchEnded: led(func(l *leader, ctx context.Context, c call, r *endedReq) (result, error) {
			l.ended(r)
			return result{}, nil
		}),
		opMatchSnapshot: owned(matchRef, (*live).snapshot),
		opMatchCreate:   op(onOwner, (*Service).createMatch),
		opMatchResult:   op(onOwner, (*Service).applyResult),
		opRunCheck:      owned(func(r *protocol.CodeRun) string { return r.MatchID }, (*live).runCheck),
		opRunDone:       owned(func(r *runDoneReq) string { return r.MatchID }, (*live).runFinished),
	}
	for name, def := range chatOps() {
		ops[name] = def
	}
	ops[protocol.OpTyping].oneWay = true
	ops[opMatchCreate].matchOf = func(r any) string { return r.(*createReq).MatchID }
	ops[opMatchResult].matchOf = func(r any) string { return r.(*resultReq).MatchID }
}

// do runs operation name for c, here or where it belongs.
func (s *Service) do(ctx context.Context, c call, name protocol.Op, req any) (result, error) {
	def, ok := ops[name]
	if !ok {
		return result{}, errcode.Errorf(errcode.UnknownType, "unknown message type %q", name)
	}
	var r result
	var err error
	switch def.route {
	case onNode:
		return def.run(ctx, s, c, req)
	case onLeader:
		r, err = s.forward(ctx, def, name, c, req, func() (string, bool) {
			if s.currentLeader() != nil {
				return "", true
			}
			return s.bus.Names.LobbyRequests(), false
		})
	case onOwner:
		id := def.matchOf(req)
		r, err = s.forward(ctx, def, name, c, req, func() (string, bool) {
			owner := s.members.view().owner(id)
			if owner == s.node {
				return "", true
			}
			subj, _ := s.bus.Names.NodeRequests(owner)
			return subj, false
		})
	}
	if err != nil || def.after == nil {
		return r, err
	}
	return def.after(s, c, req, r)
}

// envelope is an operation sent to another node.
type envelope struct {
	Op   protocol.Op     `json:"op"`
	Call call            `json:"call"`
	Data json.RawMessage `json:"data"`
}

type replyEnvelope struct {
	Type protocol.Event      `json:"type,omitempty"`
	Data json.RawMessage     `json:"data,omitempty"`
	Err  *protocol.ErrorData `json:"error,omitempty"`
}

// forward runs def where target says: here (local true) or on the node
// listening on the subject it returns. While nobody listens, or the node
// asked no longer owns the match or leads (a takeover takes up to a few
// seconds), it tries again every 150 ms until ctx ends. A request that
// reached its node and timed out may have acted (a submission), so it is
// never sent twice.
func (s *Service) forward(ctx context.Context, def *opDef, name protocol.Op, c call, req any, target func() (string, bool)) (result, error) {
	var data []byte
	for {
		subj, local := target()
		var r result
		var err error
		switch {
		case local:
			r, err = s.runHere(ctx, def, c, req)
		case subj == "":
			err = nats.ErrNoResponders // no live owner yet
		default:
			if data == nil {
				if data, err = json.Marshal(req); err != nil {
					return result{}, err
				}
				data, _ = json.Marshal(envelope{Op: name, Call: c, Data: data})
			}
			r, err = s.request(ctx, subj, data, def.oneWay)
		}
		code := errcode.CodeOf(err)
		if err == nil || !errors.Is(err, nats.ErrNoResponders) && code != codeMoved && code != codeNotLeader {
			return r, err
		}
		select {
		case <-ctx.Done():
			return result{}, errcode.Errorf(errcode.Unavailable, "the arena is moving this to another node; retry in a moment")
		case <-time.After(150 * time.Millisecond):
		}
	}
}

// runHere runs def on this node. An action run by the matchmaker counts
// as open until it returns (its reply is sent right after).
func (s *Service) runHere(ctx context.Context, def *opDef, c call, req any) (result, error) {
	if l := s.currentLeader(); l != nil && def.route == onLeader {
		id := l.begin()
		defer l.end(id)
	}
	return def.run(ctx, s, c, req)
}

func (s *Service) request(ctx context.Context, subj string, data []byte, oneWay bool) (result, error) {
	if oneWay {
		return result{}, s.bus.NC.Publish(subj, data)
	}
	msg, err := s.bus.NC.RequestWithContext(ctx, subj, data)
	if err != nil {
		if errors.Is(err, nats.ErrNoResponders) {
			return result{}, err
		}
		if ctx.Err() != nil || errors.Is(err, nats.ErrTimeout) {
			return result{}, errcode.Errorf(errcode.Unavailable, "the arena did not answer in time; retry in a moment")
		}
		return result{}, fmt.Errorf("arena: request %s: %w", subj, err)
	}
	var rep replyEnvelope
	if err := json.Unmarshal(msg.Data, &rep); err != nil {
		return result{}, fmt.Errorf("arena: bad reply from %s: %w", subj, err)
	}
	if rep.Err != nil {
		return result{}, rep.Err.AsError()
	}
	r := result{Type: rep.Type}
	if rep.Data != nil {
		r.Data = rep.Data
	}
	return r, nil
}

// serve runs an operation another node sent here (on its own goroutine:
// handlers lock only what they touch, briefly).
func (s *Service) serve(ctx context.Context, m *nats.Msg) {
	var env envelope
	var rep replyEnvelope
	def, req, err := s.decodeEnvelope(m.Data, &env)
	var r result
	if err == nil {
		if l := s.currentLeader(); l != nil && def.route == onLeader {
			id := l.begin()
			defer l.end(id) // once the reply below is sent
		}
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		r, err = def.run(c, s, env.Call, req)
		cancel()
		if _, typed := errcode.As(err); err != nil && !typed && ctx.Err() != nil {
			// The leadership (or this node) ended under the request: its
			// store or KV call was cut short. Not an internal error: the
			// caller retries on the next leader.
			err = errcode.Errorf(errcode.Unavailable, "the arena moved this request to another node; retry in a moment")
		}
	}
	if m.Reply == "" {
		return
	}
	if err != nil {
		e, ok := errcode.As(err)
		if !ok {
			s.log.Error("arena request failed", "op", env.Op, "user", env.Call.User, "err", err)
			e = errcode.New(errcode.Internal, "internal error")
		}
		d := protocol.ErrorOf(e)
		rep.Err = &d
	} else {
		rep.Type = r.Type
		if r.Data != nil {
			rep.Data, _ = json.Marshal(r.Data)
		}
	}
	b, _ := json.Marshal(rep)
	_ = m.Respond(b)
}

// decodeEnvelope reads an operation sent by another node: its table entry
// and its typed request.
func (s *Service) decodeEnvelope(data []byte, env *envelope) (*opDef, any, error) {
	if err := json.Unmarshal(data, env); err != nil {
		return nil, nil, errcode.Errorf(errcode.InvalidRequest, "malformed arena request")
	}
	def, ok := ops[env.Op]
	if !ok || def.route == onNode {
		return nil, nil, errcode.Errorf(errcode.UnknownType, "unknown arena operation %q", env.Op)
	}
	req := def.newReq()
	if len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, req); err != nil {
			return nil, nil, errcode.Errorf(errcode.InvalidRequest, "malformed %s", env.Op)
		}
	}
	return def, req, nil
}

// decodeResult reads an operation's reply data as T, whether it ran here
// (a T) or elsewhere (its JSON).
func decodeResult[T any](r result) (T, error) {
	var v T
	switch d := r.Data.(type) {
	case T:
		return d, nil
	case *T:
		return *d, nil
	case json.RawMessage:
		if err := json.Unmarshal(d, &v); err != nil {
			return v, fmt.Errorf("arena: reply is not a %s: %w", reflect.TypeFor[T](), err)
		}
		return v, nil
	}
	return v, fmt.Errorf("arena: reply of type %T, want %s", r.Data, reflect.TypeFor[T]())
}

// --- errors --------------------------------------------------------------

// lobbyErrors gives each matchmaking error its code and message: the one
// table between the lobby's errors and what a player is told.
var lobbyErrors = map[*matchmaking.Error]*errcode.Error{
	matchmaking.ErrAlreadyQueued:   errcode.New(errcode.AlreadyQueued, "you are already in a queue"),
	matchmaking.ErrMatchPending:    errcode.New(errcode.AlreadyInMatch, "you are already in a match"),
	matchmaking.ErrInMatch:         errcode.New(errcode.AlreadyInMatch, "you are already in a match"),
	matchmaking.ErrInRoom:          errcode.New(errcode.AlreadyInMatch, "you are in a private room; leave it first"),
	matchmaking.ErrNotQueued:       errcode.New(errcode.NotQueued, "you are not in a queue"),
	matchmaking.ErrNoProposal:      errcode.New(errcode.MatchNotFound, "no such match"),
	matchmaking.ErrNotInProposal:   errcode.New(errcode.NotInMatch, "you are not a player of this match"),
	matchmaking.ErrAlreadyAccepted: errcode.New(errcode.AlreadyAccepted, "you already accepted"),
	matchmaking.ErrAcceptExpired:   errcode.New(errcode.AcceptExpired, "the time to accept has passed"),
	matchmaking.ErrBadCode:         errcode.New(errcode.RoomNotFound, "no such room"),
	matchmaking.ErrNoRoom:          errcode.New(errcode.RoomNotFound, "no such room"),
	matchmaking.ErrNotInRoom:       errcode.New(errcode.RoomNotFound, "no such room"),
	matchmaking.ErrRoomFull:        errcode.New(errcode.RoomFull, "the room is full"),
	matchmaking.ErrNotHost:         errcode.New(errcode.NotRoomHost, "only the host can start the room"),
	matchmaking.ErrRoomTooSmall:    errcode.New(errcode.RoomTooSmall, "at least 2 players are needed"),
}

// lobbyError is err with its code from lobbyErrors; another matchmaking
// error is an invalid request, anything else is returned as is.
func lobbyError(err error) error {
	var me *matchmaking.Error
	if !errors.As(err, &me) {
		return err
	}
	if e, ok := lobbyErrors[me]; ok {
		return e
	}
	return errcode.Errorf(errcode.InvalidRequest, "%s", me.Error())
}

// matchErrors is the same table for the match rules' errors.
var matchErrors = []struct {
	err  error
	code *errcode.Error
}{
	{match.ErrNotParticipant, errcode.New(errcode.NotInMatch, "you are not a player of this match")},
	{match.ErrDeadlinePassed, errcode.New(errcode.DeadlinePassed, "the match is over; submissions after the deadline are not judged")},
	{match.ErrWrongState, errcode.New(errcode.MatchNotRunning, "the match is not running")},
	{match.ErrPlayerOut, errcode.New(errcode.MatchNotRunning, "the match is not running")},
	{match.ErrAlreadyAccepted, errcode.New(errcode.AlreadyAccepted, "you already accepted")},
	{match.ErrAcceptExpired, errcode.New(errcode.AcceptExpired, "the time to accept has passed")},
	{match.ErrAlreadySolved, errcode.New(errcode.AlreadySolved, "your Accepted submission is final in a shortest match")},
}

func matchError(err error) error {
	for _, m := range matchErrors {
		if errors.Is(err, m.err) {
			return m.code
		}
	}
	return err
}
