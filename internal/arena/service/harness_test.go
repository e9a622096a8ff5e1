package service

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/arena/fairplay"
	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/bus/bustest"
	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}

func testLogger() *slog.Logger {
	if os.Getenv("SEGFAULT_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// env is one arena deployment on loopback: an embedded NATS server, one
// SQLite database, and any number of API nodes.
type env struct {
	t     *testing.T
	dir   string
	nats  *bus.Embedded
	st    store.Store
	cat   *Playable
	opt   Options // template for nodes
	nodes []*node
	judge bool // run a real in-process judge worker (runc)
	// fakeJudge, when set, replaces the execution service as the nodes'
	// Judger (tests that need verdicts without a sandbox).
	fakeJudge func(n *node) Judger
	// limits are the execution services' limits (zero: the defaults).
	limits execution.Limits
}

type node struct {
	nc   *nats.Conn
	bus  *bus.Bus
	api  *httpapi.Server
	ts   *httptest.Server
	exec *execution.Service
	svc  *Service
}

// newEnv starts NATS and the store. Match timings are shortened by the
// caller through e.opt before adding nodes.
func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	srv := bustest.Server(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "arena.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	langs, _ := judge.DefaultLanguages("")
	full, errs := LoadPlayable(filepath.Join(repoRoot(), "problems"), langs.IDs())
	if full == nil {
		t.Fatalf("load problems: %v", errs)
	}
	// One easy problem keeps the choice (and its accepted solution) known.
	p, ok := full.Get("peak-count")
	if !ok {
		t.Fatal("problems/peak-count missing")
	}
	cat, err := NewPlayable([]ProblemInfo{*p}, langs.IDs())
	if err != nil {
		t.Fatal(err)
	}
	cfg := match.Default()
	cfg.Countdown = 500 * time.Millisecond
	e := &env{t: t, dir: dir, nats: srv, st: st, cat: cat,
		opt: Options{Playable: cat, Logger: testLogger(), Match: cfg, TickEvery: 100 * time.Millisecond, TimerEvery: 20 * time.Millisecond,
			FairPlay: &fairplay.Rules{}}} // fresh accounts play ranked; fairplay_test.go sets the rules
	return e
}

func (e *env) addNode() *node {
	t := e.t
	t.Helper()
	nc, err := e.nats.Connect()
	if err != nil {
		t.Fatal(err)
	}
	cfg := execution.BusConfig()
	cfg.Memory = true
	cfg.LeaseTTL = 2 * time.Second
	b, err := bus.Setup(context.Background(), nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	api, err := httpapi.New(httpapi.Options{Store: e.st, Logger: testLogger(), PublicURL: "http://" + ts.Listener.Addr().String(),
		Auth: auth.Options{IPRate: auth.RateLimit{Burst: -1}, UserRate: auth.RateLimit{Burst: -1}, RegisterRate: auth.RateLimit{Burst: -1},
			Password: auth.PasswordParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = api
	ts.Start()
	t.Cleanup(ts.Close)
	ex, err := execution.New(context.Background(), execution.Options{Store: e.st, Bus: b,
		Catalog: &catalog.Dir{Root: filepath.Join(repoRoot(), "problems")}, Logger: testLogger(), Limits: e.limits})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ex.Close() })
	if e.judge && len(e.nodes) == 0 {
		w, err := worker.NewFromConfig(context.Background(), worker.Config{Bus: b, Store: e.st,
			DataDir: filepath.Join(e.dir, "worker"), Slots: 2, Runtime: "runc", Name: "w1", Logger: testLogger()})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = w.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	opt := e.opt
	opt.Store, opt.Bus, opt.Judge = e.st, b, ex
	// As cmd/segfault wires it: the hub counts addresses by the REST side's
	// trusted-proxy rule.
	opt.WS.Authenticate, opt.WS.SameOrigin, opt.WS.WriteError, opt.WS.ClientIP = api.Authenticate, api.SameOrigin, api.WriteError, api.ClientIP
	n := &node{nc: nc, bus: b, api: api, ts: ts, exec: ex}
	if e.fakeJudge != nil {
		opt.Judge = e.fakeJudge(n)
	}
	opt.Node = fmt.Sprintf("node%d", len(e.nodes)+1)
	svc, err := Start(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	n.svc = svc
	api.MountArena(svc, svc.Hub())
	api.Auth().OnSessionsEnded(svc.SessionsEnded)
	t.Cleanup(func() { svc.Stop(); nc.Close() })
	e.nodes = append(e.nodes, n)
	return n
}

// waitLeader waits until some node leads.
func (e *env) waitLeader() *node {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, n := range e.nodes {
			if n.svc.Leading() {
				return n
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatal("no leader elected")
	return nil
}

// owner is the node owning match id (as the first live node sees it).
func (e *env) owner(id string) *node {
	e.t.Helper()
	for _, n := range e.nodes {
		if n.nc.IsConnected() {
			name := n.svc.OwnerOf(id)
			for _, o := range e.nodes {
				if o.svc.Node() == name {
					return o
				}
			}
		}
	}
	e.t.Fatalf("no owner for match %s", id)
	return nil
}

// leader is the node running the matchmaker now.
func (e *env) leader() *node {
	for _, n := range e.nodes {
		if n.svc.Leading() && n.nc.IsConnected() {
			return n
		}
	}
	return nil
}

// survivor is a node that is none of the given ones.
func (e *env) survivor(not ...*node) *node {
	e.t.Helper()
	for _, n := range e.nodes {
		if !slices.Contains(not, n) {
			return n
		}
	}
	e.t.Fatal("no node left")
	return nil
}

// kill cuts a node off NATS for good: it can neither heartbeat nor act.
func (n *node) kill() { n.nc.Close() }

// moveTo reconnects a client to node n the way a browser does after its
// node went away: a new socket and resume.
func (w *wsClient) moveTo(n *node, token string) *wsClient {
	w.t.Helper()
	w.c.CloseNow()
	nw, resp, err := dialWS(w.t, n, token, nil)
	if err != nil {
		w.t.Fatalf("dial: %v (%v)", err, resp)
	}
	nw.request("resume", map[string]any{"client": "t", "subscriptions": map[string]any{}}, "snapshot")
	return nw
}

// user registers a player and returns its session token.
func (e *env) user(name string) (store.User, string) {
	e.t.Helper()
	u, tok, err := e.nodes[0].api.Auth().Register(context.Background(), name, "correct horse battery", auth.Proof{}, auth.Client{}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return u, tok
}

type frame struct {
	V    int             `json:"v"`
	Type string          `json:"type"`
	ID   string          `json:"id"`
	Data json.RawMessage `json:"data"`
}

func (f frame) get(v any) {
	_ = json.Unmarshal(f.Data, v)
}

func (f frame) code() string {
	var d struct {
		Code string `json:"code"`
	}
	f.get(&d)
	return d.Code
}

type wsClient struct {
	t      *testing.T
	c      *websocket.Conn
	frames chan frame
	closed chan struct{}
	err    error
	seq    int
	mu     sync.Mutex
	seen   []frame
}

func dialWS(t *testing.T, n *node, token string, hdr http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	if hdr == nil {
		hdr = http.Header{}
	}
	if token != "" {
		hdr.Set("Cookie", "sf_session="+token)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, strings.Replace(n.ts.URL, "http", "ws", 1)+"/ws",
		&websocket.DialOptions{HTTPHeader: hdr, Subprotocols: []string{"segfault.v1"}})
	if err != nil {
		return nil, resp, err
	}
	c.SetReadLimit(4 << 20)
	w := &wsClient{t: t, c: c, frames: make(chan frame, 4096), closed: make(chan struct{})}
	go func() {
		defer close(w.closed)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				w.err = err
				return
			}
			var f frame
			if json.Unmarshal(b, &f) != nil {
				continue
			}
			select {
			case w.frames <- f:
			default:
			}
		}
	}()
	t.Cleanup(func() { c.CloseNow() })
	return w, resp, nil
}

// connect dials and says hello.
func connect(t *testing.T, n *node, token string) *wsClient {
	t.Helper()
	w, resp, err := dialWS(t, n, token, nil)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	w.request("hello", map[string]any{"client": "test"}, "snapshot")
	return w
}

func (w *wsClient) send(typ, id string, data any) {
	w.t.Helper()
	m := map[string]any{"v": 1, "type": typ, "data": data}
	if id != "" {
		m["id"] = id
	}
	b, _ := json.Marshal(m)
	w.sendRaw(b)
}

func (w *wsClient) sendRaw(b []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = w.c.Write(ctx, websocket.MessageText, b)
}

// next waits for the next frame matching pred.
func (w *wsClient) next(timeout time.Duration, what string, pred func(frame) bool) frame {
	w.t.Helper()
	// Every wait is hang-only: the timeouts the tests pass are what a quiet
	// machine needs, a loaded one (load 40 on 2 cores) can take many times more.
	timeout = max(timeout, hangOnly)
	tm := time.NewTimer(timeout)
	defer tm.Stop()
	for {
		select {
		case f := <-w.frames:
			w.mu.Lock()
			w.seen = append(w.seen, f)
			w.mu.Unlock()
			if pred(f) {
				return f
			}
		case <-w.closed:
			select {
			case f := <-w.frames: // frames that arrived before the close
				if pred(f) {
					return f
				}
				continue
			default:
			}
			w.t.Fatalf("connection closed waiting for %s: %v", what, w.err)
		case <-tm.C:
			w.mu.Lock()
			var types []string
			for _, f := range w.seen[max(0, len(w.seen)-10):] {
				types = append(types, f.Type+":"+string(f.Data[:min(len(f.Data), 120)]))
			}
			w.mu.Unlock()
			w.t.Fatalf("no %s within %v; last frames: %v", what, timeout, types)
			return frame{}
		}
	}
}

func (w *wsClient) expect(typ string, timeout time.Duration) frame {
	w.t.Helper()
	return w.next(timeout, typ, func(f frame) bool { return f.Type == typ })
}

// request sends a request with a fresh id and returns its reply; it fails
// unless the reply has type want ("error" to expect an error).
func (w *wsClient) request(typ string, data any, want string) frame {
	w.t.Helper()
	w.seq++
	id := fmt.Sprintf("r%d", w.seq)
	w.send(typ, id, data)
	f := w.next(10*time.Second, "reply to "+typ, func(f frame) bool { return f.ID == id })
	if f.Type != want {
		w.t.Fatalf("%s: got %s %s, want %s", typ, f.Type, f.Data, want)
	}
	return f
}

// requestErr expects an error reply with code.
// requestErr sends a request that must be refused with code; it returns
// the error's data.
func (w *wsClient) requestErr(typ string, data any, code string) map[string]any {
	w.t.Helper()
	f := w.request(typ, data, "error")
	if f.code() != code {
		w.t.Fatalf("%s: error %s, want %s", typ, f.Data, code)
	}
	var d map[string]any
	f.get(&d)
	return d
}

// waitClosed waits for the server to close the connection; it returns the
// close status.
func (w *wsClient) waitClosed(timeout time.Duration) websocket.StatusCode {
	w.t.Helper()
	tm := time.NewTimer(timeout)
	defer tm.Stop()
	for {
		select {
		case <-w.frames:
		case <-w.closed:
			return websocket.CloseStatus(w.err)
		case <-tm.C:
			w.t.Fatalf("connection still open after %v", timeout)
		}
	}
}

// hangOnly is the least a test waits for a frame: only a hang reaches it.
const hangOnly = 2 * time.Minute
