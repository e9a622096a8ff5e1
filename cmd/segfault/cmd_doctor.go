package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/sandbox"
)

func init() {
	register(command{name: "doctor", summary: "self-test of this host: cgroups, sandbox runtimes and their limits, languages", run: func(ctx context.Context, args []string) int {
		return runDoctor(ctx, args, os.Stdout, os.Stderr)
	}})
}

// runDoctor is `segfault doctor`: what a worker on this host would judge
// with. Exit 0 when runc (the default runtime) starts boxes and enforces
// the memory, process and CPU limits; runsc is reported, not required.
func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runtimes := fs.String("runtimes", "runc,runsc", "sandbox runtimes to check (the first is required)")
	sbxDir := sandboxDirFlag(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	mode := sandbox.CgroupMode()
	fmt.Fprintf(stdout, "cgroups: %s", mode)
	switch mode {
	case "hybrid":
		fmt.Fprint(stdout, " (v1 controllers and a v2 tree without them: the sandbox uses v1)")
	case "v1":
		fmt.Fprint(stdout, " (the sandbox uses the v1 controllers)")
	}
	fmt.Fprintln(stdout)
	status := 0
	for i, name := range strings.Split(*runtimes, ",") {
		rt, err := sandbox.New(name, sandboxOptions(name, *sbxDir))
		if err != nil {
			fmt.Fprintln(stderr, "segfault doctor:", err)
			return 2
		}
		rep := sandbox.Doctor(ctx, rt)
		fmt.Fprintf(stdout, "%s: %s", rep.Runtime, rep.Path)
		if rep.Version != "" {
			fmt.Fprintf(stdout, " (%s)", rep.Version)
		}
		fmt.Fprintln(stdout)
		if name == "runsc" {
			if d, ok := sandbox.RunscDate(rep.Version); ok && d.Before(sandbox.RunscOldest) {
				fmt.Fprintf(stdout, "  older than the oldest runsc tested (%s): upgrade it\n", sandbox.RunscOldest.Format("2006-01-02"))
			}
		}
		switch {
		case rep.Err != nil:
			fmt.Fprintf(stdout, "  unusable: %v\n", rep.Err)
		default:
			fmt.Fprintf(stdout, "  box opened in %v\n", rep.Open.Round(time.Millisecond))
			for _, c := range rep.Checks {
				word := "enforced"
				if !c.Enforced {
					word = "NOT ENFORCED"
				}
				fmt.Fprintf(stdout, "  %s limit: %s: %s\n", c.Name, word, c.Detail)
			}
		}
		if i == 0 && !rep.OK() {
			status = 1
		}
	}
	langs, err := judge.DefaultLanguages("")
	if err != nil {
		fmt.Fprintln(stderr, "segfault doctor:", err)
		return 1
	}
	info := langs.Info(ctx)
	n := 0
	for _, l := range info {
		if l.Available {
			n++
		}
	}
	fmt.Fprintf(stdout, "languages: %d of %d available\n", n, len(info))
	for _, l := range info {
		if l.Available {
			fmt.Fprintf(stdout, "  %-12s %s\n", l.ID, l.Version)
		} else {
			fmt.Fprintf(stdout, "  %-12s missing: %s\n", l.ID, l.Reason)
		}
	}
	return status
}
