// Package rating implements the Glicko-2 rating system exactly as described
// in Mark Glickman, "Example of the Glicko-2 system" (glicko.net, 2022
// revision), including the Illinois variant of regula falsi for the new
// volatility (step 5.1–5.5).
//
// In SegFault Arena one rating period is one ranked match: after every match
// each player is updated against the opponent's pre-match rating, so both
// updates are independent of the order in which they are computed.
//
// Bounds (our additions to the paper, all in Config):
//   - RD never exceeds MaxRD (350, the RD of a new player): a player who has
//     not played for ages is as uncertain as a newcomer, never more.
//   - Rating never drops below Floor (100) so the displayed number stays
//     positive; it is applied after the update and only affects the player at
//     the floor. Set Floor to 0 or less to disable it.
package rating

import (
	"errors"
	"fmt"
	"math"
)

// scale converts between the Glicko scale (r, RD) and the Glicko-2 scale
// (μ, φ): μ = (r−1500)/scale, φ = RD/scale.
const scale = 173.7178

// Defaults for a new player and the system constant.
const (
	DefaultRating     = 1500.0
	DefaultRD         = 350.0
	DefaultVolatility = 0.06
	DefaultTau        = 0.5
	DefaultFloor      = 100.0
	// ProvisionalRD is the RD above which a leaderboard marks a rating as
	// provisional (about four or five matches against established players).
	ProvisionalRD = 110.0
)

// Rating is one player's state on the Glicko scale.
type Rating struct {
	R     float64 // rating, 1500 for a new player
	RD    float64 // rating deviation
	Sigma float64 // volatility
}

// New returns the rating of a player who has never played.
func New() Rating { return Rating{R: DefaultRating, RD: DefaultRD, Sigma: DefaultVolatility} }

// Provisional reports whether the rating is still too uncertain to rank.
func (r Rating) Provisional() bool { return r.RD > ProvisionalRD }

// Result is one game in a rating period, from the rated player's point of
// view: Score is 1 for a win, 0.5 for a draw, 0 for a loss.
type Result struct {
	Opponent Rating
	Score    float64
}

// Config holds the system constants. The zero value is not usable; start
// from Default().
type Config struct {
	Tau     float64 // constrains volatility change; the paper suggests 0.3–1.2
	Epsilon float64 // convergence tolerance of the volatility iteration
	MaxRD   float64 // RD cap
	Floor   float64 // minimum rating; <= 0 disables
}

// Default returns τ = 0.5, ε = 1e-6, RD cap 350, floor 100.
func Default() Config {
	return Config{Tau: DefaultTau, Epsilon: 1e-6, MaxRD: DefaultRD, Floor: DefaultFloor}
}

// ErrInvalid reports a rating or score outside its domain.
var ErrInvalid = errors.New("rating: invalid input")

func (c Config) validate() error {
	if !(c.Tau > 0) || math.IsInf(c.Tau, 0) {
		return fmt.Errorf("%w: tau %v must be positive", ErrInvalid, c.Tau)
	}
	if !(c.Epsilon > 0) {
		return fmt.Errorf("%w: epsilon %v must be positive", ErrInvalid, c.Epsilon)
	}
	if !(c.MaxRD > 0) {
		return fmt.Errorf("%w: max RD %v must be positive", ErrInvalid, c.MaxRD)
	}
	return nil
}

func validRating(r Rating) error {
	if math.IsNaN(r.R) || math.IsInf(r.R, 0) || !(r.RD > 0) || math.IsInf(r.RD, 0) ||
		!(r.Sigma > 0) || math.IsInf(r.Sigma, 0) {
		return fmt.Errorf("%w: rating %+v", ErrInvalid, r)
	}
	return nil
}

func g(phi float64) float64 { return 1 / math.Sqrt(1+3*phi*phi/(math.Pi*math.Pi)) }

func expected(mu, muj, phij float64) float64 { return 1 / (1 + math.Exp(-g(phij)*(mu-muj))) }

// ExpectedScore is the probability that a beats b (draws counting half).
func ExpectedScore(a, b Rating) float64 {
	return expected((a.R-DefaultRating)/scale, (b.R-DefaultRating)/scale, b.RD/scale)
}

