// Uses the Z-function: p is a period iff p == n or z[p] == n - p.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var s string
	fmt.Fscan(rd, &s)
	n := len(s)
	z := make([]int, n)
	l, r := 0, 0
	for i := 1; i < n; i++ {
		if i < r {
			z[i] = min(r-i, z[i-l])
		}
		for i+z[i] < n && s[z[i]] == s[i+z[i]] {
			z[i]++
		}
		if i+z[i] > r {
			l, r = i, i+z[i]
		}
	}
	for p := 1; p <= n; p++ {
		if p == n || z[p] == n-p {
			fmt.Println(p)
			return
		}
	}
}
