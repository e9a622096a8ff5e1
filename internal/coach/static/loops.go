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
	// Fenwick tree steps: i += i & -i, i -= i & (-i), i &= i - 1, i |= i + 1
	fenwickRe = regexp.MustCompile(`(\+=|-=)\s*\(?\s*(\w+)\s*&\s*\(?\s*-\s*(\w+)|&=\s*\(?\s*(\w+)\s*-\s*1|\|=\s*\(?\s*(\w+)\s*\+\s*1|=\s*\(?\s*(\w+)\s*&\s*\(?\s*(\w+)\s*\+\s*1\s*\)?\s*\)?\s*-\s*1`)
	popNames  = map[string]bool{"pop": true, "pop_back": true, "popleft": true, "poll": true, "shift": true, "removeLast": true,
		"pollLast": true, "pop_front": true, "removeFirst": true, "pollFirst": true, "heappop": true, "Pop": true, "remove": true}
	// a value that follows a link through an array: e = nxt[e]
	linkRe = regexp.MustCompile(`^\s*(\w+)\s*=\s*(\w+)\s*\[\s*(\w+)\s*\]\s*$`)
)

// loopInfo is how often a loop's body runs. amortised: count is the total
// over the whole run of the enclosing loop, not per step of it.
type loopInfo struct {
	count     bigo.Expr
	ev        []Evidence
	amortised bool
	global    bool // count is the total over the whole program
}

func (li loopInfo) perParent() bigo.Expr {
	if li.amortised || li.global {
		return bigo.One()
	}
	return li.count
}

func constLoop(n *Node, tag, note string) loopInfo {
	return loopInfo{count: bigo.One(), ev: []Evidence{ev(n, bigo.One(), tag, "%s", note)}}
}

// loopInfo decides how many times a loop runs.
func (a *analyzer) loopInfo(n *Node, cx ctx) loopInfo {
	l := n.Loop
	if a.exitsEarly(n) {
		return constLoop(n, TagEarlyExit, "loop exits after a constant number of iterations")
	}
	if li, ok := a.unionFindLoop(n, cx); ok {
		return li
	}
	if (l.Style == "for" && a.forHalving(n)) || ((l.Style == "while" || l.Style == "infinite") && len(l.Idents) > 0 && a.whileHalving(l, a.mutatedIn(l.Body, l.Idents))) {
		c := a.logRange(a.rangeOf(n, cx))
		return loopInfo{count: c, ev: []Evidence{ev(n, c, TagHalving, "the range shrinks by a constant factor each step: %s iterations", c.Pretty())}}
	}
	if a.fenwick(n) {
		c := a.logRange(a.rangeOf(n, cx))
		return loopInfo{count: c, ev: []Evidence{ev(n, c, TagHalving, "the index moves by its lowest set bit (Fenwick tree): %s steps", c.Pretty())}}
	}
	if li, ok := a.harmonic(n, cx); ok {
		return li
	}
	if li, ok := a.adjacencyLoop(n, cx); ok {
		return li
	}
	if li, ok := a.worklistLoop(n, cx); ok {
		return li
	}
	if li, ok := a.smallToLarge(n, cx); ok {
		return li
	}
	if li, ok := a.popOnly(n, cx); ok {
		return li
	}
	if l.Style == "while" || l.Style == "infinite" {
		mutated := a.mutatedIn(l.Body, l.Idents)
		if len(cx.loops) > 0 && (len(mutated) > 0 && !a.resetIn(cx.loops[len(cx.loops)-1], n, mutated) || a.matchExtension(n, cx.loops[len(cx.loops)-1])) && !a.counterToConst(n) {
			total := a.parentCount(cx)
			if c := a.headerCount(n, cx); c.known && !c.e.IsConst() {
				total = c.e
			}
			return loopInfo{count: total, amortised: true, ev: []Evidence{ev(n, total, TagAmortized,
				"inner loop moves %s, which the enclosing loop never resets: %s steps in total (amortized)", strings.Join(mutated, ", "), total.Pretty())}}
		}
	}
	if a.counterToConst(n) {
		return constLoop(n, TagConstLoop, "counter runs to a constant")
	}
	c := a.headerCount(n, cx)
	if c.known && c.e.IsConst() {
		return constLoop(n, TagConstLoop, "loop bound is a constant")
	}
	if !c.known {
		bound := a.boundIdents(l)
		if len(bound) == 0 && l.Style != "infinite" && !(l.Style == "while" && len(a.mutatedIn(l.Body, nil)) > 0 && len(l.Idents) == 0) {
			return constLoop(n, TagConstLoop, "loop bound is a constant")
		}
		c = known(a.main)
	}
	what := "the input"
	if b := a.boundIdents(l); len(b) > 0 {
		what = strings.Join(b, ", ")
	}
	return loopInfo{count: c.e, ev: []Evidence{ev(n, c.e, TagLoop, "loop over %s: %s iterations", what, c.e.Pretty())}}
}

