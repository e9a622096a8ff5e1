package execution

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/catalog"
	"github.com/segfaultarena/segfault/internal/execution/jobs"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/postgres"
)

// Fault tests run real processes on loopback: nats-server, `segfault
// worker` (built from this tree) and API nodes in the test process. They
// use the runc sandbox like production.

const natsServerBin = "/usr/sbin/nats-server"

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// segfaultBinary is the binary make test has just built from this tree
// (SEGFAULT_TEST_BIN), else cmd/segfault built once per test run.
func segfaultBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if builtBin = os.Getenv("SEGFAULT_TEST_BIN"); builtBin != "" {
			return
		}
		dir, err := os.MkdirTemp("", "segfault-fault-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "segfault")
		cmd := exec.Command("go", "build", "-o", builtBin, "./cmd/segfault")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/segfault: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// proc is a child process whose stderr is kept for the test log.
type proc struct {
	name string
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func (p *proc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func startProc(t *testing.T, name string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p, p
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.stop(syscall.SIGTERM, 10*time.Second)
		if t.Failed() || os.Getenv("SEGFAULT_TEST_LOG") != "" {
			t.Logf("---- %s output ----\n%s", name, p.output())
		}
	})
	return p
}

// stop signals the process and waits, killing it after grace.
func (p *proc) stop(sig syscall.Signal, grace time.Duration) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

func (p *proc) waitOutput(t *testing.T, re *regexp.Regexp, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(hangOnly(timeout))
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(p.output()); m != nil {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: no %q in output after %v:\n%s", p.name, re, hangOnly(timeout), p.output())
	return nil
}

// natsProc is an external nats-server with JetStream on a random port.
type natsProc struct {
	*proc
	url, dir string
	port     int
}

func startNATS(t *testing.T, port int, dir string) *natsProc {
	t.Helper()
	if _, err := os.Stat(natsServerBin); err != nil {
		t.Skipf("%s not installed (Debian package nats-server)", natsServerBin)
	}
	p := startProc(t, "nats-server", natsServerBin, "-js", "-a", "127.0.0.1", "-p", fmt.Sprint(port), "-sd", dir)
	p.waitOutput(t, regexp.MustCompile(`Server is ready`), time.Minute) // a second or two; a minute is a hang
	return &natsProc{proc: p, url: fmt.Sprintf("nats://127.0.0.1:%d", port), dir: dir, port: port}
}

// cluster is the scaled-out shape on loopback: external NATS, a SQLite
// file shared by API nodes (in this process) and worker processes.
type cluster struct {
	t      *testing.T
	dir    string
	dbPath string
	pgDSN  string // set: PostgreSQL instead of the SQLite file
	nats   *natsProc
}

// usePostgres switches the cluster to a fresh PostgreSQL schema (the
// production shape), skipping outside CI when PostgreSQL is unreachable.
func (c *cluster) usePostgres() {
	c.t.Helper()
	dsn := os.Getenv("SEGFAULT_TEST_PG")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if os.Getenv("CI") != "" {
			c.t.Fatalf("PostgreSQL unreachable: %v", err)
		}
		c.t.Skipf("PostgreSQL unreachable: %v", err)
	}
	defer conn.Close(context.Background())
	schema := "segfault_exec_" + jobs.NewID()[:12]
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), dsn)
		if err == nil {
			conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			conn.Close(context.Background())
		}
	})
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	c.pgDSN = u.String()
	st := c.openStore()
	if err := st.Migrate(context.Background()); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cluster) openStore() store.Store {
	c.t.Helper()
	if c.pgDSN == "" {
		return openSQLite(c.t, c.dbPath)
	}
	st, err := postgres.Open(context.Background(), c.pgDSN)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { st.Close() })
	return st
}

func (c *cluster) dbFlag() string {
	if c.pgDSN != "" {
		return c.pgDSN
	}
	return "sqlite:" + c.dbPath
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	segfaultBinary(t) // build first: keeps build time out of the timeouts below
	dir := t.TempDir()
	c := &cluster{t: t, dir: dir, dbPath: filepath.Join(dir, "arena.db")}
	c.nats = startNATS(t, freePort(t), filepath.Join(dir, "nats"))
	openSQLite(t, c.dbPath) // migrate once
	return c
}

type apiNode struct {
	url string
	e   *Embedded
	ts  interface{ Close() }
	st  store.Store
}

