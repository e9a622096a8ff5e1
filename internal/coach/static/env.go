package static

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// env answers the sizer's questions about identifiers at one place in the
// program: loop variables in scope first, then what the pre-pass found.
type env struct {
	a  *analyzer
	cx ctx
}

func (e env) scalar(id string) size {
	if v, ok := e.cx.vars[id]; ok {
		if v.value.known {
			return v.value
		}
		return e.valueBound()
	}
	return e.a.scalar(id, e.cx.fn)
}

func (e env) length(id string) size {
	if v, ok := e.cx.vars[id]; ok && v.length.known {
		return v.length
	}
	return e.a.length(id, e.cx.fn)
}

func (e env) elem(id string) size { return e.a.elem(id, e.cx.fn) }

// elemOfIter is the size of each element an iteration yields, through
// wrappers: enumerate(words), words.iter(), data[1:n+1].
func (e env) elemOfIter(x *sx) size {
	for x != nil {
		switch x.op {
		case "id":
			return e.elem(x.text)
		case "slice":
			x = x.kids[0]
		case "member":
			x = x.kids[0]
		case "call":
			name, recv := calleeName(x)
			switch {
			case recv != nil:
				x = recv
			case len(x.kids) > 1 && passThrough[name]:
				x = x.kids[len(x.kids)-1]
			default:
				return size{}
			}
		default:
			return size{}
		}
	}
	return size{}
}
func (e env) isConst(id string) bool {
	if _, ok := e.cx.vars[id]; ok {
		return false
	}
	if logNameRe.MatchString(id) {
		return false // LOG = 17 levels: log n, see scalar
	}
	return e.a.constIdent(id)
}

func (e env) main() bigo.Expr { return e.a.main }

func (e env) tokens(id string) bool { return e.a.tokens(id) }

func (e env) tokenLen() size {
	if tok := e.a.pc.ofKind("token"); tok != "" {
		return known(bigo.Var(tok))
	}
	return size{}
}

func (e env) constValue(id string) size {
	out := constSize
	for _, byFn := range e.a.values[id] {
		for _, v := range byFn {
			if x := parseSx(v); x != nil && valueOf(e, x).big {
				out.big = true
			}
		}
	}
	return out
}

func (e env) logOf(s size) size { return known(e.a.logRange(s)) }

func (e env) valueBound() size {
	if v := e.a.pc.ofKind("value"); v != "" {
		return known(bigo.Var(v))
	}
	return size{}
}

// scalar is the magnitude of a variable: a declared size by name, else
// what is assigned to it, else its loop's count.
var logNameRe = regexp.MustCompile(`^(?i:(max_?)?log\w*|lg|lgn|maxlg)$`)

func (a *analyzer) scalar(id string, fn *Node) size {
	if logNameRe.MatchString(id) && (a.consts[id] || len(a.values[id]) > 0) {
		// LOG = 17, #define LG 20: the number of levels of a binary
		// lifting or sparse table, log of the main size.
		if s := a.scalarFromValues(id, fn); !s.known || s.e.IsConst() {
			return known(bigo.LogOf(a.main))
		}
	}
	if a.constIdent(id) {
		return constSize
	}
	v, declared := a.pc.lookup(id)
	if declared && v.Kind == "const" {
		return constSize
	}
	// What the code assigns wins over the name (k = b.size() in a matrix
	// product is not the problem's k); a value read from the input says
	// nothing, and then the name decides.
	if s := a.scalarFromValues(id, fn); s.known {
		return s
	}
	if declared {
		return known(bigo.Var(v.Name))
	}
	return size{}
}

func (a *analyzer) scalarFromValues(id string, fn *Node) size {
	key := id + "\x00" + fmt.Sprint(fn)
	if a.busySize[key] {
		return size{}
	}
	a.busySize[key] = true
	defer delete(a.busySize, key)
	vals, _ := lookup(a, a.values, id, fn)
	var ss []size
	for _, v := range vals {
		ss = append(ss, valueOf(env{a: a, cx: ctx{fn: fn}}, parseSx(v)))
	}
	if s := addSizes(ss...); len(ss) > 0 && s.known {
		return s
	}
	if s, ok := lookup(a, a.loopVars, id, fn); ok {
		return s
	}
	return size{}
}

