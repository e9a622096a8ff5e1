// The full two-player match of issue 7, against a real `segfault serve`
// with the bundled problems and real judging:
//   two browser contexts register, queue ranked 1v1, get matched, accept;
//   one types a wrong solution into Monaco and sees Wrong Answer, then a
//   correct one and wins; the other sees defeat; both see the new ratings
//   on the leaderboard without reloading.
// And: a reload in mid-match restores the editor content and the countdown.
//
// Skipped until the server side of docs/protocol.md exists (issue 6): the
// harness probes GET /ws and these run as soon as it upgrades (or asks for a
// session). Nothing here is faked.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { launchBrowser, newContext, repoDir, shot, startArena, uniqueName } from './harness.mjs'

let arena, browser, skip = false

before(async () => {
  // Probe on a bare server first: loading the bundled problems takes a while
  // and is only worth it when the test will run.
  arena = await startArena()
  const speaks = arena.speaksProtocol
  await arena.stop()
  arena = null
  if (!speaks) {
    skip = 'the server does not speak the WebSocket protocol yet (issue 6: GET /ws does not upgrade)'
    return
  }
  arena = await startArena({ problems: true })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await arena?.stop()
})

const password = 'correct horse battery staple'
const EXT = { python: 'py', cpp: 'cpp', c: 'c', java: 'java', go: 'go', rust: 'rs', javascript: 'js' }

// A real solution of the problem the server picked, from the package itself.
function solution(problemId, kind) {
  const dir = join(repoDir, 'problems', problemId, 'submissions', kind)
  assert.ok(existsSync(dir), `problem ${problemId} has no ${kind} submissions`)
  const files = readdirSync(dir)
  for (const lang of ['python', 'cpp', 'c', 'java', 'go', 'rust', 'javascript']) {
    const f = files.find((n) => n.endsWith('.' + EXT[lang]))
    if (f) return { lang, code: readFileSync(join(dir, f), 'utf8') }
  }
  throw new Error(`no usable ${kind} submission for ${problemId}`)
}

async function register(ctx, prefix) {
  const page = await ctx.newPage()
  const name = uniqueName(prefix)
  await page.goto(arena.baseURL + '/register')
  await page.getByLabel('Username').fill(name)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByTestId('lobby-title').waitFor()
  await page.locator('[data-testid="conn"][data-state="open"]').waitFor({ timeout: 15_000 })
  return { page, name }
}

async function typeCode(page, { lang, code }) {
  await page.getByTestId('lang').selectOption(lang)
  await page.locator('.monaco-editor .view-lines').first().click()
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Delete')
  // Paste, as a player would: Monaco auto-indents typed text line by line,
  // which would shift every indented line of a Python solution.
  await page.evaluate((text) => {
    const dt = new DataTransfer()
    dt.setData('text/plain', text)
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  }, code)
}

async function matchUp(a, b) {
  await a.page.getByTestId('queue-ranked').click()
  await a.page.getByTestId('queue-status').waitFor()
  await shot(a.page, '20-queue')
  await b.page.getByTestId('queue-ranked').click()
  for (const p of [a.page, b.page]) await p.getByRole('dialog', { name: 'Match found' }).waitFor({ timeout: 30_000 })
  await shot(a.page, '21-match-found')
  for (const p of [a.page, b.page]) await p.getByRole('button', { name: 'Accept' }).click()
  for (const p of [a.page, b.page]) {
    await p.waitForURL('**/match/**', { timeout: 30_000 })
    await p.locator('[data-testid="problem-title"]:not([data-problem-id=""])').waitFor({ timeout: 30_000 })
    await p.locator('.monaco-editor .view-line').first().waitFor({ timeout: 30_000 })
  }
  // The editor opens read-only during the 5 s countdown.
  await a.page.getByTestId('submit').waitFor({ state: 'visible' })
  await a.page.waitForFunction(() => !document.querySelector('[data-testid="submit"]')?.hasAttribute('disabled'), null, { timeout: 15_000 })
  return a.page.getByTestId('problem-title').getAttribute('data-problem-id')
}

