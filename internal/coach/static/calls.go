package static

import (
	"regexp"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// Library costs. Each standard library's calls are costed by what they do
// to the collection they get: a sort is L log L in the length L of what it
// sorts, a scan or copy is L, a heap or ordered-tree operation log n, a
// hash operation O(1). L comes from the sizer (the main size when it
// cannot be told).
var (
	sortNames = set{"sort": true, "sorted": true, "sort_unstable": true, "sort_by": true, "sort_by_key": true,
		"sort_unstable_by": true, "sort_unstable_by_key": true, "stable_sort": true, "qsort": true, "sort_by_cached_key": true,
		"SortFunc": true, "SortStableFunc": true, "partial_sort": true, "nlargest": true, "nsmallest": true, "toSorted": true}
	goSortNames = set{"Sort": true, "Ints": true, "Strings": true, "Float64s": true, "Slice": true, "SliceStable": true, "Stable": true}
	binSearch   = set{"bisect": true, "bisect_left": true, "bisect_right": true, "lower_bound": true, "upper_bound": true,
		"binary_search": true, "binarySearch": true, "BinarySearch": true, "Search": true, "SearchInts": true, "partition_point": true,
		"equal_range": true, "binary_search_by": true, "binary_search_by_key": true, "BinarySearchFunc": true}
	heapFree = set{"heappush": true, "heappop": true, "heappushpop": true, "heapreplace": true, "push_heap": true, "pop_heap": true}
	heapOps  = set{"push": true, "pop": true, "add": true, "offer": true, "poll": true, "remove": true, "Push": true, "Pop": true,
		"emplace": true}
	treeOps = set{"insert": true, "find": true, "count": true, "erase": true, "get": true, "put": true, "contains": true,
		"containsKey": true, "remove": true, "add": true, "floorKey": true, "ceilingKey": true, "floor": true, "ceiling": true,
		"lower_bound": true, "upper_bound": true, "contains_key": true, "range": true, "higher": true, "lower": true,
		"firstKey": true, "lastKey": true, "pollFirst": true, "pollLast": true, "first": true, "last": true, "emplace": true,
		"bisect_left": true, "bisect_right": true, "discard": true, "pop_first": true, "pop_last": true, "headMap": true,
		"tailMap": true, "merge": true, "entry": true, "irange": true, "index": true}
	// linear in the length of the receiver or first argument, whatever it is
	linearNames = set{"sum": true, "reversed": true, "any": true, "all": true, "join": true, "extend": true, "copy": true,
		"accumulate": true, "max_element": true, "min_element": true, "reverse": true, "fill": true, "memset": true,
		"memcpy": true, "strlen": true, "strcpy": true, "strcat": true, "to_vec": true, "collect": true, "split": true,
		"readlines": true, "list": true, "tuple": true, "set": true, "frozenset": true, "dict": true, "Counter": true,
		"arraycopy": true, "copyOf": true, "copyOfRange": true, "toCharArray": true, "substring": true, "substr": true,
		"slice": true, "concat": true, "splice": true, "shift": true, "unshift": true, "from": true, "Repeat": true,
		"Fields": true, "Split": true, "Join": true, "deepcopy": true, "product": true, "fold": true, "asList": true,
		"nth": true, "unique": true, "heapify": true, "make_heap": true, "Init": true, "Reverse": true, "Max": true, "Min": true,
		"new Set": true, "new Map": true, "new HashSet": true, "new ArrayList": true, "new TreeSet": true, "Fill": true,
		"clone": true, "to_string": true, "to_owned": true, "repeat": true, "replace": true, "replaceAll": true,
		"iota": true, "bytearray": true, "bytes": true, "deque": true, "Clone": true, "Copy": true, "copy_from_slice": true,
		"clone_from_slice": true, "extend_from_slice": true, "toString": true, "valueOf": true, "String": true,
		"Sum": true, "maxOf": true, "minOf": true, "toList": true, "toArray": true, "count_ones": false, "rotate": true,
		"rotate_left": true, "rotate_right": true, "fill_n": true, "assign": true, "resize": true, "new Array": true,
		"strings.Repeat": true, "TrimSpace": false, "next_permutation": true, "translate": true, "lower": true, "upper": true,
		"strip": false, "zfill": true, "ljust": true, "rjust": true, "center": true, "startswith": false, "endswith": false}
	// linear on lists and strings, O(1) on hash containers, O(log n) on trees
	searchNames = set{"contains": true, "includes": true, "indexOf": true, "lastIndexOf": true, "index": true,
		"count": true, "find": true, "remove": true, "insert": true, "position": true, "Contains": true, "Index": true,
		"retain": true, "erase": true, "findIndex": true, "rfind": true, "rindex": true, "IndexOf": true, "Count": true,
		"LastIndex": true, "contains_key": false, "strstr": true, "find_first_of": true}
	pyBuiltins = set{"set": true, "list": true, "tuple": true, "dict": true, "frozenset": true, "sum": true, "any": true,
		"all": true, "reversed": true, "Counter": true}
	// run a callback once per element
	iterNames = set{"forEach": true, "map": true, "filter": true, "reduce": true, "some": true, "every": true, "flatMap": true,
		"for_each": true, "find": false, "findIndex": false}
	growNames = set{"append": true, "push": true, "push_back": true, "emplace_back": true, "add": true, "put": true,
		"push_str": true, "appendleft": true, "offer": true, "insert": true, "setdefault": true, "set": true, "Push": true,
		"addLast": true, "addFirst": true, "push_front": true, "offerLast": true, "offerFirst": true, "emplace": true,
		"heappush": true, "unshift": true}
	// O(1) on a deque whatever the name suggests
	dequeOps = set{"popleft": true, "appendleft": true, "pop_front": true, "push_front": true, "poll": true, "pollFirst": true,
		"pollLast": true, "offer": true, "offerFirst": true, "offerLast": true, "addFirst": true, "addLast": true,
		"removeFirst": true, "removeLast": true, "peek": true, "peekFirst": true, "peekLast": true, "shift": false}
	gcdNames = set{"gcd": true, "__gcd": true, "Gcd": true, "GCD": true, "lcm": true}
)

func (a *analyzer) call(n *Node, cx ctx) res {
	// Arguments first; an anonymous function among them is a callback whose
	// body runs inside the call.
	var args, callback res
	for _, k := range n.Kids {
		if k.Kind == KFunc && k.Name == "" {
			callback = seqRes(callback, settle(a.eval(k.Body, cx)))
			continue
		}
		args = seqRes(args, a.eval(k, cx))
	}
	// A function passed by name (Thread(target=main), arr.map(f)) runs
	// inside the call.
	for _, arg := range n.Args {
		arg = strings.TrimSpace(arg)
		if i := strings.Index(arg, "="); i > 0 && !strings.Contains(arg, "==") {
			arg = strings.TrimSpace(arg[i+1:]) // target=main
		}
		if f := a.funcs[arg]; f != nil && f != cx.fn && !a.busy[f] {
			fr := a.function(f)
			if fr.total {
				if !a.seen[f] {
					a.seen[f] = true
					a.totals = append(a.totals, fr.cost)
				}
				continue
			}
			callback = seqRes(callback, fr.cost)
		}
	}
	name := n.Name
	if name == "join" && len(n.Args) == 0 {
		return seqRes(args, callback) // a thread's join, not a string's
	}
	recv := strings.TrimSpace(n.Recv)
	if f := a.funcs[name]; f != nil && (recv == "" || recv == "self" || recv == "this" || recv == "Self") {
		if cx.fn == f || a.busy[f] {
			return seqRes(args, callback) // recursion is costed by function()
		}
		fr := a.function(f)
		if fr.total {
			if !a.seen[f] {
				a.seen[f] = true
				a.totals = append(a.totals, fr.cost)
			}
			return seqRes(args, callback)
		}
		c := fr.cost
		if len(c.ev) > 0 || !c.c.IsConst() {
			c.ev = append([]Evidence{ev(n, c.c, TagCall, "call to %s costs %s", name, c.c.Pretty())}, c.ev...)
		}
		return seqRes(seqRes(args, callback), c)
	}
	if name == "malloc" || name == "calloc" || name == "realloc" {
		if l := lengthOf(env{a: a, cx: cx}, parseSx(n.Text)); l.known && !l.e.IsConst() {
			total := bigo.Mul(l.e, cx.product)
			a.grow(res{c: total, ev: []Evidence{ev(n, total, TagAlloc, "allocates %s", clip(n.Text))}})
			if name == "calloc" { // zeroes what it allocates
				return seqRes(seqRes(args, callback), res{c: l.e, ev: []Evidence{ev(n, l.e, TagAlloc, "calloc zeroes %s cells", l.e.Pretty())}})
			}
		}
	}
	if growNames[name] && len(cx.loops) > 0 && !a.outputs[baseIdent(recv)] {
		a.grow(res{c: cx.product, ev: []Evidence{ev(n, cx.product, TagAlloc, "%s grows inside the loop", clip(n.Text))}})
	}
	out := seqRes(args, callback)
	if iterNames[name] && a.lang != "rust" && a.lang != "java" || (iterNames[name] && callback.c.IsConst() == false) {
		l := a.lenOf(recv, cx)
		if recv == "" && len(n.Args) > 1 {
			l = a.lenOf(n.Args[len(n.Args)-1], cx)
		}
		c := bigo.Mul(l, callback.c)
		return seqRes(args, res{c: c, ev: append([]Evidence{ev(n, l, TagLoop, "%s runs its callback once per element", name)}, callback.ev...)})
	}
	if mergeNames[name] && a.lang != "" {
		from := recv
		if len(n.Args) > 0 {
			from = n.Args[0]
		}
		if a.mergesSmall(from, cx) || a.mergesSmall(recv, cx) {
			return seqRes(out, a.smallToLargeCost(n, recv))
		}
	}
	own, tag, note := a.libCost(n, recv, cx)
	if tag == TagSort && !callback.c.IsConst() { // sort with a costly comparator
		own = bigo.Mul(own, callback.c)
	}
	if !own.IsConst() {
		out = seqRes(out, res{c: own, ev: []Evidence{ev(n, own, tag, "%s", note)}})
		if (tag == TagLinearOp || tag == TagSort) && linearNames[name] && len(cx.loops) == 0 {
			l := a.argLen(n, recv, cx)
			if len(n.Args) > 0 {
				// a collection of strings holds their characters too
				if el := elemOfValue(env{a: a, cx: cx}, parseSx(n.Args[0])); el.known && !el.e.IsConst() {
					l = bigo.Mul(l, el.e)
				}
			}
			a.grow(res{c: l, ev: []Evidence{ev(n, l, TagAlloc, "%s builds a collection of %s elements", clip(n.Text), l.Pretty())}})
		}
	}
	return out
}

// mergeNames add a whole collection to another.
var mergeNames = set{"insert": true, "update": true, "addAll": true, "extend": true, "merge": true, "putAll": true}

// smallToLargeCost is a merge of the smaller collection into the larger:
// O(n log n) element moves over the whole program, each costing an insert
// (log n into an ordered set).
func (a *analyzer) smallToLargeCost(n *Node, recv string) res {
	total := bigo.Mul(a.main, bigo.LogOf(a.main))
	if a.types[baseIdent(recv)] == "tree" || strings.Contains(a.declType(baseIdent(recv)), "set<") {
		total = bigo.Mul(total, bigo.LogOf(a.main))
	}
	return res{gl: []res{{c: total, ev: []Evidence{ev(n, total, TagSmallToLarge,
		"merges the smaller collection into the larger: each element moves O(log n) times, %s in total", total.Pretty())}}}}
}

// declType is the declared type text of a variable, if any.
func (a *analyzer) declType(id string) string { return a.declTypes[id] }

// argLen is the length of what a library call works on: its receiver, or
// its first argument for a free function (sort(a.begin(), a.end()) and
// sort(a, a + n) included).
func (a *analyzer) argLen(n *Node, recv string, cx ctx) bigo.Expr {
	e := env{a: a, cx: cx}
	args := n.Args
	if len(args) >= 2 && (a.lang == "c" || a.lang == "cpp") {
		// sort(a.begin(), a.end()), sort(a, a + n), qsort(a, n, ...)
		if x := parseSx(args[0]); x != nil && x.op == "call" {
			if name, r := calleeName(x); (name == "begin" || name == "rbegin" || name == "cbegin") && r != nil {
				if s := lengthOf(e, r); s.known {
					return s.e
				}
			}
		}
		if n.Name == "qsort" {
			return a.valueIn(args[1], cx)
		}
		if x := parseSx(args[1]); x != nil && x.op == "bin" && x.text == "+" {
			if s := valueOf(e, x.kids[1]); s.known {
				return s.e
			}
		}
	}
	if recv != "" && !isModule(recv) {
		return a.lenOf(recv, cx)
	}
	if len(args) > 0 {
		return a.lenOf(args[0], cx)
	}
	return a.main
}

// isModule: the receiver names a package or class, not a collection
// (Arrays.sort(a), sort.Ints(a), Collections.sort(list), heapq.heappush).
func isModule(recv string) bool {
	switch recv {
	case "Arrays", "Collections", "sort", "slices", "heapq", "bisect", "std", "math", "strings", "Math", "Array", "Object",
		"String", "Integer", "Long", "itertools", "functools", "copy", "sys", "heap", "bytes", "List", "Set", "Map", "Vec",
		"collections", "Character", "Stream", "IntStream", "sorted", "ranges", "std::ranges", "cmp", "str", "utf8":
		return true
	}
	return false
}

// libCost is the cost of one call to a library function.
func (a *analyzer) libCost(n *Node, recv string, cx ctx) (bigo.Expr, string, string) {
	name := n.Name
	ty := a.types[baseIdent(recv)]
	if recv == "" && len(n.Args) > 0 && (heapFree[name] || name == "insort" || name == "insort_left" || name == "insort_right") {
		ty = a.types[baseIdent(n.Args[0])]
	}
	lit := isLiteral(recv)
	text := clip(n.Text)
	logn := bigo.LogOf(a.main)
	switch {
	case sortNames[name] && !(a.lang == "javascript" && name == "toSorted" && recv == ""), goSortNames[name] && (recv == "sort" || recv == "slices"):
		l := a.argLen(n, recv, cx)
		c := bigo.Mul(l, bigo.LogOf(l))
		return c, TagSort, text + " sorts: " + c.Pretty()
	case (name == "sort" || name == "Sort") && a.lang == "go" && recv == "sort":
		l := a.argLen(n, recv, cx)
		c := bigo.Mul(l, bigo.LogOf(l))
		return c, TagSort, text + " sorts: " + c.Pretty()
	case name == "Search" && recv == "sort" && len(n.Args) > 0:
		c := bigo.LogOf(a.valueIn(n.Args[0], cx))
		return c, TagLogOp, text + " is a binary search: " + c.Pretty()
	case binSearch[name] && !(ty == "tree"):
		c := bigo.LogOf(a.argLen(n, recv, cx))
		return c, TagLogOp, text + " is a binary search: " + c.Pretty()
	case heapFree[name] || (ty == "heap" && heapOps[name]) || (recv == "heap" && (name == "Push" || name == "Pop" || name == "Fix")):
		return logn, TagHeap, text + " is a heap operation: " + logn.Pretty()
	case ty == "tree" && treeOps[name]:
		return logn, TagLogOp, text + " on an ordered tree: " + logn.Pretty()
	case (ty == "hash") && (searchNames[name] || growNames[name] || name == "get" || name == "has" || name == "delete" || name == "containsKey"):
		return bigo.One(), "", ""
	case ty == "deque" && dequeOps[name]:
		return bigo.One(), "", ""
	case gcdNames[name]:
		if vb := (env{a: a}).valueBound(); vb.known {
			c := bigo.LogOf(vb.e)
			return c, TagLogOp, text + " (Euclid's algorithm): " + c.Pretty()
		}
		return bigo.One(), "", ""
	case name == "pow" && len(n.Args) == 3:
		v := valueOf(env{a: a, cx: cx}, parseSx(n.Args[1]))
		if v.known && v.e.IsConst() {
			return bigo.One(), "", "" // pow(2, M - 2, M): a fixed exponent
		}
		c := a.logRange(v)
		return c, TagLogOp, text + " is fast exponentiation: " + c.Pretty()
	case name == "insort" || name == "insort_left" || name == "insort_right":
		l := a.argLen(n, "", cx)
		return l, TagLinearOp, text + " shifts list elements: " + l.Pretty()
	case (name == "max" || name == "min") && recv == "" && len(n.Args) >= 1 && !isLiteral(n.Args[0]) && (len(n.Args) == 1 || strings.HasPrefix(strings.TrimSpace(n.Args[1]), "key")):
		if x := parseSx(n.Args[0]); x != nil && (x.op == "id" || x.op == "call" || x.op == "comp" || x.op == "slice") {
			if x.op == "id" && !a.collection(x.text) {
				return bigo.One(), "", ""
			}
			l := a.lenOf(n.Args[0], cx)
			return l, TagLinearOp, text + " scans every element: " + l.Pretty()
		}
	case (name == "max" || name == "min" || name == "sum" || name == "count") && strings.Contains(recv, "iter"):
		l := a.lenOf(recv, cx)
		return l, TagLinearOp, text + " consumes an iterator: " + l.Pretty()
	case name == "pop" && len(n.Args) == 1 && strings.TrimSpace(n.Args[0]) == "0" && a.lang == "python" && ty != "deque":
		l := a.lenOf(recv, cx)
		return l, TagLinearOp, text + " shifts every element: " + l.Pretty()
	case name == "insert" && len(n.Args) == 2 && strings.TrimSpace(n.Args[0]) == "0" && (a.lang == "python" || a.lang == "rust") && ty != "deque":
		l := a.lenOf(recv, cx)
		return l, TagLinearOp, text + " shifts every element: " + l.Pretty()
	case (name == "remove" || name == "add") && len(n.Args) == 1 && strings.TrimSpace(n.Args[0]) == "0" && a.lang == "java" && ty == "list":
		l := a.lenOf(recv, cx)
		return l, TagLinearOp, text + " shifts every element: " + l.Pretty()
	case (name == "shift" || name == "unshift") && a.lang == "javascript":
		l := a.lenOf(recv, cx)
		return l, TagLinearOp, text + " moves every element: " + l.Pretty()
	case (name == "count" || name == "find") && (a.lang == "cpp" || a.lang == "c") && len(n.Args) == 3:
		l := a.argLen(n, "", cx)
		return l, TagMembership, text + " scans a range: " + l.Pretty()
	case searchNames[name] && !lit && ty != "hash" && ty != "tree" && ty != "heap" && ty != "builder" && recv != "" && !isModule(recv) &&
		!(name == "insert" && ty != "list") && !(name == "remove" && ty != "list" && ty != "string") && !(name == "count" && ty == "") &&
		!(name == "find" && ty == "" && a.lang != "python") && !(name == "erase" && ty != "list" && ty != "string"):
		l := a.lenOf(recv, cx)
		tag := TagMembership
		if ty == "string" {
			tag = TagLinearOp
		}
		return l, tag, text + " searches element by element: " + l.Pretty()
	case pyBuiltins[name] && recv != "":
		return bigo.One(), "", "" // m.set(k, v), s.add(...): methods, not Python's builtins
	case name == "strlen" || (name == "length" && a.lang == "c"):
		l := a.argLen(n, "", cx)
		return l, TagLinearOp, text + " counts the characters: " + l.Pretty()
	case linearNames[name] && (len(n.Args) > 0 || recv != "" || name == "list") && ty != "builder" && !(name == "split" && a.lang == "javascript" && lit):
		switch {
		case (name == "set" || name == "list" || name == "tuple" || name == "dict" || name == "frozenset" || name == "deque" ||
			name == "bytearray" || name == "Counter") && len(n.Args) == 0:
			return bigo.One(), "", ""
		case strings.HasPrefix(name, "new ") && len(n.Args) == 0:
			return bigo.One(), "", ""
		case name == "from" && recv != "Array":
			return bigo.One(), "", ""
		case (name == "Max" || name == "Min" || name == "Reverse" || name == "Fill") && recv != "slices":
			return bigo.One(), "", ""
		case (name == "toString" || name == "valueOf" || name == "String" || name == "to_string") && !a.collectionText(recv, n.Args):
			return bigo.One(), "", "" // a number's text
		case name == "clone" && a.lang == "rust" && !a.collectionText(recv, nil):
			return bigo.One(), "", ""
		case (name == "fill" || name == "resize" || name == "assign") && a.lang == "cpp" && len(n.Args) >= 2:
			l := a.argLen(n, recv, cx)
			return l, TagLinearOp, text + " touches every element: " + l.Pretty()
		case name == "join" && a.lang == "python" && len(n.Args) == 1:
			l := a.lenOf(n.Args[0], cx)
			return l, TagLinearOp, text + " touches every element: " + l.Pretty()
		case name == "new ArrayList" || name == "new HashSet" || name == "new TreeSet" || name == "new Set" || name == "new Map":
			if !a.collectionText("", n.Args) {
				return bigo.One(), "", "" // a capacity, not a copy
			}
		}
		l := a.argLen(n, recv, cx)
		return l, TagLinearOp, text + " touches every element: " + l.Pretty()
	}
	return bigo.One(), "", ""
}

// collection reports whether id names a collection rather than a number.
func (a *analyzer) collection(id string) bool {
	if a.types[id] != "" {
		return true
	}
	for _, s := range a.lengths[id] {
		if s.known {
			return true
		}
	}
	_, adj := a.adj[id]
	return adj || a.tokens(id)
}

func (a *analyzer) collectionText(recv string, args []string) bool {
	if recv != "" && a.collection(baseIdent(recv)) && !strings.Contains(recv, "[") {
		return true
	}
	for _, x := range args {
		if a.collection(baseIdent(x)) && !strings.Contains(x, "[") {
			return true
		}
	}
	return false
}

var memoNameRe = regexp.MustCompile(`(?i)memo|cache|dp|seen|visited|table`)

var halvingArgRe = regexp.MustCompile(`(//|/|>>>?)\s*2\b|\[\s*:\s*\w|\[\s*\w+\s*:\s*\]|\.\.\s*\w+\s*\]|\[\s*\w+\s*\.\.`)

// function analyses one function definition, including its recursion.
func (a *analyzer) function(f *Node) *funcResult {
	if fr := a.fcache[f]; fr != nil {
		return fr
	}
	if a.busy[f] {
		return &funcResult{}
	}
	a.busy[f] = true
	defer delete(a.busy, f)
	calls := selfCalls(f.Body, f.Name)
	k := countSelf(f.Body, f.Name)
	if k > 0 && a.traversal(f) {
		a.traverse[f] = true
	}
	raw := a.eval(f.Body, ctx{fn: f})
	body := res{c: raw.c, ev: raw.ev}
	fr := &funcResult{cost: settle(raw)}
	if k == 0 {
		a.fcache[f] = fr
		return fr
	}
	mids := map[string]bool{}
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind == KAssign && halvingValRe.MatchString(x.Value) {
			for _, t := range x.Targets {
				mids[t] = true
			}
		}
	})
	halving := false
	for _, c := range calls {
		for _, arg := range c.Args {
			if halvingArgRe.MatchString(arg) {
				halving = true
			}
			for _, id := range identRe.FindAllString(arg, -1) {
				if mids[id] {
					halving = true
				}
			}
		}
	}
	lines := ev(f, bigo.One(), TagRecursion, "")
	span := a.paramSpan(f, calls)
	switch {
	case a.unionFindRecursion(f, calls):
		fr.cost = res{c: body.c, ev: append([]Evidence{withNote(lines, bigo.One(), TagUnionFind,
			"%s compresses the path as it returns: amortised O(α(n)), effectively constant", f.Name)}, body.ev...)}
		fr.depth = bigo.One()
	case a.memoized(f):
		states := a.memoStates(f, calls)
		c := bigo.Mul(states, body.c)
		fr.total = true
		fr.depth = span
		fr.cost = res{c: c, ev: append([]Evidence{withNote(lines, c, TagMemo,
			"memoized recursion %s: each of %s states is computed once", f.Name, states.Pretty())}, body.ev...)}
	case a.traverse[f]:
		vertices := a.traversalVertices(f)
		c := bigo.Mul(vertices, body.c)
		total := res{c: c, ev: append([]Evidence{withNote(lines, vertices, TagTraversal,
			"%s visits each vertex once (depth-first search): %s calls", f.Name, vertices.Pretty())}, body.ev...)}
		for _, x := range raw.am {
			total = seqRes(total, settle(x))
		}
		fr.cost, fr.total, fr.depth = total, true, vertices
	case halving && k >= 2 && a.pruned(f, calls):
		c := bigo.Mul(a.logRange(known(span)), body.c)
		fr.depth = bigo.LogOf(span)
		fr.cost = res{c: c, ev: append([]Evidence{withNote(lines, c, TagHalving,
			"%s answers a range query on a tree of halves: O(log n) nodes per level stay partial, %s", f.Name, c.Pretty())}, body.ev...)}
	case halving && k >= 2:
		fr.depth = bigo.LogOf(span)
		c := span
		if !body.c.IsConst() {
			c = bigo.Mul(body.c, bigo.LogOf(span))
		}
		fr.cost = res{c: c, ev: append([]Evidence{withNote(lines, c, TagDivide,
			"%s splits its input in halves %d ways: %s", f.Name, k, c.Pretty())}, body.ev...)}
	case halving:
		fr.depth = bigo.LogOf(span)
		c := bigo.Mul(bigo.LogOf(span), body.c)
		if !body.c.IsConst() {
			c = body.c // the halves shrink geometrically: the first dominates
		}
		fr.cost = res{c: c, ev: append([]Evidence{withNote(lines, c, TagHalving,
			"%s recurses on half of its input: %s", f.Name, c.Pretty())}, body.ev...)}
	case k >= 2:
		fr.depth = span
		v := a.pc.primary()
		if vs := span.Vars(); len(vs) > 0 {
			v = vs[0]
		}
		c := bigo.ExpVar(v)
		fr.cost = res{c: c, ev: append([]Evidence{withNote(lines, c, TagExpRecursion,
			"%s calls itself %d times per call without memoization: %s", f.Name, k, c.Pretty())}, body.ev...)}
	default:
		fr.depth = span
		c := bigo.Mul(span, body.c)
		fr.cost = res{c: c, ev: append([]Evidence{withNote(lines, c, TagRecursion,
			"%s recurses to depth %s", f.Name, span.Pretty())}, body.ev...)}
	}
	if !fr.depth.IsConst() {
		a.grow(res{c: fr.depth, ev: []Evidence{withNote(lines, fr.depth, TagRecursion, "recursion depth of %s: %s stack", f.Name, fr.depth.Pretty())}})
	}
	a.fcache[f] = fr
	return fr
}

