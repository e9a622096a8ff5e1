package main

// `segfault loadtest tournament`: a whole tournament with bots (issue 21).
// In-process API nodes on one embedded NATS and one store (as `loadtest
// arena`); in-process players register, check in, and play every match
// the tournament gives them: in each, the player with the higher user id
// resigns after a random think time, so every result is known in advance
// and the final standings can be checked against package tournament's.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/service"
	"github.com/segfaultarena/segfault/internal/arena/tournament"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

func init() {
	loadtestSubcommands["tournament"] = func(ctx context.Context, args []string) int {
		return runLoadtestTournament(ctx, args, os.Stdout, os.Stderr)
	}
}

type tourneyLTConfig struct {
	players, rounds, nodes int
	format                 string
	think                  time.Duration
	startIn                time.Duration
	matchLength            time.Duration
	timeout                time.Duration
	db, problemsDir        string
}

func runLoadtestTournament(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest tournament", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c tourneyLTConfig
	fs.IntVar(&c.players, "players", 256, "players (bots), all checked in")
	fs.IntVar(&c.rounds, "rounds", 5, "Swiss rounds")
	fs.StringVar(&c.format, "format", "swiss", "swiss or elimination")
	fs.IntVar(&c.nodes, "nodes", 2, "API nodes")
	fs.DurationVar(&c.think, "think", 2*time.Second, "a loser resigns after a random time up to this, once the match runs")
	fs.DurationVar(&c.startIn, "start-in", 0, "the tournament starts this long after it is created (0: 5 s + 20 ms a player)")
	fs.DurationVar(&c.matchLength, "match-length", 2*time.Minute, "each match's length (a bot that fails to resign ends it at the deadline)")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Minute, "give up after this long")
	fs.StringVar(&c.db, "db", "", "store: empty = SQLite in a temporary directory, or postgres://... (an empty database)")
	fs.StringVar(&c.problemsDir, "problems-dir", "problems", "problem packages")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if c.players < 2 || c.players > 4096 || c.nodes < 1 || c.nodes > 16 || c.think < 0 || c.matchLength < 10*time.Second ||
		(c.format != "swiss" && c.format != "elimination") || (c.format == "swiss" && (c.rounds < 1 || c.rounds > 20)) {
		fmt.Fprintln(stderr, "loadtest tournament: --players 2..4096, --nodes 1..16, --rounds 1..20, --format swiss or elimination, --match-length >= 10s")
		return 2
	}
	if c.startIn == 0 {
		c.startIn = 5*time.Second + time.Duration(c.players)*20*time.Millisecond
	}
	raiseFileLimit(uint64(64 * 1024))
	fmt.Fprintf(stdout, "loadtest tournament: %s, %d players, %d node(s), think up to %v, load %s\n", c.format, c.players, c.nodes, c.think, loadAvg())
	res, err := tourneyLoadRun(ctx, c, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "loadtest tournament: %v\n", err)
		return 1
	}
	for _, p := range res.problems {
		fmt.Fprintf(stdout, "  PROBLEM %s\n", p)
	}
	fmt.Fprintf(stdout, "RESULT loadtest tournament format=%s players=%d rounds=%d nodes=%d games=%d byes=%d total=%.1fs round_max=%.1fs pair_to_running_p99=%s resign_retries=%d wrong=%d load=%q\n",
		c.format, c.players, res.rounds, c.nodes, res.games, res.byes, res.total.Seconds(), res.roundMax.Seconds(), ms(res.runningP99),
		res.retries, len(res.problems), loadAvg())
	if len(res.problems) > 0 {
		return 1
	}
	return 0
}

type tourneyLoadResult struct {
	rounds, games, byes int
	total, roundMax     time.Duration
	runningP99          time.Duration
	retries             int64
	problems            []string
}

