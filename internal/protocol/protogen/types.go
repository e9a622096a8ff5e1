// Package protogen writes what is generated from package protocol: the web
// client's TypeScript types and constants, the reference tables of
// docs/protocol.md and the REST API's OpenAPI document. Run it with
// `go generate ./internal/protocol`; its test fails when a generated file
// is stale.
package protogen

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/segfaultarena/segfault/internal/coach"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// field is one JSON field of a struct.
type field struct {
	Name     string
	Type     reflect.Type
	Optional bool   // omitempty: may be left out
	TS       string // `ts:"..."` override of the TypeScript type
}

// fields lists t's JSON fields in order (embedded structs flattened).
func fields(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			out = append(out, fields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, field{Name: name, Type: f.Type, TS: f.Tag.Get("ts"),
			Optional: strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")})
	}
	return out
}

var (
	rawMessage    = reflect.TypeFor[json.RawMessage]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	errorCode     = reflect.TypeFor[errcode.Code]()
	anyType       = reflect.TypeFor[any]()
)

// listElem returns the element type of a protocol.List.
func listElem(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() != reflect.Slice || t.Name() == "" || t.PkgPath() != reflect.TypeFor[protocol.Empty]().PkgPath() {
		return nil, false
	}
	m, ok := t.MethodByName("Elem")
	if !ok {
		return nil, false
	}
	return m.Func.Call([]reflect.Value{reflect.Zero(t)})[0].Interface().(reflect.Type), true
}

// tsNames are the TypeScript names of Go types whose own name is taken or
// unclear in the client (the coach's report types come from several
// packages).
var tsNames = map[string]string{
	"protocol.ErrorData": "ProtocolError",
	"protocol.XPChange":  "XpChange",
	"protocol.Phase":     "MatchPhase",
	"protocol.Op":        "ClientType",
	"protocol.Event":     "ServerType",
	"errcode.Issue":      "ErrorIssue",
	"errcode.Code":       "ErrorCode",
	"coach.Report":       "CoachReport",
	"coach.Empirical":    "CoachEmpirical",
	"coach.Point":        "CoachPoint",
	"coach.Intended":     "CoachIntended",
	"static.Result":      "CoachStatic",
	"static.Evidence":    "CoachEvidence",
	"fit.Result":         "CoachFit",
	"fit.ClassFit":       "CoachClassFit",
}

// goName is "pkg.Name" of a named type.
func goName(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndex(p, "/")+1:] + "." + t.Name()
}

// tsName is the TypeScript name of a named type: an override, or its Go
// name for protocol's own types. Any other package's type needs an
// override, so no two types can meet under one name by accident.
func tsName(t reflect.Type) (string, error) {
	if n, ok := tsNames[goName(t)]; ok {
		return n, nil
	}
	if t.PkgPath() == reflect.TypeFor[protocol.Empty]().PkgPath() {
		return t.Name(), nil
	}
	// The coach's report types: Coach + their name (a clash of two such
	// names is caught in collect and needs an entry in tsNames).
	if strings.Contains(t.PkgPath(), "/internal/coach") {
		return "Coach" + strings.TrimPrefix(t.Name(), "Coach"), nil
	}
	return "", fmt.Errorf("protogen: %s needs a TypeScript name (tsNames)", goName(t))
}

// named are the Go types behind `ts:"Name"` tags that name a type this
// generator must write (the coach's report is stored and sent as raw JSON).
var named = map[string]reflect.Type{
	"CoachReport": reflect.TypeFor[coach.Report](),
}

// typeScript describes Go types as TypeScript and collects the interfaces
// they need, in the order they were first met.
type typeScript struct {
	enums map[reflect.Type]string // enum type → TS name
	names map[string]reflect.Type // TS name → struct type, to catch clashes
	seen  map[reflect.Type]bool
	order []reflect.Type
	err   error
}

