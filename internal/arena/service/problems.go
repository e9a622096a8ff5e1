package service

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// ProblemInfo is what the arena needs of a problem: its place on the
// rating scale for the match choice, and the player-facing view.
type ProblemInfo struct {
	ID          string
	Version     int // stored version (0: a set not kept in the database, tests and load tools)
	Title       string
	Rating      int // arena.yaml difficulty, 800–3000
	Tags        []string
	TimeLimitMS int64
	MemoryMB    int64
	Statement   string
	Samples     []Sample
	// IntendedTime and IntendedSpace are the package's intended
	// complexity: never shown during a match (it gives the solution away),
	// only in the coach's report after it.
	IntendedTime, IntendedSpace string
	Package                     *problem.Package // nil for problems made up in tests
}

// Sample is a sample test as shown to players.
type Sample = protocol.Sample

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

// Playable is the set of problems matches are played on: either a fixed
// set (NewPlayable, LoadPlayable: tests and load tools) or the problem
// catalog in the database (PlayableFrom), which `segfault serve` uses, so
// matches, practice and submissions all resolve problems through one
// source and an admin's upload becomes playable without a restart.
//
// A match keeps the version it started with (its snapshot records it):
// after a re-import new matches get the new version, running ones keep
// theirs, including their judging (the version travels in the match's
// submission and run requests: execution.SubmitRequest.ProblemVersion).
type Playable struct {
	langs []string
	mult  problem.LanguageMultipliers // per-language time factors; set once by Start
	// live, set once by Start, says which languages the judge workers
	// offer now (ok false: no information, offer langs).
	live func() (ids []string, ok bool)
	src  *catalog.Catalog // nil for a fixed set

	mu       sync.RWMutex
	byID     map[string]*ProblemInfo // the newest playable version of each problem
	list     []*ProblemInfo          // byID sorted by id
	versions map[versionKey]*ProblemInfo

	log      *slog.Logger        // set by Start; discard until then
	unjudged map[versionKey]bool // versions skipped for having no time limit (logged once)
}

type versionKey struct {
	id      string
	version int
}

// NewPlayable builds a fixed set from problems (ids must be unique).
func NewPlayable(ps []ProblemInfo, langs []string) (*Playable, error) {
	c := &Playable{byID: map[string]*ProblemInfo{}, langs: langs, versions: map[versionKey]*ProblemInfo{}}
	for i := range ps {
		p := ps[i]
		if p.ID == "" || c.byID[p.ID] != nil {
			return nil, fmt.Errorf("arena: problem id %q empty or repeated", p.ID)
		}
		c.byID[p.ID] = &p
		c.list = append(c.list, &p)
		c.versions[versionKey{p.ID, p.Version}] = &p
	}
	sort.Slice(c.list, func(i, j int) bool { return c.list[i].ID < c.list[j].ID })
	return c, nil
}

// playable reports whether matches can be played on a package: it needs
// an arena difficulty, and interactive problems have no arena flow yet.
func playable(p *problem.Package) bool {
	return p.Arena.Difficulty != 0 && !p.Meta.Interactive()
}

func infoOf(p *problem.Package) (ProblemInfo, error) {
	info := ProblemInfo{ID: p.ShortName, Title: p.Meta.Name("en"), Rating: p.Arena.Difficulty, Tags: p.Arena.Tags,
		TimeLimitMS: p.TimeLimit.Milliseconds(), MemoryMB: p.Meta.Limits.MemoryMiB, Package: p,
		IntendedTime: p.Arena.Complexity.Time, IntendedSpace: p.Arena.Complexity.Space}
	if info.Title == "" {
		info.Title = p.ShortName
	}
	if st := p.Statement("en"); st != nil {
		info.Statement = st.Markdown
	}
	samples, err := p.Samples()
	if err != nil {
		return info, err
	}
	for _, s := range samples {
		info.Samples = append(info.Samples, Sample{Input: s.Input, Output: s.Output})
	}
	return info, nil
}

