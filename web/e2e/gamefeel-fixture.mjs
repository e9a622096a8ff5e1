// A scripted server side of the WebSocket for the game-feel tests
// (gamefeel.e2e.mjs): it answers hello/resume with the snapshot the test
// describes and lets the test push any server message on cue (a match
// found, a countdown, progress of both players, the end), so what the
// player sees at each step is asserted exactly. Auth, pages and REST come
// from the real Go server.

export async function installScripted(ctx, { me, snapshot = {}, onRequest = () => undefined, skewMs = 0 }) {
  const state = { received: [], sockets: [], snapshot: { ...snapshot } }
  const serverNow = () => new Date(Date.now() + skewMs)
  const iso = (d) => d.toISOString()
  state.serverNow = serverNow
  state.at = (ms) => iso(new Date(serverNow().getTime() + ms))

  await ctx.routeWebSocket('**/ws', (ws) => {
    state.sockets.push(ws)
    const send = (type, data, id) => {
      if (type !== 'snapshot') state.remember?.(type, data)
      ws.send(JSON.stringify({ v: 1, type, ...(id ? { id } : {}), data }))
    }
    state.send = send
    ws.onMessage((raw) => {
      const m = JSON.parse(String(raw))
      state.received.push(m)
      const reply = onRequest(m, send, state)
      if (reply !== undefined) return
      switch (m.type) {
        case 'hello':
        case 'resume':
          return send('snapshot', {
            server_now: iso(serverNow()),
            user: { user_id: me.id, username: me.username, rating: 1500, rd: 350, xp: 0, level: 1 },
            lobby: { online: 2, queues: {}, recent_matches: [], live_matches: [], live_total: 0, featured: null, online_tiers: {}, online_players: [] },
            queue: null, pending_match: null, match: null, room: null, my_code: null, last_finished: null,
            ...state.snapshot,
          }, m.id)
        case 'ping':
          return send('pong', { server_now: iso(serverNow()) }, m.id)
        case 'leaderboard.subscribe':
          return send('leaderboard.update', { board: 'rating', offset: 0, limit: m.data.limit, total: state.board?.length ?? 0, server_now: iso(serverNow()),
            entries: state.board ?? [], changed: [] }, m.id)
        case 'typing':
        case 'leaderboard.unsubscribe':
        case 'spectate.stop':
          return
        default:
          return send('error', { code: 'unknown_type', message: `scripted fixture does not handle ${m.type}` }, m.id)
      }
    })
  })
  // What was pushed is what a reconnect's snapshot says, as on the real server.
  state.remember = (type, data) => {
    if (type === 'match.found') state.snapshot.pending_match = data
    if (type === 'queue.status') state.snapshot.pending_match = null
    if (type === 'match.state' && data.state !== 'found') Object.assign(state.snapshot, { match: data, pending_match: null })
    if (type === 'match.finished') Object.assign(state.snapshot, { match: null, last_finished: data })
  }
  state.push = (type, data) => {
    state.remember(type, data)
    state.send?.(type, data)
  }
  return state
}

export const entry = (rank, id, username, rating, rd, extra = {}) => ({
  rank, user_id: id, username, rating, rd, provisional: rd > 110, xp: 0, level: 1, weekly_xp: 0, ...extra,
})
