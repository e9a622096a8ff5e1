// Sign-in flows against the real Go server: register in the browser, see the
// lobby with the real /api/v1/me data, sign out, sign in again; error toasts
// for real server error codes; every signed-in screen renders and nothing is
// fetched from outside this machine.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser, newContext, shot, startArena, uniqueName } from './harness.mjs'

let arena, browser

before(async () => {
  arena = await startArena()
  browser = await launchBrowser()
  console.log(`# e2e: SPA served by ${arena.mode} at ${arena.baseURL}; WebSocket protocol ${arena.speaksProtocol ? 'available' : 'not built yet'}`)
})

after(async () => {
  await browser?.close()
  await arena?.stop()
})

const password = 'correct horse battery staple'

test('register, lobby with /me data, sign out, sign in', async () => {
  const ctx = await newContext(browser)
  const page = await ctx.newPage()
  const name = uniqueName('ada')

  await page.goto(arena.baseURL + '/')
  await page.waitForURL('**/signin')
  await page.getByRole('heading', { name: /SegFault/ }).waitFor()
  await shot(page, '01-signin')

  await page.getByRole('tab', { name: 'Register' }).click()
  await page.waitForURL('**/register')
  await page.getByLabel('Username').fill(name)
  await page.getByLabel('Password').fill(password)
  await shot(page, '02-register')
  await page.getByRole('button', { name: 'Create account' }).click()

  await page.getByTestId('lobby-title').waitFor()
  assert.match(await page.getByTestId('lobby-title').textContent(), new RegExp(name))
  // The profile the database trigger made: rating 1500, RD 350, level 1.
  const profile = await page.getByTestId('lobby-profile').textContent()
  assert.match(profile, /Rating 1500/)
  assert.match(profile, /±350/)
  assert.match(profile, /Level 1/)
  assert.equal(await page.getByTestId('header-user').getByText(name).count(), 1)
  // The session cookie is HttpOnly: invisible to scripts.
  assert.equal(await page.evaluate(() => document.cookie.includes('sf_session')), false)
  await page.waitForTimeout(300)
  await shot(page, '03-lobby')

  // A reload keeps the session.
  await page.reload()
  await page.getByTestId('lobby-title').waitFor()

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL('**/signin')
  // Signed out for real: the API says so.
  const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status))
  assert.equal(me, 401)

  await page.getByLabel('Username').fill(name)
  await page.getByLabel('Password').fill('wrong password!!')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByTestId('toast-error').waitFor()
  assert.match(await page.locator('#auth-error').textContent(), /Wrong username or password/)
  await shot(page, '04-signin-error')

  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByTestId('lobby-title').waitFor()
  assert.deepEqual(ctx.offsite, [])
  assert.deepEqual(ctx.cspViolations, [])
  assert.deepEqual(ctx.pageErrors, [])
  await ctx.close()
})

test('taken username is explained', async () => {
  const ctx = await newContext(browser)
  const page = await ctx.newPage()
  const name = uniqueName('grace')
  // First registration straight through the API (same origin, no browser).
  const r = await fetch(arena.goURL + '/api/v1/auth/register', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: name, password }) })
  assert.equal(r.status, 201)

  await page.goto(arena.baseURL + '/register')
  await page.getByLabel('Username').fill(name)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  const toast = page.getByTestId('toast-error')
  await toast.waitFor()
  assert.equal(await toast.getAttribute('data-code'), 'username_taken')
  assert.match(await toast.textContent(), /That username is taken/)
  await shot(page, '05-username-taken')
  await ctx.close()
})

test('every signed-in screen renders, keyboard focus is visible', async () => {
  const ctx = await newContext(browser)
  const page = await ctx.newPage()
  const name = uniqueName('linus')
  await page.goto(arena.baseURL + '/register')
  await page.getByLabel('Username').fill(name)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByTestId('lobby-title').waitFor()

  for (const [path, label, file] of [
    ['/leaderboard', 'Leaderboard', '06-leaderboard'],
    ['/practice', 'Practice', '07-practice'],
    ['/spectate', 'Spectate', '08-spectate'],
    [`/users/${name}`, name, '09-profile'],
  ]) {
    await page.goto(arena.baseURL + path)
    await page.getByRole('heading', { name: label, exact: true }).first().waitFor()
    await page.waitForTimeout(300)
    await shot(page, file)
  }
  await page.goto(arena.baseURL + '/no/such/page')
  await page.getByRole('heading', { name: '404' }).waitFor()

  // Tab to the first control: it shows a focus ring (outline) for keyboard users.
  await page.goto(arena.baseURL + '/')
  await page.getByTestId('lobby-title').waitFor()
  await page.keyboard.press('Tab')
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)
  assert.notEqual(outline, 'none')

  // Tablet width: the lobby still fits without horizontal scrolling.
  await page.setViewportSize({ width: 768, height: 1024 })
  await page.waitForTimeout(200)
  await shot(page, '10-lobby-tablet')
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at tablet width`)
  assert.deepEqual(ctx.offsite, [])
  assert.deepEqual(ctx.cspViolations, [])
  assert.deepEqual(ctx.pageErrors, [])
  await ctx.close()
})
