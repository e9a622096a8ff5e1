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
	errs := e.Report.Errors()
	var reasons []string
	for i, msg := range errs {
		if i == 8 {
			reasons = append(reasons, fmt.Sprintf("and %d more", len(errs)-i))
			break
		}
		reasons = append(reasons, strings.TrimSuffix(firstLines(msg, 1), ":"))
	}
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
