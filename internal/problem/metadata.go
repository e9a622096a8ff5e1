package problem

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Format is the package format version.
type Format string

const (
	FormatLegacy    Format = "legacy"
	FormatDraft2023 Format = "2023-07-draft"
	Format2025      Format = "2025-09"
)

// Modern reports whether f is one of the versioned formats (2023-07-draft,
// 2025-09), which share statement/, output_validator/, credits and the
// time_multipliers limits.
func (f Format) Modern() bool { return f == FormatDraft2023 || f == Format2025 }

// Problem types (draft names; legacy "validation: custom interactive" maps to
// TypeInteractive and legacy "type: scoring" to TypeScoring).
const (
	TypePassFail     = "pass-fail"
	TypeScoring      = "scoring"
	TypeInteractive  = "interactive"
	TypeMultiPass    = "multi-pass"
	TypeSubmitAnswer = "submit-answer"
)

// Metadata is problem.yaml, normalised across the two format versions.
type Metadata struct {
	FormatVersion string            // as written; "" for legacy
	Format        Format            // the version it names
	Names         map[string]string // language code → name; legacy string name is stored under "en"
	UUID          string
	Version       string
	Source        string
	SourceURL     string
	License       string
	RightsOwner   string
	Credits       Credits
	Types         []string // always at least one of the Type* constants
	Limits        Limits
	// Validation is the legacy "validation" value (default, custom, custom
	// interactive, custom score); for the draft it is derived from type and
	// the presence of output_validator/.
	Validation string
	// OutputValidatorArgs are the legacy validator_flags (draft: the
	// output_validator_args of the root testdata.yaml).
	OutputValidatorArgs []string
	Keywords            []string
	Languages           []string
	// Constants (2025-09) replace {{name}} in Markdown statements and in
	// the sources of validators, submissions and included files.
	Constants map[string]string
}

// Credits names the people behind a problem.
type Credits struct {
	Authors          []string
	Contributors     []string
	Testers          []string
	Translators      []string
	Packagers        []string
	Acknowledgements []string
}

// Limits from problem.yaml. Sizes are in MiB (KiB for Code) as in the format.
type Limits struct {
	// TimeMultiplier is legacy time_multiplier / draft
	// time_multipliers.ac_to_time_limit: time limit = slowest accepted × this.
	TimeMultiplier float64
	// TimeSafetyMargin is legacy time_safety_margin / draft
	// time_multipliers.time_limit_to_tle: time_limit_exceeded submissions
	// must still time out at time limit × this.
	TimeSafetyMargin float64
	TimeLimit        time.Duration // explicit limit (draft limits.time_limit); 0 = derive
	TimeResolution   time.Duration
	MemoryMiB        int64
	OutputMiB        int64
	CodeKiB          int64
	CompilationTime  time.Duration
	CompilationMiB   int64
	ValidationTime   time.Duration
	ValidationMiB    int64
	ValidationOutMiB int64
	ValidationPasses int64
}

// Defaults. The multiplier and margin follow the issue (2 and 2): problemtools
// uses 5 for the legacy time_multiplier, the 2023-07 draft 2.0 and 1.5; an
// explicit value in problem.yaml always wins.
const (
	DefaultTimeMultiplier   = 2.0
	DefaultTimeSafetyMargin = 2.0
)

func defaultLimits(f Format) Limits {
	l := Limits{
		TimeMultiplier:   DefaultTimeMultiplier,
		TimeSafetyMargin: DefaultTimeSafetyMargin,
		TimeResolution:   time.Second,
		MemoryMiB:        1024,
		OutputMiB:        8,
		CodeKiB:          128,
		CompilationTime:  60 * time.Second,
		CompilationMiB:   1024,
		ValidationTime:   60 * time.Second,
		ValidationMiB:    1024,
		ValidationOutMiB: 8,
		ValidationPasses: 2,
	}
	if f.Modern() {
		l.MemoryMiB, l.CompilationMiB, l.ValidationMiB = 2048, 2048, 2048
	}
	return l
}

