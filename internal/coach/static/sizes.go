package static

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// The sizer reads the expressions of loop headers, allocations and
// assignments (as source text: the IR keeps text) in any of the seven
// languages well enough to say how large a value is (the magnitude of
// n + 1, h * w, len(a), 1 << k) or how many elements iterating it yields
// (range(n), a.iter(), &adj[v], 0..n). It is a small precedence parser
// over a token stream shared by the languages; what it does not
// understand it skips, and the callers fall back to the problem's main
// size.

type sx struct {
	op   string // num, str, id, call, index, slice, member, bin, un, list, comp, tern, range
	src  string // source tokens of a slice bound
	text string // identifier, member name, operator, literal
	kids []*sx
	num  float64
}

func tokenizeCode(s string) []string {
	var out []string
	rs := []rune(s)
	multi := []string{"..=", ">>>", "...", "..", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "::", "->", "=>", "++", "--", "+=", "-=", "*=", "/=", "|=", "&="}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsLetter(r) || r == '_' || r == '$':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '$') {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' ||
				(rs[j] == '.' && j+1 < len(rs) && unicode.IsDigit(rs[j+1])) ||
				((rs[j] == '+' || rs[j] == '-') && (rs[j-1] == 'e' || rs[j-1] == 'E') && !strings.HasPrefix(string(rs[i:j]), "0x"))) {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		case r == '"' || r == '\'' || r == '`':
			j := i + 1
			for j < len(rs) && rs[j] != r {
				if rs[j] == '\\' {
					j++
				}
				j++
			}
			if r == '\'' && j-i > 3 { // a Rust lifetime or a stray quote: one token
				out = append(out, "'")
				i++
				continue
			}
			out = append(out, "\"str\"")
			i = min(j+1, len(rs))
		default:
			tok := string(r)
			for _, m := range multi {
				if strings.HasPrefix(string(rs[i:min(len(rs), i+len(m))]), m) {
					tok = m
					break
				}
			}
			out = append(out, tok)
			i += len([]rune(tok))
		}
	}
	return out
}

type sxParser struct {
	toks    []string
	pos     int
	inIndex int // inside a[...]: "::" there is Python's a[i::k]
}

func parseSx(s string) *sx {
	p := &sxParser{toks: tokenizeCode(s)}
	e := p.expr()
	if p.peek() == "for" { // a generator expression argument: x for x in a
		e = p.comprehension(e)
	}
	return e
}

func (p *sxParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *sxParser) next() string {
	t := p.peek()
	if p.pos < len(p.toks) {
		p.pos++
	}
	return t
}

func (p *sxParser) expr() *sx {
	e := p.ternary()
	// a, b: a tuple; keep the first element and the rest as kids of a list
	if p.peek() == "," {
		l := &sx{op: "list", kids: []*sx{e}}
		for p.peek() == "," {
			p.next()
			if k := p.ternary(); k != nil {
				l.kids = append(l.kids, k)
			}
		}
		return l
	}
	return e
}

func (p *sxParser) ternary() *sx {
	c := p.rangeExpr()
	switch p.peek() {
	case "?":
		p.next()
		a := p.ternary()
		if p.peek() == ":" {
			p.next()
		}
		b := p.ternary()
		return &sx{op: "tern", kids: []*sx{a, b, c}}
	case "if": // Python: a if c else b
		save := p.pos
		p.next()
		cond := p.rangeExpr()
		if p.peek() != "else" {
			p.pos = save
			return c
		}
		p.next()
		b := p.ternary()
		return &sx{op: "tern", kids: []*sx{c, b, cond}}
	}
	return c
}

func (p *sxParser) rangeExpr() *sx {
	if p.peek() == ".." || p.peek() == "..=" {
		p.next()
		return &sx{op: "range", kids: []*sx{{op: "num"}, p.binary(0)}}
	}
	a := p.binary(0)
	if t := p.peek(); t == ".." || t == "..=" {
		p.next()
		var b *sx
		if s := p.peek(); s != "" && s != ")" && s != "]" && s != "," && s != "{" {
			b = p.binary(0)
		}
		return &sx{op: "range", kids: []*sx{a, b}}
	}
	return a
}

