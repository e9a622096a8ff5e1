package static

import (
	"testing"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// TestAnalyzeInVariables: classes in the problem's own variables for the
// patterns of issue 16: adjacency lists against matrices, worklists,
// union-find, grids, DP tables, library costs per language.
func TestAnalyzeInVariables(t *testing.T) {
	graph := Context{Vars: []Var{{Name: "n"}, {Name: "m", LogAs: "n"}}}
	grid := Context{Vars: []Var{{Name: "h"}, {Name: "w", Kind: "token"}}}
	dp := Context{Vars: []Var{{Name: "n"}, {Name: "k", LE: "n"}}}
	one := Context{Vars: []Var{{Name: "n"}}}
	text := Context{Vars: []Var{{Name: "n", Kind: "token"}}}
	tests := []struct {
		name, lang, src string
		ctx             Context
		time, space     string
	}{
		{name: "py kahn toposort", lang: "python", ctx: graph, time: "O(n + m)", space: "O(n + m)", src: `import sys
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
indeg = [0] * (n + 1)
for j in range(m):
    a, b = int(data[2 + 2 * j]), int(data[3 + 2 * j])
    adj[a].append(b)
    indeg[b] += 1
order = [v for v in range(1, n + 1) if indeg[v] == 0]
i = 0
while i < len(order):
    for w in adj[order[i]]:
        indeg[w] -= 1
        if indeg[w] == 0:
            order.append(w)
    i += 1
print(" ".join(map(str, order)))
`},
		{name: "py bfs on an adjacency matrix is quadratic", lang: "python", ctx: graph, time: "O(n^2 + m)", src: `import sys
from collections import deque
data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
g = [[0] * n for _ in range(n)]
for j in range(m):
    a, b = int(data[2 + 2 * j]) - 1, int(data[3 + 2 * j]) - 1
    g[a][b] = g[b][a] = 1
seen = [False] * n
q = deque([0])
seen[0] = True
while q:
    v = q.popleft()
    for u in range(n):
        if g[v][u] and not seen[u]:
            seen[u] = True
            q.append(u)
print(sum(seen))
`},
		{name: "cpp dfs over adjacency lists", lang: "cpp", ctx: graph, time: "O(n + m)", src: `#include <cstdio>
#include <vector>
std::vector<std::vector<int>> adj;
std::vector<int> seen;
void dfs(int v) {
    seen[v] = 1;
    for (int u : adj[v])
        if (!seen[u]) dfs(u);
}
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    adj.assign(n + 1, {});
    seen.assign(n + 1, 0);
    for (int i = 0; i < m; i++) {
        int a, b;
        scanf("%d %d", &a, &b);
        adj[a].push_back(b);
        adj[b].push_back(a);
    }
    int c = 0;
    for (int v = 1; v <= n; v++)
        if (!seen[v]) { c++; dfs(v); }
    printf("%d\n", c);
}
`},
		{name: "go dijkstra", lang: "go", ctx: graph, time: "O((n + m) log n)", src: `package main

import (
	"container/heap"
	"fmt"
)

type item struct{ d, v int }
type pq []item

func (p pq) Len() int            { return len(p) }
func (p pq) Less(i, j int) bool  { return p[i].d < p[j].d }
func (p pq) Swap(i, j int)       { p[i], p[j] = p[j], p[i] }
func (p *pq) Push(x any)         { *p = append(*p, x.(item)) }
func (p *pq) Pop() any           { o := *p; x := o[len(o)-1]; *p = o[:len(o)-1]; return x }

func main() {
	var n, m int
	fmt.Scan(&n, &m)
	adj := make([][]item, n+1)
	for i := 0; i < m; i++ {
		var a, b, w int
		fmt.Scan(&a, &b, &w)
		adj[a] = append(adj[a], item{w, b})
	}
	dist := make([]int, n+1)
	h := &pq{{0, 1}}
	for h.Len() > 0 {
		x := heap.Pop(h).(item)
		if x.d > dist[x.v] {
			continue
		}
		for _, e := range adj[x.v] {
			if nd := x.d + e.d; nd < dist[e.v] {
				dist[e.v] = nd
				heap.Push(h, item{nd, e.v})
			}
		}
	}
	fmt.Println(dist[n])
}
`},
		{name: "c union-find with path compression", lang: "c", ctx: graph, time: "O(n + m)", src: `#include <stdio.h>
int p[200005];
int find(int x) { return p[x] == x ? x : (p[x] = find(p[x])); }
int main(void) {
    int n, m, c;
    scanf("%d %d", &n, &m);
    for (int i = 1; i <= n; i++) p[i] = i;
    c = n;
    for (int i = 0; i < m; i++) {
        int a, b;
        scanf("%d %d", &a, &b);
        a = find(a); b = find(b);
        if (a != b) { p[a] = b; c--; }
    }
    printf("%d\n", c);
}
`},
		{name: "py union-find without compression is linear per find", lang: "python", ctx: graph, time: "O(n*m)", src: `import sys
data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
parent = list(range(n + 1))
def find(x):
    while parent[x] != x:
        x = parent[x]
    return x
c = n
for i in range(m):
    a, b = find(int(data[2 + 2 * i])), find(int(data[3 + 2 * i]))
    if a != b:
        parent[a] = b
        c -= 1
print(c)
`},
		{name: "py grid flood fill", lang: "python", ctx: grid, time: "O(h*w)", space: "O(h*w)", src: `import sys
data = sys.stdin.read().split()
h, w = int(data[0]), int(data[1])
g = [list(row) for row in data[2:2 + h]]
seen = [[False] * w for _ in range(h)]
count = 0
for i in range(h):
    for j in range(w):
        if g[i][j] == '#' and not seen[i][j]:
            count += 1
            stack = [(i, j)]
            seen[i][j] = True
            while stack:
                r, c = stack.pop()
                for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                    a, b = r + dr, c + dc
                    if 0 <= a < h and 0 <= b < w and g[a][b] == '#' and not seen[a][b]:
                        seen[a][b] = True
                        stack.append((a, b))
print(count)
`},
		{name: "java dp over n and k", lang: "java", ctx: dp, time: "O(n*k)", space: "O(n)", src: `import java.util.*;
public class Main {
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int n = sc.nextInt(), k = sc.nextInt();
        int[] jumps = new int[k];
        for (int i = 0; i < k; i++) jumps[i] = sc.nextInt();
        long[] ways = new long[n + 1];
        ways[0] = 1;
        for (int i = 1; i <= n; i++)
            for (int j = 0; j < k; j++)
                if (jumps[j] <= i) ways[i] = (ways[i] + ways[i - jumps[j]]) % 1000000007L;
        System.out.println(ways[n]);
    }
}
`},
		{name: "js sort then two pointers", lang: "javascript", ctx: one, time: "O(n log n)", src: `const data = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
const n = data[0], k = data[1];
const a = data.slice(2, 2 + n).sort((x, y) => x - y);
let j = 0, pairs = 0;
for (let i = 0; i < n; i++) {
  while (j < n && a[j] - a[i] <= k) j++;
  pairs += j - i - 1;
}
console.log(pairs);
`},
		{name: "rust memoised recursion in two variables", lang: "rust", ctx: dp, time: "O(n*k)", src: `use std::io::*;
fn go(i: usize, c: usize, k: usize, memo: &mut Vec<Vec<i64>>) -> i64 {
    if i == 0 { return 1; }
    if memo[i][c] >= 0 { return memo[i][c]; }
    let mut r = go(i - 1, c, k, memo);
    if c + 1 < k { r += go(i - 1, c + 1, k, memo); }
    memo[i][c] = r % 1_000_000_007;
    memo[i][c]
}
fn main() {
    let mut s = String::new();
    stdin().read_to_string(&mut s).unwrap();
    let v: Vec<usize> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    let (n, k) = (v[0], v[1]);
    let mut memo = vec![vec![-1i64; k]; n + 1];
    println!("{}", go(n, 0, k, &mut memo));
}
`},
		{name: "py string += at module level is quadratic", lang: "python", ctx: text, time: "O(n^2)", src: `s = input()
out = ""
for c in s:
    out += c.upper()
print(out)
`},
		{name: "py list.pop(0) in a loop is quadratic", lang: "python", ctx: one, time: "O(n^2)", src: `import sys
a = sys.stdin.read().split()
total = 0
while a:
    total += int(a.pop(0))
print(total)
`},
		{name: "java heap of n items", lang: "java", ctx: one, time: "O(n log n)", src: `import java.util.*;
public class Main {
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int n = sc.nextInt();
        PriorityQueue<Long> pq = new PriorityQueue<>();
        for (int i = 0; i < n; i++) pq.add(sc.nextLong());
        long s = 0;
        while (pq.size() > 1) {
            long a = pq.poll(), b = pq.poll();
            s += a + b;
            pq.add(a + b);
        }
        System.out.println(s);
    }
}
`},
		{name: "cpp monotonic stack", lang: "cpp", ctx: one, time: "O(n)", src: `#include <cstdio>
#include <vector>
int main() {
    int n;
    scanf("%d", &n);
    std::vector<long long> a(n), st;
    for (auto &x : a) scanf("%lld", &x);
    long long best = 0;
    for (int i = 0; i < n; i++) {
        while (!st.empty() && st.back() < a[i]) st.pop_back();
        st.push_back(a[i]);
        best += st.size();
    }
    printf("%lld\n", best);
}
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := AnalyzeIn(tc.lang, []byte(tc.src), tc.ctx)
			if err != nil {
				t.Fatal(err)
			}
			want, err := bigo.ParseExpr(tc.time, tc.ctx.Variables())
			if err != nil {
				t.Fatal(err)
			}
			if !bigo.Equal(r.Time, tc.ctx.Normalize(want)) {
				t.Errorf("time %s, want %s; evidence %+v", r.Time, tc.time, r.Evidence)
			}
			if tc.space == "" {
				return
			}
			ws, _ := bigo.ParseExpr(tc.space, tc.ctx.Variables())
			if !bigo.Equal(r.Space, tc.ctx.Normalize(ws)) {
				t.Errorf("space %s, want %s; evidence %+v", r.Space, tc.space, r.SpaceEvidence)
			}
		})
	}
}

func TestNormalizeWithBounds(t *testing.T) {
	c := Context{Vars: []Var{{Name: "n"}, {Name: "k", LE: "n"}, {Name: "m", LogAs: "n"}}}
	for in, want := range map[string]string{
		"O(n*k + k log k)": "O(n*k)",
		"O(n + k)":         "O(n)",
		"O(n*k)":           "O(n*k)",
		"O(m log m)":       "O(m log n)",
		"O(n^2 + n*k)":     "O(n^2)",
	} {
		e, err := bigo.ParseExpr(in, c.Variables())
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Normalize(e).String(); got != want {
			t.Errorf("Normalize(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestUnsupportedLanguage(t *testing.T) {
	if Supported("kotlin") {
		t.Fatal("kotlin has no grammar here")
	}
	if _, err := AnalyzeIn("kotlin", []byte("fun main() {}"), Context{}); err == nil {
		t.Fatal("no error for a language without a grammar")
	}
}
