package checktestdata

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Options change how Check runs. The zero value is checktestdata's
// default behaviour with the default bounds.
type Options struct {
	// WhitespaceOK is checktestdata's --whitespace-ok: SPACE matches any
	// run of non-newline whitespace, and such whitespace is allowed at the
	// start and end of every line.
	WhitespaceOK bool
	// MaxSteps bounds the work of one check (commands, expression nodes,
	// array scans, input bytes a regex reads, big-number arithmetic by
	// size). 0 = DefaultMaxSteps plus StepsPerByte per input byte.
	MaxSteps int64
	// MaxEntries bounds the variables and array entries alive at once
	// (0 = DefaultMaxEntries).
	MaxEntries int
	// MaxValueBits bounds the size of one number (0 = DefaultMaxValueBits).
	MaxValueBits int
}

// Default bounds. No real validator comes near them; a hostile or broken
// program stops with a RuntimeError naming the bound instead of running
// for ever or filling memory.
const (
	DefaultMaxSteps     = 100_000_000
	StepsPerByte        = 32
	DefaultMaxEntries   = 4_000_000
	DefaultMaxValueBits = 8 << 20 // about 2.5 million decimal digits
)

// ParseArgs reads checktestdata's command-line options (as a package's
// input_validator_args give them): -w / --whitespace-ok; -q / --quiet
// and -d / --debug are accepted and change nothing here. Anything else
// is an error.
func ParseArgs(args []string) (Options, error) {
	var opt Options
	for _, a := range args {
		switch a {
		case "-w", "--whitespace-ok":
			opt.WhitespaceOK = true
		case "-q", "--quiet", "-d", "--debug":
		default:
			return opt, fmt.Errorf("checktestdata: unknown option %q (known: --whitespace-ok, --quiet, --debug)", a)
		}
	}
	return opt, nil
}

// MismatchError says where and why the input does not match the program:
// the input is invalid.
type MismatchError struct {
	Line, Col   int    // in the input, 1-based
	ProgramLine int    // of the command that failed
	Command     string // as written in the program
	Msg         string
	Near        string // the input from the failure on, cut short
}

func (e *MismatchError) Error() string {
	msg := fmt.Sprintf("input line %d, column %d does not match %s", e.Line, e.Col, e.Command)
	if e.ProgramLine > 0 {
		msg += fmt.Sprintf(" (program line %d)", e.ProgramLine)
	}
	if e.Msg != "" {
		msg += ": " + e.Msg
	}
	if e.Near != "" {
		msg += fmt.Sprintf(" near %q", e.Near)
	}
	return msg
}

// RuntimeError is the program failing rather than the input: a variable
// read before it is set, a value of the wrong type, a division by zero,
// or one of the Options bounds reached. The input is not confirmed valid.
type RuntimeError struct {
	ProgramLine int
	Command     string
	Msg         string
}

func (e *RuntimeError) Error() string {
	return fmt.Sprintf("program line %d, %s: %s", e.ProgramLine, e.Command, e.Msg)
}

// errStop ends a check early and successfully: an EOF command matched the
// end of the input (checktestdata ignores whatever the program has left).
var errStop = errors.New("end of input reached")

// Check runs the program on input. nil means the input is valid; a
// *MismatchError that it does not match; a *RuntimeError that the
// program failed; or ctx's error. It never panics on any program or input.
func (p *Program) Check(ctx context.Context, input []byte, opt Options) (err error) {
	r := &checker{ctx: ctx, data: input, opt: opt, vars: map[string]array{}, regexps: map[string]*regexp.Regexp{}}
	if r.opt.MaxSteps <= 0 {
		r.opt.MaxSteps = DefaultMaxSteps + StepsPerByte*int64(len(input))
	}
	if r.opt.MaxEntries <= 0 {
		r.opt.MaxEntries = DefaultMaxEntries
	}
	if r.opt.MaxValueBits <= 0 {
		r.opt.MaxValueBits = DefaultMaxValueBits
	}
	defer func() {
		// The checker is written not to panic; this turns a bug into an
		// error that names the command instead of taking the process down.
		if v := recover(); v != nil {
			err = r.runtimeErr("internal error in the checker: %v", v)
		}
	}()
	if opt.WhitespaceOK {
		r.skipBlanks()
	}
	err = r.exec(p.cmds)
	if err == nil {
		// The implicit EOF at the end of every program.
		r.cur = &command{kind: "EOF", text: "EOF (end of program)"}
		err = r.eof()
	}
	if err == errStop {
		err = nil
	}
	return err
}

