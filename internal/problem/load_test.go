package problem

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustLoad(t *testing.T, dir string) *Package {
	t.Helper()
	p, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return p
}

func caseNames(cs []*Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestLoadLegacyCustomValidator(t *testing.T) {
	p := mustLoad(t, "testdata/legacy_divisor")
	if p.Format != FormatLegacy || p.ShortName != "legacy_divisor" {
		t.Errorf("format %q short name %q", p.Format, p.ShortName)
	}
	m := p.Meta
	if m.Name("en") != "Any Divisor" || m.License != "cc by-sa" || m.RightsOwner != "SegFault Arena" {
		t.Errorf("metadata %+v", m)
	}
	if !slices.Equal(m.Credits.Authors, []string{"Ada Lovelace", "Alan Turing"}) {
		t.Errorf("authors %q", m.Credits.Authors)
	}
	if m.Validation != "custom" || !slices.Equal(m.OutputValidatorArgs, []string{"strict"}) {
		t.Errorf("validation %q flags %q", m.Validation, m.OutputValidatorArgs)
	}
	if m.Limits.MemoryMiB != 256 || m.Limits.TimeMultiplier != 3 || m.Limits.TimeSafetyMargin != 2 || m.Limits.OutputMiB != 8 {
		t.Errorf("limits %+v", m.Limits)
	}
	if !slices.Equal(m.Keywords, []string{"math", "divisors"}) {
		t.Errorf("keywords %q", m.Keywords)
	}
	if p.TimeLimit != 0 {
		t.Errorf("time limit %v, want 0 (derived)", p.TimeLimit)
	}
	if p.OutputValidator == nil || p.OutputValidator.Language != "python" || p.OutputValidator.Main != "checker.py" {
		t.Fatalf("output validator %+v", p.OutputValidator)
	}
	if len(p.InputValidators) != 1 || p.InputValidators[0].Name != "input_validators/validate.py" {
		t.Errorf("input validators %+v", p.InputValidators)
	}
	want := []string{"sample/1", "sample/2", "secret/1", "secret/2", "secret/3", "secret/4", "secret/5", "secret/6", "secret/7", "secret/8"}
	if got := caseNames(p.Cases()); !slices.Equal(got, want) {
		t.Errorf("cases %q", got)
	}
	subs := map[string]string{}
	for _, s := range p.Submissions {
		subs[s.Name] = s.Language + " " + strings.Join(s.Expect.Verdicts, "|")
	}
	wantSubs := map[string]string{
		"submissions/accepted/trial.c":              "c AC",
		"submissions/accepted/trial.py":             "python AC",
		"submissions/wrong_answer/two.py":           "python WA",
		"submissions/time_limit_exceeded/linear.py": "python TLE",
		"submissions/run_time_error/crash.py":       "python RE",
	}
	for k, v := range wantSubs {
		if subs[k] != v {
			t.Errorf("submission %s = %q, want %q", k, subs[k], v)
		}
	}
	if len(subs) != len(wantSubs) {
		t.Errorf("submissions %v", subs)
	}

	st := p.Statement("en")
	if st == nil || st.Format != "latex" || st.Title != "Any Divisor" {
		t.Fatalf("statement %+v", st)
	}
	for _, want := range []string{"## Input", "$2 \\le n \\le 10^{12}$", "- a divisor $d$ with $1 < d < n$;", "- `prime`, if $n$ is prime.",
		"![Divisors of 12](divisors.png)", "$$\\sum_{d \\mid n} 1 = \\tau(n)$$", "| 12 | 2, 3, 4 or 6 |", "**read carefully**", "*Figure\u00a01*"} {
		if !strings.Contains(st.Markdown, want) {
			t.Errorf("statement lacks %q:\n%s", want, st.Markdown)
		}
	}
	if strings.Contains(st.Markdown, "comment") || strings.Contains(st.Markdown, "problemname") {
		t.Errorf("statement leaks TeX:\n%s", st.Markdown)
	}
	if !slices.Equal(p.Assets, []string{"divisors.png"}) {
		t.Errorf("assets %q", p.Assets)
	}
}

func TestLoadDraft(t *testing.T) {
	p := mustLoad(t, "testdata/draft_average")
	m := p.Meta
	if p.Format != FormatDraft2023 || m.UUID == "" || m.Version != "1.0" {
		t.Errorf("format %q uuid %q version %q", p.Format, m.UUID, m.Version)
	}
	if m.Name("sv") != "Medelvärde" || m.Name("de") != "Average" {
		t.Errorf("names %v", m.Names)
	}
	if !slices.Equal(m.Credits.Authors, []string{"Grace Hopper"}) || !slices.Equal(m.Credits.Testers, []string{"Edsger Dijkstra"}) {
		t.Errorf("credits %+v", m.Credits)
	}
	if m.Source != "SegFault Arena fixtures" || m.SourceURL != "https://example.invalid/fixtures" {
		t.Errorf("source %q %q", m.Source, m.SourceURL)
	}
	if m.Limits.TimeMultiplier != 2 || m.Limits.TimeSafetyMargin != 1.5 || m.Limits.MemoryMiB != 512 {
		t.Errorf("limits %+v", m.Limits)
	}
	if p.Arena.Difficulty != 900 || !slices.Equal(p.Arena.Tags, []string{"math", "floats"}) || p.Arena.Complexity.Time != "O(n)" {
		t.Errorf("arena %+v", p.Arena)
	}
	if len(p.Statements) != 2 || p.Statements[0].Lang != "en" || p.Statements[1].Lang != "sv" || p.StatementDir != "statement" {
		t.Errorf("statements %+v", p.Statements)
	}
	// Natural order: 01..04 then 5, 6 (plain string order would put 5 last only by luck).
	want := []string{"secret/01", "secret/02", "secret/03", "secret/04", "secret/5", "secret/6"}
	if got := caseNames(p.Secret.AllCases()); !slices.Equal(got, want) {
		t.Errorf("secret %q", got)
	}
	for _, c := range p.Cases() {
		if !slices.Equal(c.OutputValidatorArgs, []string{"float_tolerance", "1e-6"}) {
			t.Errorf("%s: output validator args %q", c.Name, c.OutputValidatorArgs)
		}
	}
	if len(p.InputValidators) != 1 {
		t.Fatalf("input validators %+v", p.InputValidators)
	}
	iv := p.InputValidators[0]
	if iv.Language != "cpp" || iv.Main != "validate.cpp" || !slices.Equal(iv.Files, []string{"validate.cpp", "validate.h"}) {
		t.Errorf("directory validator %+v", iv)
	}
	if p.OutputValidator != nil {
		t.Errorf("unexpected output validator %+v", p.OutputValidator)
	}
}

func TestLoadInteractive(t *testing.T) {
	p := mustLoad(t, "testdata/interactive_guess")
	if !p.Meta.Interactive() || p.Meta.Validation != "custom interactive" {
		t.Errorf("types %q validation %q", p.Meta.Types, p.Meta.Validation)
	}
	if p.TimeLimit != 2*time.Second || p.TimeLimitFrom != "problem.yaml" {
		t.Errorf("time limit %v from %q", p.TimeLimit, p.TimeLimitFrom)
	}
	if p.OutputValidator == nil || p.OutputValidator.Main != "interactor.py" {
		t.Fatalf("interactor %+v", p.OutputValidator)
	}
	s := p.Sample.Cases[0]
	want := []TranscriptLine{{true, "500"}, {false, "higher"}, {true, "750"}, {false, "lower"}, {true, "600"}, {false, "correct"}}
	if !slices.Equal(s.Transcript, want) {
		t.Errorf("transcript %+v", s.Transcript)
	}
}

func TestGradeScoringGroups(t *testing.T) {
	p := mustLoad(t, "testdata/scoring_triangle")
	if !p.Meta.Scoring() {
		t.Fatal("not scoring")
	}
	g1, g2 := p.Secret.Groups[0], p.Secret.Groups[1]
	if g1.Settings.AcceptScore != 30 || g1.Settings.Aggregation != "min" || g1.Settings.OnReject != "continue" {
		t.Errorf("group1 settings %+v", g1.Settings)
	}
	if g2.Settings.AcceptScore != 70 || g2.Settings.OnReject != "break" {
		t.Errorf("group2 settings %+v", g2.Settings)
	}
	if p.Sample.Settings.AcceptScore != 0 {
		t.Errorf("samples score %v", p.Sample.Settings.AcceptScore)
	}
	tests := []struct {
		name     string
		accepted func(*Case) bool
		ok       bool
		score    float64
	}{
		{"all", func(*Case) bool { return true }, true, 100},
		{"none", func(*Case) bool { return false }, false, 0},
		{"group1 only", func(c *Case) bool { return c.Group == "secret/group1" }, false, 30},
		{"group2 only", func(c *Case) bool { return c.Group == "secret/group2" }, false, 70},
		{"one group1 miss", func(c *Case) bool { return c.Name != "secret/group1/2" }, false, 70},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, score := p.Secret.Grade(func(c *Case) (CaseOutcome, bool) {
				return CaseOutcome{Accepted: tc.accepted(c)}, true
			})
			if ok != tc.ok || score != tc.score {
				t.Errorf("got %v %v, want %v %v", ok, score, tc.ok, tc.score)
			}
		})
	}
	// on_reject: break stops the group at the first rejection: later cases
	// are not asked about.
	asked := map[string]bool{}
	p.Secret.Grade(func(c *Case) (CaseOutcome, bool) {
		asked[c.Name] = true
		return CaseOutcome{Accepted: c.Name != "secret/group2/1"}, true
	})
	if asked["secret/group2/2"] {
		t.Error("on_reject: break still judged the case after the rejection")
	}
}