var binPrec = map[string]int{
	"||": 1, "or": 1, "&&": 2, "and": 2,
	"<": 3, ">": 3, "<=": 3, ">=": 3, "==": 3, "!=": 3, "in": 3, "is": 3,
	"|": 4, "^": 5, "&": 6, "<<": 7, ">>": 7, ">>>": 7,
	"+": 8, "-": 8, "*": 9, "/": 9, "//": 9, "%": 9,
}

func (p *sxParser) binary(minPrec int) *sx {
	left := p.unary()
	for {
		op := p.peek()
		prec, ok := binPrec[op]
		if !ok || prec <= minPrec && minPrec > 0 || prec < minPrec {
			return left
		}
		p.next()
		if op == "not" && p.peek() == "in" {
			p.next()
		}
		right := p.binary(prec + 1)
		left = &sx{op: "bin", text: op, kids: []*sx{left, right}}
	}
}

func (p *sxParser) unary() *sx {
	switch t := p.peek(); t {
	case "++", "--":
		p.next()
		return &sx{op: "un", text: t, kids: []*sx{p.unary()}}
	case "-", "+", "!", "~", "not", "&", "*":
		p.next()
		if p.peek() == "mut" {
			p.next()
		}
		inner := p.unary()
		if t == "-" || t == "+" || t == "&" || t == "*" {
			return inner // sizes ignore signs and references
		}
		return &sx{op: "un", text: t, kids: []*sx{inner}}
	case "(":
		// A C cast "(int) x" or "(long long) x": skip the type.
		j := p.pos + 1
		for j < len(p.toks) && isWord(p.toks[j]) && !strings.ContainsAny(p.toks[j], "0123456789") {
			j++
		}
		if j > p.pos+1 && j < len(p.toks) && p.toks[j] == ")" && j+1 < len(p.toks) && (isWord(p.toks[j+1]) || p.toks[j+1] == "(") && castType(p.toks[p.pos+1]) {
			p.pos = j + 1
			return p.unary()
		}
	}
	base := p.postfix()
	if p.peek() == "**" {
		p.next()
		exp := p.unary()
		return &sx{op: "bin", text: "**", kids: []*sx{base, exp}}
	}
	return base
}

func castType(t string) bool {
	switch t {
	case "int", "long", "unsigned", "size_t", "double", "float", "char", "short", "ll", "int64_t", "uint64_t", "int32_t", "signed":
		return true
	}
	return false
}

func isWord(t string) bool {
	return t != "" && (unicode.IsLetter([]rune(t)[0]) || t[0] == '_' || t[0] == '$')
}

func (p *sxParser) postfix() *sx {
	e := p.primary()
	for e != nil {
		switch p.peek() {
		case "++", "--":
			op := p.next()
			e = &sx{op: "un", text: op, kids: []*sx{e}}
		case "(":
			p.next()
			args := p.args(")")
			e = &sx{op: "call", kids: append([]*sx{e}, args...)}
		case "[":
			p.next()
			e = p.index(e)
		case ".", "::", "->", "?.":
			if p.peek() == "::" && p.inIndex > 0 && (p.pos+1 < len(p.toks) && p.toks[p.pos+1] == "]" || p.pos+2 < len(p.toks) && p.toks[p.pos+2] == "]") {
				return e
			}
			p.next()
			name := p.next()
			e = &sx{op: "member", text: name, kids: []*sx{e}}
		case "?":
			if p.pos+1 < len(p.toks) && (p.toks[p.pos+1] == "." || p.toks[p.pos+1] == ")" || p.toks[p.pos+1] == ";") {
				p.next() // Rust's ? operator
				continue
			}
			return e
		case "!":
			if e.op == "id" && p.pos+1 < len(p.toks) && (p.toks[p.pos+1] == "[" || p.toks[p.pos+1] == "(") {
				p.next() // a Rust macro: vec![...], format!(...)
				if p.peek() == "[" {
					e = &sx{op: "call", text: "macro", kids: []*sx{e, p.primary()}} // vec![x; n], vec![a, b]
					continue
				}
				p.next()
				args := p.args(")")
				e = &sx{op: "call", text: "macro", kids: append([]*sx{e}, args...)}
				continue
			}
			return e
		case "<":
			// generic arguments: Vec<i64>::new(), new ArrayList<>(n)
			if e.op == "id" && unicode.IsUpper([]rune(e.text)[0]) || e.op == "member" {
				if j := p.matchAngle(); j > 0 {
					p.pos = j
					continue
				}
			}
			return e
		default:
			return e
		}
	}
	return e
}

