package coach

import (
	"fmt"
	"sort"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/static"
)

func lineRange(a, b int) string {
	if a == b {
		return fmt.Sprintf("line %d", a)
	}
	return fmt.Sprintf("lines %d–%d", a, b)
}

// OfflineText writes the deterministic explanation from the findings. The
// same report always gives the same text.
func OfflineText(r *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Time: %s. ", r.Time.Pretty())
	if r.Static != nil {
		b.WriteString(explainEvidence(r.Static.Evidence, r.Static.Time))
	}
	if e := r.Empirical; e != nil && e.Time != bigo.Unknown && len(e.Points) > 0 {
		top := e.Points[len(e.Points)-1]
		switch {
		case r.Static != nil && r.Time == e.Time && r.Time != r.Static.Time:
			fmt.Fprintf(&b, "Measured on %d input sizes up to n=%d, the running time grows as %s (confidence %.0f%%), which overrules the code-structure estimate of %s. ",
				len(e.Points), top.N, e.Time.Pretty(), 100*e.TimeConfidence, r.Static.Time.Pretty())
		case r.Time == e.Time:
			fmt.Fprintf(&b, "Measured on %d input sizes up to n=%d, the running time grows as %s, which agrees. ", len(e.Points), top.N, e.Time.Pretty())
		default:
			fmt.Fprintf(&b, "Measured on %d input sizes up to n=%d, the best fit is %s; %s. ", len(e.Points), top.N, e.Time.Pretty(), r.Reason)
		}
	}
	want := r.Intended.Time
	switch {
	case want == bigo.Unknown && r.Intended.Stated != "":
		fmt.Fprintf(&b, "The author's solution runs in %s. ", r.Intended.Stated)
	case want == bigo.Unknown:
	case r.Time > want:
		fmt.Fprintf(&b, "The intended solution is %s", want.Pretty())
		if r.Intended.Hint != "" {
			fmt.Fprintf(&b, ": %s", strings.TrimSuffix(r.Intended.Hint, "."))
		}
		b.WriteString(". ")
	case r.Time == want:
		fmt.Fprintf(&b, "That matches the intended %s. ", want.Pretty())
	default:
		fmt.Fprintf(&b, "That beats the intended %s. ", want.Pretty())
	}
	// Tips are for solutions that can do better: slower than intended, or,
	// with no intended class, slower than n log n (a tip on removing an
	// inner loop is noise once the measured cost is linear).
	if (want == bigo.Unknown && r.Time > bigo.NLogN) || (want != bigo.Unknown && r.Time > want) {
		if r.Static != nil {
			for _, tip := range tips(r.Static.Evidence, r.Lang) {
				b.WriteString(tip + " ")
			}
		}
	}
	if r.Space != bigo.Unknown {
		fmt.Fprintf(&b, "Space: %s", r.Space.Pretty())
		if r.Static != nil && len(r.Static.SpaceEvidence) > 0 {
			e := r.Static.SpaceEvidence[0]
			fmt.Fprintf(&b, " (%s: %s)", lineRange(e.Start, e.End), e.Note)
		}
		b.WriteString(".")
	}
	return strings.TrimSpace(b.String())
}

// explainEvidence turns the dominating chain into a sentence: runs of loops
// become "nested loops over n at lines a–b give O(n²)".
func explainEvidence(ev []static.Evidence, total bigo.Class) string {
	var loops []static.Evidence
	var parts []string
	for _, e := range ev {
		switch e.Tag {
		case static.TagLoop:
			loops = append(loops, e)
		case static.TagCall:
			// the callee's own evidence follows; the call line adds nothing
		default:
			parts = append(parts, fmt.Sprintf("%s (%s)", strings.TrimSuffix(e.Note, "."), lineRange(e.Start, e.End)))
		}
	}
	var s []string
	switch len(loops) {
	case 0:
	case 1:
		s = append(s, fmt.Sprintf("a loop over n at %s", lineRange(loops[0].Start, loops[0].End)))
	default:
		lo, hi := loops[0].Start, loops[0].End
		for _, l := range loops {
			lo, hi = min(lo, l.Start), max(hi, l.End)
		}
		s = append(s, fmt.Sprintf("%d nested loops over n at %s", len(loops), lineRange(lo, hi)))
	}
	s = append(s, parts...)
	if len(s) == 0 {
		return "No loop or recursion grows with the input. "
	}
	if len(s) > 4 {
		s = s[:4]
	}
	if len(s) == 1 {
		return fmt.Sprintf("From the code: %s give %s. ", s[0], total.Pretty())
	}
	return fmt.Sprintf("From the code: %s; together %s. ", strings.Join(s, "; "), total.Pretty())
}

