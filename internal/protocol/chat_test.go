package protocol

import (
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/errcode"
)

func TestCheckChatText(t *testing.T) {
	for _, c := range []struct {
		in, out string
		code    errcode.Code
	}{
		{"  hi  ", "hi", ""},
		{"<script>alert(1)</script>", "<script>alert(1)</script>", ""}, // text, shown as text
		{"👩‍💻 zwj emoji", "👩‍💻 zwj emoji", ""},
		{strings.Repeat("é", MaxChatChars), strings.Repeat("é", MaxChatChars), ""},
		{strings.Repeat("é", MaxChatChars+1), "", errcode.ChatTooLong},
		{strings.Repeat("x", 1<<20), "", errcode.ChatTooLong},
		{"", "", errcode.ChatEmpty},
		{" \u3000\u00a0", "", errcode.ChatEmpty},
		{"a\nb", "", errcode.ChatInvalidText},
		{"tab\there", "", errcode.ChatInvalidText},
		{"esc\x1b[2J", "", errcode.ChatInvalidText},
		{"c1\u0085", "", errcode.ChatInvalidText},
		{"rlo\u202egnp.exe", "", errcode.ChatInvalidText},
		{"isolate\u2066x", "", errcode.ChatInvalidText},
		{"bad \xff utf8", "", errcode.ChatInvalidText},
	} {
		got, err := CheckChatText(c.in)
		if errcode.CodeOf(err) != c.code && !(c.code == "" && err == nil) || got != c.out {
			t.Errorf("CheckChatText(%.40q) = %.40q, %v; want %.40q, %s", c.in, got, err, c.out, c.code)
		}
	}
}

func TestParseChatChannel(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind ChatKind
		id   string
		ok   bool
	}{
		{"lobby", ChatLobby, "", true},
		{"match:m_1", ChatMatch, "m_1", true},
		{"spectators:ab-12", ChatSpectators, "ab-12", true},
		{"tournament:t9", ChatTournament, "t9", true},
		{"lobby:1", "", "", false},
		{"match", "", "", false},
		{"match:", "", "", false},
		{"match:a.b", "", "", false},
		{"match:a:b", "", "", false},
		{"match:>", "", "", false},
		{"match:a b", "", "", false},
		{"dm:7", "", "", false},
		{"", "", "", false},
		{"match:" + strings.Repeat("m", MaxChatChannelBytes), "", "", false},
	} {
		kind, id, err := ParseChatChannel(c.in)
		if (err == nil) != c.ok || kind != c.kind || id != c.id {
			t.Errorf("ParseChatChannel(%q) = %q, %q, %v", c.in, kind, id, err)
		}
		if c.ok && ChatChannelOf(kind, id) != c.in {
			t.Errorf("ChatChannelOf(%q, %q) != %q", kind, id, c.in)
		}
	}
}
