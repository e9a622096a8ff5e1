package storetest

import (
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// testRevert is the suite's own revert rule (the arena's is
// rating.Config.Revert): exact when the profile still holds From, else the
// inverse delta; XP moves by XPDelta.
func testRevert(st store.VoidStanding) (store.RevertedProfile, error) {
	p := st.Profile
	cur := store.RatingState{Rating: p.Rating, RD: p.RD, Volatility: p.Volatility}
	out := store.RevertedProfile{RatingState: cur, XP: p.XP + st.XPDelta}
	out.Level = 1 + int(out.XP/100)
	if st.Rated {
		if cur == st.From {
			out.RatingState, out.Exact = st.To, true
		} else {
			out.RatingState = store.RatingState{Rating: cur.Rating + st.To.Rating - st.From.Rating, RD: cur.RD + st.To.RD - st.From.RD,
				Volatility: cur.Volatility + st.To.Volatility - st.From.Volatility}
		}
	}
	return out, nil
}

// testReviewDecisions: every decision is recorded with its admin, time and
// reason; a void reverts both profiles exactly (rating, RD, volatility, XP,
// level), the record, the streak, the XP events and the rating history;
// its reversal reapplies them; a ban disables and its reversal enables;
// refused decisions write nothing.
func testReviewDecisions(t *testing.T, s Harness) {
	c := ctx(t)
	ada, bob, eve := mustUser(t, s, "ada"), mustUser(t, s, "bob"), mustUser(t, s, "eve")
	root := mustUser(t, s, "root")
	t0 := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	finish := func(id string, at time.Time, adaWins bool) {
		t.Helper()
		m := store.ArenaMatch{ID: id, Mode: "ranked", State: "running", CreatedAt: at.Add(-time.Minute), ProblemID: "p",
			Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1500, RDBefore: 350}, {UserID: bob.ID, RatingBefore: 1500, RDBefore: 350, Seat: 1}}}
		if err := s.CreateMatch(c, m); err != nil {
			t.Fatalf("CreateMatch %s: %v", id, err)
		}
		_, err := s.FinishMatch(c, store.ArenaFinish{MatchID: id, State: store.MatchFinished, FinishedAt: at},
			func(st []store.ArenaStanding) ([]store.ArenaUpdate, error) {
				var ups []store.ArenaUpdate
				for _, p := range st {
					win := (p.Profile.UserID == ada.ID) == adaWins
					u := store.ArenaUpdate{UserID: p.Profile.UserID, Rated: true, Result: store.ResultLoss, Place: 2, XP: 12,
						Rating: p.Profile.Rating - 37.125, RD: p.Profile.RD - 21.5, Volatility: p.Profile.Volatility - 0.0000125}
					if win {
						u.Result, u.Place, u.XP = store.ResultWin, 1, 140
						u.Rating, u.Volatility = p.Profile.Rating+41.0625, p.Profile.Volatility+0.0000375
					}
					u.Level = 1 + int((p.Profile.XP+u.XP)/100)
					ups = append(ups, u)
				}
				return ups, nil
			})
		if err != nil {
			t.Fatalf("FinishMatch %s: %v", id, err)
		}
	}
	profile := func(id int64) store.Profile {
		t.Helper()
		p, err := s.Profile(c, id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	stats := func(id int64) store.ArenaStats {
		t.Helper()
		st, err := s.ArenaStats(c, id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	decide := func(d store.Decision) store.Decision {
		t.Helper()
		d.AdminID, d.At = root.ID, t0.Add(time.Hour)
		got, err := s.Decide(c, d, testRevert)
		if err != nil {
			t.Fatalf("Decide %+v: %v", d, err)
		}
		return got
	}
	refuse := func(what string, d store.Decision, want error) {
		t.Helper()
		d.AdminID, d.At = root.ID, t0
		_, err := s.Decide(c, d, testRevert)
		wantErr(t, what, err, want)
	}

	adaBefore, bobBefore := profile(ada.ID), profile(bob.ID)
	finish("m1", t0, true)
	adaAfter, bobAfter := profile(ada.ID), profile(bob.ID)
	if adaAfter.Rating == adaBefore.Rating || adaAfter.XP != 140 || stats(ada.ID).Wins != 1 {
		t.Fatalf("m1 did not move ada: %+v", adaAfter)
	}

	// Refusals write nothing.
	refuse("void unknown match", store.Decision{MatchID: "nope", Action: store.DecisionVoid, Reason: "x"}, store.ErrNotFound)
	refuse("ban a non-player", store.Decision{MatchID: "m1", UserID: eve.ID, Action: store.DecisionBan, Reason: "x"}, store.ErrNotFound)
	refuse("reverse unknown", store.Decision{MatchID: "m1", Reverses: 999, Reason: "x"}, store.ErrNotFound)
	live := store.ArenaMatch{ID: "live", Mode: "ranked", State: "running", CreatedAt: t0,
		Players: []store.ArenaPlayer{{UserID: eve.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := s.CreateMatch(c, live); err != nil {
		t.Fatal(err)
	}
	refuse("void a running match", store.Decision{MatchID: "live", Action: store.DecisionVoid, Reason: "x"}, store.ErrConflict)
	if ds, err := s.Decisions(c, []string{"m1", "live"}); err != nil || len(ds) != 0 {
		t.Fatalf("Decisions after refusals = %+v, %v", ds, err)
	}

	clear := decide(store.Decision{MatchID: "m1", UserID: ada.ID, Action: store.DecisionClear, Reason: "typed it herself"})
	void := decide(store.Decision{MatchID: "m1", Action: store.DecisionVoid, Reason: "pasted bob's code"})
	if void.UserID != 0 || len(void.Changes) != 2 || !void.Changes[0].Exact || !void.Changes[0].Rated {
		t.Fatalf("void = %+v, want two exact rated changes", void)
	}
	if got := profile(ada.ID); got != adaBefore {
		t.Fatalf("ada after void = %+v, want exactly %+v", got, adaBefore)
	}
	if got := profile(bob.ID); got != bobBefore {
		t.Fatalf("bob after void = %+v, want exactly %+v", got, bobBefore)
	}
	if st := stats(ada.ID); st.Wins != 0 || st.Played != 1 {
		t.Fatalf("ada's record after void = %+v: no win, still played", st)
	}
	if n, _ := s.WinStreak(c, ada.ID); n != 0 {
		t.Fatalf("ada's streak after void = %d", n)
	}
	if h, _ := s.RatingHistory(c, ada.ID, 10); len(h) != 0 {
		t.Fatalf("rating history after void = %+v", h)
	}
	if es, _, _ := s.Leaderboard(c, store.LeaderboardQuery{Board: store.BoardWeeklyXP, Limit: 10, Since: t0.Add(-time.Hour)}); len(es) != 0 {
		t.Fatalf("weekly XP board after void = %+v", es)
	}
	if m, _ := s.ArenaMatch(c, "m1"); !m.Voided {
		t.Fatal("m1 not voided")
	}
	refuse("void twice", store.Decision{MatchID: "m1", Action: store.DecisionVoid, Reason: "x"}, store.ErrConflict)

	// Undoing the void reapplies the match exactly.
	unvoid := decide(store.Decision{MatchID: "m1", Reverses: void.ID, Reason: "bob's code was his own sample"})
	if unvoid.Action != store.DecisionVoid || unvoid.Reverses != void.ID {
		t.Fatalf("reversal = %+v", unvoid)
	}
	if got := profile(ada.ID); got != adaAfter {
		t.Fatalf("ada after unvoid = %+v, want exactly %+v", got, adaAfter)
	}
	if got := profile(bob.ID); got != bobAfter {
		t.Fatalf("bob after unvoid = %+v, want exactly %+v", got, bobAfter)
	}
	if h, _ := s.RatingHistory(c, ada.ID, 10); len(h) != 1 || h[0].Rating != adaAfter.Rating || h[0].Delta != adaAfter.Rating-adaBefore.Rating {
		t.Fatalf("rating history after unvoid = %+v", h)
	}
	if st := stats(ada.ID); st.Wins != 1 {
		t.Fatalf("ada's record after unvoid = %+v", st)
	}
	refuse("reverse twice", store.Decision{MatchID: "m1", Reverses: void.ID, Reason: "x"}, store.ErrConflict)
	refuse("reverse a reversal", store.Decision{MatchID: "m1", Reverses: unvoid.ID, Reason: "x"}, store.ErrConflict)

	// A later match: voiding m1 now applies its inverse delta.
	finish("m2", t0.Add(30*time.Minute), false)
	refuse("reverse through another match", store.Decision{MatchID: "m2", Reverses: clear.ID, Reason: "x"}, store.ErrNotFound)
	cur := profile(ada.ID)
	void2 := decide(store.Decision{MatchID: "m1", Action: store.DecisionVoid, Reason: "second look"})
	got := profile(ada.ID)
	want := cur.Rating + adaBefore.Rating - adaAfter.Rating
	if void2.Changes[0].Exact || got.Rating != want || got.XP != cur.XP-140 {
		t.Fatalf("ada after voiding under a later match = %+v (exact %v), want rating %v and XP %d", got, void2.Changes[0].Exact, want, cur.XP-140)
	}

	// Ban and unban.
	ban := decide(store.Decision{MatchID: "m1", UserID: bob.ID, Action: store.DecisionBan, Reason: "sold accounts"})
	if u, _ := s.UserByID(c, bob.ID); !u.Disabled {
		t.Fatal("bob not disabled by the ban")
	}
	refuse("ban twice", store.Decision{MatchID: "m1", UserID: bob.ID, Action: store.DecisionBan, Reason: "x"}, store.ErrConflict)
	decide(store.Decision{MatchID: "m1", Reverses: ban.ID, Reason: "appeal"})
	if u, _ := s.UserByID(c, bob.ID); u.Disabled {
		t.Fatal("bob still disabled after the unban")
	}

	ds, err := s.Decisions(c, []string{"m1", "m2"})
	if err != nil || len(ds) != 6 {
		t.Fatalf("Decisions = %d, %v; want 6", len(ds), err)
	}
	d0 := ds[0]
	if d0.ID != clear.ID || d0.Action != store.DecisionClear || d0.UserID != ada.ID || d0.Reason != "typed it herself" ||
		d0.AdminID != root.ID || d0.AdminName != "root" || !d0.At.Equal(t0.Add(time.Hour)) || d0.ReversedBy != 0 {
		t.Fatalf("first decision = %+v", d0)
	}
	if ds[1].ReversedBy != unvoid.ID || len(ds[1].Changes) != 2 || ds[1].Changes[0].After != (store.RatingState{Rating: adaBefore.Rating,
		RD: adaBefore.RD, Volatility: adaBefore.Volatility}) {
		t.Fatalf("void as read back = %+v", ds[1])
	}
}
