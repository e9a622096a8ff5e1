package protogen

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// DocFile is the protocol reference, relative to the repository root.
const DocFile = "docs/protocol.md"

// Doc returns doc with every generated section replaced: the text between
// "<!-- generated:NAME -->" and "<!-- end generated:NAME -->". The prose
// around them is the authors'.
func Doc(doc []byte) ([]byte, error) {
	ts := newTypeScript()
	sections := map[string]string{
		"limits":   limitsTable(),
		"enums":    enumsTable(ts),
		"client":   clientTable(ts),
		"server":   serverTable(ts),
		"payloads": payloadTables(ts),
		"errors":   errorsTable(),
	}
	if ts.err != nil {
		return nil, ts.err
	}
	out := doc
	for name, body := range sections {
		begin, end := []byte("<!-- generated:"+name+" -->\n"), []byte("<!-- end generated:"+name+" -->")
		i := bytes.Index(out, begin)
		j := bytes.Index(out, end)
		if i < 0 || j < i {
			return nil, fmt.Errorf("protogen: %s has no generated:%s section", DocFile, name)
		}
		i += len(begin)
		out = append(out[:i:i], append([]byte(body), out[j:]...)...)
	}
	return out, nil
}

func limitsTable() string {
	var b strings.Builder
	b.WriteString("| limit | value | of |\n|---|---|---|\n")
	for _, l := range protocol.Limits() {
		v := fmt.Sprint(l.Value)
		if l.Value >= 1<<10 && l.Value%(1<<10) == 0 {
			v = fmt.Sprintf("%d (%d KiB)", l.Value, l.Value>>10)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", screaming(l.Name), v, l.Doc)
	}
	return b.String()
}

func enumsTable(ts *typeScript) string {
	var b strings.Builder
	b.WriteString("| type | values | is |\n|---|---|---|\n")
	for _, e := range protocol.Enums() {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", ts.enums[e.Type], codeList(e.Values), e.Doc)
	}
	return b.String()
}

func codeList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}

// fieldList is "`a`, `b`?" for a struct's fields (? = may be absent).
func fieldList(ts *typeScript, t reflect.Type) string {
	fs := fields(t)
	if len(fs) == 0 {
		return "`{}`"
	}
	var parts []string
	for _, f := range fs {
		typ := f.TS
		if typ == "" {
			typ = ts.expr(f.Type)
		}
		opt := ""
		if f.Optional {
			opt = "?"
			typ = strings.TrimSuffix(typ, " | null")
		}
		parts = append(parts, fmt.Sprintf("`%s%s`: %s", f.Name, opt, strings.ReplaceAll(typ, "|", "\\|")))
	}
	return strings.Join(parts, ", ")
}

func clientTable(ts *typeScript) string {
	var b strings.Builder
	b.WriteString("| type | data | reply |\n|---|---|---|\n")
	for _, op := range protocol.Ops() {
		t := reflect.TypeOf(op.New()).Elem()
		var rs []string
		for _, r := range op.Replies {
			rs = append(rs, "`"+string(r)+"`")
		}
		reply := strings.Join(rs, " or ")
		if reply == "" {
			reply = "none"
		}
		name, _ := tsName(t)
		data := fieldList(ts, t)
		if t.NumField() > 0 {
			data = "`" + name + "`: " + data
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", op.Op, data, reply)
	}
	return b.String()
}

func serverTable(ts *typeScript) string {
	var b strings.Builder
	b.WriteString("| type | data |\n|---|---|\n")
	for _, ev := range protocol.Events() {
		fmt.Fprintf(&b, "| `%s` | `%s` |\n", ev.Event, ts.expr(reflect.TypeOf(ev.Data)))
	}
	return b.String()
}

// payloadTables lists the fields of every payload object.
func payloadTables(ts *typeScript) string {
	for _, ev := range protocol.Events() {
		ts.expr(reflect.TypeOf(ev.Data))
	}
	var b strings.Builder
	b.WriteString("| object | fields (`?`: may be absent; `\\| null`: may be null) |\n|---|---|\n")
	for _, t := range ts.order {
		if t.PkgPath() != reflect.TypeFor[protocol.Empty]().PkgPath() && t.PkgPath() != reflect.TypeFor[errcode.Issue]().PkgPath() {
			continue // the coach's report: see internal/coach
		}
		name, _ := tsName(t)
		fmt.Fprintf(&b, "| `%s` | %s |\n", name, fieldList(ts, t))
	}
	return b.String()
}

func errorsTable() string {
	var b strings.Builder
	b.WriteString("| code | HTTP | area | when |\n|---|---|---|---|\n")
	for _, in := range errcode.All() {
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s |\n", in.Code, httpapi.Status(in.Code), in.Area, in.When)
	}
	return b.String()
}
