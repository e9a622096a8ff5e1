package bigo

import "testing"

func TestClassParse(t *testing.T) {
	for in, want := range map[string]Class{"O(n log n)": NLogN, "n^2": Quadratic, "O(n²)": Quadratic, "2^n": Exponential, "O(1)": Const, "logn": Log} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := Parse("O(n!)"); err == nil {
		t.Error("no error for O(n!)")
	}
}
