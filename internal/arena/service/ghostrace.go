package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/ghost"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/replay"
	"github.com/segfaultarena/segfault/internal/store"
)

// Ghost races (issue 20): a practice match beside a replay of a real past
// accepted solution on the same problem, streamed by the match's owner on
// the match clock at its original offsets (package ghost decides what is
// due; the shard's timer wakes the match at the next step).
//
// Which solutions may be ghosts: the code rule of replays (replayVisible)
// as seen by an anonymous viewer, i.e. a finished ranked or casual match,
// never a private room's, a free-for-all's or a practice match (their code
// is not public); not a voided match; the player's final submission in
// that match was Accepted; the player's rating when the match started is
// in the requested band; never the requester's own solution.

// ghostRef names a ghost: a player of a finished match. It travels in the
// create request and is kept in the match's snapshot, so the match's next
// owner rebuilds the lane after a failover.
type ghostRef struct {
	MatchID string `json:"match_id"`
	UserID  int64  `json:"user_id"`
}

// ghostScan bounds the search: the problem's latest accepted submissions
// read, and the matches looked at.
const (
	ghostScanSubmissions = 1000
	ghostScanMatches     = 50
)

// pickGhost finds the newest solution on problemID that may be a ghost
// for requester in band (see above). No lock is held: it runs before the
// matchmaker admits the player.
func (s *Service) pickGhost(ctx context.Context, problemID string, band protocol.GhostChoice, requester int64) (ghostRef, error) {
	subs, err := s.st.ProblemSubmissions(ctx, problemID, ghostScanSubmissions)
	if err != nil {
		return ghostRef{}, err
	}
	seen := map[ghostRef]bool{}
	for _, sub := range subs {
		ref := ghostRef{MatchID: sub.MatchID, UserID: sub.UserID}
		if sub.MatchID == "" || sub.UserID == requester || sub.Result == nil || sub.Result.Verdict != "AC" || seen[ref] {
			continue
		}
		seen[ref] = true
		if len(seen) > ghostScanMatches {
			break
		}
		m, err := s.st.ArenaMatch(ctx, sub.MatchID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return ghostRef{}, err
		}
		if ok, err := ghostEligible(m, sub.UserID, sub.ID, band); err != nil {
			return ghostRef{}, err
		} else if ok {
			return ref, nil
		}
	}
	return ghostRef{}, errcode.Errorf(errcode.GhostNotFound, "no accepted solution of %s by a player rated %d–%s to race yet",
		truncateID(problemID), band.MinRating, bandMax(band))
}

func bandMax(b protocol.GhostChoice) string {
	if b.MaxRating == 0 {
		return "∞"
	}
	return fmt.Sprint(b.MaxRating)
}

// ghostEligible applies the rule above to user's accepted submission subID
// in m.
func ghostEligible(m store.ArenaMatch, user int64, subID string, band protocol.GhostChoice) (bool, error) {
	if m.State != store.MatchFinished || m.Voided || !replayVisible(m, 0, false, user) || m.StartsAt.IsZero() {
		return false, nil
	}
	var rating float64
	found := false
	for _, p := range m.Players {
		if p.UserID == user {
			rating, found = p.RatingBefore, true
		}
	}
	if !found || rating < float64(band.MinRating) || band.MaxRating != 0 && rating > float64(band.MaxRating) {
		return false, nil
	}
	var x matchExtras
	if err := json.Unmarshal(m.Snapshot, &x); err != nil {
		return false, fmt.Errorf("arena: ghost candidate %s: snapshot: %w", m.ID, err)
	}
	var last *match.Submission
	for i, ms := range x.Match.Submissions {
		if ms.Player == user {
			last = &x.Match.Submissions[i]
		}
	}
	return last != nil && last.ID == subID && last.Accepted, nil
}

// ghostLane is a running race's ghost (its fields change under lv.mu).
type ghostLane struct {
	ref    ghostRef
	info   protocol.GhostInfo
	script ghost.Script
	next   int  // the first step not sent yet
	reset  bool // the next push restarts the client's lane (after a failover)
	over   bool // ghost.result was sent
}

