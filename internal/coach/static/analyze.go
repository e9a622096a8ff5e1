// Package static estimates the time and space complexity of a solution from
// its source code, with evidence as line ranges.
//
// Each language is lowered to a small IR (ir.go): Go with go/ast, the others
// with tree-sitter. The analyser then multiplies loop factors down the tree
// (what each loop bound depends on decides O(1), O(log n) or O(n)), adds the
// known cost of library calls, and classifies recursion (branching,
// halving, memoised). It is a heuristic: the empirical fit checks it.
package static

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// Evidence is one reason for a class, tied to source lines.
type Evidence struct {
	Start int        `json:"start"`
	End   int        `json:"end"`
	Class bigo.Class `json:"class"`
	Note  string     `json:"note"`
	Tag   string     `json:"tag"` // machine-readable pattern, see the Tag* constants
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
)

// Result is the static estimate.
type Result struct {
	Lang          string     `json:"lang"`
	Time          bigo.Class `json:"time"`
	Space         bigo.Class `json:"space"`
	Evidence      []Evidence `json:"evidence"`       // the chain that dominates time
	SpaceEvidence []Evidence `json:"space_evidence"` // what dominates space
}

// Languages lists the accepted language names.
var Languages = []string{"python", "c", "cpp", "go", "javascript", "java", "rust"}

// Analyze parses src written in lang and estimates its complexity.
func Analyze(lang string, src []byte) (Result, error) {
	var root *Node
	var err error
	if lang == "go" {
		root, err = parseGo(src)
	} else {
		root, err = parseTreeSitter(lang, src)
	}
	if err != nil {
		return Result{}, err
	}
	a := newAnalyzer(lang, root)
	time := a.entry(root)
	for _, m := range a.memoTotals {
		time = maxRes(time, m)
	}
	return Result{
		Lang:          lang,
		Time:          time.c.Class(),
		Space:         a.space.c.Class(),
		Evidence:      dedupe(time.ev),
		SpaceEvidence: dedupe(a.space.ev),
	}, nil
}

type res struct {
	c  Cost
	ev []Evidence
}

func maxRes(a, b res) res {
	if a.c.Less(b.c) || (a.c == b.c && len(a.ev) == 0) {
		return b
	}
	return a
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
	memo  bool
	depth Cost
}

type analyzer struct {
	lang       string
	funcs      map[string]*Node
	types      map[string]string // variable → hash, tree, heap, list, string, builder
	consts     map[string]bool
	litInit    map[string]bool // every plain assignment is a number (counters: k = 0; k++)
	memoTotals []res
	memoSeen   map[*Node]bool
	fcache     map[*Node]*funcResult
	busy       map[*Node]bool
	space      res
}

// ctx is where an expression sits: its enclosing loops (innermost last) and
// function.
type ctx struct {
	loops   []*Node
	fn      *Node
	product Cost // product of enclosing loop factors
	comp    Cost // product of enclosing comprehension factors
}

func (c ctx) inner(loop *Node, f Cost) ctx {
	n := c
	n.loops = append(append([]*Node(nil), c.loops...), loop)
	n.product = c.product.Mul(f)
	if loop.Loop.Comprehension {
		n.comp = c.comp.Mul(f)
	}
	return n
}

func newAnalyzer(lang string, root *Node) *analyzer {
	a := &analyzer{lang: lang, funcs: map[string]*Node{}, types: map[string]string{}, consts: map[string]bool{}, litInit: map[string]bool{},
		memoSeen: map[*Node]bool{}, fcache: map[*Node]*funcResult{}, busy: map[*Node]bool{}}
	assigned := map[string]int{}
	literal := map[string]int{}
	plain := map[string]int{}
	var visit func(ns []*Node)
	visit = func(ns []*Node) {
		for _, n := range ns {
			if n == nil {
				continue
			}
			switch n.Kind {
			case KFunc:
				if n.Name != "" {
					a.funcs[n.Name] = n
				}
				for _, p := range n.Params {
					assigned[p] += 2 // parameters are never constants
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
					if ty := typeOf(n.Type, n.Value); ty != "" && !n.Index {
						if _, ok := a.types[t]; !ok || n.Decl {
							a.types[t] = ty
						}
					}
				}
			case KLoop:
				for _, v := range n.Loop.Vars {
					assigned[v] += 2
				}
			case KCall:
				// scanf("%d", &n), fmt.Scan(&n): written through a pointer.
				for _, arg := range n.Args {
					for _, m := range addrRe.FindAllStringSubmatch(arg, -1) {
						assigned[m[1]] += 2
					}
				}
			}
			visit(n.CondKids)
			visit(n.Kids)
		}
	}
	visit([]*Node{root})
	for v, k := range assigned {
		if literal[v] == k {
			a.consts[v] = true
		}
		if literal[v] > 0 && literal[v] == plain[v] {
			a.litInit[v] = true
		}
	}
	return a
}

