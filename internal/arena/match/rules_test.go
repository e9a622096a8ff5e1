package match

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/clock"
)

// ruled returns a running match of the given rule and players.
func ruled(t *testing.T, rule Rule, players ...int64) (*Match, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	m, err := New(Default(), clk, Setup{ID: "r1", Players: players, PreAccepted: true, Rule: rule})
	if err != nil {
		t.Fatal(err)
	}
	must(t, m.Begin(easy))
	clk.Advance(5 * time.Second)
	m.Tick()
	if m.State() != Running {
		t.Fatalf("state %s", m.State())
	}
	m.Events()
	return m, clk
}

func TestCountChars(t *testing.T) {
	for _, c := range []struct {
		code string
		want int
	}{
		{"", 0},
		{"print(1)", 8},
		{"  print( 1 )\n\n\t", 8},
		{"x = 1\r\ny=2\n", 6},
		{"é\u00a0ü", 2},   // a no-break space is white space too
		{"a\u3000b 🎉", 3}, // ideographic space; an emoji is one character
	} {
		if got := CountChars(c.code); got != c.want {
			t.Errorf("CountChars(%q) = %d, want %d", c.code, got, c.want)
		}
	}
}

func TestRuleSetup(t *testing.T) {
	if _, err := New(Default(), clock.NewFake(t0), Setup{ID: "x", Players: []int64{1, 2}, Rule: "golf"}); !errors.Is(err, ErrBadSetup) {
		t.Fatalf("unknown rule: %v", err)
	}
	m, err := New(Default(), clock.NewFake(t0), Setup{ID: "x", Players: []int64{1, 2}})
	if err != nil || m.Rule() != Fastest || m.Snapshot().Rule != Fastest {
		t.Fatalf("default rule %q %v", m.Rule(), err)
	}
	// A snapshot stored before rules (no "rule") restores as Fastest; a
	// rule survives the round trip.
	old := m.Snapshot()
	old.Rule = ""
	r, err := Restore(Default(), nil, old)
	if err != nil || r.Rule() != Fastest {
		t.Fatalf("restore without rule: %q %v", r.Rule(), err)
	}
	sm, _ := ruled(t, Shortest, 1, 2)
	b, _ := json.Marshal(sm.Snapshot())
	var back Snapshot
	must(t, json.Unmarshal(b, &back))
	if back.Rule != Shortest {
		t.Fatalf("rule after JSON: %q", back.Rule)
	}
	bad := back
	bad.Rule = "golf"
	if _, err := Restore(Default(), nil, bad); !errors.Is(err, ErrBadSetup) {
		t.Fatalf("restore unknown rule: %v", err)
	}
}

// TestReverseIsFastest: Reverse only hides the statement (the service's
// views); its scoring is Fastest's.
func TestReverseIsFastest(t *testing.T) {
	for _, rule := range []Rule{Fastest, Reverse} {
		m, _ := ruled(t, rule, 1, 2)
		must(t, m.Submit(2, "a"))
		must(t, m.Submit(1, "b"))
		must(t, m.Verdict("b", 5, 5, true))
		if m.State() != Running {
			t.Fatalf("%s: an earlier submission is pending, state %s", rule, m.State())
		}
		must(t, m.Verdict("a", 5, 5, true))
		if r := m.Result(); m.State() != Finished || r.Reason != Won || r.Winner != 2 {
			t.Fatalf("%s: %s %+v", rule, m.State(), r)
		}
	}
}