// LoadPlayable loads every package under dir that has an arena difficulty
// into a fixed set; packages that fail to load are skipped and
// returned as errors. (serve uses PlayableFrom: the directory is imported
// into the database once, by catalog.LoadBundled.)
func LoadPlayable(dir string, langs []string) (*Playable, []error) {
	pkgs, errs := problem.LoadAll(dir)
	var ps []ProblemInfo
	for _, p := range pkgs {
		if !playable(p) {
			continue
		}
		if p.TimeLimit <= 0 {
			// The judge refuses it (judge.CodeBadProblem): every
			// submission would be IE.
			errs = append(errs, fmt.Errorf("arena: problem %s has no time limit (set limits.time_limit or add .timelimit); not used in matches", p.ShortName))
			continue
		}
		info, err := infoOf(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ps = append(ps, info)
	}
	c, err := NewPlayable(ps, langs)
	if err != nil {
		return nil, append(errs, err)
	}
	return c, errs
}

// PlayableFrom is the playable part of the problem catalog in the database. It is
// empty until the first Refresh.
func PlayableFrom(src *catalog.Catalog, langs []string) *Playable {
	return &Playable{src: src, langs: langs, byID: map[string]*ProblemInfo{}, versions: map[versionKey]*ProblemInfo{},
		log: slog.New(slog.DiscardHandler), unjudged: map[versionKey]bool{}}
}

// skipUnjudgeable reports whether version n of problem id cannot be
// judged: it was imported without a time limit (no limits.time_limit and
// no verification that would have derived one), so every submission would
// end as IE. Such a version is never chosen for a match; the operator is
// told once per version (Refresh runs every second on the leader).
func (c *Playable) skipUnjudgeable(id string, n int, timeLimit time.Duration) bool {
	if timeLimit > 0 {
		return false
	}
	c.mu.Lock()
	first := !c.unjudged[versionKey{id, n}]
	c.unjudged[versionKey{id, n}] = true
	log := c.log
	c.mu.Unlock()
	if first {
		log.Warn("problem version not used in matches: it has no time limit, so it cannot be judged; set limits.time_limit or import it with verification",
			"problem", id, "version", n)
	}
	return true
}

// Refresh lists the enabled problems again (from the database catalog; the
// leader's slow tick calls it about once a second) and loads the versions
// it has not seen. A problem whose package cannot be loaded keeps its previous
// version, if any, and is reported in the error. A fixed set never
// changes.
func (c *Playable) Refresh(ctx context.Context) error {
	if c.src == nil {
		return nil
	}
	var rows []store.ProblemVersion
	for off := 0; ; {
		page, total, err := c.src.Store().ListProblems(ctx, store.ProblemFilter{Offset: off, Limit: store.MaxProblemPage})
		if err != nil {
			return fmt.Errorf("arena: list problems: %w", err)
		}
		rows = append(rows, page...)
		off += len(page)
		if len(page) == 0 || off >= total {
			break
		}
	}
	byID := map[string]*ProblemInfo{}
	var errs []error
	for _, sv := range rows {
		if sv.Difficulty == 0 || sv.Interactive {
			continue // not playable: no need to unpack it
		}
		if c.skipUnjudgeable(sv.ProblemID, sv.Version, sv.TimeLimit) {
			continue
		}
		p, err := c.version(ctx, sv.ProblemID, sv.Version)
		if err != nil {
			errs = append(errs, err)
			c.mu.RLock()
			old := c.byID[sv.ProblemID]
			c.mu.RUnlock()
			if old != nil {
				byID[sv.ProblemID] = old
			}
			continue
		}
		if p != nil {
			byID[p.ID] = p
		}
	}
	list := make([]*ProblemInfo, 0, len(byID))
	for _, p := range byID {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	c.mu.Lock()
	c.byID, c.list = byID, list
	c.mu.Unlock()
	return errors.Join(errs...)
}

// version returns a stored version, loading it on first use (nil, nil
// when the package is not playable).
func (c *Playable) version(ctx context.Context, id string, n int) (*ProblemInfo, error) {
	c.mu.RLock()
	p, ok := c.versions[versionKey{id, n}]
	c.mu.RUnlock()
	if ok {
		return p, nil
	}
	pkg, sv, err := c.src.Package(ctx, id, n)
	if err != nil {
		return nil, fmt.Errorf("arena: problem %s v%d: %w", id, n, err)
	}
	// The judge takes the package's own limit (explicit or the .timelimit
	// import wrote): without one it refuses the package.
	if !playable(pkg) || c.skipUnjudgeable(sv.ProblemID, sv.Version, min(pkg.TimeLimit, sv.TimeLimit)) {
		c.mu.Lock()
		c.versions[versionKey{id, n}] = nil
		c.mu.Unlock()
		return nil, nil
	}
	info, err := infoOf(pkg)
	if err != nil {
		return nil, fmt.Errorf("arena: problem %s v%d: %w", id, n, err)
	}
	// The database row is the truth for what an admin may have set at
	// import (verified time limit); the statement's images point at
	// this version's assets.
	info.ID, info.Version = sv.ProblemID, sv.Version
	if sv.Name != "" {
		info.Title = sv.Name
	}
	info.Rating, info.Tags = sv.Difficulty, sv.Tags
	if sv.TimeLimit > 0 {
		info.TimeLimitMS = sv.TimeLimit.Milliseconds()
	}
	if sv.MemoryMiB > 0 {
		info.MemoryMB = sv.MemoryMiB
	}
	info.IntendedTime, info.IntendedSpace = sv.ComplexityTime, sv.ComplexitySpace
	info.Statement = catalog.StatementMarkdown(pkg, sv, "en")
	c.mu.Lock()
	c.versions[versionKey{id, n}] = &info
	if n == 0 {
		c.versions[versionKey{id, sv.Version}] = &info
	}
	c.mu.Unlock()
	return &info, nil
}

// Get returns the newest playable version of a problem.
func (c *Playable) Get(id string) (*ProblemInfo, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.byID[id]
	return p, ok
}

// At returns version n of a problem (a restored match's): from memory, or
// loaded from the database. A fixed set has one version per problem.
func (c *Playable) At(ctx context.Context, id string, n int) (*ProblemInfo, bool) {
	if c.src == nil || n == 0 {
		return c.Get(id)
	}
	p, err := c.version(ctx, id, n)
	return p, err == nil && p != nil
}

// Featured is the problem of the day for date (YYYY-MM-DD): the same on
// every node for the same set of problems, whatever order they loaded in.
func (c *Playable) Featured(date string) (*ProblemInfo, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if len(c.list) == 0 {
		return nil, false
	}
	h := fnv.New64a()
	h.Write([]byte("featured/" + date))
	return c.list[h.Sum64()%uint64(len(c.list))], true // list is sorted by id
}

// Len is the number of playable problems.
func (c *Playable) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.list)
}

