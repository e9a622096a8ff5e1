package service

import (
	"encoding/json"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/execution"
)

// Wire shapes of docs/protocol.md section 4. Times are strings from
// realtime.Time; nullable times are *string.

type playerJSON struct {
	UserID        int64   `json:"user_id"`
	Username      string  `json:"username"`
	Rating        float64 `json:"rating"`
	RD            float64 `json:"rd"`
	Level         int     `json:"level"`
	Connected     bool    `json:"connected"`
	GraceDeadline *string `json:"grace_deadline"`
	Accepted      bool    `json:"accepted"`
	TestsPassed   int     `json:"tests_passed"`
	TestsTotal    int     `json:"tests_total"`
	LastVerdict   *string `json:"last_verdict"`
	Submissions   int     `json:"submissions"`
	Typing        bool    `json:"typing"`
	Finished      bool    `json:"finished"`
}

type matchStateJSON struct {
	MatchID    string       `json:"match_id"`
	Mode       string       `json:"mode"`
	State      string       `json:"state"`
	You        *int64       `json:"you"`
	Spectating bool         `json:"spectating"`
	ServerNow  string       `json:"server_now"`
	StartsAt   *string      `json:"starts_at"`
	Deadline   *string      `json:"deadline"`
	DurationS  int          `json:"duration_s"`
	Problem    *problemJSON `json:"problem"`
	Players    []playerJSON `json:"players"`
}

type foundPlayerJSON struct {
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Rating   float64 `json:"rating"`
	RD       float64 `json:"rd"`
	Level    int     `json:"level"`
	Accepted bool    `json:"accepted"`
}

type matchFoundJSON struct {
	MatchID        string            `json:"match_id"`
	Mode           string            `json:"mode"`
	ServerNow      string            `json:"server_now"`
	AcceptDeadline string            `json:"accept_deadline"`
	Difficulty     int               `json:"difficulty"`
	Players        []foundPlayerJSON `json:"players"`
}

type windowJSON struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

type queueStatusJSON struct {
	Queued        bool        `json:"queued"`
	Mode          *string     `json:"mode"`
	JoinedAt      *string     `json:"joined_at"`
	ServerNow     string      `json:"server_now"`
	Window        *windowJSON `json:"window"`
	CooldownUntil *string     `json:"cooldown_until"`
}

type roomPlayerJSON struct {
	UserID    int64   `json:"user_id"`
	Username  string  `json:"username"`
	Rating    float64 `json:"rating"`
	Level     int     `json:"level"`
	Connected bool    `json:"connected"`
}

type roomStateJSON struct {
	Code       string           `json:"code"`
	HostID     int64            `json:"host_id"`
	MaxPlayers int              `json:"max_players"`
	DurationS  int              `json:"duration_s"`
	ProblemID  *string          `json:"problem_id"`
	Closed     bool             `json:"closed"`
	Players    []roomPlayerJSON `json:"players"`
}

type progressJSON struct {
	MatchID       string  `json:"match_id"`
	UserID        int64   `json:"user_id"`
	TestsPassed   int     `json:"tests_passed"`
	TestsTotal    int     `json:"tests_total"`
	LastVerdict   *string `json:"last_verdict"`
	Submissions   int     `json:"submissions"`
	Typing        bool    `json:"typing"`
	Connected     bool    `json:"connected"`
	GraceDeadline *string `json:"grace_deadline"`
	ServerNow     string  `json:"server_now"`
}

type submissionResultJSON struct {
	MatchID      string  `json:"match_id"`
	SubmissionID string  `json:"submission_id"`
	Lang         string  `json:"lang"`
	Verdict      string  `json:"verdict"`
	Passed       int     `json:"passed"`
	Total        int     `json:"total"`
	FailedTest   *int    `json:"failed_test"`
	TimeMS       int64   `json:"time_ms"`
	MemoryKB     int64   `json:"memory_kb"`
	CompileError *string `json:"compile_error"`
	ReceivedAt   string  `json:"received_at"`
}

// runResultJSON is run.result: execution's RunResult with the match.
type runResultJSON struct {
	MatchID      string                    `json:"match_id"`
	CompileError *string                   `json:"compile_error"`
	Results      []execution.RunTestResult `json:"results"`
}

type ratingJSON struct {
	UserID int64   `json:"user_id"`
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	Delta  float64 `json:"delta"`
	RD     float64 `json:"rd"`
}

