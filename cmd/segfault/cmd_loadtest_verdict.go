package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/execution/loadtest"
	"github.com/segfaultarena/segfault/internal/protocol"
)

func init() {
	loadtestSubcommands["verdict"] = func(ctx context.Context, args []string) int {
		return runLoadtestVerdict(ctx, args, os.Stdout, os.Stderr)
	}
}

// verdictConfig is `segfault loadtest verdict`.
type verdictConfig struct {
	URL       string
	Problem   string
	Langs     []string
	N         int           // submissions and runs per language, after one warm-up each
	Poll      time.Duration // how often a submission is looked at until done
	Sources   map[string]string
	Out       io.Writer
	Username  string // prefix of the players' names
	Forwarded string // X-Forwarded-For of the requests ("" = none)
}

// verdictLang holds one language's figures.
type verdictLang struct {
	Lang              string
	Submit, Run       []time.Duration
	WarmSubmit        time.Duration // the first of each, not in the percentiles
	WarmRun           time.Duration
	Tests             int
	Verdicts, RunCase []string // anything but AC / all samples AC, in order
}

// runLoadtestVerdict is `segfault loadtest verdict`: players on an idle
// arena (--url, or an embedded one shaped as `make run`: serve's compile
// cache on, no warm boxes) submits an accepted solution of --problem in
// each language N times in a row, each time with a new comment line so
// the compile cache cannot serve it (a compile is part of every C++
// figure), and runs it on the samples N times: submit → verdict and
// Run → reply p50/p90 per language. Each request waits until the judge is
// idle (no job queued or running: the coach's analysis of the previous
// Accepted included), so every figure is an idle arena's. The verdict is polled every --poll
// (REST; the web gets it pushed, so the figure is at most --poll high).
func runLoadtestVerdict(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest verdict", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "", "arena base URL (default: an embedded arena in this process, as make run)")
	problem := fs.String("problem", "range-sums", "problem id (18 tests, 2 samples)")
	langs := fs.String("langs", "python,cpp", "languages (each needs an accepted solution in --problems-dir)")
	n := fs.Int("n", 10, "submissions and runs per language, after one warm-up each")
	poll := fs.Duration("poll", 10*time.Millisecond, "how often a submission is looked at until its verdict")
	problemsDir := fs.String("problems-dir", "problems", "problem packages")
	workers := fs.Int("workers", 2, "embedded: judge slots")
	cacheMiB := fs.Int("compile-cache-mib", 256, "embedded: compile cache (serve's default 256; 0 = off)")
	pool := fs.Int("pool", 0, "embedded: warm boxes per language (serve's default 0)")
	rt := fs.String("sandbox-runtime", "runc", "embedded: runc, runsc or bare")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	c := verdictConfig{URL: *url, Problem: *problem, N: max(1, *n), Poll: *poll, Out: stdout, Sources: map[string]string{},
		Username: fmt.Sprintf("verdict%d", time.Now().UnixNano()%1_000_000_000)}
	for _, l := range strings.Split(*langs, ",") {
		src, err := loadtestSource("", *problemsDir, c.Problem, l)
		if err != nil {
			fmt.Fprintln(stderr, "segfault loadtest verdict:", err)
			return 2
		}
		c.Langs = append(c.Langs, l)
		c.Sources[l] = src
	}
	fmt.Fprintf(stdout, "machine load at start: %s\n", loadAvg())
	defer func() { fmt.Fprintf(stdout, "machine load at end: %s\n", loadAvg()) }()
	if c.URL == "" {
		u, stop, err := startLoadtestArenaWith(ctx, *problemsDir, *workers, *rt, *cacheMiB, *pool)
		if err != nil {
			fmt.Fprintln(stderr, "segfault loadtest verdict: start embedded arena:", err)
			return 1
		}
		defer stop()
		c.URL, c.Forwarded = u, "198.51.100.1"
		fmt.Fprintf(stdout, "embedded arena at %s: %d judge slots (%s), compile cache %d MiB, %d warm boxes per language\n", u, *workers, *rt, *cacheMiB, *pool)
	}
	res, err := measureVerdicts(ctx, c)
	if res != nil {
		printVerdicts(stdout, c, res)
	}
	if err != nil {
		fmt.Fprintln(stderr, "segfault loadtest verdict:", err)
		return 1
	}
	return 0
}

