package static

import (
	"testing"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

func TestConstWidthSlice(t *testing.T) {
	for text, want := range map[string]bool{
		"i:i+4": true, "1+4*i:5+4*i": true, ":3": true, "-2:": true, "i - 1 : i + 1": true,
		"i:": false, ":n": false, "i:j": false, "2:": false, "1:n-1": false, "i:2*i": false,
	} {
		if got := constWidthSlice(text); got != want {
			t.Errorf("constWidthSlice(%q) = %v, want %v", text, got, want)
		}
	}
	src := "import sys\ndata = sys.stdin.read().split()\nn = int(data[0])\nfor i in range(n):\n    a, b, c, d = data[1+4*i:5+4*i]\n    print(a)\n"
	r, err := Analyze("python", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if r.Time.Class() != bigo.Linear {
		t.Errorf("loop over constant-width slices: time %v, want O(n); evidence %+v", r.Time, r.Evidence)
	}
}
