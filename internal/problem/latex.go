package problem

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// latexToMarkdown converts the subset of LaTeX used in problem statements
// (problemtools' problem.tex conventions) to Markdown for the browser. Math
// ($...$, $$...$$, \[...\], equation environments) is kept verbatim so KaTeX
// renders it on the client. image maps an \includegraphics name to a file
// name in the statement directory ("" if absent).
//
// It is not a TeX engine: macros defined in the file are not expanded, and
// unknown commands keep their argument text and produce a warning.
func latexToMarkdown(src string, image func(string) string) (md, title string, warnings []string) {
	c := &texConv{image: image, unknown: map[string]bool{}}
	src = stripTeXComments(src)
	if i := strings.Index(src, `\begin{document}`); i >= 0 {
		src = src[i+len(`\begin{document}`):]
		if j := strings.Index(src, `\end{document}`); j >= 0 {
			src = src[:j]
		}
	}
	out := c.convert(src)
	for _, name := range sortedKeys(c.unknown) {
		c.warnings = append(c.warnings, fmt.Sprintf(`unknown LaTeX command \%s (its text is kept)`, name))
	}
	return tidyMarkdown(out), c.title, c.warnings
}

type texConv struct {
	image    func(string) string
	title    string
	plain    bool // inside \texttt: no Markdown escaping
	warnings []string
	unknown  map[string]bool
}

func stripTeXComments(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		cut := -1
		for i := 0; i < len(line); i++ {
			if line[i] == '\\' {
				i++ // skip the escaped char (\%)
				continue
			}
			if line[i] == '%' {
				cut = i
				break
			}
		}
		if cut < 0 {
			b.WriteString(line)
			continue
		}
		// A comment eats its newline, as in TeX, so a commented-out line
		// does not split a paragraph.
		b.WriteString(line[:cut])
	}
	return b.String()
}

// matchBrace returns the index of the brace closing the one at s[i].
func matchBrace(s string, i int, open, close byte) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
		i++
	}
	return i
}

