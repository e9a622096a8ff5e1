package service

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
)

// TestFeaturedProblem: the problem of the day depends on the date and the
// set only (not on load order), is one of the set, and changes over days.
func TestFeaturedProblem(t *testing.T) {
	langs, _ := judge.DefaultLanguages("")
	full, errs := LoadPlayable(filepath.Join(repoRoot(), "problems"), langs.IDs())
	if full == nil || full.Len() < 2 {
		t.Fatalf("load problems: %v", errs)
	}
	var infos, reversed []ProblemInfo
	for _, p := range full.list {
		infos = append(infos, *p)
	}
	for i := len(infos) - 1; i >= 0; i-- {
		reversed = append(reversed, infos[i])
	}
	other, err := NewPlayable(reversed, langs.IDs())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := range 60 {
		d := day.AddDate(0, 0, i).Format(time.DateOnly)
		p, ok := full.Featured(d)
		if !ok {
			t.Fatalf("no featured problem on %s", d)
		}
		if _, in := full.Get(p.ID); !in {
			t.Fatalf("featured %q is not playable", p.ID)
		}
		if q, _ := other.Featured(d); q.ID != p.ID {
			t.Fatalf("%s: %q from one load order, %q from another", d, p.ID, q.ID)
		}
		if again, _ := full.Featured(d); again.ID != p.ID {
			t.Fatalf("%s: featured changed between two calls", d)
		}
		seen[p.ID] = true
	}
	if len(seen) < 2 {
		t.Fatalf("60 days featured only %v out of %d problems", seen, full.Len())
	}
	empty, _ := NewPlayable(nil, langs.IDs())
	if empty != nil {
		if _, ok := empty.Featured("2026-12-01"); ok {
			t.Fatal("a featured problem without problems")
		}
	}
}

// TestLobbyFeatured: the lobby a client gets names today's problem.
func TestLobbyFeatured(t *testing.T) {
	e := newEnv(t)
	n := e.addNode()
	e.waitLeader()
	_, tok := e.user("ada")
	w := connect(t, n, tok)
	var s struct {
		Lobby struct {
			Featured *struct {
				Date       string `json:"date"`
				ID         string `json:"id"`
				Title      string `json:"title"`
				Difficulty int    `json:"difficulty"`
			} `json:"featured"`
		} `json:"lobby"`
	}
	for {
		before := time.Now().UTC().Format(time.DateOnly)
		w.request("hello", map[string]any{"client": "test"}, "snapshot").get(&s)
		if time.Now().UTC().Format(time.DateOnly) == before { // not across midnight
			break
		}
	}
	f := s.Lobby.Featured
	p := e.cat.list[0] // the env's one problem
	if f == nil || f.ID != p.ID || f.Title != p.Title || f.Difficulty != p.Rating || f.Date != time.Now().UTC().Format(time.DateOnly) {
		t.Fatalf("lobby featured = %+v, want today's %s", f, p.ID)
	}
}
