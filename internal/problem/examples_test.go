package problem

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// The example packages under testdata/examples each show one feature of
// the format; cmd/segfault's TestExamplesVerify verifies them all. Here:
// what the loader reads from them.

func hasWarning(p *Package, substr string) bool {
	for _, w := range p.Warnings {
		if strings.Contains(w.String(), substr) {
			return true
		}
	}
	return false
}

func TestExampleNoSample(t *testing.T) {
	p := mustLoad(t, "testdata/examples/nosample")
	if !hasWarning(p, "data/sample: no samples") || p.Sample == nil || len(p.Sample.AllCases()) != 0 || len(p.Cases()) != 3 {
		t.Errorf("warnings %v, cases %v", p.Warnings, caseNames(p.Cases()))
	}
	if s, err := p.Summary(0); err != nil || len(s.Samples) != 0 {
		t.Errorf("summary samples %v %v", s, err)
	}
}

func TestExampleTranscriptSamples(t *testing.T) {
	p := mustLoad(t, "testdata/examples/guesstranscript")
	if len(p.Sample.AllCases()) != 0 || len(p.Sample.Transcripts) != 2 || len(p.Cases()) != 4 {
		t.Fatalf("judged cases %v, transcripts %d", caseNames(p.Cases()), len(p.Sample.Transcripts))
	}
	samples, err := p.Samples()
	if err != nil || len(samples) != 2 {
		t.Fatalf("samples %+v %v", samples, err)
	}
	want := []TranscriptLine{{true, "50"}, {false, "lower"}, {true, "25"}, {false, "higher"}, {true, "37"}, {false, "correct"}}
	if samples[0].Name != "sample/1" || !slices.Equal(samples[0].Transcript, want) || samples[0].Input != "" {
		t.Errorf("sample 1 %+v", samples[0])
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings %v", p.Warnings)
	}
}

func TestExampleChecktestdata(t *testing.T) {
	p := mustLoad(t, "testdata/examples/ctdvalidator")
	if len(p.InputValidators) != 1 || p.InputValidators[0].Language != LangChecktestdata {
		t.Errorf("input validators %+v", p.InputValidators)
	}
	if got := caseNames(p.InvalidInputs); len(got) != 4 || got[0] != "invalid_input/duplicate" {
		t.Errorf("invalid inputs %v", got)
	}
}

func TestExampleSymlinkedGroups(t *testing.T) {
	p := mustLoad(t, "testdata/examples/symlinkgroups")
	g2 := p.Secret.find("secret/group2")
	if g2 == nil || len(g2.Cases) != 5 || g2.Cases[2].Name != "secret/group2/g1-1" {
		t.Fatalf("group2 %+v", g2)
	}
	if !slices.Equal(g2.Cases[2].ValidatorArgs(p.InputValidators[0]), []string{"max_n=1000", "max_a=1000000000000"}) {
		t.Errorf("a symlinked case takes its own group's arguments: %q", g2.Cases[2].InputValidatorArgs)
	}
	// 32-bit sums: group 1 right, group 2 wrong except the cases shared with group 1.
	_, score := p.Grade(func(c *Case) (CaseOutcome, bool) {
		return CaseOutcome{Accepted: c.Group == "secret/group1" || strings.Contains(c.Name, "g1-")}, true
	})
	if score != 40 || p.MaxScore() != 100 {
		t.Errorf("score %v of %v, want 40 of 100", score, p.MaxScore())
	}
}

func TestExampleDirectorySubmissions(t *testing.T) {
	p := mustLoad(t, "testdata/examples/multifile")
	want := map[string]string{
		"submissions/accepted/cppsplit":      "cpp gcd.cpp",
		"submissions/accepted/javasplit":     "java Main.java",
		"submissions/accepted/pypackage":     "python __main__.py",
		"submissions/accepted/pysplit":       "python main.py",
		"submissions/accepted/single.py":     "python single.py",
		"submissions/wrong_answer/firstonly": "python main.py",
	}
	for name, lm := range want {
		s := findSubmission(p, name)
		if s == nil || s.Language+" "+s.Main != lm {
			t.Errorf("%s: %+v, want %s", name, s, lm)
		}
	}
	if !hasWarning(p, "submissions/accepted/noentry: no recognised entry file") {
		t.Errorf("no warning for the directory without an entry: %v", p.Warnings)
	}
	// A language this judge does not know is skipped at load; one it
	// knows but this machine lacks is skipped by verification.
	if LanguageOf("gcd.kt") == "" && !hasWarning(p, "submissions/accepted/gcd.kt") {
		t.Errorf("no warning for the Kotlin submission: %v", p.Warnings)
	}
}

