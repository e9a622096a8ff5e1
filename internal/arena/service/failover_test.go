package service

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// TestLeaderLoss: the node running the matchmaker and the node owning a
// running match die (their NATS connections are cut, so they can neither
// heartbeat nor act; of three nodes they may be one or two). The others
// take both over: the waiting queue is still there, with its join time,
// and the match finishes at its deadline.
func TestLeaderLoss(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = 8 * time.Second
	e.addNode()
	e.addNode()
	e.addNode()
	leader := e.waitLeader()
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, carlTok := e.user("carl")
	a := connect(t, e.nodes[0], adaTok)
	b := connect(t, e.nodes[0], bobTok)
	id := startRanked(t, a, b)
	owner := e.owner(id)
	survivor := e.survivor(leader, owner)
	a = a.moveTo(survivor, adaTok)
	b = b.moveTo(survivor, bobTok)
	carl := connect(t, survivor, carlTok)
	carl.request("queue.join", map[string]any{"mode": "ffa"}, "queue.status")

	var s struct {
		Match *struct {
			MatchID  string `json:"match_id"`
			Deadline string `json:"deadline"`
		} `json:"match"`
	}
	a.request("hello", map[string]any{"client": "t"}, "snapshot").get(&s)
	if s.Match == nil || s.Match.MatchID != id {
		t.Fatalf("snapshot before the crash has no match: %+v", s)
	}
	deadline, err := time.Parse(time.RFC3339Nano, s.Match.Deadline)
	if err != nil {
		t.Fatal(err)
	}

	// Crash: the leader's and the owner's connections to NATS go away.
	leader.kill()
	owner.kill()
	took := time.Now()
	for {
		newOwner := e.owner(id)
		if l := e.leader(); l != nil && l != leader && newOwner != owner && newOwner.svc.Owned() > 0 {
			break
		}
		if time.Since(took) > 2*time.Minute { // hang-only: 5/4 of the TTL on a quiet machine
			t.Fatal("no live node took the matchmaker and the match over")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("matchmaker and match taken over after %v", time.Since(took))

	// The queue survived: carl is still waiting, with his original join time.
	var cs struct {
		Queue *struct {
			Queued bool   `json:"queued"`
			Mode   string `json:"mode"`
		} `json:"queue"`
	}
	carl.request("hello", map[string]any{"client": "t"}, "snapshot").get(&cs)
	if cs.Queue == nil || !cs.Queue.Queued || cs.Queue.Mode != "ffa" {
		t.Fatalf("carl's queue after the failover: %+v", cs.Queue)
	}

	// The match ends at its deadline, decided by the survivor (generous
	// bound: the takeover takes at most 5/4 of the 2 s TTL, and this VM is
	// loaded; the instant itself is exact).
	f := a.expect("match.finished", time.Until(deadline)+10*time.Second)
	var fin struct {
		Outcome    string `json:"outcome"`
		FinishedAt string `json:"finished_at"`
	}
	f.get(&fin)
	at, _ := time.Parse(time.RFC3339Nano, fin.FinishedAt)
	if fin.Outcome != "draw" || !at.Equal(deadline.Truncate(time.Millisecond)) {
		t.Fatalf("finished %+v, want a draw at the deadline %s", fin, s.Match.Deadline)
	}
	m, err := e.st.ArenaMatch(context.Background(), id)
	if err != nil || m.State != store.MatchFinished || !m.FinishedAt.Truncate(time.Millisecond).Equal(at) {
		t.Fatalf("stored match %+v, %v", m, err)
	}
}

// TestResumeAndDisconnectGrace: a reconnect within the grace gets the full
// snapshot (match, its code, spectate subscription) and cancels the
// forfeit; staying away past the grace forfeits.
func TestResumeAndDisconnectGrace(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	e.opt.Match.DisconnectGrace = 2 * time.Second
	n := e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	bob, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a, b := connect(t, n, adaTok), connect(t, n, bobTok)
	id := startRanked(t, a, b)
	cyd := connect(t, n, cydTok)
	cyd.request("spectate", map[string]any{"match_id": id}, "match.state")

	// No worker runs: the submission stays queued, but it is the player's
	// code in this match.
	a.send("code.submit", "s1", map[string]any{"match_id": id, "lang": "python", "code": "print(42)\n"})
	b.next(30*time.Second, "ada's submission count", func(f frame) bool {
		var d struct {
			UserID      int64 `json:"user_id"`
			Submissions int   `json:"submissions"`
		}
		f.get(&d)
		return f.Type == "opponent.progress" && d.UserID == ada.ID && d.Submissions == 1
	})
	a.requestErr("code.submit", map[string]any{"match_id": id, "lang": "python", "code": "print(1)"}, "judge_busy")

	disconnected := func(f frame) bool {
		var d struct {
			UserID        int64   `json:"user_id"`
			Connected     bool    `json:"connected"`
			GraceDeadline *string `json:"grace_deadline"`
		}
		f.get(&d)
		return f.Type == "opponent.progress" && d.UserID == ada.ID && !d.Connected && d.GraceDeadline != nil
	}
	reconnected := func(f frame) bool {
		var d struct {
			UserID    int64 `json:"user_id"`
			Connected bool  `json:"connected"`
		}
		f.get(&d)
		return f.Type == "opponent.progress" && d.UserID == ada.ID && d.Connected
	}
	a.c.CloseNow()
	b.next(5*time.Second, "ada disconnected", disconnected)

	a2, _, err := dialWS(t, n, adaTok, nil)
	if err != nil {
		t.Fatal(err)
	}
	snap := a2.request("resume", map[string]any{"client": "t", "subscriptions": map[string]any{}}, "snapshot")
	var s struct {
		Match *struct {
			MatchID string `json:"match_id"`
			State   string `json:"state"`
			You     int64  `json:"you"`
			Problem *struct {
				ID string `json:"id"`
			} `json:"problem"`
		} `json:"match"`
		MyCode *struct {
			Code string `json:"code"`
		} `json:"my_code"`
	}
	snap.get(&s)
	if s.Match == nil || s.Match.MatchID != id || s.Match.State != "running" || s.Match.You != ada.ID || s.Match.Problem == nil ||
		s.MyCode == nil || s.MyCode.Code != "print(42)\n" {
		t.Fatalf("resume snapshot = %s", snap.Data)
	}
	b.next(5*time.Second, "ada back", reconnected)

	// The spectator reconnects and resumes its subscription.
	cyd.c.CloseNow()
	cyd2, _, err := dialWS(t, n, cydTok, nil)
	if err != nil {
		t.Fatal(err)
	}
	cyd2.request("resume", map[string]any{"client": "t", "subscriptions": map[string]any{"spectate": id,
		"leaderboard": map[string]any{"board": "rating", "offset": 0, "limit": 5}}}, "snapshot")
	cyd2.expect("leaderboard.update", 5*time.Second) // the restored page
	cyd2.expect("match.state", 5*time.Second)        // the spectated match

	// Gone for good: the grace runs out and bob wins by forfeit.
	a2.c.CloseNow()
	var fin struct {
		Outcome  string `json:"outcome"`
		WinnerID int64  `json:"winner_id"`
	}
	b.expect("match.finished", 10*time.Second).get(&fin)
	if fin.Outcome != "forfeit" || fin.WinnerID != bob.ID {
		t.Fatalf("finished %+v, want bob winning by forfeit", fin)
	}
	cyd2.expect("match.finished", 5*time.Second)
	cyd2.expect("leaderboard.update", 5*time.Second)
}

// TestFinishedAnnouncedAfterOwnerLoss: a match's owner stores its result
// and dies before pushing match.finished (its NATS connection is cut right
// there). The node that owns the match next pushes it: both players get
// the result, from the store, and the leaderboard is told.
func TestFinishedAnnouncedAfterOwnerLoss(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = 4 * time.Second
	var killed atomic.Bool
	e.opt.afterFinishStored = func(s *Service, id string) {
		for _, n := range e.nodes {
			if n.svc == s && killed.CompareAndSwap(false, true) {
				n.kill() // dies between storing and announcing
			}
		}
	}
	e.addNode()
	e.addNode()
	e.waitLeader()
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a := connect(t, e.nodes[0], adaTok)
	b := connect(t, e.nodes[0], bobTok)
	id := startRanked(t, a, b)
	survivor := e.survivor(e.owner(id))
	a, b = a.moveTo(survivor, adaTok), b.moveTo(survivor, bobTok)
	cyd := connect(t, survivor, cydTok)
	cyd.request("leaderboard.subscribe", map[string]any{"board": "rating", "offset": 0, "limit": 10}, "leaderboard.update")

	var fin matchFinishedJSON
	a.next(20*time.Second, "match.finished after the failover", func(f frame) bool { return f.Type == "match.finished" }).get(&fin)
	if !killed.Load() {
		t.Fatal("the owner was not killed between storing and announcing")
	}
	if fin.MatchID != id || fin.Outcome != "draw" || len(fin.Ratings) != 2 {
		t.Fatalf("re-announced match.finished = %+v", fin)
	}
	b.expect("match.finished", 5*time.Second)
	cyd.next(5*time.Second, "leaderboard push", func(f frame) bool { return f.Type == "leaderboard.update" && f.ID == "" })
	// Announced once: the mark is gone, a later owner repeats nothing.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := survivor.bus.State().Get(context.Background(), announcePrefix+id); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the unannounced mark is still there")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// And the result is in the snapshot of a player who missed the push.
	var snap struct {
		LastFinished *matchFinishedJSON `json:"last_finished"`
	}
	a.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	if snap.LastFinished == nil || snap.LastFinished.MatchID != id || snap.LastFinished.XP[0].UserID == 0 {
		t.Fatalf("snapshot last_finished = %+v", snap.LastFinished)
	}
	// Both can queue again: the matchmaker freed them.
	a.request("queue.join", map[string]any{"mode": "casual"}, "queue.status")
}

// TestSubmitDuringFailover: a match's owner dies a second before the
// deadline; a player's node receives a submission half a second before
// the deadline, while no node owns the match, and keeps forwarding it. The
// node that takes over after the deadline counts it (it was received in
// time) instead of deciding the match without it.
func TestSubmitDuringFailover(t *testing.T) {
	e := newEnv(t)
	e.fakeJudge = func(n *node) Judger { return instantJudge{t: t, st: e.st, n: n} }
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = 5 * time.Second
	e.addNode()
	e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	a := connect(t, e.nodes[0], adaTok)
	b := connect(t, e.nodes[0], bobTok)
	id := startRanked(t, a, b)
	owner := e.owner(id)
	survivor := e.survivor(owner)
	a, b = a.moveTo(survivor, adaTok), b.moveTo(survivor, bobTok)
	var snap struct {
		Match struct {
			Deadline string `json:"deadline"`
		} `json:"match"`
	}
	a.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	deadline, err := time.Parse(time.RFC3339Nano, snap.Match.Deadline)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(deadline.Add(-time.Second)))
	owner.kill()
	time.Sleep(time.Until(deadline.Add(-500 * time.Millisecond)))
	if survivor.svc.OwnerOf(id) == survivor.svc.Node() {
		t.Skip("the match moved before the deadline (machine too slow for this timing)")
	}
	a.send("code.submit", "late", map[string]any{"match_id": id, "lang": "python", "code": acceptedSolution(t)})
	res := a.next(20*time.Second, "submission reply", func(f frame) bool { return f.ID == "late" })
	if res.Type != "submission.result" {
		t.Fatalf("a submission received before the deadline during the failover: %s %s", res.Type, res.Data)
	}
	var fin matchFinishedJSON
	b.expect("match.finished", 10*time.Second).get(&fin)
	if fin.Outcome != "won" || fin.WinnerID == nil || *fin.WinnerID != ada.ID {
		t.Fatalf("finished %+v, want ada's win by the submission received in time", fin)
	}
	at, _ := time.Parse(time.RFC3339Nano, fin.FinishedAt)
	if at.Before(deadline) {
		t.Fatalf("finished at %v, before the deadline %v", at, deadline)
	}
}
