// End-to-end harness: a real `segfault serve` on loopback, the built SPA in
// front of it, and Debian's Chromium driven by playwright-core.
//
// The SPA is served by the Go binary itself when it embeds it (internal/web
// wired into `serve`); until then by a Vite preview server that proxies
// /api, /auth and /ws to the Go server (vite.config.ts), which is what a
// developer runs too.
import { execFile, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
export const webDir = resolve(here, '..')
export const repoDir = resolve(webDir, '..')
export const screenshotDir = process.env.SEGFAULT_E2E_SCREENSHOTS ? resolve(process.env.SEGFAULT_E2E_SCREENSHOTS) : join(here, 'screenshots')

export const CHROMIUM = process.env.SEGFAULT_E2E_CHROMIUM ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
]

const run = promisify(execFile)

export async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer()
    s.once('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => res(port))
    })
  })
}

// Status of a WebSocket upgrade request (101 when it upgrades; fetch()
// cannot send Connection/Upgrade headers, so plain node:http).
function probeUpgrade(url, origin) {
  return new Promise((res) => {
    const req = httpRequest(url, { headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'segfault.v1', Origin: origin }, timeout: 5000 })
    req.on('upgrade', (_res, socket) => {
      socket.destroy()
      res(101)
    })
    req.on('response', (r) => {
      r.resume()
      res(r.statusCode ?? 0)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => res(0))
    req.end()
  })
}

