package matchmaking

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/arena/clock"
)

// Proposal is a found match waiting for every player to accept.
type Proposal struct {
	ID       string
	Mode     Mode
	Rule     string // the tickets' rule (free-for-all); "" is fastest
	Tickets  []Ticket
	Accepted []bool // parallel to Tickets
	Created  time.Time
	AcceptBy time.Time // accepts received at or after this instant are refused
}

// Players returns the user ids of the proposal, in ticket order.
func (p Proposal) Players() []int64 {
	ids := make([]int64, len(p.Tickets))
	for i, t := range p.Tickets {
		ids[i] = t.UserID
	}
	return ids
}

func (p Proposal) clone() Proposal {
	p.Tickets = slices.Clone(p.Tickets)
	p.Accepted = slices.Clone(p.Accepted)
	return p
}

// Dissolved reports a proposal that will not become a match: Removed players
// did not accept (they got a cooldown), Requeued players are back in their
// queue with their original enqueue time.
type Dissolved struct {
	Proposal Proposal
	Removed  []int64
	Requeued []Ticket
}

// TickResult is what one tick changed.
type TickResult struct {
	Proposed  []Proposal  // new found matches; tell the players
	Dissolved []Dissolved // accept phases that timed out
	Closed    []Room      // idle rooms closed
}

// PlayerState is where a player is in the lobby.
type PlayerState string

// Player states.
const (
	Idle     PlayerState = "idle"
	Queued   PlayerState = "queued"
	Proposed PlayerState = "proposed" // a found match awaits acceptance
	Playing  PlayerState = "playing"
	InRoom   PlayerState = "room"
)

// Status is one player's view of the lobby.
type Status struct {
	State         PlayerState
	Ticket        Ticket        // when Queued
	Waited        time.Duration // when Queued
	Window        float64       // when Queued: the current ± rating window
	ProposalID    string        // when Proposed
	RoomCode      string        // when InRoom
	CooldownUntil time.Time     // zero unless a cooldown is running
}

// Lobby is the matchmaking state machine. Every method is a transition under
// one mutex; time comes only from the injected clock. A player is in at most
// one place: a queue, a proposal, a room, or a match (until Release).
type Lobby struct {
	cfg Config
	clk clock.Clock
	rnd io.Reader

	mu         sync.Mutex
	waiting    map[int64]Ticket
	proposals  map[string]*Proposal
	proposalOf map[int64]string
	playing    map[int64]bool
	cooldown   map[int64]time.Time
	rooms      map[string]*Room
	roomOf     map[int64]string

	idPrefix string  // random per lobby instance, so ids never repeat across leaders
	idSeq    uint64  // proposal counter
	sc       scratch // pairing buffers reused across ticks
	byMode   map[Mode][]Ticket
}

