package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters. They are written into
// every encoded hash, so they can be raised later without invalidating old
// hashes: Verify reads the parameters from the hash, and NeedsRehash tells the
// caller when a stored hash is weaker than the current setting.
type PasswordParams struct {
	Time      uint32 // iterations
	MemoryKiB uint32 // memory per hash, KiB
	Threads   uint8  // lanes
	KeyLen    uint32 // derived key length, bytes
	SaltLen   uint32 // random salt length, bytes
	// MaxConcurrent bounds how many hashes run at once. Each one holds
	// MemoryKiB of RAM, so an unbounded burst of sign-ins could exhaust
	// memory; extra callers wait (respecting their context).
	MaxConcurrent int
}

// DefaultPasswordParams are OWASP's argon2id baseline (19 MiB, t=2, p=1).
// Measured on the 2-core CI machine (go test -bench Hash ./internal/auth):
// 19 MiB/t=2/p=1 takes ~24 ms per hash, while 64 MiB/t=2 takes ~435 ms
// (allocating and faulting in 64 MiB per attempt dominates), which would cap
// a node at a few sign-ins per second. Raise them in configuration on bigger
// machines; old hashes keep verifying and are upgraded at next sign-in.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Time: 2, MemoryKiB: 19 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}
}

// Validate rejects parameters that are unsafe or that argon2 cannot use.
func (p PasswordParams) Validate() error {
	switch {
	case p.Time < 1:
		return errors.New("argon2 time must be at least 1")
	case p.Threads < 1:
		return errors.New("argon2 threads must be at least 1")
	case p.MemoryKiB < 8*uint32(p.Threads):
		return fmt.Errorf("argon2 memory must be at least %d KiB for %d threads", 8*uint32(p.Threads), p.Threads)
	case p.KeyLen < 16:
		return errors.New("argon2 key length must be at least 16 bytes")
	case p.SaltLen < 8:
		return errors.New("argon2 salt length must be at least 8 bytes")
	case p.MaxConcurrent < 0:
		return errors.New("argon2 max concurrent must not be negative")
	}
	return nil
}

// Hasher hashes and verifies passwords with argon2id.
type Hasher struct {
	params PasswordParams
	sem    chan struct{}
	// dummy is a hash of a random password with the current parameters.
	// Verifying unknown users against it makes "no such user" cost the same
	// as "wrong password".
	dummy string
	// kdf is argon2.IDKey; tests count its calls and their parameters,
	// which decide what a sign-in costs, instead of timing sign-ins.
	kdf func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte
}

// NewHasher validates p and returns a Hasher. Zero MaxConcurrent means
// 2×GOMAXPROCS.
func NewHasher(p PasswordParams) (*Hasher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := p.MaxConcurrent
	if n == 0 {
		n = 2 * runtime.GOMAXPROCS(0)
	}
	h := &Hasher{params: p, sem: make(chan struct{}, n), kdf: argon2.IDKey}
	pw := make([]byte, 32)
	rand.Read(pw)
	dummy, err := h.Hash(context.Background(), base64.RawStdEncoding.EncodeToString(pw))
	if err != nil {
		return nil, err
	}
	h.dummy = dummy
	return h, nil
}

// Params returns the parameters new hashes are made with.
func (h *Hasher) Params() PasswordParams { return h.params }

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for password hashing slot: %w", ctx.Err())
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns a PHC-style string:
//
//	$argon2id$v=19$m=65536,t=2,p=2$<salt b64>$<key b64>
//
// (unpadded standard base64, as in the reference implementation).
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	rand.Read(salt) // never returns an error (crypto/rand, Go 1.24+)
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := h.kdf([]byte(password), salt, h.params.Time, h.params.MemoryKiB, h.params.Threads, h.params.KeyLen)
	h.release()
	return encodeHash(h.params, salt, key), nil
}

func encodeHash(p PasswordParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// errMalformedHash is returned for stored hashes this code cannot read.
var errMalformedHash = errors.New("malformed password hash")

// decodeHash parses an encoded hash back into its parameters, salt and key.
func decodeHash(encoded string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errMalformedHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported argon2 version %q", errMalformedHash, parts[2])
	}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return p, nil, nil, errMalformedHash
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, nil, nil, fmt.Errorf("%w: parameter %s: %v", errMalformedHash, k, err)
		}
		switch k {
		case "m":
			p.MemoryKiB = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return p, nil, nil, fmt.Errorf("%w: too many threads", errMalformedHash)
			}
			p.Threads = uint8(n)
		default:
			return p, nil, nil, fmt.Errorf("%w: unknown parameter %q", errMalformedHash, k)
		}
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt: %v", errMalformedHash, err)
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, fmt.Errorf("%w: key: %v", errMalformedHash, err)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.Validate(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %v", errMalformedHash, err)
	}
	// A hash claiming absurd cost would let whoever wrote the row stall the
	// server; refuse anything far beyond what we would ever configure.
	if p.MemoryKiB > 4*1024*1024 || p.Time > 100 {
		return p, nil, nil, fmt.Errorf("%w: cost out of range", errMalformedHash)
	}
	return p, salt, key, nil
}

// Verify reports whether password matches encoded. An empty or unreadable
// encoded hash (an OAuth-only account, a corrupt row) is checked against the
// dummy hash so that it costs the same and then reports false; only a
// context error is returned as an error.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	usable := err == nil
	if !usable {
		p, salt, key, _ = decodeHash(h.dummy)
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	got := h.kdf([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(key)))
	h.release()
	return usable && subtle.ConstantTimeCompare(got, key) == 1, nil
}

// VerifyDummy burns the same time as a real Verify and always fails. It is
// used when the user does not exist.
func (h *Hasher) VerifyDummy(ctx context.Context, password string) error {
	_, err := h.Verify(ctx, password, h.dummy)
	return err
}

// NeedsRehash reports whether encoded was made with weaker (or different)
// parameters than the current ones, so the caller can upgrade it after a
// successful sign-in.
func (h *Hasher) NeedsRehash(encoded string) bool {
	p, _, _, err := decodeHash(encoded)
	if err != nil {
		return false // nothing to upgrade from; Verify failed anyway
	}
	c := h.params
	return p.Time != c.Time || p.MemoryKiB != c.MemoryKiB || p.Threads != c.Threads ||
		p.KeyLen != c.KeyLen || p.SaltLen != c.SaltLen
}
