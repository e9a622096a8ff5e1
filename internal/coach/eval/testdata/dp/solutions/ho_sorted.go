package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n, k int
	fmt.Fscan(rd, &n, &k)
	jumps := make([]int, k)
	for j := range jumps {
		fmt.Fscan(rd, &jumps[j])
	}
	sort.Ints(jumps) // then each step stops at the first jump that is too long
	ways := make([]int64, n+1)
	ways[0] = 1
	for i := 1; i <= n; i++ {
		for _, d := range jumps {
			if d > i {
				break
			}
			ways[i] = (ways[i] + ways[i-d]) % 1000000007
		}
	}
	fmt.Println(ways[n])
}