// NewLobby returns an empty lobby. rnd supplies proposal ids and room codes
// (nil means crypto/rand).
func NewLobby(cfg Config, clk clock.Clock, rnd io.Reader) (*Lobby, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if clk == nil {
		clk = clock.System{}
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	var p [8]byte
	if _, err := io.ReadFull(rnd, p[:]); err != nil {
		return nil, fmt.Errorf("matchmaking: random source: %w", err)
	}
	l := &Lobby{cfg: cfg, clk: clk, rnd: rnd, idPrefix: hex.EncodeToString(p[:]), byMode: map[Mode][]Ticket{}}
	l.reset()
	return l, nil
}

func (l *Lobby) reset() {
	l.waiting = map[int64]Ticket{}
	l.proposals = map[string]*Proposal{}
	l.proposalOf = map[int64]string{}
	l.playing = map[int64]bool{}
	l.cooldown = map[int64]time.Time{}
	l.rooms = map[string]*Room{}
	l.roomOf = map[int64]string{}
}

// busy returns the error explaining why user cannot join a queue or room.
func (l *Lobby) busy(user int64, now time.Time) error {
	switch {
	case l.playing[user]:
		return ErrInMatch
	case l.proposalOf[user] != "":
		return ErrMatchPending
	case l.roomOf[user] != "":
		return ErrInRoom
	}
	if _, ok := l.waiting[user]; ok {
		return ErrAlreadyQueued
	}
	if until, ok := l.cooldown[user]; ok && now.Before(until) {
		return fmt.Errorf("%w until %s", ErrCooldown, until.UTC().Format(time.RFC3339))
	}
	return nil
}

// Enqueue puts user in a queue. The enqueue time is the server's.
func (l *Lobby) Enqueue(user int64, mode Mode, rating, rd float64) (Ticket, error) {
	return l.EnqueueRule(user, mode, "", rating, rd)
}

// EnqueueRule is Enqueue with a scoring rule: free-for-all groups form
// among tickets of the same rule ("" and "fastest" are one). Pairs of the
// 1v1 queues take no rule.
func (l *Lobby) EnqueueRule(user int64, mode Mode, rule string, rating, rd float64) (Ticket, error) {
	if rule == "fastest" {
		rule = ""
	}
	if rule != "" && mode != FFA {
		return Ticket{}, fmt.Errorf("%w: a rule for %q", ErrBadMode, mode)
	}
	if !mode.Valid() {
		return Ticket{}, fmt.Errorf("%w: %q", ErrBadMode, mode)
	}
	if math.IsNaN(rating) || math.IsInf(rating, 0) || !(rd >= 0) || math.IsInf(rd, 0) {
		return Ticket{}, ErrBadTicket
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clk.Now()
	if err := l.busy(user, now); err != nil {
		return Ticket{}, err
	}
	t := Ticket{UserID: user, Rating: rating, RD: rd, Mode: mode, Enqueued: now, Rule: rule}
	l.waiting[user] = t
	return t, nil
}

// Leave takes user out of their queue.
func (l *Lobby) Leave(user int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.waiting[user]; !ok {
		return ErrNotQueued
	}
	delete(l.waiting, user)
	return nil
}

// Tick runs one matchmaking round: dissolve timed-out accept phases (their
// accepting players are back in the queue in time to be paired this round),
// close idle rooms, then pair each 1v1 queue and group the free-for-all queue.
func (l *Lobby) Tick() TickResult {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clk.Now()
	var res TickResult

	for _, id := range slices.Sorted(maps.Keys(l.proposals)) {
		p := l.proposals[id]
		if now.Before(p.AcceptBy) {
			continue
		}
		var failed []int64
		for i, t := range p.Tickets {
			if !p.Accepted[i] {
				failed = append(failed, t.UserID)
			}
		}
		res.Dissolved = append(res.Dissolved, l.dissolve(p, failed, now))
	}
	for user, until := range l.cooldown {
		if !now.Before(until) {
			delete(l.cooldown, user)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(l.rooms)) {
		r := l.rooms[code]
		if now.Sub(r.LastActive) >= l.cfg.RoomIdle {
			res.Closed = append(res.Closed, r.clone())
			l.closeRoom(r)
		}
	}

	byMode := l.byMode
	for m, ts := range byMode {
		byMode[m] = ts[:0]
	}
	for _, t := range l.waiting {
		byMode[t.Mode] = append(byMode[t.Mode], t)
	}
	for _, mode := range []Mode{Ranked, Casual} {
		pairs := l.cfg.pair(now, byMode[mode], &l.sc)
		res.Proposed = slices.Grow(res.Proposed, len(pairs))
		for _, p := range pairs {
			res.Proposed = append(res.Proposed, l.propose(mode, []Ticket{p.A, p.B}, now))
		}
	}
	// Free-for-all groups form within a rule (sorted: the same order on
	// every tick and leader).
	byRule := map[string][]Ticket{}
	for _, t := range byMode[FFA] {
		byRule[t.Rule] = append(byRule[t.Rule], t)
	}
	for _, rule := range slices.Sorted(maps.Keys(byRule)) {
		for _, g := range l.cfg.Group(now, byRule[rule]) {
			p := l.propose(FFA, g, now)
			p.Rule = rule
			l.proposals[p.ID].Rule = rule
			res.Proposed = append(res.Proposed, p)
		}
	}
	return res
}

// newID names a proposal: the lobby's random prefix and a counter. Ids only
// need to be unique (a player can act only on a proposal that contains
// them), and a lobby restored on another node gets a new prefix.
func (l *Lobby) newID() string {
	l.idSeq++
	return l.idPrefix + "-" + strconv.FormatUint(l.idSeq, 10)
}

func (l *Lobby) propose(mode Mode, ts []Ticket, now time.Time) Proposal {
	id := l.newID()
	for l.proposals[id] != nil {
		id = l.newID()
	}
	p := &Proposal{ID: id, Mode: mode, Tickets: ts, Accepted: make([]bool, len(ts)),
		Created: now, AcceptBy: now.Add(l.cfg.AcceptTimeout)}
	l.proposals[id] = p
	for _, t := range ts {
		delete(l.waiting, t.UserID)
		l.proposalOf[t.UserID] = id
	}
	return p.clone()
}

// dissolve ends proposal p: failed players get a cooldown, everyone else goes
// back to the queue with the waiting time they had.
func (l *Lobby) dissolve(p *Proposal, failed []int64, now time.Time) Dissolved {
	d := Dissolved{Proposal: p.clone(), Removed: failed}
	delete(l.proposals, p.ID)
	for _, t := range p.Tickets {
		delete(l.proposalOf, t.UserID)
		if slices.Contains(failed, t.UserID) {
			l.cooldown[t.UserID] = now.Add(l.cfg.Cooldown)
			continue
		}
		l.waiting[t.UserID] = t
		d.Requeued = append(d.Requeued, t)
	}
	return d
}

func (l *Lobby) proposalFor(user int64, id string) (*Proposal, int, error) {
	p := l.proposals[id]
	if p == nil {
		return nil, 0, ErrNoProposal
	}
	i := slices.IndexFunc(p.Tickets, func(t Ticket) bool { return t.UserID == user })
	if i < 0 {
		return nil, 0, ErrNotInProposal
	}
	return p, i, nil
}

// Accept records user's acceptance of a found match. When the last player
// accepts, the proposal becomes a match: it is returned (confirmed true) and
// its players are Playing until Release.
func (l *Lobby) Accept(user int64, id string) (p Proposal, confirmed bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	pp, i, err := l.proposalFor(user, id)
	if err != nil {
		return Proposal{}, false, err
	}
	if !l.clk.Now().Before(pp.AcceptBy) {
		return Proposal{}, false, ErrAcceptExpired
	}
	if pp.Accepted[i] {
		return Proposal{}, false, ErrAlreadyAccepted
	}
	pp.Accepted[i] = true
	if slices.Contains(pp.Accepted, false) {
		return pp.clone(), false, nil
	}
	delete(l.proposals, id)
	for _, t := range pp.Tickets {
		delete(l.proposalOf, t.UserID)
		l.playing[t.UserID] = true
	}
	return pp.clone(), true, nil
}

// Decline refuses a found match at once: the decliner gets the cooldown, the
// others go back to the queue keeping their waiting time. Declining after
// having accepted is allowed (a player may change their mind before the
// match is confirmed).
func (l *Lobby) Decline(user int64, id string) (Dissolved, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, _, err := l.proposalFor(user, id)
	if err != nil {
		return Dissolved{}, err
	}
	now := l.clk.Now()
	if !now.Before(p.AcceptBy) {
		return Dissolved{}, ErrAcceptExpired
	}
	return l.dissolve(p, []int64{user}, now), nil
}

// Reserve marks users Playing at once, for a match they all asked for
// outside the queue (a rematch). It changes nothing and returns the first
// user's reason when any of them is queued, proposed, in a room or
// playing. A cooldown does not stop it: it punishes declining a match
// found for you, not playing one you asked for.
func (l *Lobby) Reserve(users ...int64) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clk.Now()
	for _, u := range users {
		if err := l.busy(u, now); err != nil && !errors.Is(err, ErrCooldown) {
			return u, err
		}
	}
	for _, u := range users {
		l.playing[u] = true
	}
	return 0, nil
}

// Release frees players whose match (or room game) has ended, so that they
// can queue again. Unknown or idle players are ignored.
func (l *Lobby) Release(users ...int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, u := range users {
		delete(l.playing, u)
	}
}

// Status returns where user is.
func (l *Lobby) Status(user int64) Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clk.Now()
	var s Status
	if until, ok := l.cooldown[user]; ok && now.Before(until) {
		s.CooldownUntil = until
	}
	switch {
	case l.playing[user]:
		s.State = Playing
	case l.proposalOf[user] != "":
		s.State, s.ProposalID = Proposed, l.proposalOf[user]
	case l.roomOf[user] != "":
		s.State, s.RoomCode = InRoom, l.roomOf[user]
	default:
		if t, ok := l.waiting[user]; ok {
			s.State, s.Ticket, s.Waited, s.Window = Queued, t, now.Sub(t.Enqueued), l.cfg.Window(t, now)
		} else {
			s.State = Idle
		}
	}
	return s
}

// QueueSizes returns the number of waiting tickets per queue.
func (l *Lobby) QueueSizes() map[Mode]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	sizes := map[Mode]int{Ranked: 0, Casual: 0, FFA: 0}
	for _, t := range l.waiting {
		sizes[t.Mode]++
	}
	return sizes
}

