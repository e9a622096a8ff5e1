package realtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// Version and Subprotocol are protocol's (kept here for the hub's users).
const (
	Version     = protocol.Version
	Subprotocol = protocol.Subprotocol
)

// Frame is a server → client envelope.
type Frame struct {
	V    int            `json:"v"`
	Type protocol.Event `json:"type"`
	ID   string         `json:"id,omitempty"`
	Data any            `json:"data"`
}

// Encode marshals a frame; data that cannot be marshalled is a bug, turned
// into an internal error frame rather than a panic.
func Encode(typ protocol.Event, id string, data any) []byte {
	if data == nil {
		data = struct{}{}
	}
	b, err := json.Marshal(Frame{V: Version, Type: typ, ID: id, Data: data})
	if err != nil {
		b, _ = json.Marshal(Frame{V: Version, Type: protocol.EventError, ID: id, Data: protocol.ErrorData{Code: errcode.Internal, Message: "internal error"}})
	}
	return b
}

// EncodeRaw is Encode of data already encoded as JSON by json.Marshal
// (compact, HTML-escaped): the same bytes, built by copying data instead
// of validating and compacting it again. A node fanning a frame out to
// its connections builds it once this way from the bytes it received.
func EncodeRaw(typ protocol.Event, id string, data []byte) []byte {
	if len(data) == 0 {
		data = []byte("null")
	}
	b := make([]byte, 0, len(`{"v":1,"type":"","id":"","data":}`)+len(typ)+len(id)+len(data)+8)
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, Version, 10)
	b = append(b, `,"type":`...)
	b = AppendJSONString(b, string(typ))
	if id != "" {
		b = append(b, `,"id":`...)
		b = AppendJSONString(b, id)
	}
	b = append(b, `,"data":`...)
	b = append(b, data...)
	return append(b, '}')
}

// AppendJSONString appends s as json.Marshal encodes a string.
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // escapes, invalid UTF-8, U+2028: json's rules
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
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
	return Encode(protocol.EventError, id, protocol.ErrorOf(e))
}

// The client messages' data types are protocol's.
type (
	LeaderboardSub = protocol.LeaderboardSub
	Resume         = protocol.Resume
	QueueJoin      = protocol.QueueJoin
	MatchRef       = protocol.MatchRef
	RoomCreate     = protocol.RoomCreate
	RoomJoin       = protocol.RoomJoin
	CodeRun        = protocol.CodeRun
	CodeSubmit     = protocol.CodeSubmit
	Typing         = protocol.Typing
)

// Limits of client data (protocol's).
const (
	MaxFrameBytes = protocol.MaxFrameBytes
	MaxCodeBytes  = protocol.MaxCodeBytes
	MaxInputBytes = protocol.MaxInputBytes
)

// Request is one decoded, validated client frame.
type Request struct {
	Type protocol.Op
	ID   string
	Data protocol.Request // pointer to the op's data type
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
		if len(id) == 0 || len(id) > protocol.MaxIDBytes {
			return Request{}, errcode.Errorf(errcode.InvalidRequest, "id must be 1..%d characters", protocol.MaxIDBytes)
		}
	}
	if env.V == nil || *env.V != Version {
		return Request{ID: id}, errcode.Errorf(errcode.UnsupportedVersion, "this server speaks protocol version %d", Version)
	}
	spec, ok := protocol.OpFor(protocol.Op(env.Type))
	if !ok {
		return Request{ID: id}, errcode.Errorf(errcode.UnknownType, "unknown message type %q", truncate(env.Type, 40))
	}
	v := spec.New()
	data := bytes.TrimSpace(env.Data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		data = []byte("{}")
	}
	if data[0] != '{' {
		return Request{ID: id}, errcode.New(errcode.InvalidRequest, "data must be an object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Request{ID: id}, errcode.Errorf(errcode.InvalidRequest, "%s: %s", env.Type, cleanJSONError(err))
	}
	if err := v.Validate(); err != nil {
		if e, ok := errcode.As(err); ok {
			return Request{ID: id}, e // a refusal with its own code (code_empty...)
		}
		return Request{ID: id}, errcode.Errorf(errcode.InvalidRequest, "%s: %v", env.Type, err)
	}
	return Request{Type: spec.Op, ID: id, Data: v}, nil
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

// oversized is the refusal of a frame of size bytes over the frame limit,
// from its first bytes (head) and its last ones (tail): the request's id
// when it could be read, and code_too_large or input_too_large when the
// cut fell in the code or the custom input of a run or submission (the
// player's real mistake), else frame_too_large.
func oversized(head, tail []byte, size, limit int64) (id string, e *errcode.Error) {
	typ, id, field := sniff(head)
	if m := tailType.FindSubmatch(tail); typ == "" && m != nil {
		typ = string(m[1])
	}
	if m := tailID.FindSubmatch(tail); id == "" && m != nil {
		id = string(m[1])
	}
	if typ != "" && typ != string(protocol.OpCodeRun) && typ != string(protocol.OpCodeSubmit) {
		field = ""
	}
	switch field {
	case "code":
		return id, &errcode.Error{Code: errcode.CodeTooLarge, Limit: protocol.MaxCodeBytes,
			Message: fmt.Sprintf("code is over the limit of %d bytes (%d KiB); this message was %d bytes", protocol.MaxCodeBytes, protocol.MaxCodeBytes>>10, size)}
	case "input":
		return id, &errcode.Error{Code: errcode.InputTooLarge, Limit: protocol.MaxInputBytes,
			Message: fmt.Sprintf("custom input is over the limit of %d bytes (%d KiB); this message was %d bytes", protocol.MaxInputBytes, protocol.MaxInputBytes>>10, size)}
	}
	return id, &errcode.Error{Code: errcode.FrameTooLarge, Limit: limit,
		Message: fmt.Sprintf("a message is at most %d bytes (%d KiB); this one was %d bytes", limit, limit>>10, size)}
}

// The envelope's keys that follow the cut (a client may send "data"
// first) are looked for in the frame's tail.
var (
	tailType = regexp.MustCompile(`"type"\s*:\s*"([a-z.]{1,40})"`)
	tailID   = regexp.MustCompile(`"id"\s*:\s*"([^"\\]{1,64})"`)
)

// sniff reads a cut frame's top-level "type" and "id" (when they come
// before the cut) and, when the cut fell inside the value of a field of
// "data", that field's name.
func sniff(head []byte) (typ, id, field string) {
	dec := json.NewDecoder(bytes.NewReader(head))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", "", ""
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return typ, id, ""
		}
		switch key, _ := t.(string); key {
		case "id", "type":
			var v string
			if dec.Decode(&v) != nil {
				return typ, id, ""
			}
			if key == "type" {
				typ = v
			} else if len(v) > 0 && len(v) <= protocol.MaxIDBytes {
				id = v
			}
		case "data":
			if t, err := dec.Token(); err != nil || t != json.Delim('{') {
				return typ, id, ""
			}
			for dec.More() {
				t, err := dec.Token()
				if err != nil {
					return typ, id, ""
				}
				var skip json.RawMessage
				if dec.Decode(&skip) != nil {
					name, _ := t.(string)
					return typ, id, name // the cut fell in this value
				}
			}
			if _, err := dec.Token(); err != nil { // the data object's end
				return typ, id, ""
			}
		default:
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return typ, id, ""
			}
		}
	}
	return typ, id, ""
}
