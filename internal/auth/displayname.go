package auth

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxDisplayNameLen is the longest display name kept, in runes.
const MaxDisplayNameLen = 64

// invisible are letters and symbols that draw nothing (the Hangul fillers,
// the blank Braille pattern): a name made of them looks empty or like
// someone else's.
var invisible = map[rune]bool{'\u115F': true, '\u1160': true, '\u3164': true, '\uFFA0': true, '\u2800': true}

// dropHidden removes what a reader cannot see or that reorders what they
// see: format characters (category Cf: bidi overrides and isolates such as
// U+202E, zero-width spaces and joiners, the BOM), control characters other
// than white space, invisible letters.
func dropHidden(r rune) rune {
	if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) && !unicode.IsSpace(r) || invisible[r] {
		return -1
	}
	return r
}

// CleanDisplayName makes a display name (from an OIDC provider or a
// player) safe to show next to others': without hidden characters
// (dropHidden), NFKC-normalised (look-alike compatibility forms such as
// full-width letters become the plain ones), runs of white space made one
// space, trimmed, at most MaxDisplayNameLen runes. It may return "" (the
// caller then falls back to the username).
func CleanDisplayName(s string) string {
	s = strings.Map(dropHidden, strings.ToValidUTF8(s, ""))
	// Normalising may bring two pieces together; drop again what it made.
	s = strings.Map(dropHidden, norm.NFKC.String(s))
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimSpace(truncateRunes(s, MaxDisplayNameLen))
}
