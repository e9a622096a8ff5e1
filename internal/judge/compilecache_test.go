package judge

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

func cacheJudge(t *testing.T, runtime string, maxBytes int64) (*Judge, *CompileCache) {
	t.Helper()
	j := newTestJudge(t, runtime)
	c, err := OpenCompileCache(filepath.Join(t.TempDir(), "cc"), maxBytes, nil)
	if err != nil {
		t.Fatal(err)
	}
	j.UseCompileCache(c)
	return j, c
}

func wantStats(t *testing.T, c *CompileCache, hits, misses, corrupt int64) {
	t.Helper()
	s := c.Stats()
	if s.Hits != hits || s.Misses != misses || s.Corrupt != corrupt {
		t.Fatalf("stats %+v; want hits %d, misses %d, corrupt %d", s, hits, misses, corrupt)
	}
}

// TestCompileCacheRunThenSubmit: a Run on the samples then the Submit of
// the same code compile once; the second program comes from the cache and
// is judged the same. A changed file of a multi-file program, or another
// language, compiles again.
func TestCompileCacheRunThenSubmit(t *testing.T) {
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j, c := cacheJudge(t, rt, 64<<20)
			p := sumProblem(t, 3)
			sub := Submission{Lang: "cpp", Source: readTestdata(t, "sum/sum.cpp")}
			run := judgeOK(t, j, p, sub, Options{SamplesOnly: true})
			if run.Verdict != AC || run.CompileCached {
				t.Fatalf("run: %s cached=%v", summary(run), run.CompileCached)
			}
			wantStats(t, c, 0, 1, 0)
			res := judgeOK(t, j, p, sub, Options{})
			if res.Verdict != AC || res.Passed != 3 || !res.CompileCached || res.CompileTime != 0 {
				t.Fatalf("submit: %s cached=%v compile=%v", summary(res), res.CompileCached, res.CompileTime)
			}
			wantStats(t, c, 1, 1, 0)
			if s := c.Stats(); s.Entries != 1 || s.Stores != 1 || s.Bytes <= 0 {
				t.Fatalf("stats %+v", s)
			}

			// Multi-file: every file is in the key.
			two := Submission{Lang: "c", Files: map[string][]byte{
				"main.c": []byte("#include <stdio.h>\nlong long add(long long, long long);\nint main(void){long long a,b;scanf(\"%lld %lld\",&a,&b);printf(\"%lld\\n\",add(a,b));return 0;}\n"),
				"add.c":  []byte("long long add(long long a, long long b) { return a + b; }\n"),
			}}
			if r := judgeOK(t, j, p, two, Options{}); r.Verdict != AC || r.CompileCached {
				t.Fatalf("two files: %s", summary(r))
			}
			if r := judgeOK(t, j, p, two, Options{}); r.Verdict != AC || !r.CompileCached {
				t.Fatalf("two files again: %s cached=%v", summary(r), r.CompileCached)
			}
			wantStats(t, c, 2, 2, 0)
			wrong := Submission{Lang: "c", Files: map[string][]byte{
				"main.c": two.Files["main.c"],
				"add.c":  []byte("long long add(long long a, long long b) { return a - b; }\n"),
			}}
			if r := judgeOK(t, j, p, wrong, Options{}); r.Verdict != WA || r.CompileCached {
				t.Fatalf("changed helper file: %s cached=%v", summary(r), r.CompileCached)
			}
			wantStats(t, c, 2, 3, 0)

			// A compile error is never kept: it is compiled each time.
			bad := Submission{Lang: "c", Source: []byte("int main(void) { return x; }\n")}
			for range 2 {
				if r := judgeOK(t, j, p, bad, Options{}); r.Verdict != CE {
					t.Fatalf("CE: %s", summary(r))
				}
			}
			wantStats(t, c, 2, 5, 0)
		})
	}
}

