package rating

import (
	"fmt"
	"strings"
)

// Tier is a named band of ratings, shown with a badge wherever a player's
// name appears. A rating belongs to the highest tier whose Min it reaches.
type Tier struct {
	ID   string  // stable id (the web client's badge art is keyed by it)
	Name string  // shown to players
	Min  float64 // lowest rating in the tier
}

// Tiers are the bands, lowest first. A new player (1500) starts in Gold,
// the middle of the ladder: one win or loss against an equal opponent
// (about ±160 while RD is 350) moves a newcomer a whole band, which is
// the point of a provisional rating. Established players move about ±15
// a match, so a band is ten or more net wins wide.
//
// The web client reads this table from web/src/protocol/generated.ts
// (go generate ./internal/protocol): one table for the server, the client,
// and README's "Game rules", which a test keeps in step.
var Tiers = []Tier{
	{ID: "bronze", Name: "Bronze", Min: 0},
	{ID: "silver", Name: "Silver", Min: 1200},
	{ID: "gold", Name: "Gold", Min: 1400},
	{ID: "platinum", Name: "Platinum", Min: 1600},
	{ID: "diamond", Name: "Diamond", Min: 1800},
	{ID: "master", Name: "Master", Min: 2000},
	{ID: "grandmaster", Name: "Grandmaster", Min: 2200},
}

// TierOf returns the tier of rating r.
func TierOf(r float64) Tier {
	t := Tiers[0]
	for _, x := range Tiers {
		if r >= x.Min {
			t = x
		}
	}
	return t
}

// TierTable is the Markdown table of the bands (README's "Game rules").
func TierTable() string {
	var b strings.Builder
	b.WriteString("| tier | rating |\n|---|---|\n")
	for i, t := range Tiers {
		switch {
		case i == len(Tiers)-1:
			fmt.Fprintf(&b, "| %s | %g and above |\n", t.Name, t.Min)
		case i == 0:
			fmt.Fprintf(&b, "| %s | below %g |\n", t.Name, Tiers[i+1].Min)
		default:
			fmt.Fprintf(&b, "| %s | %g – %g |\n", t.Name, t.Min, Tiers[i+1].Min-1)
		}
	}
	return b.String()
}
