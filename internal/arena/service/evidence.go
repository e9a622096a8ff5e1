package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/replay"
	"github.com/segfaultarena/segfault/internal/similarity"
	"github.com/segfaultarena/segfault/internal/store"
)

// evidencePool is how many of the problem's latest submissions a player's
// submission is compared with; evidenceMinScore the least similarity
// reported (the bundled independent solutions never reach 0.5 with the
// default parameters: internal/similarity's README).
//
// The review queue checks similarity too, bounded: the submissions of at
// most reviewProblems distinct problems (those of the newest matches
// read), the latest reviewPool of each, are indexed once per request, so
// a queue request fingerprints at most reviewProblems × reviewPool =
// 4,000 submissions and looks up two per match read; a player whose last
// submission of the match is older than their problem's latest
// reviewPool is not compared in the queue (the match's evidence is).
const (
	evidencePool     = 1000
	evidenceMinScore = 0.5
	evidenceTop      = 5
	reviewPool       = 200
	reviewProblems   = 20
)

// problemPool is a problem's latest submissions, fingerprinted once.
type problemPool struct {
	ix   *similarity.Index
	byID map[string]store.Submission
}

func (s *Service) loadPool(ctx context.Context, problemID string, n int) (*problemPool, error) {
	p := &problemPool{ix: similarity.NewIndex(similarity.Default()), byID: map[string]store.Submission{}}
	if problemID == "" {
		return p, nil
	}
	subs, err := s.st.ProblemSubmissions(ctx, problemID, n)
	if err != nil {
		return nil, err
	}
	for _, sub := range subs {
		p.byID[sub.ID] = sub
		p.ix.Add(sub.ID, sub.Lang, string(sub.Source))
	}
	return p, nil
}

// lastIn is user's last submission in match among the pool's.
func (p *problemPool) lastIn(match string, user int64) (store.Submission, bool) {
	var last store.Submission
	ok := false
	for _, sub := range p.byID {
		if sub.MatchID == match && sub.UserID == user && (!ok || sub.CreatedAt.After(last.CreatedAt) ||
			sub.CreatedAt.Equal(last.CreatedAt) && sub.ID > last.ID) {
			last, ok = sub, true
		}
	}
	return last, ok
}

// similar lists the pool's submissions of other players that sub
// resembles (score ≥ evidenceMinScore), best first, at most top.
func (p *problemPool) similar(sub store.Submission, top int) []protocol.SimilarEvidence {
	out := []protocol.SimilarEvidence{}
	d := similarity.NewDoc(sub.ID, sub.Lang, string(sub.Source), p.ix.P)
	for _, mt := range p.ix.Similar(d, evidenceMinScore) {
		other := p.byID[mt.B.ID]
		if mt.B.ID == sub.ID || other.UserID == sub.UserID {
			continue
		}
		a, b := mt.Lines()
		out = append(out, protocol.SimilarEvidence{SubmissionID: other.ID, UserID: other.UserID, MatchID: other.MatchID,
			Score: mt.Score, Lines: a, OtherLines: b, Lang: other.Lang})
		if len(out) == top {
			break
		}
	}
	return out
}

// usernames caches user lookups of one request.
type usernames struct {
	s *Service
	m map[int64]store.User
}

func (u *usernames) get(ctx context.Context, id int64) store.User {
	if x, ok := u.m[id]; ok {
		return x
	}
	x, err := u.s.st.UserByID(ctx, id)
	if err != nil {
		x = store.User{ID: id}
	}
	u.m[id] = x
	return x
}

