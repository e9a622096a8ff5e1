package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

func main() {
	sc := bufio.NewScanner(os.Stdin)
	sc.Split(bufio.ScanWords)
	sc.Scan()
	n, _ := strconv.Atoi(sc.Text())
	a := make([]int, n)
	for i := range a {
		sc.Scan()
		a[i], _ = strconv.Atoi(sc.Text())
	}
	limit, window, best, j := 5000000000, 0, 0, 0
	for i := 0; i < n; i++ {
		for j < n && window+a[j] <= limit {
			window += a[j]
			j++
		}
		best = max(best, j-i)
		if j > i {
			window -= a[i]
		} else {
			j = i + 1
		}
	}
	fmt.Println(best)
}
