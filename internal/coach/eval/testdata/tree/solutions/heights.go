package main

import (
	"bufio"
	"fmt"
	"os"
)

var adj [][]int
var best int

// height returns the longest downward path from v and updates the best
// path through v.
func height(v, parent int) int {
	top1, top2 := 0, 0
	for _, u := range adj[v] {
		if u == parent {
			continue
		}
		h := height(u, v) + 1
		if h > top1 {
			top1, top2 = h, top1
		} else if h > top2 {
			top2 = h
		}
	}
	if top1+top2 > best {
		best = top1 + top2
	}
	return top1
}

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n int
	fmt.Fscan(rd, &n)
	adj = make([][]int, n+1)
	for i := 0; i < n-1; i++ {
		var u, v int
		fmt.Fscan(rd, &u, &v)
		adj[u] = append(adj[u], v)
		adj[v] = append(adj[v], u)
	}
	height(1, 0)
	fmt.Println(best)
}
