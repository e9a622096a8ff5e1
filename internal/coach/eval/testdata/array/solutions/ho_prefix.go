package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Split(bufio.ScanWords)
	in.Scan()
	n, _ := strconv.Atoi(in.Text())
	prefix := make([]int64, n+1)
	for i := 0; i < n; i++ {
		in.Scan()
		v, _ := strconv.ParseInt(in.Text(), 10, 64)
		prefix[i+1] = prefix[i] + v
	}
	best := int64(0)
	for i := 1; i <= n; i++ {
		if d := prefix[i] - prefix[i/2]; d > best {
			best = d
		}
	}
	fmt.Println(best)
}
