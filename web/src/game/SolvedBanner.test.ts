import { describe, expect, it } from 'vitest'
import type { MatchFinished } from '../protocol/types'
import { bannerText } from './SolvedBanner'

const f = (outcome: MatchFinished['outcome'], winner: number | null): MatchFinished => ({ match_id: 'm', mode: 'ranked', rule: 'fastest', outcome, reason: '', winner_id: winner, finished_at: '', ratings: [], xp: [],
  solutions: [{ user_id: 2, username: 'hopper', lang: 'python', verdict: 'AC', passed: 1, total: 1, code: '', chars: 0, measure: null }], coach: [] })

describe('bannerText', () => {
  it('names who solved it', () => {
    expect(bannerText(f('won', 2), null, 1)).toBe('hopper solved it!')
    expect(bannerText(f('won', 1), null, 1)).toBe('You solved it!')
  })
  it('has a line for every other ending', () => {
    expect(bannerText(f('timeout', 2), null, 1)).toBe('Time!')
    expect(bannerText(f('resigned', 1), null, 1)).toBe('Your opponent resigned')
    expect(bannerText(f('draw', null), null, 1)).toBe('Draw!')
    expect(bannerText(f('forfeit', 1), null, 1)).toBe('Your opponent left')
  })
})