func TestExample2025(t *testing.T) {
	p := mustLoad(t, "testdata/examples/fmt2025")
	m := p.Meta
	if p.Format != Format2025 || !m.Scoring() || m.Version != "1.1" || m.Constants["maxn"] != "5000" {
		t.Errorf("metadata %+v", m)
	}
	if !slices.Equal(m.Credits.Authors, []string{"Ada Lovelace"}) || !slices.Equal(m.Credits.Testers, []string{"Alan Turing"}) ||
		!slices.Equal(m.Credits.Translators, []string{"Sofia Kovalevskaya"}) {
		t.Errorf("credits %+v", m.Credits)
	}
	if m.Source != "SegFault Arena examples" || m.Limits.TimeMultiplier != 2.5 || m.Limits.TimeSafetyMargin != 1.5 || m.Limits.MemoryMiB != 512 {
		t.Errorf("source %q limits %+v", m.Source, m.Limits)
	}
	if st := p.Statement("en"); st == nil || !strings.Contains(st.Markdown, `\le n \le 5000$`) {
		t.Errorf("constant not in the statement: %+v", st)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings %v", p.Warnings)
	}

	g1, g2 := p.Secret.find("secret/group1"), p.Secret.find("secret/group2")
	if s := p.Secret.Settings; s.MaxScore != 100 || s.Aggregation != "sum" || !slices.Equal(s.OutputValidatorArgs, []string{"tolerance", "1e-6"}) {
		t.Errorf("secret %+v", s)
	}
	if s := g1.Settings; s.MaxScore != 40 || s.Aggregation != "pass-fail" || !slices.Equal(s.InputValidatorArgsByName["validate"], []string{"--integer-mean"}) {
		t.Errorf("group1 %+v", s)
	}
	if s := g2.Settings; s.MaxScore != 60 || s.Aggregation != "sum" || !slices.Equal(s.RequirePass, []string{"secret/group1"}) ||
		!slices.Equal(s.OutputValidatorArgs, []string{"tolerance", "1e-6"}) {
		t.Errorf("group2 %+v", s)
	}
	if args := g1.Cases[0].ValidatorArgs(p.InputValidators[0]); !slices.Equal(args, []string{"--integer-mean"}) {
		t.Errorf("group1 validator args %q", args)
	}
	if args := g2.Cases[0].ValidatorArgs(p.InputValidators[0]); len(args) != 0 {
		t.Errorf("group2 validator args %q", args)
	}

	samples, err := p.Samples()
	if err != nil || len(samples) != 2 || samples[0].Output != "3.000000\n" || samples[1].Input != "2\n1  2\n" || samples[1].Output != "1.5\n" {
		t.Errorf("samples shown %+v %v", samples, err)
	}
	src, err := p.InputValidators[0].Sources()
	if err != nil || !strings.Contains(string(src["validate.py"]), "MAXN = 5000") {
		t.Errorf("constant not in the validator: %v", err)
	}
	mean := findSubmission(p, "submissions/accepted/mean.py")
	if mean == nil || len(mean.Includes) != 1 || mean.Main != "mean.py" {
		t.Fatalf("include/python3 not given to mean.py: %+v", mean)
	}
	if s := findSubmission(p, "submissions/accepted/mean.cpp"); s == nil || len(s.Includes) != 0 {
		t.Errorf("include/python3 given to C++: %+v", s)
	}
	partial := findSubmission(p, "submissions/partial/floor_mean.py")
	if partial == nil || len(partial.Expect.Rules) != 3 || partial.Expect.Rules[0].Score == nil || partial.Expect.Rules[0].Score[0] != 40 {
		t.Fatalf("partial rules %+v", partial)
	}
	brute := findSubmission(p, "submissions/brute_force/recursive.py")
	if brute == nil || len(brute.Expect.Rules) != 2 || !slices.Equal(brute.Expect.Rules[0].Required, []string{CaseRTE, CaseTLE}) {
		t.Errorf("brute force rules %+v", brute)
	}

	// 2025-09 grading: group 2 scores per case and only after group 1.
	grade := func(ok func(*Case) bool) float64 {
		_, s := p.Grade(func(c *Case) (CaseOutcome, bool) { return CaseOutcome{Accepted: ok(c)}, true })
		return s
	}
	tests := []struct {
		name string
		ok   func(*Case) bool
		want float64
	}{
		{"all", func(*Case) bool { return true }, 100},
		{"group1", func(c *Case) bool { return c.Group == "secret/group1" }, 40},
		{"group2 without group1", func(c *Case) bool { return c.Group == "secret/group2" }, 0},
		{"one group2 case missed", func(c *Case) bool { return c.Name != "secret/group2/03-big" }, 80},
	}
	for _, tc := range tests {
		if got := grade(tc.ok); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: score %v, want %v", tc.name, got, tc.want)
		}
	}
}
