package httpapi

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// meResponse is the signed-in user with the profile the database made.

type userKey struct{}

// UserFrom returns the user RequireUser put in the context.
func UserFrom(ctx context.Context) (store.User, bool) {
	u, ok := ctx.Value(userKey{}).(store.User)
	return u, ok
}

func (s *Server) sessionToken(r *http.Request) string {
	if c, err := r.Cookie(s.cookieName); err == nil {
		return c.Value
	}
	return ""
}

// Authenticate resolves the request's session cookie to a user.
func (s *Server) Authenticate(r *http.Request) (store.User, error) {
	u, _, err := s.auth.Authenticate(r.Context(), s.sessionToken(r))
	return u, err
}

// RequireUser lets the request through only with a valid session of an
// enabled user; the user is then available through UserFrom.
func (s *Server) RequireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.Authenticate(r)
		if err != nil {
			if c := errcode.CodeOf(err); c == errcode.Unauthenticated || c == errcode.AccountDisabled {
				s.clearCookie(w, s.cookieName)
			}
			s.WriteError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

// RequireAdmin is RequireUser plus role admin (403 forbidden otherwise).
func (s *Server) RequireAdmin(next http.Handler) http.Handler {
	return s.RequireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, _ := UserFrom(r.Context()); u.Role != store.RoleAdmin {
			s.WriteError(w, r, errcode.New(errcode.Forbidden, "administrators only"))
			return
		}
		next.ServeHTTP(w, r)
	}))
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName,
		Value:    token,
		Path:     "/",
		MaxAge:   int(s.auth.SessionLifetime() / time.Second),
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) client(r *http.Request) auth.Client {
	return auth.Client{IP: s.clientIP(r), UserAgent: r.UserAgent()}
}

// countSignIn counts by method (password, register or a configured
// provider name; anything else is "unknown" so a client cannot mint label
// values) and result code.
func (s *Server) countSignIn(method string, err error) {
	if method != "password" && method != "register" && !s.knownProvider(method) {
		method = "unknown"
	}
	result := "ok"
	if err != nil {
		result = string(errcode.CodeOf(err))
	}
	s.metrics.signIns.WithLabelValues(method, result).Inc()
}

func (s *Server) knownProvider(name string) bool {
	for _, p := range s.auth.Providers() {
		if p.Name == name {
			return true
		}
	}
	return false
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	var in protocol.Credentials
	if err := s.DecodeJSON(w, r, &in); err != nil {
		s.WriteError(w, r, err)
		return
	}
	var proof auth.Proof
	if in.Proof != nil {
		proof = auth.Proof{Stamp: in.Proof.Stamp, Nonce: in.Proof.Nonce}
	}
	u, tok, err := s.auth.Register(r.Context(), in.Username, in.Password, proof, s.client(r), s.sessionToken(r))
	s.countSignIn("register", err)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.setSessionCookie(w, tok)
	s.writeMe(w, r, http.StatusCreated, u)
}

// handleChallenge hands out a sign-up challenge (auth/pow.go). It writes
// nothing anywhere: the proof is bound to the username and the stamp.
func (s *Server) handleChallenge(w http.ResponseWriter, r *http.Request) {
	c := s.auth.RegisterChallenge()
	w.Header().Set("Cache-Control", "no-store")
	WriteJSON(w, http.StatusOK, protocol.Challenge{Algorithm: "sha256", Bits: c.Bits, Stamp: c.Stamp})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var in protocol.Credentials
	if err := s.DecodeJSON(w, r, &in); err != nil {
		s.WriteError(w, r, err)
		return
	}
	u, tok, err := s.auth.Login(r.Context(), in.Username, in.Password, s.client(r), s.sessionToken(r))
	s.countSignIn("password", err)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.setSessionCookie(w, tok)
	s.writeMe(w, r, http.StatusOK, u)
}

// handleLogout revokes the presented session. Without one it still answers
// 204: the client's goal (being signed out) is met.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.Logout(r.Context(), s.sessionToken(r)); err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.clearCookie(w, s.cookieName)
	w.WriteHeader(http.StatusNoContent)
}

// handleLogoutAll revokes every session of the signed-in user ("sign out
// everywhere"): other browsers and devices are signed out too, and the
// user's open sockets on every node close at once.
func (s *Server) handleLogoutAll(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	if err := s.auth.LogoutAll(r.Context(), u.ID); err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.clearCookie(w, s.cookieName)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	s.writeMe(w, r, http.StatusOK, u)
}

