package main

import (
	"context"
	"fmt"
	"os"
)

func init() {
	register(command{name: "worker", summary: "judge worker for the scaled-out shape (arrives with distributed execution, issue 5)",
		run: func(ctx context.Context, args []string) int {
			fmt.Fprintln(os.Stderr, "segfault worker: queue-driven judge workers are not built yet (issue 5); "+
				"use `segfault judge` or `segfault run` to judge locally")
			return 2
		}})
}
