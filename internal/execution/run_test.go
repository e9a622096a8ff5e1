package execution

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/realtime"
)

// waitHealthyWorker waits until the registry lists a healthy worker (runs
// fail fast without one).
func waitHealthyWorker(t testing.TB, s *Service) {
	t.Helper()
	deadline := time.Now().Add(hangOnly(60 * time.Second))
	for time.Now().Before(deadline) {
		s.snapMu.Lock()
		s.snapAt = time.Time{} // no cached status
		s.snapMu.Unlock()
		if st, err := s.Status(context.Background()); err == nil {
			if n, _ := st.HealthyWorkers(); n > 0 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no healthy worker after %v", hangOnly(60*time.Second))
}

func wantAPIError(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	ae, ok := errcode.As(err)
	if !ok || httpapi.Status(ae.Code) != status || string(ae.Code) != code {
		t.Fatalf("%s: error = %v (%#v), want %d %s", what, err, err, status, code)
	}
}

// wantMessage fails unless err's message contains want.
func wantMessage(t *testing.T, what string, err error, want string) {
	t.Helper()
	if ae, ok := errcode.As(err); !ok || !strings.Contains(ae.Message, want) {
		t.Fatalf("%s: error = %v, want a message with %q", what, err, want)
	}
}

func runLimits() Limits {
	return Limits{Submit: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxInFlight: 10, MaxQueued: 100,
		Run: ratelimit.Rate{Burst: 100, PerSec: 100}, MaxRunsInFlight: 4, RunTimeout: 60 * time.Second}
}

func sampleFile(t *testing.T, problem, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(problemsDir(t), problem, "data", "sample", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRunSamples: a worker judges the samples only and the caller gets
// every sample with its diff; compile errors, custom input and bad
// requests; nothing is stored as a submission.
func TestRunSamples(t *testing.T) {
	env := startEmbeddedEnv(t, 2, runLimits())
	s := env.e.Service
	waitHealthyWorker(t, s)
	ctx := context.Background()
	run := func(req RunRequest) (*RunResult, error) {
		if req.UserID == 0 {
			req.UserID = 1
		}
		if req.ProblemID == "" {
			req.ProblemID = "two-divisors"
		}
		if req.Lang == "" {
			req.Lang = "python"
		}
		return s.RunSamples(ctx, req)
	}

	t.Run("AC", func(t *testing.T) {
		res, err := run(RunRequest{Source: []byte(solution(t, "two-divisors", "accepted/incl_excl.py")), Priority: PriorityRanked, MatchID: "m1"})
		if err != nil {
			t.Fatal(err)
		}
		if res.CompileError != nil || len(res.Results) != 2 {
			t.Fatalf("result = %+v, want 2 sample results (and no secret test)", res)
		}
		for i, r := range res.Results {
			in := sampleFile(t, "two-divisors", []string{"1.in", "2.in"}[i])
			ans := sampleFile(t, "two-divisors", []string{"1.ans", "2.ans"}[i])
			if r.Sample != i+1 || r.Verdict != "AC" || r.Input != in || r.Expected == nil || *r.Expected != ans ||
				r.Actual != ans || r.MemoryKB <= 0 {
				t.Errorf("sample %d = %+v", i+1, r)
			}
		}
	})

	t.Run("WA", func(t *testing.T) {
		src := "import sys\nsys.stdin.read()\nprint(42)\nprint('oops', file=sys.stderr)\n"
		res, err := run(RunRequest{Source: []byte(src)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Results) != 2 {
			t.Fatalf("results = %+v, want both samples (a run does not stop at the first failure)", res.Results)
		}
		r := res.Results[0]
		if r.Verdict != "WA" || r.Actual != "42\n" || r.Expected == nil || *r.Expected != sampleFile(t, "two-divisors", "1.ans") ||
			r.Input != sampleFile(t, "two-divisors", "1.in") || !strings.Contains(r.Stderr, "oops") {
			t.Errorf("WA sample = %+v", r)
		}
	})

	t.Run("RE and TLE", func(t *testing.T) {
		res, err := run(RunRequest{Source: []byte("import sys\nif sys.stdin.read().startswith('3'):\n    raise SystemExit(3)\nwhile True:\n    pass\n")})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Results) != 2 || res.Results[0].Verdict != "RE" || res.Results[1].Verdict != "TLE" {
			t.Fatalf("results = %+v, want RE then TLE", res.Results)
		}
	})

	t.Run("CE", func(t *testing.T) {
		res, err := run(RunRequest{Lang: "cpp", Source: []byte("int main( {")})
		if err != nil {
			t.Fatal(err)
		}
		if res.CompileError == nil || !strings.Contains(*res.CompileError, "error") || res.Results == nil || len(res.Results) != 0 {
			t.Fatalf("CE result = %+v", res)
		}
		b, _ := json.Marshal(res)
		if !strings.Contains(string(b), `"results":[]`) {
			t.Errorf("CE JSON = %s, want an empty results array", b)
		}
	})

	t.Run("custom input", func(t *testing.T) {
		in := "2 3\n"
		res, err := run(RunRequest{Source: []byte("a, b = map(int, input().split())\nprint(a * b)\n"), Input: &in})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Results) != 1 {
			t.Fatalf("results = %+v", res.Results)
		}
		r := res.Results[0]
		if r.Sample != 1 || r.Verdict != jobs.VerdictOK || r.Actual != "6\n" || r.Input != in || r.Expected != nil {
			t.Fatalf("custom = %+v", r)
		}
		// A crash on custom input says why next to its stderr.
		res, err = run(RunRequest{Source: []byte("raise ValueError('bad')\n"), Input: &in})
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Results[0]; r.Verdict != "RE" || !strings.Contains(r.Stderr, "ValueError") {
			t.Fatalf("custom RE = %+v", r)
		}
		// Output is cut at 64 KiB, the run still ends normally.
		res, err = run(RunRequest{Source: []byte("print('x' * 200000)\n"), Input: &in})
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Results[0]; r.Verdict != jobs.VerdictOK || len(r.Actual) != jobs.RunKeepBytes {
			t.Fatalf("long output: verdict %s, %d bytes kept", r.Verdict, len(r.Actual))
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		big := strings.Repeat("1", jobs.MaxRunInputBytes+1)
		bad := "\xff\xfe"
		for _, tc := range []struct {
			name   string
			req    RunRequest
			status int
			code   string
		}{
			{"unknown problem", RunRequest{ProblemID: "nope", Source: []byte("print(1)")}, 404, "problem_not_found"},
			{"path as problem", RunRequest{ProblemID: "../problems", Source: []byte("print(1)")}, 404, "problem_not_found"},
			{"oversized code", RunRequest{Source: []byte(strings.Repeat("#", 70<<10))}, 413, "code_too_large"},
			{"empty code", RunRequest{Source: nil}, 400, "code_empty"},
			{"unknown language", RunRequest{Lang: "cobol", Source: []byte("x")}, 400, "language_unsupported"},
			{"oversized input", RunRequest{Source: []byte("print(1)"), Input: &big}, 413, "input_too_large"},
			{"binary input", RunRequest{Source: []byte("print(1)"), Input: &bad}, 400, "input_not_utf8"},
			{"bad priority", RunRequest{Source: []byte("print(1)"), Priority: "analysis"}, 400, "invalid_request"},
		} {
			_, err := run(tc.req)
			wantAPIError(t, tc.name, err, tc.status, tc.code)
		}
	})

	t.Run("REST", func(t *testing.T) {
		c := newClient(t, env.url, "runner")
		status, body := c.do("POST", "/api/v1/runs", map[string]any{"problem": "two-divisors", "lang": "python",
			"code": solution(t, "two-divisors", "accepted/incl_excl.py")})
		var res RunResult
		if status != http.StatusOK || json.Unmarshal(body, &res) != nil || len(res.Results) != 2 || res.Results[1].Verdict != "AC" {
			t.Fatalf("POST /api/v1/runs = %d %s", status, body)
		}
		status, body = c.do("POST", "/api/v1/runs", map[string]any{"problem": "nope", "lang": "python", "code": "print(1)"})
		if status != http.StatusNotFound || !strings.Contains(string(body), "problem_not_found") {
			t.Fatalf("unknown problem = %d %s", status, body)
		}
	})

	// Runs are never submissions.
	for _, uid := range []int64{1, 2} {
		if subs, err := env.st.UserSubmissions(ctx, uid, 10); err != nil || len(subs) != 0 {
			t.Fatalf("user %d has %d stored submissions after runs (%v)", uid, len(subs), err)
		}
	}
}

// TestRunSamplesLimits: the run bucket holds for ranked runs too, a user
// has one run in flight, no worker or a silent worker is a fast,
// clear unavailable.
func TestRunSamplesLimits(t *testing.T) {
	lim := runLimits()
	lim.Run = ratelimit.Rate{Burst: 2, PerSec: 0.01, Penalize: true}
	lim.MaxRunsInFlight = 1
	lim.RunTimeout = 5 * time.Second
	env := startEmbeddedEnv(t, 0, lim)
	s := env.e.Service
	ctx := context.Background()
	src := []byte("print(1)\n")

	// No worker at all: unavailable at once, not after the timeout (the
	// two answers say which path gave them; a stopwatch could not tell on
	// a loaded machine).
	_, err := s.RunSamples(ctx, RunRequest{UserID: 7, ProblemID: "two-divisors", Lang: "python", Source: src})
	wantAPIError(t, "no worker", err, http.StatusServiceUnavailable, "unavailable")
	wantMessage(t, "no worker", err, "no judge worker is running")

	// A worker that looks healthy but never answers (died with its job):
	// the caller gets unavailable at the timeout. Its heartbeat lives 15 s,
	// so it is written again before each step that needs it.
	ghost := func() {
		t.Helper()
		hb, _ := json.Marshal(WorkerInfo{ID: "ghost", Languages: []string{"python"}, Slots: 1, Healthy: true, At: time.Now()})
		if _, err := s.registry.Put(ctx, "ghost", hb); err != nil {
			t.Fatal(err)
		}
		s.snapMu.Lock()
		s.snapAt = time.Time{}
		s.snapMu.Unlock()
	}
	ghost()
	start := time.Now()
	_, err = s.RunSamples(ctx, RunRequest{UserID: 7, ProblemID: "two-divisors", Lang: "python", Source: src, Priority: PriorityRanked})
	wantAPIError(t, "silent worker", err, http.StatusServiceUnavailable, "unavailable")
	wantMessage(t, "silent worker", err, "did not answer in time")
	if d := time.Since(start); d < 4*time.Second { // the timeout starts inside the call: never early
		t.Errorf("silent worker: answered after %v, want the 5 s timeout", d)
	}
	// The caller's own deadline is honoured as well.
	cctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	_, err = s.RunSamples(cctx, RunRequest{UserID: 8, ProblemID: "two-divisors", Lang: "python", Source: src})
	wantAPIError(t, "caller deadline", err, http.StatusRequestTimeout, "cancelled")

	// User 7 has spent its burst of 2 (ranked runs count): the third is
	// refused before anything is queued.
	_, err = s.RunSamples(ctx, RunRequest{UserID: 7, ProblemID: "two-divisors", Lang: "python", Source: src, Priority: PriorityRanked})
	wantAPIError(t, "third run", err, http.StatusTooManyRequests, "rate_limited")

	// One run in flight per user: a second concurrent one is refused.
	ghost()
	done := make(chan error, 1)
	go func() {
		_, err := s.RunSamples(ctx, RunRequest{UserID: 9, ProblemID: "two-divisors", Lang: "python", Source: src})
		done <- err
	}()
	for deadline := time.Now().Add(hangOnly(30 * time.Second)); ; time.Sleep(10 * time.Millisecond) { // a hang only
		s.runMu.Lock()
		n := s.running[9]
		s.runMu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first concurrent run never started")
		}
	}
	_, err = s.RunSamples(ctx, RunRequest{UserID: 9, ProblemID: "two-divisors", Lang: "python", Source: src})
	wantAPIError(t, "second concurrent run", err, http.StatusTooManyRequests, "judge_busy")
	wantAPIError(t, "first concurrent run", <-done, http.StatusServiceUnavailable, "unavailable")
	s.runMu.Lock()
	left := len(s.running)
	s.runMu.Unlock()
	if left != 0 {
		t.Errorf("%d users still marked running", left)
	}

	// The runs nobody waits for any more are dropped by the next worker,
	// not judged.
	if err := s.registry.Delete(ctx, "ghost"); err != nil {
		t.Fatal(err)
	}
	_, reg := startWorker(t, env, 1)
	waitQueueEmpty(t, s)
	if n := metricValue(t, reg, "segfault_worker_runs_total", "expired"); n != 3 {
		t.Errorf("expired runs dropped = %v, want 3", n)
	}
	if n := metricValue(t, reg, "segfault_worker_runs_total", "done"); n != 0 {
		t.Errorf("%v expired runs were judged anyway", n)
	}
}

// TestRunInputLimitMatchesProtocol: the WebSocket protocol and the judge
// agree on the custom input limit.
func TestRunInputLimitMatchesProtocol(t *testing.T) {
	if jobs.MaxRunInputBytes != realtime.MaxInputBytes {
		t.Fatalf("jobs.MaxRunInputBytes %d != realtime.MaxInputBytes %d", jobs.MaxRunInputBytes, realtime.MaxInputBytes)
	}
}

// TestEncodeRunReplyFits: many large samples are cut to fit one NATS
// message.
func TestEncodeRunReplyFits(t *testing.T) {
	big := strings.Repeat("y", jobs.RunKeepBytes)
	var res RunResult
	for i := range 12 {
		e := big
		res.Results = append(res.Results, RunTestResult{Sample: i + 1, Verdict: "WA", Input: big, Expected: &e, Actual: big, Stderr: big})
	}
	b := jobs.EncodeRunReply(jobs.RunReply{Result: &res}, 1<<20)
	if len(b) > 1<<20 {
		t.Fatalf("reply is %d bytes, over 1 MiB", len(b))
	}
	var back jobs.RunReply
	if err := json.Unmarshal(b, &back); err != nil || len(back.Result.Results) != 12 || back.Result.Results[11].Sample != 12 {
		t.Fatalf("decoded %v", err)
	}
	small := jobs.RunReply{Result: &RunResult{Results: []RunTestResult{{Sample: 1, Verdict: "AC", Actual: "1\n"}}}}
	var sb jobs.RunReply
	if err := json.Unmarshal(jobs.EncodeRunReply(small, 1<<20), &sb); err != nil || sb.Result.Results[0].Actual != "1\n" {
		t.Fatalf("small reply changed: %+v, %v", sb.Result, err)
	}
}

// BenchmarkRunSamples measures a sample run end to end on the embedded
// shape (API → JetStream → worker → runc → reply): go test -run '^$'
// -bench RunSamples -benchtime 20x ./internal/execution. Reports the p50
// and p90 of the answer time per run.
func BenchmarkRunSamples(b *testing.B) {
	env := startCoachEnv(b, 1, runLimits(), worker.CoachOptions{Disabled: true})
	s := env.e.Service
	waitHealthyWorker(b, s)
	for _, tc := range []struct{ lang, file, prio string }{
		{"python", "accepted/incl_excl.py", PriorityPractice},
		{"python", "accepted/incl_excl.py", PriorityRanked},
		{"cpp", "accepted/incl_excl.cpp", PriorityPractice},
	} {
		prio := tc.prio
		b.Run(tc.lang+"/"+prio, func(b *testing.B) {
			src := []byte(solution(b, "two-divisors", tc.file))
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				res, err := s.RunSamples(context.Background(), RunRequest{UserID: 1, ProblemID: "two-divisors", Lang: tc.lang, Source: src, Priority: prio})
				if err != nil || len(res.Results) != 2 || res.Results[1].Verdict != "AC" {
					b.Fatalf("run = %+v, %v", res, err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "p90-ms")
		})
	}
}

// TestDecodeJobKinds: malformed run and analysis jobs are refused (the
// worker terminates them) instead of being half-handled.
func TestDecodeJobKinds(t *testing.T) {
	ref := ProblemRef{ID: "p", SHA256: strings.Repeat("a", 64)}
	dl := time.Now().Add(time.Minute)
	for _, tc := range []struct {
		name string
		job  jobs.Job
		ok   bool
	}{
		{"judge", jobs.Job{SubmissionID: "s", Problem: ref}, true},
		{"analysis", jobs.Job{Kind: jobs.JobAnalysis, SubmissionID: "s", Problem: ref}, true},
		{"run", jobs.Job{Kind: jobs.JobRun, SubmissionID: "r", Problem: ref, Source: []byte("x"), Reply: "_INBOX.abc", Deadline: dl}, true},
		{"run without reply", jobs.Job{Kind: jobs.JobRun, SubmissionID: "r", Problem: ref, Source: []byte("x"), Deadline: dl}, false},
		{"run with wildcard reply", jobs.Job{Kind: jobs.JobRun, SubmissionID: "r", Problem: ref, Source: []byte("x"), Reply: "_INBOX.>", Deadline: dl}, false},
		{"run without source", jobs.Job{Kind: jobs.JobRun, SubmissionID: "r", Problem: ref, Reply: "_INBOX.abc", Deadline: dl}, false},
		{"run without deadline", jobs.Job{Kind: jobs.JobRun, SubmissionID: "r", Problem: ref, Source: []byte("x"), Reply: "_INBOX.abc"}, false},
		{"unknown kind", jobs.Job{Kind: "mine", SubmissionID: "s", Problem: ref}, false},
		{"no problem", jobs.Job{Kind: jobs.JobAnalysis, SubmissionID: "s"}, false},
	} {
		_, err := jobs.DecodeJob(tc.job.Encode())
		if (err == nil) != tc.ok {
			t.Errorf("%s: decode error %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if _, err := jobs.DecodeJob([]byte("{not json")); err == nil {
		t.Error("garbage decoded")
	}
}