// matchAngle returns the position after a balanced <...> of type names,
// or 0.
func (p *sxParser) matchAngle() int {
	depth := 0
	for j := p.pos; j < len(p.toks); j++ {
		switch t := p.toks[j]; t {
		case "<":
			depth++
		case ">":
			depth--
			if depth == 0 {
				return j + 1
			}
		case ">>":
			depth -= 2
			if depth <= 0 {
				return j + 1
			}
		case ",", "::", "[", "]", "?", "&", "'", "*":
		default:
			if !isWord(t) && !strings.ContainsAny(t, "0123456789") {
				return 0
			}
		}
	}
	return 0
}

func (p *sxParser) args(closer string) []*sx {
	var out []*sx
	for p.peek() != "" && p.peek() != closer {
		if p.peek() == "," || p.peek() == ";" {
			p.next()
			continue
		}
		start := p.pos
		a := p.ternary()
		if p.peek() == "for" { // generator expression argument
			a = p.comprehension(a)
		}
		if p.peek() == "=" || p.peek() == ":" { // keyword argument / JS object field
			p.next()
			a = p.ternary()
		}
		if a != nil {
			out = append(out, a)
		}
		if p.pos == start {
			p.next()
		}
	}
	p.next()
	return out
}

func (p *sxParser) index(base *sx) *sx {
	// a[i], a[i:j], a[::-1], a[..n]
	p.inIndex++
	defer func() { p.inIndex-- }()
	var parts []*sx
	slice := false
	for p.peek() != "" && p.peek() != "]" {
		if p.peek() == "::" {
			slice = true
			if len(parts) == 0 {
				parts = append(parts, nil)
			}
			parts = append(parts, nil)
			p.next()
			continue
		}
		if p.peek() == ":" {
			slice = true
			parts = append(parts, nil)
			p.next()
			continue
		}
		start := p.pos
		e := p.expr()
		if e != nil {
			e.src = strings.Join(p.toks[start:p.pos], "")
		}
		if e != nil && e.op == "range" {
			slice = true
		}
		parts = append(parts, e)
		if p.peek() == ":" {
			slice = true
			p.next()
			if p.peek() == "]" {
				parts = append(parts, nil)
			}
		}
		if p.pos == start {
			p.next()
		}
	}
	p.next()
	if slice {
		return &sx{op: "slice", kids: append([]*sx{base}, parts...)}
	}
	var idx *sx
	if len(parts) > 0 {
		idx = parts[0]
	}
	return &sx{op: "index", kids: []*sx{base, idx}}
}

func (p *sxParser) comprehension(elem *sx) *sx {
	c := &sx{op: "comp", kids: []*sx{elem}}
	for p.peek() == "for" {
		p.next()
		for p.peek() != "in" && p.peek() != "" {
			p.next()
		}
		p.next()
		c.kids = append(c.kids, p.rangeExpr())
		for p.peek() == "if" {
			p.next()
			p.rangeExpr()
		}
	}
	return c
}

