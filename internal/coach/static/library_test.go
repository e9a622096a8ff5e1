package static

import (
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// TestLibraryCosts: each language's standard library, costed by what the
// call does to the collection it gets. Every snippet reads n and a list of
// n numbers; the call runs once per element (inside a loop over n) unless
// the case says once.
func TestLibraryCosts(t *testing.T) {
	tests := []struct {
		lang, name string
		src        string
		want       bigo.Class
	}{
		// sorting: n log n once
		{"python", "sorted", "import sys\na = sys.stdin.read().split()\nb = sorted(a)\nprint(b[0])\n", bigo.NLogN},
		{"javascript", "sort", "const a = require('fs').readFileSync(0, 'utf8').split(' ').map(Number);\na.sort((x, y) => x - y);\nconsole.log(a[0]);\n", bigo.NLogN},
		{"java", "Arrays.sort", "import java.util.*;\npublic class Main { public static void main(String[] x) { Scanner sc = new Scanner(System.in); int n = sc.nextInt(); int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = sc.nextInt(); Arrays.sort(a); System.out.println(a[0]); } }\n", bigo.NLogN},
		{"rust", "sort_unstable", "use std::io::*;\nfn main() { let mut s = String::new(); stdin().read_to_string(&mut s).unwrap(); let mut a: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); a.sort_unstable(); println!(\"{}\", a[0]); }\n", bigo.NLogN},
		{"go", "sort.Slice", "package main\nimport (\"fmt\"; \"sort\")\nfunc main() { var n int; fmt.Scan(&n); a := make([]int, n); for i := range a { fmt.Scan(&a[i]) }; sort.Slice(a, func(i, j int) bool { return a[i] < a[j] }); fmt.Println(a[0]) }\n", bigo.NLogN},
		{"cpp", "std::sort", "#include <bits/stdc++.h>\nint main() { int n; std::cin >> n; std::vector<int> a(n); for (auto &x : a) std::cin >> x; std::sort(a.begin(), a.end()); std::cout << a[0]; }\n", bigo.NLogN},
		{"c", "qsort", "#include <stdio.h>\n#include <stdlib.h>\nint cmp(const void *a, const void *b) { return *(int*)a - *(int*)b; }\nint main(void) { int n; scanf(\"%d\", &n); int *a = malloc(sizeof(int) * n); for (int i = 0; i < n; i++) scanf(\"%d\", &a[i]); qsort(a, n, sizeof(int), cmp); printf(\"%d\", a[0]); }\n", bigo.NLogN},
		// heaps and ordered maps: log n per operation, n operations
		{"python", "heapq", "import sys, heapq\na = [int(x) for x in sys.stdin.read().split()]\nh = []\nfor x in a:\n    heapq.heappush(h, x)\nprint(h[0])\n", bigo.NLogN},
		{"java", "TreeMap", "import java.util.*;\npublic class Main { public static void main(String[] x) { Scanner sc = new Scanner(System.in); int n = sc.nextInt(); TreeMap<Integer, Integer> m = new TreeMap<>(); for (int i = 0; i < n; i++) m.put(sc.nextInt(), i); System.out.println(m.size()); } }\n", bigo.NLogN},
		{"cpp", "std::set", "#include <bits/stdc++.h>\nint main() { int n; std::cin >> n; std::set<int> s; for (int i = 0; i < n; i++) { int x; std::cin >> x; s.insert(x); } std::cout << s.size(); }\n", bigo.NLogN},
		{"rust", "BinaryHeap", "use std::collections::BinaryHeap;\nuse std::io::*;\nfn main() { let mut s = String::new(); stdin().read_to_string(&mut s).unwrap(); let mut h = BinaryHeap::new(); for x in s.split_whitespace() { h.push(x.len()); } println!(\"{}\", h.len()); }\n", bigo.NLogN},
		// hash maps and sets: O(1) per operation
		{"python", "set membership", "import sys\na = sys.stdin.read().split()\nseen = set()\nc = 0\nfor x in a:\n    if x in seen:\n        c += 1\n    seen.add(x)\nprint(c)\n", bigo.Linear},
		{"javascript", "Map", "const a = require('fs').readFileSync(0, 'utf8').split(' ');\nconst m = new Map();\nfor (const x of a) m.set(x, (m.get(x) || 0) + 1);\nconsole.log(m.size);\n", bigo.Linear},
		{"go", "map", "package main\nimport \"fmt\"\nfunc main() { var n int; fmt.Scan(&n); m := map[int]int{}; for i := 0; i < n; i++ { var x int; fmt.Scan(&x); m[x]++ }; fmt.Println(len(m)) }\n", bigo.Linear},
		{"java", "HashSet", "import java.util.*;\npublic class Main { public static void main(String[] x) { Scanner sc = new Scanner(System.in); int n = sc.nextInt(); HashSet<Integer> s = new HashSet<>(); for (int i = 0; i < n; i++) s.add(sc.nextInt()); System.out.println(s.size()); } }\n", bigo.Linear},
		// binary search: log n, once per element
		{"python", "bisect", "import sys, bisect\na = sorted(int(x) for x in sys.stdin.read().split())\nc = 0\nfor x in a:\n    c += bisect.bisect_left(a, x + 5) - bisect.bisect_left(a, x)\nprint(c)\n", bigo.NLogN},
		{"cpp", "lower_bound", "#include <bits/stdc++.h>\nint main() { int n; std::cin >> n; std::vector<int> a(n); for (auto &x : a) std::cin >> x; long long c = 0; for (int x : a) c += std::lower_bound(a.begin(), a.end(), x) - a.begin(); std::cout << c; }\n", bigo.NLogN},
		// linear calls hidden in a loop: quadratic
		{"python", "list.pop(0)", "import sys\na = sys.stdin.read().split()\nwhile a:\n    a.pop(0)\n", bigo.Quadratic},
		{"python", "list membership", "import sys\na = sys.stdin.read().split()\nseen = []\nfor x in a:\n    if x not in seen:\n        seen.append(x)\nprint(len(seen))\n", bigo.Quadratic},
		{"javascript", "shift", "const a = require('fs').readFileSync(0, 'utf8').split(' ');\nlet c = 0;\nwhile (a.length > 0) { a.shift(); c++; }\nconsole.log(c);\n", bigo.Quadratic},
		{"javascript", "includes", "const a = require('fs').readFileSync(0, 'utf8').split(' ');\nconst out = [];\nfor (const x of a) if (!out.includes(x)) out.push(x);\nconsole.log(out.length);\n", bigo.Quadratic},
		{"java", "ArrayList.remove(0)", "import java.util.*;\npublic class Main { public static void main(String[] x) { Scanner sc = new Scanner(System.in); int n = sc.nextInt(); ArrayList<Integer> a = new ArrayList<>(); for (int i = 0; i < n; i++) a.add(sc.nextInt()); long s = 0; while (!a.isEmpty()) s += a.remove(0); System.out.println(s); } }\n", bigo.Quadratic},
		{"c", "strlen in the condition", "#include <stdio.h>\n#include <string.h>\nchar s[1000005];\nint main(void) { scanf(\"%s\", s); int c = 0; for (int i = 0; i < strlen(s); i++) if (s[i] == 'a') c++; printf(\"%d\", c); }\n", bigo.Quadratic},
		{"python", "sort in a loop", "import sys\na = sys.stdin.read().split()\nfor i in range(len(a)):\n    b = sorted(a)\n", bigo.Quadratic},
		// string building
		{"python", "str += at module level", "s = input()\nout = ''\nfor c in s:\n    out += c\nprint(out)\n", bigo.Quadratic},
		{"python", "str += in a function", "def main():\n    s = input()\n    out = ''\n    for c in s:\n        out += c\n    print(out)\nmain()\n", bigo.Linear},
		{"python", "join", "s = input()\nprint(''.join(c for c in s))\n", bigo.Linear},
		{"javascript", "string +=", "const s = require('fs').readFileSync(0, 'utf8');\nlet out = '';\nfor (const c of s) out += c;\nconsole.log(out);\n", bigo.Linear},
		{"java", "String +=", "import java.util.*;\npublic class Main { public static void main(String[] x) { String s = new Scanner(System.in).next(); String out = \"\"; for (int i = 0; i < s.length(); i++) out += s.charAt(i); System.out.println(out); } }\n", bigo.Quadratic},
		{"go", "string +=", "package main\nimport \"fmt\"\nfunc main() { var s string; fmt.Scan(&s); out := \"\"; for i := 0; i < len(s); i++ { out += string(s[i]) }; fmt.Println(out) }\n", bigo.Quadratic},
		{"rust", "push_str", "use std::io::*;\nfn main() { let mut s = String::new(); stdin().read_line(&mut s).unwrap(); let mut out = String::new(); for c in s.chars() { out.push(c); } println!(\"{}\", out); }\n", bigo.Linear},
		// copies
		{"python", "slice copy in a loop", "import sys\na = sys.stdin.read().split()\nt = 0\nfor i in range(len(a)):\n    t += len(a[i:])\nprint(t)\n", bigo.Quadratic},
		{"go", "reslicing is free", "package main\nimport \"fmt\"\nfunc main() { var n int; fmt.Scan(&n); a := make([]int, n); for len(a) > 0 { a = a[1:] }; fmt.Println(len(a)) }\n", bigo.Linear},
		{"rust", "clone in a loop", "use std::io::*;\nfn main() { let mut s = String::new(); stdin().read_to_string(&mut s).unwrap(); let a: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); let mut t = 0; for _ in 0..a.len() { let b = a.clone(); t += b.len(); } println!(\"{}\", t); }\n", bigo.Quadratic},
	}
	pc := Context{Vars: []Var{{Name: "n", Kind: "token"}}}
	for _, tc := range tests {
		t.Run(tc.lang+" "+tc.name, func(t *testing.T) {
			r, err := AnalyzeIn(tc.lang, []byte(tc.src), pc)
			if err != nil {
				t.Fatal(err)
			}
			if r.Time.Class() != tc.want {
				var notes []string
				for _, e := range r.Evidence {
					notes = append(notes, e.Note)
				}
				t.Errorf("time %s, want %v: %s", r.Time, tc.want, strings.Join(notes, " | "))
			}
		})
	}
}
