// The match room and result screens in Chromium: real sign-in against the Go
// server, real Monaco (bundled, no CDN), real KaTeX, and the protocol
// fixture (protocol-fixture.mjs) playing the server side of the WebSocket,
// so that what the real server cannot be made to do on cue is checked
// exactly: a clock two hours off, an opponent who disconnects, coach
// reports arriving one at a time. match.e2e.mjs plays the real server.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { installFixture } from './protocol-fixture.mjs'
import { axeSerious, editorText, launchBrowser, newContext, pasteCode, settledNumber, shot, startArena, uniqueName } from './harness.mjs'

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

// The solutions here have no indented lines, but they are pasted like the
// real-server tests' solutions (harness pasteCode): typed or insertText'ed
// text is auto-indented by Monaco, a paste is not.
const replaceCode = pasteCode

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
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 120_000 })
  const left = await remainingMs(page)
  assert.ok(left > 9 * 60_000 && left <= 10 * 60_000, `countdown follows the server clock: ${left} ms left`)
  assert.equal(await page.getByTestId('lang').inputValue(), 'python')
  await page.waitForFunction(() => document.querySelector('.monaco-editor .view-lines')?.textContent?.includes('sys.stdin'), null, { timeout: 10_000 })
  assert.match(await editorText(page), /sys\.stdin/, 'python starter template')

  // Opponent activity.
  fx.opponentProgress({ typing: true, tests_passed: 1, tests_total: 2, last_verdict: 'WA', submissions: 1 })
  await page.getByTestId('opponent').getByText('typing…').waitFor()
  assert.match(await page.getByTestId('opponent').textContent(), /best 1\/2 tests/)

  // The opponent submits: their card says pending, then tests judged so
  // far ("Judging 7/18"), and a verdict word only with the final verdict.
  const oppCard = page.getByTestId('opponent')
  fx.opponentProgress({ typing: false, tests_passed: 1, tests_total: 18, last_verdict: 'pending', submissions: 2 })
  await oppCard.getByTestId('judging').getByText('Waiting for a judge…').waitFor()
  fx.progress({ submission_id: 'o2', phase: 'compiling', test: 0, total: 18 })
  await oppCard.getByTestId('judging').getByText('Compiling…').waitFor()
  fx.progress({ submission_id: 'o2', phase: 'running', test: 7, total: 18 })
  await oppCard.getByTestId('judging').getByText('Judging 7/18').waitFor()
  assert.doesNotMatch(await oppCard.textContent(), /Accepted|Wrong Answer/, 'no verdict while judging')
  await shot(page, '10b-match-opponent-judging')
  fx.opponentProgress({ tests_passed: 7, tests_total: 18, last_verdict: 'WA', submissions: 2 })
  await oppCard.getByTestId('verdict').getByText('Wrong Answer').waitFor()
  // A late progress frame for that submission changes nothing.
  fx.progress({ submission_id: 'o2', phase: 'running', test: 8, total: 18 })
  await page.waitForTimeout(300)
  assert.equal(await oppCard.getByTestId('judging').count(), 0)
  assert.match(await oppCard.textContent(), /Wrong Answer/)

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
  await page.locator('[data-testid="run-case"][data-verdict="WA"]').first().waitFor()
  // Sample 1 of peak-count: the non-strict comparison counts the plateau too.
  const wa = page.locator('[data-testid="run-case"][data-verdict="WA"]').first()
  assert.match(await wa.getByTestId('diff-summary').textContent(), /1 line differs/)
  const row = wa.locator('tr[data-kind="changed"]').first()
  const [, expectedCell, actualCell] = await row.locator('td').allTextContents()
  const sample = fx.problem.samples[Number(await wa.getAttribute('data-sample')) - 1]
  assert.equal(expectedCell.trim(), sample.output.trim(), 'expected column = the sample answer')
  assert.notEqual(actualCell.replace(/\(differs\)/, '').trim(), expectedCell.trim(), 'actual column = what the program printed')
  assert.match(await wa.textContent(), /\d+ ms/, 'time per sample')
  await shot(page, '11-match-run-diff')

  // Custom input instead of the samples: the output as is, no diff.
  await page.getByTestId('custom-toggle').check()
  await page.getByTestId('custom-input').fill('3\n1 3 2\n')
  await page.getByTestId('run').click()
  await page.locator('[data-testid="run-case"][data-verdict="OK"]').waitFor()
  assert.equal((await page.getByTestId('run-output').textContent()).trim(), '1')
  const custom = fx.received.filter((m) => m.type === 'code.run').pop()
  assert.equal(custom.data.input, '3\n1 3 2\n', 'custom input is sent as `input`')
  await shot(page, '11b-match-run-custom')
  await page.getByTestId('custom-toggle').uncheck()

  // Disconnected opponent with a grace period.
  fx.opponentProgress({ typing: false, connected: false, grace_deadline: new Date(fx.serverNow().getTime() + 47_000).toISOString() })
  await page.getByText(/disconnected, 4\d s/).waitFor()

  // Submit the wrong one: per-test progress and Wrong Answer.
  await page.keyboard.press('Control+Shift+Enter')
  await page.locator('[data-testid="submission"][data-verdict="WA"]').waitFor()
  assert.match(await page.getByTestId('submission').textContent(), /Wrong Answer · 1\/2 tests/)
  // Our own card: the final verdict, and never "disconnected".
  assert.equal(await page.getByTestId('my-progress').getAttribute('data-verdict'), 'WA')
  await shot(page, '12-match-submit-wa')

  // Reload mid-match: the editor content and the countdown come back.
  await replaceCode(page, RIGHT)
  await page.waitForTimeout(200)
  const before = await remainingMs(page)
  await page.reload()
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 120_000 })
  await page.waitForFunction(() => document.querySelector('.monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes('a[i] > a[i - 1]'))
  assert.match(await editorText(page), /a\[i\] > a\[i - 1\]/)
  const afterReload = await remainingMs(page)
  // Restored from the server's deadline, not restarted (the reload's own duration varies with load: only a hang bound).
  assert.ok(afterReload <= before && before - afterReload < 180_000, `countdown restored: ${before} → ${afterReload}`)
  assert.equal(fx.received.filter((m) => m.type === 'hello').length, 2, 'a new page says hello')
  // Even when the snapshot still has us disconnected (it raced the reconnect), our own card does not say so.
  fx.push('opponent.progress', { match_id: 'm_fixture1', user_id: me.id, tests_passed: 1, tests_total: 2, last_verdict: 'WA', submissions: 1, typing: false,
    connected: false, grace_deadline: new Date(fx.serverNow().getTime() + 30_000).toISOString(), server_now: fx.serverNow().toISOString() })
  await page.waitForTimeout(300)
  assert.equal(await page.getByTestId('my-progress').getAttribute('data-connected'), 'true')
  assert.doesNotMatch(await page.getByTestId('my-progress').textContent(), /disconnected/)

  // Correct solution: Accepted, then the server ends the match.
  await page.getByTestId('submit').click()
  await page.waitForURL('**/result/m_fixture1')
  await page.getByTestId('result-headline').getByText('Victory').waitFor()
  // The count-up ends on the server's number, not near it.
  assert.equal(await settledNumber(page, 'rating-value'), 1662)
  assert.equal(await page.getByTestId('rating-delta').getAttribute('data-delta'), '162')
  assert.equal(await settledNumber(page, 'xp-gained'), 140)
  assert.match(await page.getByTestId('xp-total').textContent(), /140 XP in total · Level 2 · level up!/)
  assert.equal(await page.getByRole('article').count(), 2, 'both solutions side by side')
  // The coach: the opponent's summary first, then the winner's full report with its plot.
  const mine = page.getByRole('article', { name: `Solution of ${me.username}` })
  await mine.locator('[data-testid="coach"][data-state="done"]').waitFor()
  assert.equal(await mine.getByTestId('coach-verdict').getAttribute('data-verdict'), 'meets')
  assert.match(await mine.getByTestId('coach-explanation').textContent(), /One pass over the readings/)
  assert.equal(await mine.getByTestId('coach-point').count(), 10, 'one dot per measured size')
  const box = await mine.getByTestId('coach-plot').locator('svg').boundingBox()
  assert.ok(box && box.width > 150 && box.height > 50, `the plot is drawn: ${JSON.stringify(box)}`)
  assert.match(await mine.getByTestId('coach-evidence').textContent(), /line 5/)
  const theirs = page.getByRole('article', { name: 'Solution of grace' })
  assert.match(await theirs.getByTestId('coach-explanation').textContent(), /never reads the input/)
  await shot(page, '13-result')
  await mine.getByTestId('coach-plot').scrollIntoViewIfNeeded()
  await shot(page, '13b-result-coach')

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
  // Below 1024 px the statement and the editor are panes with a switch.
  await page.getByTestId('pane-work').click()
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 120_000 })
  await shot(page, '14-match-tablet')
  assert.deepEqual(await axeSerious(page), [], 'axe: match room at tablet width')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at tablet width`)
  await ctx.close()
})


test('phone (390×844): the match room as problem/code panes, a nav menu, no horizontal scroll, accessible', async () => {
  const ctx = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  const page = await ctx.newPage()
  const reg = await page.request.post(arena.baseURL + '/api/v1/auth/register', { data: { username: uniqueName('ph'), password }, headers: { Origin: arena.baseURL } })
  const me = await reg.json()
  await installFixture(ctx, { me: { id: me.id, username: me.username }, opponent: { id: me.id + 1000, username: 'grace' } })
  await page.goto(arena.baseURL + '/')
  await page.waitForURL('**/match/m_fixture1')
  await page.getByTestId('problem-title').getByText('Signal Peaks').waitFor()
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  // The statement first; the editor one tap away, and back.
  assert.ok(await page.getByTestId('statement').isVisible(), 'statement shown')
  assert.ok(!(await page.getByTestId('workbench').isVisible()), 'editor pane hidden behind its switch')
  assert.ok((await overflow()) <= 0, `horizontal overflow of ${await overflow()}px (statement)`)
  assert.deepEqual(await axeSerious(page), [], 'axe: statement pane')
  await shot(page, '15-phone-match-statement')
  await page.getByTestId('pane-work').click()
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 120_000 })
  assert.ok(!(await page.getByTestId('statement').isVisible()), 'statement hidden while coding')
  assert.ok((await overflow()) <= 0, `horizontal overflow of ${await overflow()}px (editor)`)
  assert.deepEqual(await axeSerious(page), [], 'axe: code pane')
  await shot(page, '16-phone-match-code')
  // Navigation is a menu, every link reachable.
  await page.getByTestId('menu').click()
  for (const name of ['Lobby', 'Practice', 'Leaderboard', 'Spectate']) assert.ok(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).isVisible(), `${name} in the menu`)
  assert.ok((await overflow()) <= 0, `horizontal overflow of ${await overflow()}px (menu)`)
  await shot(page, '17-phone-menu')
  assert.deepEqual(ctx.pageErrors, [], 'no uncaught errors')
  await ctx.close()
})
