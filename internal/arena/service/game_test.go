package service

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

func acceptedSolution(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join(repoRoot(), "problems", "peak-count", "submissions", "accepted", "peaks.py"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// startRanked queues a and b for ranked, accepts the found match on both
// and returns the match id once both see it running.
func startRanked(t *testing.T, a, b *wsClient) string {
	t.Helper()
	a.request("queue.join", map[string]any{"mode": "ranked"}, "queue.status")
	b.request("queue.join", map[string]any{"mode": "ranked"}, "queue.status")
	var found struct {
		MatchID string `json:"match_id"`
	}
	a.expect("match.found", 5*time.Second).get(&found)
	b.expect("match.found", 5*time.Second)
	st := a.request("match.accept", map[string]any{"match_id": found.MatchID}, "match.state")
	var ms struct {
		State string `json:"state"`
	}
	st.get(&ms)
	if ms.State != "found" {
		t.Fatalf("state after the first accept = %q, want found", ms.State)
	}
	b.request("match.accept", map[string]any{"match_id": found.MatchID}, "match.state")
	running := func(f frame) bool {
		var d struct {
			State string `json:"state"`
		}
		f.get(&d)
		return f.Type == "match.state" && d.State == "running"
	}
	a.next(5*time.Second, "running", running)
	b.next(5*time.Second, "running", running)
	return found.MatchID
}

// TestTwoNodesRankedMatch is the "done when": two players on two
// API nodes queue, get matched, accept, play (a real submission judged in
// a runc sandbox), see the result and the rating change, and a third
// client on the other node sees the leaderboard move within 1 s.
func TestTwoNodesRankedMatch(t *testing.T) {
	if testing.Short() {
		t.Skip("judges in runc")
	}
	e := newEnv(t)
	e.judge = true
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	bob, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")

	a := connect(t, n1, adaTok)
	b := connect(t, n2, bobTok)
	cyd := connect(t, n2, cydTok) // watches the board on the node ada is NOT on
	cyd.request("leaderboard.subscribe", map[string]any{"board": "rating", "offset": 0, "limit": 10}, "leaderboard.update")

	id := startRanked(t, a, b)

	// Bob types: ada sees it, never any code.
	b.send("typing", "", map[string]any{"match_id": id, "active": true})
	a.next(5*time.Second, "typing progress", func(f frame) bool {
		var d struct {
			UserID int64 `json:"user_id"`
			Typing bool  `json:"typing"`
		}
		f.get(&d)
		return f.Type == "opponent.progress" && d.UserID == bob.ID && d.Typing
	})

	a.send("code.submit", "sub1", map[string]any{"match_id": id, "lang": "python", "code": acceptedSolution(t)})
	res := a.next(90*time.Second, "submission.result", func(f frame) bool { return f.ID == "sub1" })
	var sr struct {
		Verdict      string `json:"verdict"`
		Passed       int    `json:"passed"`
		Total        int    `json:"total"`
		SubmissionID string `json:"submission_id"`
	}
	res.get(&sr)
	if res.Type != "submission.result" || sr.Verdict != "AC" || sr.Passed != sr.Total || sr.Total == 0 {
		t.Fatalf("submission reply %s %s, want AC", res.Type, res.Data)
	}
	var fin struct {
		Outcome  string `json:"outcome"`
		WinnerID int64  `json:"winner_id"`
		Ratings  []struct {
			UserID        int64
			Before, After float64
		} `json:"ratings"`
		Solutions []struct {
			UserID int64  `json:"user_id"`
			Code   string `json:"code"`
		} `json:"solutions"`
	}
	b.expect("match.finished", 2*time.Minute).get(&fin)
	a.expect("match.finished", 2*time.Minute)
	if fin.Outcome != "won" || fin.WinnerID != ada.ID || len(fin.Ratings) != 2 {
		t.Fatalf("match.finished = %+v", fin)
	}
	if len(fin.Solutions) != 1 || fin.Solutions[0].Code != acceptedSolution(t) {
		t.Fatalf("solutions revealed after the end = %+v, want ada's code", fin.Solutions)
	}

	// The third client, on the other node, sees the board move (within 1 s
	// on a quiet machine; the bound here is hang-only, as a loaded machine
	// may take longer: what is checked is that the push comes, and what it holds).
	upd := cyd.next(2*time.Minute, "leaderboard.update push", func(f frame) bool {
		return f.Type == "leaderboard.update" && f.ID == ""
	})
	var board struct {
		Entries []struct {
			UserID    int64 `json:"user_id"`
			Rank      int
			WinStreak int `json:"win_streak"`
		} `json:"entries"`
		Changed []int64 `json:"changed"`
	}
	upd.get(&board)
	if len(board.Entries) == 0 || board.Entries[0].UserID != ada.ID || len(board.Changed) == 0 {
		t.Fatalf("leaderboard push = %s", upd.Data)
	}
	// Rows carry the current win streak: ada's first win, none for bob.
	for _, en := range board.Entries {
		if want := map[int64]int{ada.ID: 1}[en.UserID]; en.WinStreak != want {
			t.Fatalf("leaderboard row of %d: win_streak %d, want %d (%s)", en.UserID, en.WinStreak, want, upd.Data)
		}
	}

	// Ratings changed exactly once, in the store.
	ar := e.st
	pa, _ := e.st.Profile(context.Background(), ada.ID)
	pb, _ := e.st.Profile(context.Background(), bob.ID)
	if pa.Rating <= 1500 || pb.Rating >= 1500 || pa.XP == 0 {
		t.Fatalf("profiles after the win: ada %+v bob %+v", pa, pb)
	}
	for _, u := range []int64{ada.ID, bob.ID} {
		h, err := ar.RatingHistory(context.Background(), u, 10)
		if err != nil || len(h) != 1 {
			t.Fatalf("rating history of %d = %+v, %v; want one point", u, h, err)
		}
	}
	m, err := ar.ArenaMatch(context.Background(), id)
	if err != nil || m.State != store.MatchFinished || m.WinnerID != ada.ID {
		t.Fatalf("stored match = %+v, %v", m, err)
	}

	// A submit after the end is refused, and changes nothing.
	a.requestErr("code.submit", map[string]any{"match_id": id, "lang": "python", "code": "print(1)"}, "match_not_found")
	// Both can queue again.
	a.request("queue.join", map[string]any{"mode": "casual"}, "queue.status")
}
