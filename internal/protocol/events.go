package protocol

import "encoding/json"

// Server → client payloads (docs/protocol.md section 4). Times are strings
// from Time; nullable times are *string.

// Player is a player of a match as everyone sees it.
type Player struct {
	UserID    int64   `json:"user_id"`
	Username  string  `json:"username"`
	Rating    float64 `json:"rating"`
	RD        float64 `json:"rd"`
	Level     int     `json:"level"`
	Connected bool    `json:"connected"`
	// GraceDeadline is set while the player is disconnected from a
	// running match: they forfeit then unless they come back.
	GraceDeadline *string  `json:"grace_deadline"`
	Accepted      bool     `json:"accepted"`
	TestsPassed   int      `json:"tests_passed"`
	TestsTotal    int      `json:"tests_total"` // 0 until the first judged submission
	LastVerdict   *Verdict `json:"last_verdict"`
	Submissions   int      `json:"submissions"`
	Typing        bool     `json:"typing"`
	// RunningSamples: a sample run (code.run) of this player is on a
	// worker now, as their node told the match's owner.
	RunningSamples bool `json:"running_samples"`
	Finished       bool `json:"finished"`
	// WinStreak is the player's win streak when the match started.
	WinStreak int `json:"win_streak"`
	// Measure (bigo matches): how the coach measured the player's latest
	// Accepted submission; absent while it is measured, or without one.
	Measure *Measure `json:"measure,omitempty"`
}

// Sample is a sample test of a problem.
type Sample struct {
	Input  string `json:"input"`
	Output string `json:"output"`
}

// Problem is a problem as a match shows it (never before countdown).
type Problem struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	Difficulty  int          `json:"difficulty"`
	Tags        List[string] `json:"tags"`
	TimeLimitMS int64        `json:"time_limit_ms"`
	// TimeLimitsMS has the languages whose limit differs from
	// time_limit_ms (--time-multipliers), e.g. {"python": 3000}.
	TimeLimitsMS map[string]int64 `json:"time_limits_ms,omitempty"`
	MemoryMB     int64            `json:"memory_mb"`
	// Statement is Markdown with TeX math between $…$ / $$…$$; "" with
	// StatementHidden (a reverse match while it runs: the samples only).
	Statement       string       `json:"statement_md"`
	StatementHidden bool         `json:"statement_hidden,omitempty"`
	Samples         List[Sample] `json:"samples"`
	Languages       List[string] `json:"languages" ts:"Lang[]"`
}

// MatchState is match.state: a match from found on, as a player or a
// spectator (You null) sees it.
type MatchState struct {
	MatchID    string       `json:"match_id"`
	Mode       Mode         `json:"mode"`
	Rule       Rule         `json:"rule"`
	State      Phase        `json:"state"`
	You        *int64       `json:"you"`
	Spectating bool         `json:"spectating"`
	ServerNow  string       `json:"server_now"`
	StartsAt   *string      `json:"starts_at"`
	Deadline   *string      `json:"deadline"`
	DurationS  int          `json:"duration_s"`
	Problem    *Problem     `json:"problem"`
	Players    List[Player] `json:"players"`
	// Ghost is the ghost this practice races (absent: none).
	Ghost *GhostInfo `json:"ghost,omitempty"`
	// LiveEditors: spectators watch the players' editors live
	// (editor.live); Editors, in the reply to spectate only, is each
	// player's editor now.
	LiveEditors bool         `json:"live_editors,omitempty"`
	Editors     []EditorLive `json:"editors,omitempty"`
}

// FoundPlayer is a player of a match being accepted.
type FoundPlayer struct {
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Rating   float64 `json:"rating"`
	RD       float64 `json:"rd"`
	Level    int     `json:"level"`
	Accepted bool    `json:"accepted"`
	// WinStreak is the player's current win streak (consecutive wins).
	WinStreak int `json:"win_streak"`
}

// MatchFound is match.found: accept before AcceptDeadline.
type MatchFound struct {
	MatchID        string            `json:"match_id"`
	Mode           Mode              `json:"mode"`
	Rule           Rule              `json:"rule"`
	ServerNow      string            `json:"server_now"`
	AcceptDeadline string            `json:"accept_deadline"`
	Difficulty     int               `json:"difficulty"`
	Players        List[FoundPlayer] `json:"players"`
}

