package coach

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// MaxInputCacheBytes bounds one CachedGenerator directory.
const MaxInputCacheBytes = 512 << 20

var sizeArgRe = regexp.MustCompile(`^[A-Za-z0-9=,]{1,200}$`)

// CachedGenerator keeps generated inputs in dir by size argument and seed:
// every analysis of a problem asks for the same sizes (growth is by
// doubling from a fixed start), and generating a large input costs more
// than running most solutions on it. The cache stops adding files once dir
// holds MaxInputCacheBytes.
func CachedGenerator(gen Generator, dir string) Generator {
	var mu sync.Mutex
	used := int64(-1)
	return func(ctx context.Context, sizes string, seed int) ([]byte, error) {
		if !sizeArgRe.MatchString(sizes) {
			return gen(ctx, sizes, seed)
		}
		path := filepath.Join(dir, fmt.Sprintf("%s-%d.in", sizes, seed))
		if b, err := os.ReadFile(path); err == nil {
			return b, nil
		}
		b, err := gen(ctx, sizes, seed)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		if used < 0 {
			used = 0
			filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					if fi, err := d.Info(); err == nil {
						used += fi.Size()
					}
				}
				return nil
			})
		}
		if used+int64(len(b)) > MaxInputCacheBytes || os.MkdirAll(dir, 0o755) != nil {
			return b, nil
		}
		tmp, err := os.CreateTemp(dir, "gen-*")
		if err != nil {
			return b, nil
		}
		_, werr := tmp.Write(b)
		cerr := tmp.Close()
		if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
			os.Remove(tmp.Name())
			return b, nil
		}
		used += int64(len(b))
		return b, nil
	}
}
