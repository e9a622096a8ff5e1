package main

import "fmt"

func main() {
	var n int64
	fmt.Scan(&n)
	bits := 0
	for p := int64(1); p < n; p <<= 1 {
		bits++
	}
	fmt.Println(bits)
}
