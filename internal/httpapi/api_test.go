package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/httpapi"
)

type me struct {
	ID          int64   `json:"id"`
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	AvatarURL   string  `json:"avatar_url"`
	Role        string  `json:"role"`
	Rating      float64 `json:"rating"`
	RD          float64 `json:"rd"`
	Volatility  float64 `json:"volatility"`
	XP          int64   `json:"xp"`
	Level       int     `json:"level"`
	// A new player: created now, no match played (the client greets them).
	CreatedAt     string `json:"created_at"`
	MatchesPlayed int    `json:"matches_played"`
}

func TestRegisterLoginMeLogout(t *testing.T) {
	e := newEnv(t, false, nil)
	b := e.browser()

	r := e.do(b, "POST", "/api/v1/auth/register", creds("Ada_Lovelace", "analytical-engine"))
	if r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	c := cookieNamed(r.header, "sf_session")
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || len(c.Value) != 43 {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure on http, 43-char token", c)
	}
	var got me
	r.json(t, &got)
	want := me{ID: got.ID, Username: "ada_lovelace", DisplayName: "ada_lovelace", Role: "player", Rating: 1500, RD: 350, Volatility: 0.06, XP: 0, Level: 1,
		CreatedAt: got.CreatedAt, MatchesPlayed: 0}
	if created, err := time.Parse(time.RFC3339, got.CreatedAt); err != nil || time.Since(created) > time.Hour || time.Until(created) > time.Minute {
		t.Fatalf("created_at %q: want the registration time", got.CreatedAt)
	}
	if got != want || got.ID == 0 {
		t.Fatalf("register body %+v; want %+v", got, want)
	}

	r = e.do(b, "GET", "/api/v1/me", "")
	var m me
	r.json(t, &m)
	if r.status != 200 || m != want {
		t.Fatalf("me: %d %+v", r.status, m)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("API Cache-Control = %q", cc)
	}

	// Login from a second browser, with the name in another case.
	b2 := e.browser()
	r = e.do(b2, "POST", "/api/v1/auth/login", creds("ADA_LOVELACE", "analytical-engine"))
	if r.status != http.StatusOK || cookieNamed(r.header, "sf_session") == nil {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	if n := e.count("sessions"); n != 2 {
		t.Fatalf("sessions = %d; want 2 (two browsers)", n)
	}
	// Signing in again in browser 2 rotates its session instead of adding one.
	e.do(b2, "POST", "/api/v1/auth/login", creds("ada_lovelace", "analytical-engine"))
	if n := e.count("sessions"); n != 2 {
		t.Fatalf("sessions = %d after re-login; want 2 (old one revoked)", n)
	}

	r = e.do(b, "POST", "/api/v1/auth/logout", "")
	if r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	if r = e.do(b, "GET", "/api/v1/me", ""); r.status != 401 || r.code != "unauthenticated" {
		t.Fatalf("me after logout: %d %s", r.status, r.body)
	}
	if r = e.do(b2, "GET", "/api/v1/me", ""); r.status != 200 {
		t.Fatalf("other browser signed out too: %d", r.status)
	}
	if n := e.count("sessions"); n != 1 {
		t.Fatalf("sessions = %d after logout; want 1", n)
	}
}

// TestLogoutRevokesServerSide replays the cookie value after logout, as a
// thief holding a copy would: the server must refuse it.
func TestLogoutRevokesServerSide(t *testing.T) {
	e := newEnv(t, false, nil)
	r := e.do(nil, "POST", "/api/v1/auth/register", creds("grace", "cobol-rules-ok"))
	tok := cookieNamed(r.header, "sf_session").Value
	cookie := "sf_session=" + tok
	if r := e.do(nil, "GET", "/api/v1/me", "", "Cookie", cookie); r.status != 200 {
		t.Fatalf("me with cookie: %d", r.status)
	}
	if r := e.do(nil, "POST", "/api/v1/auth/logout", "", "Cookie", cookie); r.status != 204 {
		t.Fatalf("logout: %d", r.status)
	}
	if r := e.do(nil, "GET", "/api/v1/me", "", "Cookie", cookie); r.status != 401 || r.code != "unauthenticated" {
		t.Fatalf("me with revoked cookie: %d %s", r.status, r.body)
	}
	if r := e.do(nil, "POST", "/api/v1/auth/logout", ""); r.status != 204 {
		t.Fatalf("logout without a session: %d", r.status)
	}
}

func TestBadInput(t *testing.T) {
	e := newEnv(t, false, func(o *httpapi.Options) { o.BodyLimit = 1024 })
	if r := e.do(nil, "POST", "/api/v1/auth/register", creds("taken_name", "password-123")); r.status != 201 {
		t.Fatalf("seed user: %d", r.status)
	}
	users, sessions := e.count("users"), e.count("sessions")
	big := `{"username":"bigbody","password":"` + strings.Repeat("x", 2000) + `"}`

	type tc struct {
		name, path, body string
		hdr              []string
		status           int
		code             string
	}
	cases := []tc{
		{"malformed json", "register", `{"username":"abc",`, nil, 400, "invalid_json"},
		{"syntax error", "register", `{"username" "abc"}`, nil, 400, "invalid_json"},
		{"unknown field", "register", `{"username":"abcd","password":"password-123","admin":true}`, nil, 400, "unknown_field"},
		{"unknown field login", "login", `{"username":"taken_name","password":"password-123","remember":1}`, nil, 400, "unknown_field"},
		{"trailing garbage", "register", `{"username":"abcd","password":"password-123"} garbage`, nil, 400, "invalid_json"},
		{"two objects", "register", `{"username":"abcd","password":"password-123"}{"username":"efgh"}`, nil, 400, "invalid_json"},
		{"empty body", "register", ``, nil, 400, "invalid_json"},
		{"array", "register", `[1,2]`, nil, 400, "invalid_json"},
		{"wrong type", "register", `{"username":12345,"password":"password-123"}`, nil, 400, "invalid_json"},
		{"body too large", "register", big, nil, 413, "body_too_large"},
		{"body too large login", "login", big, nil, 413, "body_too_large"},
		{"form content type", "register", `username=abcd&password=password-123`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"},
		{"text/plain", "login", creds("taken_name", "password-123"), []string{"Content-Type", "text/plain"}, 415, "unsupported_media_type"},
		{"short password", "register", creds("shorty", "123456789"), nil, 400, "invalid_password"},
		{"long password", "register", creds("longy", strings.Repeat("p", 257)), nil, 400, "invalid_password"},
		{"taken", "register", creds("taken_name", "password-123"), nil, 409, "username_taken"},
		{"taken other case", "register", creds("TAKEN_Name", "password-123"), nil, 409, "username_taken"},
		{"bad password", "login", creds("taken_name", "password-124"), nil, 401, "bad_credentials"},
		{"unknown user", "login", creds("nobody_here", "password-123"), nil, 401, "bad_credentials"},
		{"empty login", "login", `{}`, nil, 401, "bad_credentials"},
	}
	for _, name := range []string{"ab", "", strings.Repeat("a", 33), "has space", "dot.dot", "émile", "semi;colon", "tab\tname", "İstanbul", "null\u0000"} {
		cases = append(cases, tc{"username " + strconv.Quote(name), "register", creds(name, "password-123"), nil, 400, "invalid_username"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(nil, "POST", "/api/v1/auth/"+c.path, c.body, c.hdr...)
			if r.status != c.status || r.code != c.code {
				t.Fatalf("got %d %s; want %d %s", r.status, r.body, c.status, c.code)
			}
			if cookieNamed(r.header, "sf_session") != nil && r.status >= 400 {
				t.Error("error response sets a session cookie")
			}
			if u, s := e.count("users"), e.count("sessions"); u != users || s != sessions {
				t.Fatalf("rows written: users %d→%d sessions %d→%d", users, u, sessions, s)
			}
			if r := e.do(nil, "GET", "/healthz", ""); r.status != 200 {
				t.Fatalf("server stopped serving: %d", r.status)
			}
		})
	}

	// A body without Content-Length (chunked) is cut at the limit too.
	t.Run("chunked too large", func(t *testing.T) {
		req, _ := http.NewRequest("POST", e.URL+"/api/v1/auth/register", &slowReader{s: big})
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 413 || req.ContentLength != 0 {
			t.Fatalf("chunked oversize: %d (content length %d)", resp.StatusCode, req.ContentLength)
		}
		if e.count("users") != users {
			t.Fatal("user written")
		}
	})
}

// slowReader hides the length so the client sends a chunked body.
type slowReader struct {
	s string
	i int
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.i >= len(r.s) {
		return 0, ioEOF
	}
	n := copy(p[:min(len(p), 100)], r.s[r.i:])
	r.i += n
	return n, nil
}

// TestBadCredentialsLookAlike: over HTTP a wrong password and an unknown
// user get the same answer, byte for byte, and no cookie. That both cost
// one argon2id run with the same parameters is counted in the auth package
// (TestBadCredentialsCostTheSame), not timed here: medians of sign-in
// times flip on a loaded machine.
func TestBadCredentialsLookAlike(t *testing.T) {
	e := newEnv(t, false, nil)
	e.do(nil, "POST", "/api/v1/auth/register", creds("look_alike", "password-123"))
	wrong := e.do(nil, "POST", "/api/v1/auth/login", creds("look_alike", "wrong-password"))
	unknown := e.do(nil, "POST", "/api/v1/auth/login", creds("no_such_user", "wrong-password"))
	if wrong.status != 401 || wrong.code != "bad_credentials" {
		t.Fatalf("wrong password: %d %s", wrong.status, wrong.body)
	}
	if unknown.status != wrong.status || !bytes.Equal(unknown.body, wrong.body) {
		t.Fatalf("unknown user %d %s, wrong password %d %s: they must look alike", unknown.status, unknown.body, wrong.status, wrong.body)
	}
	for name, r := range map[string]reply{"wrong password": wrong, "unknown user": unknown} {
		if c := r.header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s sets cookies %q", name, c)
		}
	}
}

func TestUnauthenticated(t *testing.T) {
	e := newEnv(t, false, nil)
	for name, cookie := range map[string]string{
		"no cookie":      "",
		"garbage cookie": "sf_session=garbage",
		"forged token":   "sf_session=" + strings.Repeat("A", 43),
	} {
		r := e.do(nil, "GET", "/api/v1/me", "", "Cookie", cookie)
		if r.status != 401 || r.code != "unauthenticated" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
}

func TestCrossOriginRefused(t *testing.T) {
	e := newEnv(t, false, nil)
	body := creds("mallory", "password-123")
	for _, c := range []struct {
		name   string
		hdr    []string
		status int
	}{
		{"foreign origin", []string{"Origin", "http://evil.example"}, 403},
		{"null origin", []string{"Origin", "null"}, 403},
		{"same host other port", []string{"Origin", "http://127.0.0.1:1"}, 403},
		{"https variant", []string{"Origin", strings.Replace(e.URL, "http:", "https:", 1)}, 403},
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"same-site fetch", []string{"Sec-Fetch-Site", "same-site"}, 403},
		{"foreign origin despite same-origin fetch", []string{"Origin", "http://evil.example", "Sec-Fetch-Site", "same-origin"}, 403},
	} {
		r := e.do(nil, "POST", "/api/v1/auth/register", body, c.hdr...)
		if r.status != c.status || r.code != "forbidden_origin" {
			t.Errorf("%s: %d %s", c.name, r.status, r.body)
		}
	}
	if n := e.count("users"); n != 0 {
		t.Fatalf("cross-origin requests created %d users", n)
	}
	// Logout is a state change too.
	if r := e.do(nil, "POST", "/api/v1/auth/logout", "", "Origin", "http://evil.example"); r.status != 403 {
		t.Errorf("cross-origin logout: %d", r.status)
	}
	for i, hdr := range [][]string{
		{"Origin", e.URL},
		{"Sec-Fetch-Site", "same-origin"},
		{"Sec-Fetch-Site", "none"},
		{}, // curl: neither header
	} {
		r := e.do(nil, "POST", "/api/v1/auth/register", creds("ok_user"+strconv.Itoa(i), "password-123"), hdr...)
		if r.status != 201 {
			t.Errorf("same-origin %v: %d %s", hdr, r.status, r.body)
		}
	}
}

func TestRateLimited(t *testing.T) {
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.Auth.UserRate = auth.RateLimit{Burst: 3, Every: time.Minute}
	})
	e.do(nil, "POST", "/api/v1/auth/register", creds("target", "password-123"))
	sessions := e.count("sessions")
	for range 3 {
		if r := e.do(nil, "POST", "/api/v1/auth/login", creds("target", "guess-guess-guess")); r.status != 401 {
			t.Fatalf("guess: %d", r.status)
		}
	}
	r := e.do(nil, "POST", "/api/v1/auth/login", creds("target", "password-123"))
	if r.status != 429 || r.code != "rate_limited" {
		t.Fatalf("4th attempt: %d %s", r.status, r.body)
	}
	ra, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	if e.count("sessions") != sessions {
		t.Fatal("rate-limited login created a session")
	}
	e.clock.Advance(time.Duration(ra) * time.Second)
	if r := e.do(nil, "POST", "/api/v1/auth/login", creds("target", "password-123")); r.status != 200 {
		t.Fatalf("after Retry-After: %d %s", r.status, r.body)
	}
}

