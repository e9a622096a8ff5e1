package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	const mod = 1000000007
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n, k, m int
	fmt.Fscan(rd, &n, &k, &m)
	d := make([]int, k)
	for i := range d {
		fmt.Fscan(rd, &d[i])
	}
	ok := make([]bool, n+1)
	for i := range ok {
		ok[i] = true
	}
	for i := 0; i < m; i++ {
		var b int
		fmt.Fscan(rd, &b)
		ok[b] = false
	}
	ways := make([]int64, n+1)
	ways[0] = 1
	for i := 1; i <= n; i++ {
		if !ok[i] {
			continue
		}
		var s int64
		for _, x := range d {
			if x <= i {
				s += ways[i-x]
			}
		}
		ways[i] = s % mod
	}
	fmt.Println(ways[n])
}