async function waitFor(url, ms, proc) {
  const end = Date.now() + ms
  let last
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`)
    try {
      const r = await fetch(url)
      if (r.ok) return
      last = new Error(`HTTP ${r.status}`)
    } catch (e) {
      last = e
    }
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`${url} not up after ${ms} ms: ${last}`)
}

// The tree is shared with engineers editing other packages, so a build can
// fail for a moment; retry a few times before giving up.
export async function buildBinary(out) {
  if (process.env.SEGFAULT_E2E_BIN) return resolve(process.env.SEGFAULT_E2E_BIN)
  let err
  for (let i = 0; i < 4; i++) {
    try {
      await run('go', ['build', '-o', out, './cmd/segfault'], { cwd: repoDir, env: { ...process.env, PATH: `/usr/local/go/bin:${process.env.PATH}` } })
      return out
    } catch (e) {
      err = e
      await new Promise((r) => setTimeout(r, 3000 * (i + 1)))
    }
  }
  throw new Error(`go build ./cmd/segfault failed: ${err?.stderr ?? err}`)
}

export async function startArena({ problems = false, problemsDir = null, extraArgs = [] } = {}) {
  if (!existsSync(join(repoDir, 'internal/web/dist/index.html'))) {
    throw new Error('the web UI is not built: run `npm run build` in web/ first')
  }
  const tmp = mkdtempSync(join(tmpdir(), 'segfault-e2e-'))
  const bin = await buildBinary(join(tmp, 'segfault'))
  const goPort = await freePort()
  const goURL = `http://127.0.0.1:${goPort}`
  const logPath = join(tmp, 'server.log')
  const log = openSync(logPath, 'a')
  const proc = spawn(bin, ['serve', '--addr', `127.0.0.1:${goPort}`, '--data-dir', join(tmp, 'data'), '--argon2-memory', '8192', '--argon2-time', '1', '--problems-dir', problemsDir ?? (problems ? join(repoDir, 'problems') : ''), '--log-level', 'debug',
    // Many sign-ups from one address, some straight through the API: no
    // quota and no proof of work (vitest checks the browser's solver
    // against the server's).
    '--register-pow-bits', '0', '--register-ip-burst', '0',
    // Fresh accounts play ranked at once and every result counts (the
    // fair-play rules have Go tests), many signed-out reads are fine.
    '--anon-read-burst', '0', '--ranked-min-account-age', '0s', '--ranked-min-completed', '0', '--rated-min-run-time', '0s', '--repeat-pair-window', '0s', ...extraArgs], {
    cwd: tmp, stdio: ['ignore', log, log], env: { ...process.env, SEGFAULT_PUBLIC_URL: '' },
  })
  try {
    // Seconds normally; importing the bundled set took 14 s at load 54 and
    // over 30 s at load 50 beside other builds: 5 min is a hang.
    await waitFor(`${goURL}/healthz`, 300_000, proc)
  } catch (e) {
    proc.kill('SIGTERM')
    throw new Error(`${e.message}\n--- server log ---\n${readFileSync(logPath, 'utf8').slice(-4000)}`)
  }

  // Does the binary serve the SPA itself?
  const home = await fetch(goURL + '/', { headers: { Accept: 'text/html' } }).then((r) => r.text()).catch(() => '')
  // Does the server speak the WebSocket protocol yet (issue 6)?
  const wsProbe = await probeUpgrade(goURL + '/ws', goURL)
  const speaksProtocol = wsProbe === 101 || wsProbe === 401 // 401: exists, wants a session
  let baseURL = goURL
  let previewServer = null
  let mode = 'go'
  if (!home.includes('id="root"')) {
    mode = 'vite-preview'
    process.env.SEGFAULT_DEV_BACKEND = goURL
    process.env.SEGFAULT_DEV_WS = speaksProtocol ? '1' : '0'
    const port = await freePort()
    process.env.SEGFAULT_PREVIEW_ORIGIN = `http://127.0.0.1:${port}`
    const { preview } = await import('vite')
    previewServer = await preview({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'silent', preview: { host: '127.0.0.1', port, strictPort: true } })
    baseURL = `http://127.0.0.1:${port}`
  }

  mkdirSync(screenshotDir, { recursive: true })
  return {
    baseURL, goURL, mode, speaksProtocol, logPath,
    /** Make an existing account an administrator (`segfault user role`, on the server's database). */
    makeAdmin(name) {
      const r = spawnSync(bin, ['user', 'role', name, 'admin', '--data-dir', join(tmp, 'data')], { encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`segfault user role ${name} admin: ${r.stderr}`)
    },
    async stop() {
      await previewServer?.close()
      proc.kill('SIGTERM')
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)))
      if (!process.env.SEGFAULT_E2E_KEEP) rmSync(tmp, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core')
  // launch() gives every run a fresh temporary --user-data-dir of its own.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
}

/** A context whose pages may talk only to loopback: no CDN, fonts or icons from elsewhere. */
export async function newContext(browser, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 }, reducedMotion: 'no-preference', ...opts })
  // Playwright's 30 s default for waits, clicks and navigations is a figure
  // load reaches (at load ~40 a page took longer than that to follow a
  // server message, issue 12): waits without their own timeout get 2 min,
  // a hang-only bound.
  ctx.setDefaultTimeout(120_000)
  ctx.setDefaultNavigationTimeout(120_000)
  const offsite = []
  ctx.on('request', (req) => {
    const u = new URL(req.url())
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && !['data:', 'blob:', 'about:'].includes(u.protocol)) offsite.push(req.url())
  })
  ctx.offsite = offsite
  // Content-Security-Policy violations are reported on the console.
  const csp = []
  const pageErrors = []
  ctx.on('page', (p) => {
    p.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect|create)/i.test(m.text())) csp.push(m.text())
    })
    p.on('pageerror', (e) => pageErrors.push(e.message))
  })
  ctx.cspViolations = csp
  ctx.pageErrors = pageErrors
  return ctx
}

export async function shot(page, name) {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false })
}

let seq = 0
export function uniqueName(prefix) {
  return `${prefix}${Date.now().toString(36).slice(-5)}${seq++}`
}

/**
 * Replace the Monaco editor's text with `code`, as a player pasting it.
 * Typed text (keyboard.type, and keyboard.insertText, which Monaco 0.5x
 * receives through EditContext as typing) is auto-indented line by line,
 * which shifts every indented line of a Python solution; a paste is inserted
 * as is. Retries while the editor is not ready for input yet.
 */
