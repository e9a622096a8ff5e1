package protogen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// Files returns every generated file (path relative to root → contents)
// as it should be now.
func Files(root string) (map[string][]byte, error) {
	ts, err := TypeScript()
	if err != nil {
		return nil, err
	}
	doc, err := os.ReadFile(filepath.Join(root, DocFile))
	if err != nil {
		return nil, err
	}
	if doc, err = Doc(doc); err != nil {
		return nil, err
	}
	return map[string][]byte{TSFile: ts, DocFile: doc}, nil
}

// Write brings the generated files under root up to date; it lists those
// it changed.
func Write(root string) ([]string, error) {
	files, err := Files(root)
	if err != nil {
		return nil, err
	}
	var changed []string
	for name, want := range files {
		path := filepath.Join(root, name)
		if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, want) {
			continue
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			return changed, fmt.Errorf("protogen: %w", err)
		}
		changed = append(changed, name)
	}
	return changed, nil
}