// Evidence is GET /api/v1/admin/matches/{id}/evidence (administrators
// only: the route requires the role).
func (s *Service) Evidence(ctx context.Context, id string) (protocol.MatchEvidence, error) {
	m, err := s.st.ArenaMatch(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return protocol.MatchEvidence{}, errcode.New(errcode.NotFound, "no such match")
	}
	if err != nil {
		return protocol.MatchEvidence{}, err
	}
	tls, err := replay.Load(ctx, s.st, id)
	if err != nil {
		return protocol.MatchEvidence{}, err
	}
	var startMs int64
	if !m.StartsAt.IsZero() {
		startMs = m.StartsAt.UnixMilli()
	}
	out := protocol.MatchEvidence{MatchID: id, ProblemID: m.ProblemID, Mode: protocol.Mode(m.Mode), Voided: m.Voided,
		Decisions: protocol.List[protocol.ReviewDecision]{}}

	// The player's last submission in the match, compared with the
	// problem's other submissions (their own excluded).
	pool, err := s.loadPool(ctx, m.ProblemID, evidencePool)
	if err != nil {
		return protocol.MatchEvidence{}, err
	}
	names := &usernames{s: s, m: map[int64]store.User{}}
	for _, p := range m.Players {
		sig := replay.Analyze(tls[p.UserID], startMs)
		pe := protocol.PlayerEvidence{UserID: p.UserID, Username: p.Username, LargestPaste: sig.LargestPaste(), PastedUnits: sig.PastedUnits,
			TypedUnits: sig.TypedUnits, Blurs: sig.Blurs, Opens: sig.Opens, Pastes: protocol.List[protocol.PasteEvidence]{},
			Similar: protocol.List[protocol.SimilarEvidence]{}, Banned: names.get(ctx, p.UserID).Disabled}
		for _, x := range sig.Pastes {
			pe.Pastes = append(pe.Pastes, protocol.PasteEvidence{AtMs: x.AtMs, Units: x.Units, AfterBlur: x.AfterBlur, BlurAwayMs: x.BlurAwayMs})
		}
		if sub, ok := pool.lastIn(id, p.UserID); ok {
			pe.SubmissionID, pe.Source, pe.Lang = sub.ID, string(sub.Source), sub.Lang
			for _, se := range pool.similar(sub, evidenceTop) {
				se.Username, se.Source = names.get(ctx, se.UserID).Username, string(pool.byID[se.SubmissionID].Source)
				pe.Similar = append(pe.Similar, se)
			}
		}
		out.Players = append(out.Players, pe)
	}
	ds, err := s.st.Decisions(ctx, []string{id})
	if err != nil {
		return protocol.MatchEvidence{}, err
	}
	for _, d := range ds {
		out.Decisions = append(out.Decisions, decisionView(d))
	}
	return out, nil
}

// Review is GET /api/v1/admin/review: the latest finished public matches
// (at most limit) read for the review signals and for similarity (bounded:
// reviewPool, reviewProblems); the flagged players, newest match first,
// each with its closest similar submission and the decisions taken; status
// keeps the open items (no standing decision), the decided ones, or all.
func (s *Service) Review(ctx context.Context, limit int, status protocol.ReviewStatus) (protocol.ReviewQueue, error) {
	ms, err := s.st.RecentlyFinished(ctx, limit)
	if err != nil {
		return protocol.ReviewQueue{}, err
	}
	out := protocol.ReviewQueue{Items: protocol.List[protocol.ReviewItem]{}}
	pools := map[string]*problemPool{}
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.ID)
		if _, ok := pools[m.ProblemID]; !ok && m.ProblemID != "" && len(pools) < reviewProblems {
			if pools[m.ProblemID], err = s.loadPool(ctx, m.ProblemID, reviewPool); err != nil {
				return protocol.ReviewQueue{}, err
			}
		}
	}
	ds, err := s.st.Decisions(ctx, ids)
	if err != nil {
		return protocol.ReviewQueue{}, err
	}
	names := &usernames{s: s, m: map[int64]store.User{}}
	for _, m := range ms {
		tls, err := replay.Load(ctx, s.st, m.ID)
		if err != nil {
			return protocol.ReviewQueue{}, err
		}
		var startMs int64
		if !m.StartsAt.IsZero() {
			startMs = m.StartsAt.UnixMilli()
		}
		for _, p := range m.Players {
			sig := replay.Analyze(tls[p.UserID], startMs)
			reasons := sig.Reasons()
			var top *protocol.SimilarEvidence
			if pool := pools[m.ProblemID]; pool != nil {
				if sub, ok := pool.lastIn(m.ID, p.UserID); ok {
					if sim := pool.similar(sub, 1); len(sim) == 1 {
						top = &sim[0]
						top.Username = names.get(ctx, top.UserID).Username
						reasons = append(reasons, fmt.Sprintf("last submission resembles %s's (score %.2f)", top.Username, top.Score))
					}
				}
			}
			if len(reasons) == 0 {
				continue
			}
			item := protocol.ReviewItem{MatchID: m.ID, Mode: protocol.Mode(m.Mode), ProblemID: m.ProblemID,
				FinishedAt: protocol.TimePtr(m.FinishedAt), UserID: p.UserID, Username: p.Username, Result: p.Result,
				LargestPaste: sig.LargestPaste(), Reasons: reasons, Similar: top, Voided: m.Voided,
				Banned: names.get(ctx, p.UserID).Disabled, Decisions: protocol.List[protocol.ReviewDecision]{}}
			for _, d := range ds {
				if d.MatchID == m.ID && (d.UserID == 0 || d.UserID == p.UserID) {
					item.Decisions = append(item.Decisions, decisionView(d))
					item.Decided = item.Decided || d.Reverses == 0 && d.ReversedBy == 0
				}
			}
			if status == protocol.ReviewOpen && item.Decided || status == protocol.ReviewDecided && !item.Decided {
				continue
			}
			out.Items = append(out.Items, item)
		}
	}
	return out, nil
}
