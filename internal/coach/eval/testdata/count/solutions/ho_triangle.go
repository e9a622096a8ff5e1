package main

import "fmt"

func main() {
	var n int
	fmt.Scan(&n)
	total := 0
	for i := 1; i <= n; i++ {
		for j := 1; j <= i; j++ {
			total = (total + i*j) % 1000003
		}
	}
	fmt.Println(total)
}
