package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/segfaultarena/segfault/internal/store"
)

// Provider kinds.
const (
	KindGitHub = "github"
	KindOIDC   = "oidc"
)

// StateTTL is how long a started sign-in may take at the provider.
const StateTTL = 10 * time.Minute

// ProviderConfig enables one sign-in provider.
type ProviderConfig struct {
	// Name is the URL segment (/auth/{name}/start) and the identity key
	// stored with linked accounts, e.g. "github", "google", "oidc".
	// Changing it orphans existing identities.
	Name string
	// Kind is "github" or "oidc". Empty: "github" for Name "github", else
	// "oidc" (Google is plain OIDC).
	Kind        string
	DisplayName string // shown on the sign-in page; default from Name
	ClientID    string
	// ClientSecret may be empty for public OIDC clients (PKCE still applies).
	ClientSecret string
	// IssuerURL is the OIDC issuer; for Name "google" it defaults to
	// https://accounts.google.com.
	IssuerURL string
	Scopes    []string // default: oidc "openid profile email"; github "read:user user:email"

	// GitHub endpoints; defaults are github.com's. Tests point them at a fake.
	AuthURL  string // default https://github.com/login/oauth/authorize
	TokenURL string // default https://github.com/login/oauth/access_token
	APIURL   string // default https://api.github.com
}

// ProviderInfo is what the sign-in page needs about an enabled provider.
type ProviderInfo struct {
	Name        string
	DisplayName string
}

type provider struct {
	cfg    ProviderConfig
	oauth2 oauth2.Config // Endpoint filled at discovery for OIDC

	mu       sync.Mutex
	verifier *oidc.IDTokenVerifier // OIDC, after discovery
}

var providerName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

