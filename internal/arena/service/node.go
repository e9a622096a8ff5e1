package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
)

// The node side: every API node answers its own WebSocket clients, reads
// the store for leaderboards, and forwards lobby and match actions to the
// leader.

// Opened tells the leader at once that the user is here (a reconnect
// within the grace cancels the forfeit).
func (s *Service) Opened(c *realtime.Conn) {
	s.notify("presence", c.User.ID, presenceData{User: c.User.ID, On: true, Count: s.hub.UserCount()})
}

// Closed reports the user gone once their last connection here closed.
func (s *Service) Closed(c *realtime.Conn) {
	if !s.hub.UserConnected(c.User.ID) {
		s.notify("presence", c.User.ID, presenceData{User: c.User.ID, On: false, Count: s.hub.UserCount()})
	}
}

// Request answers one valid client frame.
func (s *Service) Request(ctx context.Context, c *realtime.Conn, req realtime.Request) (protocol.Event, any, error) {
	u := c.User.ID
	forward := func() (protocol.Event, any, error) {
		rep, err := s.call(ctx, req.Type, u, req.Data)
		if err != nil {
			return "", nil, err
		}
		return rep.Type, json.RawMessage(rep.Data), nil
	}
	switch req.Type {
	case "hello":
		return s.helloSnapshot(ctx, c)
	case "resume":
		// The snapshot is followed by the restored subscriptions' current
		// state: the leaderboard page and the spectated match.
		r := req.Data.(*realtime.Resume)
		var push [][]byte
		c.SetLeaderboard(nil)
		if sub := r.Subscriptions.Leaderboard; sub != nil {
			if page, err := s.boardPage(ctx, *sub, u); err == nil {
				c.SetLeaderboard(sub)
				push = append(push, realtime.Encode("leaderboard.update", "", page))
			}
		}
		c.SetSpectate("")
		if id := r.Subscriptions.Spectate; id != "" {
			if rep, err := s.call(ctx, "spectate", u, realtime.MatchRef{MatchID: id}); err == nil {
				c.SetSpectate(id)
				push = append(push, realtime.Encode(rep.Type, "", json.RawMessage(rep.Data)))
			}
		}
		typ, snap, err := s.helloSnapshot(ctx, c)
		if err != nil {
			return "", nil, err
		}
		return typ, realtime.Reply{Data: snap, Push: push}, nil
	case "queue.join", "queue.leave", "match.accept", "match.decline", "room.join", "room.leave", "room.start", "match.resign":
		return forward()
	case "room.create":
		d := req.Data.(*realtime.RoomCreate)
		rep, err := s.call(ctx, req.Type, u, roomCreateData{MaxPlayers: d.MaxPlayers, DurationS: d.DurationS, ProblemID: d.ProblemID})
		if err != nil {
			return "", nil, err
		}
		return rep.Type, json.RawMessage(rep.Data), nil
	case "code.submit":
		d := req.Data.(*realtime.CodeSubmit) // size and emptiness checked by its Validate
		rep, err := s.call(ctx, req.Type, u, submitData{MatchID: d.MatchID, Lang: d.Lang, Code: d.Code})
		if err != nil {
			return "", nil, err
		}
		var sr submitReply
		if err := json.Unmarshal(rep.Data, &sr); err != nil || sr.SubmissionID == "" {
			return "", nil, fmt.Errorf("arena: submit reply without a submission id")
		}
		if req.ID != "" {
			c.AddPending(sr.SubmissionID, req.ID)
		}
		return "", nil, nil // the reply is submission.result, when judged
	case "code.run":
		d := req.Data.(*realtime.CodeRun) // sizes and emptiness checked by its Validate
		if s.opt.Runner == nil {
			return "", nil, errcode.Errorf(errcode.Unavailable, "sample runs are not available on this server; submit instead")
		}
		// The leader checks the match (running, you in it) and names the
		// problem version; the run itself goes from this node to a worker
		// and back, never through the leader.
		rep, err := s.call(ctx, req.Type, u, runData{MatchID: d.MatchID, Lang: d.Lang, Code: d.Code})
		if err != nil {
			return "", nil, err
		}
		var t runTarget
		if err := json.Unmarshal(rep.Data, &t); err != nil || t.ProblemID == "" {
			return "", nil, fmt.Errorf("arena: code.run reply without a problem")
		}
		res, err := s.opt.Runner.RunSamples(ctx, execution.RunRequest{UserID: u, ProblemID: t.ProblemID, ProblemVersion: t.Version,
			Lang: d.Lang, Source: []byte(d.Code), Input: d.Input, MatchID: d.MatchID, Priority: t.Priority})
		if err != nil {
			return "", nil, err
		}
		out := runResultJSON{MatchID: d.MatchID, Results: []execution.RunTestResult{}}
		if res != nil {
			out.CompileError = res.CompileError
			if res.Results != nil {
				out.Results = res.Results
			}
		}
		return "run.result", out, nil
	case "typing":
		s.notify("typing", u, req.Data)
		return "", nil, nil
	case "leaderboard.subscribe":
		sub := req.Data.(*realtime.LeaderboardSub)
		page, err := s.boardPage(ctx, *sub, u)
		if err != nil {
			return "", nil, err
		}
		c.SetLeaderboard(sub)
		return "leaderboard.update", page, nil
	case "leaderboard.unsubscribe":
		c.SetLeaderboard(nil)
		return "", nil, nil
	case "spectate":
		d := req.Data.(*realtime.MatchRef)
		rep, err := s.call(ctx, req.Type, u, d)
		if err != nil {
			return "", nil, err
		}
		c.SetSpectate(d.MatchID)
		return rep.Type, json.RawMessage(rep.Data), nil
	case "spectate.stop":
		c.SetSpectate("")
		return "", nil, nil
	}
	return "", nil, errcode.Errorf(errcode.UnknownType, "unknown message type %q", req.Type)
}

