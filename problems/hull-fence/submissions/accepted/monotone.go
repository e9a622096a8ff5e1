package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"sort"
)

type pt struct{ x, y int64 }

func cross(o, a, b pt) int64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var n int
	fmt.Fscan(rd, &n)
	p := make([]pt, n)
	for i := range p {
		fmt.Fscan(rd, &p[i].x, &p[i].y)
	}
	sort.Slice(p, func(i, j int) bool { return p[i].x < p[j].x || (p[i].x == p[j].x && p[i].y < p[j].y) })
	u := p[:1]
	for _, q := range p[1:] {
		if q != u[len(u)-1] {
			u = append(u, q)
		}
	}
	p = u
	n = len(p)
	if n == 1 {
		fmt.Println("0.0")
		return
	}
	h := make([]pt, 0, 2*n)
	for i := 0; i < n; i++ {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], p[i]) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p[i])
	}
	t := len(h) + 1
	for i := n - 2; i >= 0; i-- {
		for len(h) >= t && cross(h[len(h)-2], h[len(h)-1], p[i]) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p[i])
	}
	per := 0.0
	for i := 0; i+1 < len(h); i++ {
		per += math.Hypot(float64(h[i+1].x-h[i].x), float64(h[i+1].y-h[i].y))
	}
	fmt.Printf("%.6f\n", per)
}
