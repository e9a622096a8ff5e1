package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/segfaultarena/segfault/internal/judge"
)

func init() {
	register(command{name: "languages", summary: "list the languages whose toolchain is on this machine (id, name, version)", run: func(ctx context.Context, args []string) int {
		return runLanguages(ctx, args, os.Stdout, os.Stderr)
	}})
}

// runLanguages is `segfault languages`: one line per language found here,
// id, name and version separated by tabs; --all adds the missing ones with
// the Debian package that brings them. Exit 1 when none is found.
func runLanguages(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("languages", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "also list the languages that are not installed, with why")
	wait := fs.Bool("wait", false, "wait for the toolchains' background builds (C++ precompiled header, JVM class-data archives) before exiting")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: segfault languages [--all] [--wait]")
		return 2
	}
	langs, err := judge.DefaultLanguages("")
	if err != nil {
		fmt.Fprintln(stderr, "segfault:", err)
		return 1
	}
	found := 0
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, li := range langs.Info(ctx) {
		switch {
		case li.Available:
			found++
			fmt.Fprintf(tw, "%s\t%s\t%s\n", li.ID, li.Name, li.Version)
		case *all:
			fmt.Fprintf(tw, "%s\t%s\tmissing: %s\n", li.ID, li.Name, li.Reason)
		}
	}
	tw.Flush()
	if *wait {
		if err := judge.PreparedBuilt(ctx); err != nil {
			fmt.Fprintln(stderr, "segfault:", err)
			return 1
		}
	}
	if found == 0 {
		fmt.Fprintln(stderr, "segfault: no language toolchain found; run scripts/setup.sh")
		return 1
	}
	return 0
}
