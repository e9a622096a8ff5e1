package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/httpapi"
)

// register solves the server's sign-up challenge for user and registers.
func (e *testEnv) register(c *http.Client, user, pw string) reply {
	e.t.Helper()
	r := e.do(c, "GET", "/api/v1/auth/challenge", "")
	var ch struct {
		Algorithm string `json:"algorithm"`
		Bits      int    `json:"bits"`
		Stamp     string `json:"stamp"`
	}
	r.json(e.t, &ch)
	if r.status != 200 || ch.Algorithm != "sha256" {
		e.t.Fatalf("challenge: %d %s", r.status, r.body)
	}
	name, err := auth.NormalizeUsername(user)
	if err != nil {
		name = user
	}
	p := auth.SolveProof(name, auth.Challenge{Bits: ch.Bits, Stamp: ch.Stamp})
	return e.do(c, "POST", "/api/v1/auth/register", credsWithProof(user, pw, p))
}

func credsWithProof(user, pw string, p auth.Proof) string {
	b, _ := json.Marshal(map[string]any{"username": user, "password": pw, "proof": map[string]string{"stamp": p.Stamp, "nonce": p.Nonce}})
	return string(b)
}

// TestRegistrationAbuse is issue 17's sign-up attacks: 20 accounts in 1.6 s
// from one address, "aaaaaaaaaa" and other guessable passwords, the name
// "admin". Each refusal has its code, writes no user, and the server keeps
// serving.
func TestRegistrationAbuse(t *testing.T) {
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.Auth.RegisterRate = auth.RateLimit{} // the default: 5, then one per 5 min
		o.Auth.ProofOfWorkBits = 8
	})

	// 20 sign-ups from one address, each with its challenge solved: the
	// first 5 get accounts, the rest wait.
	created := 0
	for i := range 20 {
		r := e.register(nil, fmt.Sprintf("farm%02d", i), "correct horse battery")
		switch {
		case r.status == http.StatusCreated:
			created++
		case r.status == http.StatusTooManyRequests && r.code == "rate_limited" && r.header.Get("Retry-After") != "":
		default:
			t.Fatalf("sign-up %d: %d %s", i, r.status, r.body)
		}
	}
	if created != 5 || e.count("users") != 5 {
		t.Fatalf("20 sign-ups from one address created %d accounts (%d users), want 5", created, e.count("users"))
	}
	// A refused name does not spend the address's quota; time refills it.
	e.clock.Advance(5 * time.Minute)
	if r := e.register(nil, "farm00", "correct horse battery"); r.code != "username_taken" {
		t.Fatalf("taken name: %d %s", r.status, r.body)
	}
	if r := e.register(nil, "farm20", "correct horse battery"); r.status != http.StatusCreated {
		t.Fatalf("sign-up after 5 min: %d %s", r.status, r.body)
	}

	e.clock.Advance(time.Hour)
	for _, tc := range []struct {
		user, pw, code string
		status         int
	}{
		{"victim01", "aaaaaaaaaa", "password_too_common", 400},
		{"victim01", "password123", "password_too_common", 400},
		{"victim01", "1q2w3e4r5t", "password_too_common", 400},
		{"victim01", "0123456789", "password_too_common", 400},
		{"victim01", "Victim01!!", "password_too_common", 400},
		{"admin", "correct horse battery", "username_reserved", 409},
		{"Root", "correct horse battery", "username_reserved", 409},
		{"support_2", "correct horse battery", "username_reserved", 409},
	} {
		if r := e.register(nil, tc.user, tc.pw); r.status != tc.status || r.code != tc.code {
			t.Errorf("register %s / %q: %d %s, want %d %s", tc.user, tc.pw, r.status, r.body, tc.status, tc.code)
		}
	}

	// No proof, a proof for another name, a stale one: refused.
	good := auth.SolveProof("victim02", auth.Challenge{Bits: 8, Stamp: fmt.Sprint(e.clock.Now().Unix())})
	stale := auth.SolveProof("victim02", auth.Challenge{Bits: 8, Stamp: fmt.Sprint(e.clock.Now().Add(-11 * time.Minute).Unix())})
	for name, body := range map[string]string{
		"without a proof":   creds("victim02", "correct horse battery"),
		"another's proof":   credsWithProof("victim03", "correct horse battery", good),
		"a stale proof":     credsWithProof("victim02", "correct horse battery", stale),
		"an unsolved proof": credsWithProof("victim02", "correct horse battery", auth.Proof{Stamp: good.Stamp, Nonce: "x"}),
	} {
		if r := e.do(nil, "POST", "/api/v1/auth/register", body); r.status != 400 || r.code != "proof_of_work_invalid" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	if n := e.count("users"); n != 6 {
		t.Fatalf("refused sign-ups wrote users: %d, want 6", n)
	}
	// Still serving: the solved proof signs victim02 up.
	if r := e.do(nil, "POST", "/api/v1/auth/register", credsWithProof("victim02", "correct horse battery", good)); r.status != http.StatusCreated {
		t.Fatalf("a good sign-up after the attacks: %d %s", r.status, r.body)
	}
}
