package execution

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// TestResultHandlersSeeEveryResult: every finished submission reaches the
// result handler, again after the handler failed once, even when the
// handler starts after the result was stored.
func TestResultHandlersSeeEveryResult(t *testing.T) {
	env := startEmbeddedEnv(t, 1, Limits{})
	c := newClient(t, env.url, "res")
	var ids []string
	for _, f := range []string{"accepted/incl_excl.py", "wrong_answer/no_overlap.py"} {
		id, status, body := c.submit("two-divisors", "python", solution(t, "two-divisors", f))
		if status != http.StatusAccepted {
			t.Fatalf("%d %s", status, body)
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		c.wait(id, 60*time.Second)
	}
	var mu sync.Mutex
	calls := map[string]int{}
	handled := map[string]string{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- env.e.Service.HandleResults(ctx, func(ctx context.Context, sub store.Submission) error {
			mu.Lock()
			defer mu.Unlock()
			calls[sub.ID]++
			if calls[sub.ID] == 1 {
				return errors.New("arena not ready")
			}
			handled[sub.ID] = sub.Result.Verdict
			return nil
		})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(handled)
		mu.Unlock()
		if n == len(ids) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if handled[ids[0]] != "AC" || handled[ids[1]] != "WA" {
		t.Fatalf("handled %v (calls %v), want both results", handled, calls)
	}
}
