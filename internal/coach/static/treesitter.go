package static

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
	tsc "github.com/tree-sitter/tree-sitter-c/bindings/go"
	tscpp "github.com/tree-sitter/tree-sitter-cpp/bindings/go"
	tsjava "github.com/tree-sitter/tree-sitter-java/bindings/go"
	tsjs "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	tspy "github.com/tree-sitter/tree-sitter-python/bindings/go"
	tsrust "github.com/tree-sitter/tree-sitter-rust/bindings/go"
	"unsafe"
)

// tsSpec maps one tree-sitter grammar's node kinds onto IR kinds. Field
// names are shared enough across the official grammars that one converter
// handles all six languages; the tables hold the differences.
type tsSpec struct {
	language func() unsafe.Pointer
	funcs    set
	loops    map[string]string // kind → Loop.Style ("do" is a while)
	comps    set               // Python comprehensions
	ifs      set
	calls    set
	assigns  set // a = b, a += b (fields left/operator/right)
	updates  set // a++, a--
	decls    set // declarators with a value
	jumps    map[string]string
	idents   set
}

type set map[string]bool

func mk(kinds ...string) set {
	s := set{}
	for _, k := range kinds {
		s[k] = true
	}
	return s
}

var jumpsStmt = map[string]string{"break_statement": "break", "return_statement": "return", "continue_statement": "continue"}

var tsSpecs = map[string]*tsSpec{
	"python": {
		language: tspy.Language,
		funcs:    mk("function_definition", "lambda"),
		loops:    map[string]string{"for_statement": "each", "while_statement": "while"},
		comps:    mk("list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"),
		ifs:      mk("if_statement", "conditional_expression"),
		calls:    mk("call"),
		assigns:  mk("assignment", "augmented_assignment"),
		jumps:    jumpsStmt,
		idents:   mk("identifier"),
	},
	"c": {
		language: tsc.Language,
		funcs:    mk("function_definition"),
		loops:    map[string]string{"for_statement": "for", "while_statement": "while", "do_statement": "while"},
		ifs:      mk("if_statement", "conditional_expression"),
		calls:    mk("call_expression"),
		assigns:  mk("assignment_expression"),
		updates:  mk("update_expression"),
		decls:    mk("init_declarator"),
		jumps:    jumpsStmt,
		idents:   mk("identifier"),
	},
	"cpp": {
		language: tscpp.Language,
		funcs:    mk("function_definition", "lambda_expression"),
		loops:    map[string]string{"for_statement": "for", "while_statement": "while", "do_statement": "while", "for_range_loop": "each"},
		ifs:      mk("if_statement", "conditional_expression"),
		calls:    mk("call_expression"),
		assigns:  mk("assignment_expression"),
		updates:  mk("update_expression"),
		decls:    mk("init_declarator"),
		jumps:    jumpsStmt,
		idents:   mk("identifier"),
	},
	"javascript": {
		language: tsjs.Language,
		funcs:    mk("function_declaration", "method_definition", "arrow_function", "function_expression"),
		loops:    map[string]string{"for_statement": "for", "for_in_statement": "each", "while_statement": "while", "do_statement": "while"},
		ifs:      mk("if_statement", "ternary_expression"),
		calls:    mk("call_expression", "new_expression"),
		assigns:  mk("assignment_expression", "augmented_assignment_expression"),
		updates:  mk("update_expression"),
		decls:    mk("variable_declarator"),
		jumps:    jumpsStmt,
		idents:   mk("identifier"),
	},
	"java": {
		language: tsjava.Language,
		funcs:    mk("method_declaration", "constructor_declaration", "lambda_expression"),
		loops:    map[string]string{"for_statement": "for", "enhanced_for_statement": "each", "while_statement": "while", "do_statement": "while"},
		ifs:      mk("if_statement", "ternary_expression"),
		calls:    mk("method_invocation", "object_creation_expression"),
		assigns:  mk("assignment_expression"),
		updates:  mk("update_expression"),
		decls:    mk("variable_declarator"),
		jumps:    jumpsStmt,
		idents:   mk("identifier"),
	},
	"rust": {
		language: tsrust.Language,
		funcs:    mk("function_item", "closure_expression"),
		loops:    map[string]string{"for_expression": "each", "while_expression": "while", "loop_expression": "infinite"},
		ifs:      mk("if_expression"),
		calls:    mk("call_expression"),
		assigns:  mk("assignment_expression", "compound_assignment_expr"),
		decls:    mk("let_declaration"),
		jumps:    map[string]string{"break_expression": "break", "return_expression": "return", "continue_expression": "continue"},
		idents:   mk("identifier"),
	},
}

