package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadtestTournamentSmoke is `segfault loadtest tournament` at a few
// seconds' scale: 9 bots (a bye each round) on two nodes play a Swiss
// tournament of 3 rounds to the end, with the standings checked.
func TestLoadtestTournamentSmoke(t *testing.T) {
	var out bytes.Buffer
	code := runLoadtestTournament(context.Background(), []string{"--players", "9", "--rounds", "3", "--nodes", "2", "--think", "200ms",
		"--start-in", "3s", "--problems-dir", filepath.Join("..", "..", "problems")}, &out, &out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "RESULT loadtest tournament format=swiss players=9 rounds=3 nodes=2 games=12 byes=3 ") ||
		!strings.Contains(out.String(), " wrong=0 ") {
		t.Fatalf("RESULT:\n%s", out.String())
	}
}

// An elimination of 5: a bracket of 8, byes for seeds 1–3, 3 rounds.
func TestLoadtestTournamentEliminationSmoke(t *testing.T) {
	var out bytes.Buffer
	code := runLoadtestTournament(context.Background(), []string{"--format", "elimination", "--players", "5", "--nodes", "2", "--think", "100ms",
		"--start-in", "3s", "--problems-dir", filepath.Join("..", "..", "problems")}, &out, &out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "RESULT loadtest tournament format=elimination players=5 rounds=3 nodes=2 games=4 byes=3 ") ||
		!strings.Contains(out.String(), " wrong=0 ") {
		t.Fatalf("RESULT:\n%s", out.String())
	}
}

func TestLoadtestTournamentUsage(t *testing.T) {
	for _, args := range [][]string{{"--players", "1"}, {"--rounds", "0"}, {"--format", "roundrobin"}, {"--match-length", "1s"}} {
		var out bytes.Buffer
		if code := runLoadtestTournament(context.Background(), args, &out, &out); code != 2 {
			t.Fatalf("%v: exit %d, want 2 (%s)", args, code, out.String())
		}
	}
}
