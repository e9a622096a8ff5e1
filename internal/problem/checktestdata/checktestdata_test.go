package checktestdata

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// check parses prog and runs it on input. want is "" for a valid input,
// "mismatch: TEXT" for an invalid one, "runtime: TEXT" for a program
// failure, "syntax: TEXT" for a program that does not parse; TEXT must be
// part of the message.
func check(t *testing.T, prog, input string, opt Options) string {
	t.Helper()
	p, err := Parse([]byte(prog))
	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("Parse error %T %v", err, err)
		}
		return "syntax: " + err.Error()
	}
	err = p.Check(context.Background(), []byte(input), opt)
	var me *MismatchError
	var re *RuntimeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &me):
		return "mismatch: " + err.Error()
	case errors.As(err, &re):
		return "runtime: " + err.Error()
	}
	t.Fatalf("Check error %T %v", err, err)
	return ""
}

type ctdCase struct {
	name, prog, input, want string
}

func runCases(t *testing.T, cases []ctdCase, opt Options) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := check(t, c.prog, c.input, opt)
			kind, text, _ := strings.Cut(c.want, ":")
			if c.want == "" && got != "" || c.want != "" && (!strings.HasPrefix(got, kind+":") || !strings.Contains(got, strings.TrimSpace(text))) {
				t.Errorf("program %q on %q:\n got %q\nwant %q", c.prog, c.input, got, c.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	runCases(t, []ctdCase{
		{"int", "INT(1,10) NEWLINE", "7\n", ""},
		{"int low bound", "INT(1,10) NEWLINE", "0\n", "mismatch: value 0 out of range [1, 10]"},
		{"int high bound", "INT(1,10) NEWLINE", "11\n", "mismatch: out of range"},
		{"negative", "INT(-5,5)", "-5", ""},
		{"leading zero", "INT(0,100)", "007", "mismatch: prefix zero"},
		{"zero", "INT(0,0)", "0", ""},
		{"minus zero", "INT(-1,1)", "-0", "mismatch: -0 not allowed"},
		{"lone minus", "INT(-1,1)", "-", "mismatch: expected an integer"},
		{"plus sign", "INT(-1,1)", "+1", "mismatch: expected an integer"},
		{"big int", "INT(0, 10^30)", "999999999999999999999999999999", ""},
		{"big int over", "INT(0, 10^30)", "1000000000000000000000000000001", "mismatch: out of range"},
		{"many digits pruned", "INT(0, 100)", strings.Repeat("9", 100000), "mismatch: 100000 digits"},
		{"missing newline", "INT(1,10) NEWLINE", "7", "mismatch: end of input"},
		{"trailing data", "INT(1,10)", "7 ", "mismatch: expected the end of the input"},
		{"space", "INT(1,9) SPACE INT(1,9)", "1 2", ""},
		{"two spaces", "INT(1,9) SPACE INT(1,9)", "1  2", "mismatch: expected an integer"},
		{"tab is no space", "INT(1,9) SPACE INT(1,9)", "1\t2", "mismatch: expected a space"},
		{"crlf", "INT(1,9) NEWLINE", "1\r\n", "mismatch: expected a newline"},
		{"float", "FLOAT(0, 1) NEWLINE", "0.5\n", ""},
		{"float int form", "FLOAT(0, 1)", "1", ""},
		{"float exact bound", "FLOAT(0, 0.1)", "0.1", ""},
		{"float just over", "FLOAT(0, 0.1)", "0.1000000000000000000000000001", "mismatch: out of range"},
		{"float scientific", "FLOAT(-1e10, 1e10)", "-2.5e9", ""},
		{"float fixed refuses exponent", "FLOAT(0, 1e10, x, FIXED)", "2e9", "mismatch: expected the end of the input"},
		{"float scientific needs exponent", "FLOAT(0, 10, x, SCIENTIFIC)", "2.5", "mismatch: scientific notation"},
		{"float dot without digits", "FLOAT(0, 10)", "2.", "mismatch: expected the end"},
		{"float leading dot", "FLOAT(0, 10)", ".5", "mismatch: expected a number"},
		{"float huge exponent", "FLOAT(0, 10)", "1e999999", "mismatch: exponent"},
		{"floatp", "FLOATP(0, 10, 2, 3) NEWLINE", "3.14\n", ""},
		{"floatp too few decimals", "FLOATP(0, 10, 2, 3)", "3.1", "mismatch: 1 decimals, want between 2 and 3"},
		{"floatp too many decimals", "FLOATP(0, 10, 2, 3)", "3.1415", "mismatch: 4 decimals"},
		{"floatp leading zero", "FLOATP(0, 100, 0, 3)", "03.5", "mismatch: prefix zero"},
		{"floatp minus zero", "FLOATP(-1, 1, 1, 1)", "-0.0", "mismatch: -0 not allowed"},
		{"floatp scientific", "FLOATP(0, 1e9, 2, 2, x, SCIENTIFIC)", "1.25e8", ""},
		{"floatp scientific mantissa", "FLOATP(0, 1e9, 1, 2, x, SCIENTIFIC)", "12.5e7", "mismatch: one non-zero digit"},
		{"string", `STRING("YES") NEWLINE`, "YES\n", ""},
		{"string wrong", `STRING("YES")`, "NO", "mismatch: does not match STRING"},
		{"string escapes", `STRING("a\tb\n\101\\")`, "a\tb\nA\\", ""},
		{"regex", `REGEX("[a-z]+", w) NEWLINE ASSERT(w == "abc")`, "abc\n", ""},
		{"regex greedy", `REGEX("a*") STRING("b")`, "aaab", ""},
		{"regex dot stops at newline", `REGEX(".*") NEWLINE`, "abc\n", ""},
		{"regex anchored", `REGEX("b")`, "ab", "mismatch: no match"},
		{"regex cannot escape its anchor", `REGEX("a)|(b")`, "cb", "runtime: bad regular expression"},
		{"eof", "INT(1,2) EOF", "1", ""},
		{"eof ends the program", "INT(1,2) EOF INT(1,2)", "1", ""},
		{"empty program empty input", "", "", ""},
		{"empty program", "", "x", "mismatch: expected the end of the input"},
	}, Options{})
}

func TestWhitespaceOK(t *testing.T) {
	prog := "INT(1,9) SPACE INT(1,9) NEWLINE"
	runCases(t, []ctdCase{
		{"plain", prog, "1 2\n", ""},
		{"runs of blanks", prog, "  1 \t 2  \n", ""},
		{"still needs a newline", prog, "1 2", "mismatch: end of input"},
		{"still needs a separator", "INT(1,9) SPACE INT(1,9)", "12", "mismatch"},
	}, Options{WhitespaceOK: true})
}

func TestControl(t *testing.T) {
	runCases(t, []ctdCase{
		{"rep with separator", "INT(1,5,n) NEWLINE REP(n, SPACE) INT(1,9) END NEWLINE", "3\n1 2 3\n", ""},
		{"rep short", "INT(1,5,n) NEWLINE REP(n, SPACE) INT(1,9) END NEWLINE", "3\n1 2\n", "mismatch: expected a space"},
		{"rep zero", "REP(0) INT(1,2) END", "", ""},
		{"rep negative", "REP(-1) INT(1,2) END", "", "runtime: repeat count -1"},
		{"repi", "INT(1,5,n) NEWLINE REPI(i, n, NEWLINE) INT(0,9,x[i]) ASSERT(x[i] == i) END NEWLINE ASSERT(i == n)", "3\n0\n1\n2\n", ""},
		{"repi wrong", "INT(1,5,n) NEWLINE REPI(i, n, NEWLINE) INT(0,9,x[i]) ASSERT(x[i] == i) END NEWLINE", "2\n0\n2\n", "mismatch: assertion failed"},
		{"while", "SET(s = 0) WHILE(!ISEOF) INT(1,9,x) NEWLINE SET(s = s + x) END ASSERT(s == 6)", "1\n2\n3\n", ""},
		{"while separator", `WHILE(!MATCH("\n"), SPACE) INT(1,9) END NEWLINE`, "1 2 3\n", ""},
		{"whilei counts", "WHILEI(i, !ISEOF) INT(1,9) NEWLINE END ASSERT(i == 2)", "1\n2\n", ""},
		{"if else", `INT(0,1,t) NEWLINE IF(t == 0) STRING("zero") ELSE STRING("one") END NEWLINE`, "1\none\n", ""},
		{"if else other branch", `INT(0,1,t) NEWLINE IF(t == 0) STRING("zero") ELSE STRING("one") END NEWLINE`, "0\none\n", "mismatch"},
		{"if without else", `INT(0,1,t) IF(t == 1) SPACE INT(1,9) END`, "0", ""},
		{"nested loops", "INT(1,3,r) SPACE INT(1,3,c) NEWLINE REP(r) REP(c, SPACE) INT(0,1) END NEWLINE END", "2 3\n0 1 0\n1 1 1\n", ""},
		{"loop separator is any command", `REP(3, STRING(", ")) INT(0,9) END`, "1, 2, 3", ""},
	}, Options{})
}

func TestExpressions(t *testing.T) {
	runCases(t, []ctdCase{
		{"precedence", "ASSERT(1 + 2 * 3 == 7 && (1 + 2) * 3 == 9)", "", ""},
		{"power right assoc", "ASSERT(2^3^2 == 512)", "", ""},
		{"unary minus below power", "ASSERT(-2^2 == -4)", "", ""},
		{"integer division truncates", "ASSERT(7 / 2 == 3 && -7 / 2 == -3 && -7 % 2 == -1)", "", ""},
		{"float division", "ASSERT(7.0 / 2 == 3.5)", "", ""},
		{"int and float compare", "ASSERT(2 == 2.0 && 1 < 1.5)", "", ""},
		{"big arithmetic", "ASSERT(10^40 + 1 > 10^40 && (10^40) % 7 == 4)", "", ""},
		{"string compare", `ASSERT("abc" < "abd" && "b" > "abc")`, "", ""},
		{"strlen", `REGEX("[a-z]*", w) ASSERT(STRLEN(w) == 5)`, "hello", ""},
		{"logic", "ASSERT(!(1 > 2) || 1/0 == 0)", "", ""},
		{"short circuit and", "ASSERT(1 > 2 && 1/0 == 0 || 1 == 1)", "", ""},
		{"division by zero", "ASSERT(1/0 == 0)", "", "runtime: division by zero"},
		{"modulo of floats", "ASSERT(1.5 % 1 == 0)", "", "runtime: needs integers"},
		{"negative exponent", "ASSERT(2^-1 == 0)", "", "runtime: non-negative integer exponents"},
		{"string arithmetic", `ASSERT("a" + 1 == 2)`, "", "runtime: cannot apply +"},
		{"compare string with int", `ASSERT("a" == 1)`, "", "runtime: cannot compare"},
		{"assert needs a boolean", "ASSERT(1)", "", "runtime: want a boolean"},
		{"undefined variable", "ASSERT(x == 1)", "", "runtime: variable x is not set"},
		{"missing index", "SET(x[1] = 5) ASSERT(x[2] == 5)", "", "runtime: no value at index [2]"},
		{"set several", "SET(a = 2, b = a * 3) ASSERT(b == 6)", "", ""},
		{"multi index", "SET(m[1,2] = 7) ASSERT(m[1,2] == 7)", "", ""},
		{"float index", "SET(m[1.5] = 7)", "", "runtime: want a integer"},
		{"match", `ASSERT(MATCH("xyz")) STRING("y")`, "y", ""},
		{"iseof at start", "ASSERT(ISEOF)", "", ""},
	}, Options{})
}

func TestArrays(t *testing.T) {
	read := "INT(1,10,n) NEWLINE REPI(i, n, NEWLINE) INT(0,99,x[i]) SPACE INT(0,99,y[i]) END NEWLINE "
	runCases(t, []ctdCase{
		{"unique", read + "ASSERT(UNIQUE(x, y))", "3\n1 2\n1 3\n2 2\n", ""},
		{"not unique", read + "ASSERT(UNIQUE(x, y))", "3\n1 2\n5 5\n1 2\n", "mismatch: non-unique tuple (1,2) found at index [2]"},
		{"unique one array", read + "ASSERT(UNIQUE(x))", "2\n1 2\n1 3\n", "mismatch: non-unique tuple (1) found at index [1]"},
		{"unique different indices", read + "SET(z[0] = 1) ASSERT(UNIQUE(x, z))", "2\n1 2\n3 4\n", "mismatch: different indices"},
		{"inarray", read + "ASSERT(INARRAY(5, y))", "2\n1 5\n3 4\n", ""},
		{"not inarray", read + "ASSERT(!INARRAY(6, y))", "2\n1 5\n3 4\n", ""},
		{"inarray int and float", "SET(a[0] = 2.0) ASSERT(INARRAY(2, a))", "", ""},
		{"unset", read + "UNSET(x) ASSERT(INARRAY(1, x))", "1\n1 2\n", "runtime: variable x is not set"},
		{"unset then reuse", "REP(2) INT(1,9,v[0]) NEWLINE ASSERT(UNIQUE(v)) UNSET(v) END", "1\n1\n", ""},
	}, Options{})
}

func TestSyntax(t *testing.T) {
	runCases(t, []ctdCase{
		{"unknown command", "FOO(1)", "", "syntax: line 1, column 1: FOO is not a command or function"},
		{"missing end", "REP(3) INT(1,2)", "", "syntax: REP at line 1: expected END, got end of program"},
		{"stray end", "INT(1,2) END", "", "syntax: END without a matching"},
		{"else outside if", "REP(1) ELSE END", "", "syntax: expected END, got \"ELSE\""},
		{"missing paren", "INT(1,2", "", "syntax: expected \")\""},
		{"bad variable", "INT(1,2,Xy)", "", "syntax: X is not a command or function (commands are upper-case, variable names lower-case)"},
		{"number as variable", "INT(1,2,3)", "", "syntax: expected a variable name"},
		{"underscore", "INT(1,2,x_y)", "", "syntax: lower-case letters and digits"},
		{"unterminated string", `STRING("abc)`, "", "syntax: unterminated string"},
		{"bad float option", "FLOAT(0,1,x,EXACT)", "", "syntax: EXACT is not a command or function"},
		{"option needs a keyword", "FLOAT(0,1,x,INT)", "", "syntax: expected FIXED or SCIENTIFIC"},
		{"command as value", "ASSERT(INT == 1)", "", "syntax: INT is a command, not a value"},
		{"deep nesting", strings.Repeat("REP(1) ", 500) + strings.Repeat("END ", 500), "", "syntax: nested more than"},
		{"deep expression", "ASSERT(" + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000) + " == 1)", "", "syntax: nested more than"},
		{"deep unary", "ASSERT(" + strings.Repeat("-", 5000) + "1 == 1)", "", "syntax: nested more than"},
		{"comments", "# a comment\nINT(1,2) # another\nNEWLINE\n# last", "1\n", ""},
		{"second line position", "INT(1,2)\n  BAD", "", "syntax: line 2, column 3"},
	}, Options{})
}

