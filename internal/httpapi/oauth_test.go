package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/auth/authtest"
	"github.com/segfaultarena/segfault/internal/httpapi"
)

// oauthEnv is the arena plus a real OIDC issuer ("oidc"), a second one
// configured as "google" (Google is plain OIDC with another issuer) and a
// GitHub-style server, all on loopback.
type oauthEnv struct {
	*testEnv
	oidc   *authtest.OIDC
	google *authtest.OIDC
	gh     *authtest.GitHub
}

func newOAuthEnv(t *testing.T, mod func(*httpapi.Options)) *oauthEnv {
	t.Helper()
	op := authtest.NewOIDC("arena-client", "arena-secret")
	t.Cleanup(op.Close)
	gp := authtest.NewOIDC("google-client", "google-secret")
	t.Cleanup(gp.Close)
	gh := authtest.NewGitHub("gh-client", "gh-secret")
	t.Cleanup(gh.Close)
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.Providers = []auth.ProviderConfig{
			{Name: "oidc", DisplayName: "Test SSO", ClientID: "arena-client", ClientSecret: "arena-secret", IssuerURL: op.Issuer},
			{Name: "google", ClientID: "google-client", ClientSecret: "google-secret", IssuerURL: gp.Issuer},
			{Name: "github", ClientID: "gh-client", ClientSecret: "gh-secret", AuthURL: gh.AuthURL(), TokenURL: gh.TokenURL(), APIURL: gh.APIURL()},
		}
		if mod != nil {
			mod(o)
		}
	})
	return &oauthEnv{testEnv: e, oidc: op, google: gp, gh: gh}
}

// callbackURL runs the browser from start up to the provider's redirect
// back to us and returns that callback URL without following it.
func (e *oauthEnv) callbackURL(c *http.Client, start string) *url.URL {
	e.t.Helper()
	stop := *c
	stop.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if strings.HasSuffix(req.URL.Path, "/callback") {
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := stop.Get(e.URL + start)
	if err != nil {
		e.t.Fatalf("GET %s: %v", start, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		e.t.Fatalf("no redirect to the callback (status %d): %v", resp.StatusCode, err)
	}
	return loc
}

// signinError returns the error code of a landing on /signin?error=CODE.
func signinError(u *url.URL) string {
	if u.Path != "/signin" {
		return ""
	}
	return u.Query().Get("error")
}

func (e *oauthEnv) me(c *http.Client) (me, int) {
	r := e.do(c, "GET", "/api/v1/me", "")
	var m me
	if r.status == 200 {
		r.json(e.t, &m)
	}
	return m, r.status
}

func TestOIDCSignInCreatesUserThenSignsIn(t *testing.T) {
	e := newOAuthEnv(t, nil)
	e.oidc.SetUser(authtest.OIDCUser{Subject: "sub-123", Email: "Ada.L@example.com", EmailVerified: true,
		Name: "Ada Lovelace", Picture: "https://img.example/ada.png", PreferredUsername: "Ada.L"})
	b := e.browser()
	land, status := e.landing(b, "/auth/oidc/start?redirect_to=/lobby%3Fq%3D1")
	if land.Path != "/lobby" || land.RawQuery != "q=1" || land.Host != strings.TrimPrefix(e.URL, "http://") {
		t.Fatalf("landed on %s (%d); want our /lobby?q=1", land, status)
	}
	m, status := e.me(b)
	if status != 200 || m.Username != "ada-l" || m.DisplayName != "Ada Lovelace" || m.AvatarURL != "https://img.example/ada.png" || m.Rating != 1500 {
		t.Fatalf("me after OIDC sign-in: %d %+v", status, m)
	}
	ids, err := e.st.Identities(context.Background(), m.ID)
	if err != nil || len(ids) != 1 || ids[0].Provider != "oidc" || ids[0].Subject != "sub-123" || ids[0].Email != "Ada.L@example.com" {
		t.Fatalf("identities %+v %v", ids, err)
	}
	if n := e.count("oauth_states"); n != 0 {
		t.Fatalf("%d oauth states left after the flow; they are single use", n)
	}

	// Same identity from another browser: same user, nothing new created.
	b2 := e.browser()
	if land, _ := e.landing(b2, "/auth/oidc/start"); land.Path != "/" {
		t.Fatalf("second sign-in landed on %s", land)
	}
	m2, _ := e.me(b2)
	if m2.ID != m.ID || e.count("users") != 1 || e.count("identities") != 1 {
		t.Fatalf("second sign-in: user %d (want %d), %d users", m2.ID, m.ID, e.count("users"))
	}
	// Signing in again in the same browser rotates its session.
	e.landing(b2, "/auth/oidc/start")
	if n := e.count("sessions"); n != 2 {
		t.Fatalf("sessions = %d; want 2 (one per browser)", n)
	}
}

func TestOIDCRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper authtest.Tamper
		code   string
	}{
		{"wrong nonce", authtest.TamperNonce, "oauth_token_invalid"},
		{"expired id token", authtest.TamperExpired, "oauth_token_invalid"},
		{"wrongly signed id token", authtest.TamperSignature, "oauth_token_invalid"},
		{"wrong audience", authtest.TamperAudience, "oauth_token_invalid"},
		{"wrong issuer", authtest.TamperIssuer, "oauth_token_invalid"},
		{"no id token", authtest.TamperNoIDToken, "oauth_token_invalid"},
		{"user denied", authtest.TamperDenyAtConsent, "oauth_denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newOAuthEnv(t, nil)
			e.oidc.SetUser(authtest.OIDCUser{Subject: "victim", PreferredUsername: "victim"})
			e.oidc.SetTamper(tc.tamper)
			b := e.browser()
			land, _ := e.landing(b, "/auth/oidc/start")
			if got := signinError(land); got != tc.code {
				t.Fatalf("landed on %s; want /signin?error=%s", land, tc.code)
			}
			if _, status := e.me(b); status != 401 {
				t.Fatalf("signed in anyway: %d", status)
			}
			if u, s, i := e.count("users"), e.count("sessions"), e.count("identities"); u+s+i != 0 {
				t.Fatalf("refused sign-in wrote users=%d sessions=%d identities=%d", u, s, i)
			}
			// The same browser can still sign in once the provider behaves.
			e.oidc.SetTamper(authtest.TamperNone)
			if land, _ := e.landing(b, "/auth/oidc/start"); land.Path != "/" {
				t.Fatalf("clean retry landed on %s", land)
			}
			if e.count("users") != 1 {
				t.Fatal("clean retry did not create the user")
			}
		})
	}
}

