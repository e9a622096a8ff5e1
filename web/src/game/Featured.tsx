import type { FeaturedProblem } from '../protocol/types'

/** The lobby's problem of the day, as the server chose it (the same for everyone that day). */
export function Featured({ featured, disabled, onPractice }: { featured: FeaturedProblem | null | undefined; disabled: boolean; onPractice: (id: string) => void }) {
  if (!featured) return null
  return (
    <section className="panel p-4" aria-labelledby="featured-title" data-testid="featured" data-problem-id={featured.id}>
      <div className="flex items-center justify-between gap-2">
        <h2 id="featured-title" className="font-semibold text-white">Problem of the day</h2>
        <time className="chip" dateTime={featured.date}>{featured.date}</time>
      </div>
      <p className="mt-2 text-lg font-bold text-slate-100">{featured.title}</p>
      <p className="text-xs text-slate-400">Difficulty {featured.difficulty}</p>
      <button type="button" className="btn-primary mt-3" disabled={disabled} onClick={() => onPractice(featured.id)} data-testid="featured-practice">Practice it</button>
    </section>
  )
}
