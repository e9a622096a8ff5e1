package authtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
)

// GitHubUser is the account behind the fake GitHub's /user API.
type GitHubUser struct {
	ID        int64
	Login     string
	Name      string
	AvatarURL string
	Email     string // public profile e-mail (may be empty)
	// Emails is what /user/emails returns.
	Emails []GitHubEmail
}

// GitHubEmail is one entry of /user/emails.
type GitHubEmail struct {
	Email    string `json:"email"`
	Primary  bool   `json:"primary"`
	Verified bool   `json:"verified"`
}

// GitHub is a running GitHub-style OAuth server: /login/oauth/authorize,
// /login/oauth/access_token (form-encoded answer, like GitHub's default) and
// the REST API under /api (/user, /user/emails).
type GitHub struct {
	Server       *httptest.Server
	ClientID     string
	ClientSecret string

	mu     sync.Mutex
	user   GitHubUser
	deny   bool
	grants map[string]*grant
	tokens map[string]GitHubUser // access token → user
}

// NewGitHub starts the fake with one registered OAuth app.
func NewGitHub(clientID, clientSecret string) *GitHub {
	g := &GitHub{ClientID: clientID, ClientSecret: clientSecret, grants: map[string]*grant{}, tokens: map[string]GitHubUser{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/oauth/authorize", g.authorize)
	mux.HandleFunc("POST /login/oauth/access_token", g.accessToken)
	mux.HandleFunc("GET /api/user", g.apiUser)
	mux.HandleFunc("GET /api/user/emails", g.apiEmails)
	g.Server = httptest.NewServer(mux)
	return g
}

// Close stops the server.
func (g *GitHub) Close() { g.Server.Close() }

// AuthURL, TokenURL and APIURL are what auth.ProviderConfig needs.
func (g *GitHub) AuthURL() string  { return g.Server.URL + "/login/oauth/authorize" }
func (g *GitHub) TokenURL() string { return g.Server.URL + "/login/oauth/access_token" }
func (g *GitHub) APIURL() string   { return g.Server.URL + "/api" }

// SetUser sets who signs in next.
func (g *GitHub) SetUser(u GitHubUser) { g.mu.Lock(); g.user = u; g.mu.Unlock() }

// SetDeny makes the user refuse consent.
func (g *GitHub) SetDeny(deny bool) { g.mu.Lock(); g.deny = deny; g.mu.Unlock() }

func (g *GitHub) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("client_id") != g.ClientID:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	case err != nil || redirect.Scheme == "":
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "":
		http.Error(w, "state and PKCE S256 are required", http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	g.mu.Lock()
	if g.deny {
		back.Set("error", "access_denied")
	} else {
		code := randomToken()
		g.grants[code] = &grant{clientID: g.ClientID, redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"), user: OIDCUser{}}
		g.tokens["pending:"+code] = g.user
		back.Set("code", code)
	}
	g.mu.Unlock()
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (g *GitHub) accessToken(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := checkTokenRequest(w, r, g.ClientID, g.ClientSecret, g.grants); !ok {
		return
	}
	code := r.PostForm.Get("code")
	tok := "gho_" + randomToken()
	g.tokens[tok] = g.tokens["pending:"+code]
	delete(g.tokens, "pending:"+code)
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, http.StatusOK, map[string]string{"access_token": tok, "token_type": "bearer", "scope": "read:user,user:email"})
		return
	}
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	_, _ = w.Write([]byte(url.Values{"access_token": {tok}, "token_type": {"bearer"}, "scope": {"read:user,user:email"}}.Encode()))
}

func (g *GitHub) bearer(w http.ResponseWriter, r *http.Request) (GitHubUser, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	g.mu.Lock()
	u, known := g.tokens[tok]
	g.mu.Unlock()
	if !ok || !known || strings.HasPrefix(tok, "pending:") {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return GitHubUser{}, false
	}
	return u, true
}

func (g *GitHub) apiUser(w http.ResponseWriter, r *http.Request) {
	u, ok := g.bearer(w, r)
	if !ok {
		return
	}
	out := map[string]any{"id": u.ID, "login": u.Login, "name": u.Name, "avatar_url": u.AvatarURL, "email": nil}
	if u.Email != "" {
		out["email"] = u.Email
	}
	writeJSON(w, http.StatusOK, out)
}

func (g *GitHub) apiEmails(w http.ResponseWriter, r *http.Request) {
	u, ok := g.bearer(w, r)
	if !ok {
		return
	}
	emails := u.Emails
	if emails == nil {
		emails = []GitHubEmail{}
	}
	writeJSON(w, http.StatusOK, emails)
}