// arg reads one {argument} (or a single token) at s[i:], skipping spaces.
func arg(s string, i int) (string, int) {
	i = skipSpace(s, i)
	if i >= len(s) {
		return "", i
	}
	if s[i] == '{' {
		j := matchBrace(s, i, '{', '}')
		if j < 0 {
			return s[i+1:], len(s)
		}
		return s[i+1 : j], j + 1
	}
	if s[i] == '\\' {
		n, j := cmdName(s, i+1)
		return `\` + n, j
	}
	return s[i : i+1], i + 1
}

// optArg reads an optional [argument].
func optArg(s string, i int) (string, int, bool) {
	j := skipSpace(s, i)
	if j < len(s) && s[j] == '[' {
		k := matchBrace(s, j, '[', ']')
		if k > 0 {
			return s[j+1 : k], k + 1, true
		}
	}
	return "", i, false
}

func cmdName(s string, i int) (string, int) {
	j := i
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
		j++
	}
	if j == i && i < len(s) {
		return s[i : i+1], i + 1 // control symbol: \\ \% \$ ...
	}
	if j < len(s) && s[j] == '*' { // starred form: \section*
		return s[i:j], j + 1
	}
	return s[i:j], j
}

// envBody finds the body of \begin{name} starting at s[i:] (just after the
// \begin{name}) and the index after the matching \end{name}.
func envBody(s string, i int, name string) (string, int) {
	open, close := `\begin{`+name+`}`, `\end{`+name+`}`
	depth := 1
	for j := i; j < len(s); {
		o := strings.Index(s[j:], open)
		c := strings.Index(s[j:], close)
		if c < 0 {
			return s[i:], len(s)
		}
		if o >= 0 && o < c {
			depth++
			j += o + len(open)
			continue
		}
		depth--
		if depth == 0 {
			return s[i : j+c], j + c + len(close)
		}
		j += c + len(close)
	}
	return s[i:], len(s)
}

const mdSpecial = "*_`[]<>#|"

func (c *texConv) text(b *strings.Builder, r string) {
	if c.plain {
		b.WriteString(r)
		return
	}
	for _, ch := range r {
		if strings.ContainsRune(mdSpecial, ch) {
			b.WriteByte('\\')
		}
		b.WriteRune(ch)
	}
}

func atLineStart(b *strings.Builder) bool {
	s := b.String()
	return len(s) == 0 || s[len(s)-1] == '\n'
}

func (c *texConv) convert(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		ch := s[i]
		switch {
		case ch == '\\':
			i = c.command(&b, s, i)
		case ch == '$':
			i = c.math(&b, s, i)
		case ch == '{':
			j := matchBrace(s, i, '{', '}')
			if j < 0 {
				j = len(s)
			}
			b.WriteString(c.group(s[i+1 : min(j, len(s))]))
			i = j + 1
		case ch == '}':
			i++
		case ch == '~':
			b.WriteString("\u00a0")
			i++
		case (ch == ' ' || ch == '\t') && atLineStart(&b):
			i++ // indentation would turn into a Markdown code block
		case strings.HasPrefix(s[i:], "---"):
			b.WriteString("—")
			i += 3
		case strings.HasPrefix(s[i:], "--"):
			b.WriteString("–")
			i += 2
		case strings.HasPrefix(s[i:], "``"):
			b.WriteString("“")
			i += 2
		case strings.HasPrefix(s[i:], "''"):
			b.WriteString("”")
			i += 2
		case ch == '&':
			b.WriteString(" ")
			i++
		default:
			j := i + 1
			for j < len(s) && !strings.ContainsRune("\\${}~-`'& \t\n", rune(s[j])) {
				j++
			}
			if ch == '\n' || ch == ' ' || ch == '\t' {
				j = i + 1
			}
			c.text(&b, s[i:j])
			i = j
		}
	}
	return b.String()
}

// group handles {\bf x}, {\em x}, {\tt x} and plain groups.
func (c *texConv) group(s string) string {
	t := strings.TrimLeft(s, " \n")
	for _, sw := range []struct{ cmd, wrap string }{{`\bf`, "**"}, {`\em`, "*"}, {`\it`, "*"}, {`\tt`, "`"}} {
		if strings.HasPrefix(t, sw.cmd) && (len(t) == len(sw.cmd) || !unicode.IsLetter(rune(t[len(sw.cmd)]))) {
			inner := t[len(sw.cmd):]
			if sw.wrap == "`" {
				return "`" + c.plainText(inner) + "`"
			}
			return wrap(sw.wrap, c.convert(inner))
		}
	}
	return c.convert(s)
}

func wrap(w, s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return s
	}
	return w + t + w
}

func (c *texConv) plainText(s string) string {
	old := c.plain
	c.plain = true
	defer func() { c.plain = old }()
	return strings.TrimSpace(c.convert(s))
}

// math copies $...$ or $$...$$ verbatim for KaTeX.
func (c *texConv) math(b *strings.Builder, s string, i int) int {
	delim := "$"
	if strings.HasPrefix(s[i:], "$$") {
		delim = "$$"
	}
	start := i + len(delim)
	for j := start; j < len(s); j++ {
		if s[j] == '\\' {
			j++
			continue
		}
		if strings.HasPrefix(s[j:], delim) {
			body := s[start:j]
			if delim == "$$" {
				b.WriteString("\n\n$$" + strings.TrimSpace(body) + "$$\n\n")
			} else {
				b.WriteString("$" + body + "$")
			}
			return j + len(delim)
		}
	}
	c.warnings = append(c.warnings, "unclosed math ("+delim+")")
	b.WriteString(s[i:])
	return len(s)
}

var simpleSymbols = map[string]string{
	"%": "%", "$": `\$`, "&": "&", "#": `\#`, "_": `\_`, "{": "{", "}": "}", " ": " ", ",": " ",
	";": " ", ":": " ", "!": "", "/": "", "-": "", "@": "", "'": "", "\"": "", "^": "^", "~": "~",
	"ldots": "…", "dots": "…", "LaTeX": "LaTeX", "TeX": "TeX", "textbackslash": `\\`,
	"quad": " ", "qquad": "  ", "enspace": " ", "thinspace": " ", "ss": "ß", "copyright": "©",
	"textasciitilde": "~", "textasciicircum": "^", "textless": `\<`, "textgreater": `\>`,
	"textbar": `\|`, "slash": "/", "textendash": "–", "textemdash": "—",
}