export async function pasteCode(page, code) {
  const want = code.trim().split('\n').pop().trim()
  // A hang-only bound: a loaded machine may take seconds to render a paste
  // (3 tries of 3 s each was a figure load can exceed); pasting again is harmless,
  // since each try first clears the editor.
  const end = Date.now() + 90_000
  while (Date.now() < end) {
    // Monaco 0.5x takes input through the browser's EditContext, not its textarea: click the text.
    await page.locator('.monaco-editor .view-lines').first().click()
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Delete')
    await page.evaluate((text) => {
      const dt = new DataTransfer()
      dt.setData('text/plain', text)
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    }, code)
    try {
      await page.waitForFunction((w) => document.querySelector('.monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(w), want, { timeout: 10_000 })
      return
    } catch {
      // the editor was not ready for input yet; paste again
    }
  }
  // What the page showed, to tell a read-only editor from one that is not there or not shown.
  const seen = await page.evaluate(() => ({
    viewport: `${innerWidth}×${innerHeight}`,
    editors: document.querySelectorAll('.monaco-editor').length,
    visible: !!document.querySelector('.monaco-editor')?.getClientRects().length,
    readOnly: document.querySelector('.monaco-editor textarea, .monaco-editor .native-edit-context')?.getAttribute('aria-readonly') ?? null,
    text: (document.querySelector('.monaco-editor .view-lines')?.textContent ?? '').slice(0, 160),
    url: location.pathname,
  }))
  throw new Error(`could not paste into Monaco: want a line ${JSON.stringify(want)}; the page showed ${JSON.stringify(seen)}`)
}

/** The text Monaco shows (rendered lines; enough for short solutions). */
export async function editorText(page) {
  return page.evaluate(() => [...document.querySelectorAll('.monaco-editor .view-line')].map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n'))
}

/** Wait until a count-up animation has ended and return the number it shows. */
export async function settledNumber(page, testid) {
  const el = page.locator(`[data-testid="${testid}"][data-settled="true"]`).first()
  await el.waitFor({ timeout: 10_000 })
  return Number((await el.textContent()).replace(/[^0-9.-]/g, ''))
}

/** Zero serious or critical axe-core violations on the page as it is now: the list of those found (rule: up to 3 targets). */
export async function axeSerious(page) {
  const { default: AxeBuilder } = await import('@axe-core/playwright')
  const r = await new AxeBuilder({ page }).analyze()
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)
}

const AUDIT_SIZES = [['desktop', { width: 1440, height: 900 }], ['phone', { width: 390, height: 844 }]]

/** The screen as it is, at 1440×900 and at 390×844: serious or critical axe violations and horizontal overflow are pushed to found; a screenshot of each. Leaves the page at desktop size. */
export async function auditScreen(page, label, found) {
  for (const [size, viewport] of AUDIT_SIZES) {
    await page.setViewportSize(viewport)
    await page.waitForTimeout(300) // a layout pass; axe reads the page as it is
    const v = await axeSerious(page)
    if (v.length) found.push(`${label} (${size}): ${v.join('; ')}`)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    if (overflow > 0) found.push(`${label} (${size}): horizontal overflow of ${overflow}px`)
    await shot(page, `70-a11y-${label}-${size}`)
  }
  await page.setViewportSize(AUDIT_SIZES[0][1])
  if (found.length) console.log(`# audit: ${found.join('\n# ')}`)
}

/**
 * CPU time (user + system, ms) used so far by the Chromium processes this
 * process started (descendants named chrom*), in all and by Chromium process
 * type (browser, renderer, gpu-process...): on a machine shared with CI the
 * wall time mostly measures the load, the CPU time the work. For benchmarks.
 */
export function chromiumCPU() {
  const procs = new Map()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      procs.set(Number(d), { comm, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) })
    } catch { /* gone */ }
  }
  const mine = (pid) => {
    for (let p = pid, i = 0; p > 1 && i < 64; i++) {
      if (p === process.pid) return true
      p = procs.get(p)?.ppid ?? 0
    }
    return false
  }
  let ticks = 0
  const byType = {}
  for (const [pid, p] of procs) {
    if (!/^chrom/.test(p.comm) || !mine(pid)) continue
    ticks += p.ticks
    let type = 'browser'
    try { type = readFileSync(`/proc/${pid}/cmdline`, 'utf8').match(/--type=([\w-]+)/)?.[1] ?? 'browser' } catch { /* gone */ }
    byType[type] = (byType[type] ?? 0) + p.ticks * 10
  }
  return { ms: ticks * 10, byType } // USER_HZ is 100 on Linux
}