func TestOIDCExpiryUsesServerClock(t *testing.T) {
	// The provider's clock is fine, ours is 20 minutes ahead: the 10-minute
	// ID token is expired from our point of view.
	e := newOAuthEnv(t, nil)
	e.oidc.SetUser(authtest.OIDCUser{Subject: "s"})
	b := e.browser()
	cb := e.callbackURL(b, "/auth/oidc/start")
	e.clock.Advance(20 * time.Minute) // also past the 10-minute state expiry
	land, _ := e.landing(b, cb.String())
	if got := signinError(land); got != "oauth_state_invalid" {
		t.Fatalf("stale callback landed on %s", land)
	}
	// Within the state lifetime but past the token's expiry.
	e.oidc.SetNow(func() time.Time { return time.Now().Add(-15 * time.Minute) })
	e.clock.Advance(-20 * time.Minute)
	land, _ = e.landing(b, "/auth/oidc/start")
	if got := signinError(land); got != "oauth_token_invalid" {
		t.Fatalf("token expired by our clock landed on %s", land)
	}
	if e.count("users") != 0 {
		t.Fatal("user created from an expired token")
	}
}

func TestOAuthStateAndCodeAttacks(t *testing.T) {
	e := newOAuthEnv(t, nil)
	e.oidc.SetUser(authtest.OIDCUser{Subject: "s1", PreferredUsername: "first"})
	b := e.browser()

	t.Run("tampered state", func(t *testing.T) {
		cb := e.callbackURL(b, "/auth/oidc/start")
		q := cb.Query()
		q.Set("state", q.Get("state")+"x")
		cb.RawQuery = q.Encode()
		land, _ := e.landing(b, cb.String())
		if signinError(land) != "oauth_state_invalid" {
			t.Fatalf("landed on %s", land)
		}
	})
	t.Run("callback in another browser", func(t *testing.T) {
		// Login CSRF: the attacker starts a flow and sends the victim the
		// callback URL. The victim's browser lacks the state cookie.
		cb := e.callbackURL(e.browser(), "/auth/oidc/start")
		victim := e.browser()
		land, _ := e.landing(victim, cb.String())
		if signinError(land) != "oauth_state_invalid" {
			t.Fatalf("landed on %s", land)
		}
		if _, status := e.me(victim); status != 401 {
			t.Fatal("victim signed in by someone else's callback")
		}
	})
	t.Run("missing state", func(t *testing.T) {
		land, _ := e.landing(b, "/auth/oidc/callback?code=abc")
		if signinError(land) != "oauth_state_invalid" {
			t.Fatalf("landed on %s", land)
		}
	})
	t.Run("state for another provider", func(t *testing.T) {
		cb := e.callbackURL(b, "/auth/oidc/start")
		cb.Path = "/auth/github/callback"
		land, _ := e.landing(b, cb.String())
		if signinError(land) != "oauth_state_invalid" {
			t.Fatalf("landed on %s", land)
		}
	})
	if u, s := e.count("users"), e.count("sessions"); u+s != 0 {
		t.Fatalf("attacks wrote users=%d sessions=%d", u, s)
	}

	var used *url.URL
	t.Run("replayed callback", func(t *testing.T) {
		used = e.callbackURL(b, "/auth/oidc/start")
		if land, _ := e.landing(b, used.String()); land.Path != "/" {
			t.Fatalf("first use landed on %s", land)
		}
		// The state cookie is gone and the state row consumed.
		land, _ := e.landing(b, used.String())
		if signinError(land) != "oauth_state_invalid" {
			t.Fatalf("replay landed on %s", land)
		}
	})
	t.Run("replayed code with a fresh state", func(t *testing.T) {
		e.oidc.SetUser(authtest.OIDCUser{Subject: "s2", PreferredUsername: "second"})
		fresh := e.callbackURL(b, "/auth/oidc/start")
		q := fresh.Query()
		q.Set("code", used.Query().Get("code"))
		fresh.RawQuery = q.Encode()
		land, _ := e.landing(b, fresh.String())
		if signinError(land) != "oauth_token_invalid" {
			t.Fatalf("replayed code landed on %s", land)
		}
		if e.count("users") != 1 {
			t.Fatalf("users = %d; the replay must not create one", e.count("users"))
		}
	})
}