// parseTreeSitter lowers source in one of the tree-sitter languages to IR.
func parseTreeSitter(lang string, src []byte) (*Node, error) {
	spec := tsSpecs[lang]
	if spec == nil {
		return nil, fmt.Errorf("no grammar for %q", lang)
	}
	p := ts.NewParser()
	defer p.Close()
	if err := p.SetLanguage(ts.NewLanguage(spec.language())); err != nil {
		return nil, fmt.Errorf("load %s grammar: %w", lang, err)
	}
	if lang == "c" || lang == "cpp" {
		src = expandMacros(src)
	}
	tree := p.Parse(src, nil)
	if tree == nil {
		return nil, fmt.Errorf("parse %s: no tree", lang)
	}
	defer tree.Close()
	root := tree.RootNode()
	c := &tsConv{spec: spec, lang: lang, src: src}
	b := c.block(root, c.kids(root))
	b.Text = string(src)
	return b, nil
}

type tsConv struct {
	spec *tsSpec
	lang string
	src  []byte
}

func (c *tsConv) text(n *ts.Node) string {
	if n == nil {
		return ""
	}
	return n.Utf8Text(c.src)
}

func lines(n *ts.Node) (int, int) {
	return int(n.StartPosition().Row) + 1, int(n.EndPosition().Row) + 1
}

func (c *tsConv) block(n *ts.Node, kids []*Node) *Node {
	b := &Node{Kind: KBlock, Kids: kids}
	if n != nil {
		b.Start, b.End = lines(n)
	}
	return b
}

func named(n *ts.Node) []*ts.Node {
	var out []*ts.Node
	for i := uint(0); i < n.NamedChildCount(); i++ {
		out = append(out, n.NamedChild(i))
	}
	return out
}

// kids converts every named child.
func (c *tsConv) kids(n *ts.Node) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, ch := range named(n) {
		out = append(out, c.conv(ch)...)
	}
	return out
}

// identsIn lists the identifiers of an expression that are values, leaving
// out the names of called functions ("range" in range(n), "len" in len(a)).
func (c *tsConv) identsIn(n *ts.Node) []string {
	var out []string
	var walk func(n *ts.Node)
	walk = func(n *ts.Node) {
		if n == nil {
			return
		}
		k := n.Kind()
		if c.spec.idents[k] {
			out = append(out, c.text(n))
			return
		}
		if c.spec.calls[k] {
			fn := n.ChildByFieldName("function")
			if fn != nil && c.spec.idents[fn.Kind()] {
				walk(n.ChildByFieldName("arguments"))
				return
			}
			if k == "method_invocation" {
				walk(n.ChildByFieldName("object"))
				walk(n.ChildByFieldName("arguments"))
				return
			}
		}
		if k == "token_tree" { // Rust macro arguments: skip names followed by "(" (calls)
			ch := children(n)
			for i, x := range ch {
				if c.spec.idents[x.Kind()] && i+1 < len(ch) && strings.HasPrefix(c.text(ch[i+1]), "(") {
					continue
				}
				walk(x)
			}
			return
		}
		for _, ch := range named(n) {
			walk(ch)
		}
	}
	walk(n)
	return out
}

func children(n *ts.Node) []*ts.Node {
	var out []*ts.Node
	for i := uint(0); i < n.ChildCount(); i++ {
		out = append(out, n.Child(i))
	}
	return out
}

// baseName is the variable a target expression writes to: a for a, a[i],
// a.b, *a.
func (c *tsConv) baseName(n *ts.Node) (name string, index bool) {
	for n != nil {
		k := n.Kind()
		if c.spec.idents[k] {
			return c.text(n), index
		}
		switch k {
		case "subscript", "subscript_expression", "index_expression", "array_access", "element_reference":
			index = true
		}
		var next *ts.Node
		for _, f := range []string{"value", "object", "argument", "array", "left"} {
			if next = n.ChildByFieldName(f); next != nil {
				break
			}
		}
		if next == nil && n.NamedChildCount() > 0 {
			next = n.NamedChild(0)
		}
		n = next
	}
	return "", index
}

