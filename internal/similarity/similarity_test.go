package similarity

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// FlagScore is the score the tests hold the detector to: copies score at
// least this, independent solutions below it (package replay flags with
// the same number).
const flagScore = 0.6

func syms(ts []Token) []uint16 {
	out := make([]uint16, len(ts))
	for i, t := range ts {
		out[i] = t.Sym
	}
	return out
}

func TestTokenizeNormalises(t *testing.T) {
	a := `#include <cstdio>
// sum of squares
int sumsq(int n) { /* the loop */
    long long total = 0;
    for (int i = 1; i <= n; i++) total += (long long)i * i;
    return total;
}`
	b := `#include <stdio.h>
long f(long count)
{
	long acc = 0;   // renamed, retyped, reformatted
	for (long k = 1; k <= count; k++) acc += (long)k * k;
	return acc;
}`
	if !slices.Equal(syms(Tokenize("cpp", a)), syms(Tokenize("c", b))) {
		t.Fatalf("renamed, retyped and reformatted C differs:\n%v\n%v", syms(Tokenize("cpp", a)), syms(Tokenize("c", b)))
	}
	// Python: indentation is BEGIN/END like braces; the block colon, the
	// comments and the docstring's content do not count.
	py := "def f(n):\n    \"\"\"doc\n    string\"\"\"\n    s = 0  # acc\n    for i in range(n):\n        s += i\n\n    return s\nprint(f(3))\n"
	got := syms(Tokenize("python", py))
	want := []uint16{symFunc, symID, opSym["("], symID, opSym[")"], symBegin, symStr, symID, opSym["="], symNum,
		symFor, symID, symIn, symIn, opSym["("], symID, opSym[")"], symBegin, symID, opSym["+="], symID, symEnd,
		symReturn, symID, symEnd, symID, opSym["("], symID, opSym["("], symNum, opSym[")"], opSym[")"]}
	if !slices.Equal(got, want) {
		t.Fatalf("python tokens\n got %v\nwant %v", got, want)
	}
	// Lines are where each token starts.
	ts := Tokenize("python", py)
	if ts[len(ts)-1].Line != 9 || ts[6].Line != 2 || ts[7].Line != 4 {
		t.Errorf("lines: last %d, docstring %d, after it %d", ts[len(ts)-1].Line, ts[6].Line, ts[7].Line)
	}
}

// TestTokenizeHostile: unterminated comments and strings, binary junk and
// odd unicode end the stream; they never hang or panic.
func TestTokenizeHostile(t *testing.T) {
	for _, src := range []string{"/* never closed", `"never closed`, "'''never", "\x00\xff\xfe\x01", "ℵ = 1; λ(x)", "#define X \\\n  1\nint y;",
		strings.Repeat("(", 10000), strings.Repeat("\n\t", 5000) + "x"} {
		for _, lang := range []string{"cpp", "python", "haskell", "unknown"} {
			_ = Tokenize(lang, src)
		}
	}
}

var solutionA = `#include <bits/stdc++.h>
using namespace std;

int find(vector<int>& parent, int x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

bool unite(vector<int>& parent, vector<int>& size, int a, int b) {
    a = find(parent, a);
    b = find(parent, b);
    if (a == b) return false;
    if (size[a] < size[b]) swap(a, b);
    parent[b] = a;
    size[a] += size[b];
    return true;
}

int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<int> parent(n + 1), size(n + 1, 1);
    for (int i = 0; i <= n; i++) parent[i] = i;
    int components = n;
    for (int i = 0; i < m; i++) {
        int u, v;
        scanf("%d %d", &u, &v);
        if (unite(parent, size, u, v)) components--;
    }
    printf("%d\n", components);
    return 0;
}
`

// The same program with every identifier renamed, its functions in
// another order, comments added and the layout changed.
var copyA = `#include <cstdio>
#include <vector>
#include <algorithm>
// my own union find
int root(std::vector<int> &up, int node)
{
  while (up[node] != node)
  {
    up[node] = up[up[node]];   // halve the path
    node = up[node];
  }
  return node;
}

int main()
{
  int vertices, edges;
  scanf("%d %d", &vertices, &edges);
  std::vector<int> up(vertices + 1), weight(vertices + 1, 1);
  for (int k = 0; k <= vertices; k++) up[k] = k;
  int groups = vertices;
  for (int k = 0; k < edges; k++)
  {
    int x, y;
    scanf("%d %d", &x, &y);
    if (merge(up, weight, x, y)) groups--;
  }
  printf("%d\n", groups);
  return 0;
}

bool merge(std::vector<int> &up, std::vector<int> &weight, int p, int q)
{
  p = root(up, p);
  q = root(up, q);
  if (p == q) return false;
  if (weight[p] < weight[q]) std::swap(p, q);
  up[q] = p;
  weight[p] += weight[q];
  return true;
}
`