func newTypeScript() *typeScript {
	ts := &typeScript{enums: map[reflect.Type]string{errorCode: "ErrorCode"}, names: map[string]reflect.Type{}, seen: map[reflect.Type]bool{}}
	for _, e := range protocol.Enums() {
		n, _ := tsName(e.Type)
		ts.enums[e.Type] = n
	}
	return ts
}

// expr is the TypeScript type of t (interfaces are collected, not
// inlined).
func (ts *typeScript) expr(t reflect.Type) string {
	if n, ok := ts.enums[t]; ok {
		return n
	}
	if t == rawMessage || t == anyType {
		return "unknown"
	}
	if e, ok := listElem(t); ok {
		return ts.array(e)
	}
	// encoding/json writes a TextMarshaler (that is not a json.Marshaler) as
	// its text: the coach's complexity classes are structs sent as "O(n)".
	if t.Kind() != reflect.String && t.Implements(textMarshaler) && !t.Implements(jsonMarshaler) {
		return "string"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return ts.expr(t.Elem()) + " | null"
	case reflect.Slice:
		// A plain slice may be null (the coach's stored reports); the
		// protocol's own lists are Lists (checked in collect).
		return ts.array(t.Elem()) + " | null"
	case reflect.Map:
		k := "string"
		if n, ok := ts.enums[t.Key()]; ok {
			return "Partial<Record<" + n + ", " + ts.expr(t.Elem()) + ">>"
		}
		return "Record<" + k + ", " + ts.expr(t.Elem()) + ">"
	case reflect.Struct:
		if t.NumField() == 0 {
			return "Record<string, never>"
		}
		ts.collect(t)
		n, err := tsName(t)
		if err != nil && ts.err == nil {
			ts.err = err
		}
		return n
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	}
	if ts.err == nil {
		ts.err = fmt.Errorf("protogen: no TypeScript for %s", t)
	}
	return "unknown"
}

func (ts *typeScript) array(e reflect.Type) string {
	x := ts.expr(e)
	if strings.ContainsAny(x, " |<") {
		x = "(" + x + ")"
	}
	return x + "[]"
}

// collect registers struct t and the structs its fields use.
func (ts *typeScript) collect(t reflect.Type) {
	if ts.seen[t] {
		return
	}
	ts.seen[t] = true
	if n, err := tsName(t); err == nil {
		if other, dup := ts.names[n]; dup && ts.err == nil {
			ts.err = fmt.Errorf("protogen: %s and %s are both %s in TypeScript: add one to tsNames", goName(other), goName(t), n)
		}
		ts.names[n] = t
	}
	ts.order = append(ts.order, t)
	own := t.PkgPath() == reflect.TypeFor[protocol.Empty]().PkgPath()
	for _, f := range fields(t) {
		if own && f.Type.Kind() == reflect.Slice && f.Type != rawMessage && !f.Optional {
			if _, ok := listElem(f.Type); !ok && ts.err == nil {
				ts.err = fmt.Errorf("protogen: %s.%s is a plain slice: make it a protocol.List (never null) or omitempty", t.Name(), f.Name)
			}
		}
		if f.TS == "" {
			ts.expr(f.Type)
		} else if nt, ok := named[f.TS]; ok {
			ts.expr(nt)
		}
	}
}

// iface is the TypeScript interface of struct t.
func (ts *typeScript) iface(t reflect.Type) string {
	n, _ := tsName(t)
	var b strings.Builder
	fmt.Fprintf(&b, "export interface %s {\n", n)
	for _, f := range fields(t) {
		typ := f.TS
		if typ == "" {
			typ = ts.expr(f.Type)
		}
		opt := ""
		if f.Optional {
			opt = "?"
			typ = strings.TrimSuffix(typ, " | null") // left out, never null
		}
		fmt.Fprintf(&b, "  %s%s: %s\n", f.Name, opt, typ)
	}
	b.WriteString("}\n")
	return b.String()
}
