package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/fairplay"
	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/ratelimit"
	"github.com/segfaultarena/segfault/internal/store"
)

// doJSON sends a same-origin request with the session cookie (token "":
// signed out) and returns the status and the decoded body.
func doJSON(t *testing.T, n *node, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, n.ts.URL+path, rd)
	req.Header.Set("Origin", n.ts.URL)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Cookie", "sf_session="+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func errCode(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// TestHiddenTestsOutsideMatch is issue 17's attack: during a ranked match
// a player sends a REST practice submission (or run) for the match's
// problem to have it judged on the hidden tests outside the match. It is
// refused with problem_in_match while the match lasts; another player
// may practise the problem, and the player may once the match is over.
func TestHiddenTestsOutsideMatch(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	n := e.addNode()
	n.api.MountJudge(n.exec)
	e.waitLeader()
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a, b := connect(t, n, adaTok), connect(t, n, bobTok)
	id := startRanked(t, a, b)
	problem := e.cat.list[0].ID
	sub := map[string]any{"problem": problem, "lang": "python", "code": acceptedSolution(t)}
	run := map[string]any{"problem": problem, "lang": "python", "code": "print(1)", "input": "1\n"}

	for _, c := range []struct {
		path string
		body any
	}{{"/api/v1/submissions", sub}, {"/api/v1/runs", run}} {
		status, m := doJSON(t, n, "POST", c.path, adaTok, c.body)
		if status != http.StatusConflict || errCode(m) != "problem_in_match" {
			t.Fatalf("POST %s by a player of the match on its problem: %d %v; want 409 problem_in_match", c.path, status, m)
		}
	}
	// Someone not in the match practises it as usual.
	if status, m := doJSON(t, n, "POST", "/api/v1/submissions", cydTok, sub); status != http.StatusAccepted {
		t.Fatalf("practice submission by a non-player: %d %v; want 202", status, m)
	}
	b.request("match.resign", map[string]any{"match_id": id}, "match.finished")
	a.expect("match.finished", 5*time.Second)
	if status, m := doJSON(t, n, "POST", "/api/v1/submissions", adaTok, sub); status != http.StatusAccepted {
		t.Fatalf("practice submission after the match: %d %v; want 202", status, m)
	}
}

