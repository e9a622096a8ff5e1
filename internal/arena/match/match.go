// Package match is the server-authoritative lifecycle of one match as pure
// logic: no I/O, time only from an injected clock, every illegal action
// rejected with a stable error code and no state change.
//
//	found ──all accept──▶ accepted ──Begin(problem)──▶ countdown ──5 s──▶ running
//	  │                      │                             │                │
//	  └─15 s──▶ cancelled ◀──┴── last opponent out ────────┘                │
//	                                                 resign / 60 s disconnected
//	                                                                        ▼
//	         running ──deadline, verdicts pending──▶ judging ──▶ finished
//	         running ──first Accepted / deadline / last opponent out──▶ finished
//
// Finished reasons: won (first Accepted), timeout (deadline, decided by hidden
// tests passed), draw, forfeit (disconnected past the grace), resigned,
// shortest (a Shortest match: fewest characters among Accepted).
//
// A match is scored by its Rule (issue 21's modes), chosen when it is made:
// Fastest (the rule above), Reverse (the same rule; only the view hides the
// statement), Shortest (Accepted does not end the match: each player's
// Accepted submission is final, the fewest non-whitespace characters win
// once every player still in has one, or at the deadline), and BigO (the
// first Accepted submission whose measured time class is at or below the
// problem's intended class wins; see Measured).
// Cancelled reasons: not_accepted, aborted (the last opponent left before
// the match ran: nobody wins a match that was never played).
//
// "judging" is our addition to the list: a submission received before
// the deadline counts even if its verdict arrives after it, so the match waits
// for those verdicts (at most JudgeGrace) before deciding. For the same
// reason "first Accepted" means the earliest *received* Accepted submission:
// an Accepted verdict finishes the match only once every submission received
// before it has been judged.
package match

import (
	"fmt"
	"slices"
	"time"
	"unicode"

	"github.com/segfaultarena/segfault/internal/arena/clock"
)

// State of a match.
type State string

// States.
const (
	Found     State = "found"
	Accepted  State = "accepted"
	Countdown State = "countdown"
	Running   State = "running"
	Judging   State = "judging"
	Finished  State = "finished"
	Cancelled State = "cancelled" // not every player accepted; no result
)

// Terminal reports whether no further transition can happen.
func (s State) Terminal() bool { return s == Finished || s == Cancelled }

// Reason a match finished (or was cancelled).
type Reason string

// Reasons.
const (
	Won         Reason = "won"          // first Accepted submission
	Timeout     Reason = "timeout"      // deadline; most hidden tests passed wins
	Draw        Reason = "draw"         // deadline; no one ahead
	Forfeit     Reason = "forfeit"      // the others stayed disconnected past the grace
	Resigned    Reason = "resigned"     // the others resigned
	NotAccepted Reason = "not_accepted" // cancelled in the accept phase
	// Aborted: cancelled because players resigned or forfeited before the
	// match ran, leaving at most one; nobody wins a match never played.
	Aborted Reason = "aborted"
	// ShortestCode: a Shortest match decided by the characters of the
	// Accepted solutions.
	ShortestCode Reason = "shortest"
)

// Rule is how a match is scored (its mode in the Clash sense).
type Rule string

// Rules. The zero value plays as Fastest (matches stored before rules).
const (
	Fastest  Rule = "fastest"  // first Accepted wins
	Shortest Rule = "shortest" // fewest non-whitespace characters among Accepted, at the end
	Reverse  Rule = "reverse"  // Fastest, with the statement hidden (samples only): a view rule
	BigO     Rule = "bigo"     // first Accepted measured at or below the intended time class
)

// Rules lists every rule, Fastest first.
func Rules() []Rule { return []Rule{Fastest, Shortest, Reverse, BigO} }

// Valid reports a known rule ("" included: Fastest).
func (r Rule) Valid() bool { return r == "" || slices.Contains(Rules(), r) }

// Or returns the rule, Fastest for "".
func (r Rule) Or() Rule {
	if r == "" {
		return Fastest
	}
	return r
}

// Measure is the coach's measured time class of an Accepted submission in
// a BigO match, compared with the problem's intended class.
type Measure string

// Measures. Inconclusive covers everything the coach could not decide (no
// intended class, an analysis that failed or never came within
// MeasureGrace): such a submission falls back to counting as Accepted.
const (
	MeasureMeets        Measure = "meets"  // at or below the intended class (meets or faster)
	MeasureSlower       Measure = "slower" // above it: Accepted, but it does not win
	MeasureInconclusive Measure = "inconclusive"
)

