package problem

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Program is a validator or submission: one source file, or a directory of
// sources compiled together (Kattis "directory programs").
type Program struct {
	Name     string   // relative to the package root: "submissions/accepted/sol.py"
	Path     string   // absolute path of the file or directory
	Language string   // judge language id: python, c, cpp, go, javascript, java, rust
	Files    []string // sources, relative to Path's directory (file) or Path (directory)
	Main     string   // the entry file among Files
}

// Language ids of the judge, keyed by file extension.
var languageByExt = map[string]string{
	".py": "python", ".py3": "python",
	".c":   "c",
	".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp", ".c++": "cpp",
	".go":   "go",
	".js":   "javascript",
	".java": "java",
	".rs":   "rust",
}

// LanguageOf returns the judge language id for a file name, "" if unknown.
func LanguageOf(name string) string {
	return languageByExt[strings.ToLower(filepath.Ext(name))]
}

// Headers shared by the programs of a directory (testlib.h, validate.h).
var headerExts = map[string]bool{".h": true, ".hpp": true, ".hh": true}

// unsupportedExts are validator formats Kattis knows and we do not run.
var unsupportedExts = map[string]string{
	".ctd":  "checktestdata",
	".viva": "VIVA",
}

// loadPrograms reads every program in dir (input_validators/,
// output_validators/, a submissions folder). rel is dir relative to the root.
func loadPrograms(r *report, pkgDir, dir, rel string) []Program {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var headers []string
	for _, e := range entries {
		if e.Type().IsRegular() && headerExts[strings.ToLower(filepath.Ext(e.Name()))] {
			headers = append(headers, e.Name())
		}
	}
	var out []Program
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
			continue
		}
		path := filepath.Join(dir, name)
		fi, err := statInside(pkgDir, path)
		if err != nil {
			r.errorf(CodeBadLayout, rel+"/"+name, "%v", err)
			continue
		}
		ext := strings.ToLower(filepath.Ext(name))
		if what, bad := unsupportedExts[ext]; bad {
			r.errorf(CodeUnsupported, rel+"/"+name, "%s validators are not supported here; write the validator as a program (exit 42 = valid)", what)
			continue
		}
		if fi.Mode().IsRegular() {
			if headerExts[ext] || isDocFile(name) {
				continue
			}
			lang := LanguageOf(name)
			if lang == "" {
				if strings.HasPrefix(rel, "submissions/") {
					// A Kattis package may carry solutions in languages we
					// do not run (Kotlin, Haskell): skip them, don't refuse.
					r.warnf(CodeUnsupported, rel+"/"+name, "language not supported here (supported extensions: %s): not judged", extList())
				} else {
					r.errorf(CodeUnsupported, rel+"/"+name, "unknown language (supported extensions: %s)", extList())
				}
				continue
			}
			files := append([]string{name}, headers...)
			out = append(out, Program{Name: rel + "/" + name, Path: path, Language: lang, Files: files, Main: name})
			continue
		}
		if fi.IsDir() {
			p, ok := dirProgram(r, pkgDir, path, rel+"/"+name)
			if ok {
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return naturalLess(out[i].Name, out[j].Name) })
	return out
}

func isDocFile(name string) bool {
	l := strings.ToLower(name)
	return strings.HasPrefix(l, "readme") || strings.HasSuffix(l, ".md") || strings.HasSuffix(l, ".txt")
}

func extList() string {
	return ".py .c .cpp .cc .go .js .java .rs"
}

// dirProgram picks the language of a directory program from its sources
// (all must agree) and its entry: main.*, Main.java, the file named like the
// directory, or the only source.
func dirProgram(r *report, pkgDir, path, rel string) (Program, bool) {
	var files []string
	langs := map[string]bool{}
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if _, err := statInside(pkgDir, p); err != nil {
			return err
		}
		fr, _ := filepath.Rel(path, p)
		ext := strings.ToLower(filepath.Ext(p))
		if what, bad := unsupportedExts[ext]; bad {
			r.errorf(CodeUnsupported, rel+"/"+fr, "%s validators are not supported here", what)
			return nil
		}
		if l := LanguageOf(p); l != "" {
			langs[l] = true
		}
		files = append(files, filepath.ToSlash(fr))
		return nil
	})
	if err != nil {
		r.errorf(CodeBadLayout, rel, "%v", err)
		return Program{}, false
	}
	if len(langs) == 0 {
		if _, ok := findFile(files, "build", "run"); ok {
			r.errorf(CodeUnsupported, rel, "build/run script programs are not supported; use a source file in a supported language")
		} else {
			r.errorf(CodeUnsupported, rel, "no source file in a supported language (%s)", extList())
		}
		return Program{}, false
	}
	if len(langs) > 1 {
		// C sources next to C++ ones compile as C++.
		if langs["c"] && langs["cpp"] && len(langs) == 2 {
			delete(langs, "c")
		} else {
			r.errorf(CodeUnsupported, rel, "sources in several languages: %s", strings.Join(sortedKeys(langs), ", "))
			return Program{}, false
		}
	}
	lang := sortedKeys(langs)[0]
	sort.Strings(files)
	base := filepath.Base(path)
	var main string
	for _, cand := range []string{"main", "Main", base, "validator", "validate", "checker"} {
		for _, f := range files {
			if strings.TrimSuffix(f, filepath.Ext(f)) == cand && LanguageOf(f) == lang {
				main = f
				break
			}
		}
		if main != "" {
			break
		}
	}
	if main == "" {
		var srcs []string
		for _, f := range files {
			if LanguageOf(f) == lang {
				srcs = append(srcs, f)
			}
		}
		if len(srcs) == 1 {
			main = srcs[0]
		} else {
			r.errorf(CodeBadLayout, rel, "cannot tell the entry file among %s (name it main.*)", strings.Join(srcs, ", "))
			return Program{}, false
		}
	}
	return Program{Name: rel, Path: path, Language: lang, Files: files, Main: main}, true
}

