package tournament

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

func field(ratings ...float64) []Player {
	ps := make([]Player, len(ratings))
	for i, r := range ratings {
		ps[i] = Player{ID: int64(i + 1), Rating: r}
	}
	return Seed(ps)
}

func pairsOf(gs []Game) [][3]int64 {
	var out [][3]int64
	for _, g := range gs {
		out = append(out, [3]int64{int64(g.Board), g.A, g.B})
	}
	return out
}

func TestSeed(t *testing.T) {
	ps := Seed([]Player{{ID: 3, Rating: 1500}, {ID: 1, Rating: 1600}, {ID: 2, Rating: 1500}})
	want := []Player{{ID: 1, Rating: 1600, Seed: 1}, {ID: 2, Rating: 1500, Seed: 2}, {ID: 3, Rating: 1500, Seed: 3}}
	if !reflect.DeepEqual(ps, want) {
		t.Fatalf("Seed = %+v, want %+v", ps, want)
	}
}

func TestSwissPairing(t *testing.T) {
	// ids 1..6 with ratings in id order descending: 1 is the best.
	six := field(1900, 1800, 1700, 1600, 1500, 1400)
	five := field(1900, 1800, 1700, 1600, 1500)
	tests := []struct {
		name    string
		ps      []Player
		history []Game
		round   int
		want    [][3]int64 // board, a, b (b 0 = bye)
	}{
		{name: "round 1 by rating", ps: six, round: 1, want: [][3]int64{{1, 1, 2}, {2, 3, 4}, {3, 5, 6}}},
		{name: "odd field: bye to the lowest", ps: five, round: 1, want: [][3]int64{{1, 1, 2}, {2, 3, 4}, {3, 5, 0}}},
		{
			name: "score groups first, no rematch", ps: six, round: 2,
			history: []Game{{Round: 1, Board: 1, A: 1, B: 2, Outcome: BWins}, {Round: 1, Board: 2, A: 3, B: 4, Outcome: AWins},
				{Round: 1, Board: 3, A: 5, B: 6, Outcome: BWins}},
			// winners 2, 3, 6 (by rating 2 > 3 > 6); losers 1, 4, 5.
			// 2-3, then 6 floats down to meet 1 (the best loser), 4-5.
			want: [][3]int64{{1, 2, 3}, {2, 6, 1}, {3, 4, 5}},
		},
		{
			name: "bye to the lowest-ranked without a bye", ps: five, round: 2,
			history: []Game{{Round: 1, Board: 1, A: 1, B: 2, Outcome: AWins}, {Round: 1, Board: 2, A: 3, B: 4, Outcome: AWins},
				{Round: 1, Board: 3, A: 5, Outcome: Bye}},
			// scores: 1, 3, 5 have 1 (ranked 1, 3, 5), 2, 4 have 0. 4 is last
			// and had no bye: 4 gets it; 1-3, then 5 (met nobody) - 2.
			want: [][3]int64{{1, 1, 3}, {2, 5, 2}, {3, 4, 0}},
		},
		{
			name: "draws count a half", ps: field(1900, 1800, 1700, 1600), round: 2,
			history: []Game{{Round: 1, Board: 1, A: 1, B: 2, Outcome: Draw}, {Round: 1, Board: 2, A: 3, B: 4, Outcome: AWins}},
			// 3 (1), then 1, 2 (½), then 4 (0): 3-1, 2-4.
			want: [][3]int64{{1, 3, 1}, {2, 2, 4}},
		},
		{
			name: "backtracks to avoid a rematch at the bottom", ps: field(1900, 1800, 1700, 1600), round: 3,
			history: []Game{
				{Round: 1, Board: 1, A: 1, B: 2, Outcome: AWins}, {Round: 1, Board: 2, A: 3, B: 4, Outcome: AWins},
				{Round: 2, Board: 1, A: 1, B: 3, Outcome: AWins}, {Round: 2, Board: 2, A: 2, B: 4, Outcome: AWins}},
			// 1 (2), 2 (1), 3 (1), 4 (0): 1 met 2 and 3: 1-4, 2-3.
			want: [][3]int64{{1, 1, 4}, {2, 2, 3}},
		},
		{
			name: "rematch only when unavoidable", ps: field(1900, 1800), round: 2,
			history: []Game{{Round: 1, Board: 1, A: 1, B: 2, Outcome: AWins}},
			want:    [][3]int64{{1, 1, 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, err := Pair(Swiss, tt.ps, tt.history, tt.round)
			if err != nil {
				t.Fatal(err)
			}
			if got := pairsOf(gs); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("pairs = %v, want %v", got, tt.want)
			}
			for _, g := range gs {
				if g.Round != tt.round {
					t.Fatalf("game %+v not in round %d", g, tt.round)
				}
				if (g.B == 0) != (g.Outcome == Bye) {
					t.Fatalf("game %+v: a bye must have no opponent and the Bye outcome", g)
				}
			}
		})
	}
}

