package service

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// bot is an in-process player attached to a node (Service.Attach): the
// same operations and frames as a WebSocket client, without the socket.
type bot struct {
	t    *testing.T
	user int64
	c    *Client
}

// users creates n players directly in the store (no password hashing).
func (e *env) users(prefix string, n int) []int64 {
	e.t.Helper()
	ids := make([]int64, n)
	for i := range n {
		u, err := e.st.CreateUser(context.Background(), store.NewUser{Username: fmt.Sprintf("%s%04d", prefix, i)})
		if err != nil {
			e.t.Fatal(err)
		}
		ids[i] = u.ID
	}
	return ids
}

func attach(t *testing.T, n *node, user int64) *bot {
	c := n.svc.Attach(user, 4096)
	t.Cleanup(c.Detach)
	return &bot{t: t, user: user, c: c}
}

// do runs one operation; it fails the test on an error unless want is
// "error" (then it returns the error's code as the type).
func (b *bot) do(typ protocol.Op, data any, want protocol.Event) frame {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rt, rd, err := b.c.Do(ctx, typ, data)
	if err != nil {
		if want == "error" {
			return frame{Type: string(protocol.EventError), Data: mustJSON(map[string]any{"code": errcode.CodeOf(err)})}
		}
		b.t.Fatalf("%s by %d: %v", typ, b.user, err)
	}
	if rt != want {
		b.t.Fatalf("%s by %d: reply %q %s, want %q", typ, b.user, rt, mustJSON(rd), want)
	}
	return frame{Type: string(rt), Data: mustJSON(rd)}
}

func mustJSON(v any) json.RawMessage {
	if raw, ok := v.(json.RawMessage); ok {
		return raw
	}
	b, _ := json.Marshal(v)
	return b
}

// next waits for the next frame matching pred.
func (b *bot) next(timeout time.Duration, what string, pred func(frame) bool) frame {
	b.t.Helper()
	// Every wait is hang-only: the timeouts the tests pass are what a quiet
	// machine needs, a loaded one (load 40 on 2 cores) can take many times more.
	timeout = max(timeout, hangOnly)
	tm := time.NewTimer(timeout)
	defer tm.Stop()
	for {
		select {
		case raw := <-b.c.Frames:
			var f frame
			if json.Unmarshal(raw, &f) != nil {
				continue
			}
			if pred(f) {
				return f
			}
		case <-tm.C:
			b.t.Fatalf("user %d: no %s within %v", b.user, what, timeout)
			return frame{}
		}
	}
}

func (b *bot) expect(typ string, timeout time.Duration) frame {
	b.t.Helper()
	return b.next(timeout, typ, func(f frame) bool { return f.Type == typ })
}

// drain returns the frames received so far.
func (b *bot) drain() []frame {
	var out []frame
	for {
		select {
		case raw := <-b.c.Frames:
			var f frame
			if json.Unmarshal(raw, &f) == nil {
				out = append(out, f)
			}
		default:
			return out
		}
	}
}

// startMatches queues the bots for ranked and accepts every found match
// (16 bots at a time); it returns the match ids once all are running.
func startMatches(t *testing.T, bots []*bot) []string {
	t.Helper()
	run := func(b *bot, typ protocol.Op, data any, want protocol.Event) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		rt, _, err := b.c.Do(ctx, typ, data)
		if err == nil && rt != want {
			err = fmt.Errorf("reply %q, want %q", rt, want)
		}
		if err != nil {
			return fmt.Errorf("%s by %d: %w", typ, b.user, err)
		}
		return nil
	}
	inParallel(t, bots, func(b *bot) error {
		return run(b, "queue.join", &protocol.QueueJoin{Mode: protocol.ModeRanked}, "queue.status")
	})
	var mu sync.Mutex
	ids := map[string]bool{}
	inParallel(t, bots, func(b *bot) error {
		var found struct {
			MatchID string `json:"match_id"`
		}
		if err := b.wait(30*time.Second, func(f frame) bool { return f.Type == "match.found" }, &found); err != nil {
			return err
		}
		mu.Lock()
		ids[found.MatchID] = true
		mu.Unlock()
		return run(b, "match.accept", &protocol.MatchRef{MatchID: found.MatchID}, "match.state")
	})
	inParallel(t, bots, func(b *bot) error {
		return b.wait(30*time.Second, func(f frame) bool {
			var d struct {
				State string `json:"state"`
			}
			f.get(&d)
			return f.Type == "match.state" && d.State == "running"
		}, nil)
	})
	out := make([]string, 0, len(ids))
	for id := range ids {
		out = append(out, id)
	}
	return out
}

// wait is next for goroutines: an error instead of failing the test.
func (b *bot) wait(timeout time.Duration, pred func(frame) bool, into any) error {
	tm := time.NewTimer(timeout)
	defer tm.Stop()
	for {
		select {
		case raw := <-b.c.Frames:
			var f frame
			if json.Unmarshal(raw, &f) != nil || !pred(f) {
				continue
			}
			if into != nil {
				f.get(into)
			}
			return nil
		case <-tm.C:
			return fmt.Errorf("user %d: nothing expected within %v", b.user, timeout)
		}
	}
}

// scriptedJudge queues nothing and stores nothing: the test plays the
// worker, publishing progress events and results (on the results stream,
// as workers do).
type scriptedJudge struct {
	e *env
	n *node
}

func (j *scriptedJudge) SubmitRanked(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	return store.Submission{NewSubmission: store.NewSubmission{ID: newID(), UserID: req.UserID, ProblemID: req.ProblemID,
		Lang: req.Lang, MatchID: req.MatchID, CreatedAt: time.Now()}}, nil
}

func (j *scriptedJudge) Submit(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	return j.SubmitRanked(ctx, req)
}

// progress publishes a worker's events for a submission: compiling, the
// compiled event (no test yet) and each of total tests passing.
func (j *scriptedJudge) progress(sub string, user int64, matchID string, total int) {
	evs := []execution.Event{{Phase: execution.PhaseCompiling}, {Phase: execution.PhaseTesting, Total: total}}
	for i := 1; i <= total; i++ {
		evs = append(evs, execution.Event{Phase: execution.PhaseTesting, Test: i, Total: total, Verdict: "AC"})
	}
	for _, ev := range evs {
		ev.Type, ev.SubmissionID, ev.UserID, ev.MatchID, ev.At = execution.EventType, sub, user, matchID, time.Now()
		b, _ := json.Marshal(ev)
		if err := j.n.bus.NC.Publish(j.n.bus.Names.UserEvents(user), b); err != nil {
			j.e.t.Error(err)
		}
	}
}

func (j *scriptedJudge) result(sub string, user int64, matchID, verdict string, passed, total int) {
	r := execution.Result{SubmissionID: sub, UserID: user, MatchID: matchID, Lang: "python", CreatedAt: time.Now(),
		Verdict: verdict, Passed: passed, Total: total, FinishedAt: time.Now()}
	if passed < total {
		r.FailedTest = passed + 1
	}
	if err := jobs.PublishResult(context.Background(), j.n.bus, r); err != nil {
		j.e.t.Error(err)
	}
}

// inParallel runs fn for every bot, 16 at a time, and fails on the first
// error.
func inParallel(t *testing.T, bots []*bot, fn func(b *bot) error) {
	t.Helper()
	sem := make(chan struct{}, 16)
	errs := make(chan error, len(bots))
	for _, b := range bots {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			errs <- fn(b)
		}()
	}
	for range bots {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
