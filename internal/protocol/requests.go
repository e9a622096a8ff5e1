package protocol

import (
	"errors"
	"fmt"

	"github.com/segfaultarena/segfault/internal/errcode"
)

// Request is the data of a client message. Validate checks it after a
// strict decode (unknown fields are refused before it runs): a plain
// error becomes invalid_request, an *errcode.Error keeps its code.
type Request interface{ Validate() error }

// Hello opens a connection's conversation (the first frame of a page).
type Hello struct {
	Client string `json:"client"` // e.g. "web/0.1.0"
}

// Resume is hello after a reconnection: the subscriptions to restore.
type Resume struct {
	Client        string        `json:"client"`
	Subscriptions Subscriptions `json:"subscriptions"`
}

// Subscriptions are what a connection watches besides its own user.
type Subscriptions struct {
	Leaderboard *LeaderboardSub `json:"leaderboard,omitempty"`
	Spectate    string          `json:"spectate,omitempty"` // a match id
}

// LeaderboardSub is leaderboard.subscribe: a page by offset, or the page
// around the user (Around "me").
type LeaderboardSub struct {
	Board  Board  `json:"board"`
	Offset int    `json:"offset,omitempty"`
	Limit  int    `json:"limit"`
	Around string `json:"around,omitempty" ts:"'me'"`
}

// QueueJoin is queue.join; practice starts a solo match at once.
type QueueJoin struct {
	Mode      Mode   `json:"mode"`
	ProblemID string `json:"problem_id,omitempty"` // practice only; random if absent
	// Rule is the free-for-all's scoring (fastest, shortest or reverse;
	// absent: fastest): players are grouped with those who chose the same.
	Rule Rule `json:"rule,omitempty"`
	// Ghost races a ghost (practice with a problem_id only).
	Ghost *GhostChoice `json:"ghost,omitempty"`
}

// Empty is the data of messages that carry none ({}).
type Empty struct{}

// MatchRef names a match.
type MatchRef struct {
	MatchID string `json:"match_id"`
}

// RoomCreate is room.create.
type RoomCreate struct {
	MaxPlayers int    `json:"max_players"`
	DurationS  int    `json:"duration_s,omitempty"` // 0: the problem's usual length
	ProblemID  string `json:"problem_id,omitempty"`
	// Rule scores the room's match (absent: fastest); bigo is a duel:
	// max_players 2.
	Rule Rule `json:"rule,omitempty"`
	// LiveEditors opens the room's match to spectators who watch the
	// players' editors live (the host's choice; off by default).
	LiveEditors bool `json:"live_editors,omitempty"`
}

// RoomJoin is room.join.
type RoomJoin struct {
	Code string `json:"code"` // 6 characters, case-insensitive
}

// CodeRun is code.run: the samples, or Input instead of them.
type CodeRun struct {
	MatchID string  `json:"match_id"`
	Lang    string  `json:"lang" ts:"Lang"`
	Code    string  `json:"code"`
	Input   *string `json:"input,omitempty"`
}

// CodeSubmit is code.submit.
type CodeSubmit struct {
	MatchID string `json:"match_id"`
	Lang    string `json:"lang" ts:"Lang"`
	Code    string `json:"code"`
}

// Typing is typing (never answered).
type Typing struct {
	MatchID string `json:"match_id"`
	Active  bool   `json:"active"`
}

func (m *Hello) Validate() error  { return nil }
func (m *Resume) Validate() error { return m.Subscriptions.Validate() }
func (m *Empty) Validate() error  { return nil }

func (s *Subscriptions) Validate() error {
	if s.Leaderboard != nil {
		if err := s.Leaderboard.Validate(); err != nil {
			return err
		}
	}
	if s.Spectate != "" && !ValidMatchID(s.Spectate) {
		return errors.New("spectate: bad match id")
	}
	return nil
}

