// A stand-in for the server side of docs/protocol.md, installed in the
// browser context with Playwright's routeWebSocket, so the match room can be
// driven end to end in Chromium before internal/realtime exists (issue 6).
// Auth, pages and assets still come from the real Go server. It answers the
// way the contract says: snapshot on hello/resume, replies carrying the
// request id, server_now on every timed message. It executes the Python code
// the browser sends on the real sample tests of problems/peak-count, so
// verdicts are computed, not scripted. Delete this file's use once the real
// server speaks the protocol; match.e2e.mjs covers that.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoDir } from './harness.mjs'

const pkg = join(repoDir, 'problems/peak-count')
const coachReport = JSON.parse(readFileSync(join(repoDir, 'web/src/test/fixtures/coach-peaks-linear.json'), 'utf8'))

export function peakCountProblem() {
  const md = readFileSync(join(pkg, 'problem_statement/problem.en.md'), 'utf8')
  const samples = [1, 2].map((i) => ({
    input: readFileSync(join(pkg, `data/sample/${i}.in`), 'utf8'),
    output: readFileSync(join(pkg, `data/sample/${i}.ans`), 'utf8'),
  }))
  return { id: 'peak-count', title: 'Signal Peaks', difficulty: 800, tags: ['arrays'], time_limit_ms: 1000, memory_mb: 256, statement_md: md, samples,
    languages: ['python', 'c', 'cpp', 'go', 'javascript', 'java', 'rust'] }
}

const norm = (s) => s.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n+$/, '')