func (m Measure) valid() bool {
	return m == MeasureMeets || m == MeasureSlower || m == MeasureInconclusive
}

// CountChars is the size of code in a Shortest match: its characters
// that are not white space (Unicode), so layout is free.
func CountChars(code string) int {
	n := 0
	for _, c := range code {
		if !unicode.IsSpace(c) {
			n++
		}
	}
	return n
}

// Difficulty of the problem; it sets the match duration.
type Difficulty string

// Difficulties.
const (
	Easy   Difficulty = "easy"
	Medium Difficulty = "medium"
	Hard   Difficulty = "hard"
)

// Config holds the lifecycle timings. Start from Default().
type Config struct {
	AcceptTimeout   time.Duration
	Countdown       time.Duration
	DisconnectGrace time.Duration
	// JudgeGrace bounds the wait for verdicts of submissions received before
	// the deadline; a submission still unjudged after it counts as 0 passed,
	// so a stuck judge cannot keep a match open forever.
	JudgeGrace time.Duration
	// MeasureGrace bounds the wait, in a BigO match, for the measurement
	// of an Accepted submission (from its verdict); past it the
	// submission counts as inconclusive (Accepted). 0: 3 min.
	MeasureGrace time.Duration
	Durations    map[Difficulty]time.Duration
}

func (c Config) measureGrace() time.Duration {
	if c.MeasureGrace <= 0 {
		return 3 * time.Minute
	}
	return c.MeasureGrace
}

// Default returns 15 s to accept, 5 s countdown, 60 s disconnect grace,
// 2 min judge grace, 3 min measure grace (BigO), and 10 / 20 / 30 min for easy / medium / hard.
func Default() Config {
	return Config{
		AcceptTimeout:   15 * time.Second,
		Countdown:       5 * time.Second,
		DisconnectGrace: 60 * time.Second,
		JudgeGrace:      2 * time.Minute,
		MeasureGrace:    3 * time.Minute,
		Durations:       map[Difficulty]time.Duration{Easy: 10 * time.Minute, Medium: 20 * time.Minute, Hard: 30 * time.Minute},
	}
}

// Player is one participant's state.
type Player struct {
	ID             int64     `json:"id"`
	Accepted       bool      `json:"accepted"`
	Out            Reason    `json:"out,omitempty"`            // Resigned or Forfeit once eliminated
	OutAt          time.Time `json:"out_at,omitzero"`          // when eliminated
	DisconnectedAt time.Time `json:"disconnected_at,omitzero"` // zero while connected
	Best           int       `json:"best"`                     // most hidden tests passed by one submission
	BestSeq        int       `json:"best_seq"`                 // receipt order of the first submission reaching Best; -1 none
	Solved         bool      `json:"solved"`
}

// Submission is one submit received by the server, in receipt order.
type Submission struct {
	ID       string    `json:"id"`
	Player   int64     `json:"player"`
	Received time.Time `json:"received"`
	Judged   bool      `json:"judged"`
	Passed   int       `json:"passed"`
	Total    int       `json:"total"`
	Accepted bool      `json:"accepted"`
	// Chars is the code's non-whitespace characters (CountChars), as the
	// server counted them on receipt; 0 when the rule does not need it.
	Chars int `json:"chars,omitempty"`
	// Measure (BigO, Accepted only): "" while the measurement is awaited,
	// until MeasureBy.
	Measure   Measure   `json:"measure,omitempty"`
	MeasureBy time.Time `json:"measure_by,omitzero"`
}

// Problem is a candidate problem for a match.
type Problem struct {
	ID         string
	Rating     float64 // difficulty on the players' rating scale
	Difficulty Difficulty
}

// Result of a terminal match.
type Result struct {
	Reason Reason `json:"reason"`
	Winner int64  `json:"winner,omitempty"` // 0: nobody (draw, cancelled)
	// Standings orders every player, winner first; eliminated players last,
	// the latest eliminated first. Empty when cancelled.
	Standings []int64 `json:"standings,omitempty"`
	// Missing lists who did not accept, when cancelled.
	Missing []int64 `json:"missing,omitempty"`
}

