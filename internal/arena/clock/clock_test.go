package clock

import (
	"testing"
	"time"
)

func TestFake(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f := NewFake(t0)
	if !f.Now().Equal(t0) {
		t.Fatalf("now %v", f.Now())
	}
	if got := f.Advance(90 * time.Second); !got.Equal(t0.Add(90*time.Second)) || !f.Now().Equal(got) {
		t.Fatalf("advance: %v", got)
	}
	f.Set(t0.Add(-time.Hour))
	if !f.Now().Equal(t0.Add(-time.Hour)) {
		t.Fatalf("set: %v", f.Now())
	}
	var c Clock = System{}
	if d := time.Since(c.Now()); d < 0 || d > time.Minute {
		t.Fatalf("system clock off by %v", d)
	}
}
