#!/usr/bin/env node
// Benchmark (prints figures, asserts nothing): the CPU Chromium spends on
// pages that only sit there, as two players' pages do while they wait for a
// verdict, against a real `segfault serve` (harness.mjs). Headless Chromium
// composites in software, as a player's browser without a GPU does, so
// every frame costs what it costs there: a ticking clock and a blinking
// caret redraw the screen, and each backdrop-filter layer is blurred again
// on each redraw.
//
//   cd web && SEGFAULT_E2E_BIN=$PWD/../bin/segfault node e2e/idle-cpu.bench.mjs [seconds]
import { loadavg } from 'node:os'
import { chromiumCPU, launchBrowser, newContext, startArena } from './harness.mjs'
import { playerKit } from './players.mjs'

const seconds = Number(process.argv[2] ?? 10)

async function idle(label, pages) {
  const c0 = chromiumCPU().ms
  await new Promise((r) => setTimeout(r, seconds * 1000))
  const cpu = (chromiumCPU().ms - c0) / 1000
  console.log(`${label}: ${(cpu / seconds / pages.length).toFixed(3)} CPU s per second per page (${pages.length} pages, ${seconds} s, load ${loadavg()[0].toFixed(1)})`)
}

const arena = await startArena({ problems: true })
const browser = await launchBrowser()
try {
  const { register, matchUp } = playerKit(() => arena)
  const a = await register(await newContext(browser), 'ida')
  const b = await register(await newContext(browser), 'idb')
  await idle('lobby', [a.page, b.page])
  await matchUp(a, b, 'ranked')
  await new Promise((r) => setTimeout(r, 3000)) // the intro and the editors' start
  await idle('match room, editor focused', [a.page, b.page])
  for (const p of [a.page, b.page]) await p.evaluate(() => document.activeElement?.blur())
  await idle('match room, no caret blinking', [a.page, b.page])
} finally {
  await browser.close()
  await arena.stop()
}