func TestPairRefusesIncompleteHistory(t *testing.T) {
	ps := field(1900, 1800)
	if _, err := Pair(Swiss, ps, []Game{{Round: 1, Board: 1, A: 1, B: 2}}, 2); err == nil {
		t.Fatal("paired round 2 while round 1 has no result")
	}
	if _, err := Pair(Swiss, ps[:1], nil, 1); err != ErrTooFewPlayers {
		t.Fatalf("one player: %v, want ErrTooFewPlayers", err)
	}
	if _, err := Pair("knockout", ps, nil, 1); err == nil {
		t.Fatal("unknown format accepted")
	}
}

// simulate plays a whole tournament with random outcomes (the better
// rating wins more often) and checks the invariants of every round.
func simulate(t *testing.T, format Format, n, rounds int, rng *rand.Rand) ([]Player, []Game) {
	t.Helper()
	ps := make([]Player, n)
	for i := range ps {
		ps[i] = Player{ID: int64(100 + i), Rating: float64(1000 + rng.IntN(1200))}
	}
	ps = Seed(ps)
	total := Rounds(format, rounds, n)
	var games []Game
	met := map[[2]int64]int{}
	byes := map[int64]int{}
	for r := 1; r <= total; r++ {
		gs, err := Pair(format, ps, games, r)
		if err != nil {
			t.Fatalf("round %d: %v", r, err)
		}
		seen := map[int64]bool{}
		for i, g := range gs {
			if g.Board != i+1 {
				t.Fatalf("round %d: board %d at %d", r, g.Board, i+1)
			}
			for _, id := range []int64{g.A, g.B} {
				if id == 0 {
					continue
				}
				if seen[id] {
					t.Fatalf("round %d: player %d plays twice", r, id)
				}
				seen[id] = true
			}
			if g.B == 0 {
				byes[g.A]++
				continue
			}
			met[key(g.A, g.B)]++
			// outcome
			pa := 0.5
			x := rng.Float64()
			switch {
			case x < 0.1:
				gs[i].Outcome = Draw
			case x < 0.1+0.9*pa:
				gs[i].Outcome = AWins
			default:
				gs[i].Outcome = BWins
			}
		}
		if format == Swiss && len(seen) != n {
			t.Fatalf("round %d: %d of %d players paired", r, len(seen), n)
		}
		games = append(games, gs...)
	}
	if format == Swiss && rounds < n {
		for k, c := range met {
			if c > 1 {
				t.Fatalf("%v met %d times in %d rounds of %d players", k, c, rounds, n)
			}
		}
		for id, c := range byes {
			if c > 1 {
				t.Fatalf("player %d had %d byes", id, c)
			}
		}
	}
	return ps, games
}

func TestSwissInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ n, rounds int }{{2, 1}, {3, 2}, {4, 3}, {5, 4}, {7, 5}, {8, 5}, {9, 6}, {16, 7}, {33, 6}, {64, 6}, {256, 5}} {
		for trial := 0; trial < 5; trial++ {
			t.Run(fmt.Sprintf("%dp%dr/%d", c.n, c.rounds, trial), func(t *testing.T) {
				ps, games := simulate(t, Swiss, c.n, c.rounds, rng)
				st := Standings(Swiss, ps, games)
				checkSwissStandings(t, ps, games, st)
			})
		}
	}
}

func checkSwissStandings(t *testing.T, ps []Player, games []Game, st []Standing) {
	t.Helper()
	if len(st) != len(ps) {
		t.Fatalf("%d standings for %d players", len(st), len(ps))
	}
	score := map[int64]float64{}
	for _, g := range games {
		a, b := g.Points()
		score[g.A] += a
		score[g.B] += b
	}
	total := 0.0
	for i, s := range st {
		if s.Rank != i+1 {
			t.Fatalf("rank %d at %d", s.Rank, i+1)
		}
		if s.Points != score[s.PlayerID] {
			t.Fatalf("player %d: %v points, want %v", s.PlayerID, s.Points, score[s.PlayerID])
		}
		if float64(s.Wins+s.Byes)+0.5*float64(s.Draws) != s.Points {
			t.Fatalf("player %d: W%d D%d B%d but %v points", s.PlayerID, s.Wins, s.Draws, s.Byes, s.Points)
		}
		if i > 0 {
			p := st[i-1]
			if p.Points < s.Points || (p.Points == s.Points && p.Buchholz < s.Buchholz) {
				t.Fatalf("rank %d (%v, %v) above rank %d (%v, %v)", p.Rank, p.Points, p.Buchholz, s.Rank, s.Points, s.Buchholz)
			}
		}
		total += s.Points
	}
	// Each game hands out one point (a draw two halves, a bye one).
	played := 0
	for _, g := range games {
		if g.Outcome != Lost {
			played++
		}
	}
	if total != float64(played) {
		t.Fatalf("%v points handed out in %d games", total, played)
	}
}

