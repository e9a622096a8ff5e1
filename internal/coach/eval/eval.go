// Package eval measures how often the complexity coach is right.
//
// Two sets: the labelled set (testdata/: task families, each with a
// generator and its variables, and solutions in the seven languages with
// their true time class and the reason, labelled by hand; some held out
// from tuning), and the bundled problems (every accepted submission,
// against the intended class its problem's arena.yaml says it reaches).
// Each case is scored three ways: static analysis alone, measurement
// alone, and the report's one decision.
package eval

import (
	"bufio"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/coach"
	"github.com/segfaultarena/segfault/internal/coach/bigo"
	"github.com/segfaultarena/segfault/internal/coach/static"
)

//go:embed testdata
var setFS embed.FS

// Case is one labelled solution.
type Case struct {
	Path    string // relative to the set root: family/solutions/name.ext
	Family  string
	Lang    string
	Want    string // the true time class as labelled (in the family's variables)
	Smoke   bool
	HeldOut bool // written and scored after the rules were tuned; never used to tune them
	Note    string
	// for bundled submissions
	Problem   string
	WantSpace string
	Faster    bool // meant to beat the intended class
}

var extLang = map[string]string{".py": "python", ".c": "c", ".cpp": "cpp", ".go": "go", ".js": "javascript", ".java": "java", ".rs": "rust"}

// Cases reads the labels: path, class, flags (smoke, heldout), reason.
func Cases() ([]Case, error) {
	f, err := setFS.Open("testdata/labels.tsv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Case
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			return nil, fmt.Errorf("labels.tsv: bad line %q", line)
		}
		lang := extLang[filepath.Ext(cols[0])]
		if lang == "" {
			return nil, fmt.Errorf("labels.tsv: %s: unknown language", cols[0])
		}
		c := Case{Path: cols[0], Family: strings.SplitN(cols[0], "/", 2)[0], Lang: lang, Want: cols[1]}
		for _, flag := range strings.Split(cols[2], ",") {
			switch strings.TrimSpace(flag) {
			case "smoke":
				c.Smoke = true
			case "heldout":
				c.HeldOut = true
			case "-", "":
			default:
				return nil, fmt.Errorf("labels.tsv: %s: unknown flag %q", cols[0], flag)
			}
		}
		if strings.HasPrefix(filepath.Base(c.Path), "ho_") {
			c.HeldOut = true
		}
		if len(cols) > 3 {
			c.Note = cols[3]
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// Extract writes the set to dir with generators executable.
func Extract(dir string) error {
	return fs.WalkDir(setFS, "testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata", path)
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := setFS.ReadFile(path)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if filepath.Base(filepath.Dir(path)) == "generators" {
			mode = 0o755
		}
		return os.WriteFile(dst, b, mode)
	})
}

// Options select and bound a run.
type Options struct {
	Smoke    bool          // only the smoke subset
	Filter   string        // only cases whose path contains this
	Budget   time.Duration // CPU budget per solution (default 10 s)
	Target   time.Duration // growth target per series (default: coach's)
	CacheDir string        // build cache (default: a dir under os.TempDir)
	Static   bool          // static analysis only (no builds, no runs)
	Out      io.Writer     // per-case lines; nil = quiet
	Verbose  bool          // also print the measured points
	// Reuse takes a case's measurement from the cache when the same source
	// was measured before with the same budget, so changes to the static
	// side or the decision can be re-scored without re-timing everything.
	// CachedOnly also skips the cases that were never measured.
	Reuse, CachedOnly bool
}

// Outcome is the result of one case.
type Outcome struct {
	Case
	Static      string // the static class
	Measured    string // the decision from the measurement alone
	Decided     string // the report's class ("inconclusive" included)
	Space       string
	Verdict     string
	Confidence  float64
	StaticOK    bool
	MeasuredOK  bool
	DecidedOK   bool
	SpaceOK     bool
	SpaceScored bool // the case has a space class to meet
	Err         string
	CPU         float64
}

// Summary counts exact-class hits.
type Summary struct {
	Outcomes []Outcome
	Elapsed  time.Duration
}

// Count is hits out of a total.
type Count struct{ OK, Total int }

func (c Count) String() string {
	if c.Total == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%d/%d (%.1f%%)", c.OK, c.Total, c.Pct())
}

