package static

// The analyser does not walk language syntax trees directly: each language
// adapter (go/ast for Go, tree-sitter for the others) lowers its tree into
// this small intermediate form that keeps only what decides cost: loops and
// what bounds them, branches, calls, assignments, jumps, membership tests,
// slices and allocations. One analyser then serves all seven languages.

// Kind is the kind of an IR node.
type Kind int

const (
	KBlock  Kind = iota // a sequence of nodes
	KLoop               // any loop, including comprehensions
	KIf                 // branches; Kids are the alternatives, each a KBlock
	KCall               // function or method call
	KFunc               // function definition
	KAssign             // assignment, declaration with value, ++/--
	KJump               // break, return, continue
	KIn                 // membership test "x in c" (Python); Recv is c
	KSlice              // a copying slice such as a[i:j] in Python
	KAlloc              // allocation whose size may grow with the input
)

// Node is one IR node.
type Node struct {
	Kind       Kind
	Start, End int // 1-based source lines
	Kids       []*Node
	Text       string // source text (loops: the header only), for pattern checks

	// KLoop
	Loop *Loop

	// KIf: identifiers and text of the condition; its cost sits in CondKids.
	CondIdents []string
	CondText   string
	CondKids   []*Node

	// KCall (also KIn and KSlice use Recv)
	Name string   // last component of the callee: "sort" in "a.sort"
	Recv string   // receiver text: "a" in "a.sort", "std" in "std::sort"
	Args []string // argument texts

	// KFunc
	Params []string
	Decor  string // decorators / attributes text
	Body   *Node

	// KAssign
	Targets []string // assigned variable names (the base name for a[i] = ...)
	Op      string   // "=", "+=", "++", ...
	Value   string   // text of the assigned value
	Decl    bool     // a declaration (let, var, :=, typed declaration)
	Index   bool     // the target is an element (a[i] = ..., m[k] = ...)
	Type    string   // declared type text, if any

	// KJump
	Jump string // "break", "return", "continue"

	// KAlloc
	SizeIdents []string // identifiers in the size expressions
	Dims       int      // how many size expressions depend on identifiers
}

// Loop describes one loop header.
type Loop struct {
	Style         string   // "for" (C-style), "each" (over a collection or range), "while", "infinite"
	Vars          []string // induction variables declared or updated by the header
	Idents        []string // other identifiers in the header: what the bound depends on
	Comprehension bool     // Python comprehension: builds a collection as it loops
	Body          *Node
	// Header parts as source text, for sizing the loop: Iter is what an
	// "each" loop walks (a collection or a range); Init, Cond and Update
	// are the parts of a C-style or while loop.
	Iter, Init, Cond, Update string
	// Each holds the header nodes that run on every iteration (the
	// condition and the update); the other header nodes run once.
	Each []*Node
}
