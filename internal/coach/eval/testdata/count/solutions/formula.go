package main

import "fmt"

func main() {
	var n int64
	fmt.Scan(&n)
	const m = 1000000007
	fmt.Println(n % m * ((n + 1) % m) % m * 500000004 % m)
}
