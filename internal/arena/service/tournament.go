package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/segfaultarena/segfault/internal/arena/tournament"
	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// Tournaments (issue 21): the REST side (this file) and the scheduler
// the matchmaker runs (tournament_sched.go). Everything is in the store;
// the scheduler re-derives what to do from it on every pass, so a new
// matchmaker (after a node's loss) carries on where the last one was.

// The actions of TournamentAction (httpapi.TournamentRegister, ...).
const (
	actionRegister = "register"
	actionLeave    = "leave"
	actionCheckIn  = "check-in"
)

// Limits of a tournament's settings.
const (
	tournamentNameMax      = 80
	tournamentRoundsMax    = 20
	tournamentPlayersMax   = 4096
	tournamentCheckInMax   = 1440 // minutes
	tournamentBreakMax     = 3600 // seconds
	tournamentDurationMin  = 10   // seconds (blitz events, tests)
	tournamentDurationMax  = 7200
	tournamentDefaultCheck = 10 // minutes
	tournamentDefaultBreak = 30 // seconds
	tournamentListMax      = 50
)

func (s *Service) CreateTournament(ctx context.Context, admin int64, in protocol.TournamentCreate) (protocol.TournamentDetail, error) {
	bad := func(format string, a ...any) (protocol.TournamentDetail, error) {
		return protocol.TournamentDetail{}, errcode.Errorf(errcode.InvalidRequest, format, a...)
	}
	now := s.clk.Now()
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "" || utf8.RuneCountInString(in.Name) > tournamentNameMax:
		return bad("name: 1–%d characters", tournamentNameMax)
	case in.Format != string(tournament.Swiss) && in.Format != string(tournament.Elimination):
		return bad(`format: "swiss" or "elimination"`)
	case in.Format == string(tournament.Swiss) && (in.Rounds < 1 || in.Rounds > tournamentRoundsMax):
		return bad("rounds: 1–%d for a Swiss tournament", tournamentRoundsMax)
	case in.Format == string(tournament.Elimination) && in.Rounds != 0:
		return bad("rounds: an elimination has as many rounds as its field needs; leave it out")
	case in.CheckInMinutes != nil && (*in.CheckInMinutes < 0 || *in.CheckInMinutes > tournamentCheckInMax):
		return bad("check_in_minutes: 0–%d", tournamentCheckInMax)
	case in.RoundBreakS != nil && (*in.RoundBreakS < 0 || *in.RoundBreakS > tournamentBreakMax):
		return bad("round_break_s: 0–%d", tournamentBreakMax)
	case in.DurationS != 0 && (in.DurationS < tournamentDurationMin || in.DurationS > tournamentDurationMax):
		return bad("duration_s: %d–%d, or 0 for the problem's length", tournamentDurationMin, tournamentDurationMax)
	case in.MaxPlayers < 0 || in.MaxPlayers == 1 || in.MaxPlayers > tournamentPlayersMax:
		return bad("max_players: 2–%d, or 0 for no limit", tournamentPlayersMax)
	case len(in.Problems) > tournamentRoundsMax:
		return bad("problems: at most %d", tournamentRoundsMax)
	}
	starts, err := time.Parse(time.RFC3339, in.StartsAt)
	if err != nil {
		return bad("starts_at: an RFC 3339 time")
	}
	if !starts.After(now) {
		return bad("starts_at: in the future")
	}
	for _, p := range in.Problems {
		if _, ok := s.playable.Get(p); !ok {
			return protocol.TournamentDetail{}, errcode.Errorf(errcode.ProblemNotFound, "no playable problem %q", truncateID(p))
		}
	}
	checkIn := tournamentDefaultCheck
	if in.CheckInMinutes != nil {
		checkIn = *in.CheckInMinutes
	}
	brk := tournamentDefaultBreak
	if in.RoundBreakS != nil {
		brk = *in.RoundBreakS
	}
	t, err := s.st.CreateTournament(ctx, store.Tournament{Name: in.Name, Format: in.Format, SwissRounds: in.Rounds, StartsAt: starts.UTC(),
		CheckIn: time.Duration(checkIn) * time.Minute, RoundBreak: time.Duration(brk) * time.Second,
		MatchLength: time.Duration(in.DurationS) * time.Second, Problems: in.Problems, MaxPlayers: in.MaxPlayers,
		CreatedBy: admin, CreatedAt: now})
	if err != nil {
		return protocol.TournamentDetail{}, fmt.Errorf("arena: create tournament: %w", err)
	}
	s.log.Info("tournament created", "id", t.ID, "name", t.Name, "format", t.Format, "starts", t.StartsAt, "admin", admin)
	return s.TournamentDetail(ctx, t.ID, admin)
}

