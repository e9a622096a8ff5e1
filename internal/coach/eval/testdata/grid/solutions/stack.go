package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	var h, w int
	fmt.Fscan(rd, &h, &w)
	g := make([]string, h)
	for i := range g {
		fmt.Fscan(rd, &g[i])
	}
	seen := make([]bool, h*w)
	islands := 0
	var stack []int
	for s := 0; s < h*w; s++ {
		if g[s/w][s%w] != '#' || seen[s] {
			continue
		}
		islands++
		seen[s] = true
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			r, c := v/w, v%w
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				a, b := r+d[0], c+d[1]
				if a >= 0 && a < h && b >= 0 && b < w && g[a][b] == '#' && !seen[a*w+b] {
					seen[a*w+b] = true
					stack = append(stack, a*w+b)
				}
			}
		}
	}
	fmt.Println(islands)
}
