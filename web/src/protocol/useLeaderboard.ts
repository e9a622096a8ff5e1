import { useEffect, useState } from 'react'
import { api, type LeaderboardPage } from '../lib/api'
import { arenaClient, useArena } from './arena'
import type { Board, LeaderboardEntry } from './types'

export interface LeaderboardView {
  entries: LeaderboardEntry[]
  total: number
  offset: number
  me?: LeaderboardEntry
  changed: number[]
  live: boolean
  error: string | null
  loading: boolean
}

// The REST page first (fast, works without the socket), then the live
// subscription replaces it and keeps it current.
export function useLeaderboard(board: Board, offset: number, limit: number, around?: 'me'): LeaderboardView {
  const [rest, setRest] = useState<LeaderboardPage | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const conn = useArena((a) => a.conn)
  const live = useArena((a) => a.leaderboard)

  useEffect(() => {
    let stale = false
    setLoading(true)
    api.leaderboard(board, { offset: around ? undefined : offset, limit, around }).then(
      (p) => !stale && (setRest(p), setError(null), setLoading(false)),
      (e) => !stale && (setError(e.code ?? 'network'), setLoading(false)),
    )
    return () => {
      stale = true
    }
  }, [board, offset, limit, around])

  useEffect(() => {
    const c = arenaClient()
    if (!c || conn !== 'open') return
    const sub = around ? { board, limit, around } : { board, offset, limit }
    c.subscriptions.leaderboard = sub
    c.request('leaderboard.subscribe', sub).catch(() => undefined)
    return () => {
      if (c.subscriptions.leaderboard === sub) delete c.subscriptions.leaderboard
      c.send('leaderboard.unsubscribe', {})
    }
  }, [board, offset, limit, around, conn])

  const liveOk = live && live.board === board && live.limit === limit && (around || live.offset === offset)
  if (liveOk) {
    return { entries: live.entries, total: live.total, offset: live.offset, me: rest?.me, changed: live.changed ?? [], live: true, error: null, loading: false }
  }
  return { entries: rest?.entries ?? [], total: rest?.total ?? 0, offset: rest?.offset ?? offset, me: rest?.me, changed: [], live: false, error, loading }
}
