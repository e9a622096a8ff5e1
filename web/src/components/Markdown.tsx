import DOMPurify from 'dompurify'
import katex from 'katex'
import 'katex/dist/katex.min.css'
import { Marked } from 'marked'
import { useMemo } from 'react'

// Problem statements are Markdown with TeX math ($…$ inline, $$…$$ display).
// Math is cut out before Markdown parsing (so `_` and `*` inside formulas are
// not taken as emphasis), rendered by KaTeX, and put back afterwards. Raw
// HTML in the Markdown is escaped, not rendered, and the finished HTML goes
// through DOMPurify, which keeps links and images only to http, https,
// mailto (links) and relative URLs: `[x](javascript:…)` is no live link.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

// Absolute URLs must be http, https or mailto; anything without a scheme
// (a path, a fragment, "notes.html") is relative. White space and control
// characters are removed before the test (browsers ignore them inside a
// scheme), so "java\tscript:" fails.
const SAFE_URL = /^(?:(?:https?|mailto):|[^a-z]|[a-z0-9+.-]+(?:[^a-z0-9+.\-:]|$))/i
// eslint-disable-next-line no-control-regex
const safeURL = (u: string) => SAFE_URL.test(u.replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g, ''))

const md = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html(token) {
      return escapeHtml(token.text)
    },
    // An unsafe link keeps its text, an unsafe image its alt text.
    link(token) {
      return safeURL(token.href) ? false : this.parser.parseInline(token.tokens)
    },
    image(token) {
      return safeURL(token.href) ? false : escapeHtml(token.text)
    },
  },
})

function sanitize(html: string): string {
  return DOMPurify.sanitize(html, { ALLOWED_URI_REGEXP: SAFE_URL, FORBID_TAGS: ['style', 'form', 'input', 'button'], ADD_DATA_URI_TAGS: [] })
}

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
  // NUL-delimited placeholders cannot occur in a statement's text.
  // eslint-disable-next-line no-control-regex
  text = text.replace(/\u0000C(\d+)\u0000/g, (_, i) => code[Number(i)])
  let html = md.parse(text, { async: false }) as string
  // eslint-disable-next-line no-control-regex
  html = html.replace(/\u0000M(\d+)\u0000/g, (_, i) => math[Number(i)])
  if (assetBase) {
    html = html.replace(/(<img[^>]*\ssrc=")(?!https?:|data:|\/)([^"]+)"/g, (_, pre, name) => `${pre}${assetBase}/${name}"`)
  }
  return sanitize(html)
}

export function Markdown({ source, assetBase, className = '' }: { source: string; assetBase?: string; className?: string }) {
  const html = useMemo(() => renderStatement(source, assetBase), [source, assetBase])
  return <div className={`prose-arena ${className}`} dangerouslySetInnerHTML={{ __html: html }} />
}
