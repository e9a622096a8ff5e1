package match

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// ProblemPolicy chooses the problem of a match.
//
// The target difficulty is the mean rating of the players. Problems played by
// any player in their last Recent matches are excluded. Among the rest, the
// closest to the target is found, and one is picked uniformly among all
// problems within Band of that closest distance, so two players who meet
// again do not always get the same problem.
type ProblemPolicy struct {
	Recent int     // how many of each player's latest matches exclude their problems
	Band   float64 // rating slack around the best distance for variety
}

// DefaultPolicy excludes the last 20 matches and picks within 100 points of
// the best fit.
func DefaultPolicy() ProblemPolicy { return ProblemPolicy{Recent: 20, Band: 100} }

// Choose returns the problem for players with the given ratings. recent[i]
// lists player i's problems, most recent first (longer lists are cut to
// Recent). pick(n) returns a uniform integer in [0, n); nil uses math/rand.
func (pp ProblemPolicy) Choose(problems []Problem, ratings []float64, recent [][]string, pick func(n int) int) (Problem, error) {
	if len(ratings) == 0 {
		return Problem{}, fmt.Errorf("%w: no players", ErrNoProblem)
	}
	var mean float64
	for _, r := range ratings {
		mean += r
	}
	mean /= float64(len(ratings))

	excluded := map[string]bool{}
	for _, list := range recent {
		for _, id := range list[:min(len(list), pp.Recent)] {
			excluded[id] = true
		}
	}
	var cands []Problem
	for _, p := range problems {
		if !excluded[p.ID] && p.ID != "" {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return Problem{}, fmt.Errorf("%w: all %d problems played recently", ErrNoProblem, len(problems))
	}
	dist := func(p Problem) float64 { return math.Abs(p.Rating - mean) }
	// Sort so the outcome depends only on the inputs and pick, not on the
	// order the caller listed the problems in.
	slices.SortFunc(cands, func(a, b Problem) int {
		if c := cmp.Compare(dist(a), dist(b)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	n := 1
	for n < len(cands) && dist(cands[n]) <= dist(cands[0])+pp.Band {
		n++
	}
	if pick == nil {
		pick = rand.IntN
	}
	i := pick(n)
	if i < 0 || i >= n {
		return Problem{}, fmt.Errorf("match: pick(%d) returned %d", n, i)
	}
	return cands[i], nil
}
