package judge

import (
	"context"
	"strings"
	"testing"
)

func TestLanguageTable(t *testing.T) {
	l := sharedLanguages(t)
	want := []string{"python", "c", "cpp", "go", "javascript", "java", "rust", "kotlin", "scala", "csharp", "haskell",
		"ocaml", "php", "ruby", "lisp", "prolog", "pascal", "lua", "perl", "fortran", "ada", "erlang", "elixir", "nim", "d",
		"r", "pypy", "typescript", "bash"}
	if got := strings.Join(l.IDs(), ","); got != strings.Join(want, ",") {
		t.Errorf("ids %s", got)
	}
	for alias, id := range map[string]string{"py": "python", "c++": "cpp", "js": "javascript", "node": "javascript", "CPP": "cpp", " go ": "go", "rs": "rust",
		"c#": "csharp", "cs": "csharp", "hs": "haskell", "sbcl": "lisp", "swipl": "prolog", "fpc": "pascal", "pypy3": "pypy", "ts": "typescript", "sh": "bash"} {
		if s, ok := l.Spec(alias); !ok || s.ID != id {
			t.Errorf("alias %q → %q %v, want %s", alias, s.ID, ok, id)
		}
	}
	for file, id := range map[string]string{"a.cpp": "cpp", "x.CC": "cpp", "v.py": "python", "Main.java": "java", "m.rs": "rust",
		// Kattis's extensions: exact case first (.C is C++), then folded.
		"a.C": "cpp", "a.c": "c", "a.c++": "cpp", "s.py3": "python", "k.kt": "kotlin", "s.sc": "scala", "s.scala": "scala",
		"p.cs": "csharp", "h.hs": "haskell", "o.ml": "ocaml", "w.php": "php", "r.rb": "ruby", "l.lisp": "lisp", "l.cl": "lisp",
		"p.pl": "prolog", "p.pm": "perl", "p.pas": "pascal", "l.lua": "lua", "f.f90": "fortran", "f.for": "fortran", "f.F": "fortran",
		"a.adb": "ada", "e.erl": "erlang", "e.ex": "elixir", "n.nim": "nim", "d.d": "d", "r.R": "r", "r.r": "r", "t.ts": "typescript",
		"s.sh": "bash"} {
		if s, ok := l.ByExtension(file); !ok || s.ID != id {
			t.Errorf("extension of %s → %q, want %s", file, s.ID, id)
		}
	}
	for _, file := range []string{"noext", "a.txt", "a.", ".py.bak"} {
		if s, ok := l.ByExtension(file); ok {
			t.Errorf("extension of %s → %s, want none", file, s.ID)
		}
	}
	// .pl is Prolog (as problemtools) unless the first line names perl.
	for src, id := range map[string]string{
		"#!/usr/bin/perl\nprint 1;\n":        "perl",
		"#!/usr/bin/env perl -w\nprint 1;\n": "perl",
		"main :- write(1).\n":                "prolog",
		"# perl? no shebang\nprint 1;\n":     "prolog",
		"#!/usr/bin/swipl\nmain.\n":          "prolog",
	} {
		if s, ok := l.Detect("x.pl", []byte(src)); !ok || s.ID != id {
			t.Errorf("Detect(x.pl, %q) → %q, want %s", src, s.ID, id)
		}
	}
	if _, err := l.Lookup(context.Background(), "brainfuck"); ErrorCode(err) != CodeUnsupportedLanguage {
		t.Errorf("unknown language: %v", err)
	}
}