func TestOAuthJSONErrors(t *testing.T) {
	e := newOAuthEnv(t, nil)
	c := e.browser()
	r := e.do(c, "GET", "/auth/nope/start", "", "Accept", "application/json")
	if r.status != 404 || r.code != "provider_unknown" {
		t.Fatalf("unknown provider (json): %d %s", r.status, r.body)
	}
	land, _ := e.landing(c, "/auth/nope/start")
	if signinError(land) != "provider_unknown" {
		t.Fatalf("unknown provider (browser) landed on %s", land)
	}
	r = e.do(c, "GET", "/auth/oidc/callback?state=x&code=y", "", "Accept", "application/json")
	if r.status != 400 || r.code != "oauth_state_invalid" {
		t.Fatalf("bad callback (json): %d %s", r.status, r.body)
	}
	r = e.do(c, "GET", "/auth/oidc/start?link=1", "", "Accept", "application/json")
	if r.status != 401 || r.code != "unauthenticated" {
		t.Fatalf("link without a session: %d %s", r.status, r.body)
	}
}

func TestProviderDownAtStart(t *testing.T) {
	e := newOAuthEnv(t, nil)
	e.oidc.Close() // discovery is lazy: the server started fine without it
	r := e.do(nil, "GET", "/auth/oidc/start", "", "Accept", "application/json")
	if r.status != 502 || r.code != "oauth_provider_error" {
		t.Fatalf("start with provider down: %d %s", r.status, r.body)
	}
	if e.count("oauth_states") != 0 {
		t.Fatal("state stored for a flow that could not start")
	}
	if r := e.do(nil, "GET", "/healthz", ""); r.status != 200 {
		t.Fatal("server stopped serving")
	}
}

func TestGitHubSignIn(t *testing.T) {
	e := newOAuthEnv(t, nil)
	// A local user already holds the name: the GitHub user gets a suffix.
	e.do(nil, "POST", "/api/v1/auth/register", creds("octocat", "password-123"))
	e.gh.SetUser(authtest.GitHubUser{ID: 583231, Login: "OctoCat", Name: "The Octocat",
		AvatarURL: "https://avatars.example/u/583231", Emails: []authtest.GitHubEmail{
			{Email: "old@example.com", Verified: true},
			{Email: "octo@example.com", Primary: true, Verified: true},
		}})
	b := e.browser()
	if land, _ := e.landing(b, "/auth/github/start"); land.Path != "/" {
		t.Fatalf("landed on %s", land)
	}
	m, status := e.me(b)
	if status != 200 || m.Username != "octocat-2" || m.DisplayName != "The Octocat" || m.AvatarURL != "https://avatars.example/u/583231" {
		t.Fatalf("me: %d %+v", status, m)
	}
	ids, _ := e.st.Identities(context.Background(), m.ID)
	if len(ids) != 1 || ids[0].Provider != "github" || ids[0].Subject != "583231" || ids[0].Email != "octo@example.com" {
		t.Fatalf("identities: %+v", ids)
	}
	// GitHub logins can be renamed; the numeric id is what identifies.
	e.gh.SetUser(authtest.GitHubUser{ID: 583231, Login: "renamed"})
	b2 := e.browser()
	e.landing(b2, "/auth/github/start")
	if m2, _ := e.me(b2); m2.ID != m.ID {
		t.Fatalf("renamed GitHub user got a new account %d", m2.ID)
	}

	e.gh.SetDeny(true)
	land, _ := e.landing(e.browser(), "/auth/github/start")
	if signinError(land) != "oauth_denied" {
		t.Fatalf("denied consent landed on %s", land)
	}
	if e.count("users") != 2 {
		t.Fatalf("users = %d; want 2", e.count("users"))
	}
}

