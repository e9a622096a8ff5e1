package execution

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/problem"
)

// TestPackagesLoadUsesPackageSemantics: a worker that gets a version only
// through the bus judges it with what verification chose: the derived
// time limit that import wrote as .timelimit, the custom validator and its
// validator_flags, samples first. (Load converts with
// verify.LoadJudgeProblem, the conversion verification uses.)
func TestPackagesLoadUsesPackageSemantics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nc := embeddedNATS(t)
	b, err := bus.Setup(ctx, nc, bus.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}

	// legacy_divisor has no explicit limit: import records the one its
	// check chose (verification in real use) and writes it into the package.
	lib := &problem.Library{Root: filepath.Join(t.TempDir(), "lib")}
	derived := func(context.Context, *problem.Package) (time.Duration, error) { return 3 * time.Second, nil }
	if _, err := problem.Import(ctx, lib, filepath.Join(repoRoot(t), "internal/problem/testdata/legacy_divisor"),
		problem.ImportOptions{Check: derived}); err != nil {
		t.Fatal(err)
	}
	ref, err := Resolve(ctx, lib, "legacy_divisor", 0)
	if err != nil {
		t.Fatal(err)
	}
	api, err := jobs.NewPackages(ctx, b, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Publish(ctx, ref); err != nil {
		t.Fatal(err)
	}
	worker, err := jobs.NewPackages(ctx, b, filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	ref.Dir = "" // a worker has no local files
	jp, err := worker.Load(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if jp.TimeLimit != 3*time.Second || jp.MemoryBytes != 256<<20 || jp.Name != "Any Divisor" {
		t.Errorf("limits %v %d name %q", jp.TimeLimit, jp.MemoryBytes, jp.Name)
	}
	if jp.Validator == nil || jp.Validator.Files["checker.py"] == nil || strings.Join(jp.ValidatorFlags, " ") != "strict" {
		t.Errorf("validator %v flags %q", jp.Validator, jp.ValidatorFlags)
	}
	if len(jp.Tests) != 10 || !jp.Tests[0].Sample || jp.Tests[2].Sample {
		t.Errorf("tests %+v", jp.Tests)
	}

	// A package with no time limit at all is refused, not given a guess.
	bare := filepath.Join(t.TempDir(), "nolimit")
	if err := problem.CopyTree(filepath.Join(repoRoot(t), "internal/problem/testdata/legacy_divisor"), bare); err != nil {
		t.Fatal(err)
	}
	sha, err := problem.ContentHash(bare)
	if err != nil {
		t.Fatal(err)
	}
	nolimit := ProblemRef{ID: "nolimit", SHA256: sha, Dir: bare}
	if err := api.Publish(ctx, nolimit); err != nil {
		t.Fatal(err)
	}
	nolimit.Dir = ""
	if _, err := worker.Load(ctx, nolimit); err == nil || !strings.Contains(err.Error(), "no time limit") {
		t.Errorf("no time limit: %v", err)
	}
	if _, err := os.Stat(filepath.Join(repoRoot(t), "internal/problem/testdata/legacy_divisor/.timelimit")); err == nil {
		t.Error("import wrote into the source package")
	}
}
