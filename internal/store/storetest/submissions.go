package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

func newSub(id string, userID int64, at time.Time) store.NewSubmission {
	return store.NewSubmission{ID: id, UserID: userID, ProblemID: "two-divisors", ProblemVersion: 3,
		ProblemSHA256: "abc123", Lang: "python", Source: []byte("print(1)\n"), Priority: "practice", CreatedAt: at}
}

func testSubmissionLifecycle(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "sub_life")
	t0 := now()
	n := newSub("s1", u.ID, t0)
	n.MatchID = "m42"
	n.Priority = "ranked"
	created, err := s.CreateSubmission(c, n, 0)
	if err != nil {
		t.Fatalf("CreateSubmission: %v", err)
	}
	if created.Status != store.SubmissionQueued || created.Attempts != 0 || created.Result != nil {
		t.Fatalf("created = %+v", created)
	}
	got, err := s.Submission(c, "s1")
	if err != nil {
		t.Fatalf("Submission: %v", err)
	}
	if got.NewSubmission.ID != n.ID || got.UserID != n.UserID || got.ProblemID != n.ProblemID ||
		got.ProblemVersion != 3 || got.ProblemSHA256 != "abc123" || got.Lang != "python" ||
		!bytes.Equal(got.Source, n.Source) || got.Priority != "ranked" || got.MatchID != "m42" ||
		!got.CreatedAt.Equal(t0) || got.Status != store.SubmissionQueued {
		t.Fatalf("Submission = %+v, want %+v", got, n)
	}
	if _, err := s.CreateSubmission(c, n, 0); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate id: err = %v, want ErrConflict", err)
	}
	wantErr(t, "unknown submission", func() error { _, err := s.Submission(c, "nope"); return err }(), store.ErrNotFound)

	started, err := s.StartSubmissionAttempt(c, "s1", "w1", t0.Add(time.Second))
	if err != nil {
		t.Fatalf("StartSubmissionAttempt: %v", err)
	}
	if started.Status != store.SubmissionRunning || started.Attempts != 1 || started.Worker != "w1" ||
		!started.UpdatedAt.Equal(t0.Add(time.Second)) {
		t.Fatalf("after start: %+v", started)
	}
	started, err = s.StartSubmissionAttempt(c, "s1", "w2", t0.Add(2*time.Second))
	if err != nil || started.Attempts != 2 || started.Worker != "w2" {
		t.Fatalf("second start: %+v, %v", started, err)
	}
	wantErr(t, "start unknown", func() error { _, err := s.StartSubmissionAttempt(c, "nope", "w", t0); return err }(), store.ErrNotFound)

	res := store.SubmissionResult{SubmissionID: "s1", Verdict: "WA", Message: "wrong answer on test 3",
		Passed: 2, Total: 5, FailedTest: 3, MaxCPUTime: 1500 * time.Microsecond, MaxMemoryBytes: 1 << 20,
		CompileTime: 20 * time.Millisecond, LanguageVersion: "Python 3.11", Details: []byte(`[{"v":"AC"}]`),
		Worker: "w2", FinishedAt: t0.Add(3 * time.Second)}
	stored, first, err := s.FinishSubmission(c, res)
	if err != nil || !first {
		t.Fatalf("FinishSubmission = %v, %v", first, err)
	}
	if fmt.Sprint(stored) != fmt.Sprint(res) {
		t.Fatalf("stored result %+v, want %+v", stored, res)
	}
	// A redelivered job finishing later gets the first result back.
	again := res
	again.Verdict, again.Worker, again.Passed = "AC", "w3", 5
	stored, first, err = s.FinishSubmission(c, again)
	if err != nil || first {
		t.Fatalf("second FinishSubmission = %v, %v; want not created", first, err)
	}
	if stored.Verdict != "WA" || stored.Worker != "w2" {
		t.Fatalf("second finish returned %+v, want the first result", stored)
	}
	done, err := s.Submission(c, "s1")
	if err != nil || done.Status != store.SubmissionDone || done.Result == nil || done.Result.Verdict != "WA" {
		t.Fatalf("after finish: %+v, %v", done, err)
	}
	// A late attempt does not reopen a finished submission.
	late, err := s.StartSubmissionAttempt(c, "s1", "w4", t0.Add(time.Minute))
	if err != nil || late.Status != store.SubmissionDone || late.Attempts != 2 || late.Worker != "w2" {
		t.Fatalf("start after done: %+v, %v", late, err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM submission_results WHERE submission_id = ?", "s1"); n != 1 {
		t.Fatalf("%d result rows, want 1", n)
	}
	if _, _, err := s.FinishSubmission(c, store.SubmissionResult{SubmissionID: "nope", Verdict: "AC"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("finish unknown: %v, want ErrNotFound", err)
	}
}

// testSubmissionConcurrentFinish: workers racing on one submission (a job
// redelivered while the first worker still runs) store exactly one result,
// and exactly one of them is told it created it.
func testSubmissionConcurrentFinish(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "sub_race")
	other := s.Twin(t)
	for round := range 5 {
		id := fmt.Sprintf("race%d", round)
		if _, err := s.CreateSubmission(c, newSub(id, u.ID, now()), 0); err != nil {
			t.Fatal(err)
		}
		const n = 8
		var wg sync.WaitGroup
		var mu sync.Mutex
		firsts, verdicts := 0, map[string]bool{}
		for i := range n {
			st := store.Store(s)
			if i%2 == 1 {
				st = other
			}
			wg.Go(func() {
				r, first, err := st.FinishSubmission(c, store.SubmissionResult{SubmissionID: id,
					Verdict: []string{"AC", "WA"}[i%2], Worker: fmt.Sprint("w", i)})
				if err != nil {
					t.Errorf("finish %d: %v", i, err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if first {
					firsts++
				}
				verdicts[r.Verdict+"/"+r.Worker] = true
			})
		}
		wg.Wait()
		if firsts != 1 || len(verdicts) != 1 {
			t.Fatalf("round %d: %d creators, results seen %v; want 1 creator and one result", round, firsts, verdicts)
		}
	}
}

func testSubmissionInFlightCap(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "sub_cap")
	v := mustUser(t, s, "sub_cap_other")
	other := s.Twin(t)
	// Many concurrent creates through two stores: exactly the cap succeeds.
	const capN = 3
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, limited := 0, 0
	for i := range 12 {
		st := store.Store(s)
		if i%2 == 1 {
			st = other
		}
		wg.Go(func() {
			_, err := st.CreateSubmission(c, newSub(fmt.Sprint("cap", i), u.ID, now()), capN)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrLimit):
				limited++
			default:
				t.Errorf("create %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if ok != capN || limited != 12-capN {
		t.Fatalf("%d created, %d limited; want %d and %d", ok, limited, capN, 12-capN)
	}
	if n, err := s.InFlightSubmissions(c, u.ID); err != nil || n != capN {
		t.Fatalf("InFlightSubmissions = %d, %v", n, err)
	}
	// Another user is not affected; 0 means no cap.
	if _, err := s.CreateSubmission(c, newSub("capv", v.ID, now()), capN); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSubmission(c, newSub("capnolimit", u.ID, now()), 0); err != nil {
		t.Fatal(err)
	}
	// Finishing one frees a slot.
	subs, err := s.UserSubmissions(c, u.ID, 100)
	if err != nil || len(subs) != capN+1 {
		t.Fatalf("UserSubmissions = %d, %v", len(subs), err)
	}
	for i := 1; i < len(subs); i++ {
		if subs[i].CreatedAt.After(subs[i-1].CreatedAt) {
			t.Fatalf("UserSubmissions not newest first: %v then %v", subs[i-1].CreatedAt, subs[i].CreatedAt)
		}
	}
	if _, _, err := s.FinishSubmission(c, store.SubmissionResult{SubmissionID: subs[0].ID, Verdict: "AC"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSubmission(c, newSub("cap-after", u.ID, now()), capN+1); err != nil {
		t.Fatalf("create after a slot was freed: %v", err)
	}
	if _, err := s.CreateSubmission(c, newSub("cap-over", u.ID, now()), capN+1); !errors.Is(err, store.ErrLimit) {
		t.Fatalf("create over the cap: %v, want ErrLimit", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM submissions WHERE id = ?", "cap-over"); n != 0 {
		t.Fatalf("refused submission was written")
	}
}

func testStaleSubmissions(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "sub_stale")
	t0 := now()
	for i, age := range []time.Duration{10 * time.Minute, 5 * time.Minute, time.Second} {
		if _, err := s.CreateSubmission(c, newSub(fmt.Sprint("st", i), u.ID, t0.Add(-age)), 0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateSubmission(c, newSub("st-done", u.ID, t0.Add(-time.Hour)), 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.FinishSubmission(c, store.SubmissionResult{SubmissionID: "st-done", Verdict: "AC", FinishedAt: t0.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	stale, err := s.StaleSubmissions(c, t0.Add(-time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) != 2 || stale[0].ID != "st0" || stale[1].ID != "st1" {
		t.Fatalf("stale = %v, want st0, st1 (oldest first, done excluded)", ids(stale))
	}
	if err := s.TouchSubmission(c, "st0", t0); err != nil {
		t.Fatal(err)
	}
	stale, err = s.StaleSubmissions(c, t0.Add(-time.Minute), 10)
	if err != nil || len(stale) != 1 || stale[0].ID != "st1" {
		t.Fatalf("after touch: %v, %v", ids(stale), err)
	}
	if stale, err := s.StaleSubmissions(c, t0.Add(time.Minute), 1); err != nil || len(stale) != 1 {
		t.Fatalf("limit 1: %v, %v", ids(stale), err)
	}
}

func ids(subs []store.Submission) []string {
	var out []string
	for _, s := range subs {
		out = append(out, s.ID)
	}
	return out
}

func testSubmissionCascade(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "sub_gone")
	if _, err := s.CreateSubmission(c, newSub("gone", u.ID, now()), 0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.FinishSubmission(c, store.SubmissionResult{SubmissionID: "gone", Verdict: "AC"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RawExec(c, "DELETE FROM users WHERE id = ?", u.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM submission_results"); n != 0 {
		t.Fatalf("%d results left after the user was deleted", n)
	}
	if _, err := s.CreateSubmission(c, newSub("orphan", u.ID, now()), 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("submission of a missing user: %v, want ErrNotFound", err)
	}
}

func testDeleteExpiredOAuthStates(t *testing.T, s Harness) {
	c := ctx(t)
	t0 := now()
	for i, exp := range []time.Time{t0.Add(-time.Minute), t0, t0.Add(time.Minute)} {
		if err := s.SaveOAuthState(c, store.OAuthState{StateHash: hash(fmt.Sprint("st", i)), Provider: "github", ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.DeleteExpiredOAuthStates(c, t0)
	if err != nil || n != 2 {
		t.Fatalf("DeleteExpiredOAuthStates = %d, %v; want 2", n, err)
	}
	if _, err := s.TakeOAuthState(c, hash("st2"), t0); err != nil {
		t.Fatalf("live state was deleted: %v", err)
	}
	if n, err := s.DeleteExpiredOAuthStates(c, t0); err != nil || n != 0 {
		t.Fatalf("second sweep = %d, %v", n, err)
	}
}
