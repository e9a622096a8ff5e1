package main

// `segfault loadtest arena`: the arena's service layer alone under load.
// In-process API nodes on one embedded NATS and one store; in-process
// players (service.Client: the operations table and the frames of a
// WebSocket client, without the socket) play ranked matches; by default a
// fake judge answers each submission after a fixed delay through the real
// results stream, so what is measured is the arena: matchmaking, match
// ownership across nodes, the operations, saves, pushes and verdicts.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/fairplay"
	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/service"
	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/open"
)

func init() {
	loadtestSubcommands["arena"] = func(ctx context.Context, args []string) int {
		return runLoadtestArena(ctx, args, os.Stdout, os.Stderr)
	}
}

type arenaLTConfig struct {
	nodes        []int
	matches      int
	duration     time.Duration
	interval     time.Duration
	verdictDelay time.Duration
	judge        string // fake or real
	workers      int
	runtime      string
	db           string
	problemsDir  string
	problem      string
	setupTimeout time.Duration
	cpuProfile   string // CPU profile of the measured phase (path.N for N nodes)
	mutexProfile string // mutex and block profiles of the measured phase (path.mutex.N, path.block.N)
}

func runLoadtestArena(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest arena", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c arenaLTConfig
	nodes := fs.String("nodes", "1,2,4", "API node counts to run, one after the other (a fresh arena each)")
	fs.IntVar(&c.matches, "matches", 10_000, "concurrent matches (two players each)")
	fs.DurationVar(&c.duration, "duration", time.Minute, "measured phase, with every match running")
	fs.DurationVar(&c.interval, "interval", 10*time.Second, "mean time between a player's submissions (typing changes twice as often)")
	fs.DurationVar(&c.verdictDelay, "verdict-delay", 200*time.Millisecond, "fake judge: time from a submission to its result")
	fs.StringVar(&c.judge, "judge", "fake", "fake (fixed delay, the results stream) or real (in-process workers judging in the sandbox)")
	fs.IntVar(&c.workers, "workers", runtime.NumCPU(), "real judge: sandbox slots")
	fs.StringVar(&c.runtime, "sandbox-runtime", "runc", "real judge: runc or runsc")
	fs.StringVar(&c.db, "db", "", "store: empty = SQLite in a temporary directory, or postgres://... (an empty database)")
	fs.StringVar(&c.problemsDir, "problems-dir", "problems", "problem packages")
	fs.StringVar(&c.problem, "problem", "peak-count", "the problem played")
	fs.DurationVar(&c.setupTimeout, "setup-timeout", 10*time.Minute, "how long queueing and accepting every match may take")
	fs.StringVar(&c.cpuProfile, "cpuprofile", os.Getenv("SEGFAULT_LT_CPUPROFILE"), "write a CPU profile of the measured phase to this path (suffixed .N for N nodes)")
	fs.StringVar(&c.mutexProfile, "mutexprofile", os.Getenv("SEGFAULT_LT_BLOCKPROFILE"), "write mutex and block profiles of the measured phase to this path (suffixed .mutex.N, .block.N)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	for _, f := range strings.Split(*nodes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 16 {
			fmt.Fprintf(stderr, "loadtest arena: --nodes: %q is not a node count (1..16)\n", f)
			return 2
		}
		c.nodes = append(c.nodes, n)
	}
	if c.matches < 1 || c.duration <= 0 || c.interval <= 0 || c.judge != "fake" && c.judge != "real" {
		fmt.Fprintln(stderr, "loadtest arena: --matches, --duration and --interval must be positive, --judge fake or real")
		return 2
	}
	raiseFileLimit(uint64(64 * 1024))
	fmt.Fprintf(stdout, "loadtest arena: %d matches (%d players), judge %s, interval %v, measured %v, GOMAXPROCS %d\n",
		c.matches, 2*c.matches, c.judge, c.interval, c.duration, runtime.GOMAXPROCS(0))
	var summary []string
	failed := false
	for _, n := range c.nodes {
		r, err := arenaLoadRun(ctx, c, n, stdout)
		if err != nil {
			fmt.Fprintf(stderr, "loadtest arena: %d node(s): %v\n", n, err)
			return 1
		}
		fmt.Fprintln(stdout, r.detail())
		if len(r.problems) > 0 {
			failed = true
			for _, p := range r.problems {
				fmt.Fprintf(stdout, "  PROBLEM %s\n", p)
			}
		}
		summary = append(summary, r.summary())
	}
	fmt.Fprintf(stdout, "RESULT loadtest arena judge=%s matches=%d %s\n", c.judge, c.matches, strings.Join(summary, " | "))
	if failed {
		return 1
	}
	return 0
}

