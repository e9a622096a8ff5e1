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

// reservedUsernames are kept for the system and its staff: nobody may
// register them or a look-alike (Reserved). Operators can still create
// them with `segfault user create`.
var reservedUsernames = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`admin administrator root system sysadmin superuser sudo support help helpdesk
		staff moderator mod mods official officials security abuse postmaster webmaster hostmaster noreply
		info contact api www mail null nil undefined anonymous guest owner operator operators server service
		bot bots segfault segfaultarena arena judge coach everyone all here auth login logout register signin
		signup settings leaderboard lobby practice spectate matches match users user problems`) {
		reservedUsernames[n] = true
	}
}

// Reserved reports whether the normalised username name is kept for the
// system: one of reservedUsernames, or one once its digits, '_' and '-'
// are removed ("admin_2", "ad-min", "root0").
func Reserved(name string) bool {
	if reservedUsernames[name] {
		return true
	}
	core := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, name)
	return reservedUsernames[core]
}

func usernameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// ValidatePassword checks the length rules (ValidateNewPassword adds the
// checks against guessable passwords).
func ValidatePassword(pw string) error {
	if len(pw) < MinPasswordLen || len(pw) > MaxPasswordLen {
		return ErrInvalidPassword
	}
	if !utf8.ValidString(pw) {
		return ErrInvalidPassword.WithMessage("password must be valid UTF-8")
	}
	return nil
}

// ValidateNewPassword is what a password being set must pass: the length
// rules, and not being easy to guess (NIST SP 800-63B 5.1.1.2, ASVS
// 2.1.7): not in the bundled list of common and breached passwords, not
// mostly one repeated character, not a plain sequence, not the username
// or the site's name. Composition rules (a digit, a capital) are not
// asked for: they push people to worse passwords.
func ValidateNewPassword(pw, username string) error {
	if err := ValidatePassword(pw); err != nil {
		return err
	}
	if why := weakPassword(pw, username); why != "" {
		return ErrPasswordTooCommon.WithMessage(why)
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
