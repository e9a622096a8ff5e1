package tournament

import "slices"

// maxSearch bounds the backtracking of a Swiss pairing. Past it (a
// round count close to the number of players, where no pairing without
// rematches may exist) the fallback pairs by rank and allows rematches.
const maxSearch = 200_000

// PairSwiss pairs one Swiss round. Players are ranked by score (win 1,
// draw ½, bye 1), then rating at the start, then id. With an odd number
// of players the lowest-ranked player who has not had a bye gets one
// (it counts as a win). Then, from the top of the ranking, each unpaired
// player meets the highest-ranked unpaired player they have not met
// yet: players meet within their score group first and float down to the
// next group only when their group cannot pair them. The search
// backtracks so that nobody meets the same opponent twice while a
// pairing without rematches exists; when none does (more rounds than the
// field allows), rematches are allowed, still by rank. Board 1 is the
// top pairing; the bye is the last board.
func PairSwiss(ps []Player, history []Game, round int) []Game {
	score := Scores(history)
	met := map[[2]int64]bool{}
	hadBye := map[int64]bool{}
	for _, g := range history {
		if g.B == 0 {
			hadBye[g.A] = true
			continue
		}
		met[key(g.A, g.B)] = true
	}
	ranked := append([]Player(nil), ps...)
	sortPlayers(ranked, func(a, b Player) int {
		switch {
		case score[a.ID] > score[b.ID]:
			return -1
		case score[a.ID] < score[b.ID]:
			return 1
		}
		return cmpRating(a, b)
	})

	// Bye candidates from the bottom: those without a bye first.
	var byes []int
	if len(ranked)%2 == 1 {
		for i := len(ranked) - 1; i >= 0; i-- {
			if !hadBye[ranked[i].ID] {
				byes = append(byes, i)
			}
		}
		for i := len(ranked) - 1; i >= 0; i-- {
			if hadBye[ranked[i].ID] {
				byes = append(byes, i)
			}
		}
	} else {
		byes = []int{-1}
	}
	for _, strict := range []bool{true, false} {
		budget := maxSearch
		for _, bye := range byes {
			rest := make([]int64, 0, len(ranked))
			for i, p := range ranked {
				if i != bye {
					rest = append(rest, p.ID)
				}
			}
			pairs, ok := pairRest(rest, met, strict, &budget)
			if !ok {
				if budget <= 0 {
					break
				}
				continue
			}
			games := make([]Game, 0, len(pairs)+1)
			for i, pr := range pairs {
				games = append(games, Game{Round: round, Board: i + 1, A: pr[0], B: pr[1]})
			}
			if bye >= 0 {
				games = append(games, Game{Round: round, Board: len(games) + 1, A: ranked[bye].ID, Outcome: Bye})
			}
			return games
		}
	}
	// Unreachable: the non-strict pass always pairs an even list.
	return nil
}

// pairRest pairs ids (in ranking order, even length) by backtracking: the
// first unpaired player takes the highest-ranked partner allowed.
func pairRest(ids []int64, met map[[2]int64]bool, strict bool, budget *int) ([][2]int64, bool) {
	used := make([]bool, len(ids))
	pairs := make([][2]int64, 0, len(ids)/2)
	var rec func() bool
	rec = func() bool {
		first := slices.Index(used, false)
		if first < 0 {
			return true
		}
		used[first] = true
		for j := first + 1; j < len(ids); j++ {
			if used[j] || (strict && met[key(ids[first], ids[j])]) {
				continue
			}
			*budget--
			if *budget < 0 {
				break
			}
			used[j] = true
			pairs = append(pairs, [2]int64{ids[first], ids[j]})
			if rec() {
				return true
			}
			pairs = pairs[:len(pairs)-1]
			used[j] = false
		}
		used[first] = false
		return false
	}
	if len(ids) == 0 {
		return pairs, true
	}
	return pairs, rec()
}

func key(a, b int64) [2]int64 {
	if a > b {
		a, b = b, a
	}
	return [2]int64{a, b}
}

// Scores is each player's Swiss score over the games with an outcome.
func Scores(games []Game) map[int64]float64 {
	s := map[int64]float64{}
	for _, g := range games {
		a, b := g.Points()
		s[g.A] += a
		if g.B != 0 {
			s[g.B] += b
		}
	}
	return s
}

func sortPlayers(ps []Player, cmp func(a, b Player) int) { slices.SortStableFunc(ps, cmp) }
