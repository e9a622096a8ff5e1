package execution

import (
	"context"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/store"
)

// coachSweepLookback bounds how far back SweepCoach looks: the sweeper
// runs every minute, so an accepted submission without a report older than
// the give-up bound plus coachSweepMargin was already swept, or predates
// the coach (and is left alone). The window behind the give-up bound must
// stay open whatever CoachGiveUpAfter is: a fixed lookback at or under it
// would leave nothing to sweep, and nothing would ever be given up. Never
// under coachSweepMinLookback (the window with the default bounds).
func coachSweepLookback(giveUpAfter time.Duration) time.Duration {
	return max(coachSweepMinLookback, giveUpAfter+coachSweepMargin)
}

const (
	coachSweepMinLookback = 24 * time.Hour
	// coachSweepMargin is how long past the give-up bound a submission is
	// still swept: sweepers that were all down for less catch up.
	coachSweepMargin = 12 * time.Hour
)

// coachSweptMessage is the Error of a report the sweeper gave up on.
const coachSweptMessage = "the coach analysis did not complete (its worker stopped); no report will be made for this submission"

// SweepCoach stores a failed coach report for accepted submissions whose
// analysis will not come: no report CoachStaleAfter after the result
// while the analysis queue is empty and nothing is being analysed (the
// job is gone: a worker died on its last delivery, or the publish after
// Accepted was lost), or CoachGiveUpAfter whatever the queue holds. The
// player's pending report turns into a final answer, announced like a
// worker's (a CoachEventType event), so the result screen stops waiting.
// The first report wins: an analysis that finishes after all keeps the
// swept one out, and a sweep racing a worker cannot replace its report.
func (s *Service) SweepCoach(ctx context.Context, now time.Time) error {
	cr := s.opt.Store
	before := now.Add(-s.opt.CoachGiveUpAfter)
	depth, err := s.opt.Bus.QueueDepth(ctx)
	if err == nil {
		if d := depth[bus.Analysis]; d.Pending == 0 && d.InFlight == 0 {
			before = now.Add(-s.opt.CoachStaleAfter)
		}
	} else {
		// Unknown queue: only the long bound is safe.
		s.log.Warn("coach sweep: analysis queue unknown; using the give-up bound", "err", err)
	}
	subs, err := cr.PendingCoachReports(ctx, now.Add(-coachSweepLookback(s.opt.CoachGiveUpAfter)), before, 200)
	if err != nil {
		return fmt.Errorf("coach sweep: %w", err)
	}
	for _, sub := range subs {
		r := store.CoachReport{SubmissionID: sub.ID, Status: store.CoachFailed, Error: coachSweptMessage, CreatedAt: now}
		stored, created, err := cr.SaveCoachReport(ctx, r)
		if err != nil {
			return fmt.Errorf("coach sweep: %w", err)
		}
		if !created {
			continue // a worker's report came first: it was announced by the worker
		}
		var finished time.Time
		if sub.Result != nil {
			finished = sub.Result.FinishedAt
		}
		s.log.Warn("gave up on a coach analysis", "submission", sub.ID, "user", sub.UserID, "match", sub.MatchID,
			"accepted_ago", now.Sub(finished).Round(time.Second))
		jobs.PublishCoachEvent(s.opt.Bus, sub, stored, "", now)
	}
	return nil
}
