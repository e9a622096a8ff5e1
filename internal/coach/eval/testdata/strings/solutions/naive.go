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
	// Each candidate period is checked against the whole string.
	p := n
	for c := 1; c < n; c++ {
		ok := true
		for i := c; i < n; i++ {
			if s[i] != s[i-c] {
				ok = false
				break
			}
		}
		if ok {
			p = c
			break
		}
	}
	fmt.Println(p)
	fmt.Println(s[:p])
}