// Name returns the problem name in lang, falling back to English, then to any.
func (m *Metadata) Name(lang string) string {
	if n, ok := m.Names[lang]; ok {
		return n
	}
	if n, ok := m.Names["en"]; ok {
		return n
	}
	for _, k := range sortedKeys(m.Names) {
		return m.Names[k]
	}
	return ""
}

// HasType reports whether the problem has type t.
func (m *Metadata) HasType(t string) bool {
	for _, x := range m.Types {
		if x == t {
			return true
		}
	}
	return false
}

// Interactive reports whether submissions talk to the output validator.
func (m *Metadata) Interactive() bool { return m.HasType(TypeInteractive) }

// Scoring reports whether submissions get a score rather than only AC.
func (m *Metadata) Scoring() bool { return m.HasType(TypeScoring) }

var licenses = map[string]bool{
	"unknown": true, "public domain": true, "cc0": true, "cc by": true, "cc by-sa": true,
	"educational": true, "permission": true,
}

// parseMetadata reads problem.yaml. The format version decides which keys are
// known: a legacy key in a draft package is a warning, as in problemtools.
func parseMetadata(r *report, root *yaml.Node) Metadata {
	y := yamlFile{name: "problem.yaml", r: r}
	format := FormatLegacy
	var m Metadata
	if root != nil && deref(root).Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "problem_format_version" {
				m.FormatVersion = root.Content[i+1].Value
			}
		}
	}
	switch m.FormatVersion {
	case "", "legacy", "legacy-icpc":
		format = FormatLegacy
	case string(FormatDraft2023), "2023-07":
		format = FormatDraft2023
	case string(Format2025), "2025-09-draft":
		format = Format2025
	default:
		r.errorf(CodeUnsupported, y.at("problem_format_version"),
			"unsupported version %q (supported: legacy, 2023-07-draft, 2025-09)", m.FormatVersion)
	}
	m.Format = format
	m.Limits = defaultLimits(format)
	m.Names = map[string]string{}
	validationSet := false

	str := func(dst *string) func(*yaml.Node, string) {
		return func(v *yaml.Node, p string) {
			if s, ok := y.str(v, p); ok {
				*dst = s
			}
		}
	}
	list := func(dst *[]string) func(*yaml.Node, string) {
		return func(v *yaml.Node, p string) {
			if s, ok := y.strList(v, p); ok {
				*dst = s
			}
		}
	}
	seconds := func(dst *time.Duration) func(*yaml.Node, string) {
		return func(v *yaml.Node, p string) {
			if f, ok := y.number(v, p); ok {
				if f <= 0 {
					r.errorf(CodeBadValue, y.at(p), "must be positive, got %v", f)
					return
				}
				*dst = time.Duration(f * float64(time.Second))
			}
		}
	}
	positiveInt := func(dst *int64) func(*yaml.Node, string) {
		return func(v *yaml.Node, p string) {
			if n, ok := y.integer(v, p); ok {
				if n <= 0 {
					r.errorf(CodeBadValue, y.at(p), "must be positive, got %d", n)
					return
				}
				*dst = n
			}
		}
	}
	factor := func(dst *float64) func(*yaml.Node, string) {
		return func(v *yaml.Node, p string) {
			if f, ok := y.number(v, p); ok {
				if f < 1 {
					r.errorf(CodeBadValue, y.at(p), "must be at least 1, got %v", f)
					return
				}
				*dst = f
			}
		}
	}
	lim := &m.Limits
	limits := map[string]func(*yaml.Node, string){
		"memory":             positiveInt(&lim.MemoryMiB),
		"output":             positiveInt(&lim.OutputMiB),
		"code":               positiveInt(&lim.CodeKiB),
		"compilation_time":   seconds(&lim.CompilationTime),
		"compilation_memory": positiveInt(&lim.CompilationMiB),
		"validation_time":    seconds(&lim.ValidationTime),
		"validation_memory":  positiveInt(&lim.ValidationMiB),
		"validation_output":  positiveInt(&lim.ValidationOutMiB),
	}
	// limits.time_limit is a draft key; legacy packages written for this
	// platform (and for DOMjudge, which reads it too) use it as well, so it
	// is accepted in both versions.
	limits["time_limit"] = seconds(&lim.TimeLimit)
	if format.Modern() {
		limits["time_resolution"] = seconds(&lim.TimeResolution)
		limits["validation_passes"] = positiveInt(&lim.ValidationPasses)
		limits["time_multipliers"] = func(v *yaml.Node, p string) {
			y.fields(v, p, map[string]func(*yaml.Node, string){
				"ac_to_time_limit":  factor(&lim.TimeMultiplier),
				"time_limit_to_tle": factor(&lim.TimeSafetyMargin),
			})
		}
	} else {
		limits["time_multiplier"] = factor(&lim.TimeMultiplier)
		limits["time_safety_margin"] = factor(&lim.TimeSafetyMargin)
	}

	known := map[string]func(*yaml.Node, string){
		"problem_format_version": func(*yaml.Node, string) {},
		"uuid":                   str(&m.UUID),
		"license": func(v *yaml.Node, p string) {
			if s, ok := y.str(v, p); ok {
				m.License = strings.ToLower(s)
				if !licenses[m.License] {
					r.warnf(CodeBadValue, y.at(p), "unknown license %q", s)
				}
			}
		},
		"rights_owner": str(&m.RightsOwner),
		"keywords": func(v *yaml.Node, p string) {
			// Legacy keywords are one space-separated string.
			if v.Kind == yaml.ScalarNode {
				m.Keywords = strings.Fields(v.Value)
				return
			}
			list(&m.Keywords)(v, p)
		},
		"languages": func(v *yaml.Node, p string) {
			if v.Kind == yaml.ScalarNode {
				if v.Value != "all" {
					m.Languages = strings.Fields(v.Value)
				}
				return
			}
			list(&m.Languages)(v, p)
		},
		"name": func(v *yaml.Node, p string) {
			if v.Kind == yaml.ScalarNode {
				m.Names["en"] = v.Value
				return
			}
			if mp, ok := y.strMap(v, p); ok {
				m.Names = mp
			}
		},
		"limits": func(v *yaml.Node, p string) { y.fields(v, p, limits) },
		"type": func(v *yaml.Node, p string) {
			types, ok := y.strList(v, p)
			if !ok {
				return
			}
			if format == FormatLegacy && v.Kind != yaml.ScalarNode {
				y.wrongType(v, p, "a string (a list needs problem_format_version 2023-07-draft or 2025-09)")
				return
			}
			for _, t := range types {
				switch t {
				case TypePassFail, TypeScoring:
				case TypeInteractive, TypeMultiPass, TypeSubmitAnswer:
					if format == FormatLegacy {
						r.errorf(CodeBadValue, y.at(p), "legacy type must be pass-fail or scoring, got %q", t)
						return
					}
					if t != TypeInteractive {
						r.errorf(CodeUnsupported, y.at(p), "problem type %q is not supported here", t)
						return
					}
				default:
					r.errorf(CodeBadValue, y.at(p), "unknown problem type %q", t)
					return
				}
			}
			m.Types = types
		},
	}
	if format.Modern() {
		known["version"] = str(&m.Version)
		known["embargo_until"] = func(*yaml.Node, string) {}
		known["allow_file_writing"] = func(v *yaml.Node, p string) { y.boolean(v, p) }
		known["constants"] = func(v *yaml.Node, p string) {
			if mp, ok := y.strMap(v, p); ok {
				for name := range mp {
					if !constantName.MatchString(name) {
						r.errorf(CodeBadValue, y.at(p+"."+name), "constant names match [a-zA-Z_][a-zA-Z0-9_]*")
						return
					}
				}
				m.Constants = mp
			}
		}
		known["credits"] = func(v *yaml.Node, p string) {
			if v.Kind == yaml.ScalarNode {
				m.Credits.Authors = []string{personName(v.Value)}
				return
			}
			c := &m.Credits
			people := func(dst *[]string) func(*yaml.Node, string) {
				return func(v *yaml.Node, p string) { *dst = persons(y, v, p) }
			}
			y.fields(v, p, map[string]func(*yaml.Node, string){
				"authors":          people(&c.Authors),
				"contributors":     people(&c.Contributors),
				"testers":          people(&c.Testers),
				"translators":      func(v *yaml.Node, p string) { c.Translators = translators(y, v, p) },
				"packagers":        people(&c.Packagers),
				"acknowledgements": people(&c.Acknowledgements),
			})
		}
		known["source"] = func(v *yaml.Node, p string) {
			switch v.Kind {
			case yaml.ScalarNode:
				m.Source = v.Value
			case yaml.MappingNode:
				y.fields(v, p, map[string]func(*yaml.Node, string){"name": str(&m.Source), "url": str(&m.SourceURL)})
			case yaml.SequenceNode:
				// Several sources: keep the first for display.
				if len(v.Content) > 0 {
					first := deref(v.Content[0])
					if first.Kind == yaml.ScalarNode {
						m.Source = first.Value
					} else {
						y.fields(first, p+"[0]", map[string]func(*yaml.Node, string){"name": str(&m.Source), "url": str(&m.SourceURL)})
					}
				}
			default:
				y.wrongType(v, p, "a string, map or list")
			}
		}
	} else {
		known["author"] = func(v *yaml.Node, p string) {
			if s, ok := y.str(v, p); ok {
				m.Credits.Authors = splitAuthors(s)
			}
		}
		known["source"] = str(&m.Source)
		known["source_url"] = str(&m.SourceURL)
		known["validation"] = func(v *yaml.Node, p string) {
			s, ok := y.str(v, p)
			if !ok {
				return
			}
			words := strings.Fields(s)
			if len(words) == 0 || (words[0] != "default" && words[0] != "custom") || (words[0] == "default" && len(words) > 1) {
				r.errorf(CodeBadValue, y.at(p), "want default or custom [interactive] [score], got %q", s)
				return
			}
			for _, w := range words[1:] {
				if w != "interactive" && w != "score" {
					r.errorf(CodeBadValue, y.at(p), "unknown validation option %q", w)
					return
				}
			}
			m.Validation = strings.Join(words, " ")
			validationSet = true
		}
		known["validator_flags"] = func(v *yaml.Node, p string) {
			if a, ok := y.args(v, p); ok {
				m.OutputValidatorArgs = a
			}
		}
		known["grading"] = func(v *yaml.Node, p string) {
			y.fields(v, p, map[string]func(*yaml.Node, string){
				"objective":             func(v *yaml.Node, p string) { y.str(v, p) },
				"show_test_data_groups": func(v *yaml.Node, p string) { y.boolean(v, p) },
				"on_reject":             func(v *yaml.Node, p string) { y.str(v, p) },
			})
		}
		known["libraries"] = func(v *yaml.Node, p string) { y.strList(v, p) }
	}
	if root != nil {
		y.fields(root, "", known)
	}

	if len(m.Types) == 0 {
		m.Types = []string{TypePassFail}
	}
	// Legacy packages say "interactive" only through validation.
	if format == FormatLegacy && strings.Contains(m.Validation, "interactive") && !m.Interactive() {
		m.Types = append(m.Types, TypeInteractive)
	}
	if format == FormatLegacy && strings.Contains(m.Validation, "score") && !m.Scoring() {
		r.warnf(CodeBadValue, y.at("validation"), "custom score validation on a pass-fail problem")
	}
	if !validationSet {
		m.Validation = "default"
		if m.Interactive() {
			m.Validation = "custom interactive"
		}
	}
	if format.Modern() && m.UUID == "" {
		r.warnf(CodeMissing, y.at("uuid"), "%s packages should have a uuid", format)
	}
	if m.Limits.TimeSafetyMargin <= 1 {
		m.Limits.TimeSafetyMargin = DefaultTimeSafetyMargin
	}
	return m
}

