// Counts values in a Fenwick tree over compressed values and finds the ceil(k/2)-th smallest by
// binary lifting.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	var n, k int
	fmt.Fscan(rd, &n, &k)
	a := make([]int, n)
	for i := range a {
		fmt.Fscan(rd, &a[i])
	}
	vals := append([]int(nil), a...)
	sort.Ints(vals)
	m := 0
	for i, v := range vals {
		if i == 0 || v != vals[m-1] {
			vals[m] = v
			m++
		}
	}
	vals = vals[:m]
	rank := make([]int, n)
	for i, v := range a {
		rank[i] = sort.SearchInts(vals, v) + 1
	}
	tree := make([]int, m+1)
	add := func(p, d int) {
		for ; p <= m; p += p & -p {
			tree[p] += d
		}
	}
	logm := 1
	for 1<<logm <= m {
		logm++
	}
	kth := func(c int) int { // smallest p with prefix count >= c
		pos := 0
		for s := logm; s >= 0; s-- {
			if np := pos + 1<<s; np <= m && tree[np] < c {
				pos = np
				c -= tree[np]
			}
		}
		return pos + 1
	}
	for i := 0; i < n; i++ {
		add(rank[i], 1)
		if i >= k {
			add(rank[i-k], -1)
		}
		if i >= k-1 {
			if i > k-1 {
				w.WriteByte(' ')
			}
			w.WriteString(strconv.Itoa(vals[kth((k+1)/2)-1]))
		}
	}
	w.WriteByte('\n')
}
