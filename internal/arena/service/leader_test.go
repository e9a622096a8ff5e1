package service

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/protocol"
)

// TestNewestLive: the lobby's live list is the newest matches by start
// (then id), the same as sorting all of them, for sets smaller and larger
// than the list, with ties and matches not started yet.
func TestNewestLive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for _, size := range []int{0, 1, 5, 20, 21, 300} {
		live := map[string]liveMatchJSON{}
		for i := range size {
			m := liveMatchJSON{MatchID: fmt.Sprintf("m%04d", r.IntN(10_000))}
			if r.IntN(10) > 0 {
				m.StartsAt = protocol.TimePtr(t0.Add(time.Duration(r.IntN(50)) * time.Second)) // ties on purpose
			}
			live[m.MatchID+fmt.Sprint(i)] = m
		}
		all := make([]liveMatchJSON, 0, len(live))
		for _, m := range live {
			all = append(all, m)
		}
		slices.SortFunc(all, func(a, b liveMatchJSON) int {
			if c := compareTimes(b.StartsAt, a.StartsAt); c != 0 {
				return c
			}
			return compareStrings(a.MatchID, b.MatchID)
		})
		want := all[:min(liveListMax, len(all))]
		got := newestLive(live, liveListMax)
		if got == nil || !slices.EqualFunc(got, want, func(a, b liveMatchJSON) bool {
			return a.MatchID == b.MatchID && compareTimes(a.StartsAt, b.StartsAt) == 0
		}) {
			t.Fatalf("%d live: got %v, want %v", size, ids(got), ids(want))
		}
	}
}

func ids(ms []liveMatchJSON) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.MatchID)
	}
	return out
}
