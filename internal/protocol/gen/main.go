// Command gen writes the files generated from package protocol (see
// package protogen): `go generate ./internal/protocol`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/segfaultarena/segfault/internal/protocol/protogen"
)

func main() {
	root := flag.String("root", "../..", "repository root")
	flag.Parse()
	changed, err := protogen.Write(*root)
	for _, f := range changed {
		fmt.Println("wrote", f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