// translators is a map language → persons in the draft; we keep the names.
func translators(y yamlFile, v *yaml.Node, p string) []string {
	if v.Kind != yaml.MappingNode {
		return persons(y, v, p)
	}
	var out []string
	for i := 0; i+1 < len(v.Content); i += 2 {
		out = append(out, persons(y, deref(v.Content[i+1]), p+"."+v.Content[i].Value)...)
	}
	return out
}

// persons reads a person or a list of persons: "Full Name <mail>" or a
// map {name, email, orcid, kattis}. The names are kept.
func persons(y yamlFile, v *yaml.Node, p string) []string {
	one := func(n *yaml.Node, p string) (string, bool) {
		n = deref(n)
		switch n.Kind {
		case yaml.ScalarNode:
			return personName(n.Value), true
		case yaml.MappingNode:
			var name string
			y.fields(n, p, map[string]func(*yaml.Node, string){
				"name":   func(v *yaml.Node, p string) { name, _ = y.str(v, p) },
				"email":  func(v *yaml.Node, p string) { y.str(v, p) },
				"orcid":  func(v *yaml.Node, p string) { y.str(v, p) },
				"kattis": func(v *yaml.Node, p string) { y.str(v, p) },
			})
			if name == "" {
				y.r.errorf(CodeMissing, y.at(p+".name"), "a person needs a name")
				return "", false
			}
			return name, true
		}
		y.wrongType(n, p, "a name or a map with a name")
		return "", false
	}
	if v.Kind != yaml.SequenceNode {
		if name, ok := one(v, p); ok {
			return []string{name}
		}
		return nil
	}
	var out []string
	for i, c := range v.Content {
		if name, ok := one(c, fmt.Sprintf("%s[%d]", p, i)); ok {
			out = append(out, name)
		}
	}
	return out
}

