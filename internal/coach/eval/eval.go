// Package eval holds the labelled evaluation set of the complexity coach
// (testdata/: three task families with an input generator each and solutions in
// seven languages with their true time class) and runs it: static analysis
// alone, measurement alone, and the combination, each scored by exact class.
package eval

import (
	"bufio"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
	Path   string // relative to the set root: family/solutions/name.ext
	Family string
	Lang   string
	Want   bigo.Class
	Smoke  bool
	Note   string
}

var extLang = map[string]string{".py": "python", ".c": "c", ".cpp": "cpp", ".go": "go", ".js": "javascript", ".java": "java", ".rs": "rust"}

// Cases reads the labels.
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
		want, err := bigo.Parse(cols[1])
		if err != nil {
			return nil, fmt.Errorf("labels.tsv: %s: %w", cols[0], err)
		}
		lang := extLang[filepath.Ext(cols[0])]
		if lang == "" {
			return nil, fmt.Errorf("labels.tsv: %s: unknown language", cols[0])
		}
		c := Case{Path: cols[0], Family: strings.SplitN(cols[0], "/", 2)[0], Lang: lang, Want: want, Smoke: cols[2] == "smoke"}
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
	Target   time.Duration // largest run per solution (default 0.8 s)
	CacheDir string        // build cache (default: a dir under os.TempDir)
	Static   bool          // static analysis only (no builds, no runs)
	Out      io.Writer     // per-case lines; nil = quiet
	Verbose  bool          // also print the measured points
	// Reuse takes a case's measurement from the cache when the same source
	// was measured before with the same budget, so changes to the static
	// side or the combiner can be re-scored without re-timing everything.
	Reuse bool
}

// Outcome is the result of one case.
type Outcome struct {
	Case
	Static     bigo.Class
	Empirical  bigo.Class
	Confidence float64
	Combined   bigo.Class
	Err        string
	CPU        float64
}

// Summary counts exact-class hits.
type Summary struct {
	Outcomes                      []Outcome
	Total                         int
	StaticOK, EmpiricalOK, BothOK int
	Elapsed                       time.Duration
}

func pct(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(k) / float64(n)
}

// Print writes the accuracy table.
func (s Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "cases: %d   elapsed: %s\n", s.Total, s.Elapsed.Round(time.Second))
	fmt.Fprintf(w, "static alone:    %3d/%d = %5.1f%%\n", s.StaticOK, s.Total, pct(s.StaticOK, s.Total))
	fmt.Fprintf(w, "empirical alone: %3d/%d = %5.1f%%\n", s.EmpiricalOK, s.Total, pct(s.EmpiricalOK, s.Total))
	fmt.Fprintf(w, "combined:        %3d/%d = %5.1f%%\n", s.BothOK, s.Total, pct(s.BothOK, s.Total))
}

// Accuracy returns static, empirical and combined accuracy in percent.
func (s Summary) Accuracy() (float64, float64, float64) {
	return pct(s.StaticOK, s.Total), pct(s.EmpiricalOK, s.Total), pct(s.BothOK, s.Total)
}

// Run evaluates the selected cases one after another (timing needs the
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
	if opt.CacheDir == "" {
		opt.CacheDir = filepath.Join(os.TempDir(), "segfault-coach-cache")
	}
	if err := os.MkdirAll(opt.CacheDir, 0o755); err != nil {
		return Summary{}, err
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
		o := Outcome{Case: c}
		src, err := os.ReadFile(filepath.Join(root, c.Path))
		if err != nil {
			return sum, err
		}
		if st, err := static.Analyze(c.Lang, src); err != nil {
			o.Err = "static: " + err.Error()
		} else {
			o.Static = st.Time
		}
		var emp *coach.Empirical
		if !opt.Static {
			p := problems[c.Family]
			if p == nil {
				if p, err = coach.LoadProblem(filepath.Join(root, c.Family)); err != nil {
					return sum, err
				}
				problems[c.Family] = p
			}
			emp, err = measure(ctx, c, src, p, opt)
			if err != nil {
				o.Err = strings.TrimSpace(o.Err + " empirical: " + err.Error())
			} else {
				o.Empirical, o.Confidence, o.CPU = emp.Time, emp.TimeConfidence, emp.CPUUsed
			}
		}
		o.Combined, _ = coach.Combine(o.Static, emp)
		sum.Total++
		if o.Static == c.Want {
			sum.StaticOK++
		}
		if o.Empirical == c.Want {
			sum.EmpiricalOK++
		}
		if o.Combined == c.Want {
			sum.BothOK++
		}
		sum.Outcomes = append(sum.Outcomes, o)
		if opt.Out != nil {
			mark := "ok "
			if o.Combined != c.Want {
				mark = "BAD"
			}
			fmt.Fprintf(opt.Out, "%s %-34s want %-10v static %-10v empirical %-10v (conf %.2f, %4.1fs cpu) combined %-10v %s\n",
				mark, c.Path, c.Want, o.Static, o.Empirical, o.Confidence, o.CPU, o.Combined, o.Err)
			if opt.Verbose && emp != nil {
				for _, p := range emp.Points {
					fmt.Fprintf(opt.Out, "    n=%-10d cpu=%.4fs mem=%dKiB runs=%d\n", p.N, p.CPU, p.PeakMem>>10, p.Runs)
				}
				if emp.Note != "" {
					fmt.Fprintf(opt.Out, "    note: %s\n", emp.Note)
				}
			}
		}
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

func measure(ctx context.Context, c Case, src []byte, p *coach.Problem, opt Options) (*coach.Empirical, error) {
	sum := sha256.Sum256(append([]byte(fmt.Sprintf("%s|%v|%v|", c.Lang, opt.Budget, opt.Target)), src...))
	saved := filepath.Join(opt.CacheDir, "results", hex.EncodeToString(sum[:12])+".json")
	if opt.Reuse {
		if b, err := os.ReadFile(saved); err == nil {
			var e coach.Empirical
			if json.Unmarshal(b, &e) == nil {
				e.Refit() // the points are the measurement; fits follow the current code
				return &e, nil
			}
		}
	}
	r, err := coach.NewLocalRunner(ctx, c.Lang, src, opt.CacheDir)
	if err != nil {
		return nil, err
	}
	mo := coach.MeasureOptions{Budget: opt.Budget, Target: opt.Target, Seed: 1}
	e, err := coach.MeasureGenerated(ctx, r, cachedGen(p, c.Family, opt.CacheDir), mo)
	if err != nil {
		return nil, err
	}
	if b, err := json.Marshal(e); err == nil && os.MkdirAll(filepath.Dir(saved), 0o755) == nil {
		os.WriteFile(saved, b, 0o644)
	}
	return e, nil
}

// cachedGen keeps generated inputs on disk: every solution of a family asks
// for the same sizes, and generating millions of numbers costs more than
// running most solutions on them.
func cachedGen(p *coach.Problem, family, dir string) func(context.Context, int, int) ([]byte, error) {
	return func(ctx context.Context, n, seed int) ([]byte, error) {
		path := filepath.Join(dir, "inputs", fmt.Sprintf("%s-%d-%d.in", family, n, seed))
		if b, err := os.ReadFile(path); err == nil {
			return b, nil
		}
		b, err := p.Generate(ctx, n, seed)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			tmp := path + ".tmp"
			if os.WriteFile(tmp, b, 0o644) == nil {
				os.Rename(tmp, path)
			}
		}
		return b, nil
	}
}
