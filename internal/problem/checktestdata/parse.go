package checktestdata

import (
	"fmt"
	"math/big"
	"strings"
)

// Program is a parsed checktestdata script, ready to check any number of
// inputs (Check). It is immutable and safe for concurrent use.
type Program struct {
	cmds []*command
}

// command is one statement. Which fields are used depends on kind.
type command struct {
	kind      string // SPACE NEWLINE EOF INT FLOAT FLOATP STRING REGEX ASSERT SET UNSET REP REPI WHILE WHILEI IF
	args      []expr // INT/FLOAT: min max; FLOATP: min max mindecimals maxdecimals; STRING/REGEX/ASSERT: the value; loops: count or condition
	target    *varRef
	option    string // FLOAT, FLOATP: FIXED or SCIENTIFIC
	assigns   []assign
	names     []string // UNSET
	separator *command
	body      []*command
	elseBody  []*command
	text      string // the command as written, for messages
	line, col int
}

type assign struct {
	target *varRef
	value  expr
}

// expr is an expression node.
type expr interface{ String() string }

type literal struct {
	v    value
	text string
}

type varRef struct {
	name  string
	index []expr
}

type unaryExpr struct {
	op string // "-" or "!"
	x  expr
}

type binaryExpr struct {
	op   string
	x, y expr
}

// funcExpr is STRLEN, MATCH, ISEOF, UNIQUE or INARRAY.
type funcExpr struct {
	name  string
	args  []expr
	names []string // UNIQUE's variables, INARRAY's array
}

func (l *literal) String() string { return l.text }

func (v *varRef) String() string {
	if len(v.index) == 0 {
		return v.name
	}
	parts := make([]string, len(v.index))
	for i, e := range v.index {
		parts[i] = e.String()
	}
	return v.name + "[" + strings.Join(parts, ",") + "]"
}

func (u *unaryExpr) String() string  { return u.op + u.x.String() }
func (b *binaryExpr) String() string { return "(" + b.x.String() + b.op + b.y.String() + ")" }

func (f *funcExpr) String() string {
	var parts []string
	for _, a := range f.args {
		parts = append(parts, a.String())
	}
	parts = append(parts, f.names...)
	if f.name == "ISEOF" {
		return f.name
	}
	return f.name + "(" + strings.Join(parts, ",") + ")"
}

// maxNesting bounds how deep blocks and expressions may nest, so a
// hostile program cannot exhaust the stack of the parser or the checker.
const maxNesting = 200

type parser struct {
	src   []byte
	toks  []token
	i     int
	depth int
}

// Parse reads a checktestdata program. Errors are *SyntaxError.
func Parse(src []byte) (*Program, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	cmds, err := p.block()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.errorf(t, "%s without a matching REP, REPI, WHILE, WHILEI or IF", t.text)
	}
	return &Program{cmds: cmds}, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errorf(t token, format string, a ...any) error {
	return &SyntaxError{Line: t.line, Col: t.col, Msg: fmt.Sprintf(format, a...)}
}

func (p *parser) is(kind tokKind, text string) bool {
	t := p.peek()
	return t.kind == kind && t.text == text
}

func (p *parser) expect(kind tokKind, text string) error {
	t := p.peek()
	if t.kind != kind || t.text != text {
		return p.errorf(t, "expected %q, got %s", text, t)
	}
	p.next()
	return nil
}

func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > maxNesting {
		return p.errorf(t, "nested more than %d levels deep", maxNesting)
	}
	return nil
}