// Snapshot is the complete state of a match, for persistence: the deadline
// lives here, so any API node can restore the match and finish it on time.
type Snapshot struct {
	ID          string       `json:"id"`
	State       State        `json:"state"`
	Problem     Problem      `json:"problem"`
	Players     []Player     `json:"players"`
	Submissions []Submission `json:"submissions"`
	Created     time.Time    `json:"created"`
	AcceptBy    time.Time    `json:"accept_by"`
	StartAt     time.Time    `json:"start_at,omitzero"`
	Deadline    time.Time    `json:"deadline,omitzero"`
	JudgeBy     time.Time    `json:"judge_by,omitzero"`
	EndedAt     time.Time    `json:"ended_at,omitzero"`
	Result      Result       `json:"result"`
	Solo        bool         `json:"solo,omitempty"`
	Rule        Rule         `json:"rule,omitempty"` // "" (before rules) plays as Fastest
}

// Match is one match. It is not safe for concurrent use: the owner (one
// goroutine per match, or a lock) serialises actions.
type Match struct {
	cfg Config
	clk clock.Clock
	s   Snapshot
	ev  []Event
	// holds counts submissions received before the deadline that are on
	// their way to SubmitAt: the deadline does not fire while any is.
	holds int
}

// Hold keeps the deadline from firing until the matching Release: the
// owner received a submission in time and is still storing or forwarding
// it. The deadline then fires at its own instant, with the submission
// registered. Other timers (disconnect grace) are not held. Holds are not
// part of the snapshot: they belong to the process doing the registering.
func (m *Match) Hold() { m.holds++ }

// Release ends one Hold.
func (m *Match) Release() {
	if m.holds > 0 {
		m.holds--
	}
}

// Event tells observers what changed, in order; drained with Events.
type Event struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"` // "state", "accepted", "submitted", "verdict", "measured", "disconnected", "reconnected", "out"
	State  State     `json:"state,omitempty"`
	Player int64     `json:"player,omitempty"`
	Sub    string    `json:"submission,omitempty"`
	Reason Reason    `json:"reason,omitempty"`
}

// Setup describes a new match.
type Setup struct {
	ID      string
	Players []int64
	// PreAccepted skips the accept phase (a private room started by its host,
	// or a queue proposal that every player already accepted).
	PreAccepted bool
	// Solo is a one-player match (practice): the same clock and rules,
	// nobody to beat. An Accepted submission finishes it with the player
	// as winner; at the deadline the player "wins" on tests if any passed,
	// else it is a draw; resigning or staying away ends it without one.
	Solo bool
	// Rule scores the match; "" is Fastest.
	Rule Rule
}

func (c Config) validate() error {
	if c.AcceptTimeout <= 0 || c.Countdown < 0 || c.DisconnectGrace <= 0 || c.JudgeGrace < 0 || c.MeasureGrace < 0 {
		return fmt.Errorf("match: timings %+v invalid", c)
	}
	for _, d := range []Difficulty{Easy, Medium, Hard} {
		if c.Durations[d] <= 0 {
			return fmt.Errorf("match: no duration for %s problems", d)
		}
	}
	return nil
}

// New creates a match in state found (or accepted with PreAccepted).
func New(cfg Config, clk clock.Clock, setup Setup) (*Match, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if setup.ID == "" {
		return nil, fmt.Errorf("%w: empty match id", ErrBadSetup)
	}
	if !playerCountOK(len(setup.Players), setup.Solo) {
		return nil, fmt.Errorf("%w: %d players (solo %v)", ErrBadSetup, len(setup.Players), setup.Solo)
	}
	if !setup.Rule.Valid() {
		return nil, fmt.Errorf("%w: rule %q", ErrBadSetup, setup.Rule)
	}
	if clk == nil {
		clk = clock.System{}
	}
	now := clk.Now()
	m := &Match{cfg: cfg, clk: clk}
	m.s = Snapshot{ID: setup.ID, State: Found, Created: now, AcceptBy: now.Add(cfg.AcceptTimeout), Solo: setup.Solo, Rule: setup.Rule.Or()}
	seen := map[int64]bool{}
	for _, id := range setup.Players {
		if id == 0 || seen[id] {
			return nil, fmt.Errorf("%w: player id %d zero or repeated", ErrBadSetup, id)
		}
		seen[id] = true
		m.s.Players = append(m.s.Players, Player{ID: id, Accepted: setup.PreAccepted, BestSeq: -1})
	}
	if setup.PreAccepted {
		m.setState(Accepted, now)
	}
	return m, nil
}

