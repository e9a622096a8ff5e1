package judge

import (
	"context"
	"strings"
	"testing"
)

func TestLanguageTable(t *testing.T) {
	l := sharedLanguages(t)
	want := []string{"python", "c", "cpp", "go", "javascript", "java", "rust"}
	if got := strings.Join(l.IDs(), ","); got != strings.Join(want, ",") {
		t.Errorf("ids %s", got)
	}
	for alias, id := range map[string]string{"py": "python", "c++": "cpp", "js": "javascript", "node": "javascript", "CPP": "cpp", " go ": "go", "rs": "rust"} {
		if s, ok := l.Spec(alias); !ok || s.ID != id {
			t.Errorf("alias %q → %q %v, want %s", alias, s.ID, ok, id)
		}
	}
	for file, id := range map[string]string{"a.cpp": "cpp", "x.CC": "cpp", "v.py": "python", "Main.java": "java", "m.rs": "rust"} {
		if s, ok := l.ByExtension(file); !ok || s.ID != id {
			t.Errorf("extension of %s → %q, want %s", file, s.ID, id)
		}
	}
	if _, err := l.Lookup(context.Background(), "brainfuck"); ErrorCode(err) != CodeUnsupportedLanguage {
		t.Errorf("unknown language: %v", err)
	}
}

// TestLanguageTableErrors: mistakes in the table are caught at load time.
func TestLanguageTableErrors(t *testing.T) {
	entry := func(extra string) string {
		return "- id: x\n  name: X\n  package: x-pkg\n  source: main.x\n  run: [./main]\n  version: [/bin/true]\n" + extra
	}
	cases := map[string]string{
		"unknown placeholder": entry("  compile: [[cc, '{nope}']]\n"),
		"empty compile":       entry("  compile: [[]]\n"),
		"unknown prepare":     entry("  prepare: magic\n"),
		"no package":          "- id: x\n  source: a\n  run: [a]\n  version: [a]\n",
		"duplicate alias":     entry("  aliases: [y]\n") + "- id: y\n  package: p\n  source: a\n  run: [a]\n  version: [a]\n",
		"not yaml":            "- id: [",
		"unknown include":     entry("  binds: ['@nope']\n"),
		"nested include":      entry("  binds: ['@y']\n") + "- id: y\n  package: p\n  source: a\n  run: [a]\n  version: [a]\n  binds: ['@x']\n",
		"unknown in bind":     entry("  binds: ['{nope}/lib']\n"),
	}
	for name, yml := range cases {
		if _, err := ParseLanguages([]byte(yml), t.TempDir()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseLanguages([]byte(entry("  tools: {cc: [gcc]}\n  compile: [['{cc}', '{sources}']]\n")), t.TempDir()); err != nil {
		t.Errorf("valid entry refused: %v", err)
	}
}

// TestMissingToolchain: a language whose compiler is absent is refused with
// the Debian package to install.
func TestMissingToolchain(t *testing.T) {
	yml := `- id: cobol
  name: COBOL
  package: gnucobol4
  source: main.cob
  tools:
    cobc: [/nonexistent/cobc, segfault-no-such-cobc]
  version: ["{cobc}", --version]
  compile: [["{cobc}", -x, "{src}"]]
  run: [./main]
`
	l, err := ParseLanguages([]byte(yml), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Lookup(context.Background(), "cobol")
	if ErrorCode(err) != CodeLanguageUnavailable || !strings.Contains(err.Error(), "gnucobol4") {
		t.Fatalf("err %v, want %s naming the package", err, CodeLanguageUnavailable)
	}
	resolved := l.ResolveAll(context.Background())
	if len(resolved) != 1 || resolved[0].Err == nil {
		t.Errorf("ResolveAll: %+v", resolved)
	}
	info := l.Info(context.Background())
	if len(info) != 1 || info[0].Available || !strings.Contains(info[0].Reason, "gnucobol4") {
		t.Errorf("Info: %+v", info)
	}
}

func TestJavaSourceName(t *testing.T) {
	l := sharedLanguages(t)
	java, err := l.Lookup(context.Background(), "java")
	if err != nil {
		t.Skip(err)
	}
	cases := map[string]string{
		"public class Solver { }":                              "Solver",
		"import x;\n\npublic final class A_b$1 {}":             "A_b$1",
		"class Helper {}\npublic class Main {}":                "Main",
		"class Main { public static void main(String[] a){} }": "Main",
		"// public class Fake\nclass Main {}":                  "Main",
	}
	for src, want := range cases {
		file, class := java.sourceName([]byte(src))
		if class != want || file != want+".java" {
			t.Errorf("%q → %s %s, want %s", src, file, class, want)
		}
	}
}

func TestResolvedToolchains(t *testing.T) {
	for _, li := range sharedLanguages(t).Info(context.Background()) {
		if !li.Available || li.Version == "" {
			t.Errorf("%+v", li)
		}
	}
	for _, lang := range sharedLanguages(t).ResolveAll(context.Background()) {
		if lang.Err != nil {
			t.Errorf("%s: %v", lang.ID, lang.Err)
			continue
		}
		for _, b := range lang.HostBinds() {
			if err := checkLanguageBind(b); err != nil {
				t.Errorf("%s: %v", lang.ID, err)
			}
		}
		t.Logf("%-10s %-50s binds %v", lang.ID, lang.Version, lang.HostBinds())
	}
}

// TestLanguageBinds: binds include other languages' lists, probes may use
// tools, and a bind of a whole system dir is refused with the reason.
func TestLanguageBinds(t *testing.T) {
	yml := `- id: base
  name: Base
  package: coreutils
  source: main.x
  binds: [/usr/bin/true, /no/such/optional/dir]
  tools:
    sh: [/bin/sh]
  version: ["{sh}", -c, "echo 1"]
  run: [./main]
- id: user
  name: User
  package: coreutils
  source: main.x
  tools:
    sh: [/bin/sh]
  probes:
    here: {cmd: ["{sh}", -c, "echo /usr/bin/env"]}
  binds: ["{here}", "@base"]
  version: ["{sh}", -c, "echo 2"]
  run: [./main]
- id: broad
  name: Broad
  package: coreutils
  source: main.x
  binds: [/usr/bin]
  version: [/bin/true]
  run: [./main]
`
	l, err := ParseLanguages([]byte(yml), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	user, err := l.Lookup(context.Background(), "user")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(user.HostBinds(), " "), "/bin/sh /usr/bin/env /usr/bin/true"; got != want {
		t.Errorf("binds %q, want %q", got, want)
	}
	if _, err := l.Lookup(context.Background(), "broad"); ErrorCode(err) != CodeLanguageUnavailable || !strings.Contains(err.Error(), "too much of the host") {
		t.Errorf("a bind of /usr/bin: %v", err)
	}
}
