package config

import (
	"flag"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load("serve", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || c.DB != "" || c.PublicURL != "http://127.0.0.1:8080" {
		t.Fatalf("defaults: %+v", c)
	}
	if c.Workers < 1 {
		t.Fatalf("workers default should become the CPU count, got %d", c.Workers)
	}
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "segfault.yaml")
	if err := os.WriteFile(file, []byte("addr: 127.0.0.1:9000\nlog-level: debug\nbody-limit: 4096\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load("serve", []string{"--config", file, "--log-level", "warn"},
		env(map[string]string{"SEGFAULT_ADDR": "127.0.0.1:9100"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9100" {
		t.Errorf("env must beat file: addr=%s", c.Addr)
	}
	if c.LogLevel != "warn" {
		t.Errorf("flag must beat file: log-level=%s", c.LogLevel)
	}
	if c.BodyLimit != 4096 {
		t.Errorf("file value lost: body-limit=%d", c.BodyLimit)
	}
	// The config file can also come from the environment.
	c, err = Load("serve", nil, env(map[string]string{"SEGFAULT_CONFIG": file}), io.Discard)
	if err != nil || c.Addr != "127.0.0.1:9000" {
		t.Fatalf("SEGFAULT_CONFIG: %v %+v", err, c)
	}
}

func TestErrorsNameTheSetting(t *testing.T) {
	dir := t.TempDir()
	unknown := filepath.Join(dir, "u.yaml")
	os.WriteFile(unknown, []byte("adr: x\n"), 0o600)
	nested := filepath.Join(dir, "n.yaml")
	os.WriteFile(nested, []byte("addr: {a: 1}\n"), 0o600)
	broken := filepath.Join(dir, "b.yaml")
	os.WriteFile(broken, []byte("addr: [\n"), 0o600)
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad addr flag", []string{"--addr", "nope"}, nil, "addr (SEGFAULT_ADDR)"},
		{"bad port", []string{"--addr", "127.0.0.1:99999"}, nil, "bad port"},
		{"bad duration env", nil, map[string]string{"SEGFAULT_SESSION_IDLE": "soon"}, "SEGFAULT_SESSION_IDLE: invalid value \"soon\""},
		{"bad int env", nil, map[string]string{"SEGFAULT_WORKERS": "many"}, "SEGFAULT_WORKERS"},
		{"bad db", []string{"--db", "mysql://x"}, nil, "db (SEGFAULT_DB)"},
		{"bad log format", []string{"--log-format", "xml"}, nil, "log-format"},
		{"bad runtime", []string{"--sandbox-runtime", "docker"}, nil, "sandbox-runtime"},
		{"secret without id", nil, map[string]string{"SEGFAULT_GITHUB_CLIENT_SECRET": "s"}, "github-client-secret"},
		{"oidc without client", []string{"--oidc-issuer", "https://idp.example"}, nil, "oidc-issuer"},
		{"bad nats", []string{"--nats", "http://x"}, nil, "nats (SEGFAULT_NATS)"},
		{"llm without model", []string{"--llm-base-url", "http://127.0.0.1:1"}, nil, "llm-model"},
		{"session max below idle", []string{"--session-idle", "48h", "--session-max", "1h"}, nil, "session-max"},
		{"body limit", []string{"--body-limit", "1"}, nil, "body-limit"},
		{"bad live-editors mode", []string{"--live-editors", "casual,practice"}, nil, `live-editors (SEGFAULT_LIVE_EDITORS): want casual, ffa or ranked, got "practice"`},
		{"bad trusted proxy", []string{"--trusted-proxies", "10.0.0.0/8, proxy.local"}, nil, `trusted-proxies (SEGFAULT_TRUSTED_PROXIES): want addresses or CIDR prefixes, got "proxy.local"`},
		{"unknown flag", []string{"--nope"}, nil, "flag provided but not defined"},
		{"positional", []string{"extra"}, nil, "unexpected argument"},
		{"unknown file key", []string{"--config", unknown}, nil, `unknown setting "adr"`},
		{"nested file value", []string{"--config", nested}, nil, "want a scalar value"},
		{"broken yaml", []string{"--config", broken}, nil, "config file"},
		{"missing file", []string{"--config", filepath.Join(dir, "none.yaml")}, nil, "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("serve", tc.args, env(tc.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error containing %q, got %v", tc.want, err)
			}
		})
	}
}

