// The replay of issue 20, against a real `segfault serve` with the bundled
// problems and real judging: two players finish a casual match (one pastes
// a wrong answer, runs and submits it; the other pastes the accepted
// solution, types a comment under it, runs and submits); every keystroke
// reached the server as editor.batch. The replay page then shows both
// editors side by side, and at each submission marker the text shown is
// exactly the code that was submitted (the server's record of it), for
// both players; play at 16× moves the clock; a shared link opens at its
// instant with the same text.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { launchBrowser, newContext, pasteCode, repoDir, shot, startArena, uniqueName } from './harness.mjs'
import { playerKit } from './players.mjs'

let arena, browser, skip = false
const { register, inMatch, matchUp } = playerKit(() => arena)

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

function solution(problemId, kind) {
  const dir = join(repoDir, 'problems', problemId, 'submissions', kind)
  assert.ok(existsSync(dir), `problem ${problemId} has no ${kind} submissions`)
  const f = readdirSync(dir).find((n) => n.endsWith('.py'))
  // Not every problem has a Python wrong answer (the match's problem is
  // random): then a program that prints nothing is one, on any problem.
  if (!f && kind === 'wrong_answer') return 'import sys\n\nsys.stdin.read()  # reads, answers nothing\n'
  assert.ok(f, `no Python ${kind} submission for ${problemId}`)
  return readFileSync(join(dir, f), 'utf8')
}

test('a finished match replays both editors; the text at each submission is the code submitted', { timeout: 900_000 }, async (t) => {
  if (skip) return t.skip(skip)
  const ctxA = await newContext(browser)
  const ctxB = await newContext(browser)
  const a = await register(ctxA, 'rpa')
  const b = await register(ctxB, 'rpb')
  // Both accept at once (matchUp): one after the other overran the 15 s accept window under load.
  const problemId = await matchUp(a, b, 'casual')
  const matchId = a.page.url().split('/match/')[1]

  // B: a wrong answer, run, submitted.
  await b.page.getByTestId('lang').selectOption('python')
  await pasteCode(b.page, solution(problemId, 'wrong_answer'))
  await b.page.getByTestId('run').click()
  await b.page.getByTestId('submit').click()
  await b.page.locator('[data-testid="submission"][data-verdict]:not([data-verdict="pending"])').waitFor({ timeout: 120_000 })

  // A reloads (a new editor instance: the replay follows it), then pastes
  // the accepted solution and types on (a comment at the end).
  await a.page.reload()
  await inMatch(a)
  await a.page.getByTestId('lang').selectOption('python')
  await pasteCode(a.page, solution(problemId, 'accepted'))
  await a.page.keyboard.press('Control+End')
  await a.page.keyboard.type('# replayed: naïve 🚀', { delay: 30 })
  await a.page.getByTestId('run').click()
  await a.page.getByTestId('submit').click()
  await a.page.waitForURL('**/result/**', { timeout: 150_000 })
  await b.page.waitForURL('**/result/**', { timeout: 180_000 })

  // What the server recorded as submitted.
  const rec = await (await a.page.request.get(`${arena.baseURL}/api/v1/matches/${matchId}`)).json()
  const submitted = new Map(rec.submissions.map((s) => [s.submission_id, s.code]))
  assert.equal(rec.submissions.length, 2, JSON.stringify(rec.submissions.map((s) => s.verdict)))

  // The replay, opened from the result screen.
  await a.page.getByTestId('watch-replay').click()
  await a.page.getByTestId('replay').waitFor({ timeout: 180_000 })
  const markers = a.page.locator('[data-testid^="marker-"]')
  await markers.first().waitFor()
  const kinds = await markers.evaluateAll((els) => els.map((e) => e.dataset.kind))
  for (const k of ['run', 'submit', 'verdict', 'finished']) assert.ok(kinds.includes(k), `markers ${kinds}`)
  const replay = await (await a.page.request.get(`${arena.baseURL}/api/v1/matches/${matchId}/replay`)).json()
  const submits = replay.markers.filter((m) => m.kind === 'submit')
  assert.equal(submits.length, 2)
  for (const m of submits) {
    assert.equal(m.code, submitted.get(m.submission_id), 'the replay carries the code submitted')
    const i = replay.markers.indexOf(m)
    await a.page.getByTestId(`marker-${i}`).click()
    const pane = a.page.getByTestId(`replay-text-${m.user_id}`)
    await a.page.waitForFunction(([id, code]) => document.querySelector(`[data-testid="replay-text-${id}"]`)?.textContent === code, [m.user_id, m.code], { timeout: 120_000 })
    assert.equal(await pane.textContent(), submitted.get(m.submission_id), `text shown at ${m.user_id}'s submission`)
  }
  await shot(a.page, '60-replay-at-submission')

  // A shared link opens at its instant: the first submission's text again.
  const first = submits[0]
  const ctxC = await newContext(browser)
  const c = await register(ctxC, 'rpc') // a spectator after the end: a casual match is public
  await c.page.goto(`${arena.baseURL}/replay/${matchId}?t=${first.at - replay.start_ms}`)
  await c.page.waitForFunction(([id, code]) => document.querySelector(`[data-testid="replay-text-${id}"]`)?.textContent === code, [first.user_id, first.code], { timeout: 180_000 })

  // Play at 16× from the start: the clock moves and the text grows.
  await a.page.getByTestId('scrubber').fill('0')
  await a.page.getByTestId('speed').selectOption('16')
  await a.page.getByTestId('play').click()
  await a.page.waitForFunction(() => Number(document.querySelector('[data-testid="replay"]')?.dataset.t) > 2000, null, { timeout: 180_000 })
  await a.page.getByTestId('play').click() // pause
  await shot(a.page, '61-replay-playing')
  assert.deepEqual([...ctxA.pageErrors, ...ctxC.pageErrors], [])
  assert.deepEqual([...ctxA.offsite, ...ctxC.offsite], [])
  for (const x of [ctxA, ctxB, ctxC]) await x.close()
})
