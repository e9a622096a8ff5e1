package judge

import (
	"context"
	"log/slog"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// Built is a submission compiled in a box of its own and left open, for
// callers that run the program themselves (the complexity coach measures
// it on inputs of growing size). Close it when done.
type Built struct {
	Box sandbox.Box
	// Cmd runs the program: Args (the run command and Submission.Args),
	// Env and Dir are set; the caller may append to Args and sets
	// Stdin, Stdout, Stderr and Limits for each run.
	Cmd sandbox.Cmd
	// MemoryBytes is the memory a run may use: the requested amount plus
	// the language runtime's allowance (JVM, V8), as the judge gives tests.
	MemoryBytes int64

	prog *program
	log  *slog.Logger
}

// Close closes the box. Safe to call twice.
func (b *Built) Close() {
	if b == nil || b.prog == nil {
		return
	}
	b.prog.close(b.log)
	b.prog = nil
}

// Build compiles sub exactly as Judge does, in a box sized for runs of up
// to memoryBytes, and hands the open box over. A compilation error is
// returned as compileError (b is nil then, nothing stays open); err is a
// rejected request (an *Error with a code), an internal failure, or ctx
// ending.
func (j *Judge) Build(ctx context.Context, sub Submission, memoryBytes int64) (b *Built, compileError string, err error) {
	lang, files, entry, err := j.checkSource(ctx, sub)
	if err != nil {
		return nil, "", err
	}
	if memoryBytes <= 0 {
		return nil, "", errorf(CodeBadProblem, "the memory limit must be positive")
	}
	prog, ce, err := j.compileIn(ctx, lang, files, entry, memoryBytes, "")
	if err != nil {
		return nil, "", err
	}
	if ce != "" {
		return nil, ce, nil // compileIn closed the box
	}
	if err := ctx.Err(); err != nil {
		prog.close(j.log)
		return nil, "", err
	}
	prog.args = sub.Args
	return &Built{
		Box:         prog.box,
		Cmd:         sandbox.Cmd{Args: prog.runArgs(), Env: prog.env(), Dir: prog.dir},
		MemoryBytes: memoryBytes + lang.MemoryOverheadMiB<<20,
		prog:        prog,
		log:         j.log,
	}, "", nil
}