func withNote(e Evidence, c bigo.Expr, tag, note string, args ...any) Evidence {
	e.Class = c
	e.Tag = tag
	n := ev(&Node{}, c, tag, note, args...)
	e.Note = n.Note
	return e
}

func isSelf(x *Node, name string) bool {
	r := strings.TrimSpace(x.Recv)
	return x.Kind == KCall && x.Name == name && name != "" && (r == "" || r == "self" || r == "this" || r == "Self")
}

func selfCalls(body *Node, name string) []*Node {
	var out []*Node
	walkIR([]*Node{body}, func(x *Node) {
		if isSelf(x, name) {
			out = append(out, x)
		}
	})
	return out
}

// countSelf is the largest number of self-calls on one path through the
// body: branches of an if count as alternatives, not as a sum; a self-call
// inside a loop counts twice (it may run many times).
func countSelf(n *Node, name string) int {
	if n == nil || n.Kind == KFunc {
		return 0
	}
	total := 0
	for _, k := range n.CondKids {
		total += countSelf(k, name)
	}
	if n.Kind == KIf {
		best := 0
		for _, br := range n.Kids {
			best = max(best, countSelf(br, name))
		}
		return total + best
	}
	if isSelf(n, name) {
		total++
	}
	for _, k := range n.Kids {
		total += countSelf(k, name)
	}
	if n.Kind == KLoop && total > 0 {
		total = max(total, 2)
	}
	return total
}

