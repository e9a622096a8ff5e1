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
	out := ""
	for i := 0; i < p; i++ {
		out += string(s[i]) // copies the whole string every time
	}
	fmt.Println(p)
	fmt.Println(out)
}