// --- one run -------------------------------------------------------------------

type arenaLoadResult struct {
	setupLat   map[string][]time.Duration // queue.join, match.accept
	retries    int64                      // setup steps retried
	endLat     []time.Duration            // match.resign
	nodes      int
	running    int // matches running during the measured phase
	setup      time.Duration
	ops        int64
	measured   time.Duration
	cpu        time.Duration // process CPU (user + system) during the measured phase and the wait for its last results: nodes, NATS and players
	cpuWindow  time.Duration // the same during the measured phase only
	mallocs    uint64        // heap allocations during the measured phase and the wait for its last results
	allocBytes uint64
	latency    map[string][]time.Duration
	verdicts   []time.Duration
	owned      []int
	finished   int
	finishTook time.Duration
	problems   []string
}

func (r *arenaLoadResult) all() []time.Duration {
	var all []time.Duration
	for _, ds := range r.latency {
		all = append(all, ds...)
	}
	return all
}

func (r *arenaLoadResult) shares() string {
	total := 0
	for _, o := range r.owned {
		total += o
	}
	var parts []string
	for _, o := range r.owned {
		parts = append(parts, fmt.Sprintf("%.1f", 100*float64(o)/float64(max(1, total))))
	}
	return strings.Join(parts, "/") + "%"
}

func (r *arenaLoadResult) summary() string {
	all := r.all()
	sub := r.latency["code.submit"]
	return fmt.Sprintf("nodes=%d running=%d ops/s=%.0f cpu_us/op=%.0f allocs/op=%.0f p50=%s p99=%s submit_p50=%s submit_p99=%s verdict_p50=%s owned=%s",
		r.nodes, r.running, float64(r.ops)/r.measured.Seconds(), float64(r.cpu.Microseconds())/float64(max(1, r.ops)),
		float64(r.mallocs)/float64(max(1, r.ops)), ms(percentile(all, 0.5)), ms(percentile(all, 0.99)),
		ms(percentile(sub, 0.5)), ms(percentile(sub, 0.99)), ms(percentile(r.verdicts, 0.5)), r.shares())
}

func (r *arenaLoadResult) detail() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d node(s): %d matches running after %v of queueing and accepting (%d steps retried); owned %s\n", r.nodes, r.running,
		r.setup.Round(time.Millisecond), r.retries, r.shares())
	all := r.all()
	fmt.Fprintf(&b, "  %d operations in %v = %.0f ops/s; latency p50 %s p99 %s\n", r.ops, r.measured.Round(time.Millisecond),
		float64(r.ops)/r.measured.Seconds(), ms(percentile(all, 0.5)), ms(percentile(all, 0.99)))
	ops := float64(max(1, r.ops))
	fmt.Fprintf(&b, "  CPU %v with the last results (%v = %.0f%% of a core in the phase); per op %.0f µs CPU, %.0f allocations, %.1f KiB allocated (nodes, NATS and players together; its results included)\n",
		r.cpu.Round(time.Millisecond), r.cpuWindow.Round(time.Millisecond), 100*r.cpuWindow.Seconds()/r.measured.Seconds(),
		float64(r.cpu.Microseconds())/ops, float64(r.mallocs)/ops, float64(r.allocBytes)/1024/ops)
	for _, op := range slices.Sorted(maps.Keys(r.latency)) {
		ds := r.latency[op]
		fmt.Fprintf(&b, "    %-14s n=%-7d p50 %-9s p99 %s\n", op, len(ds), ms(percentile(ds, 0.5)), ms(percentile(ds, 0.99)))
	}
	fmt.Fprintf(&b, "  submission → verdict p50 %s p99 %s (n=%d)\n", ms(percentile(r.verdicts, 0.5)), ms(percentile(r.verdicts, 0.99)), len(r.verdicts))
	for _, op := range slices.Sorted(maps.Keys(r.setupLat)) {
		ds := r.setupLat[op]
		fmt.Fprintf(&b, "  setup %-14s n=%-7d p50 %-9s p99 %s\n", op, len(ds), ms(percentile(ds, 0.5)), ms(percentile(ds, 0.99)))
	}
	fmt.Fprintf(&b, "  %d matches finished (resigned) in %v; match.resign p50 %s p99 %s", r.finished, r.finishTook.Round(time.Millisecond),
		ms(percentile(r.endLat, 0.5)), ms(percentile(r.endLat, 0.99)))
	return b.String()
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + "ms"
}

