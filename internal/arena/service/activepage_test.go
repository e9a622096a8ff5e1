package service

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// TestLeaderLoadsEveryActiveMatch: a matchmaker taking over reads the
// active matches page by page: with more than one page of them (activePage
// + 37) its lobby's live list counts every public one, not the oldest
// page; the REST running list finds a public match behind a page of
// private ones.
func TestLeaderLoadsEveryActiveMatch(t *testing.T) {
	e := newEnv(t)
	n := e.addNode()
	e.waitLeader()
	ctx := context.Background()
	total := activePage + 37
	users := e.users("ap", total)
	t0 := time.Now().Add(-time.Minute)
	pub := 0
	for i, u := range users {
		// The first page is private rooms (not in the lobby's list); the
		// rest ranked, created later.
		mode := "private"
		if i >= activePage {
			mode = "ranked"
			pub++
		}
		m := store.ArenaMatch{ID: fmt.Sprintf("ap%05d", i), Mode: mode, State: "running", CreatedAt: t0.Add(time.Duration(i) * time.Millisecond),
			StartsAt: t0, Deadline: t0.Add(time.Hour), ProblemID: "peak-count", Fence: 1,
			Players: []store.ArenaPlayer{{UserID: u, RatingBefore: 1500, RDBefore: 350}}}
		if err := e.st.CreateMatch(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	// What a node runs when it wins the lease.
	l, err := newLeader(ctx, n.svc)
	if err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	live, total2 := len(l.live), l.lobbyView().LiveTotal
	_, last := l.live[fmt.Sprintf("ap%05d", total-1)]
	l.mu.Unlock()
	if live != pub || total2 != pub || !last {
		t.Fatalf("the new leader knows %d live matches (lobby says %d, newest loaded %v), want all %d public of %d active",
			live, total2, last, pub, total)
	}
	if len(l.playing) != total {
		t.Fatalf("the new leader has %d players playing, want %d", len(l.playing), total)
	}
	rm, err := n.svc.RunningMatches(ctx, 100)
	if err != nil || len(rm.Matches) != pub {
		t.Fatalf("RunningMatches: %d matches, %v; want the %d public ones behind a page of private rooms", len(rm.Matches), err, pub)
	}
}
