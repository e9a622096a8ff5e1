package main

import "fmt"

func main() {
	var n int64
	fmt.Scan(&n)
	const m = 1000000007
	base, r := int64(3), int64(1)
	for e := n; e > 0; e /= 2 {
		if e%2 == 1 {
			r = r * base % m
		}
		base = base * base % m
	}
	fmt.Println(r)
}
