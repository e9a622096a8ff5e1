// Package config turns flags, SEGFAULT_* environment variables and an optional
// config file into one validated Config.
//
// Precedence, highest first: command-line flag, environment variable, config
// file, built-in default. Every setting has exactly one name; the environment
// variable is SEGFAULT_ + the name upper-cased with '-' → '_' (db →
// SEGFAULT_DB, public-url → SEGFAULT_PUBLIC_URL) and the config file uses the
// name as its key. Errors always name the setting and where it came from.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/segfaultarena/segfault/internal/problem"
)

// Config is the whole configuration of one segfault process.
type Config struct {
	Addr            string
	PublicURL       string
	DataDir         string
	DB              string
	LogFormat       string
	LogLevel        string
	BodyLimit       int64
	ShutdownTimeout time.Duration
	ProblemsDir     string
	// MetricsAddr serves /metrics and the full /readyz apart from players;
	// MetricsToken opens them on the public address to a bearer token.
	MetricsAddr  string
	MetricsToken string
	// TrustedProxies: addresses or CIDR prefixes of the reverse proxies
	// whose X-Forwarded-For names the client (comma-separated).
	TrustedProxies string

	Argon2Time    uint
	Argon2Memory  uint // KiB
	Argon2Threads uint

	SessionIdle time.Duration
	SessionMax  time.Duration

	// WebSocket connections one account and one address may hold per node.
	WSMaxPerUser int
	WSMaxPerIP   int

	// Sign-up friction (issue 17): a proof of work and a per-address quota.
	RegisterPowBits int
	RegisterIPBurst int
	RegisterIPEvery time.Duration

	// AnonReadBurst: arena reads without a session per client address.
	AnonReadBurst int

	// Judge sharing (issue 17, package execution): per-address and
	// new-account submission limits, the queue's drain bound floor.
	JudgeIPPerMinute        int
	JudgeNewAccountAge      time.Duration
	JudgeNewAccountInFlight int
	JudgeQueueFloor         int

	// Fair play (issue 17, package arena/fairplay).
	RankedMinAccountAge time.Duration
	RankedMinCompleted  int
	RatedMinRunTime     time.Duration
	RepeatPairWindow    time.Duration
	// LiveEditors: the queued modes whose matches let spectators watch
	// the editors live (comma-separated; issue 20). Empty: none.
	LiveEditors string

	// BigOMeasureGrace bounds a Big-O duel's wait for the coach's
	// measurement of an Accepted submission (issue 21; match.Config).
	BigOMeasureGrace time.Duration

	GitHubClientID     string
	GitHubClientSecret string
	GitHubAuthURL      string
	GitHubTokenURL     string
	GitHubAPIURL       string

	GoogleClientID     string
	GoogleClientSecret string

	OIDCName         string
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string

	NATS           string // "" = embedded NATS server under DataDir
	Workers        int    // in-process judge workers for serve; 0 = CPU count
	SandboxRuntime string // runc | runsc | bare
	// CompileCacheMiB bounds each worker's compile cache (0 = none).
	CompileCacheMiB int
	// JudgePool is the warm boxes each worker keeps per language in use
	// (0 = none).
	JudgePool int
	// TimeMultipliers scale problem time limits per language
	// ("python=3,java=1.5"); parse with problem.ParseLanguageMultipliers.
	TimeMultipliers string

	LLMBaseURL string
	LLMModel   string
	LLMAPIKey  string
	LLMTimeout time.Duration

	ConfigFile string
}

// setting describes one configuration knob.
type setting struct {
	name string
	help string
	bind func(fs *flag.FlagSet)
	// secret values are never echoed in errors or `segfault config` output.
	secret bool
}