func (s *Service) initProviders() error {
	s.providers = map[string]*provider{}
	if len(s.opts.Providers) == 0 {
		return nil
	}
	pub, err := url.Parse(s.opts.PublicURL)
	if err != nil || (pub.Scheme != "http" && pub.Scheme != "https") || pub.Host == "" {
		return fmt.Errorf("auth: public URL %q must be an absolute http(s) URL when sign-in providers are enabled", s.opts.PublicURL)
	}
	base := strings.TrimRight(pub.String(), "/")
	for _, c := range s.opts.Providers {
		if !providerName.MatchString(c.Name) {
			return fmt.Errorf("auth: provider name %q must match %s", c.Name, providerName)
		}
		if _, dup := s.providers[c.Name]; dup {
			return fmt.Errorf("auth: provider %q configured twice", c.Name)
		}
		if c.Kind == "" {
			c.Kind = KindOIDC
			if c.Name == "github" {
				c.Kind = KindGitHub
			}
		}
		if c.ClientID == "" {
			return fmt.Errorf("auth: provider %q: client id is required", c.Name)
		}
		if c.DisplayName == "" {
			c.DisplayName = defaultDisplayName(c.Name)
		}
		p := &provider{cfg: c}
		p.oauth2 = oauth2.Config{
			ClientID:     c.ClientID,
			ClientSecret: c.ClientSecret,
			RedirectURL:  base + "/auth/" + c.Name + "/callback",
			Scopes:       c.Scopes,
		}
		switch c.Kind {
		case KindGitHub:
			if c.ClientSecret == "" {
				return fmt.Errorf("auth: provider %q: GitHub needs a client secret", c.Name)
			}
			p.cfg.AuthURL = orDefault(c.AuthURL, "https://github.com/login/oauth/authorize")
			p.cfg.TokenURL = orDefault(c.TokenURL, "https://github.com/login/oauth/access_token")
			p.cfg.APIURL = strings.TrimRight(orDefault(c.APIURL, "https://api.github.com"), "/")
			p.oauth2.Endpoint = oauth2.Endpoint{AuthURL: p.cfg.AuthURL, TokenURL: p.cfg.TokenURL}
			if len(p.oauth2.Scopes) == 0 {
				p.oauth2.Scopes = []string{"read:user", "user:email"}
			}
		case KindOIDC:
			if c.IssuerURL == "" && c.Name == "google" {
				p.cfg.IssuerURL = "https://accounts.google.com"
			}
			if p.cfg.IssuerURL == "" {
				return fmt.Errorf("auth: provider %q: issuer URL is required for OpenID Connect", c.Name)
			}
			if len(p.oauth2.Scopes) == 0 {
				p.oauth2.Scopes = []string{oidc.ScopeOpenID, "profile", "email"}
			}
		default:
			return fmt.Errorf("auth: provider %q: unknown kind %q (want github or oidc)", c.Name, c.Kind)
		}
		s.providers[c.Name] = p
		s.order = append(s.order, c.Name)
	}
	return nil
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func defaultDisplayName(name string) string {
	switch name {
	case "github":
		return "GitHub"
	case "google":
		return "Google"
	case "oidc":
		return "Single sign-on"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// Providers lists the enabled providers in configuration order.
func (s *Service) Providers() []ProviderInfo {
	out := make([]ProviderInfo, 0, len(s.order))
	for _, n := range s.order {
		out = append(out, ProviderInfo{Name: n, DisplayName: s.providers[n].cfg.DisplayName})
	}
	return out
}

func (s *Service) clientCtx(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.opts.HTTPClient)
	return oidc.ClientContext(ctx, s.opts.HTTPClient)
}

// discover fetches the OIDC discovery document once. A failure is not
// cached, so a provider that was down at first use is retried next time.
func (s *Service) discover(ctx context.Context, p *provider) (*oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.verifier != nil {
		return p.verifier, nil
	}
	ctx, cancel := context.WithTimeout(s.clientCtx(ctx), 10*time.Second)
	defer cancel()
	op, err := oidc.NewProvider(ctx, p.cfg.IssuerURL)
	if err != nil {
		return nil, ErrOAuthProviderFailed.Wrap(fmt.Errorf("discover %s: %w", p.cfg.IssuerURL, err))
	}
	p.oauth2.Endpoint = op.Endpoint()
	p.verifier = op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: s.opts.Now})
	return p.verifier, nil
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// SafeRedirect returns target if it is a path on this site, else "/".
// Open redirects would let a sign-in link send people anywhere.
func SafeRedirect(target string) string {
	if target == "" || !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") ||
		strings.ContainsAny(target, "\\\r\n\t") || len(target) > 512 {
		return "/"
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return target
}

// StartOAuth begins a sign-in (linkUserID == 0) or a link of a new provider
// to linkUserID. It stores the PKCE verifier and nonce server-side under the
// hash of a fresh state value and returns the provider URL to redirect to
// and the state, which the caller should also bind to the browser (cookie).
// Starts count against the client's per-IP sign-in bucket.
func (s *Service) StartOAuth(ctx context.Context, name string, linkUserID int64, redirectTo string, c Client) (authURL, state string, err error) {
	p, ok := s.providers[name]
	if !ok {
		return "", "", ErrProviderUnknown
	}
	// Each start stores a row; the per-IP bucket stops anyone filling the
	// table (and it is also a sign-in attempt).
	if err := s.allow(ctx, s.ipLimit, "ip:"+c.IP); err != nil {
		return "", "", err
	}
	if p.cfg.Kind == KindOIDC {
		if _, err := s.discover(ctx, p); err != nil {
			return "", "", err
		}
	}
	state = randomString(32)
	verifier := oauth2.GenerateVerifier()
	st := store.OAuthState{
		StateHash:    HashToken(state),
		Provider:     name,
		PKCEVerifier: verifier,
		LinkUserID:   linkUserID,
		RedirectTo:   SafeRedirect(redirectTo),
		ExpiresAt:    s.opts.Now().UTC().Add(StateTTL),
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if p.cfg.Kind == KindOIDC {
		st.Nonce = randomString(24)
		opts = append(opts, oidc.Nonce(st.Nonce))
	}
	if err := s.st.SaveOAuthState(ctx, st); err != nil {
		return "", "", fmt.Errorf("save oauth state: %w", err)
	}
	p.mu.Lock()
	cfg := p.oauth2
	p.mu.Unlock()
	return cfg.AuthCodeURL(state, opts...), state, nil
}

// Callback is what the provider sent back to /auth/{provider}/callback.
type Callback struct {
	Provider string
	State    string
	Code     string
	Error    string // the provider's "error" parameter, e.g. access_denied
	// CurrentUserID is the signed-in user presenting the callback, 0 if none.
	CurrentUserID int64
}

// OAuthResult is a finished sign-in or link.
type OAuthResult struct {
	User       store.User
	Token      string // new session token; empty for a link (the session stays)
	Created    bool   // a new user was made from this identity
	Linked     bool   // the identity was linked to the signed-in user
	RedirectTo string
}

// externalIdentity is what a provider tells us about its user.
type externalIdentity struct {
	Subject     string
	Email       string
	Login       string // GitHub login / OIDC preferred_username
	DisplayName string
	AvatarURL   string
}

// FinishOAuth completes the authorization-code flow: it consumes the state
// (single use), exchanges the code with the PKCE verifier, verifies the ID
// token (OIDC: signature, issuer, audience, expiry, nonce) or reads the
// GitHub user API, and then signs in, creates or links the user.
func (s *Service) FinishOAuth(ctx context.Context, cb Callback, c Client, oldToken string) (OAuthResult, error) {
	p, ok := s.providers[cb.Provider]
	if !ok {
		return OAuthResult{}, ErrProviderUnknown
	}
	if cb.State == "" {
		return OAuthResult{}, ErrOAuthStateInvalid
	}
	st, err := s.st.TakeOAuthState(ctx, HashToken(cb.State), s.opts.Now().UTC())
	if errors.Is(err, store.ErrNotFound) {
		return OAuthResult{}, ErrOAuthStateInvalid
	}
	if err != nil {
		return OAuthResult{}, fmt.Errorf("take oauth state: %w", err)
	}
	if st.Provider != cb.Provider {
		return OAuthResult{}, ErrOAuthStateInvalid.Wrap(fmt.Errorf("state was for %q", st.Provider))
	}
	if st.LinkUserID != 0 && st.LinkUserID != cb.CurrentUserID {
		// A link started by one account must be finished by the same one.
		return OAuthResult{}, ErrOAuthStateInvalid.Wrap(errors.New("link finished by a different session"))
	}
	if cb.Error != "" {
		return OAuthResult{}, ErrOAuthDenied.Wrap(fmt.Errorf("provider error %q", truncate(cb.Error, 64)))
	}
	if cb.Code == "" {
		return OAuthResult{}, ErrOAuthTokenInvalid.WithMessage("the provider returned no authorization code")
	}

	var ext externalIdentity
	switch p.cfg.Kind {
	case KindOIDC:
		ext, err = s.finishOIDC(ctx, p, cb.Code, st)
	case KindGitHub:
		ext, err = s.finishGitHub(ctx, p, cb.Code, st)
	}
	if err != nil {
		return OAuthResult{}, err
	}
	if ext.Subject == "" || len(ext.Subject) > 255 || cleanText(ext.Subject, 255) != ext.Subject {
		return OAuthResult{}, ErrOAuthTokenInvalid.Wrap(fmt.Errorf("provider returned an unusable subject %q", truncate(ext.Subject, 64)))
	}

	res := OAuthResult{RedirectTo: SafeRedirect(st.RedirectTo)}
	if st.LinkUserID != 0 {
		u, err := s.link(ctx, cb.Provider, ext, st.LinkUserID)
		if err != nil {
			return OAuthResult{}, err
		}
		res.User, res.Linked = u, true
		return res, nil
	}
	u, created, err := s.signInExternal(ctx, cb.Provider, ext)
	if err != nil {
		return OAuthResult{}, err
	}
	tok, err := s.startSession(ctx, u.ID, c, oldToken)
	if err != nil {
		return OAuthResult{}, err
	}
	res.User, res.Token, res.Created = u, tok, created
	return res, nil
}

func (s *Service) exchange(ctx context.Context, p *provider, code, verifier string) (*oauth2.Token, error) {
	p.mu.Lock()
	cfg := p.oauth2
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(s.clientCtx(ctx), 15*time.Second)
	defer cancel()
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return nil, ErrOAuthTokenInvalid.Wrap(fmt.Errorf("exchange code: %w", err))
		}
		return nil, ErrOAuthProviderFailed.Wrap(fmt.Errorf("exchange code: %w", err))
	}
	return tok, nil
}

func (s *Service) finishOIDC(ctx context.Context, p *provider, code string, st store.OAuthState) (externalIdentity, error) {
	verifier, err := s.discover(ctx, p)
	if err != nil {
		return externalIdentity{}, err
	}
	tok, err := s.exchange(ctx, p, code, st.PKCEVerifier)
	if err != nil {
		return externalIdentity{}, err
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return externalIdentity{}, ErrOAuthTokenInvalid.Wrap(errors.New("token response has no id_token"))
	}
	idt, err := verifier.Verify(s.clientCtx(ctx), raw)
	if err != nil {
		return externalIdentity{}, ErrOAuthTokenInvalid.Wrap(fmt.Errorf("verify id token: %w", err))
	}
	if st.Nonce == "" || !constantTimeEqual(idt.Nonce, st.Nonce) {
		return externalIdentity{}, ErrOAuthTokenInvalid.Wrap(errors.New("id token nonce mismatch"))
	}
	var claims struct {
		Email             string    `json:"email"`
		EmailVerified     *flexBool `json:"email_verified"`
		Name              string    `json:"name"`
		Picture           string    `json:"picture"`
		PreferredUsername string    `json:"preferred_username"`
	}
	if err := idt.Claims(&claims); err != nil {
		return externalIdentity{}, ErrOAuthTokenInvalid.Wrap(fmt.Errorf("id token claims: %w", err))
	}
	email := claims.Email
	if claims.EmailVerified != nil && !bool(*claims.EmailVerified) {
		email = "" // an unverified address says nothing about who this is
	}
	return externalIdentity{
		Subject:     idt.Subject,
		Email:       email,
		Login:       claims.PreferredUsername,
		DisplayName: claims.Name,
		AvatarURL:   claims.Picture,
	}, nil
}

// flexBool reads a JSON boolean or the strings "true"/"false": some
// issuers (e.g. AWS Cognito) send email_verified as a string.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	switch strings.Trim(string(data), `"`) {
	case "true":
		*b = true
	case "false":
		*b = false
	default:
		return fmt.Errorf("email_verified: want a boolean, got %s", truncate(string(data), 20))
	}
	return nil
}

