package service

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/replay"
	"github.com/segfaultarena/segfault/internal/store"
)

// A live match is owned by exactly one node (see members.go). Its state is
// guarded by its own mutex, which is held only to change memory: every
// action runs under it (do), records what must follow (frames to push, a
// snapshot to save, the finish), and a runner goroutine of that match
// performs those in order with the mutex released. So no lock is held
// during store or network I/O, a slow write delays only its own match,
// and a match's frames leave in the order its changes happened.

type playerInfo struct {
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Rating   float64 `json:"rating"`
	RD       float64 `json:"rd"`
	Level    int     `json:"level"`
	// WinStreak: consecutive wins when the match was made.
	WinStreak int `json:"win_streak,omitempty"`
}

type liveProgress struct {
	LastVerdict string
	Total       int
	Submissions int
	Typing      bool
	TypingAt    time.Time // when Typing last changed
	TypingSeen  time.Time // the last active:true (Typing expires typingTTL after it)
	// runs are the player's sample runs on a worker now, by run number:
	// set by runCheck, cleared by the player's node (match.run.done), or
	// expired (see expireActivity).
	runs       map[uint64]runMark
	Lang, Code string
	Running    bool // one submission at a time
	// registering is closed once the submission in flight is registered
	// (or refused): a verdict that overtakes it waits for it.
	registering chan struct{}
}

// outMsg is one frame for a user (user != 0) or the match's spectators.
type outMsg struct {
	user  int64
	frame protocol.Event
	data  any
	sub   string // the submission whose result answers a code.submit
	same  bool   // data is the previous message's (deliver encodes it once)
}

type live struct {
	id  string
	sh  *shard
	cfg match.Config

	// Set at creation or restore, never changed.
	mode     protocol.Mode
	private  bool
	players  []playerInfo
	problem  *ProblemInfo
	fence    int64
	restored bool
	// tl records the players' editors (editor.batch) for the replay.
	tl *replay.Recorder
	// ghost is the ghost a practice races (ghostrace.go), nil for none.
	ghost *ghostLane
	// liveEditors: spectators watch the editors live (liveeditors.go).
	liveEditors bool

	mu       sync.Mutex
	m        *match.Match
	progress map[int64]*liveProgress
	runSeq   uint64 // sample runs counted so far (numbers liveProgress.runs)
	liveEd   map[int64]*liveEditor
	gone     bool      // ownership moved away: nothing more is written or pushed
	settle   time.Time // a restored match's deadline is held until then (forwardSettle)

	out       []outMsg
	dirty     bool   // the snapshot changed since the last save
	version   uint64 // changes so far
	saved     uint64 // changes persisted
	savedCh   chan struct{}
	finishing bool
	finished  bool
	done      chan struct{} // closed when the result is stored
	// released is closed once the matchmaker freed the players (after
	// done): a player told "finished" by the reply to their resignation
	// may queue again at once.
	released chan struct{}
	running  bool      // a runner is draining
	timerAt  time.Time // the instant the shard's timer wheel holds for this match
}

// errMoved means the match is no longer owned here: the caller retries on
// the new owner.
var errMoved = errcode.New(codeMoved, "the match moved to another node")

// codeMoved and codeNotLeader never reach a client: the calling node
// retries (see Service.forward) and answers unavailable when it gives up.
const (
	codeMoved     errcode.Code = "match_moved"
	codeNotLeader errcode.Code = "not_leader"
)

func newLive(sh *shard, id string, cfg match.Config, m *match.Match, mode protocol.Mode, private bool, players []playerInfo,
	problem *ProblemInfo, fence int64) *live {
	lv := &live{id: id, sh: sh, cfg: cfg, m: m, mode: mode, private: private, players: players, problem: problem, fence: fence,
		progress: map[int64]*liveProgress{}, liveEd: map[int64]*liveEditor{}, savedCh: make(chan struct{}), done: make(chan struct{}),
		released: make(chan struct{}), tl: replay.NewRecorder(replay.DefaultLimits())}
	for _, p := range players {
		lv.progress[p.UserID] = &liveProgress{}
	}
	return lv
}

