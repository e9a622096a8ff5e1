package main

import "fmt"

func main() {
	var n int
	fmt.Scan(&n)
	s := 0
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			s += (i * j) % 3
		}
	}
	fmt.Println(s)
}
