package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/problem/verify"
)

const problemTestdata = "../../internal/problem/testdata"

// TestCmdProblem drives `segfault problem` end to end on the bare runtime
// (internal/problem/verify runs the same fixtures on runc).
func TestCmdProblem(t *testing.T) {
	ctx := context.Background()
	lib := filepath.Join(t.TempDir(), "lib")
	out := t.TempDir()
	cases := []struct {
		name string
		run  func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) int
		args []string
		code int
		want []string // substrings of stdout
	}{
		{"verify ok", verifyCmd, []string{"--sandbox-runtime", "bare", "-q", "--json", filepath.Join(out, "r.json"), filepath.Join(problemTestdata, "draft_average")}, 0,
			[]string{"Loading problem draft_average (2023-07-draft)", "Checking submissions", "SUBMISSION", "submissions/wrong_answer/intdiv.py", "draft_average tested: 0 errors", "1 package(s) verified, 0 failed"}},
		{"verify broken", verifyCmd, []string{"--sandbox-runtime", "bare", "-q", filepath.Join(problemTestdata, "wrong_types"), filepath.Join(problemTestdata, "zips")}, 1,
			[]string{`limits.memory: want integer, got "lots"`, "zips: skipped, not a problem package", "1 package(s) verified, 1 failed"}},
		{"verify bad validator", verifyCmd, []string{"--sandbox-runtime", "bare", "-q", filepath.Join(problemTestdata, "bad_validator")}, 1,
			[]string{"does not compile", "FAILED"}},
		{"verify bad flag", verifyCmd, []string{"--sandbox-runtime", "nope", filepath.Join(problemTestdata, "draft_average")}, 1, nil},
		{"import", importCmd, []string{"--library", lib, "--verify=false", filepath.Join(problemTestdata, "legacy_divisor")}, 0,
			[]string{"imported as legacy_divisor version 1"}},
		{"import again", importCmd, []string{"--library", lib, "--verify=false", filepath.Join(problemTestdata, "legacy_divisor")}, 0,
			[]string{"unchanged, already legacy_divisor version 1"}},
		{"import unsafe zip", importCmd, []string{"--library", lib, "--verify=false", filepath.Join(problemTestdata, "zips", "dotdot.zip")}, 1,
			[]string{"NOT imported", "path escapes the archive"}},
		{"export zip", exportCmd, []string{"--library", lib, "legacy_divisor", filepath.Join(out, "ld.zip")}, 0, []string{"legacy_divisor version 1"}},
		{"export dir", exportCmd, []string{filepath.Join(problemTestdata, "scoring_triangle"), filepath.Join(out, "st")}, 0, nil},
		{"export unknown", exportCmd, []string{"--library", lib, "nope", filepath.Join(out, "n.zip")}, 1, nil},
		{"show", showCmd, []string{"--statement", filepath.Join(problemTestdata, "legacy_divisor")}, 0, []string{"name:        Any Divisor", "## Input"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := tc.run(ctx, tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
		})
	}
	if fi, err := os.Stat(filepath.Join(out, "r.json")); err != nil || fi.Size() == 0 {
		t.Errorf("json report: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "st", "problem.yaml")); err != nil {
		t.Errorf("exported dir: %v", err)
	}
	// The exported zip imports as the same content.
	var stdout, stderr bytes.Buffer
	if code := importCmd(ctx, []string{"--library", filepath.Join(t.TempDir(), "lib2"), "--verify=false", filepath.Join(out, "ld.zip")}, &stdout, &stderr); code != 0 {
		t.Errorf("re-import exported zip: %d %s", code, stdout.String())
	}
}

func verifyCmd(ctx context.Context, args []string, o, e *bytes.Buffer) int {
	return problemVerify(ctx, args, o, e)
}
func importCmd(ctx context.Context, args []string, o, e *bytes.Buffer) int {
	return problemImport(ctx, args, o, e)
}
func exportCmd(ctx context.Context, args []string, o, e *bytes.Buffer) int {
	return problemExport(ctx, args, o, e)
}
func showCmd(_ context.Context, args []string, o, e *bytes.Buffer) int {
	return problemShow(args, o, e)
}

// TestCmdProblemImportStore imports into the server's database (--data-dir
// selects the SQLite store there), as `segfault serve` would read it.
func TestCmdProblemImportStore(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	src := filepath.Join(t.TempDir(), "legacy_divisor")
	if err := os.CopyFS(src, os.DirFS(filepath.Join(problemTestdata, "legacy_divisor"))); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	steps := []struct {
		name string
		run  func(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) int
		args []string
		code int
		want string
	}{
		{"import", importCmd, []string{"--data-dir", data, "--verify=false", src}, 0, "imported as legacy_divisor version 1"},
		{"import again", importCmd, []string{"--data-dir", data, "--verify=false", src}, 0, "unchanged, already legacy_divisor version 1"},
		{"import unsafe zip", importCmd, []string{"--data-dir", data, "--verify=false", filepath.Join(problemTestdata, "zips", "dotdot.zip")}, 1, "NOT imported"},
		{"export", exportCmd, []string{"--data-dir", data, "legacy_divisor", filepath.Join(out, "ld.zip")}, 0, "legacy_divisor version 1"},
		{"export unknown", exportCmd, []string{"--data-dir", data, "nope", filepath.Join(out, "n.zip")}, 1, ""},
		{"explicit sqlite db", importCmd, []string{"--db", filepath.Join(data, "segfault.db"), "--data-dir", data, "--verify=false", src}, 0, "unchanged"},
	}
	for _, st := range steps {
		var stdout, stderr bytes.Buffer
		code := st.run(ctx, st.args, &stdout, &stderr)
		if code != st.code || !strings.Contains(stdout.String(), st.want) {
			t.Errorf("%s: exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", st.name, code, st.code, stdout.String(), stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(data, "segfault.db")); err != nil {
		t.Errorf("no database in the data dir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "ld.zip")); err != nil {
		t.Errorf("export: %v", err)
	}
	// The directory library was not touched.
	if _, err := os.Stat(filepath.Join(data, "problems")); err == nil {
		t.Error("import with --data-dir wrote the directory library")
	}
}

// TestExamplesVerify runs `segfault problem verify` on the example
// packages (internal/problem/testdata/examples: no samples, transcript-only
// interactive samples, a checktestdata validator, scoring groups with
// symlinked cases, directory submissions, a 2025-09 package) in the real
// sandbox, and checks that every submission gets the verdict its folder
// says. Skipped where runc cannot run (not root, no runc).
func TestExamplesVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if _, err := newJudge(context.Background(), "runc"); err != nil {
		t.Skipf("runc not usable here: %v", err)
	}
	examples, _ := filepath.Glob(filepath.Join(problemTestdata, "examples", "*"))
	if len(examples) != 6 {
		t.Fatalf("examples %v", examples)
	}
	report := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	args := append([]string{"--sandbox-runtime", "runc", "--parallel", "2", "-q", "--json", report}, examples...)
	if code := problemVerify(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	t.Log("\n" + stdout.String())
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var reports []verify.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		t.Fatal(err)
	}
	// The verdict each folder says, by its name (2025-09 rules in the
	// folder's default set; partial/ is the fmt2025 example's own).
	folderVerdicts := map[string][]string{
		"accepted":           {"AC"},
		"wrong_answer":       {"WA"},
		"run_time_error":     {"RE"},
		"partially_accepted": {"WA", "TLE", "RE"},
		"brute_force":        {"RE", "TLE"},
		"partial":            {"WA"},
	}
	judged := 0
	for _, rep := range reports {
		for _, row := range rep.Rows {
			want, ok := folderVerdicts[row.Expected]
			if !ok {
				t.Errorf("%s: folder %s not covered by the test", row.Submission, row.Expected)
				continue
			}
			if row.Skipped {
				continue // a language this machine lacks (a warning)
			}
			judged++
			if !row.OK || !slices.Contains(want, row.Got) {
				t.Errorf("%s %s: got %s (ok %v, %s), folder says %v", rep.Problem, row.Submission, row.Got, row.OK, row.Message, want)
			}
			if row.Expected == "partially_accepted" || row.Expected == "partial" {
				if row.Score <= 0 || row.Score >= row.MaxScore {
					t.Errorf("%s: score %v of %v", row.Submission, row.Score, row.MaxScore)
				}
			}
		}
	}
	if judged < 20 {
		t.Errorf("only %d submissions judged", judged)
	}
	for _, want := range []string{
		"WARNING in data: data/sample: no samples",
		"WARNING in submissions: submissions/accepted/noentry: no recognised entry file",
		"every one of 4 invalid inputs is rejected",
		"input validator input_validators/format.ctd (checktestdata) ran on 5 inputs",
		"Loading problem fmt2025 (2025-09)",
		"6 package(s) verified, 0 failed",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
