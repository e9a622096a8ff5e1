package problem

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Package is a loaded problem package. Load never leaves a half-filled
// Package: on any error it returns a *LoadError and no Package.
type Package struct {
	Dir       string // absolute path of the package root
	ShortName string // directory name, the Kattis problem id
	Format    Format
	Meta      Metadata
	Arena     Arena

	StatementDir string      // "statement" or "problem_statement"
	Statements   []Statement // sorted by language
	Assets       []string    // images in StatementDir, served with the statement

	Sample *Group // never nil once loaded (empty when data/sample is missing)
	Secret *Group
	// InvalidInputs (data/invalid_input) must each be rejected by an
	// input validator.
	InvalidInputs []*Case

	InputValidators []Program
	OutputValidator *Program // nil = default validator (token compare)
	Generator       *Program // generators/gen.*: prints an input for "gen <n> <seed>"
	Submissions     []Submission

	// TimeLimit is the explicit limit (limits.time_limit or .timelimit);
	// 0 means Verify derives it from the accepted submissions.
	TimeLimit     time.Duration
	TimeLimitFrom string // "problem.yaml", ".timelimit" or ""

	Warnings []Issue
}

// Load reads and checks the package at dir. Every error found is reported,
// not only the first.
func Load(dir string) (*Package, error) { return load(dir, false) }

// LoadForJudging is Load for judging only (`segfault judge --problem`, the
// judge workers): a missing statement is a warning, since judging does not
// need one. Everything the judge uses is checked exactly as Load checks it;
// packages without a statement still cannot be imported or shown.
func LoadForJudging(dir string) (*Package, error) { return load(dir, true) }

func load(dir string, judging bool) (*Package, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("problem: %w", err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, &LoadError{Dir: dir, Issues: []Issue{{Severity: Error, Code: CodeMissing, Msg: err.Error()}}}
	}
	if !st.IsDir() {
		return nil, &LoadError{Dir: dir, Issues: []Issue{{Severity: Error, Code: CodeBadLayout, Msg: "not a directory (zip archives go through Import)"}}}
	}
	r := &report{}
	p := &Package{Dir: abs, ShortName: filepath.Base(abs)}

	root, exists, ok := readYAML(r, filepath.Join(abs, "problem.yaml"), "problem.yaml")
	if !exists {
		r.errorf(CodeMissing, "problem.yaml", "missing: every package needs problem.yaml")
	}
	if ok {
		p.Meta = parseMetadata(r, root)
	} else {
		p.Meta = parseMetadata(&report{}, nil)
	}
	p.Format = p.Meta.Format
	if a, exists, ok := readYAML(r, filepath.Join(abs, "arena.yaml"), "arena.yaml"); exists && ok {
		p.Arena = parseArena(r, a)
	}
	if p.Meta.Name("en") == "" {
		r.warnf(CodeMissing, "problem.yaml: name", "no name; the statement title or directory name is used")
	}

	p.StatementDir, p.Statements, p.Assets = loadStatements(r, abs, p.Format)
	if p.Meta.Name("en") == "" {
		for _, s := range p.Statements {
			if s.Title != "" {
				p.Meta.Names[s.Lang] = s.Title
			}
		}
		if len(p.Meta.Names) == 0 {
			p.Meta.Names["en"] = p.ShortName
		}
	}

	p.Sample, p.Secret, p.InvalidInputs = loadData(r, abs, p.Format, p.Meta.Interactive(), p.Meta.Scoring())
	p.loadValidators(r)
	p.loadSubmissions(r)
	p.loadIncludes(r)
	p.Generator = findGenerator(r, abs)
	p.applyConstants()
	p.loadTimeLimit(r)

	if p.Meta.Interactive() && p.OutputValidator == nil {
		r.errorf(CodeMissing, p.outputValidatorDir(), "interactive problems need an output validator (the interactor)")
	}

	errs, warns := r.split()
	if judging {
		kept := errs[:0]
		for _, is := range errs {
			if is.Path == "statement" && is.Code == CodeMissing {
				is.Severity = Warning
				warns = append(warns, is)
				continue
			}
			kept = append(kept, is)
		}
		errs = kept
	}
	if len(errs) > 0 {
		return nil, &LoadError{Dir: dir, Issues: errs, Warnings: warns}
	}
	p.Warnings = warns
	return p, nil
}

