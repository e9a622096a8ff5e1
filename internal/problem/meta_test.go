package problem

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writePkg writes a minimal valid package plus the given files (path →
// content; "" content removes the file) and returns its directory.
func writePkg(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pkg")
	base := map[string]string{
		"problem.yaml":                    "name: Minimal\n",
		"problem_statement/problem.en.md": "Echo the number.\n",
		"data/sample/1.in":                "1\n",
		"data/sample/1.ans":               "1\n",
		"data/secret/1.in":                "2\n",
		"data/secret/1.ans":               "2\n",
		"submissions/accepted/echo.py":    "print(input())\n",
	}
	for k, v := range files {
		base[k] = v
	}
	for name, content := range base {
		if content == "" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadVariants(t *testing.T) {
	draft := "problem_format_version: 2023-07-draft\nuuid: 00000000-0000-0000-0000-000000000001\n"
	v2025 := map[string]string{
		"problem.yaml":                    "problem_format_version: 2025-09\nname: Echo\nuuid: 00000000-0000-0000-0000-000000000002\n",
		"statement/problem.en.md":         "Echo the number.\n",
		"problem_statement/problem.en.md": "",
	}
	with := func(base map[string]string, extra ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i+1 < len(extra); i += 2 {
			out[extra[i]] = extra[i+1]
		}
		return out
	}
	tests := []struct {
		name  string
		files map[string]string
		err   string // substring of the error; "" = loads
		warn  string // substring of a warning
		check func(t *testing.T, p *Package)
	}{
		{name: "minimal legacy", check: func(t *testing.T, p *Package) {
			if p.Meta.Limits.MemoryMiB != 1024 || p.Meta.Validation != "default" || p.Meta.Types[0] != TypePassFail {
				t.Errorf("defaults %+v", p.Meta)
			}
		}},
		{name: "timelimit file", files: map[string]string{".timelimit": "2.5\n"}, check: func(t *testing.T, p *Package) {
			if p.TimeLimit != 2500*time.Millisecond || p.TimeLimitFrom != ".timelimit" {
				t.Errorf("time limit %v %q", p.TimeLimit, p.TimeLimitFrom)
			}
		}},
		{name: "domjudge ini", files: map[string]string{"domjudge-problem.ini": "name='x'\ntimelimit = '3'\n"}, check: func(t *testing.T, p *Package) {
			if p.TimeLimit != 3*time.Second || p.TimeLimitFrom != "domjudge-problem.ini" {
				t.Errorf("time limit %v %q", p.TimeLimit, p.TimeLimitFrom)
			}
		}},
		{name: "bad timelimit file", files: map[string]string{".timelimit": "soon"}, err: `.timelimit: want a positive number of seconds, got "soon"`},
		{name: "unsupported version", files: map[string]string{"problem.yaml": "problem_format_version: 2099-01\n"}, err: "unsupported version"},
		{name: "legacy type list", files: map[string]string{"problem.yaml": "type: [scoring]\n"}, err: "problem.yaml: type: want a string (a list needs problem_format_version 2023-07-draft or 2025-09)"},
		{name: "draft multi-pass", files: map[string]string{"problem.yaml": draft + "type: [pass-fail, multi-pass]\n"}, err: `problem type "multi-pass" is not supported`},
		{name: "draft interactive needs interactor", files: map[string]string{"problem.yaml": draft + "type: interactive\n", "statement/problem.en.md": "x", "problem_statement/problem.en.md": ""},
			err: "output_validator: interactive problems need an output validator"},
		{name: "custom validation without validator", files: map[string]string{"problem.yaml": "validation: custom\n"}, err: "there is no output validator"},
		{name: "negative memory", files: map[string]string{"problem.yaml": "limits:\n  memory: -5\n"}, err: "problem.yaml: limits.memory: must be positive, got -5"},
		{name: "time multiplier below 1", files: map[string]string{"problem.yaml": "limits:\n  time_multiplier: 0.5\n"}, err: "limits.time_multiplier: must be at least 1"},
		{name: "duplicate key", files: map[string]string{"problem.yaml": "name: a\nname: b\n"}, err: "problem.yaml: name"},
		{name: "name map", files: map[string]string{"problem.yaml": "name:\n  en: Hello\n  de: Hallo\n"}, check: func(t *testing.T, p *Package) {
			if p.Meta.Name("de") != "Hallo" || p.Meta.Name("fr") != "Hello" {
				t.Errorf("names %v", p.Meta.Names)
			}
		}},
		{name: "name wrong type", files: map[string]string{"problem.yaml": "name: [a, b]\n"}, err: "problem.yaml: name: want a map, got a list"},
		{name: "legacy key in draft warns", files: map[string]string{"problem.yaml": draft + "limits:\n  time_multiplier: 3\n", "statement/problem.en.md": "x", "problem_statement/problem.en.md": ""},
			warn: "problem.yaml: limits.time_multiplier: unknown key"},
		{name: "draft time_limit", files: map[string]string{"problem.yaml": draft + "limits:\n  time_limit: 1.5\n  time_multipliers: {ac_to_time_limit: 3, time_limit_to_tle: 1.2}\n", "statement/problem.en.md": "x", "problem_statement/problem.en.md": ""},
			check: func(t *testing.T, p *Package) {
				if p.TimeLimit != 1500*time.Millisecond || p.Meta.Limits.TimeMultiplier != 3 || p.Meta.Limits.TimeSafetyMargin != 1.2 {
					t.Errorf("limits %v %+v", p.TimeLimit, p.Meta.Limits)
				}
			}},
		{name: "top level list", files: map[string]string{"problem.yaml": "- a\n- b\n"}, err: "problem.yaml: want a map, got a list"},
		{name: "draft multipliers scalar", files: map[string]string{"problem.yaml": draft + "limits:\n  time_multipliers: 2\n", "statement/problem.en.md": "x", "problem_statement/problem.en.md": ""},
			err: "problem.yaml: limits.time_multipliers: want a map, got 2"},
		{name: "on_reject value", files: map[string]string{"data/secret/testdata.yaml": "on_reject: maybe\n"}, err: `data/secret/testdata.yaml: on_reject: want break or continue, got "maybe"`},
		{name: "no statement", files: map[string]string{"problem_statement/problem.en.md": ""}, err: "no statement"},
		{name: "pdf statement only", files: map[string]string{"problem_statement/problem.en.md": "", "problem_statement/problem.en.pdf": "%PDF"}, err: "PDF statements cannot be shown"},
		{name: "latex statement", files: map[string]string{"problem_statement/problem.en.md": "", "problem_statement/problem.tex": `\problemname{Echo}Print $n$.`},
			check: func(t *testing.T, p *Package) {
				st := p.Statement("en")
				if st == nil || st.Format != "latex" || st.Markdown != "Print $n$." || st.Title != "Echo" {
					t.Errorf("statement %+v", st)
				}
			}},
		{name: "bad interaction", files: map[string]string{"problem.yaml": "name: x\nvalidation: custom interactive\n", "output_validators/i.py": "x", "data/sample/1.interaction": ">1\nhello\n"}, err: "data/sample/1.interaction: line 2"},
		{name: "interaction on a problem that is not interactive", files: map[string]string{"data/sample/1.interaction": ">1\n"}, warn: "data/sample/1.interaction: ignored: the problem is not interactive"},
		{name: "interaction-only samples", files: map[string]string{"problem.yaml": "name: x\nvalidation: custom interactive\n", "output_validators/i.py": "x",
			"data/sample/1.in": "", "data/sample/1.ans": "", "data/sample/1.interaction": ">5\n<higher\n", "data/sample/2.interaction": ">7\n<correct\n"},
			check: func(t *testing.T, p *Package) {
				if len(p.Sample.AllCases()) != 0 || len(p.Sample.Transcripts) != 2 || len(p.Cases()) != 1 {
					t.Errorf("sample cases %v transcripts %d", caseNames(p.Sample.AllCases()), len(p.Sample.Transcripts))
				}
				s, err := p.Samples()
				if err != nil || len(s) != 2 || s[0].Name != "sample/1" || len(s[1].Transcript) != 2 || s[1].Input != "" {
					t.Errorf("samples %+v %v", s, err)
				}
				for _, w := range p.Warnings {
					if strings.Contains(w.String(), "sample") {
						t.Errorf("warning %s", w)
					}
				}
			}},
		{name: "two output validators", files: map[string]string{"problem.yaml": "validation: custom\n", "output_validators/a.py": "x", "output_validators/b.py": "y"}, err: "exactly one is supported"},
		{name: "unknown submission language is skipped", files: map[string]string{"submissions/accepted/sol.zzq": "fun main() {}"}, warn: `submissions/accepted/sol.zzq: no language of the judge has the extension ".zzq"`,
			check: func(t *testing.T, p *Package) {
				if len(p.Submissions) != 1 {
					t.Errorf("submissions %+v", p.Submissions)
				}
			}},
		{name: "unknown validator language fails", files: map[string]string{"input_validators/v.zzq": "exit 42"}, err: `input_validators/v.zzq: no language of the judge has the extension ".zzq"`},
		{name: "2025-09 minimal", files: v2025, check: func(t *testing.T, p *Package) {
			if p.Format != Format2025 || p.Meta.Limits.MemoryMiB != 2048 || !p.Secret.Settings.Modern || p.Secret.Settings.MaxScore != 100 {
				t.Errorf("format %s limits %+v secret %+v", p.Format, p.Meta.Limits, p.Secret.Settings)
			}
		}},
		{name: "2025-09 args", files: with(v2025, "data/secret/test_group.yaml", "args: [--fast]\noutput_validator_args: [case_sensitive]\n",
			"data/secret/2.in", "3\n", "data/secret/2.ans", "3\n", "data/secret/2.yaml", "args: [--slow, x]\n"),
			check: func(t *testing.T, p *Package) {
				c1, c2 := p.Secret.Cases[0], p.Secret.Cases[1]
				if strings.Join(c1.Args, " ") != "--fast" || strings.Join(c2.Args, " ") != "--slow x" || strings.Join(c2.OutputValidatorArgs, " ") != "case_sensitive" {
					t.Errorf("args %q %q %q", c1.Args, c2.Args, c2.OutputValidatorArgs)
				}
			}},
		{name: "2025-09 testdata.yaml is ignored", files: with(v2025, "data/secret/testdata.yaml", "on_reject: continue\n"),
			warn: "data/secret/testdata.yaml: ignored: 2025-09 packages configure groups in test_group.yaml"},
		{name: "2025-09 bad aggregation", files: with(v2025, "data/secret/test_group.yaml", "score_aggregation: avg\n"),
			err: `data/secret/test_group.yaml: score_aggregation: want pass-fail, sum or min, got "avg"`},
		{name: "2025-09 group without max_score", files: with(v2025, "problem.yaml", "problem_format_version: 2025-09\nname: x\ntype: scoring\n",
			"data/secret/1.in", "", "data/secret/1.ans", "", "data/secret/g/1.in", "1\n", "data/secret/g/1.ans", "1\n"),
			err: "data/secret/g/test_group.yaml: max_score: a group needs one when data/secret's is bounded (100)"},
		{name: "2025-09 scoring keys in a pass-fail problem", files: with(v2025, "data/secret/test_group.yaml", "require_pass: sample\n"),
			warn: "data/secret/test_group.yaml: scoring keys (max_score, require_pass) in a pass-fail problem are ignored"},
		{name: "2025-09 max_score in sample", files: with(v2025, "data/sample/test_group.yaml", "max_score: 5\n"),
			err: "data/sample/test_group.yaml: max_score: not allowed in data/sample"},
		{name: "2025-09 static validation", files: with(v2025, "data/secret/test_group.yaml", "static_validation_score: 10\n"),
			err: "static validation is not supported here"},
		{name: "2025-09 input files", files: with(v2025, "data/secret/1.files/extra.txt", "x"),
			err: "data/secret/1.files: input files for the submission's working directory are not supported here"},
		{name: "2025-09 bad constant", files: with(v2025, "problem.yaml", "problem_format_version: 2025-09\nname: x\nconstants:\n  9lives: 9\n"),
			err: "problem.yaml: constants.9lives: constant names match"},
		{name: "2025-09 person without a name", files: with(v2025, "problem.yaml", "problem_format_version: 2025-09\nname: x\ncredits:\n  authors:\n    - email: a@b\n"),
			err: "problem.yaml: credits.authors[0].name: a person needs a name"},
		{name: "2025-09 submission folder without rules", files: with(v2025, "submissions/mystery/x.py", "print(1)\n"),
			warn: "submissions/mystery/x.py: no rule applies"},
		{name: "2025-09 submissions.yaml language", files: with(v2025, "submissions/accepted/sol.txt", "x",
			"submissions/submissions.yaml", "accepted/echo.py:\n  language: python3\n  permitted: [AC, WA]\nmystery/*:\n  required: [WA]\n"),
			check: func(t *testing.T, p *Package) {
				s := findSubmission(p, "submissions/accepted/echo.py")
				if s == nil || len(s.Expect.Rules) != 2 || s.Language != "python" || s.Expect.Rules[1].String() != "only AC/WA" {
					t.Errorf("submission %+v", s)
				}
			}},
		{name: "2025-09 unknown verdict", files: with(v2025, "submissions/submissions.yaml", "accepted:\n  permitted: [OK]\n"),
			err: `submissions/submissions.yaml: accepted.permitted: unknown verdict "OK"`},
		{name: "viva is skipped", files: map[string]string{"input_validators/v.viva": "x", "input_validators/v.py": "exit(42)"}, warn: "input_validators/v.viva: VIVA validators are not run here",
			check: func(t *testing.T, p *Package) {
				if len(p.InputValidators) != 1 || p.InputValidators[0].Language != "python" {
					t.Errorf("input validators %+v", p.InputValidators)
				}
			}},
		{name: "ctd validator", files: map[string]string{"input_validators/format.ctd": "INT(1, 10) NEWLINE\n"}, check: func(t *testing.T, p *Package) {
			if len(p.InputValidators) != 1 || p.InputValidators[0].Language != LangChecktestdata {
				t.Errorf("input validators %+v", p.InputValidators)
			}
		}},
		{name: "ctd syntax error", files: map[string]string{"input_validators/format.ctd": "INT(1, 10\nNEWLINE\n"}, err: `input_validators/format.ctd: checktestdata: line 2, column 1: expected ")"`},
		{name: "no sample", files: map[string]string{"data/sample/1.in": "", "data/sample/1.ans": ""}, warn: "data/sample: no samples: players see no example",
			check: func(t *testing.T, p *Package) {
				if p.Sample == nil || len(p.Sample.AllCases()) != 0 || len(p.Cases()) != 1 {
					t.Errorf("cases %v", caseNames(p.Cases()))
				}
				if s, err := p.Samples(); err != nil || len(s) != 0 {
					t.Errorf("samples %v %v", s, err)
				}
			}},
		{name: "directory submission", files: map[string]string{"submissions/accepted/multi/main.py": "from util import f\nf()\n", "submissions/accepted/multi/util.py": "def f(): print(input())\n"},
			check: func(t *testing.T, p *Package) {
				s := findSubmission(p, "submissions/accepted/multi")
				if s == nil || s.Language != "python" || s.Main != "main.py" || len(s.Files) != 2 {
					t.Errorf("submission %+v", s)
				}
			}},
		{name: "directory submission without entry", files: map[string]string{"submissions/accepted/multi/a.py": "x", "submissions/accepted/multi/b.py": "y"},
			warn: "submissions/accepted/multi: no recognised entry file: 2 Python 3 source files and none is the entry: name it main.py: not judged",
			check: func(t *testing.T, p *Package) {
				if findSubmission(p, "submissions/accepted/multi") != nil {
					t.Error("judged a submission without an entry")
				}
			}},
		{name: "directory submission in no language", files: map[string]string{"submissions/accepted/multi/notes.txt": "x", "submissions/accepted/multi/x.zzq": "y"},
			warn: "submissions/accepted/multi: no source file in a language of the judge"},
		{name: "directory submission in two languages", files: map[string]string{"submissions/accepted/multi/main.py": "x", "submissions/accepted/multi/Main.java": "y"},
			warn: "submissions/accepted/multi: sources in several languages: java, python: not judged"},
		{name: "directory submission with subdirectories", files: map[string]string{"submissions/accepted/multi/main.py": "x", "submissions/accepted/multi/lib/u.py": "y"},
			warn: "file lib/u.py is in a subdirectory"},
		{name: "python package directory", files: map[string]string{"submissions/accepted/pkg/__main__.py": "x", "submissions/accepted/pkg/__init__.py": "", "submissions/accepted/pkg/solve.py": "y"},
			check: func(t *testing.T, p *Package) {
				if s := findSubmission(p, "submissions/accepted/pkg"); s == nil || s.Main != "__main__.py" {
					t.Errorf("submission %+v", s)
				}
			}},
		{name: "include for a language", files: map[string]string{"include/python3/main.py": "import sol\n", "include/cpp/x.h": "int x;"},
			check: func(t *testing.T, p *Package) {
				s := findSubmission(p, "submissions/accepted/echo.py")
				if s == nil || len(s.Includes) != 1 || s.Main != "main.py" {
					t.Fatalf("submission %+v", s)
				}
				src, err := s.Sources()
				if err != nil || string(src["main.py"]) != "import sol\n" || src["echo.py"] == nil {
					t.Errorf("sources %v %v", src, err)
				}
			}},
		{name: "include for an unknown language", files: map[string]string{"include/klingon/x": "y"}, warn: `include/klingon: no language of the judge is called "klingon"`},
		{name: "build script program", files: map[string]string{"input_validators/v/build": "#!/bin/sh", "input_validators/v/run": "#!/bin/sh"}, err: "build/run script programs are not supported"},
		{name: "empty secret", files: map[string]string{"data/secret/1.in": "", "data/secret/1.ans": "", "data/secret/keep.txt": "x"}, err: "data/secret: no test cases"},
		{name: "testdata.yaml wrong type", files: map[string]string{"data/secret/testdata.yaml": "accept_score: many\n"}, err: `data/secret/testdata.yaml: accept_score: want number, got "many"`},
		{name: "testdata.yaml custom grader", files: map[string]string{"data/testdata.yaml": "grading: custom\n"}, err: "custom graders are not supported"},
		{name: "unknown submissions folder", files: map[string]string{"submissions/maybe/x.py": "print(1)"}, warn: "submissions/maybe: unknown submissions folder"},
		{name: "custom score is supported", files: map[string]string{"problem.yaml": "type: scoring\nvalidation: custom score\n", "output_validators/v.py": "x"}, check: func(t *testing.T, p *Package) {
			for _, w := range p.Warnings {
				if strings.Contains(w.String(), "score") {
					t.Errorf("warning %s", w)
				}
			}
			if p.OutputValidator == nil || !p.Meta.Scoring() {
				t.Errorf("validator %v, scoring %v", p.OutputValidator, p.Meta.Scoring())
			}
		}},
		{name: "custom score without a validator", files: map[string]string{"problem.yaml": "type: scoring\nvalidation: custom score\n"}, err: "output validator"},
		{name: "shebang generator", files: map[string]string{"generators/gen": "#!/usr/bin/env python3\nprint(1)\n"}, check: func(t *testing.T, p *Package) {
			if p.Generator == nil || p.Generator.Language != "python" || p.Generator.Main != "gen" {
				t.Errorf("generator %+v", p.Generator)
			}
		}},
		{name: "generator without shebang warns", files: map[string]string{"generators/gen": "print(1)\n"}, warn: "generators/gen: cannot tell the language"},
		{name: "generator found", files: map[string]string{"generators/gen.py": "print(1)"}, check: func(t *testing.T, p *Package) {
			if p.Generator == nil || p.Generator.Language != "python" {
				t.Errorf("generator %+v", p.Generator)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Load(writePkg(t, tc.files))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.warn != "" {
				found := false
				for _, w := range p.Warnings {
					found = found || strings.Contains(w.String(), tc.warn)
				}
				if !found {
					t.Errorf("warnings %v lack %q", p.Warnings, tc.warn)
				}
			}
			if tc.check != nil {
				tc.check(t, p)
			}
		})
	}
}

func findSubmission(p *Package, name string) *Submission {
	for i := range p.Submissions {
		if p.Submissions[i].Name == name {
			return &p.Submissions[i]
		}
	}
	return nil
}

func TestCheckBundled(t *testing.T) {
	// The draft fixture is a good Kattis package but not a bundled-set one.
	p, err := Load("testdata/draft_average")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(CheckBundled(p), "\n")
	for _, want := range []string{
		"data/secret: 6 test(s), want at least 15",
		"generators/gen: a generator",
		"submissions/accepted: languages [cpp python], want at least 3",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckBundled lacks %q:\n%s", want, got)
		}
	}
	for _, notWant := range []string{"arena.yaml", "input_validators", "wrong_answer", "data/sample"} {
		if strings.Contains(got, notWant) {
			t.Errorf("CheckBundled complains about %s:\n%s", notWant, got)
		}
	}
}
