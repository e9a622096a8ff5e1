package problem

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Verdicts as the judge names them.
const (
	VerdictAC  = "AC"
	VerdictWA  = "WA"
	VerdictTLE = "TLE"
	VerdictMLE = "MLE"
	VerdictRE  = "RE"
	VerdictOLE = "OLE"
	VerdictCE  = "CE"
	VerdictIE  = "IE"
)

// Verdicts of one test case in 2025-09 submission rules.
const (
	CaseAC  = "AC"
	CaseWA  = "WA"
	CaseTLE = "TLE"
	CaseRTE = "RTE"
)

// Expectation is what a submissions/ folder (and, in 2025-09,
// submissions.yaml) promises about its programs.
type Expectation struct {
	Folder string
	// Verdicts (legacy, 2023-07-draft): acceptable final verdicts at the
	// time limit. Empty when Rules decide instead.
	Verdicts []string
	// Rules (2025-09): constraints on the verdicts of every case, checked
	// on a judging that runs all cases.
	Rules []CaseRule
	// MarginAC: must be accepted at time limit × safety margin
	// (slow_accepted); MarginTLE: must still time out there
	// (time_limit_exceeded, the "clearly too slow" check of problemtools).
	MarginAC, MarginTLE bool
	// Partial: a scoring submission whose score is strictly between 0 and
	// the maximum.
	Partial bool
	// TimesLimit: its running time sets the derived time limit.
	TimesLimit bool
}

// CaseRule is a 2025-09 requirement on the verdicts of a set of cases.
type CaseRule struct {
	From      string   // where it comes from: "default for wrong_answer", "submissions.yaml: wrong_answer/*.py"
	Cases     string   // glob on case and group names; "" = every case
	Permitted []string // every selected case has one of these (nil = any)
	Required  []string // at least one selected case has one of these (nil = no requirement)
	// Score bounds the score (scoring problems): of the submission, or of
	// the group Cases names. nil = not checked.
	Score *[2]float64
}

// Selects reports whether the rule applies to a case: every case when
// Cases is empty, else the cases its glob names, by their name or a
// group they are in.
func (r CaseRule) Selects(caseName string) bool {
	return r.Cases == "" || globMatchesPath(r.Cases, caseName)
}

// String describes the rule in a few words.
func (r CaseRule) String() string {
	var parts []string
	if r.Cases != "" {
		parts = append(parts, r.Cases+":")
	}
	if r.Permitted != nil {
		parts = append(parts, "only "+strings.Join(r.Permitted, "/"))
	}
	if r.Required != nil {
		parts = append(parts, "some "+strings.Join(r.Required, "/"))
	}
	if r.Score != nil {
		if r.Score[0] == r.Score[1] {
			parts = append(parts, fmt.Sprintf("score %g", r.Score[0]))
		} else {
			parts = append(parts, fmt.Sprintf("score %g..%g", r.Score[0], r.Score[1]))
		}
	}
	return strings.Join(parts, " ")
}

var expectations = map[string]Expectation{
	"accepted":              {Verdicts: []string{VerdictAC}, TimesLimit: true},
	"wrong_answer":          {Verdicts: []string{VerdictWA}},
	"time_limit_exceeded":   {Verdicts: []string{VerdictTLE}, MarginTLE: true},
	"run_time_error":        {Verdicts: []string{VerdictRE}},
	"memory_limit_exceeded": {Verdicts: []string{VerdictMLE, VerdictRE}},
	"output_limit_exceeded": {Verdicts: []string{VerdictOLE}},
	"slow_accepted":         {Verdicts: []string{VerdictAC, VerdictTLE}, MarginAC: true},
	"partially_accepted":    {Verdicts: []string{VerdictWA, VerdictTLE, VerdictRE, VerdictMLE, VerdictOLE}, Partial: true},
	"rejected":              {Verdicts: []string{VerdictWA, VerdictTLE, VerdictRE, VerdictMLE, VerdictOLE}},
}

// defaultRules are the 2025-09 default directories.
var defaultRules = map[string]CaseRule{
	"accepted":            {Permitted: []string{CaseAC}},
	"rejected":            {Required: []string{CaseRTE, CaseTLE, CaseWA}},
	"wrong_answer":        {Permitted: []string{CaseAC, CaseWA}, Required: []string{CaseWA}},
	"time_limit_exceeded": {Permitted: []string{CaseAC, CaseTLE}, Required: []string{CaseTLE}},
	"run_time_error":      {Permitted: []string{CaseAC, CaseRTE}, Required: []string{CaseRTE}},
	"brute_force":         {Permitted: []string{CaseAC, CaseRTE, CaseTLE}, Required: []string{CaseRTE, CaseTLE}},
}

// Submission is a program under submissions/ with the verdict its folder promises.
type Submission struct {
	Program
	Expect Expectation
}

