package protocol

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/segfaultarena/segfault/internal/errcode"
)

// Chat (issue 21): channels over the same WebSocket. A channel is named by
// one string, "<kind>" or "<kind>:<id>":
//
//	lobby                 everyone signed in
//	match:<match id>      the players of a match (spectators never read it)
//	spectators:<match id> the spectators of a public match; its players
//	                      read it only when the match is not ranked or is over
//	tournament:<id>       a tournament's players (wired by the tournaments code)
//
// A new kind is one ChatKind constant here and one authorizer in the arena
// (service.chatKinds); the key, the NATS subject, the history and the
// moderation need nothing else.

// The chat's client messages.
const (
	OpChatJoin    Op = "chat.join"
	OpChatLeave   Op = "chat.leave"
	OpChatSend    Op = "chat.send"
	OpChatMute    Op = "chat.mute"
	OpChatReport  Op = "chat.report"
	OpChatDelete  Op = "chat.delete"  // administrators
	OpChatTimeout Op = "chat.timeout" // administrators
	OpChatReports Op = "chat.reports" // administrators
)

// The chat's server messages.
const (
	EventChatHistory  Event = "chat.history"
	EventChatMessage  Event = "chat.message"
	EventChatDeleted  Event = "chat.deleted"
	EventChatMutes    Event = "chat.mutes"
	EventChatReported Event = "chat.reported"
	EventChatTimedOut Event = "chat.timed_out"
	EventChatReports  Event = "chat.reports"
)

// ChatKind is the kind of a chat channel (the part before ':').
type ChatKind string

const (
	ChatLobby      ChatKind = "lobby"
	ChatMatch      ChatKind = "match"
	ChatSpectators ChatKind = "spectators"
	ChatTournament ChatKind = "tournament"
)

// Chat limits.
const (
	// MaxChatChars bounds a message's text, in characters (code points),
	// after trimming: chat_too_long.
	MaxChatChars = 500
	// MaxChatChannelBytes bounds a channel name.
	MaxChatChannelBytes = 160
	// MaxChatReasonChars bounds a report's reason.
	MaxChatReasonChars = 200
	// ChatHistoryMax is how many of a channel's latest messages are kept
	// (and sent by chat.history).
	ChatHistoryMax = 50
	// ChatHistoryHours is how long a message is kept.
	ChatHistoryHours = 24
	// ChatBurst messages at once, then one every ChatEveryMs per user
	// (all channels, all nodes): rate_limited.
	ChatBurst   = 5
	ChatEveryMs = 2000
	// MaxChatChannels is how many channels one connection joins at once.
	MaxChatChannels = 4
	// MaxChatTimeoutMinutes bounds chat.timeout's minutes (a week).
	MaxChatTimeoutMinutes = 7 * 24 * 60
	// MaxChatMutes bounds a user's mute list.
	MaxChatMutes = 500
)

// ChatLimits are the chat's limits for the generated references.
func ChatLimits() []Limit {
	return []Limit{
		{"MaxChatChars", MaxChatChars, "chat.send `text`, characters after trimming (`chat_too_long`)"},
		{"MaxChatChannelBytes", MaxChatChannelBytes, "chat `channel`, bytes"},
		{"MaxChatReasonChars", MaxChatReasonChars, "chat.report `reason`, characters"},
		{"ChatHistoryMax", ChatHistoryMax, "messages kept per channel (and sent by `chat.history`)"},
		{"ChatHistoryHours", ChatHistoryHours, "hours a chat message is kept"},
		{"ChatBurst", ChatBurst, "chat messages a user may send at once (`rate_limited` beyond)"},
		{"ChatEveryMs", ChatEveryMs, "then one chat message per this many ms, per user, all channels and nodes"},
		{"MaxChatChannels", MaxChatChannels, "chat channels one connection has joined at once"},
		{"MaxChatTimeoutMinutes", MaxChatTimeoutMinutes, "chat.timeout `minutes`, most"},
		{"MaxChatMutes", MaxChatMutes, "users one user may mute"},
	}
}

// ChatChannel names a channel (chat.join, chat.leave).
type ChatChannel struct {
	Channel string `json:"channel"`
}

// ChatSend is chat.send. The server trims the text and refuses what a
// text chat cannot show (control characters, bidirectional overrides).
type ChatSend struct {
	Channel string `json:"channel"`
	Text    string `json:"text"`
}

// ChatMute is chat.mute: muted true hides the user's messages from you on
// every channel and node (history included); false shows them again.
type ChatMute struct {
	UserID int64 `json:"user_id"`
	Muted  bool  `json:"muted"`
}

// ChatMessageRef names a stored message of a channel (chat.report with a
// reason, chat.delete without).
type ChatMessageRef struct {
	Channel   string `json:"channel"`
	MessageID int64  `json:"message_id"`
	Reason    string `json:"reason,omitempty"`
}

// ChatTimeout is chat.timeout (administrators): the user cannot post for
// minutes (0 lifts a timeout).
type ChatTimeout struct {
	UserID  int64 `json:"user_id"`
	Minutes int   `json:"minutes"`
}

// ChatReportList is chat.reports (administrators): the latest reports.
type ChatReportList struct {
	Limit int `json:"limit"`
}

func (m *ChatChannel) Validate() error {
	_, _, err := ParseChatChannel(m.Channel)
	return err
}

func (m *ChatSend) Validate() error {
	if _, _, err := ParseChatChannel(m.Channel); err != nil {
		return err
	}
	text, err := CheckChatText(m.Text)
	if err != nil {
		return err
	}
	m.Text = text
	return nil
}

func (m *ChatMute) Validate() error {
	if m.UserID <= 0 {
		return errors.New("user_id is required")
	}
	return nil
}