// Restore rebuilds a match from a snapshot (e.g. on another node).
func Restore(cfg Config, clk clock.Clock, s Snapshot) (*Match, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	switch s.State {
	case Found, Accepted, Countdown, Running, Judging, Finished, Cancelled:
	default:
		return nil, fmt.Errorf("%w: state %q", ErrBadSetup, s.State)
	}
	if s.ID == "" || !playerCountOK(len(s.Players), s.Solo) {
		return nil, fmt.Errorf("%w: snapshot without id or players", ErrBadSetup)
	}
	if !s.Rule.Valid() {
		return nil, fmt.Errorf("%w: rule %q", ErrBadSetup, s.Rule)
	}
	if clk == nil {
		clk = clock.System{}
	}
	return &Match{cfg: cfg, clk: clk, s: cloneSnapshot(s)}, nil
}

// playerCountOK: a match has two or more players, a solo match exactly one.
func playerCountOK(n int, solo bool) bool {
	if solo {
		return n == 1
	}
	return n >= 2
}

func cloneSnapshot(s Snapshot) Snapshot {
	s.Players = slices.Clone(s.Players)
	s.Submissions = slices.Clone(s.Submissions)
	s.Result.Standings = slices.Clone(s.Result.Standings)
	s.Result.Missing = slices.Clone(s.Result.Missing)
	return s
}

// Snapshot returns a deep copy of the state.
func (m *Match) Snapshot() Snapshot { return cloneSnapshot(m.s) }

// Rule returns how the match is scored.
func (m *Match) Rule() Rule { return m.s.Rule.Or() }

// Players returns a copy of the players' states: Snapshot().Players
// without copying the submissions (read every second for each match).
func (m *Match) Players() []Player { return slices.Clone(m.s.Players) }

// State returns the current state (as of the last action or Tick).
func (m *Match) State() State { return m.s.State }

// Result returns the result of a terminal match.
func (m *Match) Result() Result { return m.s.Result }

// Events returns and clears the events recorded since the last call.
func (m *Match) Events() []Event {
	ev := m.ev
	m.ev = nil
	return ev
}

func (m *Match) emit(e Event) { m.ev = append(m.ev, e) }

func (m *Match) setState(s State, at time.Time) {
	m.s.State = s
	m.emit(Event{At: at, Kind: "state", State: s})
}

func (m *Match) player(id int64) (*Player, error) {
	for i := range m.s.Players {
		if m.s.Players[i].ID == id {
			return &m.s.Players[i], nil
		}
	}
	return nil, ErrNotParticipant
}

// DurationFor returns the match length for a difficulty.
func (c Config) DurationFor(d Difficulty) (time.Duration, bool) {
	dur, ok := c.Durations[d]
	return dur, ok && dur > 0
}

// Accept records a player's acceptance in the found state.
func (m *Match) Accept(id int64) error {
	m.Tick()
	p, err := m.player(id)
	if err != nil {
		return err
	}
	if m.s.State == Cancelled {
		return ErrAcceptExpired
	}
	if m.s.State != Found {
		return ErrWrongState
	}
	if p.Accepted {
		return ErrAlreadyAccepted
	}
	now := m.clk.Now()
	p.Accepted = true
	m.emit(Event{At: now, Kind: "accepted", Player: id})
	for _, q := range m.s.Players {
		if !q.Accepted {
			return nil
		}
	}
	m.setState(Accepted, now)
	return nil
}

// Begin sets the problem and starts the countdown: the match runs from
// now + Countdown until that plus the problem's duration.
func (m *Match) Begin(pr Problem) error {
	m.Tick()
	if m.s.State != Accepted {
		return ErrWrongState
	}
	dur, ok := m.cfg.DurationFor(pr.Difficulty)
	if !ok || pr.ID == "" {
		return fmt.Errorf("%w: problem %q with difficulty %q", ErrBadProblem, pr.ID, pr.Difficulty)
	}
	now := m.clk.Now()
	m.s.Problem = pr
	m.s.StartAt = now.Add(m.cfg.Countdown)
	m.s.Deadline = m.s.StartAt.Add(dur)
	m.setState(Countdown, now)
	m.Tick() // a zero countdown starts at once
	return nil
}

// Submit registers a submission received now from player id. It is accepted
// only while running and strictly before the deadline, whatever the client's
// clock said.
func (m *Match) Submit(id int64, subID string) error {
	return m.SubmitAt(id, subID, m.clk.Now())
}

// SubmitAt registers a submission the server received at `at` (not after
// now): the instant a node got it, when registering it took time (storing
// and queueing it, or waiting for a new leader after a failover). It
// counts only if at is strictly before the deadline, whatever the time
// now, as long as the match is not decided: the owner Holds the match while
// such a submission is on its way, or a deadline with nothing pending
// finishes it first. Submissions stay in receipt order: at earlier than the
// last one's is recorded as that one's.
func (m *Match) SubmitAt(id int64, subID string, at time.Time) error {
	return m.SubmitCode(id, subID, at, 0)
}

