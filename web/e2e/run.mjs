#!/usr/bin/env node
// npm run e2e [name...]: every e2e/*.e2e.mjs (or those whose names contain
// an argument) under node's test runner, one file at a time (each starts its
// own server; the machine has two cores). The Go binary is built once here
// and shared (SEGFAULT_E2E_BIN), unless given.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildBinary } from './harness.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = readdirSync(here).filter((f) => f.endsWith('.e2e.mjs') && (only.length === 0 || only.some((o) => f.includes(o)))).sort().map((f) => join(here, f))

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
