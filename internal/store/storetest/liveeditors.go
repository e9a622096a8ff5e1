package storetest

import (
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// testLiveEditors: a match's live-editor setting is stored when it is
// created and read back by every match read (one match, the active ones,
// a player's), unchanged by saves and by the finish (issue 20).
func testLiveEditors(t *testing.T, s Harness) {
	var a store.Arena = s
	c := ctx(t)
	ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, m := range []store.ArenaMatch{
		{ID: "le-on", Mode: "casual", State: "running", CreatedAt: t0, Fence: 1, LiveEditors: true,
			Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1500, RDBefore: 350}}},
		{ID: "le-off", Mode: "ranked", State: "running", CreatedAt: t0.Add(time.Second), Fence: 1,
			Players: []store.ArenaPlayer{{UserID: bob.ID, RatingBefore: 1500, RDBefore: 350}}},
	} {
		if err := a.CreateMatch(c, m); err != nil {
			t.Fatalf("CreateMatch %s: %v", m.ID, err)
		}
	}
	check := func(what string, want map[string]bool) {
		t.Helper()
		for id, on := range want {
			m, err := a.ArenaMatch(c, id)
			if err != nil || m.LiveEditors != on {
				t.Fatalf("%s: ArenaMatch(%s).LiveEditors = %v, %v; want %v", what, id, m.LiveEditors, err, on)
			}
		}
	}
	check("created", map[string]bool{"le-on": true, "le-off": false})
	act, err := a.ActiveMatches(c, 10)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range act {
		if m.ID == "le-on" || m.ID == "le-off" {
			n++
			if m.LiveEditors != (m.ID == "le-on") {
				t.Fatalf("ActiveMatches: %s live_editors %v", m.ID, m.LiveEditors)
			}
		}
	}
	if n != 2 {
		t.Fatalf("ActiveMatches listed %d of the 2 matches", n)
	}
	ums, err := a.UserActiveMatches(c, ada.ID)
	if err != nil || len(ums) != 1 || !ums[0].LiveEditors {
		t.Fatalf("UserActiveMatches = %+v, %v", ums, err)
	}
	// A save carries no setting (the owner's row may not): it stays.
	if err := a.SaveMatchState(c, store.ArenaMatch{ID: "le-on", Mode: "casual", State: "running", CreatedAt: t0, Fence: 1,
		Snapshot: []byte(`{}`), Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1500, RDBefore: 350}}}); err != nil {
		t.Fatalf("SaveMatchState: %v", err)
	}
	if _, err := a.FinishMatch(c, store.ArenaFinish{MatchID: "le-on", State: store.MatchFinished, Reason: "draw", FinishedAt: t0.Add(time.Minute), Fence: 1},
		func([]store.ArenaStanding) ([]store.ArenaUpdate, error) { return nil, nil }); err != nil {
		t.Fatalf("FinishMatch: %v", err)
	}
	check("saved and finished", map[string]bool{"le-on": true, "le-off": false})
}