func (a *analyzer) length(id string, fn *Node) size {
	if s, ok := lookup(a, a.lengths, id, fn); ok && s.known {
		return s
	}
	if a.tokenVars[id] {
		if tok := a.pc.ofKind("token"); tok != "" {
			return known(bigo.Var(tok))
		}
	}
	if s, ok := lookup(a, a.loopElems, id, fn); ok && s.known {
		return s // a loop variable holding a word or a row
	}
	if v, ok := a.pc.lookup(id); ok && v.Kind == "token" {
		return known(bigo.Var(v.Name))
	}
	if a.lang == "go" || a.lang == "rust" {
		// Go 1.22 ranges over an int: for i := range n.
		if s := a.scalar(id, fn); s.known && a.types[id] == "" {
			return s
		}
	}
	return size{}
}

func (a *analyzer) elem(id string, fn *Node) size {
	if s, ok := a.adj[id]; ok && s.known {
		return s
	}
	if s, ok := lookup(a, a.elems, id, fn); ok && s.known {
		return s
	}
	if tok := a.pc.ofKind("token"); tok != "" && a.tokens(id) {
		return known(bigo.Var(tok))
	}
	if s, ok := lookup(a, a.loopElems, id, fn); ok && s.known {
		return s
	}
	return size{}
}

var (
	inputRe   = regexp.MustCompile(`\binput\(|readline|readLine|read_line|\bread\(|\.next\(\)|nextToken|\.Text\(\)|\bgets\b|getline|stdin`)
	splitRe   = regexp.MustCompile(`split|Fields|lines\(|readlines|split_whitespace|split_ascii`)
	numConvRe = regexp.MustCompile(`\bint\(|parseInt|Atoi|nextInt|nextLong|parse::<|parse\(\)|Number\(|ParseInt|float\(|stoi|atoi|\bmap\(int`)
)

// markTokens finds the variables that hold one input token (a word, a
// row) or a list of them.
func (a *analyzer) markTokens(root *Node) {
	walkAll([]*Node{root}, func(n *Node) {
		switch n.Kind {
		case KAssign:
			if n.Op == ">>" { // cin >> w
				for _, t := range n.Targets {
					if a.types[t] == "string" {
						a.tokenVars[t] = true
					}
				}
				return
			}
			if len(n.Targets) != 1 || n.Index || !inputRe.MatchString(n.Value) || numConvRe.MatchString(n.Value) {
				return
			}
			if splitRe.MatchString(n.Value) {
				a.tokenLists[n.Targets[0]] = true
			} else {
				a.tokenVars[n.Targets[0]] = true
			}
		case KCall:
			// fmt.Fscan(rd, &w), scanf("%s", s)
			if !regexp.MustCompile(`(?i)scan`).MatchString(n.Name) {
				return
			}
			str := strings.Contains(strings.Join(n.Args, " "), "%s")
			for _, arg := range n.Args {
				id := baseIdent(arg)
				if a.types[id] == "string" || (str && !strings.Contains(arg, "\"") && !strings.HasPrefix(strings.TrimSpace(arg), "&")) {
					a.tokenVars[id] = true
				}
			}
		}
	})
}

// tokens reports whether id holds the input's tokens (a split of what was
// read): each element is one token.
func (a *analyzer) tokens(id string) bool { return a.tokenLists[id] }

// lenOf is the length of the collection text names, the main size when
// it cannot be told.
func (a *analyzer) lenOf(text string, cx ctx) bigo.Expr {
	s := lengthOf(env{a: a, cx: cx}, parseSx(text))
	if s.known {
		return s.e
	}
	return a.main
}

// valueIn is the magnitude of text, the main size when it cannot be told.
func (a *analyzer) valueIn(text string, cx ctx) bigo.Expr {
	s := valueOf(env{a: a, cx: cx}, parseSx(text))
	if s.known {
		return s.e
	}
	return a.main
}

// logRange is the log of a searched range: log of its size, the value
// bound for big literals (10**18), the main size when nothing is known in
// a problem without declared sizes, and a constant when the problem
// declares its sizes and this is none of them.
func (a *analyzer) logRange(s size) bigo.Expr {
	vb := env{a: a}.valueBound()
	switch {
	case s.known && !s.e.IsConst():
		return bigo.LogOf(s.e)
	case s.big && vb.known:
		return bigo.LogOf(vb.e)
	case len(a.pc.Vars) == 0:
		return bigo.LogOf(a.main)
	case vb.known:
		return bigo.LogOf(vb.e)
	}
	return bigo.One()
}

