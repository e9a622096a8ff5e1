import katex from 'katex'
import 'katex/dist/katex.min.css'
import { Marked } from 'marked'
import { useMemo } from 'react'

// Problem statements are Markdown with TeX math ($…$ inline, $$…$$ display).
// Math is cut out before Markdown parsing (so `_` and `*` inside formulas are
// not taken as emphasis), rendered by KaTeX, and put back afterwards. Raw
// HTML in the Markdown is escaped, not rendered.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const md = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html(token) {
      return escapeHtml(token.text)
    },
  },
})

export function renderStatement(src: string, assetBase?: string): string {
  const math: string[] = []
  const hold = (tex: string, display: boolean) => {
    let html: string
    try {
      html = katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'html', strict: 'ignore' })
    } catch {
      html = `<code>${escapeHtml(tex)}</code>`
    }
    math.push(html)
    return `\u0000M${math.length - 1}\u0000`
  }
  // Code spans and blocks keep their dollars.
  const code: string[] = []
  let text = src.replace(/```[\s\S]*?```|`[^`\n]*`/g, (m) => {
    code.push(m)
    return `\u0000C${code.length - 1}\u0000`
  })
  text = text
    .replace(/\$\$([\s\S]+?)\$\$/g, (_, t) => hold(t, true))
    .replace(/(^|[^\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$/g, (_, pre, t) => pre + hold(t, false))
    .replace(/\\\$/g, '$')
  text = text.replace(/\u0000C(\d+)\u0000/g, (_, i) => code[Number(i)])
  let html = md.parse(text, { async: false }) as string
  html = html.replace(/\u0000M(\d+)\u0000/g, (_, i) => math[Number(i)])
  if (assetBase) {
    html = html.replace(/(<img[^>]*\ssrc=")(?!https?:|data:|\/)([^"]+)"/g, (_, pre, name) => `${pre}${assetBase}/${name}"`)
  }
  return html
}

export function Markdown({ source, assetBase, className = '' }: { source: string; assetBase?: string; className?: string }) {
  const html = useMemo(() => renderStatement(source, assetBase), [source, assetBase])
  return <div className={`prose-arena ${className}`} dangerouslySetInnerHTML={{ __html: html }} />
}
