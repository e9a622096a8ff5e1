import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { leadingZeros, sha256, solve } from './pow'

const hex = (h: Uint32Array) => Array.from(h, (w) => w.toString(16).padStart(8, '0')).join('')

describe('proof of work', () => {
  it('hashes like SHA-256 at every length around the block edges', () => {
    for (const n of [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 200]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff)
      expect(hex(sha256(bytes))).toBe(createHash('sha256').update(bytes).digest('hex'))
    }
  })

  it('finds the nonce the Go solver finds (the server checks the same hash)', async () => {
    // auth.SolveProof("ada_l", Challenge{Bits: 12, Stamp: "1700000000"}) = {1700000000 nn}
    const p = await solve('Ada_L', { algorithm: 'sha256', bits: 12, stamp: '1700000000' })
    expect(p).toEqual({ stamp: '1700000000', nonce: 'nn' })
    const h = createHash('sha256').update(`segfault-register\0ada_l\0${p.stamp}\0${p.nonce}`).digest()
    expect(leadingZeros(new Uint32Array([h.readUInt32BE(0), h.readUInt32BE(4)]))).toBeGreaterThanOrEqual(12)
  })

  it('needs no work when the server asks for none', async () => {
    expect(await solve('ada', { algorithm: 'sha256', bits: 0, stamp: '1' })).toEqual({ stamp: '1', nonce: '' })
  })
})