// parentCount is the count of the innermost enclosing loop.
func (a *analyzer) parentCount(cx ctx) bigo.Expr {
	if len(cx.loops) == 0 {
		return a.main
	}
	if c, ok := a.loopN[cx.loops[len(cx.loops)-1]]; ok && !c.IsConst() {
		return c
	}
	return a.main
}

// counterToConst: a counter that starts from a number and runs up to a
// constant (k = 0; while k < 3: k += 1).
func (a *analyzer) counterToConst(n *Node) bool {
	l := n.Loop
	if l.Style != "while" {
		return false
	}
	bound := a.boundIdents(l)
	mutated := a.mutatedIn(l.Body, l.Idents)
	for _, id := range bound {
		if !(contains(mutated, id) && a.litInit[id]) {
			return false
		}
	}
	return len(bound) > 0 && regexp.MustCompile(`\d`).MatchString(n.Text)
}

// headerCount reads a loop's count from its header: the length of what an
// each-loop walks, the bound a C-style or while condition compares its
// variable with.
func (a *analyzer) headerCount(n *Node, cx ctx) size {
	l := n.Loop
	e := env{a: a, cx: cx}
	if l.Style == "each" {
		it := parseSx(l.Iter)
		s := lengthOf(e, it)
		if !s.known && it != nil && it.op == "id" {
			if v := e.scalar(it.text); v.known && (a.lang == "go" || a.lang == "rust") {
				return v
			}
		}
		return s
	}
	vars := append([]string(nil), l.Vars...)
	if l.Style == "while" || l.Style == "infinite" {
		vars = a.mutatedIn(l.Body, l.Idents)
	}
	var bounds []size
	charScan := false
	var visit func(x *sx)
	visit = func(x *sx) {
		if x == nil {
			return
		}
		if x.op == "un" {
			visit(x.kids[0])
			return
		}
		if x.op != "bin" {
			return
		}
		switch x.text {
		case "&&", "and", "||", "or":
			visit(x.kids[0])
			visit(x.kids[1])
		case "==":
			if (mentions(x.kids[0], vars) && x.kids[1].op == "str") || (mentions(x.kids[1], vars) && x.kids[0].op == "str") {
				charScan = true
			}
		case "<", "<=", ">", ">=", "!=":
			left, right := mentions(x.kids[0], vars), mentions(x.kids[1], vars)
			op := x.text
			if right && !left { // k > i reads as i < k
				op = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "!=": "!="}[op]
			}
			varSide, other := x.kids[0], x.kids[1]
			if right && !left {
				varSide, other = other, varSide
			}
			switch {
			case left != right && other.op == "str":
				charScan = true // c >= '0' && c <= '9': scanning one token's characters
			case left != right:
				b := a.boundSide(e, other, varSide, op, l)
				if b.known && b.e.IsConst() {
					// Up to a constant: constant if the variable only
					// grows; down to one: a countdown from its start.
					up := op == "<" || op == "<="
					for _, v := range mentionedVars(varSide, vars) {
						switch {
						case up && !a.stepsDown(n, v):
						case !up && op != "!=" && a.stepsDown(n, v), op == "!=" && a.stepsDown(n, v):
							if s := a.startOf(n, v, e); s.known {
								b = s
							} else {
								b = size{}
							}
						default:
							b = size{}
						}
					}
				}
				bounds = append(bounds, b)
			case left && right && l.Style == "while":
				// lo < hi, both moving: the range between them
				bounds = append(bounds, addSizes(valueOf(e, x.kids[0]), valueOf(e, x.kids[1])))
			}
		}
	}
	cond := parseSx(l.Cond)
	if cond != nil && (cond.op == "id" || cond.op == "un" && (cond.text == "--" || cond.text == "++")) {
		// while (q--), while (t): runs until the variable reaches zero
		cond = &sx{op: "bin", text: "!=", kids: []*sx{cond, {op: "num"}}}
		if id := sxIdent(cond.kids[0]); id != "" || cond.kids[0].op == "un" {
			vars = append(vars, identRe.FindAllString(l.Cond, -1)...)
		}
	}
	for _, id := range regexp.MustCompile(`(\w+)\s*(?:\+\+|--)|(?:\+\+|--)\s*(\w+)`).FindAllStringSubmatch(l.Cond, -1) {
		vars = append(vars, id[1]+id[2])
	}
	visit(cond)
	if charScan && len(bounds) == 0 {
		return constSize
	}
	if len(bounds) == 0 {
		return size{}
	}
	for _, b := range bounds {
		if !b.known {
			return size{}
		}
	}
	return addSizes(bounds...)
}

