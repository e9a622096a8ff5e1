package execution

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/bus/bustest"
	"github.com/segfaultarena/segfault/internal/execution/worker"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// repoRoot finds the module root (for problems/ and cmd/segfault).
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

func problemsDir(t testing.TB) string { return filepath.Join(repoRoot(t), "problems") }

func solution(t testing.TB, problem, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(problemsDir(t), problem, "submissions", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("SEGFAULT_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func openSQLite(t testing.TB, path string) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newAPIServer is an httpapi.Server with sign-in limits off (tests register
// many users from one address).
func newAPIServer(t testing.TB, st store.Store) (*httpapi.Server, *httptest.Server) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	api, err := httpapi.New(httpapi.Options{Store: st, Logger: testLogger(t), PublicURL: "http://" + ts.Listener.Addr().String(),
		Auth: auth.Options{IPRate: auth.RateLimit{Burst: -1}, UserRate: auth.RateLimit{Burst: -1}, RegisterRate: auth.RateLimit{Burst: -1},
			Password: auth.PasswordParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = api
	ts.Start()
	t.Cleanup(ts.Close)
	return api, ts
}

// client is one signed-in player talking to one API base URL (changeable,
// to move to another node).
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
}

func newClient(t testing.TB, base, username string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
	status, body := c.do("POST", "/api/v1/auth/register", map[string]string{"username": username, "password": "correct horse battery"})
	if status != http.StatusCreated {
		t.Fatalf("register %s: %d %s", username, status, body)
	}
	return c
}

// do sends a JSON request; the session cookie is kept per host:port, so
// after moving to another node the jar's cookie is copied over.
func (c *client) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	status, b, _ := c.doH(method, path, body)
	return status, b
}

func (c *client) doH(method, path string, body any) (int, []byte, http.Header) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, []byte(err.Error()), nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// moveTo points the client at another API node, keeping its session.
func (c *client) moveTo(base string) {
	from, _ := http.NewRequest("GET", c.base, nil)
	to, _ := http.NewRequest("GET", base, nil)
	c.hc.Jar.SetCookies(to.URL, c.hc.Jar.Cookies(from.URL))
	c.base = base
}

func (c *client) submit(problem, lang, code string) (string, int, []byte) {
	status, body := c.do("POST", "/api/v1/submissions", map[string]string{"problem": problem, "lang": lang, "code": code})
	if status != http.StatusAccepted {
		return "", status, body
	}
	var s protocol.Submission
	if err := json.Unmarshal(body, &s); err != nil {
		c.t.Fatalf("submit response %s: %v", body, err)
	}
	return s.ID, status, body
}

// wait polls until the submission is done (REST fallback).
func (c *client) wait(id string, timeout time.Duration) protocol.Submission {
	c.t.Helper()
	deadline := time.Now().Add(hangOnly(timeout))
	var last string
	for time.Now().Before(deadline) {
		status, body := c.do("GET", "/api/v1/submissions/"+id, nil)
		if status == http.StatusOK {
			var s protocol.Submission
			if err := json.Unmarshal(body, &s); err != nil {
				c.t.Fatalf("%s: %v", body, err)
			}
			if s.Status == string(store.SubmissionDone) {
				return s
			}
		}
		last = fmt.Sprintf("%d %s", status, strings.TrimSpace(string(body)))
		time.Sleep(100 * time.Millisecond)
	}
	c.t.Fatalf("submission %s not done after %v; last: %s", id, hangOnly(timeout), last)
	return protocol.Submission{}
}

// removeSandboxDirs deletes the sandbox dirs of a worker with this data
// dir when the test ends; register it before the worker's own cleanup so
// it runs after the worker stopped.
func removeSandboxDirs(t testing.TB, dataDir string) {
	state, _, err := worker.SandboxDirs(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(state)) })
}

// embeddedNATS starts an in-process NATS server with JetStream for one
// test and connects to it; both end with the test.
func embeddedNATS(t testing.TB) *nats.Conn {
	t.Helper()
	return bustest.Conn(t, bustest.Server(t))
}

// hangBound is the least time any wait of these tests gives what it waits
// for: every wait here is hang-only, never a figure the test asserts. A
// worker's start probes every installed toolchain (29 after
// scripts/setup.sh installs them all; each probe is cut at 2 min), and on
// the 2-core CI machine at load ~40 that alone took over 60 s, so waits of
// 60 s for a worker or a verdict failed on load (issue 12). 5 min is more
// than the longest probe plus a judgement at that load; only a hang waits
// that long.
const hangBound = 5 * time.Minute

// hangOnly is d, raised to hangBound.
func hangOnly(d time.Duration) time.Duration { return max(d, hangBound) }
