package verify

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/sandbox"
)

var (
	judgeOnce sync.Once
	testJudge *judge.Judge
	judgeErr  error
)

// realJudge is the real judge on the bare runtime: the layer under test
// here is verification, and bare keeps the suite fast. SEGFAULT_VERIFY_RUNTIME
// selects runc or runsc instead (that needs the test binary as the sandbox
// helper, which cmd/segfault provides).
func realJudge(t *testing.T) *judge.Judge {
	t.Helper()
	judgeOnce.Do(func() {
		name := os.Getenv("SEGFAULT_VERIFY_RUNTIME")
		if name == "" {
			name = "bare"
		}
		rt, err := sandbox.New(name, sandbox.Options{})
		if err != nil {
			judgeErr = err
			return
		}
		testJudge, judgeErr = judge.New(rt, nil, nil)
	})
	if judgeErr != nil {
		t.Fatal(judgeErr)
	}
	return testJudge
}

func load(t *testing.T, dir string) *problem.Package {
	t.Helper()
	p, err := problem.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func verifyDir(t *testing.T, dir string) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rep := Verify(ctx, load(t, dir), realJudge(t), Options{Parallel: 2})
	var out bytes.Buffer
	rep.WriteText(&out)
	t.Log("\n" + out.String())
	return rep
}

func TestVerifyGoodPackages(t *testing.T) {
	tests := []struct {
		dir       string
		limit     time.Duration
		from      string
		rows      int
		validated int // inputs checked by the input validator
	}{
		{"legacy_divisor", time.Second, "derived", 5, 10},
		{"draft_average", time.Second, "derived", 4, 8},
		{"interactive_guess", 2 * time.Second, "problem.yaml", 2, 0},
		{"scoring_triangle", time.Second, "derived", 4, 7},
		{"draft_scoring_sum", time.Second, "derived", 4, 7},
		{"multifile_validator", time.Second, "problem.yaml", 2, 6},
		{"scoring_validator", time.Second, "derived", 4, 6},
		{"float_groups", time.Second, "derived", 4, 8},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			t.Parallel()
			rep := verifyDir(t, filepath.Join("../testdata", tc.dir))
			if !rep.OK() {
				t.Fatalf("verification failed")
			}
			if rep.TimeLimit != tc.limit || !strings.HasPrefix(rep.TimeLimitFrom, tc.from) {
				t.Errorf("time limit %v (%s), want %v (%s)", rep.TimeLimit, rep.TimeLimitFrom, tc.limit, tc.from)
			}
			if len(rep.Rows) != tc.rows {
				t.Errorf("%d rows, want %d", len(rep.Rows), tc.rows)
			}
			checked := 0
			for _, v := range rep.Validators {
				checked += v.Checked
			}
			if checked != tc.validated {
				t.Errorf("%d inputs validated, want %d", checked, tc.validated)
			}
			for _, r := range rep.Rows {
				want, ok := partialScores[tc.dir]
				if r.Expected == "partially_accepted" && (!ok || r.Score != want[0] || r.MaxScore != want[1]) {
					t.Errorf("%s: score %v/%v, want %v", r.Submission, r.Score, r.MaxScore, want)
				}
			}
		})
	}
}

// partialScores are the score and maximum of each scoring fixture's
// partially_accepted submission: group1 only for the default grader ones;
// for scoring_validator, the validator's score.txt (10·x/n per case, half
// of the 40 points), where the judge used to give every accepted case its
// full accept_score.
var partialScores = map[string][2]float64{"scoring_triangle": {30, 100}, "draft_scoring_sum": {40, 100}, "scoring_validator": {20, 40}}

