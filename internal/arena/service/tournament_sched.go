package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/match"
	"github.com/segfaultarena/segfault/internal/arena/tournament"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// The tournament scheduler runs on the matchmaker (one leader). Each pass
// reads the scheduled and running tournaments from the store and does
// what package tournament says is due at the server's clock: start (seed
// the checked-in players), pair the next round (one conditional store
// write: a second scheduler gets a conflict), create each game's match
// on its owner through the matchmaker's own path (opMatchCreate, with a
// match id derived from the game, so a repeated creation is refused by
// the store instead of making a second match), record the results of the
// finished matches, and finish with the places. Nothing is kept only in
// memory: a new matchmaker's first pass continues the same rounds.
//
// A tournament's players are never matched elsewhere: from check-in until
// it ends the matchmaker refuses them the queue, rooms and practice
// (in_tournament), and a player queued when it starts leaves the queue.

const (
	tourneyEvery = time.Second
	// tourneyCreateWait is how long after a round's start a game whose
	// match cannot be created (a player still in another match) waits
	// before it is decided against the busy player.
	tourneyCreateWait = 2 * time.Minute
	tourneyCreators   = 16 // matches created at once
	tourneyMax        = 1000
)

type tourneyRun struct {
	kick chan struct{}
	// busy: user → tournament, every player the lobby must refuse
	// (guarded by the leader's mu).
	busy map[int64]int64
}

func newTourneyRun() *tourneyRun {
	return &tourneyRun{kick: make(chan struct{}, 1), busy: map[int64]int64{}}
}

// kickTournaments wakes the scheduler (a match ended).
func (l *leader) kickTournaments() {
	select {
	case l.tourney.kick <- struct{}{}:
	default:
	}
}

// inTournament is the admission check (l.mu held).
func (l *leader) inTournament(u int64) error {
	if id, ok := l.tourney.busy[u]; ok {
		return errcode.Errorf(errcode.InTournament, "you are playing in tournament %d", id)
	}
	return nil
}

func (l *leader) tourneyLoop() {
	t := time.NewTicker(tourneyEvery)
	defer t.Stop()
	for {
		// A pass that changed something runs again at once (a round's last
		// result can make the next round due without a break).
		for range 5 {
			if !l.tourneyPass() {
				break
			}
		}
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		case <-l.tourney.kick:
		}
	}
}

// tourneyPass runs one pass; it reports whether anything changed.
func (l *leader) tourneyPass() bool {
	ctx, cancel := context.WithTimeout(l.ctx, 60*time.Second)
	defer cancel()
	ts, err := l.s.st.ListTournaments(ctx, []string{store.TournamentScheduled, store.TournamentRunning}, tourneyMax)
	if err != nil {
		if l.ctx.Err() == nil {
			l.s.log.Warn("tournaments: list", "err", err)
		}
		return false
	}
	busy := map[int64]int64{}
	unread := map[int64]bool{} // tournaments whose players this pass could not read
	changed := false
	now := l.s.clk.Now()
	for _, t := range ts {
		c, err := l.tourneyStep(ctx, t, now, busy)
		if err != nil && l.ctx.Err() == nil {
			l.s.log.Warn("tournament step", "tournament", t.ID, "err", err)
			unread[t.ID] = true
		}
		if c {
			changed = true
			l.tourneyNotify(ctx, t.ID)
		}
	}
	l.mu.Lock()
	// Keep the players of tournaments this pass could not read.
	for u, id := range l.tourney.busy {
		if _, ok := busy[u]; !ok && unread[id] {
			busy[u] = id
		}
	}
	l.tourney.busy = busy
	l.mu.Unlock()
	return changed
}

