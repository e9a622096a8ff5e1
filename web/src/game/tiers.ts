// Rating tiers. The bands are the server's (internal/arena/rating Tiers,
// generated into TIERS): this file only looks a rating up in them.

import { PROVISIONAL_RD, TIERS, type TierId } from '../protocol/generated'

export type { TierId }
export type Tier = (typeof TIERS)[number]

/** The tier of a rating: the highest band whose min it reaches. */
export function tierOf(rating: number): Tier {
  let t: Tier = TIERS[0]
  if (!Number.isFinite(rating)) return t
  for (const x of TIERS) if (rating >= x.min) t = x
  return t
}

/** The tier after `rating`, and how many points are left to reach it (null at the top). */
export function nextTier(rating: number): { tier: Tier; needed: number } | null {
  const i = TIERS.indexOf(tierOf(rating))
  const next = TIERS[i + 1]
  return next ? { tier: next, needed: Math.ceil(next.min - rating) } : null
}

/**
 * Whether a rating is provisional: the server's flag when it sent one,
 * otherwise its rule (RD above PROVISIONAL_RD). Unknown RD is not provisional.
 */
export function isProvisional(p: { rd?: number | null; provisional?: boolean | null }): boolean {
  if (typeof p.provisional === 'boolean') return p.provisional
  return typeof p.rd === 'number' && p.rd > PROVISIONAL_RD
}

/** Badge colours per tier: [light, dark, ink on top]. */
export const TIER_COLORS: Record<TierId, readonly [string, string, string]> = {
  bronze: ['#e8a06a', '#8a4b22', '#2a1407'],
  silver: ['#e5e9f0', '#7b8496', '#1b1f29'],
  gold: ['#fde68a', '#c08a0c', '#2b1d02'],
  platinum: ['#a7f3d0', '#1d8f86', '#052a27'],
  diamond: ['#bae6fd', '#3b6fd8', '#0a1a3d'],
  master: ['#f0abfc', '#9333ea', '#250a3d'],
  grandmaster: ['#fecdd3', '#e11d48', '#3b0611'],
}

/** Where a rating change crosses a band: 'up', 'down' or null. */
export function tierChange(before: number, after: number): 'up' | 'down' | null {
  const a = TIERS.indexOf(tierOf(before))
  const b = TIERS.indexOf(tierOf(after))
  return b > a ? 'up' : b < a ? 'down' : null
}
