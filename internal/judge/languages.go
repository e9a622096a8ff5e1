package judge

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

//go:embed languages.yaml
var languagesYAML []byte

// LanguageSpec is one entry of languages.yaml, before its toolchain is
// resolved on this host.
type LanguageSpec struct {
	ID                string               `yaml:"id"`
	Name              string               `yaml:"name"`
	Aliases           []string             `yaml:"aliases"`
	Extensions        []string             `yaml:"extensions"`
	Source            string               `yaml:"source"`
	Class             ClassSpec            `yaml:"class"`
	Entry             string               `yaml:"entry"`
	Shebang           string               `yaml:"shebang"`
	Package           string               `yaml:"package"`
	Install           []string             `yaml:"install"`
	UTF8              bool                 `yaml:"utf8"`
	Probes            map[string]ProbeSpec `yaml:"probes"`
	Tools             map[string][]string  `yaml:"tools"`
	Prepare           string               `yaml:"prepare"`
	Binds             []string             `yaml:"binds"`
	Version           []string             `yaml:"version"`
	Compile           [][]string           `yaml:"compile"`
	Run               []string             `yaml:"run"`
	Env               []string             `yaml:"env"`
	MemoryOverheadMiB int64                `yaml:"memory_overhead_mib"`
	Pids              int                  `yaml:"pids"`
	StackMiB          int64                `yaml:"stack_mib"`
	MLEPatterns       []string             `yaml:"mle_patterns"`
	CompileCPUSeconds int                  `yaml:"compile_cpu_s"`
	Monaco            string               `yaml:"monaco"`
	Coach             string               `yaml:"coach"`
	Notes             string               `yaml:"notes"`
	Template          string               `yaml:"template"`
}

// ClassSpec says how the main class (Java, Kotlin, Scala), module
// (Erlang) or unit (Ada) of a program is named: the first pattern whose
// first group matches the source wins, else FromFile (a name built from the
// entry file: {base} is its name without extension, {Base} the same with a
// capital first letter), else Default. Lower lower-cases the result (Ada
// file names are the unit name in lower case).
type ClassSpec struct {
	Patterns []string `yaml:"patterns"`
	FromFile string   `yaml:"from_file"`
	Default  string   `yaml:"default"`
	Lower    bool     `yaml:"lower"`

	res []*regexp.Regexp
}

// ProbeSpec finds a toolchain directory on the host.
type ProbeSpec struct {
	Cmd      []string `yaml:"cmd"`      // first line of this command's output
	Realpath string   `yaml:"realpath"` // real path of this command on PATH ...
	File     []string `yaml:"file"`     // ... or of the first of these files that exists ...
	Up       int      `yaml:"up"`       // ... with this many trailing elements removed
}

// strings are the probe's texts that may hold placeholders.
func (p ProbeSpec) strings() []string { return append(slices.Clip(p.Cmd), p.Realpath) }

// expand fills the placeholders of the probe's texts.
func (p ProbeSpec) expand(f func([]string) []string) ProbeSpec {
	p.Cmd = f(p.Cmd)
	p.Realpath = f([]string{p.Realpath})[0]
	return p
}

// Language is a language whose toolchain was looked for on this host. When
// the toolchain is missing, Err says so and which Debian package fixes it.
type Language struct {
	LanguageSpec
	Version string            // what users see, e.g. "g++ (Debian 12.2.0-14) 12.2.0"
	Err     error             // non-nil: this worker refuses the language
	vars    map[string]string // resolved probes, tools, prep
	binds   []string          // real host paths to bind read-only into the box
}

// Languages is the language table of one judge. Toolchains are resolved
// lazily, once per language, and the result is cached.
type Languages struct {
	specs    []LanguageSpec
	byName   map[string]int
	cacheDir string

	mu       sync.Mutex
	resolved map[string]*resolveOnce
}

type resolveOnce struct {
	once sync.Once
	lang *Language
}