func (s *Service) helloSnapshot(ctx context.Context, c *realtime.Conn) (protocol.Event, any, error) {
	prof, err := s.st.Profile(ctx, c.User.ID)
	if err != nil {
		return "", nil, fmt.Errorf("arena: profile: %w", err)
	}
	rep, err := s.call(ctx, "snapshot", c.User.ID, struct{}{})
	if err != nil {
		return "", nil, err
	}
	var us userSnapshot
	if err := json.Unmarshal(rep.Data, &us); err != nil {
		return "", nil, fmt.Errorf("arena: snapshot reply: %w", err)
	}
	snap := snapshotJSON{ServerNow: protocol.Time(time.Now()),
		User:  meJSON{UserID: c.User.ID, Username: c.User.Username, Rating: prof.Rating, RD: prof.RD, XP: prof.XP, Level: prof.Level},
		Lobby: us.Lobby, Queue: us.Queue, PendingMatch: us.PendingMatch, Match: us.Match, Room: us.Room, MyCode: us.MyCode}
	if snap.Lobby.RecentMatches == nil {
		snap.Lobby.RecentMatches = []recentMatchJSON{}
	}
	if snap.Match == nil && snap.PendingMatch == nil {
		snap.LastFinished = s.lastFinished(ctx, c.User.ID)
	}
	return "snapshot", snap, nil
}

// lastFinishedWindow is how long after its end a match's result is still
// part of its players' snapshot.
const lastFinishedWindow = 10 * time.Minute

// lastFinished is the match.finished data of the user's latest match if it
// ended within lastFinishedWindow: a client that was away (or a push lost
// to a failover) still gets the result screen, with the coach's reports
// stored so far.
func (s *Service) lastFinished(ctx context.Context, user int64) *matchFinishedJSON {
	ms, err := s.st.RecentMatches(ctx, user, 1)
	if err != nil || len(ms) == 0 {
		return nil
	}
	m := ms[0]
	if m.State != store.MatchFinished || m.FinishedAt.IsZero() || s.clk.Now().Sub(m.FinishedAt) > lastFinishedWindow {
		return nil
	}
	v, err := s.finishedViewOf(ctx, m)
	if err != nil {
		return nil
	}
	return &v
}

