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

  // The leaderboard: the top three on a podium, first in the middle.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leaderboard' }).click()
  await page.getByTestId('podium').waitFor()
  assert.deepEqual(await page.getByTestId('podium-place').evaluateAll((els) => els.map((e) => e.dataset.user)), ['hopper', 'zeus', me.username])
  assert.equal(await page.locator('[data-testid="podium-place"][data-rank="1"] [data-testid="tier-badge"]').getAttribute('data-tier'), 'grandmaster')
  await shot(page, '41b-leaderboard-podium')

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

// Counts document.startViewTransition calls, and records every phase the
// VS intro goes through (a MutationObserver sees each change, however
// loaded the machine is).
const instrument = () => {
  window.__vt = 0
  const orig = document.startViewTransition
  if (orig) document.startViewTransition = function (cb) { window.__vt++; return orig.call(this, cb) }
  window.__phases = []
  new MutationObserver(() => {
    const el = document.querySelector('[data-testid="vs-intro"]')
    const v = el ? `${el.dataset.phase}:${el.dataset.count}` : 'none'
    if (window.__phases[window.__phases.length - 1] !== v) window.__phases.push(v)
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase', 'data-count'] })
}

// The face-off as the player sees it, or null while there is none.
const facing = () => {
  const el = document.querySelector('[data-testid="vs-intro"][data-phase="vs"]')
  if (!el) return null
  const cards = [...el.querySelectorAll('[data-testid="vs-card"]')].map((c) => ({ user: c.dataset.user, tier: c.querySelector('[data-testid="tier-badge"]').dataset.tier,
    rating: c.querySelector('[data-testid="vs-rating"]').textContent, avatar: c.querySelector('[data-testid="avatar"]').dataset.avatarKey }))
  return { cards, cardAnimation: getComputedStyle(el.querySelector('.vs-card')).animationName, markAnimation: getComputedStyle(el.querySelector('.vs-mark')).animationName,
    introAnimation: getComputedStyle(el).animationName, stageTransition: getComputedStyle(el.querySelector('.vs-stage')).transitionDuration,
    overflow: Math.round(Math.max(0, ...[...el.querySelectorAll('.vs-card, .vs-mark')].map((c) => { const r = c.getBoundingClientRect(); return Math.max(-r.left, r.right - window.innerWidth) }))) }
}
const counting = () => {
  const c = document.querySelector('[data-testid="vs-count"]')
  return c ? getComputedStyle(c).animationName : null
}

function duel(me, opp, fx, { startsInMs = 5000, state = 'countdown' } = {}) {
  const player = (u, extra = {}) => ({ user_id: u.id, username: u.username, rating: u.rating, rd: u.rd, level: u.level ?? 1, connected: true, grace_deadline: null,
    accepted: true, tests_passed: 0, tests_total: 0, last_verdict: null, submissions: 0, typing: false, finished: false, ...extra })
  const startsAt = fx.at(startsInMs)
  return (extra = {}) => ({ match_id: 'm_gf2', mode: 'ranked', state, you: me.id, spectating: false, server_now: fx.at(0), starts_at: startsAt,
    deadline: new Date(Date.parse(startsAt) + 600_000).toISOString(), duration_s: 600,
    problem: { id: 'p1', title: 'Signal Peaks', difficulty: 800, tags: ['arrays'], time_limit_ms: 1000, memory_mb: 256, statement_md: 'Count the peaks.', samples: [{ input: '1\n1\n', output: '1\n' }], languages: ['python'] },
    players: [player(me), player(opp)], ...extra })
}

test('VS intro, 3-2-1-GO on the server clock, staged transition, sound after interaction', async () => {
  const ctx = await newContext(browser)
  await ctx.addInitScript(instrument)
  const page = await ctx.newPage()
  const acct = await signUp(page, 'vs')
  const me = { id: acct.id, username: acct.username, rating: 1500, rd: 350 }
  const opp = { id: acct.id + 7000, username: 'hopper', rating: 1850, rd: 60, level: 9 }
  let match
  // The server's clock is two hours ahead of this machine's: a client that
  // trusted its own clock would never reach GO.
  const fx = await installScripted(ctx, { me, skewMs: 2 * 3600_000, onRequest: (m, send) => {
    if (m.type !== 'match.accept') return undefined
    send('match.state', { ...match(), state: 'found', starts_at: null, players: match().players.map((p) => ({ ...p, accepted: p.user_id === me.id })) }, m.id)
    setTimeout(() => send('match.state', match()), 400)
    // At the start the server says running (as internal/arena does).
    setTimeout(() => send('match.state', { ...match(), state: 'running', server_now: fx.at(0) }), Date.parse(match().starts_at) - fx.serverNow().getTime())
    return true
  } })
  await page.goto(arena.baseURL + '/')
  await page.getByTestId('lobby-title').waitFor()
  match = duel(me, opp, fx, { startsInMs: 40_000 })
  fx.push('match.found', { match_id: 'm_gf2', mode: 'ranked', server_now: fx.at(0), accept_deadline: fx.at(90_000), difficulty: 800,
    players: [{ user_id: me.id, username: me.username, rating: 1500, rd: 350, level: 1, accepted: false }, { user_id: opp.id, username: 'hopper', rating: 1850, rd: 60, level: 9, accepted: false }] })
  await page.getByRole('dialog', { name: 'Match found' }).waitFor()
  assert.equal(await page.evaluate(() => window.__segfaultSfx?.played.length ?? 0), 0, 'nothing plays before the player interacts')
  match = duel(me, opp, fx, { startsInMs: 40_000 })
  await page.getByRole('button', { name: 'Accept' }).click()

  const intro = page.getByTestId('vs-intro')
  // Everything the face-off shows, read at once (the machine may be slow; the intro is not).
  const seen = await (await page.waitForFunction(facing, null, { timeout: 60_000 })).jsonValue()
  assert.deepEqual(seen.cards.map((c) => c.user), [me.username, 'hopper'], 'me on the left, the opponent on the right')
  assert.deepEqual(seen.cards[1], { user: 'hopper', tier: 'diamond', rating: '1850', avatar: String(opp.id) })
  assert.equal(seen.cards[0].tier, 'gold')
  assert.equal(seen.cardAnimation, 'vs-in-left', 'the players slide in')
  assert.equal(seen.stageTransition, '0.45s', 'the stage glides up for the count')
  await page.waitForURL('**/match/m_gf2')
  assert.ok(await page.evaluate(() => window.__vt) >= 1, 'lobby → match is a view transition, not a hard cut')
  await shot(page, '42-vs-intro').catch(() => undefined)
  await intro.waitFor({ state: 'detached', timeout: 120_000 })
  // The server said running at its start: the editor is live.
  await page.waitForFunction(() => document.querySelector('[data-testid="submit"]')?.disabled === false, null, { timeout: 180_000 })
  const phases = await page.evaluate(() => window.__phases.filter((p) => p !== 'none'))
  const counts = phases.filter((p) => p.startsWith('count:')).map((p) => Number(p.split(':')[1]))
  assert.ok(phases[0].startsWith('vs:'), `starts with the face-off: ${phases}`)
  assert.ok(counts.length >= 1 && counts.every((c, i) => c >= 1 && c <= 3 && (i === 0 || c < counts[i - 1])), `3-2-1 counts down: ${phases}`)
  assert.equal(phases[phases.length - 1], 'go:0', `ends on GO: ${phases}`)

  const played = await page.evaluate(() => window.__segfaultSfx.played)
  assert.ok(!played.includes('queuePop'), `the match-found pop came before any interaction: ${played}`)
  assert.ok(played.includes('accept') && played.includes('tick') && played.includes('go'), `accept, countdown and GO sounded: ${played}`)

  // The mute switch persists.
  const toggle = page.getByTestId('sound-toggle')
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true')
  await toggle.click()
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false')
  await page.reload()
  await page.getByTestId('sound-toggle').waitFor()
  assert.equal(await page.getByTestId('sound-toggle').getAttribute('data-muted'), 'true', 'muted after a reload')
  assert.equal(await page.getByTestId('vs-intro').count(), 0, 'no intro replayed for a match long started')

  assert.deepEqual(ctx.cspViolations, [])
  assert.deepEqual(ctx.pageErrors, [])
  await ctx.close()
})

test('reduced motion (on a phone): the intro and the transitions do not move', async () => {
  const ctx = await newContext(browser, { reducedMotion: 'reduce', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  await ctx.addInitScript(instrument)
  const page = await ctx.newPage()
  const acct = await signUp(page, 'rm')
  const me = { id: acct.id, username: acct.username, rating: 1500, rd: 350 }
  const opp = { id: acct.id + 7000, username: 'hopper', rating: 1850, rd: 60 }
  const fx = await installScripted(ctx, { me })
  await page.goto(arena.baseURL + '/')
  await page.getByTestId('lobby-title').waitFor()
  fx.push('match.state', duel(me, opp, fx, { startsInMs: 40_000 })())
  const seen = await (await page.waitForFunction(facing, null, { timeout: 60_000 })).jsonValue()
  assert.deepEqual([seen.introAnimation, seen.cardAnimation, seen.markAnimation], ['none', 'none', 'none'], 'nothing slides, slams or fades')
  assert.equal(seen.overflow, 0, 'the face-off fits a 390 px screen')
  assert.ok(['0s', ''].includes(seen.stageTransition), `the stage does not glide: ${seen.stageTransition}`)
  await page.waitForURL('**/match/m_gf2')
  assert.equal(await page.evaluate(() => window.__vt), 0, 'no view transition under reduced motion')
  const countAnim = await (await page.waitForFunction(counting, null, { timeout: 120_000 })).jsonValue()
  assert.equal(countAnim, 'none', 'the numbers do not pop')
  await shot(page, '44-vs-reduced-motion-390').catch(() => undefined)
  await ctx.close()
})

test('live duel: both grids fill, the last minute, "X solved it!", then a result that is not a dead end', async () => {
  const ctx = await newContext(browser)
  await ctx.addInitScript(instrument)
  const page = await ctx.newPage()
  const acct = await signUp(page, 'live')
  const me = { id: acct.id, username: acct.username, rating: 1500, rd: 350 }
  const opp = { id: acct.id + 7000, username: 'hopper', rating: 1850, rd: 60, level: 9 }
  const fx = await installScripted(ctx, { me, onRequest: (m, send) => {
    if (m.type !== 'queue.join') return undefined
    send('queue.status', { queued: true, mode: m.data.mode, joined_at: fx.at(0), server_now: fx.at(0), window: { min: 1400, max: 1600 }, cooldown_until: null }, m.id)
    return true
  } })
  // A match that started a while ago and has 50 s left: its last minute.
  fx.snapshot.match = { ...duel(me, opp, fx, { startsInMs: -10_000, state: 'running' })(), deadline: fx.at(50_000) }
  await page.goto(arena.baseURL + '/')
  await page.waitForURL('**/match/m_gf2')
  await page.mouse.click(5, 300) // an interaction: sound may play from now on
  assert.equal(await page.getByTestId('countdown').first().getAttribute('data-state'), 'last-minute', 'the clock changes state in the last minute')
  assert.equal(await page.getByTestId('vs-intro').count(), 0, 'no intro for a match already under way')

  const lane = (name) => page.locator(`[data-testid="lane"][data-user="${name}"]`)
  const prog = (user, sid, test, total = 5) => fx.push('submission.progress', { match_id: 'm_gf2', submission_id: sid, user_id: user, phase: test === 0 ? 'compiling' : 'running', test, total })
  // As the server does: a submission is announced pending before its progress frames.
  const pending = (user) => fx.push('opponent.progress', { match_id: 'm_gf2', user_id: user, tests_passed: 0, tests_total: 5, last_verdict: 'pending', submissions: 1, typing: false, connected: true, grace_deadline: null, server_now: fx.at(0) })
  pending(opp.id)
  pending(me.id)
  prog(opp.id, 'o1', 0)
  await lane('hopper').locator('[data-phase="compiling"]').or(page.locator('[data-testid="lane"][data-user="hopper"][data-phase="compiling"]')).first().waitFor()
  for (const t of [1, 2, 3]) prog(opp.id, 'o1', t)
  prog(me.id, 'm1', 1)
  await page.locator('[data-testid="lane"][data-user="hopper"][data-judged="3"]').waitFor()
  assert.match(await lane('hopper').getByTestId('lane-status').textContent(), /Judging 3\/5/)
  assert.match(await page.getByTestId('opponent').getByTestId('judging').textContent(), /Judging 3\/5/, 'the card says what the lane says')
  assert.equal(await lane('hopper').locator('[data-cell="judged"]').count(), 3)
  assert.equal(await lane('hopper').locator('[data-cell="pass"]').count(), 0, 'judged is not passed: no verdict before the result')
  await page.locator(`[data-testid="lane"][data-user="${me.username}"][data-judged="1"]`).waitFor()
  await shot(page, '45-live-grids')

  fx.push('opponent.progress', { match_id: 'm_gf2', user_id: opp.id, tests_passed: 5, tests_total: 5, last_verdict: 'AC', submissions: 1, typing: false, connected: true, grace_deadline: null, server_now: fx.at(0) })
  await page.locator('[data-testid="lane"][data-user="hopper"][data-verdict="AC"]').waitFor()
  assert.equal(await lane('hopper').locator('[data-cell="pass"]').count(), 5)

  fx.push('match.finished', { match_id: 'm_gf2', mode: 'ranked', outcome: 'won', reason: 'accepted', winner_id: opp.id, finished_at: fx.at(0),
    ratings: [{ user_id: me.id, before: 1500, after: 1380, delta: -120, rd: 300 }, { user_id: opp.id, before: 1850, after: 1856, delta: 6, rd: 59 }],
    xp: [{ user_id: me.id, gained: 12, total: 12, level: 1, level_up: false }],
    solutions: [{ user_id: opp.id, username: 'hopper', lang: 'python', verdict: 'AC', passed: 5, total: 5, code: 'print(1)\n' }], coach: [] })
  const banner = page.getByTestId('solved-banner')
  await banner.waitFor()
  assert.equal((await banner.textContent()).trim(), 'hopper solved it!')
  assert.ok(page.url().endsWith('/match/m_gf2'), 'the banner comes before the cut to the result')
  await shot(page, '46-solved-banner').catch(() => undefined)
  await page.waitForURL('**/result/m_gf2')
  await page.getByTestId('result-headline').getByText('Defeat').waitFor()
  const vt = await page.evaluate(() => window.__vt)
  assert.ok(vt >= 1, 'match → result is a view transition')
  const change = page.getByTestId('tier-change')
  assert.equal(await change.getAttribute('data-change'), 'down')
  assert.match(await change.textContent(), /Down to Silver/)
  assert.equal(await page.getByTestId('rating-delta').getAttribute('data-delta'), '-120')
  assert.ok((await page.evaluate(() => window.__segfaultSfx.played)).includes('defeat'), 'defeat sounded')
  await shot(page, '47-result-actions')

  // Not a dead end: queue again, in the same mode.
  await page.getByTestId('queue-again').click()
  await page.waitForURL((u) => new URL(u).pathname === '/')
  const join = fx.received.find((m) => m.type === 'queue.join')
  assert.equal(join?.data.mode, 'ranked')
  assert.deepEqual(ctx.cspViolations, [])
  assert.deepEqual(ctx.pageErrors, [])
  await ctx.close()
})

// Horizontal overflow at the current width: the page's own scroll width,
// and any visible element reaching past the right or left edge that no
// scrolling box of its own contains (a clipped card scrolls nothing but
// is still cut off).
const overflowAt = (page) => page.evaluate(() => {
  const vw = document.documentElement.clientWidth
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true
    }
    return false
  }
  const out = [...document.querySelectorAll('body *')].filter((el) => {
    const r = el.getBoundingClientRect()
    if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === 'hidden') return false
    return (r.right > vw + 1 || r.left < -1) && !clipped(el)
  })
  // The innermost: what pushes its ancestors out.
  const past = out.filter((el) => !out.some((o) => o !== el && el.contains(o))).slice(0, 3).map((el) => `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''}.${[...el.classList].slice(0, 3).join('.')}`)
  return { scroll: document.documentElement.scrollWidth - vw, past }
})

async function phoneShot(page, name) {
  // Measured at rest: a card sliding in from the side is past the edge on purpose.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))))
  const o = await overflowAt(page)
  assert.deepEqual(o, { scroll: 0, past: [] }, `${name}: no horizontal overflow at 390 px`)
  await shot(page, name)
}

test('on a phone (390×844): lobby with who is online, VS intro, result with rematch, leaderboard, profile; nothing overflows', { timeout: 600_000 }, async () => {
  const ctx = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  await ctx.addInitScript(instrument)
  const page = await ctx.newPage()
  const acct = await signUp(page, 'phone')
  const me = { id: acct.id, username: acct.username, rating: 1500, rd: 350 }
  const opp = { id: acct.id + 7000, username: 'hopper', rating: 1850, rd: 60, level: 9 }
  const card = (user_id, username, rating, tier, provisional = false) => ({ user_id, username, rating, tier, provisional })
  const fx = await installScripted(ctx, { me })
  const zeus = card(me.id + 5001, 'zeus', 2310, 'grandmaster')
  const hopper = card(opp.id, 'hopper', 1850, 'diamond')
  const mine = card(me.id, me.username, 1500, 'gold', true)
  fx.snapshot.lobby = { online: 5, queues: { ranked: { waiting: 2, median_wait_s: 14 } }, live_total: 1,
    live_matches: [{ match_id: 'm_live', mode: 'ranked', problem_title: 'Signal Peaks', players: ['zeus', 'hopper'], starts_at: fx.at(-60_000), deadline: fx.at(540_000), cards: [zeus, hopper] }],
    recent_matches: [{ match_id: 'm_old', mode: 'ranked', problem_title: 'Two Divisors', players: ['zeus', 'ada_lovelace_the_first'], winner: 'zeus', finished_at: fx.at(-120_000),
      cards: [zeus, card(me.id + 5003, 'ada_lovelace_the_first', 1420, 'gold')] }],
    featured: { date: new Date().toISOString().slice(0, 10), id: 'peak-count', title: 'Peak Count', difficulty: 1100 },
    online_tiers: { grandmaster: 1, diamond: 1, gold: 2, bronze: 1 },
    online_players: [zeus, hopper, mine, card(me.id + 5003, 'ada_lovelace_the_first', 1420, 'gold'), card(me.id + 5004, 'newcomer', 1100, 'bronze', true)] }
  fx.board = [entry(1, zeus.user_id, 'zeus', 2310, 45, { win_streak: 4 }), entry(2, opp.id, 'hopper', 1850, 60), entry(3, me.id + 5003, 'ada_lovelace_the_first', 1420, 80), entry(4, me.id, me.username, 1500, 350)]

  // Lobby: the mode cards, then who is online by tier.
  await page.goto(arena.baseURL + '/')
  await page.getByTestId('lobby-title').waitFor()
  await page.getByTestId('online-player').first().waitFor()
  assert.deepEqual(await page.getByTestId('online-tier').evaluateAll((els) => els.map((e) => `${e.dataset.tier}:${e.dataset.count}`)), ['bronze:1', 'gold:2', 'diamond:1', 'grandmaster:1'])
  await phoneShot(page, '60-phone-lobby')
  await page.getByTestId('online-now').scrollIntoViewIfNeeded()
  await phoneShot(page, '61-phone-lobby-online')
  await page.getByRole('heading', { name: 'Recent matches' }).scrollIntoViewIfNeeded()
  await phoneShot(page, '62-phone-lobby-matches')

  // VS intro.
  fx.push('match.state', duel(me, opp, fx, { startsInMs: 8_000 })())
  await page.waitForFunction(facing, null, { timeout: 60_000 })
  await phoneShot(page, '63-phone-vs-intro')
  await page.waitForURL('**/match/m_gf2')
  await page.getByTestId('vs-intro').waitFor({ state: 'detached', timeout: 120_000 })

  // Result, with the opponent's rematch offer.
  fx.push('match.finished', { match_id: 'm_gf2', mode: 'ranked', outcome: 'won', reason: 'accepted', winner_id: me.id, finished_at: fx.at(0),
    ratings: [{ user_id: me.id, before: 1500, after: 1662, delta: 162, rd: 290 }, { user_id: opp.id, before: 1850, after: 1841, delta: -9, rd: 59 }],
    xp: [{ user_id: me.id, gained: 60, total: 60, level: 1, level_up: false }],
    solutions: [{ user_id: me.id, username: me.username, lang: 'python', verdict: 'AC', passed: 5, total: 5, code: 'n = int(input())\nprint(sum(1 for _ in range(n)))\n' }], coach: [] })
  await page.waitForURL('**/result/m_gf2')
  await page.getByTestId('result-headline').getByText('Victory').waitFor()
  fx.push('rematch.state', { match_id: 'm_gf2', state: 'open', accepted: [opp.id], by: null, expires_at: fx.at(60_000), new_match_id: null, server_now: fx.at(0) })
  await page.getByTestId('rematch-accept').waitFor()
  await page.locator('[data-testid="rating-value"][data-settled="true"]').first().waitFor({ timeout: 30_000 })
  await page.getByTestId('rematch').scrollIntoViewIfNeeded()
  await phoneShot(page, '64-phone-result-rematch')

  // Leaderboard: the podium.
  await page.goto(arena.baseURL + '/leaderboard')
  await page.getByTestId('podium').waitFor()
  await page.locator('[data-testid="lb-row"]').first().waitFor()
  await phoneShot(page, '66-phone-leaderboard')

  // Profile (real REST).
  await page.goto(arena.baseURL + `/users/${encodeURIComponent(me.username)}`)
  await page.getByTestId('profile').waitFor()
  await phoneShot(page, '67-phone-profile')

  assert.deepEqual(ctx.cspViolations, [])
  assert.deepEqual(ctx.pageErrors, [])
  await ctx.close()
})
