package fairplay

import (
	"errors"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/errcode"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func TestRankedEligible(t *testing.T) {
	r := Default()
	for _, tc := range []struct {
		name string
		a    Account
		now  time.Time
		ok   bool
	}{
		{"fresh", Account{CreatedAt: t0}, t0.Add(24 * time.Second), false},
		{"two completed", Account{CreatedAt: t0, Completed: 2}, t0.Add(time.Hour), false},
		{"three completed", Account{CreatedAt: t0, Completed: 3}, t0.Add(time.Hour), true},
		{"a second short of a day", Account{CreatedAt: t0}, t0.Add(24*time.Hour - time.Second), false},
		{"a day old", Account{CreatedAt: t0}, t0.Add(24 * time.Hour), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := r.RankedEligible(tc.a, tc.now)
			if tc.ok != (err == nil) {
				t.Fatalf("eligible = %v (%v), want %v", err == nil, err, tc.ok)
			}
			if err == nil {
				return
			}
			e, ok := errcode.As(err)
			if !ok || e.Code != errcode.RankedLocked || !errors.Is(err, ErrRankedLocked) {
				t.Fatalf("refusal %v without the ranked_locked code", err)
			}
			if !e.CooldownUntil.Equal(tc.a.CreatedAt.Add(24 * time.Hour)) {
				t.Fatalf("cooldown_until %v", e.CooldownUntil)
			}
		})
	}
	if err := (Rules{}).RankedEligible(Account{CreatedAt: t0}, t0); err != nil {
		t.Fatalf("zero rules refuse a fresh account: %v", err)
	}
	if err := (Rules{MinCompleted: 2}).RankedEligible(Account{CreatedAt: t0, Completed: 1}, t0.Add(1000*time.Hour)); err == nil {
		t.Fatal("age opened ranked play with the age rule off")
	}
	if (Rules{MinRunTime: -1}).Validate() == nil || Default().Validate() != nil {
		t.Fatal("Validate")
	}
}

// finished is a two-player match that started at t0 and ended after d,
// with the given number of submissions.
func finished(d time.Duration, subs int) match.Snapshot {
	s := match.Snapshot{State: match.Finished, StartAt: t0, EndedAt: t0.Add(d),
		Players: []match.Player{{ID: 1}, {ID: 2}}, Result: match.Result{Reason: match.Resigned, Winner: 1}}
	for range subs {
		s.Submissions = append(s.Submissions, match.Submission{ID: "s", Player: 1, Received: t0})
	}
	return s
}

func TestCounts(t *testing.T) {
	r := Default()
	for _, tc := range []struct {
		name string
		s    match.Snapshot
		want bool
	}{
		{"instant resignation", finished(time.Second, 0), false},
		{"resigned a second before the minimum", finished(59*time.Second, 0), false},
		{"resigned at the minimum", finished(time.Minute, 0), true},
		{"solved in 20 s", finished(20*time.Second, 1), true},
		{"cancelled", match.Snapshot{State: match.Cancelled, StartAt: t0, EndedAt: t0.Add(time.Hour)}, false},
		{"finished without a start", match.Snapshot{State: match.Finished, EndedAt: t0}, false},
	} {
		if got := r.Counts(tc.s); got != tc.want {
			t.Errorf("%s: counts = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPairWeight(t *testing.T) {
	for prior, want := range map[int]float64{-1: 1, 0: 1, 1: 0.5, 2: 0.25, 3: 0.125, 1000: 0x1p-60} {
		if got := PairWeight(prior); got != want {
			t.Errorf("PairWeight(%d) = %v, want %v", prior, got, want)
		}
	}
	r := Default()
	if got := r.Since(t0); !got.Equal(t0.Add(-24 * time.Hour)) {
		t.Fatalf("Since = %v", got)
	}
	if got := (Rules{}).Since(t0); !got.Equal(t0) {
		t.Fatalf("Since without a window = %v", got)
	}
}
