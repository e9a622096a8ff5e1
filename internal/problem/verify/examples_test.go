package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
)

// copyExample copies an example package (testdata/examples) to a
// temporary directory.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	work := filepath.Join(t.TempDir(), name)
	if err := problem.CopyTree(filepath.Join("../testdata/examples", name), work); err != nil {
		t.Fatal(err)
	}
	return work
}

// unavailable is a judge on which some languages' toolchains are missing,
// as on a worker without them installed.
type unavailable struct {
	Judger
	langs map[string]bool
}

func (u unavailable) Judge(ctx context.Context, p *judge.Problem, sub judge.Submission, opt judge.Options) (*judge.Result, error) {
	if u.langs[sub.Lang] {
		return nil, &judge.Error{Code: judge.CodeLanguageUnavailable, Message: sub.Lang + " is not available on this worker"}
	}
	return u.Judger.Judge(ctx, p, sub, opt)
}

func errorsContain(rep *Report, part, substr string) bool {
	for _, c := range rep.Checks {
		if c.Part != part {
			continue
		}
		for _, e := range c.Errors {
			if strings.Contains(e, substr) {
				return true
			}
		}
	}
	return false
}

// TestSkippedLanguage: a submission in a language this machine lacks is
// skipped with a warning, as problemtools does, and verification passes.
func TestSkippedLanguage(t *testing.T) {
	work := copyExample(t, "multifile")
	// The JVM does not run on the bare runtime (its heap reservation exceeds
	// the address-space limit), whether or not Kotlin is installed here.
	os.RemoveAll(filepath.Join(work, "submissions/accepted/javasplit"))
	os.Remove(filepath.Join(work, "submissions/accepted/gcd.kt"))
	ctx := context.Background()
	rep := Verify(ctx, load(t, work), unavailable{realJudge(t), map[string]bool{"cpp": true}}, Options{Parallel: 2})
	if !rep.OK() {
		t.Fatalf("errors %q", rep.Errors())
	}
	skipped := 0
	for _, r := range rep.Rows {
		if r.Skipped {
			skipped++
			if r.Submission != "submissions/accepted/cppsplit" || !r.OK || r.Got != "skipped" {
				t.Errorf("skipped row %+v", r)
			}
		}
	}
	found := false
	for _, w := range rep.Warnings() {
		found = found || strings.Contains(w, "accepted/cppsplit (cpp) skipped: cpp is not available on this worker")
	}
	if skipped != 1 || !found {
		t.Errorf("%d skipped, warnings %q", skipped, rep.Warnings())
	}
}

// TestChecktestdataVerify: the .ctd validator finds a bad input, and an
// "invalid" input that every validator accepts is an error.
func TestChecktestdataVerify(t *testing.T) {
	work := copyExample(t, "ctdvalidator")
	os.WriteFile(filepath.Join(work, "data/secret/5.in"), []byte("2\n7 7\n7 7\n1\n"), 0o644)
	os.WriteFile(filepath.Join(work, "data/secret/5.ans"), []byte("0\n"), 0o644)
	os.WriteFile(filepath.Join(work, "data/invalid_input/fine.in"), []byte("1\n0 0\n1\n"), 0o644)
	rep := verifyDir(t, work)
	if rep.OK() {
		t.Fatal("verified")
	}
	if !errorsContain(rep, "data", "input_validators/format.ctd rejects input secret/5: input line 4, column 1 does not match ASSERT(UNIQUE(x, y)) (program line 6): non-unique tuple (7,7) found at index [1]") {
		t.Errorf("data errors %q", rep.Errors())
	}
	if !errorsContain(rep, "validators", "invalid input invalid_input/fine is accepted by every input validator") {
		t.Errorf("validators errors %q", rep.Errors())
	}
	if len(rep.Errors()) != 2 {
		t.Errorf("errors %q", rep.Errors())
	}
}

// TestRulesMismatch: 2025-09 rules catch a submission in the wrong folder
// and a score other than submissions.yaml says.
func TestRulesMismatch(t *testing.T) {
	work := copyExample(t, "fmt2025")
	os.Rename(filepath.Join(work, "submissions/partial/floor_mean.py"), filepath.Join(work, "submissions/accepted/floor_mean.py"))
	os.WriteFile(filepath.Join(work, "submissions/partial/floor_mean.py"), []byte("n = int(input())\nprint(sum(map(int, input().split())) // n)\n"), 0o644)
	yml, _ := os.ReadFile(filepath.Join(work, "submissions/submissions.yaml"))
	os.WriteFile(filepath.Join(work, "submissions/submissions.yaml"), []byte(strings.Replace(string(yml), "score: 40", "score: [50, 60]", 1)), 0o644)
	rep := verifyDir(t, work)
	if rep.OK() {
		t.Fatal("verified")
	}
	want := map[string]string{
		"submissions/accepted/floor_mean.py": "default for accepted/: sample/2 got WA, permitted AC",
		"submissions/partial/floor_mean.py":  "submissions.yaml: partial: score 40, want score 50..60",
	}
	for _, r := range rep.Rows {
		if w, ok := want[r.Submission]; ok {
			if r.OK || !strings.Contains(r.Message, w) {
				t.Errorf("%s: ok %v, message %q, want %q", r.Submission, r.OK, r.Message, w)
			}
		} else if !r.OK {
			t.Errorf("%s: %s", r.Submission, r.Message)
		}
	}
}
