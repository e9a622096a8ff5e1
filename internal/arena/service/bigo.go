package service

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/store"
)

// The Big-O duel (issue 21, rule bigo): an Accepted submission wins only
// once the coach measured its time class at or below the problem's
// intended one (match.Measured).
//
// Nothing new is requested: a worker analyses every Accepted submission
// (execution's coach job), stores the report and announces it on the
// submitter's subject (execution.CoachEventType). The match's owner turns
// the stored report into a match.Measure: the report's verdict "meets" or
// "faster" → meets, "slower" → slower, anything else (an inconclusive
// decision, no intended class, a failed analysis) → inconclusive, which
// counts as Accepted. The report is read from the store, never from the
// event: after an Accepted verdict (the report may already be there after
// a failover), on each coach event of the match, and every 5 s while a
// measurement is awaited (an event is best effort); a measurement that
// never comes falls back to Accepted after match.Config.MeasureGrace.

// measureOfReport is the match's measure for a stored coach report.
func measureOfReport(r store.CoachReport) match.Measure {
	if r.Status != store.CoachDone {
		return match.MeasureInconclusive
	}
	var rep struct {
		Verdict string `json:"verdict"`
	}
	if json.Unmarshal(r.Report, &rep) != nil {
		return match.MeasureInconclusive
	}
	switch rep.Verdict {
	case "meets", "faster":
		return match.MeasureMeets
	case "slower":
		return match.MeasureSlower
	}
	return match.MeasureInconclusive
}

// awaitingMeasure lists the Accepted submissions of a bigo match whose
// measurement is awaited (lv.mu held).
func (lv *live) awaitingMeasure() []string {
	if lv.gone || lv.m.Rule() != match.BigO || lv.m.State().Terminal() {
		return nil
	}
	var ids []string
	for _, sub := range lv.m.Snapshot().Submissions {
		if sub.Accepted && sub.Measure == "" && !sub.MeasureBy.IsZero() {
			ids = append(ids, sub.ID)
		}
	}
	return ids
}

// measure applies the stored coach reports of the submissions awaiting
// their measurement. It reads the store with the match's lock released.
func (lv *live) measure(ctx context.Context) {
	s := lv.sh.s
	lv.mu.Lock()
	ids := lv.awaitingMeasure()
	lv.mu.Unlock()
	for _, id := range ids {
		r, err := s.st.CoachReport(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // not analysed yet
		}
		if err != nil {
			s.log.Warn("read coach report for a bigo match; retried", "match", lv.id, "submission", id, "err", err)
			continue
		}
		ms := measureOfReport(r)
		_, err = lv.do(func() error {
			err := lv.m.Measured(id, ms)
			if errors.Is(err, match.ErrDuplicateVerdict) || errors.Is(err, match.ErrNotMeasured) || errors.Is(err, match.ErrUnknownSubmission) {
				return nil // measured meanwhile, or it fell back at its grace
			}
			return err
		})
		if err != nil && !errors.Is(err, errMoved) {
			s.log.Warn("apply a measurement", "match", lv.id, "submission", id, "err", err)
		}
		if err == nil {
			s.log.Info("bigo measurement", "match", lv.id, "submission", id, "measure", ms)
		}
	}
}

// measureAll applies what the store has for every live bigo match of this
// node still awaiting a measurement (the claim loop, every 5 s).
func (sh *shard) measureAll() {
	for _, lv := range sh.all() {
		lv.mu.Lock()
		waiting := len(lv.awaitingMeasure()) > 0
		lv.mu.Unlock()
		if waiting {
			c, cancel := opCtx(sh.ctx)
			lv.measure(c)
			cancel()
		}
	}
}