// tourneyStep does what is due for t; changed says whether it wrote.
func (l *leader) tourneyStep(ctx context.Context, t store.Tournament, now time.Time, busy map[int64]int64) (changed bool, err error) {
	st := l.s.st
	ps, err := st.TournamentPlayers(ctx, t.ID)
	if err != nil {
		for u, id := range l.tourney.busy { // unknown: keep them refused
			if id == t.ID {
				busy[u] = id
			}
		}
		return false, err
	}
	sch := tournament.Schedule{StartsAt: t.StartsAt, CheckIn: t.CheckIn, RoundBreak: t.RoundBreak}
	v := tournament.View{Format: tournament.Format(t.Format), SwissRounds: t.SwissRounds, State: tournament.State(t.State), Schedule: sch, Round: t.Round}
	for _, p := range ps {
		switch {
		case p.Seed > 0:
			busy[p.UserID] = t.ID
		case t.State == store.TournamentScheduled && !p.CheckedInAt.IsZero():
			v.CheckedIn++
			if !now.Before(t.StartsAt.Add(-t.CheckIn)) {
				busy[p.UserID] = t.ID
			}
		}
	}
	var games []store.TournamentGame
	var rounds []store.TournamentRound
	if t.State == store.TournamentRunning {
		v.Players = seededPlayers(ps)
		if games, err = st.TournamentGames(ctx, t.ID); err != nil {
			return false, err
		}
		if rounds, err = st.TournamentRounds(ctx, t.ID); err != nil {
			return false, err
		}
		v.Games = coreGames(games)
		if len(rounds) > 0 {
			v.RoundDone = rounds[len(rounds)-1].DoneAt
		}
	}
	a := tournament.Next(v, now)
	switch a.Step {
	case tournament.Wait:
		return false, nil
	case tournament.Cancel:
		err := st.EndTournament(ctx, t.ID, store.TournamentCancelled, now, nil)
		l.s.log.Info("tournament cancelled: too few players checked in", "tournament", t.ID, "checked_in", v.CheckedIn, "err", err)
		return err == nil, ignoreConflict(err)
	case tournament.Start:
		return l.tourneyStart(ctx, t, ps, busy)
	case tournament.Finish:
		places := map[int64]int{}
		for _, s := range tournament.Standings(v.Format, v.Players, v.Games) {
			places[s.PlayerID] = s.Rank
		}
		err := st.EndTournament(ctx, t.ID, store.TournamentFinished, now, places)
		if err == nil {
			l.s.log.Info("tournament finished", "tournament", t.ID, "rounds", t.Round)
			for u, id := range busy {
				if id == t.ID {
					delete(busy, u)
				}
			}
		}
		return err == nil, ignoreConflict(err)
	case tournament.PairRound:
		return l.tourneyPair(ctx, t, v, a.Round, now)
	case tournament.Record:
		var start time.Time
		if len(rounds) > 0 {
			start = rounds[len(rounds)-1].StartsAt
		}
		var problem string
		if len(rounds) > 0 {
			problem = rounds[len(rounds)-1].ProblemID
		}
		var pending []store.TournamentGame
		for _, g := range games {
			if g.Round == t.Round && g.Outcome == "" {
				pending = append(pending, g)
			}
		}
		return l.tourneyGames(ctx, t, pending, problem, start, now), nil
	}
	return false, nil
}

func ignoreConflict(err error) error {
	if errors.Is(err, store.ErrConflict) {
		return nil // another matchmaker did it
	}
	return err
}

// tourneyStart seeds the checked-in players by their rating now and
// takes them out of the queue.
func (l *leader) tourneyStart(ctx context.Context, t store.Tournament, ps []store.TournamentPlayer, busy map[int64]int64) (bool, error) {
	var core []tournament.Player
	for _, p := range ps {
		if p.CheckedInAt.IsZero() {
			continue
		}
		prof, err := l.s.st.Profile(ctx, p.UserID)
		if err != nil {
			return false, fmt.Errorf("profile of %d: %w", p.UserID, err)
		}
		core = append(core, tournament.Player{ID: p.UserID, Rating: prof.Rating})
	}
	var seeded []store.TournamentPlayer
	for _, p := range tournament.Seed(core) {
		seeded = append(seeded, store.TournamentPlayer{UserID: p.ID, Seed: p.Seed, Rating: p.Rating})
		busy[p.ID] = t.ID
	}
	if err := l.s.st.StartTournament(ctx, t.ID, seeded); err != nil {
		return false, ignoreConflict(err)
	}
	l.s.log.Info("tournament started", "tournament", t.ID, "players", len(seeded))
	// Players still queued leave the queue: they play here now.
	var out []outMsg
	l.mu.Lock()
	changed := false
	for _, p := range seeded {
		if l.lobby.Leave(p.UserID) == nil {
			changed = true
			delete(l.windows, p.UserID)
			out = append(out, outMsg{user: p.UserID, frame: protocol.EventQueueStatus, data: l.queueView(p.UserID)})
		}
	}
	var ver uint64
	if changed {
		ver = l.bump()
	}
	l.mu.Unlock()
	if ver > 0 {
		if err := l.waitSaved(ctx, ver); err != nil {
			return true, err
		}
	}
	l.s.deliver("", out)
	return true, nil
}

// tourneyPair pairs round r and creates its matches.
func (l *leader) tourneyPair(ctx context.Context, t store.Tournament, v tournament.View, r int, now time.Time) (bool, error) {
	games, err := tournament.Pair(v.Format, v.Players, v.Games, r)
	if err != nil {
		return false, err
	}
	problem := ""
	if len(t.Problems) > 0 {
		problem = t.Problems[(r-1)%len(t.Problems)]
	} else {
		var ratings []float64
		for _, p := range v.Players {
			ratings = append(ratings, p.Rating)
		}
		if c, err := match.DefaultPolicy().Choose(l.s.playable.Candidates(), ratings, nil, l.s.opt.Pick); err == nil {
			problem = c.ID
		}
	}
	var rows []store.TournamentGame
	for _, g := range games {
		row := store.TournamentGame{Round: r, Board: g.Board, A: g.A, B: g.B, Outcome: string(g.Outcome)}
		if g.B != 0 {
			row.MatchID = tourneyMatchID(t.ID, r, g.Board)
		}
		rows = append(rows, row)
	}
	if err := l.s.st.StartRound(ctx, t.ID, store.TournamentRound{Round: r, ProblemID: problem, StartsAt: now}, rows); err != nil {
		return false, ignoreConflict(err)
	}
	l.s.log.Info("tournament round paired", "tournament", t.ID, "round", r, "games", len(rows), "problem", problem)
	var pending []store.TournamentGame
	for _, g := range rows {
		if g.Outcome == "" {
			pending = append(pending, g)
		}
	}
	l.tourneyGames(ctx, t, pending, problem, now, now)
	return true, nil
}

