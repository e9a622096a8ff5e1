package problem

import (
	"sort"
	"strings"
	"sync"

	"github.com/segfaultarena/segfault/internal/judge"
)

// The judge's language table (internal/judge/languages.yaml) is the one
// place that knows languages: which extensions a language has, what its
// default entry file is. Programs in a package are recognised by asking
// it, never by a list of our own.
var languageTable = sync.OnceValues(func() (*judge.Languages, error) { return judge.DefaultLanguages("") })

// LangChecktestdata is the Language of a .ctd input validator, which
// verification runs with internal/problem/checktestdata instead of the
// judge.
const LangChecktestdata = "checktestdata"

// LanguageOf returns the judge language id for a file name, "" if no
// language of the table has its extension.
func LanguageOf(name string) string {
	l, err := languageTable()
	if err != nil {
		return ""
	}
	if spec, ok := l.ByExtension(name); ok {
		return spec.ID
	}
	return ""
}

// LanguageID resolves a language as Kattis names it (python3, cpp, java;
// include/<language>/, submissions.yaml language:) to a judge id, "" if
// the table has no such language or alias.
func LanguageID(name string) string {
	l, err := languageTable()
	if err != nil {
		return ""
	}
	if spec, ok := l.Spec(name); ok {
		return spec.ID
	}
	return ""
}

// entryFile is the judge table's choice of entry among a program's files.
func entryFile(lang string, files []string) (string, error) {
	l, err := languageTable()
	if err != nil {
		return "", err
	}
	return l.EntryFile(lang, files)
}

// knownExtensions lists every extension of the table, for messages.
func knownExtensions() string {
	l, err := languageTable()
	if err != nil {
		return ""
	}
	var exts []string
	for _, id := range l.IDs() {
		spec, _ := l.Spec(id)
		for _, e := range spec.Extensions {
			exts = append(exts, "."+e)
		}
	}
	sort.Strings(exts)
	return strings.Join(exts, " ")
}
