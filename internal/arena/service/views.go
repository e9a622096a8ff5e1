package service

import (
	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// The wire shapes are package protocol's; these names are the arena's
// short-hands for them.
type (
	playerJSON           = protocol.Player
	matchStateJSON       = protocol.MatchState
	foundPlayerJSON      = protocol.FoundPlayer
	matchFoundJSON       = protocol.MatchFound
	windowJSON           = protocol.Window
	queueStatusJSON      = protocol.QueueStatus
	roomPlayerJSON       = protocol.RoomPlayer
	roomStateJSON        = protocol.RoomState
	progressJSON         = protocol.OpponentProgress
	submissionResultJSON = protocol.SubmissionResult
	runResultJSON        = protocol.RunResult
	ratingJSON           = protocol.RatingChange
	xpJSON               = protocol.XPChange
	solutionJSON         = protocol.Solution
	matchFinishedJSON    = protocol.MatchFinished
	myCodeJSON           = protocol.MyCode
	queueSizeJSON        = protocol.QueueInfo
	recentMatchJSON      = protocol.RecentMatch
	lobbyJSON            = protocol.LobbyState
	meJSON               = protocol.SnapshotUser
	snapshotJSON         = protocol.Snapshot
	leaderboardEntryJSON = protocol.LeaderboardEntry
	leaderboardJSON      = protocol.LeaderboardUpdate
	coachJSON            = protocol.CoachNote
	matchCoachJSON       = protocol.MatchCoach
	problemJSON          = protocol.Problem
	liveMatchJSON        = protocol.LiveMatch
	matchCancelledJSON   = protocol.MatchCancelled
	progressEventJSON    = protocol.SubmissionProgress
)

// lobbySnapshotJSON is the matchmaker's part of a user's snapshot.
type lobbySnapshotJSON struct {
	Queue        *queueStatusJSON       `json:"queue"`
	PendingMatch *matchFoundJSON        `json:"pending_match"`
	Room         *roomStateJSON         `json:"room"`
	MatchID      string                 `json:"match_id,omitempty"` // the match the user plays in
	Lobby        lobbyJSON              `json:"lobby"`
	Rematch      *protocol.RematchState `json:"rematch,omitempty"`
}

// matchSnapshotJSON is the match owner's part of a player's snapshot.
type matchSnapshotJSON struct {
	Match  *matchStateJSON `json:"match"`
	MyCode *myCodeJSON     `json:"my_code"`
}

// protocolState maps the lifecycle to the protocol's states. "accepted"
// lasts no time (the problem is chosen at once) and "judging" (waiting for
// verdicts of submissions received before the deadline) shows as running:
// the clock is at zero and the client already refuses new submits.
func protocolState(s match.State) protocol.Phase {
	switch s {
	case match.Accepted:
		return protocol.PhaseCountdown
	case match.Judging:
		return protocol.PhaseRunning
	}
	return protocol.Phase(s)
}

func ptr[T any](v T) *T { return &v }

// ruleOf is the protocol's rule for a stored or queued one ("" fastest).
func ruleOf(r string) protocol.Rule {
	if r == "" {
		return protocol.RuleFastest
	}
	return protocol.Rule(r)
}

// measureOf is how a bigo match measured an Accepted submission (nil:
// not measured, not Accepted, or not a bigo match).
func measureOf(snap match.Snapshot, subID string) *protocol.Measure {
	for _, sub := range snap.Submissions {
		if sub.ID == subID && sub.Accepted && sub.Measure != "" {
			return ptr(protocol.Measure(sub.Measure))
		}
	}
	return nil
}