func TestRateLimitedPerIP(t *testing.T) {
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.Auth.IPRate = auth.RateLimit{Burst: 4, Every: time.Minute}
	})
	var last reply
	for i := range 5 {
		last = e.do(nil, "POST", "/api/v1/auth/login", creds("spray"+strconv.Itoa(i), "password-123"))
	}
	if last.status != 429 || last.header.Get("Retry-After") == "" {
		t.Fatalf("5th attempt from one IP: %d %s", last.status, last.body)
	}
}

func TestDisabledUserRefused(t *testing.T) {
	e := newEnv(t, false, nil)
	b := e.browser()
	r := e.do(b, "POST", "/api/v1/auth/register", creds("banned", "password-123"))
	var m me
	r.json(t, &m)
	if err := e.st.SetUserDisabled(context.Background(), m.ID, true); err != nil {
		t.Fatal(err)
	}
	if r := e.do(b, "GET", "/api/v1/me", ""); r.status != 403 || r.code != "account_disabled" {
		t.Fatalf("me of disabled user: %d %s", r.status, r.body)
	}
	sessions := e.count("sessions")
	if r := e.do(nil, "POST", "/api/v1/auth/login", creds("banned", "password-123")); r.status != 403 || r.code != "account_disabled" {
		t.Fatalf("login of disabled user: %d %s", r.status, r.body)
	}
	if e.count("sessions") != sessions {
		t.Fatal("disabled user got a session")
	}
}