test('two players: queue, accept, wrong answer, accepted, win, live leaderboard', { timeout: 300_000 }, async (t) => {
  if (skip) return t.skip(skip)
  const ctxA = await newContext(browser)
  const ctxB = await newContext(browser)
  const a = await register(ctxA, 'ada')
  const b = await register(ctxB, 'bob')
  // B watches the leaderboard page's widget in the lobby... after the match, on /leaderboard.
  const problemId = await matchUp(a, b)

  await typeCode(a.page, solution(problemId, 'wrong_answer'))
  await a.page.keyboard.press('Control+Shift+Enter')
  await a.page.locator('[data-testid="submission"][data-verdict="WA"]').waitFor({ timeout: 120_000 })
  await shot(a.page, '22-wrong-answer')
  // B sees A's progress, never A's code.
  await b.page.getByTestId('opponent').getByText(/Wrong Answer/).waitFor({ timeout: 15_000 })

  await typeCode(a.page, solution(problemId, 'accepted'))
  await a.page.keyboard.press('Control+Shift+Enter')
  await a.page.waitForURL('**/result/**', { timeout: 120_000 })
  await b.page.waitForURL('**/result/**', { timeout: 30_000 })
  await a.page.getByTestId('result-headline').getByText('Victory').waitFor()
  await b.page.getByTestId('result-headline').getByText('Defeat').waitFor()
  const deltaA = Number(await a.page.getByTestId('rating-delta').getAttribute('data-delta'))
  const deltaB = Number(await b.page.getByTestId('rating-delta').getAttribute('data-delta'))
  assert.ok(deltaA > 0 && deltaB < 0, `rating deltas ${deltaA} / ${deltaB}`)
  await shot(a.page, '23-victory')
  await shot(b.page, '24-defeat')

  // Both open the leaderboard; it is live, and shows the new ratings without a reload.
  for (const p of [a.page, b.page]) {
    await p.getByRole('link', { name: 'Leaderboard' }).first().click()
    await p.locator(`[data-testid="lb-row"][data-user="${a.name}"]`).waitFor({ timeout: 10_000 })
    const row = await p.locator(`[data-testid="lb-row"][data-user="${a.name}"]`).textContent()
    assert.match(row, new RegExp(String(1500 + deltaA).slice(0, 2)))
  }
  await shot(b.page, '25-leaderboard-live')
  assert.deepEqual([...ctxA.offsite, ...ctxB.offsite], [])
  assert.deepEqual([...ctxA.cspViolations, ...ctxB.cspViolations], [])
  await ctxA.close()
  await ctxB.close()
})

test('reload in mid-match restores the editor content and the countdown', { timeout: 180_000 }, async (t) => {
  if (skip) return t.skip(skip)
  const ctxA = await newContext(browser)
  const ctxB = await newContext(browser)
  const a = await register(ctxA, 'cid')
  const b = await register(ctxB, 'dot')
  await matchUp(a, b)
  const marker = `# draft ${Date.now()}\n`
  await typeCode(a.page, { lang: 'python', code: marker + 'print(1)\n' })
  const before = Number(await a.page.getByTestId('countdown').first().getAttribute('data-remaining-ms'))
  await a.page.reload()
  await a.page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 30_000 })
  await a.page.waitForFunction((m) => document.querySelector('.monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(m.trim()), marker)
  const after = Number(await a.page.getByTestId('countdown').first().getAttribute('data-remaining-ms'))
  assert.ok(after <= before && before - after < 20_000, `countdown ${before} → ${after}`)
  await a.page.getByRole('button', { name: 'Resign' }).click()
  await a.page.getByRole('button', { name: 'Yes, resign' }).click()
  await b.page.getByTestId('result-headline').getByText('Victory').waitFor({ timeout: 30_000 })
  await ctxA.close()
  await ctxB.close()
})
