package match

import (
	"errors"
	"fmt"
	"testing"
)

func TestChooseProblem(t *testing.T) {
	set := []Problem{
		{ID: "a", Rating: 1000, Difficulty: Easy},
		{ID: "b", Rating: 1400, Difficulty: Easy},
		{ID: "c", Rating: 1500, Difficulty: Medium},
		{ID: "d", Rating: 1580, Difficulty: Medium},
		{ID: "e", Rating: 2100, Difficulty: Hard},
	}
	first := func(int) int { return 0 }
	last := func(n int) int { return n - 1 }
	tests := []struct {
		name    string
		ratings []float64
		recent  [][]string
		pick    func(int) int
		want    string
	}{
		{"closest to the mean", []float64{1400, 1600}, nil, first, "c"},
		{"band allows near alternatives", []float64{1400, 1600}, nil, last, "b"}, // within 100 of c (0): d (80), b (100)
		{"low pair gets an easy problem", []float64{950, 1100}, nil, first, "a"},
		{"high pair gets a hard problem", []float64{2000, 2300}, nil, first, "e"},
		{"excluded when the first player played it", []float64{1500, 1500}, [][]string{{"c"}, nil}, first, "d"},
		{"excluded when the second player played it", []float64{1500, 1500}, [][]string{nil, {"x", "c", "d"}}, first, "b"},
		{"only the last 20 matches count", []float64{1500, 1500}, [][]string{append(make20("z"), "c")}, first, "c"},
		{"order of the input does not matter", []float64{1500, 1500}, nil, first, "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DefaultPolicy().Choose(set, tt.ratings, tt.recent, tt.pick)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.want {
				t.Fatalf("chose %s, want %s", got.ID, tt.want)
			}
		})
	}
	// Reversed input, same choice.
	rev := []Problem{set[4], set[3], set[2], set[1], set[0]}
	if got, _ := DefaultPolicy().Choose(rev, []float64{1400, 1600}, nil, last); got.ID != "b" && got.ID != "d" {
		t.Fatalf("reversed input chose %s", got.ID)
	}
}

func make20(prefix string) []string {
	var ids []string
	for i := 0; i < 20; i++ {
		ids = append(ids, fmt.Sprintf("%s%d", prefix, i))
	}
	return ids
}

func TestChooseProblemErrors(t *testing.T) {
	set := []Problem{{ID: "a", Rating: 1500, Difficulty: Easy}}
	if _, err := DefaultPolicy().Choose(set, []float64{1500, 1500}, [][]string{{"a"}}, nil); !errors.Is(err, ErrNoProblem) {
		t.Fatalf("all excluded: %v", err)
	}
	if _, err := DefaultPolicy().Choose(nil, []float64{1500}, nil, nil); !errors.Is(err, ErrNoProblem) {
		t.Fatalf("empty set: %v", err)
	}
	if _, err := DefaultPolicy().Choose(set, nil, nil, nil); !errors.Is(err, ErrNoProblem) {
		t.Fatalf("no players: %v", err)
	}
	if _, err := DefaultPolicy().Choose(set, []float64{1500}, nil, func(int) int { return 5 }); err == nil {
		t.Fatal("out-of-range pick accepted")
	}
	// The default random pick stays within the band.
	many := []Problem{{ID: "x", Rating: 1500, Difficulty: Easy}, {ID: "y", Rating: 1550, Difficulty: Easy}, {ID: "far", Rating: 3000, Difficulty: Hard}}
	for i := 0; i < 200; i++ {
		p, err := DefaultPolicy().Choose(many, []float64{1500}, nil, nil)
		if err != nil || p.ID == "far" {
			t.Fatalf("random pick %v %v", p, err)
		}
	}
}