// An independent solution of the same problem: a DFS counting components.
var independentA = `#include <cstdio>
#include <vector>
using namespace std;
vector<vector<int>> g;
vector<bool> seen;
void dfs(int s) {
    vector<int> st = {s};
    seen[s] = true;
    while (!st.empty()) {
        int v = st.back(); st.pop_back();
        for (int w : g[v]) if (!seen[w]) { seen[w] = true; st.push_back(w); }
    }
}
int main() {
    int n, m;
    if (scanf("%d %d", &n, &m) != 2) return 0;
    g.assign(n + 1, {});
    seen.assign(n + 1, false);
    while (m--) { int a, b; scanf("%d %d", &a, &b); g[a].push_back(b); g[b].push_back(a); }
    int c = 0;
    for (int v = 1; v <= n; v++) if (!seen[v]) { c++; dfs(v); }
    printf("%d\n", c);
}
`

func TestCopiesFoundIndependentNot(t *testing.T) {
	p := Default()
	a, cp, ind := NewDoc("a", "cpp", solutionA, p), NewDoc("copy", "cpp", copyA, p), NewDoc("ind", "cpp", independentA, p)
	if m := Compare(a, cp); m.Score < 0.8 {
		t.Errorf("renamed and reordered copy scores %.2f (%d shared of %d/%d), want >= 0.8", m.Score, m.Shared, a.Size(), cp.Size())
	}
	if m := Compare(a, ind); m.Score >= flagScore {
		t.Errorf("independent solution scores %.2f, want < %.2f", m.Score, flagScore)
	}
	// The evidence: the shared lines of both, for the side-by-side view.
	la, lb := Compare(a, cp).Lines()
	if len(la) < 15 || len(lb) < 15 {
		t.Errorf("shared lines: %v / %v; want most of both programs", la, lb)
	}
	if slices.Contains(lb, 4) { // "// my own union find" is a comment
		t.Errorf("a comment line counted as shared: %v", lb)
	}
	// Through the index, with the copy inside a larger program.
	ix := NewIndex(p)
	ix.AddDoc(a)
	ix.AddDoc(ind)
	grown := NewDoc("grown", "cpp", copyA+"\nint unused_helper(int q) { int s = 0; for (int i = 0; i < q; i++) { s += i * i % 7; } return s; }\n", p)
	ms := ix.Similar(grown, flagScore)
	if len(ms) != 1 || ms[0].B.ID != "a" {
		t.Fatalf("Similar(grown copy) = %v, want only the original", ids(ms))
	}
}

func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s~%s %.2f", m.A.ID, m.B.ID, m.Score))
	}
	return out
}

// TestAcrossLanguages: a C solution copied into C++ (iostream instead of
// stdio, references, std::) is still a copy.
func TestAcrossLanguages(t *testing.T) {
	c := `#include <stdio.h>
long long best(long long *a, int n) {
    long long cur = 0, ans = a[0];
    for (int i = 0; i < n; i++) {
        cur = cur + a[i] > a[i] ? cur + a[i] : a[i];
        if (cur > ans) ans = cur;
    }
    return ans;
}
int main(void) {
    int n; scanf("%d", &n);
    long long a[200000];
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    printf("%lld\n", best(a, n));
    return 0;
}`
	cpp := `#include <iostream>
#include <vector>
long long best(std::vector<long long> &values, int count) {
    long long run = 0, top = values[0];
    for (int j = 0; j < count; j++) {
        run = run + values[j] > values[j] ? run + values[j] : values[j];
        if (run > top) top = run;
    }
    return top;
}
int main() {
    int count; scanf("%d", &count);
    std::vector<long long> values(count);
    for (int j = 0; j < count; j++) scanf("%lld", &values[j]);
    printf("%lld\n", best(values, count));
    return 0;
}`
	if m := Compare(NewDoc("c", "c", c, Default()), NewDoc("cpp", "cpp", cpp, Default())); m.Score < flagScore {
		t.Errorf("C copied into C++ scores %.2f, want >= %.2f", m.Score, flagScore)
	}
}

var ext = map[string]string{".py": "python", ".c": "c", ".cpp": "cpp", ".go": "go", ".java": "java", ".rs": "rust"}

type bundled struct {
	id, lang, src         string
	problem, folder, stem string
}

func loadBundled(tb testing.TB) []bundled {
	tb.Helper()
	files, _ := filepath.Glob("../../problems/*/submissions/*/*")
	sort.Strings(files)
	var out []bundled
	for _, f := range files {
		lang := ext[filepath.Ext(f)]
		b, err := os.ReadFile(f)
		if lang == "" || err != nil {
			continue
		}
		rel, _ := filepath.Rel("../../problems", f)
		p := strings.Split(rel, string(filepath.Separator))
		out = append(out, bundled{id: rel, lang: lang, src: string(b), problem: p[0], folder: p[2],
			stem: strings.TrimSuffix(p[3], filepath.Ext(p[3]))})
	}
	if len(out) < 50 {
		tb.Skip("bundled problems not found")
	}
	return out
}