type xpJSON struct {
	UserID    int64            `json:"user_id"`
	Gained    int64            `json:"gained"`
	Total     int64            `json:"total"`
	Level     int              `json:"level"`
	LevelUp   bool             `json:"level_up"`
	Breakdown *json.RawMessage `json:"breakdown,omitempty"`
}

type solutionJSON struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	Lang     string `json:"lang"`
	Verdict  string `json:"verdict"`
	Passed   int    `json:"passed"`
	Total    int    `json:"total"`
	Code     string `json:"code"`
}

type matchFinishedJSON struct {
	MatchID    string         `json:"match_id"`
	Mode       string         `json:"mode"`
	Outcome    string         `json:"outcome"`
	Reason     string         `json:"reason"`
	WinnerID   *int64         `json:"winner_id"`
	FinishedAt string         `json:"finished_at"`
	Ratings    []ratingJSON   `json:"ratings"`
	XP         []xpJSON       `json:"xp"`
	Solutions  []solutionJSON `json:"solutions"`
	Coach      any            `json:"coach"`
}

type myCodeJSON struct {
	MatchID string `json:"match_id"`
	Lang    string `json:"lang"`
	Code    string `json:"code"`
}

type queueSizeJSON struct {
	Waiting    int `json:"waiting"`
	MedianWait int `json:"median_wait_s"`
}

type recentMatchJSON struct {
	MatchID      string   `json:"match_id"`
	Mode         string   `json:"mode"`
	ProblemTitle string   `json:"problem_title"`
	Players      []string `json:"players"`
	Winner       *string  `json:"winner"`
	FinishedAt   string   `json:"finished_at"`
}

type lobbyJSON struct {
	Online        int                      `json:"online"`
	Queues        map[string]queueSizeJSON `json:"queues"`
	RecentMatches []recentMatchJSON        `json:"recent_matches"`
}

// userSnapshot is what the leader knows of one user for `snapshot`.
type userSnapshot struct {
	Queue        *queueStatusJSON `json:"queue"`
	PendingMatch *matchFoundJSON  `json:"pending_match"`
	Match        *matchStateJSON  `json:"match"`
	Room         *roomStateJSON   `json:"room"`
	MyCode       *myCodeJSON      `json:"my_code"`
	Lobby        lobbyJSON        `json:"lobby"`
}

type meJSON struct {
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Rating   float64 `json:"rating"`
	RD       float64 `json:"rd"`
	XP       int64   `json:"xp"`
	Level    int     `json:"level"`
}

type snapshotJSON struct {
	ServerNow    string           `json:"server_now"`
	User         meJSON           `json:"user"`
	Lobby        lobbyJSON        `json:"lobby"`
	Queue        *queueStatusJSON `json:"queue"`
	PendingMatch *matchFoundJSON  `json:"pending_match"`
	Match        *matchStateJSON  `json:"match"`
	Room         *roomStateJSON   `json:"room"`
	MyCode       *myCodeJSON      `json:"my_code"`
	// LastFinished is the result of the player's latest match when it
	// ended in the last 10 minutes and the player is in no other match.
	LastFinished *matchFinishedJSON `json:"last_finished"`
}

type leaderboardEntryJSON struct {
	Rank        int     `json:"rank"`
	UserID      int64   `json:"user_id"`
	Username    string  `json:"username"`
	Rating      float64 `json:"rating"`
	RD          float64 `json:"rd"`
	Provisional bool    `json:"provisional"`
	XP          int64   `json:"xp"`
	Level       int     `json:"level"`
	WeeklyXP    int64   `json:"weekly_xp"`
}

type leaderboardJSON struct {
	Board     string                 `json:"board"`
	Offset    int                    `json:"offset"`
	Limit     int                    `json:"limit"`
	Total     int                    `json:"total"`
	ServerNow string                 `json:"server_now,omitempty"`
	Entries   []leaderboardEntryJSON `json:"entries"`
	Changed   []int64                `json:"changed"`
	Me        *leaderboardEntryJSON  `json:"me,omitempty"`
}

// protocolState maps the lifecycle to the protocol's states. "accepted"
// lasts no time (the problem is chosen at once) and "judging" (waiting for
// verdicts of submissions received before the deadline) shows as running:
// the clock is at zero and the client already refuses new submits.
func protocolState(s match.State) string {
	switch s {
	case match.Accepted:
		return "countdown"
	case match.Judging:
		return "running"
	}
	return string(s)
}

func ptr[T any](v T) *T { return &v }
