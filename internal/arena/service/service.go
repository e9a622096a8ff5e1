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
	"math"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/arena/clock"
	"github.com/segfaultarena/segfault/internal/arena/fairplay"
	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/matchmaking"
	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/arena/xp"
	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
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
	// RematchTTL is how long a rematch offer stays open (default 30 s).
	RematchTTL time.Duration
	// RunMarkTTL is how long a player shows "running samples" when their
	// node never says the run was answered and stays live (default 90 s,
	// past execution's sample-run timeout of 60 s); see activity.go.
	RunMarkTTL time.Duration
	// Pick chooses among equally good problems (tests); nil is random.
	Pick func(n int) int
	// WS configures the hub: Authenticate (required), SameOrigin and
	// WriteError come from the HTTP API (httpapi.Server's methods);
	// zero limits are the protocol's numbers. Mount the hub (Hub) and the
	// REST routes with httpapi.Server.MountArena.
	WS realtime.Options
	// FairPlay are the rules of rated play (ranked eligibility, results
	// that count, repeated pairings); nil: fairplay.Default(). A zero
	// Rules opens everything (load tools).
	FairPlay *fairplay.Rules
	// LiveEditors lists the queued modes (ranked, casual, ffa) whose new
	// matches let spectators watch the players' editors live; nil: none
	// (rooms: their host chooses). See liveeditors.go.
	LiveEditors map[protocol.Mode]bool

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

	members  *members
	shard    *shard
	presence *presenceTable
	leader   atomic.Pointer[leader] // set while this node runs the matchmaker
	clients  localClients
	chat     *chatHub  // chat.go
	pub      publisher // hands the fan-out's frames to NATS in groups

	cancel context.CancelFunc
	wg     sync.WaitGroup
	subs   []*nats.Subscription

	boardMu    sync.Mutex
	boardTimer *time.Timer
	boardChg   []int64
	boardPrev  map[string][]leaderboardEntryJSON
	pageCache  map[string]cachedPage
	boardGen   atomic.Int64
}

// Start builds the WebSocket hub (Hub: mount it with the REST routes by
// httpapi.Server.MountArena), joins the API nodes (membership, presence,
// the matches it owns), consumes judge results and campaigns for the
// matchmaker lease. Stop it with Stop after the HTTP server stopped
// accepting requests.
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
	opt.Node = nodeToken(opt.Node)
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
	if opt.RematchTTL <= 0 {
		opt.RematchTTL = rematchTTL
	}
	if opt.RunMarkTTL <= 0 {
		opt.RunMarkTTL = runMarkTTL
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
	s.presence = newPresence(s.clk.Now)
	s.clients.byUser = map[int64][]*Client{}

	wso := opt.WS
	wso.Handler = s
	wso.Logger = s.log
	hub, err := realtime.New(wso)
	if err != nil {
		return nil, err
	}
	s.hub = hub
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	fail := func(err error) (*Service, error) {
		cancel()
		s.unsubscribe()
		hub.Close()
		return nil, err
	}

	s.shard = newShard(rctx, s)
	s.members = newMembers(s.bus.Leases(), s.node, s.bus.Config.LeaseTTL, s.log, s.shard.onView)
	names := s.bus.Names
	own, err := names.NodeRequests(s.node)
	if err != nil {
		return fail(err)
	}
	for subj, fn := range map[string]nats.MsgHandler{
		names.AllUserEvents():     s.onUserEvent,
		names.AllMatchEvents():    s.onMatchEvent,
		names.LeaderboardEvents(): s.onBoardEvent,
		names.Presence():          s.onPresence,
		names.SessionsEnded():     s.onSessionsEnded,
		own:                       func(m *nats.Msg) { go s.serve(rctx, m) },
	} {
		sub, err := s.bus.NC.Subscribe(subj, fn)
		if err != nil {
			return fail(fmt.Errorf("arena: subscribe %s: %w", subj, err))
		}
		sub.SetPendingLimits(1<<20, 256<<20)
		s.subs = append(s.subs, sub)
	}
	if err := s.bus.NC.Flush(); err != nil {
		return fail(fmt.Errorf("arena: flush subscriptions: %w", err))
	}
	if s.chat, err = startChat(rctx, s); err != nil {
		return fail(err)
	}
	if err := s.members.beat(rctx); err != nil {
		return fail(err)
	}
	lease, err := s.bus.Lease("arena-leader", s.node)
	if err != nil {
		return fail(err)
	}
	for _, loop := range []func(){
		func() { s.members.run(rctx) },
		func() { s.shard.claimLoop() },
		func() { s.shard.timerLoop() },
		func() { s.shard.saveLoop() },
		func() { s.shard.saveLoop() },
		func() { s.shard.presenceLoop() },
		func() { s.reportPresence(rctx) },
		func() { s.refreshLoop(rctx) },
		func() { _ = lease.Campaign(rctx, s.lead) },
		func() {
			// Judge results, shared with the other nodes: each goes to its
			// match's owner.
			for rctx.Err() == nil {
				if err := jobs.HandleResults(rctx, s.bus, s.log, s.onResult); err != nil && rctx.Err() == nil {
					s.log.Error("consume judge results; retrying", "err", err)
					time.Sleep(time.Second)
				}
			}
		},
	} {
		s.wg.Add(1)
		go func() { defer s.wg.Done(); loop() }()
	}
	select {
	case <-s.members.ready:
	case <-time.After(10 * time.Second):
		return fail(errors.New("arena: no membership view after 10 s"))
	}
	return s, nil
}

