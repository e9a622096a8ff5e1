#!/usr/bin/env node
// npm run e2e [--shard=K/N] [name...]: every e2e/*.e2e.mjs (or those whose
// names contain an argument) under node's test runner, one file at a time
// (each starts its own server; the machine has two cores). --shard=K/N keeps
// the K-th of N sets of files of about equal time (below), so that make test runs two halves
// side by side (the files mostly wait: on the judge, the server's clock,
// animations). The Go binary is built once here and shared
// (SEGFAULT_E2E_BIN), unless given.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildBinary } from './harness.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const shardArg = args.find((a) => a.startsWith('--shard='))
const only = args.filter((a) => a !== shardArg)
const [shard, shards] = shardArg ? shardArg.slice('--shard='.length).split('/').map(Number) : [1, 1]
if (!(Number.isInteger(shard) && Number.isInteger(shards) && shard >= 1 && shard <= shards)) {
  console.error(`e2e: --shard=K/N with 1 ≤ K ≤ N, not ${shardArg}`)
  process.exit(2)
}
// Seconds each file took in a quiet CI run (beside test-go, 2026-12-07):
// the shards are balanced on them, longest first, each file to the shard
// with the least so far (a file not listed counts 60 s). Stale figures only
// make the halves less even.
const WEIGHT = {
  'match.e2e.mjs': 232, 'truth.e2e.mjs': 152, 'review.e2e.mjs': 139, 'gamefeel.e2e.mjs': 115, 'tournament.e2e.mjs': 110,
  'modes.e2e.mjs': 101, 'room.e2e.mjs': 77, 'a11y.e2e.mjs': 44, 'replay.e2e.mjs': 42, 'ghost.e2e.mjs': 36, 'chat.e2e.mjs': 24, 'auth.e2e.mjs': 24,
}
const weight = (f) => WEIGHT[f] ?? 60
const all = readdirSync(here).filter((f) => f.endsWith('.e2e.mjs') && (only.length === 0 || only.some((o) => f.includes(o)))).sort()
const load = new Array(shards).fill(0)
const mine = new Set()
for (const f of [...all].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
  const k = load.indexOf(Math.min(...load))
  load[k] += weight(f)
  if (k === shard - 1) mine.add(f)
}
const files = all.filter((f) => mine.has(f)).map((f) => join(here, f))
console.log(`# e2e: ${files.length} files${shardArg ? ` (shard ${shard}/${shards})` : ''}: ${files.map((f) => f.slice(here.length + 1)).join(' ')}`)

if (files.length === 0) process.exit(0) // node --test without files would look for tests of its own

let tmp = null
if (!process.env.SEGFAULT_E2E_BIN) {
  tmp = mkdtempSync(join(tmpdir(), 'segfault-e2e-bin-'))
  const t0 = Date.now()
  process.env.SEGFAULT_E2E_BIN = await buildBinary(join(tmp, 'segfault'))
  console.log(`# e2e: built ${process.env.SEGFAULT_E2E_BIN} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit', env: process.env })
if (tmp) rmSync(tmp, { recursive: true, force: true })
process.exit(r.status ?? 1)
