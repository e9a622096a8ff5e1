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
	g := make([]int, n)
	for i := range g {
		fmt.Fscan(rd, &g[i])
	}
	cnt := make(map[int]int, n)
	distinct, left := 0, 0
	var total int64
	for right := 0; right < n; right++ {
		if cnt[g[right]] == 0 {
			distinct++
		}
		cnt[g[right]]++
		for distinct > k {
			cnt[g[left]]--
			if cnt[g[left]] == 0 {
				distinct--
			}
			left++
		}
		total += int64(right - left + 1)
	}
	fmt.Println(total)
}
