package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// testArena checks the arena tables: match lifecycle, the one-transaction
// idempotent finish, leaderboards, history.
func testArena(t *testing.T, s Harness) {
	var a store.Arena = s
	c := ctx(t)
	ada, bob, cyd := mustUser(t, s, "ada"), mustUser(t, s, "bob"), mustUser(t, s, "cyd")
	t0 := time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)

	m := store.ArenaMatch{ID: "m1", Mode: "ranked", State: "found", CreatedAt: t0,
		Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1500, RDBefore: 350}, {UserID: bob.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := a.CreateMatch(c, m); err != nil {
		t.Fatalf("CreateMatch: %v", err)
	}
	wantErr(t, "CreateMatch twice", a.CreateMatch(c, m), store.ErrConflict)
	wantErr(t, "SaveMatchState unknown", a.SaveMatchState(c, store.ArenaMatch{ID: "nope", State: "running"}), store.ErrNotFound)

	m.State, m.ProblemID, m.ProblemTitle, m.ProblemDifficulty = "running", "peak-count", "Signal Peaks", 800
	m.StartsAt, m.Deadline, m.Snapshot = t0.Add(5*time.Second), t0.Add(20*time.Minute), []byte(`{"x":1}`)
	if err := a.SaveMatchState(c, m); err != nil {
		t.Fatalf("SaveMatchState: %v", err)
	}
	act, err := a.ActiveMatches(c, 10)
	if err != nil || len(act) != 1 || !act[0].Deadline.Equal(m.Deadline) || string(act[0].Snapshot) != `{"x":1}` ||
		len(act[0].Players) != 2 || act[0].Players[0].Username != "ada" {
		t.Fatalf("ActiveMatches = %+v, %v; want m1 with its deadline, snapshot and players", act, err)
	}

	compute := func(st []store.ArenaStanding) ([]store.ArenaUpdate, error) {
		if len(st) != 2 {
			return nil, fmt.Errorf("%d standings", len(st))
		}
		var ups []store.ArenaUpdate
		for _, p := range st {
			u := store.ArenaUpdate{UserID: p.Profile.UserID, Rated: true, Volatility: 0.06, XP: 10, Level: 1, Result: store.ResultLoss, Place: 2}
			if p.Profile.UserID == ada.ID {
				u.Rating, u.RD, u.XP, u.Result, u.Place, u.BestSubmissionID = p.Profile.Rating+100, 200, 150, store.ResultWin, 1, "s1"
				u.Level = 2
			} else {
				u.Rating, u.RD = p.Profile.Rating-100, 200
			}
			ups = append(ups, u)
		}
		return ups, nil
	}
	fin := store.ArenaFinish{MatchID: "m1", State: store.MatchFinished, Reason: "won", WinnerID: ada.ID, FinishedAt: t0.Add(10 * time.Minute)}
	// Two finishers at once (a failover race): exactly one applies.
	var wg sync.WaitGroup
	applied := make([]bool, 4)
	errs := make([]error, 4)
	for i := range applied {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = a.FinishMatch(c, fin, compute)
		}()
	}
	wg.Wait()
	n := 0
	for i := range applied {
		if errs[i] != nil {
			t.Fatalf("FinishMatch #%d: %v", i, errs[i])
		}
		if applied[i] {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("FinishMatch applied %d times, want exactly once", n)
	}
	pa, _ := s.Profile(c, ada.ID)
	pb, _ := s.Profile(c, bob.ID)
	if pa.Rating != 1600 || pa.XP != 150 || pa.Level != 2 || pb.Rating != 1400 || pb.XP != 10 {
		t.Fatalf("profiles after finish: ada %+v bob %+v", pa, pb)
	}
	if err := a.SaveMatchState(c, store.ArenaMatch{ID: "m1", State: "running"}); err != nil {
		t.Fatalf("SaveMatchState on finished: %v", err)
	}
	got, err := a.ArenaMatch(c, "m1")
	if err != nil || got.State != store.MatchFinished || got.WinnerID != ada.ID || got.Players[0].RatingAfter != 1600 ||
		got.Players[0].Result != store.ResultWin || got.Players[0].BestSubmissionID != "s1" || !got.FinishedAt.Equal(fin.FinishedAt) {
		t.Fatalf("ArenaMatch after finish = %+v, %v", got, err)
	}
	if _, err := a.ArenaMatch(c, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ArenaMatch unknown: %v", err)
	}
	if act, _ := a.ActiveMatches(c, 10); len(act) != 0 {
		t.Fatalf("ActiveMatches after finish = %d, want 0", len(act))
	}

	// The current streak as profiles and match cards read it.
	for _, w := range []struct {
		id   int64
		want int
	}{{ada.ID, 1}, {bob.ID, 0}, {cyd.ID, 0}} {
		if n, err := a.WinStreak(c, w.id); err != nil || n != w.want {
			t.Fatalf("WinStreak(%d) = %d, %v; want %d", w.id, n, err, w.want)
		}
	}

	if ws, err := a.WinStreaks(c, []int64{ada.ID, bob.ID, cyd.ID, 1 << 40}); err != nil || len(ws) != 1 || ws[ada.ID] != 1 {
		t.Fatalf("WinStreaks = %v, %v; want only ada's 1", ws, err)
	}
	if ws, err := a.WinStreaks(c, nil); err != nil || len(ws) != 0 {
		t.Fatalf("WinStreaks(none) = %v, %v", ws, err)
	}

	// The lobby's online list: ratings as stored, unknown and disabled ids left out.
	if err := s.SetUserDisabled(c, cyd.ID, true); err != nil {
		t.Fatal(err)
	}
	ru, err := a.RatedUsers(c, []int64{bob.ID, 1 << 40, cyd.ID, ada.ID})
	if err != nil || len(ru) != 2 || ru[0] != (store.RatedUser{ID: ada.ID, Username: "ada", Rating: 1600, RD: 200}) ||
		ru[1] != (store.RatedUser{ID: bob.ID, Username: "bob", Rating: 1400, RD: 200}) {
		t.Fatalf("RatedUsers = %+v, %v; want ada 1600 and bob 1400, in id order", ru, err)
	}
	if err := s.SetUserDisabled(c, cyd.ID, false); err != nil {
		t.Fatal(err)
	}
	if ru, err := a.RatedUsers(c, nil); err != nil || len(ru) != 0 {
		t.Fatalf("RatedUsers(none) = %v, %v", ru, err)
	}
	many := make([]int64, 1200) // more than one SQLite chunk
	for i := range many {
		many[i] = int64(i) + 1<<40
	}
	many[1100] = cyd.ID
	if ru, err := a.RatedUsers(c, many); err != nil || len(ru) != 1 || ru[0].ID != cyd.ID || ru[0].Rating != 1500 {
		t.Fatalf("RatedUsers(1,200 ids) = %+v, %v; want cyd alone", ru, err)
	}

	// A second match: the streak is read inside the transaction.
	m2 := store.ArenaMatch{ID: "m2", Mode: "casual", Rule: "shortest", State: "running", CreatedAt: t0.Add(time.Hour), ProblemID: "two-divisors",
		Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1600, RDBefore: 200}, {UserID: cyd.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := a.CreateMatch(c, m2); err != nil {
		t.Fatalf("CreateMatch m2: %v", err)
	}
	var streak int
	_, err = a.FinishMatch(c, store.ArenaFinish{MatchID: "m2", State: store.MatchFinished, Reason: "draw", FinishedAt: t0.Add(2 * time.Hour)},
		func(st []store.ArenaStanding) ([]store.ArenaUpdate, error) {
			var ups []store.ArenaUpdate
			for _, p := range st {
				if p.Profile.UserID == ada.ID {
					streak = p.WinStreak
				}
				ups = append(ups, store.ArenaUpdate{UserID: p.Profile.UserID, Result: store.ResultDraw, Place: 1, XP: 5, Level: p.Profile.Level})
			}
			return ups, nil
		})
	if err != nil || streak != 1 {
		t.Fatalf("FinishMatch m2: err %v, ada's streak %d, want 1", err, streak)
	}
	// The rule is stored with the match; one created without reads fastest.
	if got, err := a.ArenaMatch(c, "m2"); err != nil || got.Rule != "shortest" {
		t.Fatalf("ArenaMatch(m2).Rule = %q, %v; want shortest", got.Rule, err)
	}
	if got, err := a.ArenaMatch(c, "m1"); err != nil || got.Rule != "fastest" {
		t.Fatalf("ArenaMatch(m1).Rule = %q, %v; want fastest (created without one)", got.Rule, err)
	}
	if n, err := a.WinStreak(c, ada.ID); err != nil || n != 0 {
		t.Fatalf("WinStreak(ada) after a draw = %d, %v; want 0", n, err)
	}
	if ws, err := a.WinStreaks(c, []int64{ada.ID, bob.ID}); err != nil || len(ws) != 0 {
		t.Fatalf("WinStreaks after ada's draw = %v, %v; want none", ws, err)
	}
	if pa, _ := s.Profile(c, ada.ID); pa.Rating != 1600 || pa.XP != 155 {
		t.Fatalf("unrated match changed the rating or lost XP: %+v", pa)
	}
	// A cancelled match writes no results.
	m3 := store.ArenaMatch{ID: "m3", Mode: "ranked", State: "found", CreatedAt: t0.Add(3 * time.Hour),
		Players: []store.ArenaPlayer{{UserID: bob.ID, RatingBefore: 1400, RDBefore: 200}, {UserID: cyd.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := a.CreateMatch(c, m3); err != nil {
		t.Fatal(err)
	}
	if ok, err := a.FinishMatch(c, store.ArenaFinish{MatchID: "m3", State: store.MatchCancelled, Reason: "not_accepted", FinishedAt: t0.Add(3 * time.Hour)},
		func([]store.ArenaStanding) ([]store.ArenaUpdate, error) { return nil, errors.New("must not be called") }); err != nil || !ok {
		t.Fatalf("cancel m3: %v %v", ok, err)
	}

	hist, err := a.RatingHistory(c, ada.ID, 200)
	if err != nil || len(hist) != 1 || hist[0].MatchID != "m1" || hist[0].Delta != 100 {
		t.Fatalf("RatingHistory = %+v, %v", hist, err)
	}
	rec, err := a.RecentMatches(c, ada.ID, 20)
	if err != nil || len(rec) != 2 || rec[0].ID != "m2" || rec[1].ID != "m1" {
		t.Fatalf("RecentMatches = %+v, %v; want m2, m1", rec, err)
	}
	probs, err := a.RecentProblems(c, ada.ID, 20)
	if err != nil || len(probs) != 2 || probs[0] != "two-divisors" || probs[1] != "peak-count" {
		t.Fatalf("RecentProblems = %v, %v", probs, err)
	}
	// Practice is the player's own: in their recent matches (a reload lands
	// on its result), never in anything public.
	m4 := store.ArenaMatch{ID: "m4", Mode: "practice", State: "running", CreatedAt: t0.Add(4 * time.Hour), ProblemID: "peak-count",
		Players: []store.ArenaPlayer{{UserID: cyd.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := a.CreateMatch(c, m4); err != nil {
		t.Fatal(err)
	}
	if _, err := a.FinishMatch(c, store.ArenaFinish{MatchID: "m4", State: store.MatchFinished, Reason: "resigned", FinishedAt: t0.Add(4 * time.Hour)},
		func(st []store.ArenaStanding) ([]store.ArenaUpdate, error) {
			return []store.ArenaUpdate{{UserID: cyd.ID, Place: 1, Level: st[0].Profile.Level}}, nil
		}); err != nil {
		t.Fatal(err)
	}
	if fin, err := a.RecentlyFinished(c, 10); err != nil || len(fin) != 2 || fin[0].ID != "m2" || fin[1].ID != "m1" {
		t.Fatalf("RecentlyFinished = %+v, %v; want m2, m1 (cancelled and practice excluded)", fin, err)
	}
	if rec, err := a.RecentMatches(c, cyd.ID, 20); err != nil || len(rec) != 2 || rec[0].ID != "m4" {
		t.Fatalf("RecentMatches of cyd = %+v, %v; want m4, m2", rec, err)
	}
	if pub, err := a.PublicMatches(c, cyd.ID, 20); err != nil || len(pub) != 1 || pub[0].ID != "m2" {
		t.Fatalf("PublicMatches of cyd = %+v, %v; want m2 only", pub, err)
	}
	if st, err := a.ArenaStats(c, cyd.ID); err != nil || st != (store.ArenaStats{Draws: 1, Played: 2}) {
		t.Fatalf("ArenaStats of cyd = %+v, %v; want a draw in 2 played (practice has no result)", st, err)
	}
	st, err := a.ArenaStats(c, ada.ID)
	if err != nil || st != (store.ArenaStats{Wins: 1, Draws: 1, Played: 2}) {
		t.Fatalf("ArenaStats = %+v, %v", st, err)
	}

	board, total, err := a.Leaderboard(c, store.LeaderboardQuery{Board: store.BoardRating, Limit: 2})
	if err != nil || total != 3 || len(board) != 2 || board[0].UserID != ada.ID || board[0].Rank != 1 || board[1].UserID != cyd.ID {
		t.Fatalf("Leaderboard = %+v total %d, %v; want ada, cyd of 3", board, total, err)
	}
	page2, _, err := a.Leaderboard(c, store.LeaderboardQuery{Board: store.BoardRating, Offset: 2, Limit: 2})
	if err != nil || len(page2) != 1 || page2[0].UserID != bob.ID || page2[0].Rank != 3 {
		t.Fatalf("Leaderboard page 2 = %+v, %v", page2, err)
	}
	me, err := a.LeaderboardEntry(c, store.LeaderboardQuery{Board: store.BoardRating}, bob.ID)
	if err != nil || me.Rank != 3 || me.Rating != 1400 {
		t.Fatalf("LeaderboardEntry(bob) = %+v, %v", me, err)
	}
	weekly, total, err := a.Leaderboard(c, store.LeaderboardQuery{Board: store.BoardWeeklyXP, Limit: 10, Since: t0})
	if err != nil || total != 3 || weekly[0].UserID != ada.ID || weekly[0].WeeklyXP != 155 {
		t.Fatalf("weekly board = %+v total %d, %v", weekly, total, err)
	}
	if w, total, _ := a.Leaderboard(c, store.LeaderboardQuery{Board: store.BoardWeeklyXP, Limit: 10, Since: t0.Add(90 * time.Minute)}); total != 2 || w[0].WeeklyXP != 5 {
		t.Fatalf("weekly board since m2 = %+v total %d; want only m2's XP", w, total)
	}
	if _, _, err := a.Leaderboard(c, store.LeaderboardQuery{Board: "bogus", Limit: 1}); err == nil {
		t.Fatal("unknown board accepted")
	}
	// Disabled users leave the board.
	if err := s.SetUserDisabled(c, cyd.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := a.Leaderboard(c, store.LeaderboardQuery{Board: store.BoardRating, Limit: 10}); total != 2 {
		t.Fatalf("board with a disabled user: total %d, want 2", total)
	}

	// Fair play (issue 17): a private room is in nothing public; a user's
	// active matches; completed matches (with a submission); pairings.
	m5 := store.ArenaMatch{ID: "m5", Mode: "private", State: "running", CreatedAt: t0.Add(5 * time.Hour), ProblemID: "peak-count",
		Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1600, RDBefore: 200}, {UserID: bob.ID, RatingBefore: 1400, RDBefore: 200}}}
	if err := a.CreateMatch(c, m5); err != nil {
		t.Fatal(err)
	}
	if _, err := a.FinishMatch(c, store.ArenaFinish{MatchID: "m5", State: store.MatchFinished, Reason: "won", WinnerID: ada.ID, FinishedAt: t0.Add(5 * time.Hour)},
		func(st []store.ArenaStanding) ([]store.ArenaUpdate, error) {
			var ups []store.ArenaUpdate
			for _, p := range st {
				u := store.ArenaUpdate{UserID: p.Profile.UserID, Result: store.ResultLoss, Place: 2, Level: p.Profile.Level}
				if p.Profile.UserID == ada.ID {
					u.Result, u.Place, u.BestSubmissionID = store.ResultWin, 1, "s5"
				}
				ups = append(ups, u)
			}
			return ups, nil
		}); err != nil {
		t.Fatal(err)
	}
	if pub, err := a.PublicMatches(c, bob.ID, 20); err != nil || len(pub) != 1 || pub[0].ID != "m1" {
		t.Fatalf("PublicMatches of bob = %+v, %v; want m1 only (private m5 is not public)", pub, err)
	}
	if fin, err := a.RecentlyFinished(c, 10); err != nil || len(fin) != 2 || fin[0].ID != "m2" {
		t.Fatalf("RecentlyFinished = %+v, %v; want m2, m1 (private excluded)", fin, err)
	}
	m6 := store.ArenaMatch{ID: "m6", Mode: "ranked", State: "running", CreatedAt: t0.Add(6 * time.Hour), ProblemID: "two-divisors",
		Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1600, RDBefore: 200}, {UserID: cyd.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := a.CreateMatch(c, m6); err != nil {
		t.Fatal(err)
	}
	if live, err := a.UserActiveMatches(c, ada.ID); err != nil || len(live) != 1 || live[0].ID != "m6" || live[0].ProblemID != "two-divisors" {
		t.Fatalf("UserActiveMatches of ada = %+v, %v; want m6 on two-divisors", live, err)
	}
	if live, err := a.UserActiveMatches(c, bob.ID); err != nil || len(live) != 0 {
		t.Fatalf("UserActiveMatches of bob = %+v, %v; want none", live, err)
	}
	if n, err := a.CompletedMatches(c, ada.ID); err != nil || n != 2 {
		t.Fatalf("CompletedMatches of ada = %d, %v; want 2 (m1, m5: with a submission)", n, err)
	}
	if n, err := a.CompletedMatches(c, bob.ID); err != nil || n != 0 {
		t.Fatalf("CompletedMatches of bob = %d, %v; want 0 (never submitted)", n, err)
	}
	for _, pc := range []struct {
		a, b  int64
		since time.Time
		want  int
	}{{ada.ID, bob.ID, t0, 2}, {bob.ID, ada.ID, t0.Add(time.Hour), 1}, {ada.ID, cyd.ID, t0, 1}, {bob.ID, cyd.ID, t0, 0}, {ada.ID, bob.ID, t0.Add(6 * time.Hour), 0}} {
		if n, err := a.PairMatches(c, pc.a, pc.b, pc.since); err != nil || n != pc.want {
			t.Errorf("PairMatches(%d, %d, %v) = %d, %v; want %d", pc.a, pc.b, pc.since, n, err, pc.want)
		}
	}
}
