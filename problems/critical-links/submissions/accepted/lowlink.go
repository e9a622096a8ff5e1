package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

type arc struct{ to, id int }
type frame struct{ v, pe, i int }

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	var n, m int
	fmt.Fscan(rd, &n, &m)
	adj := make([][]arc, n+1)
	for i := 0; i < m; i++ {
		var u, v int
		fmt.Fscan(rd, &u, &v)
		adj[u] = append(adj[u], arc{v, i})
		adj[v] = append(adj[v], arc{u, i})
	}
	tin := make([]int, n+1)
	low := make([]int, n+1)
	timer := 1
	isBridge := make([]bool, m) // by link id: the answer comes out sorted without a sort
	for r := 1; r <= n; r++ {
		if tin[r] != 0 {
			continue
		}
		tin[r], low[r] = timer, timer
		timer++
		st := []frame{{r, -1, 0}}
		for len(st) > 0 {
			f := &st[len(st)-1]
			if f.i < len(adj[f.v]) {
				a := adj[f.v][f.i]
				f.i++
				if a.id == f.pe {
					continue
				}
				if tin[a.to] != 0 {
					low[f.v] = min(low[f.v], tin[a.to])
				} else {
					tin[a.to], low[a.to] = timer, timer
					timer++
					st = append(st, frame{a.to, a.id, 0})
				}
				continue
			}
			v, pe := f.v, f.pe
			st = st[:len(st)-1]
			if len(st) > 0 {
				p := st[len(st)-1].v
				low[p] = min(low[p], low[v])
				if low[v] > tin[p] {
					isBridge[pe] = true
				}
			}
		}
	}
	var bridges []int
	for e := 0; e < m; e++ {
		if isBridge[e] {
			bridges = append(bridges, e+1)
		}
	}
	fmt.Fprintln(w, len(bridges))
	for i, b := range bridges {
		if i > 0 {
			w.WriteByte(' ')
		}
		w.WriteString(strconv.Itoa(b))
	}
	w.WriteByte('\n')
}
