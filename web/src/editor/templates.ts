import type { Lang } from '../protocol/types'

// Drafts: the player's code per match, kept in localStorage so a reload
// never loses it. Starter templates come from the server's language table
// (lib/languages.ts, GET /api/v1/languages).

const DRAFT_PREFIX = 'sf:draft:'

export interface Draft {
  lang: Lang
  code: string
  at: number
}

export function loadDraft(matchId: string): Draft | null {
  try {
    const raw = localStorage.getItem(DRAFT_PREFIX + matchId)
    if (!raw) return null
    const d = JSON.parse(raw)
    return typeof d?.code === 'string' && typeof d?.lang === 'string' ? d : null
  } catch {
    return null
  }
}

export function saveDraft(matchId: string, d: Draft): void {
  try {
    localStorage.setItem(DRAFT_PREFIX + matchId, JSON.stringify(d))
    // Keep only the 10 newest drafts.
    const keys = Object.keys(localStorage).filter((k) => k.startsWith(DRAFT_PREFIX))
    if (keys.length > 10) {
      keys
        .map((k) => ({ k, at: (() => { try { return JSON.parse(localStorage.getItem(k)!).at ?? 0 } catch { return 0 } })() }))
        .sort((a, b) => a.at - b.at)
        .slice(0, keys.length - 10)
        .forEach(({ k }) => localStorage.removeItem(k))
    }
  } catch {
    // storage full or disabled: the server's my_code is the fallback
  }
}
