package sandbox

import (
	"context"
	"testing"
	"time"
)

func TestBareFiles(t *testing.T) {
	ctx := context.Background()
	box, err := NewBare(t.TempDir()).Open(ctx, BoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	if err := box.WriteFile("a/b.txt", []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := box.ReadFile("a/b.txt", 3)
	if err != nil || string(got) != "hel" {
		t.Fatalf("ReadFile = %q, %v", got, err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "", "a/../../x"} {
		if err := box.WriteFile(bad, nil, 0o644); err == nil {
			t.Errorf("WriteFile(%q) succeeded", bad)
		}
	}
	if _, err := box.Run(ctx, Cmd{Args: []string{"/bin/ln", "-s", "/etc/passwd", "link"}, Limits: Limits{CPUTime: time.Second}}); err != nil {
		t.Fatal(err)
	}
	if _, err := box.ReadFile("link", 100); err == nil {
		t.Fatal("ReadFile followed a symlink")
	}
}