// DefaultLanguages returns the embedded table. cacheDir holds prepared
// toolchain files (the Go standard library); "" picks a default.
func DefaultLanguages(cacheDir string) (*Languages, error) {
	return ParseLanguages(languagesYAML, cacheDir)
}

// ParseLanguages reads a language table in the languages.yaml format.
func ParseLanguages(data []byte, cacheDir string) (*Languages, error) {
	var specs []LanguageSpec
	if err := yaml.Unmarshal(data, &specs); err != nil {
		return nil, fmt.Errorf("parse language table: %w", err)
	}
	if cacheDir == "" {
		cacheDir = defaultCacheDir()
	}
	if err := includeBinds(specs); err != nil {
		return nil, err
	}
	l := &Languages{specs: specs, byName: map[string]int{}, cacheDir: cacheDir, resolved: map[string]*resolveOnce{}}
	for i, s := range specs {
		if err := s.validate(); err != nil {
			return nil, fmt.Errorf("language %q: %w", s.ID, err)
		}
		for _, p := range s.Class.Patterns {
			specs[i].Class.res = append(specs[i].Class.res, regexp.MustCompile(p))
		}
		for _, n := range append([]string{s.ID}, s.Aliases...) {
			n = strings.ToLower(n)
			if _, dup := l.byName[n]; dup {
				return nil, fmt.Errorf("language name %q used twice", n)
			}
			l.byName[n] = i
		}
	}
	return l, nil
}

// includeBinds replaces each "@id" entry of a language's binds with the
// binds of language id as written in the table (Rust links with the C
// toolchain: "@c"). An included list may not include others.
func includeBinds(specs []LanguageSpec) error {
	byID := map[string][]string{}
	for _, s := range specs {
		byID[s.ID] = s.Binds
	}
	for i, s := range specs {
		var out []string
		for _, b := range s.Binds {
			id, ok := strings.CutPrefix(b, "@")
			if !ok {
				out = append(out, b)
				continue
			}
			inc, found := byID[id]
			if !found {
				return fmt.Errorf("language %q: binds include unknown language %q", s.ID, id)
			}
			for _, x := range inc {
				if strings.HasPrefix(x, "@") {
					return fmt.Errorf("language %q: binds include %q, which includes %s in turn", s.ID, id, x)
				}
			}
			out = append(out, inc...)
		}
		specs[i].Binds = out
	}
	return nil
}

var placeholderRE = regexp.MustCompile(`\{([a-z_][a-z0-9_]*)\}`)

// validate rejects table mistakes at load time instead of at the first
// submission: unknown placeholders, missing commands.
func (s LanguageSpec) validate() error {
	if s.ID == "" || s.Source == "" || len(s.Run) == 0 || len(s.Version) == 0 {
		return fmt.Errorf("id, source, run and version are required")
	}
	if s.Package == "" {
		return fmt.Errorf("package (the Debian package to install) is required")
	}
	switch s.Entry {
	case "binary", "mainfile", "mainclass":
	default:
		return fmt.Errorf("entry must be binary, mainfile or mainclass, not %q", s.Entry)
	}
	if s.Monaco == "" || strings.TrimSpace(s.Template) == "" {
		return fmt.Errorf("monaco (the editor's syntax mode) and template (the starter code) are required")
	}
	if s.Shebang != "" {
		if _, err := regexp.Compile(s.Shebang); err != nil {
			return fmt.Errorf("shebang: %w", err)
		}
	}
	for _, p := range s.Class.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Errorf("class pattern: %w", err)
		}
		if re.NumSubexp() < 1 {
			return fmt.Errorf("class pattern %q has no group for the name", p)
		}
	}
	if strings.Contains(s.Source, "{class}") && s.Class.Default == "" {
		return fmt.Errorf("source %q names the class: class.default is required", s.Source)
	}
	known := map[string]bool{"src": true, "sources": true, "class": true, "mem_mib": true, "work": true, "arch": true}
	if s.Prepare != "" {
		if _, ok := preparers[s.Prepare]; !ok {
			return fmt.Errorf("unknown prepare step %q", s.Prepare)
		}
		known["prep"] = true
	}
	for n := range s.Probes {
		known[n] = true
	}
	for n := range s.Tools {
		known[n] = true
	}
	var all []string
	all = append(all, s.Source)
	all = append(all, s.Run...)
	all = append(all, s.Version...)
	all = append(all, s.Env...)
	all = append(all, s.Binds...)
	for _, c := range s.Compile {
		if len(c) == 0 {
			return fmt.Errorf("empty compile command")
		}
		all = append(all, c...)
	}
	for _, c := range s.Tools {
		all = append(all, c...)
	}
	for _, a := range all {
		for _, m := range placeholderRE.FindAllStringSubmatch(a, -1) {
			if !known[m[1]] {
				return fmt.Errorf("unknown placeholder {%s} in %q", m[1], a)
			}
		}
	}
	return nil
}

