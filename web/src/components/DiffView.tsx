// Line diff of expected vs actual output, as judges compare them: trailing
// whitespace on a line and trailing blank lines do not matter.

export type DiffRow = { kind: 'same' | 'changed' | 'missing' | 'extra'; line: number; expected: string | null; actual: string | null }

export function normalizeLines(s: string): string[] {
  const lines = s.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/[ \t]+$/, ''))
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

export function diffLines(expected: string, actual: string): DiffRow[] {
  const e = normalizeLines(expected)
  const a = normalizeLines(actual)
  const rows: DiffRow[] = []
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    const ex = i < e.length ? e[i] : null
    const ac = i < a.length ? a[i] : null
    const kind = ex === null ? 'extra' : ac === null ? 'missing' : ex === ac ? 'same' : 'changed'
    rows.push({ kind, line: i + 1, expected: ex, actual: ac })
  }
  return rows
}

export function outputsMatch(expected: string, actual: string): boolean {
  return diffLines(expected, actual).every((r) => r.kind === 'same')
}

const rowStyle: Record<DiffRow['kind'], string> = {
  same: 'text-slate-400',
  changed: 'bg-rose-500/10 text-rose-200',
  missing: 'bg-amber-500/10 text-amber-200',
  extra: 'bg-fuchsia-500/10 text-fuchsia-200',
}
const rowLabel: Record<DiffRow['kind'], string> = { same: 'same', changed: 'differs', missing: 'missing in your output', extra: 'extra in your output' }

export function DiffView({ expected, actual, maxRows = 200 }: { expected: string; actual: string; maxRows?: number }) {
  const rows = diffLines(expected, actual)
  const bad = rows.filter((r) => r.kind !== 'same').length
  const shown = rows.slice(0, maxRows)
  return (
    <div className="overflow-hidden rounded-lg border border-white/10">
      <p className="border-b border-white/10 bg-ink-850 px-3 py-1.5 text-xs text-slate-400" data-testid="diff-summary">
        {bad === 0 ? 'Output matches the expected output.' : `${bad} line${bad === 1 ? '' : 's'} differ${bad === 1 ? 's' : ''} from the expected output.`}
      </p>
      <table className="w-full table-fixed font-mono text-xs" aria-label="Expected and actual output, line by line">
        <thead className="bg-ink-850 text-left text-slate-500">
          <tr>
            <th scope="col" className="w-10 px-2 py-1 font-normal">#</th>
            <th scope="col" className="px-2 py-1 font-normal">Expected</th>
            <th scope="col" className="px-2 py-1 font-normal">Your output</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.line} className={rowStyle[r.kind]} data-kind={r.kind}>
              <td className="px-2 py-0.5 text-slate-600">{r.line}</td>
              <td className="truncate px-2 py-0.5 whitespace-pre">{r.expected ?? <span className="italic opacity-60">(none)</span>}</td>
              <td className="truncate px-2 py-0.5 whitespace-pre">
                {r.actual ?? <span className="italic opacity-60">(none)</span>}
                {r.kind !== 'same' ? <span className="sr-only"> ({rowLabel[r.kind]})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > maxRows ? <p className="px-3 py-1 text-xs text-slate-500">…{rows.length - maxRows} more lines</p> : null}
    </div>
  )
}