// Proposal returns a pending proposal by id.
func (l *Lobby) Proposal(id string) (Proposal, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.proposals[id]
	if p == nil {
		return Proposal{}, false
	}
	return p.clone(), true
}

// State is the complete lobby state, for persistence (e.g. in NATS KV or the
// database) so that another node can take over as matchmaker.
type State struct {
	Waiting   []Ticket            `json:"waiting"`
	Proposals []Proposal          `json:"proposals"`
	Playing   []int64             `json:"playing"`
	Cooldowns map[int64]time.Time `json:"cooldowns"`
	Rooms     []Room              `json:"rooms"`
}

// Snapshot returns a deep copy of the state, in a deterministic order.
func (l *Lobby) Snapshot() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := State{Cooldowns: maps.Clone(l.cooldown)}
	for _, u := range slices.Sorted(maps.Keys(l.waiting)) {
		s.Waiting = append(s.Waiting, l.waiting[u])
	}
	for _, id := range slices.Sorted(maps.Keys(l.proposals)) {
		s.Proposals = append(s.Proposals, l.proposals[id].clone())
	}
	s.Playing = slices.Sorted(maps.Keys(l.playing))
	for _, code := range slices.Sorted(maps.Keys(l.rooms)) {
		s.Rooms = append(s.Rooms, l.rooms[code].clone())
	}
	return s
}

