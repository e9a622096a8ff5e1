package judge

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// EntryFile picks the file a program of several files starts from, with
// Kattis's rules read off the language table: the only source file of the
// language; else the language's default entry (its source name with the
// class Main: main.py, Main.java, main.js); else the one source named
// main.<ext> in any letter case. Languages whose compile and run commands
// name no single file ({src}, {class}: C, C++, Go) take every source and
// need no entry: the first source is returned. An error says why there
// is no entry (no source of the language, or several and none is main).
func (l *Languages) EntryFile(lang string, names []string) (string, error) {
	spec, ok := l.Spec(lang)
	if !ok {
		return "", fmt.Errorf("language %q is not supported", lang)
	}
	var sources []string
	for _, n := range names {
		if hasExt(n, spec.Extensions) {
			sources = append(sources, n)
		}
	}
	slices.Sort(sources)
	switch {
	case len(sources) == 0:
		return "", fmt.Errorf("no %s source file (%s)", spec.Name, strings.Join(dotted(spec.Extensions), " "))
	case len(sources) == 1 || !spec.needsEntry():
		return sources[0], nil
	}
	def := strings.ReplaceAll(spec.Source, "{class}", "Main")
	for _, s := range sources {
		if strings.EqualFold(s, def) {
			return s, nil
		}
	}
	var mains []string
	for _, s := range sources {
		if strings.EqualFold(strings.TrimSuffix(s, filepath.Ext(s)), "main") {
			mains = append(mains, s)
		}
	}
	if len(mains) == 1 {
		return mains[0], nil
	}
	return "", fmt.Errorf("%d %s source files and none is the entry: name it %s", len(sources), spec.Name, def)
}

// needsEntry says whether the language runs or compiles one file of a
// program by name ({src}, {class}) rather than every source at once.
func (s LanguageSpec) needsEntry() bool {
	cmds := append([]string(nil), s.Run...)
	for _, c := range s.Compile {
		cmds = append(cmds, c...)
	}
	for _, a := range cmds {
		if strings.Contains(a, "{src}") || strings.Contains(a, "{class}") {
			return true
		}
	}
	return false
}

func dotted(exts []string) []string {
	out := make([]string, len(exts))
	for i, e := range exts {
		out[i] = "." + e
	}
	return out
}

// programFiles are the files of sub as compileIn takes them (the key ""
// stands for the language's own source name) and the entry file, after
// the checks every submission gets. Nothing is written.
func (j *Judge) programFiles(sub Submission, spec LanguageSpec) (map[string][]byte, string, error) {
	if len(sub.Files) == 0 {
		if len(bytes.TrimSpace(sub.Source)) == 0 {
			return nil, "", errorf(CodeEmptySource, "the source is empty")
		}
		if len(sub.Source) > MaxSourceBytes {
			return nil, "", errorf(CodeSourceTooLarge, "the source is %d bytes, over the limit of %d", len(sub.Source), MaxSourceBytes)
		}
		if spec.UTF8 && !utf8.Valid(sub.Source) {
			return nil, "", errorf(CodeInvalidEncoding, "%s sources must be UTF-8", spec.Name)
		}
		return map[string][]byte{"": sub.Source}, "", nil
	}
	if len(sub.Source) > 0 {
		return nil, "", errorf(CodeBadArguments, "a submission has either one source or files, not both")
	}
	total := 0
	names := make([]string, 0, len(sub.Files))
	for name, data := range sub.Files {
		if !validFileName(name) {
			return nil, "", errorf(CodeBadArguments, "file name %q: want a plain name (no directories, no leading dot)", name)
		}
		total += len(data)
		if hasExt(name, spec.Extensions) && spec.UTF8 && !utf8.Valid(data) {
			return nil, "", errorf(CodeInvalidEncoding, "%s: %s sources must be UTF-8", name, spec.Name)
		}
		names = append(names, name)
	}
	if total > MaxSourceBytes {
		return nil, "", errorf(CodeSourceTooLarge, "the files are %d bytes in all, over the limit of %d", total, MaxSourceBytes)
	}
	entry := sub.Entry
	if entry == "" {
		var err error
		if entry, err = j.langs.EntryFile(spec.ID, names); err != nil {
			return nil, "", errorf(CodeEmptySource, "%v", err)
		}
	} else if _, ok := sub.Files[entry]; !ok || !hasExt(entry, spec.Extensions) {
		return nil, "", errorf(CodeBadArguments, "entry %q is not one of the %s source files", entry, spec.Name)
	}
	if len(bytes.TrimSpace(sub.Files[entry])) == 0 {
		return nil, "", errorf(CodeEmptySource, "the entry file %s is empty", entry)
	}
	return sub.Files, entry, nil
}

// validFileName accepts the names a box's work dir can hold as they are:
// no directories, no hidden or special names, nothing a shell would need
// to quote (names reach compile commands as argv entries anyway).
func validFileName(name string) bool {
	if name == "" || len(name) > 255 || name[0] == '.' || name[0] == '-' {
		return false
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == '+'
		if !ok {
			return false
		}
	}
	return true
}
