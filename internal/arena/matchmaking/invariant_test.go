package matchmaking

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// TestRandomActionsKeepInvariants drives the lobby with random actions from
// 24 players and checks after every step that nobody is in two places and
// that every rejection carries a code.
func TestRandomActionsKeepInvariants(t *testing.T) {
	l, clk := newLobby(t)
	r := rand.New(rand.NewPCG(11, 13))
	modes := []Mode{Ranked, Casual, FFA, "bogus"}
	var lastRoom string
	for step := 0; step < 8000; step++ {
		u := int64(1 + r.IntN(24))
		var err error
		switch r.IntN(11) {
		case 0, 1, 2:
			_, err = l.Enqueue(u, modes[r.IntN(len(modes))], 1200+float64(r.IntN(800)), float64(r.IntN(350)))
		case 3:
			err = l.Leave(u)
		case 4:
			res := l.Tick()
			for _, p := range res.Proposed {
				if p.AcceptBy != clk.Now().Add(15*time.Second) {
					t.Fatalf("proposal deadline %v", p.AcceptBy)
				}
			}
		case 5:
			if st := l.Status(u); st.State == Proposed {
				_, _, err = l.Accept(u, st.ProposalID)
			} else {
				_, _, err = l.Accept(u, "unknown")
			}
		case 6:
			if st := l.Status(u); st.State == Proposed {
				_, err = l.Decline(u, st.ProposalID)
			}
		case 7:
			clk.Advance(time.Duration(r.IntN(8000)) * time.Millisecond)
		case 8:
			var room Room
			if room, err = l.CreateRoom(u); err == nil {
				lastRoom = room.Code
			}
		case 9:
			if lastRoom != "" {
				if r.IntN(3) == 0 {
					_, err = l.StartRoom(u)
				} else {
					_, err = l.JoinRoom(u, lastRoom)
				}
			}
		case 10:
			if r.IntN(2) == 0 {
				l.Release(u)
			} else {
				_, err = l.LeaveRoom(u)
			}
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" {
				t.Fatalf("step %d: error without code: %v", step, err)
			}
		}
		checkOnePlace(t, step, l.Snapshot())
	}
}

func checkOnePlace(t *testing.T, step int, s State) {
	t.Helper()
	where := map[int64]string{}
	put := func(u int64, place string) {
		if prev, ok := where[u]; ok {
			t.Fatalf("step %d: user %d in %s and %s", step, u, prev, place)
		}
		where[u] = place
	}
	for _, tk := range s.Waiting {
		put(tk.UserID, "queue")
	}
	for _, p := range s.Proposals {
		for _, tk := range p.Tickets {
			put(tk.UserID, "proposal")
		}
	}
	for _, u := range s.Playing {
		put(u, "match")
	}
	for _, r := range s.Rooms {
		if len(r.Members) == 0 || len(r.Members) > 8 {
			t.Fatalf("step %d: room with %d members", step, len(r.Members))
		}
		for _, u := range r.Members {
			put(u, "room")
		}
	}
}