func constantTimeEqual(a, b string) bool {
	// sha256 first so lengths do not leak through the comparison.
	ha, hb := HashToken(a), HashToken(b)
	var v byte
	for i := range ha {
		v |= ha[i] ^ hb[i]
	}
	return v == 0
}

func (s *Service) finishGitHub(ctx context.Context, p *provider, code string, st store.OAuthState) (externalIdentity, error) {
	tok, err := s.exchange(ctx, p, code, st.PKCEVerifier)
	if err != nil {
		return externalIdentity{}, err
	}
	var user struct {
		ID        int64  `json:"id"`
		Login     string `json:"login"`
		Name      string `json:"name"`
		AvatarURL string `json:"avatar_url"`
		Email     string `json:"email"`
	}
	if err := s.githubGet(ctx, p, tok, "/user", &user); err != nil {
		return externalIdentity{}, err
	}
	if user.ID <= 0 {
		return externalIdentity{}, ErrOAuthTokenInvalid.Wrap(errors.New("github /user has no id"))
	}
	// The public profile e-mail may be empty or unverified; the verified
	// primary address comes from /user/emails (needs user:email). Without
	// it we go on: the e-mail is informational only.
	email := ""
	var emails []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	if err := s.githubGet(ctx, p, tok, "/user/emails", &emails); err != nil {
		s.opts.Logger.WarnContext(ctx, "github /user/emails", "err", err)
	}
	for _, e := range emails {
		if e.Primary && e.Verified {
			email = e.Email
		}
	}
	return externalIdentity{
		// The numeric id is stable; logins can be renamed and reused.
		Subject:     strconv.FormatInt(user.ID, 10),
		Email:       email,
		Login:       user.Login,
		DisplayName: user.Name,
		AvatarURL:   user.AvatarURL,
	}, nil
}