// independent tells whether two bundled submissions were written
// independently: different problems, or different algorithms of the same
// problem (different file names) outside wrong_answer/, whose programs are
// deliberate variants of an accepted one. Same-named files of one problem
// in two languages are translations by the same author.
func independent(a, b bundled) bool {
	return a.problem != b.problem || a.folder != "wrong_answer" && b.folder != "wrong_answer" && a.stem != b.stem
}

// TestBundledFalsePositives measures the false positives on the bundled
// problems' independent solutions (every pair of them, through one index
// as the server builds it) and holds them under 0.1%; it prints the
// figure the README reports:
//
//	go test -run BundledFalsePositives -v ./internal/similarity
func TestBundledFalsePositives(t *testing.T) {
	subs := loadBundled(t)
	ix := NewIndex(Default())
	byID := map[string]bundled{}
	for _, s := range subs {
		ix.Add(s.id, s.lang, s.src)
		byID[s.id] = s
	}
	pairs, flagged, translations, found := 0, 0, 0, 0
	for i := range subs {
		for j := i + 1; j < len(subs); j++ {
			switch {
			case independent(subs[i], subs[j]):
				pairs++
			case subs[i].problem == subs[j].problem && subs[i].stem == subs[j].stem:
				translations++
			}
		}
	}
	for _, m := range ix.Pairs(flagScore) {
		a, b := byID[m.A.ID], byID[m.B.ID]
		switch {
		case independent(a, b):
			flagged++
			t.Logf("false positive %.2f: %s ~ %s", m.Score, a.id, b.id)
		case a.problem == b.problem && a.stem == b.stem:
			found++
		}
	}
	rate := float64(flagged) / float64(pairs)
	t.Logf("%d submissions: %d of %d pairs of independent solutions flagged at score %.1f (%.3f%%); %d of %d same-author translations between languages flagged",
		len(subs), flagged, pairs, flagScore, 100*rate, found, translations)
	if rate > 0.001 {
		t.Errorf("false positive rate %.3f%% over 0.1%%", 100*rate)
	}
}

var wordRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// disguise copies src the way a player hides a copy: every identifier
// renamed, the top-level blocks (functions) shuffled, a comment added.
func disguise(rng *rand.Rand, lang, src string) string {
	names := map[string]string{}
	renamed := wordRE.ReplaceAllStringFunc(src, func(w string) string {
		if _, kw := keywords[w]; kw || w == "include" || w == "import" {
			return w
		}
		if n, ok := names[w]; ok {
			return n
		}
		names[w] = fmt.Sprintf("q%d_%d", len(names), rng.IntN(100))
		return names[w]
	})
	blocks := strings.Split(renamed, "\n\n")
	rng.Shuffle(len(blocks), func(i, j int) { blocks[i], blocks[j] = blocks[j], blocks[i] })
	comment := "// mine\n"
	if lang == "python" {
		comment = "# mine\n"
	}
	return comment + strings.Join(blocks, "\n\n")
}

// synthetic writes a random, plausible program (loops, conditions,
// arithmetic, helper functions) so that a corpus can have a thousand
// different submissions.
func synthetic(rng *rand.Rand) (lang, src string) {
	var b strings.Builder
	ops := []string{"+", "-", "*", "%", "^", "<<"}
	cmp := []string{"<", ">", "==", "!=", "<="}
	v := func() string { return string(rune('a' + rng.IntN(8))) }
	expr := func() string {
		return fmt.Sprintf("%s %s %s", v(), ops[rng.IntN(len(ops))], []string{v(), fmt.Sprint(rng.IntN(100))}[rng.IntN(2)])
	}
	var stmt func(depth int, ind string)
	stmt = func(depth int, ind string) {
		switch r := rng.IntN(6); {
		case r < 2 || depth > 2:
			fmt.Fprintf(&b, "%s%s = %s;\n", ind, v(), expr())
		case r == 2:
			fmt.Fprintf(&b, "%sfor (int %s = 0; %s %s %s; %s++) {\n", ind, v(), v(), cmp[rng.IntN(len(cmp))], v(), v())
			for range 1 + rng.IntN(3) {
				stmt(depth+1, ind+"    ")
			}
			fmt.Fprintf(&b, "%s}\n", ind)
		case r == 3:
			fmt.Fprintf(&b, "%sif (%s %s %s) {\n", ind, v(), cmp[rng.IntN(len(cmp))], expr())
			for range 1 + rng.IntN(3) {
				stmt(depth+1, ind+"    ")
			}
			fmt.Fprintf(&b, "%s} else {\n%s    %s = f%d(%s);\n%s}\n", ind, ind, v(), rng.IntN(4), v(), ind)
		case r == 4:
			fmt.Fprintf(&b, "%swhile (%s %s %s) %s /= %d;\n", ind, v(), cmp[rng.IntN(len(cmp))], v(), v(), 2+rng.IntN(5))
		default:
			fmt.Fprintf(&b, "%sprintf(\"%%d\\n\", %s);\n", ind, expr())
		}
	}
	b.WriteString("#include <cstdio>\n")
	for f := range 2 + rng.IntN(3) {
		fmt.Fprintf(&b, "\nint f%d(int a) {\n    int b = a, c = 0, d = 1, e = 2, f = 3, g = 4, h = 5;\n", f)
		for range 3 + rng.IntN(6) {
			stmt(0, "    ")
		}
		b.WriteString("    return a;\n}\n")
	}
	b.WriteString("\nint main() {\n    int a, b, c, d, e, f, g, h;\n    scanf(\"%d\", &a);\n")
	for range 4 + rng.IntN(8) {
		stmt(0, "    ")
	}
	b.WriteString("}\n")
	return "cpp", b.String()
}

