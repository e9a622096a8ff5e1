package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
)

type edge struct {
	u, v int
	w    int64
}

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n, m int
	fmt.Fscan(rd, &n, &m)
	e := make([]edge, m)
	for i := range e {
		fmt.Fscan(rd, &e[i].u, &e[i].v, &e[i].w)
	}
	sort.Slice(e, func(i, j int) bool { return e[i].w < e[j].w })
	parent := make([]int, n+1)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	var total int64
	joined := 0
	for _, ed := range e {
		a, b := find(ed.u), find(ed.v)
		if a != b {
			parent[a] = b
			total += ed.w
			joined++
		}
	}
	if joined == n-1 {
		fmt.Println(total)
	} else {
		fmt.Println("IMPOSSIBLE")
	}
}