func settings(c *Config) []setting {
	s := func(p *string, name, def, help string) setting {
		return setting{name: name, help: help, bind: func(fs *flag.FlagSet) { fs.StringVar(p, name, def, help) }}
	}
	secret := func(p *string, name, help string) setting {
		st := s(p, name, "", help)
		st.secret = true
		return st
	}
	d := func(p *time.Duration, name string, def time.Duration, help string) setting {
		return setting{name: name, help: help, bind: func(fs *flag.FlagSet) { fs.DurationVar(p, name, def, help) }}
	}
	u := func(p *uint, name string, def uint, help string) setting {
		return setting{name: name, help: help, bind: func(fs *flag.FlagSet) { fs.UintVar(p, name, def, help) }}
	}
	i := func(p *int, name string, def int, help string) setting {
		return setting{name: name, help: help, bind: func(fs *flag.FlagSet) { fs.IntVar(p, name, def, help) }}
	}
	i64 := func(p *int64, name string, def int64, help string) setting {
		return setting{name: name, help: help, bind: func(fs *flag.FlagSet) { fs.Int64Var(p, name, def, help) }}
	}
	return []setting{
		s(&c.Addr, "addr", "127.0.0.1:8080", "HTTP listen address"),
		s(&c.PublicURL, "public-url", "", "URL players use to reach the arena (default http://ADDR); https enables Secure cookies"),
		s(&c.DataDir, "data-dir", "./data", "directory for the embedded database, NATS store and sandboxes (created if missing)"),
		s(&c.DB, "db", "", "database: empty = SQLite under data-dir, sqlite:PATH, or postgres://user@host:5432/db"),
		s(&c.LogFormat, "log-format", "text", "log format: text or json"),
		s(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error"),
		i64(&c.BodyLimit, "body-limit", 1<<20, "maximum request body in bytes"),
		d(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long in-flight requests may take to finish on SIGINT/SIGTERM"),
		s(&c.ProblemsDir, "problems-dir", "problems", "bundled problem packages loaded on first start (empty = none)"),
		s(&c.MetricsAddr, "metrics-addr", "", "listen address for /metrics and /readyz in full, apart from players (empty = none; the public address serves /healthz and the verdict of /readyz)"),
		s(&c.TrustedProxies, "trusted-proxies", "", "reverse proxies (addresses or CIDR prefixes, comma-separated) whose X-Forwarded-For names the client; the per-address limits count that client (empty = the peer's address is the client)"),
		secret(&c.MetricsToken, "metrics-token", "bearer token that opens /metrics and the details of /readyz on the public address (empty = closed)"),

		u(&c.Argon2Time, "argon2-time", 2, "argon2id iterations for password hashes"),
		u(&c.Argon2Memory, "argon2-memory", 19*1024, "argon2id memory in KiB (OWASP minimum 19 MiB; each concurrent hash holds this much)"),
		u(&c.Argon2Threads, "argon2-threads", 1, "argon2id parallelism"),

		d(&c.SessionIdle, "session-idle", 7*24*time.Hour, "a session unused for this long expires"),
		d(&c.SessionMax, "session-max", 30*24*time.Hour, "a session expires this long after sign-in, used or not"),
		i(&c.WSMaxPerUser, "ws-max-per-user", 5, "WebSocket connections one account may hold on a node (more are refused: too_many_connections)"),
		i(&c.WSMaxPerIP, "ws-max-per-ip", 50, "WebSocket connections one client address may hold on a node"),
		i(&c.RegisterPowBits, "register-pow-bits", 18, "sign-up proof of work: leading zero bits of SHA-256 the client must find (2^n hashes on average; 0 = none)"),
		i(&c.RegisterIPBurst, "register-ip-burst", 5, "accounts one client address may create at once (0 = no limit)"),
		d(&c.RegisterIPEvery, "register-ip-every", 5*time.Minute, "after the burst, one more account per address per this interval"),
		i(&c.AnonReadBurst, "anon-read-burst", 60, "arena reads (leaderboard, profiles, matches) one client address may make at once without signing in, then one a second (0 = no limit)"),
		i(&c.JudgeIPPerMinute, "judge-ip-per-minute", 30, "practice submissions one client address may make a minute, all its accounts together (as a burst, then refilled over the minute; 0 = no limit)"),
		d(&c.JudgeNewAccountAge, "judge-new-account-age", time.Hour, "accounts younger than this may have judge-new-account-in-flight practice submissions (outside matches) being judged (0 = no new-account limit)"),
		i(&c.JudgeNewAccountInFlight, "judge-new-account-in-flight", 1, "practice submissions a new account may have being judged at once (older accounts: 2)"),
		i(&c.JudgeQueueFloor, "judge-queue-floor", 20, "practice jobs waiting are refused (503 judge_saturated) beyond what the workers finish in a minute at their recent pace, but never below this many (-1 = no drain bound, only the 2,000-job cap)"),
		s(&c.LiveEditors, "live-editors", "", "queued modes (casual, ffa, ranked; comma-separated) whose matches let spectators watch the players' editors live (empty = none; private rooms: their host chooses)"),
		d(&c.RankedMinAccountAge, "ranked-min-account-age", 24*time.Hour, "ranked play opens to accounts this old (or after ranked-min-completed matches; both 0 = open to all)"),
		i(&c.RankedMinCompleted, "ranked-min-completed", 3, "ranked play opens after this many finished matches with a submission of one's own (casual, practice...)"),
		d(&c.RatedMinRunTime, "rated-min-run-time", time.Minute, "a finished match changes ratings and gives XP only if it ran this long or someone submitted"),
		d(&c.RepeatPairWindow, "repeat-pair-window", 24*time.Hour, "the n-th counted match of the same two accounts within this window counts 1/2^(n-1) (0 = off)"),
		d(&c.BigOMeasureGrace, "bigo-measure-grace", 3*time.Minute, "in a Big-O duel, how long an Accepted submission waits for the coach's measurement before it counts as Accepted (inconclusive)"),

		s(&c.GitHubClientID, "github-client-id", "", "GitHub OAuth app client id (enables GitHub sign-in)"),
		secret(&c.GitHubClientSecret, "github-client-secret", "GitHub OAuth app client secret"),
		s(&c.GitHubAuthURL, "github-auth-url", "https://github.com/login/oauth/authorize", "GitHub authorize endpoint (GitHub Enterprise or tests)"),
		s(&c.GitHubTokenURL, "github-token-url", "https://github.com/login/oauth/access_token", "GitHub token endpoint"),
		s(&c.GitHubAPIURL, "github-api-url", "https://api.github.com", "GitHub REST API base URL"),

		s(&c.GoogleClientID, "google-client-id", "", "Google OAuth client id (enables Google sign-in)"),
		secret(&c.GoogleClientSecret, "google-client-secret", "Google OAuth client secret"),

		s(&c.OIDCName, "oidc-name", "oidc", "display name of the generic OpenID Connect provider"),
		s(&c.OIDCIssuer, "oidc-issuer", "", "issuer URL of a generic OpenID Connect provider (enables it)"),
		s(&c.OIDCClientID, "oidc-client-id", "", "client id at the generic OpenID Connect provider"),
		secret(&c.OIDCClientSecret, "oidc-client-secret", "client secret at the generic OpenID Connect provider"),

		s(&c.NATS, "nats", "", "NATS URL(s), comma-separated; empty = embedded NATS with JetStream under data-dir"),
		i(&c.Workers, "workers", 0, "in-process judge workers for serve (0 = number of CPUs)"),
		s(&c.SandboxRuntime, "sandbox-runtime", "runc", "OCI runtime for judging: runc, or runsc (gVisor) for hardened hosts"),
		i(&c.CompileCacheMiB, "compile-cache-mib", 256, "size of each judge worker's compile cache in MiB (programs compiled once per toolchain, flags and source; least recently used dropped first; 0 = compile every submission)"),
		i(&c.JudgePool, "judge-pool", 0, "sandbox boxes each judge worker keeps started ahead per language in use (each serves one submission and shows that language's toolchain only; 0 = start a box per submission)"),
		s(&c.TimeMultipliers, "time-multipliers", "", "per-language time limit factors, e.g. python=3,java=1.5 (empty = every language gets the problem's limit)"),

		s(&c.LLMBaseURL, "llm-base-url", "", "OpenAI-compatible API base URL for coach explanations (empty = offline coach)"),
		s(&c.LLMModel, "llm-model", "", "model name for the coach LLM"),
		secret(&c.LLMAPIKey, "llm-api-key", "API key for the coach LLM"),
		d(&c.LLMTimeout, "llm-timeout", 20*time.Second, "how long to wait for the coach LLM before falling back"),
	}
}

// EnvName is the environment variable of a setting.
func EnvName(name string) string {
	return "SEGFAULT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// Names lists every setting name, sorted (used by deployment-file tests).
func Names() []string {
	var c Config
	var out []string
	for _, s := range settings(&c) {
		out = append(out, s.name)
	}
	out = append(out, "config")
	sort.Strings(out)
	return out
}

// Bind registers the named settings on a tool's own flag set (segfault
// judge, run, problem, coach...) into c, with the names, defaults and help
// they have for serve, so a setting is spelled the same everywhere. The
// SEGFAULT_* environment sets their starting values; a flag given on the
// command line still wins. An unknown name is a programming error (panic);
// a bad environment value is returned.
func Bind(fs *flag.FlagSet, c *Config, getenv func(string) string, names ...string) error {
	byName := map[string]setting{}
	for _, s := range settings(c) {
		byName[s.name] = s
	}
	for _, name := range names {
		s, ok := byName[name]
		if !ok {
			panic("config: Bind: no setting " + name)
		}
		s.bind(fs)
		if v, ok := lookup(getenv, EnvName(name)); ok {
			if err := fs.Set(name, v); err != nil {
				return fmt.Errorf("%s: %s", EnvName(name), badValue(v, s.secret, err))
			}
		}
	}
	return nil
}

// Load parses args (the flags after the subcommand), the environment given by
// getenv and the config file named by --config or SEGFAULT_CONFIG, then
// validates. Output of -h goes to usage.
func Load(cmd string, args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	c, rest, err := Parse(cmd, args, getenv, usage, nil)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags only)", rest[0])
	}
	return c, nil
}

// Parse is Load for commands that take positional arguments or flags of
// their own: extra (may be nil) registers those flags, and the positional
// arguments are returned.
func Parse(cmd string, args []string, getenv func(string) string, usage io.Writer, extra func(fs *flag.FlagSet)) (*Config, []string, error) {
	c := &Config{}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(usage)
	all := settings(c)
	for _, s := range all {
		s.bind(fs)
	}
	fs.StringVar(&c.ConfigFile, "config", "", "optional YAML config file; keys are setting names (env SEGFAULT_CONFIG)")
	if extra != nil {
		extra(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(usage, "usage: segfault %s [flags]\n\nEvery flag can also be set as SEGFAULT_<NAME> in the environment or as <name>: in the config file.\n\n", cmd)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	// Allow flags after positional arguments too (segfault user create ada --role admin).
	var rest []string
	for fs.NArg() > 0 {
		rest = append(rest, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return nil, nil, err
		}
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })

	if c.ConfigFile == "" {
		c.ConfigFile = getenv("SEGFAULT_CONFIG")
	}
	fileVals := map[string]string{}
	if c.ConfigFile != "" {
		var err error
		if fileVals, err = readFile(c.ConfigFile); err != nil {
			return nil, nil, err
		}
		known := map[string]bool{}
		for _, s := range all {
			known[s.name] = true
		}
		for k := range fileVals {
			if !known[k] {
				return nil, nil, fmt.Errorf("config file %s: unknown setting %q", c.ConfigFile, k)
			}
		}
	}
	for _, s := range all {
		if explicit[s.name] {
			continue
		}
		if v, ok := lookup(getenv, EnvName(s.name)); ok {
			if err := fs.Set(s.name, v); err != nil {
				return nil, nil, fmt.Errorf("%s: %s", EnvName(s.name), badValue(v, s.secret, err))
			}
			continue
		}
		if v, ok := fileVals[s.name]; ok {
			if err := fs.Set(s.name, v); err != nil {
				return nil, nil, fmt.Errorf("config file %s: %s: %s", c.ConfigFile, s.name, badValue(v, s.secret, err))
			}
		}
	}
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	return c, rest, nil
}

func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

func badValue(v string, secret bool, err error) string {
	if secret {
		return "invalid value"
	}
	// flag errors read `invalid value "x" for flag -name: parse error`; keep only the cause.
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return fmt.Sprintf("invalid value %q: %s", v, msg)
}

func readFile(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	raw := map[string]any{}
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		switch x := v.(type) {
		case string:
			out[k] = x
		case int, int64, uint64, float64, bool:
			out[k] = fmt.Sprint(x)
		case nil:
			out[k] = ""
		default:
			return nil, fmt.Errorf("config file %s: %s: want a scalar value, got %T", path, k, v)
		}
	}
	return out, nil
}

// TrustedProxyPrefixes parses TrustedProxies: each entry an address (a
// single host) or a CIDR prefix.
func (c *Config) TrustedProxyPrefixes() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.TrustedProxies, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		} else {
			return nil, fmt.Errorf("want addresses or CIDR prefixes, got %q", f)
		}
	}
	return out, nil
}

