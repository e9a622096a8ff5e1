package service

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/protocol"
)

// chatMsg reads a chat.message frame.
func chatMsg(f frame) protocol.ChatMessage {
	var m protocol.ChatMessage
	f.get(&m)
	return m
}

// chatText waits for the pushed chat.message with text on channel (it may
// have come while the client waited for a reply).
func (w *wsClient) chatText(channel, text string) protocol.ChatMessage {
	w.t.Helper()
	pred := func(f frame) bool {
		m := chatMsg(f)
		return f.Type == "chat.message" && f.ID == "" && m.Channel == channel && m.Text == text
	}
	for _, f := range w.seenFrames() {
		if pred(f) {
			return chatMsg(f)
		}
	}
	return chatMsg(w.next(10*time.Second, "chat "+text, pred))
}

func (w *wsClient) seenFrames() []frame {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.seen)
}

// noChatUntil reads frames up to the pushed chat message marker on
// channel and fails if any chat message with text bad arrived before it
// (the stream is one log: every node delivers in its order, so what was
// posted before the marker and not seen by then was not delivered).
func (w *wsClient) noChatUntil(channel, marker string, bad ...string) {
	w.t.Helper()
	pred := func(f frame) bool {
		if f.Type != "chat.message" {
			return false
		}
		m := chatMsg(f)
		for _, b := range bad {
			if m.Text == b {
				w.t.Fatalf("received %q on %s, which must not reach this user", b, m.Channel)
			}
		}
		return f.ID == "" && m.Channel == channel && m.Text == marker
	}
	for _, f := range w.seenFrames() {
		if pred(f) {
			return
		}
	}
	w.next(10*time.Second, "marker "+marker, pred)
}

func (w *wsClient) history(channel string) []protocol.ChatMessage {
	w.t.Helper()
	var h protocol.ChatHistory
	w.request("chat.join", map[string]any{"channel": channel}, "chat.history").get(&h)
	if h.Channel != channel {
		w.t.Fatalf("history of %q, want %q", h.Channel, channel)
	}
	return h.Messages
}

func texts(ms []protocol.ChatMessage) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

