package problem

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ArchiveLimits bound what an imported zip may unpack to. The checks use
// the bytes actually decompressed, never the sizes the zip headers claim.
type ArchiveLimits struct {
	MaxFiles      int   // entries, directories included
	MaxFileBytes  int64 // any one file
	MaxTotalBytes int64 // all files together
}

// DefaultArchiveLimits fit the biggest real contest packages (large secret
// data) with room, and stop zip bombs long before the disk fills.
var DefaultArchiveLimits = ArchiveLimits{
	MaxFiles:      20000,
	MaxFileBytes:  256 << 20,
	MaxTotalBytes: 1 << 30,
}

// ArchiveError is an unsafe or malformed archive. Nothing was written.
type ArchiveError struct {
	Entry string // the offending entry, "" for the archive as a whole
	Msg   string
}

func (e *ArchiveError) Error() string {
	if e.Entry == "" {
		return CodeBadArchive + ": " + e.Msg
	}
	return fmt.Sprintf("%s: %s: %s", CodeBadArchive, e.Entry, e.Msg)
}

// Code is the stable error code.
func (e *ArchiveError) Code() string { return CodeBadArchive }

func archiveErr(entry, format string, a ...any) error {
	return &ArchiveError{Entry: entry, Msg: fmt.Sprintf(format, a...)}
}

// checkEntryName rejects names that could land outside the destination or
// that mean different things on different systems.
func checkEntryName(name string) error {
	switch {
	case name == "":
		return archiveErr(name, "empty file name")
	case strings.ContainsRune(name, '\\'):
		return archiveErr(name, "backslash in path")
	case strings.ContainsRune(name, 0):
		return archiveErr(name, "NUL in path")
	case strings.HasPrefix(name, "/") || (len(name) > 1 && name[1] == ':'):
		return archiveErr(name, "absolute path")
	}
	for _, part := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		switch part {
		case "..":
			return archiveErr(name, "path escapes the archive (..)")
		case ".", "":
			return archiveErr(name, "non-canonical path")
		}
	}
	return nil
}

// ExtractZip unpacks the zip at src into dest, which must not exist. It
// checks every entry first (names, types, counts), then decompresses into a
// temporary directory next to dest counting real bytes, and renames it into
// place only when everything passed: on any error nothing is left behind.
func ExtractZip(src, dest string, lim ArchiveLimits) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return &ArchiveError{Msg: "not a readable zip: " + err.Error()}
	}
	defer zr.Close()
	return extract(&zr.Reader, dest, lim)
}

func extract(zr *zip.Reader, dest string, lim ArchiveLimits) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("extract: %s already exists", dest)
	}
	if len(zr.File) > lim.MaxFiles {
		return archiveErr("", "%d entries, over the limit of %d", len(zr.File), lim.MaxFiles)
	}
	seen := map[string]bool{}
	for _, f := range zr.File {
		if err := checkEntryName(f.Name); err != nil {
			return err
		}
		mode := f.Mode()
		switch {
		case mode&fs.ModeSymlink != 0:
			return archiveErr(f.Name, "symbolic link (not allowed in packages)")
		case mode&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeIrregular) != 0:
			return archiveErr(f.Name, "special file (device, pipe or socket)")
		}
		// Headers are only a first filter; the copy below counts real bytes.
		if !mode.IsDir() && f.UncompressedSize64 > uint64(lim.MaxFileBytes) {
			return archiveErr(f.Name, "file of %d bytes, over the limit of %d", f.UncompressedSize64, lim.MaxFileBytes)
		}
		key := strings.ToLower(strings.TrimSuffix(f.Name, "/"))
		if seen[key] {
			return archiveErr(f.Name, "duplicate entry")
		}
		seen[key] = true
	}

	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".extract-")
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	var total int64
	for _, f := range zr.File {
		target := filepath.Join(tmp, filepath.FromSlash(strings.TrimSuffix(f.Name, "/")))
		if f.Mode().IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return fmt.Errorf("extract %s: %w", f.Name, err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return fmt.Errorf("extract %s: %w", f.Name, err)
		}
		n, err := extractFile(f, target, lim.MaxFileBytes, lim.MaxTotalBytes-total)
		if err != nil {
			return err
		}
		total += n
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	ok = true
	return nil
}