// allocSize is how many cells an allocation holds.
func (a *analyzer) allocSize(n *Node, cx ctx) bigo.Expr {
	e := env{a: a, cx: cx}
	if s := lengthOf(e, parseSx(n.Text)); s.known && !s.e.IsConst() {
		if el := elemOfValue(e, parseSx(n.Text)); el.known {
			return bigo.Mul(s.e, el.e)
		}
		return s.e
	}
	var ss []size
	unknown := false
	for _, id := range n.SizeIdents {
		s := e.scalar(id)
		switch {
		case cppTypeWords[id] || s.known && s.e.IsConst():
		case s.known:
			ss = append(ss, s)
		default:
			unknown = true
		}
	}
	if len(ss) == 0 {
		if unknown {
			return a.main
		}
		return bigo.One()
	}
	dims := n.Dims
	if regexp.MustCompile(`,\s*(std::)?vector\s*<`).MatchString(n.Text) {
		dims = max(dims, 2) // Mat c(n, vector<ll>(m)): rows of columns
	}
	if dims >= 2 && len(ss) >= 2 {
		out := constSize
		for _, s := range ss[:min(dims, len(ss))] {
			out = mulSizes(out, s)
		}
		if out.known {
			return out.e
		}
	}
	if s := addSizes(ss...); s.known {
		return s.e
	}
	return a.main
}

// elemOfValue is the size of each element of a collection built by text:
// the rows of a grid, [[0] * w for _ in range(h)].
func elemOfValue(e sizeEnv, x *sx) size {
	if x == nil {
		return size{}
	}
	switch x.op {
	case "comp":
		return lengthOf(e, x.kids[0])
	case "repeat":
		if len(x.kids) >= 2 {
			return lengthOf(e, x.kids[0])
		}
	case "newarray":
		if len(x.kids) >= 2 {
			return valueOf(e, x.kids[1])
		}
	case "call":
		name, _ := calleeName(x)
		args := x.kids[1:]
		switch {
		case (name == "vector" || name == "deque") && len(args) >= 2:
			return lengthOf(e, args[1])
		case x.text == "macro" && len(args) == 1:
			return elemOfValue(e, args[0])
		case name == "from" && len(args) == 2: // Array.from({length: h}, () => Array(w))
			return size{}
		}
	case "bin":
		if x.text == "*" && x.kids[0].op == "list" && len(x.kids[0].kids) == 1 {
			return lengthOf(e, x.kids[0].kids[0]) // [[0] * w] * h
		}
	}
	return size{}
}

// nestedValue reports whether text builds a collection of empty lists,
// the usual adjacency list: [[] for _ in range(n)], vector<vector<int>>
// adj(n), new ArrayList[n], make([][]int, n), vec![vec![]; n].
func nestedValue(text, typ string) bool {
	t := strings.ReplaceAll(typ+" "+text, " ", "")
	switch {
	case strings.Contains(t, "[[]for"), strings.Contains(t, "[list()for"), strings.Contains(t, "vec![Vec::new();"),
		strings.Contains(t, "vec![vec![];"), strings.Contains(t, "make([][]"), strings.Contains(t, "()=>[]"),
		strings.Contains(t, "newArrayList[") || strings.Contains(t, "newList[") || strings.Contains(t, "newLinkedList["),
		strings.Contains(t, "vector<vector<") && !strings.Contains(t, ",vector"),
		strings.Contains(t, "vector<pair") && strings.Contains(t, "[") && !strings.Contains(t, "("),
		strings.Contains(t, "List<List<") || strings.Contains(t, "List<int[]>[]") || strings.Contains(t, "List<Integer>[]"),
		strings.Contains(t, "[]list") || strings.Contains(t, "[[]]*") || strings.Contains(t, "defaultdict(list)"):
		return true
	}
	return false
}