func (p *Package) loadSubmissions(r *report) {
	dir := filepath.Join(p.Dir, "submissions")
	entries, err := os.ReadDir(dir)
	if err != nil {
		r.warnf(CodeMissing, "submissions", "no submissions/: nothing proves the tests right")
		return
	}
	var spec *submissionsYAML
	if p.Format == Format2025 {
		spec = readSubmissionsYAML(r, filepath.Join(dir, "submissions.yaml"))
	}
	for _, e := range entries {
		folder := e.Name()
		if !e.IsDir() {
			if !isDocFile(folder) && folder != "submissions.yaml" {
				r.warnf(CodeBadLayout, "submissions/"+folder, "files must be in a verdict folder (accepted/, wrong_answer/, ...)")
			}
			continue
		}
		exp, ok := expectations[folder]
		if spec != nil {
			exp, ok = Expectation{TimesLimit: folder == "accepted", MarginTLE: folder == "time_limit_exceeded"}, true
		}
		if !ok {
			r.warnf(CodeUnknownKey, "submissions/"+folder, "unknown submissions folder (ignored)")
			continue
		}
		exp.Folder = folder
		for _, prog := range loadPrograms(r, p.Dir, filepath.Join(dir, folder), "submissions/"+folder, submission) {
			s := Submission{Program: prog, Expect: exp}
			if spec != nil && !spec.apply(r, &s) {
				continue
			}
			p.Submissions = append(p.Submissions, s)
		}
	}
	accepted := 0
	for _, s := range p.Submissions {
		if s.Expect.Folder == "accepted" {
			accepted++
		}
	}
	if accepted == 0 {
		r.warnf(CodeMissing, "submissions/accepted", "no accepted submission: the time limit cannot be derived and nothing proves the answers")
	}
}

// submissionsYAML is a 2025-09 submissions/submissions.yaml: for each
// glob on submission paths, settings and rules.
type submissionsYAML struct {
	entries []submissionEntry
}

type submissionEntry struct {
	glob         string
	language     string
	entrypoint   string
	rules        []CaseRule // the entry's own rule first (Cases ""), then per case glob
	timeForLimit string     // use_for_time_limit: "", "false", "lower", "upper"
}

var ruleVerdicts = []string{CaseAC, CaseWA, CaseTLE, CaseRTE}

