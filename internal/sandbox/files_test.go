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