// sizeCollections is the pre-pass: element counts of collections from
// what is assigned to them and what is appended inside loops, and the
// adjacency lists (collections of lists filled through an index).
func (a *analyzer) sizeCollections(root *Node) {
	nested := map[string]bool{}
	a.markTokens(root)
	a.markOutputs(root)
	for pass := 0; pass < 2; pass++ {
		for id, byFn := range a.values {
			for fn, vals := range byFn {
				e := env{a: a, cx: ctx{fn: fn}}
				var ls, es []size
				for _, v := range vals {
					x := parseSx(v)
					ls = append(ls, lengthOf(e, x))
					if el := elemOfValue(e, x); el.known {
						es = append(es, el)
					}
				}
				if l := addSizes(ls...); l.known {
					a.lengths.set(id, fn, l)
				}
				if el := addSizes(es...); len(es) > 0 && el.known {
					a.elems.set(id, fn, el)
				}
			}
		}
	}
	walkScoped([]*Node{root}, nil, func(n, fn *Node) {
		if n.Kind == KLoop && (n.Loop.Style == "while" || n.Loop.Style == "for") {
			a.doublingBound(n, fn)
		}
		if n.Kind == KAssign && len(n.Targets) == 1 && nestedValue(n.Value, n.Type) {
			nested[n.Targets[0]] = true
		}
		if n.Kind == KLoop {
			c := a.headerCount(n, ctx{fn: fn})
			for v, lv := range a.loopVarsOf(n, c, ctx{fn: fn}) {
				if lv.value.known && c.known {
					old, _ := a.loopVars.at(v, fn)
					a.loopVars.set(v, fn, addSizes(old, c))
				}
				if lv.length.known {
					a.loopElems.set(v, fn, lv.length)
				}
			}
		}
	})
	// Appends inside loops: twice, the second time knowing which
	// functions are traversals (the adjacency lists come from the first).
	var walk func(ns []*Node, prod bigo.Expr, cx ctx)
	walk = func(ns []*Node, prod bigo.Expr, cx ctx) {
		for _, n := range ns {
			if n == nil {
				continue
			}
			switch n.Kind {
			case KLoop:
				li := a.loopInfo(n, cx)
				a.loopN[n] = li.count
				next := bigo.Mul(prod, li.count)
				if li.amortised || li.global {
					next = li.count // a total over the enclosing loop, not per step
				}
				if a.isWorklist(n) {
					// The queue or stack holds each vertex once at most.
					for _, c := range identRe.FindAllString(n.Loop.Cond, -1) {
						if a.collection(c) || len(a.values[c]) > 0 {
							a.worklists[c] = li.count
						}
					}
				}
				walk(n.Kids, next, cx.inner(n, li.perParent(), a.loopVarsOf(n, known(li.count), cx)))
				continue
			case KAssign:
				// A collection made afresh inside a loop holds only what one
				// step appends (next := make([]T, 0, 4) per cell).
				if len(n.Targets) == 1 && !n.Index && len(cx.loops) > 0 && freshRe.MatchString(n.Value) {
					a.createdAt[n.Targets[0]] = cx.loops
				}
			case KFunc:
				walk(n.Kids, bigo.One(), ctx{fn: n})
				continue
			case KCall:
				if growNames[n.Name] && n.Recv != "" {
					a.appended(n.Recv, a.appendProduct(baseIdent(n.Recv), prod, cx), nested, cx.fn)
				}
			}
			if n.Kind == KAssign {
				v := strings.TrimSpace(n.Value)
				if len(n.Targets) == 1 && strings.HasPrefix(v, "append(") {
					if n.Index {
						a.appended(n.Targets[0]+"[]", prod, nested, cx.fn)
					} else {
						a.appended(n.Targets[0], a.appendProduct(n.Targets[0], prod, cx), nested, cx.fn)
					}
				}
			}
			walk(n.CondKids, prod, cx)
			walk(n.Kids, prod, cx)
		}
	}
	walk([]*Node{root}, bigo.One(), ctx{})
	for _, f := range a.funcs {
		if countSelf(f.Body, f.Name) > 0 && a.traversal(f) {
			a.traverse[f] = true
		}
	}
	walk([]*Node{root}, bigo.One(), ctx{})
	a.loopN = map[*Node]bigo.Expr{}
}

var freshRe = regexp.MustCompile(`^\s*(\[\s*\]|\{\s*\}|list\(\)|set\(\)|dict\(\)|deque\(\)|Vec::new\(\)|Vec::with_capacity|vec!\[\s*\]|make\(\[\]|new (ArrayList|ArrayDeque|HashSet|HashMap|LinkedList)|\[\]\w+\{\s*\}|new Array\(\))`)

// appendProduct is how many appends a site makes to id over the whole run:
// the loop counts around it, but for a collection made afresh inside a
// loop only the loops inside that one.
func (a *analyzer) appendProduct(id string, prod bigo.Expr, cx ctx) bigo.Expr {
	outer, ok := a.createdAt[id]
	if !ok || len(outer) > len(cx.loops) {
		return prod
	}
	out := bigo.One()
	for _, l := range cx.loops[len(outer):] {
		out = bigo.Mul(out, a.loopN[l])
	}
	return out
}

