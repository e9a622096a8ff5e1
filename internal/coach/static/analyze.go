// Package static estimates the time and space complexity of a solution from
// its source code, in the problem's own variables (n, m, q, h×w, ...), with
// evidence as line ranges.
//
// Each language is lowered to a small IR (ir.go): Go with go/ast, the others
// with tree-sitter. A pre-pass sizes the program's variables (sizes.go: n is
// a declared size, adj has n lists holding m entries in total, dp has
// (n+1)·(k+1) cells). The analyser then multiplies loop counts down the tree,
// adds the costs of library calls per language (calls.go), recognises
// amortised patterns (two pointers, monotonic stacks, worklists and
// adjacency lists, union-find, small-to-large) and classifies recursion
// (memoised, traversal, halving, branching). It is a heuristic: the
// measurement checks it.
package static

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// Evidence is one reason for a class, tied to source lines.
type Evidence struct {
	Start int       `json:"start"`
	End   int       `json:"end"`
	Class bigo.Expr `json:"class"`
	Note  string    `json:"note"`
	Tag   string    `json:"tag"` // machine-readable pattern, see the Tag* constants
}

// Pattern tags used by the coaching text.
const (
	TagLoop         = "loop"
	TagConstLoop    = "constant-loop"
	TagHalving      = "halving-loop"
	TagAmortized    = "amortized-loop"
	TagEarlyExit    = "early-exit"
	TagSort         = "sort"
	TagLogOp        = "log-op"
	TagLinearOp     = "linear-op"
	TagMembership   = "list-membership"
	TagConcat       = "string-concat"
	TagRecursion    = "recursion"
	TagExpRecursion = "exponential-recursion"
	TagMemo         = "memoized-recursion"
	TagDivide       = "divide-and-conquer"
	TagCall         = "call"
	TagAlloc        = "allocation"
	TagAdjacency    = "adjacency"      // neighbours of each vertex, O(V + E) in total
	TagWorklist     = "worklist"       // BFS/DFS queue or stack: each vertex once
	TagTraversal    = "traversal"      // recursive DFS: each vertex once
	TagUnionFind    = "union-find"     // find with path compression: amortised near O(1)
	TagSmallToLarge = "small-to-large" // merging the smaller set into the larger
	TagHeap         = "heap"
	TagHash         = "hash"
)

// Result is the static estimate.
type Result struct {
	Lang          string     `json:"lang"`
	Time          bigo.Expr  `json:"time"`
	Space         bigo.Expr  `json:"space"`
	Evidence      []Evidence `json:"evidence"`       // the chain that dominates time
	SpaceEvidence []Evidence `json:"space_evidence"` // what dominates space
}

// Languages lists the languages with a grammar.
var Languages = []string{"python", "c", "cpp", "go", "javascript", "java", "rust"}

// Supported reports whether lang can be analysed statically.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }

// Analyze estimates src in one size, n.
func Analyze(lang string, src []byte) (Result, error) { return AnalyzeIn(lang, src, Context{}) }

// AnalyzeIn parses src written in lang and estimates its complexity in the
// variables of pc.
func AnalyzeIn(lang string, src []byte, pc Context) (Result, error) {
	var root *Node
	var err error
	switch {
	case lang == "go":
		root, err = parseGo(src)
	case Supported(lang):
		root, err = parseTreeSitter(lang, src)
	default:
		return Result{}, fmt.Errorf("no grammar for %q", lang)
	}
	if err != nil {
		return Result{}, err
	}
	a := newAnalyzer(lang, root, pc)
	time := a.entry(root)
	for _, m := range a.totals {
		time = seqRes(time, m)
	}
	time = finish(time)
	return Result{
		Lang:          lang,
		Time:          pc.Normalize(time.c),
		Space:         pc.Normalize(a.space.c),
		Evidence:      dedupe(time.ev),
		SpaceEvidence: dedupe(a.space.ev),
	}, nil
}

