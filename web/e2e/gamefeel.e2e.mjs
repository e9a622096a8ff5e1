// Game feel (issue 14) in Chromium: tiers and avatars wherever a name
// appears, the VS intro and the server's countdown, sound, the live duel
// and the result screen. The real Go server signs players in and serves
// REST; gamefeel-fixture.mjs plays the WebSocket so every step comes on cue.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { entry, installScripted } from './gamefeel-fixture.mjs'
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

async function signUp(page, prefix) {
  const reg = await page.request.post(arena.baseURL + '/api/v1/auth/register', { data: { username: uniqueName(prefix), password }, headers: { Origin: arena.baseURL } })
  assert.equal(reg.status(), 201, await reg.text())
  return reg.json()
}

const avatarOf = (loc) => loc.locator('[data-testid="avatar"]').first().evaluate((e) => e.innerHTML)

test('tiers and generated avatars wherever a name appears', async () => {
  const ctx = await newContext(browser)
  const page = await ctx.newPage()
  const me = await signUp(page, 'tier')
  const fx = await installScripted(ctx, { me: { id: me.id, username: me.username } })
  fx.board = [entry(1, me.id + 5001, 'zeus', 2310, 45), entry(2, me.id + 5002, 'hopper', 1850, 60), entry(3, me.id, me.username, 1500, 350)]

  await page.goto(arena.baseURL + '/')
  // Lobby: my tier (a new player is a provisional Gold).
  const mine = page.getByTestId('tier-label').first()
  await mine.waitFor()
  assert.equal(await mine.getAttribute('data-tier'), 'gold')
  assert.match(await mine.textContent(), /Gold \(provisional\)/)
  // Header: avatar and a provisional badge with an accessible name.
  const header = page.getByTestId('header-user')
  assert.equal(await header.getByRole('img', { name: 'Gold tier, provisional' }).count(), 1)
  assert.equal(await header.getByTestId('avatar').getAttribute('data-avatar-key'), String(me.id))

  // Top players in the lobby, live from the subscription: badges per rating.
  const row = (name) => page.locator(`[data-testid="lb-row"][data-user="${name}"]`).first()
  await row('zeus').waitFor()
  assert.equal(await row('zeus').getByTestId('tier-badge').getAttribute('data-tier'), 'grandmaster')
  assert.equal(await row('zeus').getByTestId('tier-badge').getAttribute('data-provisional'), 'false')
  assert.equal(await row('hopper').getByTestId('tier-badge').getAttribute('data-tier'), 'diamond')
  assert.equal(await row(me.username).getByTestId('tier-badge').getAttribute('data-provisional'), 'true')
  // The same user has the same avatar everywhere, and others differ.
  assert.equal(await avatarOf(row(me.username)), await avatarOf(header))
  assert.notEqual(await avatarOf(row('zeus')), await avatarOf(header))
  await shot(page, '40-tiers-lobby')

  // Match found: both players with avatar and badge.
  fx.push('match.found', { match_id: 'm_gf1', mode: 'ranked', server_now: fx.at(0), accept_deadline: fx.at(15_000), difficulty: 1500, players: [
    { user_id: me.id, username: me.username, rating: 1500, rd: 350, level: 1, accepted: false },
    { user_id: me.id + 5002, username: 'hopper', rating: 1850, rd: 60, level: 9, accepted: false },
  ] })
  const dialog = page.getByRole('dialog', { name: 'Match found' })
  await dialog.waitFor()
  assert.equal(await dialog.getByTestId('avatar').count(), 2)
  assert.equal(await dialog.getByRole('img', { name: 'Diamond tier' }).count(), 1)
  assert.equal(await dialog.getByRole('img', { name: 'Gold tier, provisional' }).count(), 1)
  await shot(page, '41-tiers-match-found')
  fx.push('queue.status', { queued: false, mode: null, joined_at: null, server_now: fx.at(0), window: null, cooldown_until: null })
  await dialog.waitFor({ state: 'detached' })

  // Profile (real REST): avatar and tier.
  await page.goto(arena.baseURL + `/users/${encodeURIComponent(me.username)}`)
  const prof = page.getByTestId('profile')
  await prof.waitFor()
  assert.equal(await prof.getByTestId('tier-label').getAttribute('data-tier'), 'gold')
  assert.equal(await prof.getByTestId('avatar').getAttribute('data-avatar-key'), String(me.id))

  assert.deepEqual(ctx.cspViolations, [], 'inline SVG art runs under the server CSP')
  assert.deepEqual(ctx.pageErrors, [])
  await ctx.close()
})