// TestValidatorScores: the output validator's score.txt, not the group's
// accept_score, is what an accepted case earns; a malformed score.txt
// fails verification with the validator named, and only packages that
// read scores from the validator use them.
func TestValidatorScores(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	j := realJudge(t)
	pkg := load(t, "../testdata/scoring_validator")
	if len(pkg.Warnings) > 0 {
		t.Errorf("warnings %v", pkg.Warnings)
	}
	jp, err := JudgeProblem(pkg, time.Second, "python", nil)
	if err != nil {
		t.Fatal(err)
	}
	third := judge.Submission{Lang: "python", Source: []byte("n = int(input())\nprint(max(1, n // 4))\n")}
	res, err := j.Judge(ctx, jp, third, judge.Options{RunAll: true})
	if err != nil || res.Verdict != judge.AC {
		t.Fatalf("judge: %v %+v", err, res)
	}
	// n = 10, 2, 1000, 8: x = 2, 1, 250, 2 → 2 + 5 + 2.5 + 2.5 points.
	if score, max := Score(pkg, res); score != 12 || max != 40 {
		t.Errorf("score %v/%v, want 12/40", score, max)
	}
	// Legacy validation without "score": score.txt is not the package's
	// way of scoring, so accepted cases earn accept_score.
	plain := *pkg
	plain.Meta.Validation = "custom"
	if score, max := Score(&plain, res); score != 40 || max != 40 {
		t.Errorf("custom without score: %v/%v, want 40/40", score, max)
	}

	work := copyFixture(t, "scoring_validator")
	vpath := filepath.Join(work, "output_validators/pick/validate.py")
	src, _ := os.ReadFile(vpath)
	os.WriteFile(vpath, bytes.Replace(src, []byte(`"%.6f\n" % (10 * x / n)`), []byte(`"%d points\n" % x`), 1), 0o644)
	rep := verifyDir(t, work)
	if rep.OK() {
		t.Fatal("a validator writing a malformed score.txt verified")
	}
	for _, r := range rep.Rows {
		if r.Expected == "accepted" && (r.Got != "IE" || !strings.Contains(r.Message, `test 1 (sample/1): output validator: score.txt must hold one decimal number, got "4 points"`)) {
			t.Errorf("%s: %s %q, want IE naming score.txt", r.Submission, r.Got, r.Message)
		}
	}
}

