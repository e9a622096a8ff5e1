// Package service wires the pure arena (matchmaking, match, rating, xp)
// into a running, multi-node, server-authoritative game: the WebSocket
// protocol of docs/protocol.md (through internal/realtime), the lobby and
// every live match run by the one node holding the leader lease, state
// persisted so another node carries on after a node dies, events fanned
// out across nodes through NATS, and the arena's REST endpoints.
//
// Call Start once per API node.
package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/arena/clock"
	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/arena/xp"
	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
)

// Judger queues submissions for the judge; *execution.Service implements
// it. Results come back as execution.Event on the user's event subject and
// in the store.
type Judger interface {
	SubmitRanked(ctx context.Context, req execution.SubmitRequest) (store.Submission, error)
	Submit(ctx context.Context, req execution.SubmitRequest) (store.Submission, error)
}

// Runner runs code on a problem's samples (or a custom input) on a judge
// worker, for code.run; *execution.Service implements it. Its errors are
// *errcode.Error with the submit codes. Without a Runner, code.run answers
// `unavailable`.
type Runner interface {
	RunSamples(ctx context.Context, req execution.RunRequest) (*execution.RunResult, error)
}

// LiveLanguages says which languages the judge workers offer now, without
// waiting (ok false: not known).
type LiveLanguages interface {
	LiveLanguages() (ids []string, ok bool)
}

// Options configure Start.
type Options struct {
	Store store.Store
	Bus   *bus.Bus // set up with bus.Setup (execution.BusConfig())
	Judge Judger
	// Runner is optional (see Runner).
	Runner Runner
	// Languages, when set, narrows the problem view's languages to those
	// the live judge workers offer; *execution.Service implements it.
	Languages LiveLanguages
	// TimeMultipliers are the workers' per-language time limit factors
	// (--time-multipliers): the problem view shows each language's own
	// limit, so a Python player sees the limit their code is judged with.
	TimeMultipliers problem.LanguageMultipliers
	// Catalog is the problem catalog (serve's, in the database): the
	// arena plays on its problems with an arena difficulty (Playable), so
	// an upload is playable without a restart. Playable, when set, is a
	// fixed set instead (tests, load tools).
	Catalog  *catalog.Catalog
	Playable *Playable
	Logger   *slog.Logger
	Clock    clock.Clock // default the system clock
	// Node names this API node (logs, presence); default hostname + random.
	Node string

	Match       match.Config       // zero: match.Default()
	Matchmaking matchmaking.Config // zero: matchmaking.Default()
	TimerEvery  time.Duration      // match timer resolution, default 50 ms
	TickEvery   time.Duration      // matchmaking tick, default 1 s
	// Pick chooses among equally good problems (tests); nil is random.
	Pick func(n int) int
	// WS configures the hub: Authenticate (required), SameOrigin and
	// WriteError come from the HTTP API (httpapi.Server's methods);
	// zero limits are the protocol's numbers. Mount the hub (Hub) and the
	// REST routes with httpapi.Server.MountArena.
	WS realtime.Options
	// OnFinish is called on the leader after a match is finished and
	// stored (load tools and tests).
	OnFinish func(id string, snap match.Snapshot)

	// afterFinishStored runs on the leader between storing a result and
	// announcing it (failover tests kill the leader there).
	afterFinishStored func(s *Service, id string)
}

// Service is one API node's arena.
type Service struct {
	opt      Options
	st       store.Store
	bus      *bus.Bus
	judge    Judger
	playable *Playable
	log      *slog.Logger
	clk      clock.Clock
	node     string
	hub      *realtime.Hub

	cancel context.CancelFunc
	wg     sync.WaitGroup
	subs   []*nats.Subscription

	boardMu    sync.Mutex
	boardTimer *time.Timer
	boardChg   []int64
	boardPrev  map[string][]leaderboardEntryJSON
	pageCache  map[string]cachedPage
	boardGen   atomic.Int64

	leading sync.Mutex // held while this node leads (Leading)
	isLead  bool
}

