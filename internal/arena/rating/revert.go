package rating

// minRevertRD keeps a reverted RD positive; Glicko-2 needs φ > 0.
const minRevertRD = 1.0

// Revert undoes one match's move from → to (to is what the match
// replaced, from what it wrote) on a player's current rating cur: the
// rule of a voided match (README, "Voided matches").
//
// When cur still equals from (no rated match of the player finished since),
// the answer is to exactly and exact is true. Otherwise later matches
// moved the rating: the inverse delta to − from is applied to each of R,
// RD and Sigma of cur (later matches are not replayed: they were played,
// and rated, against the ratings as they then were); R stays at or above
// the floor, RD within [1, MaxRD], and Sigma keeps cur's when the delta
// would make it non-positive. knownSigma false (a match finished before
// volatility was recorded) leaves Sigma as it is.
func (c Config) Revert(cur, from, to Rating, knownSigma bool) (r Rating, exact bool) {
	if !knownSigma {
		from.Sigma, to.Sigma = cur.Sigma, cur.Sigma
	}
	if cur == from {
		return to, true
	}
	r = Rating{R: cur.R + (to.R - from.R), RD: cur.RD + (to.RD - from.RD), Sigma: cur.Sigma + (to.Sigma - from.Sigma)}
	if c.Floor > 0 && r.R < c.Floor {
		r.R = c.Floor
	}
	r.RD = min(max(r.RD, minRevertRD), c.MaxRD)
	if r.Sigma <= 0 {
		r.Sigma = cur.Sigma
	}
	return r, false
}
