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
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { launchBrowser, newContext, startArena } from './harness.mjs'
import { playerKit } from './players.mjs'

const seconds = Number(process.argv[2] ?? 10)

// CPU seconds (user + system) of every Chromium process alive now.
function chromiumCPU() {
  let ticks = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('chrom')) continue
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      ticks += Number(f[11]) + Number(f[12])
    } catch { /* the process ended */ }
  }
  return ticks / 100
}

async function idle(label, pages) {
  const c0 = chromiumCPU()
  await new Promise((r) => setTimeout(r, seconds * 1000))
  const cpu = chromiumCPU() - c0
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