// do runs fn on the match under its lock, then records what changed. It
// returns the change count after fn: waitSaved(version) waits until that
// is in the store.
func (lv *live) do(fn func() error) (uint64, error) {
	lv.mu.Lock()
	if lv.gone {
		lv.mu.Unlock()
		return 0, errMoved
	}
	now := lv.sh.s.clk.Now()
	if !lv.settle.IsZero() && !now.Before(lv.settle) {
		lv.settle = time.Time{}
		lv.m.Release()
	}
	err := fn()
	lv.absorb()
	lv.ghostTick(now)
	ver := lv.version
	next, ok := lv.m.NextTimer()
	if at, gok := lv.ghostNext(); gok && (!ok || at.Before(next)) {
		next, ok = at, true
	}
	if !lv.settle.IsZero() && (!ok || lv.settle.Before(next)) {
		next, ok = lv.settle, true
	}
	start := !lv.running && (len(lv.out) > 0 || lv.dirty || lv.finishing && !lv.finished)
	if start {
		lv.running = true
	}
	lv.mu.Unlock()
	if ok {
		lv.sh.schedule(lv, next)
	}
	if start {
		go lv.run()
	}
	return ver, err
}

// absorb turns the match's events into work for the runner (lv.mu held).
func (lv *live) absorb() {
	evs := lv.m.Events()
	if len(evs) == 0 {
		return
	}
	lv.version++
	lv.dirty = true
	stateChanged := false
	for _, ev := range evs {
		switch ev.Kind {
		case "state":
			stateChanged = true
		case "disconnected", "reconnected", "out", "measured":
			lv.pushProgress(ev.Player, true)
		}
	}
	if lv.m.State().Terminal() {
		lv.finishing = true
		return
	}
	if stateChanged {
		lv.pushState()
	}
}

// run performs the recorded work in order: save, push, finish.
func (lv *live) run() {
	s := lv.sh.s
	for {
		lv.mu.Lock()
		if lv.sh.ctx.Err() != nil {
			lv.gone = true // this node stops: the match's next owner carries on
		}
		if lv.gone {
			lv.out, lv.running = nil, false
			lv.mu.Unlock()
			return
		}
		var rec *store.ArenaMatch
		ver := lv.version
		if lv.dirty && !lv.finishing {
			r := lv.record()
			rec, lv.dirty = &r, false
		}
		out := lv.out
		lv.out = nil
		fin := lv.finishing && !lv.finished
		if rec == nil && len(out) == 0 && !fin {
			lv.running = false
			lv.mu.Unlock()
			return
		}
		lv.mu.Unlock()

		if rec != nil {
			if err := lv.save(*rec); err != nil {
				if errors.Is(err, store.ErrFenced) {
					lv.sh.lose(lv, err)
					return
				}
				// The store is down: keep the pushes coming (the game goes
				// on) and write the latest state again in a second.
				s.log.Error("save match", "match", lv.id, "err", err)
				lv.mu.Lock()
				lv.dirty = true
				lv.mu.Unlock()
				time.Sleep(time.Second)
			} else {
				lv.markSaved(ver)
			}
		}
		s.deliver(lv.id, out)
		if fin && !lv.finish() {
			time.Sleep(time.Second) // the store refused: retry
		}
	}
}

func (lv *live) save(rec store.ArenaMatch) error {
	c, cancel := context.WithTimeout(lv.sh.ctx, 10*time.Second)
	defer cancel()
	return lv.sh.save(c, rec)
}

func (lv *live) markSaved(ver uint64) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if ver > lv.saved {
		lv.saved = ver
		close(lv.savedCh)
		lv.savedCh = make(chan struct{})
	}
}

// waitSaved waits until change ver is in the store.
func (lv *live) waitSaved(ctx context.Context, ver uint64) error {
	for {
		lv.mu.Lock()
		saved, gone, ch := lv.saved, lv.gone, lv.savedCh
		lv.mu.Unlock()
		switch {
		case saved >= ver || lv.finishedNow():
			return nil
		case gone:
			return errMoved
		}
		select {
		case <-ctx.Done():
			return errcode.Errorf(errcode.Unavailable, "the match could not be saved in time; retry in a moment")
		case <-ch:
		}
	}
}

// finishedNow reports whether the result is stored: later changes (a
// verdict after the end) are history only, never saved.
func (lv *live) finishedNow() bool {
	select {
	case <-lv.done:
		return true
	default:
		return false
	}
}

// record is the store row of the match now (lv.mu held).
func (lv *live) record() store.ArenaMatch {
	snap := lv.m.Snapshot()
	am := store.ArenaMatch{ID: lv.id, Mode: string(lv.mode), Rule: string(snap.Rule.Or()), State: string(snap.State), CreatedAt: snap.Created, StartsAt: snap.StartAt,
		Deadline: snap.Deadline, Snapshot: lv.extras(snap), Fence: lv.fence, LiveEditors: lv.liveEditors}
	if lv.problem != nil {
		am.ProblemID, am.ProblemVersion, am.ProblemTitle, am.ProblemDifficulty = lv.problem.ID, lv.problem.Version, lv.problem.Title, lv.problem.Rating
	}
	for _, p := range lv.players {
		am.Players = append(am.Players, store.ArenaPlayer{UserID: p.UserID, RatingBefore: p.Rating, RDBefore: p.RD})
	}
	return am
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
	// Ghost is the ghost a practice races (ghostrace.go).
	Ghost *ghostRef `json:"ghost,omitempty"`
}