// loadGhost reads a ghost's match, timeline and submissions into a lane.
func (s *Service) loadGhost(ctx context.Context, ref ghostRef) (*ghostLane, error) {
	m, err := s.st.ArenaMatch(ctx, ref.MatchID)
	if err != nil {
		return nil, fmt.Errorf("arena: ghost match %s: %w", ref.MatchID, err)
	}
	var x matchExtras
	if err := json.Unmarshal(m.Snapshot, &x); err != nil {
		return nil, fmt.Errorf("arena: ghost match %s: snapshot: %w", ref.MatchID, err)
	}
	tls, err := replay.Load(ctx, s.st, ref.MatchID)
	if err != nil {
		return nil, err
	}
	var subs []ghost.Submit
	lang := ""
	for _, ms := range x.Match.Submissions {
		if ms.Player != ref.UserID {
			continue
		}
		stored, err := s.st.Submission(ctx, ms.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		gs := ghost.Submit{ID: ms.ID, Lang: stored.Lang, Received: ms.Received}
		if r := stored.Result; r != nil {
			gs.Judged, gs.Verdict, gs.Passed, gs.Total = r.FinishedAt, r.Verdict, r.Passed, r.Total
		}
		subs = append(subs, gs)
		lang = stored.Lang
	}
	lane := &ghostLane{ref: ref, script: ghost.Build(m.StartsAt, tls[ref.UserID], subs)}
	lane.info = protocol.GhostInfo{SourceMatchID: ref.MatchID, Lang: lang, AcceptMs: lane.script.Accept.Milliseconds()}
	for _, p := range m.Players {
		if p.UserID == ref.UserID {
			lane.info.Username, lane.info.Rating = p.Username, p.RatingBefore
		}
	}
	return lane, nil
}

// ghostStep is a step as the protocol sends it.
func ghostStep(st ghost.Step) protocol.GhostStep {
	out := protocol.GhostStep{AtMs: st.At.Milliseconds(), Kind: string(st.Kind), SubmissionID: st.SubmissionID, Lang: st.Lang,
		Verdict: protocol.Verdict(st.Verdict)}
	if e := st.Editor; e != nil {
		re := protocol.ReplayEvent{At: e.At, Doc: e.Doc, Kind: protocol.EditorKind(e.Kind.String()), Text: e.Text, Lang: e.Lang, N: e.N}
		for _, c := range e.Changes {
			re.Changes = append(re.Changes, protocol.EditorChange{Offset: c.Offset, Len: c.Len, Text: c.Text})
		}
		out.Event = &re
	}
	if st.Kind == ghost.KindVerdict {
		out.Passed, out.Total = ptr(st.Passed), ptr(st.Total)
	}
	return out
}

func ghostSteps(sts []ghost.Step) protocol.List[protocol.GhostStep] {
	out := make(protocol.List[protocol.GhostStep], 0, len(sts))
	for _, st := range sts {
		out = append(out, ghostStep(st))
	}
	return out
}

// ghostTick sends the ghost's steps due at now and, once the match is
// over, the race's result (lv.mu held; called by do after every action,
// the shard's timer included).
func (lv *live) ghostTick(now time.Time) {
	g := lv.ghost
	if g == nil || g.over {
		return
	}
	snap := lv.m.Snapshot()
	user := lv.players[0].UserID
	if snap.State.Terminal() {
		g.over = true
		var you time.Duration
		youOK := false
		for _, sub := range snap.Submissions {
			if sub.Player == user && sub.Accepted && !youOK {
				you, youOK = ghost.Offset(snap.StartAt, sub.Received), true
			}
		}
		r := ghost.Race(you, youOK, g.script)
		res := protocol.GhostResult{MatchID: lv.id, Winner: r.Winner, MarginMs: r.Margin.Milliseconds(), Ghost: g.info.Username}
		if r.You != nil {
			res.YouMs = ptr(r.You.Milliseconds())
		}
		if r.Ghost != nil {
			res.GhostMs = ptr(r.Ghost.Milliseconds())
		}
		lv.out = append(lv.out, outMsg{user: user, frame: protocol.EventGhostResult, data: res})
		return
	}
	if snap.State != match.Running && snap.State != match.Judging || snap.StartAt.IsZero() {
		return
	}
	from := g.next
	if g.reset {
		from = 0
	}
	steps, next := g.script.Due(from, now.Sub(snap.StartAt))
	if len(steps) == 0 && !g.reset {
		return
	}
	lv.out = append(lv.out, outMsg{user: user, frame: protocol.EventGhostProgress,
		data: protocol.GhostProgress{MatchID: lv.id, Reset: g.reset, Steps: ghostSteps(steps)}})
	g.next, g.reset = next, false
}

// ghostNext is when the match must be woken for the ghost's next step
// (lv.mu held).
func (lv *live) ghostNext() (time.Time, bool) {
	g := lv.ghost
	if g == nil || g.over {
		return time.Time{}, false
	}
	snap := lv.m.Snapshot()
	if snap.StartAt.IsZero() || snap.State.Terminal() {
		return time.Time{}, false
	}
	at, ok := g.script.Next(g.next)
	if !ok {
		return time.Time{}, false
	}
	return snap.StartAt.Add(at), true
}

// ghostReplayTo queues, for a player whose page (re)loaded, every ghost
// step sent so far (lv.mu held).
func (lv *live) ghostReplayTo(user int64) {
	g := lv.ghost
	if g == nil || g.over {
		return
	}
	lv.out = append(lv.out, outMsg{user: user, frame: protocol.EventGhostProgress,
		data: protocol.GhostProgress{MatchID: lv.id, Reset: true, Steps: ghostSteps(g.script.Steps[:g.next])}})
}

// ghostInfo is match.state's "ghost" (lv.mu held).
func (lv *live) ghostInfo() *protocol.GhostInfo {
	if lv.ghost == nil {
		return nil
	}
	gi := lv.ghost.info
	return &gi
}

// ghostSearchEvery bounds each player's ghost searches.
const ghostSearchEvery = time.Second

// ghostBudget allows a player one ghost search per ghostSearchEvery
// (rate_limited otherwise), so queue.join cannot be turned into a stream
// of store reads. Memory only, under the matchmaker's lock.
func (l *leader) ghostBudget(u int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.s.clk.Now()
	if last, ok := l.ghostAt[u]; ok && now.Sub(last) < ghostSearchEvery && !now.Before(last) {
		return &errcode.Error{Code: errcode.RateLimited, Message: "one ghost search a second; try again in a moment",
			RetryAfter: ghostSearchEvery - now.Sub(last)}
	}
	if len(l.ghostAt) > 4096 {
		for id, at := range l.ghostAt {
			if now.Sub(at) >= ghostSearchEvery {
				delete(l.ghostAt, id)
			}
		}
	}
	l.ghostAt[u] = now
	return nil
}
