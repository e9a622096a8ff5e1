package coach

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/static"
)

// Intended is what the problem's author expects a good solution to cost,
// in the problem's variables. It comes from arena.yaml's complexity block
// (or, for the evaluation set's families, coach.yaml beside problem.yaml).
type Intended struct {
	Time  bigo.Complexity `json:"time"`
	Space bigo.Complexity `json:"space"`
	Hint  string          `json:"hint,omitempty"`
	// Stated is the author's time complexity as written ("O((n + m)
	// log n)"); the report shows it once, as the author's.
	Stated      string `json:"stated,omitempty"`
	StatedSpace string `json:"stated_space,omitempty"`
}

// Problem is what the coach reads from a problem package directory.
type Problem struct {
	Dir      string
	Intended Intended
	Tags     []string
	// Context holds the variables the problem is stated in.
	Context static.Context
	// Sizes are the variables the generator takes by name
	// (gen n=1000,m=5000 <seed>); empty: only gen <n> <seed>.
	Sizes []string
	// MeetsIntended lists the accepted submissions (paths below
	// submissions/) that are meant to reach the intended class; Faster
	// those that beat it; SpaceOf the space class of a submission whose
	// space differs from the intended one (it reads all input first).
	MeetsIntended []string
	Faster        []string
	SpaceOf       map[string]bigo.Complexity
	// Interactive: solutions talk to an interactor (problem.yaml
	// validation: custom interactive) and cannot be timed alone.
	Interactive bool
	gen         []string // argv prefix of the generator; "" = none
	genFn       Generator
	tests       []string // test inputs, smallest first
}

// Generator makes an input of the given sizes. sizes is what follows the
// generator's name on its command line: "1000" (one size) or
// "n=1000,m=5000" (named sizes).
type Generator func(ctx context.Context, sizes string, seed int) ([]byte, error)

// SetGenerator replaces how inputs are generated: judge workers run the
// package's generator in a sandbox box (an uploaded package's generator is
// its author's code and must not run on the worker host). nil means no
// generator: the problem's tests are the inputs.
func (p *Problem) SetGenerator(gen Generator) {
	p.gen, p.genFn = nil, gen
}

// arenaFile is the part of arena.yaml the coach reads. The problem
// package loader validates arena.yaml; the coach reads it leniently.
type arenaFile struct {
	Tags       []string `yaml:"tags"`
	Complexity struct {
		Time  string `yaml:"time"`
		Space string `yaml:"space"`
		Hint  string `yaml:"hint"`
	} `yaml:"complexity"`
	Coach struct {
		Variables     yaml.Node         `yaml:"variables"`
		Sizes         []string          `yaml:"sizes"`
		MeetsIntended []string          `yaml:"meets_intended"`
		Faster        []string          `yaml:"faster"`
		Space         map[string]string `yaml:"space"`
		Input         string            `yaml:"input"`
		Hint          string            `yaml:"hint"`
	} `yaml:"coach"`
}

var varNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// parseVariables reads coach.variables in order: a map from name to
// {what, kind, aliases, log_as}, or a list of names.
func parseVariables(n *yaml.Node) ([]static.Var, error) {
	var out []static.Var
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.SequenceNode:
		for _, item := range n.Content {
			if !varNameRe.MatchString(item.Value) {
				return nil, fmt.Errorf("coach.variables: bad name %q", item.Value)
			}
			out = append(out, static.Var{Name: item.Value})
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			name := n.Content[i].Value
			if !varNameRe.MatchString(name) {
				return nil, fmt.Errorf("coach.variables: bad name %q", name)
			}
			v := static.Var{Name: name}
			if n.Content[i+1].Kind == yaml.MappingNode {
				var spec struct {
					What    string   `yaml:"what"`
					Kind    string   `yaml:"kind"`
					Aliases []string `yaml:"aliases"`
					LogAs   string   `yaml:"log_as"`
					LE      string   `yaml:"le"`
				}
				if err := n.Content[i+1].Decode(&spec); err != nil {
					return nil, fmt.Errorf("coach.variables.%s: %w", name, err)
				}
				switch spec.Kind {
				case "", "size", "value", "token", "const":
				default:
					return nil, fmt.Errorf("coach.variables.%s: kind %q (want size, value, token or const)", name, spec.Kind)
				}
				v.Kind, v.Aliases, v.LogAs, v.LE = spec.Kind, spec.Aliases, spec.LogAs, spec.LE
			}
			out = append(out, v)
		}
	default:
		return nil, fmt.Errorf("coach.variables: want a map or a list")
	}
	for _, v := range out {
		for key, ref := range map[string]string{"log_as": v.LogAs, "le": v.LE} {
			if ref != "" && (ref == v.Name || !slices.ContainsFunc(out, func(w static.Var) bool { return w.Name == ref })) {
				return nil, fmt.Errorf("coach.variables.%s: %s %q is not another variable", v.Name, key, ref)
			}
		}
	}
	return out, nil
}