func findFile(files []string, names ...string) (string, bool) {
	for _, f := range files {
		for _, n := range names {
			if f == n {
				return f, true
			}
		}
	}
	return "", false
}

// Sources reads the program's files: name (relative, slash-separated) → content.
func (p Program) Sources() (map[string][]byte, error) {
	root := p.Path
	if fi, err := os.Stat(p.Path); err == nil && !fi.IsDir() {
		root = filepath.Dir(p.Path)
	}
	out := map[string][]byte{}
	for _, f := range p.Files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return nil, err
		}
		out[f] = data
	}
	return out, nil
}

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

// Expectation is what a submissions/ folder promises about its programs.
type Expectation struct {
	Folder   string
	Verdicts []string // acceptable final verdicts at the time limit
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

// Submission is a program under submissions/ with the verdict its folder promises.
type Submission struct {
	Program
	Expect Expectation
}

func loadSubmissions(r *report, pkgDir string) []Submission {
	dir := filepath.Join(pkgDir, "submissions")
	entries, err := os.ReadDir(dir)
	if err != nil {
		r.warnf(CodeMissing, "submissions", "no submissions/: nothing proves the tests right")
		return nil
	}
	var out []Submission
	for _, e := range entries {
		if !e.IsDir() {
			if !isDocFile(e.Name()) {
				r.warnf(CodeBadLayout, "submissions/"+e.Name(), "files must be in a verdict folder (accepted/, wrong_answer/, ...)")
			}
			continue
		}
		exp, ok := expectations[e.Name()]
		if !ok {
			r.warnf(CodeUnknownKey, "submissions/"+e.Name(), "unknown submissions folder (ignored)")
			continue
		}
		exp.Folder = e.Name()
		for _, p := range loadPrograms(r, pkgDir, filepath.Join(dir, e.Name()), "submissions/"+e.Name()) {
			out = append(out, Submission{Program: p, Expect: exp})
		}
	}
	accepted := 0
	for _, s := range out {
		if s.Expect.Folder == "accepted" {
			accepted++
		}
	}
	if accepted == 0 {
		r.warnf(CodeMissing, "submissions/accepted", "no accepted submission: the time limit cannot be derived and nothing proves the answers")
	}
	return out
}

// findGenerator finds generators/gen (an executable script whose #! line
// names its interpreter, as the bundled problems write it), gen.<ext>, or a
// directory program generators/gen/. Generators are an arena extension
// (complexity coaching runs "gen <n> <seed>"), so problems are warnings.
func findGenerator(r *report, pkgDir string) *Program {
	dir := filepath.Join(pkgDir, "generators")
	script := filepath.Join(dir, "gen")
	if fi, err := statInside(pkgDir, script); err == nil && fi.Mode().IsRegular() {
		lang := shebangLanguage(script)
		if lang == "" {
			r.warnf(CodeUnsupported, "generators/gen", "cannot tell the language: start it with #!/usr/bin/env python3 (or node)")
			return nil
		}
		return &Program{Name: "generators/gen", Path: script, Language: lang, Files: []string{"gen"}, Main: "gen"}
	}
	for _, g := range loadPrograms(&report{}, pkgDir, dir, "generators") {
		if strings.TrimSuffix(filepath.Base(g.Path), filepath.Ext(g.Path)) == "gen" {
			return &g
		}
	}
	return nil
}

// shebangLanguage maps a script's #! line to a language id.
func shebangLanguage(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 128)
	n, _ := f.Read(buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	if !strings.HasPrefix(line, "#!") {
		return ""
	}
	fields := strings.Fields(line[2:])
	if len(fields) == 0 {
		return ""
	}
	interp := filepath.Base(fields[0])
	if interp == "env" && len(fields) > 1 {
		interp = fields[1]
	}
	switch {
	case strings.HasPrefix(interp, "python"), strings.HasPrefix(interp, "pypy"):
		return "python"
	case interp == "node" || interp == "nodejs":
		return "javascript"
	}
	return ""
}
