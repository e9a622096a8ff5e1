package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestClientIP(t *testing.T) {
	s := &Server{trustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
	for _, tc := range []struct {
		remote, xff, want string
	}{
		{"192.0.2.1:1234", "", "192.0.2.1"},
		{"192.0.2.1:1234", "203.0.113.9", "192.0.2.1"}, // untrusted peer: header ignored
		{"10.1.2.3:80", "203.0.113.9", "203.0.113.9"},
		{"10.1.2.3:80", "6.6.6.6, 203.0.113.9, 10.9.9.9", "203.0.113.9"}, // right-most untrusted hop
		{"10.1.2.3:80", "garbage", "10.1.2.3"},
		{"10.1.2.3:80", "", "10.1.2.3"},
		{"[::1]:80", "2001:db8::7", "2001:db8::7"},
		{"[::ffff:192.0.2.5]:80", "", "192.0.2.5"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := s.clientIP(r); got != tc.want {
			t.Errorf("clientIP(%s, XFF %q) = %s; want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
}

func TestBuildCSP(t *testing.T) {
	for origin, ws := range map[string]string{"http://127.0.0.1:8080": "ws://127.0.0.1:8080", "https://arena.example": "wss://arena.example"} {
		if csp := buildCSP(origin); !strings.Contains(csp, "connect-src 'self' "+ws) {
			t.Errorf("CSP for %s: %s", origin, csp)
		}
	}
}
