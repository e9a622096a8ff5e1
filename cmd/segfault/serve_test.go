package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/config"
)

func testConfig(t *testing.T, extra ...string) *config.Config {
	t.Helper()
	args := append([]string{"--addr", "127.0.0.1:0", "--data-dir", filepath.Join(t.TempDir(), "data"),
		"--argon2-memory", "8192", "--argon2-time", "1", "--problems-dir", "", "--register-pow-bits", "0"}, extra...)
	cfg, err := config.Load("serve", args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// startBound is how long a test waits for serve to listen. It only matters
// when serve hangs: serve listens once its in-process worker has probed the
// toolchains, and on a machine whose toolchain cache is cold the first
// worker compiles the Go standard library (make test prepares it first;
// `go test` alone on a fresh, loaded VM measured 5 min). Normal starts
// take about 2 s.
const startBound = 8 * time.Minute

// startServe runs serve in-process and returns its base URL and a stop func
// that cancels it and returns serve's error.
func startServe(t *testing.T, cfg *config.Config) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- serve(ctx, cfg, "serve", slog.New(slog.DiscardHandler), func(a string) { addrc <- a }) }()
	select {
	case a := <-addrc:
		return "http://" + a, func() error { cancel(); return <-errc }
	case err := <-errc:
		cancel()
		t.Fatalf("serve: %v", err)
	case <-time.After(startBound):
		cancel()
		t.Fatalf("serve did not start within %v", startBound)
	}
	return "", nil
}