// tips are concrete improvements for the patterns found.
func tips(ev []static.Evidence, lang string) []string {
	seen := map[string]bool{}
	loops := 0
	for _, e := range ev {
		seen[e.Tag] = true
		if e.Tag == static.TagLoop {
			loops++
		}
	}
	var out []string
	if seen[static.TagMembership] {
		out = append(out, "Membership tests on a list scan it every time: keep the elements in a hash set or map for O(1) lookups.")
	}
	if seen[static.TagConcat] {
		b := map[string]string{"java": "a StringBuilder", "go": "a strings.Builder", "cpp": "s += c (in place)"}[lang]
		if b == "" {
			b = "a list joined once"
		}
		out = append(out, fmt.Sprintf("Concatenating strings copies the whole string each time: build the result with %s.", b))
	}
	if seen[static.TagExpRecursion] {
		out = append(out, "The recursion solves the same subproblems again and again: memoize results by argument, or fill a table bottom-up.")
	}
	if loops >= 2 && !seen[static.TagMembership] {
		out = append(out, "Nested loops look at every pair: sorting first and scanning with two pointers, or remembering what you have seen in a hash map, usually removes the inner loop.")
	}
	if seen[static.TagLinearOp] && loops >= 1 {
		out = append(out, "A linear-time library call sits inside a loop: hoist it out or keep the data in a structure with cheaper operations.")
	}
	sort.Strings(out)
	return out
}

const systemPrompt = `You are the complexity coach of a competitive programming arena. You explain the time and space complexity of an accepted solution to the player who wrote it, and how to reach the intended complexity if theirs is worse. Ground every claim in the evidence given (line numbers, measured points). Be concise: at most 120 words, plain text, no code longer than one line.`

// UserPrompt carries the code, the static and measured findings and the
// intended complexity.
func UserPrompt(r *Report, src []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Language: %s\n\nCode (with line numbers):\n", r.Lang)
	for i, line := range strings.Split(strings.TrimRight(string(src), "\n"), "\n") {
		fmt.Fprintf(&b, "%4d | %s\n", i+1, line)
	}
	b.WriteString("\nStatic analysis:\n")
	if r.Static != nil {
		fmt.Fprintf(&b, "- time %s, space %s\n", r.Static.Time, r.Static.Space)
		for _, e := range r.Static.Evidence {
			fmt.Fprintf(&b, "- %s: %s (%s)\n", lineRange(e.Start, e.End), e.Note, e.Class)
		}
	} else {
		fmt.Fprintf(&b, "- failed: %s\n", r.StaticError)
	}
	b.WriteString("\nMeasurement:\n")
	if e := r.Empirical; e != nil {
		fmt.Fprintf(&b, "- best fit time %s (confidence %.2f), memory %s\n", e.Time, e.TimeConfidence, e.Space)
		for _, p := range e.Points {
			fmt.Fprintf(&b, "- n=%d: %.4f s CPU, %d KiB peak\n", p.N, p.CPU, p.PeakMem>>10)
		}
	} else if r.EmpiricalError != "" {
		fmt.Fprintf(&b, "- failed: %s\n", r.EmpiricalError)
	} else {
		b.WriteString("- not run\n")
	}
	fmt.Fprintf(&b, "\nCombined estimate: time %s, space %s (%s)\n", r.Time, r.Space, r.Reason)
	if r.Intended.Time != bigo.Unknown {
		fmt.Fprintf(&b, "Intended complexity: time %s, space %s. Author's hint: %s\n", r.Intended.Time, r.Intended.Space, r.Intended.Hint)
	} else if r.Intended.Stated != "" {
		fmt.Fprintf(&b, "Intended complexity, as the problem's author wrote it: %s\n", r.Intended.Stated)
	}
	b.WriteString("\nExplain the complexity with the evidence, then say how to reach the intended complexity if the solution is slower.")
	return b.String()
}