func tourneyMatchID(t int64, round, board int) string {
	return fmt.Sprintf("t%d-%d-%d", t, round, board)
}

// tourneyGames creates the matches of pending games that have none yet
// and records the outcome of those whose match ended.
func (l *leader) tourneyGames(ctx context.Context, t store.Tournament, pending []store.TournamentGame, problem string, start, now time.Time) bool {
	var mu sync.Mutex
	changed := false
	sem := make(chan struct{}, tourneyCreators)
	var wg sync.WaitGroup
	for _, g := range pending {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := l.tourneyGame(ctx, t, g, problem, start, now)
			if err != nil && l.ctx.Err() == nil {
				l.s.log.Warn("tournament game", "tournament", t.ID, "round", g.Round, "board", g.Board, "err", err)
			}
			if c {
				mu.Lock()
				changed = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return changed
}

func (l *leader) tourneyGame(ctx context.Context, t store.Tournament, g store.TournamentGame, problem string, start, now time.Time) (bool, error) {
	st := l.s.st
	m, err := st.ArenaMatch(ctx, g.MatchID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return l.tourneyCreate(ctx, t, g, problem, start, now)
	case err != nil:
		return false, err
	case m.State != store.MatchFinished && m.State != store.MatchCancelled:
		// Being played. A new matchmaker knows its players from the store.
		return false, nil
	}
	outcome := tournament.Lost
	switch {
	case m.State == store.MatchCancelled:
	case m.WinnerID == g.A:
		outcome = tournament.AWins
	case m.WinnerID == g.B:
		outcome = tournament.BWins
	case m.WinnerID == 0:
		outcome = tournament.Draw
	}
	if err := st.SetGameOutcome(ctx, t.ID, g.Round, g.Board, string(outcome), now); err != nil {
		return false, ignoreConflict(err)
	}
	return true, nil
}

// tourneyCreate starts a game's match on its owner, as the matchmaker
// starts any match: the players are marked playing first, so the lobby
// refuses them meanwhile.
func (l *leader) tourneyCreate(ctx context.Context, t store.Tournament, g store.TournamentGame, problem string, start, now time.Time) (bool, error) {
	if l.s.playable.Len() == 0 {
		return false, nil // nothing to play yet (serve warns at start): the game waits for an import
	}
	ia, err := l.s.userInfo(ctx, g.A)
	if err != nil {
		return false, err
	}
	ib, err := l.s.userInfo(ctx, g.B)
	if err != nil {
		return false, err
	}
	l.mu.Lock()
	ea, busyA := l.playing[g.A]
	eb, busyB := l.playing[g.B]
	busyA = busyA && ea.match != g.MatchID
	busyB = busyB && eb.match != g.MatchID
	if busyA || busyB {
		l.mu.Unlock()
		if now.Sub(start) < tourneyCreateWait {
			return false, nil // try again on the next pass
		}
		// Still in another match long after the round started: the busy
		// player loses the game (both busy: nobody scores).
		outcome := tournament.Lost
		switch {
		case busyA && !busyB:
			outcome = tournament.BWins
		case busyB && !busyA:
			outcome = tournament.AWins
		}
		l.s.log.Warn("tournament game decided: a player stayed in another match", "tournament", t.ID, "round", g.Round,
			"board", g.Board, "outcome", outcome)
		if err := l.s.st.SetGameOutcome(ctx, t.ID, g.Round, g.Board, string(outcome), now); err != nil {
			return false, ignoreConflict(err)
		}
		return true, nil
	}
	for _, u := range []int64{g.A, g.B} {
		l.playing[u] = playingEntry{match: g.MatchID, since: now}
	}
	l.mu.Unlock()
	req := createReq{MatchID: g.MatchID, Mode: protocol.ModeCasual, Players: []playerInfo{ia, ib},
		Room: roomSettings{ProblemID: problem, DurationS: int(t.MatchLength / time.Second)}}
	_, err = l.create(ctx, g.A, req)
	if errcode.CodeOf(err) == errcode.AlreadyInMatch {
		// Created already (by an earlier matchmaker), or a player is busy:
		// the next pass reads the store.
		return false, nil
	}
	return false, err
}

// tourneyNotify tells t's players it changed (they read it again).
func (l *leader) tourneyNotify(ctx context.Context, id int64) {
	t, err := l.s.st.Tournament(ctx, id)
	if err != nil {
		return
	}
	ps, err := l.s.st.TournamentPlayers(ctx, id)
	if err != nil {
		return
	}
	data := protocol.TournamentUpdate{TournamentID: id, State: t.State, Round: t.Round, ServerNow: protocol.Time(l.s.clk.Now())}
	out := make([]outMsg, 0, len(ps))
	for _, p := range ps {
		out = append(out, outMsg{user: p.UserID, frame: protocol.EventTournamentUpdate, data: data})
	}
	l.s.deliver("", out)
}
