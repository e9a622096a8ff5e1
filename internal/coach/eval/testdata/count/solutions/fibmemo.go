package main

import "fmt"

var memo = map[int]int{}

func fib(k int) int {
	if k < 2 {
		return k
	}
	if v, ok := memo[k]; ok {
		return v
	}
	r := (fib(k-1) + fib(k-2)) % 1000000007
	memo[k] = r
	return r
}

func main() {
	var n int
	fmt.Scan(&n)
	for i := 0; i <= n; i++ {
		fib(i)
	}
	fmt.Println(fib(n))
}