func TestShortest(t *testing.T) {
	type sub struct {
		player  int64
		chars   int
		passed  int // of 5
		advance time.Duration
	}
	cases := []struct {
		name      string
		players   []int64
		subs      []sub
		resign    int64
		deadline  bool // let the clock run out
		state     State
		reason    Reason
		winner    int64
		standings []int64
	}{
		{name: "everyone solved: fewest characters wins", players: []int64{1, 2, 3},
			subs:  []sub{{1, 120, 5, 0}, {2, 80, 5, time.Second}, {3, 95, 5, time.Second}},
			state: Finished, reason: ShortestCode, winner: 2, standings: []int64{2, 3, 1}},
		{name: "a tie goes to the earlier Accepted", players: []int64{1, 2},
			subs:  []sub{{2, 50, 5, 0}, {1, 50, 5, time.Second}},
			state: Finished, reason: ShortestCode, winner: 2, standings: []int64{2, 1}},
		{name: "one solved, one never: the match runs to the deadline", players: []int64{1, 2},
			subs:  []sub{{1, 300, 5, 0}, {2, 10, 4, 0}},
			state: Running},
		{name: "at the deadline the solver wins whatever the others' length", players: []int64{1, 2, 3},
			subs:     []sub{{1, 300, 5, 0}, {2, 10, 4, 0}, {3, 200, 5, 0}},
			deadline: true, state: Finished, reason: ShortestCode, winner: 3, standings: []int64{3, 1, 2}},
		{name: "nobody solved: the tests decide", players: []int64{1, 2},
			subs:     []sub{{1, 30, 2, 0}, {2, 40, 3, 0}},
			deadline: true, state: Finished, reason: Timeout, winner: 2, standings: []int64{2, 1}},
		{name: "nothing passed: draw", players: []int64{1, 2},
			deadline: true, state: Finished, reason: Draw},
		{name: "the one still in has solved: it ends", players: []int64{1, 2, 3},
			subs:   []sub{{1, 70, 5, 0}, {3, 60, 5, 0}},
			resign: 2, state: Finished, reason: ShortestCode, winner: 3, standings: []int64{3, 1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, clk := ruled(t, Shortest, c.players...)
			for i, s := range c.subs {
				clk.Advance(s.advance)
				id := string(rune('a' + i))
				must(t, m.SubmitCode(s.player, id, clk.Now(), s.chars))
				must(t, m.Verdict(id, s.passed, 5, s.passed == 5))
			}
			if c.resign != 0 {
				must(t, m.Resign(c.resign))
			}
			if c.deadline {
				clk.Advance(time.Hour)
				m.Tick()
			}
			r := m.Result()
			if m.State() != c.state || (c.state == Finished && (r.Reason != c.reason || r.Winner != c.winner)) {
				t.Fatalf("state %s result %+v, want %s %s winner %d", m.State(), r, c.state, c.reason, c.winner)
			}
			if c.standings != nil && !slices.Equal(r.Standings, c.standings) {
				t.Fatalf("standings %v, want %v", r.Standings, c.standings)
			}
		})
	}
}

func TestShortestAcceptedIsFinal(t *testing.T) {
	m, clk := ruled(t, Shortest, 1, 2)
	must(t, m.SubmitCode(1, "a", clk.Now(), 40))
	must(t, m.Verdict("a", 4, 5, false))
	must(t, m.SubmitCode(1, "b", clk.Now(), 90)) // a wrong answer may be followed by another
	must(t, m.Verdict("b", 5, 5, true))
	if err := m.SubmitCode(1, "c", clk.Now(), 10); !errors.Is(err, ErrAlreadySolved) {
		t.Fatalf("a shorter one after Accepted: %v", err)
	}
	if err := m.SubmitCode(2, "d", clk.Now(), -1); !errors.Is(err, ErrBadSetup) {
		t.Fatalf("negative size: %v", err)
	}
	// A judging match waits for the last verdict, then ranks.
	must(t, m.SubmitCode(2, "e", clk.Now(), 95))
	clk.Advance(10 * time.Minute)
	m.Tick()
	if m.State() != Judging {
		t.Fatalf("state %s, want judging", m.State())
	}
	must(t, m.Verdict("e", 5, 5, true))
	if r := m.Result(); r.Reason != ShortestCode || r.Winner != 1 {
		t.Fatalf("%+v", r)
	}
	// Fastest keeps allowing submissions after a solve (the match is over anyway).
	f, fc := ruled(t, Fastest, 1, 2)
	must(t, f.SubmitCode(1, "x", fc.Now(), 0))
}