// res is the cost of a piece of code with the evidence for it. am holds
// amortised totals: costs bounded over the whole run of the enclosing loop
// (a pointer that only moves forward, each vertex's neighbours), which
// that loop adds once instead of multiplying.
type res struct {
	c  bigo.Expr
	ev []Evidence
	am []res
	// gl holds totals over the whole program (pops from a heap filled
	// elsewhere, small-to-large merges): they pass through loops and
	// calls unmultiplied and are added once at the end.
	gl []res
}

// seqRes is a then b: the sum, with the evidence of what dominates.
func seqRes(a, b res) res {
	out := res{c: bigo.Add(a.c, b.c)}
	if len(a.am)+len(b.am) > 0 {
		out.am = append(append([]res(nil), a.am...), b.am...)
	}
	if len(a.gl)+len(b.gl) > 0 {
		out.gl = append(append([]res(nil), a.gl...), b.gl...)
	}
	switch cmp, ok := bigo.Compare(a.c, b.c); {
	case ok && cmp > 0:
		out.ev = a.ev
	case ok && cmp < 0:
		out.ev = b.ev
	case ok:
		// Equal costs: the evidence that explains more (a loop, a
		// traversal, a sort) over a library call that reads the input.
		out.ev = a.ev
		if len(a.ev) == 0 || explains(b.ev, b.c) > explains(a.ev, a.c) {
			out.ev = b.ev
		}
	default:
		out.ev = append(append([]Evidence(nil), a.ev...), b.ev...)
	}
	return out
}

// explains ranks evidence for a cost c, to choose between two parts of
// the code that cost the same: the algorithm (a traversal, an amortised
// loop, a sort, recursion, a data structure) over plain loops, plain loops
// over reading input or allocating; within a rank, one item that costs
// all of c.
func explains(ev []Evidence, c bigo.Expr) int {
	best := 0
	for _, e := range ev {
		r := 0
		switch e.Tag {
		case TagLinearOp, TagAlloc, TagCall, TagConstLoop:
			continue
		case TagLoop:
			r = 2
		default:
			r = 4
		}
		if bigo.Equal(e.Class, c) {
			r++
		}
		best = max(best, r)
	}
	return best
}

// settle adds the amortised totals into the cost.
func settle(r res) res {
	out := res{c: r.c, ev: r.ev, gl: r.gl}
	for _, x := range r.am {
		out = seqRes(out, settle(x))
	}
	return out
}

// finish adds the program-wide totals.
func finish(r res) res {
	r = settle(r)
	gl := r.gl
	out := res{c: r.c, ev: r.ev}
	for _, x := range gl {
		out = seqRes(out, finish(x))
	}
	return out
}