func (p *sxParser) primary() *sx {
	t := p.next()
	switch {
	case t == "":
		return nil
	case t == "(":
		e := p.expr()
		if p.peek() == "for" {
			e = p.comprehension(e)
		}
		if p.peek() == ")" {
			p.next()
		}
		return e
	case t == "[":
		var kids []*sx
		for p.peek() != "" && p.peek() != "]" {
			if p.peek() == "," || p.peek() == ";" {
				if p.peek() == ";" { // Rust [x; n]
					p.next()
					n := p.ternary()
					kids = []*sx{{op: "repeat", kids: append(kids, n)}}
					continue
				}
				p.next()
				continue
			}
			start := p.pos
			e := p.ternary()
			if p.peek() == "for" {
				e = p.comprehension(e)
				kids = append(kids, e)
				continue
			}
			if e != nil {
				kids = append(kids, e)
			}
			if p.pos == start {
				p.next()
			}
		}
		p.next()
		if len(kids) == 1 && (kids[0].op == "comp" || kids[0].op == "repeat") {
			return kids[0]
		}
		return &sx{op: "list", kids: kids}
	case t == "{":
		kids := p.args("}")
		return &sx{op: "list", text: "{}", kids: kids}
	case t == "\"str\"":
		return &sx{op: "str"}
	case t == "new":
		// new T(args), new T[expr], new T[] {...}
		typ := p.next()
		for p.peek() == "." || p.peek() == "::" {
			p.next()
			typ = p.next()
		}
		if p.peek() == "<" {
			if j := p.matchAngle(); j > 0 {
				p.pos = j
			}
		}
		switch p.peek() {
		case "(":
			p.next()
			return &sx{op: "call", text: "new", kids: append([]*sx{{op: "id", text: typ}}, p.args(")")...)}
		case "[":
			var dims []*sx
			for p.peek() == "[" {
				p.next()
				if p.peek() == "]" {
					p.next()
					continue
				}
				dims = append(dims, p.expr())
				if p.peek() == "]" {
					p.next()
				}
			}
			return &sx{op: "newarray", text: typ, kids: dims}
		}
		return &sx{op: "id", text: typ}
	case unicode.IsDigit([]rune(t)[0]):
		return &sx{op: "num", text: t, num: parseNum(t)}
	case isWord(t):
		return &sx{op: "id", text: t}
	}
	return p.primary()
}

func parseNum(t string) float64 {
	t = strings.TrimRight(strings.ToLower(strings.ReplaceAll(t, "_", "")), "lun")
	t = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(t, "i64"), "usize"), "i32")
	if v, err := strconv.ParseFloat(t, 64); err == nil {
		return v
	}
	if v, err := strconv.ParseInt(t, 0, 64); err == nil {
		return float64(v)
	}
	return 0
}

// size is a magnitude or a count: an expression, whether it is known, and
// whether it is a big literal (10**9, 1e18: a bound on values).
type size struct {
	e     bigo.Expr
	known bool
	big   bool
}

func known(e bigo.Expr) size { return size{e: e, known: true} }

var constSize = size{known: true}

func addSizes(ss ...size) size {
	var es []bigo.Expr
	out := size{}
	anyNonConst := false
	for _, s := range ss {
		if s.known && !s.e.IsConst() {
			anyNonConst = true
		}
	}
	for _, s := range ss {
		if !s.known && anyNonConst {
			continue // what is unknown beside a real size is taken to be smaller
		}
		out.known = out.known || s.known
		out.big = out.big || s.big
		es = append(es, s.e)
	}
	out.e = bigo.Add(es...)
	if len(ss) > 0 {
		allKnown := true
		for _, s := range ss {
			if !s.known && !anyNonConst {
				allKnown = false
			}
		}
		out.known = allKnown
	}
	return out
}

func mulSizes(a, b size) size {
	return size{e: bigo.Mul(a.e, b.e), known: a.known && b.known, big: a.big || b.big}
}

// sizeEnv answers for identifiers; the analyzer implements it.
type sizeEnv interface {
	scalar(id string) size // magnitude of a variable
	length(id string) size // element count of a collection variable
	elem(id string) size   // length of each element (rows, adjacency lists, tokens)
	valueBound() size      // the problem's bound on input values
	isConst(id string) bool
	main() bigo.Expr           // the problem's main size
	tokens(id string) bool     // id holds the input tokens
	constValue(id string) size // a constant, flagged big when it is (MAXN = 200005)
	tokenLen() size            // the length of one input token, if the problem says
	logOf(s size) size         // log of a magnitude (a number's digits)
}

