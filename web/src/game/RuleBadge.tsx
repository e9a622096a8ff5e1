// The scoring rule of a match (issue 21's modes): a badge and the words
// the lobby, the room and the result screen use for it.
import type { Rule } from '../protocol/types'

export const RULES: Record<Rule, { label: string; blurb: string }> = {
  fastest: { label: 'Fastest', blurb: 'First accepted solution wins.' },
  shortest: { label: 'Shortest', blurb: 'Fewest characters (spaces free) among accepted solutions wins. Your accepted submission is final.' },
  reverse: { label: 'Reverse', blurb: 'No statement: work out the task from the sample tests. First accepted wins.' },
  bigo: { label: 'Big-O duel', blurb: 'Accepted is not enough: the coach must measure your solution at or below the intended complexity.' },
}

/** The rules a free-for-all may be queued with (bigo is a room's duel). */
export const FFA_RULES: Rule[] = ['fastest', 'shortest', 'reverse']
export const ROOM_RULES: Rule[] = ['fastest', 'shortest', 'reverse', 'bigo']

const tone: Record<Rule, string> = {
  fastest: 'border-white/10 text-slate-300',
  shortest: 'border-emerald-400/40 text-emerald-200',
  reverse: 'border-amber-400/40 text-amber-200',
  bigo: 'border-fuchsia-400/40 text-fuchsia-200',
}

export function RuleBadge({ rule, always = false }: { rule: Rule | null | undefined; always?: boolean }) {
  const r = rule ?? 'fastest'
  if (r === 'fastest' && !always) return null
  return (
    <span className={`chip border ${tone[r]}`} data-testid="rule-badge" data-rule={r} title={RULES[r].blurb}>{RULES[r].label}</span>
  )
}

/** Non-whitespace characters, as the server counts them for a shortest match (Go's unicode.IsSpace). */
export function countChars(code: string): number {
  let n = 0
  for (const c of code) if (!/[\s\u0085]/u.test(c) || c === '\ufeff') n++
  return n
}
