package sandbox

import "os"

// The sandbox runs its own executable (the segfault binary, or a test
// binary) as the helper, pid 1 of each container (helper.go), started with
// helperArg. Dispatching from a package init (as Docker's reexec does) lets
// every binary that imports the package act as its own helper, tests
// included, without each of them wiring a TestMain.
const helperArg = "__sandbox-init"

func init() {
	if len(os.Args) < 2 {
		return
	}
	switch os.Args[1] {
	case helperArg:
		os.Exit(HelperMain(os.Args[2:]))
	case probeArg: // a program of the self-test (doctor.go), in a box
		os.Exit(probeMain(os.Args[2:]))
	}
}