var addrRe = regexp.MustCompile(`&\s*(?:mut\s+)?([A-Za-z_]\w*)`)

var numericRe = regexp.MustCompile(`^[-+(]*\d[\d_.eE]*[LlUu]*(\s*(\*\*|[-+*/%]|<<)\s*[(]*\d[\d_.eE]*[LlUu]*[)]*)*$`)

// typeOf guesses what kind of container a variable holds from its declared
// type or its initial value.
func typeOf(typ, value string) string {
	s := typ + " " + value
	switch {
	case regexp.MustCompile(`PriorityQueue|BinaryHeap|priority_queue|heapq|container/heap`).MatchString(s):
		return "heap"
	case regexp.MustCompile(`TreeMap|TreeSet|BTreeMap|BTreeSet|(^|[^_a-z])(std::)?(multi)?(set|map)\s*<`).MatchString(s):
		return "tree"
	case regexp.MustCompile(`^\s*(set|dict|frozenset|Counter|defaultdict|OrderedDict)\(|^\s*\{|HashMap|HashSet|unordered_|new (Set|Map)\b|\bmap\[|LinkedHashMap|Object\.create`).MatchString(s):
		return "hash"
	case regexp.MustCompile(`StringBuilder|StringBuffer|strings\.Builder|bytes\.Buffer`).MatchString(s):
		return "builder"
	case regexp.MustCompile(`^\s*(String|string|std::string|str)\s*$|^\s*(String|string|std::string)?\s*("|'|str\(|String::new|String::from)`).MatchString(s):
		return "string"
	case regexp.MustCompile(`^\s*\[|\blist\(|\.split\(|\bsorted\(|ArrayList|LinkedList|List<|vector<|\bVec\b|vec!|\[\]|new Array|Array\(|Array\.from|\[\w*\]`).MatchString(s):
		return "list"
	}
	return ""
}

func (a *analyzer) entry(root *Node) res {
	switch a.lang {
	case "python", "javascript":
		return a.eval(root, ctx{})
	}
	if m := a.funcs["main"]; m != nil {
		return a.eval(m.Body, ctx{fn: m})
	}
	var out res
	for _, f := range a.funcs {
		out = maxRes(out, a.function(f).cost)
	}
	return out
}

func (a *analyzer) seq(ns []*Node, cx ctx) res {
	var out res
	for _, n := range ns {
		out = maxRes(out, a.eval(n, cx))
	}
	return out
}