func TestLoadBrokenPackages(t *testing.T) {
	tests := []struct {
		dir  string
		code string
		msgs []string
	}{
		{"testdata/broken_yaml", CodeBadYAML, []string{"problem.yaml: invalid YAML"}},
		{"testdata/wrong_types", CodeBadType, []string{
			`problem.yaml: limits.memory: want integer, got "lots"`,
			`problem.yaml: limits.time_multiplier: want number, got a list`,
			`problem.yaml: validation: want default or custom [interactive] [score], got "sometimes"`,
			`arena.yaml: difficulty: must be between 800 and 3000, got 5000`,
			`arena.yaml: tags: want a string or a list of strings, got a map`,
		}},
		{"testdata/missing_data", CodeMissing, []string{"data: no data/ directory"}},
		{"testdata/missing_answer", CodeMissing, []string{"data/secret/1.ans: missing answer file"}},
		{"testdata/does_not_exist", CodeMissing, []string{"no such file"}},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			p, err := Load(tc.dir)
			if err == nil {
				t.Fatalf("loaded %+v", p)
			}
			if p != nil {
				t.Error("a failed load returned a package")
			}
			var le *LoadError
			if !errors.As(err, &le) || !HasCode(err, tc.code) || ErrorCode(err) == "" {
				t.Fatalf("error %v lacks code %s", err, tc.code)
			}
			for _, m := range tc.msgs {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error lacks %q:\n%v", m, err)
				}
			}
		})
	}
	// Unknown keys are warnings, not errors, and are reported with the errors.
	_, err := Load("testdata/wrong_types")
	var le *LoadError
	if errors.As(err, &le) {
		found := false
		for _, w := range le.Warnings {
			if w.Code == CodeUnknownKey && w.Path == "problem.yaml: colour" {
				found = true
			}
		}
		if !found {
			t.Errorf("warnings %v lack the unknown key colour", le.Warnings)
		}
	}
}

