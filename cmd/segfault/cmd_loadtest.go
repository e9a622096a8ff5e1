package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/loadtest"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

func init() {
	register(command{name: "loadtest", summary: "load tests: judge (queue and flooding), ws (broadcast to N sockets), matches (complete matches), arena (the arena alone on 1, 2, 4 nodes), verdict (submit → verdict and Run on an idle arena, per language)",
		run: func(ctx context.Context, args []string) int { return runLoadtest(ctx, args, os.Stdout, os.Stderr) }})
}

// runLoadtest is `segfault loadtest judge --url http://arena:8080`: honest
// players submit real solutions and wait for verdicts, then the same with
// one player flooding at --flood times their rate. Exit 1 when the honest
// p99 rose by more than --max-ratio. --embedded starts an all-in-one arena
// in this process (temporary data dir) and targets it.
func runLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if f, ok := loadtestSubcommands[args[0]]; ok {
			return f(ctx, args[1:])
		}
	}
	if len(args) == 0 || args[0] != "judge" {
		fmt.Fprintln(stderr, "usage: segfault loadtest judge|ws|matches|arena|verdict [flags]   (-h for the flags)")
		return 2
	}
	fs := flag.NewFlagSet("loadtest judge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c loadtest.Config
	fs.StringVar(&c.URL, "url", "", "arena base URL (required unless --embedded)")
	fs.IntVar(&c.Users, "users", 10, "honest simulated players")
	fs.DurationVar(&c.Duration, "duration", time.Minute, "length of each phase (baseline, then flood)")
	fs.DurationVar(&c.Interval, "interval", 20*time.Second, "mean time between one honest player's submissions")
	fs.Float64Var(&c.Flood, "flood", 100, "flooding player's rate as a multiple of an honest player's (0 = no flood phase)")
	fs.IntVar(&c.FloodUsers, "flood-users", 0, "flood with this many accounts (one shared address) submitting an infinite loop each, at --flood times an honest player's rate (0 = one account flooding the accepted solution)")
	floodSource := fs.String("flood-source", "", "--flood-users: the flooders' program (default: an infinite loop in --lang)")
	fs.IntVar(&c.Rounds, "rounds", 3, "alternate baseline and flood this many times (each slice duration/rounds)")
	fs.StringVar(&c.Problem, "problem", "two-divisors", "problem id")
	fs.StringVar(&c.Lang, "lang", "python", "language of the solution")
	solution := fs.String("solution", "", "solution file (default: the first accepted submission of the problem in --problems-dir for --lang)")
	problemsDir := fs.String("problems-dir", "problems", "problem packages (for --embedded and the default solution)")
	maxRatio := fs.Float64("max-ratio", 1.2, "fail when flooded honest p99 / baseline p99 exceeds this")
	embedded := fs.Bool("embedded", false, "start an all-in-one arena in this process and test it")
	workers := fs.Int("workers", runtime.NumCPU(), "--embedded: judge slots")
	sandboxRuntime := fs.String("sandbox-runtime", "runc", "--embedded, --mix: runc, runsc or bare")
	mix := fs.Bool("mix", false, "judge slots in this process judge the bundled accepted and wrong submissions (--mix-langs), with warm boxes and a compile cache on, then off, in turns: submissions/min per slot")
	mixLangs := fs.String("mix-langs", "cpp,python,c,java,go", "--mix: languages of the mix")
	pool := fs.Int("pool", 2, "--mix: warm boxes per language with the speed-ups on")
	cacheMiB := fs.Int("cache-mib", 256, "--mix: compile cache with the speed-ups on")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *mix {
		if c.URL != "" || *embedded {
			fmt.Fprintln(stderr, "segfault loadtest judge: --mix judges in this process: no --url or --embedded")
			return 2
		}
		sides, err := runMix(ctx, mixConfig{ProblemsDir: *problemsDir, Langs: strings.Split(*mixLangs, ","), Slots: max(1, *workers),
			Duration: c.Duration, Rounds: c.Rounds, Pool: *pool, CacheMiB: *cacheMiB, Runtime: *sandboxRuntime, Out: stdout})
		if err != nil {
			fmt.Fprintln(stderr, "segfault loadtest judge:", err)
			return 1
		}
		printMix(stdout, sides, max(1, *workers))
		return 0
	}
	if (c.URL == "") == !*embedded {
		fmt.Fprintln(stderr, "segfault loadtest judge: give exactly one of --url or --embedded (or --mix)")
		return 2
	}
	src, err := loadtestSource(*solution, *problemsDir, c.Problem, c.Lang)
	if err != nil {
		fmt.Fprintln(stderr, "segfault loadtest judge:", err)
		return 2
	}
	c.Source, c.Out = src, stdout
	if c.FloodUsers > 0 {
		if c.FloodSource, err = floodProgram(*floodSource, c.Lang); err != nil {
			fmt.Fprintln(stderr, "segfault loadtest judge:", err)
			return 2
		}
	}
	fmt.Fprintf(stdout, "machine load at start: %s\n", loadAvg())
	defer func() { fmt.Fprintf(stdout, "machine load at end: %s\n", loadAvg()) }()
	if *embedded {
		// The embedded arena trusts this host as a proxy, so each player's
		// made-up address counts in the per-address limits.
		c.ForwardedFor = true
		url, stop, err := startLoadtestArena(ctx, *problemsDir, *workers, *sandboxRuntime)
		if err != nil {
			fmt.Fprintln(stderr, "segfault loadtest judge: start embedded arena:", err)
			return 1
		}
		defer stop()
		c.URL = url
		fmt.Fprintf(stdout, "embedded arena at %s with %d judge slots (%s)\n", url, *workers, *sandboxRuntime)
	}
	rep, err := loadtest.Run(ctx, c)
	if err != nil {
		fmt.Fprintln(stderr, "segfault loadtest judge:", err)
		return 1
	}
	if rep.Flooded != nil && rep.Ratio > *maxRatio {
		fmt.Fprintf(stdout, "FAIL: honest p99 rose %.0f%% under the flood (limit %.0f%%)\n", (rep.Ratio-1)*100, (*maxRatio-1)*100)
		return 1
	}
	if rep.Flooded != nil {
		fmt.Fprintf(stdout, "PASS: honest p99 changed %+.0f%% under the flood (limit +%.0f%%)\n", (rep.Ratio-1)*100, (*maxRatio-1)*100)
	}
	return 0
}

