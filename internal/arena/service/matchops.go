package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
)

// The operations that run on the node owning the match.

// maxForwardDelay bounds how far back a forwarded action's receipt time
// is believed: the node answers `unavailable` after its request timeout
// (30 s), so an older one cannot be waiting any more.
const maxForwardDelay = 30 * time.Second

// receipt is when the server received an action: when the player's node
// did, unless that is in the future or implausibly old.
func (s *Service) receipt(c call) time.Time {
	now := s.clk.Now()
	if !c.At.IsZero() && c.At.Before(now) && now.Sub(c.At) <= maxForwardDelay {
		return c.At
	}
	return now
}

type createReq struct {
	MatchID string        `json:"match_id"`
	Mode    protocol.Mode `json:"mode"`
	Rule    protocol.Rule `json:"rule,omitempty"` // "" fastest
	Players []playerInfo  `json:"players"`
	Private bool          `json:"private,omitempty"`
	Room    roomSettings  `json:"room"`
	// Avoid is a problem not to play when the catalog has another (a
	// rematch's last problem).
	Avoid string `json:"avoid,omitempty"`
	You   int64  `json:"you"` // whose match.state the reply is
	// Ghost: a practice's ghost race (ghostrace.go).
	Ghost *ghostRef `json:"ghost,omitempty"`
}

type createReply struct {
	State matchStateJSON `json:"state"`
	Live  liveMatchJSON  `json:"live"`
}

type endedReq struct {
	MatchID string  `json:"match_id"`
	Users   []int64 `json:"users"`
}

type resultReq = execution.Result

type submitReply struct {
	SubmissionID string `json:"submission_id"`
}

// runTarget is what a code.run runs on, named by the match's owner.
type runTarget struct {
	ProblemID string `json:"problem_id"`
	Version   int    `json:"version"`
	Priority  string `json:"priority"`
	// Run numbers the run for match.run.done (0: not announced).
	Run uint64 `json:"run,omitempty"`
}

// createMatch starts a match the matchmaker confirmed (or a room, or a
// practice): it chooses the problem, stores the match with this node's
// token and tells the players.
func (s *Service) createMatch(ctx context.Context, c call, req *createReq) (result, error) {
	sh := s.shard
	v := sh.currentView()
	if v.owner(req.MatchID) != s.node || !s.members.active() {
		return result{}, errMoved
	}
	ch, ok := sh.reserve(req.MatchID)
	if !ok {
		return result{}, errcode.Errorf(errcode.AlreadyInMatch, "match %q exists", truncateID(req.MatchID))
	}
	lv, err := s.newMatch(ctx, req, v.epoch)
	if err == nil {
		err = s.st.CreateMatch(ctx, lv.record())
	}
	if err != nil {
		sh.settleBusy(req.MatchID, ch, nil)
		if errors.Is(err, match.ErrNoProblem) {
			return result{}, errcode.Errorf(errcode.ProblemNotFound, "no playable problem")
		}
		if errors.Is(err, store.ErrPlayerBusy) {
			// A late match.create (its matchmaker gave up waiting, or lost
			// the lease) for a player admitted to another match meanwhile.
			return result{}, errcode.Errorf(errcode.AlreadyInMatch, "a player of this match is in another match")
		}
		return result{}, fmt.Errorf("arena: start match: %w", err)
	}
	if !sh.settleBusy(req.MatchID, ch, lv) {
		// The view moved it meanwhile: its new owner claims it from the
		// store; the players learn of it from there.
		lv.gone = true
	}
	var rep createReply
	_, _ = lv.do(func() error {
		lv.pushState()
		rep.State = lv.stateView(req.You)
		rep.Live = liveMatchJSON{MatchID: lv.id, Mode: lv.mode, Rule: rep.State.Rule, Players: []string{}, StartsAt: rep.State.StartsAt, Deadline: rep.State.Deadline}
		if lv.problem != nil {
			rep.Live.ProblemTitle = lv.problem.Title
		}
		for _, p := range lv.players {
			rep.Live.Players = append(rep.Live.Players, p.Username)
			rep.Live.Cards = append(rep.Live.Cards, cardOf(p.UserID, p.Username, p.Rating, p.RD))
		}
		return nil
	})
	return result{Data: rep}, nil
}