// Pct is the hit rate in percent.
func (c Count) Pct() float64 {
	if c.Total == 0 {
		return 0
	}
	return 100 * float64(c.OK) / float64(c.Total)
}

// Tally counts the outcomes that keep.
func (s Summary) Tally(keep func(Outcome) bool) (st, me, de, sp Count) {
	for _, o := range s.Outcomes {
		if !keep(o) {
			continue
		}
		st.Total++
		me.Total++
		de.Total++
		if o.StaticOK {
			st.OK++
		}
		if o.MeasuredOK {
			me.OK++
		}
		if o.DecidedOK {
			de.OK++
		}
		if o.SpaceScored {
			sp.Total++
			if o.SpaceOK {
				sp.OK++
			}
		}
	}
	return
}

// Print writes the accuracy table: all cases, tuned and held out.
func (s Summary) Print(w io.Writer) {
	all := func(Outcome) bool { return true }
	tuned := func(o Outcome) bool { return !o.HeldOut && !o.Faster }
	held := func(o Outcome) bool { return o.HeldOut }
	fmt.Fprintf(w, "cases: %d   elapsed: %s\n", len(s.Outcomes), s.Elapsed.Round(time.Second))
	fmt.Fprintf(w, "%-14s %-18s %-18s %-18s %-18s\n", "", "static alone", "measured alone", "report (time)", "report (space)")
	for _, row := range []struct {
		name string
		keep func(Outcome) bool
	}{{"all", all}, {"tuned on", tuned}, {"held out", held}} {
		st, me, de, sp := s.Tally(row.keep)
		if st.Total == 0 {
			continue
		}
		fmt.Fprintf(w, "%-14s %-18s %-18s %-18s %-18s\n", row.name, st, me, de, sp)
	}
	per := map[string][]Outcome{}
	for _, o := range s.Outcomes {
		per[o.Lang] = append(per[o.Lang], o)
	}
	langs := make([]string, 0, len(per))
	for l := range per {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		_, _, de, _ := Summary{Outcomes: per[l]}.Tally(all)
		fmt.Fprintf(w, "  %-11s report %s\n", l, de)
	}
}

// Result is the one-line summary: RESULT <set> time a/b (p%) space c/d (q%) ...
func (s Summary) Result(set string) string {
	_, _, de, sp := s.Tally(func(o Outcome) bool { return !o.Faster })
	_, _, hde, _ := s.Tally(func(o Outcome) bool { return o.HeldOut })
	fa := Count{}
	for _, o := range s.Outcomes {
		if o.Faster {
			fa.Total++
			if o.DecidedOK {
				fa.OK++
			}
		}
	}
	line := fmt.Sprintf("RESULT %s time %s space %s", set, de, sp)
	if hde.Total > 0 {
		line += fmt.Sprintf(" held-out-time %s", hde)
	}
	if fa.Total > 0 {
		line += fmt.Sprintf(" faster-than-intended %s", fa)
	}
	return line + fmt.Sprintf(" cases %d elapsed %s", len(s.Outcomes), s.Elapsed.Round(time.Second))
}

