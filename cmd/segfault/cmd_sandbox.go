package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// __sandbox is an operator tool, hidden from help: it checks that a host can
// run boxes, removes what a crashed worker left, and prints the sandbox
// benchmark. (The in-container entry point, __sandbox-init, is dispatched by
// the sandbox package's init before main runs.)
func init() {
	register(command{
		name:    "__sandbox",
		summary: "sandbox operator tools: check, cleanup, bench",
		run:     runSandboxTool,
	})
}

func runSandboxTool(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("__sandbox", flag.ContinueOnError)
	runtimeName := fs.String("sandbox-runtime", "runc", "runtime: runc, runsc or bare (the name of serve's setting)")
	stateDir := fs.String("state-dir", "", "runtime state dir (default /run/segfault-sandbox/<runtime>)")
	boxDir := fs.String("box-dir", "", "box dir (default /run/segfault-sandbox/boxes-<runtime>)")
	n := fs.Int("n", 100, "bench: iterations per figure")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: segfault __sandbox [flags] check|cleanup|bench")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	opts := sandbox.Options{StateDir: *stateDir, BoxDir: *boxDir}
	switch fs.Arg(0) {
	case "check":
		rt, err := sandbox.New(*runtimeName, opts)
		if err == nil {
			err = rt.Check(ctx)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "segfault: sandbox check:", err)
			return 1
		}
		start := time.Now()
		box, err := rt.Open(ctx, sandbox.BoxOptions{ExtraBinds: []string{"/bin/true"}})
		if err != nil {
			fmt.Fprintln(os.Stderr, "segfault: sandbox check:", err)
			return 1
		}
		opened := time.Since(start)
		res, err := box.Run(ctx, sandbox.Cmd{Args: []string{"/bin/true"}, Limits: sandbox.Limits{CPUTime: time.Second}})
		cerr := box.Close()
		if err == nil {
			err = cerr
		}
		if err == nil && (res.Status != sandbox.StatusOK || res.ExitCode != 0) {
			err = fmt.Errorf("/bin/true ended %v (exit %d)", res.Status, res.ExitCode)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "segfault: sandbox check:", err)
			return 1
		}
		fmt.Printf("%s ok: box opened in %s, /bin/true ran in %s\n", rt.Name(), opened.Round(time.Millisecond), res.WallTime.Round(10*time.Microsecond))
		return 0
	case "cleanup":
		rt, err := sandbox.New(*runtimeName, opts)
		if err == nil {
			err = rt.Cleanup(ctx)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "segfault: sandbox cleanup:", err)
			return 1
		}
		return 0
	case "bench":
		rts := []sandbox.Runtime{sandbox.NewBare("")}
		for _, name := range []string{"runc", "runsc"} {
			rt, err := sandbox.New(name, sandbox.Options{})
			if err != nil {
				fmt.Fprintln(os.Stderr, "segfault: sandbox bench:", err)
				return 1
			}
			rts = append(rts, rt)
		}
		reports := sandbox.Bench(ctx, rts, sandbox.Cmd{Args: []string{"/bin/true"}, Limits: sandbox.Limits{CPUTime: time.Second}}, *n)
		sandbox.WriteBench(os.Stdout, reports)
		return 0
	}
	fs.Usage()
	return 2
}
