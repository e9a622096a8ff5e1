package eval

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestSmoke runs the smoke subset end to end (build, generate, measure,
// fit, combine) with a reduced budget. What it asserts does not depend on
// the machine's speed or load: every case builds and runs without error,
// and the static side (deterministic) is right on every case. How many
// sizes fit in the budget, and so the measured and combined classes, do
// depend on the machine: they are printed, not asserted. The full set runs
// with `segfault coach eval`.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and times programs")
	}
	opt := Options{Smoke: true, Budget: 2500 * time.Millisecond, Target: 250 * time.Millisecond, Out: os.Stderr, Filter: os.Getenv("COACH_EVAL_FILTER"), Verbose: os.Getenv("COACH_EVAL_VERBOSE") != ""}
	if os.Getenv("COACH_EVAL_FULL") != "" {
		opt.Smoke, opt.Budget, opt.Target = false, 0, 0
		opt.Reuse = os.Getenv("COACH_EVAL_REUSE") != ""
	}
	sum, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	sum.Print(os.Stderr)
	if len(sum.Outcomes) == 0 {
		t.Fatal("no cases ran")
	}
	for _, o := range sum.Outcomes {
		if o.Err != "" {
			t.Errorf("%s: %s", o.Path, o.Err)
		}
		if !o.StaticOK {
			t.Errorf("%s: static %s, want %s", o.Path, o.Static, o.Want)
		}
	}
}

// TestStaticAccuracy holds the static analysis (deterministic: no timing)
// to the labelled set and the bundled problems. The full evaluation with
// measurement is `segfault coach eval` and `segfault coach eval --bundled`.
func TestStaticAccuracy(t *testing.T) {
	sum, err := Run(context.Background(), Options{Static: true})
	if err != nil {
		t.Fatal(err)
	}
	st, _, _, _ := sum.Tally(func(o Outcome) bool { return !o.HeldOut })
	if st.Pct() < 95 {
		sum.Print(os.Stderr)
		t.Errorf("static accuracy on the tuned labelled set %s, want >= 95%%", st)
	}
	b, err := RunBundled(context.Background(), "../../../problems", Options{Static: true})
	if err != nil {
		t.Fatal(err)
	}
	bt, _, _, bs := b.Tally(func(o Outcome) bool { return !o.Faster })
	if bt.Pct() < 95 || bs.Pct() < 90 {
		b.Print(os.Stderr)
		t.Errorf("bundled: static time %s (want >= 95%%), space %s (want >= 90%%)", bt, bs)
	}
	t.Log(sum.Result("labelled-static"))
	t.Log(b.Result("bundled-static"))
}

func TestCasesCoverEveryLanguage(t *testing.T) {
	cases, err := Cases()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 80 {
		t.Errorf("%d labelled cases, want >= 80", len(cases))
	}
	per := map[string]int{}
	for _, c := range cases {
		per[c.Lang]++
	}
	for _, l := range []string{"python", "c", "cpp", "go", "javascript", "java", "rust"} {
		if per[l] < 8 {
			t.Errorf("%s has %d cases, want >= 8", l, per[l])
		}
	}
	// The families in the problems' own variables (issue 16): graph,
	// tree, grid, DP and string solutions, each with a reason, some held
	// out from tuning.
	multi, held := 0, 0
	langs := map[string]bool{}
	for _, c := range cases {
		switch c.Family {
		case "graph", "tree", "grid", "dp", "strings":
			multi++
			langs[c.Lang] = true
			if c.HeldOut {
				held++
			}
			if c.Note == "" {
				t.Errorf("%s: no reason given for its label", c.Path)
			}
		}
	}
	if multi < 60 || len(langs) != 7 || held < 15 {
		t.Errorf("%d graph/tree/grid/dp/string cases in %d languages, %d held out; want >= 60 in 7, >= 15 held out", multi, len(langs), held)
	}
}