// Window is the rating range a queued ticket is matched in.
type Window struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// QueueStatus is queue.status.
type QueueStatus struct {
	Queued    bool    `json:"queued"`
	Mode      *Mode   `json:"mode"`
	Rule      *Rule   `json:"rule"` // the free-for-all's rule while queued for one
	JoinedAt  *string `json:"joined_at"`
	ServerNow string  `json:"server_now"`
	// Window is null for unrated modes.
	Window        *Window `json:"window"`
	CooldownUntil *string `json:"cooldown_until"`
}

// RoomPlayer is a member of a private room.
type RoomPlayer struct {
	UserID    int64   `json:"user_id"`
	Username  string  `json:"username"`
	Rating    float64 `json:"rating"`
	Level     int     `json:"level"`
	Connected bool    `json:"connected"`
}

// RoomState is room.state.
type RoomState struct {
	Code       string  `json:"code"`
	HostID     int64   `json:"host_id"`
	MaxPlayers int     `json:"max_players"`
	DurationS  int     `json:"duration_s"`
	ProblemID  *string `json:"problem_id"`
	Rule       Rule    `json:"rule"`
	// LiveEditors: the host opened the room's match to spectators, who
	// watch the editors live (it is still unrated and not listed).
	LiveEditors bool             `json:"live_editors,omitempty"`
	Closed      bool             `json:"closed"`
	Players     List[RoomPlayer] `json:"players"`
}

// OpponentProgress is opponent.progress: another player's progress (never
// code).
type OpponentProgress struct {
	MatchID     string   `json:"match_id"`
	UserID      int64    `json:"user_id"`
	TestsPassed int      `json:"tests_passed"`
	TestsTotal  int      `json:"tests_total"`
	LastVerdict *Verdict `json:"last_verdict"`
	Submissions int      `json:"submissions"`
	Typing      bool     `json:"typing"`
	// RunningSamples: a sample run of this player is on a worker now.
	RunningSamples bool    `json:"running_samples"`
	Connected      bool    `json:"connected"`
	GraceDeadline  *string `json:"grace_deadline"`
	ServerNow      string  `json:"server_now"`
	// Measure is Player's (bigo matches).
	Measure *Measure `json:"measure,omitempty"`
}

// SubmissionProgress is submission.progress, to both players and the
// spectators: a submission of UserID being judged. Phase compiling has
// Test 0; phase running has Test, the tests judged so far (from 1), of
// Total. It never carries a verdict: a verdict is final, and comes as the
// submission's result.
type SubmissionProgress struct {
	MatchID      string     `json:"match_id"`
	SubmissionID string     `json:"submission_id"`
	UserID       int64      `json:"user_id"`
	Phase        JudgePhase `json:"phase"`
	Test         int        `json:"test"`
	Total        int        `json:"total"`
}

// SubmissionResult is submission.result, the answer to code.submit.
type SubmissionResult struct {
	MatchID      string  `json:"match_id"`
	SubmissionID string  `json:"submission_id"`
	Lang         string  `json:"lang" ts:"Lang"`
	Verdict      Verdict `json:"verdict"`
	Passed       int     `json:"passed"`
	Total        int     `json:"total"`
	FailedTest   *int    `json:"failed_test"`
	TimeMS       int64   `json:"time_ms"`
	MemoryKB     int64   `json:"memory_kb"`
	CompileError *string `json:"compile_error"`
	ReceivedAt   string  `json:"received_at"`
}

// RunCase is one sample's (or the custom input's) outcome of a run.
type RunCase struct {
	Sample   int     `json:"sample"`  // 1-based; 1 for custom input
	Verdict  Verdict `json:"verdict"` // OK for a custom input that ran normally
	TimeMS   int64   `json:"time_ms"`
	MemoryKB int64   `json:"memory_kb"`
	Input    string  `json:"input"`
	Expected *string `json:"expected"` // null for custom input: nothing to compare with
	Actual   string  `json:"actual"`
	Stderr   string  `json:"stderr"`
}