// TestChatFanOut (issue 21) on two API nodes: lobby messages reach the
// other node; a ranked match's players talk in their channel, its
// spectators in theirs, and nothing a spectator writes during the ranked
// match reaches a player (neither pushed, on either node, nor in history);
// mutes hide a sender everywhere; a report is kept for the administrators,
// who delete messages (pushed to every node, gone from history) and time
// users out.
func TestChatFanOut(t *testing.T) {
	e := newEnv(t)
	e.opt.Match.Durations[e.cat.list[0].Difficulty()] = time.Minute
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	bob, bobTok := e.user("bob")
	cyd, cydTok := e.user("cyd")
	_, danTok := e.user("dan")
	rootTok := e.admin("root")

	a, b := connect(t, n1, adaTok), connect(t, n2, bobTok)
	cy, d := connect(t, n2, cydTok), connect(t, n1, danTok)
	root := connect(t, n1, rootTok)

	// The lobby, across nodes.
	for _, w := range []*wsClient{a, b, cy, d} {
		w.history("lobby")
	}
	var hi protocol.ChatMessage
	a.request("chat.send", map[string]any{"channel": "lobby", "text": "  hi all  "}, "chat.message").get(&hi)
	if hi.Text != "hi all" || hi.UserID != ada.ID || hi.Username != "ada" || hi.ID <= 0 || hi.Channel != "lobby" {
		t.Fatalf("sent message = %+v", hi)
	}
	if got := b.chatText("lobby", "hi all"); got.ID != hi.ID || got.At != hi.At {
		t.Fatalf("bob on node 2 got %+v, ada sent %+v", got, hi)
	}
	d.chatText("lobby", "hi all")

	// A ranked match: players' channel and spectators' channel.
	id := startRanked(t, a, b)
	players, specs := "match:"+id, "spectators:"+id
	a.history(players)
	b.history(players)
	cy.requestErr("chat.join", map[string]any{"channel": players}, "chat_forbidden")
	cy.requestErr("chat.send", map[string]any{"channel": players, "text": "psst"}, "chat_forbidden")
	cy.history(specs)
	d.history(specs)
	a.requestErr("chat.join", map[string]any{"channel": specs}, "chat_forbidden")
	b.requestErr("chat.send", map[string]any{"channel": specs, "text": "hello fans"}, "chat_forbidden")

	b.request("chat.send", map[string]any{"channel": players, "text": "glhf"}, "chat.message")
	a.chatText(players, "glhf")

	coaching := "use a segment tree, ada"
	cy.request("chat.send", map[string]any{"channel": specs, "text": coaching}, "chat.message")
	d.chatText(specs, coaching) // the other node's spectator
	// Both players (one per node) have read everything up to a later
	// marker without the spectator's message.
	a.request("chat.send", map[string]any{"channel": players, "text": "marker 1"}, "chat.message")
	a.noChatUntil(players, "marker 1", coaching)
	b.noChatUntil(players, "marker 1", coaching)

	// Mutes: bob mutes ada; her next message does not reach him (history
	// neither), a later one by someone else does.
	var mutes protocol.ChatMutes
	b.request("chat.mute", map[string]any{"user_id": ada.ID, "muted": true}, "chat.mutes").get(&mutes)
	if len(mutes.Users) != 1 || mutes.Users[0] != ada.ID {
		t.Fatalf("mutes = %v", mutes.Users)
	}
	b.requestErr("chat.mute", map[string]any{"user_id": bob.ID, "muted": true}, "invalid_request")
	a.request("chat.send", map[string]any{"channel": "lobby", "text": "muted words"}, "chat.message")
	cy.request("chat.send", map[string]any{"channel": "lobby", "text": "marker 2"}, "chat.message")
	b.noChatUntil("lobby", "marker 2", "muted words")
	d.chatText("lobby", "muted words")
	// Bob's other tab, on the other node, which learns the mute from the
	// bucket's watch (within moments).
	b2 := connect(t, n1, bobTok)
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		got := strings.Join(texts(b2.history("lobby")), "|")
		if !strings.Contains(got, "marker 2") {
			t.Fatalf("bob's lobby history on node 1 = %q", got)
		}
		if !strings.Contains(got, "muted words") {
			break
		}
		if time.Since(start) > hangOnly {
			t.Fatalf("node 1 never applied bob's mute: %q", got)
		}
	}
	b.request("chat.mute", map[string]any{"user_id": ada.ID, "muted": false}, "chat.mutes")

	// Reports: only of what you can read; kept for administrators.
	a.requestErr("chat.report", map[string]any{"channel": "lobby", "message_id": 999999}, "chat_message_not_found")
	a.requestErr("chat.report", map[string]any{"channel": players, "message_id": hi.ID}, "chat_message_not_found") // another channel's id
	b.request("chat.report", map[string]any{"channel": "lobby", "message_id": hi.ID, "reason": "rude"}, "chat.reported")
	a.requestErr("chat.reports", map[string]any{"limit": 10}, "forbidden")
	var reps protocol.ChatReports
	root.request("chat.reports", map[string]any{"limit": 10}, "chat.reports").get(&reps)
	if len(reps.Reports) != 1 || reps.Reports[0].ReporterID != bob.ID || reps.Reports[0].Reason != "rude" || reps.Reports[0].Message.Text != "hi all" {
		t.Fatalf("reports = %+v", reps.Reports)
	}

	// Deletion: administrators only; pushed on both nodes; gone from history.
	a.requestErr("chat.delete", map[string]any{"channel": "lobby", "message_id": hi.ID}, "forbidden")
	root.request("chat.delete", map[string]any{"channel": "lobby", "message_id": hi.ID}, "chat.deleted")
	for _, w := range []*wsClient{b, d} {
		var del protocol.ChatDeleted
		w.expect("chat.deleted", 10*time.Second).get(&del)
		if del.Channel != "lobby" || del.MessageID != hi.ID {
			t.Fatalf("chat.deleted = %+v", del)
		}
	}
	if got := texts(connect(t, n2, danTok).history("lobby")); strings.Contains(strings.Join(got, "|"), "hi all") {
		t.Fatalf("deleted message still in history: %q", got)
	}
	root.requestErr("chat.delete", map[string]any{"channel": "lobby", "message_id": hi.ID}, "chat_message_not_found")

	// Timeout: cyd (node 2) is stopped by an admin on node 1, told so.
	a.requestErr("chat.timeout", map[string]any{"user_id": cyd.ID, "minutes": 5}, "forbidden")
	root.request("chat.timeout", map[string]any{"user_id": cyd.ID, "minutes": 5}, "chat.timed_out")
	var to protocol.ChatTimedOut
	cy.expect("chat.timed_out", 10*time.Second).get(&to)
	if to.UserID != cyd.ID || to.Until == nil {
		t.Fatalf("chat.timed_out = %+v", to)
	}
	if ed := cy.requestErr("chat.send", map[string]any{"channel": "lobby", "text": "let me talk"}, "chat_timed_out"); ed["cooldown_until"] == nil {
		t.Fatalf("timeout error without cooldown_until: %v", ed)
	}
	root.request("chat.timeout", map[string]any{"user_id": cyd.ID, "minutes": 0}, "chat.timed_out")
	cy.request("chat.send", map[string]any{"channel": "lobby", "text": "thanks"}, "chat.message")

	// After the ranked match its players may join the spectators' channel,
	// but what was written during it stays out of their view.
	a.request("match.resign", map[string]any{"match_id": id}, "match.finished")
	if got := texts(a.history(specs)); len(got) != 0 {
		t.Fatalf("ada reads the spectators' messages of her ranked match: %q", got)
	}
	if got := texts(d.history(specs)); len(got) != 1 || got[0] != coaching {
		t.Fatalf("spectator history = %q", got)
	}
	a.send("chat.leave", "", map[string]any{"channel": specs})
	a.request("ping", map[string]any{}, "pong")

	// The history lives in JetStream, not in a node: a node started now
	// serves it, and a node that stops takes nothing with it.
	n1.svc.Stop()
	n3 := e.addNode()
	got := texts(connect(t, n3, danTok).history("lobby"))
	if len(got) == 0 || got[len(got)-1] != "thanks" {
		t.Fatalf("lobby history on a new node = %q", got)
	}
}

