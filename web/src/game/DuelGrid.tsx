import { usePlayerProgress, type ProgressView } from '../protocol/progress'
import type { MatchState, Player } from '../protocol/types'
import { Avatar } from './Avatar'
import { TierBadge } from './TierBadge'

const cellClass = {
  pass: 'bg-emerald-400',
  fail: 'bg-rose-500',
  judged: 'bg-neon/70 gf-judged',
  pending: 'bg-ink-700',
} as const

function statusClass(v: ProgressView): string {
  if (v.phase === 'running' || v.phase === 'compiling' || v.phase === 'waiting') return 'text-neon'
  if (v.verdict === 'AC') return 'text-emerald-300'
  if (v.verdict) return 'text-rose-300'
  return 'text-slate-400'
}

/** One player's lane: the shared progress view (protocol/progress.ts) as a grid of tests. */
function Lane({ p, you }: { p: Player; you: boolean }) {
  const v = usePlayerProgress(p.user_id)
  if (!v) return null
  const judging = v.phase === 'running' || v.phase === 'compiling' || v.phase === 'waiting'
  return (
    <div className="min-w-0" data-testid="lane" data-user={p.username} data-phase={v.phase} data-judged={v.judged} data-passed={v.passed} data-verdict={v.verdict ?? ''}>
      <div className="flex items-center gap-2 text-xs">
        <Avatar id={p.user_id} size={16} />
        <span className="truncate font-semibold text-slate-100">{p.username}{you ? ' (you)' : ''}</span>
        <TierBadge rating={p.rating} rd={p.rd} size={14} />
        {v.running && !judging ? <span className="ml-auto shrink-0 text-amber-300" data-testid="lane-running">▶ samples</span> : null}
        <span className={`${v.running && !judging ? '' : 'ml-auto '}shrink-0 ${statusClass(v)}`} data-testid="lane-status" aria-live="polite">
          {v.typing && !judging ? <span className="gf-typing mr-1" aria-hidden="true"><i /><i /><i /></span> : null}
          {v.status}
        </span>
      </div>
      {v.cells.length > 0 ? (
        <ol className="mt-1 flex flex-wrap gap-[3px]" aria-label={`${p.username}: tests`}>
          {v.cells.map((c, i) => (
            <li key={i} className={`h-2.5 w-2.5 rounded-[2px] ${cellClass[c]}`} data-cell={c} title={`Test ${i + 1}: ${c}`}>
              <span className="sr-only">Test {i + 1}: {c}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  )
}

/** Every player's judging lane as a grid of tests, filling live as tests are judged. */
export function DuelGrid({ match }: { match: MatchState }) {
  return (
    <section className="panel grid gap-2 px-3 py-2 sm:grid-cols-2" aria-label="Live judging" data-testid="duel-grid">
      {match.players.slice(0, 8).map((p) => <Lane key={p.user_id} p={p} you={p.user_id === match.you} />)}
    </section>
  )
}
