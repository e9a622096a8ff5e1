package checktestdata

import (
	"fmt"
	"strings"
)

type tokKind int

const (
	tEOF     tokKind = iota
	tKeyword         // an upper-case word: INT, REP, END, ...
	tName            // a variable name: [a-z][a-z0-9]*
	tInt             // 42
	tFloat           // 1.5, 2e9, 3.
	tString          // "..." with escapes resolved
	tPunct           // ( ) , [ ] = + - * / % ^ < > <= >= == != && || !
)

type token struct {
	kind      tokKind
	text      string // the keyword, name, punctuation or literal as written
	str       string // tString: the value
	pos       int    // byte offset in the source
	line, col int    // 1-based
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of program"
	case tString:
		return fmt.Sprintf("string %q", t.str)
	}
	return fmt.Sprintf("%q", t.text)
}

// SyntaxError is a program that does not parse. Line and Col are 1-based.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// maxProgramBytes bounds a program: real ones are a few KiB.
const maxProgramBytes = 1 << 20

// lex splits a program into tokens. Comments run from # to the end of the
// line; whitespace separates tokens and is otherwise ignored.
func lex(src []byte) ([]token, error) {
	if len(src) > maxProgramBytes {
		return nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("program is %d bytes, over the limit of %d", len(src), maxProgramBytes)}
	}
	var toks []token
	line, lineStart := 1, 0
	i := 0
	errAt := func(at int, format string, a ...any) error {
		return &SyntaxError{Line: line, Col: at - lineStart + 1, Msg: fmt.Sprintf(format, a...)}
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			i++
			line, lineStart = line+1, i
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		tok := token{pos: i, line: line, col: i - lineStart + 1}
		switch {
		case c >= 'A' && c <= 'Z':
			j := i
			for j < len(src) && (src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9' || src[j] == '_') {
				j++
			}
			tok.kind, tok.text = tKeyword, string(src[i:j])
			if !keywords[tok.text] {
				return nil, errAt(i, "%s is not a command or function (commands are upper-case, variable names lower-case)", tok.text)
			}
			i = j
		case c >= 'a' && c <= 'z':
			j := i
			for j < len(src) && (src[j] >= 'a' && src[j] <= 'z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			if j < len(src) && (src[j] >= 'A' && src[j] <= 'Z' || src[j] == '_') {
				return nil, errAt(j, "variable names are lower-case letters and digits ([a-z][a-z0-9]*)")
			}
			tok.kind, tok.text = tName, string(src[i:j])
			i = j
		case c >= '0' && c <= '9':
			j := digitsEnd(src, i)
			tok.kind = tInt
			if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) || j < len(src) && src[j] == '.' && (j+1 == len(src) || !isDigit(src[j+1])) {
				tok.kind = tFloat
				j = digitsEnd(src, j+1)
			}
			if e := exponentEnd(src, j); e > j {
				tok.kind, j = tFloat, e
			}
			tok.text = string(src[i:j])
			i = j
		case c == '"':
			s, end, err := lexString(src, i)
			if err != nil {
				return nil, errAt(i, "%v", err)
			}
			for k := i; k < end; k++ {
				if src[k] == '\n' {
					line, lineStart = line+1, k+1
				}
			}
			tok.kind, tok.text, tok.str = tString, string(src[i:end]), s
			i = end
		default:
			op := ""
			if i+1 < len(src) {
				if two := string(src[i : i+2]); two == "<=" || two == ">=" || two == "==" || two == "!=" || two == "&&" || two == "||" {
					op = two
				}
			}
			if op == "" && strings.IndexByte("(),[]=+-*/%^<>!", c) >= 0 {
				op = string(c)
			}
			if op == "" {
				return nil, errAt(i, "unexpected character %q", c)
			}
			tok.kind, tok.text = tPunct, op
			i += len(op)
		}
		toks = append(toks, tok)
	}
	toks = append(toks, token{kind: tEOF, pos: len(src), line: line, col: len(src) - lineStart + 1})
	return toks, nil
}

var keywords = map[string]bool{
	"SPACE": true, "NEWLINE": true, "EOF": true, "INT": true, "FLOAT": true, "FLOATP": true,
	"STRING": true, "REGEX": true, "ASSERT": true, "SET": true, "UNSET": true,
	"REP": true, "REPI": true, "WHILE": true, "WHILEI": true, "IF": true, "ELSE": true, "END": true,
	"MATCH": true, "ISEOF": true, "UNIQUE": true, "INARRAY": true, "STRLEN": true,
	"FIXED": true, "SCIENTIFIC": true,
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitsEnd(b []byte, i int) int {
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// exponentEnd returns the end of an exponent [eE][+-]?[0-9]+ at i, or i.
func exponentEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != 'e' && b[i] != 'E' {
		return i
	}
	j := i + 1
	if j < len(b) && (b[j] == '+' || b[j] == '-') {
		j++
	}
	if k := digitsEnd(b, j); k > j {
		return k
	}
	return i
}

// lexString reads a string literal starting at the quote at i. Escapes:
// \n \t \r \b, \" and \\, \ooo (one to three octal digits), and a
// backslash before a newline joins the lines; a backslash before anything
// else is a literal backslash.
func lexString(src []byte, i int) (string, int, error) {
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		c := src[j]
		switch {
		case c == '"':
			return b.String(), j + 1, nil
		case c == '\\' && j+1 < len(src):
			n := src[j+1]
			switch n {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case '"', '\\':
				b.WriteByte(n)
			case '\n':
			default:
				if n >= '0' && n <= '7' {
					v, k := 0, j+1
					for k < len(src) && k < j+4 && src[k] >= '0' && src[k] <= '7' {
						v = v*8 + int(src[k]-'0')
						k++
					}
					b.WriteByte(byte(v))
					j = k
					continue
				}
				b.WriteByte('\\')
				j++
				continue
			}
			j += 2
		default:
			b.WriteByte(c)
			j++
		}
	}
	return "", 0, fmt.Errorf("unterminated string")
}
