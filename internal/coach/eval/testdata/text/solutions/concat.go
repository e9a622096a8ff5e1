package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	r := bufio.NewReaderSize(os.Stdin, 1<<20)
	line, _ := r.ReadString('\n')
	s := strings.TrimSpace(line)
	out := ""
	for i := len(s) - 1; i >= 0; i-- {
		out += string(s[i])
	}
	fmt.Println(len(out))
}
