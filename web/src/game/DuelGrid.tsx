import { useStore } from '../lib/store'
import { VERDICT_TEXT, type MatchState } from '../protocol/types'
import { Avatar } from './Avatar'
import { duelStore, emptyDuel, laneCells, type Lane } from './duel'
import { TierBadge } from './TierBadge'

const cellClass = {
  pass: 'bg-emerald-400',
  fail: 'bg-rose-500',
  judged: 'bg-neon/70 gf-judged',
  pending: 'bg-ink-700',
} as const

function status(l: Lane): string {
  if (l.phase === 'compiling') return 'compiling…'
  if (l.phase === 'running') return `judging ${l.judged}/${l.total}`
  if (l.phase === 'done' && l.verdict) return l.verdict === 'AC' ? 'Accepted' : `${VERDICT_TEXT[l.verdict] ?? l.verdict} · ${l.passed}/${l.total}`
  if (l.typing) return 'typing…'
  return 'no submission yet'
}

/** Every player's judging lane as a grid of tests, filling live as verdicts stream in. */
export function DuelGrid({ match }: { match: MatchState }) {
  const duel = useStore(duelStore, (d) => (d.match_id === match.match_id ? d : emptyDuel))
  return (
    <section className="panel grid gap-2 px-3 py-2 sm:grid-cols-2" aria-label="Live judging" data-testid="duel-grid">
      {match.players.slice(0, 8).map((p) => {
        const l = duel.lanes[p.user_id] ?? { submission_id: null, phase: 'idle', judged: 0, total: p.tests_total ?? 0, passed: p.tests_passed ?? 0, failed: null, verdict: null, typing: !!p.typing }
        const cells = laneCells(l)
        const text = status(l)
        return (
          <div key={p.user_id} className="min-w-0" data-testid="lane" data-user={p.username} data-phase={l.phase} data-judged={l.judged} data-passed={l.passed} data-verdict={l.verdict ?? ''}>
            <div className="flex items-center gap-2 text-xs">
              <Avatar id={p.user_id} size={16} />
              <span className="truncate font-semibold text-slate-100">{p.username}{p.user_id === match.you ? ' (you)' : ''}</span>
              <TierBadge rating={p.rating} rd={p.rd} size={14} />
              <span className={`ml-auto shrink-0 ${l.phase === 'running' || l.phase === 'compiling' ? 'text-neon' : l.verdict === 'AC' ? 'text-emerald-300' : l.verdict ? 'text-rose-300' : 'text-slate-400'}`}
                data-testid="lane-status" aria-live="polite">
                {l.typing && l.phase !== 'running' && l.phase !== 'compiling' ? <span className="gf-typing mr-1" aria-hidden="true"><i /><i /><i /></span> : null}
                {text}
              </span>
            </div>
            {cells.length > 0 ? (
              <ol className="mt-1 flex flex-wrap gap-[3px]" aria-label={`${p.username}: tests`}>
                {cells.map((c, i) => (
                  <li key={i} className={`h-2.5 w-2.5 rounded-[2px] ${cellClass[c]}`} data-cell={c} title={`Test ${i + 1}: ${c}`}>
                    <span className="sr-only">Test {i + 1}: {c}</span>
                  </li>
                ))}
              </ol>
            ) : null}
          </div>
        )
      })}
    </section>
  )
}