// newMatch builds a match on a problem chosen near the players' ratings
// and not among their last 20 (or the room's problem).
func (s *Service) newMatch(ctx context.Context, req *createReq, fence int64) (*live, error) {
	var ratings []float64
	var recent [][]string
	var users []int64
	for _, p := range req.Players {
		users = append(users, p.UserID)
		ratings = append(ratings, p.Rating)
		rp, err := s.st.RecentProblems(ctx, p.UserID, 20)
		if err != nil {
			return nil, err
		}
		recent = append(recent, rp)
	}
	// New matches get the newest versions the background refresh has
	// loaded (refreshProblems); running matches keep theirs.
	var prob *ProblemInfo
	if req.Room.ProblemID != "" {
		prob, _ = s.playable.Get(req.Room.ProblemID)
	}
	if prob == nil {
		pick := s.opt.Pick
		cands := s.playable.Candidates()
		if req.Rule == protocol.RuleBigO {
			// A Big-O duel is judged against the intended class.
			cands = slices.DeleteFunc(cands, func(p match.Problem) bool {
				info, ok := s.playable.Get(p.ID)
				return !ok || info.IntendedTime == ""
			})
		}
		if req.Avoid != "" && len(cands) > 1 {
			cands = slices.DeleteFunc(cands, func(p match.Problem) bool { return p.ID == req.Avoid })
		}
		chosen, err := match.DefaultPolicy().Choose(cands, ratings, recent, pick)
		if errors.Is(err, match.ErrNoProblem) {
			// Everything was played recently (a small catalog): repeat rather than refuse to play.
			chosen, err = match.ProblemPolicy{Recent: 0, Band: 100}.Choose(cands, ratings, nil, pick)
		}
		if err != nil {
			return nil, err
		}
		prob, _ = s.playable.Get(chosen.ID)
	}
	if prob == nil {
		return nil, match.ErrNoProblem
	}
	cfg := s.opt.Match
	if req.Room.DurationS > 0 {
		cfg = withDuration(cfg, time.Duration(req.Room.DurationS)*time.Second)
	}
	m, err := match.New(cfg, s.clk, match.Setup{ID: req.MatchID, Players: users, PreAccepted: true, Solo: req.Mode == protocol.ModePractice,
		Rule: match.Rule(req.Rule)})
	if err != nil {
		return nil, err
	}
	if err := m.Begin(match.Problem{ID: prob.ID, Rating: float64(prob.Rating), Difficulty: prob.Difficulty()}); err != nil {
		return nil, err
	}
	m.Events()
	lv := newLive(s.shard, req.MatchID, cfg, m, req.Mode, req.Private, req.Players, prob, fence)
	lv.liveEditors = s.liveEditorsFor(req)
	if req.Ghost != nil {
		if lv.ghost, err = s.loadGhost(ctx, *req.Ghost); err != nil {
			return nil, err
		}
	}
	return lv, nil
}