// Restore replaces the lobby's state with s after checking that no player is
// in two places. On error the lobby is unchanged.
func (l *Lobby) Restore(s State) error {
	seen := map[int64]string{}
	claim := func(u int64, where string) error {
		if prev, dup := seen[u]; dup {
			return fmt.Errorf("matchmaking: restore: user %d both in %s and %s", u, prev, where)
		}
		seen[u] = where
		return nil
	}
	for _, t := range s.Waiting {
		if !t.Mode.Valid() {
			return fmt.Errorf("matchmaking: restore: ticket of user %d has mode %q", t.UserID, t.Mode)
		}
		if err := claim(t.UserID, "queue "+string(t.Mode)); err != nil {
			return err
		}
	}
	for _, p := range s.Proposals {
		if len(p.Accepted) != len(p.Tickets) || p.ID == "" {
			return fmt.Errorf("matchmaking: restore: malformed proposal %q", p.ID)
		}
		for _, t := range p.Tickets {
			if err := claim(t.UserID, "proposal "+p.ID); err != nil {
				return err
			}
		}
	}
	for _, u := range s.Playing {
		if err := claim(u, "a match"); err != nil {
			return err
		}
	}
	for _, r := range s.Rooms {
		if _, err := normalizeCode(r.Code); err != nil || len(r.Members) == 0 {
			return fmt.Errorf("matchmaking: restore: malformed room %q", r.Code)
		}
		for _, u := range r.Members {
			if err := claim(u, "room "+r.Code); err != nil {
				return err
			}
		}
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	l.reset()
	for _, t := range s.Waiting {
		l.waiting[t.UserID] = t
	}
	for _, p := range s.Proposals {
		pc := p.clone()
		l.proposals[p.ID] = &pc
		for _, t := range p.Tickets {
			l.proposalOf[t.UserID] = p.ID
		}
	}
	for _, u := range s.Playing {
		l.playing[u] = true
	}
	maps.Copy(l.cooldown, s.Cooldowns)
	for _, r := range s.Rooms {
		rc := r.clone()
		l.rooms[r.Code] = &rc
		for _, u := range r.Members {
			l.roomOf[u] = r.Code
		}
	}
	return nil
}
