package verify

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/problem"
)

// FailedError is a package that loaded but did not verify. Its code is
// problem.CodeVerify.
type FailedError struct {
	Report *Report
}

func (e *FailedError) Error() string {
	var reasons []string
	for _, v := range e.Report.Validators {
		if v.Err != "" {
			reasons = append(reasons, v.Validator+": "+firstLines(v.Err, 1))
		}
		if len(v.Invalid) > 0 {
			reasons = append(reasons, fmt.Sprintf("%s rejects %d input(s), first %s", v.Validator, len(v.Invalid), firstLines(v.Invalid[0], 1)))
		}
	}
	if g := e.Report.Generator; g != nil {
		if g.Err != "" {
			reasons = append(reasons, g.Generator+": "+firstLines(g.Err, 1))
		}
		if len(g.Invalid) > 0 {
			reasons = append(reasons, fmt.Sprintf("%s: %d bad run(s), first %s", g.Generator, len(g.Invalid), firstLines(g.Invalid[0], 1)))
		}
	}
	for _, r := range e.Report.Rows {
		if !r.OK {
			reasons = append(reasons, fmt.Sprintf("%s: want %s, got %s", r.Submission, expectLabel(r), r.Got))
		}
	}
	reasons = append(reasons, e.Report.Errors...)
	return fmt.Sprintf("%s: %s: %s", problem.CodeVerify, e.Report.Problem, strings.Join(reasons, "; "))
}

// Code is the stable error code.
func (e *FailedError) Code() string { return problem.CodeVerify }

// ImportCheck returns a problem.ImportOptions.Check that verifies a package
// before it is stored and records the time limit verification chose. The
// report is written to w (nil = discarded).
func ImportCheck(j Judger, opt Options, w io.Writer) func(context.Context, *problem.Package) (time.Duration, error) {
	return func(ctx context.Context, pkg *problem.Package) (time.Duration, error) {
		rep := Verify(ctx, pkg, j, opt)
		if w != nil {
			rep.WriteText(w)
		}
		if !rep.OK() {
			return 0, &FailedError{Report: rep}
		}
		return rep.TimeLimit, nil
	}
}
