package problem

import (
	"fmt"
	"sort"
	"strings"
)

// CheckBundled applies the house rules of the bundled problem set (issue
// "Problem packages"), on top of what the format requires: arena.yaml with a
// difficulty, tags and intended complexity; a Markdown statement; at least 2
// samples and 15 secret tests; an input validator; a generator; accepted
// solutions in at least 3 languages including Python and C++; a
// wrong_answer solution. It returns one message per broken rule.
func CheckBundled(p *Package) []string {
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	if p.Arena.Difficulty == 0 {
		add("arena.yaml: difficulty (800–3000) missing")
	}
	if len(p.Arena.Tags) == 0 {
		add("arena.yaml: tags missing")
	}
	if p.Arena.Complexity.Time == "" || p.Arena.Complexity.Space == "" {
		add("arena.yaml: complexity.time and complexity.space are required")
	}
	if st := p.Statement("en"); st == nil || st.Format != "markdown" {
		add("statement: an English Markdown statement (problem.en.md) is required")
	}
	if n := len(p.Sample.AllCases()); n < 2 {
		add("data/sample: %d sample(s), want at least 2", n)
	}
	if n := len(p.Secret.AllCases()); n < 15 {
		add("data/secret: %d test(s), want at least 15", n)
	}
	if len(p.InputValidators) == 0 {
		add("input_validators: an input validator is required")
	}
	if p.Generator == nil {
		add("generators/gen: a generator (gen <n> <seed>) is required")
	}
	langs := map[string]bool{}
	wrong := 0
	for _, s := range p.Submissions {
		switch s.Expect.Folder {
		case "accepted":
			langs[s.Language] = true
		case "wrong_answer":
			wrong++
		}
	}
	if len(langs) < 3 || !langs["python"] || !langs["cpp"] {
		have := make([]string, 0, len(langs))
		for l := range langs {
			have = append(have, l)
		}
		sort.Strings(have)
		add("submissions/accepted: languages [%s], want at least 3 including python and cpp", strings.Join(have, " "))
	}
	if wrong == 0 {
		add("submissions/wrong_answer: at least one wrong answer is required")
	}
	return out
}
