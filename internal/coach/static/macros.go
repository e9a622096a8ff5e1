package static

import (
	"regexp"
	"strings"
)

var defineRe = regexp.MustCompile(`(?m)^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(([^)]*)\)[ \t]+(.+?)[ \t]*$`)

// expandMacros expands single-line function-like macros in C and C++
// (competitive programmers write loops as rep(i, n) {...}); tree-sitter does
// not preprocess, and an unexpanded rep(i, n) would hide the loop. The body
// replaces the use on the same line, so line numbers stay true.
func expandMacros(src []byte) []byte {
	defs := defineRe.FindAllStringSubmatch(string(src), -1)
	if len(defs) == 0 {
		return src
	}
	type macro struct {
		params []string
		body   string
	}
	macros := map[string]macro{}
	for _, d := range defs {
		if strings.HasSuffix(d[3], `\`) {
			continue // multi-line bodies would shift lines
		}
		var params []string
		for _, p := range strings.Split(d[2], ",") {
			params = append(params, strings.TrimSpace(p))
		}
		macros[d[1]] = macro{params, d[3]}
	}
	lines := strings.Split(string(src), "\n")
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for pass := 0; pass < 4; pass++ { // nested uses: rep inside a rep body
			changed := false
			for name, m := range macros {
				line, changed = expandOne(line, name, m.params, m.body, changed)
			}
			if !changed {
				break
			}
		}
		lines[i] = line
	}
	return []byte(strings.Join(lines, "\n"))
}

func expandOne(line, name string, params []string, body string, changed bool) (string, bool) {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\s*\(`)
	for {
		loc := re.FindStringIndex(line)
		if loc == nil {
			return line, changed
		}
		// Split the arguments at top-level commas up to the matching paren.
		depth, start, end := 1, loc[1], -1
		var args []string
		for j := loc[1]; j < len(line) && end < 0; j++ {
			switch line[j] {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				depth--
				if depth == 0 {
					args = append(args, strings.TrimSpace(line[start:j]))
					end = j
				}
			case ',':
				if depth == 1 {
					args = append(args, strings.TrimSpace(line[start:j]))
					start = j + 1
				}
			}
		}
		if end < 0 || len(args) != len(params) {
			return line, changed
		}
		out := body
		for k, p := range params {
			if p != "" {
				out = regexp.MustCompile(`\b`+regexp.QuoteMeta(p)+`\b`).ReplaceAllLiteralString(out, args[k])
			}
		}
		line = line[:loc[0]] + out + line[end+1:]
		changed = true
	}
}