// Start builds the WebSocket hub (Hub: mount it with the REST routes by
// httpapi.Server.MountArena), subscribes to the event subjects and
// campaigns for the leader lease. Stop it with Stop after the HTTP server
// stopped accepting requests.
func Start(ctx context.Context, opt Options) (*Service, error) {
	if opt.Store == nil || opt.Bus == nil || opt.Judge == nil || opt.WS.Authenticate == nil {
		return nil, errors.New("arena: Start needs a store, a bus, a judge and WS.Authenticate")
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Clock == nil {
		opt.Clock = clock.System{}
	}
	if opt.Node == "" {
		host, _ := os.Hostname()
		opt.Node = host + "-" + newID()[:8]
	}
	if opt.Match.Durations == nil {
		opt.Match = match.Default()
	}
	if opt.Matchmaking.StepEvery == 0 {
		opt.Matchmaking = matchmaking.Default()
	}
	if opt.TimerEvery <= 0 {
		opt.TimerEvery = 50 * time.Millisecond
	}
	if opt.TickEvery <= 0 {
		opt.TickEvery = time.Second
	}
	if opt.Playable == nil {
		langs, err := judge.DefaultLanguages("")
		if err != nil {
			return nil, err
		}
		if opt.Catalog != nil {
			opt.Playable = PlayableFrom(opt.Catalog, langs.IDs())
			opt.Playable.log = opt.Logger.With("component", "arena-playable")
			if err := opt.Playable.Refresh(ctx); err != nil {
				opt.Logger.Warn("problem not used in matches", "err", err)
			}
		} else {
			// An arena without problems still serves sign-in, profiles and the
			// leaderboard; matches cannot start until problems are added.
			opt.Playable, _ = NewPlayable(nil, langs.IDs())
		}
		if opt.Playable.Len() == 0 {
			opt.Logger.Warn("no playable problems yet: matches cannot start until one with an arena difficulty is imported")
		}
	}
	opt.Playable.mult = opt.TimeMultipliers
	if opt.Languages != nil {
		opt.Playable.live = opt.Languages.LiveLanguages
	}
	s := &Service{opt: opt, st: opt.Store, bus: opt.Bus, judge: opt.Judge, playable: opt.Playable,
		log: opt.Logger.With("component", "arena", "node", opt.Node), clk: opt.Clock, node: opt.Node,
		boardPrev: map[string][]leaderboardEntryJSON{}, pageCache: map[string]cachedPage{}}

	wso := opt.WS
	wso.Handler = s
	wso.Logger = s.log
	hub, err := realtime.New(wso)
	if err != nil {
		return nil, err
	}
	s.hub = hub

	names := s.bus.Names
	for subj, fn := range map[string]nats.MsgHandler{
		names.AllUserEvents():     s.onUserEvent,
		names.AllMatchEvents():    s.onMatchEvent,
		names.LeaderboardEvents(): s.onBoardEvent,
	} {
		sub, err := s.bus.NC.Subscribe(subj, fn)
		if err != nil {
			s.unsubscribe()
			hub.Close()
			return nil, fmt.Errorf("arena: subscribe %s: %w", subj, err)
		}
		sub.SetPendingLimits(1<<20, 256<<20)
		s.subs = append(s.subs, sub)
	}
	if err := s.bus.NC.Flush(); err != nil {
		s.unsubscribe()
		hub.Close()
		return nil, fmt.Errorf("arena: flush subscriptions: %w", err)
	}
	lease, err := s.bus.Lease("arena-leader", s.node)
	if err != nil {
		s.unsubscribe()
		hub.Close()
		return nil, err
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		_ = lease.Campaign(rctx, s.lead)
	}()
	go func() {
		defer s.wg.Done()
		s.reportPresence(rctx)
	}()
	return s, nil
}

// Stop closes the WebSocket connections (1001: reconnect elsewhere), gives
// the leader lease up and unsubscribes.
func (s *Service) Stop() {
	s.hub.Close()
	s.cancel()
	s.wg.Wait()
	s.unsubscribe()
}

// Hub is this node's WebSocket hub (load tools).
func (s *Service) Hub() *realtime.Hub { return s.hub }

// Leading reports whether this node runs the matchmaker now.
func (s *Service) Leading() bool {
	s.leading.Lock()
	defer s.leading.Unlock()
	return s.isLead
}

func (s *Service) unsubscribe() {
	for _, sub := range s.subs {
		_ = sub.Unsubscribe()
	}
	s.subs = nil
}

// lead runs while this node holds the leader lease.
func (s *Service) lead(ctx context.Context) {
	e, err := newEngine(ctx, s)
	if err != nil {
		s.log.Error("cannot take over the arena", "err", err)
		time.Sleep(time.Second) // the store is down: let another node try
		return
	}
	s.leading.Lock()
	s.isLead = true
	s.leading.Unlock()
	defer func() {
		s.leading.Lock()
		s.isLead = false
		s.leading.Unlock()
	}()
	e.run(ctx)
}

// reportPresence tells the leader, every presenceEvery, which users have a
// connection here (the leader turns a silence into a disconnect).
func (s *Service) reportPresence(ctx context.Context) {
	t := time.NewTicker(presenceEvery)
	defer t.Stop()
	for {
		users := s.hub.Users()
		s.notify("presence", 0, presenceData{Online: users, Full: true, Count: len(users)})
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// compute is the one place ratings and XP are decided; FinishMatch runs it
// inside its transaction with the profiles it just read.
//
// Practice is unrated and has no result for the standings (win/loss/draw
// would count in the profile's record and in win streaks): its Result is
// "", and its XP is half the solve XP for a first Accepted on the problem
// ever (firstSolve).
func (s *Service) compute(lv *live, snap match.Snapshot, st []store.ArenaStanding, firstSolve map[int64]bool) ([]store.ArenaUpdate, error) {
	res := snap.Result
	byID := map[int64]store.ArenaStanding{}
	for _, p := range st {
		byID[p.Profile.UserID] = p
	}
	ups := make([]store.ArenaUpdate, 0, len(snap.Players))
	for _, p := range snap.Players {
		u := store.ArenaUpdate{UserID: p.ID, Place: slices.Index(res.Standings, p.ID) + 1}
		switch {
		case res.Winner == 0:
			u.Result = store.ResultDraw
		case res.Winner == p.ID:
			u.Result = store.ResultWin
		default:
			u.Result = store.ResultLoss
		}
		if lv.mode == "practice" {
			u.Result = ""
		}
		u.BestSubmissionID = bestSubmission(snap, p)
		ups = append(ups, u)
	}
	if lv.mode == "ranked" && len(ups) == 2 {
		a, b := byID[ups[0].UserID].Profile, byID[ups[1].UserID].Profile
		score := 0.5
		switch res.Winner {
		case a.UserID:
			score = 1
		case b.UserID:
			score = 0
		}
		ra, rb, err := rating.Default().Match(rating.Rating{R: a.Rating, RD: a.RD, Sigma: a.Volatility},
			rating.Rating{R: b.Rating, RD: b.RD, Sigma: b.Volatility}, score)
		if err != nil {
			return nil, err
		}
		for i, r := range []rating.Rating{ra, rb} {
			ups[i].Rated, ups[i].Rating, ups[i].RD, ups[i].Volatility = true, r.R, r.RD, r.Sigma
		}
	}
	dur := snap.Deadline.Sub(snap.StartAt)
	for i := range ups {
		u := &ups[i]
		var mp match.Player
		for _, p := range snap.Players {
			if p.ID == u.UserID {
				mp = p
			}
		}
		o := xp.Outcome{Mode: xp.Mode(lv.mode), Quit: mp.Out != "", Difficulty: xp.Difficulty(snap.Problem.Difficulty),
			Duration: dur, FirstSolve: firstSolve[u.UserID]}
		switch u.Result {
		case store.ResultWin:
			o.Result, o.Streak = xp.Win, byID[u.UserID].WinStreak+1
		case store.ResultDraw:
			o.Result = xp.Draw
		}
		if mp.Solved {
			for _, sub := range snap.Submissions {
				if sub.Player == mp.ID && sub.Accepted {
					o.Solved, o.SolveTime = true, min(max(0, sub.Received.Sub(snap.StartAt)), dur)
					break
				}
			}
		}
		award, err := xp.Compute(o)
		if err != nil {
			return nil, err
		}
		u.XP = award.Total
		u.Level = xp.Level(byID[u.UserID].Profile.XP + award.Total)
		u.XPBreakdown, _ = json.Marshal(map[string]int64{"participation": award.Participation, "win": award.Result,
			"solve": award.Solve, "speed": award.Speed, "streak": award.Streak})
	}
	return ups, nil
}

// firstSolves reports, for a practice match, whether its Accepted
// submission is the player's first on the problem ever. It reads the
// player's latest 1,000 submissions: an Accepted older than that counts as
// none (a very busy player may earn the practice XP of a problem again).
func (s *Service) firstSolves(ctx context.Context, lv *live, snap match.Snapshot) (map[int64]bool, error) {
	out := map[int64]bool{}
	if lv.mode != "practice" {
		return out, nil
	}
	mine := map[string]bool{}
	for _, sub := range snap.Submissions {
		mine[sub.ID] = true
	}
	for _, p := range snap.Players {
		if !p.Solved {
			continue
		}
		subs, err := s.st.UserSubmissions(ctx, p.ID, 1000)
		if err != nil {
			return nil, err
		}
		out[p.ID] = !slices.ContainsFunc(subs, func(sub store.Submission) bool {
			return !mine[sub.ID] && sub.ProblemID == snap.Problem.ID && sub.Result != nil && sub.Result.Verdict == "AC"
		})
	}
	return out, nil
}

// bestSubmission is the submission that set the player's best: the first
// Accepted, else the earliest reaching the most tests.
func bestSubmission(snap match.Snapshot, p match.Player) string {
	for _, sub := range snap.Submissions {
		if sub.Player == p.ID && sub.Accepted {
			return sub.ID
		}
	}
	if p.BestSeq >= 0 && p.BestSeq < len(snap.Submissions) {
		return snap.Submissions[p.BestSeq].ID
	}
	for i := len(snap.Submissions) - 1; i >= 0; i-- {
		if snap.Submissions[i].Player == p.ID {
			return snap.Submissions[i].ID
		}
	}
	return ""
}

var outcomes = map[string][2]string{
	string(match.Won):      {"won", "accepted"},
	string(match.Timeout):  {"timeout", "timeout"},
	string(match.Draw):     {"draw", "draw"},
	string(match.Forfeit):  {"forfeit", "forfeit"},
	string(match.Resigned): {"resigned", "resigned"},
}

// finishedView builds match.finished from the store: the same answer on
// every node, whoever finished the match.
func (s *Service) finishedView(ctx context.Context, id string) (matchFinishedJSON, error) {
	m, err := s.st.ArenaMatch(ctx, id)
	if err != nil {
		return matchFinishedJSON{}, err
	}
	return s.finishedViewOf(ctx, m)
}

// finishedViewOf is finishedView of a match row the caller already read.
func (s *Service) finishedViewOf(ctx context.Context, m store.ArenaMatch) (matchFinishedJSON, error) {
	id := m.ID
	oc := outcomes[m.Reason]
	if oc[0] == "" {
		oc = [2]string{m.Reason, m.Reason}
	}
	v := matchFinishedJSON{MatchID: id, Mode: protocol.Mode(m.Mode), Outcome: protocol.Outcome(oc[0]), Reason: oc[1], FinishedAt: protocol.Time(m.FinishedAt),
		Ratings: []ratingJSON{}, XP: []xpJSON{}, Solutions: []solutionJSON{}}
	if m.WinnerID != 0 {
		v.WinnerID = ptr(m.WinnerID)
	}
	var x matchExtras
	_ = json.Unmarshal(m.Snapshot, &x)
	for _, p := range m.Players {
		if m.Mode == "ranked" && len(m.Players) == 2 {
			v.Ratings = append(v.Ratings, ratingJSON{UserID: p.UserID, Before: p.RatingBefore, After: p.RatingAfter,
				Delta: p.RatingAfter - p.RatingBefore, RD: p.RDAfter})
		}
		xj := xpJSON{UserID: p.UserID, Gained: p.XPGained}
		if prof, err := s.st.Profile(ctx, p.UserID); err == nil {
			xj.Total, xj.Level = prof.XP, prof.Level
			xj.LevelUp = xp.Level(prof.XP-p.XPGained) < prof.Level
		}
		v.XP = append(v.XP, xj)
		if p.BestSubmissionID != "" {
			if sub, err := s.st.Submission(ctx, p.BestSubmissionID); err == nil {
				sol := solutionJSON{UserID: p.UserID, Username: p.Username, Lang: sub.Lang, Code: string(sub.Source), Verdict: "pending"}
				if sub.Result != nil {
					sol.Verdict, sol.Passed, sol.Total = protocol.Verdict(sub.Result.Verdict), sub.Result.Passed, sub.Result.Total
				}
				v.Solutions = append(v.Solutions, sol)
			}
		}
	}
	v.Coach = s.coachView(ctx, m)
	return v, nil
}

// --- cross-node events -------------------------------------------------------

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

func (s *Service) onUserEvent(m *nats.Msg) {
	// events.user.<id>: the last token is the user.
	var head struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(m.Data, &head) != nil {
		return
	}
	switch head.Type {
	case "arena":
		var ev userEvent
		if json.Unmarshal(m.Data, &ev) != nil {
			return
		}
		user := userOfSubject(m.Subject)
		if user == 0 {
			return
		}
		plain := realtime.Encode(ev.Frame, "", ev.Data)
		s.hub.ForUser(user, func(c *realtime.Conn) {
			if ev.Sub != "" {
				if id, ok := c.TakePending(ev.Sub); ok {
					c.Send(realtime.Encode(ev.Frame, id, ev.Data))
					return
				}
			}
			c.Send(plain)
		})
	case execution.EventType:
		var ev execution.Event
		if json.Unmarshal(m.Data, &ev) != nil || ev.MatchID == "" {
			return
		}
		var data map[string]any
		switch ev.Phase {
		case execution.PhaseCompiling:
			data = map[string]any{"test": 0, "total": ev.Total, "verdict": "pending", "phase": "compiling"}
		case execution.PhaseTesting:
			data = map[string]any{"test": ev.Test, "total": ev.Total, "verdict": ev.Verdict}
		default:
			return
		}
		data["match_id"], data["submission_id"] = ev.MatchID, ev.SubmissionID
		frame := realtime.Encode("submission.progress", "", data)
		s.hub.ForUser(ev.UserID, func(c *realtime.Conn) { c.Send(frame) })
	}
}

func userOfSubject(subj string) int64 {
	var id int64
	for i := len(subj) - 1; i >= 0; i-- {
		if subj[i] == '.' {
			_, err := fmt.Sscanf(subj[i+1:], "%d", &id)
			if err != nil {
				return 0
			}
			return id
		}
	}
	return 0
}

func (s *Service) onMatchEvent(m *nats.Msg) {
	var ev userEvent
	if json.Unmarshal(m.Data, &ev) != nil || ev.Type != "arena" {
		return
	}
	i := len(m.Subject) - 1
	for i >= 0 && m.Subject[i] != '.' {
		i--
	}
	matchID := m.Subject[i+1:]
	frame := realtime.Encode(ev.Frame, "", ev.Data)
	s.hub.ForSpectators(matchID, func(c *realtime.Conn) { c.Send(frame) })
}

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
		frame := realtime.Encode("lobby.state", "", ev.Lobby)
		s.hub.ForAll(func(c *realtime.Conn) { c.Send(frame) })
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
