package main

import (
	"bufio"
	"os"
	"strconv"
)

func main() {
	rd := bufio.NewReaderSize(os.Stdin, 1<<20)
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	readInt := func() int64 {
		n, c := int64(0), byte(' ')
		for c == ' ' || c == '\n' {
			c, _ = rd.ReadByte()
		}
		for c >= '0' && c <= '9' {
			n = n*10 + int64(c-'0')
			c, _ = rd.ReadByte()
		}
		return n
	}
	n, q := int(readInt()), int(readInt())
	pre := make([]int64, n+1)
	for i := 1; i <= n; i++ {
		pre[i] = pre[i-1] + readInt()
	}
	for ; q > 0; q-- {
		l, r := readInt(), readInt()
		w.WriteString(strconv.FormatInt(pre[r]-pre[l-1], 10))
		w.WriteByte('\n')
	}
}
