package service

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// activeMatchesOf is the set of active matches the store has user u in.
func (e *env) activeMatchesOf(u int64) []string {
	e.t.Helper()
	ps, err := e.st.ActivePlayers(context.Background(), 1_000_000)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		if p.UserID == u {
			out = append(out, p.MatchID)
		}
	}
	return out
}

// idOwnedBy is a fresh match id that from's view gives to a node other than
// from, so that match.create crosses NATS.
func idOwnedElsewhere(t *testing.T, from *node, prefix string) string {
	t.Helper()
	for i := range 1000 {
		id := fmt.Sprintf("%s%d", prefix, i)
		if from.svc.OwnerOf(id) != from.svc.Node() {
			return id
		}
	}
	t.Fatal("no id owned by another node")
	return ""
}

// TestLateCreateNoDoubleBooking: a match.create that arrives late (sent by
// a matchmaker that since lost the lease, or that gave up waiting for the
// owner) for a player who was admitted to another match meanwhile is
// refused: the store never has a player in two active matches, the late
// match is not stored, and its other player is not left stuck. Two
// creates racing for the same player on two owners: exactly one starts.
func TestLateCreateNoDoubleBooking(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	e.addNode()
	e.addNode()
	e.waitLeader()
	us := e.users("lc", 6)
	a, b, c := us[0], us[1], us[2]
	ba, bb := attach(t, e.nodes[0], a), attach(t, e.nodes[1], b)
	m2 := startMatches(t, []*bot{ba, bb})[0]
	if got := e.activeMatchesOf(a); len(got) != 1 || got[0] != m2 {
		t.Fatalf("a is in %v, want [%s]", got, m2)
	}

	// The late match.create of a former matchmaker: a and c, sent from
	// node 1 to the match's owner.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // hang-only
	defer cancel()
	from := e.nodes[0]
	late := idOwnedElsewhere(t, from, "late")
	req := createReq{MatchID: late, Mode: protocol.ModeRanked, Players: []playerInfo{
		{UserID: a, Username: "lc0000", Rating: 1500, RD: 350}, {UserID: c, Username: "lc0002", Rating: 1500, RD: 350}}}
	_, err := from.svc.do(ctx, call{User: a, Node: from.svc.Node(), At: time.Now()}, opMatchCreate, &req)
	if errcode.CodeOf(err) != errcode.AlreadyInMatch {
		t.Fatalf("late match.create: %v, want already_in_match", err)
	}
	if got := e.activeMatchesOf(a); len(got) != 1 || got[0] != m2 {
		t.Fatalf("after the late create a is in %v, want only [%s]", got, m2)
	}
	if got := e.activeMatchesOf(c); len(got) != 0 {
		t.Fatalf("c is in %v after a refused create", got)
	}
	if _, err := e.st.ArenaMatch(ctx, late); err == nil {
		t.Fatalf("the refused match %s is stored", late)
	}
	if e.owner(late).svc.shard.lookup(late) != nil {
		t.Fatalf("the refused match %s is live on its owner", late)
	}
	// c is free: practice starts.
	bc := attach(t, e.nodes[1], c)
	bc.do(protocol.OpQueueJoin, map[string]any{"mode": "practice"}, protocol.EventMatchState)

	// Two creates racing for d on both owners: exactly one starts.
	d, x, y := us[3], us[4], us[5]
	id1 := idOwnedElsewhere(t, e.nodes[0], "race")
	id2 := idOwnedElsewhere(t, e.nodes[1], "race")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, r := range []struct {
		id    string
		other int64
		n     *node
	}{{id1, x, e.nodes[0]}, {id2, y, e.nodes[1]}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rq := createReq{MatchID: r.id, Mode: protocol.ModeCasual, Players: []playerInfo{
				{UserID: d, Username: "lc0003", Rating: 1500, RD: 350}, {UserID: r.other, Username: "other", Rating: 1500, RD: 350}}}
			_, errs[i] = r.n.svc.do(ctx, call{User: d, Node: r.n.svc.Node(), At: time.Now()}, opMatchCreate, &rq)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errcode.CodeOf(err) != errcode.AlreadyInMatch:
			t.Fatalf("racing create: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of 2 racing creates for one player started (%v)", ok, errs)
	}
	if got := e.activeMatchesOf(d); len(got) != 1 {
		t.Fatalf("d is in %v, want exactly one active match", got)
	}
}
