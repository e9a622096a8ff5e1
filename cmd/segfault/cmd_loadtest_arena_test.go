package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLoadtestArenaSmoke is `segfault loadtest arena` at a few seconds'
// scale: on one node and on two, every match starts, every submission
// gets its result, every match ends, and the RESULT line is printed (the
// figures themselves are not checked: they depend on the machine).
func TestLoadtestArenaSmoke(t *testing.T) {
	var out bytes.Buffer
	code := runLoadtestArena(context.Background(), []string{"--matches", "20", "--nodes", "1,2", "--duration", "2s",
		"--interval", "400ms", "--verdict-delay", "20ms", "--problems-dir", filepath.Join("..", "..", "problems")}, &out, &out)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	var result string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "RESULT loadtest arena ") {
			result = line
		}
	}
	if result == "" {
		t.Fatalf("no RESULT line:\n%s", out.String())
	}
	if n := len(regexp.MustCompile(`nodes=\d running=20 `).FindAllString(result, -1)); n != 2 {
		t.Fatalf("RESULT %q: want both runs with 20 matches running", result)
	}
	// Two nodes: both own matches.
	if !regexp.MustCompile(`nodes=2 .* owned=\d+\.\d/\d+\.\d%`).MatchString(result) || strings.Contains(result, "owned=100.0/0.0%") ||
		strings.Contains(result, "owned=0.0/100.0%") {
		t.Fatalf("RESULT %q: the matches are not spread over both nodes", result)
	}
}

func TestLoadtestArenaUsage(t *testing.T) {
	for _, args := range [][]string{{"--nodes", "0"}, {"--nodes", "x"}, {"--matches", "0"}, {"--judge", "mock"}} {
		var out bytes.Buffer
		if code := runLoadtestArena(context.Background(), args, &out, &out); code != 2 {
			t.Fatalf("%v: exit %d, want 2 (%s)", args, code, out.String())
		}
	}
}