// Commands whose arguments are dropped (layout only).
var dropCommands = map[string]int{
	"noindent": 0, "medskip": 0, "bigskip": 0, "smallskip": 0, "centering": 0, "clearpage": 0,
	"newpage": 0, "raggedright": 0, "raggedleft": 0, "hfill": 0, "vfill": 0, "null": 0,
	"maketitle": 0, "small": 0, "large": 0, "Large": 0, "normalsize": 0, "footnotesize": 0,
	"vspace": 1, "hspace": 1, "label": 1, "setlength": 2, "usepackage": 1, "documentclass": 1,
	"sampletable": 4, "sampleinput": 1, "sampleoutput": 1, "addtolength": 2, "pagestyle": 1,
	"thispagestyle": 1, "newcommand": 2, "renewcommand": 2, "hline": 0, "nopagebreak": 0,
	"linebreak": 0, "pagebreak": 0, "protect": 0, "relax": 0, "phantom": 1, "index": 1,
}

func (c *texConv) command(b *strings.Builder, s string, i int) int {
	name, j := cmdName(s, i+1)
	if r, ok := simpleSymbols[name]; ok {
		if c.plain && strings.HasPrefix(r, `\`) && len(r) == 2 {
			r = r[1:]
		}
		b.WriteString(r)
		return j
	}
	if n, ok := dropCommands[name]; ok {
		if name == "sampletable" || name == "usepackage" || name == "documentclass" {
			_, j, _ = optArg(s, j)
		}
		if name == "sampletable" {
			// problemtools shows samples from data/sample; so do we.
			n = 0
			for k := 0; k < 4; k++ {
				a, jj := arg(s, j)
				if a == "" {
					break
				}
				j = jj
			}
		}
		for k := 0; k < n; k++ {
			_, j = arg(s, j)
		}
		return j
	}
	switch name {
	case "\\", "newline":
		if _, k, ok := optArg(s, j); ok {
			j = k
		}
		b.WriteString("  \n")
		return j
	case "par":
		b.WriteString("\n\n")
		return j
	case "problemname":
		t, k := arg(s, j)
		c.title = strings.TrimSpace(c.plainText(t))
		return k
	case "section", "subsection", "subsubsection":
		_, j, _ = optArg(s, j)
		t, k := arg(s, j)
		level := map[string]string{"section": "##", "subsection": "###", "subsubsection": "####"}[name]
		b.WriteString("\n\n" + level + " " + strings.TrimSpace(c.convert(t)) + "\n\n")
		return k
	case "paragraph", "subparagraph":
		t, k := arg(s, j)
		b.WriteString("\n\n**" + strings.TrimSpace(c.convert(t)) + "** ")
		return k
	case "textbf", "mathbf":
		t, k := arg(s, j)
		b.WriteString(wrap("**", c.convert(t)))
		return k
	case "emph", "textit", "textsl":
		t, k := arg(s, j)
		b.WriteString(wrap("*", c.convert(t)))
		return k
	case "texttt", "code":
		t, k := arg(s, j)
		b.WriteString("`" + c.plainText(t) + "`")
		return k
	case "verb":
		if j < len(s) {
			d := s[j]
			end := strings.IndexByte(s[j+1:], d)
			if end >= 0 {
				b.WriteString("`" + s[j+1:j+1+end] + "`")
				return j + 2 + end
			}
		}
		return j
	case "underline", "textrm", "textsf", "textup", "textnormal", "mbox", "text", "textsc":
		t, k := arg(s, j)
		b.WriteString(c.convert(t))
		return k
	case "url":
		t, k := arg(s, j)
		b.WriteString("<" + strings.TrimSpace(t) + ">")
		return k
	case "href":
		u, k := arg(s, j)
		t, k := arg(s, k)
		b.WriteString("[" + strings.TrimSpace(c.convert(t)) + "](" + strings.TrimSpace(u) + ")")
		return k
	case "footnote":
		t, k := arg(s, j)
		b.WriteString(" (" + strings.TrimSpace(c.convert(t)) + ")")
		return k
	case "includegraphics":
		_, j, _ = optArg(s, j)
		f, k := arg(s, j)
		b.WriteString(c.img(strings.TrimSpace(f), ""))
		return k
	case "illustration":
		// problemtools: \illustration{width}{file}{caption}
		_, k := arg(s, j)
		f, k := arg(s, k)
		cap, k := arg(s, k)
		b.WriteString(c.img(strings.TrimSpace(f), strings.TrimSpace(c.plainText(cap))))
		return k
	case "caption":
		t, k := arg(s, j)
		b.WriteString("\n\n*" + strings.TrimSpace(c.convert(t)) + "*\n\n")
		return k
	case "[":
		end := strings.Index(s[j:], `\]`)
		if end < 0 {
			end = len(s) - j
		}
		b.WriteString("\n\n$$" + strings.TrimSpace(s[j:j+end]) + "$$\n\n")
		return min(j+end+2, len(s))
	case "(":
		end := strings.Index(s[j:], `\)`)
		if end < 0 {
			end = len(s) - j
		}
		b.WriteString("$" + s[j:j+end] + "$")
		return min(j+end+2, len(s))
	case "begin":
		env, k := arg(s, j)
		body, next := envBody(s, k, env)
		b.WriteString(c.environment(strings.TrimSpace(env), body))
		return next
	case "end":
		_, k := arg(s, j) // stray \end: drop
		return k
	case "item":
		// \item outside a list: treat as a bullet.
		b.WriteString("\n- ")
		return j
	case "bf", "em", "it", "tt", "rm", "sf":
		return j // switch outside a group: no scope to style
	}
	// Unknown command: keep the text of its argument, warn once.
	c.unknown[name] = true
	if k := skipSpace(s, j); k < len(s) && s[k] == '{' {
		t, k := arg(s, j)
		b.WriteString(c.convert(t))
		return k
	}
	return j
}

func (c *texConv) img(name, caption string) string {
	file := name
	if c.image != nil {
		file = c.image(name)
	}
	if file == "" {
		c.warnings = append(c.warnings, fmt.Sprintf("image %q not found next to the statement", name))
		file = name
	}
	out := "\n\n![" + caption + "](" + file + ")\n\n"
	if caption != "" {
		out += "*" + caption + "*\n\n"
	}
	return out
}

var mathEnvs = map[string]bool{
	"equation": true, "equation*": true, "align": true, "align*": true, "displaymath": true,
	"eqnarray": true, "eqnarray*": true, "gather": true, "gather*": true, "multline": true, "multline*": true,
}

func (c *texConv) environment(env, body string) string {
	switch {
	case env == "itemize":
		return "\n\n" + c.list(body, false) + "\n\n"
	case env == "enumerate":
		return "\n\n" + c.list(body, true) + "\n\n"
	case env == "description":
		return "\n\n" + c.list(body, false) + "\n\n"
	case env == "verbatim" || env == "lstlisting" || env == "Verbatim":
		body = strings.TrimPrefix(body, "\n")
		if env != "verbatim" {
			if _, k, ok := optArg(body, 0); ok {
				body = strings.TrimPrefix(body[k:], "\n")
			}
		}
		return "\n\n```\n" + strings.TrimRight(body, " \n") + "\n```\n\n"
	case mathEnvs[env]:
		inner := strings.TrimSpace(body)
		if env != "equation" && env != "equation*" && env != "displaymath" {
			// KaTeX knows aligned/gathered inside display math.
			e := strings.TrimSuffix(strings.TrimSuffix(env, "*"), "array")
			if e == "eqn" {
				e = "align"
			}
			inner = `\begin{` + e + `*}` + inner + `\end{` + e + `*}`
		}
		return "\n\n$$" + inner + "$$\n\n"
	case env == "tabular" || env == "tabular*" || env == "array":
		if env == "tabular*" {
			_, k := arg(body, 0)
			body = body[k:]
		}
		_, k := arg(body, 0) // column spec
		return "\n\n" + c.table(body[k:]) + "\n\n"
	case env == "quote" || env == "quotation":
		inner := tidyMarkdown(c.convert(body))
		return "\n\n> " + strings.ReplaceAll(inner, "\n", "\n> ") + "\n\n"
	case env == "minipage":
		_, k, _ := optArg(body, 0)
		_, k = arg(body, k)
		return c.convert(body[k:])
	case env == "figure" || env == "figure*" || env == "table" || env == "wrapfigure":
		if _, k, ok := optArg(body, 0); ok {
			body = body[k:]
		}
		if env == "wrapfigure" {
			_, k := arg(body, 0)
			_, k = arg(body, k)
			body = body[k:]
		}
		return "\n\n" + c.convert(body) + "\n\n"
	}
	// center, flushleft, flushright, small and anything else: the content.
	return "\n\n" + c.convert(body) + "\n\n"
}

// splitTop splits s at a separator found outside braces and nested
// environments. sep returns the separator length at s[i:] or 0.
func splitTop(s string, sep func(string) int) []string {
	var parts []string
	depth, envDepth, last := 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], `\begin{`):
			envDepth++
		case strings.HasPrefix(s[i:], `\end{`):
			envDepth--
		case s[i] == '{':
			depth++
		case s[i] == '}':
			depth--
		}
		if depth == 0 && envDepth == 0 {
			if n := sep(s[i:]); n > 0 {
				parts = append(parts, s[last:i])
				i += n - 1
				last = i + 1
				continue
			}
		}
		if s[i] == '\\' && i+1 < len(s) && !strings.HasPrefix(s[i:], `\begin{`) && !strings.HasPrefix(s[i:], `\end{`) {
			i++ // an escaped char is not a brace
		}
	}
	return append(parts, s[last:])
}

func itemSep(s string) int {
	if strings.HasPrefix(s, `\item`) && (len(s) == 5 || !unicode.IsLetter(rune(s[5]))) {
		return 5
	}
	return 0
}

func (c *texConv) list(body string, ordered bool) string {
	items := splitTop(body, itemSep)[1:] // text before the first \item is dropped
	var b strings.Builder
	for n, it := range items {
		label := ""
		if o, k, ok := optArg(it, 0); ok {
			label = "**" + strings.TrimSpace(c.convert(o)) + "** "
			it = it[k:]
		}
		text := tidyMarkdown(c.convert(it))
		marker := "- "
		if ordered {
			marker = fmt.Sprintf("%d. ", n+1)
		}
		indent := strings.Repeat(" ", len(marker))
		lines := strings.Split(text, "\n")
		b.WriteString(marker + label + lines[0] + "\n")
		for _, l := range lines[1:] {
			if l == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString(indent + l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func (c *texConv) table(body string) string {
	rowSep := func(s string) int {
		if strings.HasPrefix(s, `\\`) {
			return 2
		}
		return 0
	}
	cellSep := func(s string) int {
		if s[0] == '&' {
			return 1
		}
		return 0
	}
	hline := regexp.MustCompile(`\\(hline|toprule|midrule|bottomrule)|\\cline\{[^}]*\}`)
	var rows [][]string
	width := 0
	for _, r := range splitTop(body, rowSep) {
		r = strings.TrimSpace(hline.ReplaceAllString(r, ""))
		if r == "" {
			continue
		}
		var cells []string
		for _, cell := range splitTop(r, cellSep) {
			t := strings.TrimSpace(tidyMarkdown(c.convert(cell)))
			cells = append(cells, strings.ReplaceAll(strings.ReplaceAll(t, "\n", " "), "|", `\|`))
		}
		width = max(width, len(cells))
		rows = append(rows, cells)
	}
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

var manyBlank = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)
var trailingSpace = regexp.MustCompile(`[ \t]+\n`)

// tidyMarkdown collapses blank lines and trims, keeping Markdown hard breaks
// ("  \n") only where \\ asked for one.
func tidyMarkdown(s string) string {
	s = strings.ReplaceAll(s, "  \n", "\x00")
	s = trailingSpace.ReplaceAllString(s, "\n")
	s = strings.ReplaceAll(s, "\x00", "  \n")
	s = manyBlank.ReplaceAllString(s, "\n\n")
	return strings.Trim(s, " \n")
}