func (c *tsConv) targets(n *ts.Node) ([]string, bool) {
	if n == nil {
		return nil, false
	}
	switch n.Kind() {
	case "pattern_list", "tuple_pattern", "list_pattern", "array_pattern", "tuple_expression", "expression_list":
		var out []string
		for _, ch := range named(n) {
			t, _ := c.targets(ch)
			out = append(out, t...)
		}
		return out, false
	}
	name, idx := c.baseName(n)
	if name == "" {
		return nil, idx
	}
	return []string{name}, idx
}

func (c *tsConv) conv(n *ts.Node) []*Node {
	if n == nil {
		return nil
	}
	k := n.Kind()
	s := c.spec
	switch {
	case k == "comment" || k == "line_comment" || k == "block_comment":
		return nil
	case k == "decorated_definition":
		def := n.ChildByFieldName("definition")
		out := c.conv(def)
		var dec []string
		for _, ch := range named(n) {
			if ch.Kind() == "decorator" {
				dec = append(dec, c.text(ch))
			}
		}
		for _, o := range out {
			if o.Kind == KFunc {
				o.Decor = strings.Join(dec, " ")
			}
		}
		return out
	case s.funcs[k]:
		return []*Node{c.function(n, "")}
	case s.loops[k] != "":
		return []*Node{c.loop(n, s.loops[k])}
	case s.comps[k]:
		return []*Node{c.comprehension(n)}
	case s.ifs[k]:
		return []*Node{c.ifNode(n)}
	case k == "comparison_operator":
		return c.comparison(n)
	case k == "subscript" && c.lang == "python":
		return c.subscript(n)
	case k == "binary_expression" && c.lang == "python":
		return c.kids(n)
	case k == "binary_operator" && c.lang == "python":
		return c.pyListRepeat(n)
	case k == "macro_invocation":
		return c.macro(n)
	case s.calls[k]:
		return c.call(n)
	case s.assigns[k]:
		return []*Node{c.assign(n)}
	case s.updates[k]:
		arg := n.ChildByFieldName("argument")
		if arg == nil && n.NamedChildCount() > 0 {
			arg = n.NamedChild(0)
		}
		t, idx := c.targets(arg)
		a, b := lines(n)
		op := "++"
		if strings.Contains(c.text(n), "--") {
			op = "--"
		}
		return []*Node{{Kind: KAssign, Start: a, End: b, Targets: t, Index: idx, Op: op, Text: c.text(n)}}
	case s.decls[k]:
		return c.declarator(n)
	case s.jumps[k] != "":
		a, b := lines(n)
		return []*Node{{Kind: KJump, Start: a, End: b, Jump: s.jumps[k], Kids: c.kids(n), Text: c.text(n)}}
	case k == "array_creation_expression" || (k == "new_expression" && c.lang == "cpp"):
		return []*Node{c.alloc(n, c.text(n), c.identsIn(n))}
	case k == "array_declarator" && (c.lang == "c" || c.lang == "cpp"):
		var out []*Node
		if size := n.ChildByFieldName("size"); size != nil {
			// the name's length, for loops over it and strlen
			if name, _ := c.baseName(n.ChildByFieldName("declarator")); name != "" && n.Parent() != nil && n.Parent().Kind() != "init_declarator" {
				a, b := lines(n)
				out = append(out, &Node{Kind: KAssign, Start: a, End: b, Decl: true, Op: "=", Targets: []string{name},
					Value: "new _[" + c.text(size) + "]", Text: c.text(n)})
			}
			al := c.alloc(n, "new _["+c.text(size)+"]", c.identsIn(size))
			return append(out, al)
		}
		return append(out, c.kids(n)...)
	case k == "declaration" && (c.lang == "c" || c.lang == "cpp"):
		// "std::set<int> s;" declares without a value: keep the type.
		var out []*Node
		ty := c.text(n.ChildByFieldName("type"))
		for i := uint(0); i < n.ChildCount(); i++ {
			ch := n.Child(i)
			if n.FieldNameForChild(uint32(i)) == "declarator" && ch.Kind() == "identifier" {
				a, b := lines(ch)
				out = append(out, &Node{Kind: KAssign, Start: a, End: b, Decl: true, Op: "=", Type: ty, Targets: []string{c.text(ch)}, Text: c.text(n)})
				continue
			}
			// "vector<int> a(n);" inside a function parses as a function
			// declaration (the most vexing parse); it constructs an object.
			if n.FieldNameForChild(uint32(i)) == "declarator" && ch.Kind() == "function_declarator" && c.lang == "cpp" && insideFunction(n) {
				a, b := lines(ch)
				name := c.text(ch.ChildByFieldName("declarator"))
				out = append(out, &Node{Kind: KAssign, Start: a, End: b, Decl: true, Op: "=", Type: ty, Targets: []string{name}, Text: c.text(n),
					Value: c.text(ch.ChildByFieldName("parameters"))})
				var ids []string
				for _, id := range identRe.FindAllString(c.text(ch.ChildByFieldName("parameters")), -1) {
					if !cppTypeWords[id] {
						ids = append(ids, id)
					}
				}
				params := c.text(ch.ChildByFieldName("parameters"))
				if len(ids) > 0 && (regexp.MustCompile(`vector|string|deque|valarray|bitset`).MatchString(ty) || strings.Contains(params, "vector<")) {
					al := c.alloc(n, c.text(n), ids)
					if strings.Count(ty, "vector") >= 2 || strings.Contains(params, "vector<") {
						al.Dims = 2
					}
					out = append(out, al)
				}
				continue
			}
			if ch.IsNamed() {
				out = append(out, c.conv(ch)...)
			}
		}
		return out
	case k == "binary_expression" && c.lang == "cpp" && strings.HasPrefix(strings.TrimPrefix(c.text(n), "std::"), "cin") && strings.Contains(c.text(n), ">>"):
		// cin >> n >> m: each operand after cin is written.
		a, b := lines(n)
		ids := minus(c.identsIn(n), []string{"cin", "std"})
		return []*Node{{Kind: KAssign, Start: a, End: b, Targets: ids, Op: ">>", Text: c.text(n)}}
	case k == "preproc_def": // #define N 100: a constant
		a, b := lines(n)
		return []*Node{{Kind: KAssign, Start: a, End: b, Decl: true, Op: "=",
			Targets: []string{c.text(n.ChildByFieldName("name"))}, Value: strings.TrimSpace(c.text(n.ChildByFieldName("value")))}}
	}
	return c.kids(n)
}

