package judge

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// jvmLangs are the JVM languages found here, with their archives built.
func jvmLangs(t *testing.T, j *Judge) []*Language {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute) // hang-only: `make toolchains` builds them first
	defer cancel()
	var out []*Language
	for _, id := range []string{"java", "kotlin", "scala"} {
		if lang, err := j.Languages().Lookup(ctx, id); err == nil {
			out = append(out, lang)
		}
	}
	if len(out) == 0 {
		t.Skip("no JVM language here")
	}
	if err := PreparedBuilt(ctx); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJVMCDS: each JVM language's archive is built, verifies, and maps in
// a box with the run's own class path: the template run with -Xshare:on
// (which fails when the archive cannot be used) prints what it prints
// with -Xshare:auto, and the classes it loads come from the archive.
func TestJVMCDS(t *testing.T) {
	j := newTestJudge(t, "runc")
	ctx := context.Background()
	for _, lang := range jvmLangs(t, j) {
		t.Run(lang.ID, func(t *testing.T) {
			jsa := filepath.Join(lang.vars["prep"], cdsArchiveName)
			if err := verifyCDSArchive(jsa); err != nil {
				t.Fatalf("archive %s: %v", jsa, err)
			}
			prog, ce, err := j.compileIn(ctx, lang, map[string][]byte{"": []byte(lang.Template)}, "", 256<<20, "")
			if err != nil || ce != "" {
				t.Fatalf("compile template: %v %s", err, ce)
			}
			defer prog.close(j.log)
			run := func(args []string) string {
				var out, errb bytes.Buffer
				r, err := prog.box.Run(ctx, sandbox.Cmd{Args: args, Env: prog.env(), Dir: prog.dir, Stdin: strings.NewReader("5\n"),
					Stdout: &out, Stderr: &errb, Limits: runLimits(&Problem{TimeLimit: 5 * time.Second, MemoryBytes: 256 << 20}, lang)})
				if err != nil || r.Status != sandbox.StatusOK || r.ExitCode != 0 {
					t.Fatalf("%v: %v %+v %s", args, err, r, errb.String())
				}
				return out.String()
			}
			auto := prog.runArgs()
			if !slices.Contains(auto, "-Xshare:auto") || !slices.Contains(auto, "-XX:SharedArchiveFile="+jsa) {
				t.Fatalf("the run step does not name the archive: %v", auto)
			}
			on := slices.Insert(withoutCDS(auto), 1, "-Xshare:on", "-XX:SharedArchiveFile="+jsa)
			if a, b := run(auto), run(on); a != "5\n" || b != a {
				t.Fatalf("with -Xshare:auto %q, with -Xshare:on %q", a, b)
			}
			// A class of the archive's own (not in the JDK's default archive):
			// the language's library, or the Java trainer's Scanner.
			class := map[string]string{"java": "java.util.Scanner ", "kotlin": "kotlin.io.TextStreamsKt ", "scala": "scala.io.Source$ "}[lang.ID]
			logged := run(slices.Insert(slices.Clone(auto), 1, "-Xlog:class+load=info"))
			var line string
			for _, l := range strings.Split(logged, "\n") {
				if strings.Contains(l, class) {
					line = l
				}
			}
			if lang.ID != "java" && !strings.Contains(line, "shared objects file") {
				t.Errorf("%s not loaded from the archive: %q", class, line)
			}
		})
	}
}

// TestJVMCDSFallback: a missing, truncated or foreign archive never fails
// a run: Java judges AC with each in place of its archive.
func TestJVMCDSFallback(t *testing.T) {
	shared := newTestJudge(t, "runc")
	ctx := context.Background()
	java, err := shared.Languages().Lookup(ctx, "java")
	if err != nil {
		t.Skip("no Java here:", err)
	}
	if err := PreparedBuilt(ctx); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(filepath.Join(java.vars["prep"], cdsArchiveName))
	if err != nil {
		t.Skip("no archive (its build failed: see the log):", err)
	}
	garbage := bytes.Repeat([]byte("not an archive "), 1000)
	src := readTestdata(t, "conformance/java.java")
	p := writeProblem(t, 5*time.Second, 256<<20, [2]string{"sum 4 5\n", "9\n"}, [2]string{"hello\n", "Hello, World!\n"})
	for name, archive := range map[string][]byte{"missing": nil, "truncated": good[:len(good)/3], "garbage": garbage, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			// Under the cache dir: the sandbox refuses binds of /tmp.
			prep, err := os.MkdirTemp(filepath.Dir(java.vars["prep"]), "test-cds-fallback-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(prep) })
			os.Chmod(prep, 0o755)
			if archive != nil {
				if err := os.WriteFile(filepath.Join(prep, cdsArchiveName), archive, 0o444); err != nil {
					t.Fatal(err)
				}
			}
			j := judgeWithPrep(t, shared, java, prep)
			if r := judgeOK(t, j, p, Submission{Lang: "java", Source: src}, Options{}); r.Verdict != AC {
				t.Fatalf("%s archive: %s", name, summary(r))
			}
		})
	}
}

// judgeWithPrep is a judge on shared's runtime whose language lang uses
// prep as its prepared directory instead of the real one.
func judgeWithPrep(t *testing.T, shared *Judge, lang *Language, prep string) *Judge {
	t.Helper()
	langs, err := DefaultLanguages(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := *lang
	c.vars = maps.Clone(lang.vars)
	c.vars["prep"] = prep
	c.binds = slices.Clone(lang.binds)
	for i, b := range c.binds {
		if b == lang.vars["prep"] {
			c.binds[i] = prep
		}
	}
	r := &resolveOnce{lang: &c}
	r.once.Do(func() {})
	langs.resolved[lang.ID] = r
	j, err := New(shared.runtime, langs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestJVMCDSVerified: a resolve that finds an archive whose SHA-256 is not
// the one recorded when it was built deletes it (and would build it again:
// the test holds the build's lock); a matching one is kept.
func TestJVMCDSVerified(t *testing.T) {
	ctx := context.Background()
	java, err := sharedLanguages(t).Lookup(ctx, "java")
	if err != nil {
		t.Skip("no Java here:", err)
	}
	cache := t.TempDir()
	dir, err := cdsDir(ctx, java, cache)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	jsa := filepath.Join(dir, cdsArchiveName)
	write := func(data string) string {
		os.Remove(jsa)
		if err := os.WriteFile(jsa, []byte(data), 0o444); err != nil {
			t.Fatal(err)
		}
		sum, err := fileSHA256(jsa)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	sum := write("archive as built")
	os.Remove(jsa + ".sha256")
	if err := os.WriteFile(jsa+".sha256", []byte(sum+"\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	if got, err := prepareJVMCDS(ctx, java, cache); err != nil || got != dir {
		t.Fatalf("prepare: %q %v", got, err)
	}
	if b, err := os.ReadFile(jsa); err != nil || string(b) != "archive as built" {
		t.Fatalf("a verified archive was not kept: %q %v", b, err)
	}
	write("archive as built, then one byte changed") // the digest no longer matches
	if _, err := prepareJVMCDS(ctx, java, cache); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(jsa); !os.IsNotExist(err) {
		t.Fatalf("a tampered archive was kept: %v", err)
	}
	if err := PreparedBuilt(ctx); err != nil { // the build gave way to the lock
		t.Fatal(err)
	}
}