func TestLinkSecondProvider(t *testing.T) {
	e := newOAuthEnv(t, nil)
	b := e.browser()
	e.do(b, "POST", "/api/v1/auth/register", creds("linker", "password-123"))
	mine, _ := e.me(b)

	e.gh.SetUser(authtest.GitHubUser{ID: 42, Login: "linker-gh"})
	land, _ := e.landing(b, "/auth/github/start?link=1&redirect_to=/settings")
	if land.Path != "/settings" {
		t.Fatalf("link landed on %s", land)
	}
	e.google.SetUser(authtest.OIDCUser{Subject: "g-42", Email: "linker@gmail.example", EmailVerified: true})
	e.landing(b, "/auth/google/start?link=1")
	ids, _ := e.st.Identities(context.Background(), mine.ID)
	if len(ids) != 2 || e.count("users") != 1 {
		t.Fatalf("after linking: identities %+v, users %d", ids, e.count("users"))
	}
	// Linking does not change who is signed in.
	if m, _ := e.me(b); m.ID != mine.ID {
		t.Fatal("link switched the session's user")
	}
	// Now either provider signs in to the same account.
	for _, p := range []string{"github", "google"} {
		other := e.browser()
		e.landing(other, "/auth/"+p+"/start")
		if m, _ := e.me(other); m.ID != mine.ID {
			t.Fatalf("%s sign-in gave user %d; want %d", p, m.ID, mine.ID)
		}
	}
	// Linking the same identity again is a no-op.
	if land, _ := e.landing(b, "/auth/github/start?link=1"); land.Path != "/" {
		t.Fatalf("relink landed on %s", land)
	}

	// Someone else cannot link an identity that is already linked.
	thief := e.browser()
	e.do(thief, "POST", "/api/v1/auth/register", creds("thief", "password-123"))
	land, _ = e.landing(thief, "/auth/github/start?link=1")
	if signinError(land) != "identity_taken" {
		t.Fatalf("linking someone else's identity landed on %s", land)
	}
	tm, _ := e.me(thief)
	if ids, _ := e.st.Identities(context.Background(), tm.ID); len(ids) != 0 {
		t.Fatalf("thief got identities %+v", ids)
	}

	// A link started by one account cannot be finished by another session.
	e.gh.SetUser(authtest.GitHubUser{ID: 77, Login: "fresh"})
	cb := e.callbackURL(b, "/auth/github/start?link=1")
	stolenJar := e.browser()
	for _, c := range b.Jar.Cookies(cb) {
		if strings.Contains(c.Name, "oauth_state") {
			stolenJar.Jar.SetCookies(cb, []*http.Cookie{c})
		}
	}
	e.do(stolenJar, "POST", "/api/v1/auth/login", creds("thief", "password-123"))
	land, _ = e.landing(stolenJar, cb.String())
	if signinError(land) != "oauth_state_invalid" {
		t.Fatalf("link finished by another account landed on %s", land)
	}
	if _, err := e.st.UserByIdentity(context.Background(), "github", "77"); err == nil {
		t.Fatal("identity linked through another session")
	}
}

func TestOpenRedirectRefused(t *testing.T) {
	e := newOAuthEnv(t, nil)
	e.oidc.SetUser(authtest.OIDCUser{Subject: "r"})
	for _, target := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
		land, _ := e.landing(e.browser(), "/auth/oidc/start?redirect_to="+url.QueryEscape(target))
		if land.Host != strings.TrimPrefix(e.URL, "http://") || land.Path != "/" {
			t.Errorf("redirect_to=%q landed on %s", target, land)
		}
	}
}

