package store

import (
	"context"
	"time"
)

// Arena is the persistence of matches, ratings, XP and the leaderboards
// (issue 6); part of Store.
//
// Fencing: every match write carries the fencing token (Fence) of the API
// node that owns the match. The store keeps the highest token it accepted
// per match and refuses, with ErrFenced and without writing anything, a
// write whose token is lower, so a node that lost a match (its new owner
// claimed it with a higher token) can never write it again.
type Arena interface {
	// CreateMatch stores a new match with its players (rating before the
	// match) and its owner's token m.Fence. ErrConflict if the id exists,
	// ErrPlayerBusy (nothing written) if a player is in an active match:
	// the check and the insert are one transaction, serialized per player.
	CreateMatch(ctx context.Context, m ArenaMatch) error
	// ClaimMatch makes fence the match's token (a new owner takes it over)
	// and returns the match as stored, which no writer with a lower token
	// can change any more. ErrFenced if the match holds a higher token,
	// ErrNotFound if absent. Claiming with the token already held is a
	// no-op; a terminal match is returned as it is.
	ClaimMatch(ctx context.Context, id string, fence int64) (ArenaMatch, error)
	// SaveMatchState updates the mutable columns of a match that is not
	// terminal yet: state, problem, start, deadline and the state-machine
	// snapshot. ErrNotFound if absent, ErrFenced if m.Fence is lower than
	// the match's token; a finished or cancelled match is left unchanged
	// (nil error), so a late writer cannot reopen it.
	SaveMatchState(ctx context.Context, m ArenaMatch) error
	// SaveMatchStates is SaveMatchState of several matches in one
	// transaction (a node's saves, grouped): errs[i] is ms[i]'s own
	// outcome (nil, ErrNotFound or ErrFenced; the others are saved all
	// the same), err a failure of the whole batch (nothing saved).
	SaveMatchStates(ctx context.Context, ms []ArenaMatch) (errs []error, err error)
	// FinishMatch ends a match in ONE transaction: the match row, each
	// player's result, rating (when rated), rating history, XP event and
	// profile. compute receives every player's current profile and win
	// streak, read inside the transaction, and returns the updates. It is
	// idempotent per match: if the match is already terminal, nothing is
	// written, compute is not called and applied is false. ErrFenced (and
	// nothing written, compute not called) if f.Fence is lower than the
	// match's token.
	FinishMatch(ctx context.Context, f ArenaFinish, compute func([]ArenaStanding) ([]ArenaUpdate, error)) (applied bool, err error)
	// ArenaMatch returns a match with its players (usernames filled).
	ArenaMatch(ctx context.Context, id string) (ArenaMatch, error) // ErrNotFound
	// ActiveMatches lists matches not finished or cancelled, oldest first.
	ActiveMatches(ctx context.Context, limit int) ([]ArenaMatch, error)
	// ActiveMatchesAfter is one page of ActiveMatches: up to limit active
	// matches that come after cursor in its order (created_at, id); the
	// zero cursor starts at the first. The next page's cursor is the last
	// match's CursorOf.
	ActiveMatchesAfter(ctx context.Context, cursor MatchCursor, limit int) ([]ArenaMatch, error)
	// ActivePlayers lists the players of the matches not finished or
	// cancelled (without reading the match rows), by match: nodes find the
	// matches they own, and the matchmaker who is playing, with it.
	ActivePlayers(ctx context.Context, limit int) ([]ActivePlayer, error)
	// RecentMatches lists a user's finished matches, newest first,
	// practice included.
	RecentMatches(ctx context.Context, userID int64, limit int) ([]ArenaMatch, error)
	// PublicMatches is RecentMatches without practice and private rooms:
	// what others may see of a user (practice is solo and unrated, the
	// player's own; a private room is its invitees').
	PublicMatches(ctx context.Context, userID int64, limit int) ([]ArenaMatch, error)
	// RecentlyFinished lists the latest finished matches of everyone,
	// practice and private rooms excluded (the lobby's public feed).
	RecentlyFinished(ctx context.Context, limit int) ([]ArenaMatch, error)
	// RecentProblems lists the problems of a user's latest matches, newest
	// first (a problem repeats if played twice).
	RecentProblems(ctx context.Context, userID int64, limit int) ([]string, error)
	// WinStreak is the user's current win streak: consecutive wins in
	// their latest finished matches with a result (practice and
	// cancelled matches have none), the same count FinishMatch gives
	// compute; 0 after a loss or a draw, at most 50.
	WinStreak(ctx context.Context, userID int64) (int, error)
	// WinStreaks is WinStreak of each user (leaderboard rows): only the
	// users with a streak are in the map.
	WinStreaks(ctx context.Context, userIDs []int64) (map[int64]int, error)
	// RatedUsers returns the username, rating and RD of each of userIDs
	// that exists and is not disabled (others are left out), in id order:
	// the lobby's list of who is online.
	RatedUsers(ctx context.Context, userIDs []int64) ([]RatedUser, error)
	// RatingHistory lists a user's rating points, oldest first, the latest
	// limit of them.
	RatingHistory(ctx context.Context, userID int64, limit int) ([]RatingPoint, error)
	// Leaderboard returns one page of a board and the number of entries.
	Leaderboard(ctx context.Context, q LeaderboardQuery) ([]LeaderboardEntry, int, error)
	// LeaderboardEntry returns one user's entry (with rank) on a board.
	LeaderboardEntry(ctx context.Context, q LeaderboardQuery, userID int64) (LeaderboardEntry, error) // ErrNotFound
	// ArenaStats counts a user's wins, losses and draws in finished matches.
	ArenaStats(ctx context.Context, userID int64) (ArenaStats, error)

	// Fair play (issue 17, package arena/fairplay).

	// UserActiveMatches lists the matches not finished or cancelled that
	// userID plays in, oldest first: their problems are refused to the
	// user's practice submissions and runs.
	UserActiveMatches(ctx context.Context, userID int64) ([]ArenaMatch, error)
	// CompletedMatches counts userID's finished matches, of any mode, in
	// which the user submitted (has a best submission): ranked eligibility.
	CompletedMatches(ctx context.Context, userID int64) (int, error)
	// PairMatches counts the finished matches that a and b both played
	// with a result (a practice or a match that did not count has none),
	// finished at or after since: repeated pairings count less.
	PairMatches(ctx context.Context, a, b int64, since time.Time) (int, error)
}

