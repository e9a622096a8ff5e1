package catalog

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/store"
)

func TestImportVersioning(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testImportVersioning(t, newStore(t)) })
	t.Run("postgres", func(t *testing.T) { testImportVersioning(t, newPostgres(t)) })
}

func testImportVersioning(t *testing.T, st store.Problems) {
	ctx := context.Background()
	data := t.TempDir()
	cat := New(st, data, nil)
	src := withArena(t, t.TempDir(), "divisor", 1300, "[Math, number theory]")

	r1, err := cat.Import(ctx, src, problem.ImportOptions{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if !r1.Created || r1.Version.Number != 1 || r1.Version.ProblemID != "divisor" || r1.Version.Name != "Any Divisor" {
		t.Fatalf("first import = %+v", r1.Version)
	}
	wantDir := filepath.Join(data, "problem-cache", r1.Version.SHA256, "divisor")
	if r1.Version.Dir != wantDir {
		t.Fatalf("Dir = %s, want %s", r1.Version.Dir, wantDir)
	}
	sv, err := st.ProblemVersion(ctx, "divisor", 1)
	if err != nil {
		t.Fatal(err)
	}
	if sv.Difficulty != 1300 || !slices.Equal(sv.Tags, []string{"math", "number theory"}) || sv.ComplexityTime != "O(sqrt n)" ||
		sv.MemoryMiB != 256 || sv.Interactive || sv.PackageBytes == 0 {
		t.Fatalf("stored metadata = %+v", sv)
	}

	// Same content again: same version, nothing new.
	r2, err := cat.Import(ctx, src, problem.ImportOptions{})
	if err != nil || r2.Created || r2.Version.Number != 1 || r2.Version.SHA256 != r1.Version.SHA256 {
		t.Fatalf("re-import = %+v, %v", r2, err)
	}

	// Changed content: version 2; version 1 still retrievable as it was.
	stmt := filepath.Join(src, "problem_statement", "problem.en.tex")
	old, _ := os.ReadFile(stmt)
	if err := os.WriteFile(stmt, append(old, []byte("\n% typo fixed\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	r3, err := cat.Import(ctx, src, problem.ImportOptions{})
	if err != nil || !r3.Created || r3.Version.Number != 2 || r3.Version.SHA256 == r1.Version.SHA256 {
		t.Fatalf("changed import = %+v, %v", r3, err)
	}
	v1, err := cat.Version(ctx, "divisor", 1)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(v1.Dir, "problem_statement", "problem.en.tex"))
	if string(got) != string(old) {
		t.Fatal("version 1 in the cache has the new statement")
	}
	if newest, err := cat.Version(ctx, "divisor", 0); err != nil || newest.Number != 2 {
		t.Fatalf("newest = %+v, %v", newest, err)
	}
	if vs, err := cat.Versions(ctx, "divisor"); err != nil || len(vs) != 2 {
		t.Fatalf("Versions = %d, %v", len(vs), err)
	}
	if _, err := cat.Version(ctx, "nope", 0); !errors.Is(err, problem.ErrNotFound) {
		t.Fatalf("unknown problem: %v, want problem.ErrNotFound", err)
	}

	// Another node (own data dir, same database) gets version 1 from the
	// database: unpacked, hash-checked, loadable.
	other := New(st, t.TempDir(), nil)
	pkg, osv, err := other.Package(ctx, "divisor", 1)
	if err != nil {
		t.Fatalf("other node: %v", err)
	}
	if osv.Version != 1 || pkg.ShortName != "divisor" || pkg.Meta.Name("en") != "Any Divisor" {
		t.Fatalf("other node loaded %s v%d", pkg.ShortName, osv.Version)
	}
	if sum, err := problem.ContentHash(pkg.Dir); err != nil || sum != r1.Version.SHA256 {
		t.Fatalf("unpacked hash %s, %v; want %s", sum, err, r1.Version.SHA256)
	}

	// The cache is disposable: delete it, the version comes back.
	if err := os.RemoveAll(filepath.Join(data, "problem-cache")); err != nil {
		t.Fatal(err)
	}
	v1, err = cat.Version(ctx, "divisor", 1)
	if err != nil {
		t.Fatalf("after cache loss: %v", err)
	}
	if sum, _ := problem.ContentHash(v1.Dir); sum != r1.Version.SHA256 {
		t.Fatal("re-unpacked version 1 has other content")
	}

	// Export of a stored version writes the package (Kattis tools read it).
	out := filepath.Join(t.TempDir(), "divisor.zip")
	if _, err := problem.Export(ctx, cat, "divisor", 1, out); err != nil {
		t.Fatalf("export: %v", err)
	}
	back := New(newStore(t), t.TempDir(), nil)
	rb, err := back.Import(ctx, out, problem.ImportOptions{})
	if err != nil || rb.Version.SHA256 != r1.Version.SHA256 {
		t.Fatalf("re-import of the export = %+v, %v", rb, err)
	}

	ids, err := cat.Problems(ctx)
	if err != nil || !slices.Equal(ids, []string{"divisor"}) {
		t.Fatalf("Problems = %v, %v", ids, err)
	}
}

func TestImportRejectsWithoutStoring(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	data := t.TempDir()
	cat := New(st, data, nil)
	tmp := t.TempDir()
	tests := []struct {
		name, src, code string
	}{
		{"broken yaml", filepath.Join(fixtures, "broken_yaml"), problem.CodeBadYAML},
		{"missing data", filepath.Join(fixtures, "missing_data"), problem.CodeMissing},
		{"zip with ..", filepath.Join(fixtures, "zips", "dotdot.zip"), problem.CodeBadArchive},
		{"zip with symlink", filepath.Join(fixtures, "zips", "symlink.zip"), problem.CodeBadArchive},
		{"bad id", copyPackage(t, filepath.Join(fixtures, "legacy_divisor"), tmp, "Has Space"), problem.CodeBadValue},
	}
	for _, tt := range tests {
		_, err := cat.Import(ctx, tt.src, problem.ImportOptions{})
		if err == nil || !problem.HasCode(err, tt.code) {
			t.Errorf("%s: err = %v, want code %s", tt.name, err, tt.code)
		}
	}
	if ids, err := cat.Problems(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("problems after refused imports: %v, %v", ids, err)
	}
	if entries, _ := os.ReadDir(filepath.Join(data, "problem-cache")); len(entries) != 0 {
		t.Fatalf("cache has %d entries after refused imports", len(entries))
	}

	// A uuid already owned by another problem is a conflict.
	a := copyPackage(t, filepath.Join(fixtures, "legacy_divisor"), tmp, "first")
	b := copyPackage(t, filepath.Join(fixtures, "legacy_divisor"), tmp, "second")
	for _, p := range []string{a, b} {
		f, _ := os.OpenFile(filepath.Join(p, "problem.yaml"), os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString("uuid: 5b0c2f0e-3d7e-4a8e-9a55-0f2c41f1f0aa\n")
		f.Close()
	}
	if _, err := cat.Import(ctx, a, problem.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Import(ctx, b, problem.ImportOptions{}); !errors.Is(err, ErrConflict) {
		t.Fatalf("second problem with the same uuid: %v, want ErrConflict", err)
	}
}

// bundledSample are packages of the bundled set copied for the test.
var bundledSample = []string{"bracket-repair", "guess-the-number", "mirror-fix", "staircase-ways"}

func TestLoadBundled(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	cat := New(st, t.TempDir(), nil)
	dir := t.TempDir()
	for _, name := range bundledSample {
		copyPackage(t, filepath.Join("../../problems", name), dir, name)
	}
	copyPackage(t, filepath.Join(fixtures, "broken_yaml"), dir, "zz-broken")
	if err := os.MkdirAll(filepath.Join(dir, "tools"), 0o755); err != nil { // not a package: ignored
		t.Fatal(err)
	}

	res := LoadBundled(ctx, cat, dir)
	if !slices.Equal(res.Imported, bundledSample) || len(res.Unchanged) != 0 || !slices.Equal(res.Failed, []string{"zz-broken"}) {
		t.Fatalf("first start: %+v", res)
	}
	t.Logf("first start: %d imported in %v", len(res.Imported), res.Took)
	sv, err := st.ProblemVersion(ctx, "guess-the-number", 0)
	if err != nil || !sv.Interactive || sv.Difficulty != 1000 || sv.TimeLimit <= 0 {
		t.Fatalf("guess-the-number stored as %+v, %v", sv, err)
	}

	res = LoadBundled(ctx, cat, dir)
	if len(res.Imported) != 0 || !slices.Equal(res.Unchanged, bundledSample) || len(res.Failed) != 1 {
		t.Fatalf("second start: %+v", res)
	}
	t.Logf("unchanged start: %v", res.Took)

	// A changed package gets a new version on the next start.
	stmt := filepath.Join(dir, "mirror-fix", "problem_statement", "problem.en.md")
	b, err := os.ReadFile(stmt)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(stmt, append(b, "\nClarified.\n"...), 0o644)
	res = LoadBundled(ctx, cat, dir)
	if !slices.Equal(res.Imported, []string{"mirror-fix"}) || len(res.Unchanged) != 3 {
		t.Fatalf("after a change: %+v", res)
	}
	if v, err := st.ProblemVersion(ctx, "mirror-fix", 0); err != nil || v.Version != 2 {
		t.Fatalf("mirror-fix newest = %+v, %v", v, err)
	}

	// Going back to content a problem already had (an admin uploaded a
	// fix, the bundled copy is older) adds nothing.
	os.WriteFile(stmt, b, 0o644)
	res = LoadBundled(ctx, cat, dir)
	if len(res.Imported) != 0 {
		t.Fatalf("old content re-imported: %+v", res)
	}
	if v, _ := st.ProblemVersion(ctx, "mirror-fix", 0); v.Version != 2 {
		t.Fatalf("mirror-fix newest = %d, want 2", v.Version)
	}

	// No directory configured or a missing one: nothing, no panic.
	if res := LoadBundled(ctx, cat, ""); len(res.Imported)+len(res.Failed) != 0 {
		t.Fatal("empty dir loaded something")
	}
	if res := LoadBundled(ctx, cat, filepath.Join(dir, "missing")); len(res.Imported)+len(res.Failed) != 0 {
		t.Fatal("missing dir loaded something")
	}
}

func TestRewriteAssets(t *testing.T) {
	url := func(n string) string { return "/a/" + n + "?v=1" }
	assets := []string{"plot.png", "fig 1.svg"}
	tests := []struct{ in, want string }{
		{"![plot](plot.png)", "![plot](/a/plot.png?v=1)"},
		{"![plot](./plot.png)", "![plot](/a/plot.png?v=1)"},
		{`![x](plot.png "title")`, `![x](/a/plot.png?v=1 "title")`},
		{"![x](<fig 1.svg>)", "![x](/a/fig 1.svg?v=1)"},
		{"![x](fig%201.svg)", "![x](/a/fig 1.svg?v=1)"},
		{"![x](other.png)", "![x](other.png)"},
		{"![x](https://example.test/plot.png)", "![x](https://example.test/plot.png)"},
		{"![x](../plot.png)", "![x](../plot.png)"},
		{`<img src="plot.png" width=3>`, `<img src="/a/plot.png?v=1" width=3>`},
		{`<img alt='a' src='./plot.png'>`, `<img alt='a' src='/a/plot.png?v=1'>`},
		{"[not an image](plot.png)", "[not an image](plot.png)"},
	}
	for _, tt := range tests {
		if got := rewriteAssets(tt.in, assets, url); got != tt.want {
			t.Errorf("rewriteAssets(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := rewriteAssets("![plot](plot.png)", nil, url); !strings.Contains(got, "(plot.png)") {
		t.Errorf("no assets: %q", got)
	}
}

// TestCacheShared: processes sharing a data dir (API node and worker on
// one host) unpack the same version at once; both get it.
func TestCacheShared(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	src := withArena(t, t.TempDir(), "shared", 1000, "[math]")
	if _, err := New(st, t.TempDir(), nil).Import(ctx, src, problem.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	const n = 6
	errs := make(chan error, n)
	for range n {
		go func() {
			_, _, err := New(st, data, nil).Package(ctx, "shared", 0) // each its own lock, as separate processes
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent unpack: %v", err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(data, "problem-cache"))
	if len(entries) != 1 {
		t.Fatalf("cache entries %d, want 1 (no temporary leftovers)", len(entries))
	}
}

// TestCacheRejectsCorruptPackage: a stored zip whose content does not hash
// to its version's sha256 is refused, and nothing is left in the cache.
func TestCacheRejectsCorruptPackage(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	a := withArena(t, t.TempDir(), "alpha", 1000, "[math]")
	if _, err := New(st, t.TempDir(), nil).Import(ctx, a, problem.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other := zipDir(t, filepath.Join(fixtures, "draft_average"), "")
	if _, err := db.ExecContext(ctx, "UPDATE problem_packages SET zip = ?", other); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	_, _, err = New(st, data, nil).Package(ctx, "alpha", 1)
	if err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("corrupt package: %v", err)
	}
	if _, err := os.Stat(filepath.Join(data, "problem-cache", "")); err == nil {
		entries, _ := os.ReadDir(filepath.Join(data, "problem-cache"))
		for _, e := range entries {
			sub, _ := os.ReadDir(filepath.Join(data, "problem-cache", e.Name()))
			if len(sub) != 0 {
				t.Fatalf("cache keeps %s/%v", e.Name(), sub)
			}
		}
	}
}

// TestLoadBundledFullSet loads the whole problems/ directory (slow-ish:
// every package is hashed and zipped); run with SEGFAULT_FULL_BUNDLED=1.
func TestLoadBundledFullSet(t *testing.T) {
	if os.Getenv("SEGFAULT_FULL_BUNDLED") == "" {
		t.Skip("set SEGFAULT_FULL_BUNDLED=1 to load the whole bundled set")
	}
	ctx := context.Background()
	st := newStore(t)
	cat := New(st, t.TempDir(), nil)
	res := LoadBundled(ctx, cat, "../../problems")
	if len(res.Failed) != 0 || len(res.Imported) == 0 {
		t.Fatalf("bundled set: %+v", res)
	}
	t.Logf("first start: %d problems imported in %v", len(res.Imported), res.Took)
	again := LoadBundled(ctx, cat, "../../problems")
	if len(again.Imported) != 0 || len(again.Unchanged) != len(res.Imported) {
		t.Fatalf("second start: %+v", again)
	}
	t.Logf("unchanged start: %v", again.Took)
	var total int64
	for _, id := range res.Imported {
		v, err := st.ProblemVersion(ctx, id, 0)
		if err != nil {
			t.Fatal(err)
		}
		total += v.PackageBytes
		if _, _, err := New(st, t.TempDir(), nil).Package(ctx, id, 0); err != nil {
			t.Fatalf("%s from the database: %v", id, err)
		}
	}
	t.Logf("stored zips: %d bytes in all", total)
}