// SubmitCode is SubmitAt with the code's size (CountChars), which a
// Shortest match ranks by. In a Shortest match a player's Accepted
// submission is final: later ones are refused (ErrAlreadySolved).
func (m *Match) SubmitCode(id int64, subID string, at time.Time, chars int) error {
	now := m.clk.Now()
	if at.After(now) {
		at = now
	}
	// Only the timers due by the receipt: the deadline (if it is now past)
	// fires at the owner's next Tick, with this submission pending.
	m.tickUntil(at)
	p, err := m.player(id)
	if err != nil {
		return err
	}
	if n := len(m.s.Submissions); n > 0 && at.Before(m.s.Submissions[n-1].Received) {
		at = m.s.Submissions[n-1].Received
	}
	switch {
	case !m.s.Deadline.IsZero() && !at.Before(m.s.Deadline):
		return ErrDeadlinePassed
	case at.Before(m.s.StartAt):
		return ErrWrongState
	case m.s.State != Running && m.s.State != Judging:
		return ErrWrongState
	case p.Out != "":
		return ErrPlayerOut
	case m.Rule() == Shortest && p.Solved:
		return ErrAlreadySolved
	case chars < 0:
		return fmt.Errorf("%w: %d characters", ErrBadSetup, chars)
	case subID == "":
		return fmt.Errorf("%w: empty submission id", ErrUnknownSubmission)
	case slices.ContainsFunc(m.s.Submissions, func(s Submission) bool { return s.ID == subID }):
		return ErrDuplicateSubmission
	}
	m.s.Submissions = append(m.s.Submissions, Submission{ID: subID, Player: id, Received: at, Chars: chars})
	m.emit(Event{At: now, Kind: "submitted", Player: id, Sub: subID})
	return nil
}

// Verdict records the judge's result for a submission: passed of total
// hidden tests, accepted when every test passed. A repeated verdict (a
// redelivered judge job) is rejected, so it can never count twice. Verdicts
// may arrive after the match finished; they are kept for the history but no
// longer change the result.
func (m *Match) Verdict(subID string, passed, total int, accepted bool) error {
	m.Tick()
	i := slices.IndexFunc(m.s.Submissions, func(s Submission) bool { return s.ID == subID })
	if i < 0 {
		return ErrUnknownSubmission
	}
	sub := &m.s.Submissions[i]
	if sub.Judged {
		return ErrDuplicateVerdict
	}
	if total <= 0 || passed < 0 || passed > total || accepted != (passed == total) {
		return fmt.Errorf("%w: %d/%d accepted=%v", ErrBadVerdict, passed, total, accepted)
	}
	now := m.clk.Now()
	sub.Judged, sub.Passed, sub.Total, sub.Accepted = true, passed, total, accepted
	m.emit(Event{At: now, Kind: "verdict", Player: sub.Player, Sub: subID})
	if m.s.State.Terminal() {
		return nil
	}
	if accepted && m.Rule() == BigO {
		sub.MeasureBy = now.Add(m.cfg.measureGrace())
	}
	p, _ := m.player(sub.Player)
	if p.Out == "" {
		// Verdicts may arrive out of receipt order: the best is credited to
		// the earliest received submission that reached it.
		if passed > p.Best || (passed == p.Best && passed > 0 && i < p.BestSeq) {
			p.Best, p.BestSeq = passed, i
		}
		if accepted {
			p.Solved = true
		}
	}
	m.decide(now, false)
	return nil
}

// Measured records the coach's measurement of an Accepted submission in
// a BigO match. A second measurement, or one that came after MeasureBy
// (the submission already counted as inconclusive), is ErrDuplicateVerdict;
// a submission that is not an Accepted one of a BigO match ErrNotMeasured.
func (m *Match) Measured(subID string, r Measure) error {
	m.Tick()
	i := slices.IndexFunc(m.s.Submissions, func(s Submission) bool { return s.ID == subID })
	if i < 0 {
		return ErrUnknownSubmission
	}
	sub := &m.s.Submissions[i]
	switch {
	case !r.valid():
		return fmt.Errorf("%w: measure %q", ErrBadVerdict, r)
	case m.Rule() != BigO || !sub.Judged || !sub.Accepted || sub.MeasureBy.IsZero():
		return ErrNotMeasured
	case sub.Measure != "":
		return ErrDuplicateVerdict
	}
	now := m.clk.Now()
	sub.Measure = r
	m.emit(Event{At: now, Kind: "measured", Player: sub.Player, Sub: subID})
	m.decide(now, false)
	return nil
}

