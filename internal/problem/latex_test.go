package problem

import (
	"strings"
	"testing"
)

func TestLatexToMarkdown(t *testing.T) {
	images := map[string]string{"fig": "fig.png", "pic.jpg": "pic.jpg"}
	image := func(n string) string { return images[n] }
	tests := []struct {
		name    string
		in      string
		want    []string // substrings of the output
		notWant []string
		warn    string
	}{
		{"sections", `\section{Input}Text \subsection*{Limits} more`, []string{"## Input\n\nText", "### Limits\n\nmore"}, nil, ""},
		{"paragraphs kept, indentation dropped", "first line\n    second line\n\n   new para", []string{"first line\nsecond line\n\nnew para"}, []string{"    second"}, ""},
		{"inline styles", `\textbf{bold} \emph{em} {\bf b2} {\it i2} \texttt{a\_b}`, []string{"**bold**", "*em*", "**b2**", "*i2*", "`a_b`"}, nil, ""},
		{"math verbatim", `Let $a_i \le 10^9$ and $$\sum_i a_i$$ and \[x^2\]`, []string{`$a_i \le 10^9$`, "$$\\sum_i a_i$$", "$$x^2$$"}, []string{`a\_i`}, ""},
		{"escaped dollars", `costs \$5 and 100\%`, []string{`costs \$5 and 100%`}, nil, ""},
		{"markdown specials escaped", `a*b_c and <tag>`, []string{`a\*b\_c and \<tag\>`}, nil, ""},
		{"itemize", "\\begin{itemize}\n\\item one\n\\item two $x$\n\\end{itemize}", []string{"- one\n- two $x$"}, nil, ""},
		{"enumerate nested", "\\begin{enumerate}\\item a \\begin{itemize}\\item inner\\end{itemize}\\item b\\end{enumerate}", []string{"1. a", "   - inner", "2. b"}, nil, ""},
		{"description", `\begin{description}\item[Key] value\end{description}`, []string{"- **Key** value"}, nil, ""},
		{"image without extension", `\includegraphics[width=.5\textwidth]{fig}`, []string{"![](fig.png)"}, nil, ""},
		{"missing image warns", `\includegraphics{nope}`, []string{"![](nope)"}, nil, `image "nope" not found`},
		{"verbatim", "\\begin{verbatim}\n  a  b\n\\end{verbatim}", []string{"```\n  a  b\n```"}, nil, ""},
		{"comments", "keep % drop this\nnext", []string{"keep next"}, []string{"drop"}, ""},
		{"quotes and dashes", "``hi'' -- 1---2", []string{"“hi” – 1—2"}, nil, ""},
		{"href and url", `\href{https://x.y}{site} \url{https://a.b}`, []string{"[site](https://x.y)", "<https://a.b>"}, nil, ""},
		{"document body only", "\\documentclass{article}\\usepackage{amsmath}\\begin{document}Body\\end{document}", []string{"Body"}, []string{"amsmath", "article"}, ""},
		{"align kept for KaTeX", `\begin{align*}a&=b\\c&=d\end{align*}`, []string{`$$\begin{align*}a&=b\\c&=d\end{align*}$$`}, nil, ""},
		{"unknown command keeps text", `\foo{bar} baz`, []string{"bar baz"}, nil, `unknown LaTeX command \foo`},
		{"sampletable dropped", `\sampletable{Sample Input}{1.in}{Sample Output}{1.ans} after`, []string{"after"}, []string{"1.in"}, ""},
		{"line break", `a\\b`, []string{"a  \nb"}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			md, _, warns := latexToMarkdown(tc.in, image)
			for _, w := range tc.want {
				if !strings.Contains(md, w) {
					t.Errorf("output lacks %q:\n%s", w, md)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(md, w) {
					t.Errorf("output has %q:\n%s", w, md)
				}
			}
			joined := strings.Join(warns, "\n")
			if tc.warn == "" && joined != "" {
				t.Errorf("unexpected warnings: %s", joined)
			}
			if tc.warn != "" && !strings.Contains(joined, tc.warn) {
				t.Errorf("warnings %q lack %q", joined, tc.warn)
			}
		})
	}
}

func TestLatexTitle(t *testing.T) {
	_, title, _ := latexToMarkdown(`\problemname{Hello $n$ \emph{World}}body`, nil)
	if title != "Hello $n$ *World*" {
		t.Errorf("title %q", title)
	}
}
