package main

// `segfault loadtest ws` and `segfault loadtest matches`: load tools of the
// real-time arena (issue 6). Both start a complete arena in this process on
// loopback (embedded NATS, SQLite in a temporary directory, real API nodes
// on TCP) and drive it through the WebSocket protocol like browsers do.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"

	"github.com/segfaultarena/segfault/internal/arena/fairplay"
	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/service"
	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// loadtestSubcommands are `segfault loadtest <name>` subcommands other
// than judge. cmd_loadtest.go's dispatcher should look here first (see the
// report); until it does they also run as `segfault loadtest-ws` and
// `segfault loadtest-matches`.
var loadtestSubcommands = map[string]func(ctx context.Context, args []string) int{}

func init() {
	loadtestSubcommands["ws"] = runLoadtestWS
	loadtestSubcommands["matches"] = runLoadtestMatches
	register(command{name: "__loadtest-ws-clients", summary: "internal: the client process of `loadtest ws`", run: runWSClients})
}

// raiseFileLimit lifts RLIMIT_NOFILE to its hard limit (10,000 sockets
// need more than the usual 1024).
func raiseFileLimit(want uint64) uint64 {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) != nil {
		return 0
	}
	if l.Cur < want {
		l.Cur = min(max(want, l.Cur), l.Max)
		if l.Max < want {
			// Root may raise the hard limit too.
			l.Max, l.Cur = want, want
		}
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
		_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	}
	return l.Cur
}

// ltArena is an arena in this process.
type ltArena struct {
	dir   string
	nats  *bus.Embedded
	st    *sqlite.Store
	nodes []*ltNode
	close []func()
}

type ltNode struct {
	url string
	svc *service.Service
	api *httpapi.Server
}

type noJudge struct{}

func (noJudge) SubmitRanked(context.Context, execution.SubmitRequest) (store.Submission, error) {
	return store.Submission{}, errcode.New(errcode.Unavailable, "no judge in this load test")
}
func (noJudge) Submit(ctx context.Context, r execution.SubmitRequest) (store.Submission, error) {
	return noJudge{}.SubmitRanked(ctx, r)
}

type ltOptions struct {
	nodes       int
	workers     int // in-process judge slots; 0 = no judge
	runtime     string
	problemsDir string
	problem     string // restrict matches to this problem ("" = all)
	match       match.Config
	onFinish    func(string, match.Snapshot)
	log         *slog.Logger
}