// weekStart is Monday 00:00 UTC of t's week: the weekly XP board's start.
func weekStart(t time.Time) time.Time {
	t = t.UTC()
	d := (int(t.Weekday()) + 6) % 7
	y, m, day := t.AddDate(0, 0, -d).Date()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

func entryView(e store.LeaderboardEntry) leaderboardEntryJSON {
	return leaderboardEntryJSON{Rank: e.Rank, UserID: e.UserID, Username: e.Username, Rating: e.Rating, RD: e.RD,
		Provisional: e.RD > rating.ProvisionalRD, XP: e.XP, Level: e.Level, WeeklyXP: e.WeeklyXP}
}

type cachedPage struct {
	page leaderboardJSON
	at   time.Time
}

// boardPage reads one page; around "me" centres it on user. Plain pages
// are cached until the next leaderboard event (or 2 s): thousands of
// clients subscribing to the top page cost one query.
func (s *Service) boardPage(ctx context.Context, sub realtime.LeaderboardSub, user int64) (leaderboardJSON, error) {
	key := fmt.Sprintf("%s|%d|%d", sub.Board, sub.Offset, sub.Limit)
	if sub.Around == "" {
		s.boardMu.Lock()
		c, ok := s.pageCache[key]
		s.boardMu.Unlock()
		if ok && time.Since(c.at) < 2*time.Second {
			p := c.page
			p.Changed = []int64{}
			p.ServerNow = protocol.Time(time.Now())
			return p, nil
		}
	}
	gen := s.boardGen.Load()
	page, err := s.readBoardPage(ctx, sub, user)
	if err == nil && sub.Around == "" {
		s.boardMu.Lock()
		if s.boardGen.Load() == gen { // no event arrived meanwhile
			s.pageCache[key] = cachedPage{page: page, at: time.Now()}
		}
		s.boardMu.Unlock()
	}
	return page, err
}

func (s *Service) readBoardPage(ctx context.Context, sub realtime.LeaderboardSub, user int64) (leaderboardJSON, error) {
	q := store.LeaderboardQuery{Board: string(sub.Board), Offset: sub.Offset, Limit: sub.Limit, Since: weekStart(s.clk.Now())}
	if sub.Around == "me" {
		me, err := s.st.LeaderboardEntry(ctx, q, user)
		switch {
		case errors.Is(err, store.ErrNotFound):
			q.Offset = 0
		case err != nil:
			return leaderboardJSON{}, err
		default:
			q.Offset = max(0, me.Rank-1-q.Limit/2)
		}
	}
	es, total, err := s.st.Leaderboard(ctx, q)
	if err != nil {
		return leaderboardJSON{}, err
	}
	out := leaderboardJSON{Board: sub.Board, Offset: q.Offset, Limit: q.Limit, Total: total,
		ServerNow: protocol.Time(time.Now()), Entries: []leaderboardEntryJSON{}, Changed: []int64{}}
	for _, e := range es {
		out.Entries = append(out.Entries, entryView(e))
	}
	return out, nil
}

// fanOutBoards pushes a fresh page to every subscribed connection whose
// page changed. Connections sharing a page share one query and one
// encoded frame, so a broadcast to thousands costs one read.
func (s *Service) fanOutBoards() {
	s.boardMu.Lock()
	changed := s.boardChg
	s.boardChg, s.boardTimer = nil, nil
	s.boardMu.Unlock()
	chg := map[int64]bool{}
	for _, id := range changed {
		chg[id] = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	prevKeep := map[string][]leaderboardEntryJSON{}
	// The hub keeps subscribers grouped by page: one query and one encoded
	// frame per page, then a non-blocking queue push per subscriber.
	s.hub.ForLeaderboards(func(key string, sub realtime.LeaderboardSub, user int64, conns []*realtime.Conn) {
		page, err := s.boardPage(ctx, sub, user)
		if err != nil {
			s.log.Error("leaderboard page", "err", err)
			return
		}
		s.boardMu.Lock()
		prev, hadPrev := s.boardPrev[key]
		s.boardMu.Unlock()
		old := map[int64]leaderboardEntryJSON{}
		for _, e := range prev {
			old[e.UserID] = e
		}
		for _, e := range page.Entries {
			o, ok := old[e.UserID]
			if chg[e.UserID] || !ok || o.Rank != e.Rank || o.Rating != e.Rating || o.WeeklyXP != e.WeeklyXP {
				page.Changed = append(page.Changed, e.UserID)
			}
		}
		prevKeep[key] = page.Entries
		if len(page.Changed) == 0 && hadPrev && len(prev) == len(page.Entries) {
			return
		}
		frame := realtime.Encode("leaderboard.update", "", page)
		for _, c := range conns {
			c.Send(frame)
		}
	})
	s.boardMu.Lock()
	s.boardPrev = prevKeep
	s.boardMu.Unlock()
}
