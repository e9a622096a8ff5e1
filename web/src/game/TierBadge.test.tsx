import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Avatar } from './Avatar'
import { PlayerTag } from './PlayerTag'
import { TierBadge } from './TierBadge'

describe('TierBadge', () => {
  it('names the tier for screen readers', () => {
    render(<TierBadge rating={1850} rd={60} />)
    const b = screen.getByRole('img', { name: 'Diamond tier' })
    expect(b.getAttribute('data-tier')).toBe('diamond')
    expect(b.getAttribute('data-provisional')).toBe('false')
  })
  it('marks a provisional rating', () => {
    render(<TierBadge rating={1500} rd={350} />)
    const b = screen.getByRole('img', { name: 'Gold tier, provisional' })
    expect(b.getAttribute('data-provisional')).toBe('true')
    expect(b.textContent).toContain('?')
  })
  it('gives each badge its own gradient id', () => {
    const { container } = render(<><TierBadge rating={1300} /><TierBadge rating={1300} /></>)
    const ids = [...container.querySelectorAll('linearGradient')].map((g) => g.id)
    expect(new Set(ids).size).toBe(2)
  })
})

describe('Avatar and PlayerTag', () => {
  it('draws the same identicon for the same id and another for another id', () => {
    const { container } = render(<><Avatar id={5} /><Avatar id={5} /><Avatar id={6} /></>)
    const svgs = [...container.querySelectorAll('svg')].map((s) => s.innerHTML)
    expect(svgs[0]).toBe(svgs[1])
    expect(svgs[0]).not.toBe(svgs[2])
  })
  it('ignores non-https avatar urls', () => {
    const { container } = render(<Avatar id={5} url="javascript:alert(1)" />)
    expect(container.querySelector('img')).toBeNull()
  })
  it('shows avatar, name and badge together', () => {
    render(<PlayerTag id={3} name="ada" rating={2250} rd={40} you />)
    const tag = screen.getByTestId('player-tag')
    expect(tag.textContent).toContain('ada (you)')
    expect(screen.getByRole('img', { name: 'Grandmaster tier' })).toBeTruthy()
  })
})
