// Package similarity finds submissions that are copies of each other the
// way MOSS does (Schleimer, Wilkerson and Aiken, "Winnowing: local
// algorithms for document fingerprinting", SIGMOD 2003): the code becomes a
// stream of normalised tokens, every k consecutive tokens are hashed, and
// winnowing keeps the smallest hash of every window of w hashes as the
// document's fingerprints. Two documents sharing a run of at least
// w + k − 1 tokens share a fingerprint, whatever surrounds it, so a copy
// survives reordered functions, and the normalisation makes renamed
// identifiers, reformatting and comments invisible.
//
// The normalisation is one language-neutral vocabulary: every identifier
// is ID, every number NUM, every string STR; keywords map to their common
// meaning (for/foreach → FOR, def/func/fn/function → FUNC, &&/and → AND);
// type names, statement terminators and namespace qualifiers are dropped;
// Python's indentation becomes the same BEGIN/END as braces. So a C
// solution copied into C++ or Java matches fully, and one translated
// between languages of different shapes (C++ into Python) partly.
package similarity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one normalised token and where it starts in the source.
type Token struct {
	Sym  uint16 // the normalised symbol (see symbol)
	Line int    // 1-based line of its first character
}

// commentStyle is how a language writes comments and what else the
// tokenizer must know about it.
type commentStyle struct {
	line      []string // line comment starts
	blockOpen string
	blockEnd  string
	// indent: blocks are indentation (Python), turned into BEGIN/END.
	indent bool
	// preprocessor: a line starting with '#' is dropped (C, C++, C#).
	preprocessor bool
}

var (
	cLike   = commentStyle{line: []string{"//"}, blockOpen: "/*", blockEnd: "*/"}
	cPre    = commentStyle{line: []string{"//"}, blockOpen: "/*", blockEnd: "*/", preprocessor: true}
	hashed  = commentStyle{line: []string{"#"}}
	python  = commentStyle{line: []string{"#"}, indent: true}
	dashed  = commentStyle{line: []string{"--"}, blockOpen: "{-", blockEnd: "-}"}
	lua     = commentStyle{line: []string{"--"}, blockOpen: "--[[", blockEnd: "]]"}
	semi    = commentStyle{line: []string{";"}}
	percent = commentStyle{line: []string{"%"}}
	paren   = commentStyle{blockOpen: "(*", blockEnd: "*)"}
)

// styles maps the judge's language ids (internal/judge/languages.yaml) to
// their comment syntax; any other language is read as C-like.
var styles = map[string]commentStyle{
	"c": cPre, "cpp": cPre, "csharp": cPre, "objectivec": cPre,
	"python": python, "python3": python, "pypy": python, "cython": python,
	"ruby": hashed, "perl": hashed, "bash": hashed, "r": hashed, "julia": hashed, "elixir": hashed, "nim": hashed,
	"crystal": hashed, "raku": hashed,
	"haskell": dashed, "lua": lua, "ada": dashed, "sql": dashed,
	"lisp": semi, "commonlisp": semi, "sbcl": semi, "clojure": semi, "scheme": semi, "racket": semi,
	"erlang": percent, "prolog": percent, "matlab": percent, "octave": percent,
	"ocaml": paren, "pascal": paren, "fsharp": paren,
}

// The fixed symbols; identifiers, numbers and strings have one each.
const (
	symID uint16 = iota + 1
	symNum
	symStr
	symBegin
	symEnd
	symFor
	symWhile
	symIf
	symElse
	symSwitch
	symCase
	symReturn
	symBreak
	symContinue
	symFunc
	symClass
	symConst // true, false, null, None, nil
	symAnd
	symOr
	symNot
	symNew
	symImport
	symIn
	symTry
	symCatch
	symThrow
	symFirstOp // operators and punctuation from here
)

