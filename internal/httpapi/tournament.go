package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// Tournaments is the arena's tournaments (issue 21) as the REST API needs
// them; *service.Service implements it. viewer is the signed-in user, 0
// for none.
type Tournaments interface {
	ListTournaments(ctx context.Context, viewer int64) (protocol.TournamentList, error)
	TournamentDetail(ctx context.Context, id, viewer int64) (protocol.TournamentDetail, error)
	CreateTournament(ctx context.Context, admin int64, in protocol.TournamentCreate) (protocol.TournamentDetail, error)
	// TournamentAction registers, unregisters ("leave") or checks in user.
	TournamentAction(ctx context.Context, id, user int64, action string) (protocol.TournamentDetail, error)
	UserTournaments(ctx context.Context, username string) (protocol.UserTournaments, error)
}

// Tournament actions of TournamentAction.
const (
	TournamentRegister = "register"
	TournamentLeave    = "leave"
	TournamentCheckIn  = "check-in"
)

func tournamentRoutes() []Route {
	idParam := []Param{{"id", "path", "integer", "a tournament id"}}
	actionErrors := []errcode.Code{errcode.NotFound, errcode.TournamentClosed, errcode.TournamentFull, errcode.Unauthenticated, errcode.ForbiddenOrigin}
	return []Route{
		{Method: "GET", Path: "/api/v1/tournaments", Summary: "The tournaments: scheduled and running first by start, then the latest finished ones (with the viewer's registration).",
			Response: protocol.TournamentList{}},
		{Method: "GET", Path: "/api/v1/tournaments/{id}", Summary: "A tournament: its entrants, rounds with their games, and standings (Swiss: points, then Buchholz, then rating at the start; elimination: the round a player went out in).",
			Params: idParam, Response: protocol.TournamentDetail{}, Errors: []errcode.Code{errcode.NotFound}},
		{Method: "POST", Path: "/api/v1/tournaments/{id}/register", Summary: "Register for a scheduled tournament (until its start).", Access: User,
			Params: idParam, Response: protocol.TournamentDetail{}, Errors: actionErrors},
		{Method: "DELETE", Path: "/api/v1/tournaments/{id}/register", Summary: "Leave a scheduled tournament (until its start).", Access: User,
			Params: idParam, Response: protocol.TournamentDetail{}, Errors: actionErrors},
		{Method: "POST", Path: "/api/v1/tournaments/{id}/check-in", Summary: "Check in (registered players, in the check-in window before the start); only checked-in players are seeded and play.", Access: User,
			Params: idParam, Response: protocol.TournamentDetail{}, Errors: actionErrors},
		{Method: "GET", Path: "/api/v1/users/{name}/tournaments", Summary: "The tournaments a user played, with their final place.",
			Params: []Param{{"name", "path", "string", "a username"}}, Response: protocol.UserTournaments{}, Errors: []errcode.Code{errcode.NotFound}},
		{Method: "POST", Path: "/api/v1/admin/tournaments", Summary: "Create a tournament (Swiss or single elimination) with its start, check-in window, match length and problems.",
			Access: Admin, Body: protocol.TournamentCreate{}, Status: 201, Response: protocol.TournamentDetail{},
			Errors: []errcode.Code{errcode.InvalidJSON, errcode.UnknownField, errcode.BodyTooLarge, errcode.InvalidRequest, errcode.ProblemNotFound,
				errcode.Unauthenticated, errcode.Forbidden, errcode.ForbiddenOrigin}},
	}
}

// mountTournaments adds the tournament routes; an arena without
// tournaments answers them not_found.
func (h *arenaHandlers) mountTournaments() {
	t, ok := h.a.(Tournaments)
	if !ok {
		t = noTournaments{}
	}
	s := h.s
	s.Handle("GET /api/v1/tournaments", h.read(func(w http.ResponseWriter, r *http.Request, viewer *store.User) {
		out, err := t.ListTournaments(r.Context(), viewerID(viewer))
		respond(s, w, r, http.StatusOK, out, err)
	}))
	s.Handle("GET /api/v1/tournaments/{id}", h.read(func(w http.ResponseWriter, r *http.Request, viewer *store.User) {
		id, err := tournamentID(r)
		if err != nil {
			s.WriteError(w, r, err)
			return
		}
		out, err := t.TournamentDetail(r.Context(), id, viewerID(viewer))
		respond(s, w, r, http.StatusOK, out, err)
	}))
	action := func(name string) http.Handler {
		return s.RequireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, err := tournamentID(r)
			if err != nil {
				s.WriteError(w, r, err)
				return
			}
			u, _ := UserFrom(r.Context())
			out, err := t.TournamentAction(r.Context(), id, u.ID, name)
			respond(s, w, r, http.StatusOK, out, err)
		}))
	}
	s.Handle("POST /api/v1/tournaments/{id}/register", action(TournamentRegister))
	s.Handle("DELETE /api/v1/tournaments/{id}/register", action(TournamentLeave))
	s.Handle("POST /api/v1/tournaments/{id}/check-in", action(TournamentCheckIn))
	s.Handle("GET /api/v1/users/{name}/tournaments", h.read(func(w http.ResponseWriter, r *http.Request, _ *store.User) {
		out, err := t.UserTournaments(r.Context(), r.PathValue("name"))
		respond(s, w, r, http.StatusOK, out, err)
	}))
	s.Handle("POST /api/v1/admin/tournaments", s.RequireAdmin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in protocol.TournamentCreate
		if err := s.DecodeJSON(w, r, &in); err != nil {
			s.WriteError(w, r, err)
			return
		}
		admin, _ := UserFrom(r.Context())
		out, err := t.CreateTournament(r.Context(), admin.ID, in)
		respond(s, w, r, http.StatusCreated, out, err)
	})))
}

func tournamentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errcode.New(errcode.NotFound, "no such tournament")
	}
	return id, nil
}

func respond(s *Server, w http.ResponseWriter, r *http.Request, status int, out any, err error) {
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, status, out)
}

type noTournaments struct{}

var errNoTournaments = errcode.New(errcode.NotFound, "tournaments are not served here")

func (noTournaments) ListTournaments(context.Context, int64) (protocol.TournamentList, error) {
	return protocol.TournamentList{}, errNoTournaments
}
func (noTournaments) TournamentDetail(context.Context, int64, int64) (protocol.TournamentDetail, error) {
	return protocol.TournamentDetail{}, errNoTournaments
}
func (noTournaments) CreateTournament(context.Context, int64, protocol.TournamentCreate) (protocol.TournamentDetail, error) {
	return protocol.TournamentDetail{}, errNoTournaments
}
func (noTournaments) TournamentAction(context.Context, int64, int64, string) (protocol.TournamentDetail, error) {
	return protocol.TournamentDetail{}, errNoTournaments
}
func (noTournaments) UserTournaments(context.Context, string) (protocol.UserTournaments, error) {
	return protocol.UserTournaments{}, errNoTournaments
}
