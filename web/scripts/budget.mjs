#!/usr/bin/env node
// Bundle budget: the JavaScript a browser needs for the first screen (the
// entry chunk and everything it imports statically, transitively; not the
// lazily loaded match room with Monaco) must stay within 250 KiB gzip.
// Reads the build's .vite/manifest.json, prints every chunk's size and exits
// non-zero when the budget is exceeded. Run after `vite build`.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_KIB = Number(process.env.SEGFAULT_JS_BUDGET_KIB ?? 250)
const here = dirname(fileURLToPath(import.meta.url))
const dist = resolve(here, '../../internal/web/dist')
const manifestPath = join(dist, '.vite/manifest.json')

if (!existsSync(manifestPath)) {
  console.error(`budget: ${manifestPath} not found; run \`npm run build\` first`)
  process.exit(1)
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length
const kib = (n) => (n / 1024).toFixed(1).padStart(8)

const entry = Object.entries(manifest).find(([, c]) => c.isEntry)
if (!entry) {
  console.error('budget: no entry chunk in the manifest')
  process.exit(1)
}
// The initial load: entry + static imports, transitively.
const initial = new Set()
const visit = (key) => {
  const c = manifest[key]
  if (!c || initial.has(c.file)) return
  initial.add(c.file)
  for (const k of c.imports ?? []) visit(k)
}
visit(entry[0])

const rows = []
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name)
    if (statSync(p).isDirectory()) walk(p)
    else if (/\.(js|css)$/.test(name)) rows.push(p.slice(dist.length + 1))
  }
}
walk(join(dist, 'assets'))
rows.sort()

let initialJs = 0
let totalJs = 0
console.log('chunk sizes (gzip KiB, * = initial load):')
for (const f of rows) {
  const size = gz(f)
  const raw = statSync(join(dist, f)).size
  const isInitial = initial.has(f)
  if (f.endsWith('.js')) {
    totalJs += size
    if (isInitial) initialJs += size
  }
  console.log(`${isInitial ? '*' : ' '} ${kib(size)} gz ${kib(raw)} raw  ${f}`)
}
console.log(`initial JS: ${(initialJs / 1024).toFixed(1)} KiB gzip (budget ${BUDGET_KIB} KiB); all JS: ${(totalJs / 1024).toFixed(1)} KiB gzip`)
if (initialJs > BUDGET_KIB * 1024) {
  console.error(`budget: FAILED: initial JS ${(initialJs / 1024).toFixed(1)} KiB gzip exceeds ${BUDGET_KIB} KiB`)
  process.exit(1)
}
console.log('budget: ok')
