package auth

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/auth/authtest"
	"github.com/segfaultarena/segfault/internal/errcode"
)

func TestValidateNewPassword(t *testing.T) {
	for _, tc := range []struct {
		pw, user string
		ok       bool
	}{
		{"aaaaaaaaaa", "ada", false},
		{"abababababab", "ada", false},
		{"1212121212", "ada", false},
		{"0123456789", "ada", false},
		{"abcdefghijkl", "ada", false},
		{"9876543210", "ada", false},
		{"qwertyuiop", "ada", false},   // in the bundled list
		{"Password123", "ada", false},  // in the list, whatever the case
		{"1qaz2wsx3edc", "ada", false}, // in the list
		{"lovelace1815", "lovelace1815", false},
		{"Lovelace1815!", "lovelace", false},
		{"SegFault2026", "ada", false},
		{"aaaaaaaaa", "ada", false}, // too short anyway
		{"correct horse battery", "ada", true},
		{"4567890123", "123", true}, // a digits-only username is not every digit string
		{"lovelace-analytical", "lovelace", true},
	} {
		err := ValidateNewPassword(tc.pw, tc.user)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateNewPassword(%q, %q) = %v, want ok=%v", tc.pw, tc.user, err, tc.ok)
		}
		if err != nil && len(tc.pw) >= MinPasswordLen && errcode.CodeOf(err) != errcode.PasswordTooCommon {
			t.Errorf("%q refused with %v, want password_too_common", tc.pw, err)
		}
	}
	if n := len(commonSet()); n < 1500 {
		t.Fatalf("bundled list has %d entries", n)
	}
}

func TestReserved(t *testing.T) {
	for name, want := range map[string]bool{"admin": true, "root": true, "support": true, "system": true,
		"admin_2": true, "ad-min": true, "root0": true, "segfault": true,
		"ada": false, "rootbeer": false, "administer": false, "lovelace": false} {
		if Reserved(name) != want {
			t.Errorf("Reserved(%q) = %v, want %v", name, !want, want)
		}
	}
}

func TestCleanDisplayName(t *testing.T) {
	long := ""
	for range 70 {
		long += "é"
	}
	for in, want := range map[string]string{
		"Ada Lovelace":                        "Ada Lovelace",
		"evil\u202Etxt.exe":                   "eviltxt.exe",
		"a\u200Bd\u200Cm\u200Di\u2060n\uFEFF": "admin",
		"\u2066x\u2069 \u200E\u200F":          "x",
		"\uFF21\uFF44\uFF41":                  "Ada", // full-width → ASCII (NFKC)
		"e\u0301":                             "é",   // composed (NFKC)
		"\u3164\u115F\u2800":                  "",
		"  many\t\n  spaces ":                 "many spaces",
		"nul\x00bell\x07":                     "nulbell",
		"bad\xffutf8":                         "badutf8",
		long:                                  long[:64*len("é")],
	} {
		if got := CleanDisplayName(in); got != want {
			t.Errorf("CleanDisplayName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProofOfWork(t *testing.T) {
	clk := authtest.NewClock(time.Now())
	s, err := New(authtest.NewStore(t), Options{Password: cheapParams, ProofOfWorkBits: 10, Now: clk.Now,
		IPRate: RateLimit{Burst: -1}, UserRate: RateLimit{Burst: -1}, RegisterRate: RateLimit{Burst: -1}})
	if err != nil {
		t.Fatal(err)
	}
	c := s.RegisterChallenge()
	if c.Bits != 10 || c.Stamp != strconv.FormatInt(clk.Now().Unix(), 10) {
		t.Fatalf("challenge %+v", c)
	}
	p := SolveProof("ada", c)
	if leadingZeros(powHash("ada", p.Stamp, p.Nonce)) < 10 {
		t.Fatal("SolveProof returned an unsolved proof")
	}
	for name, tc := range map[string]struct {
		user  string
		proof Proof
		ok    bool
	}{
		"solved":           {"ada", p, true},
		"none":             {"ada", Proof{}, false},
		"another name":     {"bob", p, false},
		"unsolved nonce":   {"ada", Proof{Stamp: p.Stamp, Nonce: p.Nonce + "x"}, false},
		"not a stamp":      {"ada", Proof{Stamp: "soon", Nonce: p.Nonce}, false},
		"long nonce":       {"ada", Proof{Stamp: p.Stamp, Nonce: string(make([]byte, 65))}, false},
		"from the future":  {"ada", SolveProof("ada", Challenge{Bits: 10, Stamp: strconv.FormatInt(clk.Now().Add(2*time.Minute).Unix(), 10)}), false},
		"eleven minutes":   {"ada", SolveProof("ada", Challenge{Bits: 10, Stamp: strconv.FormatInt(clk.Now().Add(-11*time.Minute).Unix(), 10)}), false},
		"a little skewed":  {"ada", SolveProof("ada", Challenge{Bits: 10, Stamp: strconv.FormatInt(clk.Now().Add(30*time.Second).Unix(), 10)}), true},
		"nine minutes old": {"ada", SolveProof("ada", Challenge{Bits: 10, Stamp: strconv.FormatInt(clk.Now().Add(-9*time.Minute).Unix(), 10)}), true},
	} {
		err := s.checkProof(tc.user, tc.proof)
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, ErrProofInvalid) {
			t.Errorf("%s: %v, want ok=%v", name, err, tc.ok)
		}
	}
	// Register checks it, and nothing is written when it fails.
	if _, _, err := s.Register(context.Background(), "ada", "correct horse battery", Proof{}, Client{IP: "192.0.2.1"}, ""); !errors.Is(err, ErrProofInvalid) {
		t.Fatalf("register without proof: %v", err)
	}
	if _, _, err := s.Register(context.Background(), "ada", "correct horse battery", p, Client{IP: "192.0.2.1"}, ""); err != nil {
		t.Fatalf("register with proof: %v", err)
	}
	if _, err := New(authtest.NewStore(t), Options{ProofOfWorkBits: MaxPowBits + 1}); err == nil {
		t.Fatal("33 bits accepted")
	}
}
