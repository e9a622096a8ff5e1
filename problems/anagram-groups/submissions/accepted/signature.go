package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n int
	fmt.Fscan(rd, &n)
	groups := make(map[[26]byte]int, n)
	best := 0
	for i := 0; i < n; i++ {
		var w string
		fmt.Fscan(rd, &w)
		var key [26]byte // letter counts: words have at most 20 letters
		for j := 0; j < len(w); j++ {
			key[w[j]-'a']++
		}
		groups[key]++
		if groups[key] > best {
			best = groups[key]
		}
	}
	fmt.Println(len(groups), best)
}
