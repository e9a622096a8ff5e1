// Generated avatars: a 5×5 left-right symmetric identicon from a user id,
// the way GitHub's default avatars look. Deterministic and local: no
// external service, no stored image.

/** 32-bit FNV-1a of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

// A small PRNG (mulberry32) seeded by the hash, for more than 32 bits.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Identicon {
  /** 25 cells, row by row; true = filled. Column c equals column 4 − c. */
  cells: boolean[]
  hue: number // 0..359
  /** The fill and the background, as CSS colours. */
  fg: string
  bg: string
}

/** The identicon of a user id (or any stable key). Never empty, never full. */
export function identicon(key: number | string): Identicon {
  const rnd = mulberry32(fnv1a(`segfault:${key}`))
  const hue = Math.floor(rnd() * 360)
  const half: boolean[] = []
  for (let i = 0; i < 15; i++) half.push(rnd() < 0.5)
  // An empty or full pattern says nothing: force a recognisable shape.
  const n = half.filter(Boolean).length
  if (n < 4) half[7] = half[2] = half[12] = true
  if (n > 12) half[6] = half[8] = false
  const cells: boolean[] = []
  for (let r = 0; r < 5; r++) {
    for (let c = 0; c < 5; c++) {
      const col = c < 3 ? c : 4 - c
      cells.push(half[r * 3 + col])
    }
  }
  const sat = 55 + Math.floor(rnd() * 25)
  return { cells, hue, fg: `hsl(${hue} ${sat}% 62%)`, bg: `hsl(${hue} 30% 14%)` }
}