// IDs lists the language ids in table order.
func (l *Languages) IDs() []string {
	ids := make([]string, len(l.specs))
	for i, s := range l.specs {
		ids[i] = s.ID
	}
	return ids
}

// Spec returns the table entry for an id or alias.
func (l *Languages) Spec(name string) (LanguageSpec, bool) {
	i, ok := l.byName[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return LanguageSpec{}, false
	}
	return l.specs[i], true
}

// ByExtension finds the language of a file name ("check.cpp" → cpp); see
// Detect.
func (l *Languages) ByExtension(file string) (LanguageSpec, bool) {
	return l.Detect(file, nil)
}

// Detect finds the language of a source file as Kattis does: by its
// extension, matched with its case first (.C is C++, .c is C) and then
// without; where languages share an extension (.pl: Prolog and Perl, .py:
// Python and PyPy), a language with a shebang rule is chosen only when the
// first line of src matches it, and otherwise the first in table order.
func (l *Languages) Detect(file string, src []byte) (LanguageSpec, bool) {
	ext := strings.TrimPrefix(filepath.Ext(file), ".")
	if ext == "" {
		return LanguageSpec{}, false
	}
	var cands []LanguageSpec
	for _, fold := range []bool{false, true} {
		for _, s := range l.specs {
			for _, e := range s.Extensions {
				if e == ext || fold && strings.EqualFold(e, ext) {
					cands = append(cands, s)
					break
				}
			}
		}
		if len(cands) > 0 {
			break
		}
	}
	if len(cands) == 0 {
		return LanguageSpec{}, false
	}
	first, _, _ := bytes.Cut(src, []byte("\n"))
	for _, s := range cands {
		if s.Shebang != "" && regexp.MustCompile(s.Shebang).Match(first) {
			return s, true
		}
	}
	for _, s := range cands {
		if s.Shebang == "" {
			return s, true
		}
	}
	return cands[0], true
}

// Lookup returns the resolved language for an id or alias. Errors carry
// the codes language_unsupported or language_unavailable.
func (l *Languages) Lookup(ctx context.Context, name string) (*Language, error) {
	spec, ok := l.Spec(name)
	if !ok {
		return nil, errorf(CodeUnsupportedLanguage, "language %q is not supported (supported: %s)", name, strings.Join(l.IDs(), ", "))
	}
	lang := l.resolve(ctx, spec)
	if lang.Err != nil {
		return nil, &Error{Code: CodeLanguageUnavailable, Message: lang.Err.Error()}
	}
	return lang, nil
}

// ResolveAll probes every toolchain (at worker start, so the first
// submission does not pay for it) and returns the table in order.
func (l *Languages) ResolveAll(ctx context.Context) []*Language {
	out := make([]*Language, len(l.specs))
	var wg sync.WaitGroup
	for i, s := range l.specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = l.resolve(ctx, s)
		}()
	}
	wg.Wait()
	return out
}