// arenaLoadRun starts an arena of n nodes, plays c.matches matches on it
// and measures.
func arenaLoadRun(ctx context.Context, c arenaLTConfig, n int, progress io.Writer) (*arenaLoadResult, error) {
	a, err := startArenaNodes(ctx, c, n)
	if err != nil {
		return nil, err
	}
	defer a.close()
	res := &arenaLoadResult{nodes: n, latency: map[string][]time.Duration{}}
	rec := &ltRecorder{lat: map[string][]time.Duration{}}

	users, err := a.users(ctx, 2*c.matches)
	if err != nil {
		return nil, err
	}
	bots := make([]*arenaBot, len(users))
	for i, u := range users {
		bots[i] = &arenaBot{c: a.nodes[i%n].Attach(u, 512), user: u, rec: rec, cfg: c, code: a.code}
	}
	defer func() {
		for _, b := range bots {
			b.c.Detach()
		}
	}()

	// Setup: everyone queues and accepts; wait until every match runs.
	start := time.Now()
	sctx, cancel := context.WithTimeout(ctx, c.setupTimeout)
	defer cancel()
	if err := inBots(sctx, bots, 256, (*arenaBot).join); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	res.setup = time.Since(start)
	for _, node := range a.nodes {
		res.owned = append(res.owned, node.Owned())
		res.running += node.Owned()
	}
	fmt.Fprintf(progress, "  %d node(s): %d matches running after %v\n", n, res.running, res.setup.Round(time.Millisecond))

	// Measured phase: every player submits (wrong answers) and types.
	rec.mu.Lock()
	res.setupLat = rec.lat
	rec.mu.Unlock()
	res.retries = rec.retries.Load()
	rec.reset()
	// The profiles cover the measured phase and the wait for its last
	// results (not the setup, nor the end where every match is resigned).
	stopProfiles := func() {}
	if path := c.cpuProfile; path != "" {
		if f, err := os.Create(fmt.Sprintf("%s.%d", path, n)); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				stopProfiles = func() { pprof.StopCPUProfile(); f.Close() }
			}
		}
	}
	if path := c.mutexProfile; path != "" {
		runtime.SetBlockProfileRate(int(time.Millisecond))
		runtime.SetMutexProfileFraction(10)
		stopCPU := stopProfiles
		stopProfiles = func() {
			stopCPU()
			for _, kind := range []string{"block", "mutex"} {
				if f, err := os.Create(fmt.Sprintf("%s.%s.%d", path, kind, n)); err == nil {
					_ = pprof.Lookup(kind).WriteTo(f, 0)
					f.Close()
				}
			}
			runtime.SetBlockProfileRate(0)
			runtime.SetMutexProfileFraction(0)
		}
	}
	if path := os.Getenv("SEGFAULT_LT_GOROUTINES"); path != "" {
		time.AfterFunc(c.duration/2, func() {
			if f, err := os.Create(fmt.Sprintf("%s.%d", path, n)); err == nil {
				_ = pprof.Lookup("goroutine").WriteTo(f, 1)
				f.Close()
			}
		})
	}
	mctx, mcancel := context.WithTimeout(ctx, c.duration)
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	cpu0 := cpuTime()
	t0 := time.Now()
	var wg sync.WaitGroup
	for _, b := range bots {
		wg.Add(1)
		go func() { defer wg.Done(); b.play(mctx) }()
	}
	wg.Wait()
	mcancel()
	res.measured = time.Since(t0)
	res.cpuWindow = cpuTime() - cpu0
	res.ops = rec.ops.Load()
	rec.mu.Lock()
	for k, v := range rec.lat {
		res.latency[k] = v
	}
	res.verdicts = rec.verdicts
	rec.mu.Unlock()
	rec.reset()
	// Results of the last submissions: wait for them (lost ones are a bug).
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second+c.verdictDelay)
	lost := 0
	for _, b := range bots {
		if !b.awaitResult(wctx) {
			lost++
		}
	}
	wcancel()
	// The CPU, allocations and profiles cover the measured phase and then
	// the results of its last submissions: on a machine busy with other
	// work the arena falls behind, and work of the phase (saves, verdicts)
	// done after it still counts for its operations.
	res.cpu = cpuTime() - cpu0
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)
	stopProfiles()
	res.mallocs, res.allocBytes = m1.Mallocs-m0.Mallocs, m1.TotalAlloc-m0.TotalAlloc
	if lost > 0 {
		unpublished := int64(0)
		for _, f := range a.fakes {
			unpublished += f.failed.Load()
		}
		res.problems = append(res.problems, fmt.Sprintf("%d submissions got no result within 30 s (%d of them never published by the fake judge)", lost, unpublished))
	}

	// End: one player of each match resigns; everyone gets match.finished.
	t1 := time.Now()
	ectx, ecancel := context.WithTimeout(ctx, c.setupTimeout)
	defer ecancel()
	if err := inBots(ectx, bots, 256, (*arenaBot).finish); err != nil {
		res.problems = append(res.problems, "end: "+err.Error())
	}
	res.finishTook = time.Since(t1)
	rec.mu.Lock()
	res.endLat = rec.lat["match.resign"]
	rec.mu.Unlock()
	for _, node := range a.nodes {
		if o := node.Owned(); o != 0 {
			res.problems = append(res.problems, fmt.Sprintf("node %s still owns %d matches after the end", node.Node(), o))
		}
	}
	finished, err := a.st.ActivePlayers(ctx, 1)
	if err != nil {
		return nil, err
	}
	if len(finished) != 0 {
		res.problems = append(res.problems, "matches still active in the store after the end")
	}
	res.finished = res.running
	if res.running != c.matches {
		res.problems = append(res.problems, fmt.Sprintf("%d matches running, want %d", res.running, c.matches))
	}
	return res, nil
}