type checker struct {
	ctx     context.Context
	opt     Options
	data    []byte
	pos     int
	vars    map[string]array
	entries int
	steps   int64
	regexps map[string]*regexp.Regexp
	cur     *command
}

// array holds a variable: its plain value under the key "" and its
// indexed values under their index tuples, as checktestdata keeps x and
// x[1] under one name.
type array map[string]entry

type entry struct {
	index []*big.Int
	v     value
}

func (r *checker) mismatch(format string, a ...any) error {
	line, col := 1, 1
	for _, c := range r.data[:r.pos] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	near := r.data[r.pos:min(len(r.data), r.pos+20)]
	e := &MismatchError{Line: line, Col: col, Msg: fmt.Sprintf(format, a...), Near: string(near)}
	if r.cur != nil {
		e.ProgramLine, e.Command = r.cur.line, r.cur.text
	}
	if r.pos >= len(r.data) {
		e.Near = ""
		if e.Msg == "" {
			e.Msg = "end of input"
		}
	}
	return e
}

func (r *checker) runtimeErr(format string, a ...any) error {
	e := &RuntimeError{Msg: fmt.Sprintf(format, a...)}
	if r.cur != nil {
		e.ProgramLine, e.Command = r.cur.line, r.cur.text
	}
	return e
}

