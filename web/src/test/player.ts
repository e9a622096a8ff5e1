import type { Player } from '../protocol/types'

/** A match player as the server sends one, with the given fields. */
export const player = (over: Partial<Player> & Pick<Player, 'user_id' | 'username'>): Player => ({
  rating: 1500, rd: 350, level: 1, connected: true, grace_deadline: null, accepted: true, tests_passed: 0, tests_total: 0,
  last_verdict: null, submissions: 0, typing: false, running_samples: false, finished: false, win_streak: 0, ...over,
})
