package main

import (
	"bytes"
	"fmt"
	"os"
)

func main() {
	var mode string
	fmt.Scan(&mode)
	switch mode {
	case "hello":
		fmt.Println("Hello, World!")
	case "sum":
		var a, b int64
		fmt.Scan(&a, &b)
		fmt.Println(a + b)
	case "loop":
		x := int64(2)
		for x != 0 {
			x = x * x % 1000003
		}
		fmt.Println(x)
	case "args":
		for _, a := range os.Args[1:] {
			fmt.Printf("%d:%s|", len(a), a)
		}
		fmt.Println()
	case "crash":
		var v []int
		fmt.Println(v[len(mode)])
	case "alloc":
		var keep [][]byte
		for {
			keep = append(keep, bytes.Repeat([]byte{'x'}, 1<<20))
		}
	}
}