// The fixture judges with the machine's python3. Its time limit is
// hang-only: a 5 s limit is a figure load ~40 can reach, and a timed-out run
// is an RE, after which the match never finishes (the room test's wait for
// the result page failed that way in a CI run at load ~40, issue 12).
function runPython(code, input) {
  const t0 = Date.now()
  try {
    const out = execFileSync('python3', ['-c', code], { input, timeout: 120_000, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
    return { out, err: '', ok: true, ms: Date.now() - t0 }
  } catch (e) {
    return { out: String(e.stdout ?? ''), err: String(e.stderr ?? e.message), ok: false, ms: Date.now() - t0 }
  }
}

/**
 * Install the fixture on a browser context. `skewMs` puts the fixture's
 * clock that far from the real one, to prove the client never trusts its own.
 */
export async function installFixture(ctx, { me, opponent, skewMs = 0 }) {
  const problem = peakCountProblem()
  const serverNow = () => new Date(Date.now() + skewMs)
  const iso = (d) => d.toISOString()
  const startsAt = new Date(Date.now() + skewMs - 1000)
  const deadline = new Date(startsAt.getTime() + 10 * 60_000)
  const state = { received: [], sockets: [], finished: null, myCode: null }
  const player = (u, extra = {}) => ({ user_id: u.id, username: u.username, rating: 1500, rd: 350, level: 1, connected: true, grace_deadline: null,
    accepted: true, tests_passed: 0, tests_total: 0, last_verdict: null, submissions: 0, typing: false, finished: false, ...extra })
  const match = () => ({ match_id: 'm_fixture1', mode: 'ranked', state: state.finished ? 'finished' : 'running', you: me.id, spectating: false,
    server_now: iso(serverNow()), starts_at: iso(startsAt), deadline: iso(deadline), duration_s: 600, problem, players: [player(me), player(opponent)] })

  await ctx.routeWebSocket('**/ws', (ws) => {
    state.sockets.push(ws)
    const send = (type, data, id) => ws.send(JSON.stringify({ v: 1, type, ...(id ? { id } : {}), data }))
    state.push = send
    ws.onMessage((raw) => {
      const m = JSON.parse(String(raw))
      state.received.push(m)
      if (m.v !== 1) return send('error', { code: 'unsupported_version', message: 'v1 only' }, m.id)
      switch (m.type) {
        case 'hello':
        case 'resume':
          return send('snapshot', {
            server_now: iso(serverNow()),
            user: { user_id: me.id, username: me.username, rating: 1500, rd: 350, xp: 0, level: 1 },
            lobby: { online: 2, queues: { ranked: { waiting: 0, median_wait_s: 12 } }, recent_matches: [], live_matches: [], live_total: 0 },
            queue: null, pending_match: null, match: state.finished ? null : match(), room: null, my_code: state.myCode, last_finished: null,
          }, m.id)
        case 'ping':
          return send('pong', { server_now: iso(serverNow()) }, m.id)
        case 'typing':
        case 'leaderboard.unsubscribe':
          return
        case 'leaderboard.subscribe':
          return send('leaderboard.update', { board: 'rating', offset: 0, limit: m.data.limit, total: 2, server_now: iso(serverNow()),
            entries: [{ rank: 1, user_id: opponent.id, username: opponent.username, rating: 1500, rd: 350, provisional: true, xp: 0, level: 1 },
              { rank: 2, user_id: me.id, username: me.username, rating: 1500, rd: 350, provisional: true, xp: 0, level: 1 }], changed: [] }, m.id)
        case 'code.run': {
          state.myCode = { match_id: 'm_fixture1', lang: m.data.lang, code: m.data.code }
          if (typeof m.data.input === 'string') {
            // Custom input: nothing to compare with (internal/execution: verdict OK, expected null).
            const r = runPython(m.data.code, m.data.input)
            return send('run.result', { match_id: 'm_fixture1', compile_error: null,
              results: [{ sample: 1, verdict: r.ok ? 'OK' : 'RE', time_ms: r.ms, memory_kb: 9000, input: m.data.input, expected: null, actual: r.out, stderr: r.err }] }, m.id)
          }
          const results = problem.samples.map((s, i) => {
            const r = runPython(m.data.code, s.input)
            const verdict = !r.ok ? 'RE' : norm(r.out) === norm(s.output) ? 'AC' : 'WA'
            return { sample: i + 1, verdict, time_ms: r.ms, memory_kb: 9000, input: s.input, expected: s.output, actual: r.out, stderr: r.err }
          })
          return send('run.result', { match_id: 'm_fixture1', compile_error: null, results }, m.id)
        }
        case 'code.submit': {
          state.myCode = { match_id: 'm_fixture1', lang: m.data.lang, code: m.data.code }
          const sid = `s_${state.received.length}`
          const total = problem.samples.length
          // As internal/arena: the player's card goes pending, then progress
          // (tests judged so far, never a verdict), then the result.
          const self = (extra) => send('opponent.progress', { match_id: 'm_fixture1', user_id: me.id, tests_passed: 0, tests_total: total, submissions: 1, typing: false,
            connected: true, grace_deadline: null, server_now: iso(serverNow()), ...extra })
          self({ last_verdict: 'pending' })
          send('submission.progress', { match_id: 'm_fixture1', submission_id: sid, user_id: me.id, phase: 'compiling', test: 0, total })
          let passed = 0
          let verdict = 'AC'
          let failed = null
          for (const [i, s] of problem.samples.entries()) {
            const r = runPython(m.data.code, s.input)
            const v = !r.ok ? 'RE' : norm(r.out) === norm(s.output) ? 'AC' : 'WA'
            send('submission.progress', { match_id: 'm_fixture1', submission_id: sid, user_id: me.id, phase: 'running', test: i + 1, total })
            if (v !== 'AC') {
              verdict = v
              failed = i + 1
              break
            }
            passed++
          }
          send('submission.result', { match_id: 'm_fixture1', submission_id: sid, lang: m.data.lang, verdict, passed, total, failed_test: failed,
            time_ms: 12, memory_kb: 9000, compile_error: null, received_at: iso(serverNow()) }, m.id)
          self({ last_verdict: verdict, tests_passed: passed })
          if (verdict === 'AC') {
            state.finished = {
              match_id: 'm_fixture1', mode: 'ranked', outcome: 'won', reason: 'accepted', winner_id: me.id, finished_at: iso(serverNow()),
              ratings: [{ user_id: me.id, before: 1500, after: 1662.3, delta: 162.3, rd: 290 }, { user_id: opponent.id, before: 1500, after: 1337.7, delta: -162.3, rd: 290 }],
              xp: [{ user_id: me.id, gained: 140, total: 140, level: 2, level_up: true, breakdown: { win: 100, solve: 25, speed: 15 } }],
              solutions: [
                { user_id: me.id, username: me.username, lang: m.data.lang, verdict: 'AC', passed, total, code: m.data.code },
                { user_id: opponent.id, username: opponent.username, lang: 'cpp', verdict: 'WA', passed: 1, total, code: '#include <cstdio>\nint main(){ puts("0"); }\n' },
              ],
              coach: [],
            }
            setTimeout(() => send('match.finished', state.finished), 300)
            // Reports arrive one at a time, as each analysis ends; the
            // winner's carries a full coach.Report (a real one, made by
            // `segfault coach --json` on problems/peak-count's accepted
            // Python solution), the other only the summary fields.
            setTimeout(() => send('match.coach', { match_id: 'm_fixture1', coach: [
              { user_id: opponent.id, submission_id: 's_opp', time: 'O(1)', space: 'O(1)', confidence: 0.5, intended_time: 'O(n)', explanation: 'Prints a constant; it never reads the input.' },
            ] }), 700)
            setTimeout(() => send('match.coach', { match_id: 'm_fixture1', coach: [
              { user_id: me.id, submission_id: sid, time: 'O(n)', space: 'O(n)', confidence: 0.9, intended_time: 'O(n)',
                explanation: 'One pass over the readings, comparing each with its neighbours.', report: { ...coachReport, intended: { time: 'O(n)', space: 'O(n)' }, verdict: 'meets' } },
            ] }), 1100)
          }
          return
        }
        default:
          return send('error', { code: 'unknown_type', message: `fixture does not handle ${m.type}` }, m.id)
      }
    })
  })
  state.opponentProgress = (data) => state.push?.('opponent.progress', { match_id: 'm_fixture1', user_id: opponent.id, server_now: iso(serverNow()), ...data })
  state.progress = (data) => state.push?.('submission.progress', { match_id: 'm_fixture1', user_id: opponent.id, ...data })
  state.serverNow = serverNow
  state.problem = problem
  state.deadline = deadline
  return state
}
