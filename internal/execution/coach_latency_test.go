package execution

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/coach"
	"github.com/segfaultarena/segfault/internal/execution/worker"
)

// TestCoachLatency measures how long after Accepted a coach report is
// stored, on the real pipeline (runc boxes, sandboxed generators, the
// worker's input cache), one submission at a time so that analyses run on
// an idle worker as they do in production. It prints p50 and p90 and
// asserts nothing about them (timing depends on the machine):
//
//	COACH_LATENCY=24 go test ./internal/execution/ -run TestCoachLatency -v
//
// The submissions cycle through the bundled problems' accepted solutions.
func TestCoachLatency(t *testing.T) {
	count, _ := strconv.Atoi(os.Getenv("COACH_LATENCY"))
	if count <= 0 {
		t.Skip("set COACH_LATENCY=N to measure N analyses")
	}
	env := startCoachEnv(t, 1, runLimits(), worker.CoachOptions{})
	c := newClient(t, env.url, "latency")
	subs, _ := filepath.Glob(filepath.Join(problemsDir(t), "*", "submissions", "accepted", "*"))
	langOf := map[string]string{".py": "python", ".cpp": "cpp", ".c": "c", ".go": "go"}
	var picked []string
	for _, s := range subs {
		if langOf[filepath.Ext(s)] != "" && !strings.Contains(s, "guess-the-number") {
			picked = append(picked, s)
		}
	}
	// Spread over problems and languages: every k-th submission.
	sort.Strings(picked)
	step := max(1, len(picked)/count)
	var lat []time.Duration
	byLang := map[string][]time.Duration{}
	for i := 0; len(lat) < count && i < len(picked)*step; i += step {
		path := picked[i%len(picked)]
		rel, _ := filepath.Rel(problemsDir(t), path)
		problem := strings.SplitN(rel, string(filepath.Separator), 2)[0]
		lang := langOf[filepath.Ext(path)]
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		id, status, body := c.submit(problem, lang, string(src))
		if status != http.StatusAccepted {
			t.Fatalf("submit %s = %d %s", rel, status, body)
		}
		if got := c.wait(id, 5*time.Minute); got.Result == nil || got.Result.Verdict != "AC" {
			t.Logf("%s: not accepted here (%+v); skipped", rel, got.Result)
			continue
		}
		acAt := time.Now()
		cj := c.waitCoach(id, 10*time.Minute)
		d := time.Since(acAt)
		lat = append(lat, d)
		byLang[lang] = append(byLang[lang], d)
		var rep coach.Report
		json.Unmarshal(cj.Report, &rep)
		cpu := 0.0
		if rep.Empirical != nil {
			cpu = rep.Empirical.CPUUsed
		}
		t.Logf("%-60s %6.1fs  time %-22s %s (%.1fs measured CPU)", rel, d.Seconds(), rep.Time, rep.DecidedBy, cpu)
	}
	q := func(ds []time.Duration, p float64) time.Duration {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return s[min(len(s)-1, int(p*float64(len(s))))]
	}
	if len(lat) == 0 {
		t.Fatal("nothing measured")
	}
	fmt.Printf("coach latency after Accepted: %d reports, p50 %.1fs, p90 %.1fs\n", len(lat), q(lat, 0.5).Seconds(), q(lat, 0.9).Seconds())
	for l, ds := range byLang {
		fmt.Printf("  %-7s %2d reports, p50 %.1fs\n", l, len(ds), q(ds, 0.5).Seconds())
	}
}
