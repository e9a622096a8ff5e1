// A 4-player Swiss tournament of 2 rounds in Chromium against a real
// `segfault serve` (issue 21): an administrator creates it with the form,
// four players register and check in on its page, the server starts it on
// its clock and sends each player to their match, one player of each
// game resigns once it runs, round 2 is paired from round 1's scores
// (winners meet, losers meet, no rematch), and the page shows the final
// standings (points, then Buchholz) and the profile the place.
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

const { register } = playerKit(() => arena)

async function detail(page, id) {
  const r = await page.request.get(`${arena.baseURL}/api/v1/tournaments/${id}`)
  assert.equal(r.status(), 200, await r.text())
  return r.json()
}

// The game's loser (b) resigns once the match runs; a waits for the end.
async function playRound(players, d, round) {
  const r = d.rounds.find((x) => x.round === round)
  assert.ok(r, `round ${round} paired`)
  assert.equal(r.games.length, 2, 'two games a round')
  await Promise.all(r.games.map(async (g) => {
    const loser = players.find((p) => p.name === g.b)
    const winner = players.find((p) => p.name === g.a)
    assert.ok(loser && winner, `game ${g.a} v ${g.b}`)
    for (const p of [loser, winner]) await p.page.waitForURL(`**/match/${g.match_id}`, { timeout: 180_000 })
    const page = loser.page
    // Running (a resignation in the countdown would cancel the match): the
    // match's record says so, and the starts_at it shows has passed.
    const until = Date.now() + 180_000
    for (;;) {
      const r = await page.request.get(`${arena.baseURL}/api/v1/matches/${encodeURIComponent(g.match_id)}`)
      const m = r.status() === 200 ? (await r.json()).match : null
      if (m?.state === 'running' && m.starts_at && Date.parse(m.starts_at) < Date.now() - 500) break
      assert.ok(Date.now() < until, `match ${g.match_id} never ran (${m?.state})`)
      await page.waitForTimeout(250)
    }
    await page.getByRole('button', { name: 'Resign', exact: true }).click()
    await page.getByRole('button', { name: 'Yes, resign' }).click()
    // The result screen shows briefly: with no break the next round's
    // match may take the player on at once, so the game's recorded outcome
    // is what is waited for.
    const deadline = Date.now() + 180_000
    for (;;) {
      const now = await detail(page, d.tournament.id)
      const game = now.rounds.find((x) => x.round === round).games.find((x) => x.board === g.board)
      if (game.outcome) {
        assert.equal(game.outcome, 'a', `${g.b} resigned: ${g.a} wins`)
        break
      }
      assert.ok(Date.now() < deadline, `no outcome for round ${round} board ${g.board}`)
      await page.waitForTimeout(250)
    }
  }))
}

test('a 4-player Swiss tournament of 2 rounds', async () => {
  const ctxs = await Promise.all([0, 1, 2, 3, 4].map(() => newContext(browser)))
  const boss = await register(ctxs[0], 'tboss')
  arena.makeAdmin(boss.name)
  const players = []
  for (let i = 0; i < 4; i++) players.push(await register(ctxs[i + 1], `tp${i}`))

  // The administrator's form: Swiss, 2 rounds, starting in 45 s, no break.
  const admin = boss.page
  await admin.goto(`${arena.baseURL}/tournaments`)
  await admin.getByTestId('tournament-new').click()
  const form = admin.getByTestId('tournament-form')
  await form.locator('input[name="name"]').fill('E2E Swiss')
  await form.locator('input[name="rounds"]').fill('2')
  await form.locator('input[name="starts_in"]').fill('0.75')
  await form.locator('input[name="round_break"]').fill('0')
  await shot(admin, '80-tournament-create')
  await form.getByRole('button', { name: 'Create' }).click()
  await admin.waitForURL('**/tournaments/*')
  const id = Number(admin.url().split('/').pop())
  assert.ok(id > 0, `tournament page ${admin.url()}`)
  const t0 = await detail(admin, id)
  assert.equal(t0.tournament.state, 'scheduled')
  assert.equal(t0.tournament.rounds, 2)

  // Each player registers and checks in on the tournament's page.
  for (const p of players) {
    await p.page.goto(`${arena.baseURL}/tournaments`)
    await p.page.locator(`[data-testid="tournament-row"][data-id="${id}"]`).getByRole('link', { name: /Open/ }).click()
    await p.page.getByTestId('tournament-register').click()
    await p.page.getByTestId('tournament-check-in').click()
    await p.page.getByTestId('checked-in').waitFor()
  }
  await shot(players[0].page, '81-tournament-checked-in')
  const t1 = await detail(admin, id)
  assert.equal(t1.entrants.length, 4)
  assert.ok(t1.entrants.every((e) => e.checked_in), 'all four checked in')
  // Checked in: the lobby refuses the queue (matched nowhere else).
  await players[0].page.goto(`${arena.baseURL}/`)
  await players[0].page.getByTestId('queue-casual').click()
  await players[0].page.getByText(/playing in a tournament/).first().waitFor({ timeout: 30_000 })

  // The server starts it on its clock and sends everyone to round 1.
  for (const p of players) await p.page.waitForURL('**/match/t*', { timeout: 180_000 })
  let d = await detail(admin, id)
  assert.equal(d.tournament.state, 'running')
  await playRound(players, d, 1)
  const round1Winners = d.rounds[0].games.map((g) => g.a).sort()

  // Round 2: the winners meet, the losers meet.
  for (const p of players) await p.page.waitForURL('**/match/t*', { timeout: 180_000 })
  d = await detail(admin, id)
  const r2 = d.rounds.find((r) => r.round === 2)
  assert.deepEqual([r2.games[0].a, r2.games[0].b].sort(), round1Winners, 'board 1 of round 2: the two winners of round 1')
  await admin.goto(`${arena.baseURL}/tournaments/${id}`)
  await admin.locator('[data-testid="tournament"][data-round="2"]').waitFor({ timeout: 30_000 })
  await shot(admin, '82-tournament-round-2')
  await playRound(players, d, 2)

  // Finished: the page shows the standings, the profile the place.
  await admin.locator('[data-testid="tournament"][data-state="finished"]').waitFor({ timeout: 60_000 })
  const rows = admin.getByTestId('standing')
  assert.equal(await rows.count(), 4)
  const final = await detail(admin, id)
  const champion = final.rounds[1].games[0].a
  assert.equal(await rows.first().getAttribute('data-user'), champion, 'the winner of both rounds is first')
  assert.equal(await rows.first().getAttribute('data-points'), '2')
  assert.deepEqual(final.standings.map((s) => s.points), [2, 1, 1, 0])
  assert.ok(final.standings[1].buchholz >= final.standings[2].buchholz, 'equal points: Buchholz decides')
  await shot(admin, '83-tournament-standings')
  await admin.goto(`${arena.baseURL}/users/${encodeURIComponent(champion)}`)
  await admin.getByTestId('profile-tournaments').getByText('#1 of 4').waitFor({ timeout: 30_000 })
  for (const c of ctxs) await c.close()
})