// inBots runs fn for every bot, width at a time; the first error wins.
func inBots(ctx context.Context, bots []*arenaBot, width int, fn func(*arenaBot, context.Context) error) error {
	sem := make(chan struct{}, width)
	var first atomic.Pointer[error]
	var wg sync.WaitGroup
	for _, b := range bots {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(b, ctx); err != nil {
				first.CompareAndSwap(nil, &err)
			}
		}()
	}
	wg.Wait()
	if e := first.Load(); e != nil {
		return *e
	}
	return nil
}

// ltRecorder collects operation latencies.
type ltRecorder struct {
	ops      atomic.Int64
	retries  atomic.Int64 // setup steps retried (a matchmaker takeover, a dissolved proposal)
	mu       sync.Mutex
	lat      map[string][]time.Duration
	verdicts []time.Duration
}

func (r *ltRecorder) reset() {
	r.ops.Store(0)
	r.mu.Lock()
	r.lat = map[string][]time.Duration{}
	r.verdicts = nil
	r.mu.Unlock()
}

func (r *ltRecorder) retried() { r.retries.Add(1) }

func (r *ltRecorder) op(name string, d time.Duration) {
	r.ops.Add(1)
	r.mu.Lock()
	r.lat[name] = append(r.lat[name], d)
	r.mu.Unlock()
}

func (r *ltRecorder) verdict(d time.Duration) {
	r.mu.Lock()
	r.verdicts = append(r.verdicts, d)
	r.mu.Unlock()
}

// --- a player ------------------------------------------------------------------------

type arenaBot struct {
	c     *service.Client
	user  int64
	rec   *ltRecorder
	cfg   arenaLTConfig
	code  ltCode
	match string
	first bool // the player who resigns at the end

	pending   string // submission awaiting its result
	submitted time.Time
}

type ltFrame2 struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// do runs one operation and records its latency under name.
func (b *arenaBot) do(ctx context.Context, name string, op protocol.Op, req any) (protocol.Event, any, error) {
	t := time.Now()
	typ, data, err := b.c.Do(ctx, op, req)
	b.rec.op(name, time.Since(t))
	return typ, data, err
}