// RunResult is run.result (and POST /api/v1/runs): a compile error, or one
// case per sample (or one for the custom input).
type RunResult struct {
	MatchID      string        `json:"match_id,omitempty"`
	CompileError *string       `json:"compile_error"`
	Results      List[RunCase] `json:"results"`
}

// RatingChange is one player's rating change.
type RatingChange struct {
	UserID int64   `json:"user_id"`
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	Delta  float64 `json:"delta"`
	RD     float64 `json:"rd"`
}

// XPChange is one player's XP award.
type XPChange struct {
	UserID    int64            `json:"user_id"`
	Gained    int64            `json:"gained"`
	Total     int64            `json:"total"`
	Level     int              `json:"level"`
	LevelUp   bool             `json:"level_up"`
	Breakdown map[string]int64 `json:"breakdown,omitempty"`
	// WinStreak is the player's current win streak (after this match
	// when it just ended); 0 in the REST match record.
	WinStreak int `json:"win_streak"`
}

// Solution is a player's best submission, revealed when the match ends.
type Solution struct {
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Lang     string  `json:"lang" ts:"Lang"`
	Verdict  Verdict `json:"verdict"`
	Passed   int     `json:"passed"`
	Total    int     `json:"total"`
	Code     string  `json:"code"`
	// Chars is the code's non-whitespace characters (what a shortest
	// match ranks).
	Chars int `json:"chars"`
	// Measure is, in a bigo match, how the coach measured this solution
	// against the intended class (null: not Accepted, or not a bigo match).
	Measure *Measure `json:"measure"`
}

// CoachNote is the coach's headline for one revealed solution, with its
// whole report.
type CoachNote struct {
	UserID       int64    `json:"user_id"`
	SubmissionID string   `json:"submission_id"`
	Time         string   `json:"time"`
	Space        string   `json:"space"`
	Confidence   *float64 `json:"confidence,omitempty"` // of the report's one decision (static analysis and measurement), 0..1; absent in older reports
	IntendedTime string   `json:"intended_time"`
	Explanation  string   `json:"explanation"`
	// Report is the coach's whole report (internal/coach Report).
	Report json.RawMessage `json:"report" ts:"CoachReport"`
}

// MatchFinished is match.finished.
type MatchFinished struct {
	MatchID    string             `json:"match_id"`
	Mode       Mode               `json:"mode"`
	Rule       Rule               `json:"rule"`
	Outcome    Outcome            `json:"outcome"`
	Reason     string             `json:"reason"`
	WinnerID   *int64             `json:"winner_id"`
	FinishedAt string             `json:"finished_at"`
	Ratings    List[RatingChange] `json:"ratings"` // empty for unrated modes
	XP         List[XPChange]     `json:"xp"`
	Solutions  List[Solution]     `json:"solutions"`
	Coach      List[CoachNote]    `json:"coach"` // the reports stored so far
}

// MatchCoach is match.coach: every coach report of a finished match so far.
type MatchCoach struct {
	MatchID string          `json:"match_id"`
	Coach   List[CoachNote] `json:"coach"`
}

// MyCode is the player's latest code in their current match.
type MyCode struct {
	MatchID string `json:"match_id"`
	Lang    string `json:"lang" ts:"Lang"`
	Code    string `json:"code"`
}

// QueueInfo is one queue's size in the lobby.
type QueueInfo struct {
	Waiting    int `json:"waiting"`
	MedianWait int `json:"median_wait_s"`
}

// CardPlayer is a player as a lobby card shows them: the id (their
// avatar), the name, and the rating with its tier badge (at the start of
// the match). Tier is a rating tier's id (TIERS); Provisional marks a
// rating still uncertain (rd > PROVISIONAL_RD).
type CardPlayer struct {
	UserID      int64   `json:"user_id"`
	Username    string  `json:"username"`
	Rating      float64 `json:"rating"`
	Tier        string  `json:"tier"`
	Provisional bool    `json:"provisional"`
}

// RecentMatch is a match that ended, in the lobby's public feed (never
// practice, which is the player's own).
type RecentMatch struct {
	MatchID      string       `json:"match_id"`
	Mode         Mode         `json:"mode"`
	ProblemTitle string       `json:"problem_title"`
	Players      List[string] `json:"players"`
	Winner       *string      `json:"winner"`
	FinishedAt   string       `json:"finished_at"`
	// Cards are Players with what a card shows of them, in the same order.
	Cards List[CardPlayer] `json:"cards"`
}