// keywords maps keywords of the judge's languages to their common
// meaning. A word that maps to 0 is dropped (types, modifiers, "let").
var keywords = map[string]uint16{
	"for": symFor, "foreach": symFor, "loop": symWhile, "while": symWhile, "do": 0, "until": symWhile,
	"if": symIf, "elif": symElse, "elsif": symElse, "else": symElse, "unless": symIf, "then": 0, "fi": 0, "end": 0,
	"switch": symSwitch, "match": symSwitch, "select": symSwitch, "case": symCase, "when": symCase, "default": symCase,
	"return": symReturn, "yield": symReturn, "break": symBreak, "continue": symContinue, "next": symContinue,
	"def": symFunc, "func": symFunc, "fn": symFunc, "function": symFunc, "fun": symFunc, "lambda": symFunc, "sub": symFunc,
	"class": symClass, "struct": symClass, "impl": symClass, "interface": symClass, "trait": symClass, "enum": symClass,
	"true": symConst, "false": symConst, "True": symConst, "False": symConst, "null": symConst, "nullptr": symConst,
	"NULL": symConst, "None": symConst, "nil": symConst, "undefined": symConst,
	"and": symAnd, "or": symOr, "not": symNot, "new": symNew, "make": symNew,
	"import": symImport, "include": symImport, "require": symImport, "use": symImport, "using": symImport, "from": symImport,
	"package": symImport, "namespace": symImport,
	"in": symIn, "range": symIn, "of": symIn,
	"try": symTry, "catch": symCatch, "except": symCatch, "rescue": symCatch, "throw": symThrow, "raise": symThrow, "panic": symThrow,
	// Types and modifiers differ between authors and languages for the
	// same program: dropped.
	"int": 0, "long": 0, "short": 0, "unsigned": 0, "signed": 0, "double": 0, "float": 0, "char": 0, "bool": 0,
	"boolean": 0, "void": 0, "auto": 0, "var": 0, "let": 0, "const": 0, "mut": 0, "static": 0, "final": 0,
	"public": 0, "private": 0, "protected": 0, "inline": 0, "constexpr": 0, "register": 0, "volatile": 0,
	"string": 0, "String": 0, "str": 0, "byte": 0, "rune": 0, "uint": 0, "size_t": 0, "typedef": 0, "type": 0,
	"int8": 0, "int16": 0, "int32": 0, "int64": 0, "uint8": 0, "uint16": 0, "uint32": 0, "uint64": 0,
	"i8": 0, "i16": 0, "i32": 0, "i64": 0, "i128": 0, "u8": 0, "u16": 0, "u32": 0, "u64": 0, "usize": 0, "isize": 0,
	"f32": 0, "f64": 0, "float64": 0, "float32": 0, "Integer": 0, "Long": 0, "Double": 0,
	"pass": 0, "global": 0, "nonlocal": 0, "local": 0, "my": 0, "val": 0,
}

// operators, longest first within each first character.
var operators = []string{
	"<<=", ">>=", "**=", "//=", "...", "===", "!==",
	"==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
	"->", "=>", ":=", "**", "//", "::", "..",
	"+", "-", "*", "/", "%", "=", "<", ">", "!", "&", "|", "^", "~", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}", ";", "@",
}

// opsByFirst lists the operators by their first byte, longest first.
var opsByFirst = func() map[byte][]string {
	m := map[byte][]string{}
	for _, op := range operators {
		m[op[0]] = append(m[op[0]], op)
	}
	return m
}()

// opSym gives operators their symbols; aliases share one (&& and "and").
var opSym = func() map[string]uint16 {
	m := map[string]uint16{}
	next := symFirstOp
	for _, op := range operators {
		m[op] = next
		next++
	}
	m["&&"], m["||"], m["!"] = symAnd, symOr, symNot
	m["{"], m["}"] = symBegin, symEnd
	m[";"] = 0  // terminators differ between languages
	m["::"] = 0 // namespace qualifiers (std::) differ between authors
	return m
}()

// Tokenize turns source code of language lang (a judge language id) into
// its normalised tokens.
func Tokenize(lang, src string) []Token {
	st, ok := styles[strings.ToLower(lang)]
	if !ok {
		st = cLike
	}
	t := &tokenizer{src: src, st: st, line: 1, atLineStart: true}
	t.run()
	return t.out
}

type tokenizer struct {
	src         string
	i           int
	line        int
	st          commentStyle
	out         []Token
	atLineStart bool
	indents     []int // Python: the open indentation levels
	depth       int   // brackets open (Python: newlines inside do not end lines)
}

func (t *tokenizer) emit(sym uint16) {
	if sym != 0 {
		t.out = append(t.out, Token{Sym: sym, Line: t.line})
	}
}

func (t *tokenizer) run() {
	for t.i < len(t.src) {
		if t.atLineStart {
			t.atLineStart = false
			if t.lineStart() {
				continue
			}
		}
		c := t.src[t.i]
		switch {
		case c == '\n':
			t.line++
			t.i++
			t.atLineStart = true
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			t.i++
		case t.comment():
		case c == '"' || c == '\'' || c == '`':
			t.str(c)
		case c >= '0' && c <= '9' || c == '.' && t.i+1 < len(t.src) && t.src[t.i+1] >= '0' && t.src[t.i+1] <= '9':
			t.number()
		case c == '_' || c == '$' || isLetter(t.src[t.i:]):
			t.word()
		default:
			t.op()
		}
	}
	for range t.indents {
		t.emit(symEnd)
	}
}