func (s *Service) ListTournaments(ctx context.Context, viewer int64) (protocol.TournamentList, error) {
	ts, err := s.st.ListTournaments(ctx, nil, tournamentListMax)
	if err != nil {
		return protocol.TournamentList{}, fmt.Errorf("arena: list tournaments: %w", err)
	}
	out := protocol.TournamentList{Tournaments: protocol.List[protocol.TournamentSummary]{}, ServerNow: protocol.Time(s.clk.Now())}
	// Those to come or running first (soonest first), then the ended ones.
	var open, ended []protocol.TournamentSummary
	for _, t := range ts {
		var ps []store.TournamentPlayer
		if viewer != 0 && (t.State == store.TournamentScheduled || t.State == store.TournamentRunning) {
			if ps, err = s.st.TournamentPlayers(ctx, t.ID); err != nil {
				return out, fmt.Errorf("arena: tournament %d players: %w", t.ID, err)
			}
		}
		v := tournamentSummary(t, ps, viewer)
		if t.State == store.TournamentScheduled || t.State == store.TournamentRunning {
			open = append([]protocol.TournamentSummary{v}, open...)
		} else {
			ended = append(ended, v)
		}
	}
	out.Tournaments = append(append(out.Tournaments, open...), ended...)
	return out, nil
}

func tournamentSummary(t store.Tournament, ps []store.TournamentPlayer, viewer int64) protocol.TournamentSummary {
	v := protocol.TournamentSummary{ID: t.ID, Name: t.Name, Format: t.Format, State: t.State, Rounds: t.SwissRounds, Round: t.Round,
		StartsAt: protocol.Time(t.StartsAt), CheckInOpensAt: protocol.Time(t.StartsAt.Add(-t.CheckIn)),
		RoundBreakS: int(t.RoundBreak / time.Second), DurationS: int(t.MatchLength / time.Second), Players: t.Players, MaxPlayers: t.MaxPlayers}
	seeded := 0
	for _, p := range ps {
		if p.Seed > 0 {
			seeded++
		}
		if p.UserID == viewer && viewer != 0 {
			v.Registered, v.CheckedIn = true, !p.CheckedInAt.IsZero()
		}
	}
	if t.Format == string(tournament.Elimination) && seeded > 0 {
		v.Rounds = tournament.Rounds(tournament.Elimination, 0, seeded)
	}
	return v
}

// seededPlayers are the tournament's players as the core sees them.
func seededPlayers(ps []store.TournamentPlayer) []tournament.Player {
	var out []tournament.Player
	for _, p := range ps {
		if p.Seed > 0 {
			out = append(out, tournament.Player{ID: p.UserID, Rating: p.Rating, Seed: p.Seed})
		}
	}
	return out
}

func coreGames(gs []store.TournamentGame) []tournament.Game {
	out := make([]tournament.Game, len(gs))
	for i, g := range gs {
		out[i] = tournament.Game{Round: g.Round, Board: g.Board, A: g.A, B: g.B, Outcome: tournament.Outcome(g.Outcome)}
	}
	return out
}

func (s *Service) TournamentDetail(ctx context.Context, id, viewer int64) (protocol.TournamentDetail, error) {
	t, err := s.st.Tournament(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return protocol.TournamentDetail{}, errcode.New(errcode.NotFound, "no such tournament")
	}
	if err != nil {
		return protocol.TournamentDetail{}, fmt.Errorf("arena: tournament %d: %w", id, err)
	}
	ps, err := s.st.TournamentPlayers(ctx, id)
	if err != nil {
		return protocol.TournamentDetail{}, fmt.Errorf("arena: tournament %d players: %w", id, err)
	}
	rounds, err := s.st.TournamentRounds(ctx, id)
	if err != nil {
		return protocol.TournamentDetail{}, fmt.Errorf("arena: tournament %d rounds: %w", id, err)
	}
	games, err := s.st.TournamentGames(ctx, id)
	if err != nil {
		return protocol.TournamentDetail{}, fmt.Errorf("arena: tournament %d games: %w", id, err)
	}
	out := protocol.TournamentDetail{Tournament: tournamentSummary(t, ps, viewer), Entrants: protocol.List[protocol.TournamentEntrant]{},
		Rounds: protocol.List[protocol.TournamentRound]{}, Standings: protocol.List[protocol.TournamentStanding]{}, ServerNow: protocol.Time(s.clk.Now())}
	names := map[int64]string{}
	for _, p := range ps {
		names[p.UserID] = p.Username
		out.Entrants = append(out.Entrants, protocol.TournamentEntrant{UserID: p.UserID, Username: p.Username, CheckedIn: !p.CheckedInAt.IsZero(), Seed: p.Seed})
	}
	for _, r := range rounds {
		v := protocol.TournamentRound{Round: r.Round, ProblemID: r.ProblemID, StartsAt: protocol.Time(r.StartsAt), DoneAt: protocol.TimePtr(r.DoneAt),
			Games: protocol.List[protocol.TournamentGame]{}}
		for _, g := range games {
			if g.Round == r.Round {
				v.Games = append(v.Games, protocol.TournamentGame{Board: g.Board, AID: g.A, A: names[g.A], BID: g.B, B: names[g.B],
					MatchID: g.MatchID, Outcome: g.Outcome})
			}
		}
		out.Rounds = append(out.Rounds, v)
	}
	if t.State != store.TournamentScheduled {
		for _, st := range tournament.Standings(tournament.Format(t.Format), seededPlayers(ps), coreGames(games)) {
			out.Standings = append(out.Standings, protocol.TournamentStanding{Rank: st.Rank, UserID: st.PlayerID, Username: names[st.PlayerID],
				Seed: st.Seed, Rating: st.Rating, Points: st.Points, Buchholz: st.Buchholz, Wins: st.Wins, Draws: st.Draws,
				Losses: st.Losses, Byes: st.Byes, Out: st.Out})
		}
	}
	return out, nil
}