// valueOf is the magnitude of an integer expression.
func valueOf(env sizeEnv, e *sx) size {
	if e == nil {
		return size{}
	}
	switch e.op {
	case "num":
		s := constSize
		s.big = e.num >= 1e5
		return s
	case "str":
		return constSize
	case "id":
		if ignored[e.text] {
			return constSize
		}
		if env.isConst(e.text) {
			return env.constValue(e.text)
		}
		return env.scalar(e.text)
	case "tern":
		return addSizes(valueOf(env, e.kids[0]), valueOf(env, e.kids[1]))
	case "un":
		return valueOf(env, e.kids[0])
	case "list":
		var ss []size
		for _, k := range e.kids {
			ss = append(ss, valueOf(env, k))
		}
		return addSizes(ss...)
	case "index":
		// An element's value: a bound on values, if the problem has one;
		// a token of the input (int(data[0])) is a read, not a value.
		if id := sxIdent(e.kids[0]); id != "" && env.tokens(id) {
			return size{}
		}
		if vb := env.valueBound(); vb.known {
			return vb
		}
		return size{}
	case "member":
		switch e.text {
		case "length", "size", "len", "Length", "Count", "count":
			return lengthOf(env, e.kids[0])
		case "MAX_VALUE", "MaxInt", "MaxInt64", "MAX", "max_value":
			s := constSize
			s.big = true
			return s
		}
		return size{}
	case "bin":
		if e.kids[0] != nil && e.kids[1] != nil && e.kids[0].op == "num" && e.kids[1].op == "num" {
			// constant arithmetic: 1 << 26, 10**9 + 7
			x, y := e.kids[0].num, e.kids[1].num
			v := 0.0
			switch e.text {
			case "+":
				v = x + y
			case "-":
				v = x - y
			case "*":
				v = x * y
			case "**":
				v = math.Pow(x, y)
			case "<<":
				v = x * math.Pow(2, y)
			default:
				v = x
			}
			s := constSize
			s.big = v >= 1e5
			return s
		}
		a, b := valueOf(env, e.kids[0]), valueOf(env, e.kids[1])
		if e.text == "-" && (e.kids[1].op == "str" || e.kids[0].op == "str") {
			return constSize // c - '0': a digit or a letter's index
		}
		switch e.text {
		case "+", "-", "|", "^":
			return addSizes(a, b)
		case "*":
			return mulSizes(a, b)
		case "/", "//", ">>", ">>>":
			if b.known && b.e.IsConst() {
				return a
			}
			return a
		case "%", "&":
			if e.text == "&" && a.known && a.e.IsConst() {
				return a
			}
			return b
		case "<<":
			if a.known && a.e.IsConst() && b.known && !b.e.IsConst() {
				vs := b.e.Vars()
				return known(bigo.ExpVar(vs[0]))
			}
			if b.known && b.e.IsConst() {
				return a
			}
			return a
		case "**":
			if b.known && b.e.IsConst() && e.kids[1].op == "num" {
				out := constSize
				for i := 0; i < int(e.kids[1].num) && i < 4; i++ {
					out = mulSizes(out, a)
				}
				out.big = a.big || (a.e.IsConst() && e.kids[1].num >= 5)
				return out
			}
			if a.known && a.e.IsConst() && b.known && !b.e.IsConst() {
				return known(bigo.ExpVar(b.e.Vars()[0]))
			}
			return a
		}
		return constSize // comparisons and logic are booleans
	case "range":
		return addSizes(valueOf(env, e.kids[0]), valueOf(env, e.kids[1]))
	case "call":
		return callValue(env, e)
	}
	return size{}
}

func calleeName(e *sx) (name string, recv *sx) {
	f := e.kids[0]
	switch f.op {
	case "id":
		return f.text, nil
	case "member":
		return f.text, f.kids[0]
	}
	return "", nil
}

