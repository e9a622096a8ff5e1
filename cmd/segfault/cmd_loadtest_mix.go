package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem/verify"
	"github.com/segfaultarena/segfault/internal/sandbox"
)

// mixConfig sets up `segfault loadtest judge --mix`: judge slots in this
// process judging the bundled submissions, with the speed-ups on and off.
type mixConfig struct {
	ProblemsDir string
	Langs       []string // languages of the mix
	Slots       int
	Duration    time.Duration // in all; each configuration gets half
	Rounds      int           // the configurations take turns this many times each
	Pool        int           // warm boxes per language with the speed-ups on
	CacheMiB    int           // compile cache with the speed-ups on
	Runtime     string
	Out         io.Writer
}

type mixItem struct {
	name string
	p    *judge.Problem
	sub  judge.Submission
}

// mixSide is one configuration's figures.
type mixSide struct {
	Name     string
	Judged   int
	Verdicts map[judge.Verdict]int
	Elapsed  time.Duration
	Errors   int
}

// PerSlotMinute is submissions judged per minute per judge slot.
func (s *mixSide) PerSlotMinute(slots int) float64 {
	if s.Elapsed <= 0 || slots <= 0 {
		return 0
	}
	return float64(s.Judged) / s.Elapsed.Minutes() / float64(slots)
}

// loadMix reads the accepted and wrong-answer submissions of every problem
// under dir in the given languages (single-file ones).
func loadMix(ctx context.Context, dir string, langs *judge.Languages, want []string) ([]mixItem, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var items []mixItem
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		pdir := filepath.Join(dir, e.Name())
		var files []string
		for _, kind := range []string{"accepted", "wrong_answer"} {
			m, _ := filepath.Glob(filepath.Join(pdir, "submissions", kind, "*"))
			files = append(files, m...)
		}
		if len(files) == 0 {
			continue
		}
		p, _, err := verify.LoadJudgeProblem(pdir)
		if err != nil {
			continue // not a package this judge takes (the loadtest says how many it used)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil || len(src) == 0 {
				continue
			}
			spec, ok := langs.Detect(f, src)
			if !ok || !slices.Contains(want, spec.ID) {
				continue
			}
			if l, err := langs.Lookup(ctx, spec.ID); err != nil || l.Err != nil {
				continue
			}
			rel, _ := filepath.Rel(dir, f)
			items = append(items, mixItem{name: rel, p: p, sub: judge.Submission{Lang: spec.ID, Source: src}})
		}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("no submission in %s for %s", dir, strings.Join(want, ","))
	}
	rand.New(rand.NewPCG(7, 11)).Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	return items, nil
}

// runMix judges the mix with Slots slots on two judges, "on" (warm boxes
// and a compile cache) and "off" (a box started and every program
// compiled per submission), taking turns in slices of
// Duration/(2*Rounds); each slice judges the next submissions of the
// same cycle through the mix, so both see the same kinds of work. A
// slice stops taking submissions at its end and counts those in flight
// when they finish (its elapsed time includes them).
func runMix(ctx context.Context, c mixConfig) ([]*mixSide, error) {
	langs, err := judge.DefaultLanguages("")
	if err != nil {
		return nil, err
	}
	items, err := loadMix(ctx, c.ProblemsDir, langs, c.Langs)
	if err != nil {
		return nil, err
	}
	rt, err := sandbox.New(c.Runtime, sandbox.Options{})
	if err == nil {
		err = rt.Check(ctx)
	}
	if err != nil {
		return nil, err
	}
	quiet := slog.New(slog.DiscardHandler)
	off, _ := judge.New(rt, langs, quiet)
	on, _ := judge.New(rt, langs, quiet)
	if c.Pool > 0 {
		pool := on.StartPool(ctx, c.Pool, c.Langs...)
		defer pool.Close()
	}
	if c.CacheMiB > 0 {
		dir, err := os.MkdirTemp("", "segfault-mix-cache-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cc, err := judge.OpenCompileCache(dir, int64(c.CacheMiB)<<20, quiet)
		if err != nil {
			return nil, err
		}
		on.UseCompileCache(cc)
	}
	fmt.Fprintf(c.Out, "mix: %d submissions (accepted and wrong answers of %s under %s), %d slots, %s\n",
		len(items), strings.Join(c.Langs, ","), c.ProblemsDir, c.Slots, c.Runtime)
	sides := []*mixSide{{Name: fmt.Sprintf("on (pool %d, cache %d MiB)", c.Pool, c.CacheMiB), Verdicts: map[judge.Verdict]int{}},
		{Name: "off (no pool, no cache)", Verdicts: map[judge.Verdict]int{}}}
	judges := []*judge.Judge{on, off}
	slice := c.Duration / time.Duration(2*max(1, c.Rounds))
	var next [2]atomic.Int64 // each side's place in the cycle
	for round := range max(1, c.Rounds) {
		for i := range 2 {
			s, j := sides[i], judges[i]
			start := time.Now()
			deadline := start.Add(slice)
			var mu sync.Mutex
			var wg sync.WaitGroup
			for range c.Slots {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for time.Now().Before(deadline) && ctx.Err() == nil {
						it := items[int(next[i].Add(1)-1)%len(items)]
						res, err := j.Judge(ctx, it.p, it.sub, judge.Options{})
						mu.Lock()
						if err != nil || res.Verdict == judge.IE {
							s.Errors++
						} else {
							s.Judged++
							s.Verdicts[res.Verdict]++
						}
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			s.Elapsed += time.Since(start)
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			fmt.Fprintf(c.Out, "round %d, %s: %d judged so far, %.2f submissions/min per slot\n", round+1, s.Name, s.Judged, s.PerSlotMinute(c.Slots))
		}
	}
	return sides, nil
}

func printMix(w io.Writer, sides []*mixSide, slots int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "judge\tjudged\terrors\tverdicts\telapsed\tsubmissions/min per slot")
	for _, s := range sides {
		var vs []string
		for _, v := range slices.Sorted(maps.Keys(s.Verdicts)) {
			vs = append(vs, fmt.Sprintf("%s %d", v, s.Verdicts[v]))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%.2f\n", s.Name, s.Judged, s.Errors, strings.Join(vs, ", "), s.Elapsed.Round(time.Millisecond), s.PerSlotMinute(slots))
	}
	tw.Flush()
	if len(sides) == 2 && sides[1].PerSlotMinute(slots) > 0 {
		fmt.Fprintf(w, "on / off: %.2fx\n", sides[0].PerSlotMinute(slots)/sides[1].PerSlotMinute(slots))
	}
}
