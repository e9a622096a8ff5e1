// Package authtest runs real OAuth 2.0 / OpenID Connect providers on
// loopback for tests: an OIDC issuer (discovery, JWKS, RS256 ID tokens,
// PKCE-checking token endpoint) and a GitHub-style OAuth server with its
// user API. They implement the protocol strictly enough that a client bug
// (missing PKCE, wrong redirect URI, reused code) makes the flow fail.
package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// OIDCUser is who signs in at the fake provider.
type OIDCUser struct {
	Subject           string
	Email             string
	EmailVerified     bool
	Name              string
	Picture           string
	PreferredUsername string
}

// Tamper selects a way for the provider to misbehave when minting the ID
// token, to check that the relying party refuses it.
type Tamper int

const (
	TamperNone          Tamper = iota
	TamperNonce                // ID token carries a different nonce
	TamperExpired              // ID token expired an hour ago
	TamperSignature            // signed with a key not in the JWKS (same kid)
	TamperAudience             // aud is another client
	TamperIssuer               // iss is another issuer
	TamperNoIDToken            // token response lacks id_token
	TamperDenyAtConsent        // the user refuses: redirect back with error=access_denied
)

type grant struct {
	clientID, redirectURI, challenge, nonce string
	user                                    OIDCUser
	used                                    bool
}

// OIDC is a running OpenID Connect provider.
type OIDC struct {
	Server       *httptest.Server
	Issuer       string
	ClientID     string
	ClientSecret string
	Now          func() time.Time // clock for iat/exp; default time.Now

	key, otherKey *rsa.PrivateKey

	mu     sync.Mutex
	user   OIDCUser
	tamper Tamper
	grants map[string]*grant
	// TokenRequests counts calls to the token endpoint (to prove a refused
	// flow stopped before or after the exchange).
	tokenRequests int
}

// NewOIDC starts a provider with one registered client.
func NewOIDC(clientID, clientSecret string) *OIDC {
	p := &OIDC{ClientID: clientID, ClientSecret: clientSecret, Now: time.Now, grants: map[string]*grant{}}
	p.key, p.otherKey = testKeys()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /jwks", p.jwks)
	p.Server = httptest.NewServer(mux)
	p.Issuer = p.Server.URL
	return p
}

// Close stops the server.
func (p *OIDC) Close() { p.Server.Close() }

// SetUser sets who signs in next.
func (p *OIDC) SetUser(u OIDCUser) { p.mu.Lock(); p.user = u; p.mu.Unlock() }

// SetNow sets the provider's clock (iat/exp of new ID tokens).
func (p *OIDC) SetNow(now func() time.Time) { p.mu.Lock(); p.Now = now; p.mu.Unlock() }

// SetTamper sets how the next ID tokens are broken.
func (p *OIDC) SetTamper(t Tamper) { p.mu.Lock(); p.tamper = t; p.mu.Unlock() }

// TokenRequests is how many times the token endpoint was called.
func (p *OIDC) TokenRequests() int { p.mu.Lock(); defer p.mu.Unlock(); return p.tokenRequests }

func (p *OIDC) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.Issuer,
		"authorization_endpoint":                p.Issuer + "/authorize",
		"token_endpoint":                        p.Issuer + "/token",
		"jwks_uri":                              p.Issuer + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (p *OIDC) jwks(w http.ResponseWriter, r *http.Request) {
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}
	writeJSON(w, http.StatusOK, set)
}

// authorize is the browser-facing endpoint. The "user" is already signed
// in here, so it consents immediately and redirects back with a code.
func (p *OIDC) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("client_id") != p.ClientID:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	case err != nil || redirect.Scheme == "" || q.Get("redirect_uri") == "":
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	case q.Get("response_type") != "code":
		http.Error(w, "response_type must be code", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		http.Error(w, "PKCE S256 is required", http.StatusBadRequest)
		return
	case q.Get("state") == "" || q.Get("nonce") == "":
		http.Error(w, "state and nonce are required", http.StatusBadRequest)
		return
	}
	back := redirect.Query()
	back.Set("state", q.Get("state"))
	p.mu.Lock()
	if p.tamper == TamperDenyAtConsent {
		back.Set("error", "access_denied")
	} else {
		code := randomToken()
		p.grants[code] = &grant{clientID: p.ClientID, redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"),
			nonce: q.Get("nonce"), user: p.user}
		back.Set("code", code)
	}
	p.mu.Unlock()
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (p *OIDC) token(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenRequests++
	g, ok := checkTokenRequest(w, r, p.ClientID, p.ClientSecret, p.grants)
	if !ok {
		return
	}
	now := p.Now()
	claims := map[string]any{
		"iss":   p.Issuer,
		"sub":   g.user.Subject,
		"aud":   p.ClientID,
		"iat":   now.Unix(),
		"exp":   now.Add(10 * time.Minute).Unix(),
		"nonce": g.nonce,
	}
	if g.user.Email != "" {
		claims["email"] = g.user.Email
		claims["email_verified"] = g.user.EmailVerified
	}
	for k, v := range map[string]string{"name": g.user.Name, "picture": g.user.Picture, "preferred_username": g.user.PreferredUsername} {
		if v != "" {
			claims[k] = v
		}
	}
	key := p.key
	switch p.tamper {
	case TamperNonce:
		claims["nonce"] = "not-the-nonce-you-sent"
	case TamperExpired:
		claims["iat"] = now.Add(-2 * time.Hour).Unix()
		claims["exp"] = now.Add(-time.Hour).Unix()
	case TamperSignature:
		key = p.otherKey
	case TamperAudience:
		claims["aud"] = "someone-else"
	case TamperIssuer:
		claims["iss"] = "https://evil.example"
	}
	resp := map[string]any{"access_token": randomToken(), "token_type": "Bearer", "expires_in": 600}
	if p.tamper != TamperNoIDToken {
		resp["id_token"] = sign(key, claims)
	}
	writeJSON(w, http.StatusOK, resp)
}

// checkTokenRequest enforces the authorization-code grant rules shared by
// both fakes: client authentication (Basic or form), a known unused code
// (a replay burns nothing new and fails), the same redirect URI and a PKCE
// verifier matching the S256 challenge. It must be called with the lock
// held; it writes the OAuth error response itself.
func checkTokenRequest(w http.ResponseWriter, r *http.Request, clientID, secret string, grants map[string]*grant) (*grant, bool) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return nil, false
	}
	id, sec, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		sec, _ = url.QueryUnescape(sec)
	} else {
		id, sec = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != clientID || subtle.ConstantTimeCompare([]byte(sec), []byte(secret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return nil, false
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return nil, false
	}
	g, ok := grants[r.PostForm.Get("code")]
	if !ok || g.used {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return nil, false
	}
	g.used = true // single use, even if the rest of the request is wrong
	if g.redirectURI != r.PostForm.Get("redirect_uri") {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return nil, false
	}
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return nil, false
	}
	return g, true
}

var (
	keysOnce         sync.Once
	signKey, fakeKey *rsa.PrivateKey
)

// testKeys generates the RSA keys once per test binary: 2048-bit key
// generation costs ~100 ms each on these machines.
func testKeys() (*rsa.PrivateKey, *rsa.PrivateKey) {
	keysOnce.Do(func() {
		var err error
		if signKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if fakeKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return signKey, fakeKey
}

func sign(key *rsa.PrivateKey, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return s
}

func randomToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}
