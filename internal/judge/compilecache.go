package judge

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// CompileCache keeps what compilers produced, so that the same program is
// compiled once per worker: a Run on the samples then the Submit of the
// same code, rematches, bots and validators. An entry is keyed by the
// language, its toolchain (version and resolved tools), the exact compile
// command lines and environment (flags included) and every file of the
// program (names and contents, the entry file); it holds every regular
// file of the work dir after a successful compile (sources and outputs).
//
// Entries live on the host, in a directory of their own outside every box
// (mode 0700), one file each, and are copied into a new box's work dir,
// which programs cannot write. Each entry ends with the SHA-256 of
// everything before it and names its key inside; the index in memory keeps
// that digest too, and both are checked before every use, so a truncated,
// corrupted or swapped entry is discarded (and the program compiled again),
// never run. The cache is bounded by size (least recently used entries go
// first); concurrent compiles of one key compile once, the others wait for
// it. Only successes are kept: a compile error can come from the machine's
// load (a compile time limit), so it is never replayed.
//
// Nothing passes from one submission to another through the cache that
// the second one's own compile would not have produced: the key covers
// everything the compile step reads besides the toolchain, and the
// snapshot is taken right after the compile, before any test runs (and
// programs cannot write the work dir anyway).
type CompileCache struct {
	dir      string
	maxBytes int64
	log      *slog.Logger

	mu       sync.Mutex
	entries  map[string]*list.Element // key hex → element of lru (*cacheEntry)
	lru      list.List                // front = most recently used
	bytes    int64
	inflight map[string]chan struct{}
	stats    CacheStats
}

type cacheEntry struct {
	key    string
	size   int64
	digest [sha256.Size]byte
}

// CacheStats counts what the cache did since it was opened.
type CacheStats struct {
	Hits      int64 // programs taken from the cache
	Misses    int64 // programs compiled (the key was not there)
	Stores    int64 // entries written
	Corrupt   int64 // entries discarded because their bytes or digest were wrong
	Evictions int64 // entries dropped to stay under the size bound
	Entries   int   // entries now
	Bytes     int64 // their size now
}

const (
	cacheMagic  = "segfault-compile-cache-1\n"
	cacheSuffix = ".entry"
	// maxEntryFraction: one entry holds at most this fraction of the cache.
	maxEntryFraction = 4
)

// OpenCompileCache opens (creating it) the cache directory dir, bounded to
// maxBytes. Entries a previous process left are indexed when they verify
// (oldest modification first in the LRU order) and removed otherwise.
func OpenCompileCache(dir string, maxBytes int64, log *slog.Logger) (*CompileCache, error) {
	if maxBytes <= 0 {
		return nil, errors.New("compile cache: the size bound must be positive")
	}
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("compile cache: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("compile cache: %w", err)
	}
	c := &CompileCache{dir: dir, maxBytes: maxBytes, log: log, entries: map[string]*list.Element{}, inflight: map[string]chan struct{}{}}
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("compile cache: %w", err)
	}
	type found struct {
		e     *cacheEntry
		mtime time.Time
	}
	var all []found
	for _, de := range des {
		name := de.Name()
		key, ok := strings.CutSuffix(name, cacheSuffix)
		if !ok || !de.Type().IsRegular() || len(key) != 2*sha256.Size {
			os.Remove(filepath.Join(dir, name)) // temporary files of a killed process
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if _, err := decodeEntry(data, key); err != nil {
			c.stats.Corrupt++
			log.Warn("compile cache: discarding a bad entry", "key", key, "err", err)
			os.Remove(filepath.Join(dir, name))
			continue
		}
		info, _ := de.Info()
		all = append(all, found{&cacheEntry{key: key, size: int64(len(data)), digest: sha256.Sum256(data)}, info.ModTime()})
	}
	// Oldest first to the front, then each later one before it.
	slices.SortFunc(all, func(a, b found) int { return a.mtime.Compare(b.mtime) })
	for _, f := range all {
		c.entries[f.e.key] = c.lru.PushFront(f.e)
		c.bytes += f.e.size
	}
	c.mu.Lock()
	c.evictLocked()
	c.mu.Unlock()
	return c, nil
}

// Stats returns the counters and the current size.
func (c *CompileCache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Entries, s.Bytes = c.lru.Len(), c.bytes
	return s
}

// Dir is the cache's directory on the host.
func (c *CompileCache) Dir() string { return c.dir }

