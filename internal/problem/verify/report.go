package verify

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText prints the report the way problemtools' verifyproblem does:
// "Checking <part>" for each part in its order with the ERROR and WARNING
// lines found there, then the table of submissions and the count of
// errors and warnings.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Loading problem %s (%s)\n", r.Problem, r.Format)
	for _, c := range r.Checks {
		fmt.Fprintf(w, "Checking %s\n", c.Part)
		for _, n := range c.Notes {
			fmt.Fprintf(w, "   %s\n", indent(n))
		}
		for _, warn := range c.Warnings {
			fmt.Fprintf(w, "WARNING in %s: %s\n", c.Part, indent(warn))
		}
		for _, e := range c.Errors {
			fmt.Fprintf(w, "ERROR in %s: %s\n", c.Part, indent(e))
		}
	}
	if len(r.Rows) > 0 {
		tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "SUBMISSION\tEXPECTED\tGOT\tMAX TIME\tLIMIT\tRESULT")
		for _, row := range r.Rows {
			res := "ok"
			switch {
			case row.Skipped:
				res = "skipped"
			case !row.OK:
				res = "MISMATCH"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.3fs\t%v\t%s\n", row.Submission, expectLabel(row), gotLabel(row), row.MaxTime.Seconds(), row.Limit, res)
		}
		tw.Flush()
	}
	errs, warns := len(r.Errors()), len(r.Warnings())
	status := "OK"
	if errs > 0 {
		status = "FAILED"
	}
	fmt.Fprintf(w, "%s tested: %d error%s, %d warning%s: %s\n", r.Problem, errs, plural(errs), warns, plural(warns), status)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
