package judge

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name   string
		flags  string
		output string
		answer string
		ok     bool
		why    string // substring of the reason when rejected
	}{
		{"exact", "", "1 2 3\n", "1 2 3\n", true, ""},
		{"extra spaces and newlines", "", "  1\n\n2\t3  \r\n", "1 2 3\n", true, ""},
		{"missing trailing newline", "", "42", "42\n", true, ""},
		{"empty both", "", "", "", true, ""},
		{"whitespace only vs empty", "", " \n\n", "", true, ""},
		{"wrong token", "", "1 2 4\n", "1 2 3\n", false, "token 3"},
		{"short output", "", "1 2\n", "1 2 3\n", false, "output ended"},
		{"trailing output", "", "1 2 3 4\n", "1 2 3\n", false, "trailing output"},
		{"empty output", "", "", "1\n", false, "output ended"},
		{"case insensitive by default", "", "YES\n", "yes\n", true, ""},
		{"case sensitive flag", "case_sensitive", "YES\n", "yes\n", false, "differs"},
		{"case sensitive same", "case_sensitive", "Yes\n", "Yes\n", true, ""},
		{"numbers compared as text without tolerance", "", "1.0\n", "1\n", false, "differs"},
		{"space change sensitive exact", "space_change_sensitive", "1 2\n3\n", "1 2\n3\n", true, ""},
		{"space change sensitive double space", "space_change_sensitive", "1  2\n", "1 2\n", false, "whitespace"},
		{"space change sensitive missing newline", "space_change_sensitive", "1 2", "1 2\n", false, "whitespace"},
		{"space change sensitive tab", "space_change_sensitive", "1\t2\n", "1 2\n", false, "whitespace"},
		{"abs tolerance within", "float_absolute_tolerance 1e-6", "0.3333333\n", "0.333333333\n", true, ""},
		{"abs tolerance outside", "float_absolute_tolerance 1e-6", "0.3333\n", "0.333333333\n", false, "tolerance"},
		{"rel tolerance within", "float_relative_tolerance 1e-6", "1000000.5\n", "1000000\n", true, ""},
		{"rel tolerance outside", "float_relative_tolerance 1e-6", "1000002\n", "1000000\n", false, "tolerance"},
		{"rel tolerance at zero needs exact", "float_relative_tolerance 1e-6", "0.0000001\n", "0\n", false, "tolerance"},
		{"float_tolerance uses abs near zero", "float_tolerance 1e-6", "0.0000001\n", "0\n", true, ""},
		{"float_tolerance uses rel for big", "float_tolerance 1e-6", "1000000.5\n", "1000000\n", true, ""},
		{"float_tolerance both fail", "float_tolerance 1e-6", "1000010\n", "1000000\n", false, "tolerance"},
		{"exponent notation accepted", "float_tolerance 1e-9", "1.5e3\n", "1500\n", true, ""},
		{"integer answer as float", "float_absolute_tolerance 0.5", "2.4\n", "2\n", true, ""},
		{"team not a number", "float_tolerance 1e-6", "abc\n", "1.5\n", false, "not a number"},
		{"team nan is not a number", "float_tolerance 1e-6", "nan\n", "1.5\n", false, "not a number"},
		{"team inf is not a number", "float_tolerance 1e-6", "inf\n", "1.5\n", false, "not a number"},
		{"text tokens still text with tolerance", "float_tolerance 1e-6", "Possible 0.5\n", "possible 0.5000001\n", true, ""},
		{"text mismatch with tolerance", "float_tolerance 1e-6", "impossible\n", "possible\n", false, "differs"},
		{"negative numbers", "float_absolute_tolerance 1e-3", "-2.0004\n", "-2\n", true, ""},
		{"sign matters", "float_absolute_tolerance 1e-3", "2\n", "-2\n", false, "tolerance"},
		{"tolerance and case flags together", "case_sensitive float_tolerance 1e-4", "X 1.00001\n", "X 1\n", true, ""},
		{"long token quoted and cut", "", strings.Repeat("a", 1000), "b", false, "..."},
		{"unicode case fold", "", "ÉTÉ\n", "été\n", true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			flags, err := ParseCheckerFlags(strings.Fields(c.flags))
			if err != nil {
				t.Fatal(err)
			}
			ok, why := Check([]byte(c.output), []byte(c.answer), flags)
			if ok != c.ok {
				t.Fatalf("Check(%q, %q, %q) = %v (%s), want %v", c.output, c.answer, c.flags, ok, why, c.ok)
			}
			if !ok && !strings.Contains(why, c.why) {
				t.Errorf("reason %q does not mention %q", why, c.why)
			}
			if ok && why != "" {
				t.Errorf("accepted with a reason %q", why)
			}
		})
	}
}

func TestParseCheckerFlags(t *testing.T) {
	bad := []string{
		"float_tolerance",
		"float_tolerance x",
		"float_tolerance -1",
		"float_relative_tolerance nan",
		"ignore_everything",
	}
	for _, b := range bad {
		if _, err := ParseCheckerFlags(strings.Fields(b)); err == nil {
			t.Errorf("ParseCheckerFlags(%q) accepted", b)
		}
	}
	f, err := ParseCheckerFlags(strings.Fields("float_absolute_tolerance 0.1 float_relative_tolerance 0.2 case_sensitive"))
	if err != nil {
		t.Fatal(err)
	}
	if f.FloatAbsTolerance != 0.1 || f.FloatRelTolerance != 0.2 || !f.CaseSensitive || f.SpaceChangeSensitive {
		t.Errorf("flags = %+v", f)
	}
	f, _ = ParseCheckerFlags(nil)
	if f.FloatAbsTolerance >= 0 || f.FloatRelTolerance >= 0 {
		t.Errorf("default flags enable tolerances: %+v", f)
	}
}

func TestCapWriter(t *testing.T) {
	w := &capWriter{max: 5}
	for _, s := range []string{"ab", "cdef", "ghi"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if w.String() != "abcde" || !w.cut || w.n != 9 {
		t.Errorf("capWriter kept %q cut=%v n=%d", w.String(), w.cut, w.n)
	}
}