// measureVerdicts signs a player up and measures each language in turn.
// An error is a failure to talk to the arena or a wrong verdict.
func measureVerdicts(ctx context.Context, c verdictConfig) ([]*verdictLang, error) {
	var out []*verdictLang
	var bad []string
	for _, lang := range c.Langs {
		vl := &verdictLang{Lang: lang}
		out = append(out, vl)
		comment := map[string]string{"python": "#", "pypy": "#", "ruby": "#", "perl": "#", "bash": "#", "r": "#"}[lang]
		if comment == "" {
			comment = "//"
		}
		for i := 0; i <= c.N; i++ {
			// A fresh player each time (signed up outside the timings): one
			// player's practice limits (5 submissions, then one per 15 s; its
			// judge-time share) would otherwise queue it behind its own past.
			pc := c
			pc.Username = fmt.Sprintf("%s%s%d", c.Username, lang, i)
			if c.Forwarded != "" {
				pc.Forwarded = fmt.Sprintf("198.51.%d.%d", 100+len(out), 1+i%250)
			}
			p, err := verdictPlayer(ctx, pc)
			if err != nil {
				return out, err
			}
			code := fmt.Sprintf("%s\n%s loadtest verdict %s %d\n", strings.TrimRight(c.Sources[lang], "\n"), comment, c.Username, i)
			if err := p.waitIdle(ctx); err != nil {
				return out, err
			}
			d, v, tests, err := p.submitAndWait(ctx, c, lang, code)
			if err != nil {
				return out, fmt.Errorf("%s submission %d: %w", lang, i, err)
			}
			if v != "AC" {
				vl.Verdicts = append(vl.Verdicts, v)
				bad = append(bad, lang+" submission "+v)
			}
			vl.Tests = tests
			if i == 0 {
				vl.WarmSubmit = d
			} else {
				vl.Submit = append(vl.Submit, d)
			}
			// Another new source: the run compiles too (in the web, Run
			// usually comes first and Submit then finds the program compiled).
			code = fmt.Sprintf("%s\n%s loadtest verdict run %s %d\n", strings.TrimRight(c.Sources[lang], "\n"), comment, c.Username, i)
			if err := p.waitIdle(ctx); err != nil {
				return out, err
			}
			d, cases, err := p.runSamples(ctx, c, lang, code)
			if err != nil {
				return out, fmt.Errorf("%s run %d: %w", lang, i, err)
			}
			if cases != "" {
				vl.RunCase = append(vl.RunCase, cases)
				bad = append(bad, lang+" run "+cases)
			}
			if i == 0 {
				vl.WarmRun = d
			} else {
				vl.Run = append(vl.Run, d)
			}
		}
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("wrong results for accepted solutions: %s", strings.Join(bad, ", "))
	}
	return out, nil
}

func printVerdicts(w io.Writer, c verdictConfig, res []*verdictLang) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }
	fmt.Fprintf(w, "%s: one request at a time, each pair of submission and run from a new player; %d submissions and %d sample runs per language after a warm-up of each (each a new source: every submission and run compiles)\n", c.Problem, c.N, c.N)
	for _, r := range res {
		fmt.Fprintf(w, "%-10s submit → verdict (%d tests) p50 %s p90 %s (warm-up %s)   Run on samples p50 %s p90 %s (warm-up %s)\n", r.Lang, r.Tests,
			ms(percentile(r.Submit, 0.5)), ms(percentile(r.Submit, 0.9)), ms(r.WarmSubmit),
			ms(percentile(r.Run, 0.5)), ms(percentile(r.Run, 0.9)), ms(r.WarmRun))
	}
}

