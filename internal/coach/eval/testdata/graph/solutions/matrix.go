package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n, m int
	fmt.Fscan(rd, &n, &m)
	// An adjacency matrix: every vertex's row is scanned in full.
	g := make([][]bool, n+1)
	for i := range g {
		g[i] = make([]bool, n+1)
	}
	for i := 0; i < m; i++ {
		var a, b int
		fmt.Fscan(rd, &a, &b)
		g[a][b], g[b][a] = true, true
	}
	seen := make([]bool, n+1)
	comps := 0
	for s := 1; s <= n; s++ {
		if seen[s] {
			continue
		}
		comps++
		seen[s] = true
		queue := []int{s}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for u := 1; u <= n; u++ {
				if g[v][u] && !seen[u] {
					seen[u] = true
					queue = append(queue, u)
				}
			}
		}
	}
	fmt.Println(comps)
}
