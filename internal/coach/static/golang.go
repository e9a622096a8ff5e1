package static

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// parseGo lowers Go source to IR with the standard library parser.
func parseGo(src []byte) (*Node, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "sol.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse go: %w", err)
	}
	g := &goConv{fset: fset, src: src}
	root := &Node{Kind: KBlock, Start: 1, End: fset.Position(f.End()).Line}
	for _, d := range f.Decls {
		root.Kids = append(root.Kids, g.conv(d)...)
	}
	return root, nil
}

type goConv struct {
	fset *token.FileSet
	src  []byte
}

func (g *goConv) lines(n ast.Node) (int, int) {
	return g.fset.Position(n.Pos()).Line, g.fset.Position(n.End()).Line
}

func (g *goConv) text(n ast.Node) string {
	if n == nil || n.Pos() == token.NoPos {
		return ""
	}
	a, b := g.fset.Position(n.Pos()).Offset, g.fset.Position(n.End()).Offset
	if a < 0 || b > len(g.src) || a > b {
		return ""
	}
	return string(g.src[a:b])
}

// kids converts the direct children of n.
func (g *goConv) kids(n ast.Node) []*Node {
	var out []*Node
	ast.Inspect(n, func(c ast.Node) bool {
		if c == n {
			return true
		}
		if c != nil {
			out = append(out, g.conv(c)...)
		}
		return false
	})
	return out
}

func (g *goConv) block(n ast.Node) *Node {
	if n == nil || (fmt.Sprint(n) == "<nil>") {
		return &Node{Kind: KBlock}
	}
	a, b := g.lines(n)
	return &Node{Kind: KBlock, Start: a, End: b, Kids: g.conv(n)}
}

// idents lists value identifiers, leaving out called function names, types
// and package selectors.
func idents(n ast.Node) []string {
	var out []string
	if n == nil {
		return nil
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.CallExpr:
			if _, ok := x.Fun.(*ast.Ident); !ok {
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
					ast.Inspect(sel.X, func(d ast.Node) bool {
						if id, ok := d.(*ast.Ident); ok {
							out = append(out, id.Name)
						}
						return true
					})
				}
			}
			for _, a := range x.Args {
				out = append(out, idents(a)...)
			}
			return false
		case *ast.SelectorExpr:
			out = append(out, idents(x.X)...)
			return false
		case *ast.ArrayType, *ast.MapType:
			return false
		case *ast.Ident:
			switch x.Name {
			case "true", "false", "nil", "int", "int64", "string", "byte", "rune", "float64", "_":
			default:
				out = append(out, x.Name)
			}
		}
		return true
	})
	return out
}

func (g *goConv) targets(exprs []ast.Expr) ([]string, bool) {
	var out []string
	idx := false
	for _, e := range exprs {
		for {
			switch x := e.(type) {
			case *ast.IndexExpr:
				idx = true
				e = x.X
				continue
			case *ast.SelectorExpr:
				e = x.X
				continue
			case *ast.StarExpr:
				e = x.X
				continue
			case *ast.ParenExpr:
				e = x.X
				continue
			case *ast.Ident:
				out = append(out, x.Name)
			}
			break
		}
	}
	return out, idx
}