// admin makes an administrator and returns its session token.
func (e *env) admin(name string) string {
	e.t.Helper()
	au := e.nodes[0].api.Auth()
	if _, err := au.CreateUser(context.Background(), name, "correct horse battery", store.RoleAdmin); err != nil {
		e.t.Fatal(err)
	}
	_, tok, err := au.Login(context.Background(), name, "correct horse battery", auth.Client{}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// submitIn sends code.submit in match id (no judge answers it) and waits
// until an administrator's record of the match shows want submissions.
func submitIn(t *testing.T, n *node, w *wsClient, id, code, adminTok string, want int) {
	t.Helper()
	w.send("code.submit", "", map[string]any{"match_id": id, "lang": "python", "code": code})
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, m := getJSON(t, n.ts.URL+"/api/v1/matches/"+id, adminTok); len(codesIn(m)) >= want {
			return
		}
	}
	t.Fatalf("submission %d of match %s never stored", want, id)
}

// codesIn lists the code of each submission a match record shows.
func codesIn(m map[string]any) []string {
	var out []string
	subs, _ := m["submissions"].([]any)
	for _, s := range subs {
		c, _ := s.(map[string]any)["code"].(string)
		out = append(out, c)
	}
	return out
}

// TestCodeVisibility is issue 17's "solutions readable by anyone": GET
// /api/v1/matches/{id} returned the code of private and practice matches
// to anyone, signed out. Code is the players' (and admins') until the end;
// others read it after the end of a ranked, casual or free-for-all match
// only; practice is its player's own; private rooms leave public
// profiles; anonymous reads are limited per address.
func TestCodeVisibility(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	n := e.addNode()
	e.waitLeader()
	_, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	rootTok := e.admin("root")
	a, b := connect(t, n, adaTok), connect(t, n, bobTok)
	get := func(id, tok string) (int, []string) {
		status, m := getJSON(t, n.ts.URL+"/api/v1/matches/"+id, tok)
		return status, codesIn(m)
	}
	const adaCode, bobCode = "print('ada')\n", "print('bob')\n"

	// A ranked match: during it each player reads their own code only,
	// nobody else any; after it, everyone reads both.
	ranked := startRanked(t, a, b)
	submitIn(t, n, a, ranked, adaCode, rootTok, 1)
	submitIn(t, n, b, ranked, bobCode, rootTok, 2)
	for _, c := range []struct {
		who, tok string
		want     int
	}{{"ada", adaTok, 1}, {"bob", bobTok, 1}, {"cyd", cydTok, 0}, {"anonymous", "", 0}, {"admin", rootTok, 2}} {
		if status, codes := get(ranked, c.tok); status != 200 || len(codes) != c.want {
			t.Errorf("running ranked match read by %s: %d, code %q; want %d", c.who, status, codes, c.want)
		}
	}
	if _, codes := get(ranked, adaTok); len(codes) != 1 || codes[0] != adaCode {
		t.Errorf("ada reads %q during the match, want her own code only", codes)
	}
	b.request("match.resign", map[string]any{"match_id": ranked}, "match.finished")
	a.expect("match.finished", 5*time.Second)
	for _, tok := range []string{cydTok, ""} {
		if status, codes := get(ranked, tok); status != 200 || len(codes) != 2 {
			t.Errorf("finished ranked match read by an outsider: %d, code %q; want both", status, codes)
		}
	}

	// A private room: the code stays its players' (and admins'), after the
	// end too, and the match is on nobody's public profile.
	var room struct {
		Code string `json:"code"`
	}
	a.request("room.create", map[string]any{"max_players": 2, "duration_s": 300}, "room.state").get(&room)
	b.request("room.join", map[string]any{"code": room.Code}, "room.state")
	a.expect("room.state", 5*time.Second)
	var ms struct {
		MatchID string `json:"match_id"`
	}
	a.request("room.start", map[string]any{}, "match.state").get(&ms)
	b.expect("match.state", 5*time.Second)
	running := func(f frame) bool {
		var d struct {
			State string `json:"state"`
		}
		f.get(&d)
		return f.Type == "match.state" && d.State == "running"
	}
	a.next(5*time.Second, "running", running)
	submitIn(t, n, a, ms.MatchID, adaCode, rootTok, 1)
	a.request("match.resign", map[string]any{"match_id": ms.MatchID}, "match.finished")
	b.expect("match.finished", 5*time.Second)
	for _, c := range []struct {
		who, tok string
		want     int
	}{{"ada", adaTok, 1}, {"bob", bobTok, 1}, {"cyd", cydTok, 0}, {"anonymous", "", 0}, {"admin", rootTok, 1}} {
		if status, codes := get(ms.MatchID, c.tok); status != 200 || len(codes) != c.want {
			t.Errorf("finished private match read by %s: %d, code %q; want %d", c.who, status, codes, c.want)
		}
	}
	for _, name := range []string{"ada", "bob"} {
		_, prof := getJSON(t, n.ts.URL+"/api/v1/users/"+name, "")
		for _, rm := range prof["recent_matches"].([]any) {
			if rm.(map[string]any)["match_id"] == ms.MatchID {
				t.Errorf("%s's public profile lists the private match", name)
			}
		}
	}

	// Practice is the player's own: nobody else finds it.
	c := connect(t, n, cydTok)
	var practice struct {
		MatchID string `json:"match_id"`
	}
	c.request("queue.join", map[string]any{"mode": "practice"}, "match.state").get(&practice)
	c.next(5*time.Second, "running", running)
	submitIn(t, n, c, practice.MatchID, adaCode, rootTok, 1)
	c.request("match.resign", map[string]any{"match_id": practice.MatchID}, "match.finished")
	for _, c := range []struct {
		who, tok      string
		status, codes int
	}{{"cyd", cydTok, 200, 1}, {"ada", adaTok, 404, 0}, {"anonymous", "", 404, 0}, {"admin", rootTok, 200, 1}} {
		if status, codes := get(practice.MatchID, c.tok); status != c.status || len(codes) != c.codes {
			t.Errorf("practice match read by %s: %d, code %q; want %d with %d", c.who, status, codes, c.status, c.codes)
		}
	}

	// Anonymous reads are counted per address; a session is not.
	n.api.LimitAnonymousReads(n.exec.Limiter(), ratelimit.Rate{Burst: 5, PerSec: 0.001})
	limited := 0
	for i := range 8 {
		if status, _ := getJSON(t, n.ts.URL+"/api/v1/users/ada", ""); status == http.StatusTooManyRequests {
			limited++
		} else if status != 200 || i >= 5 {
			t.Fatalf("anonymous read #%d: %d", i+1, status)
		}
	}
	if limited != 3 {
		t.Fatalf("%d of 8 anonymous reads refused, want the 3 over the burst of 5", limited)
	}
	if status, _ := getJSON(t, n.ts.URL+"/api/v1/users/ada", cydTok); status != 200 {
		t.Fatalf("signed-in read after the address's anonymous burst: %d, want 200", status)
	}
}

// startMode is startRanked for any queue mode.
func startMode(t *testing.T, a, b *wsClient, mode string) string {
	t.Helper()
	a.request("queue.join", map[string]any{"mode": mode}, "queue.status")
	b.request("queue.join", map[string]any{"mode": mode}, "queue.status")
	var found struct {
		MatchID string `json:"match_id"`
	}
	a.expect("match.found", 5*time.Second).get(&found)
	b.expect("match.found", 5*time.Second)
	a.request("match.accept", map[string]any{"match_id": found.MatchID}, "match.state")
	b.request("match.accept", map[string]any{"match_id": found.MatchID}, "match.state")
	running := func(f frame) bool {
		var d struct {
			MatchID string `json:"match_id"`
			State   string `json:"state"`
		}
		f.get(&d)
		return f.Type == "match.state" && d.MatchID == found.MatchID && d.State == "running"
	}
	a.next(5*time.Second, "running", running)
	b.next(5*time.Second, "running", running)
	return found.MatchID
}

// TestRatingFarming is issue 17's farm: extra accounts queue ranked against
// one player and resign at once (four fresh accounts took a player from
// 1500 to 1852 in 24 s). Fresh accounts are refused ranked play
// (ranked_locked) until they completed a match; a ranked match resigned
// at once, before the minimum run time and without a submission, changes
// no rating and gives no XP or win; the same two accounts' repeated
// counted matches weigh ½, ¼, ... in rating and XP.
func TestRatingFarming(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	rules := fairplay.Rules{MinAccountAge: time.Hour, MinCompleted: 1, MinRunTime: 30 * time.Second, RepeatWindow: time.Hour}
	e.opt.FairPlay = &rules
	j := &scriptedJudge{e: e}
	e.fakeJudge = func(n *node) Judger { j.n = n; return j }
	n := e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	alt, altTok := e.user("alt")
	a, x := connect(t, n, adaTok), connect(t, n, altTok)
	ctx := context.Background()
	// submit waits until the match registered it (the scripted judge never
	// answers): the player's own card counts it.
	submit := func(w *wsClient, uid int64, id string) {
		t.Helper()
		w.send("code.submit", fmt.Sprintf("s-%s-%d", id, uid), map[string]any{"match_id": id, "lang": "python", "code": "print(1)\n"})
		w.next(5*time.Second, "the submission registered", func(f frame) bool {
			var d struct {
				MatchID     string `json:"match_id"`
				UserID      int64  `json:"user_id"`
				Submissions int    `json:"submissions"`
			}
			f.get(&d)
			return f.Type == "opponent.progress" && d.MatchID == id && d.UserID == uid && d.Submissions > 0
		})
	}
	resign := func(id string) (xpOf map[int64]int64) {
		t.Helper()
		x.request("match.resign", map[string]any{"match_id": id}, "match.finished")
		var fin struct {
			XP []struct {
				UserID int64 `json:"user_id"`
				Gained int64 `json:"gained"`
			} `json:"xp"`
		}
		a.expect("match.finished", 5*time.Second).get(&fin)
		xpOf = map[int64]int64{}
		for _, v := range fin.XP {
			xpOf[v.UserID] = v.Gained
		}
		return xpOf
	}

	// Fresh accounts cannot queue ranked; a casual match in which each
	// submitted opens it (MinCompleted 1).
	if d := x.requestErr("queue.join", map[string]any{"mode": "ranked"}, "ranked_locked"); d["cooldown_until"] == nil {
		t.Fatalf("ranked_locked without cooldown_until: %v", d)
	}
	casual := startMode(t, a, x, "casual")
	submit(a, ada.ID, casual)
	submit(x, alt.ID, casual)
	resign(casual)

	// The farm: alt resigns as soon as the ranked match runs.
	before, _ := e.st.Profile(ctx, ada.ID)
	statsBefore, _ := e.st.ArenaStats(ctx, ada.ID)
	farm := startMode(t, a, x, "ranked")
	if got := resign(farm); got[ada.ID] != 0 {
		t.Fatalf("an instant resignation gave the winner %d XP, want 0", got[ada.ID])
	}
	after, _ := e.st.Profile(ctx, ada.ID)
	statsAfter, _ := e.st.ArenaStats(ctx, ada.ID)
	if after.Rating != before.Rating || after.XP != before.XP || statsAfter.Wins != statsBefore.Wins {
		t.Fatalf("an instant resignation counted: rating %.1f→%.1f, XP %d→%d, wins %d→%d",
			before.Rating, after.Rating, before.XP, after.XP, statsBefore.Wins, statsAfter.Wins)
	}
	if h, _ := e.st.RatingHistory(ctx, ada.ID, 10); len(h) != 0 {
		t.Fatalf("rating history after an uncounted match: %+v", h)
	}

	// Counted repeats (alt submits, then resigns): the casual match was the
	// pair's first counted match, so these weigh ½ then ¼.
	var gained []int64
	for _, prior := range []int{1, 2} {
		pa, _ := e.st.Profile(ctx, ada.ID)
		pb, _ := e.st.Profile(ctx, alt.ID)
		id := startMode(t, a, x, "ranked")
		submit(x, alt.ID, id)
		gained = append(gained, resign(id)[ada.ID])
		want, _, err := rating.Default().MatchWeighted(rating.Rating{R: pa.Rating, RD: pa.RD, Sigma: pa.Volatility},
			rating.Rating{R: pb.Rating, RD: pb.RD, Sigma: pb.Volatility}, 1, fairplay.PairWeight(prior))
		if err != nil {
			t.Fatal(err)
		}
		full, _, _ := rating.Default().Match(rating.Rating{R: pa.Rating, RD: pa.RD, Sigma: pa.Volatility},
			rating.Rating{R: pb.Rating, RD: pb.RD, Sigma: pb.Volatility}, 1)
		got, _ := e.st.Profile(ctx, ada.ID)
		if math.Abs(got.Rating-want.R) > 1e-6 || math.Abs(got.Rating-full.R) < 1 {
			t.Fatalf("ranked win #%d over the same account: rating %.3f→%.3f, want %.3f (weight %v; a full win gives %.3f)",
				prior, pa.Rating, got.Rating, want.R, fairplay.PairWeight(prior), full.R)
		}
	}
	// A ranked win without a solve is worth 60 XP and more (streaks): at
	// ½ and ¼ it gives 30–40, then 15–20.
	if gained[0] < 30 || gained[0] > 40 || gained[1] < 15 || gained[1] > 20 {
		t.Fatalf("XP of the repeated ranked wins = %v, want ½ then ¼ of a win's", gained)
	}
}

// TestSignOutClosesSocketsEverywhere is issue 17's "sign-out everywhere at
// once": after a sign-out, a sign-out everywhere or disabling, the user's
// open sockets kept working for about 5 minutes (the periodic session
// check). Now every node closes the sockets of the ended sessions at once
// (4401), and only those.
func TestSignOutClosesSocketsEverywhere(t *testing.T) {
	e := newEnv(t)
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	_, tok1 := e.user("ada")
	_, tok2, err := n1.api.Auth().Login(context.Background(), "ada", "correct horse battery", auth.Client{}, "")
	if err != nil {
		t.Fatal(err)
	}
	bob, bobTok := e.user("bob")
	// Far below the periodic check (5 min): only the announcement can do it.
	const soon = 5 * time.Second
	s1, s2, s2b := connect(t, n2, tok1), connect(t, n2, tok2), connect(t, n1, tok2)
	b := connect(t, n2, bobTok)

	// Signing out session 1 on node 1 closes its socket on node 2, not the
	// other session's.
	if status, m := doJSON(t, n1, "POST", "/api/v1/auth/logout", tok1, nil); status != http.StatusNoContent {
		t.Fatalf("logout: %d %v", status, m)
	}
	if st := s1.waitClosed(soon); st != 4401 {
		t.Fatalf("signed-out socket closed with %d, want 4401", st)
	}
	s2.request("hello", map[string]any{"client": "t"}, "snapshot")

	// Signing out everywhere closes every socket of the user on every node,
	// and the session cannot be used any more.
	if status, m := doJSON(t, n1, "POST", "/api/v1/auth/logout-all", tok2, nil); status != http.StatusNoContent {
		t.Fatalf("logout-all: %d %v", status, m)
	}
	for _, w := range []*wsClient{s2, s2b} {
		if st := w.waitClosed(soon); st != 4401 {
			t.Fatalf("socket after sign-out everywhere closed with %d, want 4401", st)
		}
	}
	if status, _ := getJSON(t, n2.ts.URL+"/api/v1/me", tok2); status != http.StatusUnauthorized {
		t.Fatalf("GET /me with a session signed out everywhere: %d, want 401", status)
	}
	if status, _ := doJSON(t, n1, "POST", "/api/v1/auth/logout-all", "", nil); status != http.StatusUnauthorized {
		t.Fatalf("logout-all signed out: %d, want 401", status)
	}

	// Disabling an account (the `user disable` command's call) closes its
	// sockets at once too.
	b.request("hello", map[string]any{"client": "t"}, "snapshot")
	if err := n1.api.Auth().SetDisabled(context.Background(), bob.ID, true); err != nil {
		t.Fatal(err)
	}
	if st := b.waitClosed(soon); st != 4401 {
		t.Fatalf("disabled user's socket closed with %d, want 4401", st)
	}
}
