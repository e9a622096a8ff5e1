package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// testOneActiveMatchPerPlayer: CreateMatch refuses, with ErrPlayerBusy and
// writing nothing, a match one of whose players is in an active match (a
// late match.create after the player was admitted elsewhere); once that
// match is over the player can be in a new one; of concurrent creations
// sharing a player exactly one is stored.
func testOneActiveMatchPerPlayer(t *testing.T, s Harness) {
	var a store.Arena = s
	c := ctx(t)
	ada, bob, cyd := mustUser(t, s, "ada"), mustUser(t, s, "bob"), mustUser(t, s, "cyd")
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	mk := func(id string, users ...int64) store.ArenaMatch {
		m := store.ArenaMatch{ID: id, Mode: "ranked", State: "running", CreatedAt: t0, Fence: 1}
		for _, u := range users {
			m.Players = append(m.Players, store.ArenaPlayer{UserID: u, RatingBefore: 1500, RDBefore: 350})
		}
		return m
	}
	if err := a.CreateMatch(c, mk("b1", ada.ID, bob.ID)); err != nil {
		t.Fatalf("CreateMatch: %v", err)
	}
	wantErr(t, "CreateMatch with a busy player", a.CreateMatch(c, mk("b2", cyd.ID, ada.ID)), store.ErrPlayerBusy)
	if _, err := a.ArenaMatch(c, "b2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refused match is stored: %v", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM match_players WHERE match_id = 'b2'"); n != 0 {
		t.Fatalf("the refused match left %d player rows", n)
	}
	// Over: free again.
	if _, err := a.FinishMatch(c, store.ArenaFinish{MatchID: "b1", State: store.MatchCancelled, Reason: "aborted", FinishedAt: t0, Fence: 1},
		func([]store.ArenaStanding) ([]store.ArenaUpdate, error) { return nil, nil }); err != nil {
		t.Fatalf("FinishMatch: %v", err)
	}
	if err := a.CreateMatch(c, mk("b3", cyd.ID, ada.ID)); err != nil {
		t.Fatalf("CreateMatch after the player's match ended: %v", err)
	}
	// Concurrent creations for bob: one wins.
	dee := mustUser(t, s, "dee")
	eve := mustUser(t, s, "eve")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, other := range []int64{dee.ID, eve.ID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = a.CreateMatch(c, mk(fmt.Sprintf("race%d", i), other, bob.ID))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, store.ErrPlayerBusy):
			t.Fatalf("racing CreateMatch: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of 2 racing creations sharing a player stored (%v), want 1", ok, errs)
	}
}

// testActiveMatchesPaged: ActiveMatchesAfter walks every active match
// once, in order, across pages (matches created at the same instant are
// ordered by id), skipping finished ones.
func testActiveMatchesPaged(t *testing.T, s Harness) {
	var a store.Arena = s
	c := ctx(t)
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	const n = 23
	var want []string
	for i := range n {
		u := mustUser(t, s, fmt.Sprintf("pg%02d", i))
		id := fmt.Sprintf("pm%02d", i)
		// Several share an instant: the id breaks the tie.
		m := store.ArenaMatch{ID: id, Mode: "casual", State: "running", CreatedAt: t0.Add(time.Duration(i/3) * time.Second), Fence: 1,
			Players: []store.ArenaPlayer{{UserID: u.ID, RatingBefore: 1500, RDBefore: 350}}}
		if err := a.CreateMatch(c, m); err != nil {
			t.Fatal(err)
		}
		if i == 7 {
			if _, err := a.FinishMatch(c, store.ArenaFinish{MatchID: id, State: store.MatchCancelled, Reason: "aborted", FinishedAt: t0, Fence: 1},
				func([]store.ArenaStanding) ([]store.ArenaUpdate, error) { return nil, nil }); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want = append(want, id)
	}
	var got []string
	var cur store.MatchCursor
	for pages := 0; ; pages++ {
		if pages > n {
			t.Fatal("paging does not end")
		}
		ms, err := a.ActiveMatchesAfter(c, cur, 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			got = append(got, m.ID)
		}
		if len(ms) < 4 {
			break
		}
		cur = store.CursorOf(ms[len(ms)-1])
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("paged active matches %v, want %v", got, want)
	}
}
