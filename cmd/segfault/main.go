// Command segfault is the one binary of SegFault Arena: it plays every role
// (all-in-one server, API node, judge worker) and carries the operator and
// author tools. Each subcommand lives in its own file and registers itself.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// command is one subcommand. run gets the arguments after the subcommand name
// and returns the process exit status.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) int
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("segfault: duplicate command " + c.name)
	}
	commands[c.name] = c
}

func main() {
	os.Exit(runMain(os.Args[1:]))
}

func runMain(args []string) int {
	// The sandbox helper re-executes this binary inside containers; it must
	// not install signal handlers or read any configuration.
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	switch name {
	case "help", "-h", "--help":
		usage(os.Stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "segfault: unknown command %q\n\n", name)
		usage(os.Stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The sandbox's copy of this binary for its boxes (if a box was opened).
	defer sandbox.ReleaseHelper()
	return c.run(ctx, args)
}

func usage(w *os.File) {
	fmt.Fprintln(w, "SegFault Arena: write code, destroy your friends.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: segfault <command> [flags]   (no command = serve)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		if strings.HasPrefix(n, "__") { // internal entry points, not for people
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'segfault <command> -h' for the flags of one command.")
}
