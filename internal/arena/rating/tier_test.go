package rating

import (
	"os"
	"strings"
	"testing"
)

func TestTierOf(t *testing.T) {
	cases := []struct {
		r    float64
		want string
	}{
		{100, "bronze"}, {1199.99, "bronze"}, {1200, "silver"}, {1399, "silver"}, {1400, "gold"},
		{DefaultRating, "gold"}, {1599.5, "gold"}, {1600, "platinum"}, {1800, "diamond"}, {1999, "diamond"},
		{2000, "master"}, {2199, "master"}, {2200, "grandmaster"}, {3500, "grandmaster"}, {-5, "bronze"},
	}
	for _, c := range cases {
		if got := TierOf(c.r).ID; got != c.want {
			t.Errorf("TierOf(%v) = %s, want %s", c.r, got, c.want)
		}
	}
}

func TestTiersAscendFromZero(t *testing.T) {
	if Tiers[0].Min != 0 {
		t.Fatalf("the lowest tier must start at 0 (every rating has a tier), got %v", Tiers[0].Min)
	}
	seen := map[string]bool{}
	for i, x := range Tiers {
		if i > 0 && x.Min <= Tiers[i-1].Min {
			t.Errorf("tier %s starts at %v, not above %s (%v)", x.ID, x.Min, Tiers[i-1].ID, Tiers[i-1].Min)
		}
		if seen[x.ID] || x.ID == "" || x.Name == "" {
			t.Errorf("tier %d: id %q name %q (ids unique and non-empty)", i, x.ID, x.Name)
		}
		seen[x.ID] = true
	}
}

// README's "Game rules" documents the bands; this keeps it in step.
func TestREADMETierTable(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), TierTable()) {
		t.Errorf("README.md's tier table is stale; it should contain:\n%s", TierTable())
	}
}
