// Chat (issue 21) against a real `segfault serve`: two players chat in the
// lobby and in their ranked match; markup stays text; a spectator (on a
// phone) writes in the spectators' channel, and neither player's page nor
// any frame their sockets receive ever carries it while the match runs.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { launchBrowser, newContext, shot, startArena } from './harness.mjs'
import { playerKit } from './players.mjs'

let arena, browser

before(async () => {
  arena = await startArena({ problems: true })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await arena?.stop()
})

const { register, matchUp } = playerKit(() => arena)

const chat = (page) => page.getByTestId('chat')

/** Opens a chat that starts closed (the match room's dock). */
async function openChat(page) {
  const toggle = chat(page).getByTestId('chat-toggle')
  if (await toggle.count() && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click()
}

async function say(page, text) {
  await openChat(page)
  const input = chat(page).getByTestId('chat-input')
  await page.waitForFunction(() => !document.querySelector('[data-testid="chat-input"]')?.hasAttribute('disabled'), null, { timeout: 60_000 })
  await input.fill(text)
  await chat(page).getByTestId('chat-send').click()
  await chat(page).getByTestId('chat-text').getByText(text, { exact: true }).waitFor({ timeout: 30_000 })
}

async function seen(page, text) {
  await openChat(page)
  await chat(page).getByTestId('chat-text').getByText(text, { exact: true }).waitFor({ timeout: 30_000 })
}

test('chat: lobby, a ranked match’s players, and spectators who never reach them', { timeout: 600_000 }, async () => {
  const ctxA = await newContext(browser)
  const ctxB = await newContext(browser)
  const ctxC = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  const a = await register(ctxA, 'cha')
  const b = await register(ctxB, 'chb')
  const c = await register(ctxC, 'chc')

  // The lobby: a labelled input, a polite log.
  await chat(a.page).getByLabel('Message to lobby chat').waitFor()
  assert.equal(await chat(a.page).getByRole('log').getAttribute('aria-live'), 'polite')
  await say(a.page, `hello lobby ${a.name}`)
  await seen(b.page, `hello lobby ${a.name}`)

  await matchUp(a, b, 'ranked')
  const matchId = a.page.url().split('/match/')[1]
  // A ranked match's player has only the players' channel.
  assert.equal(await chat(a.page).getByTestId('chat-tab-spectators').count(), 0)
  const markup = '<b>gl</b> <script>window.pwned=1</script> https://example.com/x'
  await say(a.page, markup)
  await seen(b.page, markup)
  assert.equal(await chat(b.page).locator('b, script, a').count(), 0, 'markup and links are text')
  assert.equal(await b.page.evaluate(() => window.pwned), undefined)

  // The spectator, on a phone, writes in the spectators' channel.
  await c.page.goto(`${arena.baseURL}/spectate/${matchId}`)
  await c.page.locator('[data-testid="problem-title"]:not([data-problem-id=""])').waitFor({ timeout: 60_000 })
  await openChat(c.page)
  assert.equal(await chat(c.page).locator('[data-channel]').getAttribute('data-channel'), `spectators:${matchId}`)
  const coaching = `spectator coaching ${Date.now()}`
  await say(c.page, coaching)
  assert.ok(!(await c.page.content()).includes(markup), 'a spectator does not read the players’ channel')
  await shot(c.page, '60-chat-spectator-phone')
  // Posted after it: once the players see this, the coaching would have come first.
  await say(b.page, 'after the spectator')
  await seen(a.page, 'after the spectator')
  for (const p of [a, b]) {
    assert.ok(!(await p.page.content()).includes(coaching), `${p.name}'s page shows no spectator message`)
    assert.ok(!p.frames.some((f) => f.includes(coaching)), `no frame to ${p.name} carries the spectator message`)
  }
  await shot(a.page, '61-chat-match')
  assert.deepEqual([...ctxA.pageErrors, ...ctxB.pageErrors, ...ctxC.pageErrors], [])
  await ctxA.close()
  await ctxB.close()
  await ctxC.close()
})