// Run evaluates the labelled set one case after another (timing needs the
// machine to itself).
func Run(ctx context.Context, opt Options) (Summary, error) {
	start := time.Now()
	cases, err := Cases()
	if err != nil {
		return Summary{}, err
	}
	root, err := os.MkdirTemp("", "coach-eval-")
	if err != nil {
		return Summary{}, err
	}
	defer os.RemoveAll(root)
	if err := Extract(root); err != nil {
		return Summary{}, fmt.Errorf("extract set: %w", err)
	}
	problems := map[string]*coach.Problem{}
	var sum Summary
	for _, c := range cases {
		if opt.Smoke && !c.Smoke || opt.Filter != "" && !strings.Contains(c.Path, opt.Filter) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		p := problems[c.Family]
		if p == nil {
			if p, err = coach.LoadProblem(filepath.Join(root, c.Family)); err != nil {
				return sum, err
			}
			problems[c.Family] = p
		}
		o, err := evaluate(ctx, c, filepath.Join(root, c.Path), p, opt)
		if errors.Is(err, errNotCached) {
			continue
		}
		if err != nil {
			return sum, err
		}
		sum.Outcomes = append(sum.Outcomes, o)
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// BundledCases lists every accepted submission of the problems under dir
// that its arena.yaml marks as meeting or beating the intended class.
func BundledCases(dir string) ([]Case, map[string]*coach.Problem, error) {
	arenas, err := filepath.Glob(filepath.Join(dir, "*", "arena.yaml"))
	if err != nil {
		return nil, nil, err
	}
	probs := map[string]*coach.Problem{}
	var out []Case
	for _, a := range arenas {
		pdir := filepath.Dir(a)
		p, err := coach.LoadProblem(pdir)
		if err != nil {
			return nil, nil, err
		}
		name := filepath.Base(pdir)
		probs[name] = p
		accepted, _ := filepath.Glob(filepath.Join(pdir, "submissions", "accepted", "*"))
		for _, path := range accepted {
			sub := "accepted/" + filepath.Base(path)
			lang := extLang[filepath.Ext(path)]
			if lang == "" {
				continue
			}
			c := Case{Path: filepath.Join(name, "submissions", sub), Family: name, Problem: name, Lang: lang,
				Want: p.Intended.Time.String(), WantSpace: p.Intended.Space.String()}
			switch {
			case slices.Contains(p.Faster, sub):
				c.Faster = true
				c.Note = "meant to beat the intended class"
			case slices.Contains(p.MeetsIntended, sub):
			default:
				continue // not marked: nothing to score it against
			}
			if s, ok := p.SpaceOf[sub]; ok {
				c.WantSpace = s.String()
			}
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, probs, nil
}

// RunBundled scores every marked accepted submission of the problems
// under dir.
func RunBundled(ctx context.Context, dir string, opt Options) (Summary, error) {
	start := time.Now()
	cases, probs, err := BundledCases(dir)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	for _, c := range cases {
		if opt.Smoke && len(sum.Outcomes) >= 6 || opt.Filter != "" && !strings.Contains(c.Path, opt.Filter) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		o, err := evaluate(ctx, c, filepath.Join(dir, c.Path), probs[c.Problem], opt)
		if errors.Is(err, errNotCached) {
			continue
		}
		if err != nil {
			return sum, err
		}
		sum.Outcomes = append(sum.Outcomes, o)
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// evaluate analyses one case the way a report is made and scores it.
func evaluate(ctx context.Context, c Case, path string, p *coach.Problem, opt Options) (Outcome, error) {
	o := Outcome{Case: c}
	src, err := os.ReadFile(path)
	if err != nil {
		return o, err
	}
	want, err := parseIn(c.Want, p)
	if err != nil {
		return o, fmt.Errorf("%s: label: %w", c.Path, err)
	}
	var st *static.Result
	if r, err := static.AnalyzeIn(c.Lang, src, p.Context); err != nil {
		o.Err = "static: " + err.Error()
	} else {
		st = &r
		o.Static = r.Time.String()
		o.StaticOK = bigo.Equal(r.Time, want)
	}
	var emp *coach.Empirical
	if !opt.Static && !p.Interactive {
		emp, err = measure(ctx, c, src, p, opt, func(d coach.Axis) bool { return coach.NeedsAxes(st, d, p.Context, p.Sizes) })
		if errors.Is(err, errNotCached) {
			return o, errNotCached
		}
		if err != nil {
			o.Err = strings.TrimSpace(o.Err + " measured: " + err.Error())
			emp = nil
		} else {
			o.CPU = emp.CPUUsed
		}
	}
	if emp != nil {
		m := coach.Decide(nil, emp, p.Context, p.Sizes)
		o.Measured = m.Time.String()
		o.MeasuredOK = m.Time.OK && bigo.Equal(m.Time.Expr, want)
	}
	d := coach.Decide(st, emp, p.Context, p.Sizes)
	o.Decided, o.Space, o.Confidence = d.Time.String(), d.Space.String(), d.Confidence
	o.DecidedOK = d.Time.OK && bigo.Equal(d.Time.Expr, want)
	if c.Faster && d.Time.OK && p.Intended.Time.OK {
		// a faster submission is right when the report says faster
		cmp, ok := bigo.Compare(d.Time.Expr, p.Intended.Time.Expr)
		o.DecidedOK = ok && cmp < 0
		if st != nil {
			cmp, ok := bigo.Compare(st.Time, p.Intended.Time.Expr)
			o.StaticOK = ok && cmp < 0
		}
	}
	if c.WantSpace != "" && c.WantSpace != "unknown" {
		ws, err := parseIn(c.WantSpace, p)
		if err == nil {
			o.SpaceScored = true
			o.SpaceOK = d.Space.OK && bigo.Equal(d.Space.Expr, ws)
		}
	}
	if opt.Out != nil {
		mark := "ok "
		if !o.DecidedOK {
			mark = "BAD"
		}
		fmt.Fprintf(opt.Out, "%s %-44s want %-20s static %-20s measured %-16s report %-20s (%.2f, %4.1fs cpu) space %-14s %s\n",
			mark, c.Path, c.Want, o.Static, o.Measured, o.Decided, o.Confidence, o.CPU, o.Space, o.Err)
		if opt.Verbose && emp != nil {
			for _, pt := range emp.Points {
				fmt.Fprintf(opt.Out, "    n=%-10d cpu=%.4fs mem=%dKiB runs=%d\n", pt.N, pt.CPU, pt.PeakMem>>10, pt.Runs)
			}
			for _, a := range emp.Axes {
				fmt.Fprintf(opt.Out, "    axis %s (%s): %v, %d points\n", a.Var, a.Fixed, a.Time, len(a.Points))
			}
			if d.Reason != "" {
				fmt.Fprintf(opt.Out, "    decision: %s\n", d.Reason)
			}
			for _, ch := range d.Checks {
				fmt.Fprintf(opt.Out, "    check %q static %v measured %v %s ratio %.2f\n", ch.Axis, ch.Static, ch.Measured, ch.Outcome, ch.Ratio)
			}
		}
	}
	return o, nil
}

var errNotCached = errors.New("not measured before")

// parseIn reads a class written in the problem's variables.
func parseIn(s string, p *coach.Problem) (bigo.Expr, error) {
	vars := p.Context.Variables()
	e, ok, err := bigo.ParseKnown(s, vars)
	if err != nil {
		return bigo.Expr{}, err
	}
	if !ok {
		return bigo.Expr{}, fmt.Errorf("no class in %q", s)
	}
	return p.Context.Normalize(e), nil
}

func measure(ctx context.Context, c Case, src []byte, p *coach.Problem, opt Options, needAxes func(coach.Axis) bool) (*coach.Empirical, error) {
	cacheDir := opt.CacheDir
	if cacheDir == "" {
		cacheDir = filepath.Join(os.TempDir(), "segfault-coach-cache")
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%v|%v|%s|", c.Lang, opt.Budget, opt.Target, strings.Join(p.Sizes, ","))
	sum := sha256.Sum256(append([]byte(key), src...))
	saved := filepath.Join(cacheDir, "results", hex.EncodeToString(sum[:12])+".json")
	if opt.Reuse {
		if b, err := os.ReadFile(saved); err == nil {
			var e coach.Empirical
			if json.Unmarshal(b, &e) == nil {
				e.Refit() // the points are the measurement; fits follow the current code
				return &e, nil
			}
		}
	}
	if opt.CachedOnly {
		return nil, errNotCached
	}
	r, err := coach.NewLocalRunner(ctx, c.Lang, src, cacheDir)
	if err != nil {
		return nil, err
	}
	mo := coach.MeasureOptions{Budget: opt.Budget, Target: opt.Target, Seed: 1, Sizes: p.Sizes, NeedAxes: needAxes}
	var e *coach.Empirical
	switch {
	case p.HasGenerator():
		e, err = coach.MeasureGenerated(ctx, r, coach.CachedGenerator(p.Generate, filepath.Join(cacheDir, "inputs", c.Family)), mo)
	case len(p.Tests()) > 0:
		mo.Sizes = nil
		e, err = coach.MeasureTests(ctx, r, p.Tests(), mo)
	default:
		err = fmt.Errorf("no generator and no tests")
	}
	if err != nil {
		return nil, err
	}
	if b, err := json.Marshal(e); err == nil && os.MkdirAll(filepath.Dir(saved), 0o755) == nil {
		os.WriteFile(saved, b, 0o644)
	}
	return e, nil
}