// LiveMatch is a running public match anyone may spectate (an item of
// GET /api/v1/matches?state=running too).
type LiveMatch struct {
	MatchID      string       `json:"match_id"`
	Mode         Mode         `json:"mode"`
	Rule         Rule         `json:"rule"`
	ProblemTitle string       `json:"problem_title"`
	Players      List[string] `json:"players"`
	StartsAt     *string      `json:"starts_at"`
	Deadline     *string      `json:"deadline"`
	// Cards are Players with what a card shows of them, in the same order.
	Cards List[CardPlayer] `json:"cards"`
}

// LobbyState is lobby.state.
type LobbyState struct {
	Online        int                `json:"online"`
	Queues        map[Mode]QueueInfo `json:"queues"`
	RecentMatches List[RecentMatch]  `json:"recent_matches"`
	// LiveMatches is the spectate list, pushed: the running public
	// matches, newest first, at most 20 of LiveTotal.
	LiveMatches List[LiveMatch] `json:"live_matches"`
	LiveTotal   int             `json:"live_total"`
	// Featured is the problem of the day (UTC date), the same on every
	// node and for everyone; null while no problem is playable.
	Featured *FeaturedProblem `json:"featured"`
	// OnlineTiers counts who is online by tier id (TIERS), among the users
	// whose rating the server has read (a user who just connected counts a
	// second or two later); a tier with nobody online is absent.
	OnlineTiers map[string]int `json:"online_tiers"`
	// OnlinePlayers is who is online: the first 50 of those counted by
	// rating (highest first, then name), with their tier.
	OnlinePlayers List[CardPlayer] `json:"online_players"`
}

// FeaturedProblem is the lobby's problem of the day: chosen from the
// playable problems by a hash of Date (YYYY-MM-DD, UTC).
type FeaturedProblem struct {
	Date       string `json:"date"`
	ID         string `json:"id"`
	Title      string `json:"title"`
	Difficulty int    `json:"difficulty"`
}

// CancelReason is why a found match will not start (match.cancelled).
type CancelReason string

const (
	CancelDeclined      CancelReason = "declined"       // a player declined
	CancelAcceptTimeout CancelReason = "accept_timeout" // a player did not accept in time
	// CancelStartFailed: everyone accepted but the server could not start
	// the match (its store or node failed); nobody is queued, queue again.
	CancelStartFailed CancelReason = "start_failed"
)

// MatchCancelled is match.cancelled, to every player of a found match
// that will not start. You is true for whoever declined or let the time
// run out (they get CooldownUntil); Requeued is true for those back in the
// queue, with their waiting time kept.
type MatchCancelled struct {
	MatchID       string       `json:"match_id"`
	Mode          Mode         `json:"mode"`
	Reason        CancelReason `json:"reason"`
	You           bool         `json:"you"`
	Requeued      bool         `json:"requeued"`
	CooldownUntil *string      `json:"cooldown_until"`
	ServerNow     string       `json:"server_now"`
}

// SnapshotUser is the signed-in user in a snapshot.
type SnapshotUser struct {
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Rating   float64 `json:"rating"`
	RD       float64 `json:"rd"`
	XP       int64   `json:"xp"`
	Level    int     `json:"level"`
}

// Snapshot is the answer to hello and resume: the whole state of the user.
type Snapshot struct {
	ServerNow    string       `json:"server_now"`
	User         SnapshotUser `json:"user"`
	Lobby        LobbyState   `json:"lobby"`
	Queue        *QueueStatus `json:"queue"`
	PendingMatch *MatchFound  `json:"pending_match"`
	Match        *MatchState  `json:"match"`
	Room         *RoomState   `json:"room"`
	MyCode       *MyCode      `json:"my_code"`
	// LastFinished is the player's latest match.finished when it ended in
	// the last 10 minutes and the player is in no other match.
	LastFinished *MatchFinished `json:"last_finished"`
	// Rematch is the rematch of the player's last match while it is open
	// (or decided less than a minute ago).
	Rematch *RematchState `json:"rematch"`
}

