package main

import "fmt"

func fib(k int) int {
	if k < 2 {
		return k
	}
	return fib(k-1) + fib(k-2)
}

func main() {
	var n int
	fmt.Scan(&n)
	fmt.Println(fib(n))
}
