package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n, k int
	fmt.Fscan(rd, &n, &k)
	isJump := make(map[int]bool, k)
	for j := 0; j < k; j++ {
		var d int
		fmt.Fscan(rd, &d)
		isJump[d] = true
	}
	// Every earlier step is tried, and kept when the distance is a jump.
	ways := make([]int64, n+1)
	ways[0] = 1
	for i := 1; i <= n; i++ {
		for j := 0; j < i; j++ {
			if isJump[i-j] {
				ways[i] = (ways[i] + ways[j]) % 1000000007
			}
		}
	}
	fmt.Println(ways[n])
}
