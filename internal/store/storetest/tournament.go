package storetest

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// testTournaments: a tournament's whole life (create, register up to the
// limit, check in, unregister, start with seeds, rounds with games and
// outcomes, end with places, the profile list) and every refusal, which
// writes nothing.
func testTournaments(t *testing.T, s Harness) {
	c := ctx(t)
	root := mustUser(t, s, "root")
	ada, bob, eve, dan := mustUser(t, s, "ada"), mustUser(t, s, "bob"), mustUser(t, s, "eve"), mustUser(t, s, "dan")
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 123456000, time.UTC)
	in := store.Tournament{Name: "Winter Swiss", Format: "swiss", SwissRounds: 2, StartsAt: t0, CheckIn: 10 * time.Minute,
		RoundBreak: 30 * time.Second, MatchLength: 5 * time.Minute, Problems: []string{"two-sum", "fizzbuzz"}, MaxPlayers: 3,
		CreatedBy: root.ID, CreatedAt: t0.Add(-time.Hour)}
	tr, err := s.CreateTournament(c, in)
	if err != nil {
		t.Fatalf("CreateTournament: %v", err)
	}
	want := in
	want.ID, want.State = tr.ID, store.TournamentScheduled
	if !reflect.DeepEqual(tr, want) {
		t.Fatalf("created\n got %+v\nwant %+v", tr, want)
	}
	other, err := s.CreateTournament(c, store.Tournament{Name: "Knockout", Format: "elimination", StartsAt: t0.Add(time.Hour),
		CreatedBy: root.ID, CreatedAt: t0})
	if err != nil {
		t.Fatalf("CreateTournament: %v", err)
	}
	if _, err := s.CreateTournament(c, store.Tournament{Name: "", Format: "swiss", StartsAt: t0, CreatedBy: root.ID, CreatedAt: t0}); err == nil {
		t.Fatal("a tournament without a name was stored")
	}
	if _, err := s.Tournament(c, 999999); err == nil {
		t.Fatal("Tournament(unknown) found")
	} else {
		wantErr(t, "Tournament(unknown)", err, store.ErrNotFound)
	}

	for i, u := range []store.User{ada, bob, eve} {
		if err := s.RegisterTournament(c, tr.ID, u.ID, t0.Add(-time.Duration(50-i)*time.Minute)); err != nil {
			t.Fatalf("register %s: %v", u.Username, err)
		}
	}
	wantErr(t, "register twice", s.RegisterTournament(c, tr.ID, ada.ID, t0), store.ErrLimit) // full first
	wantErr(t, "register over the limit", s.RegisterTournament(c, tr.ID, dan.ID, t0), store.ErrLimit)
	wantErr(t, "register in an unknown tournament", s.RegisterTournament(c, 999999, dan.ID, t0), store.ErrNotFound)
	if err := s.RegisterTournament(c, other.ID, ada.ID, t0); err != nil {
		t.Fatalf("register in the other: %v", err)
	}
	wantErr(t, "register twice", s.RegisterTournament(c, other.ID, ada.ID, t0), store.ErrConflict)
	if err := s.UnregisterTournament(c, tr.ID, eve.ID); err != nil {
		t.Fatalf("unregister: %v", err)
	}
	wantErr(t, "unregister again", s.UnregisterTournament(c, tr.ID, eve.ID), store.ErrNotFound)
	if err := s.RegisterTournament(c, tr.ID, dan.ID, t0.Add(-5*time.Minute)); err != nil {
		t.Fatalf("register dan after eve left: %v", err)
	}
	wantErr(t, "check in unregistered", s.CheckInTournament(c, tr.ID, eve.ID, t0), store.ErrNotFound)
	at := t0.Add(-9 * time.Minute)
	for _, u := range []store.User{ada, bob} {
		if err := s.CheckInTournament(c, tr.ID, u.ID, at); err != nil {
			t.Fatalf("check in %s: %v", u.Username, err)
		}
	}
	if err := s.CheckInTournament(c, tr.ID, ada.ID, at.Add(time.Minute)); err != nil {
		t.Fatalf("check in again: %v", err)
	}
	ps, err := s.TournamentPlayers(c, tr.ID)
	if err != nil {
		t.Fatalf("TournamentPlayers: %v", err)
	}
	if len(ps) != 3 || ps[0].Username != "ada" || !ps[0].CheckedInAt.Equal(at) || ps[1].Username != "bob" || ps[2].Username != "dan" ||
		!ps[2].CheckedInAt.IsZero() {
		t.Fatalf("players before the start: %+v", ps)
	}
	if got, _ := s.Tournament(c, tr.ID); got.Players != 3 {
		t.Fatalf("Players = %d, want 3", got.Players)
	}

	// Start: ada and bob play, dan did not check in.
	seeded := []store.TournamentPlayer{{UserID: bob.ID, Seed: 1, Rating: 1610}, {UserID: ada.ID, Seed: 2, Rating: 1500}}
	if err := s.StartTournament(c, tr.ID, seeded); err != nil {
		t.Fatalf("StartTournament: %v", err)
	}
	wantErr(t, "start twice", s.StartTournament(c, tr.ID, seeded), store.ErrConflict)
	wantErr(t, "register after the start", s.RegisterTournament(c, tr.ID, eve.ID, t0), store.ErrConflict)
	wantErr(t, "check in after the start", s.CheckInTournament(c, tr.ID, dan.ID, t0), store.ErrConflict)
	wantErr(t, "unregister after the start", s.UnregisterTournament(c, tr.ID, dan.ID), store.ErrConflict)
	ps, _ = s.TournamentPlayers(c, tr.ID)
	if ps[0].UserID != bob.ID || ps[0].Seed != 1 || ps[0].Rating != 1610 || ps[1].UserID != ada.ID || ps[1].Seed != 2 || ps[2].Seed != 0 {
		t.Fatalf("players after the start: %+v", ps)
	}

	r1 := store.TournamentRound{Round: 1, ProblemID: "two-sum", StartsAt: t0}
	g1 := []store.TournamentGame{{Round: 1, Board: 1, A: bob.ID, B: ada.ID, MatchID: "t1r1b1"}}
	wantErr(t, "round 2 before round 1", s.StartRound(c, tr.ID, store.TournamentRound{Round: 2, StartsAt: t0}, nil), store.ErrConflict)
	wantErr(t, "round of a scheduled tournament", s.StartRound(c, other.ID, r1, nil), store.ErrConflict)
	// Two schedulers pairing the same round at once: one wins.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = s.StartRound(c, tr.ID, r1, g1) }()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two StartRound of round 1: %v, %v; want exactly one to succeed", errs[0], errs[1])
	}
	if got, _ := s.Tournament(c, tr.ID); got.Round != 1 || got.State != store.TournamentRunning {
		t.Fatalf("after round 1: %+v", got)
	}
	wantErr(t, "unknown game", s.SetGameOutcome(c, tr.ID, 1, 2, "a", t0), store.ErrNotFound)
	done := t0.Add(4 * time.Minute)
	if err := s.SetGameOutcome(c, tr.ID, 1, 1, "b", done); err != nil {
		t.Fatalf("SetGameOutcome: %v", err)
	}
	if err := s.SetGameOutcome(c, tr.ID, 1, 1, "b", done.Add(time.Minute)); err != nil {
		t.Fatalf("SetGameOutcome again: %v", err)
	}
	wantErr(t, "a different outcome", s.SetGameOutcome(c, tr.ID, 1, 1, "a", done), store.ErrConflict)

	r2 := store.TournamentRound{Round: 2, ProblemID: "fizzbuzz", StartsAt: done.Add(30 * time.Second)}
	g2 := []store.TournamentGame{{Round: 2, Board: 1, A: ada.ID, B: bob.ID, MatchID: "t1r2b1"}, {Round: 2, Board: 2, A: dan.ID, Outcome: "bye"}}
	if err := s.StartRound(c, tr.ID, r2, g2); err != nil {
		t.Fatalf("StartRound 2: %v", err)
	}
	rounds, err := s.TournamentRounds(c, tr.ID)
	if err != nil {
		t.Fatalf("TournamentRounds: %v", err)
	}
	wantRounds := []store.TournamentRound{{Round: 1, ProblemID: "two-sum", StartsAt: t0, DoneAt: done}, r2}
	if !reflect.DeepEqual(rounds, wantRounds) {
		t.Fatalf("rounds\n got %+v\nwant %+v", rounds, wantRounds)
	}
	if err := s.SetGameOutcome(c, tr.ID, 2, 1, "draw", done.Add(5*time.Minute)); err != nil {
		t.Fatalf("SetGameOutcome round 2: %v", err)
	}
	games, err := s.TournamentGames(c, tr.ID)
	if err != nil {
		t.Fatalf("TournamentGames: %v", err)
	}
	g1[0].Outcome, g2[0].Outcome = "b", "draw"
	if wantGames := append(g1, g2...); !reflect.DeepEqual(games, wantGames) {
		t.Fatalf("games\n got %+v\nwant %+v", games, wantGames)
	}
	rounds, _ = s.TournamentRounds(c, tr.ID)
	if !rounds[1].DoneAt.Equal(done.Add(5 * time.Minute)) {
		t.Fatalf("round 2 done at %v", rounds[1].DoneAt)
	}

	end := done.Add(6 * time.Minute)
	if err := s.EndTournament(c, tr.ID, "running", end, nil); err == nil {
		t.Fatal("EndTournament to running accepted")
	}
	if err := s.EndTournament(c, tr.ID, store.TournamentFinished, end, map[int64]int{ada.ID: 1, bob.ID: 2}); err != nil {
		t.Fatalf("EndTournament: %v", err)
	}
	wantErr(t, "end twice", s.EndTournament(c, tr.ID, store.TournamentCancelled, end, nil), store.ErrConflict)
	wantErr(t, "round after the end", s.StartRound(c, tr.ID, store.TournamentRound{Round: 3, StartsAt: end}, nil), store.ErrConflict)
	if err := s.EndTournament(c, other.ID, store.TournamentCancelled, end, nil); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	got, _ := s.Tournament(c, tr.ID)
	if got.State != store.TournamentFinished || !got.FinishedAt.Equal(end) || got.Round != 2 {
		t.Fatalf("finished tournament: %+v", got)
	}

	list, err := s.ListTournaments(c, nil, 10)
	if err != nil || len(list) != 2 || list[0].ID != other.ID || list[1].ID != tr.ID {
		t.Fatalf("ListTournaments = %+v, %v", list, err)
	}
	list, err = s.ListTournaments(c, []string{store.TournamentFinished, store.TournamentRunning}, 10)
	if err != nil || len(list) != 1 || list[0].ID != tr.ID {
		t.Fatalf("ListTournaments(finished, running) = %+v, %v", list, err)
	}
	mine, err := s.UserTournaments(c, ada.ID, 10)
	if err != nil || len(mine) != 1 || mine[0].Tournament.ID != tr.ID || mine[0].Place != 1 || mine[0].Seed != 2 {
		t.Fatalf("UserTournaments(ada) = %+v, %v", mine, err)
	}
	if mine, err := s.UserTournaments(c, dan.ID, 10); err != nil || len(mine) != 0 {
		t.Fatalf("UserTournaments(dan, never seeded) = %+v, %v", mine, err)
	}
}