func (c *tsConv) alloc(n *ts.Node, text string, ids []string) *Node {
	a, b := lines(n)
	dims := 1
	if strings.Count(text, "[") >= 2 && c.lang == "java" {
		dims = 0
		for _, part := range strings.Split(text, "[")[1:] {
			if hasIdent(part[:max(0, strings.Index(part, "]"))]) {
				dims++
			}
		}
	}
	return &Node{Kind: KAlloc, Start: a, End: b, Text: text, SizeIdents: ids, Dims: dims}
}

var cppTypeWords = mk("vector", "std", "int", "long", "short", "char", "bool", "double", "float", "unsigned",
	"signed", "size_t", "string", "pair", "int64_t", "uint64_t", "int32_t", "ll", "true", "false")

func insideFunction(n *ts.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Kind() == "compound_statement" {
			return true
		}
	}
	return false
}

func hasIdent(s string) bool {
	for _, r := range s {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return true
		}
	}
	return false
}

func (c *tsConv) function(n *ts.Node, name string) *Node {
	a, b := lines(n)
	f := &Node{Kind: KFunc, Start: a, End: b, Name: name}
	if nm := n.ChildByFieldName("name"); nm != nil {
		f.Name = c.text(nm)
	}
	params := n.ChildByFieldName("parameters")
	if d := n.ChildByFieldName("declarator"); d != nil { // C, C++: dig to the function_declarator
		for d != nil && d.Kind() != "function_declarator" {
			d = d.ChildByFieldName("declarator")
		}
		if d != nil {
			params = d.ChildByFieldName("parameters")
			if id := d.ChildByFieldName("declarator"); id != nil {
				f.Name = c.text(id)
				if q := id.ChildByFieldName("name"); q != nil {
					f.Name = c.text(q)
				}
			}
		}
	}
	if params == nil {
		params = n.ChildByFieldName("parameter")
	}
	f.Params = c.identsIn(params)
	// Java and Rust attributes/annotations sit before the function.
	if prev := n.PrevNamedSibling(); prev != nil && (prev.Kind() == "attribute_item" || prev.Kind() == "decorator") {
		f.Decor = c.text(prev)
	}
	body := n.ChildByFieldName("body")
	if body != nil && body.Kind() != "block" && body.Kind() != "statement_block" && body.Kind() != "compound_statement" && body.Kind() != "constructor_body" {
		// expression-bodied arrow function: the expression is the result
		a2, b2 := lines(body)
		f.Body = &Node{Kind: KBlock, Start: a2, End: b2, Kids: []*Node{{Kind: KJump, Jump: "return", Start: a2, End: b2, Kids: c.conv(body)}}}
	} else {
		f.Body = c.block(body, c.conv(body))
	}
	f.Kids = []*Node{f.Body}
	return f
}

