package problem

import "testing"

func TestGlobMatchesPath(t *testing.T) {
	cases := []struct {
		glob, name string
		want       bool
	}{
		{"accepted", "accepted/sol.py", true},
		{"accepted/*", "accepted/sol.py", true},
		{"accepted/*.py", "accepted/dir", false},
		{"*/sol.py", "wrong_answer/sol.py", true},
		{"accepted/{a,b}.py", "accepted/b.py", true},
		{"accepted/{a,b}.py", "accepted/c.py", false},
		{"secret/*-easy", "secret/01-easy/3", true},
		{"secret", "sample/1", false},
		{"*", "secret/group1/03", true}, // * matches the first name, the group
		{"secret/*", "secret", false},
	}
	for _, c := range cases {
		if got := globMatchesPath(c.glob, c.name); got != c.want {
			t.Errorf("globMatchesPath(%q, %q) = %v, want %v", c.glob, c.name, got, c.want)
		}
	}
	if n := len(expandBraces("{a,b}{c,d}{e,f}")); n != 8 {
		t.Errorf("%d expansions, want 8", n)
	}
}
