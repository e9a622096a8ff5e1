package main

import "fmt"

func main() {
	var n int
	fmt.Scan(&n)
	var s uint64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			for k := 0; k < n; k++ {
				s = s*31 + uint64(i^j^k)
			}
		}
	}
	fmt.Println(s)
}
