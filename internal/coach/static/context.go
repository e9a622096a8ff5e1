package static

import (
	"slices"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// Var is one size the problem is stated in (arena.yaml's coach.variables).
type Var struct {
	Name    string   `json:"name" yaml:"-"`
	Aliases []string `json:"aliases,omitempty" yaml:"aliases"` // other names solutions use for it (N, rows, ...)
	// Kind: "size" (default: a count the input gives), "value" (a bound
	// on the input's values: binary searches over answers and gcds run in
	// log of it), "token" (the length of one input token: words, grid
	// rows), "const" (fixed by the statement, e.g. 19 digits).
	Kind string `json:"kind,omitempty" yaml:"kind"`
	// LogAs: log of this variable is reported as log of LogAs (m ≤ n²
	// edges, so log m = O(log n)).
	LogAs string `json:"log_as,omitempty" yaml:"log_as"`
	// LE: this variable never exceeds LE (k ≤ n jump lengths), so a term
	// that only differs by it is dominated: n + k is O(n).
	LE string `json:"le,omitempty" yaml:"le"`
}

// Context is what the problem says about its sizes. The zero Context is
// one size, n.
type Context struct {
	Vars []Var
	// Input is the size of the whole input (h·w for a grid): what a loop
	// with a bound the analyser cannot read is taken to run over. Zero:
	// the first declared size.
	Input bigo.Expr
}

// mainSize is Input, or the first declared size.
func (c Context) mainSize() bigo.Expr {
	if !c.Input.IsConst() {
		return c.Input
	}
	return bigo.Var(c.primary())
}

// primary is the size an unexplained loop bound is taken to be: the first
// declared size, n by default.
func (c Context) primary() string {
	for _, v := range c.Vars {
		if v.Kind == "" || v.Kind == "size" {
			return v.Name
		}
	}
	return "n"
}

func (c Context) ofKind(kind string) string {
	for _, v := range c.Vars {
		if v.Kind == kind {
			return v.Name
		}
	}
	return ""
}

// lookup resolves an identifier of the code to a declared variable: the
// name itself, a declared alias, then the same ignoring case.
func (c Context) lookup(id string) (Var, bool) {
	for _, v := range c.Vars {
		if v.Name == id || slices.Contains(v.Aliases, id) {
			return v, true
		}
	}
	for _, v := range c.Vars {
		if strings.EqualFold(v.Name, id) {
			return v, true
		}
		for _, a := range v.Aliases {
			if strings.EqualFold(a, id) {
				return v, true
			}
		}
	}
	return Var{}, false
}

// Normalize rewrites logs of variables declared with LogAs, so that
// classes written with log m and log n compare equal.
func (c Context) Normalize(e bigo.Expr) bigo.Expr {
	var out []bigo.Expr
	for _, t := range e.Terms {
		prod := bigo.One()
		for _, f := range t {
			to := f.Var
			if v, ok := c.lookup(f.Var); ok && v.Kind == "const" {
				continue
			}
			if v, ok := c.lookup(f.Var); ok && v.LogAs != "" && f.Log > 0 {
				to = v.LogAs
			}
			if f.Pow > 0 || f.Exp {
				prod = bigo.Mul(prod, bigo.Expr{Terms: []bigo.Term{{{Var: f.Var, Pow: f.Pow, Exp: f.Exp}}}})
			}
			for i := 0; i < f.Log && !f.Exp; i++ {
				prod = bigo.Mul(prod, bigo.LogVar(to))
			}
		}
		out = append(out, prod)
	}
	return c.dropDominated(bigo.Add(out...))
}

// dropDominated removes the terms that the declared bounds (k ≤ n) make
// smaller than another term: n·k + k log k is O(n·k) when k ≤ n.
func (c Context) dropDominated(e bigo.Expr) bigo.Expr {
	sub := map[string]bigo.Expr{}
	for _, v := range c.Vars {
		to := v.LE
		for i := 0; to != "" && i < len(c.Vars); i++ { // follow chains: a ≤ b ≤ c
			w, ok := c.lookup(to)
			if !ok || w.LE == "" {
				break
			}
			to = w.LE
		}
		if to != "" {
			sub[v.Name] = bigo.Var(to)
		}
	}
	if len(sub) == 0 || len(e.Terms) < 2 {
		return e
	}
	changed := func(t bigo.Term) bool {
		for _, f := range t {
			if _, ok := sub[f.Var]; ok {
				return true
			}
		}
		return false
	}
	var keep []bigo.Expr
	for i, t := range e.Terms {
		ts := bigo.Subst(bigo.Expr{Terms: []bigo.Term{t}}, sub)
		dominated := false
		for j, u := range e.Terms {
			if i == j {
				continue
			}
			us := bigo.Subst(bigo.Expr{Terms: []bigo.Term{u}}, sub)
			if !bigo.LE(ts, us) {
				continue
			}
			if !bigo.LE(us, ts) || changed(t) && !changed(u) || changed(t) == changed(u) && j < i {
				dominated = true
				break
			}
		}
		if !dominated {
			keep = append(keep, bigo.Expr{Terms: []bigo.Term{t}})
		}
	}
	return bigo.Add(keep...)
}

// Variables is the parse context for complexities written in these
// variables.
func (c Context) Variables() *bigo.Variables {
	v := &bigo.Variables{}
	for _, x := range c.Vars {
		if x.Kind == "const" {
			v.Const = append(v.Const, x.Name)
		} else {
			v.Names = append(v.Names, x.Name)
		}
	}
	if len(v.Names) == 0 {
		v.Names = []string{"n"}
	}
	return v
}