func (s *Service) TournamentAction(ctx context.Context, id, user int64, action string) (protocol.TournamentDetail, error) {
	t, err := s.st.Tournament(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return protocol.TournamentDetail{}, errcode.New(errcode.NotFound, "no such tournament")
	}
	if err != nil {
		return protocol.TournamentDetail{}, fmt.Errorf("arena: tournament %d: %w", id, err)
	}
	now := s.clk.Now()
	sch := tournament.Schedule{StartsAt: t.StartsAt, CheckIn: t.CheckIn}
	if t.State != store.TournamentScheduled || !now.Before(t.StartsAt) {
		return protocol.TournamentDetail{}, errcode.New(errcode.TournamentClosed, "the tournament has started or ended")
	}
	switch action {
	case actionRegister:
		err = s.st.RegisterTournament(ctx, id, user, now)
		if errors.Is(err, store.ErrLimit) {
			return protocol.TournamentDetail{}, errcode.New(errcode.TournamentFull, "the tournament is full")
		}
		if errors.Is(err, store.ErrConflict) {
			err = nil // registered already (the state was checked above): the same answer again
		}
	case actionLeave:
		if err = s.st.UnregisterTournament(ctx, id, user); errors.Is(err, store.ErrNotFound) {
			err = nil
		}
	case actionCheckIn:
		if !sch.CheckInOpen(now) {
			return protocol.TournamentDetail{}, &errcode.Error{Code: errcode.TournamentClosed,
				Message: "check-in opens at " + protocol.Time(t.StartsAt.Add(-t.CheckIn))}
		}
		if err = s.st.CheckInTournament(ctx, id, user, now); errors.Is(err, store.ErrNotFound) {
			return protocol.TournamentDetail{}, errcode.New(errcode.NotFound, "you are not registered for this tournament")
		}
	default:
		return protocol.TournamentDetail{}, errcode.Errorf(errcode.InvalidRequest, "unknown action %q", action)
	}
	if errors.Is(err, store.ErrConflict) {
		return protocol.TournamentDetail{}, errcode.New(errcode.TournamentClosed, "the tournament has started or ended")
	}
	if err != nil {
		return protocol.TournamentDetail{}, fmt.Errorf("arena: tournament %d %s: %w", id, action, err)
	}
	return s.TournamentDetail(ctx, id, user)
}

func (s *Service) UserTournaments(ctx context.Context, username string) (protocol.UserTournaments, error) {
	u, err := s.st.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return protocol.UserTournaments{}, errcode.New(errcode.NotFound, "no such user")
	}
	if err != nil {
		return protocol.UserTournaments{}, fmt.Errorf("arena: user %q: %w", username, err)
	}
	ts, err := s.st.UserTournaments(ctx, u.ID, 50)
	if err != nil {
		return protocol.UserTournaments{}, fmt.Errorf("arena: tournaments of %d: %w", u.ID, err)
	}
	out := protocol.UserTournaments{Tournaments: protocol.List[protocol.TournamentResult]{}}
	for _, ut := range ts {
		out.Tournaments = append(out.Tournaments, protocol.TournamentResult{TournamentID: ut.Tournament.ID, Name: ut.Tournament.Name,
			Format: ut.Tournament.Format, State: ut.Tournament.State, StartsAt: protocol.Time(ut.Tournament.StartsAt), Place: ut.Place,
			Players: ut.Tournament.Players})
	}
	return out, nil
}
