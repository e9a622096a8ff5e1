package verify

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
)

// TestPlayPath imports a package of each kind Kattis and DOMjudge use
// (legacy with a custom validator and flags, 2023-07-draft with
// output_validator_args and input_validator_args, an interactive one,
// scoring ones with groups in both formats) with verification, then judges it the way play
// does: the worker unpacks the stored version and calls LoadJudgeProblem
// on it (execution.Packages.Load). The time limit must be the one
// verification chose, and every submission must get its folder's verdict.
func TestPlayPath(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	j := realJudge(t)
	lib := &problem.Library{Root: filepath.Join(t.TempDir(), "lib")}
	check := ImportCheck(j, Options{Parallel: 2}, nil)
	for _, tc := range []struct {
		dir     string
		derived bool
	}{
		{"legacy_divisor", true},
		{"draft_average", true},
		{"interactive_guess", false},
		{"scoring_triangle", true},
		{"draft_scoring_sum", true},
		{"scoring_validator", true},
		{"float_groups", true},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			res, err := problem.Import(ctx, lib, filepath.Join("../testdata", tc.dir), problem.ImportOptions{Check: check})
			if err != nil {
				t.Fatal(err)
			}
			v := res.Version
			tl, err := os.ReadFile(filepath.Join(v.Dir, ".timelimit"))
			switch {
			case tc.derived && err != nil:
				t.Fatalf("derived limit not written into the stored package: %v", err)
			case tc.derived:
				secs, _ := strconv.ParseFloat(strings.TrimSpace(string(tl)), 64)
				if time.Duration(secs*float64(time.Second)) != v.TimeLimit {
					t.Errorf(".timelimit %q, version limit %v", tl, v.TimeLimit)
				}
			case err == nil:
				t.Errorf("explicit limit, yet .timelimit written: %q", tl)
			}
			if _, err := os.Stat(filepath.Join("../testdata", tc.dir, ".timelimit")); err == nil {
				t.Fatal("import wrote into the source package")
			}

			jp, pkg, err := LoadJudgeProblem(v.Dir)
			if err != nil {
				t.Fatal(err)
			}
			if jp.TimeLimit != v.TimeLimit || v.TimeLimit <= 0 {
				t.Errorf("play limit %v, verified limit %v", jp.TimeLimit, v.TimeLimit)
			}
			for _, s := range pkg.Submissions {
				if s.Expect.Folder == "time_limit_exceeded" {
					continue // verification proved it; here it would only cost time
				}
				sub, err := Submission(s.Program)
				if err != nil {
					t.Fatal(err)
				}
				r, err := j.Judge(ctx, jp, sub, judge.Options{RunAll: pkg.Meta.Scoring()})
				if err != nil {
					t.Fatal(err)
				}
				// partially_accepted is about the score (checked below): with
				// validator scores it can be accepted on every case.
				ok := s.Expect.Partial && r.Verdict != judge.IE && r.Verdict != judge.CE
				for _, w := range s.Expect.Verdicts {
					ok = ok || w == string(r.Verdict)
				}
				if !ok {
					t.Errorf("%s: %s (%s), want %v", s.Name, r.Verdict, r.Message, s.Expect.Verdicts)
				}
				if pkg.Meta.Scoring() {
					score, max := Score(pkg, r)
					want := partialScores[tc.dir]
					if !s.Expect.Partial {
						want[0] = want[1]
						if s.Expect.Folder != "accepted" {
							want[0] = -1
						}
					}
					if want[0] >= 0 && score != want[0] || max != want[1] {
						t.Errorf("%s: score %v/%v, want %v", s.Name, score, max, want)
					}
				}
			}
		})
	}

	t.Run("re-import keeps the version", func(t *testing.T) {
		res, err := problem.Import(ctx, lib, "../testdata/scoring_triangle", problem.ImportOptions{Check: check})
		if err != nil || res.Created || res.Version.Number != 1 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
	})

	t.Run("validator flags reach the checker", func(t *testing.T) {
		// legacy_divisor's checker rejects "02" only under validator_flags: strict.
		v, err := lib.Version(ctx, "legacy_divisor", 0)
		if err != nil {
			t.Fatal(err)
		}
		jp, _, err := LoadJudgeProblem(v.Dir)
		if err != nil {
			t.Fatal(err)
		}
		padded := "n = int(input())\nd = next((d for d in range(2, n) if n % d == 0), None)\nprint('prime' if d is None else '0%d' % d)\n"
		r, err := j.Judge(ctx, jp, judge.Submission{Lang: "python", Source: []byte(padded)}, judge.Options{})
		if err != nil || r.Verdict != judge.WA || !strings.Contains(r.Tests[len(r.Tests)-1].Message, "leading zeros") {
			t.Fatalf("padded divisor: %+v %v", r, err)
		}
	})
}

// TestLanguageMultipliers: ForLanguage scales a copy; the cached problem
// keeps its limit.
func TestLanguageMultipliers(t *testing.T) {
	jp, _, err := LoadJudgeProblem("../testdata/interactive_guess")
	if err != nil {
		t.Fatal(err)
	}
	mult, err := problem.ParseLanguageMultipliers("python=3, java=1.5")
	if err != nil {
		t.Fatal(err)
	}
	py := ForLanguage(jp, "python", mult)
	if py.TimeLimit != 6*time.Second || jp.TimeLimit != 2*time.Second {
		t.Errorf("python %v, base %v", py.TimeLimit, jp.TimeLimit)
	}
	if c := ForLanguage(jp, "c", mult); c != jp {
		t.Error("unscaled language got a copy")
	}
	for _, bad := range []string{"python", "python=0.5", "=2", "python=abc", "python=101"} {
		if _, err := problem.ParseLanguageMultipliers(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestLoadJudgeProblemErrors: the loader the workers use reports a package
// it cannot judge with a stable code, and judges one without a statement.
func TestLoadJudgeProblemErrors(t *testing.T) {
	if _, _, err := LoadJudgeProblem("../testdata/legacy_divisor"); judge.ErrorCode(err) != judge.CodeBadProblem || !strings.Contains(err.Error(), "no time limit") {
		t.Errorf("no time limit: %v", err)
	}
	if _, _, err := LoadJudgeProblem("../testdata/broken_yaml"); problem.ErrorCode(err) != problem.CodeBadYAML && !problem.HasCode(err, problem.CodeBadYAML) {
		t.Errorf("broken yaml: %v", err)
	}
	work := copyFixture(t, "interactive_guess")
	if err := os.RemoveAll(filepath.Join(work, "statement")); err != nil {
		t.Fatal(err)
	}
	if _, err := problem.Load(work); !problem.HasCode(err, problem.CodeMissing) {
		t.Errorf("Load without a statement: %v", err)
	}
	if jp, pkg, err := LoadJudgeProblem(work); err != nil || len(jp.Tests) != 6 || len(pkg.Warnings) == 0 {
		t.Errorf("judging without a statement: %v", err)
	}
}