// TestChatHostileInput: every bad chat frame gets a clear error, nothing
// is stored, and the connection keeps working.
func TestChatHostileInput(t *testing.T) {
	e := newEnv(t)
	n := e.addNode()
	e.waitLeader()
	_, tok := e.user("eve")
	w := connect(t, n, tok)
	w.history("lobby")

	long := strings.Repeat("é", protocol.MaxChatChars+1)
	for _, c := range []struct {
		name string
		data map[string]any
		code string
	}{
		{"too long", map[string]any{"channel": "lobby", "text": long}, "chat_too_long"},
		{"huge", map[string]any{"channel": "lobby", "text": strings.Repeat("x", 200<<10)}, "chat_too_long"},
		{"empty", map[string]any{"channel": "lobby", "text": ""}, "chat_empty"},
		{"spaces", map[string]any{"channel": "lobby", "text": " \u3000 "}, "chat_empty"},
		{"bell", map[string]any{"channel": "lobby", "text": "ding\x07"}, "chat_invalid_text"},
		{"newline", map[string]any{"channel": "lobby", "text": "line\nbreak"}, "chat_invalid_text"},
		{"NUL", map[string]any{"channel": "lobby", "text": "a\x00b"}, "chat_invalid_text"},
		{"bidi override", map[string]any{"channel": "lobby", "text": "abc\u202Egpj.exe"}, "chat_invalid_text"},
		{"no channel", map[string]any{"text": "x"}, "invalid_request"},
		{"unknown kind", map[string]any{"channel": "dm:1", "text": "x"}, "invalid_request"},
		{"lobby with id", map[string]any{"channel": "lobby:1", "text": "x"}, "invalid_request"},
		{"dotted id", map[string]any{"channel": "match:a.b", "text": "x"}, "invalid_request"},
		{"wildcard id", map[string]any{"channel": "spectators:>", "text": "x"}, "invalid_request"},
		{"long channel", map[string]any{"channel": "match:" + strings.Repeat("m", 200), "text": "x"}, "invalid_request"},
		{"unknown field", map[string]any{"channel": "lobby", "text": "x", "html": true}, "invalid_request"},
		{"text not a string", map[string]any{"channel": "lobby", "text": 7}, "invalid_request"},
		{"unknown match", map[string]any{"channel": "match:nope", "text": "x"}, "match_not_found"},
		{"tournament id not a number", map[string]any{"channel": "tournament:t1", "text": "x"}, "chat_forbidden"},
	} {
		d := w.requestErr("chat.send", c.data, c.code)
		if c.code == "chat_too_long" && d["limit"] != float64(protocol.MaxChatChars) {
			t.Errorf("%s: limit %v", c.name, d["limit"])
		}
	}
	w.requestErr("chat.join", map[string]any{"channel": "match:nope"}, "match_not_found")
	w.requestErr("chat.report", map[string]any{"channel": "lobby", "message_id": -1}, "invalid_request")
	w.requestErr("chat.timeout", map[string]any{"user_id": 1, "minutes": 1 << 20}, "invalid_request")

	// Markup is text: stored and sent as written, never interpreted here.
	html := `<img src=x onerror=alert(1)><script>alert(2)</script> see https://evil.example`
	w.request("chat.send", map[string]any{"channel": "lobby", "text": html}, "chat.message")
	w.chatText("lobby", html)
	w.request("chat.send", map[string]any{"channel": "lobby", "text": strings.Repeat("é", protocol.MaxChatChars)}, "chat.message")

	// Flooding: the burst passes, then rate_limited with retry_after_ms
	// (the bucket refills one message per 2 s: a slow machine may let
	// one more through, so the test counts rather than expects).
	sent, limited := 2, 0
	for i := range 12 {
		id := "flood" + string(rune('a'+i))
		w.send("chat.send", id, map[string]any{"channel": "lobby", "text": "spam"})
		f := w.next(10*time.Second, "reply "+id, func(f frame) bool { return f.ID == id })
		if f.Type == "chat.message" {
			sent++
			continue
		}
		var d map[string]any
		f.get(&d)
		if d["code"] != "rate_limited" || d["retry_after_ms"] == nil {
			t.Fatalf("flood frame %d: %v", i, d)
		}
		limited++
	}
	if sent < protocol.ChatBurst || limited < 12-protocol.ChatBurst {
		t.Fatalf("sent %d, limited %d", sent, limited)
	}
	// Nothing refused was stored; the connection still serves.
	w2 := connect(t, n, tok)
	got := texts(w2.history("lobby"))
	if len(got) != sent || got[0] != html {
		t.Fatalf("lobby history = %d messages %q, %d sent", len(got), got, sent)
	}
	w.request("ping", map[string]any{}, "pong")
}