func (m *ChatMessageRef) Validate() error {
	if _, _, err := ParseChatChannel(m.Channel); err != nil {
		return err
	}
	if m.MessageID <= 0 {
		return errors.New("message_id is required")
	}
	if utf8.RuneCountInString(m.Reason) > MaxChatReasonChars || !utf8.ValidString(m.Reason) || strings.ContainsFunc(m.Reason, hiddenRune) {
		return fmt.Errorf("reason must be at most %d characters of text", MaxChatReasonChars)
	}
	return nil
}

func (m *ChatTimeout) Validate() error {
	if m.UserID <= 0 {
		return errors.New("user_id is required")
	}
	if m.Minutes < 0 || m.Minutes > MaxChatTimeoutMinutes {
		return fmt.Errorf("minutes must be 0..%d", MaxChatTimeoutMinutes)
	}
	return nil
}

func (m *ChatReportList) Validate() error {
	if m.Limit < 1 || m.Limit > 200 {
		return errors.New("limit must be 1..200")
	}
	return nil
}

// ParseChatChannel splits a channel name into its kind and id ("" for
// the lobby). The id is a match or tournament id: one NATS subject token
// (ValidMatchID) without ':'.
func ParseChatChannel(ch string) (ChatKind, string, error) {
	if ch == "" || len(ch) > MaxChatChannelBytes {
		return "", "", errors.New("channel is required")
	}
	kind, id, hasID := strings.Cut(ch, ":")
	switch ChatKind(kind) {
	case ChatLobby:
		if hasID {
			return "", "", errors.New(`channel "lobby" has no id`)
		}
		return ChatLobby, "", nil
	case ChatMatch, ChatSpectators, ChatTournament:
		if !hasID || !ValidMatchID(id) || strings.Contains(id, ":") {
			return "", "", fmt.Errorf("channel %q needs an id", kind)
		}
		return ChatKind(kind), id, nil
	}
	return "", "", errors.New("channel must be lobby, match:<id>, spectators:<id> or tournament:<id>")
}

// ChatChannelOf builds a channel name.
func ChatChannelOf(kind ChatKind, id string) string {
	if id == "" {
		return string(kind)
	}
	return string(kind) + ":" + id
}

// CheckChatText trims a message and refuses it when empty (chat_empty),
// over MaxChatChars (chat_too_long, with limit) or holding what a text
// chat cannot show (chat_invalid_text): control characters (newlines
// included: a message is one line), bidirectional overrides, invalid
// UTF-8. Markup is not refused: the text is shown as text, never as HTML.
func CheckChatText(s string) (string, error) {
	if len(s) > 4*MaxChatChars+1024 { // too long whatever it holds: do not scan it
		return "", chatTooLong(utf8.RuneCountInString(s))
	}
	if !utf8.ValidString(s) {
		return "", errcode.New(errcode.ChatInvalidText, "the message is not valid UTF-8")
	}
	if strings.ContainsFunc(s, hiddenRune) {
		return "", errcode.New(errcode.ChatInvalidText, "the message holds control characters (line breaks included) or direction overrides")
	}
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" {
		return "", errcode.New(errcode.ChatEmpty, "the message is empty")
	}
	if n := utf8.RuneCountInString(s); n > MaxChatChars {
		return "", chatTooLong(n)
	}
	return s, nil
}

func chatTooLong(n int) error {
	return &errcode.Error{Code: errcode.ChatTooLong, Limit: MaxChatChars,
		Message: fmt.Sprintf("a message is at most %d characters; this one has %d", MaxChatChars, n)}
}

// hiddenRune: control characters, and the format characters that reorder
// or hide text (bidirectional embeddings/overrides/isolates, zero-width
// joiners and spaces and the BOM are allowed only where text needs them:
// emoji use ZWJ, so only the reordering ones are refused).
func hiddenRune(r rune) bool {
	switch {
	case unicode.IsControl(r): // C0, DEL, C1
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r == 0xFEFF, r >= 0xFFF9 && r <= 0xFFFB: // BOM, interlinear annotations
		return true
	}
	return false
}

// ChatMessage is chat.message: one stored message. ID is its number in
// the chat log (increasing, unique across channels); report and delete
// name it.
type ChatMessage struct {
	Channel  string `json:"channel"`
	ID       int64  `json:"id"`
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	Text     string `json:"text"`
	At       string `json:"at"`
}

// ChatHistory answers chat.join: the channel's kept messages, oldest
// first, without those of users you muted.
type ChatHistory struct {
	Channel  string            `json:"channel"`
	Messages List[ChatMessage] `json:"messages"`
}

// ChatDeleted is chat.deleted: an administrator removed a message (pushed
// to the channel; also the reply to chat.delete).
type ChatDeleted struct {
	Channel   string `json:"channel"`
	MessageID int64  `json:"message_id"`
}

// ChatMutes is chat.mutes: the users you muted (reply to chat.mute).
type ChatMutes struct {
	Users List[int64] `json:"users"`
}

// ChatReported answers chat.report: the report is stored for the
// administrators.
type ChatReported struct {
	MessageID int64 `json:"message_id"`
}

// ChatTimedOut is chat.timed_out: the reply to chat.timeout, also pushed
// to the user concerned. Until is null when the timeout was lifted.
type ChatTimedOut struct {
	UserID int64   `json:"user_id"`
	Until  *string `json:"until"`
}

// ChatReport is one stored report.
type ChatReport struct {
	ID         int64       `json:"id"`
	At         string      `json:"at"`
	ReporterID int64       `json:"reporter_id"`
	Reporter   string      `json:"reporter"`
	Reason     string      `json:"reason"`
	Message    ChatMessage `json:"message"`
}

// ChatReports answers chat.reports: newest first.
type ChatReports struct {
	Reports List[ChatReport] `json:"reports"`
}