// readArena reads arena.yaml: tags, the intended complexity in the
// declared variables, the generator's named sizes.
func (p *Problem) readArena() error {
	b, err := os.ReadFile(filepath.Join(p.Dir, "arena.yaml"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var a arenaFile
	if err := yaml.Unmarshal(b, &a); err != nil {
		return fmt.Errorf("arena.yaml: %w", err)
	}
	vars, err := parseVariables(&a.Coach.Variables)
	if err != nil {
		return fmt.Errorf("arena.yaml: %w", err)
	}
	p.Tags = a.Tags
	p.Context = static.Context{Vars: vars}
	for _, s := range a.Coach.Sizes {
		if !slices.ContainsFunc(vars, func(v static.Var) bool { return v.Name == s }) {
			return fmt.Errorf("arena.yaml: coach.sizes: %q is not one of coach.variables", s)
		}
	}
	p.Sizes = a.Coach.Sizes
	p.MeetsIntended, p.Faster = a.Coach.MeetsIntended, a.Coach.Faster
	p.Intended = Intended{Stated: strings.TrimSpace(a.Complexity.Time), StatedSpace: strings.TrimSpace(a.Complexity.Space),
		Hint: a.Coach.Hint}
	if p.Intended.Hint == "" {
		p.Intended.Hint = a.Complexity.Hint
	}
	// The author's words parse in the declared variables; without
	// declared variables only classes of one size n are understood.
	parse := func(s string) bigo.Complexity {
		vars := p.Context.Variables()
		if len(p.Context.Vars) == 0 {
			if c, err := bigo.Parse(s); err == nil && c != bigo.Unknown {
				return bigo.Known(bigo.FromClass(c, "n"))
			}
			return bigo.Complexity{}
		}
		e, ok, err := bigo.ParseKnown(s, vars)
		if err != nil || !ok || !knownVars(e, vars) {
			return bigo.Complexity{}
		}
		return bigo.Known(p.Context.Normalize(e))
	}
	if a.Coach.Input != "" {
		in := parse(a.Coach.Input)
		if !in.OK {
			return fmt.Errorf("arena.yaml: coach.input: %q is not a size in the declared variables", a.Coach.Input)
		}
		p.Context.Input = in.Expr
	}
	p.Intended.Time = parse(p.Intended.Stated)
	p.Intended.Space = parse(p.Intended.StatedSpace)
	for sub, c := range a.Coach.Space {
		v := parse(c)
		if !v.OK {
			return fmt.Errorf("arena.yaml: coach.space.%s: %q is not a class in the declared variables", sub, c)
		}
		if p.SpaceOf == nil {
			p.SpaceOf = map[string]bigo.Complexity{}
		}
		p.SpaceOf[sub] = v
	}
	return nil
}

// knownVars: every variable of e is declared.
func knownVars(e bigo.Expr, vars *bigo.Variables) bool {
	for _, v := range e.Vars() {
		if !slices.Contains(vars.Names, v) {
			return false
		}
	}
	return true
}

// coachFile is the evaluation families' coach.yaml: one size n.
type coachFile struct {
	Time  string `yaml:"time"`
	Space string `yaml:"space"`
	Hint  string `yaml:"hint"`
}

// LoadProblem reads a problem package directory. A missing arena.yaml or
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
	if err := p.readArena(); err != nil {
		return nil, fmt.Errorf("problem %s: %w", dir, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "coach.yaml")); err == nil {
		var c coachFile
		if err := yaml.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("problem %s: coach.yaml: %w", dir, err)
		}
		for _, s := range []*string{&c.Time, &c.Space} {
			if cl, err := bigo.Parse(*s); err != nil {
				return nil, fmt.Errorf("problem %s: coach.yaml: %w", dir, err)
			} else if cl != bigo.Unknown {
				*s = bigo.FromClass(cl, "n").String()
			}
		}
		p.Intended = Intended{Stated: c.Time, StatedSpace: c.Space, Hint: c.Hint}
		p.Intended.Time, p.Intended.Space = known(c.Time), known(c.Space)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "problem.yaml")); err == nil {
		var py struct {
			Validation string `yaml:"validation"`
		}
		if yaml.Unmarshal(b, &py) == nil && strings.Contains(py.Validation, "interactive") {
			p.Interactive = true
		}
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

func known(s string) bigo.Complexity {
	e, ok, err := bigo.ParseKnown(s, nil)
	if err != nil || !ok {
		return bigo.Complexity{}
	}
	return bigo.Known(e)
}

// HasGenerator reports whether inputs of any size can be made.
func (p *Problem) HasGenerator() bool { return len(p.gen) > 0 || p.genFn != nil }

// Generate runs the problem's generator for the given sizes: the
// SetGenerator function when set, else generators/gen on this host (the
// command line coach, on packages the user has on disk).
func (p *Problem) Generate(ctx context.Context, sizes string, seed int) ([]byte, error) {
	if p.genFn != nil {
		return p.genFn(ctx, sizes, seed)
	}
	if len(p.gen) == 0 {
		return nil, fmt.Errorf("problem %s has no generator", p.Dir)
	}
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	argv := append(append([]string(nil), p.gen...), sizes, strconv.Itoa(seed))
	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	cmd.Dir = p.Dir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("generator %s %d: %w", sizes, seed, err)
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