func (p *Package) outputValidatorDir() string {
	if p.Format.Modern() {
		return "output_validator"
	}
	return "output_validators"
}

func (p *Package) loadValidators(r *report) {
	// input_format_validators/ is the older legacy name; both are read.
	ivDir := filepath.Join(p.Dir, "input_validators")
	if _, err := os.Stat(ivDir); err != nil {
		ivDir = filepath.Join(p.Dir, "input_format_validators")
	}
	p.InputValidators = loadPrograms(r, p.Dir, ivDir, filepath.Base(ivDir), inputValidator)
	if len(p.InputValidators) == 0 {
		if _, err := os.Stat(ivDir); err == nil {
			r.warnf(CodeMissing, filepath.Base(ivDir), "no input validator program found")
		} else {
			r.warnf(CodeMissing, "input_validators", "no input validators: inputs are not checked")
		}
	}

	single := filepath.Join(p.Dir, "output_validator")
	multi := filepath.Join(p.Dir, "output_validators")
	if fi, err := os.Stat(single); err == nil && fi.IsDir() {
		prog, ok := dirProgram(r, p.Dir, single, "output_validator", outputValidator)
		if ok {
			p.OutputValidator = &prog
		}
	} else if fi, err := os.Stat(multi); err == nil && fi.IsDir() {
		progs := loadPrograms(r, p.Dir, multi, "output_validators", outputValidator)
		switch {
		case len(progs) > 1:
			r.errorf(CodeUnsupported, "output_validators", "%d output validators; exactly one is supported", len(progs))
		case len(progs) == 1:
			p.OutputValidator = &progs[0]
		}
	}
	custom := strings.HasPrefix(p.Meta.Validation, "custom")
	switch {
	case p.Format == FormatLegacy && custom && p.OutputValidator == nil:
		r.errorf(CodeMissing, "output_validators", "problem.yaml says validation: %s but there is no output validator", p.Meta.Validation)
	case p.Format == FormatLegacy && !custom && p.OutputValidator != nil:
		r.warnf(CodeBadValue, "problem.yaml: validation", "output_validators/ exists but validation is default: the validator is ignored")
		p.OutputValidator = nil
	case p.Format.Modern() && p.OutputValidator != nil && !p.Meta.Interactive():
		p.Meta.Validation = "custom"
	}
	if p.Meta.Scoring() && strings.Contains(p.Meta.Validation, "score") && p.OutputValidator == nil {
		r.errorf(CodeMissing, "output_validators", "custom score validation needs an output validator")
	}
}

// loadIncludes reads include/: files added to every submission before
// it is compiled, from include/<language>/ (a Kattis language code or a
// judge id) or else include/default/ (2025-09). A driver among them named
// as the language's entry file (main.py) becomes the entry.
func (p *Package) loadIncludes(r *report) {
	dir := filepath.Join(p.Dir, "include")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	byLang := map[string][]string{}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		id := "default"
		if name != "default" {
			if id = LanguageID(name); id == "" {
				r.warnf(CodeUnsupported, "include/"+name, "no language of the judge is called %q: not used", name)
				continue
			}
		}
		files, err := os.ReadDir(filepath.Join(dir, name))
		if err != nil {
			r.errorf(CodeBadLayout, "include/"+name, "cannot read: %v", err)
			continue
		}
		var paths []string
		for _, f := range files {
			path := filepath.Join(dir, name, f.Name())
			fi, err := statInside(p.Dir, path)
			switch {
			case err != nil:
				r.errorf(CodeBadLayout, "include/"+name+"/"+f.Name(), "%v", err)
			case strings.HasPrefix(f.Name(), "."):
			case f.Name() == "build" || f.Name() == "run":
				r.errorf(CodeUnsupported, "include/"+name+"/"+f.Name(), "build/run scripts are not supported here")
			case !fi.Mode().IsRegular():
				r.errorf(CodeUnsupported, "include/"+name+"/"+f.Name(), "only files are supported in include/ here (no subdirectories)")
			default:
				paths = append(paths, path)
			}
		}
		byLang[id] = paths
	}
	for i := range p.Submissions {
		s := &p.Submissions[i]
		inc, ok := byLang[s.Language]
		if !ok {
			inc = byLang["default"]
		}
		if len(inc) == 0 {
			continue
		}
		s.Includes = inc
		names := append([]string(nil), s.Files...)
		for _, path := range inc {
			if base := filepath.Base(path); !slices.Contains(names, base) {
				names = append(names, base)
			}
		}
		if main, err := entryFile(s.Language, names); err == nil {
			s.Main = main
		}
	}
}

