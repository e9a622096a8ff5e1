package judge

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// StartupConfig sets up `segfault bench startup`.
type StartupConfig struct {
	Langs    []string  // default: every language found here
	Runs     int       // runs per language (default 20), after one warm-up run
	Progress io.Writer // nil = quiet
}

// StartupRow holds the samples of one language (or variant: "java (no AppCDS)").
type StartupRow struct {
	Lang      string
	Base      string // the language id of a variant ("" for the language itself)
	Wall, CPU []time.Duration
}

// StartupReport is the outcome of RunStartupBench.
type StartupReport struct {
	Config  StartupConfig
	Rows    []*StartupRow
	Skipped map[string]string
}

// RunStartupBench measures each language's start: its template (the
// starter code players get: read a number, print it) compiled once in a
// box, then run Runs times in that box on the input "5", timed from the
// host (wall, box.Run) and by the sandbox (CPU of every process of the
// run). A JVM language whose run step names a class-data archive is also
// run without it (withoutCDS), alternating run by run in the same box, so
// the two share the load of the machine: the row's ratio is the archive's
// effect.
func RunStartupBench(ctx context.Context, j *Judge, cfg StartupConfig) (*StartupReport, error) {
	if cfg.Runs <= 0 {
		cfg.Runs = 20
	}
	langs := j.Languages()
	if len(cfg.Langs) == 0 || len(cfg.Langs) == 1 && cfg.Langs[0] == "all" {
		cfg.Langs = nil
		for _, l := range langs.ResolveAll(ctx) {
			if l.Err == nil {
				cfg.Langs = append(cfg.Langs, l.ID)
			}
		}
	}
	if err := PreparedBuilt(ctx); err != nil { // measure with the archives and headers in place
		return nil, err
	}
	rep := &StartupReport{Config: cfg, Skipped: map[string]string{}}
	logf := func(format string, a ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, format+"\n", a...)
		}
	}
	for _, id := range cfg.Langs {
		rows, err := startupLang(ctx, j, id, cfg.Runs)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			rep.Skipped[id] = err.Error()
			logf("skip %s: %v", id, err)
			continue
		}
		rep.Rows = append(rep.Rows, rows...)
		logf("%s: %d runs", id, cfg.Runs)
	}
	return rep, nil
}

func startupLang(ctx context.Context, j *Judge, id string, runs int) ([]*StartupRow, error) {
	lang, err := j.Languages().Lookup(ctx, id)
	if err != nil {
		return nil, err
	}
	const memBytes = 256 << 20
	prog, ce, err := j.compileIn(ctx, lang, map[string][]byte{"": []byte(lang.Template)}, "", memBytes, "")
	if err != nil {
		return nil, err
	}
	if ce != "" {
		return nil, fmt.Errorf("template: compile error: %s", firstLine(ce))
	}
	defer prog.close(j.log)
	args := [][]string{prog.runArgs()}
	rows := []*StartupRow{{Lang: id}}
	if plain := withoutCDS(args[0]); len(plain) != len(args[0]) {
		args = append(args, plain)
		rows = append(rows, &StartupRow{Lang: id + " (no AppCDS)", Base: id})
	}
	p := &Problem{TimeLimit: 5 * time.Second, MemoryBytes: memBytes}
	lim := runLimits(p, lang)
	for i := 0; i <= runs; i++ {
		for k, a := range args {
			var out, errb bytes.Buffer
			start := time.Now()
			r, err := prog.box.Run(ctx, sandbox.Cmd{Args: a, Env: prog.env(), Dir: prog.dir,
				Stdin: strings.NewReader("5\n"), Stdout: &out, Stderr: &errb, Limits: lim})
			wall := time.Since(start)
			if err != nil {
				return nil, err
			}
			if r.Status != sandbox.StatusOK || r.ExitCode != 0 || strings.TrimSpace(out.String()) == "" {
				return nil, fmt.Errorf("template run: %v exit %d %s: %s", r.Status, r.ExitCode, r.Message, firstLine(errb.String()))
			}
			if i > 0 { // run 0 warms the page cache
				rows[k].Wall = append(rows[k].Wall, wall)
				rows[k].CPU = append(rows[k].CPU, r.CPUTime)
			}
		}
	}
	return rows, nil
}

// Row returns the row of a language or variant ("java (no AppCDS)").
func (r *StartupReport) Row(lang string) *StartupRow {
	for _, row := range r.Rows {
		if row.Lang == lang {
			return row
		}
	}
	return nil
}

// Print writes the figures as a table.
func (r *StartupReport) Print(w io.Writer) {
	fmt.Fprintf(w, "start-up per language: the template run %d times in one box (after a warm-up run), input \"5\"; wall from the host, CPU of the run's processes\n", r.Config.Runs)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "lang\twall p50\twall p90\tCPU p50\tCPU p90\twith CDS / without (CPU p50)\t")
	for _, row := range r.Rows {
		ratio := ""
		if row.Base == "" {
			if plain := r.Row(row.Lang + " (no AppCDS)"); plain != nil {
				ratio = fmt.Sprintf("%.2f×", float64(Percentile(row.CPU, 50))/float64(max(1, Percentile(plain.CPU, 50))))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", row.Lang, ms(Percentile(row.Wall, 50)), ms(Percentile(row.Wall, 90)),
			ms(Percentile(row.CPU, 50)), ms(Percentile(row.CPU, 90)), ratio)
	}
	tw.Flush()
	for id, why := range r.Skipped {
		fmt.Fprintf(w, "skipped %s: %s\n", id, firstLine(why))
	}
}