// TestCompileCacheKey: the key changes with the toolchain (version, resolved
// tools), the flags, every file's name and contents and the entry, and with
// nothing else.
func TestCompileCacheKey(t *testing.T) {
	base := &Language{LanguageSpec: LanguageSpec{ID: "c", Compile: [][]string{{"{gcc}", "-O2", "-o", "main", "{sources}"}}, Env: []string{"X=1"}},
		Version: "gcc 12.2.0", vars: map[string]string{"gcc": "/usr/bin/gcc-12"}}
	files := map[string][]byte{"main.c": []byte("int main(){}"), "util.c": []byte("int u;")}
	vars := cmdVars{src: "main.c", sources: []string{"main.c", "util.c"}, class: "Main", memMiB: 256, work: "/work"}
	k0 := compileKey(base, vars, files, "main.c")

	other := vars
	other.work = "/tmp/bare-box-2" // another box's work dir: the same program
	if compileKey(base, other, files, "main.c") != k0 {
		t.Error("the work dir changed the key")
	}
	if compileKey(base, vars, map[string][]byte{"util.c": files["util.c"], "main.c": files["main.c"]}, "main.c") != k0 {
		t.Error("map order changed the key")
	}

	variants := map[string]string{}
	add := func(name, k string) {
		if k == k0 {
			t.Errorf("%s: same key", name)
		}
		for n, o := range variants {
			if o == k {
				t.Errorf("%s and %s: same key", name, n)
			}
		}
		variants[name] = k
	}
	l := *base
	l.Version = "gcc 13.1.0"
	add("toolchain version", compileKey(&l, vars, files, "main.c"))
	l = *base
	l.vars = map[string]string{"gcc": "/usr/bin/gcc-13"}
	add("toolchain path", compileKey(&l, vars, files, "main.c"))
	l = *base
	l.Compile = [][]string{{"{gcc}", "-O0", "-o", "main", "{sources}"}}
	add("flags", compileKey(&l, vars, files, "main.c"))
	l = *base
	l.Compile = [][]string{{"{gcc}", "-O2", "-o", "main", "{sources}"}, {"strip", "main"}}
	add("one more step", compileKey(&l, vars, files, "main.c"))
	l = *base
	l.Env = []string{"X=2"}
	add("environment", compileKey(&l, vars, files, "main.c"))
	l = *base
	l.ID = "cpp"
	add("language", compileKey(&l, vars, files, "main.c"))
	add("a file's contents", compileKey(base, vars, map[string][]byte{"main.c": files["main.c"], "util.c": []byte("int v;")}, "main.c"))
	add("a file's name", compileKey(base, vars, map[string][]byte{"main.c": files["main.c"], "util2.c": files["util.c"]}, "main.c"))
	add("one more file", compileKey(base, vars, map[string][]byte{"main.c": files["main.c"], "util.c": files["util.c"], "x.h": nil}, "main.c"))
	add("the entry", compileKey(base, vars, files, "util.c"))
	v := vars
	v.class = "Solution"
	add("the class", compileKey(base, v, files, "main.c"))
	// A contents/name boundary shift must not collide.
	add("shifted boundary", compileKey(base, vars, map[string][]byte{"main.c": []byte("int main(){}u"), "til.c": files["util.c"]}, "main.c"))
}