func callValue(env sizeEnv, e *sx) size {
	name, recv := calleeName(e)
	args := e.kids[1:]
	switch name {
	case "len", "strlen", "size", "length", "len_utf8", "count", "Len":
		// An unknown collection's length is the main size.
		var l size
		switch {
		case recv != nil:
			if id := sxIdent(recv); id == "bits" || id == "utf8" {
				return size{}
			}
			l = lengthOf(env, recv)
		case len(args) > 0:
			l = lengthOf(env, args[0])
		default:
			return size{}
		}
		if !l.known {
			return known(env.main())
		}
		return l
	case "int", "long", "Number", "parseInt", "atoi", "stoi", "stoll", "Atoi", "parse", "abs", "Abs", "float", "round", "ceil", "floor", "toInt", "intValue", "ParseInt", "uint", "int64", "usize", "i64", "as_usize", "from", "unwrap", "into":
		if recv != nil && len(args) == 0 {
			return valueOf(env, recv)
		}
		if len(args) > 0 {
			return valueOf(env, args[0])
		}
	case "min", "Min", "fmin", "minOf":
		return minSize(env, recv, args)
	case "max", "Max", "fmax", "maxOf":
		var ss []size
		if recv != nil && len(args) <= 1 && sxIdent(recv) != "Math" && sxIdent(recv) != "std" && sxIdent(recv) != "math" {
			ss = append(ss, valueOf(env, recv))
		}
		for _, a := range args {
			ss = append(ss, valueOf(env, a))
		}
		if len(args) == 1 && recv == nil && args[0].op != "num" {
			// max(a): the largest element of a collection.
			if vb := env.valueBound(); vb.known {
				return vb
			}
			return size{}
		}
		return addSizes(ss...)
	case "bit_length", "__lg", "log2", "log", "Log2", "ilog2", "bitLength", "numberOfLeadingZeros", "__builtin_clz", "__builtin_clzll", "leading_zeros", "Len64", "clz32":
		var arg *sx
		if recv != nil && (name == "bit_length" || name == "ilog2" || name == "leading_zeros" || name == "bitLength") {
			arg = recv
		} else if len(args) > 0 {
			arg = args[len(args)-1]
			if len(args) == 2 && name == "log" {
				arg = args[0]
			}
		}
		v := valueOf(env, arg)
		if !v.known {
			return v
		}
		return known(bigo.LogOf(v.e))
	case "sqrt", "isqrt", "Sqrt", "cbrt":
		// n^(1/2) is not a class the coach names; the bound stays n.
		if len(args) > 0 {
			return valueOf(env, args[len(args)-1])
		}
		if recv != nil {
			return valueOf(env, recv)
		}
	case "pow", "Pow":
		if len(args) == 2 {
			return valueOf(env, &sx{op: "bin", text: "**", kids: args})
		}
	}
	return size{}
}

// minSize: min(a, b) is at most each; keep the argument that is a size of
// the problem rather than a loop counter, else the smaller if they compare.
func minSize(env sizeEnv, recv *sx, args []*sx) size {
	var ss []size
	for _, a := range args {
		s := valueOf(env, a)
		if s.known && s.e.IsConst() {
			return s
		}
		ss = append(ss, s)
	}
	if len(ss) == 0 {
		return size{}
	}
	best := ss[0]
	for _, s := range ss[1:] {
		switch {
		case !best.known:
			best = s
		case !s.known:
		case bigo.LE(s.e, best.e):
			best = s
		case bigo.LE(best.e, s.e):
		default:
			best = addSizes(best, s)
		}
	}
	return best
}

func sxIdent(e *sx) string {
	if e != nil && e.op == "id" {
		return e.text
	}
	return ""
}