func (c *tsConv) loop(n *ts.Node, style string) *Node {
	a, b := lines(n)
	l := &Loop{Style: style}
	body := n.ChildByFieldName("body")
	var header []*ts.Node
	var htext []string
	for _, ch := range named(n) {
		if body != nil && ch.Equals(*body) {
			continue
		}
		if ch.Kind() == "else_clause" || ch.Kind() == "comment" {
			continue
		}
		header = append(header, ch)
		htext = append(htext, c.text(ch))
	}
	node := &Node{Kind: KLoop, Start: a, End: b, Loop: l, Text: strings.Join(htext, "; ")}
	var ids []string
	perStep := map[uint]bool{}
	for _, f := range []string{"condition", "update", "increment"} {
		if v := n.ChildByFieldName(f); v != nil {
			perStep[v.StartByte()] = true
		}
	}
	for _, h := range header {
		hk := c.conv(h)
		node.Kids = append(node.Kids, hk...)
		if perStep[h.StartByte()] {
			l.Each = append(l.Each, hk...)
		}
		ids = append(ids, c.identsIn(h)...)
	}
	switch style {
	case "each":
		for _, f := range []string{"left", "name", "pattern", "declarator"} {
			if v := n.ChildByFieldName(f); v != nil {
				l.Vars = append(l.Vars, c.identsIn(v)...)
			}
		}
	case "for":
		walkIR(node.Kids, func(x *Node) {
			if x.Kind == KAssign {
				l.Vars = append(l.Vars, x.Targets...)
			}
		})
	}
	l.Idents = minus(ids, l.Vars)
	field := func(names ...string) string {
		for _, f := range names {
			if v := n.ChildByFieldName(f); v != nil {
				return c.text(v)
			}
		}
		return ""
	}
	l.Iter = field("right", "value")
	l.Init = field("initializer", "init")
	l.Cond = field("condition")
	l.Update = field("update", "increment")
	if style == "each" && l.Iter == "" && c.lang == "python" {
		l.Iter = c.text(n.ChildByFieldName("right"))
	}
	if style == "for" && l.Cond == "" {
		l.Style = "infinite" // for (;;)
	}
	if style == "while" {
		cond := n.ChildByFieldName("condition")
		if cond != nil && (c.text(cond) == "True" || c.text(cond) == "true" || c.text(cond) == "(true)" || c.text(cond) == "(1)") {
			l.Style = "infinite"
		}
	}
	l.Body = c.block(body, c.conv(body))
	node.Kids = append(node.Kids, l.Body)
	return node
}

func (c *tsConv) comprehension(n *ts.Node) *Node {
	a, b := lines(n)
	var clauses []*ts.Node
	var rest []*Node
	for _, ch := range named(n) {
		switch ch.Kind() {
		case "for_in_clause":
			clauses = append(clauses, ch)
		case "if_clause":
			rest = append(rest, c.kids(ch)...)
		}
	}
	if body := n.ChildByFieldName("body"); body != nil {
		rest = append(rest, c.conv(body)...)
	}
	inner := &Node{Kind: KBlock, Start: a, End: b, Kids: rest}
	for i := len(clauses) - 1; i >= 0; i-- {
		cl := clauses[i]
		right := cl.ChildByFieldName("right")
		// A generator expression builds nothing: it feeds its consumer.
		l := &Loop{Style: "each", Comprehension: n.Kind() != "generator_expression", Vars: c.identsIn(cl.ChildByFieldName("left")), Body: inner, Iter: c.text(right)}
		l.Idents = minus(c.identsIn(right), l.Vars)
		loop := &Node{Kind: KLoop, Start: a, End: b, Loop: l, Text: c.text(cl), Kids: append(c.conv(right), inner)}
		inner = &Node{Kind: KBlock, Start: a, End: b, Kids: []*Node{loop}}
	}
	return inner
}