// startOf is the value a loop variable starts from: its initialiser in a
// C-style header, else what it holds before the loop.
func (a *analyzer) startOf(n *Node, v string, e env) size {
	if _, init, ok := strings.Cut(n.Loop.Init, "="); ok && strings.Contains(n.Loop.Init, v) {
		return valueOf(e, parseSx(init))
	}
	return a.scalar(v, e.cx.fn)
}

// mentionedVars lists the identifiers of x that are among vars.
func mentionedVars(x *sx, vars []string) []string {
	var out []string
	var walk func(x *sx)
	walk = func(x *sx) {
		if x == nil {
			return
		}
		if x.op == "id" && contains(vars, x.text) && !contains(out, x.text) {
			out = append(out, x.text)
		}
		for _, k := range x.kids {
			walk(k)
		}
	}
	walk(x)
	return out
}

var constStepRe = regexp.MustCompile(`^\s*(\+\+|--|\+=|-=)\s*\d*\s*$`)

// counterFromLiteral: a C-style loop whose variable starts at a number and
// steps by a constant (for (d = 0; d < 10; d++)), or a while loop over
// such a counter.
func (a *analyzer) counterFromLiteral(n *Node) bool {
	l := n.Loop
	if l.Style == "for" {
		_, init, ok := strings.Cut(l.Init, "=")
		if !ok || !numericRe.MatchString(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(init), ";"))) {
			return false
		}
		for _, v := range l.Vars {
			if regexp.MustCompile(`\b` + regexp.QuoteMeta(v) + `\s*(\+\+|--|\+=\s*\d+|-=\s*\d+)|(\+\+|--)\s*` + regexp.QuoteMeta(v) + `\b`).MatchString(l.Update) {
				return true
			}
		}
		return false
	}
	for _, v := range a.mutatedIn(l.Body, l.Idents) {
		if a.litInit[v] {
			return true
		}
	}
	return false
}

// stepsDown: v decreases by a constant each time round (q--, q -= 1), in
// the condition, the update or the body.
func (a *analyzer) stepsDown(n *Node, v string) bool {
	q := regexp.QuoteMeta(v)
	re := regexp.MustCompile(`\b` + q + `\s*(--|-=\s*1\b)|--\s*` + q + `\b`)
	if re.MatchString(n.Loop.Cond) || re.MatchString(n.Loop.Update) {
		return true
	}
	found := false
	walkIR([]*Node{n.Loop.Body}, func(x *Node) {
		if x.Kind == KAssign && contains(x.Targets, v) && !x.Index && (x.Op == "--" || x.Op == "-=" && strings.TrimSpace(x.Value) == "1") {
			found = true
		}
	})
	return found
}

// boundSide is the count of a loop "v op other": other's magnitude, or the
// start value for a loop counting down (i = n; i >= 0; i--).
func (a *analyzer) boundSide(e env, other, side *sx, op string, l *Loop) size {
	b := valueOf(e, other)
	if side.op == "bin" && side.text == "*" {
		// i * i <= n: a square-root bound; the coach keeps n.
		return b
	}
	down := strings.Contains(l.Update, "--") || strings.Contains(l.Update, "-=") || op == ">" || op == ">="
	if down && l.Init != "" {
		if _, v, ok := strings.Cut(l.Init, "="); ok {
			return addSizes(b, valueOf(e, parseSx(v)))
		}
	}
	return b
}

// mentions reports whether x uses any of vars.
func mentions(x *sx, vars []string) bool {
	if x == nil {
		return false
	}
	if x.op == "id" && contains(vars, x.text) {
		return true
	}
	if x.op == "index" {
		return mentions(x.kids[0], vars) // a[j]: an element's value, not j's range
	}
	for _, k := range x.kids {
		if mentions(k, vars) {
			return true
		}
	}
	return false
}

