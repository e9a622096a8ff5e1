package checktestdata

import (
	"context"
	"strings"
	"testing"
)

// FuzzCheck feeds arbitrary programs and inputs: parsing and checking must
// end with a result or a clear error, never a panic (Check turns one into
// an "internal error in the checker", which fails here) or a hang (the
// small step budget bounds every loop). `go test -fuzz FuzzCheck` explores
// beyond the seeds.
func FuzzCheck(f *testing.F) {
	seeds := [][2]string{
		{"INT(1,5,n) NEWLINE REPI(i, n, SPACE) INT(0,99,x[i]) END NEWLINE ASSERT(UNIQUE(x))", "3\n1 2 3\n"},
		{"FLOATP(0, 10, 1, 3, f, FIXED) SPACE FLOAT(-1e9, 1e9, g, SCIENTIFIC) NEWLINE", "3.14 -2.5e3\n"},
		{`WHILE(!ISEOF) REGEX("[a-z]+", w) ASSERT(STRLEN(w) < 10) NEWLINE END`, "abc\nde\n"},
		{`IF(MATCH("-")) INT(-9,-1) ELSE INT(0,9) END`, "-3"},
		{"SET(a = 2^64, b = a % 7, c = -a / 3) ASSERT(b != c && INARRAY(b, b))", ""},
		{`STRING("\101\n") UNSET(x) EOF`, "A\n"},
		{"REP(3, NEWLINE) REP(2, SPACE) INT(0,1) END END", "0 1\n1 0\n0 0"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, prog, input string) {
		p, err := Parse([]byte(prog))
		if err != nil {
			return
		}
		err = p.Check(context.Background(), []byte(input), Options{MaxSteps: 20000, MaxEntries: 500, MaxValueBits: 1 << 12})
		if err != nil && strings.Contains(err.Error(), "internal error in the checker") {
			t.Fatalf("program %q on %q: %v", prog, input, err)
		}
	})
}
