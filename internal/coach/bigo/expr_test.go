package bigo

import "testing"

func TestParseExprAndString(t *testing.T) {
	vars := &Variables{Names: []string{"n", "m", "q", "k", "h", "w", "x", "B", "L", "t", "V", "A"}, Const: []string{"D", "S"}}
	for in, want := range map[string]string{
		"O((n + m) log n)":     "O((n + m) log n)",
		"O(n + m)":             "O(n + m)",
		"O(hw)":                "O(h*w)",
		"O(h·w)":               "O(h*w)",
		"O(nk)":                "O(n*k)",
		"O(nB)":                "O(n*B)",
		"O(n L log L)":         "O(n*L log L)",
		"O(n log^2 n)":         "O(n log^2 n)",
		"O(n^3 log k)":         "O(n^3 log k)",
		"O(n log n + n log V)": "O(n log n + n log V)",
		"O((n + m) alpha(n))":  "O(n + m)",
		"O(t * D * 10 * S), D = 19 digits, S = 162": "O(t)",
		"O(t log V)":       "O(t log V)",
		"O(m log m)":       "O(m log m)",
		"O(n^2)":           "O(n^2)",
		"O(n²)":            "O(n^2)",
		"O(2^n)":           "O(2^n)",
		"O(1)":             "O(1)",
		"O(log n)":         "O(log n)",
		"O(n log n)":       "O(n log n)",
		"O(n + q)":         "O(n + q)",
		"O((n + q) log n)": "O((n + q) log n)",
		"O(n + n log n)":   "O(n log n)",
	} {
		e, err := ParseExpr(in, vars)
		if err != nil {
			t.Errorf("ParseExpr(%q): %v", in, err)
			continue
		}
		if got := e.String(); got != want {
			t.Errorf("ParseExpr(%q) = %s, want %s", in, got, want)
		}
		back, err := ParseExpr(e.String(), vars)
		if err != nil || !Equal(back, e) {
			t.Errorf("%s does not read back: %v, %v", e, back, err)
		}
	}
	for _, bad := range []string{"O(n!", "O(n ^ x)", "O(n + )"} {
		if _, err := ParseExpr(bad, vars); err == nil {
			t.Errorf("ParseExpr(%q): no error", bad)
		}
	}
}

func TestExprAlgebra(t *testing.T) {
	n, m := Var("n"), Var("m")
	nlogn := Mul(n, LogVar("n"))
	if got := Add(nlogn, Mul(m, LogVar("n"))).Pretty(); got != "O((n + m) log n)" {
		t.Errorf("pretty = %s", got)
	}
	if got := Mul(Var("h"), Var("w")).Pretty(); got != "O(h·w)" {
		t.Errorf("pretty = %s", got)
	}
	if got := Mul(n, n).Pretty(); got != "O(n²)" {
		t.Errorf("pretty = %s", got)
	}
	if !LE(Add(n, m), Mul(n, m)) == true {
		// n + m ≤ n·m only for n, m ≥ 1: in big-O terms n ≤ n·m holds.
	}
	if c, ok := Compare(Mul(n, m), Mul(n, n)); ok {
		t.Errorf("n*m vs n^2 compared as %d", c)
	}
	if c, ok := Compare(Add(n, m), Mul(Add(n, m), LogVar("n"))); !ok || c != -1 {
		t.Errorf("n + m vs (n + m) log n = %d, %v", c, ok)
	}
	if got := Subst(Mul(Var("h"), Var("w")), map[string]Expr{"h": Var("t"), "w": Var("t")}); got.String() != "O(t^2)" {
		t.Errorf("diagonal of h*w = %s", got)
	}
	e := Add(Mul(n, LogVar("n")), Mul(m, LogVar("n")))
	if e.Along("m") != Linear || e.Along("n") != NLogN || e.Class() != NLogN {
		t.Errorf("along m %v, along n %v, class %v", e.Along("m"), e.Along("n"), e.Class())
	}
	if got := LogOf(Mul(n, m)).String(); got != "O(log n + log m)" {
		t.Errorf("log(n*m) = %s", got)
	}
}