// block reads commands up to END, ELSE or the end of the program.
func (p *parser) block() ([]*command, error) {
	var out []*command
	for {
		t := p.peek()
		if t.kind == tEOF || t.kind == tKeyword && (t.text == "END" || t.text == "ELSE") {
			return out, nil
		}
		c, err := p.command()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

func (p *parser) command() (*command, error) {
	t := p.next()
	if t.kind != tKeyword {
		return nil, p.errorf(t, "expected a command, got %s", t)
	}
	if err := p.enter(t); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	c := &command{kind: t.text, line: t.line, col: t.col}
	var err error
	switch t.text {
	case "SPACE", "NEWLINE", "EOF":
	case "INT":
		err = p.args(c, 2, 3, false)
	case "FLOAT":
		err = p.args(c, 2, 3, true)
	case "FLOATP":
		err = p.args(c, 4, 5, true)
	case "STRING", "ASSERT":
		err = p.args(c, 1, 1, false)
	case "REGEX":
		err = p.args(c, 1, 2, false)
	case "SET":
		err = p.set(c)
	case "UNSET":
		err = p.unset(c)
	case "REP", "REPI", "WHILE", "WHILEI":
		err = p.loop(c, t)
	case "IF":
		err = p.ifElse(c, t)
	default:
		err = p.errorf(t, "%s is not a command", t.text)
	}
	if err != nil {
		return nil, err
	}
	if c.text == "" {
		c.text = p.textFrom(t)
	}
	return c, nil
}

// textFrom is the source from token t to the last token read, on one
// line and cut short, for messages.
func (p *parser) textFrom(t token) string {
	end := p.toks[p.i-1]
	s := strings.Join(strings.Fields(string(p.src[t.pos:end.pos+len(end.text)])), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// args reads "(e, e [, variable [, FIXED|SCIENTIFIC]])": min expressions,
// then up to max-min optional trailing variable, then an option for floats.
func (p *parser) args(c *command, min, max int, floatOption bool) error {
	if err := p.expect(tPunct, "("); err != nil {
		return err
	}
	for i := 0; i < min; i++ {
		if i > 0 {
			if err := p.expect(tPunct, ","); err != nil {
				return err
			}
		}
		e, err := p.expr()
		if err != nil {
			return err
		}
		c.args = append(c.args, e)
	}
	if max > min && p.is(tPunct, ",") {
		p.next()
		v, err := p.variable()
		if err != nil {
			return err
		}
		c.target = v
		if floatOption && p.is(tPunct, ",") {
			p.next()
			t := p.next()
			if t.kind != tKeyword || t.text != "FIXED" && t.text != "SCIENTIFIC" {
				return p.errorf(t, "expected FIXED or SCIENTIFIC, got %s", t)
			}
			c.option = t.text
		}
	}
	return p.expect(tPunct, ")")
}

func (p *parser) variable() (*varRef, error) {
	t := p.next()
	if t.kind != tName {
		return nil, p.errorf(t, "expected a variable name, got %s", t)
	}
	v := &varRef{name: t.text}
	if p.is(tPunct, "[") {
		p.next()
		for {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			v.index = append(v.index, e)
			if p.is(tPunct, ",") {
				p.next()
				continue
			}
			if err := p.expect(tPunct, "]"); err != nil {
				return nil, err
			}
			break
		}
	}
	return v, nil
}

func (p *parser) set(c *command) error {
	if err := p.expect(tPunct, "("); err != nil {
		return err
	}
	for {
		v, err := p.variable()
		if err != nil {
			return err
		}
		if err := p.expect(tPunct, "="); err != nil {
			return err
		}
		e, err := p.expr()
		if err != nil {
			return err
		}
		c.assigns = append(c.assigns, assign{v, e})
		if !p.is(tPunct, ",") {
			break
		}
		p.next()
	}
	return p.expect(tPunct, ")")
}

func (p *parser) unset(c *command) error {
	if err := p.expect(tPunct, "("); err != nil {
		return err
	}
	for {
		t := p.next()
		if t.kind != tName {
			return p.errorf(t, "expected a variable name, got %s", t)
		}
		c.names = append(c.names, t.text)
		if !p.is(tPunct, ",") {
			break
		}
		p.next()
	}
	return p.expect(tPunct, ")")
}

// loop reads REP(count [, sep]), REPI(i, count [, sep]), WHILE(cond [, sep])
// or WHILEI(i, cond [, sep]), its body and END.
func (p *parser) loop(c *command, start token) error {
	if err := p.expect(tPunct, "("); err != nil {
		return err
	}
	if c.kind == "REPI" || c.kind == "WHILEI" {
		v, err := p.variable()
		if err != nil {
			return err
		}
		c.target = v
		if err := p.expect(tPunct, ","); err != nil {
			return err
		}
	}
	e, err := p.expr()
	if err != nil {
		return err
	}
	c.args = []expr{e}
	if p.is(tPunct, ",") {
		p.next()
		sep, err := p.command()
		if err != nil {
			return err
		}
		c.separator = sep
	}
	if err := p.expect(tPunct, ")"); err != nil {
		return err
	}
	c.text = p.textFrom(start)
	if c.body, err = p.block(); err != nil {
		return err
	}
	if t := p.peek(); !p.is(tKeyword, "END") {
		return p.errorf(t, "%s at line %d: expected END, got %s", c.kind, c.line, t)
	}
	p.next()
	return nil
}

func (p *parser) ifElse(c *command, start token) error {
	if err := p.expect(tPunct, "("); err != nil {
		return err
	}
	e, err := p.expr()
	if err != nil {
		return err
	}
	c.args = []expr{e}
	if err := p.expect(tPunct, ")"); err != nil {
		return err
	}
	c.text = p.textFrom(start)
	if c.body, err = p.block(); err != nil {
		return err
	}
	if p.is(tKeyword, "ELSE") {
		p.next()
		if c.elseBody, err = p.block(); err != nil {
			return err
		}
	}
	if t := p.peek(); !p.is(tKeyword, "END") {
		return p.errorf(t, "IF at line %d: expected END, got %s", c.line, t)
	}
	p.next()
	return nil
}

// Expressions, loosest first: || && (== !=) (< > <= >=) (+ -) (* / %)
// unary (- !) ^ (right-associative, binds tighter than unary minus:
// -2^2 is -4) and primaries.
var binaryLevels = [][]string{{"||"}, {"&&"}, {"==", "!="}, {"<", ">", "<=", ">="}, {"+", "-"}, {"*", "/", "%"}}

func (p *parser) expr() (expr, error) {
	if err := p.enter(p.peek()); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	return p.binary(0)
}

func (p *parser) binary(level int) (expr, error) {
	if level == len(binaryLevels) {
		return p.unary()
	}
	x, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tPunct || !contains(binaryLevels[level], t.text) {
			return x, nil
		}
		p.next()
		y, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		x = &binaryExpr{op: t.text, x: x, y: y}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *parser) unary() (expr, error) {
	t := p.peek()
	if t.kind == tPunct && (t.text == "-" || t.text == "!") {
		p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{op: t.text, x: x}, nil
	}
	return p.power()
}

func (p *parser) power() (expr, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	if p.is(tPunct, "^") {
		t := p.next()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		y, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &binaryExpr{op: "^", x: x, y: y}, nil
	}
	return x, nil
}

func (p *parser) primary() (expr, error) {
	t := p.peek()
	switch t.kind {
	case tInt:
		p.next()
		n, ok := new(big.Int).SetString(t.text, 10)
		if !ok {
			return nil, p.errorf(t, "bad integer %s", t.text)
		}
		return &literal{v: intValue(n), text: t.text}, nil
	case tFloat:
		p.next()
		q, err := parseDecimal(t.text, maxExponent)
		if err != nil {
			return nil, p.errorf(t, "%v", err)
		}
		return &literal{v: floatValue(q), text: t.text}, nil
	case tString:
		p.next()
		return &literal{v: strValue(t.str), text: t.text}, nil
	case tName:
		return p.variable()
	case tKeyword:
		return p.function()
	case tPunct:
		if t.text == "(" {
			p.next()
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			return x, p.expect(tPunct, ")")
		}
	}
	return nil, p.errorf(t, "expected a value, got %s", t)
}

func (p *parser) function() (expr, error) {
	t := p.next()
	f := &funcExpr{name: t.text}
	switch t.text {
	case "ISEOF":
		return f, nil
	case "STRLEN", "MATCH":
		if err := p.expect(tPunct, "("); err != nil {
			return nil, err
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		f.args = []expr{e}
	case "INARRAY":
		if err := p.expect(tPunct, "("); err != nil {
			return nil, err
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		f.args = []expr{e}
		if err := p.expect(tPunct, ","); err != nil {
			return nil, err
		}
		n := p.next()
		if n.kind != tName {
			return nil, p.errorf(n, "INARRAY: expected an array name, got %s", n)
		}
		f.names = []string{n.text}
	case "UNIQUE":
		if err := p.expect(tPunct, "("); err != nil {
			return nil, err
		}
		for {
			n := p.next()
			if n.kind != tName {
				return nil, p.errorf(n, "UNIQUE: expected an array name, got %s", n)
			}
			f.names = append(f.names, n.text)
			if !p.is(tPunct, ",") {
				break
			}
			p.next()
		}
	default:
		return nil, p.errorf(t, "%s is a command, not a value", t.text)
	}
	if err := p.expect(tPunct, ")"); err != nil {
		return nil, err
	}
	return f, nil
}
