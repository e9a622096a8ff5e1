package service

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

func postDecision(t *testing.T, n *node, match, token string, req any, want int) protocol.ReviewDecision {
	t.Helper()
	body, _ := json.Marshal(req)
	r, _ := http.NewRequest("POST", n.ts.URL+"/api/v1/admin/matches/"+match+"/decisions", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Origin", n.ts.URL)
	if token != "" {
		r.Header.Set("Cookie", "sf_session="+token)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST decision %s: %d %s, want %d", body, resp.StatusCode, b, want)
	}
	var d protocol.ReviewDecision
	if want == http.StatusCreated {
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// TestReviewDecisions: a ranked match won with a copy of another player's
// solution shows in the review queue with the copy's owner; an admin's void
// returns both profiles exactly to their values before the match (rating,
// RD, volatility, XP, level, record), its reversal reapplies the match
// exactly, and a ban closes the player's socket and refuses their sign-in
// until the unban. Every decision is in the item's history.
func TestReviewDecisions(t *testing.T) {
	e := newEnv(t)
	e.fakeJudge = func(n *node) Judger { return instantJudge{t: t, st: e.st, n: n} }
	n := e.addNode()
	e.waitLeader()
	ctx := context.Background()
	ada, adaTok := e.user("ada")
	bob, bobTok := e.user("bob")
	root, rootTok := e.user("rhea")
	dan, _ := e.user("dan")
	if err := e.st.SetUserRole(ctx, root.ID, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	// dan's accepted solution, practised an hour ago; ada submits it
	// with one comment added.
	sol := acceptedSolution(t)
	if _, err := e.st.CreateSubmission(ctx, store.NewSubmission{ID: "dans", UserID: dan.ID, ProblemID: "peak-count", Lang: "python",
		Source: []byte(sol), Priority: "practice", CreatedAt: time.Now().Add(-time.Hour)}, 0); err != nil {
		t.Fatal(err)
	}
	profile := func(id int64) store.Profile {
		t.Helper()
		p, err := e.st.Profile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	adaBefore, bobBefore := profile(ada.ID), profile(bob.ID)

	a, b := connect(t, n, adaTok), connect(t, n, bobTok)
	id := startRanked(t, a, b)
	a.send("code.submit", "s", map[string]any{"match_id": id, "lang": "python", "code": "# my own\n" + sol})
	a.next(hangOnly, "submission.result", func(f frame) bool { return f.ID == "s" })
	b.expect("match.finished", hangOnly)
	adaAfter, bobAfter := profile(ada.ID), profile(bob.ID)
	if adaAfter.Rating <= adaBefore.Rating || adaAfter.XP <= adaBefore.XP || bobAfter.Rating >= bobBefore.Rating {
		t.Fatalf("the match did not move the ratings: ada %+v → %+v, bob %+v → %+v", adaBefore, adaAfter, bobBefore, bobAfter)
	}

	// The queue: ada's last submission resembles dan's. find reads one
	// status of it; queue reads all and checks that ada's item is in the
	// open or the decided queue, as its standing decisions say.
	find := func(status string) (protocol.ReviewItem, bool) {
		t.Helper()
		var q protocol.ReviewQueue
		if err := json.Unmarshal(getStatus(t, n.ts.URL+"/api/v1/admin/review"+status, rootTok, 200), &q); err != nil {
			t.Fatal(err)
		}
		for _, it := range q.Items {
			if it.UserID == ada.ID && it.MatchID == id {
				return it, true
			}
		}
		return protocol.ReviewItem{}, false
	}
	queue := func() protocol.ReviewItem {
		t.Helper()
		it, ok := find("?status=all")
		if !ok {
			t.Fatalf("ada's match is not in the queue")
		}
		standing := false
		for _, d := range it.Decisions {
			standing = standing || d.Reverses == 0 && d.ReversedBy == 0
		}
		_, open := find("") // open is the default
		_, decided := find("?status=decided")
		if it.Decided != standing || open == standing || decided != standing {
			t.Fatalf("standing decision %v: item decided %v, in the open queue %v, in the decided queue %v: %+v", standing, it.Decided, open, decided, it.Decisions)
		}
		return it
	}
	getStatus(t, n.ts.URL+"/api/v1/admin/review?status=closed", rootTok, 400)
	it := queue()
	if it.Similar == nil || it.Similar.UserID != dan.ID || it.Similar.Score < 0.9 || it.Similar.Username != "dan" ||
		!strings.Contains(strings.Join(it.Reasons, ";"), "resembles dan's") || it.Voided || len(it.Decisions) != 0 {
		t.Fatalf("queue item %+v (similar %+v)", it, it.Similar)
	}

	// Refused: players, no reason, unknown action or match, a void naming
	// a player; nothing written.
	postDecision(t, n, id, adaTok, protocol.DecisionRequest{Action: "void", Reason: "x"}, 403)
	postDecision(t, n, id, "", protocol.DecisionRequest{Action: "void", Reason: "x"}, 401)
	postDecision(t, n, id, rootTok, protocol.DecisionRequest{Action: "void", Reason: "  "}, 400)
	postDecision(t, n, id, rootTok, protocol.DecisionRequest{Action: "delete", Reason: "x"}, 400)
	postDecision(t, n, id, rootTok, protocol.DecisionRequest{Action: "void", UserID: ada.ID, Reason: "x"}, 400)
	postDecision(t, n, id, rootTok, protocol.DecisionRequest{Action: "ban", Reason: "x"}, 400)
	postDecision(t, n, "nope", rootTok, protocol.DecisionRequest{Action: "void", Reason: "x"}, 404)
	postDecision(t, n, id, rootTok, protocol.DecisionRequest{Action: "ban", UserID: dan.ID, Reason: "x"}, 404)
	if p := profile(ada.ID); p != adaAfter {
		t.Fatalf("a refused decision changed ada: %+v", p)
	}

	void := postDecision(t, n, id, rootTok, protocol.DecisionRequest{Action: "void", Reason: "copied dan's practice solution"}, 201)
	if void.Admin != "rhea" || void.Reason != "copied dan's practice solution" || len(void.Changes) != 2 || !void.Changes[0].Exact {
		t.Fatalf("void %+v", void)
	}
	if p := profile(ada.ID); p != adaBefore {
		t.Fatalf("ada after the void = %+v, want exactly %+v", p, adaBefore)
	}
	if p := profile(bob.ID); p != bobBefore {
		t.Fatalf("bob after the void = %+v, want exactly %+v", p, bobBefore)
	}
	if st, _ := e.st.ArenaStats(ctx, ada.ID); st.Wins != 0 {
		t.Fatalf("ada's record after the void: %+v", st)
	}
	postDecision(t, n, id, rootTok, protocol.DecisionRequest{Action: "void", Reason: "again"}, 409)
	if it := queue(); !it.Voided || len(it.Decisions) != 1 || it.Decisions[0].ID != void.ID {
		t.Fatalf("queue item after the void %+v", it)
	}

	unvoid := postDecision(t, n, id, rootTok, protocol.DecisionRequest{Reverses: void.ID, Reason: "dan is ada's second account? no: shared class notes"}, 201)
	if unvoid.Action != "void" || unvoid.Reverses != void.ID {
		t.Fatalf("reversal %+v", unvoid)
	}
	if p := profile(ada.ID); p != adaAfter {
		t.Fatalf("ada after undoing the void = %+v, want exactly %+v", p, adaAfter)
	}
	if p := profile(bob.ID); p != bobAfter {
		t.Fatalf("bob after undoing the void = %+v, want exactly %+v", p, bobAfter)
	}
	postDecision(t, n, id, rootTok, protocol.DecisionRequest{Reverses: void.ID, Reason: "twice"}, 409)

	// A ban closes the player's socket at once and refuses sign-in.
	ban := postDecision(t, n, id, rootTok, protocol.DecisionRequest{Action: "ban", UserID: ada.ID, Reason: "second offence"}, 201)
	a.waitClosed(hangOnly)
	if _, _, err := n.api.Auth().Login(ctx, "ada", "correct horse battery", auth.Client{}, ""); errcode.CodeOf(err) != errcode.AccountDisabled {
		t.Fatalf("banned ada signs in: %v", err)
	}
	if it := queue(); !it.Banned || len(it.Decisions) != 3 {
		t.Fatalf("queue item after the ban %+v", it)
	}
	postDecision(t, n, id, rootTok, protocol.DecisionRequest{Reverses: ban.ID, Reason: "appeal accepted"}, 201)
	if _, _, err := n.api.Auth().Login(ctx, "ada", "correct horse battery", auth.Client{}, ""); err != nil {
		t.Fatalf("unbanned ada cannot sign in: %v", err)
	}
	it = queue()
	if it.Banned || it.Voided || len(it.Decisions) != 4 || it.Decisions[0].ReversedBy != unvoid.ID {
		t.Fatalf("the item's history %+v", it.Decisions)
	}

	// The evidence carries both sources side by side and the decisions.
	var ev protocol.MatchEvidence
	if err := json.Unmarshal(getStatus(t, n.ts.URL+"/api/v1/admin/matches/"+id+"/evidence", rootTok, 200), &ev); err != nil {
		t.Fatal(err)
	}
	for _, p := range ev.Players {
		if p.UserID == ada.ID && (len(p.Similar) != 1 || p.Similar[0].Source != sol || !strings.HasPrefix(p.Source, "# my own")) {
			t.Fatalf("ada's evidence %+v", p)
		}
	}
	if len(ev.Decisions) != 4 {
		t.Fatalf("evidence decisions %+v", ev.Decisions)
	}
}