// RematchStatus is where a rematch offer is (rematch.state "state").
type RematchStatus string

const (
	RematchOpen     RematchStatus = "open"     // offered by Accepted, waiting for the other player until ExpiresAt
	RematchStarted  RematchStatus = "started"  // both accepted: NewMatchID runs
	RematchDeclined RematchStatus = "declined" // By declined (or withdrew their offer)
	RematchLeft     RematchStatus = "left"     // By queued, joined a room or started another match
	RematchExpired  RematchStatus = "expired"  // nobody completed it before ExpiresAt
	RematchFailed   RematchStatus = "failed"   // both accepted but the new match could not start
)

// RematchState is rematch.state, to both players of a finished 1v1 match
// whenever its rematch changes.
type RematchState struct {
	MatchID    string        `json:"match_id"` // the finished match
	State      RematchStatus `json:"state"`
	Accepted   List[int64]   `json:"accepted"` // the players who offered or accepted
	By         *int64        `json:"by"`       // who declined or left
	ExpiresAt  string        `json:"expires_at"`
	NewMatchID *string       `json:"new_match_id"`
	ServerNow  string        `json:"server_now"`
}

// LeaderboardEntry is one row of a leaderboard.
type LeaderboardEntry struct {
	Rank        int     `json:"rank"`
	UserID      int64   `json:"user_id"`
	Username    string  `json:"username"`
	Rating      float64 `json:"rating"`
	RD          float64 `json:"rd"`
	Provisional bool    `json:"provisional"`
	XP          int64   `json:"xp"`
	Level       int     `json:"level"`
	WeeklyXP    int64   `json:"weekly_xp"`
	// WinStreak is the player's current win streak (0: none).
	WinStreak int `json:"win_streak"`
}

// LeaderboardUpdate is leaderboard.update (and GET /api/v1/leaderboard,
// with Me and without ServerNow).
type LeaderboardUpdate struct {
	Board     Board                  `json:"board"`
	Offset    int                    `json:"offset"`
	Limit     int                    `json:"limit"`
	Total     int                    `json:"total"`
	ServerNow string                 `json:"server_now,omitempty"`
	Entries   List[LeaderboardEntry] `json:"entries"`
	// Changed lists the users whose rank or rating changed since the
	// previous push.
	Changed List[int64]       `json:"changed"`
	Me      *LeaderboardEntry `json:"me,omitempty"`
}

// Pong is pong, the answer to ping.
type Pong struct {
	ServerNow string `json:"server_now"`
}

// EventSpec describes one server message.
type EventSpec struct {
	Event Event
	Data  any // a zero value of the payload type
}

// Events is every server message, in the order of the references.
func Events() []EventSpec {
	return []EventSpec{
		{EventSnapshot, Snapshot{}},
		{EventLobbyState, LobbyState{}},
		{EventQueueStatus, QueueStatus{}},
		{EventMatchFound, MatchFound{}},
		{EventMatchCancelled, MatchCancelled{}},
		{EventMatchState, MatchState{}},
		{EventRunResult, RunResult{}},
		{EventSubmissionProgress, SubmissionProgress{}},
		{EventSubmissionResult, SubmissionResult{}},
		{EventOpponentProgress, OpponentProgress{}},
		{EventMatchFinished, MatchFinished{}},
		{EventMatchCoach, MatchCoach{}},
		{EventRoomState, RoomState{}},
		{EventLeaderboardUpdate, LeaderboardUpdate{}},
		{EventPong, Pong{}},
		{EventError, ErrorData{}},
		{EventRematchState, RematchState{}},
		{EventChatHistory, ChatHistory{}},
		{EventChatMessage, ChatMessage{}},
		{EventChatDeleted, ChatDeleted{}},
		{EventChatMutes, ChatMutes{}},
		{EventChatReported, ChatReported{}},
		{EventChatTimedOut, ChatTimedOut{}},
		{EventChatReports, ChatReports{}},
		{EventGhostProgress, GhostProgress{}},
		{EventGhostResult, GhostResult{}},
		{EventEditorLive, EditorLive{}},
		{EventTournamentUpdate, TournamentUpdate{}},
	}
}
