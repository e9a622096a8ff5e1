package execution

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/config"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// TestTimeMultipliersFromConfig: the setting is parsed into language ids
// and factors; a hand-built Config with a bad value is refused.
func TestTimeMultipliersFromConfig(t *testing.T) {
	cfg, err := config.Load("worker", []string{"--time-multipliers", "python=3, java=1.5"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m, err := TimeMultipliersFromConfig(cfg)
	if err != nil || len(m) != 2 || m["python"] != 3 || m["java"] != 1.5 {
		t.Fatalf("multipliers %v, %v", m, err)
	}
	if m, err := TimeMultipliersFromConfig(&config.Config{}); err != nil || len(m) != 0 {
		t.Fatalf("empty setting: %v, %v", m, err)
	}
	for _, bad := range []string{"python", "python=0.5", "python=x", "=2", "python=101"} {
		if _, err := TimeMultipliersFromConfig(&config.Config{TimeMultipliers: bad}); err == nil || !strings.Contains(err.Error(), "--time-multipliers") {
			t.Errorf("%q: %v, want an error naming the setting", bad, err)
		}
	}
}

// testProblems is a problems root with
//
//	"short":   two-divisors (time limit 1 s) with 1 secret test, so a slow
//	           program costs seconds, not tens of seconds;
//	"nolimit": a package without any time limit (CodeBadProblem).
func testProblems(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	short := filepath.Join(root, "short")
	if err := problem.CopyTree(filepath.Join(problemsDir(t), "two-divisors"), short); err != nil {
		t.Fatal(err)
	}
	secret, err := filepath.Glob(filepath.Join(short, "data", "secret", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range secret {
		if !strings.HasPrefix(filepath.Base(f), "01-") {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := problem.CopyTree(filepath.Join(repoRoot(t), "internal/problem/testdata/legacy_divisor"), filepath.Join(root, "nolimit")); err != nil {
		t.Fatal(err)
	}
	return root
}

func startEnvWith(t *testing.T, workers int, lim Limits, problems string, mult problem.LanguageMultipliers, co worker.CoachOptions) embeddedEnv {
	t.Helper()
	dir := t.TempDir()
	st := openSQLite(t, filepath.Join(dir, "db.sqlite"))
	api, ts := newAPIServer(t, st)
	removeSandboxDirs(t, dir)
	e, err := StartEmbedded(context.Background(), EmbeddedOptions{DataDir: dir, Store: st, Registry: api.Registry(),
		Catalog: &catalog.Dir{Root: problems}, Workers: workers, Runtime: "runc", Logger: testLogger(t), Limits: lim,
		TimeMultipliers: mult, Coach: co})
	if err != nil {
		t.Fatal(err)
	}
	api.MountJudge(e.Service)
	t.Cleanup(e.Close)
	return embeddedEnv{st: st, e: e, url: ts.URL}
}

// The programs below read the CPU limit their box gave them (RLIMIT_CPU:
// the time limit in whole seconds) instead of racing a real limit with
// real work: a CPU-bound program on a loaded machine can be starved past
// its wall-clock limit, a limit read back cannot. The sandbox sets the
// limit with prlimit just after exec, so they first wait for it to leave
// the helper's unlimited value.
const pyCPULimit = "import resource\nwhile resource.getrlimit(resource.RLIMIT_CPU)[0] == resource.RLIM_INFINITY:\n    pass\n" +
	"cpu_limit = resource.getrlimit(resource.RLIMIT_CPU)[0]\n"

// pyNeeds3s solves two-divisors only when its CPU limit is at least 3 s.
func pyNeeds3s(t *testing.T) string {
	return pyCPULimit + "if cpu_limit < 3:\n    print('time limit not multiplied')\n    raise SystemExit\n" +
		solution(t, "two-divisors", "accepted/incl_excl.py")
}

// cSpinsAt1s spins until it is stopped when its CPU limit is 1 s (TLE,
// whatever the load: by the CPU clock or the wall clock) and prints
// nothing (WA) under any other limit.
const cSpinsAt1s = `#include <sys/resource.h>
int main(void) {
	struct rlimit r;
	do getrlimit(RLIMIT_CPU, &r); while (r.rlim_cur == RLIM_INFINITY);
	if (r.rlim_cur == 1) for (;;) {}
	return 0;
}
`

// TestTimeMultipliersInPlay: with python=3 a Python program gets 3 s of
// CPU on the 1 s problem when judged and when run on custom input, while
// a C program (no factor) gets 1 s: the setting reaches the workers and
// is applied per language.
func TestTimeMultipliersInPlay(t *testing.T) {
	env := startEnvWith(t, 2, runLimits(), testProblems(t), problem.LanguageMultipliers{"python": 3}, worker.CoachOptions{Disabled: true})
	waitHealthyWorker(t, env.e.Service)
	c := newClient(t, env.url, "slowpoke")

	pyID, status, body := c.submit("short", "python", pyNeeds3s(t))
	if status != http.StatusAccepted {
		t.Fatalf("%d %s", status, body)
	}
	cID, status, body := c.submit("short", "c", cSpinsAt1s)
	if status != http.StatusAccepted {
		t.Fatalf("%d %s", status, body)
	}
	if got := c.wait(pyID, 120*time.Second); got.Result.Verdict != protocol.Verdict(judge.AC) {
		t.Errorf("python under python=3: %+v, want AC (a CPU limit of 3 s)", got.Result)
	}
	if got := c.wait(cID, 120*time.Second); got.Result.Verdict != protocol.Verdict(judge.TLE) {
		t.Errorf("C (no factor): %+v, want TLE (a CPU limit of 1 s)", got.Result)
	}

	in := "1 2 3\n"
	res, err := env.e.Service.RunSamples(context.Background(), RunRequest{UserID: 1, ProblemID: "short", Lang: "py3",
		Source: []byte(pyCPULimit + "print(cpu_limit)\n"),
		Input:  &in, Priority: PriorityPractice})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 1 || res.Results[0].Verdict != jobs.VerdictOK || res.Results[0].Actual != "3\n" {
		t.Errorf("custom run in Python (alias py3): %+v, want OK with a CPU limit of 3 s", res.Results)
	}
}

// TestBadProblemEndsAtOnce: a package the judge cannot run (no time limit)
// ends the submission as IE on its first delivery, with a message for the
// player and not the operator's details, and a sample run is answered
// "unavailable" at once instead of timing out.
func TestBadProblemEndsAtOnce(t *testing.T) {
	env := startEnvWith(t, 1, runLimits(), testProblems(t), nil, worker.CoachOptions{})
	waitHealthyWorker(t, env.e.Service)
	c := newClient(t, env.url, "victim")
	id, status, body := c.submit("nolimit", "python", tinyPy)
	if status != http.StatusAccepted {
		t.Fatalf("%d %s", status, body)
	}
	got := c.wait(id, 60*time.Second)
	if got.Result.Verdict != protocol.Verdict(judge.IE) || got.Result.Message != worker.BadProblemMessage {
		t.Fatalf("result %+v, want IE %q", got.Result, worker.BadProblemMessage)
	}
	if got.Attempts != 1 {
		t.Fatalf("%d attempts, want 1 (not handed back until MaxDeliver)", got.Attempts)
	}

	start := time.Now()
	_, err := env.e.Service.RunSamples(context.Background(), RunRequest{UserID: 1, ProblemID: "nolimit", Lang: "python",
		Source: []byte(tinyPy), Priority: PriorityPractice})
	wantAPIError(t, "run on a package without a time limit", err, http.StatusServiceUnavailable, "unavailable")
	// At once takes well under a second; the run timeout is 60 s. 45 s
	// tells them apart on a machine however loaded.
	if d := time.Since(start); d > 45*time.Second {
		t.Errorf("answered after %v; want at once, not at the run timeout", d)
	}

	// An analysis of it (an accepted submission from before the package
	// broke, say) fails at once too, instead of being retried MaxDeliver
	// times.
	ctx := context.Background()
	ref, err := Resolve(ctx, env.e.Service.opt.Catalog, "nolimit", 0)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := env.st.CreateSubmission(ctx, store.NewSubmission{ID: jobs.NewID(), UserID: 1, ProblemID: ref.ID,
		ProblemSHA256: ref.SHA256, Lang: "python", Source: []byte(tinyPy), Priority: PriorityPractice}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.st.FinishSubmission(ctx, store.SubmissionResult{SubmissionID: acc.ID, Verdict: "AC", FinishedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := jobs.PublishAnalysis(ctx, env.e.Bus, acc, "coach-"+acc.ID); err != nil {
		t.Fatal(err)
	}
	rep := c.waitCoach(acc.ID, 30*time.Second)
	if rep.Status != store.CoachFailed || !strings.Contains(rep.Error, "cannot be judged") {
		t.Fatalf("analysis of a package without a time limit: %+v", rep)
	}

	// The worker still judges good problems afterwards.
	id, status, body = c.submit("short", "python", solution(t, "two-divisors", "accepted/incl_excl.py"))
	if status != http.StatusAccepted {
		t.Fatalf("%d %s", status, body)
	}
	if got := c.wait(id, 60*time.Second); got.Result.Verdict != protocol.Verdict(judge.AC) {
		t.Fatalf("after the bad problem: %+v", got.Result)
	}
}
