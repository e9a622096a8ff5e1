package problem

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Group is a test data directory: data/sample, data/secret, or a nested
// group below data/secret. Cases and groups are in natural order (2 before 10).
type Group struct {
	Name     string // "sample", "secret", "secret/group1"
	Settings GroupSettings
	Cases    []*Case
	Groups   []*Group
	// Transcripts are samples given only as a .interaction file (no .in):
	// shown to players, never run.
	Transcripts []*Case
}

// GroupSettings is the effective testdata.yaml for a group. As in
// problemtools, a key missing from a group's testdata.yaml is inherited from
// the closest ancestor that sets it.
type GroupSettings struct {
	From                string  // testdata.yaml or test_group.yaml that set these ("" = defaults)
	OnReject            string  // "break" (default) or "continue"
	Aggregation         string  // "sum" (default), "min", "max", "avg"
	AcceptScore         float64 // score of an accepted case (1; 0 for samples)
	RejectScore         float64 // score of a rejected case (0)
	RangeMin, RangeMax  float64 // group score is clamped to this range
	IgnoreSample        bool
	AcceptIfAnyAccepted bool
	WorstError          bool // verdict is the worst error, not the first
	InputValidatorArgs  []string
	OutputValidatorArgs []string
	// InputValidatorArgsByName is a map of input_validator_args (draft,
	// 2025-09): validator name → its arguments; validators not named get
	// none. nil = InputValidatorArgs go to every validator.
	InputValidatorArgsByName map[string][]string
	// Args (2025-09 args) are the submission's command-line arguments.
	Args []string

	// 2025-09 scoring (test_group.yaml): MaxScore is +Inf for unbounded;
	// Aggregation is then "pass-fail", "sum" or "min"; RequirePass names
	// groups ("sample", "secret/group1") every case of which must be
	// accepted for this group to score.
	Modern      bool
	MaxScore    float64
	RequirePass []string
}

// Case is one test: an input, its answer and, for interactive samples, the
// transcript shown to players.
type Case struct {
	Name        string // path under data/ without extension: "secret/g1/03-max"
	Group       string // "secret/g1"
	In          string // absolute path of .in
	Ans         string // absolute path of .ans ("" only for interactive problems)
	Interaction string // absolute path of .interaction (samples of interactive problems)
	Sample      bool
	Transcript  []TranscriptLine
	// ShownIn and ShownAns replace In and Ans in the statement (2025-09
	// .in.statement, .ans.statement or .out); "" = In and Ans.
	ShownIn, ShownAns string
	// Effective validator arguments from testdata.yaml (legacy
	// input_validator_flags / output_validator_flags, draft *_args), or
	// test_group.yaml and the case's own .yaml (2025-09).
	InputValidatorArgs       []string
	InputValidatorArgsByName map[string][]string
	OutputValidatorArgs      []string
	Args                     []string // the submission's arguments for this case (2025-09)
}

// ValidatorArgs are the arguments input validator v gets on this case:
// the case's input_validator_args (the ones naming v when they are a map),
// then its args (2025-09).
func (c *Case) ValidatorArgs(v Program) []string {
	args := c.InputValidatorArgs
	if c.InputValidatorArgsByName != nil {
		args = nil
		base := filepath.Base(v.Name)
		for _, name := range []string{base, strings.TrimSuffix(base, filepath.Ext(base))} {
			if a, ok := c.InputValidatorArgsByName[name]; ok {
				args = a
				break
			}
		}
	}
	return append(append([]string(nil), args...), c.Args...)
}

// TranscriptLine is one line of a sample interaction. In .interaction files
// "<" lines are read by the submission and ">" lines written by it.
type TranscriptLine struct {
	FromSubmission bool   `json:"from_submission"`
	Text           string `json:"text"`
}

func defaultSettings(sample bool) GroupSettings {
	s := GroupSettings{OnReject: "break", Aggregation: "sum", AcceptScore: 1,
		RangeMin: math.Inf(-1), RangeMax: math.Inf(1)}
	if sample {
		// Samples are shown to everyone: they never earn points unless the
		// package says so in data/sample/testdata.yaml.
		s.AcceptScore = 0
	}
	return s
}

