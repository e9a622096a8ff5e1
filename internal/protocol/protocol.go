// Package protocol is the one definition of SegFault Arena's wire contract:
// the WebSocket message names (Op, Event), the enumerations (Mode, Phase,
// Outcome, Board, Verdict), the payload of every message, the limits, and,
// through package errcode, the error codes. The hub (internal/realtime)
// decodes and validates with it, the arena fills its payloads, and
// `go generate ./internal/protocol` writes from it the web client's types
// and constants (web/src/protocol/generated.ts) and the reference tables
// of docs/protocol.md; a test fails when those files are stale.
//
// Rules every payload here keeps: times are strings from Time (RFC 3339
// UTC, milliseconds); a list is a List, which is never encoded as null; a
// field that may be absent is a pointer (null) or omitempty (left out).
package protocol

//go:generate go run ./gen -root ../..

import (
	"encoding/json"
	"reflect"
)

// Version is the protocol version ("v" of every frame).
const Version = 1

// Subprotocol is the Sec-WebSocket-Protocol value of this version.
const Subprotocol = "segfault.v1"

// Limits of client data. The web client refuses what exceeds them before
// sending; the server refuses it with the code named.
const (
	// MaxCodeBytes bounds the code of code.run and code.submit (and of a
	// REST submission or run): code_too_large. It is the judge's limit.
	MaxCodeBytes = 64 << 10
	// MaxInputBytes bounds the custom input of code.run: input_too_large.
	MaxInputBytes = 64 << 10
	// MaxFrameBytes bounds a client frame the server reads: a larger one is
	// answered with frame_too_large (or code_too_large/input_too_large
	// when that is what made it large) and the connection stays open.
	MaxFrameBytes = 256 << 10
	// HardFrameBytes is the frame size beyond which the server closes the
	// connection (1009) instead of reading and discarding the frame.
	HardFrameBytes = 8 << 20
	// MaxIDBytes bounds a request id.
	MaxIDBytes = 64
	// MaxMatchIDBytes bounds match ids (they become NATS subject tokens).
	MaxMatchIDBytes = 128
	// MinRoomPlayers..MaxRoomPlayers is room.create's max_players.
	MinRoomPlayers = 2
	MaxRoomPlayers = 8
	// MinRoomDurationS..MaxRoomDurationS is room.create's duration_s.
	MinRoomDurationS = 300
	MaxRoomDurationS = 3600
	// MaxRoomCodeBytes bounds room.join's code.
	MaxRoomCodeBytes = 16
	// MaxLeaderboardLimit is the largest leaderboard page.
	MaxLeaderboardLimit = 100
	// MaxLeaderboardOffset is the deepest page start: deeper pages cost
	// the database a long scan and serve nobody (use around "me").
	MaxLeaderboardOffset = 10_000
)

// Limit is one limit for the generated references.
type Limit struct {
	Name  string // Go name; the client's is its SCREAMING_SNAKE_CASE
	Value int64
	Doc   string
}

// Limits lists the limits above for the generator.
func Limits() []Limit {
	return append([]Limit{
		{"MaxCodeBytes", MaxCodeBytes, "code of a run or submission, bytes (`code_too_large`)"},
		{"MaxInputBytes", MaxInputBytes, "custom input of a run, bytes (`input_too_large`)"},
		{"MaxFrameBytes", MaxFrameBytes, "client frame, bytes (`frame_too_large`; the connection stays open)"},
		{"HardFrameBytes", HardFrameBytes, "client frame beyond which the connection is closed (1009)"},
		{"MaxIDBytes", MaxIDBytes, "request `id`, characters"},
		{"MaxMatchIDBytes", MaxMatchIDBytes, "match id, bytes"},
		{"MinRoomPlayers", MinRoomPlayers, "room.create `max_players`, least"},
		{"MaxRoomPlayers", MaxRoomPlayers, "room.create `max_players`, most"},
		{"MinRoomDurationS", MinRoomDurationS, "room.create `duration_s`, least"},
		{"MaxRoomDurationS", MaxRoomDurationS, "room.create `duration_s`, most"},
		{"MaxRoomCodeBytes", MaxRoomCodeBytes, "room.join `code`, bytes"},
		{"MaxLeaderboardLimit", MaxLeaderboardLimit, "leaderboard page `limit`, most"},
		{"MaxLeaderboardOffset", MaxLeaderboardOffset, "leaderboard page `offset`, most"},
		{"MaxEditorEvents", MaxEditorEvents, "events of one editor.batch (`timeline_too_large`)"},
		{"MaxEditorBatchText", MaxEditorBatchText, "text of one editor.batch, bytes (`timeline_too_large`)"},
		{"MaxEditorChanges", MaxEditorChanges, "changes of one edit event (`timeline_too_large`)"},
		{"MaxEditorDocBytes", MaxEditorDocBytes, "editor.batch `doc`, characters"},
		{"EditorBatchMs", EditorBatchMs, "how often the web client sends editor.batch, ms"},
	}, ChatLimits()...)
}

// List is a JSON array that is never null: a nil List encodes as []. Every
// list of the protocol is one, so no client has to patch nulls.
type List[T any] []T

// MarshalJSON encodes l, [] when nil.
func (l List[T]) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]T(l))
}

// Elem is the element type (for the generator).
func (List[T]) Elem() reflect.Type { return reflect.TypeFor[T]() }
