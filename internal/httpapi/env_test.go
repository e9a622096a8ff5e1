package httpapi_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/auth/authtest"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// cheap argon2 parameters keep the suite fast on 2 cores.
var cheapParams = auth.PasswordParams{Time: 1, MemoryKiB: 1024, Threads: 1, KeyLen: 32, SaltLen: 16}

type testEnv struct {
	t     *testing.T
	ts    *httptest.Server
	api   *httpapi.Server
	st    *sqlite.Store
	clock *authtest.Clock
	URL   string
}

// newEnv starts the real handler on loopback with a real SQLite store in a
// temp dir. The public URL is the server's own address, as in production.
func newEnv(t *testing.T, tls bool, mod func(*httpapi.Options)) *testEnv {
	t.Helper()
	st := authtest.NewStore(t)
	clk := authtest.NewClock(time.Now())
	ts := httptest.NewUnstartedServer(nil)
	scheme := "http"
	if tls {
		scheme = "https"
	}
	e := &testEnv{t: t, ts: ts, st: st, clock: clk, URL: scheme + "://" + ts.Listener.Addr().String()}
	opts := httpapi.Options{
		Store:     st,
		PublicURL: e.URL,
		Auth: auth.Options{
			Password:     cheapParams,
			IPRate:       auth.RateLimit{Burst: -1},
			UserRate:     auth.RateLimit{Burst: -1},
			RegisterRate: auth.RateLimit{Burst: -1},
			Now:          clk.Now,
		},
	}
	if os.Getenv("SEGFAULT_TEST_LOG") != "" {
		opts.Logger = testLogger(t)
	}
	if mod != nil {
		mod(&opts)
	}
	api, err := httpapi.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.api = api
	ts.Config.Handler = api
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	return e
}

// browser is a client with its own cookie jar, like one browser profile.
func (e *testEnv) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	if e.ts.TLS != nil {
		c.Transport = e.ts.Client().Transport
	}
	return c
}

type reply struct {
	status int
	header http.Header
	body   []byte
	code   string // error.code when the body is an error
}

func (r reply) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends one request. hdr may set any header; Content-Type defaults to
// application/json for bodies.
func (e *testEnv) do(c *http.Client, method, path, body string, hdr ...string) reply {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	if c == nil {
		c = e.browser()
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, body: b}
	var eb struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if json.Unmarshal(b, &eb) == nil {
		r.code = eb.Error.Code
		if r.code != "" && eb.Error.Message == "" {
			e.t.Errorf("%s %s: error %q without a message", method, path, r.code)
		}
	}
	return r
}

func (e *testEnv) count(table string) int64 { return authtest.Count(e.t, e.st, table) }

// cookie returns the named cookie the server set on the last reply.
func cookieNamed(h http.Header, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func creds(user, pw string) string {
	b, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	return string(b)
}

// landing follows a browser redirect chain from path and returns where it
// ended (URL) and the final response status.
func (e *testEnv) landing(c *http.Client, rawURL string) (*url.URL, int) {
	e.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = e.URL + rawURL
	}
	resp, err := c.Get(rawURL)
	if err != nil {
		e.t.Fatalf("GET %s: %v", rawURL, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.Request.URL, resp.StatusCode
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// testLogger shows the server's logs (access log included) in the test
// output when SEGFAULT_TEST_LOG is set.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

var (
	ioEOF   = io.EOF
	errDown = errors.New("queue is down")
)
