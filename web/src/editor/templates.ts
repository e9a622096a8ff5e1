import type { Lang } from '../protocol/types'

// Starter code per language: read all of stdin, write to stdout. File and
// class names follow internal/judge/languages.yaml (Java: public class Main).
// The table (internal/judge/languages.yaml, GET /api/v1/languages) has a
// template for every language; these are the first seven's.
export const TEMPLATES: Partial<Record<Lang, string>> = {
  python: `import sys


def main() -> None:
    data = sys.stdin.read().split()
    # your solution here
    print(len(data))


main()
`,
  c: `#include <stdio.h>

int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    /* your solution here */
    printf("%d\\n", n);
    return 0;
}
`,
  cpp: `#include <bits/stdc++.h>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    if (!(cin >> n)) return 0;
    // your solution here
    cout << n << "\\n";
}
`,
  go: `package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var n int
	fmt.Fscan(in, &n)
	// your solution here
	fmt.Fprintln(out, n)
}
`,
  javascript: `const data = require('fs').readFileSync(0, 'utf8').split(/\\s+/).filter(Boolean)
// your solution here
console.log(data.length)
`,
  java: `import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        StringTokenizer st = new StringTokenizer(in.readLine());
        int n = Integer.parseInt(st.nextToken());
        // your solution here
        System.out.println(n);
    }
}
`,
  rust: `use std::io::{self, Read, Write};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut it = input.split_ascii_whitespace();
    let n: i64 = it.next().map(|t| t.parse().unwrap()).unwrap_or(0);
    // your solution here
    let out = io::stdout();
    writeln!(out.lock(), "{}", n).unwrap();
}
`,
}

const DRAFT_PREFIX = 'sf:draft:'

export interface Draft {
  lang: Lang
  code: string
  at: number
}

export function loadDraft(matchId: string): Draft | null {
  try {
    const raw = localStorage.getItem(DRAFT_PREFIX + matchId)
    if (!raw) return null
    const d = JSON.parse(raw)
    return typeof d?.code === 'string' && typeof d?.lang === 'string' ? d : null
  } catch {
    return null
  }
}

export function saveDraft(matchId: string, d: Draft): void {
  try {
    localStorage.setItem(DRAFT_PREFIX + matchId, JSON.stringify(d))
    // Keep only the 10 newest drafts.
    const keys = Object.keys(localStorage).filter((k) => k.startsWith(DRAFT_PREFIX))
    if (keys.length > 10) {
      keys
        .map((k) => ({ k, at: (() => { try { return JSON.parse(localStorage.getItem(k)!).at ?? 0 } catch { return 0 } })() }))
        .sort((a, b) => a.at - b.at)
        .slice(0, keys.length - 10)
        .forEach(({ k }) => localStorage.removeItem(k))
    }
  } catch {
    // storage full or disabled: the server's my_code is the fallback
  }
}
