package similarity

import (
	"cmp"
	"slices"
)

// Doc is one submission's fingerprints.
type Doc struct {
	ID     string
	Lang   string
	Tokens []Token
	FPs    []Fingerprint
	set    []uint64 // distinct hashes, sorted
	k      int      // the k of its k-grams
}

// NewDoc tokenizes and fingerprints one submission.
func NewDoc(id, lang, src string, p Params) *Doc {
	d := &Doc{ID: id, Lang: lang, Tokens: Tokenize(lang, src), k: p.K}
	d.FPs = Winnow(d.Tokens, p)
	d.set = make([]uint64, 0, len(d.FPs))
	for _, f := range d.FPs {
		d.set = append(d.set, f.Hash)
	}
	slices.Sort(d.set)
	d.set = slices.Compact(d.set)
	return d
}

// Size is the number of distinct fingerprints.
func (d *Doc) Size() int { return len(d.set) }

// MinFingerprints: documents with fewer distinct fingerprints (a dozen
// lines or less) are too short to call copies of anything; they are never
// reported.
const MinFingerprints = 10

// Index finds, among many documents, the pairs sharing fingerprints.
//
// A fingerprint found in more than a share of the documents (MaxShare) is
// what every solution of the problem writes (reading the input, the usual
// loop) and is ignored, as MOSS ignores code that appears in too many
// documents.
type Index struct {
	P        Params
	MaxShare float64
	docs     []*Doc
	post     map[uint64][]int32
}

// NewIndex returns an empty index with parameters p; common fingerprints
// are those in more than 10% of the documents (and at least 5 of them).
func NewIndex(p Params) *Index {
	return &Index{P: p, MaxShare: 0.10, post: map[uint64][]int32{}}
}

// Add fingerprints a submission and adds it.
func (ix *Index) Add(id, lang, src string) *Doc {
	d := NewDoc(id, lang, src, ix.P)
	ix.AddDoc(d)
	return d
}

// AddDoc adds a fingerprinted document.
func (ix *Index) AddDoc(d *Doc) {
	n := int32(len(ix.docs))
	ix.docs = append(ix.docs, d)
	for _, h := range d.set {
		ix.post[h] = append(ix.post[h], n)
	}
}

// Len is the number of documents.
func (ix *Index) Len() int { return len(ix.docs) }

// Match is a pair of documents and how much they share.
type Match struct {
	A, B *Doc
	// Shared is the number of distinct fingerprints both have (common
	// ones excluded).
	Shared int
	// Score is Shared over the smaller document's fingerprints: 1 when
	// the smaller one is entirely inside the other.
	Score float64
}

func (ix *Index) common() int {
	return max(5, int(ix.MaxShare*float64(len(ix.docs))))
}

// Similar lists the documents of the index sharing at least minScore of
// d's or their fingerprints with d (d itself excluded, by ID), best first.
func (ix *Index) Similar(d *Doc, minScore float64) []Match {
	counts := map[int32]int{}
	limit := ix.common()
	for _, h := range d.set {
		ps := ix.post[h]
		if len(ps) > limit {
			continue
		}
		for _, o := range ps {
			counts[o]++
		}
	}
	var out []Match
	for o, shared := range counts {
		od := ix.docs[o]
		if od.ID == d.ID {
			continue
		}
		if m, ok := match(d, od, shared, minScore); ok {
			out = append(out, m)
		}
	}
	sortMatches(out)
	return out
}

// Pairs lists every pair of documents in the index scoring at least
// minScore, best first.
func (ix *Index) Pairs(minScore float64) []Match {
	limit := ix.common()
	counts := make([]int32, len(ix.docs))
	var touched []int32
	var out []Match
	for i, d := range ix.docs {
		touched = touched[:0]
		for _, h := range d.set {
			ps := ix.post[h]
			if len(ps) > limit {
				continue
			}
			// Postings are in document order: the later documents follow i.
			k, _ := slices.BinarySearch(ps, int32(i)+1)
			for _, o := range ps[k:] {
				if counts[o] == 0 {
					touched = append(touched, o)
				}
				counts[o]++
			}
		}
		for _, o := range touched {
			if m, ok := match(d, ix.docs[o], int(counts[o]), minScore); ok {
				out = append(out, m)
			}
			counts[o] = 0
		}
	}
	sortMatches(out)
	return out
}

func match(a, b *Doc, shared int, minScore float64) (Match, bool) {
	small := min(a.Size(), b.Size())
	if small < MinFingerprints {
		return Match{}, false
	}
	score := float64(shared) / float64(small)
	if score < minScore {
		return Match{}, false
	}
	return Match{A: a, B: b, Shared: shared, Score: score}, true
}

func sortMatches(ms []Match) {
	slices.SortFunc(ms, func(x, y Match) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A.ID, y.A.ID); c != 0 {
			return c
		}
		return cmp.Compare(x.B.ID, y.B.ID)
	})
}

// Compare scores two documents directly (no index, no common
// fingerprints).
func Compare(a, b *Doc) Match {
	shared := 0
	i, j := 0, 0
	for i < len(a.set) && j < len(b.set) {
		switch {
		case a.set[i] < b.set[j]:
			i++
		case a.set[i] > b.set[j]:
			j++
		default:
			shared++
			i++
			j++
		}
	}
	m := Match{A: a, B: b, Shared: shared}
	if small := min(a.Size(), b.Size()); small > 0 {
		m.Score = float64(shared) / float64(small)
	}
	return m
}

// Lines are the 1-based source lines of a document that a match shares
// with the other document, for showing the two side by side.
func (m Match) Lines() (a, b []int) {
	inB := map[uint64]bool{}
	for _, h := range m.B.set {
		inB[h] = true
	}
	inA := map[uint64]bool{}
	for _, h := range m.A.set {
		inA[h] = true
	}
	return sharedLines(m.A, inB), sharedLines(m.B, inA)
}

func sharedLines(d *Doc, other map[uint64]bool) []int {
	seen := map[int]bool{}
	for _, f := range d.FPs {
		if !other[f.Hash] {
			continue
		}
		end := min(len(d.Tokens), f.Pos+d.k)
		for _, t := range d.Tokens[f.Pos:end] {
			seen[t.Line] = true
		}
	}
	out := make([]int, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}
