package execution

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/coach"
	"github.com/segfaultarena/segfault/internal/config"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

func startCoachEnv(t testing.TB, workers int, lim Limits, co worker.CoachOptions) embeddedEnv {
	t.Helper()
	return startCoachEnvAt(t, problemsDir(t), workers, lim, co)
}

// startCoachEnvAt is startCoachEnv on the packages under root.
func startCoachEnvAt(t testing.TB, root string, workers int, lim Limits, co worker.CoachOptions) embeddedEnv {
	t.Helper()
	dir := t.TempDir()
	st := openSQLite(t, filepath.Join(dir, "db.sqlite"))
	api, ts := newAPIServer(t, st)
	removeSandboxDirs(t, dir)
	e, err := StartEmbedded(context.Background(), EmbeddedOptions{DataDir: dir, Store: st, Registry: api.Registry(),
		Catalog: &catalog.Dir{Root: root}, Workers: workers, Runtime: "runc", Logger: testLogger(t), Limits: lim, Coach: co})
	if err != nil {
		t.Fatal(err)
	}
	api.MountJudge(e.Service)
	t.Cleanup(e.Close)
	return embeddedEnv{st: st, e: e, url: ts.URL, reg: api.Registry()}
}

// TestCoachGeneratorRunsInTheSandbox: a package's generator is its
// author's code; on a worker it runs in a sandbox box, never on the host.
// This one tries to write a file on the host before printing its input.
func TestCoachGeneratorRunsInTheSandbox(t *testing.T) {
	root := t.TempDir()
	pkg := filepath.Join(root, "two-divisors")
	if out, err := exec.Command("cp", "-r", filepath.Join(problemsDir(t), "two-divisors"), pkg).CombinedOutput(); err != nil {
		t.Fatalf("copy package: %v %s", err, out)
	}
	marker := filepath.Join(t.TempDir(), "generator-was-here")
	genPath := filepath.Join(pkg, "generators", "gen")
	gen, err := os.ReadFile(genPath)
	if err != nil {
		t.Fatal(err)
	}
	shebang, rest, _ := strings.Cut(string(gen), "\n")
	hostile := shebang + "\ntry:\n    open(" + strconv.Quote(marker) + ", 'w').write('escaped')\nexcept OSError:\n    pass\n" + rest
	if err := os.WriteFile(genPath, []byte(hostile), 0o755); err != nil {
		t.Fatal(err)
	}
	co := worker.CoachOptions{Budget: 2 * time.Second}
	env := startCoachEnvAt(t, root, 1, runLimits(), co)
	c := newClient(t, env.url, "gencheck")
	id, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", "accepted/incl_excl.py"))
	if status != http.StatusAccepted {
		t.Fatalf("submit = %d %s", status, body)
	}
	if got := c.wait(id, 60*time.Second); got.Result.Verdict != "AC" {
		t.Fatalf("verdict %+v", got.Result)
	}
	cj := c.waitCoach(id, 120*time.Second)
	var rep coach.Report
	if err := json.Unmarshal(cj.Report, &rep); err != nil {
		t.Fatalf("report %s: %v", cj.Report, err)
	}
	if rep.Empirical == nil || rep.Empirical.Source != "generator" || len(rep.Empirical.Points) < 3 {
		t.Fatalf("no measurement from the sandboxed generator: %s (%s)", cj.Report, rep.EmpiricalError)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("the generator wrote %s on the host", marker)
	}
}

// fakeLLM is an OpenAI-compatible endpoint on loopback: it answers with a
// fixed explanation when ok, with 500 otherwise, and counts the prompts
// that carried the submission's code. The coach options come from the
// configuration, as `serve` and `worker` build them.
func fakeLLM(t *testing.T, ok bool) (worker.CoachOptions, *atomic.Int32) {
	t.Helper()
	var prompts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model    string                     `json:"model"`
			Messages []struct{ Content string } `json:"messages"`
		}
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer sekret" ||
			json.NewDecoder(r.Body).Decode(&req) != nil || req.Model != "fake-model" || len(req.Messages) != 2 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if strings.Contains(req.Messages[1].Content, "gcd") {
			prompts.Add(1)
		}
		if !ok {
			http.Error(w, "overloaded", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":"Fake coach: linear, as intended."},"finish_reason":"stop"}]}`))
	}))
	t.Cleanup(srv.Close)
	return worker.CoachFromConfig(&config.Config{LLMBaseURL: srv.URL + "/v1", LLMModel: "fake-model", LLMAPIKey: "sekret",
		LLMTimeout: 10 * time.Second}), &prompts
}