// personName drops the e-mail of "Full Name <mail>".
func personName(s string) string {
	if i := strings.IndexByte(s, '<'); i > 0 && strings.HasSuffix(strings.TrimSpace(s), ">") {
		return strings.TrimSpace(s[:i])
	}
	return strings.TrimSpace(s)
}

var constantName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// splitAuthors splits the legacy author string "A, B and C".
func splitAuthors(s string) []string {
	s = strings.ReplaceAll(s, " and ", ",")
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Arena is arena.yaml, this platform's extension next to problem.yaml.
// Kattis tools ignore it.
type Arena struct {
	Difficulty int // 800–3000, used to pick problems for a match; 0 = unrated
	Tags       []string
	Complexity Complexity // intended solution
}

// Complexity is an intended complexity in big-O notation, e.g. "O(n log n)".
type Complexity struct {
	Time  string
	Space string
}

func parseArena(r *report, root *yaml.Node) Arena {
	y := yamlFile{name: "arena.yaml", r: r}
	var a Arena
	if root == nil {
		return a
	}
	y.fields(root, "", map[string]func(*yaml.Node, string){
		"difficulty": func(v *yaml.Node, p string) {
			if n, ok := y.integer(v, p); ok {
				if n < 800 || n > 3000 {
					r.errorf(CodeBadValue, y.at(p), "must be between 800 and 3000, got %d", n)
					return
				}
				a.Difficulty = int(n)
			}
		},
		"tags": func(v *yaml.Node, p string) {
			if t, ok := y.strList(v, p); ok {
				for i := range t {
					t[i] = strings.ToLower(strings.TrimSpace(t[i]))
				}
				a.Tags = t
			}
		},
		"complexity": func(v *yaml.Node, p string) {
			y.fields(v, p, map[string]func(*yaml.Node, string){
				"time":  func(v *yaml.Node, p string) { a.Complexity.Time, _ = y.str(v, p) },
				"space": func(v *yaml.Node, p string) { a.Complexity.Space, _ = y.str(v, p) },
			})
		},
		// The complexity coach's section (variables, generator sizes,
		// submissions meant to meet the intended class): read and
		// checked by internal/coach.
		"coach": func(v *yaml.Node, p string) {
			if v.Kind != yaml.MappingNode {
				y.wrongType(v, p, "a map")
			}
		},
	})
	return a
}

// String renders limits for humans (verify output).
func (l Limits) String() string {
	return fmt.Sprintf("memory %d MiB, output %d MiB, multiplier %g, safety margin %g",
		l.MemoryMiB, l.OutputMiB, l.TimeMultiplier, l.TimeSafetyMargin)
}
