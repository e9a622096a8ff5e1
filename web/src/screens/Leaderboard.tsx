import { useState } from 'react'
import { LeaderboardTable } from '../components/LeaderboardTable'
import { useSession } from '../lib/session'
import { useLeaderboard } from '../protocol/useLeaderboard'
import type { Board } from '../protocol/types'
import { Podium } from '../game/Podium'

const PAGE = 25

export function Leaderboard() {
  const s = useSession()
  const meId = s.status === 'signed-in' ? s.me.id : undefined
  const [board, setBoard] = useState<Board>('rating')
  const [offset, setOffset] = useState(0)
  const [aroundMe, setAroundMe] = useState(false)
  const lb = useLeaderboard(board, offset, PAGE, aroundMe ? 'me' : undefined)
  const page = Math.floor(lb.offset / PAGE) + 1
  const pages = Math.max(1, Math.ceil(lb.total / PAGE))

  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-black text-white">Leaderboard</h1>
          <p className="mt-1 text-sm text-slate-400">{lb.live ? 'Live: ranks move as matches end.' : 'Updated when you load the page.'} {lb.total ? `${lb.total} players.` : ''}</p>
        </div>
        <div className="flex gap-2" role="group" aria-label="Board">
          {(['rating', 'weekly_xp'] as Board[]).map((b) => (
            <button key={b} type="button" aria-pressed={board === b} onClick={() => { setBoard(b); setOffset(0) }}
              className={board === b ? 'btn-primary' : 'btn-secondary'}>{b === 'rating' ? 'Rating' : 'Weekly XP'}</button>
          ))}
          <button type="button" aria-pressed={aroundMe} className={aroundMe ? 'btn-primary' : 'btn-secondary'} onClick={() => setAroundMe((x) => !x)}>Around me</button>
        </div>
      </div>
      {board === 'rating' && !aroundMe && lb.offset === 0 ? <Podium entries={lb.entries} /> : null}
      <section className="panel overflow-hidden">
        {lb.entries.length > 0 ? (
          <LeaderboardTable entries={lb.entries} changed={lb.changed} meId={meId} showXp={board === 'weekly_xp'} />
        ) : (
          <p className="p-6 text-sm text-slate-500">{lb.loading ? 'Loading…' : lb.error ? 'The leaderboard is not available yet.' : 'No players on this board yet.'}</p>
        )}
      </section>
      {lb.me && !aroundMe ? <p className="mt-3 text-sm text-slate-400">You are #{lb.me.rank} with {Math.round(lb.me.rating)}.</p> : null}
      {!aroundMe ? (
        <nav className="mt-4 flex items-center justify-center gap-3" aria-label="Pages">
          <button type="button" className="btn-secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
          <span className="text-sm text-slate-400">Page {page} of {pages}</span>
          <button type="button" className="btn-secondary" disabled={offset + PAGE >= lb.total} onClick={() => setOffset(offset + PAGE)}>Next</button>
        </nav>
      ) : null}
    </div>
  )
}
