package sandbox

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"time"
)

// Benchmark support shared by `go test -bench` here, the judge benchmark and
// the operator command: the same measurements, in one process, so that the
// runtimes are compared as ratios of one run on one machine.

// Percentiles summarises a set of durations.
type Percentiles struct {
	N             int
	P50, P99, Max time.Duration
}

// Summarize sorts a copy of ds and reads its percentiles.
func Summarize(ds []time.Duration) Percentiles {
	if len(ds) == 0 {
		return Percentiles{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(s)-1) + 0.5)
		return s[min(i, len(s)-1)]
	}
	return Percentiles{N: len(s), P50: at(0.50), P99: at(0.99), Max: s[len(s)-1]}
}

func (p Percentiles) String() string {
	return fmt.Sprintf("p50 %s  p99 %s  (n=%d)", fmtDur(p.P50), fmtDur(p.P99), p.N)
}

func fmtDur(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// MeasureBoxCycle opens and closes n boxes one after the other and returns
// the time of each open+close (what a submission pays besides its runs).
func MeasureBoxCycle(ctx context.Context, rt Runtime, opts BoxOptions, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		box, err := rt.Open(ctx, opts)
		if err != nil {
			return out, err
		}
		if err := box.Close(); err != nil {
			return out, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// MeasureRuns runs cmd n times in box and returns the host-side wall time
// of each Run call. newStdin, if set, gives each run its input.
func MeasureRuns(ctx context.Context, box Box, cmd Cmd, newStdin func() io.Reader, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		c := cmd
		if newStdin != nil {
			c.Stdin = newStdin()
		}
		start := time.Now()
		res, err := box.Run(ctx, c)
		if err != nil {
			return out, err
		}
		if res.Status != StatusOK || res.ExitCode != 0 {
			return out, fmt.Errorf("sandbox: benchmark run %v ended %v (exit %d)", cmd.Args, res.Status, res.ExitCode)
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// MeasureExec runs args n times with a plain os/exec (no limits, no
// accounting): the fork+exec floor of this machine, printed beside
// the runtimes so that every layer's cost is visible.
func MeasureExec(ctx context.Context, args []string, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		if err := exec.CommandContext(ctx, args[0], args[1:]...).Run(); err != nil {
			return out, fmt.Errorf("sandbox: exec %v: %w", args, err)
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// BenchReport is the figures of one runtime.
type BenchReport struct {
	Runtime string
	Setup   Percentiles // open+close of one box
	Run     Percentiles // one Run of the benchmark command
	// Overhead is Run minus bare's Run, percentile by percentile (zero for
	// bare itself).
	Overhead Percentiles
	Err      error // the runtime could not be measured here
}

// Bench measures each runtime: n box cycles and n runs of cmd in one box.
// The first runtime is the baseline for the overhead (use bare). The first
// report, "exec", is cmd run with a plain fork+exec and nothing else.
func Bench(ctx context.Context, rts []Runtime, cmd Cmd, n int) []BenchReport {
	reports := []BenchReport{{Runtime: "exec"}}
	MeasureExec(ctx, cmd.Args, 3)
	if ds, err := MeasureExec(ctx, cmd.Args, n); err != nil {
		reports[0].Err = err
	} else {
		reports[0].Run = Summarize(ds)
	}
	var base Percentiles
	// The command is all a box needs of the host.
	opts := BoxOptions{ExtraBinds: []string{cmd.Args[0]}}
	for i, rt := range rts {
		r := BenchReport{Runtime: rt.Name()}
		reports = append(reports, r)
		rep := &reports[len(reports)-1]
		if err := rt.Check(ctx); err != nil {
			rep.Err = err
			continue
		}
		// Warm up page cache and the runtime's binaries.
		if _, err := MeasureBoxCycle(ctx, rt, opts, 2); err != nil {
			rep.Err = err
			continue
		}
		setup, err := MeasureBoxCycle(ctx, rt, opts, n)
		if err != nil {
			rep.Err = err
			continue
		}
		rep.Setup = Summarize(setup)
		box, err := rt.Open(ctx, opts)
		if err != nil {
			rep.Err = err
			continue
		}
		MeasureRuns(ctx, box, cmd, nil, 3)
		runs, err := MeasureRuns(ctx, box, cmd, nil, n)
		box.Close()
		if err != nil {
			rep.Err = err
			continue
		}
		rep.Run = Summarize(runs)
		if i == 0 {
			base = rep.Run
		}
		rep.Overhead = Percentiles{N: rep.Run.N, P50: rep.Run.P50 - base.P50, P99: rep.Run.P99 - base.P99, Max: rep.Run.Max - base.Max}
	}
	return reports
}

// WriteBench prints reports as a table.
func WriteBench(w io.Writer, reports []BenchReport) {
	base := "first"
	if len(reports) > 1 {
		base = reports[1].Runtime
	}
	fmt.Fprintf(w, "%-6s  %-26s  %-26s  %-26s\n", "", "box setup+teardown", "one run (host wall)", "run overhead over "+base)
	for _, r := range reports {
		if r.Err != nil {
			fmt.Fprintf(w, "%-6s  unavailable: %v\n", r.Runtime, r.Err)
			continue
		}
		if r.Runtime == "exec" {
			fmt.Fprintf(w, "%-6s  %-26s  p50 %8s p99 %8s  (plain fork+exec, no limits)\n", r.Runtime, "-", fmtDur(r.Run.P50), fmtDur(r.Run.P99))
			continue
		}
		fmt.Fprintf(w, "%-6s  p50 %8s p99 %8s  p50 %8s p99 %8s  p50 %8s p99 %8s\n", r.Runtime,
			fmtDur(r.Setup.P50), fmtDur(r.Setup.P99), fmtDur(r.Run.P50), fmtDur(r.Run.P99),
			fmtDur(r.Overhead.P50), fmtDur(r.Overhead.P99))
	}
}