// inputValidatorArgs reads input_validator_args: a list (every
// validator gets it) or a map of validator name to its list.
func inputValidatorArgs(y yamlFile, v *yaml.Node, p string, s *GroupSettings) {
	if v.Kind != yaml.MappingNode {
		if a, ok := y.args(v, p); ok {
			s.InputValidatorArgs, s.InputValidatorArgsByName = a, nil
		}
		return
	}
	byName := map[string][]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		if a, ok := y.args(deref(v.Content[i+1]), p+"."+v.Content[i].Value); ok {
			byName[v.Content[i].Value] = a
		}
	}
	s.InputValidatorArgs, s.InputValidatorArgsByName = nil, byName
}

// parseTestdataYAML reads one testdata.yaml over inherited settings.
func parseTestdataYAML(r *report, root *yaml.Node, name string, s GroupSettings) GroupSettings {
	y := yamlFile{name: name, r: r}
	s.From = name
	num := func(dst *float64) func(*yaml.Node, string) {
		return func(v *yaml.Node, p string) {
			if f, ok := y.number(v, p); ok {
				*dst = f
			}
		}
	}
	aggregation := func(v *yaml.Node, p string) {
		a, ok := y.str(v, p)
		if !ok {
			return
		}
		switch a {
		case "sum", "min", "max", "avg":
			s.Aggregation = a
		case "pass-fail":
			s.Aggregation = "min"
		default:
			r.errorf(CodeBadValue, y.at(p), "want sum, min, max, avg or pass-fail, got %q", a)
		}
	}
	y.fields(root, "", map[string]func(*yaml.Node, string){
		"on_reject": func(v *yaml.Node, p string) {
			if o, ok := y.str(v, p); ok {
				if o != "break" && o != "continue" {
					r.errorf(CodeBadValue, y.at(p), "want break or continue, got %q", o)
					return
				}
				s.OnReject = o
			}
		},
		"grading": func(v *yaml.Node, p string) {
			if g, ok := y.str(v, p); ok && g != "default" {
				r.errorf(CodeUnsupported, y.at(p), "custom graders are not supported (only grading: default)")
			}
		},
		"grader_flags": func(v *yaml.Node, p string) {
			flags, ok := y.args(v, p)
			if !ok {
				return
			}
			for _, f := range flags {
				switch f {
				case "sum", "min", "max", "avg":
					s.Aggregation = f
				case "first_error":
					s.WorstError = false
				case "worst_error":
					s.WorstError = true
				case "ignore_sample":
					s.IgnoreSample = true
				case "accept_if_any_accepted":
					s.AcceptIfAnyAccepted = true
				case "always_accept":
				default:
					r.warnf(CodeUnknownKey, y.at(p), "unknown grader flag %q", f)
				}
			}
		},
		"accept_score": num(&s.AcceptScore),
		"reject_score": num(&s.RejectScore),
		"range": func(v *yaml.Node, p string) {
			f, ok := y.args(v, p)
			if !ok {
				return
			}
			if len(f) != 2 {
				r.errorf(CodeBadValue, y.at(p), "want \"min max\", got %q", strings.Join(f, " "))
				return
			}
			lo, err1 := strconv.ParseFloat(f[0], 64)
			hi, err2 := strconv.ParseFloat(f[1], 64)
			if err1 != nil || err2 != nil || lo > hi {
				r.errorf(CodeBadValue, y.at(p), "want \"min max\" numbers with min <= max, got %q", strings.Join(f, " "))
				return
			}
			s.RangeMin, s.RangeMax = lo, hi
		},
		"input_validator_flags":  y.into(&s.InputValidatorArgs),
		"output_validator_flags": y.into(&s.OutputValidatorArgs),
		"input_validator_args":   func(v *yaml.Node, p string) { inputValidatorArgs(y, v, p, &s) },
		"output_validator_args":  y.into(&s.OutputValidatorArgs),
		"aggregation":            aggregation,
		"scoring": func(v *yaml.Node, p string) {
			y.fields(v, p, map[string]func(*yaml.Node, string){
				"score": func(v *yaml.Node, p string) {
					if v.Kind == yaml.ScalarNode && v.Value == "unbounded" {
						return
					}
					num(&s.AcceptScore)(v, p)
				},
				"aggregation": aggregation,
			})
		},
		"static_validation": func(*yaml.Node, string) {},
		"full_feedback":     func(v *yaml.Node, p string) { y.boolean(v, p) },
		"hint":              func(*yaml.Node, string) {},
		"description":       func(*yaml.Node, string) {},
	})
	return s
}

func countCases(g *Group) int {
	n := len(g.Cases)
	for _, c := range g.Groups {
		n += countCases(c)
	}
	return n
}

