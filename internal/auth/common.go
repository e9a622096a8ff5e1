package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// commonPasswords is the bundled list (see README.md for its sources and
// licences): one lower-cased password a line, '#' lines are comments.
//
//go:embed common-passwords.txt
var commonPasswords string

var commonSet = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for line := range strings.Lines(commonPasswords) {
		line = strings.TrimRight(line, "\r\n")
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
})

// reservedPasswordWords are context words a password must not be (NIST SP
// 800-63B 5.1.1.2: the service's name).
var reservedPasswordWords = []string{"segfault", "segfaultarena", "segfault arena", "segfault-arena"}

// weakPassword reports why pw (already length-checked) is too easy to
// guess, or "" when it is not: it is in the bundled list of common and
// breached passwords (ASVS 2.1.7), repeats fewer than 4 distinct
// characters (aaaaaaaaaa, 1212121212), runs one straight sequence
// (0123456789, abcdefghij, 9876543210), or is the username or the
// service's name (case does not help).
func weakPassword(pw, username string) string {
	low := strings.ToLower(pw)
	switch {
	case commonSet()[low]:
		return "that password is in a list of common or breached passwords; choose another"
	case username != "" && (low == username || trimDecoration(username) != "" && trimDecoration(low) == trimDecoration(username)):
		return "the password must not be your username"
	case fewDistinct(low, 4):
		return "the password repeats too few different characters"
	case straightRun(low):
		return "the password is a plain sequence of characters"
	}
	for _, w := range reservedPasswordWords {
		if trimDecoration(low) == w {
			return "the password must not be the name of the site"
		}
	}
	return ""
}

// trimDecoration drops what people append to a word to pass a password
// rule ("victim01!!" → "victim").
func trimDecoration(s string) string { return strings.TrimRight(s, "0123456789!.?_-*#@$ ") }

// fewDistinct reports whether s has fewer than n distinct runes.
func fewDistinct(s string, n int) bool {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
		if len(seen) >= n {
			return false
		}
	}
	return true
}

// straightRun reports whether every rune of s is its predecessor plus one
// (or every one minus one).
func straightRun(s string) bool {
	if utf8.RuneCountInString(s) < 2 {
		return false
	}
	rs := []rune(s)
	step := rs[1] - rs[0]
	if step != 1 && step != -1 {
		return false
	}
	for i := 2; i < len(rs); i++ {
		if rs[i]-rs[i-1] != step {
			return false
		}
	}
	return true
}