// applyConstants gives the 2025-09 constants to the programs and the
// Markdown statements that use {{name}}.
func (p *Package) applyConstants() {
	if len(p.Meta.Constants) == 0 {
		return
	}
	for i := range p.Statements {
		if p.Statements[i].Format == "markdown" {
			p.Statements[i].Markdown = substituteConstants(p.Statements[i].Markdown, p.Meta.Constants)
		}
	}
	for i := range p.InputValidators {
		p.InputValidators[i].Constants = p.Meta.Constants
	}
	if p.OutputValidator != nil {
		p.OutputValidator.Constants = p.Meta.Constants
	}
	for i := range p.Submissions {
		p.Submissions[i].Constants = p.Meta.Constants
	}
}

var constantRef = regexp.MustCompile(`\{\{([a-zA-Z_][a-zA-Z0-9_]*)\}\}`)

// substituteConstants replaces {{name}} by the constant's value; unknown
// names stay as they are.
func substituteConstants(s string, constants map[string]string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return constantRef.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := constants[m[2:len(m)-2]]; ok {
			return v
		}
		return m
	})
}

// loadTimeLimit reads an explicit time limit: limits.time_limit (draft) or a
// .timelimit file (DOMjudge/problemtools write one after deriving it).
func (p *Package) loadTimeLimit(r *report) {
	if p.Meta.Limits.TimeLimit > 0 {
		p.TimeLimit, p.TimeLimitFrom = p.Meta.Limits.TimeLimit, "problem.yaml"
	}
	data, err := os.ReadFile(filepath.Join(p.Dir, ".timelimit"))
	if err != nil {
		p.loadDOMjudgeINI(r)
		return
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(string(data)), 64)
	if err != nil || secs <= 0 || secs > 3600 {
		r.errorf(CodeBadValue, ".timelimit", "want a positive number of seconds, got %q", strings.TrimSpace(string(data)))
		return
	}
	if p.TimeLimit > 0 {
		r.warnf(CodeBadValue, ".timelimit", "ignored: problem.yaml sets limits.time_limit")
		return
	}
	p.TimeLimit, p.TimeLimitFrom = time.Duration(secs*float64(time.Second)), ".timelimit"
}

// Cases returns samples then secret cases, the order a judge runs them.
func (p *Package) Cases() []*Case {
	return append(p.Sample.AllCases(), p.Secret.AllCases()...)
}

// Statement returns the statement in lang, else English, else the first.
func (p *Package) Statement(lang string) *Statement {
	for _, want := range []string{lang, "en"} {
		for i := range p.Statements {
			if p.Statements[i].Lang == want {
				return &p.Statements[i]
			}
		}
	}
	if len(p.Statements) > 0 {
		return &p.Statements[0]
	}
	return nil
}

// loadDOMjudgeINI reads the time limit of a DOMjudge export
// (domjudge-problem.ini: timelimit = 2) when nothing else set one.
func (p *Package) loadDOMjudgeINI(r *report) {
	data, err := os.ReadFile(filepath.Join(p.Dir, "domjudge-problem.ini"))
	if err != nil || p.TimeLimit > 0 {
		return
	}
	for _, line := range strings.Split(string(data), "\n") {
		key, val, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(key) != "timelimit" {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `'"`)
		secs, err := strconv.ParseFloat(val, 64)
		if err != nil || secs <= 0 || secs > 3600 {
			r.errorf(CodeBadValue, "domjudge-problem.ini: timelimit", "want a positive number of seconds, got %q", val)
			return
		}
		p.TimeLimit, p.TimeLimitFrom = time.Duration(secs*float64(time.Second)), "domjudge-problem.ini"
	}
}
