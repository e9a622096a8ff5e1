package service

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

func getJSON(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Cookie", "sf_session="+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// TestREST: the arena's read endpoints, with a finished ranked match in
// the store, and their bad inputs.
func TestREST(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	n := e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	bob, bobTok := e.user("bob")
	a, b := connect(t, n, adaTok), connect(t, n, bobTok)
	id := startRanked(t, a, b)
	running := func(url string) []any {
		_, m := getJSON(t, url, "")
		l, _ := m["matches"].([]any)
		return l
	}
	if l := running(n.ts.URL + "/api/v1/matches?state=running"); len(l) != 1 {
		t.Fatalf("running matches = %v, want this one", l)
	}
	b.request("match.resign", map[string]any{"match_id": id}, "match.finished")
	a.expect("match.finished", 5*time.Second)
	// A practice match of ada's: hers only, in nothing public.
	var practice struct {
		MatchID string `json:"match_id"`
	}
	a.request("queue.join", map[string]any{"mode": "practice"}, "match.state").get(&practice)
	// Resigned once it runs: a match left in its countdown is cancelled.
	a.next(5*time.Second, "running", func(f frame) bool {
		var d struct {
			State string `json:"state"`
		}
		f.get(&d)
		return f.Type == "match.state" && d.State == "running"
	})
	a.request("match.resign", map[string]any{"match_id": practice.MatchID}, "match.finished")
	isEmptyList := func(v any) bool { l, ok := v.([]any); return ok && len(l) == 0 }

	base := n.ts.URL + "/api/v1"
	cases := []struct {
		path   string
		token  string
		status int
		check  func(m map[string]any) bool
	}{
		{"/leaderboard", "", 200, func(m map[string]any) bool {
			es := m["entries"].([]any)
			top := es[0].(map[string]any)
			return len(es) == 2 && top["username"] == "ada" && top["provisional"] == true && m["me"] == nil &&
				top["win_streak"] == 1.0 && es[1].(map[string]any)["win_streak"] == 0.0 && // ada won (bob resigned)
				isEmptyList(m["changed"]) // a list, never null
		}},
		{"/leaderboard?offset=1", adaTok, 200, func(m map[string]any) bool { // ada's row not on the page: me has her streak
			return len(m["entries"].([]any)) == 1 && m["me"].(map[string]any)["win_streak"] == 1.0
		}},
		{"/leaderboard?board=weekly_xp&limit=1", adaTok, 200, func(m map[string]any) bool {
			return len(m["entries"].([]any)) == 1 && m["me"].(map[string]any)["username"] == "ada"
		}},
		{"/leaderboard?around=me&limit=1", bobTok, 200, func(m map[string]any) bool {
			return m["entries"].([]any)[0].(map[string]any)["username"] == "bob"
		}},
		{"/leaderboard?around=me", "", 401, nil},
		{"/leaderboard?board=elo", "", 400, nil},
		{"/leaderboard?limit=0", "", 400, nil},
		{"/leaderboard?limit=101", "", 400, nil},
		{"/leaderboard?offset=-1", "", 400, nil},
		{"/leaderboard?sort=xp", "", 400, nil},
		{"/users/ada", "", 200, func(m map[string]any) bool {
			u := m["user"].(map[string]any)
			rec := m["recent_matches"].([]any)
			return u["wins"] == 1.0 && u["rank"] == 1.0 && len(m["rating_history"].([]any)) == 1 &&
				len(rec) == 1 && rec[0].(map[string]any)["match_id"] == id && rec[0].(map[string]any)["result"] == "win"
		}},
		{"/me", adaTok, 200, func(m map[string]any) bool { return m["matches_played"] == 2.0 && m["created_at"] != "" }},
		{"/me", bobTok, 200, func(m map[string]any) bool { return m["matches_played"] == 1.0 }},
		{"/users/nobody", "", 404, nil},
		{"/matches/" + id, "", 200, func(m map[string]any) bool {
			mm := m["match"].(map[string]any)
			return mm["outcome"] == "resigned" && mm["winner_id"] == float64(ada.ID) && len(m["ratings"].([]any)) == 2
		}},
		{"/matches/nope", "", 404, nil},
		{"/matches?state=finished", "", 400, nil},
	}
	for _, c := range cases {
		status, m := getJSON(t, base+c.path, c.token)
		if status != c.status || c.check != nil && !c.check(m) {
			t.Errorf("GET %s: %d %v", c.path, status, m)
		}
	}
	if l := running(n.ts.URL + "/api/v1/matches"); len(l) != 0 {
		t.Fatalf("running matches after the end = %v", l)
	}
	// The lobby's public feed has the ranked match, not the practice one.
	c := connect(t, n, bobTok)
	var snap struct {
		Lobby struct {
			RecentMatches []struct {
				MatchID string `json:"match_id"`
			} `json:"recent_matches"`
		} `json:"lobby"`
	}
	c.request("hello", map[string]any{"client": "t"}, "snapshot").get(&snap)
	if rm := snap.Lobby.RecentMatches; len(rm) != 1 || rm[0].MatchID != id {
		t.Fatalf("lobby recent matches = %+v, want only %s (practice %s is not public)", rm, id, practice.MatchID)
	}
	st, _ := e.st.ArenaStats(context.Background(), bob.ID)
	if st.Losses != 1 {
		t.Fatalf("bob's record %+v", st)
	}
}
