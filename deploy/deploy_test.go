package deploy

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/segfaultarena/segfault/internal/config"
)

// deployFiles are every file here that configures the binary.
func deployFiles(t *testing.T) []string {
	t.Helper()
	files := []string{"docker-compose.yml", "Dockerfile"}
	k8s, err := filepath.Glob("k8s/*.yaml")
	if err != nil || len(k8s) == 0 {
		t.Fatalf("no k8s manifests: %v", err)
	}
	return append(files, k8s...)
}

var envRE = regexp.MustCompile(`SEGFAULT_[A-Z0-9_]+`)

// TestEnvVarsExist: every SEGFAULT_* name in the files (values, keys and
// comments alike) is a setting of the binary.
func TestEnvVarsExist(t *testing.T) {
	known := map[string]bool{}
	for _, n := range config.Names() {
		known[config.EnvName(n)] = true
	}
	seen := 0
	for _, f := range deployFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range envRE.FindAllString(string(b), -1) {
			seen++
			if !known[v] {
				t.Errorf("%s: %s is not a setting of segfault (known: see `segfault serve -h`)", f, v)
			}
		}
	}
	if seen < 10 {
		t.Fatalf("only %d SEGFAULT_ variables found; the scan is broken", seen)
	}
}

// invocation is one segfault container's subcommand and flags.
type invocation struct {
	file, where string
	args        []string
}

// invocations walks the YAML documents for containers/services running
// the segfault image and collects their command/args.
func invocations(t *testing.T) []invocation {
	var out []invocation
	for _, f := range deployFiles(t) {
		if !strings.HasSuffix(f, ".yml") && !strings.HasSuffix(f, ".yaml") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var doc any
			if err := dec.Decode(&doc); err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("%s: %v", f, err)
			}
			walk(doc, "", func(path string, m map[string]any) {
				img, _ := m["image"].(string)
				if !strings.Contains(img, "segfault") {
					return
				}
				var args []string
				for _, key := range []string{"command", "args"} {
					if l, ok := m[key].([]any); ok {
						for _, a := range l {
							args = append(args, fmt.Sprint(a))
						}
					}
				}
				out = append(out, invocation{file: f, where: path, args: args})
			})
		}
	}
	return out
}

func walk(v any, path string, visit func(string, map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		visit(path, x)
		for k, c := range x {
			walk(c, path+"."+k, visit)
		}
	case []any:
		for i, c := range x {
			walk(c, fmt.Sprintf("%s[%d]", path, i), visit)
		}
	}
}

// TestFlagsExistInBinary builds segfault and checks every subcommand and
// flag against its own -h output.
func TestFlagsExistInBinary(t *testing.T) {
	invs := invocations(t)
	if len(invs) < 5 {
		t.Fatalf("found %d segfault containers; the scan is broken", len(invs))
	}
	// make test passes the binary it has just built from this tree.
	bin := os.Getenv("SEGFAULT_TEST_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "segfault")
		build := exec.Command("go", "build", "-o", bin, "./cmd/segfault")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	help := map[string]string{}
	usage := func(sub string) string {
		if h, ok := help[sub]; ok {
			return h
		}
		out, _ := exec.Command(bin, sub, "-h").CombinedOutput()
		help[sub] = string(out)
		return help[sub]
	}
	subs := []string{"serve", "api", "worker", "migrate"}
	for _, inv := range invs {
		if len(inv.args) == 0 {
			continue // the image's default command (serve)
		}
		sub := inv.args[0]
		if !slices.Contains(subs, sub) {
			t.Errorf("%s %s: subcommand %q is not a server role (%v)", inv.file, inv.where, sub, subs)
			continue
		}
		h := usage(sub)
		if !strings.Contains(h, "usage: segfault "+sub) {
			t.Fatalf("segfault %s -h printed no usage:\n%s", sub, h)
		}
		for _, a := range inv.args[1:] {
			if !strings.HasPrefix(a, "-") {
				continue
			}
			name := strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-")
			if !regexp.MustCompile(`(?m)^\s+-` + regexp.QuoteMeta(name) + `(\s|$)`).MatchString(h) {
				t.Errorf("%s %s: segfault %s has no flag --%s", inv.file, inv.where, sub, name)
			}
		}
	}
}
