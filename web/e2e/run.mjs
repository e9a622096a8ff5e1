#!/usr/bin/env node
// npm run e2e [--shard=K/N] [name...]: every e2e/*.e2e.mjs (or those whose
// names contain an argument) under node's test runner, one file at a time
// (each starts its own server; the machine has two cores). --shard=K/N keeps
// the K-th of every N files in name order, so that make test runs two halves
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
const files = readdirSync(here).filter((f) => f.endsWith('.e2e.mjs') && (only.length === 0 || only.some((o) => f.includes(o)))).sort()
  .filter((_, i) => i % shards === shard - 1).map((f) => join(here, f))
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