func (m *LeaderboardSub) Validate() error {
	switch {
	case m.Board != BoardRating && m.Board != BoardWeeklyXP:
		return errors.New(`board must be "rating" or "weekly_xp"`)
	case m.Limit < 1 || m.Limit > MaxLeaderboardLimit:
		return fmt.Errorf("limit must be 1..%d", MaxLeaderboardLimit)
	case m.Offset < 0 || m.Offset > MaxLeaderboardOffset:
		return fmt.Errorf("offset must be 0..%d", MaxLeaderboardOffset)
	case m.Around != "" && m.Around != "me":
		return errors.New(`around must be "me"`)
	}
	return nil
}

func (m *QueueJoin) Validate() error {
	switch {
	case !m.Mode.Queueable():
		return errors.New("mode must be ranked, casual, ffa or practice")
	case m.Mode != ModePractice && m.ProblemID != "":
		return errors.New("problem_id is for practice only")
	case m.Rule != "" && m.Mode != ModeFFA:
		return errors.New("rule is for ffa only (and rooms)")
	case m.Rule != "" && m.Rule != RuleFastest && m.Rule != RuleShortest && m.Rule != RuleReverse:
		return errors.New("rule must be fastest, shortest or reverse (bigo is a room's duel)")
	case m.Ghost != nil && (m.Mode != ModePractice || m.ProblemID == ""):
		return errors.New("ghost is for practice on a chosen problem_id only")
	case m.Ghost != nil:
		return m.Ghost.validate()
	}
	return nil
}

func (m *MatchRef) Validate() error {
	if !ValidMatchID(m.MatchID) {
		return errors.New("match_id is required")
	}
	return nil
}

func (m *RoomCreate) Validate() error {
	if m.MaxPlayers < MinRoomPlayers || m.MaxPlayers > MaxRoomPlayers {
		return fmt.Errorf("max_players must be %d..%d", MinRoomPlayers, MaxRoomPlayers)
	}
	if m.DurationS != 0 && (m.DurationS < MinRoomDurationS || m.DurationS > MaxRoomDurationS) {
		return fmt.Errorf("duration_s must be %d..%d", MinRoomDurationS, MaxRoomDurationS)
	}
	if m.Rule != "" && !m.Rule.Valid() {
		return errors.New("rule must be fastest, shortest, reverse or bigo")
	}
	if m.Rule == RuleBigO && m.MaxPlayers != 2 {
		return errors.New("a bigo room is a duel: max_players must be 2")
	}
	return nil
}

func (m *RoomJoin) Validate() error {
	if m.Code == "" || len(m.Code) > MaxRoomCodeBytes {
		return errors.New("code is required")
	}
	return nil
}

func (m *CodeRun) Validate() error {
	if !ValidMatchID(m.MatchID) || m.Lang == "" {
		return errors.New("match_id and lang are required")
	}
	if err := CheckCode(m.Code); err != nil {
		return err
	}
	if m.Input != nil && len(*m.Input) > MaxInputBytes {
		return &errcode.Error{Code: errcode.InputTooLarge, Limit: MaxInputBytes,
			Message: fmt.Sprintf("custom input is %d bytes, over the limit of %d (%d KiB)", len(*m.Input), MaxInputBytes, MaxInputBytes>>10)}
	}
	return nil
}

func (m *CodeSubmit) Validate() error {
	if !ValidMatchID(m.MatchID) || m.Lang == "" {
		return errors.New("match_id and lang are required")
	}
	return CheckCode(m.Code)
}

func (m *Typing) Validate() error {
	if !ValidMatchID(m.MatchID) {
		return errors.New("match_id is required")
	}
	return nil
}

// CheckCode refuses empty code (code_empty) and code over MaxCodeBytes
// (code_too_large), with the codes the judge uses for the same refusals.
func CheckCode(code string) error {
	switch {
	case code == "":
		return errcode.New(errcode.CodeEmpty, "the code is empty")
	case len(code) > MaxCodeBytes:
		return &errcode.Error{Code: errcode.CodeTooLarge, Limit: MaxCodeBytes,
			Message: fmt.Sprintf("code is %d bytes, over the limit of %d (%d KiB)", len(code), MaxCodeBytes, MaxCodeBytes>>10)}
	}
	return nil
}

