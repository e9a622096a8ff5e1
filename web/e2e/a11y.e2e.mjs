// Issue 13: zero serious or critical axe-core violations on every screen
// outside the match room (which room.e2e.mjs checks): sign in, register,
// lobby, leaderboard, practice, spectate, profile and the 404 page; at
// 1440×900 and at 390×844, with a screenshot of each, against a real
// `segfault serve`. The result screen of a real match (winner, loser,
// spectator) is audited the same way in truth.e2e.mjs.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { auditScreen as audit, launchBrowser, newContext, startArena } from './harness.mjs'
import { playerKit } from './players.mjs'

let arena, browser
const { register } = playerKit(() => arena)

before(async () => {
  arena = await startArena()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await arena?.stop()
})

test('every screen has no serious or critical axe violation, at desktop and phone width', { timeout: 900_000 }, async () => {
  const found = []
  const ctxA = await newContext(browser, { viewport: { width: 1440, height: 900 } })
  const ctxB = await newContext(browser, { viewport: { width: 1440, height: 900 } })
  const anon = await ctxA.newPage()
  await anon.goto(arena.baseURL + '/signin')
  await anon.getByRole('button', { name: 'Sign in' }).waitFor()
  await audit(anon, 'signin', found)
  await anon.goto(arena.baseURL + '/register')
  await anon.getByRole('button', { name: 'Create account' }).waitFor()
  await audit(anon, 'register', found)
  await anon.close()

  const a = await register(ctxA, 'axa')
  const b = await register(ctxB, 'axb')
  const page = a.page
  await audit(page, 'lobby', found)
  for (const [path, heading, label] of [
    ['/leaderboard', 'Leaderboard', 'leaderboard'],
    ['/practice', 'Practice', 'practice'],
    ['/spectate', 'Spectate', 'spectate'],
    [`/users/${a.name}`, a.name, 'profile'],
  ]) {
    await page.goto(arena.baseURL + path)
    await page.getByRole('heading', { name: heading, exact: true }).first().waitFor()
    await audit(page, label, found)
  }
  await page.goto(arena.baseURL + '/no/such/page')
  await page.getByRole('heading', { name: '404' }).waitFor()
  await audit(page, '404', found)

  assert.deepEqual(found, [])
  assert.deepEqual([...ctxA.pageErrors, ...ctxB.pageErrors], [])
  await ctxA.close()
  await ctxB.close()
})