// AllCases returns every case of the group and its subgroups in judging
// order.
func (g *Group) AllCases() []*Case { return g.collect(func(g *Group) []*Case { return g.Cases }) }

// allTranscripts are the transcript-only samples of g and its subgroups.
func (g *Group) allTranscripts() []*Case {
	return g.collect(func(g *Group) []*Case { return g.Transcripts })
}

// collect gathers pick(g) of the group and its subgroups, depth first.
func (g *Group) collect(pick func(*Group) []*Case) []*Case {
	if g == nil {
		return nil
	}
	out := append([]*Case(nil), pick(g)...)
	for _, c := range g.Groups {
		out = append(out, c.collect(pick)...)
	}
	return out
}

// parseInteraction reads a sample transcript.
func parseInteraction(path string) ([]TranscriptLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []TranscriptLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		switch line[0] {
		case '<':
			out = append(out, TranscriptLine{FromSubmission: false, Text: line[1:]})
		case '>':
			out = append(out, TranscriptLine{FromSubmission: true, Text: line[1:]})
		default:
			return out, &lineError{n: n, msg: "line must start with < (read by the submission) or > (written by it)"}
		}
	}
	return out, sc.Err()
}

type lineError struct {
	n   int
	msg string
}

func (e *lineError) Error() string { return "line " + strconv.Itoa(e.n) + ": " + e.msg }

// sortNatural sorts names so that digit runs compare as numbers: "2" < "10",
// "group2" < "group10". Ties fall back to plain string order, so the order
// is total and stable across machines.
func sortNatural(names []string) []string {
	sort.SliceStable(names, func(i, j int) bool { return naturalLess(names[i], names[j]) })
	return names
}

func naturalLess(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na := strings.TrimLeft(a[si:i], "0")
			nb := strings.TrimLeft(b[sj:j], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			continue
		}
		if ca != cb {
			return ca < cb
		}
		i++
		j++
	}
	if len(a)-i != len(b)-j {
		return len(a)-i < len(b)-j
	}
	return a < b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// statInside stats path, following a symlink only when its target stays
// inside the package (Kattis packages share test files by symlink; a link
// out of the package would read arbitrary host files).
func statInside(pkgDir, path string) (os.FileInfo, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink == 0 {
		return fi, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, &pathError{"broken symlink"}
	}
	root, err := filepath.EvalSymlinks(pkgDir)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, &pathError{"symlink points outside the package"}
	}
	return os.Stat(target)
}

type pathError struct{ msg string }

func (e *pathError) Error() string { return e.msg }

// CaseOutcome is the judge's result on one case, as Grade needs it.
type CaseOutcome struct {
	Accepted bool
	// Score reported by a custom score validator; nil = use the group's
	// accept_score / reject_score.
	Score *float64
}

// Grade computes the verdict and score of a group from case outcomes with the
// Kattis default grader semantics: each case scores accept_score or
// reject_score, children are aggregated (sum, min, max, avg), clamped to
// range; with on_reject: break, cases after the first rejection are not
// judged and count as rejected. judged reports whether a case was run.
func (g *Group) Grade(outcome func(*Case) (CaseOutcome, bool)) (accepted bool, score float64) {
	s := g.Settings
	var scores []float64
	accepted = !s.AcceptIfAnyAccepted
	anyAccepted := false
	stop := false
	add := func(ok bool, sc float64) {
		scores = append(scores, sc)
		anyAccepted = anyAccepted || ok
		if !ok {
			if !s.AcceptIfAnyAccepted {
				accepted = false
			}
			if s.OnReject == "break" {
				stop = true
			}
		}
	}
	for _, c := range g.Cases {
		if stop {
			add(false, s.RejectScore)
			continue
		}
		o, judged := outcome(c)
		if !judged {
			o.Accepted = false
		}
		sc := s.RejectScore
		if o.Accepted {
			sc = s.AcceptScore
		}
		if o.Score != nil {
			sc = *o.Score
		}
		add(o.Accepted, sc)
	}
	for _, sub := range g.Groups {
		if stop {
			add(false, sub.Settings.RejectScore)
			continue
		}
		ok, sc := sub.Grade(outcome)
		add(ok, sc)
	}
	if s.AcceptIfAnyAccepted {
		accepted = anyAccepted
	}
	score = aggregate(s.Aggregation, scores)
	score = math.Max(s.RangeMin, math.Min(s.RangeMax, score))
	return accepted, score
}