// ValidMatchID matches the bus's subject-token rule (match ids become
// NATS subjects).
func ValidMatchID(s string) bool {
	if s == "" || len(s) > MaxMatchIDBytes {
		return false
	}
	for _, c := range s {
		if c == '.' || c == '*' || c == '>' || c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// OpSpec describes one client message: its data and what answers it.
type OpSpec struct {
	Op Op
	// New returns a new, empty request of the op's data type.
	New func() Request
	// Replies are the events that answer the op (none: no reply; the
	// first is the usual one). Any op may be answered with `error`.
	Replies []Event
}

// Ops is every client message, in the order of the references.
func Ops() []OpSpec { return ops }

// OpFor returns the spec of op.
func OpFor(op Op) (OpSpec, bool) {
	s, ok := opIndex[op]
	return s, ok
}

func newOf[T any, P interface {
	*T
	Request
}]() func() Request {
	return func() Request { return P(new(T)) }
}

var ops = []OpSpec{
	{OpHello, newOf[Hello](), []Event{EventSnapshot}},
	{OpResume, newOf[Resume](), []Event{EventSnapshot}},
	{OpQueueJoin, newOf[QueueJoin](), []Event{EventQueueStatus, EventMatchState}},
	{OpQueueLeave, newOf[Empty](), []Event{EventQueueStatus}},
	{OpMatchAccept, newOf[MatchRef](), []Event{EventMatchState}},
	{OpMatchDecline, newOf[MatchRef](), []Event{EventQueueStatus}},
	{OpRoomCreate, newOf[RoomCreate](), []Event{EventRoomState}},
	{OpRoomJoin, newOf[RoomJoin](), []Event{EventRoomState}},
	{OpRoomLeave, newOf[Empty](), []Event{EventRoomState}},
	{OpRoomStart, newOf[Empty](), []Event{EventMatchState}},
	{OpCodeRun, newOf[CodeRun](), []Event{EventRunResult}},
	{OpCodeSubmit, newOf[CodeSubmit](), []Event{EventSubmissionResult}},
	{OpMatchResign, newOf[MatchRef](), []Event{EventMatchFinished, EventMatchState}},
	{OpTyping, newOf[Typing](), nil},
	{OpEditorBatch, newOf[EditorBatch](), nil},
	{OpLeaderboardSubscribe, newOf[LeaderboardSub](), []Event{EventLeaderboardUpdate}},
	{OpLeaderboardUnsubscribe, newOf[Empty](), nil},
	{OpSpectate, newOf[MatchRef](), []Event{EventMatchState}},
	{OpSpectateStop, newOf[Empty](), nil},
	{OpPing, newOf[Empty](), []Event{EventPong}},
	{OpRematchOffer, newOf[MatchRef](), []Event{EventRematchState, EventMatchState}},
	{OpRematchDecline, newOf[MatchRef](), []Event{EventRematchState}},
	{OpChatJoin, newOf[ChatChannel](), []Event{EventChatHistory}},
	{OpChatLeave, newOf[ChatChannel](), nil},
	{OpChatSend, newOf[ChatSend](), []Event{EventChatMessage}},
	{OpChatMute, newOf[ChatMute](), []Event{EventChatMutes}},
	{OpChatReport, newOf[ChatMessageRef](), []Event{EventChatReported}},
	{OpChatDelete, newOf[ChatMessageRef](), []Event{EventChatDeleted}},
	{OpChatTimeout, newOf[ChatTimeout](), []Event{EventChatTimedOut}},
	{OpChatReports, newOf[ChatReportList](), []Event{EventChatReports}},
}

var opIndex = func() map[Op]OpSpec {
	m := make(map[Op]OpSpec, len(ops))
	for _, s := range ops {
		m[s.Op] = s
	}
	return m
}()
