// Topological order by iterative DFS post-order (reversed), with three colours to find cycles.
// Its output usually differs from Kahn's order: the checker must accept both.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	var n, m int
	fmt.Fscan(rd, &n, &m)
	adj := make([][]int, n+1)
	for j := 0; j < m; j++ {
		var a, b int
		fmt.Fscan(rd, &a, &b)
		adj[a] = append(adj[a], b)
	}
	color := make([]byte, n+1) // 0 new, 1 on stack, 2 done
	next := make([]int, n+1)
	post := make([]int, 0, n)
	for s := n; s >= 1; s-- {
		if color[s] != 0 {
			continue
		}
		stack := []int{s}
		color[s] = 1
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			if next[v] < len(adj[v]) {
				u := adj[v][next[v]]
				next[v]++
				switch color[u] {
				case 1:
					fmt.Fprintln(w, "IMPOSSIBLE")
					return
				case 0:
					color[u] = 1
					stack = append(stack, u)
				}
				continue
			}
			color[v] = 2
			post = append(post, v)
			stack = stack[:len(stack)-1]
		}
	}
	for i := n - 1; i >= 0; i-- {
		w.WriteString(strconv.Itoa(post[i]))
		if i > 0 {
			w.WriteByte(' ')
		}
	}
	w.WriteByte('\n')
}
