package problem

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Statement is the problem text in one language, ready for the browser:
// Markdown with math left for KaTeX. Image links are relative to the
// statement directory; the server serves Assets under the problem's URL.
type Statement struct {
	Lang     string // "en", "sv", ...
	Format   string // "markdown" or "latex" (the source format)
	Path     string // source file, relative to the package root
	Title    string // \problemname{} of a LaTeX statement, else ""
	Markdown string
	Warnings []string
}

// Image extensions a browser shows; other files next to the statement are not
// served (a .tex include or .sty must not leak).
var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".webp": true}

var statementFile = regexp.MustCompile(`^problem(?:\.([a-z]{2,3}(?:-[A-Za-z]+)?))?\.(md|tex)$`)

// loadStatements reads problem_statement/ (legacy) or statement/ (draft).
// Both names are accepted in both versions, as DOMjudge does, with a warning
// when the name does not match the declared version.
func loadStatements(r *report, dir string, format Format) (dirName string, sts []Statement, assets []string) {
	for _, name := range []string{"statement", "problem_statement"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !st.IsDir() {
			continue
		}
		if dirName != "" {
			r.warnf(CodeBadLayout, name, "both statement/ and problem_statement/ exist; using %s/", dirName)
			continue
		}
		dirName = name
	}
	if dirName == "" {
		hint := ""
		for _, f := range []string{"problem.pdf", "problem.html"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				hint = fmt.Sprintf(" (%s at the root, as DOMjudge exports it, cannot be shown in the browser)", f)
			}
		}
		r.errorf(CodeMissing, "statement", "no statement: want problem_statement/problem.en.md (or .tex), or statement/ for 2023-07-draft and 2025-09%s", hint)
		return "", nil, nil
	}
	if format.Modern() && dirName == "problem_statement" {
		r.warnf(CodeBadLayout, dirName, "%s packages use statement/", format)
	}
	entries, err := os.ReadDir(filepath.Join(dir, dirName))
	if err != nil {
		r.errorf(CodeBadLayout, dirName, "cannot read: %v", err)
		return dirName, nil, nil
	}
	files := map[string]bool{}
	for _, e := range entries {
		if e.Type().IsRegular() {
			files[e.Name()] = true
			if imageExts[strings.ToLower(path.Ext(e.Name()))] {
				assets = append(assets, e.Name())
			}
		}
	}
	sort.Strings(assets)
	image := func(name string) string {
		name = strings.TrimPrefix(name, "./")
		if files[name] && imageExts[strings.ToLower(path.Ext(name))] {
			return name
		}
		// \includegraphics{fig} without an extension, as pdflatex allows.
		for _, ext := range []string{".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"} {
			if files[name+ext] {
				return name + ext
			}
		}
		return ""
	}
	byLang := map[string]Statement{}
	for _, e := range entries {
		m := statementFile.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		lang, kind := m[1], m[2]
		if lang == "" {
			lang = "en"
		}
		rel := dirName + "/" + e.Name()
		data, err := os.ReadFile(filepath.Join(dir, dirName, e.Name()))
		if err != nil {
			r.errorf(CodeBadLayout, rel, "cannot read: %v", err)
			continue
		}
		st := Statement{Lang: lang, Path: rel}
		if kind == "md" {
			st.Format = "markdown"
			st.Markdown = strings.TrimSpace(string(data))
		} else {
			st.Format = "latex"
			st.Markdown, st.Title, st.Warnings = latexToMarkdown(string(data), image)
			for _, w := range st.Warnings {
				r.warnf(CodeUnsupported, rel, "%s", w)
			}
		}
		if prev, dup := byLang[lang]; dup {
			// Markdown wins: it is what the author reads in the browser.
			if prev.Format == "markdown" {
				continue
			}
		}
		byLang[lang] = st
	}
	if len(byLang) == 0 {
		hint := ""
		for name := range files {
			if strings.HasPrefix(name, "problem") && strings.HasSuffix(name, ".pdf") {
				hint = " (PDF statements cannot be shown in the browser; add the Markdown or LaTeX source)"
			}
		}
		r.errorf(CodeMissing, dirName, "no problem.<lang>.md or problem.<lang>.tex statement%s", hint)
	}
	for _, lang := range sortedKeys(byLang) {
		sts = append(sts, byLang[lang])
	}
	return dirName, sts, assets
}