func (lv *live) extras(snap match.Snapshot) []byte {
	x := matchExtras{Match: snap, Players: lv.players, Private: lv.private}
	if lv.ghost != nil {
		x.Ghost = &lv.ghost.ref
	}
	if lv.problem != nil {
		x.ProblemVersion = lv.problem.Version
	}
	if d, ok := lv.cfg.DurationFor(match.Easy); ok && lv.cfg.Durations[match.Hard] == d && lv.sh.s.opt.Match.Durations[match.Easy] != d {
		x.DurationS = int(d / time.Second)
	}
	b, _ := json.Marshal(x)
	return b
}

// --- views (lv.mu held) ------------------------------------------------------

func (lv *live) playerView(p playerInfo, snap match.Snapshot) playerJSON {
	pj := playerJSON{UserID: p.UserID, Username: p.Username, Rating: p.Rating, RD: p.RD, Level: p.Level, Connected: true, WinStreak: p.WinStreak}
	for _, mp := range snap.Players {
		if mp.ID != p.UserID {
			continue
		}
		pj.Accepted = mp.Accepted
		pj.TestsPassed = mp.Best
		if snap.Rule == match.BigO {
			for i := len(snap.Submissions) - 1; i >= 0; i-- {
				if sub := snap.Submissions[i]; sub.Player == p.UserID && sub.Accepted {
					pj.Measure = measureOf(snap, sub.ID)
					break
				}
			}
		}
		pj.Finished = mp.Out != "" || snap.State.Terminal()
		if !mp.DisconnectedAt.IsZero() {
			pj.Connected = false
			pj.GraceDeadline = protocol.TimePtr(mp.DisconnectedAt.Add(lv.cfg.DisconnectGrace))
		}
	}
	if pr := lv.progress[p.UserID]; pr != nil {
		pj.TestsTotal, pj.Submissions, pj.Typing, pj.RunningSamples = pr.Total, pr.Submissions, pr.Typing, len(pr.runs) > 0
		if pr.LastVerdict != "" {
			pj.LastVerdict = ptr(protocol.Verdict(pr.LastVerdict))
		}
	}
	return pj
}

func (lv *live) stateView(you int64) matchStateJSON {
	snap := lv.m.Snapshot()
	v := matchStateJSON{MatchID: lv.id, Mode: lv.mode, Rule: protocol.Rule(snap.Rule.Or()), State: protocolState(snap.State), ServerNow: protocol.Time(lv.sh.s.clk.Now()),
		StartsAt: protocol.TimePtr(snap.StartAt), Deadline: protocol.TimePtr(snap.Deadline), Players: []playerJSON{}}
	if you != 0 {
		v.You = ptr(you)
	} else {
		v.Spectating = true
	}
	if !snap.Deadline.IsZero() {
		v.DurationS = int(snap.Deadline.Sub(snap.StartAt) / time.Second)
	}
	if lv.problem != nil && snap.State != match.Found {
		pj := lv.sh.s.playable.view(lv.problem)
		if snap.Rule == match.Reverse && !snap.State.Terminal() {
			// Reverse: the players work the task out from the samples;
			// nobody (spectators neither: they may be a player's friend)
			// reads the statement until the match is over.
			pj.Statement, pj.StatementHidden = "", true
		}
		v.Problem = &pj
	}
	v.Ghost = lv.ghostInfo()
	v.LiveEditors = lv.liveEditors
	for _, p := range lv.players {
		v.Players = append(v.Players, lv.playerView(p, snap))
	}
	return v
}

func (lv *live) progressView(user int64) progressJSON {
	for _, p := range lv.players {
		if p.UserID == user {
			// playerView reads the players and the state only, but for a
			// bigo match's measure: that one is in the submissions.
			snap := match.Snapshot{State: lv.m.State(), Players: lv.m.Players()}
			if lv.m.Rule() == match.BigO {
				snap = lv.m.Snapshot()
			}
			pj := lv.playerView(p, snap)
			return progressJSON{MatchID: lv.id, UserID: user, TestsPassed: pj.TestsPassed, TestsTotal: pj.TestsTotal,
				LastVerdict: pj.LastVerdict, Submissions: pj.Submissions, Typing: pj.Typing, RunningSamples: pj.RunningSamples, Connected: pj.Connected,
				GraceDeadline: pj.GraceDeadline, ServerNow: protocol.Time(lv.sh.s.clk.Now()), Measure: pj.Measure}
		}
	}
	return progressJSON{MatchID: lv.id, UserID: user}
}

