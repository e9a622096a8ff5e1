package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/httpapi"
)

// TestRoutesCoverEveryMountedRoute: the route table (the source of
// /api/v1/openapi.json) lists exactly the routes a fully mounted server
// serves.
func TestRoutesCoverEveryMountedRoute(t *testing.T) {
	e := newEnv(t, false, nil)
	// The handlers are never called here: nil implementations do.
	e.api.MountProblems(nil)
	e.api.MountJudge(nil)
	e.api.MountArena(nil, http.NotFoundHandler())
	var mounted []string
	for _, p := range e.api.Patterns() {
		if p != "/" && p != "/api/" { // the SPA and the JSON 404 of unknown API paths
			mounted = append(mounted, p)
		}
	}
	var documented []string
	for _, r := range httpapi.Routes() {
		documented = append(documented, r.Method+" "+r.Path)
	}
	sort.Strings(mounted)
	sort.Strings(documented)
	if !slices.Equal(mounted, documented) {
		t.Fatalf("mounted routes:\n%s\ndocumented routes:\n%s", strings.Join(mounted, "\n"), strings.Join(documented, "\n"))
	}
}

// keywords are the JSON Schema 2020-12 keywords the document may use.
var keywords = map[string]bool{"type": true, "properties": true, "required": true, "items": true, "additionalProperties": true,
	"enum": true, "anyOf": true, "$ref": true, "description": true, "contentMediaType": true}

// TestOpenAPIDocument: GET /api/v1/openapi.json is an OpenAPI 3.1
// document whose schemas are JSON Schema 2020-12: known keywords only,
// every $ref resolves, path parameters match their templates, operation
// ids are unique.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, false, nil)
	r := e.do(nil, "GET", "/api/v1/openapi.json", "")
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Dialect    string                               `json:"jsonSchemaDialect"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &doc) != nil {
		t.Fatalf("GET openapi.json: %d %.200s", r.status, r.body)
	}
	if doc.OpenAPI != "3.1.0" || doc.Dialect != "https://json-schema.org/draft/2020-12/schema" {
		t.Fatalf("openapi %q, dialect %q", doc.OpenAPI, doc.Dialect)
	}
	var check func(where string, v any)
	check = func(where string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: a schema must be an object, got %T", where, v)
			return
		}
		for k, x := range m {
			switch {
			case !keywords[k]:
				t.Errorf("%s: keyword %q", where, k)
			case k == "$ref":
				name := strings.TrimPrefix(x.(string), "#/components/schemas/")
				if _, ok := doc.Components.Schemas[name]; !ok || name == x {
					t.Errorf("%s: $ref %v does not resolve", where, x)
				}
			case k == "properties":
				for name, p := range x.(map[string]any) {
					check(where+"/"+name, p)
				}
			case k == "items", k == "additionalProperties":
				check(where+"/"+k, x)
			case k == "anyOf":
				for _, s := range x.([]any) {
					check(where+"/anyOf", s)
				}
			case k == "required":
				for _, name := range x.([]any) {
					if _, ok := m["properties"].(map[string]any)[name.(string)]; !ok {
						t.Errorf("%s: required %v is not a property", where, name)
					}
				}
			}
		}
	}
	for name, s := range doc.Components.Schemas {
		check(name, s)
	}
	ids := map[string]bool{}
	param := regexp.MustCompile(`\{([a-z_]+)\}`)
	for path, item := range doc.Paths {
		for method, op := range item {
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s %s: operationId %q missing or repeated", method, path, id)
			}
			ids[id] = true
			var inPath []string
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				pm := p.(map[string]any)
				if pm["in"] == "path" {
					inPath = append(inPath, pm["name"].(string))
				}
				check(path+" "+pm["name"].(string), pm["schema"])
			}
			var want []string
			for _, m := range param.FindAllStringSubmatch(path, -1) {
				want = append(want, m[1])
			}
			if !slices.Equal(inPath, want) {
				t.Errorf("%s %s: path parameters %v, template has %v", method, path, inPath, want)
			}
			resp, _ := op["responses"].(map[string]any)
			if len(resp) < 2 { // a success and at least `internal`
				t.Errorf("%s %s: responses %v", method, path, resp)
			}
			walkContent := func(where string, v any) {
				c, _ := v.(map[string]any)["content"].(map[string]any)
				for media, mt := range c {
					if s, ok := mt.(map[string]any)["schema"]; ok {
						check(where+" "+media, s)
					}
				}
			}
			for code, rv := range resp {
				walkContent(method+" "+path+" "+code, rv)
			}
			if rb, ok := op["requestBody"]; ok {
				walkContent(method+" "+path+" body", rb)
			}
		}
	}
	if len(ids) != len(httpapi.Routes()) {
		t.Errorf("%d operations for %d routes", len(ids), len(httpapi.Routes()))
	}
}

// TestOpenAPIValidates runs the OpenAPI 3.1 validator of the Python
// openapi-spec-validator package on the document when it is installed
// (it checks the schemas against the 2020-12 meta-schema).
func TestOpenAPIValidates(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil || exec.Command(py, "-c", "import openapi_spec_validator").Run() != nil {
		t.Skip("python3 with openapi-spec-validator is not installed")
	}
	f := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(f, httpapi.OpenAPI(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `import json, sys
from openapi_spec_validator import validate
validate(json.load(open(sys.argv[1])))`, f).CombinedOutput()
	if err != nil {
		t.Fatalf("openapi-spec-validator: %v\n%s", err, out)
	}
}