// TestBounds: a hostile program ends with a RuntimeError naming the bound
// that stopped it, never a hang or a crash.
func TestBounds(t *testing.T) {
	small := Options{MaxSteps: 100_000, MaxEntries: 1000, MaxValueBits: 4096}
	runCases(t, []ctdCase{
		{"endless while", "WHILE(1 == 1) END", "", "runtime: gave up after 100000 steps"},
		{"endless empty regex", `WHILE(!ISEOF) REGEX("x*") END`, "abc", "runtime: gave up"},
		{"too many entries", "REPI(i, 100000) SET(a[i] = i) END", "", "runtime: more than 1000 variables"},
		{"number explosion", "SET(x = 2) REP(100) SET(x = x * x) END", "", "runtime: more than 4096 bits"},
		{"huge power", "ASSERT(2^(10^12) > 0)", "", "runtime: more than 4096 bits"},
		{"power of one", "ASSERT(1^(10^30) == 1 && (-1)^(10^30+1) == -1 && 0^(10^30) == 0)", "", ""},
		{"huge repeat", "REP(10^20) END", "", "runtime: repeat count"},
		{"quadratic scan", "REPI(i, 900) SET(a[i] = i) END REPI(i, 900) ASSERT(INARRAY(i, a)) END", "", "runtime: gave up"},
		{"regex scanning far", `WHILE(!ISEOF) REGEX("a*b|a") END`, strings.Repeat("a", 5000), "runtime: gave up"},
	}, small)
	// Bounds scale with the input by default: a long valid input passes.
	input := strings.Repeat("1 ", 200_000) + "\n"
	if got := check(t, `WHILE(!MATCH("\n")) INT(1,1) SPACE END NEWLINE`, input, Options{}); got != "" {
		t.Errorf("long input: %s", got)
	}
}

func TestCancel(t *testing.T) {
	p, err := Parse([]byte("WHILE(1 == 1) END"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Check(ctx, nil, Options{MaxSteps: 1 << 40}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestParseArgs(t *testing.T) {
	opt, err := ParseArgs([]string{"--whitespace-ok", "-q"})
	if err != nil || !opt.WhitespaceOK {
		t.Errorf("ParseArgs: %+v %v", opt, err)
	}
	if _, err := ParseArgs([]string{"--generate"}); err == nil {
		t.Error("unknown option accepted")
	}
}

func TestMessages(t *testing.T) {
	got := check(t, "INT(1,5,n) NEWLINE\nREP(n, SPACE) INT(1,9) END NEWLINE", "2\n1 x\n", Options{})
	for _, want := range []string{"input line 2, column 3", "INT(1,9)", "program line 2", `near "x\n"`} {
		if !strings.Contains(got, want) {
			t.Errorf("message %q lacks %q", got, want)
		}
	}
}