func (s *Service) githubGet(ctx context.Context, p *provider, tok *oauth2.Token, path string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.cfg.APIURL+path, nil)
	if err != nil {
		return ErrOAuthProviderFailed.Wrap(err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	tok.SetAuthHeader(req)
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		return ErrOAuthProviderFailed.Wrap(fmt.Errorf("GET %s: %w", path, err))
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		return ErrOAuthTokenInvalid.Wrap(fmt.Errorf("GET %s: %s", path, resp.Status))
	}
	if resp.StatusCode != http.StatusOK {
		return ErrOAuthProviderFailed.Wrap(fmt.Errorf("GET %s: %s", path, resp.Status))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return ErrOAuthProviderFailed.Wrap(fmt.Errorf("GET %s: decode: %w", path, err))
	}
	return nil
}

// link attaches ext to userID. Linking an identity that is already this
// user's is a no-op; one that belongs to someone else is refused.
func (s *Service) link(ctx context.Context, providerName string, ext externalIdentity, userID int64) (store.User, error) {
	u, err := s.st.UserByID(ctx, userID)
	if err != nil {
		return store.User{}, ErrUnauthenticated.Wrap(err)
	}
	if u.Disabled {
		return store.User{}, ErrAccountDisabled
	}
	owner, err := s.st.UserByIdentity(ctx, providerName, ext.Subject)
	switch {
	case err == nil && owner.ID == userID:
		return u, nil
	case err == nil:
		return store.User{}, ErrIdentityTaken
	case !errors.Is(err, store.ErrNotFound):
		return store.User{}, fmt.Errorf("look up identity: %w", err)
	}
	err = s.st.LinkIdentity(ctx, store.Identity{Provider: providerName, Subject: ext.Subject, UserID: userID, Email: cleanText(ext.Email, 254), CreatedAt: s.opts.Now().UTC()})
	if errors.Is(err, store.ErrConflict) {
		return store.User{}, ErrIdentityTaken
	}
	if err != nil {
		return store.User{}, fmt.Errorf("link identity: %w", err)
	}
	s.opts.Logger.InfoContext(ctx, "identity linked", "user_id", userID, "provider", providerName)
	return u, nil
}