func ev(n *Node, c bigo.Class, tag, note string, args ...any) Evidence {
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
		body := n.Loop.Body
		header := a.seq(n.Kids[:len(n.Kids)-1], cx)
		f, fev := a.loopFactor(n, cx)
		inner := cx.inner(n, f)
		b := a.eval(body, inner)
		if n.Loop.Comprehension {
			a.grow(res{inner.comp, []Evidence{ev(n, inner.comp.Class(), TagAlloc, "comprehension builds a collection of %s elements", inner.comp.Class().Pretty())}})
		}
		total := res{c: f.Mul(b.c), ev: append(append([]Evidence(nil), fev...), b.ev...)}
		return maxRes(header, total)
	case KIf:
		out := a.seq(n.CondKids, cx)
		for _, br := range n.Kids {
			out = maxRes(out, a.eval(br, cx))
		}
		return out
	case KCall:
		return a.call(n, cx)
	case KAssign:
		out := a.seq(n.Kids, cx)
		if a.isConcat(n, cx) {
			c := res{costLinear, []Evidence{ev(n, bigo.Linear, TagConcat, "string concatenation copies the whole string: O(n) per step")}}
			out = maxRes(out, c)
			a.grow(res{cx.product, c.ev})
		}
		if n.Index && a.types[first(n.Targets)] == "hash" && len(cx.loops) > 0 {
			a.grow(res{cx.product, []Evidence{ev(n, cx.product.Class(), TagAlloc, "map %s grows inside the loop", first(n.Targets))}})
		}
		return out
	case KIn:
		out := a.seq(n.Kids, cx)
		recv := strings.TrimSpace(n.Recv)
		ty := a.types[baseIdent(recv)]
		if ty == "hash" || isLiteral(recv) || strings.HasPrefix(recv, "{") || strings.HasPrefix(recv, "set(") {
			return out
		}
		if ty == "tree" {
			return maxRes(out, res{costLog, []Evidence{ev(n, bigo.Log, TagLogOp, "membership in an ordered set: O(log n)")}})
		}
		return maxRes(out, res{costLinear, []Evidence{ev(n, bigo.Linear, TagMembership, "`%s` scans a list: O(n)", n.Text)}})
	case KSlice:
		out := a.seq(n.Kids, cx)
		return maxRes(out, res{costLinear, []Evidence{ev(n, bigo.Linear, TagLinearOp, "slice %s copies: O(n)", n.Text)}})
	case KAlloc:
		out := a.seq(n.Kids, cx)
		size := costConst
		for _, id := range n.SizeIdents {
			if !a.constIdent(id) {
				size = Cost{Poly: max(1, n.Dims)}
				break
			}
		}
		total := size.Mul(cx.comp)
		if size != costConst {
			a.grow(res{total, []Evidence{ev(n, total.Class(), TagAlloc, "allocates %s", clip(n.Text))}})
			// Filling the allocation costs as much time as it takes space.
			out = maxRes(out, res{size, []Evidence{ev(n, size.Class(), TagAlloc, "allocating %s takes %s", clip(n.Text), size.Class().Pretty())}})
		}
		return out
	}
	return a.seq(n.Kids, cx)
}

func (a *analyzer) grow(r res) {
	a.space = maxRes(a.space, r)
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
	return identRe.FindString(s)
}

func isLiteral(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, `"`) || strings.HasPrefix(s, `'`) || strings.HasPrefix(s, "(") && !identRe.MatchString(strings.Trim(s, `()'",`))
}

// ignored identifiers never carry the input size.
var ignored = map[string]bool{"True": true, "False": true, "None": true, "true": true, "false": true, "null": true,
	"undefined": true, "Math": true, "Integer": true, "Long": true, "System": true, "Infinity": true, "self": true,
	"this": true, "std": true, "NULL": true, "nullptr": true, "INT_MAX": true, "INT_MIN": true, "LLONG_MAX": true}

func (a *analyzer) constIdent(id string) bool {
	return a.consts[id] || ignored[id]
}

// isConcat reports a string built by repeated concatenation where the
// language copies the whole string each time (Java, Go, C++ s = s + x, and
// Python at module level: CPython 3.11+ appends in place only to function
// locals). JavaScript (ropes) makes += amortised O(1), and Rust's String +=
// appends in place.
func (a *analyzer) isConcat(n *Node, cx ctx) bool {
	if len(n.Targets) != 1 || n.Index {
		return false
	}
	t := n.Targets[0]
	if a.types[t] != "string" {
		return false
	}
	switch a.lang {
	case "java", "go":
		return n.Op == "+=" || (n.Op == "=" && regexp.MustCompile(`^\s*`+regexp.QuoteMeta(t)+`\s*\+`).MatchString(n.Value))
	case "cpp":
		return n.Op == "=" && regexp.MustCompile(`^\s*`+regexp.QuoteMeta(t)+`\s*\+`).MatchString(n.Value)
	case "python":
		return cx.fn == nil && (n.Op == "+=" || (n.Op == "=" && regexp.MustCompile(`^\s*`+regexp.QuoteMeta(t)+`\s*\+`).MatchString(n.Value)))
	}
	return false
}
