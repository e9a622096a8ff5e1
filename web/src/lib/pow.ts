// The sign-up proof of work (internal/auth/pow.go): find a nonce such that
// SHA-256("segfault-register\0" + username + "\0" + stamp + "\0" + nonce)
// starts with `bits` zero bits. A plain SHA-256 here, because
// crypto.subtle.digest is asynchronous per hash and ten times slower for
// hundreds of thousands of tiny messages.

export interface Challenge {
  algorithm: string
  bits: number
  stamp: string
}

export interface Proof {
  stamp: string
  nonce: string
}

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

const W = new Int32Array(64)
const H = new Int32Array(8)
let block = new Uint8Array(128)

/** SHA-256 of bytes, as eight 32-bit words (reuses its buffers: no garbage per hash). */
export function sha256(bytes: Uint8Array): Uint32Array {
  const n = bytes.length
  const len = Math.ceil((n + 9) / 64) * 64
  if (block.length < len) block = new Uint8Array(len)
  const buf = block
  buf.set(bytes)
  buf.fill(0, n, len)
  buf[n] = 0x80
  const bits = n * 8
  buf[len - 5] = Math.floor(bits / 2 ** 32) & 0xff
  buf[len - 4] = bits >>> 24
  buf[len - 3] = (bits >>> 16) & 0xff
  buf[len - 2] = (bits >>> 8) & 0xff
  buf[len - 1] = bits & 0xff
  H[0] = 0x6a09e667; H[1] = 0xbb67ae85 | 0; H[2] = 0x3c6ef372; H[3] = 0xa54ff53a | 0
  H[4] = 0x510e527f; H[5] = 0x9b05688c | 0; H[6] = 0x1f83d9ab; H[7] = 0x5be0cd19
  for (let off = 0; off < len; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4
      W[i] = (buf[j] << 24) | (buf[j + 1] << 16) | (buf[j + 2] << 8) | buf[j + 3]
    }
    for (let i = 16; i < 64; i++) {
      const a = W[i - 15], b = W[i - 2]
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3)
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10)
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0
    }
    let a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], k = H[7]
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0
    }
    H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += k
  }
  return new Uint32Array(H)
}

/** The number of leading zero bits of a hash. */
export function leadingZeros(h: Uint32Array): number {
  let n = 0
  for (const w of h) {
    if (w === 0) { n += 32; continue }
    return n + Math.clz32(w)
  }
  return n
}

/** The server's username normalisation (ASCII lower case). */
export function normalizeUsername(u: string): string {
  return u.replace(/[A-Z]/g, (c) => c.toLowerCase())
}

/**
 * Solves a challenge for username, yielding to the page between batches so
 * the form stays responsive (2^bits hashes on average: well under a second
 * at the default 18).
 */
export async function solve(username: string, c: Challenge, signal?: AbortSignal): Promise<Proof> {
  if (c.bits <= 0) return { stamp: c.stamp, nonce: '' }
  const enc = new TextEncoder()
  const prefix = enc.encode(`segfault-register\0${normalizeUsername(username)}\0${c.stamp}\0`)
  const msg = new Uint8Array(prefix.length + 16)
  msg.set(prefix)
  for (let n = 0; ; n++) {
    const nonce = n.toString(36)
    for (let i = 0; i < nonce.length; i++) msg[prefix.length + i] = nonce.charCodeAt(i)
    if (leadingZeros(sha256(msg.subarray(0, prefix.length + nonce.length))) >= c.bits) return { stamp: c.stamp, nonce }
    if (n % 20000 === 19999) {
      await new Promise((r) => setTimeout(r, 0))
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError')
    }
  }
}
