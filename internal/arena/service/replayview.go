package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/replay"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/timeline"
)

// replayVisible is whose timeline and code a viewer may see, the rule of
// a match's code (issue 17): administrators everything; a player their
// own at once and the others' once the match is over; anyone else only
// once it is over and only for ranked and casual matches.
func replayVisible(m store.ArenaMatch, viewer int64, admin bool, author int64) bool {
	player := viewer != 0 && slices.ContainsFunc(m.Players, func(p store.ArenaPlayer) bool { return p.UserID == viewer })
	over := m.State == store.MatchFinished || m.State == store.MatchCancelled
	public := m.Mode == string(protocol.ModeRanked) || m.Mode == string(protocol.ModeCasual)
	return admin || player && author == viewer || over && (player || public)
}

// Replay is GET /api/v1/matches/{id}/replay as viewer may see it.
func (s *Service) Replay(ctx context.Context, id string, viewer int64, admin bool) (protocol.Replay, error) {
	m, err := s.st.ArenaMatch(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return protocol.Replay{}, errcode.New(errcode.NotFound, "no such match")
	}
	if err != nil {
		return protocol.Replay{}, err
	}
	player := viewer != 0 && slices.ContainsFunc(m.Players, func(p store.ArenaPlayer) bool { return p.UserID == viewer })
	if m.Mode == string(protocol.ModePractice) && !player && !admin {
		return protocol.Replay{}, errcode.New(errcode.NotFound, "no such match")
	}
	tls, err := replay.Load(ctx, s.st, id)
	if err != nil {
		return protocol.Replay{}, err
	}
	var x matchExtras
	if len(m.Snapshot) > 0 {
		if err := json.Unmarshal(m.Snapshot, &x); err != nil {
			return protocol.Replay{}, fmt.Errorf("arena: replay of %s: snapshot: %w", id, err)
		}
	}
	over := m.State == store.MatchFinished || m.State == store.MatchCancelled
	out := protocol.Replay{Match: protocol.RecordMatch{MatchID: m.ID, Mode: protocol.Mode(m.Mode), Rule: ruleOf(m.Rule), State: m.State,
		Outcome: outcomes[m.Reason][0], Reason: outcomes[m.Reason][1], WinnerID: nullID(m.WinnerID),
		Problem:  protocol.RecordProblem{ID: m.ProblemID, Title: m.ProblemTitle, Difficulty: m.ProblemDifficulty},
		StartsAt: protocol.TimePtr(m.StartsAt), Deadline: protocol.TimePtr(m.Deadline), FinishedAt: protocol.TimePtr(m.FinishedAt)}}
	if !m.StartsAt.IsZero() {
		out.StartMs = m.StartsAt.UnixMilli()
	}
	if over && !m.FinishedAt.IsZero() {
		out.EndMs = m.FinishedAt.UnixMilli()
	}
	for _, p := range m.Players {
		out.Match.Players = append(out.Match.Players, protocol.RecordPlayer{UserID: p.UserID, Username: p.Username,
			Rating: p.RatingBefore, Result: p.Result, Place: p.Place})
		rp := protocol.ReplayPlayer{UserID: p.UserID, Username: p.Username, Events: protocol.List[protocol.ReplayEvent]{}}
		if !replayVisible(m, viewer, admin, p.UserID) {
			rp.Hidden = true
			out.Players = append(out.Players, rp)
			continue
		}
		uid := p.UserID
		for _, e := range tls[p.UserID] {
			re := protocol.ReplayEvent{At: e.At, Doc: e.Doc, Kind: protocol.EditorKind(e.Kind.String()), Text: e.Text, Lang: e.Lang, N: e.N}
			for _, c := range e.Changes {
				re.Changes = append(re.Changes, protocol.EditorChange{Offset: c.Offset, Len: c.Len, Text: c.Text})
			}
			rp.Events = append(rp.Events, re)
			if e.Kind == timeline.KindRun {
				out.Markers = append(out.Markers, protocol.ReplayMarker{At: e.At, UserID: &uid, Kind: "run"})
			}
			out.StartMs = min(out.StartMs, e.At)
			if out.StartMs == 0 {
				out.StartMs = e.At
			}
			out.EndMs = max(out.EndMs, e.At)
		}
		out.Players = append(out.Players, rp)
	}
	for _, sub := range x.Match.Submissions {
		uid := sub.Player
		mk := protocol.ReplayMarker{At: sub.Received.UnixMilli(), UserID: &uid, Kind: "submit", SubmissionID: sub.ID}
		stored, err := s.st.Submission(ctx, sub.ID)
		if errors.Is(err, store.ErrNotFound) { // only not-found means none
			out.Markers = append(out.Markers, mk)
			continue
		}
		if err != nil {
			return protocol.Replay{}, err
		}
		mk.Lang = stored.Lang
		if replayVisible(m, viewer, admin, sub.Player) {
			code := string(stored.Source)
			mk.Code = &code
		}
		out.Markers = append(out.Markers, mk)
		if r := stored.Result; r != nil {
			out.Markers = append(out.Markers, protocol.ReplayMarker{At: r.FinishedAt.UnixMilli(), UserID: &uid, Kind: "verdict",
				SubmissionID: sub.ID, Verdict: protocol.Verdict(r.Verdict), Passed: ptr(r.Passed), Total: ptr(r.Total)})
		}
	}
	if over && !m.FinishedAt.IsZero() {
		out.Markers = append(out.Markers, protocol.ReplayMarker{At: m.FinishedAt.UnixMilli(), Kind: "finished", Detail: outcomes[m.Reason][0]})
	}
	slices.SortStableFunc(out.Markers, func(a, b protocol.ReplayMarker) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
	for _, mk := range out.Markers {
		out.EndMs = max(out.EndMs, mk.At)
	}
	return out, nil
}