// lineStart handles what only matters at the start of a line: a
// preprocessor line is dropped, Python's indentation opens and closes
// blocks. It reports whether it consumed the line.
func (t *tokenizer) lineStart() bool {
	j := t.i
	width := 0
	for j < len(t.src) && (t.src[j] == ' ' || t.src[j] == '\t') {
		if t.src[j] == '\t' {
			width += 8 - width%8
		} else {
			width++
		}
		j++
	}
	if t.st.preprocessor && j < len(t.src) && t.src[j] == '#' {
		for t.i < len(t.src) && t.src[t.i] != '\n' {
			// A continued macro goes on past the newline.
			if t.src[t.i] == '\\' && t.i+1 < len(t.src) && t.src[t.i+1] == '\n' {
				t.i++
				t.line++
			}
			t.i++
		}
		return true
	}
	if !t.st.indent || t.depth > 0 {
		return false
	}
	// Blank and comment-only lines do not change the indentation.
	if j >= len(t.src) || t.src[j] == '\n' || t.src[j] == '\r' || t.src[j] == '#' {
		return false
	}
	cur := 0
	if n := len(t.indents); n > 0 {
		cur = t.indents[n-1]
	}
	switch {
	case width > cur:
		t.indents = append(t.indents, width)
		t.emit(symBegin)
	case width < cur:
		for len(t.indents) > 0 && t.indents[len(t.indents)-1] > width {
			t.indents = t.indents[:len(t.indents)-1]
			t.emit(symEnd)
		}
	}
	return false
}

func (t *tokenizer) comment() bool {
	rest := t.src[t.i:]
	if t.st.blockOpen != "" && strings.HasPrefix(rest, t.st.blockOpen) {
		end := strings.Index(rest[len(t.st.blockOpen):], t.st.blockEnd)
		n := len(rest)
		if end >= 0 {
			n = len(t.st.blockOpen) + end + len(t.st.blockEnd)
		}
		t.line += strings.Count(rest[:n], "\n")
		t.i += n
		return true
	}
	for _, lc := range t.st.line {
		if strings.HasPrefix(rest, lc) {
			if end := strings.IndexByte(rest, '\n'); end >= 0 {
				t.i += end
			} else {
				t.i = len(t.src)
			}
			return true
		}
	}
	return false
}

func (t *tokenizer) str(q byte) {
	// Python's triple quotes (docstrings) and plain strings alike are one STR.
	if t.st.indent && strings.HasPrefix(t.src[t.i:], strings.Repeat(string(q), 3)) {
		rest := t.src[t.i+3:]
		end := strings.Index(rest, strings.Repeat(string(q), 3))
		n := len(rest)
		if end >= 0 {
			n = end + 3
		}
		line := t.line
		t.line += strings.Count(rest[:min(n, len(rest))], "\n")
		t.i += 3 + n
		t.out = append(t.out, Token{Sym: symStr, Line: line})
		return
	}
	// A quote in a language where ' is not a string opener (Rust
	// lifetimes, Lisp quotes) ends at the line's end at worst.
	line := t.line
	j := t.i + 1
	for j < len(t.src) && t.src[j] != q && (t.src[j] != '\n' || q == '`') {
		if t.src[j] == '\\' {
			j++
		}
		if j < len(t.src) && t.src[j] == '\n' {
			t.line++
		}
		j++
	}
	t.i = min(j+1, len(t.src))
	t.out = append(t.out, Token{Sym: symStr, Line: line})
}

func (t *tokenizer) number() {
	j := t.i
	for j < len(t.src) {
		c := t.src[j]
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '_' ||
			(c == '+' || c == '-') && j > t.i && (t.src[j-1] == 'e' || t.src[j-1] == 'E') {
			j++
			continue
		}
		break
	}
	t.i = max(j, t.i+1)
	t.emit(symNum)
}

func (t *tokenizer) word() {
	j := t.i
	for j < len(t.src) {
		c := t.src[j]
		if c == '_' || c == '$' || c >= '0' && c <= '9' || c < utf8.RuneSelf && (c|0x20 >= 'a' && c|0x20 <= 'z') {
			j++
			continue
		}
		if c >= utf8.RuneSelf && isLetter(t.src[j:]) {
			_, n := utf8.DecodeRuneInString(t.src[j:])
			j += n
			continue
		}
		break
	}
	w := t.src[t.i:j]
	t.i = j
	// A namespace or module qualifier (std::, fmt.) is the author's
	// style, not the program: "std::sort" and "sort" are the same call.
	if strings.HasPrefix(t.src[t.i:], "::") {
		t.i += 2
		return
	}
	if sym, ok := keywords[w]; ok {
		t.emit(sym)
		return
	}
	t.emit(symID)
}

func (t *tokenizer) op() {
	rest := t.src[t.i:]
	for _, op := range opsByFirst[rest[0]] {
		if strings.HasPrefix(rest, op) {
			t.i += len(op)
			switch op {
			case "(", "[", "{":
				t.depth++
			case ")", "]", "}":
				t.depth = max(0, t.depth-1)
			}
			// Python's block colon: the indentation says it already.
			if op == ":" && t.st.indent && t.depth == 0 && restOfLineBlank(t.src[t.i:]) {
				return
			}
			t.emit(opSym[op])
			return
		}
	}
	// Anything else (a stray byte, a symbol no language here uses).
	_, n := utf8.DecodeRuneInString(rest)
	t.i += max(1, n)
}

func restOfLineBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r':
		case '\n':
			return true
		case '#':
			return true
		default:
			return false
		}
	}
	return true
}

func isLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}