// nodeToken makes a node name usable as a NATS subject token and KV key.
func nodeToken(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// Stop closes the WebSocket connections (1001: reconnect elsewhere),
// leaves the membership (its matches move at once), gives the matchmaker
// lease up and unsubscribes.
func (s *Service) Stop() {
	s.hub.Close()
	s.cancel()
	s.wg.Wait()
	s.unsubscribe()
}

// Hub is this node's WebSocket hub (load tools).
func (s *Service) Hub() *realtime.Hub { return s.hub }

// Node is this node's name.
func (s *Service) Node() string { return s.node }

// Leading reports whether this node runs the matchmaker now.
func (s *Service) Leading() bool { return s.leader.Load() != nil }

// Owned is the number of live matches this node owns.
func (s *Service) Owned() int { return s.shard.count() }

// OwnerOf is the node owning match id in this node's current view.
func (s *Service) OwnerOf(id string) string { return s.members.view().owner(id) }

func (s *Service) currentLeader() *leader { return s.leader.Load() }

func (s *Service) unsubscribe() {
	for _, sub := range s.subs {
		_ = sub.Unsubscribe()
	}
	s.subs = nil
}

// lead runs while this node holds the matchmaker lease.
func (s *Service) lead(ctx context.Context) {
	l, err := newLeader(ctx, s)
	if err != nil {
		s.log.Error("cannot take over the matchmaker", "err", err)
		time.Sleep(time.Second) // the store is down: let another node try
		return
	}
	s.leader.Store(l)
	defer s.leader.Store(nil)
	l.run()
}

// reportPresence tells every node, every presenceEvery, which users have a
// connection here (a silence counts as their disconnection).
func (s *Service) reportPresence(ctx context.Context) {
	t := time.NewTicker(presenceEvery)
	defer t.Stop()
	for {
		users := s.connectedUsers()
		s.publishPresence(presenceMsg{Online: users, Full: true, Count: len(users)})
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refreshLoop reloads the playable problems once a second in the
// background: a new upload or re-import is unpacked and loaded without
// holding anything (a big package takes a while), and matches starting
// after that use it.
func (s *Service) refreshLoop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c, cancel := opCtx(ctx)
		if err := s.playable.Refresh(c); err != nil && ctx.Err() == nil {
			s.log.Warn("playable problems refresh", "err", err)
		}
		cancel()
	}
}

func opCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// userInfo reads a user's name, rating and level (the store is the truth;
// its errors are the caller's).
func (s *Service) userInfo(ctx context.Context, id int64) (playerInfo, error) {
	u, err := s.st.UserByID(ctx, id)
	if err != nil {
		return playerInfo{}, fmt.Errorf("arena: user %d: %w", id, err)
	}
	p, err := s.st.Profile(ctx, id)
	if err != nil {
		return playerInfo{}, fmt.Errorf("arena: profile of %d: %w", id, err)
	}
	streak, err := s.st.WinStreak(ctx, id)
	if err != nil {
		return playerInfo{}, fmt.Errorf("arena: win streak of %d: %w", id, err)
	}
	return playerInfo{UserID: id, Username: u.Username, Rating: p.Rating, RD: p.RD, Level: p.Level, WinStreak: streak}, nil
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
//
// A match that does not count (fairplay.Rules.Counts) has no result, no
// rating change and no XP for anyone; weight (pairWeights: a player
// absent counts 1) scales the rating change and the XP of repeated
// pairings.
func (s *Service) compute(mode string, snap match.Snapshot, st []store.ArenaStanding, firstSolve map[int64]bool, weight map[int64]float64) ([]store.ArenaUpdate, error) {
	res := snap.Result
	counts := s.fair().Counts(snap)
	w := func(id int64) float64 {
		if v, ok := weight[id]; ok && v > 0 && v <= 1 {
			return v
		}
		return 1
	}
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
		if mode == "practice" || !counts {
			u.Result = ""
		}
		u.BestSubmissionID = bestSubmission(snap, p)
		ups = append(ups, u)
	}
	if !counts {
		for i := range ups {
			ups[i].Level = byID[ups[i].UserID].Profile.Level
			ups[i].XPBreakdown = []byte(`{}`)
		}
		return ups, nil
	}
	if mode == "ranked" && len(ups) == 2 {
		a, b := byID[ups[0].UserID].Profile, byID[ups[1].UserID].Profile
		score := 0.5
		switch res.Winner {
		case a.UserID:
			score = 1
		case b.UserID:
			score = 0
		}
		ra, rb, err := rating.Default().MatchWeighted(rating.Rating{R: a.Rating, RD: a.RD, Sigma: a.Volatility},
			rating.Rating{R: b.Rating, RD: b.RD, Sigma: b.Volatility}, score, min(w(a.UserID), w(b.UserID)))
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
		o := xp.Outcome{Mode: xp.Mode(mode), Quit: mp.Out != "", Difficulty: xp.Difficulty(snap.Problem.Difficulty),
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
		u.XP = int64(math.Floor(float64(award.Total) * w(u.UserID)))
		u.Level = xp.Level(byID[u.UserID].Profile.XP + u.XP)
		br := map[string]int64{"participation": award.Participation, "win": award.Result,
			"solve": award.Solve, "speed": award.Speed, "streak": award.Streak}
		if u.XP != award.Total {
			br["repeat_pairing"] = u.XP - award.Total
		}
		u.XPBreakdown, _ = json.Marshal(br)
	}
	return ups, nil
}

// firstSolves reports, for a practice match, whether its Accepted
// submission is the player's first on the problem ever. It reads the
// player's latest 1,000 submissions: an Accepted older than that counts as
// none (a very busy player may earn the practice XP of a problem again).
func (s *Service) firstSolves(ctx context.Context, mode string, snap match.Snapshot) (map[int64]bool, error) {
	out := map[int64]bool{}
	if mode != "practice" {
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
// Accepted (in a shortest match the shortest, in a bigo match the first
// not measured slower, if any), else the earliest reaching the most tests.
func bestSubmission(snap match.Snapshot, p match.Player) string {
	best := -1
	for i, sub := range snap.Submissions {
		if sub.Player != p.ID || !sub.Accepted {
			continue
		}
		switch {
		case best < 0:
			best = i
		case snap.Rule == match.Shortest && sub.Chars < snap.Submissions[best].Chars:
			best = i
		case snap.Rule == match.BigO && snap.Submissions[best].Measure == match.MeasureSlower && sub.Measure != match.MeasureSlower:
			best = i
		}
	}
	if best >= 0 {
		return snap.Submissions[best].ID
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
	// A shortest match decided by the Accepted solutions' characters.
	string(match.ShortestCode): {"shortest", "shortest"},
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
	v := matchFinishedJSON{MatchID: id, Mode: protocol.Mode(m.Mode), Rule: ruleOf(m.Rule), Outcome: protocol.Outcome(oc[0]), Reason: oc[1], FinishedAt: protocol.Time(m.FinishedAt),
		Ratings: []ratingJSON{}, XP: []xpJSON{}, Solutions: []solutionJSON{}}
	// The measurements of a bigo match are in its snapshot.
	var x matchExtras
	if v.Rule == protocol.RuleBigO {
		_ = json.Unmarshal(m.Snapshot, &x) // unreadable: no measures shown
	}
	if m.WinnerID != 0 {
		v.WinnerID = ptr(m.WinnerID)
	}
	for _, p := range m.Players {
		if m.Mode == "ranked" && len(m.Players) == 2 {
			v.Ratings = append(v.Ratings, ratingJSON{UserID: p.UserID, Before: p.RatingBefore, After: p.RatingAfter,
				Delta: p.RatingAfter - p.RatingBefore, RD: p.RDAfter})
		}
		prof, err := s.st.Profile(ctx, p.UserID)
		if err != nil {
			return matchFinishedJSON{}, fmt.Errorf("arena: profile of %d: %w", p.UserID, err)
		}
		streak, err := s.st.WinStreak(ctx, p.UserID)
		if err != nil {
			return matchFinishedJSON{}, fmt.Errorf("arena: win streak of %d: %w", p.UserID, err)
		}
		v.XP = append(v.XP, xpJSON{UserID: p.UserID, Gained: p.XPGained, Total: prof.XP, Level: prof.Level,
			LevelUp: xp.Level(prof.XP-p.XPGained) < prof.Level, WinStreak: streak})
		if p.BestSubmissionID == "" {
			continue
		}
		sub, err := s.st.Submission(ctx, p.BestSubmissionID)
		if errors.Is(err, store.ErrNotFound) {
			continue // a load tool's fake judge stores no submissions
		}
		if err != nil {
			return matchFinishedJSON{}, fmt.Errorf("arena: best submission of %d: %w", p.UserID, err)
		}
		sol := solutionJSON{UserID: p.UserID, Username: p.Username, Lang: sub.Lang, Code: string(sub.Source), Verdict: "pending",
			Chars: match.CountChars(string(sub.Source))}
		if sub.Result != nil {
			sol.Verdict, sol.Passed, sol.Total = protocol.Verdict(sub.Result.Verdict), sub.Result.Passed, sub.Result.Total
		}
		sol.Measure = measureOf(x.Match, sub.ID)
		v.Solutions = append(v.Solutions, sol)
	}
	coach, err := s.coachView(ctx, m)
	if err != nil {
		return matchFinishedJSON{}, err
	}
	v.Coach = coach
	return v, nil
}