// TestLanguageTableErrors: mistakes in the table are caught at load time.
func TestLanguageTableErrors(t *testing.T) {
	entry := func(extra string) string {
		return "- id: x\n  name: X\n  package: x-pkg\n  source: main.x\n  entry: binary\n  run: [./main]\n  version: [/bin/true]\n  monaco: plaintext\n  template: x\n" + extra
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
		"bad entry":           strings.Replace(entry(""), "entry: binary", "entry: script", 1),
		"no template":         strings.Replace(entry(""), "template: x", "template: ' '", 1),
		"no monaco":           strings.Replace(entry(""), "monaco: plaintext", "monaco: ''", 1),
		"bad shebang":         entry("  shebang: '(['\n"),
		"class without group": entry("  class: {patterns: ['class \\w+']}\n"),
		"class name unknown":  strings.Replace(entry(""), "source: main.x", "source: '{class}.x'", 1),
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
  entry: binary
  monaco: plaintext
  template: "IDENTIFICATION DIVISION."
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

// TestResolvedToolchains: every language installed here has a version and
// binds only what the box lacks. A missing one is logged (TestConformance
// fails for it under CI).
func TestResolvedToolchains(t *testing.T) {
	for _, li := range sharedLanguages(t).Info(context.Background()) {
		if li.Available && li.Version == "" || !li.Available && li.Reason == "" {
			t.Errorf("%+v", li)
		}
	}
	for _, lang := range sharedLanguages(t).ResolveAll(context.Background()) {
		if lang.Err != nil {
			t.Logf("%s: %v", lang.ID, lang.Err)
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
  entry: binary
  monaco: plaintext
  template: x
  binds: [/usr/bin/true, /no/such/optional/dir]
  tools:
    sh: [/bin/sh]
  version: ["{sh}", -c, "echo 1"]
  run: [./main]
- id: user
  name: User
  package: coreutils
  source: main.x
  entry: binary
  monaco: plaintext
  template: x
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
  entry: binary
  monaco: plaintext
  template: x
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

// TestClassNames: the main class, module or unit of each language that
// needs one, from the source or (Kattis's rule) from the entry file name.
func TestClassNames(t *testing.T) {
	l := sharedLanguages(t)
	cases := []struct {
		lang, src, file, wantFile, wantClass string
	}{
		{"kotlin", "fun main() {}", "", "Main.kt", "MainKt"},
		{"kotlin", "@file:JvmName(\"Solver\")\nfun main() {}", "", "Main.kt", "Solver"},
		{"scala", "object Solver extends App { println(1) }", "", "main.scala", "Solver"},
		{"scala", "object Helper { def f = 1 }\nobject Sol {\n  def main(a: Array[String]): Unit = { if (true) { println(Helper.f) } }\n}", "", "main.scala", "Sol"},
		{"scala", "class X", "", "main.scala", "Main"},
		{"erlang", "%% comment\n-module(sol).\n-export([start/0]).", "", "sol.erl", "sol"},
		{"erlang", "start() -> ok.", "", "main.erl", "main"},
		{"ada", "with Ada.Text_IO;\nprocedure Hello_World is\nbegin\n null;\nend Hello_World;", "", "hello_world.adb", "hello_world"},
		{"ada", "pragma Ada_2012;", "", "main.adb", "main"},
	}
	for _, c := range cases {
		spec, ok := l.Spec(c.lang)
		if !ok {
			t.Fatalf("no %s", c.lang)
		}
		lang := &Language{LanguageSpec: spec}
		file, class := lang.sourceName([]byte(c.src))
		if file != c.wantFile || class != c.wantClass {
			t.Errorf("%s %q → %s %s, want %s %s", c.lang, c.src, file, class, c.wantFile, c.wantClass)
		}
	}
	// A multi-file program's entry file names the class when the source
	// does not (Kattis: {Mainclass}Kt, the Scala object named after the file).
	for _, c := range []struct{ lang, file, want string }{{"kotlin", "solve.kt", "SolveKt"}, {"scala", "hello.scala", "hello"}, {"java", "Other.java", "Other"}} {
		spec, _ := l.Spec(c.lang)
		if got := spec.Class.name([]byte("// nothing"), c.file); got != c.want {
			t.Errorf("%s file %s → %s, want %s", c.lang, c.file, got, c.want)
		}
	}
}