func TestStandingsSwiss(t *testing.T) {
	ps := field(1900, 1800, 1700, 1600, 1500)
	games := []Game{
		{Round: 1, Board: 1, A: 1, B: 2, Outcome: AWins}, {Round: 1, Board: 2, A: 3, B: 4, Outcome: BWins}, {Round: 1, Board: 3, A: 5, Outcome: Bye},
		{Round: 2, Board: 1, A: 1, B: 4, Outcome: Draw}, {Round: 2, Board: 2, A: 5, B: 2, Outcome: BWins}, {Round: 2, Board: 3, A: 3, Outcome: Bye},
	}
	// points: 1: 1.5, 2: 1, 3: 1, 4: 1.5, 5: 1.
	// Buchholz: 1: p2 + p4 = 2.5; 4: p3 + p1 = 2.5; 2: p1 + p5 = 2.5;
	// 3: p4 = 1.5; 5: p2 = 1.
	st := Standings(Swiss, ps, games)
	type line struct {
		id    int64
		pts   float64
		bh    float64
		w, d  int
		l, by int
	}
	var got []line
	for _, s := range st {
		got = append(got, line{s.PlayerID, s.Points, s.Buchholz, s.Wins, s.Draws, s.Losses, s.Byes})
	}
	want := []line{
		{1, 1.5, 2.5, 1, 1, 0, 0}, // ties 4 on points and Buchholz: rating
		{4, 1.5, 2.5, 1, 1, 0, 0},
		{2, 1, 2.5, 1, 0, 1, 0},
		{3, 1, 1.5, 0, 0, 1, 1},
		{5, 1, 1, 0, 0, 1, 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("standings\n got %v\nwant %v", got, want)
	}
	// Pending games count for nothing.
	pending := append(games[:3:3], Game{Round: 2, Board: 1, A: 1, B: 4})
	if st := Standings(Swiss, ps, pending); st[0].PlayerID != 1 || st[0].Points != 1 || st[0].Buchholz != 0 {
		t.Fatalf("pending game counted: %+v", st[0])
	}
}

func TestBracketOrder(t *testing.T) {
	for size, want := range map[int][]int{1: {1}, 2: {1, 2}, 4: {1, 4, 2, 3}, 8: {1, 8, 4, 5, 2, 7, 3, 6}} {
		if got := BracketOrder(size); !reflect.DeepEqual(got, want) {
			t.Errorf("BracketOrder(%d) = %v, want %v", size, got, want)
		}
	}
}

func TestElimination(t *testing.T) {
	six := field(1900, 1800, 1700, 1600, 1500, 1400) // seed = id
	r1, err := Pair(Elimination, six, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	// bracket of 8: 1-8 4-5 2-7 3-6; seeds 7 and 8 are empty: 1 and 2 get byes.
	want := [][3]int64{{1, 1, 0}, {2, 4, 5}, {3, 2, 0}, {4, 3, 6}}
	if got := pairsOf(r1); !reflect.DeepEqual(got, want) {
		t.Fatalf("round 1 = %v, want %v", got, want)
	}
	if r1[0].Outcome != Bye || r1[2].Outcome != Bye || r1[1].Outcome != Pending {
		t.Fatalf("byes not decided: %+v", r1)
	}
	r1[1].Outcome = BWins // 5 beats 4
	r1[3].Outcome = Draw  // 3 advances (better seed)
	r2, err := Pair(Elimination, six, r1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pairsOf(r2), [][3]int64{{1, 1, 5}, {2, 2, 3}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("round 2 = %v, want %v", got, want)
	}
	r2[0].Outcome, r2[1].Outcome = BWins, Lost // 5 upsets 1; 2 advances without a result
	history := append(r1, r2...)
	r3, err := Pair(Elimination, six, history, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pairsOf(r3), [][3]int64{{1, 5, 2}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("final = %v, want %v", got, want)
	}
	r3[0].Outcome = AWins
	history = append(history, r3...)
	if _, err := Pair(Elimination, six, history, 4); err == nil {
		t.Fatal("paired a round after the final")
	}
	var order []int64
	var outs []int
	for _, s := range Standings(Elimination, six, history) {
		order = append(order, s.PlayerID)
		outs = append(outs, s.Out)
	}
	// champion 5; final loser 2; semi losers 1, 3 (by seed); round 1: 4, 6.
	if want := []int64{5, 2, 1, 3, 4, 6}; !reflect.DeepEqual(order, want) {
		t.Fatalf("standings %v, want %v", order, want)
	}
	if want := []int{0, 3, 2, 2, 1, 1}; !reflect.DeepEqual(outs, want) {
		t.Fatalf("out rounds %v, want %v", outs, want)
	}
}

func TestEliminationInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{2, 3, 5, 8, 13, 16, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ps, games := simulate(t, Elimination, n, 0, rng)
			st := Standings(Elimination, ps, games)
			if st[0].Out != 0 {
				t.Fatalf("champion out in round %d", st[0].Out)
			}
			for _, s := range st[1:] {
				if s.Out == 0 {
					t.Fatalf("two players still in after the final: %+v", st)
				}
			}
			// Only the top seeds get byes, only in round 1.
			size := 1 << Rounds(Elimination, 0, n)
			for _, g := range games {
				if g.B == 0 && (g.Round != 1 || seeds(ps)[g.A] > size-n) {
					t.Fatalf("bye %+v (n=%d, size=%d)", g, n, size)
				}
			}
		})
	}
}

func TestNext(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	sch := Schedule{StartsAt: t0, CheckIn: 10 * time.Minute, RoundBreak: 30 * time.Second}
	ps := field(1900, 1800, 1700)
	r1 := []Game{{Round: 1, Board: 1, A: 1, B: 2, Outcome: AWins}, {Round: 1, Board: 2, A: 3, Outcome: Bye}}
	r1pending := []Game{{Round: 1, Board: 1, A: 1, B: 2}, {Round: 1, Board: 2, A: 3, Outcome: Bye}}
	done := t0.Add(5 * time.Minute)
	tests := []struct {
		name string
		v    View
		now  time.Time
		want Action
	}{
		{"before the start", View{State: Scheduled, Schedule: sch, CheckedIn: 5}, t0.Add(-time.Second), Action{At: t0}},
		{"start", View{State: Scheduled, Schedule: sch, CheckedIn: 2}, t0, Action{Step: Start}},
		{"too few checked in", View{State: Scheduled, Schedule: sch, CheckedIn: 1}, t0, Action{Step: Cancel}},
		{"round 1", View{State: Running, Format: Swiss, SwissRounds: 2, Schedule: sch, Players: ps}, t0, Action{Step: PairRound, Round: 1}},
		{"results pending", View{State: Running, Format: Swiss, SwissRounds: 2, Schedule: sch, Players: ps, Games: r1pending, Round: 1}, t0,
			Action{Step: Record, Round: 1}},
		{"break", View{State: Running, Format: Swiss, SwissRounds: 2, Schedule: sch, Players: ps, Games: r1, Round: 1, RoundDone: done},
			done.Add(29 * time.Second), Action{At: done.Add(30 * time.Second)}},
		{"round 2 on the clock", View{State: Running, Format: Swiss, SwissRounds: 2, Schedule: sch, Players: ps, Games: r1, Round: 1, RoundDone: done},
			done.Add(30 * time.Second), Action{Step: PairRound, Round: 2}},
		{"finish", View{State: Running, Format: Swiss, SwissRounds: 1, Schedule: sch, Players: ps, Games: r1, Round: 1, RoundDone: done},
			done, Action{Step: Finish}},
		{"elimination of 3 has 2 rounds", View{State: Running, Format: Elimination, Schedule: sch, Players: ps, Games: r1, Round: 1, RoundDone: done},
			done.Add(time.Minute), Action{Step: PairRound, Round: 2}},
		{"finished", View{State: Finished}, t0, Action{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Next(tt.v, tt.now); got != tt.want {
				t.Fatalf("Next = %+v, want %+v", got, tt.want)
			}
		})
	}
	if !sch.CheckInOpen(t0.Add(-10*time.Minute)) || sch.CheckInOpen(t0.Add(-11*time.Minute)) || sch.CheckInOpen(t0) {
		t.Fatal("check-in window")
	}
}
