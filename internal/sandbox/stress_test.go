package sandbox

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestHelperSurvivesStress: boxes on a loaded host take, in turns, many
// quick runs, memory bombs, /tmp filled with the memory limit reached
// on top of it, fork bombs and output floods. Every run must end with
// its own status (never a sandbox error), and each box must serve the
// next quick run at once. This is how a helper died under load before:
// the OOM killer spares the helper, and memory left in /tmp after the
// program was killed filled the cgroup to its limit, so the helper's next
// page fault stalled with nothing left to kill (see helperFloor); and a
// 2 s deadline for killed processes to exit was too short for a fork bomb
// on a box out of CPU quota (killDeadline).
func TestHelperSurvivesStress(t *testing.T) {
	rt := testRuntime(t, "runc")
	hog, bomb := cProgram(t, "hog"), cProgram(t, "forkbomb")
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	var wg sync.WaitGroup
	for b := 0; b < 2; b++ { // two boxes at once: the host is loaded
		wg.Add(1)
		go func(b int) {
			defer wg.Done()
			box, err := rt.Open(context.Background(), BoxOptions{MemoryBytes: 512 << 20, TmpBytes: 128 << 20, ExtraBinds: testBinds})
			if err != nil {
				t.Error(err)
				return
			}
			defer box.Close()
			for _, f := range []struct {
				name string
				data []byte
			}{{"hog", hog}, {"bomb", bomb}} {
				if err := box.WriteFile(f.name, f.data, 0o755); err != nil {
					t.Error(err)
					return
				}
			}
			type attack struct {
				name string
				cmd  Cmd
				want []Status
			}
			attacks := []attack{
				{"memory bomb", Cmd{Args: []string{"./hog", "400"}, Limits: Limits{MemoryBytes: 64 << 20, WallTime: hangWall}}, []Status{StatusMemoryLimitExceeded}},
				// 100 MiB of /tmp under a 32 MiB limit, then anonymous memory
				// until the kernel says no: what stays behind in /tmp must not
				// leave the helper without memory.
				{"tmp fill and hog", Cmd{Args: sh("dd if=/dev/zero of=/tmp/f bs=1M count=100 2>/dev/null; exec ./hog 400"),
					Limits: Limits{MemoryBytes: 32 << 20, FileBytes: 1 << 30, WallTime: hangWall}}, []Status{StatusMemoryLimitExceeded}},
				{"fork bomb", Cmd{Args: []string{"./bomb"}, Limits: Limits{CPUTime: time.Second, WallTime: 2 * time.Second}},
					[]Status{StatusTimeLimitExceeded, StatusWallTimeExceeded, StatusSignaled, StatusMemoryLimitExceeded}},
				{"output flood", Cmd{Args: []string{"/usr/bin/yes"}, Limits: Limits{OutputBytes: 1 << 20, WallTime: hangWall}}, []Status{StatusOutputLimitExceeded}},
			}
			for r := 0; r < rounds; r++ {
				for _, a := range attacks {
					for i := 0; i < 10; i++ {
						res, err := box.Run(context.Background(), Cmd{Args: []string{"/bin/true"}, Limits: Limits{CPUTime: time.Second, MemoryBytes: 64 << 20, WallTime: hangWall}})
						if err != nil || res.Status != StatusOK || res.ExitCode != 0 {
							t.Errorf("box %d round %d: quick run %d before %s: %+v %v", b, r, i, a.name, res, err)
							return
						}
					}
					c := a.cmd
					c.Env = []string{"PATH=/usr/bin:/bin"}
					if c.Limits.CPUTime == 0 {
						c.Limits.CPUTime = 5 * time.Second
					}
					start := time.Now()
					res, err := box.Run(context.Background(), c)
					if err != nil {
						t.Errorf("box %d round %d: %s: sandbox error after %v: %v", b, r, a.name, time.Since(start), err)
						return
					}
					t.Logf("box %d round %d: %s: %v in %v (wall %v)", b, r, a.name, res.Status, time.Since(start).Round(time.Millisecond), res.WallTime.Round(time.Millisecond))
					if !containsStatus(a.want, res.Status) {
						t.Errorf("box %d round %d: %s: %+v, want one of %v", b, r, a.name, res, a.want)
					}
				}
			}
			res, err := box.Run(context.Background(), Cmd{Args: sh("echo /tmp/*"), Env: []string{"PATH=/usr/bin:/bin"}, Limits: Limits{CPUTime: time.Second, WallTime: hangWall}})
			if err != nil || res.Status != StatusOK {
				t.Errorf("box %d: last run: %+v %v", b, res, err)
			}
		}(b)
	}
	wg.Wait()
}

func containsStatus(list []Status, s Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
