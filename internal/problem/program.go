package problem

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/segfaultarena/segfault/internal/problem/checktestdata"
)

// Program is a validator or submission: one source file, or a directory of
// files compiled together (Kattis "directory programs").
type Program struct {
	Name     string   // relative to the package root: "submissions/accepted/sol.py"
	Path     string   // absolute path of the file or directory
	Language string   // judge language id (python, cpp, ...), or LangChecktestdata
	Files    []string // its files, relative to Path's directory (file) or Path (directory)
	Main     string   // the entry file among Files
	// Includes are files of the package's include/ directory added to a
	// submission of this language (absolute paths; they replace a file of
	// the same name).
	Includes []string
	// Constants (2025-09) replace {{name}} in the sources.
	Constants map[string]string
}

// Headers shared by the programs of a directory (testlib.h, validate.h).
var headerExts = map[string]bool{".h": true, ".hpp": true, ".hh": true}

// programKind says what a program is for, which decides how strictly a
// program that cannot run here is treated: a submission in a language we
// lack is skipped with a warning (problemtools does the same), a validator
// that cannot run is an error.
type programKind int

const (
	inputValidator programKind = iota
	outputValidator
	submission
)

// loadPrograms reads every program in dir (input_validators/,
// output_validators/, a submissions folder). rel is dir relative to the root.
func loadPrograms(r *report, pkgDir, dir, rel string, kind programKind) []Program {
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
	// skip reports a program that is not used: a warning for submissions,
	// an error for validators.
	skip := func(path, format string, a ...any) {
		if kind == submission {
			r.warnf(CodeUnsupported, path, format+": not judged", a...)
		} else {
			r.errorf(CodeUnsupported, path, format, a...)
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
		if fi.IsDir() {
			if p, ok := dirProgram(r, pkgDir, path, rel+"/"+name, kind); ok {
				out = append(out, p)
			}
			continue
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		ext := strings.ToLower(filepath.Ext(name))
		switch {
		case headerExts[ext] || isDocFile(name):
			continue
		case ext == ".ctd" && kind == inputValidator:
			if p, ok := checktestdataProgram(r, path, rel+"/"+name); ok {
				out = append(out, p)
			}
			continue
		case ext == ".viva" && kind == inputValidator:
			r.warnf(CodeUnsupported, rel+"/"+name, "VIVA validators are not run here; only the other input validators check the inputs")
			continue
		}
		lang := LanguageOf(name)
		if lang == "" {
			skip(rel+"/"+name, "no language of the judge has the extension %q (known: %s)", ext, knownExtensions())
			continue
		}
		files := append([]string{name}, headers...)
		out = append(out, Program{Name: rel + "/" + name, Path: path, Language: lang, Files: files, Main: name})
	}
	sort.Slice(out, func(i, j int) bool { return naturalLess(out[i].Name, out[j].Name) })
	return out
}

// checktestdataProgram is a .ctd input validator, parsed now so that a
// syntax error is reported with the package's other problems.
func checktestdataProgram(r *report, path, rel string) (Program, bool) {
	src, err := os.ReadFile(path)
	if err != nil {
		r.errorf(CodeBadLayout, rel, "%v", err)
		return Program{}, false
	}
	if _, err := checktestdata.Parse(src); err != nil {
		r.errorf(CodeBadValue, rel, "checktestdata: %v", err)
		return Program{}, false
	}
	name := filepath.Base(path)
	return Program{Name: rel, Path: path, Language: LangChecktestdata, Files: []string{name}, Main: name}, true
}

func isDocFile(name string) bool {
	l := strings.ToLower(name)
	return strings.HasPrefix(l, "readme") || strings.HasSuffix(l, ".md") || strings.HasSuffix(l, ".txt")
}

// dirProgram reads a directory program: its files (flat: the judge
// writes them side by side), its language (all sources must agree; C
// next to C++ compiles as C++) and its entry file, by the judge table's
// Kattis rules (a Python package directory runs __main__.py). Validators
// fall back to a file named validate, validator, checker or interactor.
func dirProgram(r *report, pkgDir, path, rel string, kind programKind) (Program, bool) {
	var files []string
	langs := map[string]bool{}
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != path && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if _, err := statInside(pkgDir, p); err != nil {
			return err
		}
		fr, _ := filepath.Rel(path, p)
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
	skip := func(format string, a ...any) (Program, bool) {
		if kind == submission {
			r.warnf(CodeUnsupported, rel, format+": not judged", a...)
		} else {
			r.errorf(CodeUnsupported, rel, format, a...)
		}
		return Program{}, false
	}
	sort.Strings(files)
	if _, ok := findFile(files, "build", "run"); ok {
		return skip("build/run script programs are not supported; use source files in a language of the judge")
	}
	for _, f := range files {
		if strings.Contains(f, "/") {
			return skip("file %s is in a subdirectory; directory programs must be flat here", f)
		}
	}
	if langs["c"] && langs["cpp"] {
		delete(langs, "c") // C sources next to C++ ones compile as C++
	}
	switch {
	case len(langs) == 0:
		return skip("no source file in a language of the judge (known: %s)", knownExtensions())
	case len(langs) > 1:
		return skip("sources in several languages: %s", strings.Join(sortedKeys(langs), ", "))
	}
	lang := sortedKeys(langs)[0]
	if lang == "python" && slices.Contains(files, "__main__.py") {
		return Program{Name: rel, Path: path, Language: lang, Files: files, Main: "__main__.py"}, true
	}
	main, err := entryFile(lang, files)
	if err != nil && kind != submission {
		for _, cand := range []string{"validate", "validator", "checker", "interactor"} {
			for _, f := range files {
				if strings.TrimSuffix(f, filepath.Ext(f)) == cand && LanguageOf(f) == lang {
					main, err = f, nil
				}
			}
		}
	}
	if err != nil {
		return skip("no recognised entry file: %v", err)
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

// Sources reads the program's files and its includes: name (relative,
// slash-separated) → content.
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
	for _, inc := range p.Includes {
		data, err := os.ReadFile(inc)
		if err != nil {
			return nil, err
		}
		out[filepath.Base(inc)] = data
	}
	if len(p.Constants) > 0 {
		for name, data := range out {
			if bytes.Contains(data, []byte("{{")) {
				out[name] = []byte(substituteConstants(string(data), p.Constants))
			}
		}
	}
	return out, nil
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
	for _, g := range loadPrograms(&report{}, pkgDir, dir, "generators", submission) {
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