// traversal: f calls itself inside a loop over one vertex's neighbours (a
// recursive DFS over adjacency lists or a tree's children).
func (a *analyzer) traversal(f *Node) bool {
	found := false
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind != KLoop || found {
			return
		}
		if _, _, ok := a.adjacencyOf(x); !ok {
			return
		}
		walkIR([]*Node{x.Loop.Body}, func(y *Node) {
			if isSelf(y, f.Name) {
				found = true
			}
		})
	})
	return found
}

// traversalVertices is how many vertices a traversal visits: the size of
// the adjacency structure it walks.
func (a *analyzer) traversalVertices(f *Node) bigo.Expr {
	var out bigo.Expr
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind != KLoop || !out.IsConst() {
			return
		}
		if name, _, ok := a.adjacencyOf(x); ok {
			if s := a.length(name, f); s.known && !s.e.IsConst() {
				out = s.e
			} else if head := a.headArray(x); head != "" {
				if s := a.length(head, f); s.known {
					out = s.e
				}
			}
		}
	})
	if out.IsConst() {
		return a.main
	}
	return out
}

// unionFindRecursion: find(x) that returns find(parent[x]) and stores it
// back into parent[x] (path compression).
func (a *analyzer) unionFindRecursion(f *Node, calls []*Node) bool {
	if len(calls) != 1 || len(calls[0].Args) != 1 {
		return false
	}
	arr := baseIdent(calls[0].Args[0])
	if arr == "" || !strings.Contains(calls[0].Args[0], "[") {
		return false
	}
	stored := false
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind == KAssign && x.Index && contains(x.Targets, arr) && strings.Contains(x.Value, f.Name) {
			stored = true
		}
	})
	return stored
}