// infiniteLoops are the --flood-users programs: each runs until the time
// limit.
var infiniteLoops = map[string]string{
	"python":     "while True:\n    pass\n",
	"cpp":        "int main() { volatile unsigned long n = 0; for (;;) n++; }\n",
	"c":          "int main(void) { volatile unsigned long n = 0; for (;;) n++; }\n",
	"go":         "package main\n\nfunc main() {\n\tn := 0\n\tfor {\n\t\tn++\n\t}\n}\n",
	"javascript": "for (;;) {}\n",
}

// floodProgram is file's content, or the infinite loop of lang.
func floodProgram(file, lang string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		return string(b), err
	}
	if src, ok := infiniteLoops[lang]; ok {
		return src, nil
	}
	return "", fmt.Errorf("no built-in infinite loop in %s; pass --flood-source", lang)
}

// loadAvg is /proc/loadavg's 1, 5 and 15 minute figures ("?" elsewhere).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func loadtestSource(file, problemsDir, problem, lang string) (string, error) {
	if file == "" {
		ext := map[string]string{"python": ".py", "cpp": ".cpp", "c": ".c", "go": ".go", "java": ".java", "rust": ".rs", "javascript": ".js"}[lang]
		matches, _ := filepath.Glob(filepath.Join(problemsDir, problem, "submissions", "accepted", "*"+ext))
		if ext == "" || len(matches) == 0 {
			return "", fmt.Errorf("no accepted %s solution of %s under %s; pass --solution", lang, problem, problemsDir)
		}
		file = matches[0]
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// startLoadtestArena is the serve shape on a temporary data dir, with
// the default limits (what the flood test is about).
func startLoadtestArena(ctx context.Context, problemsDir string, workers int, rt string) (string, func(), error) {
	return startLoadtestArenaWith(ctx, problemsDir, workers, rt, 0, 0)
}

// startLoadtestArenaWith is startLoadtestArena with a compile cache of
// cacheMiB and pool warm boxes per language on its worker (serve: 256, 0).
func startLoadtestArenaWith(ctx context.Context, problemsDir string, workers int, rt string, cacheMiB, pool int) (string, func(), error) {
	dir, err := os.MkdirTemp("", "segfault-loadtest-")
	if err != nil {
		return "", nil, err
	}
	cleanup := []func(){func() {
		if state, _, err := worker.SandboxDirs(dir); err == nil {
			os.RemoveAll(filepath.Dir(state))
		}
		os.RemoveAll(dir)
	}}
	stop := func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "arena.db"))
	if err == nil {
		err = st.Migrate(ctx)
	}
	if err != nil {
		stop()
		return "", nil, err
	}
	cleanup = append(cleanup, func() { st.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		stop()
		return "", nil, err
	}
	url := "http://" + ln.Addr().String()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	api, err := httpapi.New(httpapi.Options{Store: st, Logger: log, PublicURL: url,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
		Auth:           auth.Options{Password: auth.DefaultPasswordParams(), RegisterRate: auth.RateLimit{Burst: -1}}})
	if err != nil {
		ln.Close()
		stop()
		return "", nil, err
	}
	abs, _ := filepath.Abs(problemsDir)
	e, err := execution.StartEmbedded(ctx, execution.EmbeddedOptions{DataDir: dir, Store: st, Registry: api.Registry(),
		Catalog: &catalog.Dir{Root: abs}, Workers: workers, Runtime: rt, Logger: log,
		CompileCacheMiB: cacheMiB, PoolSize: pool})
	if err != nil {
		ln.Close()
		stop()
		return "", nil, err
	}
	api.MountJudge(e.Service)
	srv := api.HTTPServer(ln.Addr().String())
	go srv.Serve(ln)
	cleanup = append(cleanup, e.Close, func() { srv.Close() })
	// Wait until a worker is taking jobs so the baseline is not measured
	// against toolchain probing.
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if e.Worker == nil || e.Worker.Health() == nil {
			break
		}
	}
	return url, stop, nil
}
