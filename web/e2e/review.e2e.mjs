// The fair-play review of issue 20, against a real `segfault serve` with the
// bundled problems and real judging: ada solves a problem in practice (an
// accepted solution); bob and cyd then play a ranked match on that problem
// and bob pastes ada's solution and wins. An administrator finds bob in
// the review queue with his paste and ada's submission as the closest
// similar one, opens the evidence (both submissions side by side, shared
// lines marked) at 390 px wide without horizontal overflow, and voids the
// match with a reason: bob's and cyd's ratings, RD, volatility, XP, level
// and record return to their values before the match, and the decision
// shows in the item's history.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { launchBrowser, newContext, pasteCode, repoDir, shot, startArena, uniqueName } from './harness.mjs'
import { playerKit } from './players.mjs'

let arena, browser, skip = false
const { register, inMatch } = playerKit(() => arena)

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

function accepted(problemId) {
  const dir = join(repoDir, 'problems', problemId, 'submissions', 'accepted')
  assert.ok(existsSync(dir), `problem ${problemId} has no accepted submissions`)
  const f = readdirSync(dir).find((n) => n.endsWith('.py'))
  assert.ok(f, `no Python accepted submission for ${problemId}`)
  return readFileSync(join(dir, f), 'utf8')
}

/** Everything a void must restore, as the player and the public profile see it. */
async function standing(page, name) {
  const me = await (await page.request.get(`${arena.baseURL}/api/v1/me`)).json()
  const prof = await (await page.request.get(`${arena.baseURL}/api/v1/users/${name}`)).json()
  const u = prof.user
  return { rating: me.rating, rd: me.rd, volatility: me.volatility, xp: me.xp, level: me.level, wins: u.wins, losses: u.losses, draws: u.draws }
}

test('a pasted copy of another player\'s solution is in the review queue with its evidence; voiding the match restores both ratings', { timeout: 900_000 }, async (t) => {
  if (skip) return t.skip(skip)
  const ctxA = await newContext(browser)
  const ctxB = await newContext(browser)
  const ctxC = await newContext(browser)
  const ctxD = await newContext(browser, { viewport: { width: 390, height: 844 } })
  const ada = await register(ctxA, 'rva')
  const bob = await register(ctxB, 'rvb')
  const cyd = await register(ctxC, 'rvc')
  const root = await register(ctxD, 'rvd')
  arena.makeAdmin(root.name)

  const before = { bob: await standing(bob.page, bob.name), cyd: await standing(cyd.page, cyd.name) }

  // bob and cyd play ranked.
  await bob.page.getByTestId('queue-ranked').click()
  await bob.page.getByTestId('queue-status').waitFor()
  await cyd.page.getByTestId('queue-ranked').click()
  // Both accept at once: one after the other can overrun the 15 s accept window under load.
  await Promise.all([bob.page, cyd.page].map(async (p) => {
    await p.getByRole('dialog', { name: 'Match found' }).waitFor({ timeout: 180_000 })
    await p.getByRole('button', { name: 'Accept' }).click()
  }))
  for (const p of [bob, cyd]) await inMatch(p)
  const problemId = await bob.page.getByTestId('problem-title').getAttribute('data-problem-id')
  const matchId = bob.page.url().split('/match/')[1]

  // Meanwhile ada's practice solution of that problem is accepted.
  const adaCode = `# ada's solution\n${accepted(problemId)}`
  const sub = await (await ada.page.request.post(`${arena.baseURL}/api/v1/submissions`, {
    data: { problem: problemId, lang: 'python', code: adaCode }, headers: { Origin: arena.baseURL },
  })).json()
  assert.ok(sub.id, JSON.stringify(sub))
  let verdict = ''
  for (const end = Date.now() + 180_000; Date.now() < end && !verdict;) {
    const s = await (await ada.page.request.get(`${arena.baseURL}/api/v1/submissions/${sub.id}`)).json()
    if (s.status === 'done') verdict = s.result?.verdict
    else await new Promise((r) => setTimeout(r, 500))
  }
  assert.equal(verdict, 'AC', 'ada\'s practice solution is accepted')

  // bob pastes it and wins.
  await bob.page.getByTestId('lang').selectOption('python')
  await pasteCode(bob.page, adaCode)
  await bob.page.getByTestId('submit').click()
  await bob.page.waitForURL('**/result/**', { timeout: 180_000 })
  await cyd.page.waitForURL('**/result/**', { timeout: 180_000 })
  const mid = { bob: await standing(bob.page, bob.name), cyd: await standing(cyd.page, cyd.name) }
  assert.notEqual(mid.bob.rating, before.bob.rating, 'the ranked win moved bob')
  assert.equal(mid.bob.wins, before.bob.wins + 1)

  // The administrator's queue: bob, his paste and ada's submission.
  const admin = root.page
  await admin.goto(`${arena.baseURL}/admin/review`)
  const item = admin.getByTestId('review-item').filter({ hasText: bob.name })
  await item.first().waitFor({ timeout: 120_000 })
  const text = await item.first().textContent()
  assert.match(text, /pasted \d+ characters/)
  assert.match(await item.first().getByTestId('queue-similar').textContent(), new RegExp(`like ${ada.name}'s submission`))
  await item.first().getByRole('button', { name: 'Evidence' }).click()
  const similar = item.first().getByTestId('similar').first()
  await similar.waitFor()
  assert.match(await similar.textContent(), new RegExp(`of ${ada.name}`))
  assert.ok(await similar.locator('[data-shared="true"]').count() > 3, 'shared lines are marked')
  assert.equal(await item.first().getByRole('link', { name: 'Replay' }).getAttribute('href'), `/replay/${matchId}`)
  const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 0, `the review page overflows 390 px by ${overflow} px`)
  await shot(admin, '70-review-evidence-390')

  // Void, with a reason.
  await item.first().getByRole('textbox', { name: /Reason/ }).fill(`pasted ${ada.name}'s practice solution`)
  await item.first().getByRole('button', { name: 'Void match' }).click()
  await item.first().getByTestId('decision-status').filter({ hasText: 'Recorded: voided the match' }).waitFor()
  const entry = item.first().getByTestId('history-entry').first()
  await entry.waitFor()
  assert.match(await entry.textContent(), new RegExp(`${root.name} voided the match.*pasted ${ada.name}'s practice solution`, 's'))
  await item.first().getByTestId('chip-voided').waitFor()
  await shot(admin, '71-review-voided-390')
  // Decided: loaded again, the queue shows bob under Decided, no longer under Open (the default view).
  await admin.reload()
  await admin.getByTestId('view-open').waitFor()
  assert.equal(await admin.getByTestId('view-open').getAttribute('aria-pressed'), 'true')
  assert.equal(await admin.getByTestId('review-item').filter({ hasText: bob.name }).count(), 0, 'a decided item leaves the open queue')
  await admin.getByTestId('view-decided').click()
  await admin.getByTestId('review-item').filter({ hasText: bob.name }).first().getByTestId('chip-decided').waitFor()
  await shot(admin, '72-review-decided-390')

  const after = { bob: await standing(bob.page, bob.name), cyd: await standing(cyd.page, cyd.name) }
  assert.deepEqual(after.bob, before.bob, 'bob is back exactly where he was before the match')
  assert.deepEqual(after.cyd, before.cyd, 'cyd is back exactly where she was before the match')

  for (const x of [ctxA, ctxB, ctxC, ctxD]) {
    assert.deepEqual(x.pageErrors, [])
    assert.deepEqual(x.offsite, [])
  }
  for (const x of [ctxA, ctxB, ctxC, ctxD]) await x.close()
})