// Candidates is the set as match.Problem values.
func (c *Playable) Candidates() []match.Problem {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]match.Problem, 0, len(c.list))
	for _, p := range c.list {
		out = append(out, match.Problem{ID: p.ID, Rating: float64(p.Rating), Difficulty: p.Difficulty()})
	}
	return out
}

func (c *Playable) view(p *ProblemInfo) problemJSON {
	v := problemJSON{ID: p.ID, Title: p.Title, Difficulty: p.Rating, Tags: nonNil(p.Tags), TimeLimitMS: p.TimeLimitMS,
		MemoryMB: p.MemoryMB, Statement: p.Statement, Samples: nonNil(p.Samples), Languages: c.offered()}
	base := time.Duration(p.TimeLimitMS) * time.Millisecond
	for _, lang := range v.Languages {
		// The same scaling as the workers' (verify.ForLanguage).
		if d := c.mult.For(base, lang); d != base {
			if v.TimeLimitsMS == nil {
				v.TimeLimitsMS = map[string]int64{}
			}
			v.TimeLimitsMS[lang] = d.Milliseconds()
		}
	}
	return v
}

// offered are the playable set's languages that the judge workers offer now
// (all of them when that is not known): players are offered only what
// can be judged.
func (c *Playable) offered() []string {
	if c.live == nil {
		return c.langs
	}
	ids, ok := c.live()
	if !ok {
		return c.langs
	}
	on := map[string]bool{}
	for _, id := range ids {
		on[id] = true
	}
	out := []string{}
	for _, id := range c.langs {
		if on[id] {
			out = append(out, id)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