// submit checks the match rules with the server's clock, queues the
// submission for the judge (ranked jobs ahead of practice) and registers
// it in the match. It takes the match's lock twice, never across the
// judge's store write and queue publish; meanwhile the deadline is held,
// so a submission received in time is never lost to a slow queue.
func (lv *live) submit(ctx context.Context, c call, d *protocol.CodeSubmit) (result, error) {
	s := lv.sh.s
	u := c.User
	if !lv.isPlayer(u) {
		return result{}, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	}
	received := s.receipt(c)
	var pr *liveProgress
	var registered chan struct{}
	var req execution.SubmitRequest
	ranked := lv.mode == protocol.ModeRanked
	_, err := lv.do(func() error {
		snap := lv.m.Snapshot()
		switch {
		case !snap.Deadline.IsZero() && !received.Before(snap.Deadline):
			return errcode.Errorf(errcode.DeadlinePassed, "the match is over; submissions after the deadline are not judged")
		case snap.State != match.Running && snap.State != match.Judging, received.Before(snap.StartAt):
			return errcode.Errorf(errcode.MatchNotRunning, "the match is not running")
		case len(d.Code) > realtime.MaxCodeBytes:
			return &errcode.Error{Code: errcode.CodeTooLarge, Limit: realtime.MaxCodeBytes,
				Message: fmt.Sprintf("code is over %d KiB", realtime.MaxCodeBytes>>10)}
		case !utf8.ValidString(d.Code):
			return errcode.Errorf(errcode.CodeNotUTF8, "code is not UTF-8")
		case lv.problem == nil:
			return errcode.Errorf(errcode.Unavailable, "the match's problem is not available on this server")
		}
		for _, p := range snap.Players {
			if p.ID == u && p.Out != "" {
				return errcode.Errorf(errcode.MatchNotRunning, "you are out of this match")
			}
			if p.ID == u && p.Solved && snap.Rule == match.Shortest {
				return matchError(match.ErrAlreadySolved) // never judged for nothing
			}
		}
		for _, sub := range snap.Submissions {
			if sub.Player == u && !sub.Judged {
				return errcode.Errorf(errcode.JudgeBusy, "your previous submission is still being judged")
			}
		}
		pr = lv.progress[u]
		if pr.Running {
			return errcode.Errorf(errcode.JudgeBusy, "your previous submission is still being judged")
		}
		pr.Running = true
		registered = make(chan struct{})
		pr.registering = registered
		// Until it is registered the deadline is held: it must not decide
		// the match without this submission.
		lv.m.Hold()
		// The match's own version: a re-import during the match does not
		// change the tests under it.
		req = execution.SubmitRequest{UserID: u, ProblemID: lv.problem.ID, ProblemVersion: lv.problem.Version,
			Lang: d.Lang, Source: []byte(d.Code), MatchID: lv.id, IP: c.IP}
		return nil
	})
	if err != nil {
		return result{}, err
	}
	// Storing the submission and, the first time a problem version is
	// used, uploading its package for the workers may take seconds.
	jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 25*time.Second)
	var sub store.Submission
	var jerr error
	if ranked {
		sub, jerr = s.judge.SubmitRanked(jctx, req)
	} else {
		sub, jerr = s.judge.Submit(jctx, req)
	}
	cancel()
	ver, err := lv.do(func() error {
		lv.m.Release()
		pr.registering = nil
		close(registered)
		if jerr != nil {
			pr.Running = false
			return jerr
		}
		if err := lv.m.SubmitCode(u, sub.ID, received, match.CountChars(d.Code)); err != nil {
			pr.Running = false
			return matchError(err)
		}
		pr.Submissions++
		pr.Lang, pr.Code = d.Lang, d.Code
		pr.LastVerdict = "pending"
		lv.pushProgress(u, true)
		return nil
	})
	if errors.Is(err, errMoved) {
		close(registered) // moved before registering: its new owner restored it without this submission
	}
	if err == nil {
		// The timeline up to the submission is stored before it is
		// answered (its text is the code submitted).
		lv.flushTimeline(ctx, u, true)
		err = lv.waitSaved(ctx, ver)
	}
	if errors.Is(err, errMoved) {
		// Queued, never to be registered here: it must not be sent again
		// to the new owner (it would be judged twice).
		return result{}, errcode.Errorf(errcode.Unavailable, "the match moved to another server while your submission was queued; submit again")
	}
	if err != nil {
		return result{}, err
	}
	return result{Data: submitReply{SubmissionID: sub.ID}}, nil
}

// afterSubmit, on the submitter's node: the reply to code.submit is the
// submission.result of this submission, when judged.
func afterSubmit(s *Service, c call, req any, r result) (result, error) {
	sr, err := decodeResult[submitReply](r)
	if err != nil || sr.SubmissionID == "" {
		return result{}, fmt.Errorf("arena: submit reply without a submission id")
	}
	if c.conn != nil && c.id != "" {
		c.conn.AddPending(sr.SubmissionID, c.id)
	}
	return result{Data: sr}, nil
}

