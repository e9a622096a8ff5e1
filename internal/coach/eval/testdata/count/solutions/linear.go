package main

import "fmt"

func main() {
	var n int
	fmt.Scan(&n)
	s := 0
	for i := 0; i < n; i++ {
		s = (s + i*i) % 1000000007
	}
	fmt.Println(s)
}