func dedupe(ev []Evidence) []Evidence {
	var out []Evidence
	seen := map[string]bool{}
	for _, e := range ev {
		k := fmt.Sprint(e.Start, e.End, e.Note)
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

type funcResult struct {
	cost  res
	total bool      // cost is the whole of all calls (memoised, traversal): call sites add it once
	depth bigo.Expr // recursion depth (stack space)
}

type analyzer struct {
	root   *Node
	lang   string
	pc     Context
	main   bigo.Expr // the problem's main size
	funcs  map[string]*Node
	types  map[string]string // variable → hash, tree, heap, list, string, builder, deque
	consts map[string]bool
	// litInit: every plain assignment is a number (counters: k = 0; k++)
	litInit map[string]bool
	// sizes from the pre-pass
	values     scoped[[]string]  // variable → the texts assigned to it
	lengths    scoped[size]      // collection → element count
	elems      scoped[size]      // collection → size of each element
	parent     map[*Node]*Node   // function → the function it is defined in
	fnOf       map[*Node]*Node   // node → the function it sits in
	adj        map[string]size   // collection of lists filled through an index → total entries
	loopVars   scoped[size]      // loop variable → its loop's count (flow-insensitive)
	loopElems  scoped[size]      // loop variable → the size of the element it holds
	tokenVars  map[string]bool   // holds one input token (a word, a row)
	tokenLists map[string]bool   // holds the input's tokens
	declTypes  map[string]string // declared type text
	// vectorTypes are C++ type aliases of std::vector (typedef ... Mat)
	vectorTypes map[string]bool
	// outputs are collections only appended to and then printed
	outputs map[string]bool
	// worklists are the queues and stacks of worklist loops, with their count
	worklists map[string]bigo.Expr
	// createdAt: collections made afresh inside loops, with those loops
	createdAt map[string][]*Node
	params    map[string]bool
	busySize  map[string]bool

	totals   []res
	seen     map[*Node]bool
	fcache   map[*Node]*funcResult
	busy     map[*Node]bool
	traverse map[*Node]bool
	loopN    map[*Node]bigo.Expr // each loop's count, once evaluated
	space    res
}

// ctx is where an expression sits: its enclosing loops (innermost last) and
// function.
type ctx struct {
	loops   []*Node
	fn      *Node
	product bigo.Expr // product of enclosing loop counts
	comp    bigo.Expr // product of enclosing comprehension counts
	vars    map[string]loopVar
}

// loopVar is what a loop variable holds: an index up to the loop's count
// (value), or an element of the collection walked (length: a word's
// letters, a row's cells).
type loopVar struct {
	value  size
	length size
}

func (c ctx) inner(loop *Node, count bigo.Expr, vars map[string]loopVar) ctx {
	n := c
	n.loops = append(append([]*Node(nil), c.loops...), loop)
	n.product = bigo.Mul(c.product, count)
	if loop.Loop.Comprehension {
		n.comp = bigo.Mul(c.comp, count)
	}
	if len(vars) > 0 {
		n.vars = map[string]loopVar{}
		for k, v := range c.vars {
			n.vars[k] = v
		}
		for k, v := range vars {
			n.vars[k] = v
		}
	}
	return n
}

var digitsRe = regexp.MustCompile(`map\(\s*int\s*,\s*(str|repr)\(|int\(\w+\)\s+for\s+\w+\s+in\s+str\(|ord\(\w+\)\s*-\s*ord\(`)

// digitList: iterating it yields the digits of a number
// (list(map(int, str(n)))).
func (a *analyzer) digitList(iter string, fn *Node) bool {
	if digitsRe.MatchString(iter) {
		return true
	}
	base := baseIdent(iter)
	if strings.HasPrefix(strings.TrimSpace(iter), "enumerate(") {
		base = baseIdent(strings.TrimPrefix(strings.TrimSpace(iter), "enumerate("))
	}
	vals, _ := lookup(a, a.values, base, fn)
	for _, v := range vals {
		if digitsRe.MatchString(v) {
			return true
		}
	}
	return false
}

// loopVars says what each variable of loop n holds.
func (a *analyzer) loopVarsOf(n *Node, count size, cx ctx) map[string]loopVar {
	l := n.Loop
	if len(l.Vars) == 0 {
		return nil
	}
	out := map[string]loopVar{}
	it := parseSx(l.Iter)
	index := l.Style != "each" || it == nil || it.op == "range"
	if it != nil && it.op == "call" {
		if name, _ := calleeName(it); name == "range" || name == "xrange" {
			index = true
		}
		if name, _ := calleeName(it); name == "enumerate" && len(l.Vars) >= 2 {
			out[l.Vars[0]] = loopVar{value: count}
			el := elemOf(env{a: a, cx: cx}, it.kids[len(it.kids)-1])
			for _, v := range l.Vars[1:] {
				out[v] = loopVar{length: el}
				if a.digitList(l.Iter, cx.fn) {
					out[v] = loopVar{value: constSize}
				}
			}
			return out
		}
	}
	if index {
		for _, v := range l.Vars {
			out[v] = loopVar{value: count}
		}
		return out
	}
	if a.digitList(l.Iter, cx.fn) {
		for _, v := range l.Vars {
			out[v] = loopVar{value: constSize} // a digit
		}
		if len(l.Vars) == 2 && it != nil && it.op == "call" {
			if name, _ := calleeName(it); name == "enumerate" {
				out[l.Vars[0]] = loopVar{value: count}
			}
		}
		return out
	}
	el := elemOf(env{a: a, cx: cx}, it)
	if !el.known {
		if s := (env{a: a, cx: cx}).elemOfIter(it); s.known {
			el = s
		}
	}
	for _, v := range l.Vars {
		out[v] = loopVar{length: el}
	}
	return out
}

func newAnalyzer(lang string, root *Node, pc Context) *analyzer {
	a := &analyzer{root: root, lang: lang, pc: pc, main: pc.mainSize(), funcs: map[string]*Node{}, types: map[string]string{},
		consts: map[string]bool{}, litInit: map[string]bool{}, values: scoped[[]string]{}, lengths: scoped[size]{},
		elems: scoped[size]{}, adj: map[string]size{}, loopVars: scoped[size]{}, loopElems: scoped[size]{}, parent: map[*Node]*Node{}, fnOf: map[*Node]*Node{},
		tokenVars: map[string]bool{}, tokenLists: map[string]bool{}, declTypes: map[string]string{}, vectorTypes: map[string]bool{}, outputs: map[string]bool{}, worklists: map[string]bigo.Expr{}, createdAt: map[string][]*Node{}, params: map[string]bool{},
		busySize: map[string]bool{}, seen: map[*Node]bool{}, fcache: map[*Node]*funcResult{}, busy: map[*Node]bool{},
		traverse: map[*Node]bool{}, loopN: map[*Node]bigo.Expr{}}
	if lang == "cpp" {
		for _, m := range regexp.MustCompile(`typedef\s+(?:std::)?vector\s*<.*>\s+(\w+)\s*;|using\s+(\w+)\s*=\s*(?:std::)?vector\b`).FindAllStringSubmatch(root.Text, -1) {
			a.vectorTypes[m[1]+m[2]] = true
		}
	}
	assigned := map[string]int{}
	literal := map[string]int{}
	plain := map[string]int{}
	walkScoped([]*Node{root}, nil, func(n, fn *Node) {
		a.fnOf[n] = fn
		switch n.Kind {
		case KFunc:
			a.parent[n] = fn
			if n.Name != "" {
				if _, dup := a.funcs[n.Name]; !dup || n.Name != "main" {
					a.funcs[n.Name] = n
				}
			}
			for _, p := range n.Params {
				assigned[p] += 2 // parameters are never constants
				a.params[p] = true
			}
		case KAssign:
			for _, t := range n.Targets {
				assigned[t]++
				if n.Op == "=" && !n.Index && numericRe.MatchString(strings.TrimSpace(n.Value)) {
					literal[t]++
				}
				if n.Op == "=" && !n.Index || n.Op == ">>" {
					plain[t]++
				}
				if n.Type != "" && !n.Index {
					a.declTypes[t] = n.Type
				}
				if ty := typeOf(n.Type, n.Value); ty != "" && !n.Index {
					if _, ok := a.types[t]; !ok || n.Decl {
						a.types[t] = ty
					}
				}
				if n.Op == "=" && !n.Index && len(n.Targets) == 1 {
					addValue(a.values, t, fn, a.assignedValue(n))
				}
				if n.Op == ">>" { // cin >> n
					addValue(a.values, t, fn, "input()")
				}
			}
			if n.Op == "=" && !n.Index && len(n.Targets) > 1 {
				// a, b = x, y: pair the parts up when they split evenly.
				parts := splitTop(n.Value, ',')
				if len(parts) == len(n.Targets) {
					for i, t := range n.Targets {
						addValue(a.values, t, fn, strings.TrimSpace(parts[i]))
					}
				}
			}
		case KLoop:
			for _, v := range n.Loop.Vars {
				assigned[v] += 2
			}
		case KCall:
			// scanf("%d", &n), fmt.Scan(&n): written through a pointer,
			// with a value read from the input.
			for _, arg := range n.Args {
				for _, m := range addrRe.FindAllStringSubmatch(arg, -1) {
					assigned[m[1]] += 2
					addValue(a.values, m[1], fn, "input()")
				}
			}
		}
	})
	for v, k := range assigned {
		if literal[v] == k {
			a.consts[v] = true
		}
		if literal[v] > 0 && literal[v] == plain[v] {
			a.litInit[v] = true
		}
	}
	a.sizeCollections(root)
	return a
}

// assignedValue is the text an assignment gives its target; C++
// "vector<int> a(n)" constructs from its arguments.
func (a *analyzer) assignedValue(n *Node) string {
	v := strings.TrimSpace(n.Value)
	if strings.HasPrefix(v, "(") && a.vectorTypes[strings.TrimSpace(n.Type)] {
		return "std::vector<>" + v // typedef std::vector<std::vector<ll>> Mat; Mat c(n, ...)
	}
	if strings.HasPrefix(v, "(") && regexp.MustCompile(`vector|string|deque|bitset|valarray`).MatchString(n.Type) {
		return n.Type + v
	}
	if strings.HasPrefix(v, "{") && strings.Contains(n.Type, "vector") {
		return "[]" // vector<int> v{1, 2}: a literal
	}
	return v
}

// walkScoped visits every node with the function it sits in (nil at the
// top level).
func walkScoped(nodes []*Node, fn *Node, f func(n, fn *Node)) {
	for _, n := range nodes {
		if n == nil {
			continue
		}
		f(n, fn)
		inner := fn
		if n.Kind == KFunc {
			inner = n
		}
		walkScoped(n.CondKids, inner, f)
		walkScoped(n.Kids, inner, f)
	}
}

// scoped holds what is known of a name per function: a name is looked up
// in its function, then the enclosing ones, then the top level, and only
// when none of those knows it, in any function (a global filled in main).
type scoped[T any] map[string]map[*Node]T

func (s scoped[T]) at(id string, fn *Node) (T, bool) {
	v, ok := s[id][fn]
	return v, ok
}

func (s scoped[T]) set(id string, fn *Node, v T) {
	if s[id] == nil {
		s[id] = map[*Node]T{}
	}
	s[id][fn] = v
}

func addValue(s scoped[[]string], id string, fn *Node, v string) {
	s.set(id, fn, append(s[id][fn], v))
}

// lookup finds id from inside fn.
func lookup[T any](a *analyzer, s scoped[T], id string, fn *Node) (T, bool) {
	byFn := s[id]
	for f := fn; ; f = a.parent[f] {
		if v, ok := byFn[f]; ok {
			return v, true
		}
		if f == nil {
			break
		}
	}
	for _, v := range byFn {
		if len(byFn) == 1 {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// walkAll visits every node, function bodies included.
func walkAll(nodes []*Node, f func(*Node)) {
	for _, n := range nodes {
		if n == nil {
			continue
		}
		f(n)
		walkAll(n.CondKids, f)
		walkAll(n.Kids, f)
	}
}

var addrRe = regexp.MustCompile(`&\s*(?:mut\s+)?([A-Za-z_]\w*)`)

var numericRe = regexp.MustCompile(`^[-+(]*\d[\d_.eE]*[LlUu]*(\s*(\*\*|[-+*/%]|<<)\s*[(]*\d[\d_.eE]*[LlUu]*[)]*)*$`)

var (
	heapTypeRe  = regexp.MustCompile(`PriorityQueue|BinaryHeap|priority_queue|heapq|container/heap`)
	treeTypeRe  = regexp.MustCompile(`TreeMap|TreeSet|BTreeMap|BTreeSet|SortedList|SortedDict|SortedSet|(^|[^_a-z])(std::)?(multi)?(set|map)\s*<`)
	hashTypeRe  = regexp.MustCompile(`^\s*(set|dict|frozenset|Counter|defaultdict|OrderedDict)\(|^\s*\{|HashMap|HashSet|unordered_|new (Set|Map)\b|\bmap\[|LinkedHashMap|Object\.create|^\s*\{\s*\}`)
	dequeTypeRe = regexp.MustCompile(`deque|ArrayDeque|VecDeque|LinkedList|\bQueue\b|queue<|list<|stack<|Stack<`)
	builderRe   = regexp.MustCompile(`StringBuilder|StringBuffer|strings\.Builder|bytes\.Buffer`)
	stringRe    = regexp.MustCompile(`^\s*(String|string|std::string|str|&str)\s*$|^\s*(String|string|std::string)?\s*("|'|str\(|String::new|String::from)`)
	listRe      = regexp.MustCompile(`^\s*\[|\blist\(|\.split\(|\bsorted\(|ArrayList|List<|vector<|\bVec\b|vec!|\[\]|new Array|Array\(|Array\.from|\[\w*\]`)
)

// typeOf guesses what kind of container a variable holds from its declared
// type or its initial value.
func typeOf(typ, value string) string {
	s := typ + " " + value
	switch {
	case heapTypeRe.MatchString(s):
		return "heap"
	case treeTypeRe.MatchString(s):
		return "tree"
	case hashTypeRe.MatchString(s):
		return "hash"
	case dequeTypeRe.MatchString(s):
		return "deque"
	case builderRe.MatchString(s):
		return "builder"
	case stringRe.MatchString(s):
		return "string"
	case listRe.MatchString(s):
		return "list"
	}
	return ""
}

func (a *analyzer) entry(root *Node) res {
	switch a.lang {
	case "python", "javascript":
		return settle(a.eval(root, ctx{}))
	}
	if m := a.funcs["main"]; m != nil {
		return settle(a.eval(m.Body, ctx{fn: m}))
	}
	var out res
	for _, f := range a.funcs {
		out = seqRes(out, a.function(f).cost)
	}
	return out
}

func (a *analyzer) seq(ns []*Node, cx ctx) res {
	var out res
	for _, n := range ns {
		out = seqRes(out, a.eval(n, cx))
	}
	return out
}

func ev(n *Node, c bigo.Expr, tag, note string, args ...any) Evidence {
	return Evidence{Start: n.Start, End: n.End, Class: c, Tag: tag, Note: fmt.Sprintf(note, args...)}
}

func (a *analyzer) eval(n *Node, cx ctx) res {
	if n == nil {
		return res{}
	}
	switch n.Kind {
	case KFunc:
		return res{}
	case KBlock, KJump:
		return a.seq(n.Kids, cx)
	case KLoop:
		return a.loop(n, cx)
	case KIf:
		out := a.seq(n.CondKids, cx)
		for _, br := range n.Kids {
			out = seqRes(out, a.eval(br, cx))
		}
		return out
	case KCall:
		return a.call(n, cx)
	case KAssign:
		out := a.seq(n.Kids, cx)
		if len(cx.loops) == 0 && len(n.Targets) == 1 && a.tokenVars[n.Targets[0]] {
			// the input's one string, read whole: kept as long as it is used
			if l := a.length(n.Targets[0], cx.fn); l.known && !l.e.IsConst() {
				a.grow(res{c: l.e, ev: []Evidence{ev(n, l.e, TagAlloc, "keeps the input string %s (%s)", n.Targets[0], l.e.Pretty())}})
			}
		}
		if n.Index && len(cx.loops) > 0 {
			// rows kept in a table: c[i] = make([]int, n) in a loop
			for _, k := range n.Kids {
				if k.Kind == KAlloc {
					if sz := a.allocSize(k, cx); !sz.IsConst() {
						total := bigo.Mul(sz, cx.product)
						a.grow(res{c: total, ev: []Evidence{ev(n, total, TagAlloc, "stores %s rows of %s", cx.product.Pretty(), sz.Pretty())}})
					}
				}
			}
		}
		if a.isConcat(n, cx) {
			step := cx.product
			if step.IsConst() {
				step = a.main
			}
			c := res{c: step, ev: []Evidence{ev(n, step, TagConcat, "string concatenation copies the whole string: %s per step", step.Pretty())}}
			out = seqRes(out, c)
			a.grow(res{c: cx.product, ev: c.ev})
		}
		if (n.Op == "|=" || n.Op == "+=") && len(n.Targets) == 1 && a.mergesSmall(n.Value, cx) {
			out = seqRes(out, a.smallToLargeCost(n, n.Targets[0]))
		} else if n.Op == "|=" && (a.types[first(n.Targets)] == "hash" || a.types[first(n.Targets)] == "tree") {
			l := a.lenOf(n.Value, cx)
			out = seqRes(out, res{c: l, ev: []Evidence{ev(n, l, TagLinearOp, "set union adds every element: %s", l.Pretty())}})
		}
		if n.Index && a.types[first(n.Targets)] == "hash" && len(cx.loops) > 0 {
			total := cx.product
			if key := regexp.MustCompile(`\[(.*)\]`).FindStringSubmatch(leftOf(n.Text)); key != nil {
				if l := lengthOf(env{a: a, cx: cx}, parseSx(key[1])); l.known && !l.e.IsConst() {
					total = bigo.Mul(total, l.e) // string keys of that length
				}
			}
			a.grow(res{c: total, ev: []Evidence{ev(n, total, TagAlloc, "map %s grows inside the loop", first(n.Targets))}})
		}
		return out
	case KIn:
		out := a.seq(n.Kids, cx)
		recv := strings.TrimSpace(n.Recv)
		ty := a.types[baseIdent(recv)]
		if ty == "hash" || isLiteral(recv) || strings.HasPrefix(recv, "{") || strings.HasPrefix(recv, "set(") || strings.HasPrefix(recv, "range(") {
			return out
		}
		if ty == "tree" {
			return seqRes(out, res{c: bigo.LogOf(a.main), ev: []Evidence{ev(n, bigo.LogOf(a.main), TagLogOp, "membership in an ordered set: O(log n)")}})
		}
		l := a.lenOf(recv, cx)
		return seqRes(out, res{c: l, ev: []Evidence{ev(n, l, TagMembership, "`%s` scans a list: %s", clip(n.Text), l.Pretty())}})
	case KSlice:
		out := a.seq(n.Kids, cx)
		l := a.lenOf(n.Text, cx)
		if len(cx.loops) == 0 && !l.IsConst() {
			a.grow(res{c: l, ev: []Evidence{ev(n, l, TagAlloc, "slice %s is a copy of %s elements", clip(n.Text), l.Pretty())}})
		}
		return seqRes(out, res{c: l, ev: []Evidence{ev(n, l, TagLinearOp, "slice %s copies: %s", clip(n.Text), l.Pretty())}})
	case KAlloc:
		out := a.seq(n.Kids, cx)
		sz := a.allocSize(n, cx)
		if !sz.IsConst() {
			total := bigo.Mul(sz, cx.comp)
			a.grow(res{c: total, ev: []Evidence{ev(n, total, TagAlloc, "allocates %s", clip(n.Text))}})
			// Filling the allocation costs as much time as it takes space.
			out = seqRes(out, res{c: sz, ev: []Evidence{ev(n, sz, TagAlloc, "allocating %s takes %s", clip(n.Text), sz.Pretty())}})
		}
		return out
	}
	return a.seq(n.Kids, cx)
}

// loop is the cost of a loop: its count times its body, plus what the body
// amortises over the loop's whole run.
func (a *analyzer) loop(n *Node, cx ctx) res {
	l := n.Loop
	var once []*Node
	for _, k := range n.Kids[:len(n.Kids)-1] {
		if !slices.Contains(l.Each, k) {
			once = append(once, k)
		}
	}
	head := a.seq(once, cx)
	li := a.loopInfo(n, cx)
	a.loopN[n] = li.count
	vars := a.loopVarsOf(n, known(li.count), cx)
	inner := cx.inner(n, li.perParent(), vars)
	body := a.eval(l.Body, inner)
	step := a.seq(l.Each, inner)
	if l.Comprehension {
		comp := bigo.Mul(cx.comp, li.count)
		a.grow(res{c: comp, ev: []Evidence{ev(n, comp, TagAlloc, "comprehension builds a collection of %s elements", comp.Pretty())}})
	}
	per := seqRes(res{c: body.c, ev: body.ev}, res{c: step.c, ev: step.ev})
	total := res{c: bigo.Mul(li.count, per.c), ev: append(append([]Evidence(nil), li.ev...), per.ev...)}
	for _, x := range append(body.am, step.am...) {
		x = settle(x)
		ev := total.ev
		total = seqRes(total, x)
		if c, ok := bigo.Compare(x.c, total.c); ok && c == 0 && len(total.ev) == len(ev) {
			total.ev = append(total.ev, x.ev...) // as costly as the loop: say why it is not a product
		}
	}
	total.gl = append(total.gl, body.gl...)
	total.gl = append(total.gl, step.gl...)
	switch {
	case li.global:
		gl := total.gl
		total.gl = nil
		return seqRes(head, res{gl: append(gl, total)})
	case li.amortised:
		gl := total.gl
		total.gl = nil
		return seqRes(head, res{am: []res{total}, gl: gl})
	}
	return seqRes(head, total)
}

func (a *analyzer) grow(r res) {
	a.space = seqRes(a.space, r)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

var identRe = regexp.MustCompile(`[A-Za-z_]\w*`)

func baseIdent(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "&mut "), "&")
	s = strings.TrimPrefix(s, "self.")
	s = strings.TrimPrefix(s, "this.")
	return identRe.FindString(s)
}

func isLiteral(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, `"`) || strings.HasPrefix(s, `'`) || strings.HasPrefix(s, "(") && !identRe.MatchString(strings.Trim(s, `()'",`))
}

// ignored identifiers never carry the input size.
var ignored = map[string]bool{"True": true, "False": true, "None": true, "true": true, "false": true, "null": true,
	"undefined": true, "Math": true, "Integer": true, "Long": true, "System": true, "Infinity": true, "self": true,
	"this": true, "std": true, "NULL": true, "nullptr": true, "INT_MAX": true, "INT_MIN": true, "LLONG_MAX": true,
	"LLONG_MIN": true, "sizeof": true, "math": true, "sys": true, "inf": true, "INF": true, "MOD": true, "mod": true}

func (a *analyzer) constIdent(id string) bool {
	return a.consts[id] || ignored[id]
}

// isConcat reports a string built by repeated concatenation where the
// language copies the whole string each time (Java, Go, C++ s = s + x, and
// Python at module level: CPython 3.11+ appends in place only to function
// locals). JavaScript (ropes) makes += amortised O(1), and Rust's String +=
// appends in place.
func (a *analyzer) isConcat(n *Node, cx ctx) bool {
	if len(n.Targets) != 1 || n.Index || len(cx.loops) == 0 {
		return false
	}
	t := n.Targets[0]
	if a.types[t] != "string" {
		return false
	}
	selfPlus := n.Op == "=" && regexp.MustCompile(`^\s*`+regexp.QuoteMeta(t)+`\s*\+`).MatchString(n.Value)
	switch a.lang {
	case "java", "go":
		return n.Op == "+=" || selfPlus
	case "cpp":
		return selfPlus
	case "python":
		return cx.fn == nil && (n.Op == "+=" || selfPlus)
	case "rust":
		return n.Op == "=" && strings.Contains(n.Value, "format!") && strings.Contains(n.Value, t)
	}
	return false
}
