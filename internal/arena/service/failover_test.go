package service

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// TestLeaderLoss: the node running the matchmaker and the match timers
// dies (its NATS connection is cut, so it can neither renew the lease nor
// act); the other node takes the lease over, still has the waiting queue,
// and finishes the running match at its deadline.
func TestLeaderLoss(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = 8 * time.Second
	e.addNode()
	e.addNode()
	leader := e.waitLeader()
	survivor := e.nodes[0]
	if survivor == leader {
		survivor = e.nodes[1]
	}
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, carlTok := e.user("carl")
	a := connect(t, survivor, adaTok)
	b := connect(t, leader, bobTok)
	carl := connect(t, survivor, carlTok)
	carl.request("queue.join", map[string]any{"mode": "ffa"}, "queue.status")

	id := startRanked(t, a, b)
	var st struct {
		Deadline string `json:"deadline"`
	}
	a.request("resume", map[string]any{"client": "t", "subscriptions": map[string]any{}}, "snapshot")
	snap := a.request("hello", map[string]any{"client": "t"}, "snapshot")
	var s struct {
		Match *struct {
			MatchID  string `json:"match_id"`
			Deadline string `json:"deadline"`
		} `json:"match"`
	}
	snap.get(&s)
	if s.Match == nil || s.Match.MatchID != id {
		t.Fatalf("snapshot before the crash has no match: %s", snap.Data)
	}
	st.Deadline = s.Match.Deadline
	deadline, err := time.Parse(time.RFC3339Nano, st.Deadline)
	if err != nil {
		t.Fatal(err)
	}

	// Crash: the leader's connection to NATS goes away for good.
	leader.nc.Close()
	took := time.Now()
	for !survivor.svc.Leading() {
		if time.Since(took) > 10*time.Second {
			t.Fatal("the survivor never took the lease over")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("lease taken over after %v", time.Since(took))

	// The queue survived: carl is still waiting, with his original join time.
	carlSnap := carl.request("hello", map[string]any{"client": "t"}, "snapshot")
	var cs struct {
		Queue *struct {
			Queued bool   `json:"queued"`
			Mode   string `json:"mode"`
		} `json:"queue"`
	}
	carlSnap.get(&cs)
	if cs.Queue == nil || !cs.Queue.Queued || cs.Queue.Mode != "ffa" {
		t.Fatalf("carl's queue after the failover: %s", carlSnap.Data)
	}

	// The match ends at its deadline, decided by the survivor.
	f := a.expect("match.finished", time.Until(deadline)+5*time.Second)
	late := time.Since(deadline)
	var fin struct {
		Outcome    string `json:"outcome"`
		FinishedAt string `json:"finished_at"`
	}
	f.get(&fin)
	at, _ := time.Parse(time.RFC3339Nano, fin.FinishedAt)
	if fin.Outcome != "draw" || !at.Equal(deadline.Truncate(time.Millisecond)) {
		t.Fatalf("finished %+v, want a draw at the deadline %s", fin, st.Deadline)
	}
	if late > time.Second {
		t.Fatalf("match.finished arrived %v after the deadline", late)
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

// TestFinishedAnnouncedAfterLeaderLoss: the leader stores a match's result
// and dies before pushing match.finished (its NATS connection is cut right
// there). The node that takes the lease over pushes it: both players get
// the result, from the store, and the leaderboard is told.
func TestFinishedAnnouncedAfterLeaderLoss(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = 3 * time.Second
	var killed atomic.Bool
	e.opt.afterFinishStored = func(s *Service, id string) {
		for _, n := range e.nodes {
			if n.svc == s && killed.CompareAndSwap(false, true) {
				n.nc.Close() // dies between storing and announcing
			}
		}
	}
	e.addNode()
	e.addNode()
	leader := e.waitLeader()
	survivor := e.nodes[0]
	if survivor == leader {
		survivor = e.nodes[1]
	}
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a := connect(t, survivor, adaTok)
	b := connect(t, survivor, bobTok)
	cyd := connect(t, survivor, cydTok)
	cyd.request("leaderboard.subscribe", map[string]any{"board": "rating", "offset": 0, "limit": 10}, "leaderboard.update")
	id := startRanked(t, a, b)

	var fin matchFinishedJSON
	a.next(20*time.Second, "match.finished after the failover", func(f frame) bool { return f.Type == "match.finished" }).get(&fin)
	if !killed.Load() {
		t.Fatal("the leader was not killed between storing and announcing")
	}
	if fin.MatchID != id || fin.Outcome != "draw" || len(fin.Ratings) != 2 {
		t.Fatalf("re-announced match.finished = %+v", fin)
	}
	b.expect("match.finished", 5*time.Second)
	cyd.next(5*time.Second, "leaderboard push", func(f frame) bool { return f.Type == "leaderboard.update" && f.ID == "" })
	if !survivor.svc.Leading() {
		t.Fatal("the survivor does not lead")
	}
	// Announced once: the mark is gone, a later leader repeats nothing.
	if _, err := survivor.bus.State().Get(context.Background(), announcePrefix+id); err == nil {
		t.Fatal("the unannounced mark is still there")
	}
	// And the result is in the snapshot of a player who missed the push.
	var snap struct {
		LastFinished *matchFinishedJSON `json:"last_finished"`
	}
	a.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	if snap.LastFinished == nil || snap.LastFinished.MatchID != id || snap.LastFinished.XP[0].UserID == 0 {
		t.Fatalf("snapshot last_finished = %+v", snap.LastFinished)
	}
}

// TestSubmitDuringFailover: the leader dies a second before a match's
// deadline; a player's node receives a submission half a second before
// the deadline, while no node leads, and keeps forwarding it. The node
// that takes over after the deadline counts it (it was received in time)
// instead of deciding the match without it.
func TestSubmitDuringFailover(t *testing.T) {
	e := newEnv(t)
	e.fakeJudge = func(n *node) Judger { return instantJudge{t: t, st: e.st, n: n} }
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = 4 * time.Second
	e.addNode()
	e.addNode()
	leader := e.waitLeader()
	survivor := e.nodes[0]
	if survivor == leader {
		survivor = e.nodes[1]
	}
	ada, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	a := connect(t, survivor, adaTok)
	b := connect(t, survivor, bobTok)
	id := startRanked(t, a, b)
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
	leader.nc.Close()
	time.Sleep(time.Until(deadline.Add(-500 * time.Millisecond)))
	if survivor.svc.Leading() {
		t.Skip("the lease moved before the deadline (machine too slow for this timing)")
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