// lengthOf is how many elements iterating e yields.
func lengthOf(env sizeEnv, e *sx) size {
	if e == nil {
		return size{}
	}
	switch e.op {
	case "id":
		if ignored[e.text] {
			return constSize
		}
		return env.length(e.text)
	case "str":
		return constSize
	case "list":
		if e.text == "{}" && len(e.kids) == 1 {
			return lengthOf(env, e.kids[0])
		}
		return constSize // a literal: as many elements as written
	case "repeat":
		return valueOf(env, e.kids[len(e.kids)-1])
	case "comp":
		out := constSize
		for _, it := range e.kids[1:] {
			out = mulSizes(out, lengthOf(env, it))
		}
		return out
	case "range":
		return addSizes(valueOf(env, e.kids[0]), valueOf(env, e.kids[1]))
	case "slice":
		// a[i:i+4] has a constant width whatever i is.
		if len(e.kids) >= 3 && e.kids[1] != nil && e.kids[2] != nil && e.kids[1].src != "" && e.kids[2].src != "" &&
			constWidthSlice(e.kids[1].src+":"+e.kids[2].src) {
			return constSize
		}
		// a[i:j]: as long as its bounds say, else as long as a.
		var bounds []size
		for _, k := range e.kids[1:min(len(e.kids), 3)] { // start and stop; not the step
			if k == nil {
				continue
			}
			if k.op == "range" {
				bounds = append(bounds, valueOf(env, k))
				continue
			}
			if k.op == "num" || k.op == "un" {
				continue
			}
			bounds = append(bounds, valueOf(env, k))
		}
		if b := addSizes(bounds...); b.known && len(bounds) > 0 && !b.e.IsConst() {
			return b
		}
		return lengthOf(env, e.kids[0])
	case "index":
		return elemOf(env, e.kids[0])
	case "tern":
		return addSizes(lengthOf(env, e.kids[0]), lengthOf(env, e.kids[1]))
	case "bin":
		switch e.text {
		case "*": // [0] * n, "ab" * k
			a, b := lengthOf(env, e.kids[0]), valueOf(env, e.kids[1])
			if e.kids[0].op == "list" || e.kids[0].op == "str" {
				return mulSizes(a, b)
			}
			return mulSizes(valueOf(env, e.kids[0]), b)
		case "+":
			return addSizes(lengthOf(env, e.kids[0]), lengthOf(env, e.kids[1]))
		}
		return size{}
	case "member":
		switch e.text {
		case "length", "size", "len": // JS a.length as an iterable? rare
			return valueOf(env, e)
		}
		return lengthOf(env, e.kids[0]) // a.keys, a.chars ...
	case "newarray":
		// new int[h][w] has h elements (rows of w: elemOfValue)
		if len(e.kids) == 0 {
			return constSize
		}
		v := valueOf(env, e.kids[0])
		if v.known && v.e.IsConst() && v.big {
			v = known(env.main()) // static char s[200005]: sized for the largest input
		}
		return v
	case "call":
		return callLength(env, e)
	}
	return size{}
}

func elemOf(env sizeEnv, e *sx) size {
	if id := sxIdent(e); id != "" {
		return env.elem(id)
	}
	if e != nil && e.op == "member" && (e.text == "iter" || e.text == "get") {
		return elemOf(env, e.kids[0])
	}
	return size{}
}

// iterating methods and functions that yield as many elements as their
// receiver or first argument
var passThrough = set{"enumerate": true, "reversed": true, "sorted": true, "list": true, "set": true, "iter": true,
	"iter_mut": true, "into_iter": true, "chars": true, "bytes": true, "keys": true, "values": true, "items": true,
	"entrySet": true, "keySet": true, "entries": true, "rev": true, "enumerate_": true, "skip": true, "cloned": true,
	"copied": true, "windows": true, "chunks": true, "tuple": true, "frozenset": true, "zip": true, "toCharArray": true,
	"split_whitespace": true, "lines": true, "filter": true, "map": true, "stream": true, "collect": true, "to_vec": true,
	"bytearray": true, "bytes_": true, "deque": true, "Counter": true, "from": true, "of": true, "asList": true, "vec": true,
	"slice": true, "concat": true, "split": true, "Fields": true, "Split": true, "char_indices": true, "peekable": true,
	"step_by": true, "array": true, "Array": true, "ArrayList": true, "HashSet": true, "TreeSet": true, "LinkedList": true,
	"ArrayDeque": true, "PriorityQueue": true, "VecDeque": true, "BinaryHeap": true, "by_ref": true, "fill": true,
	"begin": true, "end": true, "rbegin": true, "data": true, "trim": true, "strip": true, "rstrip": true, "decode": true,
	"as_bytes": true, "to_string": true, "clone": true, "copy": true, "toLowerCase": true, "toUpperCase": true}