// Validate checks every setting and names the first bad one.
func (c *Config) Validate() error {
	var errs []error
	bad := func(name, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s (%s): %s", name, EnvName(name), fmt.Sprintf(format, a...)))
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr", "want host:port, got %q", c.Addr)
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		bad("addr", "bad port in %q", c.Addr)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("metrics-addr", "want host:port, got %q", c.MetricsAddr)
		} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			bad("metrics-addr", "bad port in %q", c.MetricsAddr)
		}
	}
	if _, err := c.TrustedProxyPrefixes(); err != nil {
		bad("trusted-proxies", "%v", err)
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		bad("metrics-token", "want at least 16 characters")
	}
	if c.PublicURL == "" {
		host := c.Addr
		if h, p, err := net.SplitHostPort(c.Addr); err == nil && (h == "" || h == "0.0.0.0" || h == "::") {
			host = net.JoinHostPort("127.0.0.1", p)
		}
		c.PublicURL = "http://" + host
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("public-url", "want an absolute http(s) URL, got %q", c.PublicURL)
	} else {
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("data-dir", "must not be empty")
	}
	if c.DB != "" && !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "file:") &&
		!strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		bad("db", "want sqlite:PATH or postgres://..., got a value starting with %q", prefix(c.DB))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log-format", "want text or json, got %q", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log-level", "want debug, info, warn or error, got %q", c.LogLevel)
	}
	if c.BodyLimit < 1024 || c.BodyLimit > 64<<20 {
		bad("body-limit", "want 1024..67108864 bytes, got %d", c.BodyLimit)
	}
	if c.ShutdownTimeout <= 0 {
		bad("shutdown-timeout", "must be positive")
	}
	if c.Argon2Time < 1 || c.Argon2Time > 20 {
		bad("argon2-time", "want 1..20, got %d", c.Argon2Time)
	}
	if c.Argon2Memory < 8*1024 || c.Argon2Memory > 4<<20 {
		bad("argon2-memory", "want 8192..4194304 KiB, got %d", c.Argon2Memory)
	}
	if c.Argon2Threads < 1 || c.Argon2Threads > 64 {
		bad("argon2-threads", "want 1..64, got %d", c.Argon2Threads)
	}
	if c.SessionIdle < time.Minute {
		bad("session-idle", "want at least 1m, got %s", c.SessionIdle)
	}
	if c.SessionMax < c.SessionIdle {
		bad("session-max", "must be at least session-idle (%s), got %s", c.SessionIdle, c.SessionMax)
	}
	if c.WSMaxPerUser < 1 {
		bad("ws-max-per-user", "want at least 1, got %d", c.WSMaxPerUser)
	}
	if c.WSMaxPerIP < c.WSMaxPerUser {
		bad("ws-max-per-ip", "want at least ws-max-per-user (%d), got %d", c.WSMaxPerUser, c.WSMaxPerIP)
	}
	if c.AnonReadBurst < 0 {
		bad("anon-read-burst", "want 0 or more, got %d", c.AnonReadBurst)
	}
	if c.JudgeIPPerMinute < 0 {
		bad("judge-ip-per-minute", "want 0 or more, got %d", c.JudgeIPPerMinute)
	}
	if c.JudgeNewAccountAge < 0 {
		bad("judge-new-account-age", "want 0 or more, got %s", c.JudgeNewAccountAge)
	}
	if c.JudgeNewAccountInFlight < 1 || c.JudgeNewAccountInFlight > 2 {
		bad("judge-new-account-in-flight", "want 1 or 2 (at most the 2 of older accounts), got %d", c.JudgeNewAccountInFlight)
	}
	if c.JudgeQueueFloor < -1 || c.JudgeQueueFloor == 0 {
		bad("judge-queue-floor", "want 1 or more, or -1 for no drain bound, got %d", c.JudgeQueueFloor)
	}
	if _, err := c.LiveEditorModes(); err != nil {
		bad("live-editors", "%v", err)
	}
	if c.RankedMinAccountAge < 0 || c.RankedMinCompleted < 0 || c.RatedMinRunTime < 0 || c.RepeatPairWindow < 0 {
		bad("ranked-min-account-age", "fair-play thresholds must not be negative")
	}
	if c.BigOMeasureGrace < time.Second {
		bad("bigo-measure-grace", "want at least 1s, got %v", c.BigOMeasureGrace)
	}
	if c.RegisterPowBits < 0 || c.RegisterPowBits > 32 {
		bad("register-pow-bits", "want 0..32, got %d", c.RegisterPowBits)
	}
	if c.RegisterIPBurst < 0 {
		bad("register-ip-burst", "must not be negative, got %d", c.RegisterIPBurst)
	}
	if c.RegisterIPEvery <= 0 {
		bad("register-ip-every", "must be positive")
	}
	pair := func(idName, id, secretName, secret string) {
		if (id == "") != (secret == "") {
			bad(secretName, "%s and %s must be set together", idName, secretName)
		}
	}
	pair("github-client-id", c.GitHubClientID, "github-client-secret", c.GitHubClientSecret)
	pair("google-client-id", c.GoogleClientID, "google-client-secret", c.GoogleClientSecret)
	pair("oidc-client-id", c.OIDCClientID, "oidc-client-secret", c.OIDCClientSecret)
	for _, u := range []struct{ name, val string }{
		{"github-auth-url", c.GitHubAuthURL}, {"github-token-url", c.GitHubTokenURL}, {"github-api-url", c.GitHubAPIURL},
	} {
		if !absURL(u.val) {
			bad(u.name, "want an absolute http(s) URL, got %q", u.val)
		}
	}
	if c.OIDCIssuer != "" && !absURL(c.OIDCIssuer) {
		bad("oidc-issuer", "want an absolute http(s) URL, got %q", c.OIDCIssuer)
	}
	if (c.OIDCIssuer != "") != (c.OIDCClientID != "") {
		bad("oidc-issuer", "oidc-issuer and oidc-client-id must be set together")
	}
	if c.NATS != "" {
		for _, n := range strings.Split(c.NATS, ",") {
			if u, err := url.Parse(strings.TrimSpace(n)); err != nil || (u.Scheme != "nats" && u.Scheme != "tls") || u.Host == "" {
				bad("nats", "want nats://host:port (comma-separated for a cluster), got %q", n)
			}
		}
	}
	if c.Workers < 0 || c.Workers > 256 {
		bad("workers", "want 0..256, got %d", c.Workers)
	}
	if c.Workers == 0 {
		c.Workers = runtime.NumCPU()
	}
	switch c.SandboxRuntime {
	case "runc", "runsc", "bare":
	default:
		bad("sandbox-runtime", "want runc or runsc, got %q", c.SandboxRuntime)
	}
	if _, err := problem.ParseLanguageMultipliers(c.TimeMultipliers); err != nil {
		bad("time-multipliers", "%v", err)
	}
	if c.LLMBaseURL != "" {
		if !absURL(c.LLMBaseURL) {
			bad("llm-base-url", "want an absolute http(s) URL, got %q", c.LLMBaseURL)
		}
		if c.LLMModel == "" {
			bad("llm-model", "required when llm-base-url is set")
		}
	}
	if c.LLMTimeout <= 0 {
		bad("llm-timeout", "must be positive")
	}
	return errors.Join(errs...)
}

func absURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func prefix(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// Table renders every setting as a Markdown table (flag, env, default, help),
// for the README; a test keeps the README in sync with it.
func Table() string {
	var c Config
	fs := flag.NewFlagSet("table", flag.ContinueOnError)
	all := settings(&c)
	for _, s := range all {
		s.bind(fs)
	}
	var b strings.Builder
	b.WriteString("| flag | environment | default | meaning |\n|---|---|---|---|\n")
	for _, s := range all {
		f := fs.Lookup(s.name)
		def := f.DefValue
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "| `--%s` | `%s` | `%s` | %s |\n", s.name, EnvName(s.name), def, s.help)
	}
	fmt.Fprintf(&b, "| `--config` | `SEGFAULT_CONFIG` | `(empty)` | optional YAML file; keys are the flag names above |\n")
	return b.String()
}

// LiveEditorModes parses LiveEditors: each a queued mode of matches
// between players (casual, ffa, ranked).
func (c *Config) LiveEditorModes() ([]string, error) {
	var out []string
	for _, f := range strings.Split(c.LiveEditors, ",") {
		f = strings.TrimSpace(f)
		switch f {
		case "":
		case "casual", "ffa", "ranked":
			out = append(out, f)
		default:
			return nil, fmt.Errorf("want casual, ffa or ranked, got %q", f)
		}
	}
	return out, nil
}
