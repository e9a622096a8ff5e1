package bigo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Factor is one variable's share of a term: v^Pow · log(v)^Log, or 2^v
// when Exp is set (Pow and Log are then unused).
type Factor struct {
	Var string
	Pow int
	Log int
	Exp bool
}

// Term is a product of factors, at most one per variable, sorted by
// variable name. The empty term is the constant 1.
type Term []Factor

// Expr is a complexity in the problem's own variables: a sum of terms
// none of which is dominated by another, e.g. (n + m) log n is the two
// terms n·log n and m·log n. The zero Expr is O(1).
//
// Variables are compared only with themselves: n·log n and n·m are both
// kept in a sum because without knowing how m relates to n neither
// dominates. Problems say how their variables relate by declaring them;
// the coach does not guess.
type Expr struct {
	Terms []Term
}

// Var is the expression O(v).
func Var(v string) Expr { return Expr{Terms: []Term{{{Var: v, Pow: 1}}}} }

// LogVar is O(log v).
func LogVar(v string) Expr { return Expr{Terms: []Term{{{Var: v, Log: 1}}}} }

// ExpVar is O(2^v).
func ExpVar(v string) Expr { return Expr{Terms: []Term{{{Var: v, Exp: true}}}} }

// One is O(1).
func One() Expr { return Expr{} }

// IsConst reports whether e is O(1).
func (e Expr) IsConst() bool {
	for _, t := range e.Terms {
		if len(t) > 0 {
			return false
		}
	}
	return true
}

// Vars lists the variables e depends on, sorted.
func (e Expr) Vars() []string {
	var out []string
	for _, t := range e.Terms {
		for _, f := range t {
			if !slices.Contains(out, f.Var) {
				out = append(out, f.Var)
			}
		}
	}
	slices.Sort(out)
	return out
}

// factorLE orders one variable's factors by growth: 2^v above any power,
// then by power, then by log power. A missing factor is v^0.
func factorLE(a, b Factor) bool {
	if a.Exp != b.Exp {
		return b.Exp
	}
	if a.Exp {
		return true
	}
	if a.Pow != b.Pow {
		return a.Pow < b.Pow
	}
	return a.Log <= b.Log
}

func (t Term) factor(v string) Factor {
	for _, f := range t {
		if f.Var == v {
			return f
		}
	}
	return Factor{Var: v}
}

// termLE reports whether term a grows no faster than term b whatever the
// variables' values: it does so in every variable.
func termLE(a, b Term) bool {
	for _, f := range a {
		if !factorLE(f, b.factor(f.Var)) {
			return false
		}
	}
	return true
}

func termEqual(a, b Term) bool { return termLE(a, b) && termLE(b, a) }

func mulTerm(a, b Term) Term {
	out := slices.Clone(a)
	for _, f := range b {
		i := slices.IndexFunc(out, func(g Factor) bool { return g.Var == f.Var })
		if i < 0 {
			out = append(out, f)
			continue
		}
		g := out[i]
		switch {
		case g.Exp || f.Exp:
			out[i] = Factor{Var: f.Var, Exp: true}
		default:
			out[i] = Factor{Var: f.Var, Pow: g.Pow + f.Pow, Log: g.Log + f.Log}
		}
	}
	return normTerm(out)
}

func normTerm(t Term) Term {
	out := t[:0:0]
	for _, f := range t {
		if f.Exp || f.Pow > 0 || f.Log > 0 {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b Factor) int { return strings.Compare(a.Var, b.Var) })
	return out
}

// Add is the cost of doing a and then b: the sum, without the terms the
// other terms dominate.
func Add(es ...Expr) Expr {
	var all []Term
	for _, e := range es {
		all = append(all, e.Terms...)
	}
	return prune(all)
}

func prune(all []Term) Expr {
	var out []Term
	for i, t := range all {
		t = normTerm(t)
		dominated := false
		for j, u := range all {
			u = normTerm(u)
			if i == j || !termLE(t, u) {
				continue
			}
			// Strictly smaller, or equal and a later copy of the same term.
			if !termLE(u, t) || j < i {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, t)
		}
	}
	e := Expr{Terms: out}
	e.sort()
	return e
}

// Mul is the cost of doing b once per step of a.
func Mul(a, b Expr) Expr {
	if a.IsConst() {
		return Add(b)
	}
	if b.IsConst() {
		return Add(a)
	}
	var all []Term
	for _, x := range a.Terms {
		for _, y := range b.Terms {
			all = append(all, mulTerm(x, y))
		}
	}
	return prune(all)
}

