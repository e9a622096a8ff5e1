package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	b, _ := io.ReadAll(bufio.NewReader(os.Stdin))
	s := strings.TrimSpace(string(b))
	n := len(s)
	fail := make([]int, n+1)
	fail[0] = -1
	k := -1
	for i := 0; i < n; i++ {
		for k >= 0 && s[k] != s[i] {
			k = fail[k]
		}
		k++
		fail[i+1] = k
	}
	p := n - fail[n]
	fmt.Println(p)
	fmt.Println(s[:p])
}