func (l *Languages) resolve(ctx context.Context, spec LanguageSpec) *Language {
	l.mu.Lock()
	r, ok := l.resolved[spec.ID]
	if !ok {
		r = &resolveOnce{}
		l.resolved[spec.ID] = r
	}
	l.mu.Unlock()
	r.once.Do(func() {
		lang := &Language{LanguageSpec: spec}
		if err := lang.resolve(ctx, l.cacheDir); err != nil {
			lang.Err = fmt.Errorf("%s is not available on this worker: %v (install the Debian package %q)", spec.Name, err, spec.Package)
		}
		r.lang = lang
	})
	return r.lang
}

func (lang *Language) resolve(ctx context.Context, cacheDir string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	lang.vars = map[string]string{"arch": sandbox.Multiarch()}
	if err := lang.resolveProbesAndTools(ctx); err != nil {
		return err
	}
	if lang.Prepare != "" {
		dir, err := preparers[lang.Prepare](ctx, lang, cacheDir)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", lang.Prepare, err)
		}
		lang.vars["prep"] = dir
	}
	binds, err := lang.resolveBinds()
	if err != nil {
		return err
	}
	lang.binds = binds
	v, err := toolVersion(ctx, cacheDir, lang.expandVars(lang.LanguageSpec.Version))
	if err != nil {
		return err
	}
	lang.Version = v
	return nil
}

// resolveProbesAndTools resolves each probe and tool once the placeholders
// it uses are known: tools may use probes ({goroot}/bin/go), probes may use
// tools (the standard library that {python3} reports).
func (lang *Language) resolveProbesAndTools(ctx context.Context) error {
	pending := append(sortedKeys(lang.Probes), sortedKeys(lang.Tools)...)
	for len(pending) > 0 {
		var later []string
		for _, name := range pending {
			probe, isProbe := lang.Probes[name]
			uses := lang.Tools[name]
			if isProbe {
				uses = probe.strings()
			}
			if !lang.known(uses) {
				later = append(later, name)
				continue
			}
			var v string
			var err error
			if isProbe {
				if v, err = runProbe(ctx, probe.expand(lang.expandVars)); err != nil {
					return fmt.Errorf("probe %s: %w", name, err)
				}
			} else if v, err = findTool(lang.expandVars(uses)); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			lang.vars[name] = v
		}
		if len(later) == len(pending) {
			return fmt.Errorf("probes and tools %s refer to each other", strings.Join(later, ", "))
		}
		pending = later
	}
	return nil
}

// known reports whether every probe or tool placeholder in args is resolved
// (the per-submission ones are filled later).
func (lang *Language) known(args []string) bool {
	for _, a := range args {
		for _, m := range placeholderRE.FindAllStringSubmatch(a, -1) {
			_, probe := lang.Probes[m[1]]
			_, tool := lang.Tools[m[1]]
			if _, ok := lang.vars[m[1]]; (probe || tool) && !ok {
				return false
			}
		}
	}
	return true
}