// appended records one append site: recv is what is appended to
// (adj[a] for an adjacency list), prod the loop counts around it.
func (a *analyzer) appended(recv string, prod bigo.Expr, nested map[string]bool, fn *Node) {
	base := baseIdent(recv)
	if base == "" {
		return
	}
	indexed := strings.Contains(recv, "[") || strings.Contains(recv, ".get(") || strings.Contains(recv, ".entry(") ||
		strings.Contains(recv, ".computeIfAbsent(") || strings.Contains(recv, ".at(")
	if indexed {
		a.adj[base] = addSizes(a.adj[base], known(prod))
		return
	}
	if nested[base] {
		return
	}
	// the length where the collection lives: its own scope, else here
	scope := fn
	for f := fn; f != nil; f = a.parent[f] {
		if _, ok := a.values[base][f]; ok {
			scope = f
			break
		}
	}
	if _, ok := a.values[base][nil]; ok && scope == fn {
		if _, mine := a.values[base][fn]; !mine {
			scope = nil
		}
	}
	if old, ok := a.lengths.at(base, scope); ok && old.known {
		a.lengths.set(base, scope, addSizes(old, known(prod)))
	} else {
		a.lengths.set(base, scope, known(prod))
	}
	if wl, ok := a.worklists[base]; ok {
		a.lengths.set(base, scope, known(wl)) // a worklist holds each item once
	}
}

// doublingBound: a variable doubled until it passes a bound (size = 1;
// while size < n: size *= 2) ends up about as large as the bound; a
// counter of such doublings (while (1 << k) <= n: k += 1) about log of it.
func (a *analyzer) doublingBound(n, fn *Node) {
	l := n.Loop
	m := regexp.MustCompile(`^\s*\(?\s*(\w+|1\s*<<\s*\(?\s*\w+\s*\)?)\s*\)?\s*(<|<=)\s*(.+?)\s*$`).FindStringSubmatch(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(l.Cond), "("), ")"))
	if m == nil {
		return
	}
	left, bound := m[1], m[3]
	if strings.Contains(left, "<<") {
		k := regexp.MustCompile(`\w+$`).FindString(strings.TrimRight(left, ") "))
		if k != "" && len(a.mutatedIn(l.Body, []string{k})) > 0 {
			addValue(a.values, k, fn, "log2("+bound+")")
		}
		return
	}
	doubled := false
	walkIR([]*Node{l.Body}, func(x *Node) {
		if x.Kind == KAssign && contains(x.Targets, left) && (x.Op == "*=" || x.Op == "<<=" || x.Op == "=" && halvingValRe.MatchString(x.Value)) {
			doubled = true
		}
	})
	if doubled || regexp.MustCompile(`\b`+regexp.QuoteMeta(left)+`\s*(\*=|<<=)`).MatchString(l.Update) {
		addValue(a.values, left, fn, bound)
	}
}

var printNames = set{"join": true, "write": true, "print": true, "println": true, "Println": true, "Fprintln": true,
	"Fprint": true, "Print": true, "puts": true, "printf": true, "writelines": true, "Join": true, "log": true,
	"WriteString": true, "Write": true, "write_all": true, "map": true, "str": true, "toString": true, "String": true,
	"getvalue": true, "decode": true, "Fprintf": true, "Printf": true, "print!": true, "println!": true, "writeln": true}

// markOutputs finds collections that are only appended to and then
// printed: an output buffer is the answer, not working memory, so space
// does not count it (as it does not count what is written to stdout).
func (a *analyzer) markOutputs(root *Node) {
	appended := map[string]bool{}
	walkAll([]*Node{root}, func(n *Node) {
		if n.Kind == KCall && growNames[n.Name] && !strings.Contains(n.Recv, "[") && baseIdent(n.Recv) != "" {
			appended[baseIdent(n.Recv)] = true
		}
		if n.Kind == KAssign && len(n.Targets) == 1 && !n.Index && strings.HasPrefix(strings.TrimSpace(n.Value), "append("+n.Targets[0]) {
			appended[n.Targets[0]] = true
		}
	})
	for x := range appended {
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(x) + `\b`)
		ok := true
		walkAll([]*Node{root}, func(n *Node) {
			if !ok {
				return
			}
			switch n.Kind {
			case KCall:
				if baseIdent(n.Recv) == x && !growNames[n.Name] && !printNames[n.Name] {
					ok = false
				}
				if baseIdent(n.Recv) != x && re.MatchString(strings.Join(n.Args, " ")) && !printNames[n.Name] {
					ok = false
				}
			case KAssign:
				v := strings.TrimSpace(n.Value)
				switch {
				case contains(n.Targets, x) && (v == "" || v == "[]" || strings.HasPrefix(v, "append(") || typeOf(n.Type, v) != ""):
				case re.MatchString(v):
					ok = false
				}
			case KLoop:
				if re.MatchString(n.Loop.Iter + " " + n.Loop.Cond) {
					ok = false
				}
			case KIf:
				if re.MatchString(n.CondText) {
					ok = false
				}
			case KIn, KSlice:
				if baseIdent(n.Recv) == x {
					ok = false
				}
			}
		})
		if ok {
			a.outputs[x] = true
		}
	}
}
