package service

import (
	"fmt"
	"sort"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/problem"
)

// ProblemInfo is what the arena needs of a problem: its place on the
// rating scale for the match choice, and the player-facing view.
type ProblemInfo struct {
	ID          string
	Title       string
	Rating      int // arena.yaml difficulty, 800–3000
	Tags        []string
	TimeLimitMS int64
	MemoryMB    int64
	Statement   string
	Samples     []Sample
	Package     *problem.Package // nil for problems made up in tests
}

// Sample is a sample test as shown to players.
type Sample struct {
	Input  string `json:"input"`
	Output string `json:"output"`
}

// Difficulty maps the rating of a problem to the match length class:
// below 1200 easy (10 min), below 1800 medium (20 min), else hard (30 min).
func (p ProblemInfo) Difficulty() match.Difficulty {
	switch {
	case p.Rating < 1200:
		return match.Easy
	case p.Rating < 1800:
		return match.Medium
	}
	return match.Hard
}

// Catalog is the set of problems matches are played on.
type Catalog struct {
	byID  map[string]*ProblemInfo
	list  []*ProblemInfo
	langs []string
}

// NewCatalog builds a catalog from problems (ids must be unique).
func NewCatalog(ps []ProblemInfo, langs []string) (*Catalog, error) {
	c := &Catalog{byID: map[string]*ProblemInfo{}, langs: langs}
	for i := range ps {
		p := ps[i]
		if p.ID == "" || c.byID[p.ID] != nil {
			return nil, fmt.Errorf("arena: problem id %q empty or repeated", p.ID)
		}
		c.byID[p.ID] = &p
		c.list = append(c.list, &p)
	}
	sort.Slice(c.list, func(i, j int) bool { return c.list[i].ID < c.list[j].ID })
	return c, nil
}

// LoadCatalog loads every package under dir that has an arena difficulty;
// packages that fail to load are skipped and returned as errors.
func LoadCatalog(dir string, langs []string) (*Catalog, []error) {
	pkgs, errs := problem.LoadAll(dir)
	var ps []ProblemInfo
	for _, p := range pkgs {
		if p.Arena.Difficulty == 0 || p.Meta.Interactive() {
			continue
		}
		info := ProblemInfo{ID: p.ShortName, Title: p.Meta.Name("en"), Rating: p.Arena.Difficulty, Tags: p.Arena.Tags,
			TimeLimitMS: p.TimeLimit.Milliseconds(), MemoryMB: p.Meta.Limits.MemoryMiB, Package: p}
		if info.Title == "" {
			info.Title = p.ShortName
		}
		if st := p.Statement("en"); st != nil {
			info.Statement = st.Markdown
		}
		samples, err := p.Samples()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, s := range samples {
			info.Samples = append(info.Samples, Sample{Input: s.Input, Output: s.Output})
		}
		ps = append(ps, info)
	}
	c, err := NewCatalog(ps, langs)
	if err != nil {
		return nil, append(errs, err)
	}
	return c, errs
}

// Get returns a problem by id.
func (c *Catalog) Get(id string) (*ProblemInfo, bool) {
	p, ok := c.byID[id]
	return p, ok
}

// Candidates is the catalog as match.Problem values.
func (c *Catalog) Candidates() []match.Problem {
	out := make([]match.Problem, 0, len(c.list))
	for _, p := range c.list {
		out = append(out, match.Problem{ID: p.ID, Rating: float64(p.Rating), Difficulty: p.Difficulty()})
	}
	return out
}

// problemJSON is the protocol's Problem object.
type problemJSON struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Difficulty  int      `json:"difficulty"`
	Tags        []string `json:"tags"`
	TimeLimitMS int64    `json:"time_limit_ms"`
	MemoryMB    int64    `json:"memory_mb"`
	Statement   string   `json:"statement_md"`
	Samples     []Sample `json:"samples"`
	Languages   []string `json:"languages"`
}

func (c *Catalog) view(p *ProblemInfo) problemJSON {
	return problemJSON{ID: p.ID, Title: p.Title, Difficulty: p.Rating, Tags: nonNil(p.Tags), TimeLimitMS: p.TimeLimitMS,
		MemoryMB: p.MemoryMB, Statement: p.Statement, Samples: nonNil(p.Samples), Languages: c.langs}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