func TestSessionExpiryOverHTTP(t *testing.T) {
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.Auth.SessionIdle = 30 * time.Minute
		o.Auth.SessionAbsolute = 2 * time.Hour
	})
	b := e.browser()
	r := e.do(b, "POST", "/api/v1/auth/register", creds("sleepy", "password-123"))
	if c := cookieNamed(r.header, "sf_session"); c.MaxAge != 7200 {
		t.Fatalf("cookie Max-Age = %d; want the absolute lifetime 7200", c.MaxAge)
	}
	e.clock.Advance(29 * time.Minute)
	if r := e.do(b, "GET", "/api/v1/me", ""); r.status != 200 {
		t.Fatalf("before idle expiry: %d", r.status)
	}
	e.clock.Advance(31 * time.Minute)
	if r := e.do(b, "GET", "/api/v1/me", ""); r.status != 401 {
		t.Fatalf("after idle expiry: %d", r.status)
	}
	b = e.browser()
	e.do(b, "POST", "/api/v1/auth/login", creds("sleepy", "password-123"))
	for range 4 {
		e.clock.Advance(25 * time.Minute)
		if r := e.do(b, "GET", "/api/v1/me", ""); r.status != 200 {
			t.Fatalf("active session refused at %v: %d", e.clock.Now(), r.status)
		}
	}
	e.clock.Advance(25 * time.Minute) // 125 min after sign-in
	if r := e.do(b, "GET", "/api/v1/me", ""); r.status != 401 {
		t.Fatalf("after absolute expiry: %d", r.status)
	}
}

