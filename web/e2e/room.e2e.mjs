// The match room and result screens in Chromium: real sign-in against the Go
// server, real Monaco (bundled, no CDN), real KaTeX, and the protocol
// fixture standing in for the not-yet-built WebSocket server.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { installFixture } from './protocol-fixture.mjs'
import { launchBrowser, newContext, shot, startArena, uniqueName } from './harness.mjs'

let arena, browser

before(async () => {
  arena = await startArena()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await arena?.stop()
})

const password = 'correct horse battery staple'
const WRONG = `import sys
data = sys.stdin.read().split()
n = int(data[0])
a = list(map(int, data[1:1 + n]))
print(sum(1 for i in range(n) if (i == 0 or a[i] >= a[i - 1]) and (i == n - 1 or a[i] >= a[i + 1])))
`
const RIGHT = `import sys
data = sys.stdin.read().split()
n = int(data[0])
a = list(map(int, data[1:1 + n]))
print(sum(1 for i in range(n) if (i == 0 or a[i] > a[i - 1]) and (i == n - 1 or a[i] > a[i + 1])))
`

async function editorText(page) {
  return page.evaluate(() => [...document.querySelectorAll('.monaco-editor .view-line')].map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n'))
}

async function replaceCode(page, code) {
  const want = code.trim().split('\n').pop().trim()
  for (let attempt = 0; attempt < 3; attempt++) {
    // Monaco 0.5x types through the browser's EditContext, not its textarea: click the text.
    await page.locator('.monaco-editor .view-lines').first().click()
    await page.keyboard.press('Control+A')
    await page.keyboard.press('Delete')
    // insertText bypasses auto-indent and bracket completion, like a paste.
    await page.keyboard.insertText(code)
    try {
      await page.waitForFunction((w) => document.querySelector('.monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(w), want, { timeout: 3000 })
      return
    } catch {
      // the editor was not ready for input yet; type again
    }
  }
  throw new Error('could not type into Monaco')
}

const remainingMs = async (page) => Number(await page.getByTestId('countdown').first().getAttribute('data-remaining-ms'))

test('match room: statement, Monaco, run with diff, submit with progress, result', async () => {
  const ctx = await newContext(browser)
  const page = await ctx.newPage()
  const name = uniqueName('ada')
  const reg = await page.request.post(arena.baseURL + '/api/v1/auth/register', { data: { username: name, password }, headers: { Origin: arena.baseURL } })
  assert.equal(reg.status(), 201, await reg.text())
  const me = await reg.json()
  // The fixture's clock is 2 hours ahead of this machine's: the countdown must follow the server.
  const fx = await installFixture(ctx, { me: { id: me.id, username: me.username }, opponent: { id: me.id + 1000, username: 'grace' }, skewMs: 2 * 3600_000 })

  await page.goto(arena.baseURL + '/')
  await page.waitForURL('**/match/m_fixture1')
  await page.getByTestId('problem-title').getByText('Signal Peaks').waitFor()
  assert.ok((await page.locator('.katex').count()) > 3, 'math is typeset by KaTeX')
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 30_000 })
  const left = await remainingMs(page)
  assert.ok(left > 9 * 60_000 && left <= 10 * 60_000, `countdown follows the server clock: ${left} ms left`)
  assert.equal(await page.getByTestId('lang').inputValue(), 'python')
  await page.waitForFunction(() => document.querySelector('.monaco-editor .view-lines')?.textContent?.includes('sys.stdin'), null, { timeout: 10_000 })
  assert.match(await editorText(page), /sys\.stdin/, 'python starter template')

  // Opponent activity.
  fx.opponentProgress({ typing: true, tests_passed: 1, tests_total: 2, last_verdict: 'WA', submissions: 1 })
  await page.getByTestId('opponent').getByText('typing…').waitFor()
  assert.match(await page.getByTestId('opponent').textContent(), /1\/2 tests/)

  // Wrong solution: run on the samples, see the diff.
  await replaceCode(page, WRONG)
  await page.keyboard.press('Control+Enter')
  await page.getByTestId('run-result').waitFor()
  const runs = fx.received.filter((m) => m.type === 'code.run')
  assert.equal(runs.length, 1, 'one keypress, one run')
  const run = runs[0]
  assert.equal(run.data.lang, 'python')
  assert.equal(run.data.code.trim(), WRONG.trim(), 'the code typed into Monaco is what was sent')
  assert.ok(run.id, 'a request carries an id')
  await page.locator('[data-verdict="WA"]').first().waitFor()
  assert.match(await page.getByTestId('diff-summary').first().textContent(), /differ/)
  await shot(page, '11-match-run-diff')

  // Disconnected opponent with a grace period.
  fx.opponentProgress({ typing: false, connected: false, grace_deadline: new Date(fx.serverNow().getTime() + 47_000).toISOString() })
  await page.getByText(/disconnected, 4\d s/).waitFor()

  // Submit the wrong one: per-test progress and Wrong Answer.
  await page.keyboard.press('Control+Shift+Enter')
  await page.locator('[data-testid="submission"][data-verdict="WA"]').waitFor()
  assert.match(await page.getByTestId('submission').textContent(), /Wrong Answer · 1\/2 tests/)
  await shot(page, '12-match-submit-wa')

  // Reload mid-match: the editor content and the countdown come back.
  await replaceCode(page, RIGHT)
  await page.waitForTimeout(200)
  const before = await remainingMs(page)
  await page.reload()
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 30_000 })
  await page.waitForFunction(() => document.querySelector('.monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes('a[i] > a[i - 1]'))
  assert.match(await editorText(page), /a\[i\] > a\[i - 1\]/)
  const afterReload = await remainingMs(page)
  assert.ok(afterReload <= before && before - afterReload < 15_000, `countdown restored: ${before} → ${afterReload}`)
  assert.equal(fx.received.filter((m) => m.type === 'hello').length, 2, 'a new page says hello')

  // Correct solution: Accepted, then the server ends the match.
  await page.getByTestId('submit').click()
  await page.waitForURL('**/result/m_fixture1')
  await page.getByTestId('result-headline').getByText('Victory').waitFor()
  await page.waitForFunction(() => document.querySelector('[data-testid="rating-delta"]')?.textContent?.includes('1662'), null, { timeout: 5000 })
  assert.equal(await page.getByTestId('rating-delta').getAttribute('data-delta'), '162')
  await page.getByText('One pass over the readings').waitFor()
  assert.equal(await page.getByRole('article').count(), 2, 'both solutions side by side')
  await shot(page, '13-result')

  assert.deepEqual(ctx.offsite, [], 'nothing loaded from outside this machine (no CDN)')
  assert.deepEqual(ctx.cspViolations, [], 'the app runs under the server CSP')
  assert.deepEqual(ctx.pageErrors, [], 'no uncaught errors')
  await ctx.close()
})

test('tablet layout of the match room', async () => {
  const ctx = await newContext(browser, { viewport: { width: 820, height: 1180 } })
  const page = await ctx.newPage()
  const name = uniqueName('tab')
  const reg = await page.request.post(arena.baseURL + '/api/v1/auth/register', { data: { username: name, password }, headers: { Origin: arena.baseURL } })
  const me = await reg.json()
  await installFixture(ctx, { me: { id: me.id, username: me.username }, opponent: { id: me.id + 1000, username: 'grace' } })
  await page.goto(arena.baseURL + '/')
  await page.waitForURL('**/match/m_fixture1')
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 30_000 })
  await shot(page, '14-match-tablet')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at tablet width`)
  await ctx.close()
})
