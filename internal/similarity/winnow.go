package similarity

// Params are the winnowing parameters: K tokens make a k-gram (shorter
// shared runs are noise: every solution reads input and loops), and a
// window of W k-gram hashes keeps its smallest. Any run of at least
// K + W − 1 tokens shared by two documents yields a shared fingerprint.
type Params struct {
	K, W int
}

// Default is K 12, W 8: a shared run of 19 normalised tokens, two or
// three lines of code, is always seen (measured on the bundled problems'
// independent solutions; see README).
func Default() Params { return Params{K: 12, W: 8} }

// Fingerprint is one selected k-gram hash and the token it starts at.
type Fingerprint struct {
	Hash uint64
	Pos  int
}

// Winnow returns the fingerprints of tokens: the rightmost minimal hash
// of every window of p.W consecutive k-gram hashes, each once (robust
// winnowing). Fewer than p.K tokens have no fingerprint.
func Winnow(tokens []Token, p Params) []Fingerprint {
	n := len(tokens) - p.K + 1
	if n <= 0 {
		return nil
	}
	hs := make([]uint64, n)
	for i := range hs {
		hs[i] = kgram(tokens[i : i+p.K])
	}
	w := min(p.W, n)
	var out []Fingerprint
	last := -1
	for start := 0; start+w <= n; start++ {
		m := start
		for j := start; j < start+w; j++ {
			if hs[j] <= hs[m] {
				m = j
			}
		}
		if m != last {
			out = append(out, Fingerprint{Hash: hs[m], Pos: m})
			last = m
		}
	}
	return out
}

// kgram hashes k symbols (FNV-1a 64 over their two bytes each, then a
// finaliser that spreads the low bits so windows' minima are uniform).
func kgram(ts []Token) uint64 {
	h := uint64(14695981039346656037)
	for _, t := range ts {
		h = (h ^ uint64(t.Sym&0xff)) * 1099511628211
		h = (h ^ uint64(t.Sym>>8)) * 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}
