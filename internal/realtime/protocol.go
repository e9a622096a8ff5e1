package realtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// Version is the protocol version of docs/protocol.md.
const Version = 1

// Subprotocol is the Sec-WebSocket-Protocol value of v1.
const Subprotocol = "segfault.v1"

// Frame is a server → client envelope.
type Frame struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	Data any    `json:"data"`
}

// Encode marshals a frame; data that cannot be marshalled is a bug, turned
// into an internal error frame rather than a panic.
func Encode(typ, id string, data any) []byte {
	if data == nil {
		data = struct{}{}
	}
	b, err := json.Marshal(Frame{V: Version, Type: typ, ID: id, Data: data})
	if err != nil {
		b, _ = json.Marshal(Frame{V: Version, Type: "error", ID: id, Data: protocol.ErrorData{Code: errcode.Internal, Message: "internal error"}})
	}
	return b
}

// ErrorFrame encodes err as an error frame answering request id ("" when
// pushed). This is the one mapping of errors to the WebSocket: an
// *errcode.Error goes out with its code and data as they are, anything else
// as `internal` (the caller logs it).
func ErrorFrame(id string, err error) []byte {
	e, ok := errcode.As(err)
	if !ok {
		e = errcode.New(errcode.Internal, "internal error")
	}
	return Encode("error", id, protocol.ErrorOf(e))
}

// Client → server messages. Each is decoded strictly (unknown fields are
// invalid_request) and validated before anything acts on it.

type Hello struct {
	Client string `json:"client"`
}

