package sandbox

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// Host-side file handling against everything a program can plant in a work
// dir, without a container: the functions only see a directory fd.
func TestFilesBeneath(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("host"), 0o600); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(root, "work")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(work, 0o755))
	must(os.Symlink(secret, filepath.Join(work, "link")))
	must(os.Symlink(outside, filepath.Join(work, "dirlink")))
	must(os.Symlink("../..", filepath.Join(work, "up")))
	must(syscall.Mkfifo(filepath.Join(work, "fifo"), 0o644))
	must(os.Mkdir(filepath.Join(work, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(work, "sub", "ok"), []byte("fine"), 0o644))
	fd, err := unix.Open(work, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	must(err)
	defer unix.Close(fd)

	reads := []struct {
		name string
		ok   bool
	}{
		{"sub/ok", true},
		{"link", false},
		{"dirlink/secret", false},
		{"up/" + filepath.Base(root) + "/work/sub/ok", false},
		{"fifo", false},
		{"sub", false},
		{"../work/sub/ok", false},
		{"/etc/passwd", false},
		{"missing", false},
	}
	for _, r := range reads {
		b, err := readFileAt(fd, r.name, 100)
		if (err == nil) != r.ok {
			t.Errorf("readFileAt(%q) = %q, %v", r.name, b, err)
		}
	}
	if _, err := readFileAt(fd, "link", 100); !errors.Is(err, ErrNotRegular) {
		t.Errorf("symlink read: %v, want ErrNotRegular", err)
	}

	for _, w := range []string{"dirlink/secret", "dirlink/new", "up/x", "../x", "sub/../../x"} {
		if err := writeFileAt(fd, w, []byte("owned"), 0o644, -1); err == nil {
			t.Errorf("writeFileAt(%q) succeeded", w)
		}
	}
	// Replacing a link or a fifo replaces it, never writes through it.
	for _, w := range []string{"link", "fifo"} {
		must(writeFileAt(fd, w, []byte("new"), 0o640, -1))
		st, err := os.Lstat(filepath.Join(work, w))
		must(err)
		if !st.Mode().IsRegular() || st.Mode().Perm() != 0o640 {
			t.Errorf("%s after write: %v", w, st.Mode())
		}
	}
	must(writeFileAt(fd, "deep/er/file", []byte("x"), 0o644, -1))
	if b, err := os.ReadFile(secret); err != nil || string(b) != "host" {
		t.Fatalf("host file changed: %q %v", b, err)
	}

	// Removal unlinks links and never descends through them.
	must(removeTree(work))
	if _, err := os.Stat(work); !os.IsNotExist(err) {
		t.Fatalf("work dir left: %v", err)
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "host" {
		t.Fatalf("removal followed a link: %q %v", b, err)
	}
}

// TestFilesSnapshot: Box.Files reads every regular file of a tree in path
// order with its mode, and refuses a tree holding a link, a fifo or more
// bytes than asked, without following anything.
func TestFilesSnapshot(t *testing.T) {
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	work := t.TempDir()
	must(os.WriteFile(filepath.Join(work, "main"), []byte("binary"), 0o755))
	must(os.Mkdir(filepath.Join(work, "pkg"), 0o755))
	must(os.WriteFile(filepath.Join(work, "pkg", "A.class"), []byte("cafebabe"), 0o644))
	must(os.WriteFile(filepath.Join(work, "main.c"), []byte("src"), 0o600))
	must(os.Chmod(filepath.Join(work, "main.c"), 0o4644)) // setuid bit: never kept
	snap := func() ([]File, error) {
		fd, err := unix.Open(work, unix.O_RDONLY|unix.O_DIRECTORY, 0)
		must(err)
		defer unix.Close(fd)
		return filesAt(fd, 1<<20)
	}
	files, err := snap()
	must(err)
	want := []File{{"main", 0o755, []byte("binary")}, {"main.c", 0o644, []byte("src")}, {"pkg/A.class", 0o644, []byte("cafebabe")}}
	if len(files) != len(want) {
		t.Fatalf("files %v", files)
	}
	for i, f := range files {
		if f.Name != want[i].Name || f.Mode != want[i].Mode || string(f.Data) != string(want[i].Data) {
			t.Errorf("file %d: %s %o %q; want %s %o %q", i, f.Name, f.Mode, f.Data, want[i].Name, want[i].Mode, want[i].Data)
		}
	}
	fd, err := unix.Open(work, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	must(err)
	if _, err := filesAt(fd, 16); !errors.Is(err, ErrTooLarge) {
		t.Errorf("16-byte limit: %v", err)
	}
	unix.Close(fd)

	secret := filepath.Join(t.TempDir(), "secret")
	must(os.WriteFile(secret, []byte("host"), 0o600))
	for name, plant := range map[string]func(string) error{
		"symlink":     func(p string) error { return os.Symlink(secret, p) },
		"dir symlink": func(p string) error { return os.Symlink(filepath.Dir(secret), p) },
		"fifo":        func(p string) error { return syscall.Mkfifo(p, 0o644) },
	} {
		p := filepath.Join(work, "pkg", "planted")
		must(plant(p))
		if files, err := snap(); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: %v, %d files", name, err, len(files))
		}
		must(os.Remove(p))
	}
}