// RatedUser is a user as the lobby's online list shows them.
type RatedUser struct {
	ID       int64
	Username string
	Rating   float64
	RD       float64
}

// MatchCursor is a position in the order of ActiveMatches.
type MatchCursor struct {
	CreatedAt time.Time
	ID        string
}

// CursorOf is the cursor just past m.
func CursorOf(m ArenaMatch) MatchCursor { return MatchCursor{CreatedAt: m.CreatedAt, ID: m.ID} }

// Match states as stored (the lifecycle of internal/arena/match).
const (
	MatchFinished  = "finished"
	MatchCancelled = "cancelled"
)

// Results of one player in a match.
const (
	ResultWin  = "win"
	ResultLoss = "loss"
	ResultDraw = "draw"
)

// ArenaMatch is one match row with its players.
type ArenaMatch struct {
	ID   string
	Mode string // ranked, casual, ffa, private
	// Rule scores the match (fastest, shortest, reverse, bigo); "" is
	// stored as fastest, and matches stored before rules read fastest.
	Rule              string
	ProblemID         string
	ProblemVersion    int
	ProblemTitle      string
	ProblemDifficulty int
	State             string
	CreatedAt         time.Time
	StartsAt          time.Time // zero before the countdown
	Deadline          time.Time // persisted so any node can finish the match on time
	FinishedAt        time.Time
	Reason            string
	WinnerID          int64
	// Voided: an administrator voided the match (store.Reviews): its
	// results, XP and rating changes count for nothing.
	Voided bool
	// LiveEditors: the match's spectators watch the players' editors live
	// (issue 20); set when it is created, never changed.
	LiveEditors bool
	// Snapshot is the state machine's snapshot (JSON), opaque to the store.
	Snapshot []byte
	Players  []ArenaPlayer
	// Fence is the owner's fencing token (see Arena).
	Fence int64
}

// ActivePlayer is a player of a match that is not over.
type ActivePlayer struct {
	MatchID string
	UserID  int64
}

// ArenaPlayer is one player of a match.
type ArenaPlayer struct {
	UserID           int64
	Username         string // read only
	Seat             int
	RatingBefore     float64
	RDBefore         float64
	RatingAfter      float64 // equal to before when unrated or not finished
	RDAfter          float64
	XPGained         int64
	Result           string // win, loss, draw; "" until finished
	Place            int    // 1 = winner; 0 until finished
	BestSubmissionID string
}

// ArenaFinish is the terminal state of a match.
type ArenaFinish struct {
	MatchID    string
	State      string // MatchFinished or MatchCancelled
	Reason     string
	WinnerID   int64
	FinishedAt time.Time
	Snapshot   []byte
	Fence      int64 // the finishing owner's token (see Arena)
}

// ArenaStanding is what compute gets per player, read in the transaction.
type ArenaStanding struct {
	Profile   Profile
	WinStreak int // consecutive wins in finished matches before this one
}

// ArenaUpdate is compute's answer for one player.
type ArenaUpdate struct {
	UserID           int64
	Result           string
	Place            int
	BestSubmissionID string
	// Rated: Rating/RD/Volatility replace the profile's and a rating
	// history point is written.
	Rated                  bool
	Rating, RD, Volatility float64
	XP                     int64  // gained now, >= 0
	Level                  int    // level after adding XP
	XPBreakdown            []byte // JSON, shown on the results screen
}

// RatingPoint is a user's rating after one rated match.
type RatingPoint struct {
	MatchID string
	At      time.Time
	Rating  float64
	RD      float64
	Delta   float64
}

// Leaderboards.
const (
	BoardRating   = "rating"
	BoardWeeklyXP = "weekly_xp"
)

// LeaderboardQuery selects a page. Since bounds the weekly XP board.
type LeaderboardQuery struct {
	Board  string
	Offset int
	Limit  int
	Since  time.Time
}

// LeaderboardEntry is one ranked user.
type LeaderboardEntry struct {
	Rank     int
	UserID   int64
	Username string
	Rating   float64
	RD       float64
	XP       int64
	Level    int
	WeeklyXP int64
}

// ArenaStats is a user's record.
type ArenaStats struct {
	Wins, Losses, Draws int
	// Played counts every finished match, practice included (which has
	// no result): a player with none is new.
	Played int
}

// RuleOr is the rule stored for r: fastest when r is "".
func RuleOr(r string) string {
	if r == "" {
		return "fastest"
	}
	return r
}