// pruned: a recursion on halves that returns early when the node's range
// misses or lies inside the query (segment-tree queries and updates):
// only O(log n) nodes per level are entered.
func (a *analyzer) pruned(f *Node, calls []*Node) bool {
	params := minus(f.Params, []string{"self"})
	unchanged := map[string]bool{}
	for i, p := range params {
		same := true
		for _, c := range calls {
			if i >= len(c.Args) || strings.TrimSpace(c.Args[i]) != p {
				same = false
			}
		}
		if same {
			unchanged[p] = true
		}
	}
	guarded := false
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind != KIf {
			return
		}
		usesQuery := false
		for _, id := range x.CondIdents {
			if unchanged[id] {
				usesQuery = true
			}
		}
		if !usesQuery {
			return
		}
		// The query bounds guard a return, or guard the recursive calls.
		for _, br := range x.Kids {
			if jumpsOut(br) || len(selfCalls(br, f.Name)) > 0 {
				guarded = true
			}
		}
	})
	return guarded
}

// paramSpan is how far a recursion's parameters range: the sizes passed
// in from outside and the sizes its base cases compare with.
func (a *analyzer) paramSpan(f *Node, calls []*Node) bigo.Expr {
	sizes := a.paramSizes(f, calls)
	var ss []size
	for _, s := range sizes {
		ss = append(ss, s)
	}
	if s := addSizes(ss...); s.known && !s.e.IsConst() {
		return s.e
	}
	return a.main
}

