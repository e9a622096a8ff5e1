package problem

import (
	"math"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// dataLoader reads data/: the sample and secret groups, and the invalid
// inputs of data/invalid_input.
type dataLoader struct {
	r           *report
	pkgDir      string
	format      Format
	interactive bool
	scoring     bool
}

// configName is the name of a group's settings file in the package's
// format: test_group.yaml in 2025-09, testdata.yaml before.
func (d *dataLoader) configName() (name, other string) {
	if d.format == Format2025 {
		return "test_group.yaml", "testdata.yaml"
	}
	return "testdata.yaml", "test_group.yaml"
}

// loadData reads data/sample (optional: a warning when missing, as the
// format allows problems without samples), data/secret and
// data/invalid_input.
func loadData(r *report, dir string, format Format, interactive, scoring bool) (sample, secret *Group, invalid []*Case) {
	d := &dataLoader{r: r, pkgDir: dir, format: format, interactive: interactive, scoring: scoring}
	dataDir := filepath.Join(dir, "data")
	if st, err := os.Stat(dataDir); err != nil || !st.IsDir() {
		r.errorf(CodeMissing, "data", "no data/ directory (want data/secret, and data/sample for examples)")
		return nil, nil, nil
	}
	inherited := d.defaults("secret")
	if format != Format2025 {
		if root, exists, ok := readYAML(r, filepath.Join(dataDir, "testdata.yaml"), "data/testdata.yaml"); exists && ok && root != nil {
			inherited = parseTestdataYAML(r, root, "data/testdata.yaml", inherited)
		}
	}
	for _, name := range []string{"sample", "secret"} {
		sub := filepath.Join(dataDir, name)
		if st, err := os.Stat(sub); err != nil || !st.IsDir() {
			if name == "sample" {
				r.warnf(CodeMissing, "data/sample", "no samples: players see no example")
				sample = &Group{Name: "sample", Settings: d.defaults("sample")}
			} else {
				r.errorf(CodeMissing, "data/secret", "missing directory")
			}
			continue
		}
		s := inherited
		if name == "sample" && (inherited.From == "" || format == Format2025) {
			s = d.defaults("sample")
		}
		g := d.group(name, s)
		if name == "sample" {
			sample = g
		} else {
			secret = g
		}
	}
	if secret != nil && countCases(secret) == 0 {
		r.errorf(CodeMissing, "data/secret", "no test cases (.in files)")
	}
	if sample != nil && countCases(sample) == 0 && len(sample.Transcripts) == 0 {
		if _, err := os.Stat(filepath.Join(dataDir, "sample")); err == nil {
			r.warnf(CodeMissing, "data/sample", "no sample cases: players see no example")
		}
	}
	if secret != nil && format == Format2025 {
		d.checkScoring(secret)
	}
	for _, name := range []string{"invalid_input", "invalid_inputs"} {
		if st, err := os.Stat(filepath.Join(dataDir, name)); err == nil && st.IsDir() {
			invalid = append(invalid, d.group(name, d.defaults(name)).AllCases()...)
		}
	}
	for _, name := range []string{"invalid_output", "valid_output"} {
		if _, err := os.Stat(filepath.Join(dataDir, name)); err == nil {
			r.warnf(CodeUnsupported, "data/"+name, "output validation cases are not checked here")
		}
	}
	return sample, secret, invalid
}

// checkScoring applies the 2025-09 rules on max_score: a pass-fail
// problem sets no scoring keys; in a scoring problem a group is bounded
// when data/secret is, and a pass-fail group is bounded.
func (d *dataLoader) checkScoring(secret *Group) {
	for _, g := range append([]*Group{secret}, secret.Groups...) {
		s, file := g.Settings, "data/"+g.Name+"/test_group.yaml"
		switch {
		case !d.scoring && (!math.IsInf(s.MaxScore, 1) && g != secret || len(s.RequirePass) > 0):
			d.r.warnf(CodeBadValue, file, "scoring keys (max_score, require_pass) in a pass-fail problem are ignored")
		case !d.scoring:
		case g != secret && math.IsInf(s.MaxScore, 1) && !math.IsInf(secret.Settings.MaxScore, 1):
			d.r.errorf(CodeBadValue, file, "max_score: a group needs one when data/secret's is bounded (%g)", secret.Settings.MaxScore)
		case s.Aggregation == "pass-fail" && math.IsInf(s.MaxScore, 1):
			d.r.errorf(CodeBadValue, file, "max_score: a pass-fail group needs a bounded max_score")
		}
	}
}

// defaults are the settings of a group no settings file touches.
func (d *dataLoader) defaults(name string) GroupSettings {
	s := defaultSettings(name == "sample")
	if d.format == Format2025 {
		s.Modern = true
		s.Aggregation, s.MaxScore = "pass-fail", math.Inf(1)
		if name == "secret" {
			s.Aggregation, s.MaxScore = "sum", 100
		}
	}
	return s
}

// caseFiles sorts the files of a group directory by test case.
type caseFiles struct {
	in, ans, interaction, yaml string // file names
	inShown, ansShown, out     string
	filesDir                   bool // a .files directory
}

// group reads data/<name> with the settings s inherited from its parent.
func (d *dataLoader) group(name string, s GroupSettings) *Group {
	r := d.r
	abs := filepath.Join(d.pkgDir, "data", filepath.FromSlash(name))
	cfg, other := d.configName()
	if root, exists, ok := readYAML(r, filepath.Join(abs, cfg), "data/"+name+"/"+cfg); exists && ok && root != nil {
		if d.format == Format2025 {
			s = parseTestGroupYAML(r, root, "data/"+name+"/"+cfg, s)
		} else {
			s = parseTestdataYAML(r, root, "data/"+name+"/"+cfg, s)
		}
	}
	if _, err := os.Stat(filepath.Join(abs, other)); err == nil {
		r.warnf(CodeBadLayout, "data/"+name+"/"+other, "ignored: %s packages configure groups in %s", d.format, cfg)
	}
	g := &Group{Name: name, Settings: s}
	entries, err := os.ReadDir(abs)
	if err != nil {
		r.errorf(CodeBadLayout, "data/"+name, "cannot read: %v", err)
		return g
	}
	sample := name == "sample" || strings.HasPrefix(name, "sample/")
	cases := map[string]*caseFiles{}
	at := func(base string) *caseFiles {
		if cases[base] == nil {
			cases[base] = &caseFiles{}
		}
		return cases[base]
	}
	var subdirs []string
	for _, e := range entries {
		fname := e.Name()
		if strings.HasPrefix(fname, ".") || fname == cfg || fname == other {
			continue // .git, .DS_Store: never test data
		}
		fi, err := statInside(d.pkgDir, filepath.Join(abs, fname))
		if err != nil {
			r.errorf(CodeBadLayout, "data/"+name+"/"+fname, "%v", err)
			continue
		}
		if fi.IsDir() {
			if base, ok := strings.CutSuffix(fname, ".files"); ok {
				at(base).filesDir = true
			} else {
				subdirs = append(subdirs, fname)
			}
			continue
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		for _, suffix := range []string{".in.statement", ".ans.statement", ".in.download", ".ans.download", ".in", ".ans", ".out", ".interaction", ".yaml"} {
			base, ok := strings.CutSuffix(fname, suffix)
			if !ok || base == "" {
				continue
			}
			c := at(base)
			switch suffix {
			case ".in":
				c.in = fname
			case ".ans":
				c.ans = fname
			case ".interaction":
				c.interaction = fname
			case ".yaml":
				c.yaml = fname
			case ".in.statement":
				c.inShown = fname
			case ".ans.statement":
				c.ansShown = fname
			case ".out":
				c.out = fname
			}
			break
		}
	}
	for _, base := range sortNatural(sortedKeys(cases)) {
		if c := d.testCase(g, abs, base, cases[base], sample); c != nil {
			if c.In == "" {
				g.Transcripts = append(g.Transcripts, c)
			} else {
				g.Cases = append(g.Cases, c)
			}
		}
	}
	for _, sub := range sortNatural(subdirs) {
		if cases[sub] != nil && cases[sub].in != "" {
			r.errorf(CodeBadLayout, "data/"+name+"/"+sub, "a directory named like the test case %s", sub)
		}
		child := s
		if s.Modern {
			// 2025-09 groups inherit arguments, not scoring.
			child = d.defaults("group")
			child.InputValidatorArgs, child.InputValidatorArgsByName = s.InputValidatorArgs, s.InputValidatorArgsByName
			child.OutputValidatorArgs, child.Args = s.OutputValidatorArgs, s.Args
		}
		g.Groups = append(g.Groups, d.group(name+"/"+sub, child))
	}
	if d.format == Format2025 && name == "secret" && len(g.Cases) > 0 && len(g.Groups) > 0 {
		r.warnf(CodeBadLayout, "data/secret", "has both test cases and groups; 2025-09 allows one or the other")
	}
	return g
}

// testCase builds the case base of group g from its files; nil when the
// files make no case (an answer without input, with a warning).
func (d *dataLoader) testCase(g *Group, abs, base string, f *caseFiles, sample bool) *Case {
	r, s := d.r, g.Settings
	rel := "data/" + g.Name + "/" + base
	c := &Case{
		Name:                     g.Name + "/" + base,
		Group:                    g.Name,
		Sample:                   sample,
		InputValidatorArgs:       s.InputValidatorArgs,
		InputValidatorArgsByName: s.InputValidatorArgsByName,
		OutputValidatorArgs:      s.OutputValidatorArgs,
		Args:                     s.Args,
	}
	if f.interaction != "" {
		c.Interaction = filepath.Join(abs, f.interaction)
		lines, err := parseInteraction(c.Interaction)
		if err != nil {
			r.errorf(CodeBadValue, rel+".interaction", "%v", err)
		}
		c.Transcript = lines
		switch {
		case !d.interactive:
			r.warnf(CodeBadLayout, rel+".interaction", "ignored: the problem is not interactive")
			c.Interaction, c.Transcript = "", nil
		case !sample:
			r.warnf(CodeBadLayout, rel+".interaction", ".interaction files are only shown for samples")
		}
	}
	if f.in == "" {
		switch {
		case c.Interaction != "" && sample:
			return c // shown to players, never run: there is no input to run on
		case f.ans != "":
			r.warnf(CodeMissing, rel+".ans", "answer without %s.in (ignored)", base)
		case c.Interaction != "":
			r.warnf(CodeMissing, rel+".interaction", "interaction without %s.in (ignored)", base)
		}
		return nil
	}
	c.In = filepath.Join(abs, f.in)
	if f.ans != "" {
		c.Ans = filepath.Join(abs, f.ans)
	} else if !d.interactive && g.Name != "invalid_input" && g.Name != "invalid_inputs" {
		r.errorf(CodeMissing, rel+".ans", "missing answer file for %s.in", base)
	}
	if f.filesDir {
		r.errorf(CodeUnsupported, rel+".files", "input files for the submission's working directory are not supported here")
	}
	if f.inShown != "" {
		c.ShownIn = filepath.Join(abs, f.inShown)
	}
	switch {
	case f.ansShown != "":
		c.ShownAns = filepath.Join(abs, f.ansShown)
		if f.out != "" {
			r.errorf(CodeBadLayout, rel+".out", "both .out and .ans.statement")
		}
	case f.out != "":
		c.ShownAns = filepath.Join(abs, f.out)
	}
	if c.Interaction != "" && (f.inShown != "" || f.ansShown != "" || f.out != "") {
		r.errorf(CodeBadLayout, rel+".interaction", "an .interaction file is shown alone: no .in.statement, .ans.statement or .out beside it")
	}
	if f.yaml != "" && d.format.Modern() {
		if root, exists, ok := readYAML(r, filepath.Join(abs, f.yaml), rel+".yaml"); exists && ok && root != nil {
			parseCaseYAML(r, root, rel+".yaml", c)
		}
	}
	return c
}

// parseTestGroupYAML reads a 2025-09 test_group.yaml over the settings s
// (defaults for its level, arguments from its parent).
func parseTestGroupYAML(r *report, root *yaml.Node, name string, s GroupSettings) GroupSettings {
	y := yamlFile{name: name, r: r}
	s.From = name
	sample := strings.HasPrefix(name, "data/sample/")
	scoringKey := func(p string) bool {
		if sample {
			r.errorf(CodeBadValue, y.at(p), "not allowed in data/sample")
			return false
		}
		return true
	}
	y.fields(root, "", map[string]func(*yaml.Node, string){
		"max_score": func(v *yaml.Node, p string) {
			if !scoringKey(p) {
				return
			}
			if v.Kind == yaml.ScalarNode && v.Value == "unbounded" {
				s.MaxScore = math.Inf(1)
				return
			}
			if n, ok := y.integer(v, p); ok {
				if n < 0 {
					r.errorf(CodeBadValue, y.at(p), "must be a non-negative integer or unbounded, got %d", n)
					return
				}
				s.MaxScore = float64(n)
			}
		},
		"score_aggregation": func(v *yaml.Node, p string) {
			if !scoringKey(p) {
				return
			}
			if a, ok := y.str(v, p); ok {
				if a != "pass-fail" && a != "sum" && a != "min" {
					r.errorf(CodeBadValue, y.at(p), "want pass-fail, sum or min, got %q", a)
					return
				}
				s.Aggregation = a
			}
		},
		"require_pass": func(v *yaml.Node, p string) {
			if scoringKey(p) {
				y.into(&s.RequirePass)(v, p)
			}
		},
		"static_validation_score": func(v *yaml.Node, p string) {
			r.errorf(CodeUnsupported, y.at(p), "static validation is not supported here")
		},
		"args":                   y.into(&s.Args),
		"input_validator_args":   func(v *yaml.Node, p string) { inputValidatorArgs(y, v, p, &s) },
		"output_validator_args":  y.into(&s.OutputValidatorArgs),
		"static_validator_args":  func(*yaml.Node, string) {},
		"input_visualizer_args":  func(*yaml.Node, string) {},
		"output_visualizer_args": func(*yaml.Node, string) {},
		"full_feedback":          func(v *yaml.Node, p string) { y.boolean(v, p) },
	})
	return s
}

// parseCaseYAML reads a test case's own .yaml (draft, 2025-09): its
// arguments replace the group's.
func parseCaseYAML(r *report, root *yaml.Node, name string, c *Case) {
	y := yamlFile{name: name, r: r}
	y.fields(root, "", map[string]func(*yaml.Node, string){
		"args": y.into(&c.Args),
		"input_validator_args": func(v *yaml.Node, p string) {
			var s GroupSettings
			inputValidatorArgs(y, v, p, &s)
			c.InputValidatorArgs, c.InputValidatorArgsByName = s.InputValidatorArgs, s.InputValidatorArgsByName
		},
		"output_validator_args":  y.into(&c.OutputValidatorArgs),
		"input_visualizer_args":  func(*yaml.Node, string) {},
		"output_visualizer_args": func(*yaml.Node, string) {},
		"full_feedback":          func(v *yaml.Node, p string) { y.boolean(v, p) },
		"hint":                   func(v *yaml.Node, p string) { y.str(v, p) },
		"description":            func(v *yaml.Node, p string) { y.str(v, p) },
	})
}
