package match

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/clock"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

var easy = Problem{ID: "hello", Rating: 1500, Difficulty: Easy}

func newMatch(t *testing.T, players ...int64) (*Match, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	if len(players) == 0 {
		players = []int64{1, 2}
	}
	m, err := New(Default(), clk, Setup{ID: "m1", Players: players})
	if err != nil {
		t.Fatal(err)
	}
	return m, clk
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// running returns a match of the given players that has just started.
func running(t *testing.T, players ...int64) (*Match, *clock.Fake) {
	t.Helper()
	m, clk := newMatch(t, players...)
	for _, p := range m.Snapshot().Players {
		must(t, m.Accept(p.ID))
	}
	must(t, m.Begin(easy))
	clk.Advance(5 * time.Second)
	m.Tick()
	if m.State() != Running {
		t.Fatalf("state %s, want running", m.State())
	}
	m.Events()
	return m, clk
}

func accepted(t *testing.T) (*Match, *clock.Fake) {
	m, clk := newMatch(t)
	must(t, m.Accept(1))
	must(t, m.Accept(2))
	return m, clk
}

func countdown(t *testing.T) (*Match, *clock.Fake) {
	m, clk := accepted(t)
	must(t, m.Begin(easy))
	return m, clk
}

// builders put a match in each state; the table below applies every action in
// every state.
var builders = map[State]func(t *testing.T) (*Match, *clock.Fake){
	Found:     func(t *testing.T) (*Match, *clock.Fake) { return newMatch(t) },
	Accepted:  accepted,
	Countdown: countdown,
	Running:   func(t *testing.T) (*Match, *clock.Fake) { return running(t) },
	Judging: func(t *testing.T) (*Match, *clock.Fake) {
		m, clk := running(t)
		must(t, m.Submit(1, "s1"))
		clk.Advance(10 * time.Minute)
		m.Tick()
		return m, clk
	},
	Finished: func(t *testing.T) (*Match, *clock.Fake) {
		m, clk := running(t)
		must(t, m.Submit(1, "s1"))
		must(t, m.Verdict("s1", 5, 5, true))
		return m, clk
	},
	Cancelled: func(t *testing.T) (*Match, *clock.Fake) {
		m, clk := newMatch(t)
		clk.Advance(15 * time.Second)
		m.Tick()
		return m, clk
	},
}

func TestTransitionTable(t *testing.T) {
	type action struct {
		name string
		do   func(m *Match) error
	}
	acts := []action{
		{"accept", func(m *Match) error { return m.Accept(1) }},
		{"accept outsider", func(m *Match) error { return m.Accept(99) }},
		{"begin", func(m *Match) error { return m.Begin(easy) }},
		{"submit", func(m *Match) error { return m.Submit(1, "new") }},
		{"submit outsider", func(m *Match) error { return m.Submit(99, "new") }},
		{"verdict s1", func(m *Match) error { return m.Verdict("s1", 3, 5, false) }},
		{"verdict unknown", func(m *Match) error { return m.Verdict("zzz", 3, 5, false) }},
		{"resign", func(m *Match) error { return m.Resign(2) }},
		{"resign outsider", func(m *Match) error { return m.Resign(99) }},
		{"disconnect", func(m *Match) error { return m.Disconnected(2) }},
		{"reconnect", func(m *Match) error { return m.Reconnected(2) }},
		{"disconnect outsider", func(m *Match) error { return m.Disconnected(99) }},
	}
	var ok error // nil: the action is legal
	states := []State{Found, Accepted, Countdown, Running, Judging, Finished, Cancelled}
	// want[action][state]
	want := map[string][]error{
		"accept":              {ok, ErrWrongState, ErrWrongState, ErrWrongState, ErrWrongState, ErrWrongState, ErrAcceptExpired},
		"accept outsider":     {ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant},
		"begin":               {ErrWrongState, ok, ErrWrongState, ErrWrongState, ErrWrongState, ErrWrongState, ErrWrongState},
		"submit":              {ErrWrongState, ErrWrongState, ErrWrongState, ok, ErrDeadlinePassed, ErrWrongState, ErrWrongState},
		"submit outsider":     {ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant},
		"verdict s1":          {ErrUnknownSubmission, ErrUnknownSubmission, ErrUnknownSubmission, ErrUnknownSubmission, ok, ErrDuplicateVerdict, ErrUnknownSubmission},
		"verdict unknown":     {ErrUnknownSubmission, ErrUnknownSubmission, ErrUnknownSubmission, ErrUnknownSubmission, ErrUnknownSubmission, ErrUnknownSubmission, ErrUnknownSubmission},
		"resign":              {ErrWrongState, ok, ok, ok, ok, ErrWrongState, ErrWrongState},
		"resign outsider":     {ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant},
		"disconnect":          {ok, ok, ok, ok, ok, ErrWrongState, ErrWrongState},
		"reconnect":           {ErrNotDisconnected, ErrNotDisconnected, ErrNotDisconnected, ErrNotDisconnected, ErrNotDisconnected, ErrWrongState, ErrWrongState},
		"disconnect outsider": {ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant, ErrNotParticipant},
	}
	// The state a legal action leads to.
	next := map[string]map[State]State{
		"accept":     {Found: Found}, // one of two players
		"begin":      {Accepted: Countdown},
		"submit":     {Running: Running},
		"verdict s1": {Judging: Finished},
		"resign":     {Accepted: Cancelled, Countdown: Cancelled, Running: Finished, Judging: Finished},
		"disconnect": {Found: Found, Accepted: Accepted, Countdown: Countdown, Running: Running, Judging: Judging},
	}
	for _, a := range acts {
		for i, st := range states {
			t.Run(a.name+" in "+string(st), func(t *testing.T) {
				m, _ := builders[st](t)
				if m.State() != st {
					t.Fatalf("builder made %s", m.State())
				}
				m.Events()
				before := m.Snapshot()
				err := a.do(m)
				w := want[a.name][i]
				if w == nil {
					if err != nil {
						t.Fatalf("legal action failed: %v", err)
					}
					if got := m.State(); got != next[a.name][st] {
						t.Fatalf("state %s, want %s", got, next[a.name][st])
					}
					if len(m.Events()) == 0 {
						t.Fatal("legal action emitted no event")
					}
					return
				}
				if !errors.Is(err, w) {
					t.Fatalf("err = %v, want %v", err, w)
				}
				var e *Error
				if !errors.As(err, &e) || e.ErrorCode() == "" {
					t.Fatalf("error without code: %v", err)
				}
				if after := m.Snapshot(); !reflect.DeepEqual(before, after) {
					t.Fatalf("rejected action changed the match:\n%+v\n%+v", before, after)
				}
				if ev := m.Events(); len(ev) != 0 {
					t.Fatalf("rejected action emitted %+v", ev)
				}
			})
		}
	}
}

func TestHappyPathTimings(t *testing.T) {
	m, clk := newMatch(t)
	s := m.Snapshot()
	if s.State != Found || s.AcceptBy != t0.Add(15*time.Second) {
		t.Fatalf("new: %+v", s)
	}
	clk.Advance(14 * time.Second)
	must(t, m.Accept(2))
	must(t, m.Accept(1))
	if m.State() != Accepted {
		t.Fatalf("state %s", m.State())
	}
	clk.Advance(time.Hour) // the accept deadline no longer applies
	m.Tick()
	if m.State() != Accepted {
		t.Fatalf("accepted match timed out: %s", m.State())
	}
	must(t, m.Begin(Problem{ID: "p", Rating: 1800, Difficulty: Medium}))
	c := m.Clock()
	start := t0.Add(14*time.Second + time.Hour + 5*time.Second)
	if c.State != Countdown || c.StartAt != start || c.Deadline != start.Add(20*time.Minute) {
		t.Fatalf("clock %+v", c)
	}
	clk.Set(start.Add(-time.Nanosecond))
	if err := m.Submit(1, "early"); !errors.Is(err, ErrWrongState) {
		t.Fatalf("submit during countdown: %v", err)
	}
	clk.Set(start)
	m.Tick()
	if m.State() != Running {
		t.Fatalf("state at start: %s", m.State())
	}
	if at, ok := m.NextTimer(); !ok || at != c.Deadline {
		t.Fatalf("next timer %v %v", at, ok)
	}
	if got := m.Clock().ServerNow; got != start {
		t.Fatalf("server_now %v", got)
	}
	kinds := []string{}
	for _, e := range m.Events() {
		kinds = append(kinds, e.Kind+":"+string(e.State))
	}
	want := []string{"accepted:", "accepted:", "state:accepted", "state:countdown", "state:running"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
}

func TestDurations(t *testing.T) {
	for d, want := range map[Difficulty]time.Duration{Easy: 10 * time.Minute, Medium: 20 * time.Minute, Hard: 30 * time.Minute} {
		m, _ := accepted(t)
		must(t, m.Begin(Problem{ID: "p", Difficulty: d}))
		s := m.Snapshot()
		if got := s.Deadline.Sub(s.StartAt); got != want {
			t.Errorf("%s: %v, want %v", d, got, want)
		}
	}
	m, _ := accepted(t)
	before := m.Snapshot()
	if err := m.Begin(Problem{ID: "p", Difficulty: "extreme"}); !errors.Is(err, ErrBadProblem) {
		t.Fatalf("unknown difficulty: %v", err)
	}
	if err := m.Begin(Problem{Difficulty: Easy}); !errors.Is(err, ErrBadProblem) {
		t.Fatalf("empty problem id: %v", err)
	}
	if !reflect.DeepEqual(before, m.Snapshot()) {
		t.Fatal("rejected Begin changed the match")
	}
}

func TestFirstAcceptedWins(t *testing.T) {
	tests := []struct {
		name   string
		steps  func(t *testing.T, m *Match, clk *clock.Fake)
		state  State
		reason Reason
		winner int64
	}{
		{"single accepted", func(t *testing.T, m *Match, clk *clock.Fake) {
			must(t, m.Submit(2, "a"))
			must(t, m.Verdict("a", 7, 7, true))
		}, Finished, Won, 2},
		{"earlier received wins although judged later", func(t *testing.T, m *Match, clk *clock.Fake) {
			must(t, m.Submit(1, "a"))
			clk.Advance(time.Second)
			must(t, m.Submit(2, "b"))
			must(t, m.Verdict("b", 7, 7, true))
			if m.State() != Running {
				t.Fatalf("finished while an earlier submission was pending")
			}
			must(t, m.Verdict("a", 7, 7, true))
		}, Finished, Won, 1},
		{"earlier rejected lets the later accepted win", func(t *testing.T, m *Match, clk *clock.Fake) {
			must(t, m.Submit(1, "a"))
			must(t, m.Submit(2, "b"))
			must(t, m.Verdict("b", 7, 7, true))
			must(t, m.Verdict("a", 6, 7, false))
		}, Finished, Won, 2},
		{"same instant: receipt order decides", func(t *testing.T, m *Match, clk *clock.Fake) {
			must(t, m.Submit(2, "b"))
			must(t, m.Submit(1, "a"))
			must(t, m.Verdict("a", 7, 7, true))
			must(t, m.Verdict("b", 7, 7, true))
		}, Finished, Won, 2},
		{"partial results keep it running", func(t *testing.T, m *Match, clk *clock.Fake) {
			must(t, m.Submit(1, "a"))
			must(t, m.Verdict("a", 6, 7, false))
		}, Running, "", 0},
		{"a resigned player's pending submission does not block", func(t *testing.T, m *Match, clk *clock.Fake) {
			must(t, m.Submit(1, "a"))
			must(t, m.Submit(2, "b"))
			must(t, m.Submit(3, "c"))
			must(t, m.Resign(1))
			must(t, m.Verdict("c", 7, 7, true))
			if m.State() != Running {
				t.Fatal("finished while b is pending")
			}
			must(t, m.Verdict("b", 1, 7, false))
		}, Finished, Won, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, clk := running(t, 1, 2, 3)
			tt.steps(t, m, clk)
			if m.State() != tt.state {
				t.Fatalf("state %s, want %s", m.State(), tt.state)
			}
			if r := m.Result(); r.Reason != tt.reason || r.Winner != tt.winner {
				t.Fatalf("result %+v, want %s by %d", r, tt.reason, tt.winner)
			}
		})
	}
}

func TestDeadline(t *testing.T) {
	type sub struct {
		player         int64
		passed, total  int
		after          time.Duration // since start
		judgeAfterEnds bool
	}
	tests := []struct {
		name      string
		subs      []sub
		reason    Reason
		winner    int64
		standings []int64
	}{
		{"nobody submitted: draw", nil, Draw, 0, []int64{1, 2}},
		{"nobody passed anything: draw", []sub{{1, 0, 5, time.Minute, false}, {2, 0, 5, 2 * time.Minute, false}}, Draw, 0, []int64{1, 2}},
		{"most tests passed wins", []sub{{1, 3, 5, time.Minute, false}, {2, 4, 5, 9 * time.Minute, false}}, Timeout, 2, []int64{2, 1}},
		{"tie broken by earlier best", []sub{{2, 4, 5, time.Minute, false}, {1, 4, 5, 2 * time.Minute, false}, {2, 4, 5, 3 * time.Minute, false}}, Timeout, 2, []int64{2, 1}},
		{"best counts, not last", []sub{{1, 4, 5, time.Minute, false}, {1, 1, 5, 2 * time.Minute, false}, {2, 3, 5, 3 * time.Minute, false}}, Timeout, 1, []int64{1, 2}},
		{"tie goes to the earlier receipt even when judged later", []sub{{2, 4, 5, time.Minute, true}, {1, 4, 5, 2 * time.Minute, false}, {2, 4, 5, 3 * time.Minute, false}}, Timeout, 2, []int64{2, 1}},
		{"verdict after the deadline still counts", []sub{{1, 2, 5, time.Minute, false}, {2, 4, 5, 10*time.Minute - time.Millisecond, true}}, Timeout, 2, []int64{2, 1}},
		{"accepted verdict after the deadline wins", []sub{{1, 4, 5, time.Minute, false}, {2, 5, 5, 10*time.Minute - time.Nanosecond, true}}, Won, 2, []int64{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, clk := running(t)
			start := clk.Now()
			var late []sub
			var lateIDs []string
			for i, s := range tt.subs {
				clk.Set(start.Add(s.after))
				id := string(rune('a' + i))
				must(t, m.Submit(s.player, id))
				if s.judgeAfterEnds {
					late, lateIDs = append(late, s), append(lateIDs, id)
					continue
				}
				must(t, m.Verdict(id, s.passed, s.total, s.passed == s.total))
			}
			clk.Set(start.Add(10 * time.Minute))
			m.Tick()
			if len(late) > 0 {
				if m.State() != Judging {
					t.Fatalf("state %s with pending verdicts, want judging", m.State())
				}
				clk.Advance(30 * time.Second)
				for i, s := range late {
					must(t, m.Verdict(lateIDs[i], s.passed, s.total, s.passed == s.total))
				}
			}
			r := m.Result()
			if m.State() != Finished || r.Reason != tt.reason || r.Winner != tt.winner || !slices.Equal(r.Standings, tt.standings) {
				t.Fatalf("state %s result %+v, want %s winner %d standings %v", m.State(), r, tt.reason, tt.winner, tt.standings)
			}
		})
	}
}

func TestSubmitAtDeadline(t *testing.T) {
	m, clk := running(t)
	deadline := m.Snapshot().Deadline
	clk.Set(deadline.Add(-time.Nanosecond))
	must(t, m.Submit(1, "last"))
	clk.Set(deadline)
	if err := m.Submit(2, "late"); !errors.Is(err, ErrDeadlinePassed) {
		t.Fatalf("submit at the deadline: %v", err)
	}
	if m.State() != Judging {
		t.Fatalf("state %s", m.State())
	}
	// Duplicate ids and empty ids are rejected before the deadline too.
	m2, _ := running(t)
	must(t, m2.Submit(1, "x"))
	if err := m2.Submit(2, "x"); !errors.Is(err, ErrDuplicateSubmission) {
		t.Fatalf("duplicate id: %v", err)
	}
	if err := m2.Submit(2, ""); !errors.Is(err, ErrUnknownSubmission) {
		t.Fatalf("empty id: %v", err)
	}
}

func TestJudgeGrace(t *testing.T) {
	m, clk := running(t)
	start := clk.Now()
	must(t, m.Submit(1, "a"))
	must(t, m.Verdict("a", 2, 5, false))
	must(t, m.Submit(2, "stuck"))
	clk.Set(start.Add(9 * time.Minute))
	must(t, m.Submit(1, "b"))
	must(t, m.Verdict("b", 5, 5, true)) // blocked by the earlier pending "stuck"
	if m.State() != Running {
		t.Fatalf("state %s", m.State())
	}
	clk.Set(start.Add(10*time.Minute + 2*time.Minute))
	m.Tick()
	r := m.Result()
	if m.State() != Finished || r.Reason != Won || r.Winner != 1 {
		t.Fatalf("after judge grace: %s %+v", m.State(), r)
	}
	if s := m.Snapshot(); s.EndedAt != start.Add(12*time.Minute) {
		t.Fatalf("ended at %v", s.EndedAt)
	}
	// The stuck verdict arriving later is recorded but changes nothing.
	clk.Advance(time.Minute)
	must(t, m.Verdict("stuck", 5, 5, true))
	if r2 := m.Result(); !reflect.DeepEqual(r, r2) {
		t.Fatalf("late verdict changed the result: %+v", r2)
	}
}

func TestBadVerdict(t *testing.T) {
	m, _ := running(t)
	must(t, m.Submit(1, "a"))
	before := m.Snapshot()
	for _, v := range []struct {
		p, n int
		ac   bool
	}{{6, 5, false}, {-1, 5, false}, {5, 5, false}, {4, 5, true}, {0, 0, true}} {
		if err := m.Verdict("a", v.p, v.n, v.ac); !errors.Is(err, ErrBadVerdict) {
			t.Fatalf("verdict %+v: %v", v, err)
		}
	}
	if !reflect.DeepEqual(before, m.Snapshot()) {
		t.Fatal("bad verdict changed the match")
	}
}

func TestDisconnect(t *testing.T) {
	t.Run("forfeit after grace", func(t *testing.T) {
		m, clk := running(t)
		must(t, m.Disconnected(2))
		clk.Advance(13 * time.Second)
		if left, ok := m.GraceLeft(2); !ok || left != 47*time.Second {
			t.Fatalf("grace left %v %v", left, ok)
		}
		if _, ok := m.GraceLeft(1); ok {
			t.Fatal("connected player has a grace")
		}
		if err := m.Disconnected(2); !errors.Is(err, ErrAlreadyDisconnected) {
			t.Fatalf("double disconnect: %v", err)
		}
		clk.Advance(47*time.Second - time.Nanosecond)
		m.Tick()
		if m.State() != Running {
			t.Fatal("forfeited before the grace ended")
		}
		clk.Advance(time.Nanosecond)
		m.Tick()
		r := m.Result()
		if m.State() != Finished || r.Reason != Forfeit || r.Winner != 1 || !slices.Equal(r.Standings, []int64{1, 2}) {
			t.Fatalf("%s %+v", m.State(), r)
		}
	})
	t.Run("reconnect within grace", func(t *testing.T) {
		m, clk := running(t)
		must(t, m.Disconnected(2))
		clk.Advance(59 * time.Second)
		must(t, m.Reconnected(2))
		clk.Advance(time.Hour / 6)
		m.Tick()
		if r := m.Result(); r.Reason != Draw {
			t.Fatalf("result %+v, want draw at the deadline", r)
		}
	})
	t.Run("both cut at once: no winner", func(t *testing.T) {
		m, clk := running(t)
		must(t, m.Disconnected(1))
		must(t, m.Disconnected(2))
		clk.Advance(time.Minute)
		m.Tick()
		if r := m.Result(); m.State() != Finished || r.Reason != Forfeit || r.Winner != 0 {
			t.Fatalf("%s %+v", m.State(), r)
		}
	})
	t.Run("late tick fires timers in time order", func(t *testing.T) {
		m, clk := running(t)
		start := clk.Now()
		clk.Set(start.Add(9*time.Minute + 30*time.Second))
		must(t, m.Disconnected(2)) // grace would end after the deadline
		clk.Set(start.Add(time.Hour))
		m.Tick()
		s := m.Snapshot()
		if s.Result.Reason != Draw || s.EndedAt != start.Add(10*time.Minute) {
			t.Fatalf("result %+v at %v, want a draw at the deadline", s.Result, s.EndedAt)
		}
	})
	t.Run("grace runs through the countdown", func(t *testing.T) {
		m, clk := countdown(t)
		must(t, m.Disconnected(1))
		clk.Advance(time.Minute)
		m.Tick()
		if r := m.Result(); r.Reason != Forfeit || r.Winner != 2 {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("no forfeit in the accept phase", func(t *testing.T) {
		m, clk := newMatch(t)
		must(t, m.Disconnected(1))
		must(t, m.Accept(2))
		clk.Advance(15 * time.Second)
		m.Tick()
		if r := m.Result(); m.State() != Cancelled || r.Reason != NotAccepted || !slices.Equal(r.Missing, []int64{1}) {
			t.Fatalf("%s %+v", m.State(), r)
		}
	})
}

func TestResignMultiPlayer(t *testing.T) {
	m, clk := running(t, 1, 2, 3)
	must(t, m.Submit(3, "c"))
	must(t, m.Verdict("c", 2, 5, false))
	must(t, m.Resign(1))
	if m.State() != Running {
		t.Fatal("a three-player match ended after one resignation")
	}
	if err := m.Resign(1); !errors.Is(err, ErrPlayerOut) {
		t.Fatalf("second resignation: %v", err)
	}
	if err := m.Submit(1, "x"); !errors.Is(err, ErrPlayerOut) {
		t.Fatalf("submission by resigned player: %v", err)
	}
	clk.Advance(time.Second)
	must(t, m.Disconnected(2))
	clk.Advance(time.Minute)
	m.Tick()
	r := m.Result()
	if r.Reason != Forfeit || r.Winner != 3 || !slices.Equal(r.Standings, []int64{3, 2, 1}) {
		t.Fatalf("%+v", r)
	}
}

func TestResignTwoPlayers(t *testing.T) {
	m, _ := running(t)
	must(t, m.Resign(1))
	if r := m.Result(); m.State() != Finished || r.Reason != Resigned || r.Winner != 2 || !slices.Equal(r.Standings, []int64{2, 1}) {
		t.Fatalf("%s %+v", m.State(), r)
	}
}

// TestLeavingBeforeTheStartCancels is the farming attack of issue 17: a
// second account resigned during the countdown and handed its opponent a
// full win. A match that ends before it runs is cancelled, without a
// winner, whoever left and however (resigned, or disconnected past the
// grace before the start).
func TestLeavingBeforeTheStartCancels(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(t *testing.T) (*Match, *clock.Fake)
		leave func(m *Match, clk *clock.Fake) error
	}{
		{"resign in countdown", countdown, func(m *Match, _ *clock.Fake) error { return m.Resign(1) }},
		{"resign once accepted", accepted, func(m *Match, _ *clock.Fake) error { return m.Resign(2) }},
		{"forfeit before begin", accepted, func(m *Match, clk *clock.Fake) error {
			if err := m.Disconnected(1); err != nil {
				return err
			}
			clk.Advance(Default().DisconnectGrace)
			m.Tick()
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, clk := tc.build(t)
			must(t, tc.leave(m, clk))
			r := m.Result()
			if m.State() != Cancelled || r.Reason != Aborted || r.Winner != 0 || len(r.Standings) != 0 {
				t.Fatalf("%s %+v, want cancelled (aborted) without a winner", m.State(), r)
			}
			if m.Snapshot().EndedAt.IsZero() {
				t.Fatal("a cancelled match without its end time")
			}
		})
	}
	// Three players: one leaving in the countdown leaves a match to play.
	m, clk := newMatch(t, 1, 2, 3)
	for _, id := range []int64{1, 2, 3} {
		must(t, m.Accept(id))
	}
	must(t, m.Begin(easy))
	must(t, m.Resign(3))
	if m.State() != Countdown {
		t.Fatalf("state %s after one of three left in the countdown", m.State())
	}
	must(t, m.Resign(2))
	if r := m.Result(); m.State() != Cancelled || r.Reason != Aborted || r.Winner != 0 {
		t.Fatalf("%s %+v, want cancelled", m.State(), r)
	}
	clk.Advance(time.Minute)
	m.Tick()
	if m.State() != Cancelled {
		t.Fatalf("a cancelled match moved on to %s", m.State())
	}
}

func TestPreAccepted(t *testing.T) {
	m, err := New(Default(), clock.NewFake(t0), Setup{ID: "room", Players: []int64{1, 2, 3, 4}, PreAccepted: true})
	must(t, err)
	if m.State() != Accepted {
		t.Fatalf("state %s", m.State())
	}
	must(t, m.Begin(easy))
}

func TestNewValidates(t *testing.T) {
	clk := clock.NewFake(t0)
	for _, s := range []Setup{
		{ID: "", Players: []int64{1, 2}},
		{ID: "m", Players: []int64{1}},
		{ID: "m", Players: []int64{1, 1}},
		{ID: "m", Players: []int64{0, 2}},
	} {
		if _, err := New(Default(), clk, s); !errors.Is(err, ErrBadSetup) {
			t.Errorf("setup %+v: %v", s, err)
		}
	}
	c := Default()
	c.Durations = map[Difficulty]time.Duration{Easy: time.Minute}
	if _, err := New(c, clk, Setup{ID: "m", Players: []int64{1, 2}}); err == nil {
		t.Error("config without medium/hard durations accepted")
	}
}

func TestSnapshotRestore(t *testing.T) {
	m, clk := running(t)
	must(t, m.Submit(1, "a"))
	must(t, m.Verdict("a", 3, 5, false))
	must(t, m.Disconnected(2))
	snap := m.Snapshot()

	// Another node restores the match with its own clock, later.
	clk2 := clock.NewFake(clk.Now().Add(30 * time.Second))
	m2, err := Restore(Default(), clk2, snap)
	must(t, err)
	if !reflect.DeepEqual(m2.Snapshot(), snap) {
		t.Fatal("restored snapshot differs")
	}
	clk2.Advance(30 * time.Second)
	m2.Tick()
	if r := m2.Result(); r.Reason != Forfeit || r.Winner != 1 {
		t.Fatalf("restored match did not finish the forfeit on time: %+v", r)
	}
	if s := m2.Snapshot(); s.EndedAt != snap.Players[1].DisconnectedAt.Add(time.Minute) {
		t.Fatalf("ended at %v", s.EndedAt)
	}
	// Snapshots are copies.
	snap.Players[0].Best = 99
	if m.Snapshot().Players[0].Best == 99 {
		t.Fatal("snapshot aliases the match")
	}
	if _, err := Restore(Default(), clk2, Snapshot{ID: "x", State: "dancing", Players: snap.Players}); !errors.Is(err, ErrBadSetup) {
		t.Fatalf("bad state restored: %v", err)
	}
}

func TestSnapshotJSON(t *testing.T) {
	m, clk := running(t, 1, 2, 3)
	must(t, m.Submit(1, "a"))
	must(t, m.Verdict("a", 3, 5, false))
	must(t, m.Submit(2, "b"))
	must(t, m.Disconnected(3))
	clk.Advance(time.Second)
	must(t, m.Resign(2))
	snap := m.Snapshot()
	raw, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var back Snapshot
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, snap) {
		t.Fatalf("JSON round trip changed the match:\n%s\n%+v\n%+v", raw, back, snap)
	}
}

// TestSolo: a practice match has one player and the same clock; Accepted
// wins it, the deadline decides on tests, resigning ends it without a
// winner, and its snapshot restores.
func TestSolo(t *testing.T) {
	clk := clock.NewFake(t0)
	for _, s := range []Setup{
		{ID: "p", Players: []int64{1, 2}, Solo: true},
		{ID: "p", Players: nil, Solo: true},
		{ID: "p", Players: []int64{0}, Solo: true},
	} {
		if _, err := New(Default(), clk, s); !errors.Is(err, ErrBadSetup) {
			t.Errorf("setup %+v: %v", s, err)
		}
	}
	start := func() *Match {
		m, err := New(Default(), clk, Setup{ID: "p", Players: []int64{7}, PreAccepted: true, Solo: true})
		must(t, err)
		must(t, m.Begin(easy))
		clk.Advance(5 * time.Second)
		m.Tick()
		if m.State() != Running {
			t.Fatalf("solo state %s", m.State())
		}
		return m
	}
	m := start()
	must(t, m.Submit(7, "a"))
	must(t, m.Verdict("a", 2, 5, false))
	if m.State() != Running {
		t.Fatalf("a wrong answer ended the solo match: %s", m.State())
	}
	must(t, m.Submit(7, "b"))
	must(t, m.Verdict("b", 5, 5, true))
	if r := m.Result(); m.State() != Finished || r.Reason != Won || r.Winner != 7 {
		t.Fatalf("solo after AC: %s %+v", m.State(), r)
	}
	if err := m.Submit(8, "c"); !errors.Is(err, ErrNotParticipant) && !errors.Is(err, ErrWrongState) {
		t.Fatalf("stranger submits: %v", err)
	}

	m = start()
	must(t, m.Submit(7, "a"))
	must(t, m.Verdict("a", 2, 5, false))
	snap := m.Snapshot()
	m2, err := Restore(Default(), clk, snap)
	must(t, err)
	clk.Advance(10 * time.Minute)
	m2.Tick()
	if r := m2.Result(); r.Reason != Timeout || r.Winner != 7 || m2.Snapshot().EndedAt != snap.Deadline {
		t.Fatalf("solo at the deadline: %+v", r)
	}
	snap.Solo = false
	if _, err := Restore(Default(), clk, snap); !errors.Is(err, ErrBadSetup) {
		t.Fatalf("one-player snapshot of a normal match restored: %v", err)
	}

	m = start()
	must(t, m.Resign(7))
	if r := m.Result(); m.State() != Finished || r.Reason != Resigned || r.Winner != 0 {
		t.Fatalf("solo resigned: %+v", r)
	}
	m = start()
	must(t, m.Disconnected(7))
	clk.Advance(time.Minute)
	m.Tick()
	if r := m.Result(); r.Reason != Forfeit || r.Winner != 0 {
		t.Fatalf("solo player away past the grace: %+v", r)
	}
}

// TestSubmitAt: a submission received before the deadline counts even
// when it is registered after it (stored and queued slowly, or forwarded
// to a new leader after a failover), as long as the owner held the match;
// one received at or after the deadline never does.
func TestSubmitAt(t *testing.T) {
	m, clk := running(t)
	deadline := m.Snapshot().Deadline
	m.Hold() // received a second before the deadline, being stored
	clk.Set(deadline.Add(3 * time.Second))
	must(t, m.Disconnected(2)) // another action ticks: the held deadline does not fire
	if m.State() != Running {
		t.Fatalf("state %s while held", m.State())
	}
	m.Release()
	must(t, m.SubmitAt(1, "late-registered", deadline.Add(-time.Second)))
	if err := m.SubmitAt(2, "after", deadline); !errors.Is(err, ErrDeadlinePassed) {
		t.Fatalf("received at the deadline: %v", err)
	}
	m.Tick()
	if m.State() != Judging {
		t.Fatalf("state %s, want judging (a submission received in time is pending)", m.State())
	}
	must(t, m.Verdict("late-registered", 5, 5, true))
	if r := m.Result(); r.Reason != Won || r.Winner != 1 {
		t.Fatalf("result %+v", r)
	}
	s := m.Snapshot().Submissions
	if len(s) != 1 || !s[0].Received.Equal(deadline.Add(-time.Second)) {
		t.Fatalf("submissions %+v", s)
	}

	// Receipt order is kept; a receipt in the future is now.
	m, clk = running(t)
	must(t, m.Submit(1, "a"))
	clk.Advance(time.Second)
	must(t, m.SubmitAt(2, "b", clk.Now().Add(-time.Hour)))
	must(t, m.SubmitAt(1, "c", clk.Now().Add(time.Hour)))
	s = m.Snapshot().Submissions
	if !s[1].Received.Equal(s[0].Received) || !s[2].Received.Equal(clk.Now()) {
		t.Fatalf("receipts %v %v %v", s[0].Received, s[1].Received, s[2].Received)
	}
}

// TestPlayersIsACopy: Players is the snapshot's players, and changing
// the copy changes nothing in the match.
func TestPlayersIsACopy(t *testing.T) {
	m, _ := newMatch(t)
	must(t, m.Accept(1))
	ps := m.Players()
	if !reflect.DeepEqual(ps, m.Snapshot().Players) {
		t.Fatalf("Players() = %+v, want the snapshot's %+v", ps, m.Snapshot().Players)
	}
	ps[0].Accepted, ps[1].Best = false, 99
	if got := m.Snapshot().Players; !got[0].Accepted || got[1].Best == 99 {
		t.Fatalf("changing the copy changed the match: %+v", got)
	}
}