// paramSizes sizes each varying parameter of a recursive function.
func (a *analyzer) paramSizes(f *Node, calls []*Node) map[string]size {
	params := minus(f.Params, []string{"self"})
	out := map[string]size{}
	e := env{a: a}
	for i, p := range params {
		varies := false
		for _, c := range calls {
			if i < len(c.Args) && strings.TrimSpace(c.Args[i]) != p {
				varies = true
			}
		}
		if !varies {
			continue
		}
		var ss []size
		// external calls: f(n, k), f(0, len(a))
		walkAll([]*Node{{Kids: a.rootsExcept(f)}}, func(x *Node) {
			if x.Kind == KCall && x.Name == f.Name && i < len(x.Args) {
				if s := valueOf(e, parseSx(x.Args[i])); s.known {
					ss = append(ss, s)
				}
			}
		})
		// base cases: if i == n, if j >= len(s)
		walkIR([]*Node{f.Body}, func(x *Node) {
			if x.Kind != KIf || !contains(x.CondIdents, p) {
				return
			}
			for _, part := range regexp.MustCompile(`\s*(?:==|>=|<=|<|>|&&|\|\||\band\b|\bor\b)\s*`).Split(x.CondText, -1) {
				if strings.Contains(part, p) {
					continue
				}
				if s := valueOf(e, parseSx(part)); s.known && !s.e.IsConst() {
					ss = append(ss, s)
				}
			}
		})
		s := addSizes(ss...)
		if !s.known || s.e.IsConst() {
			s = known(a.main)
		}
		out[p] = s
	}
	return out
}