func (c *cluster) apiNode(lim Limits) *apiNode {
	c.t.Helper()
	st := c.openStore()
	api, ts := newAPIServer(c.t, st)
	e, err := NewAPI(context.Background(), APIOptions{NATSURL: c.nats.url, Store: st, Registry: api.Registry(),
		Catalog: &catalog.Dir{Root: problemsDir(c.t)}, Logger: testLogger(c.t), Limits: lim})
	if err != nil {
		c.t.Fatal(err)
	}
	api.MountJudge(e.Service)
	n := &apiNode{url: ts.URL, e: e, ts: ts, st: st}
	c.t.Cleanup(func() { n.stop() })
	return n
}

func (n *apiNode) stop() {
	if n.e == nil {
		return
	}
	n.ts.Close()
	n.e.Close()
	n.e = nil
}

var workerStarted = regexp.MustCompile(`worker healthy: taking jobs`)

func (c *cluster) worker(name string, extra ...string) *proc {
	c.t.Helper()
	dataDir := filepath.Join(c.dir, name)
	args := append([]string{"worker", "--nats", c.nats.url, "--db", c.dbFlag(),
		"--data-dir", dataDir, "--workers", "1", "--sandbox-runtime", "runc",
		"--addr", "127.0.0.1:0", "--log-level", "debug"}, extra...)
	// Registered before startProc's cleanup, so it runs after the worker
	// stopped: remove what a killed worker left (containers, cgroups).
	c.t.Cleanup(func() {
		state, boxes, _ := worker.SandboxDirs(dataDir) // dataDir is absolute
		out, err := exec.Command(segfaultBinary(c.t), "__sandbox", "--sandbox-runtime", "runc", "--state-dir", state, "--box-dir", boxes, "cleanup").CombinedOutput()
		if err != nil {
			c.t.Logf("sandbox cleanup of %s: %v\n%s", name, err, out)
		}
		os.RemoveAll(filepath.Dir(state))
	})
	return startProc(c.t, name, segfaultBinary(c.t), args...)
}

// slowAC is an accepted solution that sleeps 0.25 s per test, so a job
// lasts seconds and a worker can be killed in the middle of it.
func slowAC(t *testing.T) string {
	return "import time\ntime.sleep(0.25)\n" + solution(t, "two-divisors", "accepted/incl_excl.py")
}