// applyResult applies a judge result to its match (first Accepted wins),
// once: a repeated result changes nothing. It returns once the match with
// the verdict is stored, so the result is acknowledged only then.
func (s *Service) applyResult(ctx context.Context, c call, r *resultReq) (result, error) {
	lv, err := s.shard.get(ctx, r.MatchID)
	if errcode.CodeOf(err) == errcode.MatchNotFound {
		return result{}, s.lateResult(ctx, r)
	}
	if err != nil {
		return result{}, err
	}
	for {
		var wait chan struct{}
		ver, err := lv.do(func() error {
			err := lv.applyVerdict(r)
			if pr := lv.progress[r.UserID]; errors.Is(err, match.ErrUnknownSubmission) && pr != nil && pr.registering != nil {
				wait = pr.registering // the verdict overtook its registration
				return nil
			}
			return err
		})
		switch {
		case wait != nil:
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return result{}, errcode.Errorf(errcode.Unavailable, "the submission is still being registered")
			}
		case errors.Is(err, match.ErrDuplicateVerdict):
			return result{}, nil
		case errors.Is(err, match.ErrUnknownSubmission):
			// Never registered in this match (refused, or lost with a
			// node that died before registering it): only its player
			// cares.
			s.toUser(r.UserID, protocol.EventSubmissionResult, resultView(r.MatchID, r, r.CreatedAt), r.SubmissionID)
			return result{}, nil
		case err != nil:
			return result{}, err
		}
		lv.mu.Lock()
		bigO := lv.m.Rule() == match.BigO
		lv.mu.Unlock()
		if r.Verdict == "AC" && bigO {
			// Its report may be stored already (a failover, a fast coach).
			go func() {
				c, cancel := opCtx(s.shard.ctx)
				defer cancel()
				lv.measure(c)
			}()
		}
		return result{}, lv.waitSaved(ctx, ver)
	}
}

