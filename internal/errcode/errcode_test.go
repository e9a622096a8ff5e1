package errcode

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"testing"
)

// TestAllListsEveryCode: every Code constant of codes.go is in All exactly
// once, well formed, with an area and a description; All names nothing
// else.
func TestAllListsEveryCode(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[Code]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			for _, v := range vs.Values {
				s, _ := strconv.Unquote(v.(*ast.BasicLit).Value)
				declared[Code(s)] = true
			}
		}
	}
	if len(declared) < 60 {
		t.Fatalf("found only %d code constants in codes.go", len(declared))
	}
	areas := map[string]bool{"request": true, "websocket": true, "identity": true, "arena": true, "judge": true, "problems": true}
	form := regexp.MustCompile(`^[a-z][a-z0-9_]*[a-z0-9]$`)
	seen := map[Code]bool{}
	for _, in := range All() {
		switch {
		case seen[in.Code]:
			t.Errorf("%s listed twice", in.Code)
		case !declared[in.Code]:
			t.Errorf("%s listed but not a constant", in.Code)
		case !form.MatchString(string(in.Code)):
			t.Errorf("%q is not snake_case", in.Code)
		case !areas[in.Area] || in.When == "":
			t.Errorf("%s: area %q, when %q", in.Code, in.Area, in.When)
		}
		seen[in.Code] = true
	}
	for c := range declared {
		if !seen[c] {
			t.Errorf("%s is a constant missing from All", c)
		}
	}
}

func TestErrorMatchesByCode(t *testing.T) {
	sentinel := New(Unauthenticated, "sign in first")
	cause := errors.New("session row gone")
	wrapped := fmt.Errorf("authenticate: %w", sentinel.Wrap(cause))
	if !errors.Is(wrapped, sentinel) || !errors.Is(wrapped, cause) {
		t.Fatal("a wrapped copy must match its sentinel and its cause")
	}
	if errors.Is(wrapped, New(Forbidden, "sign in first")) {
		t.Fatal("another code must not match")
	}
	if e, ok := As(wrapped); !ok || e.Message != "sign in first" || e.Err != cause {
		t.Fatalf("As = %+v, %v", e, ok)
	}
	if sentinel.Err != nil || sentinel.WithMessage("x").Code != Unauthenticated || sentinel.Message != "sign in first" {
		t.Fatal("Wrap and WithMessage must not change the sentinel")
	}
	if CodeOf(wrapped) != Unauthenticated || CodeOf(errors.New("boom")) != Internal {
		t.Fatal("CodeOf")
	}
}
