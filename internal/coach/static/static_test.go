package static

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

var extLang = map[string]string{".py": "python", ".c": "c", ".cpp": "cpp", ".go": "go", ".js": "javascript", ".java": "java", ".rs": "rust"}

// TestLabeledSet runs the analyser over the labelled evaluation set. Static
// analysis alone is a heuristic, so the test holds it to a floor rather than
// to every case; the empirical fit covers what it misses.
func TestLabeledSet(t *testing.T) {
	root := filepath.Join("..", "eval", "testdata")
	f, err := os.Open(filepath.Join(root, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total, right := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		want, err := bigo.Parse(cols[1])
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(filepath.Join(root, cols[0]))
		if err != nil {
			t.Fatal(err)
		}
		r, err := Analyze(extLang[filepath.Ext(cols[0])], src)
		if err != nil {
			t.Fatalf("%s: %v", cols[0], err)
		}
		total++
		if r.Time == want {
			right++
		} else {
			var notes []string
			for _, e := range r.Evidence {
				notes = append(notes, e.Note)
			}
			t.Logf("%-34s got %-10v want %-10v  %s", cols[0], r.Time, want, strings.Join(notes, " | "))
		}
	}
	acc := float64(right) / float64(total)
	t.Logf("static accuracy %d/%d = %.1f%%", right, total, 100*acc)
	if acc < 0.8 {
		t.Errorf("static accuracy %.1f%% is below the 80%% floor", 100*acc)
	}
}

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
	if r.Time != bigo.Linear {
		t.Errorf("loop over constant-width slices: time %v, want O(n); evidence %+v", r.Time, r.Evidence)
	}
}
