package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// BenchmarkSaveMatchStates saves batches of 64 (a busy node) and of 1 (a
// quiet one) running matches (a 1.5 KiB
// snapshot each, about a live match's) among 2,048: "prepared" is
// SaveMatchStates, "per-exec" the same transaction with the statement
// compiled for every match (the code before), for a ratio in one run.
func BenchmarkSaveMatchStates(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	const total = 2048
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	snap := []byte(`{"match":{"x":"` + strings.Repeat("y", 1500) + `"}}`)
	ms := make([]store.ArenaMatch, total)
	for i := range ms {
		var players []store.ArenaPlayer
		for range 2 {
			u, err := s.CreateUser(ctx, store.NewUser{Username: fmt.Sprintf("b%05d", len(players)+2*i)})
			if err != nil {
				b.Fatal(err)
			}
			players = append(players, store.ArenaPlayer{UserID: u.ID, RatingBefore: 1500, RDBefore: 350})
		}
		ms[i] = store.ArenaMatch{ID: fmt.Sprintf("m%05d", i), Mode: "ranked", State: "running", CreatedAt: t0, StartsAt: t0,
			Deadline: t0.Add(time.Hour), Fence: 1, Players: players, Snapshot: snap, ProblemID: "peak-count"}
		if err := s.CreateMatch(ctx, ms[i]); err != nil {
			b.Fatal(err)
		}
	}
	for _, v := range []struct {
		name  string
		batch int
		save  func(context.Context, []store.ArenaMatch) ([]error, error)
	}{{"prepared/batch=64", 64, s.SaveMatchStates}, {"per-exec/batch=64", 64, s.saveMatchStatesPerExec},
		{"prepared/batch=1", 1, s.SaveMatchStates}, {"per-exec/batch=1", 1, s.saveMatchStatesPerExec}} {
		batch := v.batch
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU()
			i := 0
			for b.Loop() {
				lo := (i * batch) % total
				if _, err := v.save(ctx, ms[lo:lo+batch]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "µs/match")
			// CPU time: the machine is shared, wall time measures the load.
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N*batch), "cpu-µs/match")
		})
	}
}

// processCPU is this process's user + system CPU time.
func processCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// saveMatchStatesPerExec is SaveMatchStates as it was: the UPDATE
// compiled for every match (kept for the benchmark's ratio).
func (s *Store) saveMatchStatesPerExec(ctx context.Context, ms []store.ArenaMatch) ([]error, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, m := range ms {
		if _, err := tx.ExecContext(ctx, `UPDATE matches SET state = ?, problem_id = ?, problem_version = ?,
			problem_title = ?, problem_difficulty = ?, starts_at = ?, deadline = ?, snapshot = ?, fence = ?
			WHERE id = ? AND state NOT IN ('finished', 'cancelled') AND fence <= ?`,
			m.State, m.ProblemID, m.ProblemVersion, m.ProblemTitle, m.ProblemDifficulty, opt(m.StartsAt), opt(m.Deadline),
			m.Snapshot, m.Fence, m.ID, m.Fence); err != nil {
			return nil, err
		}
	}
	return make([]error, len(ms)), tx.Commit()
}
