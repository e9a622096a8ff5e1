package service

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
)

// mount adds GET /ws and the arena's REST endpoints (docs/protocol.md §5).
// The problem endpoints (/api/v1/problems...) belong to internal/catalog.
func (s *Service) mount(api *httpapi.Server) {
	api.Handle("GET /ws", s.hub)
	api.Handle("GET /api/v1/leaderboard", http.HandlerFunc(s.getLeaderboard))
	api.Handle("GET /api/v1/users/{name}", http.HandlerFunc(s.getUser))
	api.Handle("GET /api/v1/matches/{id}", http.HandlerFunc(s.getMatch))
	api.Handle("GET /api/v1/matches", http.HandlerFunc(s.listMatches))
}

func badRequest(msg string) error { return errcode.New(errcode.InvalidRequest, msg) }

func notFound(msg string) error { return errcode.New(errcode.NotFound, msg) }

// optionalUser is the signed-in user, if any.
func (s *Service) optionalUser(r *http.Request) (store.User, bool) {
	u, err := s.opt.API.Authenticate(r)
	return u, err == nil
}

func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(name + " out of range")
	}
	return n, nil
}

func (s *Service) getLeaderboard(w http.ResponseWriter, r *http.Request) {
	api := s.opt.API
	q := r.URL.Query()
	for k := range q {
		switch k {
		case "board", "offset", "limit", "around":
		default:
			api.WriteError(w, r, badRequest("unknown parameter "+k))
			return
		}
	}
	sub := realtime.LeaderboardSub{Board: protocol.Board(q.Get("board")), Around: q.Get("around")}
	if sub.Board == "" {
		sub.Board = store.BoardRating
	}
	var err error
	if sub.Offset, err = intParam(r, "offset", 0, 0, 1<<30); err == nil {
		sub.Limit, err = intParam(r, "limit", 50, 1, 100)
	}
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	if sub.Board != store.BoardRating && sub.Board != store.BoardWeeklyXP || sub.Around != "" && sub.Around != "me" {
		api.WriteError(w, r, badRequest(`board must be "rating" or "weekly_xp", around must be "me"`))
		return
	}
	u, signedIn := s.optionalUser(r)
	if sub.Around == "me" && !signedIn {
		api.WriteError(w, r, errcode.New(errcode.Unauthenticated, "sign in to see your rank"))
		return
	}
	page, err := s.boardPage(r.Context(), sub, u.ID)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	page.Changed, page.ServerNow = []int64{}, ""
	if signedIn {
		if me, err := s.st.LeaderboardEntry(r.Context(), store.LeaderboardQuery{Board: string(sub.Board), Since: weekStart(s.clk.Now())}, u.ID); err == nil {
			v := entryView(me)
			page.Me = &v
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, page)
}

func (s *Service) getUser(w http.ResponseWriter, r *http.Request) {
	api := s.opt.API
	ctx := r.Context()
	u, err := s.st.UserByUsername(ctx, r.PathValue("name"))
	if errors.Is(err, store.ErrNotFound) || err == nil && u.Disabled {
		api.WriteError(w, r, notFound("no such user"))
		return
	}
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	prof, err := s.st.Profile(ctx, u.ID)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	stats, err := s.st.ArenaStats(ctx, u.ID)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	rank := 0
	if e, err := s.st.LeaderboardEntry(ctx, store.LeaderboardQuery{Board: store.BoardRating}, u.ID); err == nil {
		rank = e.Rank
	}
	hist, err := s.st.RatingHistory(ctx, u.ID, 200)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	recent, err := s.st.PublicMatches(ctx, u.ID, 20)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	type histJSON struct {
		MatchID string  `json:"match_id"`
		At      string  `json:"at"`
		Rating  float64 `json:"rating"`
		Delta   float64 `json:"delta"`
	}
	type recentJSON struct {
		MatchID      string   `json:"match_id"`
		Mode         string   `json:"mode"`
		ProblemID    string   `json:"problem_id"`
		ProblemTitle string   `json:"problem_title"`
		Opponents    []string `json:"opponents"`
		Result       string   `json:"result"`
		RatingDelta  float64  `json:"rating_delta"`
		FinishedAt   string   `json:"finished_at"`
	}
	type solvedJSON struct {
		ProblemID  string `json:"problem_id"`
		Title      string `json:"title"`
		Difficulty int    `json:"difficulty"`
		SolvedAt   string `json:"solved_at"`
	}
	out := struct {
		User          map[string]any `json:"user"`
		RatingHistory []histJSON     `json:"rating_history"`
		RecentMatches []recentJSON   `json:"recent_matches"`
		Solved        []solvedJSON   `json:"solved"`
	}{
		User: map[string]any{"user_id": u.ID, "username": u.Username, "display_name": prof.DisplayName, "avatar_url": prof.AvatarURL,
			"rating": prof.Rating, "rd": prof.RD, "provisional": prof.RD > rating.ProvisionalRD, "xp": prof.XP, "level": prof.Level,
			"rank": rank, "wins": stats.Wins, "losses": stats.Losses, "draws": stats.Draws, "joined_at": protocol.Time(u.CreatedAt)},
		RatingHistory: []histJSON{}, RecentMatches: []recentJSON{}, Solved: []solvedJSON{},
	}
	for _, h := range hist {
		out.RatingHistory = append(out.RatingHistory, histJSON{MatchID: h.MatchID, At: protocol.Time(h.At), Rating: h.Rating, Delta: h.Delta})
	}
	seen := map[string]bool{}
	for _, m := range recent {
		rj := recentJSON{MatchID: m.ID, Mode: m.Mode, ProblemID: m.ProblemID, ProblemTitle: m.ProblemTitle, Opponents: []string{},
			FinishedAt: protocol.Time(m.FinishedAt)}
		for _, p := range m.Players {
			if p.UserID == u.ID {
				rj.Result = p.Result
				rj.RatingDelta = p.RatingAfter - p.RatingBefore
				// Solved: the player's best submission was the winning Accepted one.
				if p.Result == store.ResultWin && m.Reason == "won" && !seen[m.ProblemID] {
					seen[m.ProblemID] = true
					out.Solved = append(out.Solved, solvedJSON{ProblemID: m.ProblemID, Title: m.ProblemTitle,
						Difficulty: m.ProblemDifficulty, SolvedAt: protocol.Time(m.FinishedAt)})
				}
			} else {
				rj.Opponents = append(rj.Opponents, p.Username)
			}
		}
		out.RecentMatches = append(out.RecentMatches, rj)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
}

func (s *Service) getMatch(w http.ResponseWriter, r *http.Request) {
	api := s.opt.API
	ctx := r.Context()
	m, err := s.st.ArenaMatch(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		api.WriteError(w, r, notFound("no such match"))
		return
	}
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	viewer, _ := s.optionalUser(r)
	var x matchExtras
	_ = json.Unmarshal(m.Snapshot, &x)
	finished := m.State == store.MatchFinished || m.State == store.MatchCancelled
	type timelineJSON struct {
		At      string `json:"at"`
		UserID  *int64 `json:"user_id"`
		Event   string `json:"event"`
		Verdict string `json:"verdict,omitempty"`
		Passed  *int   `json:"passed,omitempty"`
		Total   *int   `json:"total,omitempty"`
		Detail  string `json:"detail,omitempty"`
	}
	type subJSON struct {
		SubmissionID string `json:"submission_id"`
		UserID       int64  `json:"user_id"`
		Lang         string `json:"lang"`
		Verdict      string `json:"verdict"`
		Passed       int    `json:"passed"`
		Total        int    `json:"total"`
		ReceivedAt   string `json:"received_at"`
		Code         string `json:"code,omitempty"`
	}
	players := []map[string]any{}
	for _, p := range m.Players {
		players = append(players, map[string]any{"user_id": p.UserID, "username": p.Username, "rating": p.RatingBefore,
			"result": p.Result, "place": p.Place})
	}
	out := map[string]any{
		"match": map[string]any{"match_id": m.ID, "mode": m.Mode, "state": m.State, "outcome": outcomes[m.Reason][0],
			"reason": outcomes[m.Reason][1], "winner_id": nullID(m.WinnerID),
			"problem":   map[string]any{"id": m.ProblemID, "title": m.ProblemTitle, "difficulty": m.ProblemDifficulty},
			"starts_at": protocol.TimePtr(m.StartsAt), "deadline": protocol.TimePtr(m.Deadline),
			"finished_at": protocol.TimePtr(m.FinishedAt), "players": players},
		"coach": protocol.List[coachJSON]{},
	}
	timeline := []timelineJSON{}
	subs := []subJSON{}
	for _, sub := range x.Match.Submissions {
		uid := sub.Player
		t := timelineJSON{At: protocol.Time(sub.Received), UserID: &uid, Event: "submit"}
		stored, err := s.st.Submission(ctx, sub.ID)
		if err == nil && stored.Result != nil {
			t.Verdict, t.Passed, t.Total = stored.Result.Verdict, ptr(stored.Result.Passed), ptr(stored.Result.Total)
		}
		timeline = append(timeline, t)
		// Code and other players' submissions only once the match is over.
		if err != nil || !finished && sub.Player != viewer.ID {
			continue
		}
		sj := subJSON{SubmissionID: sub.ID, UserID: sub.Player, Lang: stored.Lang, Verdict: "pending", ReceivedAt: protocol.Time(sub.Received)}
		if stored.Result != nil {
			sj.Verdict, sj.Passed, sj.Total = stored.Result.Verdict, stored.Result.Passed, stored.Result.Total
		}
		if finished || sub.Player == viewer.ID {
			sj.Code = string(stored.Source)
		}
		subs = append(subs, sj)
	}
	if finished && !m.FinishedAt.IsZero() {
		timeline = append(timeline, timelineJSON{At: protocol.Time(m.FinishedAt), Event: "finished", Detail: outcomes[m.Reason][0]})
	}
	out["timeline"], out["submissions"] = timeline, subs
	ratings, xps := []ratingJSON{}, []xpJSON{}
	if m.State == store.MatchFinished {
		for _, p := range m.Players {
			if m.Mode == "ranked" && len(m.Players) == 2 {
				ratings = append(ratings, ratingJSON{UserID: p.UserID, Before: p.RatingBefore, After: p.RatingAfter,
					Delta: p.RatingAfter - p.RatingBefore, RD: p.RDAfter})
			}
			xps = append(xps, xpJSON{UserID: p.UserID, Gained: p.XPGained})
		}
	}
	out["ratings"], out["xp"] = ratings, xps
	if m.State == store.MatchFinished {
		// The coach explains the revealed solutions: after the end only.
		out["coach"] = s.coachView(ctx, m)
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func (s *Service) listMatches(w http.ResponseWriter, r *http.Request) {
	api := s.opt.API
	if st := r.URL.Query().Get("state"); st != "" && st != "running" {
		api.WriteError(w, r, badRequest(`state must be "running"`))
		return
	}
	limit, err := intParam(r, "limit", 20, 1, 100)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	ms, err := s.st.ActiveMatches(r.Context(), 1000)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	out := []map[string]any{}
	for _, m := range ms {
		if m.Mode == "private" || m.Mode == "practice" || m.State != "running" && m.State != "countdown" && m.State != "judging" {
			continue
		}
		names := []string{}
		for _, p := range m.Players {
			names = append(names, p.Username)
		}
		out = append(out, map[string]any{"match_id": m.ID, "mode": m.Mode, "problem_title": m.ProblemTitle, "players": names,
			"starts_at": protocol.TimePtr(m.StartsAt), "deadline": protocol.TimePtr(m.Deadline)})
		if len(out) == limit {
			break
		}
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"matches": out})
}