func TestBigO(t *testing.T) {
	type step struct {
		sub     string
		player  int64
		verdict bool    // judged Accepted (else 3/5)
		measure Measure // "" = none yet
		advance time.Duration
	}
	cases := []struct {
		name   string
		steps  []step
		tick   time.Duration // then advance by this and Tick
		state  State
		reason Reason
		winner int64
	}{
		{name: "the quadratic one is Accepted first but loses to the one that meets the class",
			steps: []step{{"q", 1, true, MeasureSlower, 0}, {"n", 2, true, MeasureMeets, time.Minute}},
			state: Finished, reason: Won, winner: 2},
		{name: "Accepted alone does not win: it waits for the measurement",
			steps: []step{{"n", 2, true, "", 0}},
			state: Running},
		{name: "an earlier Accepted still being measured holds a later one that meets",
			steps: []step{{"q", 1, true, "", 0}, {"n", 2, true, MeasureMeets, time.Second}},
			state: Running},
		{name: "the earlier one then measured slower: the later one wins",
			steps: []step{{"q", 1, true, "", 0}, {"n", 2, true, MeasureMeets, time.Second}, {"q", 1, true, MeasureSlower, 0}},
			state: Finished, reason: Won, winner: 2},
		{name: "inconclusive falls back to Accepted: first Accepted wins",
			steps: []step{{"a", 1, true, MeasureInconclusive, 0}},
			state: Finished, reason: Won, winner: 1},
		{name: "a measurement that never comes falls back after the measure grace",
			steps: []step{{"a", 1, true, "", 0}},
			tick:  3 * time.Minute, state: Finished, reason: Won, winner: 1},
		{name: "only slower solutions: the deadline's test rule (all tests passed, earlier first)",
			steps: []step{{"a", 1, true, MeasureSlower, 0}, {"b", 2, false, "", 0}},
			tick:  time.Hour, state: Finished, reason: Timeout, winner: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, clk := ruled(t, BigO, 1, 2)
			judged := map[string]bool{}
			for _, s := range c.steps {
				clk.Advance(s.advance)
				if !judged[s.sub] {
					must(t, m.Submit(s.player, s.sub))
					if s.verdict {
						must(t, m.Verdict(s.sub, 5, 5, true))
					} else {
						must(t, m.Verdict(s.sub, 3, 5, false))
					}
					judged[s.sub] = true
				}
				if s.measure != "" {
					must(t, m.Measured(s.sub, s.measure))
				}
			}
			if c.tick > 0 {
				clk.Advance(c.tick)
				m.Tick()
			}
			r := m.Result()
			if m.State() != c.state || (c.state == Finished && (r.Reason != c.reason || r.Winner != c.winner)) {
				t.Fatalf("state %s result %+v, want %s %s winner %d", m.State(), r, c.state, c.reason, c.winner)
			}
		})
	}
}

func TestBigOMeasuredErrors(t *testing.T) {
	m, _ := ruled(t, BigO, 1, 2)
	must(t, m.Submit(1, "wa"))
	must(t, m.Verdict("wa", 2, 5, false))
	must(t, m.Submit(2, "ac"))
	for _, c := range []struct {
		sub  string
		r    Measure
		want error
	}{
		{"zz", MeasureMeets, ErrUnknownSubmission},
		{"wa", MeasureMeets, ErrNotMeasured}, // not Accepted
		{"ac", MeasureMeets, ErrNotMeasured}, // not judged yet
		{"ac", "fast", ErrBadVerdict},
	} {
		before := m.Snapshot()
		if err := m.Measured(c.sub, c.r); !errors.Is(err, c.want) {
			t.Fatalf("Measured(%s, %s) = %v, want %v", c.sub, c.r, err, c.want)
		}
		if after := m.Snapshot(); !slices.Equal(after.Submissions, before.Submissions) {
			t.Fatalf("a refused measurement changed the match")
		}
	}
	must(t, m.Verdict("ac", 5, 5, true))
	must(t, m.Measured("ac", MeasureSlower))
	if err := m.Measured("ac", MeasureMeets); !errors.Is(err, ErrDuplicateVerdict) {
		t.Fatalf("second measurement: %v", err)
	}
	// A measurement on a Fastest match is refused.
	f, _ := ruled(t, Fastest, 1, 2)
	must(t, f.Submit(1, "a"))
	must(t, f.Verdict("a", 5, 5, true))
	if err := f.Measured("a", MeasureMeets); !errors.Is(err, ErrNotMeasured) {
		t.Fatalf("measure in a fastest match: %v", err)
	}
}

// TestBigOMeasureAfterDeadline: a measurement that arrives while judging
// decides it; one that never comes ends at the judge grace as Accepted.
func TestBigOMeasureAfterDeadline(t *testing.T) {
	for _, arrives := range []bool{true, false} {
		m, clk := ruled(t, BigO, 1, 2)
		must(t, m.Submit(1, "a"))
		clk.Advance(9*time.Minute + 59*time.Second)
		must(t, m.Verdict("a", 5, 5, true)) // measure grace ends 3 min later, past the deadline
		clk.Advance(2 * time.Second)
		m.Tick()
		if m.State() != Judging {
			t.Fatalf("state %s", m.State())
		}
		if arrives {
			must(t, m.Measured("a", MeasureSlower))
			// Slower: not a win by itself, but the deadline's test rule.
			if r := m.Result(); m.State() != Finished || r.Reason != Timeout || r.Winner != 1 {
				t.Fatalf("%s %+v", m.State(), r)
			}
			continue
		}
		clk.Advance(3 * time.Minute)
		m.Tick()
		if r := m.Result(); m.State() != Finished || r.Reason != Won || r.Winner != 1 {
			t.Fatalf("%s %+v", m.State(), r)
		}
		if s := m.Snapshot().Submissions[0]; s.Measure != MeasureInconclusive {
			t.Fatalf("measure %q, want inconclusive", s.Measure)
		}
	}
}