func readSubmissionsYAML(r *report, file string) *submissionsYAML {
	out := &submissionsYAML{}
	root, exists, ok := readYAML(r, file, "submissions/submissions.yaml")
	if !exists || !ok || root == nil {
		return out
	}
	y := yamlFile{name: "submissions/submissions.yaml", r: r}
	if root.Kind != yaml.MappingNode {
		y.wrongType(root, "", "a map of submission globs")
		return out
	}
	verdicts := func(dst *[]string) func(*yaml.Node, string) {
		return func(v *yaml.Node, p string) {
			list, ok := y.strList(v, p)
			if !ok {
				return
			}
			for _, x := range list {
				if !slices.Contains(ruleVerdicts, x) {
					r.errorf(CodeBadValue, y.at(p), "unknown verdict %q (want AC, WA, TLE or RTE)", x)
					return
				}
			}
			*dst = list
		}
	}
	score := func(dst **[2]float64) func(*yaml.Node, string) {
		return func(v *yaml.Node, p string) {
			if v.Kind == yaml.SequenceNode && len(v.Content) == 2 {
				lo, ok1 := y.number(deref(v.Content[0]), p+"[0]")
				hi, ok2 := y.number(deref(v.Content[1]), p+"[1]")
				if ok1 && ok2 && lo <= hi {
					*dst = &[2]float64{lo, hi}
				}
				return
			}
			if f, ok := y.number(v, p); ok {
				*dst = &[2]float64{f, f}
			}
		}
	}
	ruleKeys := func(rule *CaseRule, timeForLimit *string) map[string]func(*yaml.Node, string) {
		return map[string]func(*yaml.Node, string){
			"permitted": verdicts(&rule.Permitted),
			"required":  verdicts(&rule.Required),
			"score":     score(&rule.Score),
			"message":   func(v *yaml.Node, p string) { r.warnf(CodeUnsupported, y.at(p), "judge messages are not checked here") },
			"use_for_time_limit": func(v *yaml.Node, p string) {
				if v.Kind == yaml.ScalarNode && (v.Value == "lower" || v.Value == "upper" || v.Value == "false" || v.Value == "true") {
					*timeForLimit = v.Value
					return
				}
				y.wrongType(v, p, "a boolean, lower or upper")
			},
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		glob, v := root.Content[i].Value, deref(root.Content[i+1])
		e := submissionEntry{glob: glob}
		own := CaseRule{From: "submissions.yaml: " + glob}
		keys := ruleKeys(&own, &e.timeForLimit)
		keys["language"] = func(v *yaml.Node, p string) { e.language, _ = y.str(v, p) }
		keys["entrypoint"] = func(v *yaml.Node, p string) { e.entrypoint, _ = y.str(v, p) }
		keys["authors"] = func(v *yaml.Node, p string) { persons(y, v, p) }
		keys["model_solution"] = func(v *yaml.Node, p string) { y.boolean(v, p) }
		if v.Kind != yaml.MappingNode {
			y.wrongType(v, glob, "a map")
			continue
		}
		var caseRules []CaseRule
		for j := 0; j+1 < len(v.Content); j += 2 {
			key, val := v.Content[j].Value, deref(v.Content[j+1])
			if fn, ok := keys[key]; ok {
				if !isNull(val) {
					fn(val, glob+"."+key)
				}
				continue
			}
			// Any other key is a glob on test cases and groups.
			rule := CaseRule{From: "submissions.yaml: " + glob + " " + key, Cases: key}
			var ignored string
			y.fields(val, glob+"."+key, ruleKeys(&rule, &ignored))
			caseRules = append(caseRules, rule)
		}
		e.rules = append([]CaseRule{own}, caseRules...)
		out.entries = append(out.entries, e)
	}
	return out
}

// apply sets a submission's rules, language and entry from the defaults
// of its folder and every submissions.yaml entry matching it. false: the
// submission is skipped (a warning says why).
func (sy *submissionsYAML) apply(r *report, s *Submission) bool {
	rel := strings.TrimPrefix(s.Name, "submissions/")
	folder := s.Expect.Folder
	def, isDefault := defaultRules[folder]
	def.From = "default for " + folder + "/"
	for _, e := range sy.entries {
		if !e.matches(rel) {
			continue
		}
		if e.glob == folder && isDefault {
			// Naming a default directory overrides its keys.
			own := e.rules[0]
			if own.Permitted != nil {
				def.Permitted = own.Permitted
			}
			if own.Required != nil {
				def.Required = own.Required
			}
			if own.Score != nil {
				def.Score = own.Score
			}
			s.Expect.Rules = append(s.Expect.Rules, e.rules[1:]...)
		} else {
			for _, rule := range e.rules {
				if rule.Cases != "" || rule.Permitted != nil || rule.Required != nil || rule.Score != nil {
					s.Expect.Rules = append(s.Expect.Rules, rule)
				}
			}
		}
		switch e.timeForLimit {
		case "false":
			s.Expect.TimesLimit = false
		case "lower":
			s.Expect.TimesLimit = true
		case "upper":
			s.Expect.MarginTLE = true
		}
		if e.language != "" {
			id := LanguageID(e.language)
			if id == "" {
				r.warnf(CodeUnsupported, s.Name, "language %q (submissions.yaml) is not one the judge knows: not judged", e.language)
				return false
			}
			s.Language = id
		}
		if e.entrypoint != "" {
			if !slices.Contains(s.Files, e.entrypoint) {
				r.warnf(CodeBadValue, s.Name, "entrypoint %q (submissions.yaml) is not one of its files: not judged", e.entrypoint)
				return false
			}
			s.Main = e.entrypoint
		}
	}
	if isDefault {
		s.Expect.Rules = append([]CaseRule{def}, s.Expect.Rules...)
	}
	if len(s.Expect.Rules) == 0 {
		r.warnf(CodeUnknownKey, s.Name, "no rule applies (not a default folder and no submissions.yaml entry): not judged")
		return false
	}
	return true
}

// matches: the glob matches the submission's path or one of its parent
// directories; * stays within a name, {a,b} expands.
func (e submissionEntry) matches(rel string) bool {
	return globMatchesPath(e.glob, rel)
}

// globMatchesPath reports whether glob matches name or a parent of it
// ("secret/g1" matches "secret/g1/03"; "accepted" matches
// "accepted/sol.py").
func globMatchesPath(glob, name string) bool {
	for _, g := range expandBraces(glob) {
		for p := name; p != "." && p != "/" && p != ""; p = path.Dir(p) {
			if ok, _ := path.Match(g, p); ok {
				return true
			}
		}
	}
	return false
}

// expandBraces expands {a,b} alternatives (not nested), at most 64 results.
func expandBraces(glob string) []string {
	open := strings.IndexByte(glob, '{')
	end := strings.IndexByte(glob, '}')
	if open < 0 || end < open {
		return []string{glob}
	}
	var out []string
	for _, alt := range strings.Split(glob[open+1:end], ",") {
		for _, rest := range expandBraces(glob[end+1:]) {
			if len(out) < 64 {
				out = append(out, glob[:open]+alt+rest)
			}
		}
	}
	return out
}
