// Players of a real match against a real `segfault serve` (harness.mjs):
// register in a browser context, queue and accept, reach the match room,
// paste a solution from the problem's own package. Shared by match.e2e.mjs
// and truth.e2e.mjs.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pasteCode, repoDir, shot, uniqueName } from './harness.mjs'

export const password = 'correct horse battery staple'
const EXT = { python: 'py', cpp: 'cpp', c: 'c', java: 'java', go: 'go', rust: 'rs', javascript: 'js' }

/** A real solution of the problem the server picked, from the package itself. */
export function solution(problemId, kind) {
  const dir = join(repoDir, 'problems', problemId, 'submissions', kind)
  assert.ok(existsSync(dir), `problem ${problemId} has no ${kind} submissions`)
  const files = readdirSync(dir)
  for (const lang of ['python', 'cpp', 'c', 'java', 'go', 'rust', 'javascript']) {
    const f = files.find((n) => n.endsWith('.' + EXT[lang]))
    if (f) return { lang, code: readFileSync(join(dir, f), 'utf8') }
  }
  throw new Error(`no usable ${kind} submission for ${problemId}`)
}

/** On a phone (the pane switch is shown below lg) show the editor pane; at desktop width both panes are shown. */
export async function showCode(page) {
  const tab = page.getByTestId('pane-work')
  if (await tab.isVisible()) {
    await tab.click()
    await page.locator('[data-testid="pane-work"][aria-pressed="true"]').waitFor()
  }
}

/** The helpers bound to the arena of a test file (a getter: the arena starts in before()). */
export function playerKit(getArena) {
  async function register(ctx, prefix) {
    const page = await ctx.newPage()
    // Every WebSocket frame the server sends this page, to prove what it never sends.
    const frames = []
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString())))
    const name = uniqueName(prefix)
    await page.goto(getArena().baseURL + '/register')
    await page.getByLabel('Username').fill(name)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByTestId('lobby-title').waitFor()
    await page.locator('[data-testid="conn"][data-state="open"]').waitFor({ timeout: 15_000 })
    return { page, name, frames }
  }

  async function typeCode(page, { lang, code }) {
    await page.getByTestId('lang').selectOption(lang)
    // Pasted, as a player would (harness pasteCode: typed text is re-indented).
    await pasteCode(page, code)
  }

  // Both in the match room with the problem shown, and the editor writable.
  async function inMatch(...players) {
    for (const { page: p } of players) {
      await p.waitForURL('**/match/**', { timeout: 180_000 })
      await p.locator('[data-testid="problem-title"]:not([data-problem-id=""])').waitFor({ timeout: 180_000 })
      // On a phone the statement and the editor are two panes: tap Code.
      await showCode(p)
      await p.locator('.monaco-editor .view-line').first().waitFor({ timeout: 180_000 })
    }
    // The editor opens read-only during the 5 s countdown.
    const first = players[0].page
    await first.getByTestId('submit').waitFor({ state: 'visible' })
    await first.waitForFunction(() => !document.querySelector('[data-testid="submit"]')?.hasAttribute('disabled'), null, { timeout: 180_000 })
  }

  async function matchUp(a, b, mode = 'ranked') {
    await a.page.getByTestId(`queue-${mode}`).click()
    await a.page.getByTestId('queue-status').waitFor()
    if (mode === 'ranked') await shot(a.page, '20-queue')
    await b.page.getByTestId(`queue-${mode}`).click()
    // Each accepts as soon as its dialog shows, both at once: the server's
    // accept window is 15 s, which one page after the other (with a
    // screenshot between) overran at load ~18.
    await Promise.all([a.page, b.page].map(async (p) => {
      await p.getByRole('dialog', { name: 'Match found' }).waitFor({ timeout: 180_000 })
      if (mode === 'ranked' && p === a.page) await shot(a.page, '21-match-found')
      // force: the dialog's entrance animation can keep the button "not stable" on a loaded page until the
      // 15 s accept window closes (replay.e2e, twice); the modal dialog covers everything else.
      await p.getByRole('button', { name: 'Accept' }).click({ force: true })
    }))
    await inMatch(a, b)
    return a.page.getByTestId('problem-title').getAttribute('data-problem-id')
  }

  return { register, typeCode, inMatch, matchUp, showCode }
}
