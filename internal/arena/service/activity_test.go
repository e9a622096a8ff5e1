package service

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/execution"
)

// gatedRunner answers a sample run only once the test lets one through
// (release), or all of them (closing release).
type gatedRunner struct {
	release chan struct{}
	once    sync.Once
}

func (g *gatedRunner) RunSamples(ctx context.Context, req execution.RunRequest) (*execution.RunResult, error) {
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &execution.RunResult{Results: []execution.RunTestResult{{Sample: 1, Verdict: "AC"}}}, nil
}

func (g *gatedRunner) openAll() { g.once.Do(func() { close(g.release) }) }

// activityOf matches opponent.progress frames of user with the given
// typing and running_samples values (nil: any).
func activityOf(user int64, typing, running *bool) func(frame) bool {
	return func(f frame) bool {
		if f.Type != "opponent.progress" {
			return false
		}
		var d struct {
			UserID         int64 `json:"user_id"`
			Typing         bool  `json:"typing"`
			RunningSamples bool  `json:"running_samples"`
		}
		f.get(&d)
		return d.UserID == user && (typing == nil || d.Typing == *typing) && (running == nil || d.RunningSamples == *running)
	}
}

// TestOpponentActivity: typing and sample runs of one player reach the
// other player and the spectators from the match's owner, whichever
// node each of them is on; both clear, also when nobody says so (the
// client went quiet, the node of the run died).
func TestOpponentActivity(t *testing.T) {
	e := newEnv(t)
	runner := &gatedRunner{release: make(chan struct{})}
	e.opt.Runner = runner
	e.opt.RunMarkTTL = time.Hour // only the death of the run's node may clear the last run
	n1, n2, n3 := e.addNode(), e.addNode(), e.addNode()
	t.Cleanup(runner.openAll) // runs first: no run stays blocked at Stop
	e.waitLeader()
	_, adaTok := e.user("ada")
	bob, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	yes, no := true, false

	a := connect(t, n1, adaTok)
	b := connect(t, n2, bobTok)
	id := startRanked(t, a, b)
	cyd := connect(t, n3, cydTok)
	cyd.request("spectate", map[string]any{"match_id": id}, "match.state")

	// Before bob does anything, nobody shows him typing or running.
	snap := a.request("hello", map[string]any{"client": "test"}, "snapshot")
	var s struct {
		Match struct {
			Players []struct {
				UserID         int64 `json:"user_id"`
				Typing         bool  `json:"typing"`
				RunningSamples bool  `json:"running_samples"`
			} `json:"players"`
		} `json:"match"`
	}
	snap.get(&s)
	if len(s.Match.Players) != 2 {
		t.Fatalf("snapshot match players: %s", snap.Data)
	}
	for _, p := range s.Match.Players {
		if p.Typing || p.RunningSamples {
			t.Fatalf("player %d shows typing %v running %v before doing anything", p.UserID, p.Typing, p.RunningSamples)
		}
	}

	// Typing: shown to ada and the spectator, cleared by active:false.
	b.send("typing", "", map[string]any{"match_id": id, "active": true})
	a.next(10*time.Second, "bob typing", activityOf(bob.ID, &yes, nil))
	cyd.next(10*time.Second, "bob typing (spectator)", activityOf(bob.ID, &yes, nil))
	time.Sleep(1100 * time.Millisecond) // one change a second
	b.send("typing", "", map[string]any{"match_id": id, "active": false})
	a.next(10*time.Second, "bob idle", activityOf(bob.ID, &no, nil))

	// Typing that is never taken back expires (typingTTL).
	time.Sleep(1100 * time.Millisecond)
	b.send("typing", "", map[string]any{"match_id": id, "active": true})
	a.next(10*time.Second, "bob typing again", activityOf(bob.ID, &yes, nil))
	a.next(typingTTL+time.Minute, "bob's typing expired", activityOf(bob.ID, &no, nil))

	// A sample run: running while the worker has it, cleared by bob's node
	// once it is answered.
	b.send("code.run", "run1", map[string]any{"match_id": id, "lang": "python", "code": "print(2)"})
	a.next(10*time.Second, "bob running samples", activityOf(bob.ID, nil, &yes))
	cyd.next(10*time.Second, "bob running samples (spectator)", activityOf(bob.ID, nil, &yes))
	runner.release <- struct{}{}
	b.next(10*time.Second, "run.result", func(f frame) bool { return f.ID == "run1" && f.Type == "run.result" })
	a.next(10*time.Second, "bob's run done", activityOf(bob.ID, nil, &no))

	// A run whose node dies before it is answered: the owner drops it
	// once that node leaves the view.
	owner := e.owner(id)
	r := n2
	if owner == n2 {
		r = n3
	}
	b2 := connect(t, r, bobTok)
	b2.send("code.run", "run2", map[string]any{"match_id": id, "lang": "python", "code": "print(2)"})
	a.next(10*time.Second, "bob running samples on "+r.svc.Node(), activityOf(bob.ID, nil, &yes))
	r.kill()
	a.next(time.Minute, "bob's run dropped with its node", activityOf(bob.ID, nil, &no))
}
