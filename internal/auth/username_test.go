package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNormalizeUsername(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"alice", "alice", true},
		{"Alice_Bob-42", "alice_bob-42", true},
		{"abc", "abc", true},
		{strings.Repeat("a", 32), strings.Repeat("a", 32), true},
		{"ab", "", false},
		{"", "", false},
		{strings.Repeat("a", 33), "", false},
		{"has space", "", false},
		{"dot.name", "", false},
		{"émile", "", false},
		{"a\x00b", "", false},
		{"İstanbul", "", false}, // would lower-case to ASCII with unicode rules
		{"name@x", "", false},
	} {
		got, err := NormalizeUsername(tc.in)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("NormalizeUsername(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidUsername) {
			t.Errorf("NormalizeUsername(%q) error %v is not ErrInvalidUsername", tc.in, err)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{strings.Repeat("x", 9), false},
		{strings.Repeat("x", 10), true},
		{strings.Repeat("x", 256), true},
		{strings.Repeat("x", 257), false},
		{strings.Repeat("é", 5), true},    // 10 bytes: length is counted in bytes
		{strings.Repeat("é", 129), false}, // 258 bytes
		{"0123456789\xff", false},         // not UTF-8
	} {
		if err := ValidatePassword(tc.pw); (err == nil) != tc.ok {
			t.Errorf("ValidatePassword(len %d) = %v; want ok=%v", len(tc.pw), err, tc.ok)
		}
	}
}

func TestUsernameBase(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"octocat"}, "octocat"},
		{[]string{"Octo.Cat"}, "octo-cat"},
		{[]string{"", "jane.doe@example.com"}, "jane-doe"},
		{[]string{"a"}, "a__"},
		{[]string{"...", "", "Zoë Smith"}, "zo-smith"},
		{[]string{"", ""}, "player"},
		{[]string{strings.Repeat("x", 50)}, strings.Repeat("x", 27)},
	} {
		got := usernameBase(tc.in...)
		if got != tc.want {
			t.Errorf("usernameBase(%q) = %q; want %q", tc.in, got, tc.want)
		}
		if _, err := NormalizeUsername(got); err != nil {
			t.Errorf("usernameBase(%q) = %q is not a valid username", tc.in, got)
		}
	}
}

func TestSafeRedirect(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "/",
		"/":                    "/",
		"/lobby?x=1":           "/lobby?x=1",
		"//evil.example":       "/",
		"https://evil.example": "/",
		"/\\evil.example":      "/",
		"lobby":                "/",
		"/a\r\nSet-Cookie:x":   "/",
		"javascript:alert(1)":  "/",
	} {
		if got := SafeRedirect(in); got != want {
			t.Errorf("SafeRedirect(%q) = %q; want %q", in, got, want)
		}
	}
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func TestMemoryLimiter(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := NewMemoryLimiter(RateLimit{Burst: 3, Every: 10 * time.Second}, clk.Now)
	for i := range 3 {
		if ok, _, _ := l.Allow(t.Context(), "k"); !ok {
			t.Fatalf("attempt %d refused within burst", i+1)
		}
	}
	ok, wait, _ := l.Allow(t.Context(), "k")
	if ok || wait != 10*time.Second {
		t.Fatalf("4th attempt: ok=%v wait=%v; want refused, 10s", ok, wait)
	}
	if ok, _, _ := l.Allow(t.Context(), "other"); !ok {
		t.Fatal("another key shares the bucket")
	}
	clk.Advance(4 * time.Second)
	if ok, wait, _ := l.Allow(t.Context(), "k"); ok || wait != 6*time.Second {
		t.Fatalf("after 4s: ok=%v wait=%v; want refused, 6s", ok, wait)
	}
	clk.Advance(6 * time.Second)
	if ok, _, _ := l.Allow(t.Context(), "k"); !ok {
		t.Fatal("token not refilled after Every")
	}
}

func TestMemoryLimiterBoundsMemory(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := NewMemoryLimiter(RateLimit{Burst: 2, Every: time.Second}, clk.Now)
	for i := range 5000 {
		l.Allow(t.Context(), "spray-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+time.Duration(i).String())
		if i%100 == 0 {
			clk.Advance(3 * time.Second) // earlier buckets are full again
		}
	}
	if n := l.Len(); n > 2100 {
		t.Fatalf("limiter holds %d buckets after a spray; full buckets are not swept", n)
	}
}

func TestFlexBool(t *testing.T) {
	for in, want := range map[string]bool{`true`: true, `false`: false, `"true"`: true, `"false"`: false} {
		var b flexBool
		if err := b.UnmarshalJSON([]byte(in)); err != nil || bool(b) != want {
			t.Errorf("flexBool(%s) = %v, %v", in, b, err)
		}
	}
	var b flexBool
	if err := b.UnmarshalJSON([]byte(`"yes"`)); err == nil {
		t.Error(`flexBool accepted "yes"`)
	}
}
