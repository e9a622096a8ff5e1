package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/rating"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// flakyRatings fails RatedUsers while fail is set, and records the users
// each failed call asked for.
type flakyRatings struct {
	store.Store
	mu     sync.Mutex
	fail   bool
	failed [][]int64
}

func (f *flakyRatings) RatedUsers(ctx context.Context, ids []int64) ([]store.RatedUser, error) {
	f.mu.Lock()
	if f.fail {
		f.failed = append(f.failed, slices.Clone(ids))
		f.mu.Unlock()
		return nil, errors.New("injected: the store is down")
	}
	f.mu.Unlock()
	return f.Store.RatedUsers(ctx, ids)
}

func (f *flakyRatings) setFail(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = v
}

// failedFor counts the failed calls that asked for user.
func (f *flakyRatings) failedFor(user int64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, ids := range f.failed {
		if slices.Contains(ids, user) {
			n++
		}
	}
	return n
}

// TestOnlineByTier: lobby.state says who is online and in which tier, from
// the presence of every node: players on either node are listed with the
// rating, tier and provisional flag of the store, a match's new ratings
// show once it ended, a player who leaves is gone, a store error lists
// nobody with a made-up rating (the user appears once it is read), and the
// list is bounded while the counts per tier cover everyone.
func TestOnlineByTier(t *testing.T) {
	e := newEnv(t)
	flaky := &flakyRatings{Store: e.st}
	e.st = flaky
	e.addNode()
	e.addNode()
	e.waitLeader()
	us := e.users("on", 4)
	a, b, watcher := attach(t, e.nodes[0], us[0]), attach(t, e.nodes[1], us[1]), attach(t, e.nodes[0], us[2])

	lobbyWhere := func(what string, pred func(lobbyJSON) bool) lobbyJSON {
		t.Helper()
		var got lobbyJSON
		watcher.next(20*time.Second, what, func(f frame) bool {
			if f.Type != "lobby.state" {
				return false
			}
			var d lobbyJSON
			f.get(&d)
			if pred(d) {
				got = d
				return true
			}
			return false
		})
		return got
	}
	cardIn := func(d lobbyJSON, user int64) (protocol.CardPlayer, bool) {
		i := slices.IndexFunc(d.OnlinePlayers, func(c protocol.CardPlayer) bool { return c.UserID == user })
		if i < 0 {
			return protocol.CardPlayer{}, false
		}
		return d.OnlinePlayers[i], true
	}
	listed := func(users ...int64) func(lobbyJSON) bool {
		return func(d lobbyJSON) bool {
			for _, u := range users {
				if _, ok := cardIn(d, u); !ok {
					return false
				}
			}
			return true
		}
	}

	d := lobbyWhere("a, b and the watcher online", listed(us[0], us[1], us[2]))
	for i, u := range us[:3] {
		c, _ := cardIn(d, u)
		if want := (protocol.CardPlayer{UserID: u, Username: fmt.Sprintf("on%04d", i), Rating: 1500, Tier: "gold", Provisional: true}); c != want {
			t.Fatalf("card of %d = %+v, want %+v", u, c, want)
		}
	}
	if d.OnlineTiers["gold"] != 3 || len(d.OnlineTiers) != 1 {
		t.Fatalf("online_tiers = %v, want gold: 3", d.OnlineTiers)
	}

	// The store fails: a newcomer is not listed (nor counted) with a
	// default rating; the leader reads again and lists them once it can.
	flaky.setFail(true)
	attach(t, e.nodes[1], us[3])
	deadline := time.Now().Add(hangOnly)
	for flaky.failedFor(us[3]) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the leader never tried to read the newcomer's rating")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, f := range watcher.drain() {
		var d lobbyJSON
		if f.Type == "lobby.state" {
			f.get(&d)
			if _, ok := cardIn(d, us[3]); ok || d.OnlineTiers["gold"] > 3 {
				t.Fatalf("a user whose rating could not be read is listed: %+v", d)
			}
		}
	}
	flaky.setFail(false)
	lobbyWhere("the newcomer, once read", listed(us[3]))

	// A ranked match ends: the list shows the new ratings.
	id := startMatches(t, []*bot{a, b})[0]
	a.do(protocol.OpMatchResign, &protocol.MatchRef{MatchID: id}, protocol.EventMatchFinished)
	pa, err := e.st.Profile(context.Background(), us[0])
	if err != nil {
		t.Fatal(err)
	}
	pb, err := e.st.Profile(context.Background(), us[1])
	if err != nil {
		t.Fatal(err)
	}
	if pa.Rating >= 1500 || pb.Rating <= 1500 {
		t.Fatalf("ratings after the match: a %v, b %v", pa.Rating, pb.Rating)
	}
	d = lobbyWhere("the new ratings", func(d lobbyJSON) bool {
		ca, okA := cardIn(d, us[0])
		cb, okB := cardIn(d, us[1])
		return okA && okB && ca.Rating == math.Round(pa.Rating) && cb.Rating == math.Round(pb.Rating)
	})
	ca, _ := cardIn(d, us[0])
	cb, _ := cardIn(d, us[1])
	if ca.Tier != rating.TierOf(pa.Rating).ID || cb.Tier != rating.TierOf(pb.Rating).ID || ca.Tier == "gold" || cb.Tier == "gold" {
		t.Fatalf("tiers after the match: a %+v (rating %v), b %+v (rating %v)", ca, pa.Rating, cb, pb.Rating)
	}
	if i, j := slices.IndexFunc(d.OnlinePlayers, func(c protocol.CardPlayer) bool { return c.UserID == us[1] }),
		slices.IndexFunc(d.OnlinePlayers, func(c protocol.CardPlayer) bool { return c.UserID == us[0] }); i > j {
		t.Fatalf("the list is not by rating: %+v", d.OnlinePlayers)
	}

	// b leaves (their node was the other one): gone from the list and the counts.
	b.c.Detach()
	d = lobbyWhere("b gone", func(d lobbyJSON) bool { _, ok := cardIn(d, us[1]); return !ok })
	if _, ok := d.OnlineTiers[cb.Tier]; ok {
		t.Fatalf("online_tiers still counts b's %s: %v", cb.Tier, d.OnlineTiers)
	}
	if !listed(us[0], us[2], us[3])(d) {
		t.Fatalf("the others are gone too: %+v", d.OnlinePlayers)
	}

	// Many online: the list stops at onlineListMax, the counts do not.
	more := e.users("crowd", onlineListMax+5)
	for i, u := range more {
		attach(t, e.nodes[i%2], u)
	}
	total := 3 + len(more)
	d = lobbyWhere("everyone counted", func(d lobbyJSON) bool {
		n := 0
		for _, c := range d.OnlineTiers {
			n += c
		}
		return n == total
	})
	if len(d.OnlinePlayers) != onlineListMax {
		t.Fatalf("online_players: %d listed, want %d", len(d.OnlinePlayers), onlineListMax)
	}
	// By rating, then name: the crowd (1500) before a (who lost).
	if !slices.IsSortedFunc(d.OnlinePlayers, func(x, y protocol.CardPlayer) int {
		if x.Rating != y.Rating {
			return cmp.Compare(y.Rating, x.Rating)
		}
		return cmp.Compare(x.Username, y.Username)
	}) || d.OnlinePlayers[0].Username != "crowd0000" {
		t.Fatalf("online_players not by rating then name: %+v", d.OnlinePlayers)
	}
}

// TestPresenceOnlineUsers: the distinct users of every node heard from in
// the last presenceTTL, without the ones whose node went silent or who
// closed their last connection.
func TestPresenceOnlineUsers(t *testing.T) {
	now := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	p := newPresence(func() time.Time { return now })
	p.apply(presenceMsg{Node: "n1", Full: true, Online: []int64{3, 1}, Count: 2})
	p.apply(presenceMsg{Node: "n2", Full: true, Online: []int64{1, 2}, Count: 2})
	if got := p.onlineUsers(); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Fatalf("onlineUsers = %v, want [1 2 3]", got)
	}
	p.apply(presenceMsg{Node: "n2", User: 2, On: false, Count: 1})
	now = now.Add(presenceTTL - time.Second)
	p.apply(presenceMsg{Node: "n2", Full: true, Online: []int64{1}, Count: 1})
	now = now.Add(2 * time.Second) // n1 silent for longer than presenceTTL
	if got := p.onlineUsers(); !slices.Equal(got, []int64{1}) {
		t.Fatalf("onlineUsers = %v, want [1] (2 left, n1 silent)", got)
	}
}
