package coach

import (
	"fmt"
	"slices"
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

// OfflineText writes the deterministic explanation from the report's one
// decision: the headline and its reason, what the code shows, what the
// measurements show, the author's intended complexity (once), advice for
// the bottleneck when the solution is slower, and space. The same report
// always gives the same text.
func OfflineText(r *Report, p *Problem) string {
	var b strings.Builder
	switch {
	case r.Time.OK:
		fmt.Fprintf(&b, "Time: %s (%s; confidence %.0f%%). ", r.Time.Pretty(), r.Reason, 100*r.Confidence)
	default:
		fmt.Fprintf(&b, "Time: %s (%s). ", r.Time.Pretty(), r.Reason)
	}
	if r.Static != nil {
		b.WriteString(explainEvidence(r.Static.Evidence, r.Static.Time))
	} else if r.StaticError != "" {
		b.WriteString("The code was not analysed: " + strings.TrimPrefix(r.StaticError, CodeNoGrammar+": ") + ". ")
	}
	b.WriteString(explainMeasured(r.Empirical))
	want := r.Intended.Time
	stated := r.Intended.Stated
	if stated == "" && want.OK {
		stated = want.Pretty()
	}
	switch {
	case stated == "":
	case r.Verdict == "meets":
		fmt.Fprintf(&b, "The author's intended complexity is %s: yours meets it. ", stated)
	case r.Verdict == "faster":
		fmt.Fprintf(&b, "The author's intended complexity is %s: yours is faster. ", stated)
	case r.Verdict == "slower":
		fmt.Fprintf(&b, "The author's intended complexity is %s: yours is slower", stated)
		if r.Intended.Hint != "" {
			fmt.Fprintf(&b, " (hint: %s)", strings.TrimSuffix(r.Intended.Hint, "."))
		}
		b.WriteString(". ")
	default:
		fmt.Fprintf(&b, "The author's intended complexity is %s. ", stated)
	}
	// Advice is for solutions that can do better: slower than intended,
	// or, with no intended class, slower than n log n in the main size.
	slower := r.Verdict == "slower" || (!want.OK && r.Time.OK && r.Time.Class() > bigo.NLogN)
	if slower && r.Static != nil {
		var tags []string
		if p != nil {
			tags = p.Tags
		}
		for _, tip := range tips(bottleneck(r.Static.Evidence, want), r.Lang, tags) {
			b.WriteString(tip + " ")
		}
	}
	if r.Space.OK {
		fmt.Fprintf(&b, "Space: %s", r.Space.Pretty())
		if r.Static != nil && len(r.Static.SpaceEvidence) > 0 {
			e := r.Static.SpaceEvidence[0]
			fmt.Fprintf(&b, " (%s: %s)", lineRange(e.Start, e.End), e.Note)
		}
		b.WriteString(".")
	}
	return strings.TrimSpace(b.String())
}

// explainMeasured says what each measured series shows.
func explainMeasured(e *Empirical) string {
	if e == nil || len(e.Points) == 0 {
		return ""
	}
	var parts []string
	top := e.Points[len(e.Points)-1]
	if e.Time != bigo.Unknown {
		what := "all sizes together"
		if len(e.Axes) == 0 {
			what = fmt.Sprintf("%d input sizes up to n=%d", len(e.Points), top.N)
		}
		parts = append(parts, fmt.Sprintf("with %s the CPU time grows as %s", what, e.Time.Pretty()))
	}
	for _, a := range e.Axes {
		if a.Time == bigo.Unknown {
			continue
		}
		parts = append(parts, fmt.Sprintf("with %s alone growing (%s) as %s", a.Var, a.Fixed, strings.ReplaceAll(a.Time.Pretty(), "n", a.Var)))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("Measured on %d sizes: too few for a fit. ", len(e.Points))
	}
	return "Measured: " + strings.Join(parts, "; ") + ". "
}

// bottleneck is the evidence that makes the solution slower than wanted:
// the items whose class is not within the intended one (all of them when
// there is no intended class).
func bottleneck(ev []static.Evidence, want bigo.Complexity) []static.Evidence {
	if !want.OK {
		return ev
	}
	var out []static.Evidence
	for _, e := range ev {
		if !bigo.LE(e.Class, want.Expr) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return ev
	}
	return out
}

// explainEvidence turns the dominating chain into a sentence: runs of loops
// become "nested loops over n at lines a–b give O(n²)".
func explainEvidence(ev []static.Evidence, total bigo.Expr) string {
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
	// Loops one inside the other multiply; loops side by side (the
	// evidence of a sum, O(n) then O(m)) are separate phrases.
	var chains [][]static.Evidence
	for _, l := range loops {
		if k := len(chains) - 1; k >= 0 {
			last := chains[k][len(chains[k])-1]
			if l.Start >= last.Start && l.End <= last.End {
				chains[k] = append(chains[k], l)
				continue
			}
		}
		chains = append(chains, []static.Evidence{l})
	}
	for _, ch := range chains {
		if len(ch) == 1 {
			s = append(s, fmt.Sprintf("a loop of %s iterations at %s", ch[0].Class.Pretty(), lineRange(ch[0].Start, ch[0].End)))
			continue
		}
		var counts []string
		for _, l := range ch {
			counts = append(counts, l.Class.Pretty())
		}
		s = append(s, fmt.Sprintf("%d nested loops (%s iterations) at %s", len(ch), strings.Join(counts, " × "), lineRange(ch[0].Start, ch[0].End)))
	}
	s = append(s, parts...)
	if len(s) == 0 {
		return "From the code: no loop or recursion grows with the input. "
	}
	if len(s) > 4 {
		s = s[:4]
	}
	if len(s) == 1 {
		return fmt.Sprintf("From the code: %s gives %s. ", s[0], total.Pretty())
	}
	return fmt.Sprintf("From the code: %s; together %s. ", strings.Join(s, "; "), total.Pretty())
}

func hasTag(tags []string, words ...string) bool {
	for _, t := range tags {
		for _, w := range words {
			if strings.Contains(strings.ToLower(t), w) {
				return true
			}
		}
	}
	return false
}

// tips are concrete improvements for the patterns that cost the most,
// worded for the problem's kind (its arena.yaml tags): a tree or graph
// problem gets adjacency lists and BFS/DFS, not hash maps.
func tips(ev []static.Evidence, lang string, tags []string) []string {
	seen := map[string]bool{}
	loops := 0
	var linearOps, sorts []string
	for _, e := range ev {
		seen[e.Tag] = true
		switch e.Tag {
		case static.TagLoop:
			loops++
		case static.TagLinearOp:
			linearOps = append(linearOps, lineRange(e.Start, e.End))
		case static.TagSort:
			sorts = append(sorts, lineRange(e.Start, e.End))
		}
	}
	graph := hasTag(tags, "graph", "tree", "bfs", "dfs", "shortest", "topolog", "spanning", "bridges", "ancestor")
	grid := hasTag(tags, "grid")
	var out []string
	if seen[static.TagMembership] {
		if graph || grid {
			out = append(out, "Membership tests on a list scan it every time: mark visited vertices in a boolean array indexed by vertex.")
		} else {
			out = append(out, "Membership tests on a list scan it every time: keep the elements in a hash set or map for O(1) lookups.")
		}
	}
	if seen[static.TagConcat] {
		b := map[string]string{"java": "a StringBuilder", "go": "a strings.Builder", "cpp": "s += c (in place)", "rust": "push_str on one String"}[lang]
		if b == "" {
			b = "a list joined once"
		}
		out = append(out, fmt.Sprintf("Concatenating strings copies the whole string each time: build the result with %s.", b))
	}
	if seen[static.TagExpRecursion] {
		out = append(out, "The recursion solves the same subproblems again and again: memoize results by argument, or fill a table bottom-up.")
	}
	if seen[static.TagUnionFind] {
		out = append(out, "Without path compression a find can walk a long chain: set parent[x] = find(parent[x]) on the way back, and link the smaller set under the larger.")
	}
	if loops >= 2 && !seen[static.TagMembership] {
		switch {
		case grid:
			out = append(out, "The nested loops revisit cells: visit each cell once with BFS or DFS and a visited grid, O(h·w) in total.")
		case graph:
			out = append(out, "The nested loops look at every pair of vertices: keep adjacency lists and visit each vertex and edge once (BFS/DFS), O(V + E) in total.")
		case hasTag(tags, "dp", "knapsack"):
			out = append(out, "The nested loops recompute what earlier states already know: compute each table cell once from its neighbours, keeping running sums instead of re-adding ranges.")
		case hasTag(tags, "segment tree", "fenwick", "data structures"):
			out = append(out, "The inner loop walks a whole range for every query: a Fenwick or segment tree answers each range operation in O(log n).")
		case hasTag(tags, "prefix sums"):
			out = append(out, "The inner loop re-adds a range for every question: precompute prefix sums, then each range sum is one subtraction.")
		case hasTag(tags, "binary search"):
			out = append(out, "Instead of trying every candidate, binary search the answer: each check is one pass.")
		case hasTag(tags, "two pointers", "sorting", "sweep", "greedy"):
			out = append(out, "The nested loops look at every pair: sort once, then scan with two pointers that only move forward.")
		case hasTag(tags, "hashing", "strings"):
			out = append(out, "The inner loop searches again for every step: remember what you have seen in a hash map, or precompute a prefix function.")
		default:
			out = append(out, "The inner loop repeats work for every step of the outer one: precompute what it needs once (sorting, prefix sums or a lookup table).")
		}
	}
	if len(linearOps) > 0 && loops >= 1 {
		out = append(out, fmt.Sprintf("A linear-time library call inside a loop (%s) touches every element each time: hoist it out of the loop or keep the data in a structure with cheaper operations.", linearOps[0]))
	}
	if len(sorts) > 0 && loops >= 1 {
		out = append(out, fmt.Sprintf("Sorting inside a loop (%s) repeats the work: sort once, or keep the items in a heap or ordered set.", sorts[0]))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

const systemPrompt = `You are the complexity coach of a competitive programming arena. You explain the time and space complexity of an accepted solution to the player who wrote it, and how to reach the intended complexity if theirs is worse. Ground every claim in the evidence given (line numbers, measured points). State the decided complexity exactly as given; never contradict it. Be concise: at most 120 words, plain text, no code longer than one line.`

// UserPrompt carries the code, the decision with its reason, the static
// and measured findings and the intended complexity.
func UserPrompt(r *Report, src []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Language: %s\n\nCode (with line numbers):\n", r.Lang)
	for i, line := range strings.Split(strings.TrimRight(string(src), "\n"), "\n") {
		fmt.Fprintf(&b, "%4d | %s\n", i+1, line)
	}
	fmt.Fprintf(&b, "\nDecided: time %s, space %s, confidence %.0f%% (%s)\n", r.Time, r.Space, 100*r.Confidence, r.Reason)
	if len(r.Variables) > 0 {
		fmt.Fprintf(&b, "Variables of the problem: %s\n", strings.Join(r.Variables, ", "))
	}
	b.WriteString("\nStatic analysis:\n")
	if r.Static != nil {
		fmt.Fprintf(&b, "- time %s, space %s\n", r.Static.Time, r.Static.Space)
		for _, e := range r.Static.Evidence {
			fmt.Fprintf(&b, "- %s: %s (%s)\n", lineRange(e.Start, e.End), e.Note, e.Class)
		}
	} else {
		fmt.Fprintf(&b, "- not available: %s\n", r.StaticError)
	}
	b.WriteString("\nMeasurement:\n")
	if e := r.Empirical; e != nil {
		fmt.Fprintf(&b, "- all sizes together: best fit %s, memory %s\n", e.Time, e.Space)
		for _, p := range e.Points {
			fmt.Fprintf(&b, "  - n=%d: %.4f s CPU, %d KiB peak\n", p.N, p.CPU, p.PeakMem>>10)
		}
		for _, a := range e.Axes {
			fmt.Fprintf(&b, "- %s alone (%s): best fit %s\n", a.Var, a.Fixed, a.Time)
		}
	} else if r.EmpiricalError != "" {
		fmt.Fprintf(&b, "- failed: %s\n", r.EmpiricalError)
	} else {
		b.WriteString("- not run\n")
	}
	if r.Intended.Time.OK || r.Intended.Stated != "" {
		fmt.Fprintf(&b, "\nThe author's intended complexity: %s (space %s); verdict: %s.", r.Intended.Stated, r.Intended.StatedSpace, r.Verdict)
		if r.Intended.Hint != "" {
			fmt.Fprintf(&b, " Author's hint: %s", r.Intended.Hint)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nExplain the complexity with the evidence, then say how to reach the intended complexity if the solution is slower.")
	return b.String()
}
