package xp

import (
	"errors"
	"testing"
	"time"
)

func TestCompute(t *testing.T) {
	min := time.Minute
	tests := []struct {
		name string
		o    Outcome
		want Award
	}{
		{"ranked win, medium solved at 5 of 20 min",
			Outcome{Mode: Ranked, Result: Win, Difficulty: Medium, Solved: true, SolveTime: 5 * min, Duration: 20 * min, Streak: 1},
			Award{Participation: 10, Result: 50, Solve: 60, Speed: 22, Streak: 0, FactorNum: 1, FactorDen: 1, Total: 142}},
		{"ranked win, hard solved instantly, third win in a row",
			Outcome{Mode: Ranked, Result: Win, Difficulty: Hard, Solved: true, SolveTime: 0, Duration: 30 * min, Streak: 3},
			Award{Participation: 10, Result: 50, Solve: 100, Speed: 50, Streak: 20, FactorNum: 1, FactorDen: 1, Total: 230}},
		{"ranked loss, nothing solved",
			Outcome{Mode: Ranked, Result: Loss, Difficulty: Easy, Duration: 10 * min},
			Award{Participation: 10, FactorNum: 1, FactorDen: 1, Total: 10}},
		{"ranked loss, solved on the last nanosecond",
			Outcome{Mode: Ranked, Result: Loss, Difficulty: Easy, Solved: true, SolveTime: 10 * min, Duration: 10 * min},
			Award{Participation: 10, Solve: 30, FactorNum: 1, FactorDen: 1, Total: 40}},
		{"ranked draw",
			Outcome{Mode: Ranked, Result: Draw, Difficulty: Medium, Duration: 20 * min},
			Award{Participation: 10, Result: 20, FactorNum: 1, FactorDen: 1, Total: 30}},
		{"streak bonus capped at +50",
			Outcome{Mode: Ranked, Result: Win, Difficulty: Easy, Duration: 10 * min, Streak: 12},
			Award{Participation: 10, Result: 50, Streak: 50, FactorNum: 1, FactorDen: 1, Total: 110}},
		{"streak ignored on a loss",
			Outcome{Mode: Ranked, Result: Loss, Difficulty: Easy, Duration: 10 * min, Streak: 4},
			Award{Participation: 10, FactorNum: 1, FactorDen: 1, Total: 10}},
		{"casual win halves, rounded down",
			Outcome{Mode: Casual, Result: Win, Difficulty: Medium, Solved: true, SolveTime: 10 * min, Duration: 20 * min, Streak: 2},
			Award{Participation: 10, Result: 50, Solve: 60, Speed: 15, Streak: 10, FactorNum: 1, FactorDen: 2, Total: 72}},
		{"free-for-all win",
			Outcome{Mode: FFA, Result: Win, Difficulty: Easy, Solved: true, SolveTime: 5 * min, Duration: 10 * min, Streak: 1},
			Award{Participation: 10, Result: 50, Solve: 30, Speed: 7, FactorNum: 1, FactorDen: 2, Total: 48}},
		{"private room loss",
			Outcome{Mode: Private, Result: Loss, Difficulty: Hard, Duration: 30 * min},
			Award{Participation: 10, FactorNum: 1, FactorDen: 2, Total: 5}},
		{"practice first solve",
			Outcome{Mode: Practice, Difficulty: Hard, Solved: true, SolveTime: time.Second, Duration: 30 * min, FirstSolve: true},
			Award{Solve: 100, FactorNum: 1, FactorDen: 2, Total: 50}},
		{"practice repeat solve gives nothing",
			Outcome{Mode: Practice, Difficulty: Hard, Solved: true, SolveTime: time.Second, Duration: 30 * min},
			Award{FactorNum: 1, FactorDen: 2}},
		{"practice unsolved",
			Outcome{Mode: Practice, Difficulty: Easy, Duration: 10 * min, FirstSolve: true},
			Award{FactorNum: 1, FactorDen: 2}},
		{"resigned gets nothing even after solving",
			Outcome{Mode: Ranked, Result: Loss, Quit: true, Difficulty: Hard, Solved: true, SolveTime: min, Duration: 30 * min},
			Award{FactorNum: 1, FactorDen: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compute(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
			sum := got.Participation + got.Result + got.Solve + got.Speed + got.Streak
			if got.Total != sum*got.FactorNum/got.FactorDen {
				t.Fatalf("total %d is not the sum of its parts %d × %d/%d", got.Total, sum, got.FactorNum, got.FactorDen)
			}
		})
	}
}

func TestComputeInvalid(t *testing.T) {
	min := time.Minute
	tests := []struct {
		name string
		o    Outcome
	}{
		{"unknown mode", Outcome{Mode: "arcade", Difficulty: Easy}},
		{"empty mode", Outcome{Difficulty: Easy}},
		{"unknown difficulty", Outcome{Mode: Ranked, Difficulty: "insane"}},
		{"unknown result", Outcome{Mode: Ranked, Difficulty: Easy, Result: 7}},
		{"solve after the deadline", Outcome{Mode: Ranked, Difficulty: Easy, Solved: true, SolveTime: 11 * min, Duration: 10 * min}},
		{"negative solve time", Outcome{Mode: Ranked, Difficulty: Easy, Solved: true, SolveTime: -1, Duration: 10 * min}},
		{"solved without duration", Outcome{Mode: Ranked, Difficulty: Easy, Solved: true}},
		{"win without streak", Outcome{Mode: Ranked, Result: Win, Difficulty: Easy, Duration: 10 * min}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Compute(tt.o); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestLevels(t *testing.T) {
	tests := []struct {
		xp    int64
		level int
	}{
		{-5, 1}, {0, 1}, {99, 1}, {100, 2}, {299, 2}, {300, 3}, {599, 3}, {600, 4},
		{4499, 9}, {4500, 10}, {494999, 99}, {495000, 100}, {1 << 50, 100},
	}
	for _, tt := range tests {
		if got := Level(tt.xp); got != tt.level {
			t.Errorf("Level(%d) = %d, want %d", tt.xp, got, tt.level)
		}
	}
	// The curve must be strictly increasing with steps of 100·L.
	for l := 1; l < MaxLevel; l++ {
		if step := LevelThreshold(l+1) - LevelThreshold(l); step != 100*int64(l) {
			t.Fatalf("step %d→%d = %d, want %d", l, l+1, step, 100*l)
		}
		if Level(LevelThreshold(l+1)-1) != l || Level(LevelThreshold(l+1)) != l+1 {
			t.Fatalf("level boundary at %d wrong", l+1)
		}
	}
}

func TestProgress(t *testing.T) {
	tests := []struct {
		xp   int64
		want Progress
	}{
		{0, Progress{Level: 1, Into: 0, Need: 100}},
		{350, Progress{Level: 3, Into: 50, Need: 300}},
		{-1, Progress{Level: 1, Into: 0, Need: 100}},
		{495000 + 7, Progress{Level: 100, Into: 7, Need: 0}},
	}
	for _, tt := range tests {
		if got := ProgressOf(tt.xp); got != tt.want {
			t.Errorf("ProgressOf(%d) = %+v, want %+v", tt.xp, got, tt.want)
		}
	}
}
