package coach

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
)

// Intended is what the problem author expects a good solution to cost. It
// lives in coach.yaml beside problem.yaml so the Kattis metadata stays
// untouched:
//
//	time: O(n log n)
//	space: O(n)
//	hint: sort first, then scan with two pointers
//
// Without coach.yaml the package's arena.yaml `complexity:` is used. It is
// written for people and may name several variables ("O((n + q) log n)");
// when it is not a class of the one size the coach measures, the class
// stays unknown and the author's words are kept in Stated for display.
type Intended struct {
	Time  bigo.Class `yaml:"time" json:"time"`
	Space bigo.Class `yaml:"space" json:"space"`
	Hint  string     `yaml:"hint" json:"hint,omitempty"`
	// Stated is arena.yaml's time complexity as written, when it did not
	// parse as a class.
	Stated string `yaml:"-" json:"stated,omitempty"`
}

// arenaComplexity reads arena.yaml's complexity block leniently: the
// problem package loader validates arena.yaml; the coach only needs the
// two strings.
func arenaComplexity(dir string) (Intended, error) {
	var a struct {
		Complexity struct {
			Time  string `yaml:"time"`
			Space string `yaml:"space"`
		} `yaml:"complexity"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "arena.yaml"))
	if err != nil {
		if os.IsNotExist(err) {
			return Intended{}, nil
		}
		return Intended{}, err
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		return Intended{}, fmt.Errorf("arena.yaml: %w", err)
	}
	var in Intended
	if c, err := bigo.Parse(a.Complexity.Time); err == nil {
		in.Time = c
	} else {
		in.Stated = a.Complexity.Time
	}
	in.Space, _ = bigo.Parse(a.Complexity.Space)
	return in, nil
}

// Problem is what the coach reads from a problem package directory.
type Problem struct {
	Dir      string
	Intended Intended
	gen      []string // argv prefix of the generator; "" = none
	genFn    func(ctx context.Context, n, seed int) ([]byte, error)
	tests    []string // test inputs, smallest first
}

// SetGenerator replaces how inputs are generated: judge workers run the
// package's generator in a sandbox box (an uploaded package's generator is
// its author's code and must not run on the worker host). nil means no
// generator: the problem's tests are the inputs.
func (p *Problem) SetGenerator(gen func(ctx context.Context, n, seed int) ([]byte, error)) {
	p.gen, p.genFn = nil, gen
}

// LoadProblem reads a problem package directory. A missing coach.yaml or
// generator is fine; the tests are the fallback input source.
func LoadProblem(dir string) (*Problem, error) {
	dir, err := filepath.Abs(dir) // the generator runs with the package as its working dir
	if err != nil {
		return nil, fmt.Errorf("problem %s: %w", dir, err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("problem %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("problem %s: not a directory", dir)
	}
	p := &Problem{Dir: dir}
	if b, err := os.ReadFile(filepath.Join(dir, "coach.yaml")); err == nil {
		if err := yaml.Unmarshal(b, &p.Intended); err != nil {
			return nil, fmt.Errorf("problem %s: coach.yaml: %w", dir, err)
		}
	} else if p.Intended, err = arenaComplexity(dir); err != nil {
		return nil, fmt.Errorf("problem %s: %w", dir, err)
	}
	if gen := filepath.Join(dir, "generators", "gen"); isExecutable(gen) {
		p.gen = []string{gen}
	} else if gen := filepath.Join(dir, "generators", "gen.py"); fileExists(gen) {
		p.gen = []string{"python3", gen}
	}
	var tests []string
	filepath.WalkDir(filepath.Join(dir, "data"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && filepath.Ext(path) == ".in" {
			tests = append(tests, path)
		}
		return nil
	})
	sort.Slice(tests, func(i, j int) bool { return fileSize(tests[i]) < fileSize(tests[j]) })
	p.tests = tests
	return p, nil
}

// HasGenerator reports whether inputs of any size can be made.
func (p *Problem) HasGenerator() bool { return len(p.gen) > 0 || p.genFn != nil }

// Generate runs the problem's generator for size n: the SetGenerator
// function when set, else generators/gen on this host (the command line
// coach, on packages the user has on disk).
func (p *Problem) Generate(ctx context.Context, n, seed int) ([]byte, error) {
	if p.genFn != nil {
		return p.genFn(ctx, n, seed)
	}
	if len(p.gen) == 0 {
		return nil, fmt.Errorf("problem %s has no generator", p.Dir)
	}
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	argv := append(append([]string(nil), p.gen...), strconv.Itoa(n), strconv.Itoa(seed))
	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	cmd.Dir = p.Dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("generator %d %d: %w", n, seed, err)
	}
	return out, nil
}

// Tests lists the test inputs, smallest first.
func (p *Problem) Tests() []string { return p.tests }

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
