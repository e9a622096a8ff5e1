package coach

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// TestBoxRunner is the coach's one test on real measurements: a compiled
// C program through the sandbox contract, on the bare runtime (the
// layer-above test runtime) and on runc when it can start boxes here. It
// asserts behaviour with margins no load can cross, never a fitted class
// (the fit is tested on synthetic costs in coach_test.go).
func TestBoxRunner(t *testing.T) {
	for _, name := range []string{"bare", "runc"} {
		t.Run(name, func(t *testing.T) { testBoxRunner(t, name) })
	}
}

func testBoxRunner(t *testing.T, runtime string) {
	if testing.Short() {
		t.Skip("runs programs")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not installed")
	}
	ctx := context.Background()
	dir := t.TempDir()
	src := `#include <stdio.h>
int main(void){long long n,s=0;if(scanf("%lld",&n)!=1)return 1;
for(long long i=0;i<n;i++)for(long long j=0;j<n;j++)s+=(i^j)%7;printf("%lld\n",s);return 0;}`
	os.WriteFile(filepath.Join(dir, "q.c"), []byte(src), 0o644)
	if out, err := exec.Command("gcc", "-O2", "-static", "-o", filepath.Join(dir, "q"), filepath.Join(dir, "q.c")).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v %s", err, out)
	}
	bin, _ := os.ReadFile(filepath.Join(dir, "q"))
	var rt sandbox.Runtime
	var err error
	if runtime == "bare" {
		rt = sandbox.NewBare(t.TempDir())
	} else {
		root := fmt.Sprintf("/run/segfault-sandbox/coach-test-%d", os.Getpid())
		t.Cleanup(func() { os.RemoveAll(root) })
		if rt, err = sandbox.New(runtime, sandbox.Options{StateDir: filepath.Join(root, "state"), BoxDir: filepath.Join(root, "boxes")}); err != nil {
			t.Fatal(err)
		}
		if err := rt.Check(ctx); err != nil {
			t.Skipf("%s unusable here: %v", runtime, err)
		}
	}
	box, err := rt.Open(ctx, sandbox.BoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	if err := box.WriteFile("q", bin, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &BoxRunner{Box: box, Cmd: sandbox.Cmd{Args: []string{filepath.Join(box.WorkDir(), "q")}}}
	// n = 2000: 4e6 cheap steps, a few ms against a 5 s limit (1000x).
	s, err := r.Measure(ctx, []byte("2000\n"), 5*time.Second)
	if err != nil || s.Exceeded || s.CPU <= 0 {
		t.Fatalf("measure: %+v, %v", s, err)
	}
	// n = 1e6: 1e12 steps, minutes of CPU against a 200 ms limit.
	if s, err := r.Measure(ctx, []byte("1000000\n"), 200*time.Millisecond); err != nil || !s.Exceeded {
		t.Fatalf("over the limit: %+v, %v", s, err)
	}
	if _, err := r.Measure(ctx, []byte("not a number"), time.Second); err == nil {
		t.Fatal("no error for a failing program")
	}
	gen := func(ctx context.Context, n string, seed int) ([]byte, error) { return []byte(n + "\n"), nil }
	const budget = 2 * time.Second
	e, err := MeasureGenerated(ctx, r, gen, MeasureOptions{Budget: budget, Target: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Points) < 3 {
		t.Errorf("%d sizes measured, want at least 3: %+v (%s)", len(e.Points), e.Points, e.Note)
	}
	// Every run is limited to what is left of the budget, so only the
	// sandbox's kill latency on the last run can exceed it; 3 s (the
	// largest per-run limit) is a margin that latency cannot cross.
	if e.CPUUsed > (budget + 3*time.Second).Seconds() {
		t.Errorf("measuring used %.1f s of CPU, budget %v", e.CPUUsed, budget)
	}
}