type corpusDoc struct{ id, lang, src string }

// corpus is 1,000 submissions: the bundled ones, synthetic ones, and
// planted disguised copies of bundled accepted solutions long enough to
// judge (their ids start with "copy:" and name the original).
func corpus(tb testing.TB, planted int) []corpusDoc {
	subs := loadBundled(tb)
	rng := rand.New(rand.NewPCG(42, 1))
	var out []corpusDoc
	for _, s := range subs {
		out = append(out, corpusDoc{s.id, s.lang, s.src})
	}
	var accepted []bundled
	for _, s := range subs {
		// Programs of a few lines are never called copies (MinFingerprints).
		if s.folder == "accepted" && NewDoc(s.id, s.lang, s.src, Default()).Size() >= 2*MinFingerprints {
			accepted = append(accepted, s)
		}
	}
	for i := range planted {
		s := accepted[(i*13)%len(accepted)]
		out = append(out, corpusDoc{"copy:" + s.id + ":" + fmt.Sprint(i), s.lang, disguise(rng, s.lang, s.src)})
	}
	for i := 0; len(out) < 1000; i++ {
		lang, src := synthetic(rng)
		out = append(out, corpusDoc{fmt.Sprintf("synthetic-%d", i), lang, src})
	}
	return out
}

// TestPlantedCopiesFound: every disguised copy planted among 1,000
// submissions is found paired with its original.
func TestPlantedCopiesFound(t *testing.T) {
	docs := corpus(t, 20)
	ix := NewIndex(Default())
	for _, d := range docs {
		ix.Add(d.id, d.lang, d.src)
	}
	found := plantedFound(ix.Pairs(flagScore))
	if found != 20 {
		t.Fatalf("found %d of 20 planted copies", found)
	}
}

// BenchmarkThousand is the check the server runs, at the size the issue
// sets: fingerprint 1,000 submissions of one problem and find every pair
// of copies, with 20 disguised copies (renamed identifiers, reordered
// functions) planted among them. It prints the time and how many planted
// copies were found:
//
//	go test -run '^$' -bench Thousand -benchtime 5x ./internal/similarity
func BenchmarkThousand(b *testing.B) {
	docs := corpus(b, 20)
	var pairs []Match
	cpu0 := cpuTime()
	for b.Loop() {
		ix := NewIndex(Default())
		for _, d := range docs {
			ix.Add(d.id, d.lang, d.src)
		}
		pairs = ix.Pairs(flagScore)
	}
	cpu := (cpuTime() - cpu0) / time.Duration(b.N)
	b.Logf("%d submissions: %v wall (%v CPU) per full check (fingerprint all, find all pairs); %d of 20 planted copies found; %d pairs flagged",
		len(docs), (b.Elapsed() / time.Duration(b.N)).Round(time.Millisecond), cpu.Round(time.Millisecond), plantedFound(pairs), len(pairs))
}

// plantedFound counts the planted copies paired with their original.
func plantedFound(pairs []Match) int {
	found := map[string]bool{}
	for _, m := range pairs {
		for _, pair := range [][2]string{{m.A.ID, m.B.ID}, {m.B.ID, m.A.ID}} {
			if orig, ok := strings.CutPrefix(pair[0], "copy:"); ok && strings.HasPrefix(orig, pair[1]+":") {
				found[pair[0]] = true
			}
		}
	}
	return len(found)
}

// cpuTime is the process's user and system CPU time (the machine is
// shared: wall time includes waiting for a core).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