// pushState queues match.state for every player and the spectators.
func (lv *live) pushState() {
	for _, p := range lv.players {
		lv.out = append(lv.out, outMsg{user: p.UserID, frame: protocol.EventMatchState, data: lv.stateView(p.UserID)})
	}
	if !lv.private {
		lv.out = append(lv.out, outMsg{frame: protocol.EventMatchState, data: lv.stateView(0)})
	}
}

// pushProgress queues one player's public progress for the other players
// (and the player too with self: their own card shows their connection
// and verdict from it) and the spectators. It never contains code.
func (lv *live) pushProgress(user int64, self bool) {
	v := lv.progressView(user)
	same := false
	for _, p := range lv.players {
		if p.UserID != user || self {
			lv.out = append(lv.out, outMsg{user: p.UserID, frame: protocol.EventOpponentProgress, data: v, same: same})
			same = true
		}
	}
	if !lv.private {
		lv.out = append(lv.out, outMsg{frame: protocol.EventOpponentProgress, data: v, same: same})
	}
}

// pushAll queues a frame for every player and the spectators.
func (lv *live) pushAll(frame protocol.Event, data any) {
	for i, p := range lv.players {
		lv.out = append(lv.out, outMsg{user: p.UserID, frame: frame, data: data, same: i > 0})
	}
	if !lv.private {
		lv.out = append(lv.out, outMsg{frame: frame, data: data, same: len(lv.players) > 0})
	}
}

func (lv *live) isPlayer(user int64) bool {
	_, ok := lv.progress[user]
	return ok
}

// --- finishing -------------------------------------------------------------

// finish applies the result in one store transaction (idempotent per
// match, fenced), frees the players in the lobby and tells everyone. It
// runs on the match's runner; false means the store refused (retried).
func (lv *live) finish() bool {
	s := lv.sh.s
	lv.mu.Lock()
	snap := lv.m.Snapshot()
	extras := lv.extras(snap)
	lv.mu.Unlock()
	c, cancel := context.WithTimeout(lv.sh.ctx, 10*time.Second)
	defer cancel()
	state := store.MatchFinished
	if snap.State == match.Cancelled {
		state = store.MatchCancelled
	}
	fin := store.ArenaFinish{MatchID: lv.id, State: state, Reason: string(snap.Result.Reason), WinnerID: snap.Result.Winner,
		FinishedAt: snap.EndedAt, Snapshot: extras, Fence: lv.fence}
	// Marked before it is stored, unmarked once announced: an owner dying
	// in between leaves the mark, and the next owner announces the result.
	s.markUnannounced(c, lv.id)
	first, err := s.firstSolves(c, string(lv.mode), snap)
	var weight map[int64]float64
	if err == nil {
		weight, err = s.pairWeights(c, string(lv.mode), snap)
	}
	if err == nil {
		_, err = s.st.FinishMatch(c, fin, func(st []store.ArenaStanding) ([]store.ArenaUpdate, error) {
			return s.compute(string(lv.mode), snap, st, first, weight)
		})
	}
	if errors.Is(err, store.ErrFenced) {
		lv.sh.lose(lv, err)
		return true
	}
	if err != nil {
		s.log.Error("finish match; retrying", "match", lv.id, "err", err)
		return false
	}
	lv.mu.Lock()
	lv.finished = true
	if lv.version > lv.saved {
		lv.saved = lv.version
		close(lv.savedCh)
		lv.savedCh = make(chan struct{})
	}
	lv.mu.Unlock()
	close(lv.done)
	if s.opt.afterFinishStored != nil {
		s.opt.afterFinishStored(s, lv.id)
	}
	lv.sh.remove(lv)
	lv.finishTimeline()
	users := make([]int64, 0, len(lv.players))
	for _, p := range lv.players {
		users = append(users, p.UserID)
	}
	// Freed before anyone is told: a player who sees match.finished (the
	// resignation's reply waits for released, the push comes after) can
	// queue again at once.
	s.releasePlayers(lv.sh.ctx, lv.id, users)
	close(lv.released)
	if err := s.announceFinished(lv.sh.ctx, lv.id); err != nil {
		s.log.Error("announce finished match; the next sweep retries", "match", lv.id, "err", err)
	}
	s.log.Info("match finished", "match", lv.id, "reason", snap.Result.Reason, "winner", snap.Result.Winner,
		"late_ms", s.clk.Now().Sub(snap.EndedAt).Milliseconds())
	if s.opt.OnFinish != nil {
		s.opt.OnFinish(lv.id, snap)
	}
	return true
}