func TestServeRegisterLoginMe(t *testing.T) {
	// The operators' endpoints on a port of their own, found free first.
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opsAddr := mln.Addr().String()
	mln.Close()
	cfg := testConfig(t, "--register-pow-bits", "6", "--metrics-addr", opsAddr, "--metrics-token", "0123456789abcdef")
	base, stop := startServe(t, cfg)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	post := func(path, body string) *http.Response {
		res, err := c.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// The sign-up challenge of the setting, solved as the web client does.
	res, err := c.Get(base + "/api/v1/auth/challenge")
	if err != nil {
		t.Fatal(err)
	}
	var ch struct {
		Bits  int    `json:"bits"`
		Stamp string `json:"stamp"`
	}
	if err := json.NewDecoder(res.Body).Decode(&ch); err != nil || ch.Bits != 6 {
		t.Fatalf("challenge: %+v %v", ch, err)
	}
	res.Body.Close()
	if res := post("/api/v1/auth/register", `{"username":"Ada","password":"correct horse battery"}`); res.StatusCode != 400 {
		t.Fatalf("register without the proof: %d", res.StatusCode)
	}
	p := auth.SolveProof("ada", auth.Challenge{Bits: ch.Bits, Stamp: ch.Stamp})
	if res := post("/api/v1/auth/register", fmt.Sprintf(`{"username":"Ada","password":"correct horse battery","proof":{"stamp":%q,"nonce":%q}}`, p.Stamp, p.Nonce)); res.StatusCode != 201 {
		t.Fatalf("register: %d", res.StatusCode)
	}
	if res := post("/api/v1/auth/logout", ``); res.StatusCode != 204 {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res := post("/api/v1/auth/login", `{"username":"ada","password":"correct horse battery"}`); res.StatusCode != 200 {
		t.Fatalf("login: %d", res.StatusCode)
	}
	res, err = c.Get(base + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	var me map[string]any
	json.NewDecoder(res.Body).Decode(&me)
	res.Body.Close()
	if res.StatusCode != 200 || me["username"] != "ada" || me["rating"] != 1500.0 || me["rd"] != 350.0 || me["level"] != 1.0 {
		t.Fatalf("me: %d %v", res.StatusCode, me)
	}
	get := func(url string, token string) *http.Response {
		req, _ := http.NewRequest("GET", url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	// Public: /healthz and /readyz; /metrics only with the token or on
	// the operators' address.
	for _, tc := range []struct {
		url, token string
		status     int
	}{
		{base + "/healthz", "", 200}, {base + "/readyz", "", 200}, {base + "/metrics", "", 404},
		{base + "/metrics", "0123456789abcdef", 200}, {"http://" + opsAddr + "/metrics", "", 200},
		{"http://" + opsAddr + "/readyz", "", 200},
	} {
		if res := get(tc.url, tc.token); res.StatusCode != tc.status {
			t.Fatalf("GET %s (token %q): %d, want %d", tc.url, tc.token, res.StatusCode, tc.status)
		}
	}
	// /readyz shows the judge queue's depth and the in-process workers.
	var workers float64
	for deadline := time.Now().Add(time.Minute); workers < 1 && time.Now().Before(deadline); {
		var ready struct {
			Checks map[string]struct {
				OK     bool           `json:"ok"`
				Detail map[string]any `json:"detail"`
			} `json:"checks"`
		}
		res, err := c.Get("http://" + opsAddr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(res.Body).Decode(&ready)
		res.Body.Close()
		q := ready.Checks["judge_queue"]
		if !q.OK || q.Detail["queues"] == nil {
			t.Fatalf("readyz judge_queue: %+v", q)
		}
		workers, _ = q.Detail["workers"].(float64)
		time.Sleep(100 * time.Millisecond)
	}
	if workers < 1 {
		t.Fatal("readyz never showed an in-process worker")
	}
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "segfault.db")); err != nil {
		t.Fatalf("data dir not used: %v", err)
	}
}

// TestGracefulShutdownOnSIGTERM runs the real binary: a request whose body is
// still arriving when SIGTERM lands must complete, then the process exits 0.
func TestGracefulShutdownOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	// make test passes the binary it has just built from this tree.
	bin := os.Getenv("SEGFAULT_TEST_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "segfault")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bytes.Buffer
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data-dir", filepath.Join(t.TempDir(), "d"),
		"--argon2-memory", "8192", "--argon2-time", "1", "--problems-dir", "", "--register-pow-bits", "0",
		"--shutdown-timeout", "2m") // the in-flight request's time to finish: a hang-only bound
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var conn net.Conn
	for deadline := time.Now().Add(startBound); time.Now().Before(deadline); {
		if conn, err = net.Dial("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not come up: %v\n%s", err, logs.String())
	}
	defer conn.Close()
	body := `{"username":"grace","password":"correct horse battery"}`
	// Expect: 100-continue makes the server answer "100 Continue" when the
	// handler first reads the body: once it has arrived, the request is
	// in flight (no sleep guessing when the server got to it).
	fmt.Fprintf(conn, "POST /api/v1/auth/register HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:10])
	br := bufio.NewReader(conn)
	conn.SetReadDeadline(time.Now().Add(startBound)) // a hang-only bound
	cont, err := http.ReadResponse(br, nil)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue while the handler reads the body, got %v %v\n%s", cont, err, logs.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The rest of the body arrives after SIGTERM (the shutdown has begun
	// by then on any machine not starved for 300 ms; if not, the request
	// still has to complete, which is what is checked).
	time.Sleep(300 * time.Millisecond)
	io.WriteString(conn, body[10:])
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight request lost: %v\n%s", err, logs.String())
	}
	if res.StatusCode != 201 {
		t.Fatalf("in-flight request: status %d", res.StatusCode)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, logs.String())
		}
	case <-time.After(2 * time.Minute): // only a hang reaches this; a clean exit takes about a second
		t.Fatalf("no exit after SIGTERM\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "stopped cleanly") {
		t.Fatalf("logs: %s", logs.String())
	}
}

func TestUserCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	run := func(stdin string, args ...string) (int, string) {
		var out, errb bytes.Buffer
		args = append(args, "--data-dir", dir, "--argon2-memory", "8192", "--argon2-time", "1")
		code := userMain(context.Background(), args, strings.NewReader(stdin), &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := run("a long password\n", "create", "Root", "--role", "admin"); code != 0 || !strings.Contains(out, "role admin") {
		t.Fatalf("create: %d %s", code, out)
	}
	if code, out := run("a long password\n", "create", "root"); code != 1 || !strings.Contains(out, "taken") {
		t.Fatalf("duplicate create: %d %s", code, out)
	}
	if code, out := run("short\n", "create", "bob"); code != 1 || !strings.Contains(out, "password") {
		t.Fatalf("short password: %d %s", code, out)
	}
	if code, out := run("", "role", "root", "player"); code != 0 || !strings.Contains(out, "now player") {
		t.Fatalf("role: %d %s", code, out)
	}
	if code, out := run("", "role", "root", "god"); code != 1 || !strings.Contains(out, "player or admin") {
		t.Fatalf("bad role: %d %s", code, out)
	}
	if code, out := run("", "disable", "root"); code != 0 || !strings.Contains(out, "disabled") {
		t.Fatalf("disable: %d %s", code, out)
	}
	if code, out := run("", "enable", "nobody"); code != 1 || !strings.Contains(out, "no such user") {
		t.Fatalf("enable missing: %d %s", code, out)
	}
	if code, _ := run("", "frobnicate", "root"); code != 1 {
		t.Fatalf("unknown action: %d", code)
	}
}

func TestHelpListsCommands(t *testing.T) {
	for _, n := range []string{"serve", "api", "worker", "migrate", "user", "version"} {
		if _, ok := commands[n]; !ok {
			t.Errorf("command %s missing", n)
		}
	}
}

// TestServeArenaPlaysTheCatalog: serve's arena plays on the problem
// catalog in the database (the bundled directory imported once at
// start-up): practice through the lobby starts on a bundled problem with
// its statement and samples, and code.run is answered by a judge worker on
// the match's version (the real sample-run path: sandbox and all).
func TestServeArenaPlaysTheCatalog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "problems")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", filepath.Join("..", "..", "problems", "peak-count"), dir).CombinedOutput(); err != nil {
		t.Fatalf("copy problem: %v %s", err, out)
	}
	cfg := testConfig(t, "--problems-dir", dir)
	base, stop := startServe(t, cfg)
	defer stop()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	res, err := c.Post(base+"/api/v1/auth/register", "application/json", strings.NewReader(`{"username":"ada","password":"correct horse battery"}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("register: %v %v", err, res)
	}
	res.Body.Close()
	var token string
	u, _ := http.NewRequest("GET", base, nil)
	for _, ck := range jar.Cookies(u.URL) {
		if strings.HasSuffix(ck.Name, "sf_session") {
			token = ck.Value
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ws, err := ltDial(ctx, base, token)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	reply := func(id string) ltFrame {
		t.Helper()
		for {
			f, err := ltRead(ctx, ws)
			if err != nil {
				t.Fatalf("waiting for %s: %v", id, err)
			}
			if f.ID == id {
				return f
			}
		}
	}
	_ = ltSend(ctx, ws, "hello", "h", map[string]string{"client": "test"})
	reply("h")
	_ = ltSend(ctx, ws, "queue.join", "p0", map[string]string{"mode": "practice", "problem_id": "nope"})
	if f := reply("p0"); f.Type != "error" || !strings.Contains(string(f.Data), "problem_not_found") {
		t.Fatalf("unknown practice problem: %s %s", f.Type, f.Data)
	}
	_ = ltSend(ctx, ws, "queue.join", "p1", map[string]string{"mode": "practice", "problem_id": "peak-count"})
	f := reply("p1")
	var st struct {
		MatchID  string `json:"match_id"`
		StartsAt string `json:"starts_at"`
		Problem  struct {
			Title   string `json:"title"`
			Samples []any  `json:"samples"`
		} `json:"problem"`
	}
	_ = json.Unmarshal(f.Data, &st)
	if f.Type != "match.state" || st.Problem.Title != "Signal Peaks" || len(st.Problem.Samples) != 2 {
		t.Fatalf("practice: %s %s", f.Type, f.Data)
	}
	starts, _ := time.Parse(time.RFC3339Nano, st.StartsAt)
	time.Sleep(time.Until(starts) + 100*time.Millisecond)
	_ = ltSend(ctx, ws, "code.run", "r1", map[string]string{"match_id": st.MatchID, "lang": "python", "code": "print(2)\n"})
	f = reply("r1")
	var rr struct {
		MatchID string `json:"match_id"`
		Results []struct {
			Verdict string `json:"verdict"`
			Actual  string `json:"actual"`
		} `json:"results"`
	}
	_ = json.Unmarshal(f.Data, &rr)
	if f.Type != "run.result" || rr.MatchID != st.MatchID || len(rr.Results) != 2 || rr.Results[0].Actual != "2\n" {
		t.Fatalf("code.run: %s %s", f.Type, f.Data)
	}
}

// TestServeTrustedProxies: behind a proxy named by --trusted-proxies the
// per-address limits count the client its X-Forwarded-For names, not the
// proxy (without the setting every player behind it would share one
// address). Sign-up allows one account per address here.
func TestServeTrustedProxies(t *testing.T) {
	cfg := testConfig(t, "--trusted-proxies", "127.0.0.1", "--register-ip-burst", "1")
	base, stop := startServe(t, cfg)
	defer stop()
	register := func(name, client string) int {
		req, _ := http.NewRequest("POST", base+"/api/v1/auth/register",
			strings.NewReader(`{"username":"`+name+`","password":"a long enough passphrase 1"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", client)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := register("proxied_one", "203.0.113.1"); got != http.StatusCreated {
		t.Fatalf("first client: %d, want 201", got)
	}
	if got := register("proxied_two", "203.0.113.2"); got != http.StatusCreated {
		t.Fatalf("second client behind the same proxy: %d, want 201 (its own address)", got)
	}
	if got := register("proxied_three", "203.0.113.1"); got != http.StatusTooManyRequests {
		t.Fatalf("first client again: %d, want 429", got)
	}
}
