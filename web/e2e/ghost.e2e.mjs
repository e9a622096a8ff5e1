// A practice ghost race (issue 20), against a real `segfault serve` with
// the bundled problems and real judging: two players play a short casual
// match (A pastes the accepted solution and submits; B does nothing). Then
// B races A's ghost on the same problem from the Practice page (rating
// band "Any"): the ghost's lane shows A's name and replays A's editor at
// A's pace (its text appears, then its submission and verdict marks); B
// submits the accepted solution, and the result says who won and by how
// much ("You beat the ghost by …" or "The ghost won …").
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser, newContext, shot, startArena } from './harness.mjs'
import { playerKit, solution } from './players.mjs'

let arena, browser, skip = false
const { register, typeCode, inMatch, matchUp, showCode } = playerKit(() => arena)

before(async () => {
  arena = await startArena({ problems: true })
  if (!arena.speaksProtocol) {
    skip = 'the server does not speak the WebSocket protocol'
    return
  }
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await arena?.stop()
})

test('a practice race against the ghost of a real accepted solution', { timeout: 900_000 }, async (t) => {
  if (skip) return t.skip(skip)
  const ctxA = await newContext(browser)
  const ctxB = await newContext(browser)
  const a = await register(ctxA, 'gha')
  const b = await register(ctxB, 'ghb')
  const problemId = await matchUp(a, b, 'casual')
  await typeCode(a.page, solution(problemId, 'accepted'))
  await a.page.getByTestId('submit').click()
  await a.page.waitForURL('**/result/**', { timeout: 180_000 })
  await b.page.waitForURL('**/result/**', { timeout: 180_000 })

  // B races A's ghost on the same problem.
  await b.page.goto(`${arena.baseURL}/practice`)
  await b.page.getByTestId('ghost-band').selectOption('any')
  await b.page.getByTestId(`solve-${problemId}`).click()
  await b.page.getByTestId('ghost-lane').waitFor({ timeout: 180_000 })
  assert.equal(await b.page.getByTestId('ghost-name').textContent(), a.name)
  await inMatch(b)
  // A's editor plays back: its pasted solution appears at A's pace, with
  // the submission marked.
  await b.page.waitForFunction(() => (document.querySelector('[data-testid="ghost-editor"]')?.textContent ?? '').trim().length > 20, null, { timeout: 240_000 })
  await b.page.locator('[data-testid="ghost-marks"] [data-kind="submit"]').waitFor({ timeout: 240_000 })
  await shot(b.page, '70-ghost-race')
  await showCode(b.page)
  await typeCode(b.page, solution(problemId, 'accepted'))
  await b.page.getByTestId('submit').click()
  await b.page.waitForURL('**/result/**', { timeout: 180_000 })
  const res = b.page.getByTestId('ghost-result')
  await res.waitFor({ timeout: 60_000 })
  const text = await res.textContent()
  assert.match(text, /You beat the ghost|The ghost won|You tied the ghost/)
  // B submitted after the ghost's submission showed: the ghost won.
  assert.equal(await res.getAttribute('data-winner'), 'ghost', text)
  await shot(b.page, '71-ghost-result')
  assert.deepEqual([...ctxA.pageErrors, ...ctxB.pageErrors], [])
})