// verdictClient is one signed-up player of the verdict load test.
type verdictClient struct{ *loadtest.Client }

// do is Client.Do without the headers.
func (p verdictClient) do(ctx context.Context, method, path string, body any) (int, []byte, error) {
	status, b, _, err := p.Do(ctx, method, path, body)
	return status, b, err
}

// verdictPlayer signs up a player as the web client does (the challenge
// solved) and keeps its session cookie.
func verdictPlayer(ctx context.Context, c verdictConfig) (verdictClient, error) {
	cl, err := loadtest.SignUp(ctx, c.URL, c.Username, "loadtest-verdict-password", c.Forwarded, 2*time.Minute)
	return verdictClient{cl}, err
}

// submitAndWait submits code and polls until its verdict: the time from
// sending the submission to reading the verdict.
func (p verdictClient) submitAndWait(ctx context.Context, c verdictConfig, lang, code string) (time.Duration, string, int, error) {
	start := time.Now()
	status, body, err := p.do(ctx, "POST", "/api/v1/submissions", protocol.SubmissionRequest{Problem: c.Problem, Lang: lang, Code: code})
	if err != nil {
		return 0, "", 0, err
	}
	if status != http.StatusAccepted {
		return 0, "", 0, fmt.Errorf("submit: %d %s", status, body)
	}
	var s protocol.Submission
	if err := json.Unmarshal(body, &s); err != nil {
		return 0, "", 0, err
	}
	for {
		if s.Status == "done" && s.Result != nil {
			return time.Since(start), string(s.Result.Verdict), s.Result.Total, nil
		}
		select {
		case <-ctx.Done():
			return 0, "", 0, ctx.Err()
		case <-time.After(c.Poll):
		}
		status, body, err := p.do(ctx, "GET", "/api/v1/submissions/"+s.ID, nil)
		if err != nil {
			return 0, "", 0, err
		}
		if status != http.StatusOK {
			return 0, "", 0, fmt.Errorf("submission %s: %d %s", s.ID, status, body)
		}
		s = protocol.Submission{}
		if err := json.Unmarshal(body, &s); err != nil {
			return 0, "", 0, err
		}
	}
}

// runSamples runs code on the problem's samples: the reply's time, and
// "" when every sample passed (else what went wrong).
func (p verdictClient) runSamples(ctx context.Context, c verdictConfig, lang, code string) (time.Duration, string, error) {
	start := time.Now()
	status, body, err := p.do(ctx, "POST", "/api/v1/runs", protocol.RunRequest{Problem: c.Problem, Lang: lang, Code: code})
	d := time.Since(start)
	if err != nil {
		return 0, "", err
	}
	if status != http.StatusOK {
		return 0, "", fmt.Errorf("run: %d %s", status, body)
	}
	var r protocol.RunResult
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, "", err
	}
	if r.CompileError != nil {
		return d, "CE", nil
	}
	var bad []string
	for _, rc := range r.Results {
		if rc.Verdict != "AC" {
			bad = append(bad, fmt.Sprintf("sample %d %s", rc.Sample, rc.Verdict))
		}
	}
	if len(r.Results) == 0 {
		bad = append(bad, "no samples")
	}
	slices.Sort(bad)
	return d, strings.Join(bad, " "), nil
}

// waitIdle waits until no judge job is queued or running (the coach
// analyses an Accepted submission after its verdict): the figures are an
// idle arena's.
func (p verdictClient) waitIdle(ctx context.Context) error {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		status, body, err := p.do(ctx, "GET", "/api/v1/judge/status", nil)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("judge status: %d %s", status, body)
		}
		var js protocol.JudgeStatus
		if err := json.Unmarshal(body, &js); err != nil {
			return err
		}
		idle := js.HealthyWorkers > 0
		for _, q := range js.Queues {
			idle = idle && q.Pending == 0 && q.InFlight == 0
		}
		for _, w := range js.Workers {
			idle = idle && w.Busy == 0
		}
		if idle {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the judge was not idle for 5 minutes: %s", body)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