func TestCoachFromConfig(t *testing.T) {
	if opt := worker.CoachFromConfig(&config.Config{}); opt.LLM != nil || opt.Disabled {
		t.Fatalf("no LLM configured: %+v", opt)
	}
	opt := worker.CoachFromConfig(&config.Config{LLMBaseURL: "http://127.0.0.1:1/v1", LLMModel: "m", LLMTimeout: time.Second})
	if opt.LLM == nil || opt.LLM.Name() != "m" {
		t.Fatalf("LLM configured: %+v", opt)
	}
}

// coachEvents collects the coach events published on user subjects.
func coachEvents(t *testing.T, b *bus.Bus) func() []Event {
	var mu sync.Mutex
	var evs []Event
	sub, err := b.NC.Subscribe(b.Names.AllUserEvents(), func(m *nats.Msg) {
		var ev Event
		if json.Unmarshal(m.Data, &ev) == nil && ev.Type == CoachEventType {
			mu.Lock()
			evs = append(evs, ev)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.Unsubscribe() })
	return func() []Event {
		mu.Lock()
		defer mu.Unlock()
		return append([]Event(nil), evs...)
	}
}

// settled waits until events has at least n events (hangOnly: only a lost
// one waits that long), then 200 ms more so that an extra one would show,
// and returns them.
func settled(t *testing.T, events func() []Event, n int) []Event {
	t.Helper()
	for deadline := time.Now().Add(hangOnly(time.Minute)); len(events()) < n && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	return events()
}

// waitCoach polls the coach route until it is no longer pending.
func (c *client) waitCoach(id string, timeout time.Duration) protocol.CoachView {
	c.t.Helper()
	deadline := time.Now().Add(hangOnly(timeout))
	for time.Now().Before(deadline) {
		status, body := c.do("GET", "/api/v1/submissions/"+id+"/coach", nil)
		switch status {
		case http.StatusAccepted:
		case http.StatusOK:
			var cj protocol.CoachView
			if err := json.Unmarshal(body, &cj); err != nil {
				c.t.Fatalf("coach %s: %v", body, err)
			}
			return cj
		default:
			c.t.Fatalf("GET coach = %d %s", status, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	c.t.Fatalf("no coach report for %s after %v", id, hangOnly(timeout))
	return protocol.CoachView{}
}

// TestCoachAfterAccepted is the coach end to end: an accepted Python
// solution of a problem with a generator gets a report with a time class,
// measured in the sandbox; the owner (and only the owner) reads it; a
// coach event reaches the user subject; a wrong answer gets none.
func TestCoachAfterAccepted(t *testing.T) {
	co, prompts := fakeLLM(t, false)
	co.Budget = 3 * time.Second
	env := startCoachEnv(t, 2, runLimits(), co)
	events := coachEvents(t, env.e.Bus)
	c := newClient(t, env.url, "coachee")
	id, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", "accepted/incl_excl.py"))
	if status != http.StatusAccepted {
		t.Fatalf("submit = %d %s", status, body)
	}
	wa, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", "wrong_answer/no_overlap.py"))
	if status != http.StatusAccepted {
		t.Fatalf("submit = %d %s", status, body)
	}
	if got := c.wait(id, 60*time.Second); got.Result.Verdict != "AC" {
		t.Fatalf("verdict %+v", got.Result)
	}
	acAt := time.Now()
	cj := c.waitCoach(id, 120*time.Second)
	t.Logf("coach report %v after the verdict", time.Since(acAt).Round(100*time.Millisecond))
	if cj.Status != store.CoachDone || cj.Error != "" {
		t.Fatalf("coach = %+v", cj)
	}
	var rep coach.Report
	if err := json.Unmarshal(cj.Report, &rep); err != nil {
		t.Fatalf("report %s: %v", cj.Report, err)
	}
	// The LLM failed: the offline text stands, and the report says why.
	if rep.Lang != "python" || rep.Time.String() == "" || rep.Text == "" || rep.TextSource != "offline" ||
		rep.TextError == "" || rep.Static == nil {
		t.Fatalf("report = %s", cj.Report)
	}
	if prompts.Load() != 1 {
		t.Fatalf("%d prompts with the code reached the LLM, want 1", prompts.Load())
	}
	if rep.Empirical == nil || rep.Empirical.Source != "generator" || len(rep.Empirical.Points) < 3 {
		t.Fatalf("no measurement from the generator: %s (%s)", cj.Report, rep.EmpiricalError)
	}
	// Each run's CPU limit is what is left of the budget, enforced at the
	// latest by RLIMIT_CPU in whole seconds: the last run can overshoot by
	// under a second however loaded the machine, never more.
	if rep.Empirical.CPUUsed > 4 {
		t.Errorf("analysis used %.1f s of CPU, over its 3 s budget (+1 s for the last run's overshoot)", rep.Empirical.CPUUsed)
	}
	t.Logf("coach: time %s, space %s, %d points, %.2f s CPU: %s", rep.Time, rep.Space, len(rep.Empirical.Points), rep.Empirical.CPUUsed, rep.Text)

	evs := settled(t, events, 1)
	if len(evs) != 1 || evs[0].SubmissionID != id || evs[0].Phase != PhaseDone || evs[0].UserID == 0 || evs[0].Message != "" {
		t.Fatalf("coach events = %+v", evs)
	}

	// The wrong answer never gets one; others cannot read the report.
	if got := c.wait(wa, 60*time.Second); got.Result.Verdict != "WA" {
		t.Fatalf("verdict %+v", got.Result)
	}
	if status, body := c.do("GET", "/api/v1/submissions/"+wa+"/coach", nil); status != http.StatusNotFound {
		t.Errorf("coach of a WA = %d %s, want 404", status, body)
	}
	other := newClient(t, env.url, "snoop")
	if status, _ := other.do("GET", "/api/v1/submissions/"+id+"/coach", nil); status != http.StatusNotFound {
		t.Errorf("other user's coach = %d, want 404", status)
	}
	if status, _ := c.do("GET", "/api/v1/submissions/nope/coach", nil); status != http.StatusNotFound {
		t.Errorf("unknown coach = %d, want 404", status)
	}
	// An admin may read it.
	admin := newClient(t, env.url, "boss")
	u, err := env.st.UserByUsername(context.Background(), "boss")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.st.SetUserRole(context.Background(), u.ID, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if status, body := admin.do("GET", "/api/v1/submissions/"+id+"/coach", nil); status != http.StatusOK {
		t.Errorf("admin's coach = %d %s, want 200", status, body)
	}
	if n := metricValue(t, env.reg, "segfault_worker_analyses_total", "done"); n != 1 {
		t.Errorf("analyses done = %v, want 1", n)
	}
	if n := metricValue(t, env.reg, "segfault_worker_analyses_total", "queued"); n != 1 {
		t.Errorf("analyses queued = %v, want 1", n)
	}
}

// TestCoachFailureIsFinal: an analysis that keeps failing is stored as
// failed with its reason after the bus's deliveries, and announced; it is
// not retried forever.
func TestCoachFailureIsFinal(t *testing.T) {
	env := startCoachEnv(t, 1, runLimits(), worker.CoachOptions{RetryDelay: 50 * time.Millisecond})
	events := coachEvents(t, env.e.Bus)
	ctx := context.Background()
	u, err := env.st.CreateUser(ctx, store.NewUser{Username: "unlucky", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	// A package the object store never had: every attempt fails to load it.
	sub, err := env.st.CreateSubmission(ctx, store.NewSubmission{ID: "feedc0de", UserID: u.ID, ProblemID: "two-divisors",
		ProblemSHA256: "0000000000000000000000000000000000000000000000000000000000000000", Lang: "python",
		Source: []byte("print(1)\n"), Priority: PriorityPractice, CreatedAt: time.Now()}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.st.FinishSubmission(ctx, store.SubmissionResult{SubmissionID: sub.ID, Verdict: "AC"}); err != nil {
		t.Fatal(err)
	}
	if err := jobs.PublishAnalysis(ctx, env.e.Bus, sub, "coach-"+sub.ID); err != nil {
		t.Fatal(err)
	}
	cr := env.st
	deadline := time.Now().Add(hangOnly(60 * time.Second))
	var rep store.CoachReport
	for time.Now().Before(deadline) {
		if rep, err = cr.CoachReport(ctx, sub.ID); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil || rep.Status != store.CoachFailed || rep.Error == "" {
		t.Fatalf("report = %+v, %v; want failed with a reason", rep, err)
	}
	t.Logf("failed analysis: %s", rep.Error)
	if evs := settled(t, events, 1); len(evs) != 1 || evs[0].Message == "" {
		t.Fatalf("events = %+v, want one failed coach event", evs)
	}
	// Nothing left in the analysis queue: it was acknowledged.
	d, err := env.e.Bus.QueueDepth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q := d[bus.Analysis]; q.Pending != 0 || q.InFlight != 0 {
		t.Fatalf("analysis queue after a final failure: %+v", q)
	}
}

// TestAnalysisYieldsToRankedJob: on a one-slot worker busy with an
// analysis, a ranked submission does not wait for it: the analysis is
// preempted and requeued, the ranked job is judged, and the report still
// arrives afterwards.
func TestAnalysisYieldsToRankedJob(t *testing.T) {
	co, _ := fakeLLM(t, true)
	co.Budget = 4 * time.Second
	env := startCoachEnv(t, 1, runLimits(), co)
	c := newClient(t, env.url, "patient")
	id, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", "accepted/incl_excl.py"))
	if status != http.StatusAccepted {
		t.Fatalf("submit = %d %s", status, body)
	}
	c.wait(id, 60*time.Second)
	w := env.e.Worker
	// Wait until the only slot is inside the analysis.
	deadline := time.Now().Add(hangOnly(30 * time.Second))
	for slots, analysis := w.Busy(); !(analysis && slots == 1); slots, analysis = w.Busy() {
		if time.Now().After(deadline) {
			t.Fatal("the analysis did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // well into measuring
	u, err := env.st.UserByUsername(context.Background(), "patient")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ranked, err := env.e.Service.SubmitRanked(context.Background(), SubmitRequest{UserID: u.ID, ProblemID: "two-divisors",
		Lang: "python", Source: []byte(solution(t, "two-divisors", "accepted/incl_excl.py")), MatchID: "m-yield"})
	if err != nil {
		t.Fatal(err)
	}
	got := c.wait(ranked.ID, 60*time.Second)
	took := time.Since(start)
	if got.Result.Verdict != "AC" {
		t.Fatalf("ranked verdict %+v", got.Result)
	}
	if n := metricValue(t, env.reg, "segfault_worker_analyses_total", "preempted"); n < 1 {
		t.Fatalf("the analysis was not preempted (ranked judged in %v)", took)
	}
	t.Logf("ranked submission judged %v after it was queued behind a running analysis", took.Round(time.Millisecond))
	// Both reports arrive once the worker is idle again.
	for _, sid := range []string{id, ranked.ID} {
		cj := c.waitCoach(sid, 180*time.Second)
		var rep coach.Report
		if cj.Status != store.CoachDone || json.Unmarshal(cj.Report, &rep) != nil {
			t.Fatalf("coach of %s = %+v", sid, cj)
		}
		if rep.Empirical == nil || rep.EmpiricalError != "" {
			t.Fatalf("coach of %s has no full measurement (a preempted run stored?): %s", sid, rep.EmpiricalError)
		}
		if rep.TextSource != "llm:fake-model" || rep.Text != "Fake coach: linear, as intended." {
			t.Fatalf("coach of %s: text from %q: %q (%s)", sid, rep.TextSource, rep.Text, rep.TextError)
		}
	}
}

// metricValue is the value of counter name with outcome label outcome in
// reg (0 when absent).
func metricValue(t *testing.T, reg prometheus.Gatherer, name, outcome string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestCoachMeasuresOnlyLanguages: a judge language the coach has no
// grammar for (Ruby) still gets the measurement, decided by it; a language
// read by another's analyser (PyPy, languages.yaml coach: python) gets
// static analysis too and keeps its own name.
func TestCoachMeasuresOnlyLanguages(t *testing.T) {
	if _, err := exec.LookPath("ruby"); err != nil {
		t.Skip("ruby not installed")
	}
	env := startCoachEnv(t, 1, runLimits(), worker.CoachOptions{Budget: 3 * time.Second})
	c := newClient(t, env.url, "polyglot")
	ruby := "n, *a = STDIN.read.split.map(&:to_i)\nc = 0\nn.times do |i|\n  c += 1 if (i == 0 || a[i] > a[i-1]) && (i == n-1 || a[i] > a[i+1])\nend\nputs c\n"
	subs := map[string]string{"ruby": ruby}
	if _, err := exec.LookPath("pypy3"); err == nil {
		subs["pypy"] = solution(t, "peak-count", "accepted/peaks.py")
	}
	for lang, src := range subs {
		id, status, body := c.submit("peak-count", lang, src)
		if status != http.StatusAccepted {
			t.Fatalf("%s: submit = %d %s", lang, status, body)
		}
		if got := c.wait(id, 120*time.Second); got.Result == nil || got.Result.Verdict != "AC" {
			t.Fatalf("%s: verdict %+v", lang, got.Result)
		}
		cj := c.waitCoach(id, 180*time.Second)
		if cj.Status != store.CoachDone {
			t.Fatalf("%s: coach = %+v", lang, cj)
		}
		var rep coach.Report
		if err := json.Unmarshal(cj.Report, &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Lang != lang || rep.Empirical == nil || len(rep.Empirical.Points) < 3 || rep.Text == "" {
			t.Fatalf("%s: no measurement: %s", lang, cj.Report)
		}
		switch lang {
		case "ruby":
			if rep.Static != nil || !strings.Contains(rep.StaticError, coach.CodeNoGrammar) || rep.DecidedBy != "measurement" && rep.Time.String() != "inconclusive" {
				t.Errorf("ruby: static %v (%s), time %s decided by %q", rep.Static, rep.StaticError, rep.Time, rep.DecidedBy)
			}
		case "pypy":
			if rep.Static == nil || rep.Static.Time.String() != "O(n)" {
				t.Errorf("pypy: static %v (%s)", rep.Static, rep.StaticError)
			}
		}
		t.Logf("%s: time %s (%s, %.0f%%), %d points", lang, rep.Time, rep.DecidedBy, 100*rep.Confidence, len(rep.Empirical.Points))
	}
}
