// Issue 21's modes against a real `segfault serve` (bundled problems, real
// judging in runc, the real coach): a Shortest free-for-all of three
// players in Chromium (mode picked in the lobby, each one's Accepted
// submission final, the fewest characters wins, the result shows every
// count in order).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser, newContext, shot, startArena } from './harness.mjs'
import { playerKit, solution } from './players.mjs'

let arena, browser

before(async () => {
  arena = await startArena({ problems: true })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await arena?.stop()
})

const { register, typeCode, inMatch } = playerKit(() => arena)

// The server's count (internal/arena/match CountChars): white space is free.
const chars = (code) => [...code].filter((c) => !/\s/u.test(c)).length
const comment = (lang) => (lang === 'python' ? '#' : '//')

test('shortest free-for-all: three players, the fewest characters wins', { timeout: 900_000 }, async () => {
  const ctxs = await Promise.all([0, 1, 2].map(() => newContext(browser)))
  const [a, b, c] = await Promise.all([register(ctxs[0], 'sha'), register(ctxs[1], 'shb'), register(ctxs[2], 'shc')])
  // Everyone picks Shortest for the free-for-all and queues.
  for (const p of [a, b, c]) {
    await p.page.getByTestId('ffa-rule').selectOption('shortest')
    await p.page.getByTestId('queue-ffa').click()
    await p.page.getByTestId('queue-status').getByTestId('rule-badge').waitFor()
  }
  await shot(a.page, '60-ffa-shortest-queue')
  // Grouped after the free-for-all fill wait (30 s): everyone accepts.
  await Promise.all([a, b, c].map(async (p) => {
    await p.page.getByRole('dialog', { name: 'Match found' }).waitFor({ timeout: 180_000 })
    await p.page.getByRole('button', { name: 'Accept' }).click()
  }))
  try {
    await inMatch(a, b, c)
  } catch (e) {
    // What each page showed, for the log.
    for (const [i, p] of [a, b, c].entries()) {
      await shot(p.page, `6x-ffa-shortest-stuck-${i}`).catch(() => {})
      console.log(`page ${i}:`, p.page.url(), await p.page.getByTestId('submit').getAttribute('disabled').catch(() => 'no submit'),
        (await p.page.getByTestId('countdown').first().textContent().catch(() => '')) ?? '', p.frames.slice(-3).map((f) => f.slice(0, 200)))
    }
    throw e
  }
  const problemId = await a.page.getByTestId('problem-title').getAttribute('data-problem-id')
  for (const p of [a, b, c]) assert.equal(await p.page.getByTestId('rule-badge').first().getAttribute('data-rule'), 'shortest')

  // The same accepted solution, padded by a comment of a different length:
  // b's is the shortest, then c's, then a's.
  const sol = solution(problemId, 'accepted')
  const code = {
    a: `${sol.code.trimEnd()}\n${comment(sol.lang)} ${'a'.repeat(60)}\n`,
    b: sol.code,
    c: `${sol.code.trimEnd()}\n${comment(sol.lang)} ${'c'.repeat(20)}\n`,
  }
  const players = { a, b, c }
  for (const k of ['a', 'b']) {
    const p = players[k].page
    await typeCode(p, { lang: sol.lang, code: code[k] })
    await p.getByTestId('char-count').getByText(`${chars(code[k])} chars`).waitFor()
    await p.getByTestId('submit').click()
    await p.locator('[data-testid="submission"][data-verdict="AC"]').waitFor({ timeout: 300_000 })
    // Final: the button says so, and the match runs on for the others.
    await p.getByTestId('submit').getByText(/final/).waitFor()
    assert.match(p.url(), /\/match\//)
  }
  await shot(a.page, '61-ffa-shortest-final')
  await typeCode(c.page, { lang: sol.lang, code: code.c })
  await c.page.getByTestId('submit').click()

  // The last solve ends it: b wins, the counts in order.
  for (const p of [a, b, c]) await p.page.waitForURL('**/result/**', { timeout: 300_000 })
  await b.page.getByTestId('result-headline').getByText('Victory').waitFor()
  await a.page.getByTestId('result-headline').getByText('Defeat').waitFor()
  const counts = await a.page.getByTestId('chars').evaluateAll((es) => es.map((e) => Number(e.dataset.chars)))
  assert.deepEqual(counts, [chars(code.b), chars(code.c), chars(code.a)], 'solutions in character order, as the server counted them')
  assert.equal(await a.page.getByTestId('rule-badge').getAttribute('data-rule'), 'shortest')
  await a.page.getByText('Fewest characters among the accepted solutions').waitFor()
  await shot(a.page, '62-ffa-shortest-result')
  for (const ctx of ctxs) {
    assert.deepEqual(ctx.pageErrors, [], 'no uncaught errors')
    await ctx.close()
  }
})

// The Big-O duel: its own server on one small package (fixtures/bigo:
// n ≤ 2000, intended O(n log n)), so the quadratic solution is Accepted
// (0.2 s of CPU at n = 2000 against a 2 s limit) and the real coach then
// measures it far above the intended class, while the sorting one meets it.
test('big-o duel: the quadratic solution, Accepted first, loses to the n log n one', { timeout: 1_200_000 }, async () => {
  const { readFileSync } = await import('node:fs')
  const { dirname, join } = await import('node:path')
  const { fileURLToPath } = await import('node:url')
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'bigo')
  const quadratic = readFileSync(join(dir, 'distinct-count', 'submissions', 'accepted', 'pairs.py'), 'utf8')
  const nlogn = readFileSync(join(dir, 'distinct-count', 'submissions', 'accepted', 'sorted.py'), 'utf8')
  // The measurement waits long enough for the coach on a loaded machine (the default is 3 min).
  const duel = await startArena({ problemsDir: dir, extraArgs: ['--bigo-measure-grace', '10m'] })
  try {
    const kit = playerKit(() => duel)
    const ctxs = await Promise.all([0, 1].map(() => newContext(browser)))
    const [a, b] = await Promise.all([kit.register(ctxs[0], 'boa'), kit.register(ctxs[1], 'bob')])
    await a.page.getByTestId('room-rule').selectOption('bigo')
    assert.equal(await a.page.locator('#room-size').isDisabled(), true, 'a Big-O duel is 1v1')
    await a.page.getByTestId('room-create').click()
    const code = (await a.page.getByTestId('room-code').textContent()).trim()
    assert.equal(await a.page.getByTestId('room').getByTestId('rule-badge').getAttribute('data-rule'), 'bigo')
    await b.page.locator('#room-code').fill(code)
    await b.page.getByRole('button', { name: 'Join', exact: true }).click()
    await b.page.getByTestId('room').waitFor()
    await a.page.getByTestId('room-start').click()
    await kit.inMatch(a, b)
    assert.equal(await a.page.getByTestId('problem-title').getAttribute('data-problem-id'), 'distinct-count')

    // a: quadratic, Accepted first. The match goes on while the coach measures it.
    await kit.typeCode(a.page, { lang: 'python', code: quadratic })
    await a.page.getByTestId('submit').click()
    await a.page.locator('[data-testid="submission"][data-verdict="AC"]').waitFor({ timeout: 300_000 })
    assert.match(a.page.url(), /\/match\//, 'Accepted alone does not win a Big-O duel')
    // b: n log n, Accepted later; it wins once the measurements are in.
    await kit.typeCode(b.page, { lang: 'python', code: nlogn })
    await b.page.getByTestId('submit').click()
    for (const p of [a, b]) await p.page.waitForURL('**/result/**', { timeout: 700_000 })
    await b.page.getByTestId('result-headline').getByText('Victory').waitFor()
    await a.page.getByTestId('result-headline').getByText('Defeat').waitFor()
    const measures = await a.page.getByTestId('measure').evaluateAll((es) => es.map((e) => e.dataset.measure))
    assert.deepEqual(measures.sort(), ['meets', 'slower'])
    // Both measured growth curves on one chart (the reports may still be on their way to this page).
    const chart = a.page.getByTestId('bigo-curves')
    await chart.locator('[data-testid="bigo-series"]').nth(1).waitFor({ timeout: 120_000 })
    const series = await chart.locator('[data-testid="bigo-series"]').evaluateAll((gs) => gs.map((g) => Number(g.dataset.points)))
    assert.ok(series.length === 2 && series.every((n) => n >= 3), `two curves with points: ${series}`)
    await shot(a.page, '63-bigo-result')
    for (const ctx of ctxs) {
      assert.deepEqual(ctx.pageErrors, [], 'no uncaught errors')
      await ctx.close()
    }
  } finally {
    await duel.stop()
  }
})
