package coach

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// BoxRunner measures a program that is already built inside a sandbox box:
// the judge compiles the accepted submission as it does for judging and
// hands the box and the run command to the coach. Each Measure is one run
// in the same box, so an analysis costs one container, not one per input.
type BoxRunner struct {
	Box         sandbox.Box
	Cmd         sandbox.Cmd // Args, Env, Dir of the program; Stdin and Limits are set per run
	MemoryBytes int64       // memory limit per run (0 = 1 GiB)
}

// Measure runs the program on input with limit as its CPU limit.
func (r *BoxRunner) Measure(ctx context.Context, input []byte, limit time.Duration) (Sample, error) {
	cmd := r.Cmd
	cmd.Stdin = bytes.NewReader(input)
	cmd.Stdout = nil // discarded, still capped
	cmd.Privileged = false
	mem := r.MemoryBytes
	if mem <= 0 {
		mem = 1 << 30
	}
	cmd.Limits = sandbox.Limits{CPUTime: limit, MemoryBytes: mem, OutputBytes: 256 << 20}
	res, err := r.Box.Run(ctx, cmd)
	if err != nil {
		return Sample{}, fmt.Errorf("sandbox run: %w", err)
	}
	s := Sample{CPU: res.CPUTime, PeakMem: res.MemoryBytes}
	switch res.Status {
	case sandbox.StatusOK:
		if res.ExitCode != 0 {
			return s, fmt.Errorf("program exited with status %d", res.ExitCode)
		}
		return s, nil
	case sandbox.StatusTimeLimitExceeded, sandbox.StatusWallTimeExceeded:
		s.Exceeded = true
		return s, nil
	}
	return s, fmt.Errorf("program run ended with %s %s", res.Status, res.Message)
}
