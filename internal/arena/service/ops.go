package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
)

// opRequest is a player action forwarded from any node to the leader.
type opRequest struct {
	Op   protocol.Op     `json:"op"`
	User int64           `json:"user"`
	Node string          `json:"node,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
	// At is when the node received the action: a submission counts from
	// then, even if the leader gets it later (a failover).
	At time.Time `json:"at,omitzero"`
}

// maxForwardDelay bounds how far back a forwarded action's receipt time
// is believed: the node answers `unavailable` after its request timeout
// (30 s), so an older one cannot be waiting any more.
const maxForwardDelay = 30 * time.Second

type opReply struct {
	Type protocol.Event      `json:"type,omitempty"` // reply frame type
	Data json.RawMessage     `json:"data,omitempty"`
	Err  *protocol.ErrorData `json:"error,omitempty"`
}

type presenceData struct {
	Online []int64 `json:"online,omitempty"` // full list when Full
	Full   bool    `json:"full,omitempty"`
	User   int64   `json:"user,omitempty"`
	On     bool    `json:"on,omitempty"`
	Count  int     `json:"count"`
}

type submitData struct {
	MatchID string `json:"match_id"`
	Lang    string `json:"lang"`
	Code    string `json:"code"`
}

// runData is code.run as forwarded to the leader: the leader checks the
// match and remembers the code (my_code); the node runs it.
type runData struct {
	MatchID string `json:"match_id"`
	Lang    string `json:"lang"`
	Code    string `json:"code"`
}

// runTarget is the leader's answer to code.run: what to run the code on.
type runTarget struct {
	ProblemID string `json:"problem_id"`
	Version   int    `json:"version"`
	Priority  string `json:"priority"`
}

type submitReply struct {
	SubmissionID string `json:"submission_id"`
}

type roomCreateData struct {
	MaxPlayers int    `json:"max_players"`
	DurationS  int    `json:"duration_s"`
	ProblemID  string `json:"problem_id"`
}

// call sends op to the leader and waits for its answer. While there is no
// leader (a failover takes up to the lease TTL) it retries until ctx ends,
// then reports `unavailable`.
func (s *Service) call(ctx context.Context, op protocol.Op, user int64, data any) (opReply, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return opReply{}, err
	}
	b, _ := json.Marshal(opRequest{Op: op, User: user, Node: s.node, Data: raw, At: s.clk.Now()})
	for {
		msg, err := s.bus.NC.RequestWithContext(ctx, s.bus.Names.LobbyRequests(), b)
		if err == nil {
			var rep opReply
			if err := json.Unmarshal(msg.Data, &rep); err != nil {
				return opReply{}, fmt.Errorf("arena: bad leader reply: %w", err)
			}
			if rep.Err != nil {
				return rep, rep.Err.AsError()
			}
			return rep, nil
		}
		// Only "nobody listens" is retried: a request that reached a
		// leader and timed out may have acted (a submission), so it is
		// never sent twice.
		if !errors.Is(err, nats.ErrNoResponders) {
			if ctx.Err() != nil || errors.Is(err, nats.ErrTimeout) {
				return opReply{}, errcode.Errorf(errcode.Unavailable, "the arena did not answer in time; retry in a moment")
			}
			return opReply{}, fmt.Errorf("arena: leader request: %w", err)
		}
		select {
		case <-ctx.Done():
			return opReply{}, errcode.Errorf(errcode.Unavailable, "the arena is changing leaders; retry in a moment")
		case <-time.After(150 * time.Millisecond):
		}
	}
}

// notify sends op to the leader without waiting (presence, typing).
func (s *Service) notify(op protocol.Op, user int64, data any) {
	raw, _ := json.Marshal(data)
	b, _ := json.Marshal(opRequest{Op: op, User: user, Node: s.node, Data: raw})
	_ = s.bus.NC.Publish(s.bus.Names.LobbyRequests(), b)
}

func (e *engine) onRequest(ctx context.Context, m *nats.Msg) {
	var req opRequest
	var rep opReply
	if err := json.Unmarshal(m.Data, &req); err != nil || req.User == 0 && req.Op != "presence" {
		rep.Err = &protocol.ErrorData{Code: errcode.InvalidRequest, Message: "malformed lobby request"}
	} else {
		e.mu.Lock()
		typ, data, err := e.handle(ctx, req)
		e.mu.Unlock()
		if err != nil {
			pe, ok := errcode.As(err)
			if !ok {
				e.s.log.Error("lobby request failed", "op", req.Op, "user", req.User, "err", err)
				pe = errcode.New(errcode.Internal, "internal error")
			}
			d := protocol.ErrorOf(pe)
			rep.Err = &d
		} else {
			rep.Type = typ
			if data != nil {
				rep.Data, _ = json.Marshal(data)
			}
		}
	}
	if m.Reply == "" {
		return
	}
	b, _ := json.Marshal(rep)
	_ = m.Respond(b)
}

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
}

func matchError(err error) error {
	for _, m := range matchErrors {
		if errors.Is(err, m.err) {
			return m.code
		}
	}
	return err
}

func decodeOp[T any](req opRequest) (T, error) {
	var v T
	if err := json.Unmarshal(req.Data, &v); err != nil {
		return v, errcode.Errorf(errcode.InvalidRequest, "malformed %s", req.Op)
	}
	return v, nil
}

func (e *engine) handle(ctx context.Context, req opRequest) (protocol.Event, any, error) {
	u := req.User
	switch req.Op {
	case "presence":
		d, err := decodeOp[presenceData](req)
		if err != nil {
			return "", nil, err
		}
		now := e.s.clk.Now()
		e.nodes[req.Node] = nodeStat{Online: d.Count, At: now}
		set := func(user int64) {
			if e.presence[user] == nil {
				e.presence[user] = map[string]time.Time{}
			}
			e.presence[user][req.Node] = now
		}
		if d.Full {
			for _, id := range d.Online {
				set(id)
			}
		} else if d.On {
			set(d.User)
		} else if nodes := e.presence[d.User]; nodes != nil {
			delete(nodes, req.Node)
			if len(nodes) == 0 {
				delete(e.presence, d.User)
			}
		}
		return "", nil, nil

	case "snapshot":
		return "", e.snapshot(u), nil

	case "queue.join":
		d, err := decodeOp[realtime.QueueJoin](req)
		if err != nil {
			return "", nil, err
		}
		if d.Mode == "practice" {
			return e.startPractice(ctx, u, d.ProblemID)
		}
		if _, ok := e.userMatch[u]; ok {
			return "", nil, errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
		}
		info := e.userInfo(u)
		if _, err := e.lobby.Enqueue(u, matchmaking.Mode(d.Mode), info.Rating, info.RD); err != nil {
			if errors.Is(err, matchmaking.ErrCooldown) {
				until := e.lobby.Status(u).CooldownUntil
				return "", nil, &errcode.Error{Code: errcode.QueueCooldown, Message: "you declined a match; queueing is paused",
					CooldownUntil: until}
			}
			return "", nil, lobbyError(err)
		}
		if err := e.saveLobby(ctx); err != nil {
			_ = e.lobby.Leave(u)
			return "", nil, errcode.Errorf(errcode.Unavailable, "the lobby cannot be saved; retry later")
		}
		return "queue.status", e.queueView(u), nil

	case "queue.leave":
		if err := e.lobby.Leave(u); err != nil {
			return "", nil, lobbyError(err)
		}
		delete(e.windows, u)
		if err := e.saveLobby(ctx); err != nil {
			return "", nil, err
		}
		return "queue.status", e.queueView(u), nil

	case "match.accept":
		d, err := decodeOp[realtime.MatchRef](req)
		if err != nil {
			return "", nil, err
		}
		if lv := e.matches[d.MatchID]; lv != nil {
			if _, in := lv.progress[u]; in {
				return "", nil, errcode.Errorf(errcode.AlreadyAccepted, "you already accepted")
			}
			return "", nil, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
		}
		if _, gone := e.expired[d.MatchID]; gone {
			return "", nil, errcode.Errorf(errcode.AcceptExpired, "the time to accept has passed")
		}
		p, confirmed, err := e.lobby.Accept(u, d.MatchID)
		if err != nil {
			return "", nil, lobbyError(err)
		}
		if err := e.saveLobby(ctx); err != nil {
			return "", nil, err
		}
		if !confirmed {
			fv := e.foundView(p)
			for _, t := range p.Tickets {
				if t.UserID != u {
					e.toUser(t.UserID, "match.found", fv, "")
				}
			}
			return "match.state", e.foundState(p, u), nil
		}
		lv, err := e.startMatch(ctx, p.ID, string(p.Mode), p.Players(), false, roomSettings{})
		if err != nil {
			e.lobby.Release(p.Players()...)
			_ = e.saveLobby(ctx)
			return "", nil, err
		}
		return "match.state", e.stateView(p.ID, lv, u), nil

	case "match.decline":
		d, err := decodeOp[realtime.MatchRef](req)
		if err != nil {
			return "", nil, err
		}
		if _, gone := e.expired[d.MatchID]; gone {
			return "", nil, errcode.Errorf(errcode.AcceptExpired, "the time to accept has passed")
		}
		if lv := e.matches[d.MatchID]; lv != nil {
			if _, in := lv.progress[u]; in {
				return "", nil, errcode.Errorf(errcode.AlreadyAccepted, "the match has started; resign instead")
			}
			return "", nil, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
		}
		dis, err := e.lobby.Decline(u, d.MatchID)
		if err != nil {
			return "", nil, lobbyError(err)
		}
		e.expired[d.MatchID] = e.s.clk.Now()
		if err := e.saveLobby(ctx); err != nil {
			return "", nil, err
		}
		for _, t := range dis.Requeued {
			e.toUser(t.UserID, "queue.status", e.queueView(t.UserID), "")
		}
		return "queue.status", e.queueView(u), nil

	case "room.create":
		d, err := decodeOp[roomCreateData](req)
		if err != nil {
			return "", nil, err
		}
		if d.ProblemID != "" {
			if _, ok := e.s.playable.Get(d.ProblemID); !ok {
				return "", nil, errcode.Errorf(errcode.ProblemNotFound, "no problem %q", d.ProblemID)
			}
		}
		if _, ok := e.userMatch[u]; ok {
			return "", nil, errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
		}
		r, err := e.lobby.CreateRoom(u)
		if err != nil {
			return "", nil, lobbyError(err)
		}
		e.rooms[r.Code] = roomSettings{MaxPlayers: d.MaxPlayers, DurationS: d.DurationS, ProblemID: d.ProblemID}
		if err := e.saveLobby(ctx); err != nil {
			return "", nil, err
		}
		return "room.state", e.roomView(r, false), nil

	case "room.join":
		d, err := decodeOp[realtime.RoomJoin](req)
		if err != nil {
			return "", nil, err
		}
		if _, ok := e.userMatch[u]; ok {
			return "", nil, errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
		}
		if r, err := e.lobby.Room(d.Code); err == nil && len(r.Members) >= e.rooms[r.Code].MaxPlayers && e.rooms[r.Code].MaxPlayers > 0 {
			return "", nil, errcode.Errorf(errcode.RoomFull, "the room is full")
		}
		r, err := e.lobby.JoinRoom(u, d.Code)
		if err != nil {
			return "", nil, lobbyError(err)
		}
		if err := e.saveLobby(ctx); err != nil {
			return "", nil, err
		}
		v := e.roomView(r, false)
		for _, m := range r.Members {
			if m != u {
				e.toUser(m, "room.state", v, "")
			}
		}
		return "room.state", v, nil

	case "room.leave":
		r, err := e.lobby.LeaveRoom(u)
		if err != nil {
			return "", nil, lobbyError(err)
		}
		closed := len(r.Members) == 0
		v := e.roomView(r, closed)
		if closed {
			delete(e.rooms, r.Code)
		}
		if err := e.saveLobby(ctx); err != nil {
			return "", nil, err
		}
		for _, m := range r.Members {
			e.toUser(m, "room.state", v, "")
		}
		mine := *v
		mine.Closed = true
		return "room.state", &mine, nil

	case "room.start":
		st := e.lobby.Status(u)
		set := e.rooms[st.RoomCode]
		r, err := e.lobby.StartRoom(u)
		if err != nil {
			return "", nil, lobbyError(err)
		}
		delete(e.rooms, r.Code)
		id := "r" + newID()
		lv, err := e.startMatch(ctx, id, "private", r.Members, true, set)
		if err != nil {
			e.lobby.Release(r.Members...)
			_ = e.saveLobby(ctx)
			return "", nil, err
		}
		if err := e.saveLobby(ctx); err != nil {
			e.s.log.Error("save lobby after room start", "err", err)
		}
		return "match.state", e.stateView(id, lv, u), nil

	case "code.submit":
		return e.submit(ctx, req)

	case "code.run":
		d, err := decodeOp[runData](req)
		if err != nil {
			return "", nil, err
		}
		lv, err := e.playing(d.MatchID, u)
		if err != nil {
			return "", nil, err
		}
		snap := lv.m.Snapshot()
		if lv.m.State() != match.Running || !e.s.clk.Now().Before(snap.Deadline) {
			return "", nil, errcode.Errorf(errcode.MatchNotRunning, "the match is not running")
		}
		for _, p := range snap.Players {
			if p.ID == u && p.Out != "" {
				return "", nil, errcode.Errorf(errcode.MatchNotRunning, "you are out of this match")
			}
		}
		if lv.problem == nil {
			return "", nil, errcode.Errorf(errcode.Unavailable, "the match's problem is not available on this server")
		}
		// The run's code is what a reload restores (my_code).
		if pr := lv.progress[u]; pr != nil && d.Code != "" {
			pr.Lang, pr.Code = d.Lang, d.Code
		}
		t := runTarget{ProblemID: lv.problem.ID, Version: lv.problem.Version, Priority: execution.PriorityPractice}
		if lv.mode == "ranked" {
			t.Priority = execution.PriorityRanked
		}
		return "", t, nil

	case "match.resign":
		d, err := decodeOp[realtime.MatchRef](req)
		if err != nil {
			return "", nil, err
		}
		lv, err := e.playing(d.MatchID, u)
		if err != nil {
			return "", nil, err
		}
		if err := lv.m.Resign(u); err != nil {
			return "", nil, matchError(err)
		}
		e.afterChange(ctx, d.MatchID, lv)
		if e.matches[d.MatchID] == nil {
			c, cancel := opCtx(ctx)
			defer cancel()
			v, err := e.s.finishedView(c, d.MatchID)
			return "match.finished", v, err
		}
		return "match.state", e.stateView(d.MatchID, lv, u), nil

	case "typing":
		d, err := decodeOp[realtime.Typing](req)
		if err != nil {
			return "", nil, err
		}
		lv, err := e.playing(d.MatchID, u)
		if err != nil || lv.m.State() != match.Running {
			return "", nil, nil // typing never answers
		}
		pr := lv.progress[u]
		now := e.s.clk.Now()
		if pr.Typing != d.Active && now.Sub(pr.TypingAt) >= time.Second {
			pr.Typing, pr.TypingAt = d.Active, now
			e.broadcastProgress(d.MatchID, lv, u)
		}
		return "", nil, nil

	case "spectate":
		d, err := decodeOp[realtime.MatchRef](req)
		if err != nil {
			return "", nil, err
		}
		lv := e.matches[d.MatchID]
		if lv == nil {
			return "", nil, errcode.Errorf(errcode.MatchNotFound, "no running match %q", d.MatchID)
		}
		if _, in := lv.progress[u]; in || lv.private {
			return "", nil, errcode.Errorf(errcode.SpectateForbidden, "you cannot spectate this match")
		}
		return "match.state", e.stateView(d.MatchID, lv, 0), nil
	}
	return "", nil, errcode.Errorf(errcode.UnknownType, "unknown lobby operation %q", req.Op)
}

// startPractice starts a solo, unrated practice match on problemID (or,
// without one, on a problem chosen like a match's: near the player's
// rating, not one of their last 20). It answers match.state.
func (e *engine) startPractice(ctx context.Context, u int64, problemID string) (protocol.Event, any, error) {
	if _, ok := e.userMatch[u]; ok {
		return "", nil, errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
	}
	switch e.lobby.Status(u).State {
	case matchmaking.Queued:
		return "", nil, errcode.Errorf(errcode.AlreadyQueued, "you are in a queue; leave it first")
	case matchmaking.Proposed, matchmaking.Playing:
		return "", nil, errcode.Errorf(errcode.AlreadyInMatch, "you are already in a match")
	case matchmaking.InRoom:
		return "", nil, errcode.Errorf(errcode.AlreadyInMatch, "you are in a private room; leave it first")
	}
	if problemID != "" {
		if _, ok := e.s.playable.Get(problemID); !ok {
			// (One imported this very second is playable after the next
			// background refresh.)
			return "", nil, errcode.Errorf(errcode.ProblemNotFound, "no playable problem %q", truncateID(problemID))
		}
	}
	id := "p" + newID()
	lv, err := e.startMatch(ctx, id, "practice", []int64{u}, true, roomSettings{ProblemID: problemID})
	if err != nil {
		if errors.Is(err, match.ErrNoProblem) {
			return "", nil, errcode.Errorf(errcode.ProblemNotFound, "no playable problem")
		}
		return "", nil, err
	}
	return "match.state", e.stateView(id, lv, u), nil
}

func truncateID(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// foundState is the match.state reply to an accept before everyone did.
func (e *engine) foundState(p matchmaking.Proposal, you int64) matchStateJSON {
	v := matchStateJSON{MatchID: p.ID, Mode: protocol.Mode(p.Mode), State: protocol.PhaseFound, You: ptr(you),
		ServerNow: protocol.Time(e.s.clk.Now()), Players: []playerJSON{}}
	for i, t := range p.Tickets {
		info := e.userInfo(t.UserID)
		v.Players = append(v.Players, playerJSON{UserID: t.UserID, Username: info.Username, Rating: t.Rating, RD: t.RD,
			Level: info.Level, Connected: true, Accepted: p.Accepted[i]})
	}
	return v
}

// playing returns the live match id if user plays in it.
func (e *engine) playing(id string, user int64) (*live, error) {
	lv := e.matches[id]
	if lv == nil {
		return nil, errcode.Errorf(errcode.MatchNotFound, "no running match %q", id)
	}
	if _, in := lv.progress[user]; !in {
		return nil, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	}
	return lv, nil
}

// submit checks the match rules with the server's clock, queues the
// submission for the judge (ranked jobs ahead of practice) and registers it
// in the match. The engine lock is released while the judge stores it.
func (e *engine) submit(ctx context.Context, req opRequest) (protocol.Event, any, error) {
	d, err := decodeOp[submitData](req)
	if err != nil {
		return "", nil, err
	}
	u := req.User
	lv, err := e.playing(d.MatchID, u)
	if err != nil {
		return "", nil, err
	}
	snap := lv.m.Snapshot()
	now := e.s.clk.Now()
	// The server received it when the player's node did: a submission
	// that waited for a new leader, or behind others, keeps its receipt.
	received := now
	if !req.At.IsZero() && req.At.Before(now) && now.Sub(req.At) <= maxForwardDelay {
		received = req.At
	}
	switch {
	case !snap.Deadline.IsZero() && !received.Before(snap.Deadline):
		return "", nil, errcode.Errorf(errcode.DeadlinePassed, "the match is over; submissions after the deadline are not judged")
	case snap.State != match.Running && snap.State != match.Judging, received.Before(snap.StartAt):
		return "", nil, errcode.Errorf(errcode.MatchNotRunning, "the match is not running")
	case len(d.Code) > realtime.MaxCodeBytes:
		return "", nil, &errcode.Error{Code: errcode.CodeTooLarge, Limit: realtime.MaxCodeBytes,
			Message: fmt.Sprintf("code is over %d KiB", realtime.MaxCodeBytes>>10)}
	case !utf8.ValidString(d.Code):
		return "", nil, errcode.New(errcode.CodeNotUTF8, "code is not UTF-8")
	}
	for _, p := range snap.Players {
		if p.ID == u && p.Out != "" {
			return "", nil, errcode.Errorf(errcode.MatchNotRunning, "you are out of this match")
		}
	}
	for _, s := range snap.Submissions {
		if s.Player == u && !s.Judged {
			return "", nil, errcode.Errorf(errcode.JudgeBusy, "your previous submission is still being judged")
		}
	}
	pr := lv.progress[u]
	if pr.Running {
		return "", nil, errcode.Errorf(errcode.JudgeBusy, "your previous submission is still being judged")
	}
	pr.Running = true
	// Until it is registered the deadline is held: it must not decide the
	// match without this submission.
	lv.m.Hold()
	// The match's own version: a re-import during the match does not
	// change the tests under it.
	judgeReq := execution.SubmitRequest{UserID: u, ProblemID: lv.problem.ID, ProblemVersion: lv.problem.Version,
		Lang: d.Lang, Source: []byte(d.Code), MatchID: d.MatchID}
	ranked := lv.mode == "ranked"
	e.mu.Unlock()
	// Storing the submission and, the first time a problem version is
	// used, uploading its package for the workers may take seconds.
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 25*time.Second)
	began := time.Now()
	var sub store.Submission
	if ranked {
		sub, err = e.s.judge.SubmitRanked(c, judgeReq)
	} else {
		sub, err = e.s.judge.Submit(c, judgeReq)
	}
	cancel()
	e.s.log.Debug("submission queued", "match", d.MatchID, "user", u, "took", time.Since(began), "err", err)
	e.mu.Lock()
	lv.m.Release()
	if e.matches[d.MatchID] != lv {
		return "", nil, errcode.Errorf(errcode.MatchNotRunning, "the match ended")
	}
	if err != nil {
		pr.Running = false
		return "", nil, err
	}
	if err := lv.m.SubmitAt(u, sub.ID, received); err != nil {
		pr.Running = false
		e.afterChange(ctx, d.MatchID, lv)
		return "", nil, matchError(err)
	}
	pr.Submissions++
	pr.Lang, pr.Code = d.Lang, d.Code
	pr.LastVerdict = "pending"
	e.afterChange(ctx, d.MatchID, lv)
	e.broadcastProgress(d.MatchID, lv, u)
	return "", submitReply{SubmissionID: sub.ID}, nil
}

// snapshot is the leader's part of a user's `snapshot`.
func (e *engine) snapshot(u int64) userSnapshot {
	out := userSnapshot{Lobby: e.lobbyView()}
	if id, ok := e.userMatch[u]; ok {
		lv := e.matches[id]
		v := e.stateView(id, lv, u)
		out.Match = &v
		if pr := lv.progress[u]; pr != nil && pr.Code != "" {
			out.MyCode = &myCodeJSON{MatchID: id, Lang: pr.Lang, Code: pr.Code}
		}
		return out
	}
	st := e.lobby.Status(u)
	switch st.State {
	case matchmaking.Queued:
		out.Queue = e.queueView(u)
	case matchmaking.Proposed:
		if p, ok := e.lobby.Proposal(st.ProposalID); ok {
			out.PendingMatch = e.foundView(p)
		}
	case matchmaking.InRoom:
		if r, err := e.lobby.Room(st.RoomCode); err == nil {
			out.Room = e.roomView(r, false)
		}
	default:
		if !st.CooldownUntil.IsZero() {
			out.Queue = e.queueView(u)
		}
	}
	return out
}
