package tournament

import (
	"cmp"
	"slices"
)

// Standing is one player's line in the standings.
type Standing struct {
	Rank     int
	PlayerID int64
	Seed     int
	Rating   float64 // at the start
	Points   float64 // win 1, draw ½, bye 1
	// Buchholz (Swiss): the sum of the final points of the opponents
	// met (a bye adds nothing).
	Buchholz                  float64
	Wins, Draws, Losses, Byes int
	// Out (elimination): the round the player was knocked out in; 0
	// while still in (or the champion).
	Out int
}

// Standings ranks the players over the games that have an outcome.
// Swiss: points, then Buchholz, then rating at the start, then id.
// Elimination: the players still in (the champion at the end) by seed,
// then the others by the round they went out in (later first), then by
// seed.
func Standings(format Format, ps []Player, games []Game) []Standing {
	idx := map[int64]int{}
	out := make([]Standing, len(ps))
	for i, p := range ps {
		idx[p.ID] = i
		out[i] = Standing{PlayerID: p.ID, Seed: p.Seed, Rating: p.Rating}
	}
	score := Scores(games)
	seed := seeds(ps)
	for _, g := range games {
		if g.Outcome == Pending {
			continue
		}
		ia, okA := idx[g.A]
		if !okA {
			continue
		}
		a := &out[ia]
		if g.Outcome == Bye || g.B == 0 {
			a.Byes++
			continue
		}
		ib, okB := idx[g.B]
		if !okB {
			continue
		}
		b := &out[ib]
		a.Buchholz += score[g.B]
		b.Buchholz += score[g.A]
		switch g.Outcome {
		case AWins:
			a.Wins++
			b.Losses++
		case BWins:
			b.Wins++
			a.Losses++
		case Draw:
			a.Draws++
			b.Draws++
		case Lost:
			a.Losses++
			b.Losses++
		}
		if format == Elimination {
			w := Winner(g, seed)
			if w == g.A {
				b.Out = g.Round
			} else {
				a.Out = g.Round
			}
			if g.Outcome == Lost { // the better seed advanced without a win
				if w == g.A {
					a.Losses--
				} else {
					b.Losses--
				}
			}
		}
	}
	for i := range out {
		out[i].Points = score[out[i].PlayerID]
	}
	if format == Elimination {
		slices.SortStableFunc(out, func(a, b Standing) int {
			if a.Out == 0 || b.Out == 0 {
				if a.Out != b.Out {
					if a.Out == 0 {
						return -1
					}
					return 1
				}
			} else if a.Out != b.Out {
				return cmp.Compare(b.Out, a.Out)
			}
			return cmp.Compare(a.Seed, b.Seed)
		})
	} else {
		slices.SortStableFunc(out, func(a, b Standing) int {
			if c := cmp.Compare(b.Points, a.Points); c != 0 {
				return c
			}
			if c := cmp.Compare(b.Buchholz, a.Buchholz); c != 0 {
				return c
			}
			if c := cmp.Compare(b.Rating, a.Rating); c != 0 {
				return c
			}
			return cmp.Compare(a.PlayerID, b.PlayerID)
		})
	}
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

func sortGames(gs []Game) {
	slices.SortStableFunc(gs, func(a, b Game) int {
		if c := cmp.Compare(a.Round, b.Round); c != 0 {
			return c
		}
		return cmp.Compare(a.Board, b.Board)
	})
}