func startLTArena(ctx context.Context, o ltOptions) (*ltArena, error) {
	dir, err := os.MkdirTemp("", "segfault-loadtest-")
	if err != nil {
		return nil, err
	}
	a := &ltArena{dir: dir}
	a.close = append(a.close, func() { os.RemoveAll(dir) })
	fail := func(err error) (*ltArena, error) { a.Close(); return nil, err }
	if a.nats, err = bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: filepath.Join(dir, "nats")}); err != nil {
		return fail(err)
	}
	a.close = append(a.close, a.nats.Shutdown)
	if a.st, err = sqlite.Open(ctx, filepath.Join(dir, "arena.db")); err != nil {
		return fail(err)
	}
	a.close = append(a.close, func() { a.st.Close() })
	if err := a.st.Migrate(ctx); err != nil {
		return fail(err)
	}
	langs, err := judge.DefaultLanguages("")
	if err != nil {
		return fail(err)
	}
	cat, errs := service.LoadPlayable(o.problemsDir, langs.IDs())
	if cat == nil {
		return fail(fmt.Errorf("problems: %v", errs))
	}
	if o.problem != "" {
		p, ok := cat.Get(o.problem)
		if !ok {
			return fail(fmt.Errorf("no playable problem %q in %s", o.problem, o.problemsDir))
		}
		if cat, err = service.NewPlayable([]service.ProblemInfo{*p}, langs.IDs()); err != nil {
			return fail(err)
		}
	}
	for i := range o.nodes {
		nc, err := a.nats.Connect()
		if err != nil {
			return fail(err)
		}
		a.close = append(a.close, nc.Close)
		b, err := bus.Setup(ctx, nc, execution.BusConfig())
		if err != nil {
			return fail(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fail(err)
		}
		url := "http://" + ln.Addr().String()
		api, err := httpapi.New(httpapi.Options{Store: a.st, Logger: o.log, PublicURL: url,
			Auth: auth.Options{IPRate: auth.RateLimit{Burst: -1}, UserRate: auth.RateLimit{Burst: -1}}})
		if err != nil {
			return fail(err)
		}
		srv := api.HTTPServer(ln.Addr().String())
		srv.ErrorLog = nil
		go func() { _ = srv.Serve(ln) }()
		a.close = append(a.close, func() { srv.Close() })
		var j service.Judger = noJudge{}
		if o.workers > 0 {
			ex, err := execution.New(ctx, execution.Options{Store: a.st, Bus: b, Catalog: &catalog.Dir{Root: o.problemsDir},
				Logger: o.log, Limits: execution.Limits{MaxInFlight: 4, MaxQueued: 100_000, Submit: execution.DefaultLimits().Submit,
					PerIP: execution.DefaultLimits().PerIP}})
			if err != nil {
				return fail(err)
			}
			a.close = append(a.close, func() { ex.Close() })
			j = ex
			if i == 0 {
				w, err := worker.NewFromConfig(ctx, worker.Config{Bus: b, Store: a.st,
					DataDir: filepath.Join(dir, "worker"), Slots: o.workers, Runtime: o.runtime, Name: "lt-worker", Logger: o.log})
				if err != nil {
					return fail(err)
				}
				wctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { defer close(done); _ = w.Run(wctx) }()
				a.close = append(a.close, func() { cancel(); <-done })
			}
		}
		// Thousands of simulated players share the loopback address.
		ws := arenaWS(api)
		ws.MaxConnsPerIP = 1 << 30
		svc, err := service.Start(ctx, service.Options{FairPlay: &fairplay.Rules{}, Store: a.st, Bus: b, WS: ws, Judge: j, Playable: cat, Logger: o.log,
			Node: fmt.Sprintf("lt%d", i+1), Match: o.match, OnFinish: o.onFinish})
		if err != nil {
			return fail(err)
		}
		api.MountArena(svc, svc.Hub())
		a.close = append(a.close, svc.Stop)
		a.nodes = append(a.nodes, &ltNode{url: url, svc: svc, api: api})
	}
	deadline := time.Now().Add(15 * time.Second)
	for !slices.ContainsFunc(a.nodes, func(n *ltNode) bool { return n.svc.Leading() }) {
		if time.Now().After(deadline) {
			return fail(errors.New("no arena leader elected"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	return a, nil
}

func (a *ltArena) Close() {
	for i := len(a.close) - 1; i >= 0; i-- {
		a.close[i]()
	}
}

// users creates n players with sessions directly in the store (password
// hashing would dominate the setup otherwise); it returns id → token.
func (a *ltArena) users(ctx context.Context, prefix string, n int) ([]int64, []string, error) {
	ids, toks := make([]int64, n), make([]string, n)
	now := time.Now()
	for i := range n {
		u, err := a.st.CreateUser(ctx, store.NewUser{Username: fmt.Sprintf("%s%05d", prefix, i)})
		if err != nil {
			return nil, nil, err
		}
		tok, hash := auth.NewSessionToken()
		if err := a.st.CreateSession(ctx, store.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
			IdleExpiresAt: now.Add(24 * time.Hour), ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
			return nil, nil, err
		}
		ids[i], toks[i] = u.ID, tok
	}
	return ids, toks, nil
}

// --- a protocol client -------------------------------------------------------

type ltFrame struct {
	Type string          `json:"type"`
	ID   string          `json:"id"`
	Data json.RawMessage `json:"data"`
}

func ltDial(ctx context.Context, base, token string) (*websocket.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(dctx, strings.Replace(base, "http", "ws", 1)+"/ws", &websocket.DialOptions{
		HTTPHeader: http.Header{"Cookie": {"sf_session=" + token}}, Subprotocols: []string{"segfault.v1"}})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(8 << 20)
	return c, nil
}

func ltSend(ctx context.Context, c *websocket.Conn, typ, id string, data any) error {
	m := map[string]any{"v": 1, "type": typ, "data": data}
	if id != "" {
		m["id"] = id
	}
	b, _ := json.Marshal(m)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return c.Write(wctx, websocket.MessageText, b)
}

func ltRead(ctx context.Context, c *websocket.Conn) (ltFrame, error) {
	_, b, err := c.Read(ctx)
	if err != nil {
		return ltFrame{}, err
	}
	var f ltFrame
	err = json.Unmarshal(b, &f)
	return f, err
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// --- loadtest ws ----------------------------------------------------------------

// runLoadtestWS: N clients connect to one API node (from a child process,
// so the server's memory is measured alone), say hello and subscribe to
// the leaderboard; then a rating change is broadcast R times and the
// delivery latency to every client is measured.
func runLoadtestWS(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("loadtest ws", flag.ContinueOnError)
	n := fs.Int("clients", 10_000, "WebSocket clients")
	rounds := fs.Int("broadcasts", 5, "leaderboard broadcasts to measure")
	problemsDir := fs.String("problems-dir", "problems", "problem packages")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	limit := raiseFileLimit(uint64(2**n + 1024))
	fmt.Printf("loadtest ws: %d clients, %d broadcasts, RLIMIT_NOFILE %d, GOMAXPROCS %d\n", *n, *rounds, limit, runtime.GOMAXPROCS(0))
	log := slog.New(slog.DiscardHandler)
	a, err := startLTArena(ctx, ltOptions{nodes: 1, problemsDir: *problemsDir, match: match.Default(), log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest ws:", err)
		return 1
	}
	defer a.Close()
	ids, toks, err := a.users(ctx, "ws", *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest ws: users:", err)
		return 1
	}
	tokFile := filepath.Join(a.dir, "tokens")
	if err := os.WriteFile(tokFile, []byte(strings.Join(toks, "\n")), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest ws:", err)
		return 1
	}
	base, baseStats := memInUse(), memStats()
	self, _ := os.Executable()
	child := exec.CommandContext(ctx, self, "__loadtest-ws-clients", a.nodes[0].url, tokFile)
	child.Stderr = os.Stderr
	in, _ := child.StdinPipe()
	out, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest ws: start clients:", err)
		return 1
	}
	defer child.Process.Kill()
	lines := bufio.NewScanner(out)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	expect := func(prefix string) (string, bool) {
		for lines.Scan() {
			l := lines.Text()
			if strings.HasPrefix(l, prefix) {
				return strings.TrimPrefix(l, prefix), true
			}
			fmt.Println("  clients:", l)
		}
		return "", false
	}
	started := time.Now()
	if _, ok := expect("ready"); !ok {
		fmt.Fprintln(os.Stderr, "loadtest ws: the client process failed")
		return 1
	}
	fmt.Printf("connected %d clients (hello + leaderboard.subscribe) in %v; server sees %d\n", *n, time.Since(started).Round(time.Millisecond), a.nodes[0].svc.Hub().Count())
	time.Sleep(2 * time.Second)
	used, usedStats := memInUse(), memStats()
	perConn := float64(used-base) / float64(*n)
	fmt.Printf("server memory in use (heap + stacks): %.1f MiB before, %.1f MiB with %d idle connections: %.1f KiB per connection\n",
		float64(base)/(1<<20), float64(used)/(1<<20), *n, perConn/1024)
	// Where it goes: heap and goroutine stacks apart, and goroutines per
	// connection (each parked one holds a stack of 2 KiB or more).
	fmt.Printf("  per connection: heap %.1f KiB, stacks %.1f KiB, %.2f goroutines\n",
		float64(usedStats.HeapInuse-baseStats.HeapInuse)/float64(*n)/1024, float64(usedStats.StackInuse-baseStats.StackInuse)/float64(*n)/1024,
		float64(runtime.NumGoroutine()-baseStats.goroutines)/float64(*n))

	if path := os.Getenv("SEGFAULT_LT_MEMPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	if path := os.Getenv("SEGFAULT_LT_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	// The server's CPU time per broadcast (the whole arena process, from
	// the publish to the last client's report) depends on load much less
	// than the latency does: compare builds with it on a busy machine.
	var all, written, cpus []time.Duration
	hub := a.nodes[0].svc.Hub()
	for r := range *rounds {
		t0 := time.Now()
		fmt.Fprintf(in, "go %d\n", t0.UnixNano())
		// Server side: when the last of the N frames was written to its
		// socket (the clients' latency adds their own reading).
		w0 := hub.FramesWritten()
		wrote := make(chan time.Duration, 1)
		go func() {
			for time.Since(t0) < 10*time.Second {
				if hub.FramesWritten()-w0 >= uint64(*n) {
					wrote <- time.Since(t0)
					return
				}
				time.Sleep(time.Millisecond)
			}
			wrote <- 0
		}()
		cpu0 := cpuTime()
		a.nodes[0].svc.PublishLeaderboardChange([]int64{ids[r%len(ids)]})
		res, ok := expect("round ")
		if !ok {
			fmt.Fprintln(os.Stderr, "loadtest ws: the client process died")
			return 1
		}
		var got, missing int
		var lat []time.Duration
		f := strings.Fields(res)
		got, _ = strconv.Atoi(f[0])
		missing, _ = strconv.Atoi(f[1])
		for _, s := range f[2:] {
			v, _ := strconv.ParseInt(s, 10, 64)
			lat = append(lat, time.Duration(v))
		}
		all = append(all, lat...)
		w := <-wrote
		cpu := cpuTime() - cpu0
		written = append(written, w)
		cpus = append(cpus, cpu)
		fmt.Printf("broadcast %d: delivered to %d/%d clients (%d missing), p50 %v, p99 %v, max %v; server wrote all in %v, server CPU %v\n", r+1, got, *n, missing,
			percentile(lat, 0.50).Round(time.Millisecond), percentile(lat, 0.99).Round(time.Millisecond), percentile(lat, 1).Round(time.Millisecond),
			w.Round(time.Millisecond), cpu.Round(time.Millisecond))
		time.Sleep(500 * time.Millisecond)
	}
	fmt.Fprintln(in, "quit")
	// Let the clients end on their own (they write their profile first).
	exited := make(chan struct{})
	go func() { _ = child.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
	}
	p99 := percentile(all, 0.99)
	fmt.Printf("RESULT loadtest ws: clients=%d broadcast_p50=%v broadcast_p99=%v server_write_all_median=%v server_cpu_median=%v mem_per_idle_conn=%.1fKiB (targets, issue 22: p99 <= 150ms, <= 32KiB)\n",
		*n, percentile(all, 0.5).Round(time.Millisecond), p99.Round(time.Millisecond), percentile(written, 0.5).Round(time.Millisecond),
		percentile(cpus, 0.5).Round(time.Millisecond), perConn/1024)
	if p99 > 150*time.Millisecond || perConn > 32*1024 || len(all) < *n**rounds {
		return 1
	}
	return 0
}

// memInUse is the Go heap in use plus goroutine stacks, after a GC.
func memInUse() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// cpuTime is this process's user + system CPU time.
func cpuTime() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

type ltMemStats struct {
	runtime.MemStats
	goroutines int
}

// memStats is read right after memInUse (which collected).
func memStats() ltMemStats {
	var m ltMemStats
	runtime.ReadMemStats(&m.MemStats)
	m.goroutines = runtime.NumGoroutine()
	return m
}

// runWSClients is the child process: connect every token, hello,
// subscribe; then for each "go <t0>" line on stdin report the delivery
// latency of the next leaderboard.update push to every client.
func runWSClients(ctx context.Context, args []string) int {
	if len(args) != 2 {
		return 2
	}
	raiseFileLimit(1 << 20)
	b, err := os.ReadFile(args[1])
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	toks := strings.Split(string(b), "\n")
	// Each client's reader stores the arrival time of its latest pushed
	// update in last; a round waits until every slot is past its start.
	// Nothing is spawned per round, so the client process measures more
	// than it costs.
	type client struct {
		c    *websocket.Conn
		last atomic.Int64
		dead atomic.Bool
	}
	clients := make([]*client, len(toks))
	var wg sync.WaitGroup
	var failed atomic.Int64
	sem := make(chan struct{}, 64)
	for i, tok := range toks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := ltDial(ctx, args[0], tok)
			if err != nil {
				if failed.Add(1) < 5 {
					fmt.Fprintln(os.Stderr, "dial:", err)
				}
				return
			}
			cl := &client{c: c}
			_ = ltSend(ctx, c, "hello", "h", map[string]string{"client": "loadtest"})
			_ = ltSend(ctx, c, "leaderboard.subscribe", "l", map[string]any{"board": "rating", "offset": 0, "limit": 10})
			for got := 0; got < 2; {
				f, err := ltRead(ctx, c)
				if err != nil {
					failed.Add(1)
					return
				}
				if f.ID == "h" || f.ID == "l" {
					got++
				}
			}
			clients[i] = cl
			go func() {
				// Only the frame's head is looked at (a pushed update has no
				// id) and the buffer is reused: the client process spends
				// little of the CPU it shares with the server.
				push := []byte(`{"v":1,"type":"leaderboard.update","data"`)
				buf := make([]byte, 4096)
				for {
					_, r, err := c.Reader(context.Background())
					if err != nil {
						cl.dead.Store(true)
						return
					}
					n, _ := io.ReadFull(r, buf[:len(push)])
					now := time.Now().UnixNano()
					if n == len(push) && bytes.Equal(buf[:n], push) {
						cl.last.Store(now)
					}
					for {
						if _, err := r.Read(buf); err != nil {
							break
						}
					}
				}
			}()
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		fmt.Fprintf(os.Stderr, "%d clients failed to connect\n", failed.Load())
	}
	fmt.Println("ready")
	if path := os.Getenv("SEGFAULT_LT_CLIENT_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.StartCPUProfile(f)
		}
	}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := strings.Fields(in.Text())
		if len(f) != 2 || f[0] != "go" {
			break
		}
		t0, _ := strconv.ParseInt(f[1], 10, 64)
		giveUp := time.Now().Add(10 * time.Second)
		for time.Now().Before(giveUp) {
			done := true
			for _, cl := range clients {
				if cl != nil && !cl.dead.Load() && cl.last.Load() < t0 {
					done = false
					break
				}
			}
			if done {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		var lat []string
		missing := 0
		for _, cl := range clients {
			if cl == nil || cl.last.Load() < t0 {
				missing++
				continue
			}
			lat = append(lat, strconv.FormatInt(cl.last.Load()-t0, 10))
		}
		fmt.Printf("round %d %d %s\n", len(lat), missing, strings.Join(lat, " "))
	}
	pprof.StopCPUProfile() // before the parent, done, kills this process
	for _, cl := range clients {
		if cl != nil {
			cl.c.CloseNow()
		}
	}
	return 0
}

func finishedSubmissions(finished map[string]match.Snapshot, mu *sync.Mutex) []string {
	mu.Lock()
	defer mu.Unlock()
	var ids []string
	for _, snap := range finished {
		for _, s := range snap.Submissions {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// --- loadtest matches ----------------------------------------------------------

// runLoadtestMatches: P bots on two API nodes play complete ranked matches
// (queue, accept, submit real solutions judged in sandboxes, some wrong
// first, some never) for a duration; every match must end with its result
// stored and delivered to both players (no lost results), and every match
// decided by the clock must end at its deadline, delivered within 1 s (no
// timer violations).
func runLoadtestMatches(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("loadtest matches", flag.ContinueOnError)
	players := fs.Int("players", 200, "simulated players")
	duration := fs.Duration("duration", 2*time.Minute, "keep starting matches for this long")
	matchLen := fs.Duration("match-length", 30*time.Second, "match duration (the bundled easy problems last 10 min)")
	idle := fs.Float64("idle", 0.15, "share of matches where a bot never submits (exercises the deadline)")
	wrong := fs.Float64("wrong-first", 0.2, "share of submissions preceded by a wrong answer")
	workers := fs.Int("workers", runtime.NumCPU(), "in-process judge slots")
	rt := fs.String("sandbox-runtime", "runc", "runc, runsc or bare")
	problemsDir := fs.String("problems-dir", "problems", "problem packages")
	problemID := fs.String("problem", "peak-count", "problem played")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	raiseFileLimit(uint64(4**players + 1024))
	accepted, err := os.ReadFile(filepath.Join(*problemsDir, *problemID, "submissions", "accepted", "peaks.py"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest matches: need the accepted python solution of", *problemID, ":", err)
		return 1
	}
	cfg := match.Default()
	cfg.Durations = map[match.Difficulty]time.Duration{match.Easy: *matchLen, match.Medium: *matchLen, match.Hard: *matchLen}

	var (
		mu         sync.Mutex
		finished   = map[string]match.Snapshot{}
		violations []string
	)
	onFinish := func(id string, snap match.Snapshot) {
		late := time.Since(snap.EndedAt)
		mu.Lock()
		defer mu.Unlock()
		finished[id] = snap
		switch snap.Result.Reason {
		case match.Timeout, match.Draw:
			if !snap.EndedAt.Equal(snap.Deadline) && !snap.EndedAt.Equal(snap.JudgeBy) && snap.JudgeBy.IsZero() {
				violations = append(violations, fmt.Sprintf("%s ended at %v, deadline %v", id, snap.EndedAt, snap.Deadline))
			}
		}
		if late > time.Second {
			violations = append(violations, fmt.Sprintf("%s finished %v after its end time", id, late))
		}
		for _, s := range snap.Submissions {
			if !s.Received.Before(snap.Deadline) {
				violations = append(violations, fmt.Sprintf("%s counted submission %s received after the deadline", id, s.ID))
			}
		}
	}
	log := slog.New(slog.DiscardHandler)
	a, err := startLTArena(ctx, ltOptions{nodes: 2, workers: *workers, runtime: *rt, problemsDir: *problemsDir, problem: *problemID,
		match: cfg, onFinish: onFinish, log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest matches:", err)
		return 1
	}
	defer a.Close()
	_, toks, err := a.users(ctx, "bot", *players)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest matches: users:", err)
		return 1
	}
	fmt.Printf("loadtest matches: %d players on 2 API nodes, %d judge slots (%s), match length %v, playing for %v\n",
		*players, *workers, *rt, *matchLen, *duration)

	stopAt := time.Now().Add(*duration)
	type botStats struct{ played, results, submits, verdicts int }
	var (
		statsMu  sync.Mutex
		total    botStats
		seen     = map[string]int{} // match id → players who got match.finished
		lost     []string
		verdicts []time.Duration
	)
	var wg sync.WaitGroup
	for i, tok := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			node := a.nodes[i%2]
			c, err := ltDial(ctx, node.url, tok)
			if err != nil {
				statsMu.Lock()
				lost = append(lost, "dial: "+err.Error())
				statsMu.Unlock()
				return
			}
			defer c.CloseNow()
			rnd := rand.New(rand.NewPCG(uint64(i), 7))
			frames := make(chan ltFrame, 256)
			go func() {
				defer close(frames)
				for {
					f, err := ltRead(context.Background(), c)
					if err != nil {
						return
					}
					frames <- f
				}
			}()
			_ = ltSend(ctx, c, "hello", "h", map[string]string{"client": "bot"})
			wait := func(timeout time.Duration, pred func(ltFrame) bool) (ltFrame, bool) {
				tm := time.NewTimer(timeout)
				defer tm.Stop()
				for {
					select {
					case f, ok := <-frames:
						if !ok {
							return ltFrame{}, false
						}
						if pred(f) {
							return f, true
						}
					case <-tm.C:
						return ltFrame{}, false
					}
				}
			}
			if _, ok := wait(30*time.Second, func(f ltFrame) bool { return f.Type == "snapshot" }); !ok {
				return
			}
			seq := 0
			for time.Now().Before(stopAt) {
				seq++
				_ = ltSend(ctx, c, "queue.join", "q"+strconv.Itoa(seq), map[string]string{"mode": "ranked"})
				// A player left alone in the queue at the end stops waiting.
				f, ok := wait(max(10*time.Second, time.Until(stopAt)+10*time.Second), func(f ltFrame) bool { return f.Type == "match.found" })
				if !ok {
					_ = ltSend(ctx, c, "queue.leave", "", map[string]string{})
					break
				}
				var found struct {
					MatchID string `json:"match_id"`
				}
				_ = json.Unmarshal(f.Data, &found)
				time.Sleep(time.Duration(rnd.IntN(1000)) * time.Millisecond)
				_ = ltSend(ctx, c, "match.accept", "a"+strconv.Itoa(seq), map[string]string{"match_id": found.MatchID})
				if _, ok := wait(time.Minute, func(f ltFrame) bool {
					var d struct {
						MatchID string `json:"match_id"`
						State   string `json:"state"`
					}
					_ = json.Unmarshal(f.Data, &d)
					return f.Type == "match.state" && d.MatchID == found.MatchID && d.State == "running"
				}); !ok {
					statsMu.Lock()
					lost = append(lost, "no running state for "+found.MatchID)
					statsMu.Unlock()
					break
				}
				statsMu.Lock()
				total.played++
				statsMu.Unlock()
				finished := false
				pending := map[string]time.Time{} // submits still owed their one reply
				reply := func(f ltFrame) {
					sent := pending[f.ID]
					delete(pending, f.ID)
					statsMu.Lock()
					total.verdicts++
					verdicts = append(verdicts, time.Since(sent))
					statsMu.Unlock()
				}
				if rnd.Float64() >= *idle {
					time.Sleep(time.Duration(1000+rnd.IntN(4000)) * time.Millisecond)
					codes := []string{string(accepted)}
					if rnd.Float64() < *wrong {
						codes = []string{"print(0)\n", string(accepted)}
					}
					for k, code := range codes {
						id := fmt.Sprintf("s%d-%d", seq, k)
						pending[id] = time.Now()
						_ = ltSend(ctx, c, "code.submit", id, map[string]string{"match_id": found.MatchID, "lang": "python", "code": code})
						statsMu.Lock()
						total.submits++
						statsMu.Unlock()
						r, ok := wait(*matchLen+3*time.Minute, func(f ltFrame) bool { return f.ID == id || f.Type == "match.finished" })
						if !ok {
							break
						}
						if r.Type == "match.finished" {
							finished = true
							break
						}
						reply(r)
					}
				}
				if !finished {
					_, finished = wait(*matchLen+3*time.Minute, func(f ltFrame) bool {
						if _, ok := pending[f.ID]; ok && f.ID != "" {
							reply(f)
						}
						return f.Type == "match.finished"
					})
				}
				statsMu.Lock()
				if finished {
					seen[found.MatchID]++
					total.results++
				} else {
					lost = append(lost, "no match.finished for "+found.MatchID)
				}
				statsMu.Unlock()
				for id := range pending {
					// Judged after the end (the judge is the bottleneck of
					// this test): the reply still comes.
					if f, ok := wait(5*time.Minute, func(f ltFrame) bool { return f.ID == id }); ok {
						reply(f)
					} else {
						statsMu.Lock()
						lost = append(lost, "no reply to submission "+id+" of "+found.MatchID)
						statsMu.Unlock()
					}
				}
			}
		}()
	}
	started := time.Now()
	wg.Wait()
	elapsed := time.Since(started)

	// Every match started must be finished in the store, and delivered to both.
	ms, err := a.st.ActiveMatches(ctx, 100_000)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest matches:", err)
		return 1
	}
	for _, m := range ms {
		lost = append(lost, "match "+m.ID+" still "+m.State)
	}
	// Every match submission has its one stored result.
	for _, s := range finishedSubmissions(finished, &mu) {
		sub, err := a.st.Submission(ctx, s)
		if err != nil || sub.Result == nil {
			lost = append(lost, "submission "+s+" has no stored result")
		}
	}
	mu.Lock()
	nFinished := len(finished)
	viol := slices.Clone(violations)
	mu.Unlock()
	for id, n := range seen {
		if n != 2 {
			lost = append(lost, fmt.Sprintf("match %s: result delivered to %d of 2 players", id, n))
		}
	}
	reasons := map[match.Reason]int{}
	mu.Lock()
	for _, s := range finished {
		reasons[s.Result.Reason]++
	}
	mu.Unlock()
	fmt.Printf("matches finished: %d in %v (%v)\n", nFinished, elapsed.Round(time.Second), reasons)
	fmt.Printf("submissions: %d, replies %d, reply latency p50 %v p99 %v\n", total.submits, total.verdicts,
		percentile(verdicts, 0.5).Round(time.Millisecond), percentile(verdicts, 0.99).Round(time.Millisecond))
	for _, l := range lost[:min(len(lost), 10)] {
		fmt.Println("  lost:", l)
	}
	for _, v := range viol[:min(len(viol), 10)] {
		fmt.Println("  timer violation:", v)
	}
	fmt.Printf("RESULT loadtest matches: players=%d matches=%d matches_per_min=%.1f lost_results=%d timer_violations=%d\n",
		*players, nFinished, float64(nFinished)/elapsed.Minutes(), len(lost), len(viol))
	if len(lost) > 0 || len(viol) > 0 {
		return 1
	}
	return 0
}