// compileKey is the cache key of a program: everything the compile steps
// read besides the toolchain's files, and the toolchain's identity.
func compileKey(lang *Language, vars cmdVars, files map[string][]byte, entry string) string {
	h := sha256.New()
	put := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(cacheMagic)
	put(lang.ID)
	put(lang.Version)
	// Resolved tools and probes (real paths, versions): a toolchain
	// upgraded in place changes them.
	for _, k := range sortedKeys(lang.vars) {
		put(k)
		put(lang.vars[k])
	}
	// The command lines as they run, but with the work dir as a
	// placeholder (bare boxes each have their own).
	kv := vars
	kv.work = "{work}"
	p := &program{lang: lang, vars: kv}
	put(fmt.Sprint(len(lang.Compile)))
	for _, c := range lang.Compile {
		args := lang.expand(c, kv)
		put(fmt.Sprint(len(args)))
		for _, a := range args {
			put(a)
		}
	}
	for _, e := range p.env() {
		put(e)
	}
	put(fmt.Sprint(lang.CompileCPUSeconds))
	put(entry)
	put(vars.src)
	put(vars.class)
	names := sortedKeys(files)
	put(fmt.Sprint(len(names)))
	for _, n := range names {
		put(n)
		put(string(files[n]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// get returns the files of key, or nil when there is no good entry. A bad
// entry is removed.
func (c *CompileCache) get(key string) []sandbox.File {
	c.mu.Lock()
	el, ok := c.entries[key]
	var want [sha256.Size]byte
	if ok {
		c.lru.MoveToFront(el)
		want = el.Value.(*cacheEntry).digest
	}
	c.mu.Unlock()
	if !ok {
		return nil
	}
	data, err := os.ReadFile(c.path(key))
	if err == nil && sha256.Sum256(data) != want {
		err = errors.New("digest differs from the one recorded when it was stored")
	}
	var files []sandbox.File
	if err == nil {
		files, err = decodeEntry(data, key)
	}
	if err != nil {
		c.log.Warn("compile cache: discarding a bad entry", "key", key, "err", err)
		c.mu.Lock()
		c.stats.Corrupt++
		if el, ok := c.entries[key]; ok && el.Value.(*cacheEntry).digest == want {
			c.removeLocked(el)
		}
		c.mu.Unlock()
		return nil
	}
	return files
}

// put stores files under key (best effort: a failure is logged).
func (c *CompileCache) put(key string, files []sandbox.File) {
	data := encodeEntry(key, files)
	if int64(len(data)) > c.maxBytes/maxEntryFraction {
		return
	}
	tmp, err := os.CreateTemp(c.dir, "tmp-*")
	if err == nil {
		_, err = tmp.Write(data)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), c.path(key))
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}
	if err != nil {
		c.log.Warn("compile cache: store failed", "err", err)
		return
	}
	e := &cacheEntry{key: key, size: int64(len(data)), digest: sha256.Sum256(data)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.bytes -= old.Value.(*cacheEntry).size
		c.lru.Remove(old)
	}
	c.entries[key] = c.lru.PushFront(e)
	c.bytes += e.size
	c.stats.Stores++
	c.evictLocked()
}

func (c *CompileCache) evictLocked() {
	for c.bytes > c.maxBytes && c.lru.Len() > 0 {
		c.removeLocked(c.lru.Back())
		c.stats.Evictions++
	}
}

func (c *CompileCache) removeLocked(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.lru.Remove(el)
	delete(c.entries, e.key)
	c.bytes -= e.size
	os.Remove(c.path(e.key))
}

func (c *CompileCache) path(key string) string { return filepath.Join(c.dir, key+cacheSuffix) }

// lookup returns the cached files of key, or, when there are none, a
// release function: the caller compiles and calls release (after storing
// the result, or not) so that callers waiting for the same key go on.
// While another caller compiles key, lookup waits for it (or ctx).
func (c *CompileCache) lookup(ctx context.Context, key string) ([]sandbox.File, func(), error) {
	for {
		if files := c.get(key); files != nil {
			c.mu.Lock()
			c.stats.Hits++
			c.mu.Unlock()
			return files, nil, nil
		}
		c.mu.Lock()
		wait, busy := c.inflight[key]
		if !busy {
			done := make(chan struct{})
			c.inflight[key] = done
			c.stats.Misses++
			c.mu.Unlock()
			return nil, func() {
				c.mu.Lock()
				delete(c.inflight, key)
				c.mu.Unlock()
				close(done)
			}, nil
		}
		c.mu.Unlock()
		select {
		case <-wait:
			// Stored (a hit on the next turn) or not (a compile error, a
			// failure): then this caller compiles it itself.
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// Entry format: magic, key (hex), file count, then per file: name length,
// name, mode, data length, data (big-endian uint32/uint64), and the
// SHA-256 of everything before it.
func encodeEntry(key string, files []sandbox.File) []byte {
	var b bytes.Buffer
	b.WriteString(cacheMagic)
	b.WriteString(key)
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(files))))
	for _, f := range files {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(f.Name))))
		b.WriteString(f.Name)
		b.Write(binary.BigEndian.AppendUint32(nil, f.Mode))
		b.Write(binary.BigEndian.AppendUint64(nil, uint64(len(f.Data))))
		b.Write(f.Data)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

func decodeEntry(data []byte, key string) ([]sandbox.File, error) {
	if len(data) < len(cacheMagic)+len(key)+4+sha256.Size {
		return nil, errors.New("truncated")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errors.New("checksum mismatch")
	}
	if string(body[:len(cacheMagic)]) != cacheMagic {
		return nil, errors.New("not an entry of this format")
	}
	body = body[len(cacheMagic):]
	if string(body[:len(key)]) != key {
		return nil, errors.New("entry of another key")
	}
	body = body[len(key):]
	n := binary.BigEndian.Uint32(body)
	body = body[4:]
	var files []sandbox.File
	for i := uint32(0); i < n; i++ {
		if len(body) < 4 {
			return nil, errors.New("truncated")
		}
		nl := binary.BigEndian.Uint32(body)
		body = body[4:]
		if uint64(len(body)) < uint64(nl)+12 {
			return nil, errors.New("truncated")
		}
		name := string(body[:nl])
		body = body[nl:]
		mode := binary.BigEndian.Uint32(body)
		dl := binary.BigEndian.Uint64(body[4:])
		body = body[12:]
		if uint64(len(body)) < dl {
			return nil, errors.New("truncated")
		}
		if !fs.ValidPath(name) || name == "." {
			return nil, fmt.Errorf("bad file name %q", name)
		}
		files = append(files, sandbox.File{Name: name, Mode: mode & 0o777, Data: body[:dl:dl]})
		body = body[dl:]
	}
	if len(body) != 0 {
		return nil, errors.New("trailing bytes")
	}
	return files, nil
}
