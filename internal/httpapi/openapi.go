package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// The OpenAPI 3.1 document of the REST API, built from Routes and the Go
// types of package protocol (JSON Schema 2020-12, the dialect of OpenAPI
// 3.1): served at GET /api/v1/openapi.json.

var (
	openAPIOnce sync.Once
	openAPIDoc  []byte
)

// OpenAPI returns the document.
func OpenAPI() []byte {
	openAPIOnce.Do(func() {
		b, err := json.MarshalIndent(buildOpenAPI(Routes()), "", "  ")
		if err != nil {
			panic(fmt.Sprintf("httpapi: openapi: %v", err)) // a type the builder cannot describe: a bug
		}
		openAPIDoc = b
	})
	return openAPIDoc
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(OpenAPI())
}

type schemas struct {
	defs  map[string]any
	enums map[reflect.Type][]string
}

func newSchemas() *schemas {
	s := &schemas{defs: map[string]any{}, enums: map[reflect.Type][]string{}}
	for _, e := range protocol.Enums() {
		s.enums[e.Type] = e.Values
	}
	var codes []string
	for _, in := range errcode.All() {
		codes = append(codes, string(in.Code))
	}
	s.enums[reflect.TypeFor[errcode.Code]()] = codes
	return s
}

var rawJSON = reflect.TypeFor[json.RawMessage]()

// of is the schema of t: a $ref to a component for named structs and
// enumerations, inline otherwise.
func (s *schemas) of(t reflect.Type) map[string]any {
	if vs, ok := s.enums[t]; ok {
		name := t.Name()
		if _, done := s.defs[name]; !done {
			s.defs[name] = map[string]any{"type": "string", "enum": vs}
		}
		return ref(name)
	}
	if t == rawJSON || t.Kind() == reflect.Interface {
		return map[string]any{}
	}
	if m, ok := t.MethodByName("Elem"); ok && t.Kind() == reflect.Slice && t.Name() != "" {
		elem := m.Func.Call([]reflect.Value{reflect.Zero(t)})[0].Interface().(reflect.Type)
		return map[string]any{"type": "array", "items": s.of(elem)} // a protocol.List: never null
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(s.of(t.Elem()))
	case reflect.Slice:
		return map[string]any{"type": "array", "items": s.of(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": s.of(t.Elem())}
	case reflect.Struct:
		name := t.Name()
		if _, done := s.defs[name]; !done {
			s.defs[name] = nil // reserve: recursive types
			s.defs[name] = s.object(t)
		}
		return ref(name)
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	panic("httpapi: openapi: no schema for " + t.String())
}

func (s *schemas) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		p := s.of(f.Type)
		if n := f.Tag.Get("ts"); n != "" && f.Type == rawJSON {
			p = map[string]any{"description": "the " + n + " object (see web/src/protocol/generated.ts)"}
		}
		props[name] = p
		if !strings.Contains(","+opts+",", ",omitempty,") {
			required = append(required, name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required}
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func nullable(sc map[string]any) map[string]any {
	if t, ok := sc["type"].(string); ok && len(sc) == 1 {
		return map[string]any{"type": []string{t, "null"}}
	}
	return map[string]any{"anyOf": []any{sc, map[string]any{"type": "null"}}}
}

func buildOpenAPI(routes []Route) map[string]any {
	sc := newSchemas()
	errorBody := map[string]any{"type": "object", "properties": map[string]any{"error": sc.of(reflect.TypeFor[protocol.ErrorData]())},
		"required": []string{"error"}}
	sc.defs["ErrorBody"] = errorBody
	paths := map[string]any{}
	for _, rt := range routes {
		op := map[string]any{"summary": rt.Summary, "operationId": operationID(rt), "tags": []string{tagOf(rt.Path)}}
		var params []any
		for _, p := range rt.Params {
			pp := map[string]any{"name": p.Name, "in": p.In, "schema": map[string]any{"type": p.Type}}
			if p.Doc != "" {
				pp["description"] = p.Doc
			}
			if p.In == "path" {
				pp["required"] = true
			}
			params = append(params, pp)
		}
		if params != nil {
			op["parameters"] = params
		}
		switch {
		case rt.Body != nil:
			op["requestBody"] = map[string]any{"required": true,
				"content": map[string]any{"application/json": map[string]any{"schema": sc.of(reflect.TypeOf(rt.Body))}}}
		case rt.BodyMedia != "":
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				rt.BodyMedia:          map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": rt.BodyMedia}},
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{"package": map[string]any{"type": "string", "contentMediaType": rt.BodyMedia}}}}}}
		}
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		switch {
		case rt.Response != nil:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": sc.of(reflect.TypeOf(rt.Response))}}
		case rt.Media != "":
			ok["content"] = map[string]any{rt.Media: map[string]any{}}
		}
		responses := map[string]any{strconv.Itoa(status): ok}
		if rt.Path == "/api/v1/submissions/{id}/coach" {
			responses["202"] = map[string]any{"description": "pending", "content": ok["content"]}
		}
		errs := slices.Clone(rt.Errors)
		if rt.Access == User || rt.Access == Admin {
			errs = append(errs, errcode.Unauthenticated)
			op["security"] = []any{map[string]any{"session": []string{}}}
		}
		if rt.Access == Admin {
			errs = append(errs, errcode.Forbidden)
		}
		byStatus := map[int][]string{}
		for _, c := range append(errs, errcode.Internal) {
			st := Status(c)
			if !slices.Contains(byStatus[st], string(c)) {
				byStatus[st] = append(byStatus[st], string(c))
			}
		}
		for st, codes := range byStatus {
			responses[strconv.Itoa(st)] = map[string]any{"description": "error: " + strings.Join(codes, ", "),
				"content": map[string]any{"application/json": map[string]any{"schema": ref("ErrorBody")}}}
		}
		op["responses"] = responses
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
		"info": map[string]any{"title": "SegFault Arena API", "version": strconv.Itoa(protocol.Version),
			"description": "JSON over HTTP; errors are {\"error\":{\"code\",\"message\",...}} with the stable codes of docs/protocol.md. " +
				"The real-time part is the WebSocket at /ws (docs/protocol.md)."},
		"paths": paths,
		"components": map[string]any{
			"schemas":         sc.defs,
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "sf_session"}},
		},
	}
}

// operationID is e.g. "getApiV1UsersName" for GET /api/v1/users/{name}.
func operationID(rt Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, part := range strings.FieldsFunc(rt.Path, func(r rune) bool { return r == '/' || r == '{' || r == '}' || r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func tagOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/v1/auth"), strings.HasPrefix(path, "/auth/"), path == "/api/v1/me":
		return "identity"
	case strings.Contains(path, "problems"):
		return "problems"
	case strings.Contains(path, "submissions"), strings.Contains(path, "runs"), strings.Contains(path, "judge"):
		return "judge"
	case strings.Contains(path, "leaderboard"), strings.Contains(path, "users"), strings.Contains(path, "matches"), path == "/ws":
		return "arena"
	}
	return "operations"
}
