package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// The complexity coach after a match (docs/protocol.md `match.coach`).
//
// A worker analyses every Accepted submission after its verdict, stores
// the report and announces it with an execution.Event of Type
// execution.CoachEventType on the owner's user subject. The leader turns
// the announcement for a submission of a finished match into match.coach
// (to the players and the spectators); match.finished, the snapshot's
// last_finished and GET /api/v1/matches/{id} carry the reports already
// stored, so a report announced while a match was still being finished,
// or while no node led, is never lost: it is read from the store.

// coachEntry reads one submission's report; ok is false when there is
// none yet, or when the analysis failed (nothing to show).
func (s *Service) coachEntry(ctx context.Context, userID int64, subID string) (coachJSON, bool, error) {
	if subID == "" {
		return coachJSON{}, false, nil
	}
	r, err := s.st.CoachReport(ctx, subID)
	if errors.Is(err, store.ErrNotFound) {
		return coachJSON{}, false, nil
	}
	if err != nil {
		return coachJSON{}, false, err
	}
	if r.Status != store.CoachDone || len(r.Report) == 0 {
		return coachJSON{}, false, nil
	}
	// The fields of coach.Report the entry repeats (its complexity
	// classes marshal as text, "O(n log n)").
	var rep struct {
		Time     string                `json:"time"`
		Space    string                `json:"space"`
		Text     string                `json:"text"`
		Intended struct{ Time string } `json:"intended"`
		// The decision's confidence (static analysis and measurement
		// together), never the fit's alone: a report that agrees must not
		// show "fit confidence 0%" (issue 16).
		Confidence *float64 `json:"confidence"`
	}
	if err := json.Unmarshal(r.Report, &rep); err != nil {
		s.log.Warn("unreadable coach report", "submission", subID, "err", err)
		return coachJSON{}, false, nil
	}
	e := coachJSON{UserID: userID, SubmissionID: subID, Time: rep.Time, Space: rep.Space, IntendedTime: rep.Intended.Time,
		Explanation: rep.Text, Report: r.Report}
	if rep.Confidence != nil {
		e.Confidence = ptr(*rep.Confidence)
	}
	return e, true, nil
}

// coachView is the reports stored for a match's players' best
// submissions (the solutions revealed after it), [] when there is none. A
// store error is returned: a result screen without its reports would look
// like a match whose analyses never came.
func (s *Service) coachView(ctx context.Context, m store.ArenaMatch) (protocol.List[coachJSON], error) {
	out := protocol.List[coachJSON]{}
	for _, p := range m.Players {
		e, ok, err := s.coachEntry(ctx, p.UserID, p.BestSubmissionID)
		if err != nil {
			return nil, fmt.Errorf("arena: coach report of %s in %s: %w", p.BestSubmissionID, m.ID, err)
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// onCoachEvent runs on the match's owner: a report for a submission of a
// match that is over is pushed, with every report of the match so far, to
// its players and (unless private) spectators. A report for a live match
// waits for match.finished, which reads it from the store.
func (s *Service) onCoachEvent(ev execution.Event) {
	if ev.MatchID == "" || ev.Phase != execution.PhaseDone {
		return
	}
	if lv := s.shard.lookup(ev.MatchID); lv != nil {
		// A live bigo match waits for this measurement (bigo.go).
		c, cancel := opCtx(s.shard.ctx)
		lv.measure(c)
		cancel()
		return
	}
	c, cancel := opCtx(s.shard.ctx)
	defer cancel()
	m, err := s.st.ArenaMatch(c, ev.MatchID)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("read match for a coach report", "match", ev.MatchID, "err", err)
		}
		return
	}
	if m.State != store.MatchFinished {
		return
	}
	view, err := s.coachView(c, m)
	if err != nil {
		s.log.Warn("read coach reports; match.finished and the match record will carry them", "match", m.ID, "err", err)
		return
	}
	announced := false
	for _, entry := range view {
		announced = announced || entry.SubmissionID == ev.SubmissionID
	}
	if !announced {
		return // not a revealed solution of this match, or the analysis failed
	}
	v := matchCoachJSON{MatchID: m.ID, Coach: view}
	var out []outMsg
	for _, p := range m.Players {
		out = append(out, outMsg{user: p.UserID, frame: protocol.EventMatchCoach, data: v, same: len(out) > 0})
	}
	if replayVisible(m, 0, false, 0) { // the code rule: spectators of ranked and casual matches
		out = append(out, outMsg{frame: protocol.EventMatchCoach, data: v, same: len(out) > 0})
	}
	s.deliver(m.ID, out)
}
