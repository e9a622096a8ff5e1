import { describe, expect, it } from 'vitest'
import { renderStatement } from './Markdown'

describe('renderStatement', () => {
  it('typesets inline and display math with KaTeX, leaving Markdown alone inside formulas', () => {
    const html = renderStatement('Let $a_1, a_2$ be *given*.\n\n$$\\sum_{i=1}^n a_i$$\n')
    expect(html).toContain('class="katex"')
    expect(html).toContain('katex-display')
    expect(html).toContain('<em>given</em>')
    // The underscores of a_1 did not become emphasis.
    expect(html).not.toContain('<em>1, a</em>')
  })

  it('keeps dollars in code and escaped dollars as text', () => {
    const html = renderStatement('Run `echo $HOME $PATH` and pay \\$5.')
    expect(html).toContain('<code>echo $HOME $PATH</code>')
    expect(html).toContain('pay $5.')
    expect(html).not.toContain('katex')
  })

  it('escapes raw HTML instead of rendering it', () => {
    const html = renderStatement('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">')
    expect(html).not.toMatch(/<script>/i)
    expect(html).not.toMatch(/<img[^>]*onerror/i)
    expect(html).toContain('&lt;script&gt;')
  })

  it('points relative images at the problem assets', () => {
    const html = renderStatement('![figure](fig1.png) ![abs](https://example.org/x.png)', '/api/v1/problems/p/assets')
    expect(html).toContain('src="/api/v1/problems/p/assets/fig1.png"')
    expect(html).toContain('src="https://example.org/x.png"')
  })

  it('a broken formula does not break the statement', () => {
    const html = renderStatement('before $\\frac{1}{$ after')
    expect(html).toContain('before')
    expect(html).toContain('after')
  })
})
