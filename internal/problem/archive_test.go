package problem

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type zipEntry struct {
	name string
	data []byte
	mode fs.FileMode
	// claim, when set, is the uncompressed size written in the headers
	// instead of the real one (a lying zip bomb).
	claim uint64
}

func writeZip(t *testing.T, entries []zipEntry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pkg.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		if e.claim != 0 {
			// Write the compressed bytes ourselves so the header can lie.
			h.Method = zip.Store
			h.CompressedSize64 = uint64(len(e.data))
			h.UncompressedSize64 = e.claim
			h.CRC32 = 0
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.data)
			continue
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// zipOfDir zips a fixture package under prefix/.
func zipOfDir(t *testing.T, dir, prefix string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), prefix+".zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteZip(dir, prefix, f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func TestExtractZipRejectsUnsafeArchives(t *testing.T) {
	small := ArchiveLimits{MaxFiles: 50, MaxFileBytes: 1 << 20, MaxTotalBytes: 3 << 20}
	zeros := make([]byte, 1<<20+1)
	many := make([]zipEntry, 51)
	for i := range many {
		many[i] = zipEntry{name: "f" + strings.Repeat("x", i), data: []byte("x")}
	}
	bomb := []zipEntry{}
	for i := 0; i < 4; i++ { // 4 files of 1 MiB: each under the file cap, together over the total cap
		bomb = append(bomb, zipEntry{name: "data/secret/" + string(rune('a'+i)) + ".in", data: make([]byte, 1<<20)})
	}
	tests := []struct {
		name    string
		entries []zipEntry
		want    string
	}{
		{"dotdot", []zipEntry{{name: "../evil", data: []byte("x")}}, "path escapes the archive"},
		{"nested dotdot", []zipEntry{{name: "p/data/../../../evil", data: []byte("x")}}, "path escapes the archive"},
		{"absolute", []zipEntry{{name: "/etc/cron.d/evil", data: []byte("x")}}, "absolute path"},
		{"backslash", []zipEntry{{name: `..\evil`, data: []byte("x")}}, "backslash"},
		{"symlink", []zipEntry{{name: "p/data/secret/1.in", data: []byte("/etc/shadow"), mode: fs.ModeSymlink | 0o777}}, "symbolic link"},
		{"device", []zipEntry{{name: "p/dev", mode: fs.ModeDevice | fs.ModeCharDevice | 0o666}}, "special file"},
		{"fifo", []zipEntry{{name: "p/fifo", mode: fs.ModeNamedPipe | 0o666}}, "special file"},
		{"too many files", many, "entries, over the limit"},
		{"huge file", []zipEntry{{name: "p/big.in", data: zeros}}, "over the limit"},
		{"total over cap", bomb, "over the total limit"},
		{"header lies about size", []zipEntry{{name: "p/lie.in", data: zeros, claim: 10}}, "p/lie.in: corrupt data"},
		{"duplicate", []zipEntry{{name: "p/a", data: []byte("1")}, {name: "p/A", data: []byte("2")}}, "duplicate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zp := writeZip(t, tc.entries)
			parent := t.TempDir()
			dest := filepath.Join(parent, "out")
			err := ExtractZip(zp, dest, small)
			if err == nil {
				t.Fatal("extracted")
			}
			var ae *ArchiveError
			if !errors.As(err, &ae) || !HasCode(err, CodeBadArchive) || ErrorCode(err) != CodeBadArchive {
				t.Errorf("error %v is not an ArchiveError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			// Nothing written: no destination, no temporary leftovers.
			left, _ := os.ReadDir(parent)
			if len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

func TestExtractZipFindsPackageRoot(t *testing.T) {
	for _, prefix := range []string{"legacy_divisor", ""} {
		zp := zipOfDir(t, "testdata/legacy_divisor", prefix)
		if prefix == "" {
			zp = zipOfDir(t, "testdata/legacy_divisor", "")
		}
		dest := filepath.Join(t.TempDir(), "x")
		if err := ExtractZip(zp, dest, DefaultArchiveLimits); err != nil {
			t.Fatal(err)
		}
		root, err := packageRoot(dest)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Load(root); err != nil {
			t.Errorf("prefix %q: %v", prefix, err)
		}
	}
}

func TestLibraryImportExportVersions(t *testing.T) {
	ctx := context.Background()
	lib := &Library{Root: filepath.Join(t.TempDir(), "lib")}

	// A working copy the "author" edits between imports.
	work := filepath.Join(t.TempDir(), "draft_average")
	if err := CopyTree("testdata/draft_average", work); err != nil {
		t.Fatal(err)
	}
	r1, err := Import(ctx, lib, work, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !r1.Created || r1.Version.Number != 1 || r1.Version.ProblemID != "draft_average" || r1.Version.Name != "Average" {
		t.Fatalf("first import %+v", r1.Version)
	}
	// Same content again: no new version.
	r2, err := Import(ctx, lib, work, ImportOptions{})
	if err != nil || r2.Created || r2.Version.Number != 1 {
		t.Fatalf("re-import %+v %v", r2, err)
	}
	// Edited package: version 2, version 1 untouched.
	if err := os.WriteFile(filepath.Join(work, "data/secret/6.ans"), []byte("8.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r3, err := Import(ctx, lib, work, ImportOptions{})
	if err != nil || !r3.Created || r3.Version.Number != 2 || r3.Version.SHA256 == r1.Version.SHA256 {
		t.Fatalf("edited import %+v %v", r3, err)
	}
	v1, err := lib.Version(ctx, "draft_average", 1)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(filepath.Join(v1.Dir, "data/secret/6.ans"))
	orig, _ := os.ReadFile("testdata/draft_average/data/secret/6.ans")
	if !bytes.Equal(old, orig) {
		t.Error("version 1 changed after importing version 2")
	}
	if latest, _ := lib.Version(ctx, "draft_average", 0); latest.Number != 2 {
		t.Errorf("latest %d", latest.Number)
	}

	// Export v1 as a zip, import it into another library: same content hash.
	zipPath := filepath.Join(t.TempDir(), "out.zip")
	if _, err := Export(ctx, lib, "draft_average", 1, zipPath); err != nil {
		t.Fatal(err)
	}
	lib2 := &Library{Root: filepath.Join(t.TempDir(), "lib2")}
	r4, err := Import(ctx, lib2, zipPath, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r4.Version.SHA256 != r1.Version.SHA256 || r4.Version.ProblemID != "draft_average" {
		t.Errorf("zip round trip: %+v vs %+v", r4.Version, r1.Version)
	}
	// Export to a directory loads as the same package.
	dirOut := filepath.Join(t.TempDir(), "exported")
	if _, err := Export(ctx, lib, "draft_average", 2, dirOut); err != nil {
		t.Fatal(err)
	}
	if p, err := Load(dirOut); err != nil || p.Meta.UUID != r1.Package.Meta.UUID {
		t.Errorf("exported dir: %v", err)
	}
	// Exporting twice gives identical zips (fixed timestamps, sorted entries).
	var a, b bytes.Buffer
	if err := WriteZip(v1.Dir, "x", &a); err != nil {
		t.Fatal(err)
	}
	WriteZip(v1.Dir, "x", &b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("export is not reproducible")
	}
	if _, err := Export(ctx, lib, "nope", 0, filepath.Join(t.TempDir(), "n.zip")); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown problem: %v", err)
	}
	if _, err := Export(ctx, lib, "../etc", 0, filepath.Join(t.TempDir(), "n.zip")); !errors.Is(err, ErrNotFound) {
		t.Errorf("bad id: %v", err)
	}
}

func TestImportBadPackagesWritesNothing(t *testing.T) {
	ctx := context.Background()
	lib := &Library{Root: filepath.Join(t.TempDir(), "lib")}
	symlinkZip := writeZip(t, []zipEntry{
		{name: "p/problem.yaml", data: []byte("name: x\n")},
		{name: "p/data/secret/1.in", data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777},
	})
	buildScript := filepath.Join(t.TempDir(), "buildscript")
	if err := CopyTree("testdata/legacy_divisor", buildScript); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(buildScript, "input_validators", "v"), 0o755)
	os.WriteFile(filepath.Join(buildScript, "input_validators", "v", "build"), []byte("#!/bin/sh\n"), 0o755)
	tests := []struct {
		src  string
		code string
	}{
		{"testdata/broken_yaml", CodeBadYAML},
		{"testdata/missing_data", CodeMissing},
		{buildScript, CodeUnsupported},
		{zipOfDir(t, "testdata/wrong_types", "wrong_types"), CodeBadType},
		{writeZip(t, []zipEntry{{name: "p/../../x", data: []byte("x")}}), CodeBadArchive},
		{symlinkZip, CodeBadArchive},
		{writeZip(t, []zipEntry{{name: "readme.txt", data: []byte("no package here")}}), CodeBadArchive},
	}
	for _, tc := range tests {
		_, err := Import(ctx, lib, tc.src, ImportOptions{})
		if err == nil || !HasCode(err, tc.code) {
			t.Errorf("Import(%s): %v, want code %s", tc.src, err, tc.code)
		}
	}
	// Huge files, from a zip or a directory, under small limits.
	small := ImportOptions{Limits: ArchiveLimits{MaxFiles: 100, MaxFileBytes: 1 << 10, MaxTotalBytes: 64 << 10}}
	hugeDir := filepath.Join(t.TempDir(), "hello")
	if err := CopyTree("testdata/legacy_divisor", hugeDir); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(hugeDir, "data/secret/9.in"), make([]byte, 2<<10), 0o644)
	for _, tc := range []struct{ src, code, want string }{
		{hugeDir, CodeBadValue, "data/secret/9.in: 2048 bytes, over the limit of 1024 per file"},
		{zipOfDir(t, hugeDir, "hello"), CodeBadArchive, "over the limit"},
	} {
		_, err := Import(ctx, lib, tc.src, small)
		if !HasCode(err, tc.code) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Import(%s) huge: %v, want %s %q", tc.src, err, tc.code, tc.want)
		}
	}
	if ids, _ := lib.Problems(ctx); len(ids) != 0 {
		t.Errorf("library has %v after bad imports", ids)
	}
	if _, err := os.Stat(lib.Root); !os.IsNotExist(err) {
		t.Errorf("library root created: %v", err)
	}
}

func TestLoadRefusesSymlinkOutOfPackage(t *testing.T) {
	work := filepath.Join(t.TempDir(), "pkg")
	if err := CopyTree("testdata/draft_average", work); err != nil {
		t.Fatal(err)
	}
	// Inside the package: allowed (Kattis packages share tests this way).
	if err := os.Symlink("01.in", filepath.Join(work, "data/secret/07.in")); err != nil {
		t.Fatal(err)
	}
	os.Symlink("01.ans", filepath.Join(work, "data/secret/07.ans"))
	if _, err := Load(work); err != nil {
		t.Fatalf("in-package symlink: %v", err)
	}
	// Out of the package: refused.
	os.Symlink("/etc/passwd", filepath.Join(work, "data/secret/08.in"))
	os.Symlink("01.ans", filepath.Join(work, "data/secret/08.ans"))
	_, err := Load(work)
	if err == nil || !strings.Contains(err.Error(), "symlink points outside the package") {
		t.Errorf("out-of-package symlink: %v", err)
	}
}

func TestLibraryConcurrentImports(t *testing.T) {
	ctx := context.Background()
	lib := &Library{Root: filepath.Join(t.TempDir(), "lib")}
	// Four different contents of one problem imported at once: four
	// distinct version numbers, none lost.
	var dirs []string
	for i := 0; i < 4; i++ {
		d := filepath.Join(t.TempDir(), "draft_average")
		if err := CopyTree("testdata/draft_average", d); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, "data/secret/6.ans"), []byte(strings.Repeat("8.5 ", i+1)+"\n"), 0o644)
		dirs = append(dirs, d)
	}
	errs := make(chan error, len(dirs))
	for _, d := range dirs {
		go func() {
			_, err := Import(ctx, lib, d, ImportOptions{})
			errs <- err
		}()
	}
	for range dirs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	vs, err := lib.Versions(ctx, "draft_average")
	if err != nil || len(vs) != 4 {
		t.Fatalf("versions %+v %v", vs, err)
	}
	seen := map[string]bool{}
	for i, v := range vs {
		if v.Number != i+1 || seen[v.SHA256] {
			t.Errorf("version %d: %+v", i+1, v)
		}
		seen[v.SHA256] = true
	}
}

func TestImportZipFixtures(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		zip  string
		want string // "" = imports
	}{
		{"hello.zip", ""},
		{"dotdot.zip", "path escapes the archive (..)"},
		{"symlink.zip", "hello/data/secret/2.in: symbolic link"},
		{"absolute.zip", "/tmp/segfault-abs: absolute path"},
	}
	for _, tc := range tests {
		t.Run(tc.zip, func(t *testing.T) {
			lib := &Library{Root: filepath.Join(t.TempDir(), "lib")}
			res, err := Import(ctx, lib, filepath.Join("testdata/zips", tc.zip), ImportOptions{})
			if tc.want == "" {
				if err != nil || res.Version.ProblemID != "hello" {
					t.Fatalf("import: %+v %v", res, err)
				}
				return
			}
			if err == nil || !HasCode(err, CodeBadArchive) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if ids, _ := lib.Problems(ctx); len(ids) != 0 {
				t.Errorf("stored %v", ids)
			}
		})
	}
	for _, p := range []string{"/tmp/segfault-zip-slip", "/tmp/segfault-abs"} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s written outside the destination", p)
		}
	}
}
