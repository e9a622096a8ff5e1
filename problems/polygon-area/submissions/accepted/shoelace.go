package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n int
	fmt.Fscan(rd, &n)
	x, y := make([]int64, n), make([]int64, n)
	for i := 0; i < n; i++ {
		fmt.Fscan(rd, &x[i], &y[i])
	}
	var area2 int64
	per := 0.0
	for i := 0; i < n; i++ {
		j := (i + 1) % n
		area2 += x[i]*y[j] - x[j]*y[i]
		per += math.Hypot(float64(x[j]-x[i]), float64(y[j]-y[i]))
	}
	if area2 < 0 {
		area2 = -area2
	}
	fmt.Printf("%.1f %.6f\n", float64(area2)/2, per)
}