// resolveBinds lists what a box of this language shows of the host besides
// the sandbox's base set (the shared libraries): every tool, and the
// table's binds that exist here (an optional one, such as /usr/libexec/gcc
// on a Debian that keeps cc1 in /usr/lib/gcc, may be missing). Each is
// bound at the same path; a symlink (/usr/bin/gcc) shows as what it
// points to.
func (lang *Language) resolveBinds() ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(b string) error {
		b = filepath.Clean(b)
		if err := checkLanguageBind(b); err != nil {
			return err
		}
		if _, err := os.Stat(b); err == nil && !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
		return nil
	}
	for _, name := range sortedKeys(lang.Tools) {
		if err := add(lang.vars[name]); err != nil {
			return nil, err
		}
	}
	for _, b := range lang.expandVars(lang.LanguageSpec.Binds) {
		if err := add(b); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// broadBinds are host directories a language may not bind whole (on top of
// what the sandbox refuses): it names what its toolchain needs below them.
var broadBinds = []string{"/bin", "/lib", "/lib64", "/sbin", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib64",
	"/usr/libexec", "/usr/share", "/usr/local/bin", "/usr/local/etc", "/usr/local/lib",
	"/usr/local/share", "/usr/local/include"}

func checkLanguageBind(b string) error {
	if err := sandbox.CheckBind(b); err != nil {
		return err
	}
	if slices.Contains(broadBinds, b) {
		return fmt.Errorf("bind %s: too much of the host; name what the toolchain needs below it", b)
	}
	return nil
}

func runProbe(ctx context.Context, p ProbeSpec) (string, error) {
	switch {
	case len(p.Cmd) > 0:
		out, err := exec.CommandContext(ctx, p.Cmd[0], p.Cmd[1:]...).Output()
		if err != nil {
			return "", fmt.Errorf("%s: %v", strings.Join(p.Cmd, " "), err)
		}
		v := firstLine(string(out))
		if v == "" {
			return "", fmt.Errorf("%s printed nothing", strings.Join(p.Cmd, " "))
		}
		return v, nil
	case p.Realpath != "" || len(p.File) > 0:
		var path string
		var err error
		if p.Realpath != "" {
			path, err = findTool([]string{p.Realpath})
		} else {
			path, err = firstFile(p.File)
		}
		if err != nil {
			return "", err
		}
		path, err = filepath.EvalSymlinks(path)
		if err != nil {
			return "", err
		}
		for range p.Up {
			path = filepath.Dir(path)
		}
		return path, nil
	}
	return "", fmt.Errorf("empty probe")
}

func firstFile(candidates []string) (string, error) {
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() {
			return c, nil
		}
	}
	return "", fmt.Errorf("none of %s found", strings.Join(candidates, ", "))
}

// findTool returns the first candidate that is a real executable. Version
// manager shims (pyenv, rustup) are skipped: they are scripts or proxies
// that look for per-user state that does not exist inside a box.
func findTool(candidates []string) (string, error) {
	for _, c := range candidates {
		p, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			continue
		}
		if strings.Contains(real, "/shims/") || filepath.Base(real) == "rustup" {
			continue
		}
		if !filepath.IsAbs(p) {
			if p, err = filepath.Abs(p); err != nil {
				continue
			}
		}
		return p, nil
	}
	return "", fmt.Errorf("none of %s found", strings.Join(candidates, ", "))
}

// expandVars substitutes the host-resolved placeholders, leaving the
// per-submission ones ({src}, {mem_mib}, ...) in place.
func (lang *Language) expandVars(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = placeholderRE.ReplaceAllStringFunc(a, func(m string) string {
			if v, ok := lang.vars[m[1:len(m)-1]]; ok {
				return v
			}
			return m
		})
	}
	return out
}

// cmdVars are the per-submission placeholders.
type cmdVars struct {
	src     string
	sources []string
	class   string
	memMiB  int64
	work    string
}

// expand fills every placeholder of a command line.
func (lang *Language) expand(args []string, v cmdVars) []string {
	var out []string
	for _, a := range lang.expandVars(args) {
		if a == "{sources}" {
			out = append(out, v.sources...)
			continue
		}
		a = strings.NewReplacer(
			"{src}", v.src,
			"{class}", v.class,
			"{mem_mib}", fmt.Sprint(v.memMiB),
			"{work}", v.work,
		).Replace(a)
		out = append(out, a)
	}
	return out
}

// Binds are the host paths this language needs inside a box.
func (lang *Language) HostBinds() []string { return lang.binds }

// sourceName returns the file name and main class for a source text: a
// Java public class must live in a file of its name, an Erlang module and
// an Ada unit too; elsewhere the table's source name is used as it is.
func (lang *Language) sourceName(src []byte) (file, class string) {
	// The file name is the judge's own choice here, so it does not name
	// the class: the source or the table's default does.
	class = lang.Class.name(src, "")
	return strings.ReplaceAll(lang.Source, "{class}", class), class
}

