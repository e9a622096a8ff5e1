package static

import (
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

func TestAnalyzeSnippets(t *testing.T) {
	tests := []struct {
		name, lang, src string
		time, space     bigo.Class
		tag             string // a tag the evidence must carry
		lines           [2]int // lines of the first evidence with that tag (0 = any)
	}{
		{name: "py nested loops", lang: "python", src: "n = int(input())\ns = 0\nfor i in range(n):\n    for j in range(n):\n        s += i * j\nprint(s)\n",
			time: bigo.Quadratic, space: bigo.Const, tag: TagLoop, lines: [2]int{3, 5}},
		{name: "py constant inner loop", lang: "python", src: "n = int(input())\nfor i in range(n):\n    for c in range(26):\n        pass\n",
			time: bigo.Linear, tag: TagConstLoop},
		{name: "py comprehension grid", lang: "python", src: "n = int(input())\ng = [[0] * n for _ in range(n)]\nprint(len(g))\n",
			time: bigo.Quadratic, space: bigo.Quadratic, tag: TagAlloc},
		{name: "py exponential", lang: "python", src: "def f(n):\n    if n < 2:\n        return n\n    return f(n - 1) + f(n - 2)\nprint(f(int(input())))\n",
			time: bigo.Exponential, space: bigo.Linear, tag: TagExpRecursion, lines: [2]int{1, 4}},
		{name: "py memo decorator", lang: "python", src: "from functools import cache\n@cache\ndef f(n):\n    return n if n < 2 else f(n - 1) + f(n - 2)\nprint(f(int(input())))\n",
			time: bigo.Linear, tag: TagMemo},
		{name: "py grid memo", lang: "python", src: "memo = {}\ndef d(i, j):\n    if (i, j) in memo:\n        return memo[(i, j)]\n    r = 1 if i == 0 or j == 0 else d(i - 1, j) + d(i, j - 1)\n    memo[(i, j)] = r\n    return r\nn = int(input())\nprint(d(n, n))\n",
			time: bigo.Quadratic, tag: TagMemo},
		{name: "py binary search", lang: "python", src: "n = int(input())\nx = 5\nlo, hi = 0, n\nwhile lo < hi:\n    mid = (lo + hi) // 2\n    if a[mid] < x:\n        lo = mid + 1\n    else:\n        hi = mid\nprint(lo)\n",
			time: bigo.Log, tag: TagHalving, lines: [2]int{4, 9}},
		{name: "py list membership", lang: "python", src: "a = input().split()\nseen = []\nfor x in a:\n    if x not in seen:\n        seen.append(x)\n",
			time: bigo.Quadratic, tag: TagMembership, lines: [2]int{4, 4}},
		{name: "py set membership", lang: "python", src: "a = input().split()\nseen = set()\nfor x in a:\n    if x not in seen:\n        seen.add(x)\n",
			time: bigo.Linear, space: bigo.Linear},
		{name: "py sort in loop", lang: "python", src: "a = input().split()\nfor q in range(len(a)):\n    b = sorted(a)\n",
			time: bigo.Quadratic, tag: TagSort},
		{name: "c halving for", lang: "c", src: "int main(void){int n=1000,c=0;\nfor(int i=n;i>0;i/=2)\n c++;\nreturn c;}\n",
			time: bigo.Log, tag: TagHalving, lines: [2]int{2, 3}},
		{name: "c early exit", lang: "c", src: "int main(void){int n,s=0;scanf(\"%d\",&n);\nfor(int i=0;i<n;i++){\n if(i>=10) break;\n for(int j=0;j<n;j++) s+=j;\n}\nreturn s;}\n",
			time: bigo.Linear, tag: TagEarlyExit},
		{name: "cpp rep macros", lang: "cpp", src: "#include <cstdio>\n#define rep(i, a, b) for (int i = (a); i < (b); ++i)\n#define REP(i, n) rep(i, 0, n)\nint main(){int n;scanf(\"%d\",&n);long s=0;\nREP(i, n) REP(j, n)\n  s += i ^ j;\nprintf(\"%ld\", s);}\n",
			time: bigo.Quadratic, tag: TagLoop, lines: [2]int{5, 6}},
		{name: "cpp two pointers amortized", lang: "cpp", src: "#include <iostream>\n#include <vector>\nint main(){int n=0;std::cin>>n;std::vector<int> a(100);int j=0;long s=0;\nfor(int i=0;i<n;i++){\n  while(j<n && a[j]<a[i]+5) j++;\n  s+=j-i;\n}\nreturn s;}\n",
			time: bigo.Linear, space: bigo.Const, tag: TagAmortized, lines: [2]int{5, 5}},
		{name: "cpp reset pointer is quadratic", lang: "cpp", src: "int main(){int n=10;scanf(\"%d\",&n);long s=0;\nfor(int i=0;i<n;i++){\n  int j=i;\n  while(j<n) j++;\n  s+=j;\n}\nreturn s;}\n",
			time: bigo.Quadratic},
		{name: "java string concat", lang: "java", src: "class Main{public static void main(String[] a){\nint n=Integer.parseInt(a[0]);\nString s=\"\";\nfor(int i=0;i<n;i++){\n s+=\"x\";\n}\nSystem.out.println(s);}}\n",
			time: bigo.Quadratic, tag: TagConcat, lines: [2]int{5, 5}},
		{name: "java builder", lang: "java", src: "class Main{public static void main(String[] a){\nint n=Integer.parseInt(a[0]);\nStringBuilder s=new StringBuilder();\nfor(int i=0;i<n;i++){\n s.append(\"x\");\n}\nSystem.out.println(s);}}\n",
			time: bigo.Linear},
		{name: "js includes", lang: "javascript", src: "const a = require('fs').readFileSync(0, 'utf8').split(' ');\nconst out = [];\nfor (const x of a) {\n  if (!out.includes(x)) out.push(x);\n}\n",
			time: bigo.Quadratic, tag: TagMembership},
		{name: "js forEach callback", lang: "javascript", src: "const a = require('fs').readFileSync(0, 'utf8').split(' ');\na.forEach((x) => {\n  for (let i = 0; i < a.length; i++) {}\n});\n",
			time: bigo.Quadratic},
		{name: "go closure memo", lang: "go", src: "package main\n\nfunc main() {\n\tn := 30\n\tmemo := map[int]int{}\n\tvar f func(int) int\n\tf = func(k int) int {\n\t\tif v, ok := memo[k]; ok {\n\t\t\treturn v\n\t\t}\n\t\tif k < 2 {\n\t\t\treturn k\n\t\t}\n\t\tr := f(k-1) + f(k-2)\n\t\tmemo[k] = r\n\t\treturn r\n\t}\n\tprintln(f(n))\n}\n",
			time: bigo.Linear, tag: TagMemo},
		{name: "go sort", lang: "go", src: "package main\n\nimport (\"fmt\"; \"sort\")\n\nfunc main() {\n\tvar n int; fmt.Scan(&n); a := make([]int, n)\n\tsort.Ints(a)\n}\n",
			time: bigo.NLogN, space: bigo.Linear, tag: TagSort, lines: [2]int{7, 7}},
		{name: "rust merge sort", lang: "rust", src: "fn ms(a: &[i64]) -> Vec<i64> {\n    if a.len() < 2 { return a.to_vec(); }\n    let mid = a.len() / 2;\n    let l = ms(&a[..mid]);\n    let r = ms(&a[mid..]);\n    let mut o = l.clone();\n    o.extend_from_slice(&r);\n    o.sort();\n    o\n}\nfn main() { let v = vec![3, 1, 2]; println!(\"{:?}\", ms(&v)); }\n",
			time: bigo.NLogN, tag: TagDivide},
		{name: "rust vec alloc", lang: "rust", src: "fn main() {\n    let n: usize = 100;\n    let m = std::env::args().count();\n    let g = vec![vec![0u8; m]; m];\n    println!(\"{}\", g.len() + n);\n}\n",
			space: bigo.Quadratic, time: bigo.Quadratic, tag: TagAlloc},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Analyze(tc.lang, []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			all := append(append([]Evidence(nil), r.Evidence...), r.SpaceEvidence...)
			if r.Time.Class() != tc.time {
				t.Errorf("time %v, want %v (evidence %+v)", r.Time, tc.time, all)
			}
			if tc.space != bigo.Unknown && r.Space.Class() != tc.space {
				t.Errorf("space %v, want %v (evidence %+v)", r.Space, tc.space, r.SpaceEvidence)
			}
			if tc.tag == "" {
				return
			}
			for _, e := range all {
				if e.Tag == tc.tag {
					if tc.lines != [2]int{} && (e.Start != tc.lines[0] || e.End != tc.lines[1]) {
						t.Errorf("%s evidence at lines %d-%d, want %d-%d", tc.tag, e.Start, e.End, tc.lines[0], tc.lines[1])
					}
					return
				}
			}
			var tags []string
			for _, e := range all {
				tags = append(tags, e.Tag)
			}
			t.Errorf("no %s evidence; have %s", tc.tag, strings.Join(tags, ", "))
		})
	}
}

func TestAnalyzeErrors(t *testing.T) {
	if _, err := Analyze("cobol", []byte("x")); err == nil {
		t.Error("no error for an unknown language")
	}
	if _, err := Analyze("go", []byte("package main\nfunc main( {")); err == nil {
		t.Error("no error for Go that does not parse")
	}
	// tree-sitter recovers from syntax errors; the analysis still returns.
	if _, err := Analyze("python", []byte("for i in range(:\n")); err != nil {
		t.Errorf("python with a syntax error: %v", err)
	}
}
