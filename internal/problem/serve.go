package problem

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"
)

// LoadAll loads every package directly under root (a directory holding
// problem.yaml); other directories (tools/, generators shared by several
// problems) are skipped. Packages that fail to load are returned as errors
// next to the good ones, so one broken package does not hide the rest.
func LoadAll(root string) ([]*Package, []error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, []error{fmt.Errorf("problems: %w", err)}
	}
	var pkgs []*Package
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if _, err := os.Stat(filepath.Join(dir, "problem.yaml")); err != nil {
			continue
		}
		p, err := Load(dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return naturalLess(pkgs[i].ShortName, pkgs[j].ShortName) })
	return pkgs, errs
}

// ErrNoAsset is returned for a statement asset that is not listed.
var ErrNoAsset = errors.New("problem: no such statement asset")

// OpenAsset opens a statement image for serving. Only names listed in
// Assets are served (never a path the request made up), opened without
// following a symlink.
func (p *Package) OpenAsset(name string) (*os.File, error) {
	if !slices.Contains(p.Assets, name) {
		return nil, ErrNoAsset
	}
	f, err := os.OpenFile(filepath.Join(p.Dir, p.StatementDir, name), os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoAsset, err)
	}
	return f, nil
}

// Sample is a sample test as players see it.
type Sample struct {
	Name       string           `json:"name"`
	Input      string           `json:"input"`
	Output     string           `json:"output"`
	Transcript []TranscriptLine `json:"transcript,omitempty"` // interactive: shown instead of Input/Output
}

// MaxSampleBytes caps what is read of one sample file for display.
const MaxSampleBytes = 64 << 10

// Samples returns the sample tests for the statement page, in name
// order: the input and answer shown (2025-09 .in.statement,
// .ans.statement and .out replace .in and .ans), or for interactive
// problems the transcript, which samples given only as a .interaction
// file have alone.
func (p *Package) Samples() ([]Sample, error) {
	cases := append(p.Sample.AllCases(), p.Sample.allTranscripts()...)
	sort.SliceStable(cases, func(i, j int) bool { return naturalLess(cases[i].Name, cases[j].Name) })
	var out []Sample
	for _, c := range cases {
		s := Sample{Name: c.Name, Transcript: c.Transcript}
		in, ans := c.In, c.Ans
		if c.ShownIn != "" {
			in = c.ShownIn
		}
		if c.ShownAns != "" {
			ans = c.ShownAns
		}
		var err error
		if in != "" {
			if s.Input, err = readCapped(in); err != nil {
				return nil, err
			}
		}
		if ans != "" {
			if s.Output, err = readCapped(ans); err != nil {
				return nil, err
			}
		}
		out = append(out, s)
	}
	return out, nil
}

func readCapped(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSampleBytes))
	return string(b), err
}

// Summary is what players see of a problem (statement page, lobby): no
// secret data, no validators, no submissions.
type Summary struct {
	ID          string            `json:"id"`
	Names       map[string]string `json:"names"`
	Difficulty  int               `json:"difficulty,omitempty"`
	Tags        []string          `json:"tags,omitempty"`
	TimeLimitMS int64             `json:"time_limit_ms,omitempty"` // 0 = not derived yet
	MemoryMiB   int64             `json:"memory_mib"`
	Interactive bool              `json:"interactive"`
	Scoring     bool              `json:"scoring"`
	Authors     []string          `json:"authors,omitempty"`
	Source      string            `json:"source,omitempty"`
	License     string            `json:"license,omitempty"`
	Statements  map[string]string `json:"statements"` // lang → Markdown
	Assets      []string          `json:"assets,omitempty"`
	Samples     []Sample          `json:"samples"`
}

// Summary builds the player-facing view. timeLimit is the limit in force
// (explicit or derived at import); 0 uses the package's explicit one.
func (p *Package) Summary(timeLimit time.Duration) (*Summary, error) {
	if timeLimit <= 0 {
		timeLimit = p.TimeLimit
	}
	s := &Summary{
		ID: p.ShortName, Names: p.Meta.Names, Difficulty: p.Arena.Difficulty, Tags: p.Arena.Tags,
		TimeLimitMS: timeLimit.Milliseconds(), MemoryMiB: p.Meta.Limits.MemoryMiB,
		Interactive: p.Meta.Interactive(), Scoring: p.Meta.Scoring(),
		Authors: p.Meta.Credits.Authors, Source: p.Meta.Source, License: p.Meta.License,
		Statements: map[string]string{}, Assets: p.Assets,
	}
	for _, st := range p.Statements {
		s.Statements[st.Lang] = st.Markdown
	}
	var err error
	if s.Samples, err = p.Samples(); err != nil {
		return nil, fmt.Errorf("%s: samples: %w", p.ShortName, err)
	}
	return s, nil
}
