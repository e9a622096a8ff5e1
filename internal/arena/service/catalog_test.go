package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// importCopy imports a copy of problems/peak-count, changed by edit, as a
// new version of the problem.
func importCopy(t *testing.T, cat *catalog.Catalog, edit func(dir string)) *problem.ImportResult {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "peak-count")
	if err := problem.CopyTree(filepath.Join(repoRoot(), "problems", "peak-count"), dir); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(dir)
	}
	res, err := cat.Import(context.Background(), dir, problem.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// waitVersion waits for the leader's background refresh to load version
// v of peak-count (about a second after the import).
func waitVersion(t *testing.T, n *node, v int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if p, ok := n.svc.playable.Get("peak-count"); ok && p.Version == v {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("version %d of peak-count never became playable", v)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func storedVersion(t *testing.T, e *env, id string) int {
	t.Helper()
	m, err := e.st.ArenaMatch(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var x matchExtras
	if err := json.Unmarshal(m.Snapshot, &x); err != nil {
		t.Fatal(err)
	}
	return x.ProblemVersion
}

// TestCatalogFromDatabase: the arena plays on the database catalog (one
// source with the judge and the problem API): a problem imported after
// start-up is playable with its metadata, a re-import switches new
// matches to the new version while a running match keeps its own (its
// judging included), and a disabled problem is no longer chosen.
func TestCatalogFromDatabase(t *testing.T) {
	e := newEnv(t)
	cat := catalog.New(e.st.(store.Problems), e.dir, testLogger())
	e.opt.Playable, e.opt.Catalog = nil, cat
	n := e.addNode()
	e.waitLeader()
	if got := n.svc.playable.Len(); got != 0 {
		t.Fatalf("empty database: %d playable problems", got)
	}
	v1 := importCopy(t, cat, nil) // an admin upload, after start-up

	_, t1 := e.user("ann")
	_, t2 := e.user("ben")
	a, b := connect(t, n, t1), connect(t, n, t2)
	waitVersion(t, n, 1)
	id1 := startRanked(t, a, b)
	var sv struct {
		Match struct {
			Problem problemJSON `json:"problem"`
		} `json:"match"`
	}
	a.request("hello", map[string]any{"client": "test"}, "snapshot").get(&sv)
	if p := sv.Match.Problem; p.ID != "peak-count" || p.Title != "Signal Peaks" || p.Difficulty != 800 || len(p.Samples) != 2 ||
		p.Statement == "" || p.TimeLimitMS != 1000 {
		t.Fatalf("problem of the first match = %+v", p)
	}
	if got := storedVersion(t, e, id1); got != v1.Version.Number || got != 1 {
		t.Fatalf("first match stored version %d, want 1", got)
	}

	// Re-import with another difficulty and statement: version 2.
	v2 := importCopy(t, cat, func(dir string) {
		if err := os.WriteFile(filepath.Join(dir, "arena.yaml"), []byte("difficulty: 900\ntags: [arrays, new-tag]\ncomplexity:\n  time: \"O(n)\"\n  space: \"O(1)\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(filepath.Join(dir, "problem_statement", "problem.en.md"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.WriteString("\nVERSION-TWO-MARKER\n")
		f.Close()
	})
	if v2.Version.Number != 2 {
		t.Fatalf("re-import made version %d", v2.Version.Number)
	}
	_, t3 := e.user("cat")
	_, t4 := e.user("dan")
	c, d := connect(t, n, t3), connect(t, n, t4)
	waitVersion(t, n, 2)
	id2 := startRanked(t, c, d)
	c.request("hello", map[string]any{"client": "test"}, "snapshot").get(&sv)
	if p := sv.Match.Problem; p.Difficulty != 900 || !strings.Contains(p.Statement, "VERSION-TWO-MARKER") || len(p.Tags) != 2 {
		t.Fatalf("problem of the match after the re-import = %+v", p)
	}
	if got := storedVersion(t, e, id2); got != 2 {
		t.Fatalf("second match stored version %d, want 2", got)
	}
	// The running first match keeps version 1, for players and the judge.
	a.request("hello", map[string]any{"client": "test"}, "snapshot").get(&sv)
	if p := sv.Match.Problem; p.Difficulty != 800 || strings.Contains(p.Statement, "VERSION-TWO-MARKER") {
		t.Fatalf("running match's problem changed under it: %+v", p)
	}
	if got := storedVersion(t, e, id1); got != 1 {
		t.Fatalf("first match now stored with version %d", got)
	}
	// A match's submissions and runs carry its version (SubmitRequest and
	// RunRequest.ProblemVersion); the judge's source resolves it.
	p1, _ := n.svc.playable.At(context.Background(), "peak-count", 1)
	if p1 == nil || p1.IntendedSpace != "O(n)" {
		t.Fatalf("version 1 = %+v", p1)
	}
	ref, err := execution.Resolve(context.Background(), cat, "peak-count", p1.Version)
	if err != nil || ref.Version != 1 || ref.SHA256 != v1.Version.SHA256 {
		t.Fatalf("a first-match submission is judged on %+v, %v; want version 1", ref, err)
	}
	ref, err = execution.Resolve(context.Background(), cat, "peak-count", 0)
	if err != nil || ref.Version != 2 {
		t.Fatalf("a practice submission is judged on %+v, %v; want version 2", ref, err)
	}
	if p2, _ := n.svc.playable.Get("peak-count"); p2.IntendedSpace != "O(1)" || p2.Version != 2 {
		t.Fatalf("newest = %+v", p2)
	}
	if _, err := execution.Resolve(context.Background(), cat, "no-such-problem", 0); err == nil {
		t.Fatal("unknown problem resolved")
	}

	// Disabled: gone from the choice at the next refresh.
	if err := e.st.(store.Problems).SetProblemEnabled(context.Background(), "peak-count", false); err != nil {
		t.Fatal(err)
	}
	if err := n.svc.playable.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := n.svc.playable.Len(); got != 0 {
		t.Fatalf("%d playable problems after disabling the only one", got)
	}
}

// logLines is a slog handler that keeps the messages it gets.
type logLines struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logLines) Enabled(context.Context, slog.Level) bool { return true }
func (l *logLines) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	line := r.Message
	r.Attrs(func(a slog.Attr) bool { line += " " + a.String(); return true })
	l.msgs = append(l.msgs, line)
	return nil
}
func (l *logLines) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logLines) WithGroup(string) slog.Handler      { return l }

func (l *logLines) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.msgs {
		if strings.Contains(m, substr) {
			n++
		}
	}
	return n
}

// TestCatalogSkipsVersionsWithoutTimeLimit: a version imported without a
// time limit (no limits.time_limit, no verification to derive one) could
// only be judged IE, so the arena never picks it, says so once in the log,
// and plays the problem again as soon as a version with a limit arrives.
func TestCatalogSkipsVersionsWithoutTimeLimit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(st, dir, testLogger())
	v1 := importCopy(t, cat, func(d string) {
		yaml := filepath.Join(d, "problem.yaml")
		b, err := os.ReadFile(yaml)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(yaml, []byte(strings.Replace(string(b), "  time_limit: 1\n", "", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	if v1.Version.TimeLimit != 0 {
		t.Fatalf("imported with time limit %v; the test needs none", v1.Version.TimeLimit)
	}
	logs := &logLines{}
	c := PlayableFrom(cat, []string{"python"})
	c.log = slog.New(logs)
	for range 3 {
		if err := c.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if c.Len() != 0 || len(c.Candidates()) != 0 {
		t.Fatalf("%d playable problems, want 0: peak-count v1 has no time limit", c.Len())
	}
	if _, ok := c.Get("peak-count"); ok {
		t.Fatal("Get returns the version without a time limit")
	}
	if _, ok := c.At(ctx, "peak-count", v1.Version.Number); ok {
		t.Fatal("At returns the version without a time limit")
	}
	if n := logs.count("no time limit"); n != 1 {
		t.Fatalf("%d log lines about the skipped version, want 1 (got %q)", n, logs.msgs)
	}
	if logs.count("problem=peak-count") != 1 {
		t.Fatalf("log lines %q do not name the problem", logs.msgs)
	}

	// A fixed catalog from a directory (tests, load tools) skips it too.
	root := t.TempDir()
	if err := problem.CopyTree(v1.Package.Dir, filepath.Join(root, "peak-count")); err != nil {
		t.Fatal(err)
	}
	fixed, errs := LoadPlayable(root, []string{"python"})
	if fixed == nil || fixed.Len() != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "no time limit") {
		t.Fatalf("LoadPlayable of a package without a time limit: %v playable, errors %v", fixed, errs)
	}

	v2 := importCopy(t, cat, nil) // with limits.time_limit: 1
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	p, ok := c.Get("peak-count")
	if !ok || p.Version != v2.Version.Number || p.TimeLimitMS != 1000 {
		t.Fatalf("after a version with a limit: %+v %v", p, ok)
	}
}

// TestProblemViewTimeLimitsPerLanguage: with --time-multipliers the problem
// view carries each scaled language's own limit, computed as the workers
// scale it; other languages use time_limit_ms.
func TestProblemViewTimeLimitsPerLanguage(t *testing.T) {
	c, err := NewPlayable([]ProblemInfo{{ID: "p", Title: "P", Rating: 1000, TimeLimitMS: 1500, MemoryMB: 256}},
		[]string{"c", "cpp", "java", "python"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := c.Get("p")
	if v := c.view(p); v.TimeLimitsMS != nil {
		t.Fatalf("no multipliers: time_limits_ms = %v, want none", v.TimeLimitsMS)
	}
	c.mult, err = problem.ParseLanguageMultipliers("python=3,java=1.5,cpp=1")
	if err != nil {
		t.Fatal(err)
	}
	v := c.view(p)
	want := map[string]int64{"python": 4500, "java": 2250}
	if len(v.TimeLimitsMS) != len(want) || v.TimeLimitsMS["python"] != 4500 || v.TimeLimitsMS["java"] != 2250 || v.TimeLimitMS != 1500 {
		t.Fatalf("view = %d ms, %v; want 1500 ms and %v", v.TimeLimitMS, v.TimeLimitsMS, want)
	}
	b, _ := json.Marshal(v)
	if !strings.Contains(string(b), `"time_limits_ms":{"java":2250,"python":4500}`) {
		t.Fatalf("json %s", b)
	}
}

// TestProblemViewLanguages: the problem view offers the catalog's
// languages that the live workers offer, in the catalog's order; all of
// them while that is not known.
func TestProblemViewLanguages(t *testing.T) {
	c, err := NewPlayable([]ProblemInfo{{ID: "p", Title: "P", Rating: 1000, TimeLimitMS: 1000, MemoryMB: 256}}, []string{"python", "cpp", "kotlin", "bash"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := c.Get("p")
	if got := strings.Join(c.view(p).Languages, ","); got != "python,cpp,kotlin,bash" {
		t.Errorf("no live list: %s", got)
	}
	c.live = func() ([]string, bool) { return []string{"bash", "python", "haskell"}, true }
	if got := strings.Join(c.view(p).Languages, ","); got != "python,bash" {
		t.Errorf("live bash, python, haskell: %s", got)
	}
	c.live = func() ([]string, bool) { return nil, false }
	if got := strings.Join(c.view(p).Languages, ","); got != "python,cpp,kotlin,bash" {
		t.Errorf("unknown: %s", got)
	}
}