// LogOf is log(e): log(n·m) = log n + log m, log(n + m) ≤ log n + log m,
// log(2^n) = n, log of a constant is a constant.
func LogOf(e Expr) Expr {
	var all []Term
	for _, t := range e.Terms {
		for _, f := range t {
			if f.Exp {
				all = append(all, Term{{Var: f.Var, Pow: 1}})
			} else if f.Pow > 0 {
				all = append(all, Term{{Var: f.Var, Log: 1}})
			} else if f.Log > 0 {
				// log log v: below anything the coach can tell from a constant
			}
		}
	}
	return prune(all)
}

// LE reports whether a grows no faster than b for all values of the
// variables (every term of a is dominated by a term of b).
func LE(a, b Expr) bool {
	for _, t := range a.Terms {
		if len(t) == 0 {
			continue
		}
		ok := false
		for _, u := range b.Terms {
			if termLE(t, u) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// Equal reports whether a and b are the same class.
func Equal(a, b Expr) bool { return LE(a, b) && LE(b, a) }

// Compare orders a against b: -1 (a grows slower), 0 (same class), +1
// (faster), ok=false when neither bounds the other (n·m against n²).
func Compare(a, b Expr) (int, bool) {
	le, ge := LE(a, b), LE(b, a)
	switch {
	case le && ge:
		return 0, true
	case le:
		return -1, true
	case ge:
		return 1, true
	}
	return 0, false
}

// Subst replaces variables: each variable named in m becomes m's
// expression (used to project onto one size, or to scale every variable
// together). Variables not in m are kept.
func Subst(e Expr, m map[string]Expr) Expr {
	var out []Expr
	for _, t := range e.Terms {
		prod := One()
		for _, f := range t {
			r, ok := m[f.Var]
			if !ok {
				prod = Mul(prod, Expr{Terms: []Term{{f}}})
				continue
			}
			switch {
			case f.Exp:
				// 2^(expression): only a single variable stays exponential.
				if vs := r.Vars(); len(vs) > 0 {
					prod = Mul(prod, ExpVar(vs[0]))
				}
			default:
				for i := 0; i < f.Pow; i++ {
					prod = Mul(prod, r)
				}
				lg := LogOf(r)
				for i := 0; i < f.Log; i++ {
					prod = Mul(prod, lg)
				}
			}
		}
		out = append(out, prod)
	}
	return Add(out...)
}

// Along is e when only variable v grows and the others are fixed: the
// single-size class a measurement that varies v alone can check.
func (e Expr) Along(v string) Class {
	m := map[string]Expr{}
	for _, x := range e.Vars() {
		if x != v {
			m[x] = One()
		}
	}
	return Subst(e, m).Class()
}

// Class is e with every variable set to one size n, rounded to the
// classes a single-size measurement can tell apart: O(n² log n) is
// reported as O(n²).
func (e Expr) Class() Class {
	best := Const
	for _, t := range e.Terms {
		pow, lg, exp := 0, 0, false
		for _, f := range t {
			exp = exp || f.Exp
			pow += f.Pow
			lg += f.Log
		}
		c := Const
		switch {
		case exp:
			c = Exponential
		case pow >= 3:
			c = Cubic
		case pow == 2:
			c = Quadratic
		case pow == 1 && lg > 0:
			c = NLogN
		case pow == 1:
			c = Linear
		case lg > 0:
			c = Log
		}
		best = max(best, c)
	}
	return best
}

// FromClass is the single-size class c in variable v.
func FromClass(c Class, v string) Expr {
	switch c {
	case Log:
		return LogVar(v)
	case Linear:
		return Var(v)
	case NLogN:
		return Mul(Var(v), LogVar(v))
	case Quadratic:
		return Mul(Var(v), Var(v))
	case Cubic:
		return Mul(Var(v), Mul(Var(v), Var(v)))
	case Exponential:
		return ExpVar(v)
	}
	return One()
}

// varRank orders variables for printing: n first (the usual main size),
// then the rest alphabetically ignoring case.
func varRank(a, b string) int {
	if a == b {
		return 0
	}
	if a == "n" {
		return -1
	}
	if b == "n" {
		return 1
	}
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func (t Term) degree() (bool, int, int) {
	exp, pow, lg := false, 0, 0
	for _, f := range t {
		exp = exp || f.Exp
		pow += f.Pow
		lg += f.Log
	}
	return exp, pow, lg
}

// sort puts the fastest-growing terms first, ties by variable order.
func (e *Expr) sort() {
	slices.SortStableFunc(e.Terms, func(a, b Term) int {
		ea, pa, la := a.degree()
		eb, pb, lb := b.degree()
		switch {
		case ea != eb:
			if ea {
				return -1
			}
			return 1
		case pa != pb:
			return pb - pa
		case la != lb:
			return lb - la
		}
		return cmpTerm(a, b)
	})
}

// cmpTerm orders terms of the same degree by their variables in print
// order: n before m.
func cmpTerm(a, b Term) int {
	fa, fb := slices.Clone(a), slices.Clone(b)
	byRank := func(x, y Factor) int { return varRank(x.Var, y.Var) }
	slices.SortFunc(fa, byRank)
	slices.SortFunc(fb, byRank)
	for i := 0; i < len(fa) && i < len(fb); i++ {
		if c := varRank(fa[i].Var, fb[i].Var); c != 0 {
			return c
		}
		if fa[i].Pow != fb[i].Pow {
			return fb[i].Pow - fa[i].Pow
		}
		if fa[i].Log != fb[i].Log {
			return fb[i].Log - fa[i].Log
		}
	}
	return len(fa) - len(fb)
}

// String writes e the way people write complexities, in ASCII:
// "O((n + m) log n)", "O(h*w)", "O(n^2)", "O(2^n)", "O(1)".
func (e Expr) String() string { return "O(" + e.render(false) + ")" }

// Pretty is String with superscripts and a middle dot: "O(h·w)", "O(n²)".
func (e Expr) Pretty() string { return "O(" + e.render(true) + ")" }

func (e Expr) render(pretty bool) string {
	terms := make([]Term, 0, len(e.Terms))
	for _, t := range e.Terms {
		if len(t) > 0 {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return "1"
	}
	if len(terms) == 1 {
		return renderTerm(terms[0], pretty)
	}
	// Pull out the factor every term shares: (n + m) log n.
	common := Term{}
	for _, f := range terms[0] {
		c := f
		for _, t := range terms[1:] {
			g := t.factor(f.Var)
			if g.Exp != c.Exp || c.Exp {
				c = Factor{Var: f.Var}
				break
			}
			c.Pow, c.Log = min(c.Pow, g.Pow), min(c.Log, g.Log)
		}
		common = append(common, c)
	}
	common = normTerm(common)
	for _, f := range common {
		if f.Pow > 0 || f.Exp {
			common = nil // factor out logs only: n log n + n log V, not (log n + log V) n
			break
		}
	}
	var rest []string
	for _, t := range terms {
		rest = append(rest, renderTerm(divTerm(t, common), pretty))
	}
	if len(common) == 0 || slices.Contains(rest, "1") {
		var all []string
		for _, t := range terms {
			all = append(all, renderTerm(t, pretty))
		}
		return strings.Join(all, " + ")
	}
	return "(" + strings.Join(rest, " + ") + ") " + renderTerm(common, pretty)
}

func divTerm(t, d Term) Term {
	var out Term
	for _, f := range t {
		g := d.factor(f.Var)
		if !f.Exp {
			f.Pow -= g.Pow
			f.Log -= g.Log
		}
		out = append(out, f)
	}
	return normTerm(out)
}

var superscript = strings.NewReplacer("0", "⁰", "1", "¹", "2", "²", "3", "³", "4", "⁴", "5", "⁵", "6", "⁶", "7", "⁷", "8", "⁸", "9", "⁹")

func renderTerm(t Term, pretty bool) string {
	if len(t) == 0 {
		return "1"
	}
	fs := slices.Clone(t)
	slices.SortFunc(fs, func(a, b Factor) int { return varRank(a.Var, b.Var) })
	pow := func(base string, k int) string {
		if k == 1 {
			return base
		}
		if pretty {
			return base + superscript.Replace(strconv.Itoa(k))
		}
		return base + "^" + strconv.Itoa(k)
	}
	var polys, logs []string
	for _, f := range fs {
		switch {
		case f.Exp && pretty:
			polys = append(polys, "2"+superscriptVar(f.Var))
		case f.Exp:
			polys = append(polys, "2^"+f.Var)
		default:
			if f.Pow > 0 {
				polys = append(polys, pow(f.Var, f.Pow))
			}
			if f.Log > 0 {
				logs = append(logs, pow("log", f.Log)+" "+f.Var)
			}
		}
	}
	sep := "*"
	if pretty {
		sep = "·"
	}
	s := strings.Join(polys, sep)
	if len(logs) > 0 {
		if s != "" {
			s += " "
		}
		s += strings.Join(logs, " ")
	}
	return s
}

func superscriptVar(v string) string {
	if v == "n" {
		return "ⁿ"
	}
	return "^" + v
}

// MarshalText writes String, so reports carry readable classes.
func (e Expr) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText reads what String writes (and what ParseExpr accepts).
func (e *Expr) UnmarshalText(b []byte) error {
	v, err := ParseExpr(string(b), nil)
	if err != nil {
		return err
	}
	*e = v
	return nil
}

// Variables say which names ParseExpr may read as sizes. Const names
// are sizes fixed by the problem (D = 19 digits): they count as O(1).
type Variables struct {
	Names []string
	Const []string
}

// ParseExpr reads a complexity written by a person: "O((n + m) log n)",
// "O(n log^2 n)", "O(n^3 log k)", "O(hw)" (h·w when h and w are
// variables), "n*k", "O(n²)", "O((n + m) alpha(n))" (the inverse
// Ackermann function is a constant), "O(t * D * 10 * S)" with D and S
// declared constant. Text after the closing parenthesis of O(...) is a
// comment. With vars nil any identifier is a variable and a run of
// letters is one name. "unknown" and "" are the unknown class (ok is then
// false).
func ParseExpr(s string, vars *Variables) (Expr, error) {
	e, _, err := parseExpr(s, vars)
	return e, err
}

// ParseKnown is ParseExpr that also says whether s named a class at all
// ("" and "unknown" do not).
func ParseKnown(s string, vars *Variables) (Expr, bool, error) {
	return parseExpr(s, vars)
}

func parseExpr(s string, vars *Variables) (Expr, bool, error) {
	src := strings.TrimSpace(s)
	k := strings.ToLower(src)
	if k == "" || k == "unknown" {
		return Expr{}, false, nil
	}
	if vars == nil || slices.Contains(vars.Names, "n") {
		if c, err := Parse(src); err == nil && c != Unknown {
			return FromClass(c, "n"), true, nil
		}
	}
	body := src
	if strings.HasPrefix(k, "o(") {
		depth, end := 0, -1
		for i, r := range src {
			if r == '(' {
				depth++
			} else if r == ')' {
				depth--
				if depth == 0 {
					end = i
					break
				}
			}
		}
		if end < 0 {
			return Expr{}, false, fmt.Errorf("complexity %q: unbalanced parentheses", s)
		}
		body = src[2:end]
	}
	p := &exprParser{toks: tokenize(body), vars: vars}
	e, err := p.sum()
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("unexpected %q", p.toks[p.pos])
	}
	if err != nil {
		return Expr{}, false, fmt.Errorf("complexity %q: %w", s, err)
	}
	return e, true, nil
}

func tokenize(s string) []string {
	s = strings.NewReplacer("²", "^2", "³", "^3", "ⁿ", "^n", "·", "*", "×", "*", "⋅", "*", "α", "alpha").Replace(s)
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsLetter(r) || r == '_':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_') {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			out = append(out, string(rs[i:j]))
			i = j
		default:
			out = append(out, string(r))
			i++
		}
	}
	return out
}

type exprParser struct {
	toks []string
	pos  int
	vars *Variables
}

func (p *exprParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *exprParser) next() string {
	t := p.peek()
	p.pos++
	return t
}

func (p *exprParser) sum() (Expr, error) {
	e, err := p.product()
	if err != nil {
		return e, err
	}
	for p.peek() == "+" {
		p.next()
		f, err := p.product()
		if err != nil {
			return e, err
		}
		e = Add(e, f)
	}
	return e, nil
}

// product: factors joined by *, or written side by side (n log n).
func (p *exprParser) product() (Expr, error) {
	e, err := p.power()
	if err != nil {
		return e, err
	}
	for {
		t := p.peek()
		if t == "*" {
			p.next()
		} else if t == "" || t == "+" || t == ")" || t == "," {
			return e, nil
		}
		f, err := p.power()
		if err != nil {
			return e, err
		}
		e = Mul(e, f)
	}
}

func (p *exprParser) power() (Expr, error) {
	base, err := p.atom()
	if err != nil {
		return base, err
	}
	if p.peek() != "^" {
		return base, nil
	}
	p.next()
	k, err := strconv.Atoi(p.peek())
	if err != nil || k < 0 || k > 9 {
		return base, fmt.Errorf("want a small integer power, got %q", p.peek())
	}
	p.next()
	out := One()
	for i := 0; i < k; i++ {
		out = Mul(out, base)
	}
	return out, nil
}

func (p *exprParser) atom() (Expr, error) {
	t := p.next()
	switch {
	case t == "(":
		e, err := p.sum()
		if err != nil {
			return e, err
		}
		if p.next() != ")" {
			return e, fmt.Errorf("missing )")
		}
		return e, nil
	case t == "":
		return Expr{}, fmt.Errorf("unexpected end")
	case t[0] >= '0' && t[0] <= '9':
		if t == "2" && p.peek() == "^" && p.pos+1 < len(p.toks) && isIdent(p.toks[p.pos+1]) {
			p.next()
			v := p.next()
			if p.isConst(v) {
				return One(), nil
			}
			return ExpVar(v), nil
		}
		return One(), nil
	case strings.EqualFold(t, "log") || strings.EqualFold(t, "lg") || strings.EqualFold(t, "ln"):
		k := 1
		if p.peek() == "^" {
			p.next()
			n, err := strconv.Atoi(p.next())
			if err != nil || n < 1 || n > 9 {
				return Expr{}, fmt.Errorf("bad log power")
			}
			k = n
		}
		arg, err := p.power()
		if err != nil {
			return arg, err
		}
		out := One()
		for i := 0; i < k; i++ {
			out = Mul(out, LogOf(arg))
		}
		return out, nil
	case strings.EqualFold(t, "alpha"):
		if p.peek() == "(" { // inverse Ackermann: a constant in practice
			if _, err := p.atom(); err != nil {
				return Expr{}, err
			}
		}
		return One(), nil
	case isIdent(t):
		return p.ident(t), nil
	}
	return Expr{}, fmt.Errorf("unexpected %q", t)
}

func isIdent(t string) bool {
	return t != "" && (unicode.IsLetter([]rune(t)[0]) || t[0] == '_')
}

func (p *exprParser) isConst(v string) bool {
	return p.vars != nil && slices.Contains(p.vars.Const, v)
}

// ident reads a name; with declared variables an unknown run of letters
// that spells declared one-letter variables is their product (hw = h·w).
func (p *exprParser) ident(t string) Expr {
	if p.isConst(t) {
		return One()
	}
	if p.vars == nil || slices.Contains(p.vars.Names, t) {
		return Var(t)
	}
	out := One()
	for _, r := range t {
		v := string(r)
		switch {
		case p.isConst(v):
		case slices.Contains(p.vars.Names, v):
			out = Mul(out, Var(v))
		default:
			return Var(t) // not a product of variables: keep the name
		}
	}
	return out
}

// Complexity is a class in the problem's variables, or a label for why
// there is none: "unknown" (nothing to say) or "inconclusive" (the
// evidence does not settle it). It is what reports carry.
type Complexity struct {
	Expr
	OK    bool
	Label string // when !OK: "unknown" (default) or "inconclusive"
}

// Known wraps a class.
func Known(e Expr) Complexity { return Complexity{Expr: e, OK: true} }

// Inconclusive is the class of a decision the evidence does not settle.
func Inconclusive() Complexity { return Complexity{Label: "inconclusive"} }

func (c Complexity) String() string {
	if c.OK {
		return c.Expr.String()
	}
	if c.Label != "" {
		return c.Label
	}
	return "unknown"
}

// Pretty is String for people.
func (c Complexity) Pretty() string {
	if c.OK {
		return c.Expr.Pretty()
	}
	return c.String()
}

// MarshalText writes String.
func (c Complexity) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a class, "unknown" or "inconclusive".
func (c *Complexity) UnmarshalText(b []byte) error {
	s := string(b)
	if s == "inconclusive" {
		*c = Inconclusive()
		return nil
	}
	e, ok, err := ParseKnown(s, nil)
	if err != nil {
		return err
	}
	*c = Complexity{Expr: e, OK: ok}
	return nil
}

// Class is Expr.Class, Unknown when there is no class.
func (c Complexity) Class() Class {
	if !c.OK {
		return Unknown
	}
	return c.Expr.Class()
}