func (g *goConv) conv(n ast.Node) []*Node {
	if n == nil {
		return nil
	}
	a, b := g.lines(n)
	switch x := n.(type) {
	case *ast.FuncDecl:
		return []*Node{g.function(x.Name.Name, x.Type, x.Body, n)}
	case *ast.ForStmt:
		l := &Loop{Style: "for"}
		node := &Node{Kind: KLoop, Start: a, End: b, Loop: l}
		var hdr []string
		for i, h := range []ast.Node{x.Init, x.Cond, x.Post} {
			if h == nil || fmt.Sprint(h) == "<nil>" {
				continue
			}
			hk := g.conv(h)
			node.Kids = append(node.Kids, hk...)
			if i > 0 {
				l.Each = append(l.Each, hk...)
			}
			hdr = append(hdr, g.text(h))
			l.Idents = append(l.Idents, idents(h)...)
		}
		l.Init, l.Cond, l.Update = g.text(x.Init), g.text(x.Cond), g.text(x.Post)
		if x.Cond == nil {
			l.Style = "infinite"
		} else if x.Init == nil && x.Post == nil {
			l.Style = "while"
		}
		if l.Style == "for" {
			walkIR(node.Kids, func(k *Node) {
				if k.Kind == KAssign {
					l.Vars = append(l.Vars, k.Targets...)
				}
			})
		}
		l.Idents = minus(l.Idents, l.Vars)
		node.Text = strings.Join(hdr, "; ")
		l.Body = g.block(x.Body)
		node.Kids = append(node.Kids, l.Body)
		return []*Node{node}
	case *ast.RangeStmt:
		l := &Loop{Style: "each"}
		node := &Node{Kind: KLoop, Start: a, End: b, Loop: l, Text: g.text(x.X)}
		l.Iter = g.text(x.X)
		l.Vars, _ = g.targets([]ast.Expr{x.Key, x.Value})
		l.Idents = minus(idents(x.X), l.Vars)
		node.Kids = g.conv(x.X)
		l.Body = g.block(x.Body)
		node.Kids = append(node.Kids, l.Body)
		return []*Node{node}
	case *ast.IfStmt:
		node := &Node{Kind: KIf, Start: a, End: b, CondText: g.text(x.Init) + "; " + g.text(x.Cond), CondIdents: idents(x.Cond)}
		node.CondKids = append(g.conv(x.Init), g.conv(x.Cond)...)
		node.Kids = append(node.Kids, g.block(x.Body))
		if x.Else != nil {
			node.Kids = append(node.Kids, g.block(x.Else))
		}
		return []*Node{node}
	case *ast.SwitchStmt:
		node := &Node{Kind: KIf, Start: a, End: b, CondText: g.text(x.Tag), CondIdents: idents(x.Tag)}
		node.CondKids = append(g.conv(x.Init), g.conv(x.Tag)...)
		for _, cc := range x.Body.List {
			node.Kids = append(node.Kids, g.block(cc))
		}
		return []*Node{node}
	case *ast.CallExpr:
		call := &Node{Kind: KCall, Start: a, End: b, Text: g.text(x)}
		switch f := x.Fun.(type) {
		case *ast.Ident:
			call.Name = f.Name
		case *ast.SelectorExpr:
			call.Name = f.Sel.Name
			call.Recv = g.text(f.X)
			call.Kids = append(call.Kids, g.conv(f.X)...)
		case *ast.IndexExpr: // generic instantiation slices.Sort[...]
			call.Name = g.text(f.X)
		default:
			call.Kids = append(call.Kids, g.conv(x.Fun)...)
		}
		for _, arg := range x.Args {
			call.Args = append(call.Args, g.text(arg))
			call.Kids = append(call.Kids, g.conv(arg)...)
		}
		out := []*Node{call}
		if call.Name == "make" && len(x.Args) >= 2 {
			ids := idents(&ast.BasicLit{})
			for _, arg := range x.Args[1:] {
				ids = append(ids, idents(arg)...)
			}
			if len(ids) > 0 {
				out = append(out, &Node{Kind: KAlloc, Start: a, End: b, Text: g.text(x), SizeIdents: ids, Dims: 1})
			}
		}
		return out
	case *ast.AssignStmt:
		// f := func(...) {...} or f = func...: a named closure, often the
		// memoised helper.
		if len(x.Rhs) == 1 && len(x.Lhs) == 1 {
			if fl, ok := x.Rhs[0].(*ast.FuncLit); ok {
				if id, ok := x.Lhs[0].(*ast.Ident); ok {
					return []*Node{g.function(id.Name, fl.Type, fl.Body, n)}
				}
			}
		}
		t, idx := g.targets(x.Lhs)
		node := &Node{Kind: KAssign, Start: a, End: b, Targets: t, Index: idx, Op: x.Tok.String(), Decl: x.Tok == token.DEFINE, Text: g.text(x)}
		if node.Op == ":=" {
			node.Op = "="
		}
		var vals []string
		for _, r := range x.Rhs {
			vals = append(vals, g.text(r))
			node.Kids = append(node.Kids, g.conv(r)...)
		}
		node.Value = strings.Join(vals, ", ")
		return []*Node{node}
	case *ast.ValueSpec:
		var out []*Node
		for i, nm := range x.Names {
			node := &Node{Kind: KAssign, Start: a, End: b, Targets: []string{nm.Name}, Decl: true, Op: "=", Type: g.text(x.Type), Text: g.text(x)}
			if i < len(x.Values) {
				node.Value = g.text(x.Values[i])
				node.Kids = g.conv(x.Values[i])
			}
			out = append(out, node)
		}
		return out
	case *ast.IncDecStmt:
		t, idx := g.targets([]ast.Expr{x.X})
		return []*Node{{Kind: KAssign, Start: a, End: b, Targets: t, Index: idx, Op: x.Tok.String(), Text: g.text(x)}}
	case *ast.BranchStmt:
		if x.Tok == token.BREAK {
			return []*Node{{Kind: KJump, Start: a, End: b, Jump: "break", Text: g.text(x)}}
		}
		return nil
	case *ast.ReturnStmt:
		return []*Node{{Kind: KJump, Start: a, End: b, Jump: "return", Kids: g.kids(x), Text: g.text(x)}}
	case *ast.FuncLit:
		return []*Node{g.function("", x.Type, x.Body, n)}
	case *ast.BlockStmt:
		var out []*Node
		for _, s := range x.List {
			out = append(out, g.conv(s)...)
		}
		return out
	}
	return g.kids(n)
}

func (g *goConv) function(name string, typ *ast.FuncType, body *ast.BlockStmt, n ast.Node) *Node {
	a, b := g.lines(n)
	f := &Node{Kind: KFunc, Start: a, End: b, Name: name}
	if typ != nil && typ.Params != nil {
		for _, p := range typ.Params.List {
			for _, nm := range p.Names {
				f.Params = append(f.Params, nm.Name)
			}
		}
	}
	if body != nil {
		f.Body = g.block(body)
	} else {
		f.Body = &Node{Kind: KBlock}
	}
	f.Kids = []*Node{f.Body}
	return f
}