// Update rates p after one rating period with the given results. With no
// results only the RD grows (step 6 of the paper: φ' = √(φ²+σ²)), which is
// how an idle period is handled.
func (c Config) Update(p Rating, results []Result) (Rating, error) {
	if err := c.validate(); err != nil {
		return Rating{}, err
	}
	if err := validRating(p); err != nil {
		return Rating{}, err
	}
	mu := (p.R - DefaultRating) / scale
	phi := p.RD / scale
	sigma := p.Sigma

	if len(results) == 0 {
		return c.bound(Rating{R: p.R, RD: math.Sqrt(phi*phi+sigma*sigma) * scale, Sigma: sigma}), nil
	}

	// Step 3 and 4: estimated variance v and improvement Δ.
	var invV, sum float64
	for _, res := range results {
		if err := validRating(res.Opponent); err != nil {
			return Rating{}, fmt.Errorf("opponent: %w", err)
		}
		if math.IsNaN(res.Score) || res.Score < 0 || res.Score > 1 {
			return Rating{}, fmt.Errorf("%w: score %v outside [0,1]", ErrInvalid, res.Score)
		}
		muj := (res.Opponent.R - DefaultRating) / scale
		phij := res.Opponent.RD / scale
		gj := g(phij)
		e := expected(mu, muj, phij)
		invV += gj * gj * e * (1 - e)
		sum += gj * (res.Score - e)
	}
	v := 1 / invV
	delta := v * sum

	// Step 5: new volatility.
	sigmaNew, err := c.volatility(phi, sigma, v, delta)
	if err != nil {
		return Rating{}, err
	}

	// Steps 6–8.
	phiStar := math.Sqrt(phi*phi + sigmaNew*sigmaNew)
	phiNew := 1 / math.Sqrt(1/(phiStar*phiStar)+1/v)
	muNew := mu + phiNew*phiNew*sum
	return c.bound(Rating{R: muNew*scale + DefaultRating, RD: phiNew * scale, Sigma: sigmaNew}), nil
}

func (c Config) bound(r Rating) Rating {
	if r.RD > c.MaxRD {
		r.RD = c.MaxRD
	}
	if c.Floor > 0 && r.R < c.Floor {
		r.R = c.Floor
	}
	return r
}

// maxIterations bounds the Illinois iteration. It converges superlinearly;
// well under 50 steps are needed for any finite input, so hitting the bound
// means the inputs were degenerate.
const maxIterations = 200

// volatility is step 5 of the paper: find x = ln σ'² as the root of f using
// the Illinois algorithm, starting from the bracket [A, B].
func (c Config) volatility(phi, sigma, v, delta float64) (float64, error) {
	tau := c.Tau
	a := math.Log(sigma * sigma)
	phi2, delta2 := phi*phi, delta*delta
	f := func(x float64) float64 {
		ex := math.Exp(x)
		d := phi2 + v + ex
		return ex*(delta2-phi2-v-ex)/(2*d*d) - (x-a)/(tau*tau)
	}

	A := a
	var B float64
	if delta2 > phi2+v {
		B = math.Log(delta2 - phi2 - v)
	} else {
		k := 1.0
		for f(a-k*tau) < 0 {
			k++
			if k > maxIterations {
				return 0, fmt.Errorf("%w: volatility bracket not found", ErrInvalid)
			}
		}
		B = a - k*tau
	}
	fA, fB := f(A), f(B)
	for i := 0; math.Abs(B-A) > c.Epsilon; i++ {
		if i == maxIterations {
			return 0, fmt.Errorf("%w: volatility did not converge", ErrInvalid)
		}
		C := A + (A-B)*fA/(fB-fA)
		fC := f(C)
		if fC*fB <= 0 {
			A, fA = B, fB
		} else {
			fA /= 2
		}
		B, fB = C, fC
	}
	return math.Exp(A / 2), nil
}

// Match rates a two-player game as one rating period for each player. scoreA
// is a's score (1 win, 0.5 draw, 0 loss); each player is updated against the
// other's pre-match rating.
func (c Config) Match(a, b Rating, scoreA float64) (Rating, Rating, error) {
	na, err := c.Update(a, []Result{{Opponent: b, Score: scoreA}})
	if err != nil {
		return Rating{}, Rating{}, fmt.Errorf("rate first player: %w", err)
	}
	nb, err := c.Update(b, []Result{{Opponent: a, Score: 1 - scoreA}})
	if err != nil {
		return Rating{}, Rating{}, fmt.Errorf("rate second player: %w", err)
	}
	return na, nb, nil
}

// Idle applies n rating periods without games (RD growth only), e.g. when a
// ranked season decays inactive players. n <= 0 returns r unchanged.
func (c Config) Idle(r Rating, n int) (Rating, error) {
	var err error
	for i := 0; i < n; i++ {
		if r, err = c.Update(r, nil); err != nil {
			return Rating{}, err
		}
		if r.RD >= c.MaxRD {
			break // capped: further periods change nothing
		}
	}
	return r, nil
}

// MatchWeighted is Match for a game that counts weight (0 < weight ≤ 1) of
// a game: each player moves that fraction of the way from the pre-match
// rating to the full update, in rating, RD and volatility alike. Weight 1
// is Match. The arena weighs down repeated pairings of the same two
// accounts (package fairplay) this way.
func (c Config) MatchWeighted(a, b Rating, scoreA, weight float64) (Rating, Rating, error) {
	if !(weight > 0 && weight <= 1) {
		return Rating{}, Rating{}, fmt.Errorf("%w: weight %v outside (0,1]", ErrInvalid, weight)
	}
	na, nb, err := c.Match(a, b, scoreA)
	if err != nil || weight == 1 {
		return na, nb, err
	}
	part := func(old, full Rating) Rating {
		return c.bound(Rating{R: old.R + weight*(full.R-old.R), RD: old.RD + weight*(full.RD-old.RD),
			Sigma: old.Sigma + weight*(full.Sigma-old.Sigma)})
	}
	return part(a, na), part(b, nb), nil
}
