package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// What the REST API shows of the arena (httpapi.MountArena serves it,
// docs/protocol.md section 5): the leaderboard, public profiles, match
// records and the running matches. Practice is never public.

// LeaderboardPage is a page of a leaderboard (around the viewer with
// Around "me"), with the viewer's own entry when signed in (viewer != 0).
func (s *Service) LeaderboardPage(ctx context.Context, sub protocol.LeaderboardSub, viewer int64) (protocol.LeaderboardUpdate, error) {
	if sub.Around == "me" && viewer == 0 {
		return protocol.LeaderboardUpdate{}, errcode.New(errcode.Unauthenticated, "sign in to see your rank")
	}
	page, err := s.boardPage(ctx, sub, viewer)
	if err != nil {
		return page, err
	}
	page.Changed, page.ServerNow = protocol.List[int64]{}, ""
	if viewer != 0 {
		q := store.LeaderboardQuery{Board: string(sub.Board), Since: weekStart(s.clk.Now())}
		me, err := s.st.LeaderboardEntry(ctx, q, viewer)
		switch {
		case errors.Is(err, store.ErrNotFound): // not ranked on this board
		case err != nil:
			return protocol.LeaderboardUpdate{}, err
		default:
			v := entryView(me)
			if v.WinStreak, err = s.st.WinStreak(ctx, viewer); err != nil {
				return protocol.LeaderboardUpdate{}, err
			}
			page.Me = &v
		}
	}
	return page, nil
}

// Profile is a user's public profile.
func (s *Service) Profile(ctx context.Context, username string) (protocol.Profile, error) {
	u, err := s.st.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) || err == nil && u.Disabled {
		return protocol.Profile{}, errcode.New(errcode.NotFound, "no such user")
	}
	if err != nil {
		return protocol.Profile{}, err
	}
	prof, err := s.st.Profile(ctx, u.ID)
	if err != nil {
		return protocol.Profile{}, err
	}
	stats, err := s.st.ArenaStats(ctx, u.ID)
	if err != nil {
		return protocol.Profile{}, err
	}
	rank := 0 // unranked
	e, err := s.st.LeaderboardEntry(ctx, store.LeaderboardQuery{Board: store.BoardRating}, u.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return protocol.Profile{}, err
	default:
		rank = e.Rank
	}
	streak, err := s.st.WinStreak(ctx, u.ID)
	if err != nil {
		return protocol.Profile{}, err
	}
	hist, err := s.st.RatingHistory(ctx, u.ID, 200)
	if err != nil {
		return protocol.Profile{}, err
	}
	recent, err := s.st.PublicMatches(ctx, u.ID, 20)
	if err != nil {
		return protocol.Profile{}, err
	}
	out := protocol.Profile{User: protocol.ProfileUser{UserID: u.ID, Username: u.Username, DisplayName: prof.DisplayName,
		AvatarURL: prof.AvatarURL, Rating: prof.Rating, RD: prof.RD, Provisional: prof.RD > rating.ProvisionalRD, XP: prof.XP,
		Level: prof.Level, Rank: rank, Wins: stats.Wins, Losses: stats.Losses, Draws: stats.Draws, WinStreak: streak, JoinedAt: protocol.Time(u.CreatedAt)}}
	for _, h := range hist {
		out.RatingHistory = append(out.RatingHistory, protocol.RatingPoint{MatchID: h.MatchID, At: protocol.Time(h.At), Rating: h.Rating, Delta: h.Delta})
	}
	seen := map[string]bool{}
	for _, m := range recent {
		pm := protocol.ProfileMatch{MatchID: m.ID, Mode: protocol.Mode(m.Mode), ProblemID: m.ProblemID, ProblemTitle: m.ProblemTitle,
			Opponents: protocol.List[string]{}, FinishedAt: protocol.Time(m.FinishedAt)}
		for _, p := range m.Players {
			if p.UserID != u.ID {
				pm.Opponents = append(pm.Opponents, p.Username)
				continue
			}
			pm.Result = p.Result
			pm.RatingDelta = p.RatingAfter - p.RatingBefore
			// Solved: the player's best submission was the winning Accepted one.
			if p.Result == store.ResultWin && m.Reason == "won" && !seen[m.ProblemID] {
				seen[m.ProblemID] = true
				out.Solved = append(out.Solved, protocol.SolvedProblem{ProblemID: m.ProblemID, Title: m.ProblemTitle,
					Difficulty: m.ProblemDifficulty, SolvedAt: protocol.Time(m.FinishedAt)})
			}
		}
		out.RecentMatches = append(out.RecentMatches, pm)
	}
	return out, nil
}