// awaiting reports a submission whose outcome is not known yet: not
// judged, or (BigO) Accepted and not measured.
func (m *Match) awaiting(s Submission) bool {
	return !s.Judged || s.Accepted && !s.MeasureBy.IsZero() && s.Measure == ""
}

// decide finishes the match if the submissions judged so far settle it.
// With ignorePending (the judge grace has run out) unjudged submissions are
// treated as never received, and unmeasured ones as inconclusive.
func (m *Match) decide(now time.Time, ignorePending bool) {
	if m.s.State != Running && m.s.State != Judging {
		return
	}
	if m.Rule() == Shortest {
		m.decideShortest(now, ignorePending)
		return
	}
	// First Accepted by receipt order, counted only once nothing received
	// earlier (from a player still in the match) awaits its verdict.
	for i, sub := range m.s.Submissions {
		if p, _ := m.player(sub.Player); p.Out != "" {
			continue
		}
		if !sub.Judged {
			if !ignorePending {
				break
			}
			continue
		}
		if !sub.Accepted {
			continue
		}
		if m.awaiting(sub) {
			if !ignorePending {
				break // BigO: its measurement holds the result
			}
			// The judge grace is over: the measurement falls back.
			m.s.Submissions[i].Measure = MeasureInconclusive
			m.emit(Event{At: now, Kind: "measured", Player: sub.Player, Sub: sub.ID})
		}
		if sub.Measure == MeasureSlower {
			continue // BigO: Accepted, but above the intended class
		}
		m.finish(Won, sub.Player, now)
		return
	}
	if m.s.State == Judging && (ignorePending || !m.pending()) {
		m.finishByTests(now)
	}
}

// decideShortest ends a Shortest match once every player still in has an
// Accepted submission (theirs is final) and nothing is awaited, or, at the
// deadline, once the verdicts are in: fewest characters wins.
func (m *Match) decideShortest(now time.Time, ignorePending bool) {
	if m.s.State == Judging && (ignorePending || !m.pending()) {
		m.finishByTests(now)
		return
	}
	if m.pending() {
		return
	}
	for _, p := range m.s.Players {
		if p.Out == "" && !p.Solved {
			return
		}
	}
	m.finishByTests(now)
}

func (m *Match) pending() bool {
	return slices.ContainsFunc(m.s.Submissions, func(s Submission) bool {
		p, _ := m.player(s.Player)
		return m.awaiting(s) && p.Out == ""
	})
}

// finishByTests applies the deadline rule: most hidden tests passed wins,
// ties broken by the earlier best submission, otherwise draw. In a
// Shortest match the players with an Accepted submission come first, by
// its characters (then the earlier one), and the first wins (reason
// shortest); without one, the tests decide as in any match.
func (m *Match) finishByTests(now time.Time) {
	order := m.ranking()
	if len(order) == 0 {
		m.finish(Draw, 0, now)
		return
	}
	if m.Rule() == Shortest {
		if _, _, ok := m.shortestOf(order[0]); ok {
			m.finish(ShortestCode, order[0], now)
			return
		}
	}
	top, _ := m.player(order[0])
	if top.Best == 0 {
		m.finish(Draw, 0, now)
		return
	}
	// Equal Best with distinct submissions is decided by BestSeq (receipt
	// order), so a tie that is not 0–0 cannot remain.
	m.finish(Timeout, top.ID, now)
}

// shortestOf is a player's fewest characters among their Accepted
// submissions and the receipt order of the first with that many.
func (m *Match) shortestOf(id int64) (chars, seq int, ok bool) {
	for i, s := range m.s.Submissions {
		if s.Player == id && s.Judged && s.Accepted && (!ok || s.Chars < chars) {
			chars, seq, ok = s.Chars, i, true
		}
	}
	return chars, seq, ok
}

