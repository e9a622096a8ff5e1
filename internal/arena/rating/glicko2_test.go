package rating

import (
	"errors"
	"math"
	"testing"
)

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// TestPaperExample reproduces the worked example of Glickman's paper to the
// precision printed there.
func TestPaperExample(t *testing.T) {
	p := Rating{R: 1500, RD: 200, Sigma: 0.06}
	results := []Result{
		{Opponent: Rating{R: 1400, RD: 30, Sigma: 0.06}, Score: 1},
		{Opponent: Rating{R: 1550, RD: 100, Sigma: 0.06}, Score: 0},
		{Opponent: Rating{R: 1700, RD: 300, Sigma: 0.06}, Score: 0},
	}
	got, err := Default().Update(p, results)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("r'=%.4f RD'=%.4f σ'=%.7f", got.R, got.RD, got.Sigma)
	// The paper rounds its intermediate quantities (it computes r' from the
	// rounded μ' = −0.2069, giving 1464.06, where the unrounded value is
	// 1464.05), so "the paper's printed precision" means: within one unit of
	// the last printed digit.
	checks := []struct {
		name       string
		got, paper float64
		unit       float64
	}{
		{"r'", got.R, 1464.06, 0.01},
		{"RD'", got.RD, 151.52, 0.01},
		{"σ'", got.Sigma, 0.05999, 0.00001},
		{"μ'", (got.R - 1500) / scale, -0.2069, 0.0001},
		{"φ'", got.RD / scale, 0.8722, 0.0001},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.paper) > c.unit {
			t.Errorf("%s = %v, paper %v (tolerance %v)", c.name, c.got, c.paper, c.unit)
		}
	}
	// A wrong volatility step (e.g. a bracket that misses the root) shows up
	// as σ' far from 0.05999; a wrong v or Δ as r' off by whole points.
	if r := round((got.R-1500)/scale, 4)*scale + 1500; round(r, 2) != 1464.06 {
		t.Errorf("r' from the rounded μ' = %.2f, paper 1464.06", r)
	}
}

func TestNoGamesGrowsRD(t *testing.T) {
	c := Default()
	tests := []struct {
		name   string
		in     Rating
		wantRD float64
	}{
		{"grows by sigma", Rating{R: 1700, RD: 200, Sigma: 0.06},
			math.Sqrt(math.Pow(200/scale, 2)+0.06*0.06) * scale},
		{"capped at 350", Rating{R: 1700, RD: 349.9, Sigma: 0.5}, 350},
		{"already at cap", Rating{R: 1700, RD: 350, Sigma: 0.06}, 350},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Update(tt.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.RD-tt.wantRD) > 1e-9 || got.R != tt.in.R || got.Sigma != tt.in.Sigma {
				t.Fatalf("got %+v, want RD %v with r and σ unchanged", got, tt.wantRD)
			}
		})
	}
}

func TestIdleConvergesToCap(t *testing.T) {
	r, err := Default().Idle(Rating{R: 1600, RD: 50, Sigma: 0.06}, 100000)
	if err != nil {
		t.Fatal(err)
	}
	if r.RD != 350 {
		t.Fatalf("RD after long idle = %v, want 350", r.RD)
	}
	same, _ := Default().Idle(Rating{R: 1600, RD: 50, Sigma: 0.06}, 0)
	if same.RD != 50 {
		t.Fatalf("Idle(0) changed RD to %v", same.RD)
	}
}

func TestMatch(t *testing.T) {
	c := Default()
	tests := []struct {
		name       string
		a, b       Rating
		score      float64
		aUp, bUp   int // sign of rating change
		aRDShrinks bool
	}{
		{"equal players, a wins", New(), New(), 1, 1, -1, true},
		{"equal players, draw", New(), New(), 0.5, 0, 0, true},
		{"favourite wins gains little", Rating{1900, 60, 0.06}, Rating{1300, 60, 0.06}, 1, 1, -1, false},
		{"upset", Rating{1300, 60, 0.06}, Rating{1900, 60, 0.06}, 1, 1, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			na, nb, err := c.Match(tt.a, tt.b, tt.score)
			if err != nil {
				t.Fatal(err)
			}
			sign := func(x float64) int {
				switch {
				case x > 1e-9:
					return 1
				case x < -1e-9:
					return -1
				}
				return 0
			}
			if s := sign(na.R - tt.a.R); s != tt.aUp {
				t.Errorf("a: %v → %v, want sign %d", tt.a.R, na.R, tt.aUp)
			}
			if s := sign(nb.R - tt.b.R); s != tt.bUp {
				t.Errorf("b: %v → %v, want sign %d", tt.b.R, nb.R, tt.bUp)
			}
			if tt.aRDShrinks && na.RD >= tt.a.RD {
				t.Errorf("a's RD %v → %v did not shrink", tt.a.RD, na.RD)
			}
			for _, r := range []Rating{na, nb} {
				if math.IsNaN(r.R) || math.IsNaN(r.RD) || math.IsNaN(r.Sigma) {
					t.Fatalf("NaN in %+v", r)
				}
			}
		})
	}
	// An upset must move ratings much more than the expected result.
	fa, _, _ := c.Match(Rating{1900, 60, 0.06}, Rating{1300, 60, 0.06}, 1)
	ua, _, _ := c.Match(Rating{1300, 60, 0.06}, Rating{1900, 60, 0.06}, 1)
	if !(ua.R-1300 > 10*(fa.R-1900)) {
		t.Errorf("upset gain %v not much larger than favourite's gain %v", ua.R-1300, fa.R-1900)
	}
}

