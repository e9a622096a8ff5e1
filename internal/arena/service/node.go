package service

import (
	"context"
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

// The node side: every API node answers its own WebSocket clients (the
// hub's Handler), runs their operations through the operations table
// (ops.go), reads the store for leaderboards and snapshots, and tells the
// other nodes who is connected here.

// Opened tells every node at once that the user is here (a reconnect
// within the grace cancels the forfeit).
func (s *Service) Opened(c *realtime.Conn) {
	s.publishPresence(presenceMsg{User: c.User.ID, On: true, Count: s.onlineCount()})
}

// Closed reports the user gone once their last connection here closed.
func (s *Service) Closed(c *realtime.Conn) {
	s.chat.drop(chatSub{conn: c})
	if !s.connectedHere(c.User.ID) {
		s.publishPresence(presenceMsg{User: c.User.ID, On: false, Count: s.onlineCount()})
	}
}

// Request answers one valid client frame: the hub decoded and checked it;
// the operations table runs it where it belongs.
func (s *Service) Request(ctx context.Context, c *realtime.Conn, req realtime.Request) (protocol.Event, any, error) {
	r, err := s.do(ctx, call{User: c.User.ID, Node: s.node, At: s.clk.Now(), IP: c.IP, conn: c, id: req.ID}, req.Type, req.Data)
	if err != nil {
		return "", nil, err
	}
	if len(r.Push) > 0 {
		return r.Type, realtime.Reply{Data: r.Data, Push: r.Push}, nil
	}
	if r.Type == "" {
		return "", nil, nil
	}
	return r.Type, r.Data, nil
}

func (s *Service) hello(ctx context.Context, c call, _ *protocol.Hello) (result, error) {
	snap, err := s.snapshot(ctx, c)
	if err != nil {
		return result{}, err
	}
	return result{Type: protocol.EventSnapshot, Data: snap}, nil
}

// resume is hello followed by the restored subscriptions' current state:
// the leaderboard page and the spectated match.
func (s *Service) resume(ctx context.Context, c call, r *protocol.Resume) (result, error) {
	var push [][]byte
	if c.conn != nil {
		c.conn.SetLeaderboard(nil)
		if sub := r.Subscriptions.Leaderboard; sub != nil {
			if page, err := s.boardPage(ctx, *sub, c.User); err == nil {
				c.conn.SetLeaderboard(sub)
				push = append(push, realtime.Encode(protocol.EventLeaderboardUpdate, "", page))
			}
		}
		c.conn.SetSpectate("")
	}
	if id := r.Subscriptions.Spectate; id != "" {
		if rep, err := s.do(ctx, c, "spectate", &protocol.MatchRef{MatchID: id}); err == nil {
			push = append(push, realtime.Encode(rep.Type, "", rep.Data))
		}
	}
	snap, err := s.snapshot(ctx, c)
	if err != nil {
		return result{}, err
	}
	return result{Type: protocol.EventSnapshot, Data: snap, Push: push}, nil
}

// snapshot is everything a client shows: the matchmaker's part (lobby,
// queue, pending match, room) and, for a player in a match, its owner's
// part (the match, the player's code).
func (s *Service) snapshot(ctx context.Context, c call) (snapshotJSON, error) {
	prof, err := s.st.Profile(ctx, c.User)
	if err != nil {
		return snapshotJSON{}, fmt.Errorf("arena: profile: %w", err)
	}
	var u store.User
	if c.conn != nil {
		u = c.conn.User
	} else if u, err = s.st.UserByID(ctx, c.User); err != nil {
		return snapshotJSON{}, fmt.Errorf("arena: user: %w", err)
	}
	r, err := s.do(ctx, c, opLobbySnapshot, &protocol.Empty{})
	if err != nil {
		return snapshotJSON{}, err
	}
	ls, err := decodeResult[lobbySnapshotJSON](r)
	if err != nil {
		return snapshotJSON{}, err
	}
	snap := snapshotJSON{ServerNow: protocol.Time(s.clk.Now()),
		User:  meJSON{UserID: c.User, Username: u.Username, Rating: prof.Rating, RD: prof.RD, XP: prof.XP, Level: prof.Level},
		Lobby: ls.Lobby, Queue: ls.Queue, PendingMatch: ls.PendingMatch, Room: ls.Room, Rematch: ls.Rematch}
	if ls.MatchID != "" {
		r, err := s.do(ctx, c, opMatchSnapshot, &protocol.MatchRef{MatchID: ls.MatchID})
		switch {
		case errcode.CodeOf(err) == errcode.MatchNotFound:
			// It ended a moment ago: last_finished has it.
		case err != nil:
			return snapshotJSON{}, err
		default:
			ms, err := decodeResult[matchSnapshotJSON](r)
			if err != nil {
				return snapshotJSON{}, err
			}
			snap.Match, snap.MyCode = ms.Match, ms.MyCode
		}
	}
	if snap.Lobby.RecentMatches == nil {
		snap.Lobby.RecentMatches = []recentMatchJSON{}
	}
	if snap.Lobby.LiveMatches == nil {
		snap.Lobby.LiveMatches = []liveMatchJSON{}
	}
	if snap.Match == nil && snap.PendingMatch == nil {
		if snap.LastFinished, err = s.lastFinished(ctx, c.User); err != nil {
			return snapshotJSON{}, err
		}
	}
	return snap, nil
}

// run is code.run: the match's owner checks the match (running, you in
// it) and names the problem version; the run itself goes from this node
// to a worker and back, never through the owner.
func (s *Service) run(ctx context.Context, c call, d *protocol.CodeRun) (result, error) {
	if len(d.Code) > realtime.MaxCodeBytes {
		return result{}, &errcode.Error{Code: errcode.CodeTooLarge, Limit: realtime.MaxCodeBytes,
			Message: fmt.Sprintf("code is over %d KiB", realtime.MaxCodeBytes>>10)}
	}
	if d.Input != nil && len(*d.Input) > realtime.MaxInputBytes {
		return result{}, &errcode.Error{Code: errcode.InputTooLarge, Limit: realtime.MaxInputBytes,
			Message: fmt.Sprintf("custom input is over %d KiB", realtime.MaxInputBytes>>10)}
	}
	if s.opt.Runner == nil {
		return result{}, errcode.Errorf(errcode.Unavailable, "sample runs are not available on this server; submit instead")
	}
	r, err := s.do(ctx, c, opRunCheck, d)
	if err != nil {
		return result{}, err
	}
	t, err := decodeResult[runTarget](r)
	if err != nil || t.ProblemID == "" {
		return result{}, errors.Join(errors.New("arena: code.run check without a problem"), err)
	}
	res, err := s.opt.Runner.RunSamples(ctx, execution.RunRequest{UserID: c.User, ProblemID: t.ProblemID, ProblemVersion: t.Version,
		Lang: d.Lang, Source: []byte(d.Code), Input: d.Input, MatchID: d.MatchID, Priority: t.Priority, IP: c.IP})
	if t.Run != 0 {
		go s.runDone(c, d.MatchID, t.Run)
	}
	if err != nil {
		return result{}, err
	}
	out := runResultJSON{MatchID: d.MatchID, Results: []execution.RunTestResult{}}
	if res != nil {
		out.CompileError = res.CompileError
		if res.Results != nil {
			out.Results = res.Results
		}
	}
	return result{Type: protocol.EventRunResult, Data: out}, nil
}

func (s *Service) spectateStop(ctx context.Context, c call, _ *protocol.Empty) (result, error) {
	if c.conn != nil {
		c.conn.SetSpectate("")
	}
	if c.client != nil {
		c.client.spectate("")
	}
	return result{}, nil
}

func (s *Service) leaderboardSubscribe(ctx context.Context, c call, sub *protocol.LeaderboardSub) (result, error) {
	page, err := s.boardPage(ctx, *sub, c.User)
	if err != nil {
		return result{}, err
	}
	if c.conn != nil {
		c.conn.SetLeaderboard(sub)
	}
	return result{Type: protocol.EventLeaderboardUpdate, Data: page}, nil
}

func (s *Service) leaderboardUnsubscribe(ctx context.Context, c call, _ *protocol.Empty) (result, error) {
	if c.conn != nil {
		c.conn.SetLeaderboard(nil)
	}
	return result{}, nil
}

// lastFinishedWindow is how long after its end a match's result is still
// part of its players' snapshot.
const lastFinishedWindow = 10 * time.Minute

// lastFinished is the match.finished data of the user's latest match if it
// ended within lastFinishedWindow: a client that was away (or a push lost
// to a failover) still gets the result screen, with the coach's reports
// stored so far.
func (s *Service) lastFinished(ctx context.Context, user int64) (*matchFinishedJSON, error) {
	ms, err := s.st.RecentMatches(ctx, user, 1)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	m := ms[0]
	if m.State != store.MatchFinished || m.FinishedAt.IsZero() || s.clk.Now().Sub(m.FinishedAt) > lastFinishedWindow {
		return nil, nil
	}
	v, err := s.finishedViewOf(ctx, m)
	if err != nil {
		return nil, err
	}
	return &v, nil
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
func (s *Service) boardPage(ctx context.Context, sub protocol.LeaderboardSub, user int64) (leaderboardJSON, error) {
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

func (s *Service) readBoardPage(ctx context.Context, sub protocol.LeaderboardSub, user int64) (leaderboardJSON, error) {
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
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.UserID
	}
	streaks, err := s.st.WinStreaks(ctx, ids)
	if err != nil {
		return leaderboardJSON{}, err
	}
	for _, e := range es {
		v := entryView(e)
		v.WinStreak = streaks[e.UserID]
		out.Entries = append(out.Entries, v)
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
	s.hub.ForLeaderboards(func(key string, sub protocol.LeaderboardSub, user int64, conns []*realtime.Conn) {
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
		frame := realtime.Encode(protocol.EventLeaderboardUpdate, "", page)
		for _, c := range conns {
			c.Send(frame)
		}
	})
	s.boardMu.Lock()
	s.boardPrev = prevKeep
	s.boardMu.Unlock()
}