func (c *tsConv) ifNode(n *ts.Node) *Node {
	a, b := lines(n)
	node := &Node{Kind: KIf, Start: a, End: b}
	cond := n.ChildByFieldName("condition")
	var branches []*ts.Node
	if n.Kind() == "conditional_expression" && c.lang == "python" {
		ch := named(n)
		if len(ch) == 3 {
			cond = ch[1]
			branches = []*ts.Node{ch[0], ch[2]}
		}
	} else {
		if cons := n.ChildByFieldName("consequence"); cons != nil {
			branches = append(branches, cons)
		}
		for i := uint(0); i < n.ChildCount(); i++ {
			if n.FieldNameForChild(uint32(i)) == "alternative" {
				branches = append(branches, n.Child(i))
			}
		}
	}
	node.CondText = c.text(cond)
	node.CondIdents = c.identsIn(cond)
	node.CondKids = c.conv(cond)
	for _, br := range branches {
		node.Kids = append(node.Kids, c.block(br, c.conv(br)))
	}
	return node
}

// comparison turns Python's "x in c" into a membership node.
func (c *tsConv) comparison(n *ts.Node) []*Node {
	ch := children(n)
	for i, x := range ch {
		t := c.text(x)
		if !x.IsNamed() && (t == "in" || t == "not in") && i+1 < len(ch) {
			a, b := lines(n)
			right := ch[i+1]
			if right.Kind() == "not" { // "not in" as two tokens
				if i+2 >= len(ch) {
					break
				}
				right = ch[i+2]
			}
			return []*Node{{Kind: KIn, Start: a, End: b, Recv: c.text(right), Text: c.text(n), Kids: c.kids(n)}}
		}
	}
	return c.kids(n)
}

func (c *tsConv) subscript(n *ts.Node) []*Node {
	for _, ch := range named(n) {
		if ch.Kind() == "slice" {
			if constWidthSlice(c.text(ch)) {
				break // a[i:i+4] copies four items whatever n is
			}
			a, b := lines(n)
			return []*Node{{Kind: KSlice, Start: a, End: b, Recv: c.text(n.ChildByFieldName("value")), Text: c.text(n), Kids: c.kids(n)}}
		}
	}
	return c.kids(n)
}

// pyListRepeat recognises [0] * n, Python's way to allocate n slots.
func (c *tsConv) pyListRepeat(n *ts.Node) []*Node {
	l, r := n.ChildByFieldName("left"), n.ChildByFieldName("right")
	op := n.ChildByFieldName("operator")
	if l != nil && r != nil && op != nil && c.text(op) == "*" {
		if l.Kind() == "list" || r.Kind() == "list" {
			size := r
			if r.Kind() == "list" {
				size = l
			}
			al := c.alloc(n, c.text(n), c.identsIn(size))
			al.Kids = c.kids(n)
			return []*Node{al}
		}
	}
	return c.kids(n)
}

