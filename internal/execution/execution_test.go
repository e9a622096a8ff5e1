package execution

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

type embeddedEnv struct {
	st  store.Store
	e   *Embedded
	url string
	reg prometheus.Gatherer // the API node's /metrics, in-process workers' included
}

func startEmbeddedEnv(t *testing.T, workers int, lim Limits) embeddedEnv {
	t.Helper()
	dir := t.TempDir()
	st := openSQLite(t, filepath.Join(dir, "db.sqlite"))
	api, ts := newAPIServer(t, st)
	removeSandboxDirs(t, dir)
	e, err := StartEmbedded(context.Background(), EmbeddedOptions{DataDir: dir, Store: st, Registry: api.Registry(),
		Catalog: &catalog.Dir{Root: problemsDir(t)}, Workers: workers, Runtime: "runc", Logger: testLogger(t), Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	api.MountJudge(e.Service)
	t.Cleanup(e.Close)
	return embeddedEnv{st: st, e: e, url: ts.URL}
}

// TestEmbeddedJudgesPracticeSubmissions is the serve shape end to end:
// POST a submission, events flow, the REST view ends with the verdict.
func TestEmbeddedJudgesPracticeSubmissions(t *testing.T) {
	env := startEmbeddedEnv(t, 2, Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 10, MaxQueued: 100})
	c := newClient(t, env.url, "ada")

	// Watch the progress events of this user.
	var mu sync.Mutex
	var phases []string
	sub, err := env.e.Bus.NC.Subscribe(env.e.Bus.Names.AllUserEvents(), func(m *nats.Msg) {
		var ev Event
		if json.Unmarshal(m.Data, &ev) == nil {
			mu.Lock()
			phases = append(phases, ev.Phase)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()

	cases := []struct {
		file, lang, verdict string
	}{
		{"accepted/incl_excl.py", "python", "AC"},
		{"wrong_answer/no_overlap.py", "python", "WA"},
		{"accepted/incl_excl.cpp", "cpp", "AC"},
	}
	ids := map[string]string{}
	for _, tc := range cases {
		id, status, body := c.submit("two-divisors", tc.lang, solution(t, "two-divisors", tc.file))
		if status != http.StatusAccepted {
			t.Fatalf("%s: %d %s", tc.file, status, body)
		}
		ids[tc.file] = id
	}
	for _, tc := range cases {
		got := c.wait(ids[tc.file], 60*time.Second)
		if got.Result == nil || string(got.Result.Verdict) != tc.verdict {
			t.Errorf("%s: result %+v, want %s", tc.file, got.Result, tc.verdict)
			continue
		}
		if got.Attempts != 1 {
			t.Errorf("%s: %d attempts, want 1", tc.file, got.Attempts)
		}
		if tc.verdict == "AC" && (got.Result.Passed != got.Result.Total || got.Result.Total == 0 || len(got.Tests) == 0) {
			t.Errorf("%s: AC with %d/%d passed, tests %s", tc.file, got.Result.Passed, got.Result.Total, got.Tests)
		}
		if tc.verdict == "WA" && strings.Contains(got.Result.Message, "expected") && got.Result.FailedTest > 2 {
			t.Errorf("%s: WA message on a secret test leaks data: %q", tc.file, got.Result.Message)
		}
	}
	// The events travel apart from the stored result: wait for the last
	// one (a minute only matters when one is lost).
	var seen string
	for deadline := time.Now().Add(hangOnly(time.Minute)); ; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		seen = strings.Join(phases, ",")
		mu.Unlock()
		if strings.Count(seen, PhaseDone) >= len(cases) || time.Now().After(deadline) {
			break
		}
	}
	for _, p := range []string{PhaseQueued, PhaseCompiling, PhaseTesting, PhaseDone} {
		if !strings.Contains(seen, p) {
			t.Errorf("no %s event among %s", p, seen)
		}
	}

	// Another user cannot read it; the list shows the owner's.
	other := newClient(t, env.url, "bob")
	if status, _ := other.do("GET", "/api/v1/submissions/"+ids[cases[0].file], nil); status != http.StatusNotFound {
		t.Errorf("other user's GET = %d, want 404", status)
	}
	status, body := c.do("GET", "/api/v1/submissions", nil)
	if status != http.StatusOK || strings.Count(string(body), `"id"`) != len(cases) {
		t.Errorf("list = %d %s", status, body)
	}
	status, body = c.do("GET", "/api/v1/judge/status", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"healthy_workers":1`) {
		t.Errorf("status = %d %s", status, body)
	}

	// The language list is what the one live worker found, from the table,
	// with its versions and the web's editor data.
	status, body = c.do("GET", "/api/v1/languages", nil)
	var langs struct {
		Languages []protocol.Language `json:"languages"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &langs) != nil || len(langs.Languages) == 0 {
		t.Fatalf("languages = %d %s", status, body)
	}
	table, _ := judge.DefaultLanguages("")
	var found []string
	for _, l := range table.ResolveAll(context.Background()) {
		if l.Err == nil {
			found = append(found, l.ID)
		}
	}
	var listed []string
	for _, l := range langs.Languages {
		listed = append(listed, l.ID)
		if l.Version == "" || l.Template == "" || l.Monaco == "" || len(l.Extensions) == 0 || l.Coach == "" {
			t.Errorf("language %+v lacks what the web needs", l)
		}
	}
	if strings.Join(listed, ",") != strings.Join(found, ",") {
		t.Errorf("listed %v, want the worker's %v", listed, found)
	}
}

// TestStatusLanguages: players are offered the languages every healthy
// worker has; unhealthy workers do not count; with none, nothing narrows.
func TestStatusLanguages(t *testing.T) {
	order := []string{"python", "c", "cpp", "kotlin"}
	st := Status{Workers: []WorkerInfo{
		{ID: "a", Healthy: true, Languages: []string{"kotlin", "python", "cpp"}, Versions: map[string]string{"python": "3.11", "kotlin": "1.3"}},
		{ID: "b", Healthy: true, Languages: []string{"python", "c", "kotlin"}, Versions: map[string]string{"python": "3.12"}},
		{ID: "c", Healthy: false, Languages: []string{"python"}},
	}}
	live, versions, ok := st.Languages(order)
	if !ok || strings.Join(live, ",") != "python,kotlin" || versions["python"] != "3.11" || versions["kotlin"] != "1.3" {
		t.Errorf("live %v versions %v ok %v", live, versions, ok)
	}
	st.Workers[1].Healthy = false
	if live, _, _ := st.Languages(order); strings.Join(live, ",") != "python,cpp,kotlin" {
		t.Errorf("one healthy worker: %v", live)
	}
	st.Workers[0].Healthy = false
	if live, _, ok := st.Languages(order); ok || live != nil {
		t.Errorf("no healthy worker: %v %v", live, ok)
	}
}

func TestSubmitRejectsBadRequests(t *testing.T) {
	env := startEmbeddedEnv(t, 0, Limits{})
	c := newClient(t, env.url, "eve")
	tests := []struct {
		name   string
		body   map[string]string
		status int
		code   string
	}{
		{"unknown language", map[string]string{"problem": "two-divisors", "lang": "brainfuck", "code": "+"}, 400, "language_unsupported"},
		{"empty source", map[string]string{"problem": "two-divisors", "lang": "python", "code": ""}, 400, "code_empty"},
		{"too large", map[string]string{"problem": "two-divisors", "lang": "python", "code": strings.Repeat("#", 70<<10)}, 413, "code_too_large"},
		{"unknown problem", map[string]string{"problem": "nope", "lang": "python", "code": "print(1)"}, 404, "problem_not_found"},
		{"path in problem id", map[string]string{"problem": "../problems", "lang": "python", "code": "print(1)"}, 404, "problem_not_found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := c.do("POST", "/api/v1/submissions", tc.body)
			if status != tc.status || !strings.Contains(string(body), `"`+tc.code+`"`) {
				t.Fatalf("= %d %s, want %d %s", status, body, tc.status, tc.code)
			}
		})
	}
	anon := &client{t: t, base: env.url, hc: http.DefaultClient}
	if status, _ := anon.do("POST", "/api/v1/submissions", map[string]string{"problem": "two-divisors", "lang": "python", "code": "x"}); status != http.StatusUnauthorized {
		t.Errorf("anonymous submit = %d, want 401", status)
	}
	// Nothing was stored.
	subs, err := env.st.UserSubmissions(context.Background(), 1, 10)
	if err != nil || len(subs) != 0 {
		t.Fatalf("stored %d submissions for refused requests (%v)", len(subs), err)
	}
}

func ratelimitRateOff() ratelimit.Rate { return ratelimit.Rate{} }
