package match

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/clock"
)

var order = map[State]int{Found: 0, Accepted: 1, Countdown: 2, Running: 3, Judging: 4, Finished: 5, Cancelled: 5}

// TestRandomMatches plays many matches with random actions and checks the
// invariants: states only move forward, rejected actions carry a code and
// change nothing, a finished match ranks every player exactly once with
// the winner first, and no submission is accepted at or after the deadline.
func TestRandomMatches(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	outcomes := map[string]int{}
	for game := 0; game < 300; game++ {
		clk := clock.NewFake(t0)
		n := 2 + r.IntN(3)
		solo := game%7 == 6 // practice matches too
		if solo {
			n = 1
		}
		var players []int64
		for i := 1; i <= n; i++ {
			players = append(players, int64(i))
		}
		rule := Rules()[game%len(Rules())]
		m, err := New(Default(), clk, Setup{ID: "g", Players: players, PreAccepted: r.IntN(3) == 0, Solo: solo, Rule: rule})
		if err != nil {
			t.Fatal(err)
		}
		subs := 0
		for step := 0; step < 200 && !m.State().Terminal(); step++ {
			p := int64(1 + r.IntN(n+1)) // n+1 is an outsider
			before := m.State()
			m.Tick()
			ticked := m.Snapshot()
			var err error
			switch r.IntN(10) {
			case 0:
				err = m.Accept(p)
			case 1:
				err = m.Begin(Problem{ID: "p", Difficulty: []Difficulty{Easy, Medium, Hard}[r.IntN(3)]})
			case 2, 3:
				subs++
				err = m.SubmitCode(p, fmt.Sprint("s", subs), clk.Now(), r.IntN(100))
				if err == nil {
					if dl := m.Snapshot().Deadline; !clk.Now().Before(dl) {
						t.Fatalf("submission accepted at %v, deadline %v", clk.Now(), dl)
					}
				}
			case 4:
				total := 1 + r.IntN(10)
				passed := r.IntN(total + 1)
				err = m.Verdict(fmt.Sprint("s", 1+r.IntN(subs+1)), passed, total, passed == total)
			case 5:
				if r.IntN(8) == 0 {
					err = m.Resign(p)
				}
			case 6:
				if r.IntN(2) == 0 {
					err = m.Disconnected(p)
				} else {
					err = m.Reconnected(p)
				}
			case 7:
				clk.Advance(time.Duration(r.IntN(3000)) * time.Millisecond)
			case 8:
				if r.IntN(4) == 0 {
					clk.Advance(time.Duration(r.IntN(90)) * time.Second)
				}
			case 9:
				err = m.Measured(fmt.Sprint("s", 1+r.IntN(subs+1)), []Measure{MeasureMeets, MeasureSlower, MeasureInconclusive}[r.IntN(3)])
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Code == "" {
					t.Fatalf("error without code: %v", err)
				}
				// Tick ran first, so only time (not the action) may differ.
				if s := m.Snapshot(); s.State != ticked.State || len(s.Submissions) != len(ticked.Submissions) {
					t.Fatalf("rejected action (%v) changed the match", err)
				}
			}
			if order[m.State()] < order[before] {
				t.Fatalf("state went back from %s to %s", before, m.State())
			}
		}
		clk.Advance(2 * time.Hour)
		m.Tick()
		if !m.State().Terminal() && m.State() != Accepted {
			t.Fatalf("game %d not over after the deadline and grace: %s", game, m.State())
		}
		outcomes[string(m.State())+"/"+string(m.Result().Reason)]++
		if m.State() == Finished {
			res := m.Result()
			if len(res.Standings) != n || !sameSet(res.Standings, players) {
				t.Fatalf("standings %v for players %v", res.Standings, players)
			}
			if res.Winner != 0 && res.Standings[0] != res.Winner {
				t.Fatalf("winner %d not first in %v", res.Winner, res.Standings)
			}
			checkRule(t, m, rule)
		}
	}
	t.Logf("outcomes: %v", outcomes)
	for _, want := range []string{"cancelled/not_accepted", "finished/won", "finished/resigned", "finished/forfeit", "finished/draw", "finished/timeout", "finished/shortest"} {
		if outcomes[want] == 0 {
			t.Errorf("no game ended %s: the random walk misses a path", want)
		}
	}
}

// checkRule checks a finished match against its rule: a Shortest win goes
// to the fewest characters among the Accepted submissions of the players
// still in (the earlier on a tie), every one of them judged; a Big-O win
// ("won") is an Accepted submission not measured slower, and no earlier
// one of a player still in was a qualifying one.
func checkRule(t *testing.T, m *Match, rule Rule) {
	t.Helper()
	s, res := m.Snapshot(), m.Result()
	in := map[int64]bool{}
	for _, p := range s.Players {
		in[p.ID] = p.Out == ""
	}
	switch {
	case res.Reason == ShortestCode:
		if rule != Shortest {
			t.Fatalf("reason shortest in a %s match", rule)
		}
		best, seq := -1, 0
		var who int64
		for i, sub := range s.Submissions {
			if sub.Judged && sub.Accepted && in[sub.Player] && (best < 0 || sub.Chars < best) && sub.Received.Before(s.EndedAt.Add(time.Nanosecond)) {
				best, seq, who = sub.Chars, i, sub.Player
			}
		}
		if who != res.Winner {
			t.Fatalf("shortest winner %d, want %d (%d chars, #%d): %+v", res.Winner, who, best, seq, s.Submissions)
		}
	case rule == Shortest && res.Reason == Won:
		t.Fatalf("a Shortest match won by a first Accepted")
	case rule == BigO && res.Reason == Won:
		for _, sub := range s.Submissions {
			if !in[sub.Player] || !sub.Judged || !sub.Accepted {
				continue
			}
			if sub.Measure == MeasureSlower {
				continue
			}
			if sub.Player != res.Winner {
				t.Fatalf("big-o: %d won, but %d had an earlier qualifying submission: %+v", res.Winner, sub.Player, s.Submissions)
			}
			return
		}
		t.Fatalf("big-o: %d won without a qualifying submission: %+v", res.Winner, s.Submissions)
	}
}

func sameSet(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