// TestVolatilityLargeSurprise exercises the B = ln(Δ²−φ²−v) bracket of step 5.2
// (Δ² larger than φ²+v), which the paper's example does not reach.
func TestVolatilityLargeSurprise(t *testing.T) {
	p := Rating{R: 1000, RD: 40, Sigma: 0.06}
	var res []Result
	for i := 0; i < 10; i++ {
		res = append(res, Result{Opponent: Rating{R: 2400, RD: 40, Sigma: 0.06}, Score: 1})
	}
	phi := p.RD / scale
	var invV, sum float64
	for _, r := range res {
		gj := g(r.Opponent.RD / scale)
		e := expected((p.R-1500)/scale, (r.Opponent.R-1500)/scale, r.Opponent.RD/scale)
		invV += gj * gj * e * (1 - e)
		sum += gj * (r.Score - e)
	}
	v := 1 / invV
	if d := v * sum; d*d <= phi*phi+v {
		t.Fatalf("test setup does not reach the Δ² > φ²+v branch")
	}
	got, err := Default().Update(p, res)
	if err != nil {
		t.Fatal(err)
	}
	if !(got.Sigma > p.Sigma) || !(got.R > p.R) {
		t.Fatalf("got %+v: a huge surprise must raise volatility and rating", got)
	}
}

func TestFloor(t *testing.T) {
	c := Default()
	got, err := c.Update(Rating{R: 110, RD: 300, Sigma: 0.06},
		[]Result{{Opponent: Rating{R: 100, RD: 30, Sigma: 0.06}, Score: 0}})
	if err != nil {
		t.Fatal(err)
	}
	if got.R != DefaultFloor {
		t.Fatalf("rating %v, want floor %v", got.R, DefaultFloor)
	}
	c.Floor = 0
	got, _ = c.Update(Rating{R: 110, RD: 300, Sigma: 0.06},
		[]Result{{Opponent: Rating{R: 100, RD: 30, Sigma: 0.06}, Score: 0}})
	if got.R >= DefaultFloor {
		t.Fatalf("floor disabled but rating %v", got.R)
	}
}

func TestInvalid(t *testing.T) {
	c := Default()
	ok := New()
	tests := []struct {
		name string
		cfg  Config
		p    Rating
		res  []Result
	}{
		{"zero RD", c, Rating{1500, 0, 0.06}, nil},
		{"negative sigma", c, Rating{1500, 100, -1}, nil},
		{"NaN rating", c, Rating{math.NaN(), 100, 0.06}, nil},
		{"score above 1", c, ok, []Result{{ok, 1.5}}},
		{"negative score", c, ok, []Result{{ok, -0.1}}},
		{"bad opponent", c, ok, []Result{{Rating{1500, -3, 0.06}, 1}}},
		{"zero tau", Config{Tau: 0, Epsilon: 1e-6, MaxRD: 350}, ok, nil},
		{"zero config", Config{}, ok, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.cfg.Update(tt.p, tt.res); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestExpectedScore(t *testing.T) {
	if e := ExpectedScore(New(), New()); math.Abs(e-0.5) > 1e-12 {
		t.Fatalf("equal players expected %v", e)
	}
	a, b := Rating{1800, 50, 0.06}, Rating{1500, 50, 0.06}
	if s := ExpectedScore(a, b) + ExpectedScore(b, a); math.Abs(s-1) > 1e-12 {
		t.Fatalf("expected scores of equal-RD players sum to %v", s)
	}
	if ExpectedScore(a, b) <= 0.5 {
		t.Fatal("stronger player expected to score below 0.5")
	}
}

func TestMatchWeighted(t *testing.T) {
	c := Default()
	a, b := New(), Rating{R: 1700, RD: 80, Sigma: 0.06}
	fa, fb, err := c.Match(a, b, 1)
	if err != nil {
		t.Fatal(err)
	}
	wa, wb, err := c.MatchWeighted(a, b, 1, 1)
	if err != nil || wa != fa || wb != fb {
		t.Fatalf("weight 1 differs from Match: %+v %+v %v", wa, wb, err)
	}
	ha, hb, err := c.MatchWeighted(a, b, 1, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	// Half a game: half of each change (to rounding of the last bit).
	for _, d := range []struct{ got, old, full float64 }{
		{ha.R, a.R, fa.R}, {ha.RD, a.RD, fa.RD}, {ha.Sigma, a.Sigma, fa.Sigma},
		{hb.R, b.R, fb.R}, {hb.RD, b.RD, fb.RD}, {hb.Sigma, b.Sigma, fb.Sigma},
	} {
		if want := d.old + (d.full-d.old)/2; math.Abs(d.got-want) > 1e-9 {
			t.Errorf("half weight: %v, want %v (old %v, full %v)", d.got, want, d.old, d.full)
		}
	}
	if !(ha.R > a.R && ha.R < fa.R) {
		t.Fatalf("a half win moved %v → %v (full %v)", a.R, ha.R, fa.R)
	}
	for _, w := range []float64{0, -1, 1.5, math.NaN()} {
		if _, _, err := c.MatchWeighted(a, b, 1, w); !errors.Is(err, ErrInvalid) {
			t.Errorf("weight %v: %v", w, err)
		}
	}
}