func (s *Server) writeMe(w http.ResponseWriter, r *http.Request, status int, u store.User) {
	p, err := s.st.Profile(r.Context(), u.ID)
	if err != nil {
		s.WriteError(w, r, fmt.Errorf("load profile of user %d: %w", u.ID, err))
		return
	}
	st, err := s.st.ArenaStats(r.Context(), u.ID)
	if err != nil {
		s.WriteError(w, r, fmt.Errorf("load match count of user %d: %w", u.ID, err))
		return
	}
	WriteJSON(w, status, protocol.Me{
		ID: u.ID, Username: u.Username, DisplayName: p.DisplayName, AvatarURL: p.AvatarURL, Role: string(u.Role),
		Rating: p.Rating, RD: p.RD, Volatility: p.Volatility, XP: p.XP, Level: p.Level,
		CreatedAt: protocol.Time(u.CreatedAt), MatchesPlayed: st.Played,
	})
}

func (s *Server) providerList() protocol.List[protocol.Provider] {
	var out protocol.List[protocol.Provider]
	for _, p := range s.auth.Providers() {
		out = append(out, protocol.Provider{Name: p.Name, DisplayName: p.DisplayName, StartURL: "/auth/" + p.Name + "/start"})
	}
	return out
}

func (s *Server) handleProviders(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, protocol.Providers{Providers: s.providerList()})
}

// wantsJSON: OAuth endpoints answer browsers with redirects and API
// clients (Accept: application/json) with JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// oauthFail reports a failed OAuth step: JSON for API clients, otherwise a
// redirect to the sign-in page with the code, which the SPA explains.
func (s *Server) oauthFail(w http.ResponseWriter, r *http.Request, err error) {
	if wantsJSON(r) {
		s.WriteError(w, r, err)
		return
	}
	e, known := clientError(err)
	if !known || Status(e.Code) >= 500 {
		s.log.ErrorContext(r.Context(), "oauth failed", "route", routeOf(r), "err", err)
	} else {
		s.log.InfoContext(r.Context(), "oauth refused", "route", routeOf(r), "code", e.Code, "err", err)
	}
	http.Redirect(w, r, "/signin?error="+url.QueryEscape(string(e.Code)), http.StatusSeeOther)
}

// handleOAuthStart redirects to the provider. ?link=1 (signed in) links the
// provider to the current account instead of signing in; ?redirect_to=/path
// is where the browser lands afterwards (local paths only).
func (s *Server) handleOAuthStart(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("provider")
	var linkUser int64
	if r.URL.Query().Get("link") == "1" {
		u, err := s.Authenticate(r)
		if err != nil {
			s.oauthFail(w, r, err)
			return
		}
		linkUser = u.ID
	}
	authURL, state, err := s.auth.StartOAuth(r.Context(), name, linkUser, r.URL.Query().Get("redirect_to"), s.client(r))
	if err != nil {
		s.oauthFail(w, r, err)
		return
	}
	// Bind the flow to this browser: the callback must present the same
	// state in a cookie, or anyone could hand a victim a callback URL
	// (with the attacker's code) and sign them in as the attacker.
	http.SetCookie(w, &http.Cookie{
		Name:     s.stateCookie,
		Value:    state,
		Path:     "/",
		MaxAge:   int(auth.StateTTL / time.Second),
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode, // sent on the provider's top-level redirect back
	})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, authURL, http.StatusFound)
}

func (s *Server) handleOAuthCallback(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("provider")
	q := r.URL.Query()
	state := q.Get("state")
	s.clearCookie(w, s.stateCookie)
	bound, err := r.Cookie(s.stateCookie)
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(bound.Value), []byte(state)) != 1 {
		s.countSignIn(name, auth.ErrOAuthStateInvalid)
		s.oauthFail(w, r, auth.ErrOAuthStateInvalid)
		return
	}
	cb := auth.Callback{Provider: name, State: state, Code: q.Get("code"), Error: q.Get("error")}
	if u, err := s.Authenticate(r); err == nil {
		cb.CurrentUserID = u.ID
	}
	res, err := s.auth.FinishOAuth(r.Context(), cb, s.client(r), s.sessionToken(r))
	s.countSignIn(name, err)
	if err != nil {
		s.oauthFail(w, r, err)
		return
	}
	if res.Token != "" {
		s.setSessionCookie(w, res.Token)
	}
	if wantsJSON(r) {
		s.writeMe(w, r, http.StatusOK, res.User)
		return
	}
	http.Redirect(w, r, res.RedirectTo, http.StatusSeeOther)
}
