package static

import (
	"regexp"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

var (
	sortNames = set{"sort": true, "sorted": true, "sort_unstable": true, "sort_by": true, "sort_by_key": true,
		"sort_unstable_by": true, "sort_unstable_by_key": true, "stable_sort": true, "qsort": true,
		"SortFunc": true, "SortStableFunc": true, "partial_sort": true, "nlargest": true, "nsmallest": true}
	goSortNames = set{"Sort": true, "Ints": true, "Strings": true, "Float64s": true, "Slice": true, "SliceStable": true, "Stable": true}
	binSearch   = set{"bisect": true, "bisect_left": true, "bisect_right": true, "lower_bound": true, "upper_bound": true,
		"binary_search": true, "binarySearch": true, "BinarySearch": true, "Search": true, "SearchInts": true, "partition_point": true, "equal_range": true}
	heapFree = set{"heappush": true, "heappop": true, "heappushpop": true, "heapreplace": true, "push_heap": true, "pop_heap": true}
	heapOps  = set{"push": true, "pop": true, "add": true, "offer": true, "poll": true, "remove": true, "Push": true, "Pop": true, "peek": true}
	treeOps  = set{"insert": true, "find": true, "count": true, "erase": true, "get": true, "put": true, "contains": true,
		"containsKey": true, "remove": true, "add": true, "floorKey": true, "ceilingKey": true, "floor": true, "ceiling": true,
		"lower_bound": true, "upper_bound": true, "contains_key": true, "range": true, "higher": true, "lower": true}
	// linear whatever the receiver
	linearNames = set{"sum": true, "reversed": true, "any": true, "all": true, "join": true, "extend": true, "copy": true,
		"accumulate": true, "max_element": true, "min_element": true, "reverse": true, "fill": true, "memset": true,
		"memcpy": true, "strlen": true, "strcpy": true, "strcat": true, "to_vec": true, "collect": true, "split": true,
		"readlines": true, "list": true, "tuple": true, "set": true, "frozenset": true, "dict": true, "Counter": true,
		"arraycopy": true, "copyOf": true, "copyOfRange": true, "toCharArray": true, "substring": true, "substr": true,
		"slice": true, "concat": true, "splice": true, "shift": true, "unshift": true, "from": true, "Repeat": true,
		"Fields": true, "Split": true, "Join": true, "deepcopy": true, "product": true, "fold": true, "asList": true,
		"nth": true, "unique": true, "heapify": true, "make_heap": true, "Init": true, "Reverse": true, "Max": true, "Min": true,
		"new Set": true, "new Map": true, "new HashSet": true, "new ArrayList": true, "new TreeSet": true, "Fill": true}
	// linear on lists and strings, O(1) on hash containers, O(log n) on trees
	searchNames = set{"contains": true, "includes": true, "indexOf": true, "lastIndexOf": true, "index": true,
		"count": true, "find": true, "remove": true, "insert": true, "position": true, "Contains": true, "Index": true,
		"retain": true, "erase": true, "findIndex": true}
	pyBuiltins = set{"set": true, "list": true, "tuple": true, "dict": true, "frozenset": true, "sum": true, "any": true,
		"all": true, "reversed": true, "Counter": true}
	// run a callback once per element
	iterNames = set{"forEach": true, "map": true, "filter": true, "reduce": true, "some": true, "every": true, "flatMap": true, "for_each": true}
	growNames = set{"append": true, "push": true, "push_back": true, "emplace_back": true, "add": true, "put": true,
		"push_str": true, "appendleft": true, "offer": true, "insert": true, "setdefault": true, "set": true, "Push": true, "addLast": true}
)

func (a *analyzer) call(n *Node, cx ctx) res {
	// Arguments first; an anonymous function among them is a callback whose
	// body runs inside the call.
	var args, callback res
	for _, k := range n.Kids {
		if k.Kind == KFunc && k.Name == "" {
			callback = maxRes(callback, a.eval(k.Body, cx))
			continue
		}
		args = maxRes(args, a.eval(k, cx))
	}
	name := n.Name
	recv := strings.TrimSpace(n.Recv)
	if f := a.funcs[name]; f != nil && (recv == "" || recv == "self" || recv == "this" || recv == "Self") {
		if cx.fn == f || a.busy[f] {
			return maxRes(args, callback) // recursion is costed by function()
		}
		fr := a.function(f)
		if fr.memo {
			if !a.memoSeen[f] {
				a.memoSeen[f] = true
				a.memoTotals = append(a.memoTotals, fr.cost)
			}
			return maxRes(args, callback)
		}
		c := fr.cost
		if len(c.ev) > 0 || c.c != costConst {
			c.ev = append([]Evidence{ev(n, c.c.Class(), TagCall, "call to %s costs %s", name, c.c.Class().Pretty())}, c.ev...)
		}
		return maxRes(maxRes(args, callback), c)
	}
	if growNames[name] && len(cx.loops) > 0 {
		a.grow(res{cx.product, []Evidence{ev(n, cx.product.Class(), TagAlloc, "%s grows inside the loop", clip(n.Text))}})
	}
	own, tag, note := a.libCost(n, recv)
	out := maxRes(args, callback)
	if iterNames[name] {
		c := costLinear.Mul(callback.c)
		return maxRes(args, res{c, append([]Evidence{ev(n, bigo.Linear, TagLoop, "%s runs its callback once per element", name)}, callback.ev...)})
	}
	if own == costNLogN && callback.c != costConst { // sort with a costly comparator
		own = own.Mul(callback.c)
	}
	if own != costConst {
		out = maxRes(out, res{own, []Evidence{ev(n, own.Class(), tag, "%s", note)}})
		if own.Poly > 0 && (tag == TagLinearOp || tag == TagSort) && linearNames[name] {
			a.grow(res{costLinear, []Evidence{ev(n, bigo.Linear, TagAlloc, "%s builds a collection of n elements", clip(n.Text))}})
		}
	}
	return out
}

// libCost is the cost of one call to a library function.
func (a *analyzer) libCost(n *Node, recv string) (Cost, string, string) {
	name := n.Name
	ty := a.types[baseIdent(recv)]
	lit := isLiteral(recv)
	text := clip(n.Text)
	switch {
	case sortNames[name] || (goSortNames[name] && (recv == "sort" || recv == "slices")):
		return costNLogN, TagSort, text + " sorts: O(n log n)"
	case binSearch[name]:
		return costLog, TagLogOp, text + " is a binary search: O(log n)"
	case heapFree[name] || (ty == "heap" && heapOps[name]) || (recv == "heap" && (name == "Push" || name == "Pop" || name == "Fix")):
		return costLog, TagLogOp, text + " is a heap operation: O(log n)"
	case ty == "tree" && treeOps[name]:
		return costLog, TagLogOp, text + " on an ordered tree: O(log n)"
	case name == "insort" || name == "insort_left" || name == "insort_right":
		return costLinear, TagLinearOp, text + " shifts list elements: O(n)"
	case (name == "max" || name == "min") && recv == "" && len(n.Args) == 1 && !isLiteral(n.Args[0]):
		return costLinear, TagLinearOp, text + " scans every element: O(n)"
	case (name == "max" || name == "min" || name == "sum" || name == "count") && strings.Contains(recv, "iter"):
		return costLinear, TagLinearOp, text + " consumes an iterator: O(n)"
	case name == "pop" && len(n.Args) == 1 && strings.TrimSpace(n.Args[0]) == "0" && a.lang == "python":
		return costLinear, TagLinearOp, text + " shifts every element: O(n)"
	case name == "insert" && len(n.Args) == 2 && strings.TrimSpace(n.Args[0]) == "0" && (a.lang == "python" || a.lang == "rust"):
		return costLinear, TagLinearOp, text + " shifts every element: O(n)"
	case name == "count" && (a.lang == "cpp" || a.lang == "c") && len(n.Args) == 3:
		return costLinear, TagLinearOp, text + " counts over a range: O(n)"
	case name == "find" && (a.lang == "cpp") && len(n.Args) == 3:
		return costLinear, TagMembership, text + " scans a range: O(n)"
	case searchNames[name] && !lit && ty != "hash" && ty != "tree" && ty != "heap" && ty != "builder" && recv != "" &&
		!(name == "insert" && ty != "list") && !(name == "remove" && ty != "list") && !(name == "count" && ty == "") && !(name == "find" && ty == ""):
		return costLinear, TagMembership, text + " searches element by element: O(n)"
	case pyBuiltins[name] && recv != "":
		return costConst, "", "" // m.set(k, v), s.add(...): methods, not Python's builtins
	case linearNames[name] && (len(n.Args) > 0 || recv != "" || name == "list") && !(ty == "builder") && !(name == "split" && a.lang == "javascript" && lit):
		if name == "set" || name == "list" || name == "tuple" || name == "dict" || name == "frozenset" {
			if len(n.Args) == 0 {
				return costConst, "", ""
			}
		}
		if strings.HasPrefix(name, "new ") && len(n.Args) == 0 {
			return costConst, "", ""
		}
		if name == "from" && recv != "Array" {
			return costConst, "", ""
		}
		if (name == "Max" || name == "Min" || name == "Reverse" || name == "Fill") && recv != "slices" {
			return costConst, "", ""
		}
		return costLinear, TagLinearOp, text + " touches every element: O(n)"
	}
	return costConst, "", ""
}

var memoNameRe = regexp.MustCompile(`(?i)memo|cache|dp|seen|visited|table`)

var halvingArgRe = regexp.MustCompile(`(//|/|>>>?)\s*2\b|\[\s*:\s*\w|\[\s*\w+\s*:\s*\]`)

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
	body := a.eval(f.Body, ctx{fn: f})
	fr := &funcResult{cost: body}
	calls := selfCalls(f.Body, f.Name)
	k := countSelf(f.Body, f.Name)
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
	lines := ev(f, bigo.Unknown, TagRecursion, "")
	switch {
	case a.memoized(f):
		states := Cost{Poly: max(1, varying(f, calls))}
		fr.memo = true
		fr.depth = costLinear
		fr.cost = res{states.Mul(body.c), append([]Evidence{withNote(lines, states.Mul(body.c).Class(), TagMemo,
			"memoized recursion %s: each of %s states is computed once", f.Name, states.Class().Pretty())}, body.ev...)}
	case halving && k >= 2:
		fr.depth = costLog
		c := costLinear
		if body.c.Poly >= 1 && !body.c.Exp {
			c = body.c.Mul(costLog)
		}
		fr.cost = res{c, append([]Evidence{withNote(lines, c.Class(), TagDivide,
			"%s splits its input in halves %d ways: %s", f.Name, k, c.Class().Pretty())}, body.ev...)}
	case halving:
		fr.depth = costLog
		c := body.c
		if c == costConst {
			c = costLog
		}
		fr.cost = res{c, append([]Evidence{withNote(lines, c.Class(), TagHalving,
			"%s recurses on half of its input: %s", f.Name, c.Class().Pretty())}, body.ev...)}
	case k >= 2:
		fr.depth = costLinear
		fr.cost = res{costExp, append([]Evidence{withNote(lines, bigo.Exponential, TagExpRecursion,
			"%s calls itself %d times per call without memoization: O(2ⁿ)", f.Name, k)}, body.ev...)}
	default:
		fr.depth = costLinear
		c := costLinear.Mul(body.c)
		fr.cost = res{c, append([]Evidence{withNote(lines, c.Class(), TagRecursion,
			"%s recurses to depth n", f.Name)}, body.ev...)}
	}
	if fr.depth != costConst {
		a.grow(res{fr.depth, []Evidence{withNote(lines, fr.depth.Class(), TagRecursion, "recursion depth of %s: %s stack", f.Name, fr.depth.Class().Pretty())}})
	}
	a.fcache[f] = fr
	return fr
}

func withNote(e Evidence, c bigo.Class, tag, note string, args ...any) Evidence {
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
// body: branches of an if count as alternatives, not as a sum.
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
	return total
}

// memoized: decorated with a cache, or the body both consults and fills
// the same container (memo[n] = ...; if n in memo / memo.has(n) / memo[n] != -1).
func (a *analyzer) memoized(f *Node) bool {
	if strings.Contains(strings.ToLower(f.Decor), "cache") {
		return true
	}
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
	found := false
	walkIR([]*Node{f.Body}, func(x *Node) {
		switch x.Kind {
		case KIf:
			for _, id := range identRe.FindAllString(x.CondText, -1) {
				// A parameter array written and tested by the function is
				// usually the data itself (merge sort), unless it is named
				// as a memo table.
				if filled[id] && (!contains(f.Params, id) || memoNameRe.MatchString(id)) {
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

// varying counts parameters that change between a call and its recursive
// calls: the dimensions of the memo table.
func varying(f *Node, calls []*Node) int {
	params := minus(f.Params, []string{"self"})
	n := 0
	for i, p := range params {
		for _, c := range calls {
			if i < len(c.Args) && strings.TrimSpace(c.Args[i]) != p {
				n++
				break
			}
		}
	}
	return n
}