// rootsExcept lists every function body and top-level statement but f's.
func (a *analyzer) rootsExcept(f *Node) []*Node {
	var out []*Node
	for _, g := range a.funcs {
		if g != f {
			out = append(out, g.Body)
		}
	}
	return out
}

// memoStates is how many distinct states a memoised function computes:
// the cells of its table when the table's size is known, else the
// product of its varying parameters' ranges.
func (a *analyzer) memoStates(f *Node, calls []*Node) bigo.Expr {
	if t := a.memoTable(f); t != "" {
		if l := a.length(t, f); l.known && !l.e.IsConst() {
			if el := a.elem(t, f); el.known && !el.e.IsConst() {
				return bigo.Mul(l.e, el.e)
			}
			return l.e
		}
	}
	out := bigo.One()
	for _, s := range a.paramSizes(f, calls) {
		out = bigo.Mul(out, s.e)
	}
	if out.IsConst() {
		return a.main
	}
	return out
}

// memoTable names the container a memoised function both tests and fills.
func (a *analyzer) memoTable(f *Node) string {
	filled := a.filledIn(f)
	var out string
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind == KIf && out == "" {
			for _, id := range identRe.FindAllString(x.CondText, -1) {
				if filled[id] {
					out = id
				}
			}
		}
	})
	return out
}