func TestNaturalOrder(t *testing.T) {
	in := []string{"10", "9", "group10", "group2", "a", "02", "1", "b1", "b01"}
	want := []string{"1", "02", "9", "10", "a", "b01", "b1", "group2", "group10"}
	got := sortNatural(slices.Clone(in))
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDeriveTimeLimit(t *testing.T) {
	tests := []struct {
		slowest time.Duration
		mult    float64
		want    time.Duration
	}{
		{10 * time.Millisecond, 2, time.Second},
		{500 * time.Millisecond, 2, time.Second},
		{501 * time.Millisecond, 2, 2 * time.Second},
		{1200 * time.Millisecond, 3, 4 * time.Second},
		{2 * time.Second, 5, 10 * time.Second},
		{300 * time.Millisecond, 0, time.Second}, // bad multiplier falls back to the default
	}
	for _, tc := range tests {
		if got := DeriveTimeLimit(tc.slowest, tc.mult); got != tc.want {
			t.Errorf("DeriveTimeLimit(%v, %v) = %v, want %v", tc.slowest, tc.mult, got, tc.want)
		}
	}
	m, err := ParseLanguageMultipliers("python=3, java=1.5")
	if err != nil {
		t.Fatal(err)
	}
	if m.For(time.Second, "python") != 3*time.Second || m.For(time.Second, "cpp") != time.Second || m.Normalize(3*time.Second, "python") != time.Second {
		t.Errorf("multipliers %v", m)
	}
	for _, bad := range []string{"python", "python=0.5", "java=x"} {
		if _, err := ParseLanguageMultipliers(bad); err == nil {
			t.Errorf("ParseLanguageMultipliers(%q) accepted", bad)
		}
	}
}

func TestLoadAllAndServing(t *testing.T) {
	pkgs, errs := LoadAll("testdata")
	names := map[string]bool{}
	for _, p := range pkgs {
		names[p.ShortName] = true
	}
	for _, want := range []string{"legacy_divisor", "draft_average", "interactive_guess", "scoring_triangle"} {
		if !names[want] {
			t.Errorf("LoadAll lacks %s", want)
		}
	}
	// broken_yaml, wrong_types, missing_data, missing_answer
	if len(errs) != 4 {
		t.Errorf("%d errors, want 4: %v", len(errs), errs)
	}

	p := mustLoad(t, "testdata/draft_average")
	f, err := p.OpenAsset("plot.png")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, bad := range []string{"problem.en.md", "../problem.yaml", "/etc/passwd", "nope.png"} {
		if _, err := p.OpenAsset(bad); !errors.Is(err, ErrNoAsset) {
			t.Errorf("OpenAsset(%q): %v", bad, err)
		}
	}
	samples, err := p.Samples()
	if err != nil || len(samples) != 2 || samples[0].Input != "3\n1 2 4\n" || samples[1].Output != "5\n" {
		t.Errorf("samples %+v %v", samples, err)
	}
	ip := mustLoad(t, "testdata/interactive_guess")
	is, err := ip.Samples()
	if err != nil || len(is) != 1 || len(is[0].Transcript) != 6 {
		t.Errorf("interactive samples %+v %v", is, err)
	}
}

func TestSummaryHidesSecrets(t *testing.T) {
	p := mustLoad(t, "testdata/legacy_divisor")
	s, err := p.Summary(3 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "legacy_divisor" || s.TimeLimitMS != 3000 || s.MemoryMiB != 256 || len(s.Samples) != 2 || s.Statements["en"] == "" {
		t.Errorf("summary %+v", s)
	}
	b, _ := json.Marshal(s)
	for _, secret := range []string{"999999999989", "checker", "trial.py"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("summary leaks %q", secret)
		}
	}
}
