package auth

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
	"strconv"
	"time"
)

// Proof of work: the friction that makes mass sign-up cost CPU, with no
// external service (no CAPTCHA provider) and no server state. The server
// hands out a challenge (the difficulty and a time stamp); the client finds
// a nonce such that
//
//	SHA-256("segfault-register\x00" + username + "\x00" + stamp + "\x00" + nonce)
//
// starts with Bits zero bits, and sends stamp and nonce with the sign-up.
// The proof is bound to the (normalised) username, so it creates at most
// one account, and to the stamp, which must be at most PowMaxAge old, so
// proofs cannot be stockpiled. 2^Bits hashes on average: the default 18
// is a fraction of a second in a browser and in Go, and the same for every
// account a script creates.
const (
	powDomain = "segfault-register"
	// PowMaxAge is how long a challenge stays usable.
	PowMaxAge = 10 * time.Minute
	// powSkew tolerates a stamp a little in the future (another node's
	// clock).
	powSkew = time.Minute
	// MaxPowBits bounds the difficulty a server may ask for (2^32 hashes
	// would already be minutes of a browser's time).
	MaxPowBits = 32
)

// Challenge is what a client needs to solve before registering.
type Challenge struct {
	Bits  int    `json:"bits"`  // leading zero bits wanted; 0: no proof needed
	Stamp string `json:"stamp"` // the server's time stamp to hash (Unix seconds)
}

// Proof is a solved challenge.
type Proof struct {
	Stamp string
	Nonce string
}

// RegisterChallenge returns a fresh challenge.
func (s *Service) RegisterChallenge() Challenge {
	return Challenge{Bits: s.opts.ProofOfWorkBits, Stamp: strconv.FormatInt(s.opts.Now().Unix(), 10)}
}

// powHash is the hash a proof is judged by.
func powHash(username, stamp, nonce string) [32]byte {
	return sha256.Sum256([]byte(powDomain + "\x00" + username + "\x00" + stamp + "\x00" + nonce))
}

// leadingZeros counts the leading zero bits of h.
func leadingZeros(h [32]byte) int {
	n := 0
	for i := 0; i < len(h); i += 8 {
		w := binary.BigEndian.Uint64(h[i:])
		n += bits.LeadingZeros64(w)
		if w != 0 {
			break
		}
	}
	return n
}

// checkProof verifies p for the normalised username at now.
func (s *Service) checkProof(username string, p Proof) error {
	want := s.opts.ProofOfWorkBits
	if want <= 0 {
		return nil
	}
	if p.Stamp == "" || p.Nonce == "" {
		return ErrProofRequired
	}
	sec, err := strconv.ParseInt(p.Stamp, 10, 64)
	if err != nil || len(p.Nonce) > 64 {
		return ErrProofInvalid
	}
	at, now := time.Unix(sec, 0), s.opts.Now()
	if at.After(now.Add(powSkew)) || now.Sub(at) > PowMaxAge {
		return ErrProofInvalid.WithMessage("the sign-up challenge expired; start again")
	}
	if leadingZeros(powHash(username, p.Stamp, p.Nonce)) < want {
		return ErrProofInvalid
	}
	return nil
}

// SolveProof finds a proof for username (normalised, as NormalizeUsername
// returns it) and challenge c: what the web client does, for Go clients
// (load tests, tools). It takes 2^Bits hashes on average.
func SolveProof(username string, c Challenge) Proof {
	if c.Bits <= 0 {
		return Proof{}
	}
	for n := uint64(0); ; n++ {
		nonce := strconv.FormatUint(n, 36)
		if leadingZeros(powHash(username, c.Stamp, nonce)) >= c.Bits {
			return Proof{Stamp: c.Stamp, Nonce: nonce}
		}
	}
}