func callLength(env sizeEnv, e *sx) size {
	name, recv := calleeName(e)
	args := e.kids[1:]
	switch {
	case name == "range" || name == "xrange":
		var ss []size
		for i, a := range args {
			if i == 2 {
				break // the step
			}
			ss = append(ss, valueOf(env, a))
		}
		return addSizes(ss...)
	case name == "malloc" || name == "calloc" || name == "realloc" || name == "alloca":
		// malloc(sizeof(int) * (n + 1)), calloc(n, sizeof *a)
		out := constSize
		for i, a := range args {
			if name == "realloc" && i == 0 {
				continue
			}
			out = mulSizes(out, bytesValue(env, a))
		}
		if out.known && out.e.IsConst() && out.big {
			return known(env.main()) // malloc(1 << 26): sized for the largest input
		}
		return out
	case name == "take" && recv != nil && len(args) == 1:
		return valueOf(env, args[0])
	case name == "Array" && len(args) == 1, name == "make" && len(args) >= 2:
		return valueOf(env, args[len(args)-1])
	case name == "macro" || e.text == "macro":
		if sxIdent(e.kids[0]) == "vec" && len(args) == 1 {
			return lengthOf(env, args[0])
		}
	case name == "from" && len(args) >= 1 && args[0].op == "list" && args[0].text == "{}":
		return lengthOf(env, args[0]) // Array.from({length: n}, ...)
	case (name == "vector" || name == "deque" || name == "valarray" || name == "string" || name == "basic_string" || name == "bitset") && e.text != "new" && len(args) >= 1:
		if v := valueOf(env, args[0]); v.known {
			return v
		}
		return lengthOf(env, args[0])
	case e.text == "new" && len(args) >= 1 && args[0].op != "list":
		if v := valueOf(env, args[0]); v.known && !v.e.IsConst() {
			return v // new ArrayList<>(n), new int[n] handled as newarray
		}
		return lengthOf(env, args[0])
	case name == "join" && recv != nil && len(args) == 1:
		// "".join(parts): every part's characters
		return mulSizes(lengthOf(env, args[0]), elemOrOne(env, args[0]))
	case name == "to_string" && (recv == nil || sxIdent(recv) == "std") && len(args) == 1, name == "str" && len(args) == 1, name == "Itoa" || name == "FormatInt",
		name == "toString" && recv != nil && len(args) == 0 && sxIdent(recv) != "" && !isCollectionish(env, recv):
		// the digits of a number
		arg := recv
		if len(args) > 0 {
			arg = args[0]
		}
		if l := lengthOf(env, arg); l.known {
			return l
		}
		return env.logOf(valueOf(env, arg))
	case inputCalls[name] && len(args) == 0:
		return env.tokenLen() // one line or token of the input: a word, a row
	case (name == "map" || name == "filter" || name == "zip") && recv == nil && len(args) >= 2:
		return lengthOf(env, args[len(args)-1])
	case passThrough[name]:
		if recv != nil && sxIdent(recv) != "Array" && sxIdent(recv) != "Arrays" && sxIdent(recv) != "List" && sxIdent(recv) != "std" {
			return lengthOf(env, recv)
		}
		if len(args) > 0 {
			return lengthOf(env, args[0])
		}
	}
	if recv != nil && (name == "get" || name == "at") {
		return elemOf(env, recv)
	}
	return size{}
}

func elemOrOne(env sizeEnv, e *sx) size {
	if s := elemOf(env, e); s.known {
		return s
	}
	if e.op == "slice" {
		if s := elemOf(env, e.kids[0]); s.known {
			return s
		}
	}
	return constSize
}

func isCollectionish(env sizeEnv, x *sx) bool {
	return lengthOf(env, x).known
}

// bytesValue is the element count in a byte size: sizeof(...) counts as 1.
func bytesValue(env sizeEnv, x *sx) size {
	if x == nil {
		return constSize
	}
	if x.op == "call" {
		if name, _ := calleeName(x); name == "sizeof" {
			return constSize
		}
	}
	if x.op == "id" && x.text == "sizeof" {
		return constSize
	}
	if x.op == "bin" && x.text == "*" {
		return mulSizes(bytesValue(env, x.kids[0]), bytesValue(env, x.kids[1]))
	}
	return valueOf(env, x)
}

// inputCalls read one line or token of the input.
var inputCalls = set{"readLine": true, "input": true, "nextLine": true, "next": true, "readline": true, "Text": true,
	"read_line": true, "ReadString": true, "nextToken": true, "getline": true}
