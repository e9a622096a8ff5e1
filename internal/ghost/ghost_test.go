package ghost

import (
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/timeline"
)

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func ms(n int64) int64 { return t0.Add(time.Duration(n) * time.Millisecond).UnixMilli() }

// script is a ghost that opened its editor in the countdown, typed, ran
// the samples, submitted a wrong answer, fixed it and was accepted, then
// typed on (which the race leaves out).
func script() Script {
	evs := []timeline.Event{
		{At: ms(-2000), Doc: "d", Kind: timeline.KindOpen, Text: "", Lang: "python"},
		{At: ms(1000), Doc: "d", Kind: timeline.KindEdit, Changes: []timeline.Change{{Offset: 0, Text: "print(1)"}}},
		{At: ms(1500), Doc: "d", Kind: timeline.KindFocus},
		{At: ms(3000), Doc: "d", Kind: timeline.KindRun},
		{At: ms(9000), Doc: "d", Kind: timeline.KindEdit, Changes: []timeline.Change{{Offset: 6, Len: 1, Text: "2"}}},
		{At: ms(30000), Doc: "d", Kind: timeline.KindEdit, Changes: []timeline.Change{{Offset: 0, Text: "#"}}},
	}
	subs := []Submit{
		{ID: "s2", Lang: "python", Received: t0.Add(10 * time.Second), Judged: t0.Add(12 * time.Second), Verdict: "AC", Passed: 5, Total: 5},
		{ID: "s1", Lang: "python", Received: t0.Add(4 * time.Second), Judged: t0.Add(5 * time.Second), Verdict: "WA", Passed: 2, Total: 5},
	}
	return Build(t0, evs, subs)
}

func TestBuild(t *testing.T) {
	s := script()
	want := []struct {
		at   time.Duration
		kind Kind
	}{
		{0, KindEditor}, {time.Second, KindEditor}, {3 * time.Second, KindRun}, {4 * time.Second, KindSubmit},
		{5 * time.Second, KindVerdict}, {9 * time.Second, KindEditor}, {10 * time.Second, KindSubmit}, {12 * time.Second, KindVerdict},
	}
	if len(s.Steps) != len(want) {
		t.Fatalf("%d steps, want %d: %+v", len(s.Steps), len(want), s.Steps)
	}
	for i, w := range want {
		if s.Steps[i].At != w.at || s.Steps[i].Kind != w.kind {
			t.Errorf("step %d = %v %s, want %v %s", i, s.Steps[i].At, s.Steps[i].Kind, w.at, w.kind)
		}
	}
	if !s.Accepted || s.Accept != 10*time.Second {
		t.Errorf("accept %v %v, want 10s", s.Accept, s.Accepted)
	}
	if got := s.Text(len(s.Steps)); got != "print(2)" {
		t.Errorf("final text %q", got)
	}
	if got := s.Text(2); got != "print(1)" {
		t.Errorf("text after 2 steps %q", got)
	}
}

// TestDue: whatever instants the caller asks at (a slow timer, a burst,
// the same instant twice), each step comes once, at or after its offset,
// in order.
func TestDue(t *testing.T) {
	s := script()
	cases := []struct {
		name    string
		elapsed time.Duration
		from    int
		want    int // steps returned
		next    int
	}{
		{"before the start", -time.Second, 0, 0, 0},
		{"the start: the countdown's open", 0, 0, 1, 1},
		{"1 ms before the first edit", 999 * time.Millisecond, 1, 0, 1},
		{"the first edit, exactly", time.Second, 1, 1, 2},
		{"asked again at the same instant", time.Second, 2, 0, 2},
		{"a late timer: run, submit, verdict together", 5500 * time.Millisecond, 2, 3, 5},
		{"long after the end", time.Hour, 5, 3, 8},
		{"all sent", time.Hour, 8, 0, 8},
		{"a negative cursor starts over", 0, -1, 1, 1},
	}
	for _, c := range cases {
		got, next := s.Due(c.from, c.elapsed)
		if len(got) != c.want || next != c.next {
			t.Errorf("%s: %d steps, next %d; want %d, %d", c.name, len(got), next, c.want, c.next)
		}
		for _, st := range got {
			if st.At > c.elapsed {
				t.Errorf("%s: step at %v sent at %v (early)", c.name, st.At, c.elapsed)
			}
		}
	}
	// Ticking every 7 ms from 0 to 13 s sends each step exactly once, at
	// the first tick at or after its offset.
	i, sent := 0, 0
	for el := time.Duration(0); el <= 13*time.Second; el += 7 * time.Millisecond {
		var got []Step
		got, i = s.Due(i, el)
		for _, st := range got {
			if st.At > el || el-st.At >= 7*time.Millisecond {
				t.Errorf("step at %v sent at %v", st.At, el)
			}
		}
		sent += len(got)
	}
	if sent != len(s.Steps) {
		t.Errorf("sent %d of %d", sent, len(s.Steps))
	}
	if at, ok := s.Next(3); !ok || at != 4*time.Second {
		t.Errorf("next(3) = %v %v", at, ok)
	}
	if _, ok := s.Next(len(s.Steps)); ok {
		t.Error("next after the end")
	}
}

func TestRace(t *testing.T) {
	s := script() // accepted at 10 s
	none := Build(t0, nil, []Submit{{ID: "x", Received: t0.Add(time.Second), Judged: t0.Add(2 * time.Second), Verdict: "WA"}})
	cases := []struct {
		name   string
		you    time.Duration
		ok     bool
		s      Script
		winner string
		margin time.Duration
	}{
		{"you by 2 s", 8 * time.Second, true, s, WinnerYou, 2 * time.Second},
		{"a tie is yours", 10 * time.Second, true, s, WinnerYou, 0},
		{"the ghost by 12 s", 22 * time.Second, true, s, WinnerGhost, 12 * time.Second},
		{"you never accepted", 0, false, s, WinnerGhost, 0},
		{"a ghost without accept", 5 * time.Second, true, none, WinnerYou, 0},
		{"nobody", 0, false, none, WinnerNone, 0},
	}
	for _, c := range cases {
		r := Race(c.you, c.ok, c.s)
		if r.Winner != c.winner || r.Margin != c.margin || (r.You != nil) != c.ok || (r.Ghost != nil) != c.s.Accepted {
			t.Errorf("%s: %+v", c.name, r)
		}
	}
}