type LeaderboardSub struct {
	Board  string `json:"board"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	Around string `json:"around,omitempty"`
}

type Subscriptions struct {
	Leaderboard *LeaderboardSub `json:"leaderboard,omitempty"`
	Spectate    string          `json:"spectate,omitempty"`
}

type Resume struct {
	Client        string        `json:"client"`
	Subscriptions Subscriptions `json:"subscriptions"`
}

type QueueJoin struct {
	Mode      string `json:"mode"`
	ProblemID string `json:"problem_id,omitempty"`
}

type Empty struct{}

type MatchRef struct {
	MatchID string `json:"match_id"`
}

type RoomCreate struct {
	MaxPlayers int    `json:"max_players"`
	DurationS  int    `json:"duration_s,omitempty"`
	ProblemID  string `json:"problem_id,omitempty"`
}

type RoomJoin struct {
	Code string `json:"code"`
}

type CodeRun struct {
	MatchID string  `json:"match_id"`
	Lang    string  `json:"lang"`
	Code    string  `json:"code"`
	Input   *string `json:"input,omitempty"`
}

type CodeSubmit struct {
	MatchID string `json:"match_id"`
	Lang    string `json:"lang"`
	Code    string `json:"code"`
}

type Typing struct {
	MatchID string `json:"match_id"`
	Active  bool   `json:"active"`
}

// Limits of client data.
const (
	MaxFrameBytes = 256 << 10
	MaxCodeBytes  = 64 << 10 // judge.MaxSourceBytes: refused here already, with the same code as the judge's
	MaxInputBytes = 64 << 10
	maxIDLen      = 64
	maxTokenLen   = 128
)

func (m *Hello) validate() error  { return nil }
func (m *Resume) validate() error { return m.Subscriptions.validate() }
func (s *Subscriptions) validate() error {
	if s.Leaderboard != nil {
		if err := s.Leaderboard.validate(); err != nil {
			return err
		}
	}
	if s.Spectate != "" && !validToken(s.Spectate) {
		return errors.New("spectate: bad match id")
	}
	return nil
}
func (m *LeaderboardSub) validate() error {
	switch {
	case m.Board != "rating" && m.Board != "weekly_xp":
		return errors.New(`board must be "rating" or "weekly_xp"`)
	case m.Limit < 1 || m.Limit > 100:
		return errors.New("limit must be 1..100")
	case m.Offset < 0:
		return errors.New("offset must be >= 0")
	case m.Around != "" && m.Around != "me":
		return errors.New(`around must be "me"`)
	}
	return nil
}
func (m *QueueJoin) validate() error {
	switch m.Mode {
	case "ranked", "casual", "ffa":
		if m.ProblemID != "" {
			return errors.New("problem_id is for practice only")
		}
	case "practice":
	default:
		return errors.New("mode must be ranked, casual, ffa or practice")
	}
	return nil
}
func (m *Empty) validate() error { return nil }
func (m *MatchRef) validate() error {
	if !validToken(m.MatchID) {
		return errors.New("match_id is required")
	}
	return nil
}
func (m *RoomCreate) validate() error {
	if m.MaxPlayers < 2 || m.MaxPlayers > 8 {
		return errors.New("max_players must be 2..8")
	}
	if m.DurationS != 0 && (m.DurationS < 300 || m.DurationS > 3600) {
		return errors.New("duration_s must be 300..3600")
	}
	return nil
}
func (m *RoomJoin) validate() error {
	if m.Code == "" || len(m.Code) > 16 {
		return errors.New("code is required")
	}
	return nil
}
func (m *CodeRun) validate() error {
	if !validToken(m.MatchID) || m.Lang == "" {
		return errors.New("match_id and lang are required")
	}
	return checkCode(m.Code)
}
func (m *CodeSubmit) validate() error {
	if !validToken(m.MatchID) || m.Lang == "" {
		return errors.New("match_id and lang are required")
	}
	return checkCode(m.Code)
}

// checkCode refuses empty code with its own code, as the judge does.
func checkCode(code string) error {
	if code == "" {
		return errcode.New(errcode.CodeEmpty, "the code is empty")
	}
	return nil
}
func (m *Typing) validate() error {
	if !validToken(m.MatchID) {
		return errors.New("match_id is required")
	}
	return nil
}

type validator interface{ validate() error }

// messages maps each client type to a constructor of its data.
var messages = map[string]func() validator{
	"hello":                   func() validator { return &Hello{} },
	"resume":                  func() validator { return &Resume{} },
	"queue.join":              func() validator { return &QueueJoin{} },
	"queue.leave":             func() validator { return &Empty{} },
	"match.accept":            func() validator { return &MatchRef{} },
	"match.decline":           func() validator { return &MatchRef{} },
	"room.create":             func() validator { return &RoomCreate{} },
	"room.join":               func() validator { return &RoomJoin{} },
	"room.leave":              func() validator { return &Empty{} },
	"room.start":              func() validator { return &Empty{} },
	"code.run":                func() validator { return &CodeRun{} },
	"code.submit":             func() validator { return &CodeSubmit{} },
	"match.resign":            func() validator { return &MatchRef{} },
	"typing":                  func() validator { return &Typing{} },
	"leaderboard.subscribe":   func() validator { return &LeaderboardSub{} },
	"leaderboard.unsubscribe": func() validator { return &Empty{} },
	"spectate":                func() validator { return &MatchRef{} },
	"spectate.stop":           func() validator { return &Empty{} },
	"ping":                    func() validator { return &Empty{} },
}

// Request is one decoded, validated client frame.
type Request struct {
	Type string
	ID   string
	Data any // pointer to the type's struct above
}

// decode parses and validates one client frame. Every failure is an *Error
// with the id of the request when it could be read.
func decode(b []byte) (Request, *errcode.Error) {
	var env struct {
		V    *int            `json:"v"`
		Type string          `json:"type"`
		ID   *string         `json:"id"`
		Data json.RawMessage `json:"data"`
	}
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return Request{}, errcode.Errorf(errcode.BadFrame, "a frame must be one JSON object")
	}
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return Request{}, errcode.Errorf(errcode.BadFrame, "the frame is not valid JSON")
	}
	var id string
	if env.ID != nil {
		id = *env.ID
		if len(id) == 0 || len(id) > maxIDLen {
			return Request{}, errcode.Errorf(errcode.InvalidRequest, "id must be 1..%d characters", maxIDLen)
		}
	}
	if env.V == nil || *env.V != Version {
		return Request{ID: id}, errcode.Errorf(errcode.UnsupportedVersion, "this server speaks protocol version %d", Version)
	}
	mk, ok := messages[env.Type]
	if !ok {
		return Request{ID: id}, errcode.Errorf(errcode.UnknownType, "unknown message type %q", truncate(env.Type, 40))
	}
	v := mk()
	data := bytes.TrimSpace(env.Data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		data = []byte("{}")
	}
	if data[0] != '{' {
		return Request{ID: id}, errcode.Errorf(errcode.InvalidRequest, "data must be an object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Request{ID: id}, errcode.Errorf(errcode.InvalidRequest, "%s: %s", env.Type, cleanJSONError(err))
	}
	if err := v.validate(); err != nil {
		if e, ok := errcode.As(err); ok {
			return Request{ID: id}, e // a refusal with its own code (code_empty...)
		}
		return Request{ID: id}, errcode.Errorf(errcode.InvalidRequest, "%s: %v", env.Type, err)
	}
	return Request{Type: env.Type, ID: id, Data: v}, nil
}

func cleanJSONError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "json: ")
	return truncate(s, 200)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// validToken matches the bus's subject-token rule for ids (match ids become
// NATS subjects).
func validToken(s string) bool {
	if s == "" || len(s) > maxTokenLen {
		return false
	}
	for _, c := range s {
		if c == '.' || c == '*' || c == '>' || c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}
