package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
)

// caseVerdict is a judge verdict as 2025-09 submission rules name it:
// AC, WA, TLE, or RTE for every way of crashing (RE, MLE, OLE).
func caseVerdict(v judge.Verdict) string {
	switch v {
	case judge.AC:
		return problem.CaseAC
	case judge.WA:
		return problem.CaseWA
	case judge.TLE:
		return problem.CaseTLE
	}
	return problem.CaseRTE
}

// checkRules checks a result judged on every case against 2025-09 rules:
// permitted (every selected case has one of these verdicts), required (at
// least one has one of these), score (of the submission, or of the group
// the rule names). It returns "" when every rule holds, else what broke.
func checkRules(pkg *problem.Package, rules []problem.CaseRule, res *judge.Result) string {
	var broken []string
	for _, rule := range rules {
		var selected []judge.TestResult
		for _, t := range res.Tests {
			if rule.Selects(t.Name) {
				selected = append(selected, t)
			}
		}
		if rule.Permitted != nil {
			for _, t := range selected {
				if v := caseVerdict(t.Verdict); !slices.Contains(rule.Permitted, v) {
					broken = append(broken, fmt.Sprintf("%s: %s got %s, permitted %s", rule.From, t.Name, v, strings.Join(rule.Permitted, "/")))
					break
				}
			}
		}
		if rule.Required != nil {
			found := false
			for _, t := range selected {
				found = found || slices.Contains(rule.Required, caseVerdict(t.Verdict))
			}
			if !found {
				broken = append(broken, fmt.Sprintf("%s: no case got %s (required), of %d", rule.From, strings.Join(rule.Required, " or "), len(selected)))
			}
		}
		if rule.Score != nil && pkg.Meta.Scoring() {
			score := 0.0
			if rule.Cases == "" {
				score, _ = Score(pkg, res)
			} else if _, sc, found := pkg.GradeGroup(rule.Cases, outcomes(pkg, res)); found {
				score = sc
			} else {
				broken = append(broken, fmt.Sprintf("%s: no group %s to score", rule.From, rule.Cases))
				continue
			}
			if score < rule.Score[0] || score > rule.Score[1] {
				broken = append(broken, fmt.Sprintf("%s: score %g, want %s", rule.From, score, rule.String()))
			}
		}
	}
	return strings.Join(broken, "; ")
}

// outcomes turns a result into the case outcomes grading takes.
func outcomes(pkg *problem.Package, res *judge.Result) func(*problem.Case) (problem.CaseOutcome, bool) {
	byName := map[string]judge.TestResult{}
	for _, t := range res.Tests {
		byName[t.Name] = t
	}
	validatorScores := pkg.Format.Modern() || strings.Contains(pkg.Meta.Validation, "score")
	return func(c *problem.Case) (problem.CaseOutcome, bool) {
		t, ok := byName[c.Name]
		o := problem.CaseOutcome{Accepted: ok && t.Verdict == judge.AC}
		if o.Accepted && validatorScores {
			o.Score = t.Score
		}
		return o, ok
	}
}