// TestPerGroupValidatorFlags: groups with different output_validator_args
// are judged each with its own (float_groups: 1e-9 for the precise group,
// 0.01 absolute for the rough one), where the conversion used to refuse
// the package.
func TestPerGroupValidatorFlags(t *testing.T) {
	pkg := load(t, "../testdata/float_groups")
	jp, err := JudgeProblem(pkg, time.Second, "python", nil)
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]string{}
	for _, tc := range jp.Tests {
		f := jp.ValidatorFlags
		if tc.ValidatorFlags != nil {
			f = tc.ValidatorFlags
		}
		flags[tc.Name] = strings.Join(f, " ")
	}
	if flags["sample/1"] != "float_tolerance 1e-9" || flags["secret/precise/2"] != "float_tolerance 1e-9" || flags["secret/rough/3"] != "float_absolute_tolerance 0.01" {
		t.Errorf("flags %v", flags)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	src, err := os.ReadFile("../testdata/float_groups/submissions/wrong_answer/three_decimals.py")
	if err != nil {
		t.Fatal(err)
	}
	res, err := realJudge(t).Judge(ctx, jp, judge.Submission{Lang: "python", Source: src}, judge.Options{RunAll: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range res.Tests {
		got = append(got, tr.Name+"="+string(tr.Verdict))
	}
	// 10^12 has an exact root, so three decimals pass even the precise check.
	want := "sample/1=WA sample/2=AC secret/precise/1=WA secret/precise/2=AC secret/precise/3=WA secret/rough/1=AC secret/rough/2=AC secret/rough/3=AC"
	if strings.Join(got, " ") != want {
		t.Errorf("verdicts\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
}

func TestVerifyReportsBadPackages(t *testing.T) {
	t.Run("validator does not compile", func(t *testing.T) {
		rep := verifyDir(t, "../testdata/bad_validator")
		if rep.OK() || len(rep.Validators) != 1 || !strings.Contains(rep.Validators[0].Err, "does not compile") {
			t.Errorf("validators %+v", rep.Validators)
		}
	})
	t.Run("invalid input", func(t *testing.T) {
		rep := verifyDir(t, "../testdata/invalid_input")
		if rep.OK() || len(rep.Validators) != 1 {
			t.Fatalf("validators %+v", rep.Validators)
		}
		v := rep.Validators[0]
		if v.Checked != 3 || len(v.Invalid) != 1 || !strings.HasPrefix(v.Invalid[0], "secret/2: exit 43") {
			t.Errorf("validator row %+v", v)
		}
	})
	t.Run("validator over the source cap", func(t *testing.T) {
		// testlib.h-sized validators pass the judge's 64 KiB source cap;
		// verification must still run them, and still catch bad inputs.
		work := filepath.Join(t.TempDir(), "draft_average")
		if err := problem.CopyTree("../testdata/draft_average", work); err != nil {
			t.Fatal(err)
		}
		h := filepath.Join(work, "input_validators/validate/validate.h")
		src, _ := os.ReadFile(h)
		pad := strings.Repeat("// padding to exceed the submission source cap\n", 2000)
		os.WriteFile(h, append(src, pad...), 0o644)
		os.WriteFile(filepath.Join(work, "data/secret/7.in"), []byte("2\n1  2\n"), 0o644) // two spaces: invalid
		os.WriteFile(filepath.Join(work, "data/secret/7.ans"), []byte("1.5\n"), 0o644)
		// That route cannot pass input validator arguments: said clearly.
		rep := verifyDir(t, work)
		if len(rep.Validators) != 1 || !strings.Contains(rep.Validators[0].Err, `cannot pass input validator arguments "n_max=1000"`) {
			t.Fatalf("validators %+v", rep.Validators)
		}
		os.Remove(filepath.Join(work, "data/secret/testdata.yaml"))
		rep = verifyDir(t, work)
		if len(rep.Validators) != 1 {
			t.Fatalf("validators %+v", rep.Validators)
		}
		v := rep.Validators[0]
		if v.Err != "" || v.Checked != 9 || len(v.Invalid) != 1 || v.Invalid[0] != "secret/7: exit 43" {
			t.Errorf("validator row %+v", v)
		}
	})
	t.Run("output validator does not compile", func(t *testing.T) {
		work := filepath.Join(t.TempDir(), "legacy_divisor")
		if err := problem.CopyTree("../testdata/legacy_divisor", work); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(work, "output_validators/checker/checker.py"), []byte("import sys\ndef broken(:\n"), 0o644)
		rep := verifyDir(t, work)
		errs := rep.Errors()
		if rep.OK() || len(errs) != 1 || !strings.HasPrefix(errs[0], "output validator output_validators/checker does not compile:") ||
			!strings.Contains(errs[0], "SyntaxError") {
			t.Errorf("errors %q", errs)
		}
	})
	t.Run("submission in the wrong folder", func(t *testing.T) {
		// A correct solution filed under wrong_answer must fail verification.
		work := filepath.Join(t.TempDir(), "draft_average")
		if err := problem.CopyTree("../testdata/draft_average", work); err != nil {
			t.Fatal(err)
		}
		src, _ := os.ReadFile("../testdata/draft_average/submissions/accepted/avg.py")
		os.WriteFile(filepath.Join(work, "submissions/wrong_answer/actually_right.py"), src, 0o644)
		rep := verifyDir(t, work)
		if rep.OK() {
			t.Fatal("verified")
		}
		bad := 0
		for _, r := range rep.Rows {
			if !r.OK {
				bad++
				if r.Submission != "submissions/wrong_answer/actually_right.py" || r.Got != "AC" {
					t.Errorf("mismatch row %+v", r)
				}
			}
		}
		if bad != 1 {
			t.Errorf("%d mismatches, want 1", bad)
		}
		var out bytes.Buffer
		rep.WriteText(&out)
		if !strings.Contains(out.String(), "MISMATCH") || !strings.Contains(out.String(), "FAILED") {
			t.Errorf("report text:\n%s", out.String())
		}
	})
}

func TestJudgeProblemConversion(t *testing.T) {
	p := load(t, "../testdata/legacy_divisor")
	jp, err := JudgeProblem(p, time.Second, "python", problem.LanguageMultipliers{"python": 2})
	if err != nil {
		t.Fatal(err)
	}
	if jp.TimeLimit != 2*time.Second || jp.MemoryBytes != 256<<20 || jp.OutputBytes != 8<<20 {
		t.Errorf("limits %v %d %d", jp.TimeLimit, jp.MemoryBytes, jp.OutputBytes)
	}
	if len(jp.Tests) != 10 || !jp.Tests[0].Sample || jp.Tests[2].Sample || jp.Tests[2].Name != "secret/1" {
		t.Errorf("tests %+v", jp.Tests)
	}
	if jp.Validator == nil || jp.Validator.Lang != "python" || jp.Validator.Files["checker.py"] == nil {
		t.Errorf("validator %+v", jp.Validator)
	}
	if strings.Join(jp.ValidatorFlags, " ") != "strict" {
		t.Errorf("flags %q", jp.ValidatorFlags)
	}
	if _, err := JudgeProblem(p, 0, "python", nil); err == nil {
		t.Error("zero time limit accepted")
	}
	d := load(t, "../testdata/draft_average")
	jd, err := JudgeProblem(d, time.Second, "cpp", nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(jd.ValidatorFlags, " ") != "float_tolerance 1e-6" || jd.Validator != nil {
		t.Errorf("draft flags %q validator %v", jd.ValidatorFlags, jd.Validator)
	}
	sub, err := Submission(d.InputValidators[0])
	if err != nil || sub.Entry != "validate.cpp" || !bytes.Contains(sub.Files["validate.h"], []byte("static long long readInt")) || sub.Source != nil {
		t.Errorf("directory validator as a submission: %+v %v", sub, err)
	}
}

// TestVerifyOnRunc runs the custom-validator and interactive fixtures in the
// real sandbox (the test binary is its own sandbox helper). Skipped where
// runc cannot run (not root, no runc).
func TestVerifyOnRunc(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	root := filepath.Join("/run/segfault-sandbox", "problem-verify-test-"+strconv.Itoa(os.Getpid()))
	rt, err := sandbox.New("runc", sandbox.Options{StateDir: filepath.Join(root, "state"), BoxDir: filepath.Join(root, "boxes")})
	if err == nil {
		err = rt.Check(context.Background())
	}
	if err != nil {
		t.Skipf("runc not usable here: %v", err)
	}
	defer os.RemoveAll(root)
	j, err := judge.New(rt, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Validator arguments as real argv in every language, in the real box.
	checkArgs(t, j, "python", "c", "cpp", "go", "javascript", "java", "rust")
	for _, dir := range []string{"legacy_divisor", "interactive_guess", "draft_average", "scoring_triangle"} {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		rep := Verify(ctx, load(t, filepath.Join("../testdata", dir)), j, Options{Parallel: 2})
		cancel()
		var out bytes.Buffer
		rep.WriteText(&out)
		t.Log("\n" + out.String())
		if !rep.OK() {
			t.Errorf("%s does not verify on runc", dir)
		}
	}
}

func TestImportVerifiesFirst(t *testing.T) {
	ctx := context.Background()
	lib := &problem.Library{Root: filepath.Join(t.TempDir(), "lib")}
	check := ImportCheck(realJudge(t), Options{Parallel: 2}, nil)

	for _, bad := range []string{"bad_validator", "invalid_input"} {
		_, err := problem.Import(ctx, lib, filepath.Join("../testdata", bad), problem.ImportOptions{Check: check})
		var fe *FailedError
		if !errors.As(err, &fe) || fe.Code() != problem.CodeVerify {
			t.Fatalf("import %s: %v", bad, err)
		}
		t.Logf("%s: %v", bad, err)
	}
	brokenChecker := filepath.Join(t.TempDir(), "legacy_divisor")
	if err := problem.CopyTree("../testdata/legacy_divisor", brokenChecker); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(brokenChecker, "output_validators/checker/checker.py"), []byte("def broken(:\n"), 0o644)
	if _, err := problem.Import(ctx, lib, brokenChecker, problem.ImportOptions{Check: check}); problem.ErrorCode(err) != problem.CodeVerify ||
		!strings.Contains(err.Error(), "output validator output_validators/checker does not compile") {
		t.Fatalf("import with a broken output validator: %v", err)
	}
	if ids, _ := lib.Problems(ctx); len(ids) != 0 {
		t.Fatalf("bad packages stored: %v", ids)
	}
	res, err := problem.Import(ctx, lib, "../testdata/scoring_triangle", problem.ImportOptions{Check: check})
	if err != nil {
		t.Fatal(err)
	}
	if res.Version.TimeLimit != time.Second || res.Version.Number != 1 {
		t.Errorf("stored %+v", res.Version)
	}
	v, err := lib.Version(ctx, "scoring_triangle", 0)
	if err != nil || v.TimeLimit != time.Second {
		t.Errorf("reloaded version %+v %v", v, err)
	}
}
