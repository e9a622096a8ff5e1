package rating

import "testing"

func TestRevertExactWhenNothingMovedSince(t *testing.T) {
	c := Default()
	before := Rating{R: 1512.25, RD: 201.5, Sigma: 0.0600123}
	after, _, err := c.Match(before, Rating{R: 1600, RD: 80, Sigma: 0.06}, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, exact := c.Revert(after, after, before, true)
	if !exact || got != before {
		t.Fatalf("revert = %+v exact %v, want %+v exactly", got, exact, before)
	}
	// Undoing the void (the other direction) is exact too.
	if got, exact := c.Revert(before, before, after, true); !exact || got != after {
		t.Fatalf("re-apply = %+v exact %v, want %+v", got, exact, after)
	}
}

func TestRevertInverseDeltaAfterLaterMatches(t *testing.T) {
	c := Default()
	before := Rating{R: 1500, RD: 200, Sigma: 0.06}
	after := Rating{R: 1540, RD: 190, Sigma: 0.0601}
	later := Rating{R: 1530, RD: 185, Sigma: 0.0602} // a later loss
	got, exact := c.Revert(later, after, before, true)
	want := Rating{R: 1490, RD: 195, Sigma: 0.0602 - 0.0001}
	if exact || got.R != want.R || got.RD != want.RD || abs(got.Sigma-want.Sigma) > 1e-12 {
		t.Fatalf("revert = %+v exact %v, want %+v (inverse delta)", got, exact, want)
	}
	// Bounds: the floor and the RD cap hold.
	got, _ = c.Revert(Rating{R: 120, RD: 349, Sigma: 0.06}, Rating{R: 1600, RD: 100, Sigma: 0.06}, Rating{R: 1500, RD: 150, Sigma: 0.06}, true)
	if got.R != c.Floor || got.RD != c.MaxRD {
		t.Fatalf("bounded revert = %+v, want floor %v and RD %v", got, c.Floor, c.MaxRD)
	}
	// Unknown volatility: left as it is, and the exact test ignores it.
	got, exact = c.Revert(Rating{R: 1540, RD: 190, Sigma: 0.07}, after, before, false)
	if !exact || got != (Rating{R: 1500, RD: 200, Sigma: 0.07}) {
		t.Fatalf("revert without volatility = %+v exact %v", got, exact)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