func (a *analyzer) filledIn(f *Node) map[string]bool {
	filled := map[string]bool{}
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind == KAssign && x.Index {
			for _, t := range x.Targets {
				filled[t] = true
			}
		}
		if x.Kind == KCall && (x.Name == "put" || x.Name == "insert" || x.Name == "set" || x.Name == "setdefault" || x.Name == "entry") {
			filled[baseIdent(x.Recv)] = true
		}
	})
	return filled
}

// memoized: decorated with a cache, or the body both consults and fills
// the same container (memo[n] = ...; if n in memo / memo.has(n) / memo[n] != -1).
func (a *analyzer) memoized(f *Node) bool {
	if strings.Contains(strings.ToLower(f.Decor), "cache") {
		return true
	}
	filled := a.filledIn(f)
	// The lookup key is made of the parameters (memo[n], dp[i][j],
	// (i, j) in memo): a table consulted at other indices is the data
	// (merge sort's a[i] <= a[j]).
	keyed := map[string]bool{}
	for _, p := range f.Params {
		keyed[p] = true
	}
	assigns := map[string]int{}
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind == KAssign && !x.Index {
			for _, t := range x.Targets {
				assigns[t]++
			}
		}
	})
	walkIR([]*Node{f.Body}, func(x *Node) {
		if x.Kind == KAssign && !x.Index && len(x.Targets) == 1 && assigns[x.Targets[0]] == 1 {
			ok := true
			for _, id := range identRe.FindAllString(x.Value, -1) {
				if !keyed[id] && !a.constIdent(id) {
					ok = false
				}
			}
			if ok && strings.TrimSpace(x.Value) != "" {
				keyed[x.Targets[0]] = true
			}
		}
	})
	byParams := func(text, table string) bool {
		m := regexp.MustCompile(`\b` + regexp.QuoteMeta(table) + `\s*((?:\[[^\]]*\])+|\.(?:has|count|containsKey|contains_key|get|find|contains)\s*\(([^)]*)\))`).FindStringSubmatch(text)
		if m == nil {
			return false
		}
		ids := identRe.FindAllString(m[1], -1)
		used := 0
		for _, id := range ids {
			switch {
			case keyed[id]:
				used++
			case a.constIdent(id), id == "has" || id == "count" || id == "containsKey" || id == "contains_key" || id == "get" || id == "find" || id == "contains":
			default:
				return false
			}
		}
		return used > 0
	}
	found := false
	walkIR([]*Node{f.Body}, func(x *Node) {
		switch x.Kind {
		case KIf:
			for _, id := range identRe.FindAllString(x.CondText, -1) {
				if filled[id] && (!contains(f.Params, id) || memoNameRe.MatchString(id)) && byParams(x.CondText, id) {
					found = true
				}
			}
		case KIn:
			if filled[baseIdent(x.Recv)] {
				found = true
			}
		}
	})
	return found
}
