package matchmaking

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/clock"
)

// benchTickets is a realistic waiting room: ratings roughly normal around
// 1500 (σ 350), RD from established to new, waits up to a minute.
func benchTickets(n int) []Ticket {
	r := rand.New(rand.NewPCG(42, 42))
	ts := make([]Ticket, n)
	for i := range ts {
		ts[i] = Ticket{
			UserID:   int64(i + 1),
			Rating:   1500 + r.NormFloat64()*350,
			RD:       40 + r.Float64()*310,
			Mode:     Ranked,
			Enqueued: t0.Add(-time.Duration(r.IntN(60_000)) * time.Millisecond),
		}
	}
	return ts
}

// BenchmarkTick is one full Lobby.Tick with 10,000 waiting ranked tickets
// (target ≤ 50 ms). The lobby is restored before each tick, off the clock.
func BenchmarkTick(b *testing.B) {
	ts := benchTickets(10_000)
	l, err := NewLobby(Default(), clock.NewFake(t0), nil)
	if err != nil {
		b.Fatal(err)
	}
	pairs := 0
	for b.Loop() {
		b.StopTimer()
		if err := l.Restore(State{Waiting: ts}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		pairs = len(l.Tick().Proposed)
	}
	b.ReportMetric(float64(pairs), "pairs")
}

// BenchmarkPair is the pairing step alone for 10,000 tickets, per lookahead.
func BenchmarkPair(b *testing.B) {
	ts := benchTickets(10_000)
	for _, la := range []int{1, 4, 6} {
		b.Run("lookahead="+string(rune('0'+la)), func(b *testing.B) {
			c := Default()
			c.Lookahead = la
			pairs := 0
			for b.Loop() {
				pairs = len(c.Pair(t0, ts))
			}
			b.ReportMetric(float64(pairs), "pairs")
		})
	}
}

// TestTickSmoke runs the benchmark's workload once so CI exercises it.
func TestTickSmoke(t *testing.T) {
	ts := benchTickets(10_000)
	l, _ := NewLobby(Default(), clock.NewFake(t0), nil)
	if err := l.Restore(State{Waiting: ts}); err != nil {
		t.Fatal(err)
	}
	res := l.Tick()
	if len(res.Proposed) < 4000 {
		t.Fatalf("only %d pairs from 10,000 dense tickets", len(res.Proposed))
	}
	if sz := l.QueueSizes()[Ranked]; sz != 10_000-2*len(res.Proposed) {
		t.Fatalf("queue %d after %d pairs", sz, len(res.Proposed))
	}
}