func tourneyLoadRun(ctx context.Context, c tourneyLTConfig, progress io.Writer) (*tourneyLoadResult, error) {
	a, err := startArenaNodes(ctx, arenaLTConfig{problemsDir: c.problemsDir, problem: "peak-count", db: c.db, judge: "fake"}, c.nodes)
	if err != nil {
		return nil, err
	}
	defer a.close()
	ids, err := a.users(ctx, c.players+1)
	if err != nil {
		return nil, err
	}
	admin, ids := ids[0], ids[1:]
	checkIn := 60
	brk := 0
	in := protocol.TournamentCreate{Name: "loadtest", Format: c.format, StartsAt: time.Now().Add(c.startIn).UTC().Format(time.RFC3339Nano),
		CheckInMinutes: &checkIn, RoundBreakS: &brk, DurationS: int(c.matchLength / time.Second)}
	if c.format == "swiss" {
		in.Rounds = c.rounds
	}
	d, err := a.nodes[0].CreateTournament(ctx, admin, in)
	if err != nil {
		return nil, err
	}
	id := d.Tournament.ID
	// Register and check in, 16 at a time, on every node.
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, c.players)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(ids); i = int(next.Add(1)) - 1 {
				svc := a.nodes[(i+w)%len(a.nodes)]
				for _, act := range []string{"register", "check-in"} {
					if _, err := svc.TournamentAction(ctx, id, ids[i], act); err != nil {
						errs <- fmt.Errorf("%s %d: %w", act, ids[i], err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, fmt.Errorf("registration (raise --start-in?): %w", err)
	}
	startsAt, _ := time.Parse(time.RFC3339, d.Tournament.StartsAt)
	fmt.Fprintf(progress, "  %d registered and checked in; starts in %v\n", len(ids), time.Until(startsAt).Round(100*time.Millisecond))

	bctx, stop := context.WithCancel(ctx)
	defer stop()
	var retries atomic.Int64
	var latMu sync.Mutex
	var running []time.Duration // a match's creation → the bot saw it running
	var bwg sync.WaitGroup
	for i, u := range ids {
		cl := a.nodes[i%len(a.nodes)].Attach(u, 1024)
		defer cl.Detach()
		bwg.Add(1)
		go func() {
			defer bwg.Done()
			ltTourneyBot(bctx, cl, c.think, &retries, func(d time.Duration) {
				latMu.Lock()
				running = append(running, d)
				latMu.Unlock()
			})
		}()
	}
	defer bwg.Wait()

	started := time.Now()
	deadline := started.Add(c.timeout)
	lastRound := -1
	var tr store.Tournament
	for {
		if tr, err = a.st.Tournament(ctx, id); err != nil {
			return nil, err
		}
		if tr.Round != lastRound {
			fmt.Fprintf(progress, "  %s round %d (%s) after %.1fs, load %s\n", tr.State, tr.Round, tr.Name, time.Since(started).Seconds(), loadAvg())
			lastRound = tr.Round
		}
		if tr.State == store.TournamentFinished || tr.State == store.TournamentCancelled {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the tournament did not finish in %v (state %s, round %d)", c.timeout, tr.State, tr.Round)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	stop()
	res := &tourneyLoadResult{rounds: tr.Round, retries: retries.Load()}
	rounds, err := a.st.TournamentRounds(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		if d := r.DoneAt.Sub(r.StartsAt); d > res.roundMax {
			res.roundMax = d
		}
		fmt.Fprintf(progress, "  round %d: %.1fs\n", r.Round, r.DoneAt.Sub(r.StartsAt).Seconds())
	}
	if len(rounds) > 0 {
		res.total = rounds[len(rounds)-1].DoneAt.Sub(rounds[0].StartsAt)
	}
	latMu.Lock()
	slices.Sort(running)
	if len(running) > 0 {
		res.runningP99 = running[min(len(running)-1, len(running)*99/100)]
	}
	latMu.Unlock()
	res.problems, res.games, res.byes = checkTourneyResult(ctx, a.st, tr, c.players)
	return res, nil
}

// ltTourneyBot plays every tournament match it is in: the higher user id
// resigns after a random think time once the match runs.
func ltTourneyBot(ctx context.Context, cl *service.Client, think time.Duration, retries *atomic.Int64, seen func(time.Duration)) {
	done := map[string]bool{}
	for {
		var raw []byte
		select {
		case <-ctx.Done():
			return
		case raw = <-cl.Frames:
		}
		var f struct {
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		var ms protocol.MatchState
		if json.Unmarshal(raw, &f) != nil || f.Type != string(protocol.EventMatchState) || json.Unmarshal(f.Data, &ms) != nil {
			continue
		}
		if !strings.HasPrefix(ms.MatchID, "t") || ms.State != protocol.PhaseRunning || done[ms.MatchID] {
			continue
		}
		done[ms.MatchID] = true
		if ms.StartsAt != nil {
			if at, err := time.Parse(time.RFC3339Nano, *ms.StartsAt); err == nil {
				seen(time.Since(at))
			}
		}
		loser := false
		for _, p := range ms.Players {
			if p.UserID < cl.User {
				loser = true
			}
		}
		if !loser {
			continue
		}
		go func() {
			if think > 0 {
				select {
				case <-time.After(rand.N(think)):
				case <-ctx.Done():
					return
				}
			}
			for attempt := 0; attempt < 100; attempt++ {
				rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
				_, _, err := cl.Do(rctx, protocol.OpMatchResign, &protocol.MatchRef{MatchID: ms.MatchID})
				cancel()
				if err == nil || ctx.Err() != nil || errcode.CodeOf(err) == errcode.MatchNotRunning {
					return
				}
				retries.Add(1)
				time.Sleep(250 * time.Millisecond)
			}
		}()
	}
}

// checkTourneyResult checks a finished tournament: every player played
// once per round, no rematch while the round count allows none (Swiss),
// at most one bye each, every game's outcome is the bots' (the lower id
// wins), every match finished, and the stored places are package
// tournament's standings.
func checkTourneyResult(ctx context.Context, st store.Store, tr store.Tournament, players int) (problems []string, games, byes int) {
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if tr.State != store.TournamentFinished {
		bad("tournament %s, not finished", tr.State)
	}
	ps, err := st.TournamentPlayers(ctx, tr.ID)
	if err != nil {
		bad("players: %v", err)
		return
	}
	gs, err := st.TournamentGames(ctx, tr.ID)
	if err != nil {
		bad("games: %v", err)
		return
	}
	var core []tournament.Player
	for _, p := range ps {
		if p.Seed > 0 {
			core = append(core, tournament.Player{ID: p.UserID, Rating: p.Rating, Seed: p.Seed})
		}
	}
	if len(core) != players {
		bad("%d players seeded, want %d", len(core), players)
	}
	met := map[[2]int64]bool{}
	hadBye := map[int64]bool{}
	inRound := map[[2]int64]bool{}
	for _, g := range gs {
		for _, u := range []int64{g.A, g.B} {
			if u != 0 {
				if inRound[[2]int64{int64(g.Round), u}] {
					bad("player %d plays twice in round %d", u, g.Round)
				}
				inRound[[2]int64{int64(g.Round), u}] = true
			}
		}
		if g.B == 0 {
			byes++
			if tr.Format == "swiss" && hadBye[g.A] && players > tr.SwissRounds {
				bad("player %d has a second bye", g.A)
			}
			hadBye[g.A] = true
			continue
		}
		games++
		k := [2]int64{min(g.A, g.B), max(g.A, g.B)}
		if met[k] && players > tr.SwissRounds+1 {
			bad("rematch %v in round %d", k, g.Round)
		}
		met[k] = true
		want := "a"
		if g.B < g.A {
			want = "b"
		}
		if g.Outcome != want {
			bad("round %d board %d (%d v %d): outcome %q, want %q", g.Round, g.Board, g.A, g.B, g.Outcome, want)
		}
		if m, err := st.ArenaMatch(ctx, g.MatchID); err != nil || m.State != store.MatchFinished {
			bad("match %s: %s %v", g.MatchID, m.State, err)
		}
	}
	for r := 1; r <= tr.Round; r++ {
		n := 0
		for _, p := range core {
			if inRound[[2]int64{int64(r), p.ID}] {
				n++
			}
		}
		if tr.Format == "swiss" && n != len(core) {
			bad("round %d: %d of %d players paired", r, n, len(core))
		}
	}
	cg := make([]tournament.Game, len(gs))
	for i, g := range gs {
		cg[i] = tournament.Game{Round: g.Round, Board: g.Board, A: g.A, B: g.B, Outcome: tournament.Outcome(g.Outcome)}
	}
	place := map[int64]int{}
	for _, p := range ps {
		place[p.UserID] = p.Place
	}
	for _, s := range tournament.Standings(tournament.Format(tr.Format), core, cg) {
		if place[s.PlayerID] != s.Rank {
			bad("player %d: place %d, standings %d", s.PlayerID, place[s.PlayerID], s.Rank)
		}
	}
	if len(problems) > 20 {
		problems = append(problems[:20], fmt.Sprintf("... and %d more", len(problems)-20))
	}
	return problems, games, byes
}