// ranking orders players still in the match by (Best desc, BestSeq asc);
// in a Shortest match those with an Accepted submission first, by
// (characters asc, receipt asc).
func (m *Match) ranking() []int64 {
	var in []Player
	for _, p := range m.s.Players {
		if p.Out == "" {
			in = append(in, p)
		}
	}
	shortest := m.Rule() == Shortest
	slices.SortStableFunc(in, func(a, b Player) int {
		if shortest {
			ca, sa, oka := m.shortestOf(a.ID)
			cb, sb, okb := m.shortestOf(b.ID)
			switch {
			case oka && okb && ca != cb:
				return ca - cb
			case oka && okb:
				return sa - sb
			case oka:
				return -1
			case okb:
				return 1
			}
		}
		if a.Best != b.Best {
			return b.Best - a.Best
		}
		if a.Best == 0 {
			return 0
		}
		return a.BestSeq - b.BestSeq
	})
	ids := make([]int64, len(in))
	for i, p := range in {
		ids[i] = p.ID
	}
	return ids
}

func (m *Match) finish(r Reason, winner int64, at time.Time) {
	standings := m.ranking()
	if winner != 0 {
		standings = slices.DeleteFunc(standings, func(id int64) bool { return id == winner })
		standings = append([]int64{winner}, standings...)
	}
	var out []Player
	for _, p := range m.s.Players {
		if p.Out != "" {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b Player) int { return b.OutAt.Compare(a.OutAt) })
	for _, p := range out {
		standings = append(standings, p.ID)
	}
	m.s.Result = Result{Reason: r, Winner: winner, Standings: standings}
	m.s.EndedAt = at
	m.setState(Finished, at)
}

// Resign eliminates player id. With one player left, that player wins.
func (m *Match) Resign(id int64) error {
	m.Tick()
	p, err := m.player(id)
	if err != nil {
		return err
	}
	switch m.s.State {
	case Accepted, Countdown, Running, Judging:
	default:
		return ErrWrongState
	}
	if p.Out != "" {
		return ErrPlayerOut
	}
	m.eliminate([]*Player{p}, Resigned, m.clk.Now())
	return nil
}

// eliminate takes players out at the same instant. If none is left the
// match ends without a winner; if one is left, that one wins. A match that
// would end so before it runs (accepted or in the countdown) is cancelled
// instead (Aborted): a second account resigning during the countdown must
// not hand anyone a win.
func (m *Match) eliminate(ps []*Player, r Reason, at time.Time) {
	for _, p := range ps {
		p.Out, p.OutAt = r, at
		m.emit(Event{At: at, Kind: "out", Player: p.ID, Reason: r})
	}
	var left []int64
	for _, q := range m.s.Players {
		if q.Out == "" {
			left = append(left, q.ID)
		}
	}
	if len(left) <= 1 && (m.s.State == Accepted || m.s.State == Countdown) {
		m.s.Result = Result{Reason: Aborted}
		m.s.EndedAt = at
		m.setState(Cancelled, at)
		return
	}
	switch len(left) {
	case 0:
		m.finish(r, 0, at)
	case 1:
		m.finish(r, left[0], at)
	default:
		m.decide(at, false) // the leaver's pending submissions no longer block anyone
	}
}

// Disconnected records that player id's connection dropped now. After
// DisconnectGrace without Reconnected the player forfeits.
func (m *Match) Disconnected(id int64) error {
	p, err := m.activePlayer(id)
	if err != nil {
		return err
	}
	if !p.DisconnectedAt.IsZero() {
		return ErrAlreadyDisconnected
	}
	now := m.clk.Now()
	p.DisconnectedAt = now
	m.emit(Event{At: now, Kind: "disconnected", Player: id})
	return nil
}

// Reconnected clears a disconnect within the grace period.
func (m *Match) Reconnected(id int64) error {
	p, err := m.activePlayer(id)
	if err != nil {
		return err
	}
	if p.DisconnectedAt.IsZero() {
		return ErrNotDisconnected
	}
	p.DisconnectedAt = time.Time{}
	m.emit(Event{At: m.clk.Now(), Kind: "reconnected", Player: id})
	return nil
}

// activePlayer applies due timers, then returns player id if the match is
// not over and the player is still in it (connection changes of anyone
// else are errors).
func (m *Match) activePlayer(id int64) (*Player, error) {
	m.Tick()
	p, err := m.player(id)
	if err != nil {
		return nil, err
	}
	if m.s.State.Terminal() {
		return nil, ErrWrongState
	}
	if p.Out != "" {
		return nil, ErrPlayerOut
	}
	return p, nil
}

// GraceLeft is how long a disconnected player has left before forfeiting
// (for "disconnected, 47 s"); ok is false if the player is connected.
func (m *Match) GraceLeft(id int64) (left time.Duration, ok bool) {
	p, err := m.player(id)
	if err != nil || p.DisconnectedAt.IsZero() {
		return 0, false
	}
	return max(0, p.DisconnectedAt.Add(m.cfg.DisconnectGrace).Sub(m.clk.Now())), true
}

