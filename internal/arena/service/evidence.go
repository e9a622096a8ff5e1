package service

import (
	"context"
	"errors"

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
const (
	evidencePool     = 1000
	evidenceMinScore = 0.5
	evidenceTop      = 5
)

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
	out := protocol.MatchEvidence{MatchID: id, ProblemID: m.ProblemID}

	// The player's last submission in the match, compared with the
	// problem's other submissions (their own excluded).
	var pool []store.Submission
	if m.ProblemID != "" {
		if pool, err = s.st.ProblemSubmissions(ctx, m.ProblemID, evidencePool); err != nil {
			return protocol.MatchEvidence{}, err
		}
	}
	ix := similarity.NewIndex(similarity.Default())
	byID := map[string]store.Submission{}
	last := map[int64]store.Submission{}
	for _, sub := range pool {
		byID[sub.ID] = sub
		ix.Add(sub.ID, sub.Lang, string(sub.Source))
		if sub.MatchID == id {
			if prev, ok := last[sub.UserID]; !ok || sub.CreatedAt.After(prev.CreatedAt) {
				last[sub.UserID] = sub
			}
		}
	}
	for _, p := range m.Players {
		sig := replay.Analyze(tls[p.UserID], startMs)
		pe := protocol.PlayerEvidence{UserID: p.UserID, Username: p.Username, LargestPaste: sig.LargestPaste(), PastedUnits: sig.PastedUnits,
			TypedUnits: sig.TypedUnits, Blurs: sig.Blurs, Opens: sig.Opens, Pastes: protocol.List[protocol.PasteEvidence]{},
			Similar: protocol.List[protocol.SimilarEvidence]{}}
		for _, x := range sig.Pastes {
			pe.Pastes = append(pe.Pastes, protocol.PasteEvidence{AtMs: x.AtMs, Units: x.Units, AfterBlur: x.AfterBlur, BlurAwayMs: x.BlurAwayMs})
		}
		if sub, ok := last[p.UserID]; ok {
			pe.SubmissionID = sub.ID
			d := similarity.NewDoc(sub.ID, sub.Lang, string(sub.Source), ix.P)
			for _, mt := range ix.Similar(d, evidenceMinScore) {
				other := byID[mt.B.ID]
				if mt.B.ID == sub.ID || other.UserID == p.UserID {
					continue
				}
				a, b := mt.Lines()
				pe.Similar = append(pe.Similar, protocol.SimilarEvidence{SubmissionID: other.ID, UserID: other.UserID, MatchID: other.MatchID,
					Score: mt.Score, Lines: a, OtherLines: b})
				if len(pe.Similar) == evidenceTop {
					break
				}
			}
		}
		out.Players = append(out.Players, pe)
	}
	return out, nil
}

// Review is GET /api/v1/admin/review: the latest finished public matches
// (at most limit) read for the review signals; the flagged players,
// newest match first. Similarity is left to each match's evidence (it
// compares with a thousand submissions).
func (s *Service) Review(ctx context.Context, limit int) (protocol.ReviewQueue, error) {
	ms, err := s.st.RecentlyFinished(ctx, limit)
	if err != nil {
		return protocol.ReviewQueue{}, err
	}
	out := protocol.ReviewQueue{Items: protocol.List[protocol.ReviewItem]{}}
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
			if len(reasons) == 0 {
				continue
			}
			out.Items = append(out.Items, protocol.ReviewItem{MatchID: m.ID, Mode: protocol.Mode(m.Mode), ProblemID: m.ProblemID,
				FinishedAt: protocol.TimePtr(m.FinishedAt), UserID: p.UserID, Username: p.Username, Result: p.Result,
				LargestPaste: sig.LargestPaste(), Reasons: reasons})
		}
	}
	return out, nil
}
