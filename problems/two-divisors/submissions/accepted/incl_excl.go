package main

import (
	"bufio"
	"fmt"
	"math/bits"
	"os"
)

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	var t int
	fmt.Fscan(rd, &t)
	for ; t > 0; t-- {
		var l, r, a, b uint64
		fmt.Fscan(rd, &l, &r, &a, &b)
		hi, m := bits.Mul64(a/gcd(a, b), b)
		f := func(x uint64) uint64 {
			both := uint64(0)
			if hi == 0 && m <= x {
				both = x / m
			}
			return x/a + x/b - both
		}
		fmt.Fprintln(w, f(r)-f(l-1))
	}
}