// TestChatFanOutFigures prints how long a lobby message takes from
// chat.send on one node to the last of many receivers on another (the
// stream, the ordered consumer, the fan-out). Figures only; run with
// SEGFAULT_CHAT_FIGURES=1 (-v).
func TestChatFanOutFigures(t *testing.T) {
	if os.Getenv("SEGFAULT_CHAT_FIGURES") == "" {
		t.Skip("figures: set SEGFAULT_CHAT_FIGURES=1")
	}
	const receivers, messages = 1000, 200
	e := newEnv(t)
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	var got atomic.Int64
	for _, u := range e.users("rx", receivers) {
		b := attach(t, n2, u)
		b.do(protocol.OpChatJoin, &protocol.ChatChannel{Channel: "lobby"}, protocol.EventChatHistory)
		go func() {
			for f := range b.c.Frames {
				if strings.Contains(string(f), `"chat.message"`) {
					got.Add(1)
				}
			}
		}()
	}
	senders := e.users("tx", messages/protocol.ChatBurst)
	var lat []time.Duration
	for i := range messages {
		b := attach(t, n1, senders[i%len(senders)])
		start := time.Now()
		b.do(protocol.OpChatSend, &protocol.ChatSend{Channel: "lobby", Text: fmt.Sprintf("m%d", i)}, protocol.EventChatMessage)
		for got.Load() < int64((i+1)*receivers) {
			time.Sleep(100 * time.Microsecond)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("chat fan-out, %d receivers on the other node, %d messages: p50 %v, p90 %v, p99 %v, max %v (load %s)",
		receivers, messages, lat[len(lat)/2], lat[len(lat)*9/10], lat[len(lat)*99/100], lat[len(lat)-1], strings.Fields(string(load))[0])
}

// TestChatTournament: anyone signed in reads a tournament's channel; only
// its registered players write to it; an unknown tournament is refused.
func TestChatTournament(t *testing.T) {
	e := newEnv(t)
	n := e.addNode()
	e.waitLeader()
	ctx := context.Background()
	admin, _ := e.user("boss")
	ada, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	d, err := n.svc.CreateTournament(ctx, admin.ID, protocol.TournamentCreate{Name: "Chat Cup", Format: "swiss", Rounds: 1,
		StartsAt: time.Now().Add(time.Hour).UTC().Format(time.RFC3339Nano), DurationS: 60})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.svc.TournamentAction(ctx, d.Tournament.ID, ada.ID, "register"); err != nil {
		t.Fatal(err)
	}
	ch := fmt.Sprintf("tournament:%d", d.Tournament.ID)
	a, b := connect(t, n, adaTok), connect(t, n, bobTok)
	a.history(ch)
	b.history(ch) // bob reads
	b.requestErr("chat.send", map[string]any{"channel": ch, "text": "let me in"}, "chat_forbidden")
	a.request("chat.send", map[string]any{"channel": ch, "text": "good luck all"}, "chat.message")
	b.chatText(ch, "good luck all")
	b.requestErr("chat.join", map[string]any{"channel": fmt.Sprintf("tournament:%d", d.Tournament.ID+100)}, "chat_forbidden")
}
