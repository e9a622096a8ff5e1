package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var s string
	fmt.Fscan(rd, &s)
	n := len(s)
	pi := make([]int, n)
	for i := 1; i < n; i++ {
		k := pi[i-1]
		for k > 0 && s[i] != s[k] {
			k = pi[k-1]
		}
		if s[i] == s[k] {
			k++
		}
		pi[i] = k
	}
	p := n - pi[n-1]
	var b strings.Builder
	for i := 0; i < p; i++ {
		b.WriteByte(s[i])
	}
	fmt.Println(p)
	fmt.Println(b.String())
}