func TestOAuthDisabledUserRefused(t *testing.T) {
	e := newOAuthEnv(t, nil)
	e.oidc.SetUser(authtest.OIDCUser{Subject: "banned-sub", PreferredUsername: "banned"})
	b := e.browser()
	e.landing(b, "/auth/oidc/start")
	m, _ := e.me(b)
	if err := e.api.Auth().SetDisabled(context.Background(), m.ID, true); err != nil {
		t.Fatal(err)
	}
	land, _ := e.landing(e.browser(), "/auth/oidc/start")
	if signinError(land) != "account_disabled" {
		t.Fatalf("disabled user's OIDC sign-in landed on %s", land)
	}
	if n := e.count("sessions"); n != 0 {
		t.Fatalf("disabled user has %d sessions", n)
	}
}

func TestOAuthWrongClientSecret(t *testing.T) {
	gh := authtest.NewGitHub("gh-client", "the-real-secret")
	t.Cleanup(gh.Close)
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.Providers = []auth.ProviderConfig{{Name: "github", ClientID: "gh-client", ClientSecret: "stale-secret",
			AuthURL: gh.AuthURL(), TokenURL: gh.TokenURL(), APIURL: gh.APIURL()}}
	})
	gh.SetUser(authtest.GitHubUser{ID: 1, Login: "someone"})
	land, _ := e.landing(e.browser(), "/auth/github/start")
	if signinError(land) != "oauth_token_invalid" {
		t.Fatalf("wrong client secret landed on %s", land)
	}
	if e.count("users") != 0 {
		t.Fatal("user created")
	}
}

func TestOAuthHostileProfileData(t *testing.T) {
	e := newOAuthEnv(t, nil)
	e.oidc.SetUser(authtest.OIDCUser{Subject: "hostile", Name: "Eve\x00<script>\n", Picture: "javascript:alert(1)",
		PreferredUsername: "../../etc/passwd", Email: "eve@example.com", EmailVerified: false})
	b := e.browser()
	e.landing(b, "/auth/oidc/start")
	m, status := e.me(b)
	if status != 200 || m.Username != "etc-passwd" || m.DisplayName != "Eve<script>" || m.AvatarURL != "" {
		t.Fatalf("me: %d %+v", status, m)
	}
	ids, _ := e.st.Identities(context.Background(), m.ID)
	if len(ids) != 1 || ids[0].Email != "" {
		t.Fatalf("unverified e-mail stored: %+v", ids)
	}
	// Control characters in the subject are refused outright.
	e.oidc.SetUser(authtest.OIDCUser{Subject: "bad\x01sub"})
	land, _ := e.landing(e.browser(), "/auth/oidc/start")
	if signinError(land) != "oauth_token_invalid" {
		t.Fatalf("control character subject landed on %s", land)
	}
}

func TestSignInMetricLabelsBounded(t *testing.T) {
	e := newOAuthEnv(t, nil)
	for _, p := range []string{"made-up-1", "made-up-2"} {
		e.landing(e.browser(), "/auth/"+p+"/callback?state=x")
	}
	m := string(e.ops("/metrics").body)
	if strings.Contains(m, "made-up") {
		t.Fatal("client-chosen provider names became metric labels")
	}
	if !strings.Contains(m, `segfault_auth_signins_total{method="unknown",result="oauth_state_invalid"} 2`) {
		t.Fatalf("unknown-provider attempts not counted:\n%s", grepLines(m, "segfault_auth"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestOAuthSpoofedNames is issue 17's display-name attack: bidi overrides
// (U+202E) and zero-width characters passed through OIDC names, and a
// provider login could become a reserved name. Names are stored without
// them, NFKC-normalised; reserved logins get a neutral username.
func TestOAuthSpoofedNames(t *testing.T) {
	e := newOAuthEnv(t, nil)
	for i, tc := range []struct{ name, login, wantName, wantUser string }{
		{"Ada\u202Egnp.exe", "ada", "Adagnp.exe", "ada"},
		{"a\u200Bd\u200Dm\u2060i\uFEFFn", "Admin", "admin", "player"},
		{"\uFF21\uFF44\uFF41  \u2067Lovelace\u2069 ", "root", "Ada Lovelace", "player-2"},
		{"\u3164\u200B", "grace", "grace", "grace"},
	} {
		e.oidc.SetUser(authtest.OIDCUser{Subject: fmt.Sprintf("spoof-%d", i), Name: tc.name, PreferredUsername: tc.login})
		b := e.browser()
		e.landing(b, "/auth/oidc/start")
		m, status := e.me(b)
		if status != 200 || m.DisplayName != tc.wantName || m.Username != tc.wantUser {
			t.Errorf("OIDC name %q login %q: %d display %q username %q, want %q %q", tc.name, tc.login, status, m.DisplayName, m.Username, tc.wantName, tc.wantUser)
		}
	}
}
