#!/usr/bin/env node
// Benchmark (prints figures, asserts nothing): how long after a reload in
// mid-match the Monaco editor shows its first line, several reloads in one
// real match against a real `segfault serve` (harness.mjs).
//
//   cd web && SEGFAULT_E2E_BIN=$PWD/../bin/segfault nice -n 19 node e2e/editor-reload.bench.mjs [reloads]
//
// Each reload prints the time with the load average beside it, the CPU time
// Chromium used for it (all its processes, less what they burn while the
// match rooms sit idle: on a machine shared with CI the wall time mostly
// measures the load, the CPU time the work) and where the page's scripts
// came from (a service worker, if one controls the page; memory cache; network). Reload 1 is what a
// player sees; later ones find more in Chromium's caches.
// SEGFAULT_BENCH_TRACE=1 also records a Chrome trace of each reload and
// prints the renderer main thread's CPU by kind of work
// (SEGFAULT_BENCH_TRACE_DIR=dir keeps the traces).
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { chromiumCPU, launchBrowser, newContext, startArena } from './harness.mjs'
import { playerKit } from './players.mjs'

const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.compile', 'disabled-by-default-v8.gc']

// CPU time (thread time) on the busiest renderer main thread of a trace,
// and the inclusive thread time of a few kinds of work on it.
function mainThread(trace) {
  const events = trace.traceEvents ?? trace
  const names = new Map()
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}/${e.tid}`, e.args.name)
  const byThread = new Map()
  for (const e of events) {
    if (names.get(`${e.pid}/${e.tid}`) !== 'CrRendererMain') continue
    const k = `${e.pid}/${e.tid}`
    if (!byThread.has(k)) byThread.set(k, [])
    byThread.get(k).push(e)
  }
  const kinds = { task: /^(ThreadControllerImpl::RunTask|RunTask)$/, compile: /^v8\.compile|^V8\.Compile|^v8\.parseOnBackground/, evaluate: /^v8\.evaluateModule$|^v8\.run$|^EvaluateScript$/, codeCache: /CodeCache|deserialize|consumeCache/i, gc: /GC|^V8\.GC/, layout: /^(Layout|UpdateLayoutTree|Paint|PrePaint|Layerize)$/ }
  let best = null
  for (const [, evs] of byThread) {
    const total = { wall: 0 }
    for (const k of Object.keys(kinds)) total[k] = 0
    const open = []
    for (const e of evs.sort((x, y) => x.ts - y.ts)) {
      let d = null, w = null
      if (e.ph === 'X') { d = e.tdur ?? 0; w = e.dur ?? 0 }
      else if (e.ph === 'B') { open.push(e); continue }
      else if (e.ph === 'E') { const b = open.pop(); if (!b) continue; d = (e.tts ?? 0) - (b.tts ?? 0); w = e.ts - b.ts; e.name = b.name }
      else continue
      for (const [k, re] of Object.entries(kinds)) if (re.test(e.name)) total[k] += d
      if (kinds.task.test(e.name)) total.wall += w
    }
    if (!best || total.task > best.task) best = total
  }
  if (!best) return 'no renderer main thread in the trace'
  const ms = (us) => `${Math.round(us / 1000)}`
  return `cpu ${ms(best.task)} ms in tasks (wall ${ms(best.wall)}), compile ${ms(best.compile)}, evaluate ${ms(best.evaluate)}, code cache ${ms(best.codeCache)}, gc ${ms(best.gc)}, style/layout/paint ${ms(best.layout)}`
}

const diffTypes = (a, b) => Object.entries(b).map(([k, v]) => `${k} ${v - (a[k] ?? 0)}`).join(', ')

const reloads = Number(process.argv[2] ?? 5)
const DESKTOP = { viewport: { width: 1440, height: 900 } }

const arena = await startArena({ problems: true })
const browser = await launchBrowser()
const { register, matchUp } = playerKit(() => arena)
try {
  const ctxA = await newContext(browser, DESKTOP)
  const ctxB = await newContext(browser, DESKTOP)
  const a = await register(ctxA, 'bra')
  const b = await register(ctxB, 'brb')
  await matchUp(a, b, 'casual')
  const page = a.page
  const times = []
  const cpus = []
  for (let i = 0; i < reloads; i++) {
    await page.waitForTimeout(3000) // let the page settle
    // What the browser burns while nothing happens (both players' match
    // rooms: clocks, cursors, compositing), to tell it from the reload's work.
    const idle0 = chromiumCPU().ms
    const i0 = Date.now()
    await page.waitForTimeout(3000)
    const idleRate = (chromiumCPU().ms - idle0) / (Date.now() - i0)
    const load = loadavg()[0]
    const tracing = process.env.SEGFAULT_BENCH_TRACE === '1'
    if (tracing) await browser.startTracing(page, { categories: TRACE_CATEGORIES })
    const { ms: cpu0, byType: types0 } = chromiumCPU()
    const t0 = Date.now()
    await page.reload()
    await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 180_000 })
    const ms = Date.now() - t0
    // The reload's own CPU: what was used, less the idle rate over the same time.
    const after = chromiumCPU()
    const cpu = Math.round(after.ms - cpu0 - idleRate * ms)
    const types = diffTypes(types0, after.byType)
    cpus.push(cpu)
    if (tracing) {
      const buf = await browser.stopTracing()
      if (process.env.SEGFAULT_BENCH_TRACE_DIR) writeFileSync(join(process.env.SEGFAULT_BENCH_TRACE_DIR, `reload-${i + 1}.json`), buf)
      console.log(`# reload ${i + 1} main thread: ${mainThread(JSON.parse(buf))}`)
    }
    times.push(ms)
    const detail = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0]
      const parts = [`html ${Math.round(nav.responseEnd)}${nav.workerStart > 0 ? ' (sw)' : ''}`]
      for (const e of performance.getEntriesByType('resource')) {
        const m = e.name.match(/assets\/(index|MatchRoom|CodeEditor)-[^/]*\.js$/)
        if (!m) continue
        const from = e.workerStart > 0 ? 'sw' : e.transferSize === 0 ? 'cache' : 'net'
        parts.push(`${m[1]} ${Math.round(e.startTime)}→${Math.round(e.responseEnd)} ${from}`)
      }
      parts.push(`controlled ${!!navigator.serviceWorker?.controller}`)
      return parts.join(', ')
    })
    console.log(`# reload ${i + 1}: Chromium CPU by process type (ms, idle included): ${types}`)
    console.log(`# reload ${i + 1}: editor ready ${ms} ms, Chromium CPU ${cpu} ms beyond idle (idle ${Math.round(idleRate * 1000)} ms/s; load average ${load.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after): ${detail}`)
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
  console.log(`# editor ready after a mid-match reload: median ${median(times)} ms of ${times.join(' / ')} ms; Chromium CPU beyond idle: median ${median(cpus)} ms of ${cpus.join(' / ')} ms`)
} finally {
  await browser.close()
  await arena.stop()
}