func TestSecretNotEchoed(t *testing.T) {
	// A secret that fails to parse must not appear in the error (all secrets
	// are strings, so force the generic path through badValue).
	if got := badValue("hunter2", true, os.ErrInvalid); strings.Contains(got, "hunter2") {
		t.Fatalf("secret echoed: %s", got)
	}
}

func TestPublicURLFromWildcardAddr(t *testing.T) {
	c, err := Load("serve", []string{"--addr", "0.0.0.0:8081", "--shutdown-timeout", "1s"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != "http://127.0.0.1:8081" || c.ShutdownTimeout != time.Second {
		t.Fatalf("got %+v", c)
	}
}

func TestTableListsEverySetting(t *testing.T) {
	tab := Table()
	for _, n := range Names() {
		if !strings.Contains(tab, "`--"+n+"`") {
			t.Errorf("table misses %s", n)
		}
	}
}

// TestREADMETable keeps the README's configuration table equal to the real
// settings. Regenerate with: UPDATE_README=1 go test ./internal/config -run README
func TestREADMETable(t *testing.T) {
	const begin, end = "<!-- config-table:begin -->\n", "<!-- config-table:end -->"
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q ... %q markers", begin, end)
	}
	want := Table()
	if got := s[i+len(begin) : j]; got != want {
		if os.Getenv("UPDATE_README") != "" {
			s = s[:i+len(begin)] + want + s[j:]
			if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("README configuration table is stale; run UPDATE_README=1 go test ./internal/config -run README")
	}
}

// TestBind: a tool's flag set gets serve's names, defaults and help; the
// environment sets a starting value, the command line wins.
func TestBind(t *testing.T) {
	env := map[string]string{"SEGFAULT_TIME_MULTIPLIERS": "python=2", "SEGFAULT_LLM_MODEL": "m1"}
	var c Config
	fs := flag.NewFlagSet("tool", flag.ContinueOnError)
	if err := Bind(fs, &c, func(k string) string { return env[k] }, "sandbox-runtime", "time-multipliers", "llm-model"); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse([]string{"--llm-model", "m2"}); err != nil {
		t.Fatal(err)
	}
	if c.SandboxRuntime != "runc" || c.TimeMultipliers != "python=2" || c.LLMModel != "m2" {
		t.Fatalf("bound %+v", c)
	}
	if f := fs.Lookup("time-multipliers"); f == nil || !strings.Contains(f.Usage, "per-language") {
		t.Fatalf("help of time-multipliers: %+v", f)
	}
	bad := flag.NewFlagSet("tool", flag.ContinueOnError)
	if err := Bind(bad, &c, func(k string) string { return map[string]string{"SEGFAULT_LLM_TIMEOUT": "soon"}[k] }, "llm-timeout"); err == nil ||
		!strings.Contains(err.Error(), "SEGFAULT_LLM_TIMEOUT") {
		t.Fatalf("a bad environment value: %v", err)
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := Load("serve", nil, env(map[string]string{"SEGFAULT_TRUSTED_PROXIES": " 10.1.2.3/8, 192.168.0.7 ,::1,"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.TrustedProxyPrefixes()
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.0.7/32"), netip.MustParsePrefix("::1/128")}
	if !slices.Equal(got, want) {
		t.Fatalf("prefixes %v, want %v", got, want)
	}
	if c, _ := Load("serve", nil, env(nil), io.Discard); c.TrustedProxies != "" {
		t.Fatalf("default %q, want none trusted", c.TrustedProxies)
	}
}