func TestHTTPSCookieAndHeaders(t *testing.T) {
	e := newEnv(t, true, nil)
	b := e.browser()
	r := e.do(b, "POST", "/api/v1/auth/register", creds("secure_sam", "password-123"), "Origin", e.URL)
	if r.status != 201 {
		t.Fatalf("register over https: %d %s", r.status, r.body)
	}
	c := cookieNamed(r.header, "__Host-sf_session")
	if c == nil || !c.Secure || !c.HttpOnly || c.Path != "/" || c.Domain != "" {
		t.Fatalf("https session cookie %+v; want __Host- prefix, Secure, HttpOnly, Path=/", c)
	}
	if r := e.do(b, "GET", "/api/v1/me", ""); r.status != 200 {
		t.Fatalf("me over https: %d", r.status)
	}
	if h := r.header.Get("Strict-Transport-Security"); h == "" {
		t.Error("no HSTS over https")
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, false, nil)
	for _, path := range []string{"/", "/api/v1/me", "/healthz", "/api/v1/nope"} {
		r := e.do(nil, "GET", path, "")
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
		} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s: %s = %q; want %q", path, h, got, want)
			}
		}
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if r.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain http", path)
		}
	}
	r := e.do(nil, "GET", "/", "")
	if r.status != 200 || !strings.Contains(string(r.body), "/api/v1/auth/register") || strings.Contains(string(r.body), "<script") {
		t.Fatalf("placeholder page: %d %s", r.status, r.body)
	}
	if r := e.do(nil, "GET", "/api/v1/nope", ""); r.status != 404 || r.code != "not_found" {
		t.Fatalf("unknown API path: %d %s", r.status, r.body)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	var queueErr error
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.ReadyChecks = []httpapi.ReadyCheck{
			{Name: "queue", Check: func(context.Context) error { return queueErr }},
			{Name: "workers", Detail: func(context.Context) (any, error) { return map[string]int{"workers": 3}, queueErr }},
		}
	})
	if r := e.do(nil, "GET", "/healthz", ""); r.status != 200 {
		t.Fatalf("healthz: %d", r.status)
	}
	var ready struct {
		Status string `json:"status"`
		Checks map[string]struct {
			OK     bool           `json:"ok"`
			Error  string         `json:"error"`
			Detail map[string]int `json:"detail"`
		} `json:"checks"`
	}
	r := e.ops("/readyz")
	r.json(t, &ready)
	if r.status != 200 || ready.Status != "ok" || !ready.Checks["store"].OK || !ready.Checks["queue"].OK ||
		!ready.Checks["workers"].OK || ready.Checks["workers"].Detail["workers"] != 3 {
		t.Fatalf("readyz: %d %s", r.status, r.body)
	}

	e.do(nil, "POST", "/api/v1/auth/register", creds("metric_man", "password-123"))
	e.do(nil, "POST", "/api/v1/auth/register", creds("metric_man", "password-123"))
	e.do(nil, "GET", "/api/v1/me", "")
	e.do(nil, "GET", "/auth/nope/start", "", "Accept", "application/json")
	m := string(e.ops("/metrics").body)
	for _, want := range []string{
		`segfault_http_requests_total{code="201",method="POST",route="POST /api/v1/auth/register"} 1`,
		`segfault_http_requests_total{code="409",method="POST",route="POST /api/v1/auth/register"} 1`,
		`segfault_http_requests_total{code="401",method="GET",route="GET /api/v1/me"} 1`,
		// the pattern, not the raw path /auth/nope/start
		`segfault_http_requests_total{code="404",method="GET",route="GET /auth/{provider}/start"} 1`,
		`segfault_http_request_duration_seconds_bucket{method="POST",route="POST /api/v1/auth/register",le="+Inf"} 2`,
		`segfault_auth_signins_total{method="register",result="username_taken"} 1`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(m, `route="/auth/nope/start"`) {
		t.Error("metrics labelled by raw path")
	}

	queueErr = errDown
	r = e.ops("/readyz")
	r.json(t, &ready)
	if r.status != 503 || ready.Status != "unavailable" || ready.Checks["queue"].OK || ready.Checks["queue"].Error == "" ||
		ready.Checks["workers"].OK || !ready.Checks["store"].OK {
		t.Fatalf("readyz with failing queue: %d %s", r.status, r.body)
	}
	queueErr = nil

	e.st.Close()
	r = e.ops("/readyz")
	r.json(t, &ready)
	if r.status != 503 || ready.Checks["store"].OK {
		t.Fatalf("readyz with closed store: %d %s", r.status, r.body)
	}
	if r := e.do(nil, "GET", "/healthz", ""); r.status != 200 {
		t.Fatalf("healthz with closed store: %d (the process is alive)", r.status)
	}
	// With the store gone, requests fail cleanly with a JSON 500.
	if r := e.do(nil, "POST", "/api/v1/auth/register", creds("late_user", "password-123")); r.status != 500 || r.code != "internal" {
		t.Fatalf("register with closed store: %d %s", r.status, r.body)
	}
}