// MatchRecord is a match as viewer (0: signed out; admin: an
// administrator) may see it (issue 17, README "Security model"):
//
//   - a player sees their own code at once, the other players' once the
//     match is over;
//   - anyone else sees code (and the coach's reports, which quote it) only
//     once the match is over and only for ranked and casual
//     matches; a private room's record shows no code to outsiders;
//   - a practice match is its player's own: anyone else gets not_found;
//   - administrators see everything.
func (s *Service) MatchRecord(ctx context.Context, id string, viewer int64, admin bool) (protocol.MatchRecord, error) {
	m, err := s.st.ArenaMatch(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return protocol.MatchRecord{}, errcode.New(errcode.NotFound, "no such match")
	}
	if err != nil {
		return protocol.MatchRecord{}, err
	}
	player := viewer != 0 && slices.ContainsFunc(m.Players, func(p store.ArenaPlayer) bool { return p.UserID == viewer })
	if m.Mode == "practice" && !player && !admin {
		return protocol.MatchRecord{}, errcode.New(errcode.NotFound, "no such match")
	}
	var x matchExtras
	if len(m.Snapshot) > 0 {
		if err := json.Unmarshal(m.Snapshot, &x); err != nil {
			return protocol.MatchRecord{}, fmt.Errorf("arena: snapshot of match %s: %w", m.ID, err)
		}
	}
	finished := m.State == store.MatchFinished || m.State == store.MatchCancelled
	// showCode: whose code this viewer may read (the rule replays follow).
	showCode := func(author int64) bool { return replayVisible(m, viewer, admin, author) }
	out := protocol.MatchRecord{Match: protocol.RecordMatch{MatchID: m.ID, Mode: protocol.Mode(m.Mode), Rule: ruleOf(m.Rule), State: m.State,
		Outcome: outcomes[m.Reason][0], Reason: outcomes[m.Reason][1], WinnerID: nullID(m.WinnerID),
		Problem:  protocol.RecordProblem{ID: m.ProblemID, Title: m.ProblemTitle, Difficulty: m.ProblemDifficulty},
		StartsAt: protocol.TimePtr(m.StartsAt), Deadline: protocol.TimePtr(m.Deadline), FinishedAt: protocol.TimePtr(m.FinishedAt)}}
	for _, p := range m.Players {
		out.Match.Players = append(out.Match.Players, protocol.RecordPlayer{UserID: p.UserID, Username: p.Username,
			Rating: p.RatingBefore, Result: p.Result, Place: p.Place})
	}
	for _, sub := range x.Match.Submissions {
		uid := sub.Player
		t := protocol.TimelineEvent{At: protocol.Time(sub.Received), UserID: &uid, Event: "submit"}
		stored, err := s.st.Submission(ctx, sub.ID)
		missing := errors.Is(err, store.ErrNotFound) // a load tool's fake judge stores none
		if err != nil && !missing {
			return protocol.MatchRecord{}, fmt.Errorf("arena: submission %s: %w", sub.ID, err)
		}
		if !missing && stored.Result != nil {
			t.Verdict, t.Passed, t.Total = protocol.Verdict(stored.Result.Verdict), ptr(stored.Result.Passed), ptr(stored.Result.Total)
		}
		out.Timeline = append(out.Timeline, t)
		// Code: see showCode.
		if missing || !showCode(sub.Player) {
			continue
		}
		rs := protocol.RecordSubmission{SubmissionID: sub.ID, UserID: sub.Player, Lang: stored.Lang, Verdict: protocol.VerdictPending,
			ReceivedAt: protocol.Time(sub.Received), Code: string(stored.Source)}
		if stored.Result != nil {
			rs.Verdict, rs.Passed, rs.Total = protocol.Verdict(stored.Result.Verdict), stored.Result.Passed, stored.Result.Total
		}
		out.Submissions = append(out.Submissions, rs)
	}
	if finished && !m.FinishedAt.IsZero() {
		out.Timeline = append(out.Timeline, protocol.TimelineEvent{At: protocol.Time(m.FinishedAt), Event: "finished", Detail: outcomes[m.Reason][0]})
	}
	if m.State == store.MatchFinished {
		for _, p := range m.Players {
			if m.Mode == "ranked" && len(m.Players) == 2 {
				out.Ratings = append(out.Ratings, ratingJSON{UserID: p.UserID, Before: p.RatingBefore, After: p.RatingAfter,
					Delta: p.RatingAfter - p.RatingBefore, RD: p.RDAfter})
			}
			out.XP = append(out.XP, xpJSON{UserID: p.UserID, Gained: p.XPGained})
		}
		// The coach explains the revealed solutions (quoting them): after
		// the end only, to those who may read the code.
		if showCode(0) {
			if out.Coach, err = s.coachView(ctx, m); err != nil {
				return protocol.MatchRecord{}, err
			}
		}
	}
	return out, nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// RunningMatches lists up to limit public matches being played (the
// spectate list): no private room's, no practice.
func (s *Service) RunningMatches(ctx context.Context, limit int) (protocol.RunningMatches, error) {
	var out protocol.RunningMatches
	err := s.eachActiveMatch(ctx, func(m store.ArenaMatch) bool {
		if m.Mode == "private" || m.Mode == "practice" || m.State != "running" && m.State != "countdown" && m.State != "judging" {
			return true
		}
		rm := protocol.RunningMatch{MatchID: m.ID, Mode: protocol.Mode(m.Mode), ProblemTitle: m.ProblemTitle,
			StartsAt: protocol.TimePtr(m.StartsAt), Deadline: protocol.TimePtr(m.Deadline)}
		for _, p := range m.Players {
			rm.Players = append(rm.Players, p.Username)
		}
		out.Matches = append(out.Matches, rm)
		return len(out.Matches) < limit
	})
	if err != nil {
		return protocol.RunningMatches{}, err
	}
	return out, nil
}

// errStatementHidden refuses a problem's page to a player of a reverse
// match on it (issue 21): the statement is what they must work out.
var errStatementHidden = errcode.New(errcode.ProblemInMatch,
	"you are playing this problem in a reverse match: its statement opens once the match is over")

// HidesStatement is errStatementHidden when user plays problem in a
// reverse match that is not over; the problem page and its assets ask it
// for a signed-in reader. A store error refuses too (fail closed).
func (s *Service) HidesStatement(ctx context.Context, user int64, problem string) error {
	ms, err := s.st.UserActiveMatches(ctx, user)
	if err != nil {
		return fmt.Errorf("arena: active matches of %d: %w", user, err)
	}
	for _, m := range ms {
		if m.Rule == string(protocol.RuleReverse) && m.ProblemID == problem {
			return errStatementHidden
		}
	}
	return nil
}

// errProblemInMatch refuses practice on a problem played live.
var errProblemInMatch = errcode.New(errcode.ProblemInMatch,
	"you are playing this problem in a match: submit and run it there (practice opens once the match is over)")

// PlayingProblem is errProblemInMatch when user plays problem in a match
// that is not over (practice matches aside: solo, nothing to learn). The
// REST judge routes ask it before a practice submission or run, so a
// player cannot have a match's problem judged on its hidden tests outside
// the match (issue 17). A store error refuses too (fail closed).
func (s *Service) PlayingProblem(ctx context.Context, user int64, problem string) error {
	ms, err := s.st.UserActiveMatches(ctx, user)
	if err != nil {
		return fmt.Errorf("arena: active matches of %d: %w", user, err)
	}
	for _, m := range ms {
		if m.Mode != "practice" && m.ProblemID == problem {
			return errProblemInMatch
		}
	}
	return nil
}
