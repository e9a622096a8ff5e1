package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n int
	fmt.Fscan(rd, &n)
	tails := []int{}
	for i := 0; i < n; i++ {
		var x int
		fmt.Fscan(rd, &x)
		j := sort.SearchInts(tails, x)
		if j == len(tails) {
			tails = append(tails, x)
		} else {
			tails[j] = x
		}
	}
	fmt.Println(len(tails))
}