// lateResult handles a result for a match that is not live: it ended
// while the submission was judged, and the submitter still gets the one
// reply to their code.submit, unless the match had it already (a
// repeated result).
func (s *Service) lateResult(ctx context.Context, r *resultReq) error {
	m, err := s.st.ArenaMatch(ctx, r.MatchID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var x matchExtras
	if err == nil && json.Unmarshal(m.Snapshot, &x) == nil && slices.ContainsFunc(x.Match.Submissions, func(sub match.Submission) bool {
		return sub.ID == r.SubmissionID && sub.Judged
	}) {
		return nil
	}
	s.toUser(r.UserID, protocol.EventSubmissionResult, resultView(r.MatchID, r, r.CreatedAt), r.SubmissionID)
	return nil
}

// applyVerdict records a judge result in the match (lv.mu held).
func (lv *live) applyVerdict(r *resultReq) error {
	passed, total := r.Passed, r.Total
	if total <= 0 { // compile error, internal error: nothing ran
		total, passed = 1, 0
	}
	passed = min(passed, total)
	accepted := r.Verdict == "AC" && passed == total
	if !accepted && passed == total {
		passed = total - 1
	}
	if err := lv.m.Verdict(r.SubmissionID, passed, total, accepted); err != nil {
		return err
	}
	if pr := lv.progress[r.UserID]; pr != nil {
		pr.LastVerdict, pr.Total, pr.Running = r.Verdict, r.Total, false
	}
	received := r.CreatedAt
	for _, sub := range lv.m.Snapshot().Submissions {
		if sub.ID == r.SubmissionID {
			received = sub.Received
		}
	}
	lv.out = append(lv.out, outMsg{user: r.UserID, frame: protocol.EventSubmissionResult, data: resultView(lv.id, r, received), sub: r.SubmissionID})
	lv.pushProgress(r.UserID, true)
	return nil
}

func resultView(matchID string, r *resultReq, received time.Time) submissionResultJSON {
	res := submissionResultJSON{MatchID: matchID, SubmissionID: r.SubmissionID, Lang: r.Lang, Verdict: protocol.Verdict(r.Verdict), Passed: r.Passed,
		Total: r.Total, TimeMS: r.MaxCPUTime.Milliseconds(), MemoryKB: r.MaxMemory >> 10, ReceivedAt: protocol.Time(received)}
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

// progress relays a worker's per-test progress to the players and the
// spectators: which test is being judged out of how many, never a
// verdict (the verdict is the submission's result, when it is final).
func (lv *live) progressEvent(ev execution.Event) {
	var v progressEventJSON
	switch {
	case ev.Phase == execution.PhaseCompiling:
		v = progressEventJSON{Phase: protocol.JudgeCompiling}
	case ev.Phase == execution.PhaseTesting && ev.Test >= 1:
		v = progressEventJSON{Phase: protocol.JudgeRunning, Test: ev.Test, Total: ev.Total}
	default:
		return
	}
	v.MatchID, v.SubmissionID, v.UserID = lv.id, ev.SubmissionID, ev.UserID
	lv.mu.Lock()
	gone := lv.gone || !lv.isPlayer(ev.UserID)
	lv.mu.Unlock()
	if gone {
		return
	}
	_, _ = lv.do(func() error {
		if pr := lv.progress[ev.UserID]; pr != nil && v.Total > 0 {
			pr.Total = v.Total
		}
		lv.pushAll(protocol.EventSubmissionProgress, v)
		return nil
	})
}

func (lv *live) resign(ctx context.Context, c call, d *protocol.MatchRef) (result, error) {
	s := lv.sh.s
	if !lv.isPlayer(c.User) {
		return result{}, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	}
	if _, err := lv.do(func() error { return matchError(lv.m.Resign(c.User)) }); err != nil {
		return result{}, err
	}
	lv.mu.Lock()
	over := lv.m.State().Terminal()
	var v matchStateJSON
	if !over {
		v = lv.stateView(c.User)
	}
	lv.mu.Unlock()
	if !over {
		return result{Type: protocol.EventMatchState, Data: v}, nil
	}
	// Answered once the result is stored and the matchmaker freed the
	// player: "finished" means free to queue.
	select {
	case <-lv.released:
	case <-ctx.Done():
		return result{}, errcode.Errorf(errcode.Unavailable, "the result is being stored; it will be pushed")
	}
	fv, err := s.finishedView(ctx, lv.id)
	return result{Type: protocol.EventMatchFinished, Data: fv}, err
}

func (lv *live) spectate(ctx context.Context, c call, d *protocol.MatchRef) (result, error) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if lv.isPlayer(c.User) || lv.private {
		return result{}, errcode.Errorf(errcode.SpectateForbidden, "you cannot spectate this match")
	}
	v := lv.stateView(0)
	if lv.liveEditors {
		v.Editors = lv.liveEditorsView()
	}
	return result{Type: protocol.EventMatchState, Data: v}, nil
}

func afterSpectate(s *Service, c call, req any, r result) (result, error) {
	id := req.(*protocol.MatchRef).MatchID
	if c.conn != nil {
		c.conn.SetSpectate(id)
	}
	if c.client != nil {
		c.client.spectate(id)
	}
	return r, nil
}

// matchSnapshot is the owner's part of a player's snapshot. The player
// just said hello from c.Node: they are connected, now (a disconnect
// grace running for them ends here, and every player is told).
func (lv *live) snapshot(ctx context.Context, c call, d *protocol.MatchRef) (result, error) {
	s := lv.sh.s
	if !lv.isPlayer(c.User) {
		return result{}, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	}
	s.presence.seen(c.User, c.Node)
	var out matchSnapshotJSON
	_, err := lv.do(func() error {
		if !lv.m.State().Terminal() {
			_ = lv.m.Reconnected(c.User) // ErrNotDisconnected when connected: nothing to do
		}
		v := lv.stateView(c.User)
		out.Match = &v
		if pr := lv.progress[c.User]; pr != nil && pr.Code != "" {
			out.MyCode = &myCodeJSON{MatchID: lv.id, Lang: pr.Lang, Code: pr.Code}
		}
		lv.ghostReplayTo(c.User)
		return nil
	})
	return result{Data: out}, err
}

// runCheck is the owner's part of code.run: the player runs in this
// match now; the code becomes what a reload restores (my_code).
func (lv *live) runCheck(ctx context.Context, c call, d *protocol.CodeRun) (result, error) {
	s := lv.sh.s
	if !lv.isPlayer(c.User) {
		return result{}, errcode.Errorf(errcode.NotInMatch, "you are not a player of this match")
	}
	var t runTarget
	_, err := lv.do(func() error {
		snap := lv.m.Snapshot()
		if lv.m.State() != match.Running || !s.clk.Now().Before(snap.Deadline) {
			return errcode.Errorf(errcode.MatchNotRunning, "the match is not running")
		}
		for _, p := range snap.Players {
			if p.ID == c.User && p.Out != "" {
				return errcode.Errorf(errcode.MatchNotRunning, "you are out of this match")
			}
		}
		if lv.problem == nil {
			return errcode.Errorf(errcode.Unavailable, "the match's problem is not available on this server")
		}
		if pr := lv.progress[c.User]; pr != nil && d.Code != "" {
			pr.Lang, pr.Code = d.Lang, d.Code
		}
		lv.recordRun(c.User, s.receipt(c))
		t = runTarget{ProblemID: lv.problem.ID, Version: lv.problem.Version, Priority: execution.PriorityPractice,
			Run: lv.runStarted(c.User, c.Node)}
		if lv.mode == protocol.ModeRanked {
			t.Priority = execution.PriorityRanked
		}
		return nil
	})
	return result{Data: t}, err
}
