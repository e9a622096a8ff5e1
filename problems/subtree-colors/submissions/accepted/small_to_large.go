package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	var n int
	fmt.Fscan(rd, &n)
	c := make([]int, n+1)
	for v := 1; v <= n; v++ {
		fmt.Fscan(rd, &c[v])
	}
	par := make([]int, n+1)
	left := make([]int, n+1)
	for v := 2; v <= n; v++ {
		fmt.Fscan(rd, &par[v])
		left[par[v]]++
	}
	sets := make([]map[int]struct{}, n+1)
	ans := make([]int, n+1)
	var order []int
	for v := 1; v <= n; v++ {
		if left[v] == 0 {
			order = append(order, v)
		}
	}
	for i := 0; i < len(order); i++ {
		v := order[i]
		if sets[v] == nil {
			sets[v] = map[int]struct{}{}
		}
		sets[v][c[v]] = struct{}{}
		ans[v] = len(sets[v])
		p := par[v]
		if p == 0 {
			continue
		}
		if sets[p] == nil {
			sets[p] = sets[v]
		} else {
			big, small := sets[p], sets[v]
			if len(big) < len(small) {
				big, small = small, big
			}
			for x := range small {
				big[x] = struct{}{}
			}
			sets[p] = big
		}
		sets[v] = nil
		left[p]--
		if left[p] == 0 {
			order = append(order, p)
		}
	}
	for v := 1; v <= n; v++ {
		w.WriteString(strconv.Itoa(ans[v]))
		if v < n {
			w.WriteByte(' ')
		}
	}
	w.WriteByte('\n')
}