func resultRows(t *testing.T, st store.Store, id string) int {
	t.Helper()
	sub, err := st.Submission(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Result == nil {
		return 0
	}
	return 1
}

// Fault 1: kill -9 a worker while it judges → the job is redelivered to
// another worker, exactly one result.
func TestFaultWorkerKilledMidJob(t *testing.T) {
	c := newCluster(t)
	api := c.apiNode(Limits{})
	a := c.worker("worker-a")
	a.waitOutput(t, workerStarted, 60*time.Second)

	compiling := make(chan Event, 16)
	sub, err := api.e.Bus.NC.Subscribe(api.e.Bus.Names.AllUserEvents(), func(m *nats.Msg) {
		var ev Event
		if json.Unmarshal(m.Data, &ev) == nil && ev.Phase == PhaseTesting && ev.Test >= 2 {
			select {
			case compiling <- ev:
			default:
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()

	cl := newClient(t, api.url, "kim")
	id, status, body := cl.submit("two-divisors", "python", slowAC(t))
	if status != http.StatusAccepted {
		t.Fatalf("submit: %d %s", status, body)
	}
	select {
	case ev := <-compiling:
		if !strings.Contains(ev.Worker, fmt.Sprintf("-%d-", a.cmd.Process.Pid)) {
			t.Fatalf("job ran on %s, want worker-a (pid %d)", ev.Worker, a.cmd.Process.Pid)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("worker-a never got to test 2:\n%s", a.output())
	}
	a.stop(syscall.SIGKILL, 5*time.Second)
	killedAt := time.Now()
	b := c.worker("worker-b")

	got := cl.wait(id, 90*time.Second)
	t.Logf("redelivered and judged %v after the kill", time.Since(killedAt).Round(100*time.Millisecond))
	if got.Result == nil || got.Result.Verdict != "AC" {
		t.Fatalf("result %+v, want AC", got.Result)
	}
	if got.Attempts != 2 {
		t.Errorf("%d attempts, want 2 (killed one, then the redelivery)", got.Attempts)
	}
	stored, err := api.st.Submission(context.Background(), id)
	if err != nil || stored.Result == nil || !strings.Contains(stored.Result.Worker, fmt.Sprintf("-%d-", b.cmd.Process.Pid)) {
		t.Fatalf("result stored by %q, want worker-b (pid %d): %v", stored.Result.Worker, b.cmd.Process.Pid, err)
	}
	if n := resultRows(t, api.st, id); n != 1 {
		t.Fatalf("%d results, want 1", n)
	}
	// Worker-b acked: nothing left in the queue.
	waitQueueEmpty(t, api.e.Service)
}

// waitQueueEmpty waits until no ranked or practice job is pending or
// unacknowledged. The analysis queue is left out: an Accepted result
// queues a coach analysis that runs for seconds after the judge job was
// acked.
func waitQueueEmpty(t *testing.T, s *Service) {
	t.Helper()
	deadline := time.Now().Add(hangOnly(30 * time.Second))
	for time.Now().Before(deadline) {
		time.Sleep(600 * time.Millisecond) // past the status cache
		st, err := s.Status(context.Background())
		if err == nil {
			left := 0
			for _, p := range []string{PriorityRanked, PriorityPractice} {
				d := st.Queues[p]
				left += int(d.Pending) + d.InFlight
			}
			if left == 0 {
				return
			}
		}
	}
	t.Fatal("judge queue not empty")
}

// Fault 2: restart nats-server during a stream of submissions → every
// accepted submission ends with exactly one verdict.
func TestFaultNATSRestart(t *testing.T) {
	c := newCluster(t)
	api := c.apiNode(Limits{Submit: ratelimitRateOff(), MaxInFlight: 100, MaxQueued: 1000})
	w1, w2 := c.worker("worker-1"), c.worker("worker-2")
	w1.waitOutput(t, workerStarted, 60*time.Second)
	w2.waitOutput(t, workerStarted, 60*time.Second)

	cl := newClient(t, api.url, "nat")
	src := solution(t, "two-divisors", "accepted/incl_excl.py")
	var accepted []string
	refused := 0
	n := 16
	if testing.Short() {
		n = 10
	}
	for i := range n {
		if i == n/2 {
			// Restart: stop (SIGTERM, JetStream flushes), start on the same
			// port and store directory.
			c.nats.stop(syscall.SIGTERM, 10*time.Second)
			go func() {
				time.Sleep(1500 * time.Millisecond)
				c.nats = startNATS(t, c.nats.port, c.nats.dir)
			}()
		}
		id, status, body := cl.submit("two-divisors", "python", src)
		switch status {
		case http.StatusAccepted:
			accepted = append(accepted, id)
		case http.StatusServiceUnavailable, http.StatusInternalServerError:
			refused++ // not accepted: the client was told to retry
		default:
			t.Fatalf("submit %d: %d %s", i, status, body)
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Logf("%d accepted, %d refused while NATS was down", len(accepted), refused)
	if len(accepted) < n/2 {
		t.Fatalf("only %d of %d submissions accepted", len(accepted), n)
	}
	verdicts := map[string]int{}
	for _, id := range accepted {
		got := cl.wait(id, 120*time.Second)
		verdicts[string(got.Result.Verdict)]++
		if n := resultRows(t, api.st, id); n != 1 {
			t.Fatalf("%s: %d results", id, n)
		}
	}
	t.Logf("verdicts: %v", verdicts)
	if verdicts["AC"] < len(accepted)-1 {
		// A job in flight at the restart may be judged twice; it must
		// still end AC. IE is tolerated for at most one unlucky publish.
		t.Errorf("verdicts %v, want all AC", verdicts)
	}
}

// Fault 3: stop one of two API nodes → its clients continue on the other
// and still get their results (REST polling). This one runs the full
// scaled-out shape: external NATS and PostgreSQL.
func TestFaultAPINodeStops(t *testing.T) {
	c := newCluster(t)
	c.usePostgres()
	a, b := c.apiNode(Limits{}), c.apiNode(Limits{})
	w := c.worker("worker")
	w.waitOutput(t, workerStarted, 60*time.Second)

	cl := newClient(t, a.url, "moe")
	id, status, body := cl.submit("two-divisors", "python", slowAC(t))
	if status != http.StatusAccepted {
		t.Fatalf("submit: %d %s", status, body)
	}
	a.stop()
	if status, _ := cl.do("GET", "/api/v1/submissions/"+id, nil); status != 0 {
		t.Fatalf("node a still answers after stop: %d", status)
	}
	cl.moveTo(b.url) // the load balancer's job in production
	got := cl.wait(id, 60*time.Second)
	if got.Result == nil || got.Result.Verdict != "AC" {
		t.Fatalf("result via node b: %+v", got.Result)
	}
	// And new submissions through b work.
	id2, status, body := cl.submit("two-divisors", "python", solution(t, "two-divisors", "wrong_answer/no_overlap.py"))
	if status != http.StatusAccepted {
		t.Fatalf("submit via b: %d %s", status, body)
	}
	if got := cl.wait(id2, 60*time.Second); got.Result.Verdict != "WA" {
		t.Fatalf("second result %+v", got.Result)
	}
}

// Fault 4: a worker whose sandbox runtime is missing reports unhealthy and
// takes no jobs; a healthy worker then judges the waiting job.
func TestFaultWorkerRuntimeMissing(t *testing.T) {
	c := newCluster(t)
	api := c.apiNode(Limits{})
	bad := c.worker("worker-bad", "--sandbox-binary", "/nonexistent/runc")
	bad.waitOutput(t, regexp.MustCompile(`worker unhealthy: taking no jobs`), 60*time.Second)
	m := bad.waitOutput(t, regexp.MustCompile(`health endpoint".*? addr=(127\.0\.0\.1:\d+)`), 10*time.Second)
	resp, err := http.Get("http://" + m[1] + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("bad worker /readyz = %d, want 503", resp.StatusCode)
	}
	resp, err = http.Get("http://" + m[1] + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), "\nsegfault_worker_healthy 0\n") {
		t.Fatalf("bad worker metrics lack segfault_worker_healthy 0:\n%s", metrics)
	}

	cl := newClient(t, api.url, "una")
	// Worker errors name host paths: the judge status shows them to
	// administrators only, so una is one.
	u, err := api.st.UserByUsername(context.Background(), "una")
	if err != nil {
		t.Fatal(err)
	}
	if err := api.st.SetUserRole(context.Background(), u.ID, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	id, status, body := cl.submit("two-divisors", "python", solution(t, "two-divisors", "accepted/incl_excl.py"))
	if status != http.StatusAccepted {
		t.Fatalf("submit: %d %s", status, body)
	}
	// The registry shows it unhealthy with the reason. Heartbeats come
	// every few seconds: wait for the one with the reason (a minute only
	// matters when it never comes).
	var st struct {
		Healthy int          `json:"healthy_workers"`
		Workers []WorkerInfo `json:"workers"`
	}
	for deadline := time.Now().Add(hangOnly(time.Minute)); ; time.Sleep(200 * time.Millisecond) {
		st.Healthy, st.Workers = 0, nil
		status, body = cl.do("GET", "/api/v1/judge/status", nil)
		if status != http.StatusOK || json.Unmarshal(body, &st) != nil {
			t.Fatalf("status: %d %s", status, body)
		}
		if len(st.Workers) == 1 && strings.Contains(st.Workers[0].Error, "not found") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("registry = %s, want one unhealthy worker saying the runtime is not found", body)
		}
	}
	if st.Healthy != 0 || st.Workers[0].Healthy {
		t.Fatalf("registry = %s, want the worker unhealthy", body)
	}
	sub, err := api.st.Submission(context.Background(), id)
	if err != nil || sub.Status != store.SubmissionQueued || sub.Attempts != 0 {
		t.Fatalf("unhealthy worker touched the job: %+v, %v", sub, err)
	}
	good := c.worker("worker-good")
	got := cl.wait(id, 90*time.Second)
	if got.Result.Verdict != "AC" || got.Attempts != 1 {
		t.Fatalf("result %+v after %d attempts, want AC after 1", got.Result, got.Attempts)
	}
	stored, _ := api.st.Submission(context.Background(), id)
	if !strings.Contains(stored.Result.Worker, fmt.Sprintf("-%d-", good.cmd.Process.Pid)) {
		t.Fatalf("judged by %s, want the healthy worker", stored.Result.Worker)
	}
}
