package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/auth/authtest"
)

// cheapParams keep tests fast on 2 cores; the code paths are the same.
var cheapParams = PasswordParams{Time: 1, MemoryKiB: 1024, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestHashVerify(t *testing.T) {
	ctx := context.Background()
	h, err := NewHasher(cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("encoded hash %q is not PHC argon2id with the parameters", enc)
	}
	enc2, _ := h.Hash(ctx, "correct horse battery")
	if enc == enc2 {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
		{"correct horse battery ", false},
	} {
		ok, err := h.Verify(ctx, tc.pw, enc)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
}

func TestVerifyOldParamsAndRehash(t *testing.T) {
	ctx := context.Background()
	old, _ := NewHasher(cheapParams)
	enc, _ := old.Hash(ctx, "some long password")
	stronger := cheapParams
	stronger.Time = 2
	stronger.MemoryKiB = 2048
	h, _ := NewHasher(stronger)
	ok, err := h.Verify(ctx, "some long password", enc)
	if err != nil || !ok {
		t.Fatalf("hash made with old parameters no longer verifies: %v %v", ok, err)
	}
	if !h.NeedsRehash(enc) {
		t.Error("NeedsRehash = false for a hash with weaker parameters")
	}
	enc2, _ := h.Hash(ctx, "some long password")
	if h.NeedsRehash(enc2) {
		t.Error("NeedsRehash = true for a current hash")
	}
}

func TestVerifyMalformedHashes(t *testing.T) {
	ctx := context.Background()
	h, _ := NewHasher(cheapParams)
	good, _ := h.Hash(ctx, "password123")
	parts := strings.Split(good, "$")
	for name, enc := range map[string]string{
		"empty (oauth-only user)": "",
		"bcrypt":                  "$2a$10$abcdefghijklmnopqrstuu",
		"argon2i":                 strings.Replace(good, "argon2id", "argon2i", 1),
		"bad version":             strings.Replace(good, "v=19", "v=16", 1),
		"bad salt":                strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"absurd memory":           strings.Join([]string{"", parts[1], parts[2], "m=99999999,t=1,p=1", parts[4], parts[5]}, "$"),
		"zero time":               strings.Join([]string{"", parts[1], parts[2], "m=1024,t=0,p=1", parts[4], parts[5]}, "$"),
		"unknown param":           strings.Join([]string{"", parts[1], parts[2], "m=1024,t=1,p=1,x=2", parts[4], parts[5]}, "$"),
		"truncated":               good[:len(good)-10] + "$",
	} {
		ok, err := h.Verify(ctx, "password123", enc)
		if ok || err != nil {
			t.Errorf("%s: Verify = %v, %v; want false, nil", name, ok, err)
		}
	}
}

func TestPasswordParamsValidate(t *testing.T) {
	for name, p := range map[string]PasswordParams{
		"zero time":    {Time: 0, MemoryKiB: 1024, Threads: 1, KeyLen: 32, SaltLen: 16},
		"zero threads": {Time: 1, MemoryKiB: 1024, Threads: 0, KeyLen: 32, SaltLen: 16},
		"tiny memory":  {Time: 1, MemoryKiB: 8, Threads: 2, KeyLen: 32, SaltLen: 16},
		"short key":    {Time: 1, MemoryKiB: 1024, Threads: 1, KeyLen: 8, SaltLen: 16},
		"short salt":   {Time: 1, MemoryKiB: 1024, Threads: 1, KeyLen: 32, SaltLen: 4},
	} {
		if _, err := NewHasher(p); err == nil {
			t.Errorf("%s: NewHasher accepted %+v", name, p)
		}
	}
	if err := DefaultPasswordParams().Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
}

func TestHashRespectsContextWhenSaturated(t *testing.T) {
	p := cheapParams
	p.MaxConcurrent = 1
	h, _ := NewHasher(p)
	h.sem <- struct{}{} // occupy the only slot
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "password123"); err == nil {
		t.Fatal("Hash with a cancelled context and no free slot succeeded")
	}
	<-h.sem
	if _, err := h.Hash(context.Background(), "password123"); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkHashDefault measures the production parameters (run with
// -bench Hash); on the 2-core CI machine this is the sign-in floor.
func BenchmarkHashDefault(b *testing.B) {
	h, err := NewHasher(DefaultPasswordParams())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHashDefaultParallel(b *testing.B) {
	h, _ := NewHasher(DefaultPasswordParams())
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			h.Hash(context.Background(), "correct horse battery")
		}
	})
}

// BenchmarkLoginBadCredentials reports what a refused sign-in costs with
// the production parameters, for a wrong password and for an unknown user,
// taking turns so that load drifts hit both alike (TestBadCredentialsCostTheSame
// checks the equal work; this shows the time):
//
//	go test -run '^$' -bench LoginBadCredentials ./internal/auth
func BenchmarkLoginBadCredentials(b *testing.B) {
	svc, err := New(authtest.NewStore(b), Options{Password: DefaultPasswordParams(),
		IPRate: RateLimit{Burst: -1}, UserRate: RateLimit{Burst: -1}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, _, err := svc.Register(ctx, "erin", "password-123", Proof{}, Client{IP: "192.0.2.1"}, ""); err != nil {
		b.Fatal(err)
	}
	var wrong, unknown time.Duration
	for b.Loop() {
		for _, user := range []string{"erin", "nobody_here"} {
			start := time.Now()
			if _, _, err := svc.Login(ctx, user, "wrong-password", Client{IP: "192.0.2.1"}, ""); !errors.Is(err, ErrBadCredentials) {
				b.Fatal(err)
			}
			if user == "erin" {
				wrong += time.Since(start)
			} else {
				unknown += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(wrong)/1e6/float64(b.N), "wrong-password-ms/op")
	b.ReportMetric(float64(unknown)/1e6/float64(b.N), "unknown-user-ms/op")
	b.ReportMetric(float64(unknown)/float64(wrong), "unknown/wrong")
}
