package main

import (
	"bufio"
	"container/heap"
	"fmt"
	"os"
	"strconv"
)

type item struct {
	d int64
	v int
}
type pq []item

func (h pq) Len() int            { return len(h) }
func (h pq) Less(i, j int) bool  { return h[i].d < h[j].d }
func (h pq) Swap(i, j int)       { h[i], h[j] = h[j], h[i] }
func (h *pq) Push(x interface{}) { *h = append(*h, x.(item)) }
func (h *pq) Pop() interface{} {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type edge struct {
	to int
	w  int64
}

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	var n, m int
	fmt.Fscan(rd, &n, &m)
	adj := make([][]edge, n+1)
	for i := 0; i < m; i++ {
		var u, v int
		var w int64
		fmt.Fscan(rd, &u, &v, &w)
		adj[u] = append(adj[u], edge{v, w})
	}
	dist := make([]int64, n+1)
	for i := range dist {
		dist[i] = -1
	}
	dist[1] = 0
	h := &pq{{0, 1}}
	for h.Len() > 0 {
		it := heap.Pop(h).(item)
		if it.d > dist[it.v] {
			continue
		}
		for _, e := range adj[it.v] {
			nd := it.d + e.w
			if dist[e.to] < 0 || nd < dist[e.to] {
				dist[e.to] = nd
				heap.Push(h, item{nd, e.to})
			}
		}
	}
	for v := 1; v <= n; v++ {
		out.WriteString(strconv.FormatInt(dist[v], 10))
		if v < n {
			out.WriteByte(' ')
		}
	}
	out.WriteByte('\n')
}
