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

  // Issue 17: `[x](javascript:…)` stayed a live link. Only http, https,
  // mailto and relative links survive, whatever the spelling.
  it('keeps only http, https, mailto and relative links', () => {
    const hostile = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' javascript:alert(1)',
      'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.org/x']
    for (const url of hostile) {
      const html = renderStatement(`[click](${url}) <${url}>`)
      const doc = new DOMParser().parseFromString(html, 'text/html')
      for (const a of doc.querySelectorAll('a')) {
        expect(a.getAttribute('href') ?? '', `link to ${url}`).toMatch(/^(?:https?:|mailto:|[/#?.]|[\w-]+(?:[/?#.]|$))/i)
      }
      expect(html.toLowerCase()).not.toMatch(/href="\s*(?:java|vb)script:|href="data:/)
    }
    for (const [src, href] of [['https://example.org/a', 'https://example.org/a'], ['http://example.org', 'http://example.org'],
      ['mailto:judge@example.org', 'mailto:judge@example.org'], ['/problems/x', '/problems/x'], ['#input', '#input'], ['notes.html', 'notes.html']]) {
      const doc = new DOMParser().parseFromString(renderStatement(`[ok](${src})`), 'text/html')
      expect(doc.querySelector('a')?.getAttribute('href')).toBe(href)
    }
  })

  it('leaves no element with a handler or a script URL, through Markdown or math', () => {
    const html = renderStatement('![x](x.png "t" onerror="alert(1)") ![y](javascript:alert(2)) $\\href{javascript:alert(3)}{x}$ $x^2$')
    const doc = new DOMParser().parseFromString(html, 'text/html')
    for (const el of doc.body.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        expect(attr.name, `<${el.tagName} ${attr.name}>`).not.toMatch(/^on/i)
        expect(attr.value, `<${el.tagName} ${attr.name}>`).not.toMatch(/^\s*javascript:/i)
      }
    }
    expect(doc.querySelector('.katex')).not.toBeNull()
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
