package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// testMatchFencing checks the fencing of match writes: a write with a
// token lower than one the store accepted is refused with ErrFenced and
// changes nothing; claims are monotonic; of concurrent claimants the
// highest token wins; a fenced finish writes no result, rating or XP.
func testMatchFencing(t *testing.T, s Harness) {
	var a store.Arena = s
	c := ctx(t)
	ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	m := store.ArenaMatch{ID: "f1", Mode: "ranked", State: "running", CreatedAt: t0, Fence: 10, Snapshot: []byte(`{"v":1}`),
		StartsAt: t0, Deadline: t0.Add(10 * time.Minute),
		Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1500, RDBefore: 350}, {UserID: bob.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := a.CreateMatch(c, m); err != nil {
		t.Fatalf("CreateMatch: %v", err)
	}
	if got, err := a.ArenaMatch(c, "f1"); err != nil || got.Fence != 10 {
		t.Fatalf("ArenaMatch after create = fence %d, %v; want 10", got.Fence, err)
	}
	// The owner writes with its token.
	m.Snapshot = []byte(`{"v":2}`)
	if err := a.SaveMatchState(c, m); err != nil {
		t.Fatalf("SaveMatchState with the held token: %v", err)
	}
	// A new owner claims it with a higher token and reads the latest write.
	got, err := a.ClaimMatch(c, "f1", 20)
	if err != nil || got.Fence != 20 || string(got.Snapshot) != `{"v":2}` || len(got.Players) != 2 {
		t.Fatalf("ClaimMatch(20) = %+v, %v; want the match with token 20 and the owner's last snapshot", got, err)
	}
	// The old owner is fenced: nothing it writes lands.
	m.Snapshot, m.State = []byte(`{"v":3}`), "judging"
	wantErr(t, "SaveMatchState with a stale token", a.SaveMatchState(c, m), store.ErrFenced)
	applied, err := a.FinishMatch(c, store.ArenaFinish{MatchID: "f1", State: store.MatchFinished, Reason: "won", WinnerID: ada.ID,
		FinishedAt: t0.Add(time.Minute), Fence: 10}, func([]store.ArenaStanding) ([]store.ArenaUpdate, error) {
		t.Error("compute called for a fenced finish")
		return nil, nil
	})
	if applied || !errors.Is(err, store.ErrFenced) {
		t.Fatalf("FinishMatch with a stale token = %v, %v; want ErrFenced", applied, err)
	}
	if got, err := a.ArenaMatch(c, "f1"); err != nil || got.State != "running" || string(got.Snapshot) != `{"v":2}` || got.Fence != 20 {
		t.Fatalf("match after fenced writes = %+v, %v; want it unchanged", got, err)
	}
	if p, _ := s.Profile(c, ada.ID); p.XP != 0 || p.Rating != 1500 {
		t.Fatalf("a fenced finish changed a profile: %+v", p)
	}
	// Claims never go back, and claiming again with the same token is fine.
	if _, err := a.ClaimMatch(c, "f1", 15); !errors.Is(err, store.ErrFenced) {
		t.Fatalf("ClaimMatch with a lower token: %v, want ErrFenced", err)
	}
	if _, err := a.ClaimMatch(c, "f1", 20); err != nil {
		t.Fatalf("ClaimMatch with the held token: %v", err)
	}
	if _, err := a.ClaimMatch(c, "nope", 99); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ClaimMatch unknown: %v, want ErrNotFound", err)
	}
	// Concurrent claimants: the highest token holds the match at the end,
	// and every claim that returned without error saw no higher token.
	var wg sync.WaitGroup
	for tok := int64(21); tok <= 28; tok++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := a.ClaimMatch(c, "f1", tok)
			if err == nil && got.Fence < tok {
				t.Errorf("ClaimMatch(%d) returned token %d", tok, got.Fence)
			}
			if err != nil && !errors.Is(err, store.ErrFenced) {
				t.Errorf("ClaimMatch(%d): %v", tok, err)
			}
		}()
	}
	wg.Wait()
	if got, _ := a.ArenaMatch(c, "f1"); got.Fence != 28 {
		t.Fatalf("token after concurrent claims = %d, want 28", got.Fence)
	}
	if ps, err := a.ActivePlayers(c, 10); err != nil || len(ps) != 2 || ps[0] != (store.ActivePlayer{MatchID: "f1", UserID: ada.ID}) ||
		ps[1] != (store.ActivePlayer{MatchID: "f1", UserID: bob.ID}) {
		t.Fatalf("ActivePlayers = %v, %v; want ada and bob in f1", ps, err)
	}
	// The current owner finishes it; its token is kept.
	applied, err = a.FinishMatch(c, store.ArenaFinish{MatchID: "f1", State: store.MatchFinished, Reason: "draw",
		FinishedAt: t0.Add(2 * time.Minute), Fence: 28}, func(st []store.ArenaStanding) ([]store.ArenaUpdate, error) {
		var ups []store.ArenaUpdate
		for _, p := range st {
			ups = append(ups, store.ArenaUpdate{UserID: p.Profile.UserID, Result: store.ResultDraw, Place: 1, XP: 7, Level: 1})
		}
		return ups, nil
	})
	if !applied || err != nil {
		t.Fatalf("FinishMatch by the owner = %v, %v", applied, err)
	}
	if p, _ := s.Profile(c, ada.ID); p.XP != 7 {
		t.Fatalf("XP after the owner's finish = %d, want 7", p.XP)
	}
	if ps, err := a.ActivePlayers(c, 10); err != nil || ps == nil || len(ps) != 0 {
		t.Fatalf("ActivePlayers after finish = %v, %v; want []", ps, err)
	}
	// A claim of a finished match returns it as it is.
	if got, err := a.ClaimMatch(c, "f1", 30); err != nil || got.State != store.MatchFinished {
		t.Fatalf("ClaimMatch of a finished match = %+v, %v", got, err)
	}
}

