package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/config"

	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/problem/verify"
	"github.com/segfaultarena/segfault/internal/sandbox"
	"github.com/segfaultarena/segfault/internal/store"
	storeopen "github.com/segfaultarena/segfault/internal/store/open"
)

func init() {
	register(command{
		name:    "problem",
		summary: "problem packages (Kattis format): verify, import, export, show",
		run:     runProblem,
	})
}

const problemUsage = `usage: segfault problem <verify|import|export|show> [flags] ARGS

  verify [--sandbox-runtime runc|runsc|bare] [--parallel N] [--bundled] [--json FILE] DIR...
        check each package (Kattis format: legacy, 2023-07-draft, 2025-09)
        like problemtools' verifyproblem, part by part (config, statement,
        validators, graders, generators, data, submissions): input
        validators (programs or checktestdata) on every input, every
        submission under submissions/ against its folder's verdict, the
        time limit chosen; submissions in languages this machine lacks are
        skipped with a warning. Exit status 1 on any error.
  import [--library DIR | --db DSN --data-dir DIR] [--verify=true] [--sandbox-runtime R] DIR|ZIP...
        check and verify a package (directory or zip), then store it as a
        new version in the problem library, or with --db/--data-dir in the
        server's database (unchanged content = no new version; older
        versions stay for the matches played on them).
  export [--library DIR | --db DSN --data-dir DIR] [--version N] ID|DIR OUT
        write a stored problem (or a package directory) to OUT: a zip when
        OUT ends in .zip, else a new directory.
  show [--statement] [--bundled] DIR
        print what was read from a package (metadata, tests, statement).
`

func runProblem(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, problemUsage)
		return 2
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "verify":
		return problemVerify(ctx, rest, os.Stdout, os.Stderr)
	case "import":
		return problemImport(ctx, rest, os.Stdout, os.Stderr)
	case "export":
		return problemExport(ctx, rest, os.Stdout, os.Stderr)
	case "show":
		return problemShow(rest, os.Stdout, os.Stderr)
	case "help", "-h", "--help":
		fmt.Fprint(os.Stdout, problemUsage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "segfault problem: unknown subcommand %q\n\n%s", sub, problemUsage)
	return 2
}

// printLoadError shows every error and warning of a package that did not load.
func printLoadError(w io.Writer, err error) {
	var le *problem.LoadError
	if errors.As(err, &le) {
		fmt.Fprintf(w, "%s: %d error(s)\n", le.Dir, len(le.Issues))
		for _, is := range le.Issues {
			fmt.Fprintf(w, "  error [%s] %s\n", is.Code, is)
		}
		for _, is := range le.Warnings {
			fmt.Fprintf(w, "  warning [%s] %s\n", is.Code, is)
		}
		return
	}
	fmt.Fprintf(w, "error: %v\n", err)
}

func problemVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("problem verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	parallel := fs.Int("parallel", 1, "submissions judged at once (the time limit is always measured one at a time)")
	var cfg config.Config
	if err := config.Bind(fs, &cfg, os.Getenv, "sandbox-runtime", "time-multipliers"); err != nil {
		fmt.Fprintln(stderr, "segfault problem verify:", err)
		return 2
	}
	measure := fs.Duration("measure-limit", 10*time.Second, "time limit for accepted submissions while deriving the time limit")
	quiet := fs.Bool("q", false, "print only the tables, not progress")
	jsonOut := fs.String("json", "", "also write the reports as JSON to this file")
	bundled := fs.Bool("bundled", false, "also enforce the bundled set's rules (arena.yaml, ≥2 samples, ≥15 tests, generator, 3 accepted languages, ...)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: segfault problem verify [flags] DIR...")
		return 2
	}
	mult, err := problem.ParseLanguageMultipliers(cfg.TimeMultipliers)
	if err != nil {
		fmt.Fprintln(stderr, "segfault problem verify:", err)
		return 2
	}
	j, err := newJudge(ctx, cfg.SandboxRuntime)
	if err != nil {
		fmt.Fprintln(stderr, "segfault problem verify:", err)
		return 1
	}
	failed := 0
	start := time.Now()
	checked := 0
	var reports []*verify.Report
	for _, dir := range fs.Args() {
		if !looksLikePackage(dir) {
			// problems/* also matches helper directories (tools/).
			fmt.Fprintf(stdout, "== %s: skipped, not a problem package (no problem.yaml, data/ or statement)\n\n", dir)
			continue
		}
		checked++
		pkg, err := problem.Load(dir)
		if err != nil {
			fmt.Fprintf(stdout, "== %s: FAILED (package does not load)\n", dir)
			printLoadError(stdout, err)
			failed++
			continue
		}
		opt := verify.Options{Parallel: *parallel, LanguageMultipliers: mult, MeasureLimit: *measure}
		if !*quiet {
			opt.Progress = func(line string) { fmt.Fprintf(stderr, "  %s: %s\n", pkg.ShortName, line) }
		}
		rep := verify.Verify(ctx, pkg, j, opt)
		if *bundled {
			for _, msg := range problem.CheckBundled(pkg) {
				rep.AddError("config", "bundled set rule: %s", msg)
			}
		}
		rep.WriteText(stdout)
		fmt.Fprintln(stdout)
		reports = append(reports, rep)
		if !rep.OK() {
			failed++
		}
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "segfault problem verify: interrupted")
			return 1
		}
	}
	if *jsonOut != "" {
		data, _ := json.MarshalIndent(reports, "", "  ")
		if err := os.WriteFile(*jsonOut, append(data, '\n'), 0o644); err != nil {
			fmt.Fprintln(stderr, "segfault problem verify:", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "%d package(s) verified, %d failed, in %v\n", checked, failed, time.Since(start).Round(time.Millisecond))
	if checked == 0 {
		fmt.Fprintln(stderr, "segfault problem verify: no problem package among the arguments")
		return 1
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// looksLikePackage tells a problem package (even a broken one, which must
// fail loudly) from an unrelated directory.
func looksLikePackage(dir string) bool {
	for _, name := range []string{"problem.yaml", "data", "problem_statement", "statement"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// defaultLibrary is where imported packages live: beside the database and
// the NATS store under the data dir.
func defaultLibrary() string {
	data := os.Getenv("SEGFAULT_DATA_DIR")
	if data == "" {
		data = "./data"
	}
	return filepath.Join(data, "problems")
}

// storeFlags adds --db and --data-dir, the server's own settings (same
// environment variables), to import and export.
func storeFlags(fs *flag.FlagSet) (db, dataDir *string) {
	db = fs.String("db", "", "import into / export from the server's database instead of --library: a PostgreSQL URL or SQLite path (env SEGFAULT_DB; default <data-dir>/segfault.db)")
	dataDir = fs.String("data-dir", "", "the server's data directory (env SEGFAULT_DATA_DIR; default ./data); with --db or alone, selects the database store")
	return db, dataDir
}

// problemCatalog is the directory library, or the server's database when
// --db or --data-dir is given (what a running server reads, so an import
// is visible there at once). The returned func closes the store.
func problemCatalog(ctx context.Context, fs *flag.FlagSet, lib, db, dataDir string) (problem.Catalog, func(), error) {
	useStore := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "db" || f.Name == "data-dir" {
			useStore = true
		}
	})
	if !useStore {
		return &problem.Library{Root: lib}, func() {}, nil
	}
	if db == "" {
		db = os.Getenv("SEGFAULT_DB")
	}
	if dataDir == "" {
		dataDir = os.Getenv("SEGFAULT_DATA_DIR")
	}
	if dataDir == "" {
		dataDir = "./data"
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("data-dir: %w", err)
	}
	st, err := storeopen.Open(ctx, db, dataDir)
	if err != nil {
		return nil, nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	ps, ok := st.(store.Problems)
	if !ok {
		st.Close()
		return nil, nil, fmt.Errorf("store %T cannot hold problems", st)
	}
	return catalog.New(ps, dataDir, nil), func() { st.Close() }, nil
}

// newJudge opens the sandbox runtime and the judge for verify and import.
func newJudge(ctx context.Context, runtimeName string) (*judge.Judge, error) {
	rt, err := sandbox.New(runtimeName, sandbox.Options{})
	if err != nil {
		return nil, err
	}
	if err := rt.Check(ctx); err != nil {
		return nil, fmt.Errorf("runtime %s is not usable here: %w", runtimeName, err)
	}
	return judge.New(rt, nil, nil)
}

func problemImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("problem import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lib := fs.String("library", defaultLibrary(), "problem library directory (versions are kept)")
	check := fs.Bool("verify", true, "verify the package (validators, submissions) before storing it; the derived time limit is recorded")
	parallel := fs.Int("parallel", 1, "submissions judged at once during verification")
	var cfg config.Config
	if err := config.Bind(fs, &cfg, os.Getenv, "sandbox-runtime", "time-multipliers"); err != nil {
		fmt.Fprintln(stderr, "segfault problem import:", err)
		return 2
	}
	db, dataDir := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: segfault problem import [--library DIR | --db DSN --data-dir DIR] [--verify=false] DIR|ZIP...")
		return 2
	}
	cat, closeCat, err := problemCatalog(ctx, fs, *lib, *db, *dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "segfault problem import:", err)
		return 1
	}
	defer closeCat()
	opt := problem.ImportOptions{}
	if *check {
		mult, err := problem.ParseLanguageMultipliers(cfg.TimeMultipliers)
		if err != nil {
			fmt.Fprintln(stderr, "segfault problem import:", err)
			return 2
		}
		j, err := newJudge(ctx, cfg.SandboxRuntime)
		if err != nil {
			fmt.Fprintln(stderr, "segfault problem import:", err)
			return 1
		}
		opt.Check = verify.ImportCheck(j, verify.Options{Parallel: *parallel, LanguageMultipliers: mult}, stdout)
	}
	status := 0
	for _, src := range fs.Args() {
		res, err := problem.Import(ctx, cat, src, opt)
		if err != nil {
			fmt.Fprintf(stdout, "%s: NOT imported\n", src)
			printLoadError(stdout, err)
			status = 1
			continue
		}
		v := res.Version
		what := "imported as"
		if !res.Created {
			what = "unchanged, already"
		}
		tl := "time limit unknown (import with --verify to derive it)"
		if v.TimeLimit > 0 {
			tl = fmt.Sprintf("time limit %v", v.TimeLimit)
		}
		fmt.Fprintf(stdout, "%s: %s %s version %d (sha256 %s, %s)\n", src, what, v.ProblemID, v.Number, v.SHA256[:12], tl)
		if !*check {
			for _, w := range res.Package.Warnings {
				fmt.Fprintf(stdout, "  warning [%s] %s\n", w.Code, w)
			}
		}
	}
	return status
}

func problemExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("problem export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lib := fs.String("library", defaultLibrary(), "problem library directory")
	version := fs.Int("version", 0, "version to export (0 = newest)")
	db, dataDir := storeFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "usage: segfault problem export [--library DIR | --db DSN --data-dir DIR] [--version N] ID|DIR OUT")
		return 2
	}
	src, dest := fs.Arg(0), fs.Arg(1)
	// A package directory exports directly (after a check), so authors can
	// zip a package for Kattis or DOMjudge without importing it.
	if fi, err := os.Stat(filepath.Join(src, "problem.yaml")); err == nil && !fi.IsDir() {
		pkg, err := problem.Load(src)
		if err != nil {
			printLoadError(stdout, err)
			return 1
		}
		if err := problem.ExportDir(pkg.Dir, pkg.ShortName, dest); err != nil {
			fmt.Fprintln(stderr, "segfault problem export:", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s → %s\n", src, dest)
		return 0
	}
	cat, closeCat, err := problemCatalog(ctx, fs, *lib, *db, *dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "segfault problem export:", err)
		return 1
	}
	defer closeCat()
	v, err := problem.Export(ctx, cat, strings.ToLower(src), *version, dest)
	if err != nil {
		fmt.Fprintln(stderr, "segfault problem export:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s version %d → %s\n", v.ProblemID, v.Number, dest)
	return 0
}

func problemShow(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("problem show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	statement := fs.Bool("statement", false, "print the statement (Markdown, as the browser gets it)")
	lang := fs.String("lang", "en", "statement language")
	bundled := fs.Bool("bundled", false, "check the bundled set's rules too (exit 1 if broken)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: segfault problem show [--statement] DIR")
		return 2
	}
	p, err := problem.Load(fs.Arg(0))
	if err != nil {
		printLoadError(stdout, err)
		return 1
	}
	m := p.Meta
	fmt.Fprintf(stdout, "id:          %s (%s)\n", p.ShortName, p.Format)
	fmt.Fprintf(stdout, "name:        %s\n", m.Name(*lang))
	fmt.Fprintf(stdout, "type:        %s (validation: %s)\n", strings.Join(m.Types, ", "), m.Validation)
	if len(m.Credits.Authors) > 0 {
		fmt.Fprintf(stdout, "authors:     %s\n", strings.Join(m.Credits.Authors, ", "))
	}
	if m.Source != "" || m.License != "" {
		fmt.Fprintf(stdout, "source:      %s  license: %s\n", m.Source, m.License)
	}
	tl := "derived by verify"
	if p.TimeLimit > 0 {
		tl = fmt.Sprintf("%v (%s)", p.TimeLimit, p.TimeLimitFrom)
	}
	fmt.Fprintf(stdout, "time limit:  %s\n", tl)
	fmt.Fprintf(stdout, "limits:      %s\n", m.Limits)
	if p.Arena.Difficulty > 0 || len(p.Arena.Tags) > 0 {
		fmt.Fprintf(stdout, "arena:       difficulty %d, tags %s, intended %s time / %s space\n",
			p.Arena.Difficulty, strings.Join(p.Arena.Tags, ", "), p.Arena.Complexity.Time, p.Arena.Complexity.Space)
	}
	fmt.Fprintf(stdout, "tests:       %d sample, %d secret", len(p.Sample.AllCases()), len(p.Secret.AllCases()))
	if n := len(p.Sample.Transcripts); n > 0 {
		fmt.Fprintf(stdout, ", %d sample transcript(s) shown only", n)
	}
	if n := len(p.InvalidInputs); n > 0 {
		fmt.Fprintf(stdout, ", %d invalid input(s)", n)
	}
	fmt.Fprintln(stdout)
	for _, v := range p.InputValidators {
		fmt.Fprintf(stdout, "input validator:  %s (%s)\n", v.Name, v.Language)
	}
	if p.OutputValidator != nil {
		fmt.Fprintf(stdout, "output validator: %s (%s)\n", p.OutputValidator.Name, p.OutputValidator.Language)
	}
	for _, s := range p.Submissions {
		fmt.Fprintf(stdout, "submission:  %-50s %-10s expects %s\n", s.Name, s.Language, strings.Join(s.Expect.Verdicts, "|"))
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(stdout, "warning [%s] %s\n", w.Code, w)
	}
	status := 0
	if *bundled {
		for _, msg := range problem.CheckBundled(p) {
			fmt.Fprintf(stdout, "bundled set rule: %s\n", msg)
			status = 1
		}
	}
	if *statement {
		st := p.Statement(*lang)
		if st != nil {
			fmt.Fprintf(stdout, "\n--- %s (%s)\n%s\n", st.Path, st.Format, st.Markdown)
		}
	}
	return status
}