// NextTimer is the next instant at which Tick will change something, so the
// owner can sleep until then; ok is false when no timer is pending.
func (m *Match) NextTimer() (at time.Time, ok bool) {
	t, _, ok := m.nextTimer()
	return t, ok
}

type timerKind int

const (
	timerAccept timerKind = iota
	timerStart
	timerDeadline
	timerJudge
	timerGrace
	timerMeasure
)

// nextTimer returns the earliest pending timer.
func (m *Match) nextTimer() (time.Time, timerKind, bool) {
	var (
		at   time.Time
		kind timerKind
		ok   bool
	)
	consider := func(t time.Time, k timerKind) {
		if !ok || t.Before(at) {
			at, kind, ok = t, k, true
		}
	}
	switch m.s.State {
	case Found:
		consider(m.s.AcceptBy, timerAccept)
	case Countdown:
		consider(m.s.StartAt, timerStart)
	case Running:
		if m.holds == 0 {
			consider(m.s.Deadline, timerDeadline)
		}
	case Judging:
		consider(m.s.JudgeBy, timerJudge)
	}
	switch m.s.State {
	case Running, Judging:
		for _, s := range m.s.Submissions {
			if s.Accepted && s.Measure == "" && !s.MeasureBy.IsZero() {
				consider(s.MeasureBy, timerMeasure)
			}
		}
	}
	switch m.s.State {
	case Accepted, Countdown, Running:
		for _, p := range m.s.Players {
			if p.Out == "" && !p.DisconnectedAt.IsZero() {
				consider(p.DisconnectedAt.Add(m.cfg.DisconnectGrace), timerGrace)
			}
		}
	}
	return at, kind, ok
}

// Tick fires every timer due by now, each at its own instant and in time
// order, so a late tick (e.g. after a node failover) gives the same outcome
// as a punctual one. Every action calls Tick first.
func (m *Match) Tick() { m.tickUntil(m.clk.Now()) }

func (m *Match) tickUntil(now time.Time) {
	for {
		at, kind, ok := m.nextTimer()
		if !ok || now.Before(at) {
			return
		}
		switch kind {
		case timerAccept:
			var missing []int64
			for _, p := range m.s.Players {
				if !p.Accepted {
					missing = append(missing, p.ID)
				}
			}
			m.s.Result = Result{Reason: NotAccepted, Missing: missing}
			m.s.EndedAt = at
			m.setState(Cancelled, at)
		case timerStart:
			m.setState(Running, at)
		case timerDeadline:
			if m.pending() {
				m.s.JudgeBy = at.Add(m.cfg.JudgeGrace)
				m.setState(Judging, at)
				m.decide(at, false)
			} else {
				m.finishByTests(at)
			}
		case timerJudge:
			m.decide(at, true) // unjudged submissions count as never received
		case timerMeasure:
			// The measurements not made in time fall back to Accepted.
			for i := range m.s.Submissions {
				s := &m.s.Submissions[i]
				if s.Accepted && s.Measure == "" && s.MeasureBy.Equal(at) {
					s.Measure = MeasureInconclusive
					m.emit(Event{At: at, Kind: "measured", Player: s.Player, Sub: s.ID})
				}
			}
			m.decide(at, false)
		case timerGrace:
			// Everyone whose grace ends at this instant forfeits together, so
			// two players dropped by the same network cut both lose.
			var gone []*Player
			for i := range m.s.Players {
				p := &m.s.Players[i]
				if p.Out == "" && !p.DisconnectedAt.IsZero() && p.DisconnectedAt.Add(m.cfg.DisconnectGrace).Equal(at) {
					gone = append(gone, p)
				}
			}
			if len(gone) == 0 {
				return // unreachable: the timer came from one of them; never spin
			}
			m.eliminate(gone, Forfeit, at)
		}
	}
}

// ServerClock is what clients need to show a correct countdown whatever their
// own clock says: the deadline (or start) and the server's now.
type ServerClock struct {
	State     State     `json:"state"`
	StartAt   time.Time `json:"start_at,omitzero"`
	Deadline  time.Time `json:"deadline,omitzero"`
	ServerNow time.Time `json:"server_now"`
}

// Clock returns the timing view for clients.
func (m *Match) Clock() ServerClock {
	return ServerClock{State: m.s.State, StartAt: m.s.StartAt, Deadline: m.s.Deadline, ServerNow: m.clk.Now()}
}