// frameType reads a frame's type without decoding it (frames start
// {"v":1,"type":"…"): the players skip most frames, and decoding each
// would make the load generator, not the arena, the bottleneck.
func frameType(raw []byte) string {
	const key = `"type":"`
	i := bytes.Index(raw, []byte(key))
	if i < 0 {
		return ""
	}
	rest := raw[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// next waits for a frame of type typ.
func (b *arenaBot) next(ctx context.Context, typ protocol.Event) (ltFrame2, error) {
	for {
		select {
		case raw := <-b.c.Frames:
			if frameType(raw) == string(typ) {
				var f ltFrame2
				if err := json.Unmarshal(raw, &f); err != nil {
					return f, err
				}
				return f, nil
			}
			b.observe(raw)
		case <-ctx.Done():
			return ltFrame2{}, fmt.Errorf("user %d waiting for %s: %w", b.user, typ, ctx.Err())
		}
	}
}

// observe notes a frame that arrived while waiting for another: a result.
func (b *arenaBot) observe(raw []byte) {
	if b.pending == "" || frameType(raw) != string(protocol.EventSubmissionResult) {
		return
	}
	var f ltFrame2
	if json.Unmarshal(raw, &f) != nil {
		return
	}
	var r protocol.SubmissionResult
	if json.Unmarshal(f.Data, &r) == nil && r.SubmissionID == b.pending {
		b.rec.verdict(time.Since(b.submitted))
		b.pending = ""
	}
}

// join queues for a ranked match, accepts it and waits until it runs. A
// matchmaker takeover during setup (on a loaded machine a lease can lapse)
// answers `unavailable`: the bot retries as a client would, and a
// proposal dissolved meanwhile puts it back in the queue; the retries are
// counted (setup retries in the report).
func (b *arenaBot) join(ctx context.Context) error {
	queue := func() error {
		// A retry may find the first attempt done: queued, or already
		// matched (match.found is on its way).
		return b.retry(ctx, "queue.join", protocol.OpQueueJoin, &protocol.QueueJoin{Mode: protocol.ModeRanked},
			errcode.AlreadyQueued, errcode.AlreadyInMatch)
	}
	if err := queue(); err != nil {
		return err
	}
	for {
		var raw []byte
		select {
		case raw = <-b.c.Frames:
		case <-ctx.Done():
			return fmt.Errorf("user %d waiting for a running match: %w", b.user, ctx.Err())
		}
		var f ltFrame2
		switch protocol.Event(frameType(raw)) {
		case protocol.EventMatchFound:
			if json.Unmarshal(raw, &f) != nil {
				continue
			}
			var found protocol.MatchFound
			_ = json.Unmarshal(f.Data, &found)
			if found.MatchID == b.match {
				continue // the same proposal again: someone else accepted
			}
			b.match = found.MatchID
			b.first = len(found.Players) > 0 && found.Players[0].UserID == b.user
			err := b.retry(ctx, "match.accept", protocol.OpMatchAccept, &protocol.MatchRef{MatchID: b.match}, errcode.AlreadyAccepted)
			if errcode.CodeOf(err) == errcode.AcceptExpired || errcode.CodeOf(err) == errcode.MatchNotFound {
				b.rec.retried() // dissolved meanwhile: match.cancelled says what next
				continue
			}
			if err != nil {
				return err
			}
		case protocol.EventMatchCancelled:
			if json.Unmarshal(raw, &f) != nil {
				continue
			}
			var mc protocol.MatchCancelled
			if json.Unmarshal(f.Data, &mc) != nil || mc.MatchID != b.match || mc.Requeued {
				continue
			}
			b.rec.retried()
			if err := queue(); err != nil {
				return err
			}
		case protocol.EventMatchState:
			if json.Unmarshal(raw, &f) != nil {
				continue
			}
			var st protocol.MatchState
			if json.Unmarshal(f.Data, &st) == nil && st.MatchID == b.match && b.match != "" && st.State == protocol.PhaseRunning {
				return nil
			}
		}
	}
}

// retry runs a setup operation until it succeeds, retrying `unavailable`
// (a takeover) and waiting out a cooldown; after a retry, the done codes
// mean the attempt before acted although its reply was lost.
func (b *arenaBot) retry(ctx context.Context, name string, op protocol.Op, req any, done ...errcode.Code) error {
	for attempt := 1; ; attempt++ {
		_, _, err := b.do(ctx, name, op, req)
		if err == nil {
			return nil
		}
		code := errcode.CodeOf(err)
		if attempt > 1 && slices.Contains(done, code) {
			return nil
		}
		switch code {
		case errcode.Unavailable, errcode.QueueCooldown:
			b.rec.retried()
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s: %w (retrying: %w)", name, ctx.Err(), err)
			case <-time.After(time.Second):
			}
		default:
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}

// play submits a wrong answer every interval (jittered; after the
// previous one's result) and toggles typing twice as often, until ctx
// ends.
func (b *arenaBot) play(ctx context.Context) {
	jitter := func(d time.Duration) time.Duration { return d/2 + rand.N(d) }
	submitAt := time.Now().Add(jitter(b.cfg.interval))
	typeAt := time.Now().Add(jitter(b.cfg.interval / 2))
	typing := false
	for {
		next := typeAt
		if b.pending == "" && submitAt.Before(next) {
			next = submitAt
		}
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case raw := <-b.c.Frames:
			t.Stop()
			b.observe(raw)
			continue
		case <-t.C:
		}
		now := time.Now()
		if !now.Before(typeAt) {
			typing = !typing
			_, _, _ = b.do(ctx, "typing", protocol.OpTyping, &protocol.Typing{MatchID: b.match, Active: typing})
			typeAt = now.Add(jitter(b.cfg.interval / 2))
		}
		if b.pending == "" && !now.Before(submitAt) {
			b.submitted = time.Now()
			_, data, err := b.do(ctx, "code.submit", protocol.OpCodeSubmit,
				&protocol.CodeSubmit{MatchID: b.match, Lang: b.code.lang, Code: b.code.wrong})
			if err == nil {
				if sr, ok := submissionID(data); ok {
					b.pending = sr
				}
			}
			submitAt = now.Add(jitter(b.cfg.interval))
		}
	}
}

func submissionID(data any) (string, bool) {
	b, err := json.Marshal(data)
	if err != nil {
		return "", false
	}
	var r struct {
		SubmissionID string `json:"submission_id"`
	}
	return r.SubmissionID, json.Unmarshal(b, &r) == nil && r.SubmissionID != ""
}

// awaitResult waits for the result of the submission in flight, if any.
func (b *arenaBot) awaitResult(ctx context.Context) bool {
	for b.pending != "" {
		select {
		case raw := <-b.c.Frames:
			b.observe(raw)
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// finish: the first player resigns; both wait for match.finished.
func (b *arenaBot) finish(ctx context.Context) error {
	if b.first {
		if _, _, err := b.do(ctx, "match.resign", protocol.OpMatchResign, &protocol.MatchRef{MatchID: b.match}); err != nil {
			return fmt.Errorf("match.resign: %w", err)
		}
	}
	_, err := b.next(ctx, protocol.EventMatchFinished)
	return err
}

// --- the arena -----------------------------------------------------------------------

type ltCode struct {
	lang, wrong string
}

type arenaNodes struct {
	fakes []*fakeJudge
	st    store.Store
	nodes []*service.Service
	code  ltCode
	stop  []func()
}

func (a *arenaNodes) close() {
	for i := len(a.stop) - 1; i >= 0; i-- {
		a.stop[i]()
	}
}

// users creates n players directly in the store.
func (a *arenaNodes) users(ctx context.Context, n int) ([]int64, error) {
	prefix := fmt.Sprintf("lt%x", rand.Uint32())
	ids := make([]int64, n)
	for i := range n {
		u, err := a.st.CreateUser(ctx, store.NewUser{Username: fmt.Sprintf("%s-%06d", prefix, i)})
		if err != nil {
			return nil, err
		}
		ids[i] = u.ID
	}
	return ids, nil
}

func startArenaNodes(ctx context.Context, c arenaLTConfig, n int) (*arenaNodes, error) {
	dir, err := os.MkdirTemp("", "segfault-loadtest-arena-")
	if err != nil {
		return nil, err
	}
	a := &arenaNodes{stop: []func(){func() { os.RemoveAll(dir) }}}
	fail := func(err error) (*arenaNodes, error) { a.close(); return nil, err }
	nats, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: filepath.Join(dir, "nats")})
	if err != nil {
		return fail(err)
	}
	a.stop = append(a.stop, nats.Shutdown)
	if a.st, err = open.Open(ctx, c.db, dir); err != nil {
		return fail(err)
	}
	a.stop = append(a.stop, func() { a.st.Close() })
	if err := a.st.Migrate(ctx); err != nil {
		return fail(err)
	}
	langs, err := judge.DefaultLanguages("")
	if err != nil {
		return fail(err)
	}
	all, errs := service.LoadPlayable(c.problemsDir, langs.IDs())
	if all == nil {
		return fail(fmt.Errorf("problems: %v", errs))
	}
	p, ok := all.Get(c.problem)
	if !ok {
		return fail(fmt.Errorf("no playable problem %q in %s", c.problem, c.problemsDir))
	}
	playable, err := service.NewPlayable([]service.ProblemInfo{*p}, langs.IDs())
	if err != nil {
		return fail(err)
	}
	a.code = ltCode{lang: "python", wrong: "print(0)\n"}
	cfg := match.Default()
	cfg.Countdown = time.Second
	cfg.Durations = map[match.Difficulty]time.Duration{match.Easy: 2 * time.Hour, match.Medium: 2 * time.Hour, match.Hard: 2 * time.Hour}
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("SEGFAULT_LT_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	for i := range n {
		nc, err := nats.Connect()
		if err != nil {
			return fail(err)
		}
		a.stop = append(a.stop, nc.Close)
		b, err := bus.Setup(ctx, nc, execution.BusConfig())
		if err != nil {
			return fail(err)
		}
		fj := &fakeJudge{bus: b, delay: c.verdictDelay}
		a.fakes = append(a.fakes, fj)
		var j service.Judger = fj
		if c.judge == "real" {
			ex, err := execution.New(ctx, execution.Options{Store: a.st, Bus: b, Catalog: &catalog.Dir{Root: c.problemsDir}, Logger: log,
				Limits: execution.Limits{MaxInFlight: 4, MaxQueued: 1_000_000, Submit: execution.DefaultLimits().Submit,
					PerIP: execution.DefaultLimits().PerIP}})
			if err != nil {
				return fail(err)
			}
			a.stop = append(a.stop, func() { ex.Close() })
			j = ex
			if i == 0 {
				w, err := worker.NewFromConfig(ctx, worker.Config{Bus: b, Store: a.st, DataDir: filepath.Join(dir, "worker"),
					Slots: c.workers, Runtime: c.runtime, Name: "lt-worker", Logger: log})
				if err != nil {
					return fail(err)
				}
				wctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { defer close(done); _ = w.Run(wctx) }()
				a.stop = append(a.stop, func() { cancel(); <-done })
			}
		}
		svc, err := service.Start(ctx, service.Options{FairPlay: &fairplay.Rules{}, Store: a.st, Bus: b, Judge: j, Playable: playable, Logger: log,
			Node: fmt.Sprintf("lt%d", i+1), Match: cfg,
			WS: realtime.Options{Authenticate: func(*http.Request) (store.User, error) {
				return store.User{}, errors.New("no WebSocket in this load test")
			}}})
		if err != nil {
			return fail(err)
		}
		a.stop = append(a.stop, svc.Stop)
		a.nodes = append(a.nodes, svc)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !slices.ContainsFunc(a.nodes, func(s *service.Service) bool { return s.Leading() }) {
		if time.Now().After(deadline) {
			return fail(errors.New("no matchmaker elected"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	return a, nil
}

// fakeJudge stores nothing and queues nothing: each submission's result
// (a wrong answer, 3 of 10 tests) is published on the results stream
// after a fixed delay, as a worker would.
type fakeJudge struct {
	bus    *bus.Bus
	delay  time.Duration
	failed atomic.Int64 // results it could not publish after its retries
}

func (j *fakeJudge) SubmitRanked(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	sub := store.Submission{NewSubmission: store.NewSubmission{ID: jobs.NewID(), UserID: req.UserID, ProblemID: req.ProblemID,
		Lang: req.Lang, MatchID: req.MatchID, CreatedAt: time.Now()}}
	time.AfterFunc(j.delay, func() {
		r := jobs.Result{SubmissionID: sub.ID, UserID: sub.UserID, MatchID: sub.MatchID, ProblemID: sub.ProblemID, Lang: sub.Lang,
			CreatedAt: sub.CreatedAt, Verdict: string(protocol.VerdictWA), Passed: 3, Total: 10, FailedTest: 4, FinishedAt: time.Now()}
		// Retried as a worker does (announceAndAck): a result is never
		// dropped by the judge, so a missing one is the arena's.
		for attempt := 1; ; attempt++ {
			c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := jobs.PublishResult(c, j.bus, r)
			cancel()
			if err == nil || attempt == 20 || j.bus.NC.IsClosed() {
				if err != nil {
					j.failed.Add(1)
				}
				return
			}
			time.Sleep(min(time.Duration(attempt)*250*time.Millisecond, 2*time.Second))
		}
	})
	return sub, nil
}

func (j *fakeJudge) Submit(ctx context.Context, req execution.SubmitRequest) (store.Submission, error) {
	return j.SubmitRanked(ctx, req)
}