// rangeOf is the size of the range a halving loop searches: the magnitude
// of its condition (lo < hi: hi's size).
func (a *analyzer) rangeOf(n *Node, cx ctx) size {
	l := n.Loop
	e := env{a: a, cx: cx}
	var ss []size
	var visit func(x *sx)
	visit = func(x *sx) {
		if x == nil {
			return
		}
		if x.op == "bin" {
			switch x.text {
			case "&&", "and", "||", "or", "<", "<=", ">", ">=", "!=", "==":
				visit(x.kids[0])
				visit(x.kids[1])
				return
			}
		}
		ss = append(ss, valueOf(e, x))
	}
	cond := l.Cond
	if l.Style == "for" && l.Init != "" {
		if _, v, ok := strings.Cut(l.Init, "="); ok {
			visit(parseSx(v))
		}
	}
	visit(parseSx(cond))
	for _, v := range l.Vars {
		ss = append(ss, e.scalar(v))
	}
	for _, v := range a.mutatedIn(l.Body, l.Idents) {
		if s := e.scalar(v); s.known {
			ss = append(ss, s)
		}
	}
	return addSizes(ss...)
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

// fenwick: the loop variable moves by its lowest set bit.
func (a *analyzer) fenwick(n *Node) bool {
	l := n.Loop
	if fenwickRe.MatchString(l.Update) {
		return true
	}
	found := false
	walkIR([]*Node{l.Body}, func(x *Node) {
		if x.Kind == KAssign && fenwickRe.MatchString(x.Text) {
			found = true
		}
	})
	return found && l.Style == "while"
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
				if x.Name == "heappop" && len(x.Args) > 0 {
					add(baseIdent(x.Args[0]))
				}
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
			// Euclid: b = a % b (or a, b = b, a % b) shrinks the pair
			// geometrically.
			if x.Op == "=" && strings.Contains(x.Value, "%") {
				for _, id := range identRe.FindAllString(x.Value, -1) {
					if contains(mutated, id) {
						found = true
					}
				}
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
	// A value read back from an array the loop fills (k = pi[i-1] in the
	// prefix function) carries the pointer over: not a reset.
	carried := map[string]bool{}
	walkIR([]*Node{outer.Loop.Body}, func(x *Node) {
		if x.Kind == KAssign && x.Index {
			for _, t := range x.Targets {
				carried[t] = true
			}
		}
	})
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
			if x.Kind == KAssign && x.Op == "=" && !x.Index && x.Start < inner.Start && !carried[baseIdent(x.Value)] {
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
	for _, v := range vars {
		if contains(a.perStepVars(outer), v) {
			return true
		}
	}
	return reset
}

// perStepVars are the variables a loop sets on every iteration: an
// each-loop's variables, a C-style loop's updated ones (not those its
// initialiser sets once: for (i = 0, j = 0; i < n; i++)).
func (a *analyzer) perStepVars(n *Node) []string {
	l := n.Loop
	if l.Style != "for" {
		return l.Vars
	}
	var out []string
	for _, v := range l.Vars {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(v) + `\b`).MatchString(l.Update) {
			out = append(out, v)
		}
	}
	return out
}

// matchExtension: an inner loop that extends a match of a string against
// itself (s[z[i]] == s[i + z[i]]) after starting from what an earlier
// window already matched (z[i] = min(r - i, z[i - l])): the Z-function's
// window only moves right, O(n) steps in total.
func (a *analyzer) matchExtension(n *Node, outer *Node) bool {
	same := false
	for _, m := range regexp.MustCompile(`(\w+)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\s*===?\s*(\w+)\[`).FindAllStringSubmatch(n.Loop.Cond, -1) {
		if m[1] == m[2] {
			same = true
		}
	}
	if !same {
		return false
	}
	seeded := false
	walkIR([]*Node{outer.Loop.Body}, func(x *Node) {
		if x.Kind == KAssign && x.Start <= n.Start && strings.Contains(x.Value, "min") {
			seeded = true
		}
	})
	return seeded
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

// adjacencyOf names the adjacency structure an each-loop walks (adj in
// for w in adj[v]), or the link array a C loop follows (nxt in
// for (e = head[v]; e != -1; e = nxt[e])), with its total entries.
func (a *analyzer) adjacencyOf(n *Node) (string, size, bool) {
	l := n.Loop
	if l.Style == "each" {
		x := parseSx(l.Iter)
		for x != nil && (x.op == "call" || x.op == "member") {
			if x.op == "call" {
				name, recv := calleeName(x)
				if (name == "get" || name == "at") && recv != nil && len(x.kids) > 1 {
					x = &sx{op: "index", kids: []*sx{recv, x.kids[1]}}
					break
				}
				if recv == nil {
					if len(x.kids) > 1 && (name == "enumerate" || name == "iter" || name == "reversed") {
						x = x.kids[1]
						continue
					}
					break
				}
				x = recv
				continue
			}
			x = x.kids[0]
		}
		if x != nil && x.op == "index" {
			if id := sxIdent(x.kids[0]); id != "" {
				if s, ok := a.adj[id]; ok && s.known {
					return id, s, true
				}
			}
		}
		return "", size{}, false
	}
	// C-style link chasing: the update (or a body assignment) is e = nxt[e].
	cands := []string{l.Update}
	walkIR([]*Node{l.Body}, func(x *Node) {
		if x.Kind == KAssign {
			cands = append(cands, x.Text)
		}
	})
	for _, c := range cands {
		if m := linkRe.FindStringSubmatch(c); m != nil && m[1] == m[3] && (contains(l.Vars, m[1]) || strings.Contains(l.Cond, m[1])) {
			s := a.length(m[2], a.fnOf[n])
			if !s.known {
				s = known(a.main)
			}
			return m[2], s, true
		}
	}
	return "", size{}, false
}

// adjacencyLoop: walking one vertex's neighbours. Inside a loop that visits
// each vertex once (a loop over the vertices, a BFS/DFS worklist) or a
// recursive traversal, the walks add up to the total number of entries
// (E), not V·E.
func (a *analyzer) adjacencyLoop(n *Node, cx ctx) (loopInfo, bool) {
	name, total, ok := a.adjacencyOf(n)
	if !ok {
		return loopInfo{}, false
	}
	e := total.e
	info := loopInfo{count: e, amortised: true, ev: []Evidence{ev(n, e, TagAdjacency,
		"walks the neighbours in %s: %s in total over all vertices", name, e.Pretty())}}
	if len(cx.loops) == 0 {
		if cx.fn != nil && a.traverse[cx.fn] {
			return info, true
		}
		info.amortised = false
		info.ev[0].Note = "walks one vertex's neighbours in " + name
		return info, true
	}
	parent := cx.loops[len(cx.loops)-1]
	pc, _ := a.loopN[parent]
	vs := a.length(name, cx.fn)
	if a.isWorklist(parent) || (vs.known && bigo.Equal(pc, vs.e)) || (!vs.known && bigo.Equal(pc, a.main)) {
		return info, true
	}
	// Neighbours of some vertex per step of an unrelated loop: bounded
	// by the whole list.
	info.amortised = false
	info.ev[0].Note = "walks a vertex's neighbours in " + name + " on every step of the enclosing loop"
	return info, true
}

// worklistGrows reports whether a loop is a BFS/DFS worklist: its
// condition tests a queue, stack or index the body pushes to.
func (a *analyzer) isWorklist(n *Node) bool {
	if n == nil || n.Loop == nil {
		return false
	}
	l := n.Loop
	if l.Style == "each" {
		return false
	}
	cands := identRe.FindAllString(l.Cond, -1)
	if strings.HasPrefix(strings.TrimSpace(l.Cond), "let ") { // while let Some(v) = q.pop()
		cands = identRe.FindAllString(l.Cond, -1)
	}
	if len(cands) == 0 {
		return false
	}
	// It takes items out: pops, or moves a head index or stack top.
	consumes := false
	walkIR([]*Node{l.Body}, func(x *Node) {
		switch x.Kind {
		case KCall:
			recv := baseIdent(x.Recv)
			if x.Name == "heappop" && len(x.Args) > 0 {
				recv = baseIdent(x.Args[0])
			}
			if popNames[x.Name] && contains(cands, recv) {
				consumes = true
			}
		case KAssign:
			for _, t := range x.Targets {
				if contains(cands, t) && !x.Index {
					consumes = true // head++, --top, i += 1, q = q[1:]
				}
			}
		}
	})
	for _, c := range cands {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(c) + `\b\s*(\+\+|--)|(\+\+|--)\s*` + regexp.QuoteMeta(c) + `\b|\.pop|pop_front`).MatchString(l.Update + " " + l.Cond) {
			consumes = true
		}
	}
	if !consumes {
		return false
	}
	grows := false
	walkIR([]*Node{l.Body}, func(x *Node) {
		switch x.Kind {
		case KCall:
			recv := baseIdent(x.Recv)
			if (growNames[x.Name] || x.Name == "heappush" || x.Name == "push_back" || x.Name == "offer") && contains(cands, recv) && recv != "" {
				grows = true
			}
			if x.Name == "heappush" && len(x.Args) > 0 && contains(cands, baseIdent(x.Args[0])) {
				grows = true
			}
			if x.Name == "Push" && recv == "heap" && len(x.Args) > 0 && contains(cands, baseIdent(x.Args[0])) {
				grows = true
			}
		case KAssign:
			if x.Index && len(x.Targets) > 0 {
				// st[top++] = v, q[tail++] = v: the index of the target grows
				target := x.Text
				if i := regexp.MustCompile(`[^=!<>]=[^=]`).FindStringIndex(target); i != nil {
					target = target[:i[0]+1]
				}
				for _, c := range cands {
					if regexp.MustCompile(`\[\s*(` + regexp.QuoteMeta(c) + `\s*\+\+|\+\+\s*` + regexp.QuoteMeta(c) + `)`).MatchString(target) {
						grows = true
					}
				}
			}
			if len(x.Targets) == 1 && contains(cands, x.Targets[0]) && strings.HasPrefix(strings.TrimSpace(x.Value), "append(") {
				grows = true
			}
		}
	})
	return grows
}

// worklistLoop: a BFS/DFS queue or stack. Each vertex enters it once, so it
// runs once per vertex: the size of the adjacency structure walked inside,
// else (a flood fill started from every cell of an enclosing loop) once per
// step of that loop in total, else the marked grid or the main size.
func (a *analyzer) worklistLoop(n *Node, cx ctx) (loopInfo, bool) {
	if !a.isWorklist(n) {
		return loopInfo{}, false
	}
	var vertices size
	walkIR([]*Node{n.Loop.Body}, func(x *Node) {
		if x.Kind != KLoop || vertices.known {
			return
		}
		if name, _, ok := a.adjacencyOf(x); ok {
			if s := a.length(name, cx.fn); s.known && name != "" {
				vertices = s
			} else if head := a.headArray(x); head != "" {
				vertices = a.length(head, cx.fn)
			}
		}
	})
	if len(cx.loops) > 0 && a.seededFromParent(n, cx.loops[len(cx.loops)-1]) {
		total := a.parentCount(cx)
		return loopInfo{count: total, amortised: true, ev: []Evidence{ev(n, total, TagWorklist,
			"flood fill from each unvisited cell: every cell enters the worklist once, %s in total", total.Pretty())}}, true
	}
	if !vertices.known {
		vertices = a.markerSize(n, cx)
	}
	c := a.main
	if vertices.known && !vertices.e.IsConst() {
		c = vertices.e
	}
	return loopInfo{count: c, ev: []Evidence{ev(n, c, TagWorklist, "each vertex enters the queue or stack once: %s iterations", c.Pretty())}}, true
}

// headArray is the array a link-chasing loop starts from (head in e =
// head[v]).
func (a *analyzer) headArray(x *Node) string {
	m := regexp.MustCompile(`=\s*(\w+)\s*\[`).FindStringSubmatch(x.Loop.Init)
	if m != nil {
		return m[1]
	}
	return ""
}

// seededFromParent: the worklist starts (before the loop, inside the
// enclosing loop's body) from the enclosing loop's variables.
func (a *analyzer) seededFromParent(wl, parent *Node) bool {
	vars := parent.Loop.Vars
	if len(vars) == 0 {
		return false
	}
	seeded := false
	walkIR([]*Node{parent.Loop.Body}, func(x *Node) {
		if x.Start > wl.Start || x == wl {
			return
		}
		if (x.Kind == KAssign || x.Kind == KCall) && x.End <= wl.Start {
			for _, id := range identRe.FindAllString(x.Text, -1) {
				if contains(vars, id) {
					seeded = true
				}
			}
		}
	})
	return seeded
}

// markerSize is the size of the visited/distance array a worklist's pushes
// are guarded by: dist[r][c] of an h×w grid gives h·w.
func (a *analyzer) markerSize(n *Node, cx ctx) size {
	var out size
	walkIR([]*Node{n.Loop.Body}, func(x *Node) {
		if x.Kind != KIf || out.known {
			return
		}
		written := map[string]bool{} // the marker is set where it is tested: seen[u] = True
		walkIR(x.Kids, func(y *Node) {
			if y.Kind == KAssign {
				for _, t := range y.Targets {
					written[t] = true
				}
			}
		})
		for _, m := range regexp.MustCompile(`(\w+)\s*\[[^\]]*\](\s*\[)?`).FindAllStringSubmatch(x.CondText, -1) {
			if !written[m[1]] {
				continue
			}
			l := a.length(m[1], cx.fn)
			if !l.known || l.e.IsConst() {
				continue
			}
			if m[2] != "" {
				if el := a.elem(m[1], cx.fn); el.known {
					l = mulSizes(l, el)
				}
			}
			out = l
			return
		}
	})
	return out
}

// smallToLarge: a loop over one collection after comparing its size with
// another's and swapping the two merges the smaller into the larger: every
// element moves O(log n) times over the whole program.
func (a *analyzer) smallToLarge(n *Node, cx ctx) (loopInfo, bool) {
	if n.Loop.Style != "each" || !a.mergesSmall(n.Loop.Iter, cx) {
		return loopInfo{}, false
	}
	total := bigo.Mul(a.main, bigo.LogOf(a.main))
	return loopInfo{count: total, global: true, ev: []Evidence{ev(n, total, TagSmallToLarge,
		"merges the smaller collection into the larger: each element moves O(log n) times, %s in total", total.Pretty())}}, true
}

var sizeCmpRe = regexp.MustCompile(`len\(|size\(\)|\.len\(\)|\.length|\.size|Size\(\)|\.Len\(\)`)

// mergesSmall reports whether coll (the collection a merge reads) was
// compared by size with another and the two swapped, in the same function:
// the small-to-large pattern.
func (a *analyzer) mergesSmall(coll string, cx ctx) bool {
	base := baseIdent(coll)
	if base == "" {
		return false
	}
	scope := a.root
	if cx.fn != nil {
		scope = cx.fn.Body
	}
	compared, swapped := false, false
	walkIR([]*Node{scope}, func(x *Node) {
		if x.Kind != KIf || len(sizeCmpRe.FindAllString(x.CondText, -1)) < 2 || !regexp.MustCompile(`\b`+regexp.QuoteMeta(base)+`\b`).MatchString(x.CondText) {
			return
		}
		compared = true
		walkIR(x.Kids, func(y *Node) {
			if y.Kind == KCall && (y.Name == "swap" || y.Name == "Swap") {
				swapped = true
			}
			// a, b = b, a
			if y.Kind == KAssign && len(y.Targets) == 2 {
				parts := splitTop(y.Value, ',')
				if len(parts) == 2 && baseIdent(parts[0]) == y.Targets[1] && baseIdent(parts[1]) == y.Targets[0] {
					swapped = true
				}
			}
		})
	})
	return compared && swapped
}

// popOnly: a loop that only pops from a container filled elsewhere (lazy
// deletion from a heap, draining a stack): over the whole program it pops
// at most what was pushed.
func (a *analyzer) popOnly(n *Node, cx ctx) (loopInfo, bool) {
	l := n.Loop
	if l.Style == "each" || len(cx.loops) > 0 {
		return loopInfo{}, false
	}
	var popped string
	pushed := map[string]bool{}
	walkIR([]*Node{l.Body}, func(x *Node) {
		if x.Kind != KCall {
			return
		}
		recv := baseIdent(x.Recv)
		if (x.Name == "heappop" || x.Name == "heappush") && len(x.Args) > 0 {
			recv = baseIdent(x.Args[0])
		}
		if (popNames[x.Name] || x.Name == "erase") && recv != "" && popped == "" {
			popped = recv
		}
		if growNames[x.Name] {
			pushed[recv] = true
		}
	})
	if popped == "" || pushed[popped] || cx.fn == nil || a.isWorklist(n) {
		return loopInfo{}, false
	}
	// The condition must be about the containers (lo.size() > target,
	// heap and heap[0] stale), not a count of its own.
	if !regexp.MustCompile(`\b`+regexp.QuoteMeta(popped)+`\b`).MatchString(l.Cond) && !sizeCmpRe.MatchString(l.Cond) {
		return loopInfo{}, false
	}
	total := a.main
	if s := a.length(popped, cx.fn); s.known && !s.e.IsConst() {
		total = s.e
	}
	return loopInfo{count: total, global: true, ev: []Evidence{ev(n, total, TagAmortized,
		"pops from %s, which is filled elsewhere: at most what was pushed, %s pops over the whole run (amortized)", popped, total.Pretty())}}, true
}

// unionFindLoop: the find loop of a disjoint-set union, while p[x] != x.
// With path compression or halving (the loop writes p) it is amortised
// near-constant; with union by size or rank it is O(log n); otherwise a
// chain can make it O(n).
func (a *analyzer) unionFindLoop(n *Node, cx ctx) (loopInfo, bool) {
	l := n.Loop
	m := regexp.MustCompile(`(\w+)\s*\[\s*(\w+)\s*\]\s*!=\s*(\w+)|(\w+)\s*!=\s*(\w+)\s*\[\s*(\w+)\s*\]`).FindStringSubmatch(l.Cond)
	if m == nil {
		return loopInfo{}, false
	}
	arr, x := m[1], m[2]
	if m[1] == "" {
		arr, x = m[5], m[6]
	}
	writesArr := false
	walkIR([]*Node{l.Body}, func(y *Node) {
		if y.Kind == KAssign && regexp.MustCompile(`\b`+regexp.QuoteMeta(arr)+`\s*\[`).MatchString(leftOf(y.Text)) {
			writesArr = true
		}
	})
	if (m[1] == "" && m[4] != x || m[1] != "" && m[3] != x) && !writesArr {
		return loopInfo{}, false // p[x] != root walks a compressing pass only when it writes p
	}
	compresses := false
	scope := l.Body
	if cx.fn != nil {
		scope = cx.fn.Body // a second loop may do the compressing
	}
	walkIR([]*Node{scope}, func(y *Node) {
		if y.Kind == KAssign && contains(y.Targets, arr) && regexp.MustCompile(`^\s*[^=]*\b`+regexp.QuoteMeta(arr)+`\s*\[`).MatchString(leftOf(y.Text)) {
			compresses = true
		}
	})
	if compresses {
		return loopInfo{count: bigo.One(), ev: []Evidence{ev(n, bigo.One(), TagUnionFind,
			"find with path compression: amortised O(α(n)), effectively constant")}}, true
	}
	if a.unionByRank(arr) {
		c := bigo.LogOf(a.main)
		return loopInfo{count: c, ev: []Evidence{ev(n, c, TagUnionFind, "find without path compression, union by size: O(log n) steps")}}, true
	}
	return loopInfo{count: a.main, ev: []Evidence{ev(n, a.main, TagUnionFind, "find without path compression or union by size: a chain makes it %s", a.main.Pretty())}}, true
}

// unionByRank: the program compares sizes or ranks before linking.
func (a *analyzer) unionByRank(parent string) bool {
	found := false
	for name := range a.values {
		if regexp.MustCompile(`(?i)^(rank|rnk|sz|size|sizes|height|cnt)$`).MatchString(name) {
			found = true
		}
	}
	return found
}

// leftOf is the target side of an assignment's text.
func leftOf(text string) string {
	if i := regexp.MustCompile(`[^=!<>+\-*/%&|^]=[^=]`).FindStringIndex(text); i != nil {
		return text[:i[0]+1]
	}
	return text
}

// harmonic: an inner loop stepping by the outer loop's variable (for j in
// range(i, n, i)) runs n/i times: n/1 + n/2 + ... + n/n = O(n log n) over
// the whole outer loop.
func (a *analyzer) harmonic(n *Node, cx ctx) (loopInfo, bool) {
	if len(cx.loops) == 0 {
		return loopInfo{}, false
	}
	outer := cx.loops[len(cx.loops)-1].Loop.Vars
	if len(outer) == 0 {
		return loopInfo{}, false
	}
	l := n.Loop
	step := ""
	if x := parseSx(l.Iter); x != nil && x.op == "call" {
		if name, _ := calleeName(x); name == "range" && len(x.kids) == 4 {
			step = sxIdent(x.kids[3])
		}
		if name, recv := calleeName(x); name == "step_by" && recv != nil && len(x.kids) == 2 {
			step = sxIdent(x.kids[1])
		}
	}
	if m := regexp.MustCompile(`\+=\s*(\w+)\s*$`).FindStringSubmatch(l.Update); m != nil {
		step = m[1]
	}
	if step == "" || !contains(outer, step) {
		return loopInfo{}, false
	}
	c := a.headerCount(n, cx)
	bound := a.main
	if c.known && !c.e.IsConst() {
		bound = c.e
	}
	total := bigo.Mul(bound, bigo.LogOf(bound))
	return loopInfo{count: total, amortised: true, ev: []Evidence{ev(n, total, TagAmortized,
		"steps by the outer loop's %s: n/1 + n/2 + ... + n/n = %s in total (harmonic sum)", step, total.Pretty())}}, true
}