// signInExternal finds the user of ext or creates one.
func (s *Service) signInExternal(ctx context.Context, providerName string, ext externalIdentity) (store.User, bool, error) {
	u, err := s.st.UserByIdentity(ctx, providerName, ext.Subject)
	if err == nil {
		if u.Disabled {
			return store.User{}, false, ErrAccountDisabled
		}
		return u, false, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return store.User{}, false, fmt.Errorf("look up identity: %w", err)
	}
	base := usernameBase(ext.Login, ext.Email, ext.DisplayName)
	if Reserved(base) {
		base = "player" // a provider login "admin" must not become the site's admin look-alike
	}
	display := CleanDisplayName(ext.DisplayName)
	if display == "" {
		display = orDefault(CleanDisplayName(ext.Login), base)
	}
	avatar := ext.AvatarURL
	if a, err := url.Parse(avatar); err != nil || (a.Scheme != "https" && a.Scheme != "http") || len(avatar) > 512 {
		avatar = ""
	}
	id := store.Identity{Provider: providerName, Subject: ext.Subject, Email: cleanText(ext.Email, 254), CreatedAt: s.opts.Now().UTC()}
	for i := 0; i < 20; i++ {
		name := base
		switch {
		case i > 0 && i < 10:
			name = fmt.Sprintf("%s-%d", base, i+1)
		case i >= 10:
			name = base + "-" + strings.ToLower(randomString(3))[:4]
			name = strings.Map(func(r rune) rune {
				if r < 128 && usernameByte(byte(r)) {
					return r
				}
				return '-'
			}, name)
		}
		if _, err := s.st.UserByUsername(ctx, name); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return store.User{}, false, fmt.Errorf("look up username: %w", err)
		}
		u, err := s.st.CreateUserWithIdentity(ctx, store.NewUser{Username: name, DisplayName: display, AvatarURL: avatar, Role: store.RolePlayer}, id)
		if err == nil {
			s.opts.Logger.InfoContext(ctx, "user created from identity", "user_id", u.ID, "username", name, "provider", providerName)
			return u, true, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return store.User{}, false, fmt.Errorf("create user from identity: %w", err)
		}
		// Either the name was taken meanwhile or the same identity was
		// created by a concurrent callback; in the latter case use it.
		if u, err := s.st.UserByIdentity(ctx, providerName, ext.Subject); err == nil {
			return u, false, nil
		}
	}
	return store.User{}, false, errors.New("could not find a free username for new identity")
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
