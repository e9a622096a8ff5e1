package problem

import (
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlFile walks a parsed YAML document with explicit type checks, so that a
// wrong type is reported as "problem.yaml: limits.memory: want integer, got
// "lots"" instead of a decoder error about Go struct fields.
type yamlFile struct {
	name string // shown in messages, e.g. "problem.yaml" or "data/secret/testdata.yaml"
	r    *report
}

// readYAML parses path and returns the top-level node, nil for a missing or
// empty file. ok is false when the file exists but does not parse.
func readYAML(r *report, path, name string) (root *yaml.Node, exists, ok bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, false, true
		}
		r.errorf(CodeBadLayout, name, "cannot read: %v", err)
		return nil, true, false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		r.errorf(CodeBadYAML, name, "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, true, false
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, true, true
	}
	n := doc.Content[0]
	if isNull(n) {
		return nil, true, true
	}
	return n, true, true
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// describe renders a node for a "got ..." message.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!str" {
			return strconv.Quote(n.Value)
		}
		return n.Value
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a map"
	case yaml.AliasNode:
		return describe(n.Alias)
	}
	return "nothing"
}

func (y yamlFile) at(path string) string {
	if path == "" {
		return y.name
	}
	return y.name + ": " + path
}

func (y yamlFile) wrongType(n *yaml.Node, path, want string) {
	y.r.errorf(CodeBadType, y.at(path), "want %s, got %s", want, describe(n))
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// fields walks a mapping. Known keys are handed to their function; unknown
// keys are warnings (Kattis tools add keys over time; refusing them would
// refuse packages that are fine elsewhere). Null values count as absent.
func (y yamlFile) fields(n *yaml.Node, path string, known map[string]func(v *yaml.Node, path string)) bool {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		y.wrongType(n, path, "a map")
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		key := k.Value
		kp := key
		if path != "" {
			kp = path + "." + key
		}
		if seen[key] {
			y.r.errorf(CodeBadYAML, y.at(kp), "duplicate key")
			continue
		}
		seen[key] = true
		fn, ok := known[key]
		if !ok {
			y.r.warnf(CodeUnknownKey, y.at(kp), "unknown key (ignored)")
			continue
		}
		if isNull(v) {
			continue
		}
		fn(v, kp)
	}
	return true
}

func (y yamlFile) str(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		y.wrongType(n, path, "a string")
		return "", false
	}
	return n.Value, true
}

func (y yamlFile) integer(n *yaml.Node, path string) (int64, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		v, err := strconv.ParseInt(n.Value, 0, 64)
		if err == nil {
			return v, true
		}
	}
	// 2048.0 is an integer written as a float; accept it.
	if n.Kind == yaml.ScalarNode && n.Tag == "!!float" {
		f, err := strconv.ParseFloat(n.Value, 64)
		if err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f), true
		}
	}
	y.wrongType(n, path, "integer")
	return 0, false
}

func (y yamlFile) number(n *yaml.Node, path string) (float64, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f, true
		}
	}
	y.wrongType(n, path, "number")
	return 0, false
}

func (y yamlFile) boolean(n *yaml.Node, path string) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		var b bool
		if err := n.Decode(&b); err == nil {
			return b, true
		}
	}
	y.wrongType(n, path, "boolean")
	return false, false
}

// strList accepts a single string or a list of strings.
func (y yamlFile) strList(n *yaml.Node, path string) ([]string, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		return []string{n.Value}, true
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for i, c := range n.Content {
			c = deref(c)
			if c.Kind != yaml.ScalarNode {
				y.wrongType(c, path+"["+strconv.Itoa(i)+"]", "a string")
				return nil, false
			}
			out = append(out, c.Value)
		}
		return out, true
	}
	y.wrongType(n, path, "a string or a list of strings")
	return nil, false
}

// strMap accepts a map of string to string (e.g. per-language names).
func (y yamlFile) strMap(n *yaml.Node, path string) (map[string]string, bool) {
	if n.Kind != yaml.MappingNode {
		y.wrongType(n, path, "a map")
		return nil, false
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, deref(n.Content[i+1])
		if v.Kind != yaml.ScalarNode {
			y.wrongType(v, path+"."+k, "a string")
			return nil, false
		}
		out[k] = v.Value
	}
	return out, true
}

// into stores args into dst: a field handler for argument lists.
func (y yamlFile) into(dst *[]string) func(*yaml.Node, string) {
	return func(v *yaml.Node, p string) {
		if a, ok := y.args(v, p); ok {
			*dst = a
		}
	}
}

// args accepts validator arguments written as one string ("a b c") or a list.
func (y yamlFile) args(n *yaml.Node, path string) ([]string, bool) {
	if n.Kind == yaml.ScalarNode {
		return strings.Fields(n.Value), true
	}
	return y.strList(n, path)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
