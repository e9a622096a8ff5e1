package static

import (
	"regexp"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

var (
	// an update that multiplies or divides the variable by a constant
	augHalvingRe = regexp.MustCompile(`^(//=|/=|>>=|>>>=|\*=|<<=)$`)
	halvingValRe = regexp.MustCompile(`(//|/|>>>?|<<)\s*\(?\s*\d|\*\s*[2-9]\b|\b[2-9]\s*\*`)
	popNames     = map[string]bool{"pop": true, "pop_back": true, "popleft": true, "poll": true, "shift": true, "removeLast": true, "pollLast": true, "pop_front": true, "removeFirst": true, "pollFirst": true}
)

// loopFactor decides how many times a loop runs per entry, as a cost.
func (a *analyzer) loopFactor(n *Node, cx ctx) (Cost, []Evidence) {
	l := n.Loop
	if a.exitsEarly(n) {
		return costConst, []Evidence{ev(n, bigo.Const, TagEarlyExit, "loop exits after a constant number of iterations")}
	}
	if l.Style == "for" && a.forHalving(n) {
		return costLog, []Evidence{ev(n, bigo.Log, TagHalving, "loop variable is multiplied or divided each step: O(log n) iterations")}
	}
	if l.Style == "while" || l.Style == "infinite" {
		mutated := a.mutatedIn(l.Body, l.Idents)
		if a.whileHalving(l, mutated) {
			return costLog, []Evidence{ev(n, bigo.Log, TagHalving, "the range shrinks by a constant factor each step: O(log n) iterations")}
		}
		if len(cx.loops) > 0 && len(mutated) > 0 && !a.resetIn(cx.loops[len(cx.loops)-1], n, mutated) {
			return costConst, []Evidence{ev(n, bigo.Const, TagAmortized,
				"inner loop moves %s, which the enclosing loop never resets: O(n) steps in total (amortized)", strings.Join(mutated, ", "))}
		}
	}
	bound := a.boundIdents(l)
	if l.Style == "while" {
		// A counter that starts from a number and runs up to a constant
		// (k = 0; while k < 3: k += 1) is a constant loop.
		var rest []string
		mutated := a.mutatedIn(l.Body, l.Idents)
		for _, id := range bound {
			if !(contains(mutated, id) && a.litInit[id]) {
				rest = append(rest, id)
			}
		}
		if len(rest) == 0 && len(bound) > 0 && regexp.MustCompile(`\d`).MatchString(n.Text) {
			return costConst, []Evidence{ev(n, bigo.Const, TagConstLoop, "counter runs to a constant")}
		}
	}
	if len(bound) == 0 && l.Style != "infinite" && !(l.Style == "while" && len(a.mutatedIn(l.Body, nil)) > 0 && len(l.Idents) == 0) {
		return costConst, []Evidence{ev(n, bigo.Const, TagConstLoop, "loop bound is a constant")}
	}
	what := "the input"
	if len(bound) > 0 {
		what = strings.Join(bound, ", ")
	}
	return costLinear, []Evidence{ev(n, bigo.Linear, TagLoop, "loop over %s: O(n) iterations", what)}
}

func (a *analyzer) boundIdents(l *Loop) []string {
	var out []string
	for _, id := range minus(l.Idents, l.Vars) {
		if !a.constIdent(id) {
			out = append(out, id)
		}
	}
	return out
}

func (a *analyzer) forHalving(n *Node) bool {
	for _, v := range n.Loop.Vars {
		q := regexp.QuoteMeta(v)
		re := regexp.MustCompile(`\b` + q + `\s*(\*=|/=|<<=|>>=|>>>=)\s*\d|\b` + q + `\s*=\s*` + q + `\s*(\*|/|>>>?|<<)\s*\d`)
		if re.MatchString(n.Text) {
			return true
		}
	}
	return false
}

// mutatedIn lists which of names (all assigned names when names is nil) the
// body changes: assignments, ++/--, and pops from a container.
func (a *analyzer) mutatedIn(body *Node, names []string) []string {
	var out []string
	add := func(t string) {
		if (names == nil || contains(names, t)) && !contains(out, t) {
			out = append(out, t)
		}
	}
	walkIR([]*Node{body}, func(x *Node) {
		switch x.Kind {
		case KAssign:
			if !x.Index {
				for _, t := range x.Targets {
					add(t)
				}
			}
		case KCall:
			if popNames[x.Name] {
				add(baseIdent(x.Recv))
			}
		}
	})
	return out
}

// whileHalving recognises binary search and repeated halving/doubling: a
// variable of the condition is updated by a multiplicative step, directly or
// through a midpoint computed with one.
func (a *analyzer) whileHalving(l *Loop, mutated []string) bool {
	mids := map[string]bool{}
	walkIR([]*Node{l.Body}, func(x *Node) {
		if x.Kind == KAssign && x.Op == "=" && halvingValRe.MatchString(x.Value) {
			for _, t := range x.Targets {
				mids[t] = true
			}
		}
	})
	found := false
	walkIR([]*Node{l.Body}, func(x *Node) {
		if x.Kind != KAssign || x.Index {
			return
		}
		for _, t := range x.Targets {
			if !contains(mutated, t) {
				continue
			}
			v := strings.TrimSpace(x.Value)
			shift := strings.Contains(x.Op, "<<") || strings.Contains(x.Op, ">>")
			if augHalvingRe.MatchString(x.Op) && regexp.MustCompile(`^\d+$`).MatchString(v) && v != "0" && (v != "1" || shift) {
				found = true
			}
			if x.Op == "=" && (halvingValRe.MatchString(x.Value) && strings.Contains(x.Value, t)) {
				found = true
			}
			if x.Op == "=" || x.Op == "+=" || x.Op == "-=" {
				for _, id := range identRe.FindAllString(x.Value, -1) {
					if mids[id] && id != t {
						found = true
					}
				}
			}
		}
	})
	return found
}

// resetIn reports whether the enclosing loop re-initialises any of vars
// outside the inner loop (then the inner loop restarts every time and is not
// amortised).
func (a *analyzer) resetIn(outer, inner *Node, vars []string) bool {
	reset := false
	var walk func(ns []*Node)
	walk = func(ns []*Node) {
		for _, x := range ns {
			if x == nil || x == inner || x.Kind == KFunc {
				continue
			}
			// Only a re-initialisation before the inner loop restarts it;
			// an assignment after it (j = i + 1 when the window is empty)
			// moves the pointer forward and keeps the total linear.
			if x.Kind == KAssign && x.Op == "=" && !x.Index && x.Start < inner.Start {
				for _, t := range x.Targets {
					if contains(vars, t) {
						reset = true
					}
				}
			}
			walk(x.CondKids)
			walk(x.Kids)
		}
	}
	walk([]*Node{outer.Loop.Body})
	if contains(outer.Loop.Vars, "") {
		return reset
	}
	for _, v := range vars {
		if contains(outer.Loop.Vars, v) {
			return true
		}
	}
	return reset
}

// exitsEarly: the body leaves the loop unconditionally, or as soon as the
// loop variable passes a constant.
func (a *analyzer) exitsEarly(n *Node) bool {
	l := n.Loop
	if l.Body == nil {
		return false
	}
	kids := l.Body.Kids
	if len(kids) == 1 && kids[0].Kind == KBlock {
		kids = kids[0].Kids
	}
	for _, k := range kids {
		if k.Kind == KJump && (k.Jump == "break" || k.Jump == "return") {
			return true
		}
		if k.Kind != KIf || len(l.Vars) == 0 || !regexp.MustCompile(`\d`).MatchString(k.CondText) {
			continue
		}
		ok := len(k.CondIdents) > 0
		for _, id := range k.CondIdents {
			if !contains(l.Vars, id) && !a.constIdent(id) {
				ok = false
			}
		}
		if ok && len(k.Kids) > 0 && jumpsOut(k.Kids[0]) {
			return true
		}
	}
	return false
}

func jumpsOut(b *Node) bool {
	for _, k := range b.Kids {
		if k.Kind == KJump && (k.Jump == "break" || k.Jump == "return") {
			return true
		}
		if k.Kind == KBlock && jumpsOut(k) {
			return true
		}
	}
	return false
}