// GradeGroup is Grade for one group by name ("secret/group1"); found is
// false when the package has no such group.
func (p *Package) GradeGroup(name string, outcome func(*Case) (CaseOutcome, bool)) (accepted bool, score float64, found bool) {
	g := p.Secret.find(name)
	if g == nil {
		return false, 0, false
	}
	if !g.Settings.Modern {
		ok, sc := g.Grade(outcome)
		return ok, sc, true
	}
	ok, sc := g.grade2025(outcome, p.passed(outcome))
	return ok, sc, true
}

// passed reports whether every case of a group (or sample) was accepted.
func (p *Package) passed(outcome func(*Case) (CaseOutcome, bool)) func(string) bool {
	return func(name string) bool {
		g := p.Sample.find(name)
		if g == nil {
			g = p.Secret.find(name)
		}
		if g == nil {
			return false
		}
		for _, c := range g.AllCases() {
			if o, judged := outcome(c); !judged || !o.Accepted {
				return false
			}
		}
		return true
	}
}

// Grade computes a submission's result on data/secret from the outcome
// of each case: with the default grader of legacy and 2023-07-draft
// packages (Group.Grade), or the 2025-09 rules (test_group.yaml's
// max_score, score_aggregation and require_pass).
func (p *Package) Grade(outcome func(*Case) (CaseOutcome, bool)) (accepted bool, score float64) {
	if !p.Secret.Settings.Modern {
		return p.Secret.Grade(outcome)
	}
	return p.Secret.grade2025(outcome, p.passed(outcome))
}

// MaxScore is the best score Grade can give: the 2025-09 max_score of
// data/secret (+Inf when unbounded), or every case accepted with its
// group's accept_score.
func (p *Package) MaxScore() float64 {
	if p.Secret.Settings.Modern {
		return p.Secret.Settings.MaxScore
	}
	_, max := p.Secret.Grade(func(*Case) (CaseOutcome, bool) { return CaseOutcome{Accepted: true}, true })
	return max
}

func (g *Group) find(name string) *Group {
	if g == nil {
		return nil
	}
	if g.Name == name {
		return g
	}
	for _, c := range g.Groups {
		if f := c.find(name); f != nil {
			return f
		}
	}
	return nil
}

// grade2025 scores a group by the 2025-09 rules: a failed case scores 0,
// an accepted one its score.txt or else its share of max_score (all of
// it under min, max_score / N under sum); the group aggregates with
// pass-fail (max_score when every case is accepted), sum or min. data/secret
// aggregates its groups (groups hold no further groups: their
// subdirectories' cases are their own). A require_pass group that was not
// passed makes the group score 0 and count as not accepted.
func (g *Group) grade2025(outcome func(*Case) (CaseOutcome, bool), passed func(string) bool) (accepted bool, score float64) {
	s := g.Settings
	for _, name := range s.RequirePass {
		if !passed(name) {
			return false, 0
		}
	}
	var scores []float64
	accepted = true
	cases := g.AllCases()
	if g.Name == "secret" && len(g.Groups) > 0 {
		cases = g.Cases
		for _, sub := range g.Groups {
			ok, sc := sub.grade2025(outcome, passed)
			accepted = accepted && ok
			scores = append(scores, sc)
		}
	}
	caseMax := s.MaxScore
	if s.Aggregation == "sum" && len(cases) > 0 {
		caseMax = s.MaxScore / float64(len(cases))
	}
	for _, c := range cases {
		o, judged := outcome(c)
		ok := judged && o.Accepted
		accepted = accepted && ok
		sc := 0.0
		switch {
		case ok && o.Score != nil:
			sc = *o.Score
		case ok && !math.IsInf(caseMax, 1):
			sc = caseMax
		}
		scores = append(scores, sc)
	}
	switch s.Aggregation {
	case "pass-fail":
		if accepted {
			return true, s.MaxScore
		}
		return false, 0
	case "min":
		return accepted, aggregate("min", scores)
	}
	return accepted, aggregate("sum", scores)
}

func aggregate(how string, xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	switch how {
	case "min":
		m := xs[0]
		for _, x := range xs[1:] {
			m = math.Min(m, x)
		}
		return m
	case "max":
		m := xs[0]
		for _, x := range xs[1:] {
			m = math.Max(m, x)
		}
		return m
	case "avg":
		return aggregate("sum", xs) / float64(len(xs))
	}
	var t float64
	for _, x := range xs {
		t += x
	}
	return t
}