func (c *tsConv) call(n *ts.Node) []*Node {
	a, b := lines(n)
	call := &Node{Kind: KCall, Start: a, End: b, Text: c.text(n)}
	fn := n.ChildByFieldName("function")
	if fn == nil {
		fn = n.ChildByFieldName("constructor") // JS new
	}
	if fn == nil {
		fn = n.ChildByFieldName("type") // Java new
	}
	if n.Kind() == "method_invocation" {
		call.Name = c.text(n.ChildByFieldName("name"))
		if obj := n.ChildByFieldName("object"); obj != nil {
			call.Recv = c.text(obj)
			call.Kids = append(call.Kids, c.conv(obj)...)
		}
	} else if fn != nil {
		for fn.Kind() == "generic_function" || fn.Kind() == "template_function" {
			inner := fn.ChildByFieldName("function")
			if inner == nil {
				inner = fn.ChildByFieldName("name")
			}
			if inner == nil {
				break
			}
			fn = inner
		}
		switch fn.Kind() {
		case "attribute", "member_expression", "field_expression", "qualified_identifier", "scoped_identifier":
			var obj, name *ts.Node
			for _, f := range []string{"object", "argument", "value", "scope", "path"} {
				if obj = fn.ChildByFieldName(f); obj != nil {
					break
				}
			}
			for _, f := range []string{"attribute", "property", "field", "name"} {
				if name = fn.ChildByFieldName(f); name != nil {
					break
				}
			}
			call.Name = c.text(name)
			call.Recv = c.text(obj)
			if fn.Kind() == "attribute" || fn.Kind() == "member_expression" || fn.Kind() == "field_expression" {
				call.Kids = append(call.Kids, c.conv(obj)...)
			}
		default:
			call.Name = c.text(fn)
			if n.Kind() == "new_expression" || n.Kind() == "object_creation_expression" {
				call.Name = "new " + strings.SplitN(c.text(fn), "<", 2)[0]
			}
		}
	}
	if args := n.ChildByFieldName("arguments"); args != nil {
		if args.Kind() == "generator_expression" { // sorted(x for x in a)
			call.Args = append(call.Args, strings.Trim(c.text(args), "()"))
		} else {
			for _, arg := range named(args) {
				call.Args = append(call.Args, c.text(arg))
			}
		}
		call.Kids = append(call.Kids, c.conv(args)...)
	}
	return []*Node{call}
}

// macro handles Rust macros: vec![x; n] allocates, and calls written inside
// println!(...) are still calls, found by the name( pattern in the tokens.
func (c *tsConv) macro(n *ts.Node) []*Node {
	a, b := lines(n)
	name := c.text(n.ChildByFieldName("macro"))
	text := c.text(n)
	var out []*Node
	var tt *ts.Node
	for _, ch := range named(n) {
		if ch.Kind() == "token_tree" {
			tt = ch
		}
	}
	if name == "vec" && tt != nil && strings.Contains(text, ";") {
		// vec![elem; size]: the size is what follows the last top-level ';'
		toks := children(tt)
		semi := -1
		for i, x := range toks {
			if c.text(x) == ";" {
				semi = i
			}
		}
		var ids []string
		for _, x := range toks[semi+1:] {
			if c.spec.idents[x.Kind()] {
				ids = append(ids, c.text(x))
			}
		}
		al := &Node{Kind: KAlloc, Start: a, End: b, Text: text, SizeIdents: ids, Dims: 1}
		if len(ids) > 0 && strings.Count(text, "vec!") >= 2 {
			al.Dims = 2
		}
		out = append(out, al)
	}
	if tt != nil {
		out = append(out, c.tokenCalls(tt)...)
	}
	return out
}

func (c *tsConv) tokenCalls(tt *ts.Node) []*Node {
	var out []*Node
	toks := children(tt)
	for i, x := range toks {
		if x.Kind() == "token_tree" {
			inner := c.tokenCalls(x)
			if i > 0 && c.spec.idents[toks[i-1].Kind()] && strings.HasPrefix(c.text(x), "(") {
				a, b := lines(x)
				call := &Node{Kind: KCall, Start: a, End: b, Name: c.text(toks[i-1]), Text: c.text(toks[i-1]) + c.text(x), Kids: inner}
				if i > 2 && c.text(toks[i-2]) == "." {
					call.Recv = c.text(toks[i-3])
				}
				for _, arg := range strings.Split(strings.Trim(c.text(x), "()"), ",") {
					if s := strings.TrimSpace(arg); s != "" {
						call.Args = append(call.Args, s)
					}
				}
				out = append(out, call)
				continue
			}
			out = append(out, inner...)
		}
	}
	return out
}

func (c *tsConv) assign(n *ts.Node) *Node {
	a, b := lines(n)
	left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
	t, idx := c.targets(left)
	if right != nil && len(t) == 1 && !idx && (right.Kind() == "lambda" || right.Kind() == "arrow_function" || right.Kind() == "function_expression") {
		return c.function(right, t[0])
	}
	op := "="
	if o := n.ChildByFieldName("operator"); o != nil {
		op = c.text(o)
	}
	node := &Node{Kind: KAssign, Start: a, End: b, Targets: t, Index: idx, Op: op, Value: c.text(right), Text: c.text(n)}
	if ty := n.ChildByFieldName("type"); ty != nil {
		node.Type = c.text(ty)
	}
	node.Kids = append(c.conv(left), c.conv(right)...) // a[stack.pop()] = i pops too
	return node
}