// TestCompileCacheTampered: an entry whose bytes changed on disk (a flipped
// byte, a truncation, or another program's entry rewritten consistently
// under this key) is detected, discarded and rebuilt; the program judged is
// always the submitted one.
func TestCompileCacheTampered(t *testing.T) {
	j, c := cacheJudge(t, "runc", 64<<20)
	p := sumProblem(t, 2)
	sub := Submission{Lang: "c", Source: readTestdata(t, "sum/sum.c")}
	evil := Submission{Lang: "c", Source: []byte("#include <stdio.h>\nint main(void){puts(\"pwned\");return 0;}\n")}
	judgeAC := func(what string, cached bool) {
		t.Helper()
		r := judgeOK(t, j, p, sub, Options{})
		if r.Verdict != AC || r.CompileCached != cached {
			t.Fatalf("%s: %s cached=%v", what, summary(r), r.CompileCached)
		}
	}
	judgeAC("first", false)
	if r := judgeOK(t, j, p, evil, Options{}); r.Verdict != WA {
		t.Fatalf("evil: %s", summary(r))
	}
	entryOf := func(s Submission) string {
		lang, files, entry, err := j.checkSource(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		name, class := lang.sourceName(files[""])
		key := compileKey(lang, cmdVars{src: name, sources: []string{name}, class: class, memMiB: p.MemoryBytes >> 20}, files, entry)
		return c.path(key)
	}
	good, bad := entryOf(sub), entryOf(evil)
	orig, err := os.ReadFile(good)
	if err != nil {
		t.Fatalf("entry of the good program: %v", err)
	}

	corrupt := int64(0)
	hits, misses := int64(0), int64(2)
	for _, tamper := range []struct {
		name string
		data func() []byte
	}{
		{"flipped byte", func() []byte {
			b := bytes.Clone(orig)
			b[len(b)/2] ^= 0x40
			return b
		}},
		{"truncated", func() []byte { return orig[:len(orig)-100] }},
		{"another key's entry", func() []byte {
			b, err := os.ReadFile(bad)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{"another program, checksum recomputed", func() []byte {
			b, err := os.ReadFile(bad)
			if err != nil {
				t.Fatal(err)
			}
			files, err := decodeEntry(b, strings.TrimSuffix(filepath.Base(bad), cacheSuffix))
			if err != nil {
				t.Fatal(err)
			}
			return encodeEntry(strings.TrimSuffix(filepath.Base(good), cacheSuffix), files)
		}},
	} {
		t.Run(tamper.name, func(t *testing.T) {
			if err := os.WriteFile(good, tamper.data(), 0o600); err != nil {
				t.Fatal(err)
			}
			judgeAC("after tampering", false)
			corrupt++
			misses++
			wantStats(t, c, hits, misses, corrupt)
			// Rebuilt: the next one is a hit again, with the good bytes.
			judgeAC("rebuilt", true)
			hits++
			wantStats(t, c, hits, misses, corrupt)
			if b, err := os.ReadFile(good); err != nil || !bytes.Equal(b, orig) && !sameFiles(t, b, orig, good) {
				t.Fatalf("rebuilt entry differs: %v", err)
			}
		})
	}

	// A reopened cache indexes the entries that verify and drops the rest.
	if err := os.WriteFile(bad, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	c2, err := OpenCompileCache(c.Dir(), 64<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := c2.Stats(); s.Entries != 1 || s.Corrupt != 1 {
		t.Fatalf("reopened: %+v", s)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Fatalf("bad entry kept: %v", err)
	}
}

// sameFiles: two entries of one key hold the same file names (a rebuilt
// binary may differ in bytes only if the compiler is not reproducible).
func sameFiles(t *testing.T, a, b []byte, p string) bool {
	key := strings.TrimSuffix(filepath.Base(p), cacheSuffix)
	fa, err1 := decodeEntry(a, key)
	fb, err2 := decodeEntry(b, key)
	if err1 != nil || err2 != nil {
		return false
	}
	names := func(fs []sandbox.File) []string {
		var n []string
		for _, f := range fs {
			n = append(n, f.Name)
		}
		return n
	}
	return slices.Equal(names(fa), names(fb))
}

// TestCompileCacheConcurrent: submissions of one program judged at once
// compile it once; the others wait and take it from the cache.
func TestCompileCacheConcurrent(t *testing.T) {
	j, c := cacheJudge(t, "bare", 64<<20)
	p := sumProblem(t, 1)
	sub := Submission{Lang: "cpp", Source: readTestdata(t, "sum/sum.cpp")}
	const n = 4
	var wg sync.WaitGroup
	results := make([]*Result, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = judgeOK(t, j, p, sub, Options{})
		}()
	}
	wg.Wait()
	cached := 0
	for _, r := range results {
		if r.Verdict != AC {
			t.Fatalf("%s", summary(r))
		}
		if r.CompileCached {
			cached++
		}
	}
	if cached != n-1 {
		t.Fatalf("%d of %d from the cache", cached, n)
	}
	wantStats(t, c, n-1, 1, 0)
}

// TestCompileCacheLRU: the cache stays under its bound by dropping the least
// recently used entries; an entry over a quarter of the bound is not kept.
func TestCompileCacheLRU(t *testing.T) {
	c, err := OpenCompileCache(t.TempDir(), 4000, nil)
	if err != nil {
		t.Fatal(err)
	}
	file := func(n int) []sandbox.File {
		return []sandbox.File{{Name: "main", Mode: 0o755, Data: bytes.Repeat([]byte{'x'}, n)}}
	}
	key := func(i int) string { return strings.Repeat(string(rune('a'+i)), 64) }
	for i := range 4 { // 945 bytes each
		c.put(key(i), file(800))
	}
	if c.get(key(0)) == nil { // 0 becomes the most recently used
		t.Fatal("entry 0 missing")
	}
	c.put(key(4), file(800)) // over 4000: 1, the least recently used, goes
	if c.get(key(1)) != nil {
		t.Error("entry 1 kept")
	}
	for _, i := range []int{0, 2, 3, 4} {
		if f := c.get(key(i)); f == nil || len(f[0].Data) != 800 || f[0].Mode != 0o755 || f[0].Name != "main" {
			t.Errorf("entry %d: %v", i, f)
		}
	}
	s := c.Stats()
	if s.Evictions != 1 || s.Entries != 4 || s.Bytes > 4000 {
		t.Fatalf("stats %+v", s)
	}
	c.put(key(5), file(1200)) // over a quarter of the bound
	if c.get(key(5)) != nil {
		t.Error("oversized entry kept")
	}
	if _, err := os.Stat(c.path(key(1))); !os.IsNotExist(err) {
		t.Errorf("evicted entry still on disk: %v", err)
	}
}

// TestCompileCacheNoLeak: what a program does while it runs never reaches
// the cache: the work dir is read-only for it, the snapshot was taken
// before it ran, and the next submission of the same code (from the cache)
// sees exactly the files a fresh compile leaves.
func TestCompileCacheNoLeak(t *testing.T) {
	j, c := cacheJudge(t, "runc", 64<<20)
	// The program tries to plant a file in the work dir and to overwrite
	// its own binary, then prints what it sees there.
	src := `#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
char names[64][256];
int cmp(const void *a, const void *b) { return strcmp(a, b); }
int main(void) {
	FILE *f = fopen("planted", "w");
	FILE *g = fopen("main", "r+");
	printf("%s %s\n", f ? "planted" : "denied", g ? "rewritten" : "denied");
	if (g) { fputs("x", g); fclose(g); }
	if (f) { fputs("x", f); fclose(f); }
	DIR *d = opendir(".");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 64) if (e->d_name[0] != '.') snprintf(names[n++], 256, "%s", e->d_name);
	qsort(names, n, sizeof names[0], cmp);
	for (int i = 0; i < n; i++) printf("%s\n", names[i]);
	return 0;
}
`
	p := writeProblem(t, 2e9, 256<<20, [2]string{"", "denied denied\nmain\nmain.c\n"})
	for i := range 2 {
		r := judgeOK(t, j, p, Submission{Lang: "c", Source: []byte(src)}, Options{KeepOutput: 1 << 10})
		if r.Verdict != AC || r.CompileCached != (i == 1) {
			t.Fatalf("run %d: %s cached=%v", i, summary(r), r.CompileCached)
		}
	}
	wantStats(t, c, 1, 1, 0)
}

// TestCxxPCH: inside a C++ box, g++ with the language's own compile flags
// takes the precompiled <bits/stdc++.h> of {prep} (g++ -H marks it with
// "!"), and a program whose first include is another header compiles and
// runs as well (the .gch is skipped, the real header found).
func TestCxxPCH(t *testing.T) {
	j := newTestJudge(t, "runc")
	ctx := context.Background()
	lang, err := j.Languages().Lookup(ctx, "cpp")
	if err != nil {
		t.Skip("no C++ here:", err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 20*time.Minute) // hang-only: the build takes ~10 s of CPU
	defer cancel()
	if err := PreparedBuilt(waitCtx); err != nil {
		t.Fatal(err)
	}
	gch := filepath.Join(lang.vars["prep"], "bits", "stdc++.h.gch")
	if _, err := os.Stat(gch); err != nil {
		t.Fatalf("no precompiled header after the build: %v", err)
	}
	box, err := j.runtime.Open(ctx, j.boxOptionsFor(lang, 256<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	if err := box.WriteFile("main.cpp", []byte("#include <bits/stdc++.h>\nint main() { std::vector<int> v{1, 2}; std::cout << v.size() << '\\n'; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := cmdVars{src: "main.cpp", sources: []string{"main.cpp"}, class: "Main", memMiB: 256, work: box.WorkDir()}
	p := &program{lang: lang, vars: vars}
	var out bytes.Buffer
	r, err := box.Run(ctx, sandbox.Cmd{Args: append(lang.expand(lang.Compile[0], vars), "-H"), Env: p.env(), Dir: box.WorkDir(),
		Stdout: &out, Stderr: &out, Privileged: true,
		Limits: sandbox.Limits{CPUTime: CompileCPUTime, WallTime: CompileWallTime, MemoryBytes: CompileMemoryBytes, OutputBytes: 1 << 20, StderrBytes: 1 << 20, Pids: compilePids, FileBytes: boxWorkBytes}})
	if err != nil || r.Status != sandbox.StatusOK || r.ExitCode != 0 {
		t.Fatalf("compile: %v %+v %s", err, r, out.String())
	}
	if !strings.Contains(out.String(), "! "+gch) {
		t.Fatalf("the precompiled header was not used:\n%s", out.String()[:min(out.Len(), 2000)])
	}
	// Other first lines: compiled without it, same results. The compile
	// times of the two are logged side by side (reported, not asserted).
	pr := sumProblem(t, 2)
	var with, without []time.Duration
	for range 3 {
		for _, pch := range []bool{true, false} {
			src := "#include <bits/stdc++.h>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n"
			if !pch {
				src = "int before_it;\n" + src // a C token first: the .gch cannot serve
			}
			r := judgeOK(t, j, pr, Submission{Lang: "cpp", Source: []byte(src)}, Options{})
			if r.Verdict != AC {
				t.Fatalf("pch=%v: %s", pch, summary(r))
			}
			if pch {
				with = append(with, r.CompileTime)
			} else {
				without = append(without, r.CompileTime)
			}
		}
	}
	t.Logf("a+b with <bits/stdc++.h>, compile p50 in the box: %v with the precompiled header, %v without (a declaration before the include)",
		Percentile(with, 50).Round(time.Millisecond), Percentile(without, 50).Round(time.Millisecond))
	for name, src := range map[string]string{
		"stdc++ first":     "#include <bits/stdc++.h>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n",
		"another first":    "#include <cstdio>\n#include <bits/stdc++.h>\nint main() { long long a, b; std::cin >> a >> b; std::printf(\"%lld\\n\", a + b); }\n",
		"no stdc++ at all": string(readTestdata(t, "sum/sum.cpp")),
		"macro before it":  "#define N 5\n#include <bits/stdc++.h>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n",
	} {
		if r := judgeOK(t, j, pr, Submission{Lang: "cpp", Source: []byte(src)}, Options{}); r.Verdict != AC {
			t.Errorf("%s: %s", name, summary(r))
		}
	}
}