// name is the main class of a source text whose file is called file ("" =
// not known yet).
func (c ClassSpec) name(src []byte, file string) string {
	n := c.Default
	found := false
	for _, re := range c.res {
		if m := re.FindSubmatch(src); m != nil {
			n, found = string(m[1]), true
			break
		}
	}
	if !found && c.FromFile != "" && file != "" {
		base := strings.TrimSuffix(path.Base(file), path.Ext(file))
		n = strings.NewReplacer("{base}", base, "{Base}", capitalize(base)).Replace(c.FromFile)
	}
	if c.Lower {
		n = strings.ToLower(n)
	}
	return n
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func defaultCacheDir() string {
	if v := os.Getenv("SEGFAULT_CACHE_DIR"); v != "" {
		return v
	}
	if os.Geteuid() == 0 {
		return "/var/cache/segfault"
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "segfault")
	}
	return filepath.Join(os.TempDir(), "segfault-cache")
}

// preparers build host-side files a toolchain needs in every box.
var preparers = map[string]func(ctx context.Context, lang *Language, cacheDir string) (string, error){
	"go-std":  prepareGoStd,
	"gxx-pch": prepareGxxPCH,
	"jvm-cds": prepareJVMCDS,
}

// prepareGoStd compiles the Go standard library once (cached by Go version)
// and writes an importcfg naming the archive of every std package, so the
// box only runs `compile` and `link` on the submission. The work is done by
// the trusted host toolchain, never by submitted code.
func prepareGoStd(ctx context.Context, lang *Language, cacheDir string) (string, error) {
	out, err := exec.CommandContext(ctx, lang.vars["go"], "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOVERSION: %w", err)
	}
	dir := filepath.Join(cacheDir, "go-std-"+safeName(firstLine(string(out))))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// The box's users are not root: every directory on the way must be
	// traversable and every file readable.
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o005 != 0o005 && strings.HasPrefix(d, cacheDir) {
			os.Chmod(d, fi.Mode().Perm()|0o005)
		}
	}
	cmd := exec.CommandContext(ctx, lang.vars["go"], "list", "-export", "-f", "{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", "std")
	cmd.Env = append(os.Environ(), "GOCACHE="+filepath.Join(dir, "cache"), "CGO_ENABLED=0", "GOFLAGS=", "GOTOOLCHAIN=local", "GO111MODULE=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cfg, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list std: %v: %s", err, firstLine(stderr.String()))
	}
	tmp := filepath.Join(dir, fmt.Sprintf("importcfg.%d.tmp", os.Getpid()))
	if err := os.WriteFile(tmp, cfg, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, filepath.Join(dir, "importcfg")); err != nil {
		return "", err
	}
	return dir, nil
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// LanguageInfo describes a language for players (an API's language list):
// what the web needs to offer it, from the one table.
type LanguageInfo struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Aliases    []string `json:"aliases,omitempty"`
	Version    string   `json:"version,omitempty"`
	Extensions []string `json:"extensions"`
	Monaco     string   `json:"monaco"`   // the editor's syntax mode
	Template   string   `json:"template"` // starter code
	Notes      string   `json:"notes,omitempty"`
	// Coach is "static" when the coach reads the code (and measures it),
	// "measured" when it only measures it.
	Coach     string `json:"coach"`
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"` // why not available
}

// Info resolves every toolchain (once) and describes the table.
func (l *Languages) Info(ctx context.Context) []LanguageInfo {
	var out []LanguageInfo
	for _, lang := range l.ResolveAll(ctx) {
		li := lang.LanguageSpec.Info()
		li.Version, li.Available = lang.Version, lang.Err == nil
		if lang.Err != nil {
			li.Version, li.Reason = "", lang.Err.Error()
		}
		out = append(out, li)
	}
	return out
}

// Info describes the entry without probing its toolchain (no version).
func (s LanguageSpec) Info() LanguageInfo {
	coach := "measured"
	if s.Coach != "" {
		coach = "static"
	}
	return LanguageInfo{ID: s.ID, Name: s.Name, Aliases: s.Aliases, Extensions: s.Extensions, Monaco: s.Monaco,
		Template: s.Template, Notes: s.Notes, Coach: coach}
}