func (c *tsConv) declarator(n *ts.Node) []*Node {
	a, b := lines(n)
	var nameN, valN, typeN *ts.Node
	for _, f := range []string{"name", "declarator", "pattern"} {
		if nameN = n.ChildByFieldName(f); nameN != nil {
			break
		}
	}
	valN = n.ChildByFieldName("value")
	typeN = n.ChildByFieldName("type")
	if typeN == nil && n.Parent() != nil {
		typeN = n.Parent().ChildByFieldName("type")
	}
	name, _ := c.baseName(nameN)
	if valN != nil {
		switch valN.Kind() {
		case "arrow_function", "function_expression", "function", "lambda_expression", "closure_expression":
			return []*Node{c.function(valN, name)}
		}
	}
	node := &Node{Kind: KAssign, Start: a, End: b, Decl: true, Op: "=", Value: c.text(valN), Type: c.text(typeN), Text: c.text(n)}
	if name != "" {
		node.Targets = []string{name}
	}
	if nameN != nil && nameN.Kind() != "identifier" {
		node.Kids = append(node.Kids, c.conv(nameN)...) // int a[n] in C
	}
	node.Kids = append(node.Kids, c.conv(valN)...)
	// C++ "vector<int> v(n)": constructor arguments size the container.
	if valN != nil && valN.Kind() == "argument_list" && c.lang == "cpp" {
		if ids := c.identsIn(valN); len(ids) > 0 {
			al := c.alloc(n, c.text(n), ids)
			if strings.Count(node.Type, "vector") >= 2 && strings.Contains(c.text(valN), "(") {
				al.Dims = 2
			}
			node.Kids = append(node.Kids, al)
		}
	}
	return []*Node{node}
}

// walkIR visits nodes depth-first without entering function definitions.
func walkIR(nodes []*Node, f func(*Node)) {
	for _, n := range nodes {
		if n == nil {
			continue
		}
		f(n)
		if n.Kind == KFunc {
			continue
		}
		walkIR(n.CondKids, f)
		walkIR(n.Kids, f)
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !contains(b, x) && !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// constWidthSlice reports whether a Python slice "start:stop[:step]" has a
// width that does not depend on the input: a[i:i+4], a[1+4*i:5+4*i], a[:3],
// a[-2:]. Such a copy is O(1), not the O(n) of a[i:] or a[:n].
func constWidthSlice(text string) bool {
	parts := splitTop(text, ':')
	if len(parts) < 2 {
		return false
	}
	start, stop := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
	switch {
	case stop == "":
		// a[-k:] keeps the last k items.
		k, err := strconv.Atoi(strings.ReplaceAll(start, " ", ""))
		return err == nil && k < 0
	case start == "":
		start = "0"
	}
	return slices.Equal(additiveTerms(start), additiveTerms(stop))
}

// additiveTerms is the sorted list of e's signed terms at bracket depth 0,
// integer literals left out: two bounds with the same terms differ by a
// constant.
func additiveTerms(e string) []string {
	e = strings.ReplaceAll(e, " ", "")
	var terms []string
	depth, from := 0, 0
	for i := 0; i <= len(e); i++ {
		if i < len(e) {
			switch e[i] {
			case '(', '[', '{':
				depth++
				continue
			case ')', ']', '}':
				depth--
				continue
			}
			if depth != 0 || (e[i] != '+' && e[i] != '-') || i == from {
				continue
			}
		}
		terms = append(terms, e[from:i])
		from = i
	}
	rest := []string{}
	for _, t := range terms {
		sign := "+"
		if t[0] == '+' || t[0] == '-' {
			sign, t = t[:1], t[1:]
		}
		if _, err := strconv.Atoi(t); err == nil {
			continue
		}
		rest = append(rest, sign+t)
	}
	slices.Sort(rest)
	return rest
}

// splitTop splits s at sep outside brackets.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, from := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[from:i])
				from = i + 1
			}
		}
	}
	return append(out, s[from:])
}