func TestMountedHandlersAndPanics(t *testing.T) {
	e := newEnv(t, false, nil)
	e.api.Handle("GET /api/v1/boom", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("kaboom") }))
	e.api.Handle("GET /api/v1/whoami", e.api.RequireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := httpapi.UserFrom(r.Context())
		httpapi.WriteJSON(w, 200, map[string]string{"username": u.Username})
	})))
	if r := e.do(nil, "GET", "/api/v1/boom", ""); r.status != 500 || r.code != "internal" || strings.Contains(string(r.body), "kaboom") {
		t.Fatalf("panic: %d %s", r.status, r.body)
	}
	b := e.browser()
	e.do(b, "POST", "/api/v1/auth/register", creds("mounted", "password-123"))
	if r := e.do(b, "GET", "/api/v1/whoami", ""); r.status != 200 || !strings.Contains(string(r.body), `"mounted"`) {
		t.Fatalf("mounted handler: %d %s", r.status, r.body)
	}
	e.api.Handle("GET /api/v1/admin/ping", e.api.RequireAdmin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	if r := e.do(b, "GET", "/api/v1/admin/ping", ""); r.status != 403 || r.code != "forbidden" {
		t.Fatalf("admin route as player: %d %s", r.status, r.body)
	}
	if r := e.do(nil, "GET", "/api/v1/admin/ping", ""); r.status != 401 {
		t.Fatalf("admin route signed out: %d %s", r.status, r.body)
	}
	var m0 me
	e.do(b, "GET", "/api/v1/me", "").json(t, &m0)
	if err := e.st.SetUserRole(context.Background(), m0.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	if r := e.do(b, "GET", "/api/v1/admin/ping", ""); r.status != 204 {
		t.Fatalf("admin route as admin: %d %s", r.status, r.body)
	}
	m := string(e.ops("/metrics").body)
	if !strings.Contains(m, `route="GET /api/v1/boom"} 1`) {
		t.Error("mounted route missing from metrics")
	}
}

func TestProvidersListOnlyEnabled(t *testing.T) {
	e := newEnv(t, false, nil)
	var got struct {
		Providers []struct{ Name, DisplayName, StartURL string } `json:"providers"`
	}
	r := e.do(nil, "GET", "/api/v1/auth/providers", "")
	r.json(t, &got)
	if r.status != 200 || got.Providers == nil || len(got.Providers) != 0 {
		t.Fatalf("providers with none configured: %s", r.body)
	}
	e2 := newEnv(t, false, func(o *httpapi.Options) {
		o.Providers = []auth.ProviderConfig{
			{Name: "github", ClientID: "id", ClientSecret: "secret"},
			{Name: "corp", DisplayName: "Corp SSO", ClientID: "id", IssuerURL: "http://127.0.0.1:1"},
		}
	})
	r = e2.do(nil, "GET", "/api/v1/auth/providers", "")
	var names []string
	r.json(t, &got)
	for _, p := range got.Providers {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "corp,github" || !strings.Contains(string(r.body), `"start_url":"/auth/github/start"`) {
		t.Fatalf("providers: %s", r.body)
	}
	page := string(e2.do(nil, "GET", "/", "").body)
	if !strings.Contains(page, `href="/auth/github/start"`) || !strings.Contains(page, "Corp SSO") {
		t.Fatalf("placeholder does not list providers: %s", page)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	st := newEnv(t, false, nil).st
	for name, o := range map[string]httpapi.Options{
		"no store":       {PublicURL: "http://127.0.0.1:8080"},
		"no public url":  {Store: st},
		"relative url":   {Store: st, PublicURL: "/arena"},
		"ftp":            {Store: st, PublicURL: "ftp://x"},
		"path":           {Store: st, PublicURL: "http://x/arena"},
		"negative limit": {Store: st, PublicURL: "http://x", BodyLimit: -1},
	} {
		o.Auth.Password = cheapParams
		if _, err := httpapi.New(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestConcurrentRegistrationsOfOneName(t *testing.T) {
	e := newEnv(t, false, nil)
	const n = 8
	statuses := make(chan int, n)
	for i := range n {
		go func() {
			r := e.do(nil, "POST", "/api/v1/auth/register", creds([]string{"Racer", "racer", "RACER", "rAcEr"}[i%4], "password-123"))
			statuses <- r.status
		}()
	}
	created, taken := 0, 0
	for range n {
		switch s := <-statuses; s {
		case 201:
			created++
		case 409:
			taken++
		default:
			t.Errorf("status %d", s)
		}
	}
	if created != 1 || taken != n-1 || e.count("users") != 1 {
		t.Fatalf("created %d, taken %d, users %d; want exactly one", created, taken, e.count("users"))
	}
}

func TestLogsNeverHoldSecrets(t *testing.T) {
	var buf syncBuffer
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	const pw = "hunter2-but-longer"
	b := e.browser()
	r := e.do(b, "POST", "/api/v1/auth/register", creds("logged_user", pw))
	tok := cookieNamed(r.header, "sf_session").Value
	e.do(b, "POST", "/api/v1/auth/login", creds("logged_user", "wrong-"+pw))
	e.do(b, "GET", "/api/v1/me?secret=query-value", "")
	e.do(b, "POST", "/api/v1/auth/logout", "")
	logs := buf.String()
	if !strings.Contains(logs, `route="POST /api/v1/auth/register"`) || !strings.Contains(logs, "status=201") || !strings.Contains(logs, "duration=") {
		t.Fatalf("access log incomplete:\n%s", logs)
	}
	for _, secret := range []string{pw, tok, "query-value", "sf_session="} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q:\n%s", secret, logs)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