// step charges n units of work and stops the check past the budget or
// when ctx ends.
func (r *checker) step(n int64) error {
	before := r.steps
	r.steps += n
	if r.steps > r.opt.MaxSteps {
		return r.runtimeErr("gave up after %d steps (a loop that never ends, or work far beyond the input's size)", r.opt.MaxSteps)
	}
	if r.steps>>12 != before>>12 {
		if err := r.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (r *checker) exec(cmds []*command) error {
	for _, c := range cmds {
		if err := r.execOne(c); err != nil {
			return err
		}
	}
	return nil
}

func (r *checker) execOne(c *command) error {
	if err := r.step(1); err != nil {
		return err
	}
	r.cur = c
	switch c.kind {
	case "SPACE":
		return r.space()
	case "NEWLINE":
		return r.newline()
	case "EOF":
		if err := r.eof(); err != nil {
			return err
		}
		return errStop
	case "INT":
		return r.readInt(c)
	case "FLOAT", "FLOATP":
		return r.readFloat(c)
	case "STRING":
		v, err := r.evalKind(c.args[0], kString)
		if err != nil {
			return err
		}
		if !bytes.HasPrefix(r.data[r.pos:], []byte(v.s)) {
			return r.mismatch("")
		}
		r.pos += len(v.s)
		return nil
	case "REGEX":
		return r.regex(c)
	case "ASSERT":
		v, err := r.evalKind(c.args[0], kBool)
		if err != nil {
			return err
		}
		if !v.b {
			return r.mismatch("assertion failed")
		}
		return nil
	case "SET":
		for _, a := range c.assigns {
			v, err := r.eval(a.value)
			if err != nil {
				return err
			}
			if v.k == kBool {
				return r.runtimeErr("cannot store a boolean in %s", a.target)
			}
			if err := r.setVar(a.target, v); err != nil {
				return err
			}
		}
		return nil
	case "UNSET":
		for _, name := range c.names {
			r.entries -= len(r.vars[name])
			delete(r.vars, name)
		}
		return nil
	case "REP", "REPI":
		return r.rep(c)
	case "WHILE", "WHILEI":
		return r.while(c)
	case "IF":
		v, err := r.evalKind(c.args[0], kBool)
		if err != nil {
			return err
		}
		if v.b {
			return r.exec(c.body)
		}
		return r.exec(c.elseBody)
	}
	return r.runtimeErr("unknown command %s", c.kind)
}

func (r *checker) rep(c *command) error {
	v, err := r.evalKind(c.args[0], kInt)
	if err != nil {
		return err
	}
	if v.i.Sign() < 0 || v.i.BitLen() > 32 {
		return r.runtimeErr("repeat count %s is not between 0 and 2^32-1", v.i)
	}
	n := v.i.Int64()
	for i := int64(0); i < n; i++ {
		if err := r.iteration(c, i); err != nil {
			return err
		}
	}
	return r.setLoopVar(c, n)
}

func (r *checker) while(c *command) error {
	for i := int64(0); ; i++ {
		if err := r.setLoopVar(c, i); err != nil {
			return err
		}
		r.cur = c
		v, err := r.evalKind(c.args[0], kBool)
		if err != nil {
			return err
		}
		if !v.b {
			return nil
		}
		if err := r.iteration(c, i); err != nil {
			return err
		}
	}
}

// iteration runs loop body number i (from 0): the separator first,
// except before the first.
func (r *checker) iteration(c *command, i int64) error {
	if err := r.setLoopVar(c, i); err != nil {
		return err
	}
	if i > 0 && c.separator != nil {
		if err := r.execOne(c.separator); err != nil {
			return err
		}
	}
	if err := r.step(1); err != nil {
		return err
	}
	return r.exec(c.body)
}

func (r *checker) setLoopVar(c *command, i int64) error {
	if c.target == nil {
		return nil
	}
	return r.setVar(c.target, int64Value(i))
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }

func (r *checker) skipBlanks() {
	for r.pos < len(r.data) && isBlank(r.data[r.pos]) {
		r.pos++
	}
}

func (r *checker) space() error {
	if r.pos >= len(r.data) {
		return r.mismatch("end of input")
	}
	if r.opt.WhitespaceOK {
		if !isBlank(r.data[r.pos]) {
			return r.mismatch("expected whitespace")
		}
		r.skipBlanks()
		return nil
	}
	if r.data[r.pos] != ' ' {
		return r.mismatch("expected a space")
	}
	r.pos++
	return nil
}

func (r *checker) newline() error {
	if r.opt.WhitespaceOK {
		r.skipBlanks()
	}
	if r.pos >= len(r.data) {
		return r.mismatch("end of input")
	}
	if r.data[r.pos] != '\n' {
		return r.mismatch("expected a newline")
	}
	r.pos++
	if r.opt.WhitespaceOK {
		r.skipBlanks()
	}
	return nil
}

func (r *checker) eof() error {
	if r.pos != len(r.data) {
		return r.mismatch("expected the end of the input")
	}
	return nil
}

// readInt matches 0|-?[1-9][0-9]*: no leading zeros, no -0.
func (r *checker) readInt(c *command) error {
	lo, err := r.evalKind(c.args[0], kInt)
	if err != nil {
		return err
	}
	hi, err := r.evalKind(c.args[1], kInt)
	if err != nil {
		return err
	}
	start := r.pos
	i := start
	if i < len(r.data) && r.data[i] == '-' {
		i++
	}
	end := digitsEnd(r.data, i)
	digits := r.data[i:end]
	switch {
	case len(digits) == 0:
		return r.mismatch("expected an integer")
	case len(digits) > 1 && digits[0] == '0':
		return r.mismatch("prefix zero(s)")
	case i > start && digits[0] == '0':
		return r.mismatch("invalid minus sign (-0 not allowed)")
	}
	// A number with more digits than both bounds can have is out of
	// range without parsing it (inputs can hold millions of digits).
	if limit := max(lo.i.BitLen(), hi.i.BitLen())*30103/100000 + 2; len(digits) > limit {
		return r.mismatch("value out of range [%s, %s] (%d digits)", lo, hi, len(digits))
	}
	w := int64(len(digits)) / 19
	if err := r.step(int64(len(digits)) + w*w/64); err != nil {
		return err
	}
	n, _ := new(big.Int).SetString(string(r.data[start:end]), 10)
	if n.Cmp(lo.i) < 0 || n.Cmp(hi.i) > 0 {
		return r.mismatch("value %s out of range [%s, %s]", intValue(n), lo, hi)
	}
	r.pos = end
	if c.target != nil {
		return r.setVar(c.target, intValue(n))
	}
	return nil
}

// readFloat matches -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)? (FIXED: no
// exponent; SCIENTIFIC: an exponent). FLOATP also wants between
// mindecimals and maxdecimals digits after the point, no leading zeros,
// no negative zero, and in scientific notation one non-zero digit before
// the point.
func (r *checker) readFloat(c *command) error {
	lo, err := r.evalNumber(c.args[0])
	if err != nil {
		return err
	}
	hi, err := r.evalNumber(c.args[1])
	if err != nil {
		return err
	}
	start := r.pos
	i := start
	neg := i < len(r.data) && r.data[i] == '-'
	if neg {
		i++
	}
	wholeEnd := digitsEnd(r.data, i)
	if wholeEnd == i {
		return r.mismatch("expected a number")
	}
	end, fracDigits := wholeEnd, 0
	if end+1 < len(r.data) && r.data[end] == '.' && isDigit(r.data[end+1]) {
		fe := digitsEnd(r.data, end+1)
		fracDigits = fe - end - 1
		end = fe
	}
	mantEnd := end
	if c.option != "FIXED" {
		end = exponentEnd(r.data, end)
	}
	scientific := end > mantEnd
	if c.option == "SCIENTIFIC" && !scientific {
		return r.mismatch("expected a number in scientific notation (with an exponent)")
	}
	w := int64(end-start) / 19
	if err := r.step(int64(end-start) + w*w/64); err != nil {
		return err
	}
	text := string(r.data[start:end])
	q, perr := parseDecimal(text, maxExponent)
	if perr != nil {
		return r.mismatch("%v", perr)
	}
	if c.kind == "FLOATP" {
		minDec, err := r.evalKind(c.args[2], kInt)
		if err != nil {
			return err
		}
		maxDec, err := r.evalKind(c.args[3], kInt)
		if err != nil {
			return err
		}
		whole := r.data[i:wholeEnd]
		decimals := big.NewInt(int64(fracDigits))
		switch {
		case decimals.Cmp(minDec.i) < 0 || decimals.Cmp(maxDec.i) > 0:
			return r.mismatch("%d decimals, want between %s and %s", fracDigits, minDec.i, maxDec.i)
		case scientific && (len(whole) != 1 || whole[0] == '0'):
			return r.mismatch("scientific notation wants one non-zero digit before the point")
		case len(whole) > 1 && whole[0] == '0':
			return r.mismatch("prefix zero(s)")
		case neg && q.Sign() == 0:
			return r.mismatch("invalid minus sign (-0 not allowed)")
		}
	}
	if q.Cmp(lo.rat()) < 0 || q.Cmp(hi.rat()) > 0 {
		return r.mismatch("value %s out of range [%s, %s]", clip(text), lo, hi)
	}
	r.pos = end
	if c.target != nil {
		return r.setVar(c.target, floatValue(q))
	}
	return nil
}

// maxRegexps bounds the compiled regular expressions kept per check.
const maxRegexps = 1024

func (r *checker) regex(c *command) error {
	v, err := r.evalKind(c.args[0], kString)
	if err != nil {
		return err
	}
	re, ok := r.regexps[v.s]
	if !ok {
		if len(v.s) > 64<<10 {
			return r.runtimeErr("regular expression of %d bytes, over the limit of 64 KiB", len(v.s))
		}
		// Checked alone first, so that the anchoring group around it
		// cannot be closed from inside ("a)|(b").
		if _, err := regexp.Compile(v.s); err != nil {
			return r.runtimeErr("bad regular expression %q: %v", clip(v.s), err)
		}
		if re, err = regexp.Compile(`\A(?:` + v.s + `)`); err != nil {
			return r.runtimeErr("bad regular expression %q: %v", clip(v.s), err)
		}
		if len(r.regexps) >= maxRegexps {
			clear(r.regexps)
		}
		r.regexps[v.s] = re
	}
	// The regex reads through a counting reader: a pattern can scan far
	// past what it matches, and that scanning is charged as work.
	in := &countingReader{data: r.data[r.pos:], budget: r.opt.MaxSteps - r.steps}
	loc := re.FindReaderIndex(in)
	if err := r.step(int64(in.read)); err != nil {
		return err
	}
	if in.exhausted {
		return r.runtimeErr("gave up after %d steps (a regular expression scanning far beyond what it matches)", r.opt.MaxSteps)
	}
	if loc == nil || loc[0] != 0 {
		return r.mismatch("no match for regular expression %q", clip(v.s))
	}
	matched := string(r.data[r.pos : r.pos+loc[1]])
	r.pos += loc[1]
	if c.target != nil {
		return r.setVar(c.target, strValue(matched))
	}
	return nil
}

type countingReader struct {
	data      []byte
	off       int
	read      int
	budget    int64
	exhausted bool
}

func (c *countingReader) ReadRune() (rune, int, error) {
	if c.off >= len(c.data) {
		return 0, 0, io.EOF
	}
	if int64(c.read) >= c.budget {
		c.exhausted = true
		return 0, 0, io.EOF
	}
	ch, n := utf8.DecodeRune(c.data[c.off:])
	c.off += n
	c.read += n
	return ch, n, nil
}

// Variables.

func (r *checker) indexKey(ref *varRef) ([]*big.Int, string, error) {
	if len(ref.index) == 0 {
		return nil, "", nil
	}
	idx := make([]*big.Int, len(ref.index))
	parts := make([]string, len(ref.index))
	for k, e := range ref.index {
		v, err := r.evalKind(e, kInt)
		if err != nil {
			return nil, "", err
		}
		idx[k], parts[k] = v.i, v.i.String()
	}
	return idx, strings.Join(parts, ","), nil
}

func (r *checker) setVar(ref *varRef, v value) error {
	idx, key, err := r.indexKey(ref)
	if err != nil {
		return err
	}
	a := r.vars[ref.name]
	if a == nil {
		a = array{}
		r.vars[ref.name] = a
	}
	if _, ok := a[key]; !ok {
		if r.entries >= r.opt.MaxEntries {
			return r.runtimeErr("more than %d variables and array entries at once (UNSET arrays you are done with)", r.opt.MaxEntries)
		}
		r.entries++
	}
	a[key] = entry{idx, v}
	return nil
}

func (r *checker) getVar(ref *varRef) (value, error) {
	_, key, err := r.indexKey(ref)
	if err != nil {
		return value{}, err
	}
	if e, ok := r.vars[ref.name][key]; ok {
		return e.v, nil
	}
	if len(ref.index) > 0 && len(r.vars[ref.name]) > 0 {
		return value{}, r.runtimeErr("%s: no value at index [%s]", ref.name, key)
	}
	return value{}, r.runtimeErr("variable %s is not set", ref)
}

// Expressions.

func (r *checker) evalKind(e expr, want kind) (value, error) {
	v, err := r.eval(e)
	if err != nil {
		return v, err
	}
	if v.k != want {
		return v, r.runtimeErr("%s is a %s, want a %s", e, v.k, want)
	}
	return v, nil
}

func (r *checker) evalNumber(e expr) (value, error) {
	v, err := r.eval(e)
	if err != nil {
		return v, err
	}
	if !v.numeric() {
		return v, r.runtimeErr("%s is a %s, want a number", e, v.k)
	}
	return v, nil
}

func (r *checker) eval(e expr) (value, error) {
	if err := r.step(1); err != nil {
		return value{}, err
	}
	switch e := e.(type) {
	case *literal:
		return e.v, nil
	case *varRef:
		return r.getVar(e)
	case *unaryExpr:
		x, err := r.eval(e.x)
		if err != nil {
			return x, err
		}
		switch {
		case e.op == "!" && x.k == kBool:
			return boolValue(!x.b), nil
		case e.op == "-" && x.k == kInt:
			return intValue(new(big.Int).Neg(x.i)), nil
		case e.op == "-" && x.k == kFloat:
			return floatValue(new(big.Rat).Neg(x.q)), nil
		}
		return value{}, r.runtimeErr("cannot apply %s to a %s", e.op, x.k)
	case *binaryExpr:
		return r.binary(e)
	case *funcExpr:
		return r.function(e)
	}
	return value{}, r.runtimeErr("unknown expression %T", e)
}

func (r *checker) binary(e *binaryExpr) (value, error) {
	x, err := r.eval(e.x)
	if err != nil {
		return x, err
	}
	if e.op == "&&" || e.op == "||" {
		if x.k != kBool {
			return value{}, r.runtimeErr("%s needs booleans, got a %s", e.op, x.k)
		}
		if x.b == (e.op == "||") { // short-circuit, as checktestdata does
			return x, nil
		}
		y, err := r.evalKind(e.y, kBool)
		return y, err
	}
	y, err := r.eval(e.y)
	if err != nil {
		return y, err
	}
	switch e.op {
	case "<", ">", "<=", ">=", "==", "!=":
		c, err := r.compare(e.op, x, y)
		return boolValue(c), err
	case "^":
		return r.pow(x, y)
	}
	return r.arith(e.op, x, y)
}

func (r *checker) compare(op string, x, y value) (bool, error) {
	var c int
	switch {
	case x.numeric() && y.numeric():
		if x.k == kInt && y.k == kInt {
			c = x.i.Cmp(y.i)
		} else {
			c = x.rat().Cmp(y.rat())
		}
	case x.k == kString && y.k == kString:
		c = strings.Compare(x.s, y.s)
	case x.k == kBool && y.k == kBool && (op == "==" || op == "!="):
		c = 1
		if x.b == y.b {
			c = 0
		}
	default:
		return false, r.runtimeErr("cannot compare a %s with a %s using %s", x.k, y.k, op)
	}
	switch op {
	case "<":
		return c < 0, nil
	case ">":
		return c > 0, nil
	case "<=":
		return c <= 0, nil
	case ">=":
		return c >= 0, nil
	case "==":
		return c == 0, nil
	}
	return c != 0, nil
}

// arithCost charges big-number arithmetic by the size of its operands, so
// a loop multiplying huge numbers runs out of steps rather than for ever.
func (r *checker) arithCost(x, y value) error {
	wx, wy := int64(x.bits()/64+1), int64(y.bits()/64+1)
	return r.step(wx*wy/256 + wx + wy)
}

func (r *checker) arith(op string, x, y value) (value, error) {
	if !x.numeric() || !y.numeric() {
		return value{}, r.runtimeErr("cannot apply %s to a %s and a %s", op, x.k, y.k)
	}
	if err := r.arithCost(x, y); err != nil {
		return value{}, err
	}
	var out value
	if x.k == kInt && y.k == kInt {
		z := new(big.Int)
		switch op {
		case "+":
			z.Add(x.i, y.i)
		case "-":
			z.Sub(x.i, y.i)
		case "*":
			z.Mul(x.i, y.i)
		case "/", "%":
			if y.i.Sign() == 0 {
				return value{}, r.runtimeErr("division by zero")
			}
			// Truncating division, as GMP's mpz / and % are.
			if op == "/" {
				z.Quo(x.i, y.i)
			} else {
				z.Rem(x.i, y.i)
			}
		}
		out = intValue(z)
	} else {
		if op == "%" {
			return value{}, r.runtimeErr("%% needs integers, got a %s and a %s", x.k, y.k)
		}
		z := new(big.Rat)
		switch op {
		case "+":
			z.Add(x.rat(), y.rat())
		case "-":
			z.Sub(x.rat(), y.rat())
		case "*":
			z.Mul(x.rat(), y.rat())
		case "/":
			if y.rat().Sign() == 0 {
				return value{}, r.runtimeErr("division by zero")
			}
			z.Quo(x.rat(), y.rat())
		}
		out = floatValue(z)
	}
	if out.bits() > r.opt.MaxValueBits {
		return value{}, r.runtimeErr("a number of more than %d bits", r.opt.MaxValueBits)
	}
	return out, nil
}

func (r *checker) pow(x, y value) (value, error) {
	if !x.numeric() {
		return value{}, r.runtimeErr("cannot raise a %s to a power", x.k)
	}
	if y.k != kInt || y.i.Sign() < 0 {
		return value{}, r.runtimeErr("exponent %s: only non-negative integer exponents are allowed", y)
	}
	// The result has about bits(x)·y bits; refuse before computing it.
	if b := x.bits(); b > 1 && (y.i.BitLen() > 40 || int64(b-1)*y.i.Int64() > int64(r.opt.MaxValueBits)) {
		return value{}, r.runtimeErr("a number of more than %d bits", r.opt.MaxValueBits)
	}
	words := int64(1)
	if x.bits() <= 1 {
		if y.i.BitLen() > 62 {
			y = int64Value(2 + int64(y.i.Bit(0))) // 0, 1 and -1 only care about the parity
		}
	} else {
		words = int64(x.bits())*y.i.Int64()/64 + 1
	}
	if err := r.step(words*words/256 + words); err != nil {
		return value{}, err
	}
	if x.k == kInt {
		return intValue(new(big.Int).Exp(x.i, y.i, nil)), nil
	}
	num := new(big.Int).Exp(x.q.Num(), y.i, nil)
	den := new(big.Int).Exp(x.q.Denom(), y.i, nil)
	return floatValue(new(big.Rat).SetFrac(num, den)), nil
}

func (r *checker) function(f *funcExpr) (value, error) {
	switch f.name {
	case "ISEOF":
		return boolValue(r.pos >= len(r.data)), nil
	case "MATCH":
		v, err := r.evalKind(f.args[0], kString)
		if err != nil {
			return v, err
		}
		return boolValue(r.pos < len(r.data) && strings.IndexByte(v.s, r.data[r.pos]) >= 0), nil
	case "STRLEN":
		v, err := r.evalKind(f.args[0], kString)
		if err != nil {
			return v, err
		}
		return int64Value(int64(len(v.s))), nil
	case "INARRAY":
		v, err := r.eval(f.args[0])
		if err != nil {
			return v, err
		}
		a, ok := r.vars[f.names[0]]
		if !ok {
			return value{}, r.runtimeErr("variable %s is not set", f.names[0])
		}
		if err := r.step(int64(len(a))); err != nil {
			return value{}, err
		}
		k := v.key()
		for _, e := range a {
			if e.v.key() == k {
				return boolValue(true), nil
			}
		}
		return boolValue(false), nil
	case "UNIQUE":
		return r.unique(f.names)
	}
	return value{}, r.runtimeErr("unknown function %s", f.name)
}

// unique checks that the arrays have the same indices and that the
// tuples (a[i], b[i], ...) are all different. A failure is a mismatch of
// the input, reported with the first repeated tuple in index order.
func (r *checker) unique(names []string) (value, error) {
	arrays := make([]array, len(names))
	for k, n := range names {
		a, ok := r.vars[n]
		if !ok {
			return value{}, r.runtimeErr("variable %s is not set", n)
		}
		arrays[k] = a
		if len(a) != len(arrays[0]) {
			return value{}, r.mismatch("%s and %s have different indices", names[0], n)
		}
	}
	if err := r.step(int64(len(arrays[0]) * len(arrays) * 4)); err != nil {
		return value{}, err
	}
	entries := make([]entry, 0, len(arrays[0]))
	for _, e := range arrays[0] {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b entry) int { return compareIndex(a.index, b.index) })
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		key := indexText(e.index)
		var tuple, shown []string
		for k, a := range arrays {
			other, ok := a[key]
			if !ok {
				return value{}, r.mismatch("index [%s] not defined for %s", key, names[k])
			}
			tuple = append(tuple, other.v.key())
			shown = append(shown, other.v.String())
		}
		t := strings.Join(tuple, "\x00")
		if seen[t] {
			return value{}, r.mismatch("non-unique tuple (%s) found at index [%s]", strings.Join(shown, ","), key)
		}
		seen[t] = true
	}
	return boolValue(true), nil
}

func indexText(idx []*big.Int) string {
	parts := make([]string, len(idx))
	for i, n := range idx {
		parts[i] = n.String()
	}
	return strings.Join(parts, ",")
}

func compareIndex(a, b []*big.Int) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := a[i].Cmp(b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}
