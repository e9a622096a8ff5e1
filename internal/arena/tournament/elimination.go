package tournament

import "fmt"

// BracketOrder is the standard seeding of a bracket of size players (a
// power of two): adjacent positions meet in round 1, and seeds 1 and 2
// can meet only in the final. Size 8: 1 8 4 5 2 7 3 6.
func BracketOrder(size int) []int {
	order := []int{1}
	for n := 2; n <= size; n *= 2 {
		next := make([]int, 0, n)
		for _, s := range order {
			next = append(next, s, n+1-s)
		}
		order = next
	}
	return order
}

// PairElimination pairs one round of a single-elimination bracket. Round
// 1 seeds the players by Seed into a bracket of the next power of two;
// the empty places (seeds past the field) give the top seeds a bye. Each
// later round pairs the winners of adjacent boards of the round before.
// A draw, or a game nobody won (Lost), advances the better seed.
func PairElimination(ps []Player, history []Game, round int) ([]Game, error) {
	total := Rounds(Elimination, 0, len(ps))
	if round < 1 || round > total {
		return nil, fmt.Errorf("tournament: an elimination of %d players has %d rounds, not %d", len(ps), total, round)
	}
	bySeed := map[int]int64{}
	for _, p := range ps {
		bySeed[p.Seed] = p.ID
	}
	var alive []int64 // in bracket order; 0 = empty place
	if round == 1 {
		for _, s := range BracketOrder(1 << total) {
			alive = append(alive, bySeed[s])
		}
	} else {
		prev := gamesOf(history, round-1)
		if len(prev) == 0 {
			return nil, fmt.Errorf("tournament: round %d has no games", round-1)
		}
		seed := seeds(ps)
		for _, g := range prev {
			alive = append(alive, Winner(g, seed))
		}
	}
	if len(alive)%2 == 1 {
		return nil, fmt.Errorf("tournament: round %d: odd number of places (%d)", round, len(alive))
	}
	var games []Game
	for i := 0; i < len(alive); i += 2 {
		a, b := alive[i], alive[i+1]
		g := Game{Round: round, Board: i/2 + 1, A: a, B: b}
		switch {
		case a == 0 && b == 0:
			return nil, fmt.Errorf("tournament: round %d board %d has no player", round, g.Board)
		case a == 0:
			g.A, g.B, g.Outcome = b, 0, Bye
		case b == 0:
			g.Outcome = Bye
		}
		games = append(games, g)
	}
	return games, nil
}

// Winner of an elimination game: a draw or no result advances the better
// seed (seed: player → seed).
func Winner(g Game, seed map[int64]int) int64 {
	switch g.Outcome {
	case AWins, Bye:
		return g.A
	case BWins:
		return g.B
	}
	if g.B == 0 || seed[g.A] < seed[g.B] {
		return g.A
	}
	return g.B
}

func seeds(ps []Player) map[int64]int {
	m := make(map[int64]int, len(ps))
	for _, p := range ps {
		m[p.ID] = p.Seed
	}
	return m
}

// gamesOf returns round r's games in board order.
func gamesOf(games []Game, r int) []Game {
	var out []Game
	for _, g := range games {
		if g.Round == r {
			out = append(out, g)
		}
	}
	sortGames(out)
	return out
}
