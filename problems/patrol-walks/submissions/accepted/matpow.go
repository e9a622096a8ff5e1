package main

import (
	"fmt"
)

const mod = 1000000007

func mul(a, b [][]uint64) [][]uint64 {
	c := make([][]uint64, len(a))
	for i := range a {
		c[i] = make([]uint64, len(b[0]))
		for l := range b {
			x := a[i][l]
			if x == 0 {
				continue
			}
			for j := range b[0] {
				c[i][j] = (c[i][j] + x*b[l][j]) % mod
			}
		}
	}
	return c
}

func main() {
	var n, s, t int
	var k uint64
	fmt.Scan(&n, &k, &s, &t)
	m := make([][]uint64, n)
	for i := range m {
		var row string
		fmt.Scan(&row)
		m[i] = make([]uint64, n)
		for j := 0; j < n; j++ {
			m[i][j] = uint64(row[j] - '0')
		}
	}
	v := [][]uint64{make([]uint64, n)}
	v[0][s-1] = 1
	for k > 0 {
		if k&1 == 1 {
			v = mul(v, m)
		}
		k >>= 1
		if k > 0 {
			m = mul(m, m)
		}
	}
	fmt.Println(v[0][t-1])
}