// extractFile decompresses one entry, stopping as soon as it exceeds the
// per-file cap or the room left under the total cap.
func extractFile(f *zip.File, target string, maxFile, room int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, archiveErr(f.Name, "cannot read: %v", err)
	}
	defer rc.Close()
	perm := os.FileMode(0o644)
	if f.Mode()&0o111 != 0 {
		perm = 0o755
	}
	// O_EXCL|O_NOFOLLOW: the temp dir is ours and fresh, but never follow.
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, perm)
	if err != nil {
		return 0, fmt.Errorf("extract %s: %w", f.Name, err)
	}
	capN := min(maxFile, room)
	n, err := io.Copy(out, io.LimitReader(rc, capN+1))
	cerr := out.Close()
	if err != nil {
		if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) {
			return n, archiveErr(f.Name, "corrupt data: %v", err)
		}
		return n, archiveErr(f.Name, "cannot decompress: %v", err)
	}
	if n > maxFile {
		return n, archiveErr(f.Name, "file is over the limit of %d bytes once decompressed", maxFile)
	}
	if n > room {
		return n, archiveErr(f.Name, "archive is over the total limit once decompressed")
	}
	if cerr != nil {
		return n, fmt.Errorf("extract %s: %w", f.Name, cerr)
	}
	return n, nil
}

// packageRoot finds problem.yaml in an extracted archive: at its root or in
// its single top-level directory (zip -r hello.zip hello/).
func packageRoot(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "problem.yaml")); err == nil {
		return dir, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), "__MACOSX") {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 1 {
		sub := filepath.Join(dir, dirs[0])
		if _, err := os.Stat(filepath.Join(sub, "problem.yaml")); err == nil {
			return sub, nil
		}
	}
	return "", &ArchiveError{Msg: "no problem.yaml at the top of the archive or in its single top-level directory"}
}

// packageFiles lists the files of a package in a stable order, relative and
// slash-separated. In-package symlinks are listed as the files they point
// to; hidden directories (.git) and editor backups are left out.
func packageFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), "~") {
			return nil
		}
		fi, err := statInside(root, p)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if fi.IsDir() {
			return fmt.Errorf("%s: symlink to a directory is not exported", rel)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", rel)
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(out)
	return out, err
}

// zipEpoch is the modification time written for every exported file, so
// exporting the same package twice gives the same bytes.
var zipEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes the package at root as a zip whose entries are prefixed
// with prefix/ (the problem's short name, as Kattis tools expect; "" = none).
func WriteZip(root, prefix string, w io.Writer) error {
	files, err := packageFiles(root)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	zw := zip.NewWriter(w)
	for _, rel := range files {
		name := rel
		if prefix != "" {
			name = path.Join(prefix, rel)
		}
		fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(fi.Mode().Perm())
		dst, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("export %s: %w", rel, err)
		}
		src, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		_, err = io.Copy(dst, src)
		src.Close()
		if err != nil {
			return fmt.Errorf("export %s: %w", rel, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// CopyTree copies the package at root into dest (which must not exist) via a
// temporary directory, so dest appears complete or not at all.
func CopyTree(root, dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("copy: %s already exists", dest)
	}
	files, err := packageFiles(root)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dest), ".copy-")
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	for _, rel := range files {
		if err := copyFile(filepath.Join(root, filepath.FromSlash(rel)), filepath.Join(tmp, filepath.FromSlash(rel))); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("copy %s: %w", rel, err)
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("copy: %w", err)
	}
	return nil
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