// testSaveMatchStates checks the grouped save: each match gets its own
// outcome (saved, fenced, unknown) and the others are saved all the same.
func testSaveMatchStates(t *testing.T, s Harness) {
	var a store.Arena = s
	c := ctx(t)
	// A player is in one active match at a time: each match has its own.
	players := map[string][2]store.User{}
	for _, id := range []string{"b1", "b2", "nope"} {
		players[id] = [2]store.User{mustUser(t, s, "a"+id), mustUser(t, s, "b"+id)}
	}
	t0 := time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)
	mk := func(id string, fence int64) store.ArenaMatch {
		p := players[id]
		return store.ArenaMatch{ID: id, Mode: "casual", State: "running", CreatedAt: t0, Fence: fence, Snapshot: []byte(`{"v":1}`),
			Players: []store.ArenaPlayer{{UserID: p[0].ID, RatingBefore: 1500, RDBefore: 350}, {UserID: p[1].ID, RatingBefore: 1500, RDBefore: 350}}}
	}
	ok, fenced := mk("b1", 5), mk("b2", 5)
	for _, m := range []store.ArenaMatch{ok, fenced} {
		if err := a.CreateMatch(c, m); err != nil {
			t.Fatalf("CreateMatch %s: %v", m.ID, err)
		}
	}
	if _, err := a.ClaimMatch(c, "b2", 9); err != nil {
		t.Fatalf("ClaimMatch: %v", err)
	}
	ok.Snapshot, fenced.Snapshot = []byte(`{"v":2}`), []byte(`{"v":2}`)
	errs, err := a.SaveMatchStates(c, []store.ArenaMatch{ok, fenced, mk("nope", 5)})
	if err != nil || len(errs) != 3 {
		t.Fatalf("SaveMatchStates = %v, %v", errs, err)
	}
	if errs[0] != nil || !errors.Is(errs[1], store.ErrFenced) || !errors.Is(errs[2], store.ErrNotFound) {
		t.Fatalf("SaveMatchStates outcomes = %v; want nil, ErrFenced, ErrNotFound", errs)
	}
	if got, _ := a.ArenaMatch(c, "b1"); string(got.Snapshot) != `{"v":2}` {
		t.Fatalf("the owned match was not saved: %s", got.Snapshot)
	}
	if got, _ := a.ArenaMatch(c, "b2"); string(got.Snapshot) != `{"v":1}` || got.Fence != 9 {
		t.Fatalf("the fenced match changed: %s, token %d", got.Snapshot, got.Fence)
	}
	if errs, err := a.SaveMatchStates(c, nil); err != nil || len(errs) != 0 {
		t.Fatalf("SaveMatchStates(nil) = %v, %v", errs, err)
	}
}
