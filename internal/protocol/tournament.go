package protocol

// Tournaments (issue 21): REST payloads of /api/v1/tournaments and the
// tournament.update event. Times from Time, lists never null.

// EventTournamentUpdate tells a tournament's players that it changed
// (started, a round was paired, a result recorded, finished): the client
// reads GET /api/v1/tournaments/{id} again.
const EventTournamentUpdate Event = "tournament.update"

// TournamentUpdate is the data of tournament.update.
type TournamentUpdate struct {
	TournamentID int64  `json:"tournament_id"`
	State        string `json:"state"` // scheduled, running, finished, cancelled
	Round        int    `json:"round"` // the latest round paired (0 before round 1)
	ServerNow    string `json:"server_now"`
}

// TournamentCreate is the body of POST /api/v1/admin/tournaments.
type TournamentCreate struct {
	Name   string `json:"name"`   // 1–80 characters
	Format string `json:"format"` // "swiss" or "elimination"
	// Rounds: Swiss only, 1–20 (an elimination has as many as its field needs).
	Rounds   int    `json:"rounds,omitempty"`
	StartsAt string `json:"starts_at"` // RFC 3339, in the future
	// CheckInMinutes: check-in opens this long before the start (0–1440;
	// default 10). Only checked-in players play.
	CheckInMinutes *int `json:"check_in_minutes,omitempty"`
	// RoundBreakS: seconds between a round's last result and the next
	// round (0–3600; default 30).
	RoundBreakS *int `json:"round_break_s,omitempty"`
	// DurationS: each match's length in seconds (60–7200; 0: the
	// problem's difficulty decides).
	DurationS int `json:"duration_s,omitempty"`
	// Problems: round r plays Problems[(r−1) mod n], every match of the
	// round on the same problem; empty: one problem chosen per round.
	Problems   []string `json:"problems,omitempty"`
	MaxPlayers int      `json:"max_players,omitempty"` // 0: no limit (at most 4096)
}

// TournamentSummary is a tournament in the list.
type TournamentSummary struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Format         string `json:"format"`
	State          string `json:"state"`
	Rounds         int    `json:"rounds"` // Swiss: as created; elimination: 0 until the start
	Round          int    `json:"round"`  // the latest round paired
	StartsAt       string `json:"starts_at"`
	CheckInOpensAt string `json:"check_in_opens_at"`
	RoundBreakS    int    `json:"round_break_s"`
	DurationS      int    `json:"duration_s"`
	Players        int    `json:"players"` // registered
	MaxPlayers     int    `json:"max_players"`
	// Registered and CheckedIn are the signed-in viewer's (false signed out).
	Registered bool `json:"registered"`
	CheckedIn  bool `json:"checked_in"`
}

// TournamentList is GET /api/v1/tournaments.
type TournamentList struct {
	Tournaments List[TournamentSummary] `json:"tournaments"`
	ServerNow   string                  `json:"server_now"`
}

// TournamentEntrant is one registration.
type TournamentEntrant struct {
	UserID    int64  `json:"user_id"`
	Username  string `json:"username"`
	CheckedIn bool   `json:"checked_in"`
	Seed      int    `json:"seed"` // 0: not playing (before the start, or did not check in)
}

// TournamentGame is one pairing. A bye has no b (b_id 0).
type TournamentGame struct {
	Board   int    `json:"board"`
	AID     int64  `json:"a_id"`
	A       string `json:"a"`
	BID     int64  `json:"b_id"`
	B       string `json:"b"`
	MatchID string `json:"match_id"`
	// Outcome: "" (being played), "a", "b", "draw", "bye", "none" (nobody scored).
	Outcome string `json:"outcome"`
}

// TournamentRound is one paired round.
type TournamentRound struct {
	Round     int                  `json:"round"`
	ProblemID string               `json:"problem_id"`
	StartsAt  string               `json:"starts_at"`
	DoneAt    *string              `json:"done_at"`
	Games     List[TournamentGame] `json:"games"`
}

// TournamentStanding is one line of the standings.
type TournamentStanding struct {
	Rank     int     `json:"rank"`
	UserID   int64   `json:"user_id"`
	Username string  `json:"username"`
	Seed     int     `json:"seed"`
	Rating   float64 `json:"rating"` // at the start
	Points   float64 `json:"points"`
	Buchholz float64 `json:"buchholz"` // Swiss: the opponents' points
	Wins     int     `json:"wins"`
	Draws    int     `json:"draws"`
	Losses   int     `json:"losses"`
	Byes     int     `json:"byes"`
	Out      int     `json:"out"` // elimination: the round lost in (0: still in, or the champion)
}

// TournamentDetail is GET /api/v1/tournaments/{id} (and the answer to
// create, register and check-in).
type TournamentDetail struct {
	Tournament TournamentSummary        `json:"tournament"`
	Entrants   List[TournamentEntrant]  `json:"entrants"`
	Rounds     List[TournamentRound]    `json:"rounds"`
	Standings  List[TournamentStanding] `json:"standings"` // from the start
	ServerNow  string                   `json:"server_now"`
}

// TournamentResult is one tournament on a profile.
type TournamentResult struct {
	TournamentID int64  `json:"tournament_id"`
	Name         string `json:"name"`
	Format       string `json:"format"`
	State        string `json:"state"`
	StartsAt     string `json:"starts_at"`
	Place        int    `json:"place"` // 0 while it runs
	Players      int    `json:"players"`
}

// UserTournaments is GET /api/v1/users/{name}/tournaments.
type UserTournaments struct {
	Tournaments List[TournamentResult] `json:"tournaments"`
}
