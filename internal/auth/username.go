package auth

import (
	"strings"
	"unicode/utf8"
)

// Username and password limits. Password length is counted in BYTES of the
// UTF-8 encoding: the hash consumes bytes, and a byte cap bounds the work an
// attacker can make us do regardless of the characters used.
const (
	MinUsernameLen = 3
	MaxUsernameLen = 32
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// NormalizeUsername lower-cases s (ASCII only; anything else is invalid
// anyway) and checks it against the username rules.
func NormalizeUsername(s string) (string, error) {
	if len(s) < MinUsernameLen || len(s) > MaxUsernameLen {
		return "", ErrInvalidUsername
	}
	// Lower-case ASCII by hand: strings.ToLower would turn 'İ' (U+0130)
	// into 'i' and let a non-ASCII name alias an ASCII one.
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		} else if !usernameByte(c) {
			return "", ErrInvalidUsername
		}
	}
	return string(b), nil
}

func usernameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// ValidatePassword checks the length rules. It does not judge strength
// beyond length: length is what matters and rules beyond it push people to
// worse passwords.
func ValidatePassword(pw string) error {
	if len(pw) < MinPasswordLen || len(pw) > MaxPasswordLen {
		return ErrInvalidPassword
	}
	if !utf8.ValidString(pw) {
		return ErrInvalidPassword.WithMessage("password must be valid UTF-8")
	}
	return nil
}

// usernameBase turns a provider login, preferred_username or e-mail local
// part into a valid username stem: lower case, other characters become '-',
// runs of '-' collapse, and it is padded or cut to fit (leaving room for a
// uniqueness suffix).
func usernameBase(candidates ...string) string {
	for _, c := range candidates {
		if at := strings.IndexByte(c, '@'); at >= 0 {
			c = c[:at]
		}
		var b strings.Builder
		for i := 0; i < len(c); i++ {
			ch := c[i]
			if ch >= 'A' && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			if !usernameByte(ch) {
				ch = '-'
			}
			if ch == '-' && strings.HasSuffix(b.String(), "-") {
				continue
			}
			b.WriteByte(ch)
		}
		s := strings.Trim(b.String(), "-")
		if len(s) > MaxUsernameLen-5 {
			s = strings.TrimRight(s[:MaxUsernameLen-5], "-")
		}
		if s == "" {
			continue
		}
		for len(s) < MinUsernameLen {
			s += "_"
		}
		return s
	}
	return "player"
}
