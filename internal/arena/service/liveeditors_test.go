package service

import (
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/timeline"
)

// noFrame fails if w received (or receives within d) a frame of type typ
// or one whose data contains secret.
func noFrame(t *testing.T, who string, w *wsClient, d time.Duration, typ, secret string) {
	t.Helper()
	w.maybe(d, func(frame) bool { return false })
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.seen {
		if f.Type == typ || secret != "" && strings.Contains(string(f.Data), secret) {
			t.Fatalf("%s got %s: %.300s", who, f.Type, f.Data)
		}
	}
}

type liveState struct {
	MatchID     string                `json:"match_id"`
	LiveEditors bool                  `json:"live_editors"`
	Editors     []protocol.EditorLive `json:"editors"`
}

// TestLiveEditors: with the setting on (casual here, by the server's
// option), spectators on both nodes receive each player's editor live, in
// order (seq), and a late spectator starts from the editors' texts; the
// players, on two nodes, never receive each other's code. With it off
// (ranked, the default), spectators get nothing of the code. A room's host
// may turn it on, which opens the room's match to spectators.
func TestLiveEditors(t *testing.T) {
	e := newEnv(t)
	e.opt.LiveEditors = map[protocol.Mode]bool{protocol.ModeCasual: true}
	n1, n2 := e.addNode(), e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	bob, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	_, danTok := e.user("dan")
	_, eveTok := e.user("eve")
	a, b := connect(t, n1, adaTok), connect(t, n2, bobTok)
	cyd, dan := connect(t, n2, cydTok), connect(t, n1, danTok)

	// On: casual.
	id := startMode(t, a, b, "casual")
	var st liveState
	cyd.request("spectate", map[string]any{"match_id": id}, "match.state").get(&st)
	if !st.LiveEditors || len(st.Editors) != 0 {
		t.Fatalf("spectate reply %+v", st)
	}
	dan.request("spectate", map[string]any{"match_id": id}, "match.state")
	a.requestErr("spectate", map[string]any{"match_id": id}, "spectate_forbidden")

	const adaSecret, bobSecret = "ADA_SECRET_42", "BOB_SECRET_77"
	ta := &typist{w: a, id: id, doc: "ed-a", text: ""}
	if c := ta.send([]protocol.EditorEvent{ta.ev(protocol.EditorEvent{Kind: protocol.EditorOpen, Text: "", Lang: "python"})}); c != "" {
		t.Fatal(c)
	}
	for _, part := range []string{"x = '", adaSecret, "'\n"} {
		if c := ta.send(ta.typeText(part)); c != "" {
			t.Fatal(c)
		}
	}
	tb := &typist{w: b, id: id, doc: "ed-b", text: "# " + bobSecret + "\n"}
	if c := tb.send([]protocol.EditorEvent{tb.ev(protocol.EditorEvent{Kind: protocol.EditorOpen, Text: tb.text, Lang: "cpp"})}); c != "" {
		t.Fatal(c)
	}

	// Each spectator replays ada's frames, in order, to her text.
	for _, sp := range []struct {
		name string
		w    *wsClient
	}{{"cyd (bob's node)", cyd}, {"dan (ada's node)", dan}} {
		texts := map[int64]string{}
		seqs := map[int64]uint64{}
		for texts[bob.ID] != tb.text || !strings.Contains(texts[ada.ID], adaSecret+"'\n") {
			var f protocol.EditorLive
			sp.w.next(10*time.Second, sp.name+": editor.live", func(f frame) bool { return f.Type == "editor.live" }).get(&f)
			if f.MatchID != id || f.Seq != seqs[f.UserID]+1 {
				t.Fatalf("%s: frame %+v after seq %d", sp.name, f, seqs[f.UserID])
			}
			seqs[f.UserID] = f.Seq
			texts[f.UserID] = applyLive(t, texts[f.UserID], f)
		}
	}
	// A late spectator starts from the texts.
	eve := connect(t, n2, eveTok)
	eve.request("spectate", map[string]any{"match_id": id}, "match.state").get(&st)
	if len(st.Editors) != 2 {
		t.Fatalf("late spectator: editors %+v", st.Editors)
	}
	for _, ed := range st.Editors {
		want := ta.text
		if ed.UserID == bob.ID {
			want = tb.text
		}
		if !ed.Reset || ed.Text != want || ed.Seq == 0 {
			t.Fatalf("late spectator: editor %+v, want text %q", ed, want)
		}
	}
	// The players never got each other's code, nor any editor.live.
	noFrame(t, "bob", b, 300*time.Millisecond, "editor.live", adaSecret)
	noFrame(t, "ada", a, 0, "editor.live", bobSecret)
	a.request("match.resign", map[string]any{"match_id": id}, "match.finished")
	b.expect("match.finished", 5*time.Second)

	// Off: ranked (the default). Spectators get no editors and no code.
	for _, w := range []*wsClient{cyd, dan, eve} {
		w.send("spectate.stop", "", map[string]any{})
	}
	id = startMode(t, a, b, "ranked")
	st = liveState{}
	cyd.request("spectate", map[string]any{"match_id": id}, "match.state").get(&st)
	if st.LiveEditors || len(st.Editors) != 0 {
		t.Fatalf("ranked spectate reply %+v", st)
	}
	cyd.mu.Lock()
	cyd.seen = nil
	cyd.mu.Unlock()
	ta = &typist{w: a, id: id, doc: "ed-a2"}
	ta.text = "# " + adaSecret + "\n"
	if c := ta.send([]protocol.EditorEvent{ta.ev(protocol.EditorEvent{Kind: protocol.EditorOpen, Text: ta.text, Lang: "python"})}); c != "" {
		t.Fatal(c)
	}
	if c := ta.send(ta.typeText("print(1)\n")); c != "" {
		t.Fatal(c)
	}
	noFrame(t, "a spectator of a ranked match", cyd, 500*time.Millisecond, "editor.live", adaSecret)
	a.request("match.resign", map[string]any{"match_id": id}, "match.finished")
	b.expect("match.finished", 5*time.Second)

	// A room: its host's choice, shown in room.state; on, its match admits
	// spectators (by id) who watch the editors.
	var room struct {
		Code        string `json:"code"`
		LiveEditors bool   `json:"live_editors"`
	}
	a.request("room.create", map[string]any{"max_players": 2, "live_editors": true}, "room.state").get(&room)
	if !room.LiveEditors {
		t.Fatalf("room %+v", room)
	}
	b.request("room.join", map[string]any{"code": room.Code}, "room.state")
	var ms liveState
	a.request("room.start", map[string]any{}, "match.state").get(&ms)
	if !ms.LiveEditors {
		t.Fatalf("room match %+v", ms)
	}
	st = liveState{}
	dan.request("spectate", map[string]any{"match_id": ms.MatchID}, "match.state").get(&st)
	if !st.LiveEditors {
		t.Fatalf("room spectate %+v", st)
	}
	a.next(5*time.Second, "running", runningState)
	ta = &typist{w: a, id: ms.MatchID, doc: "ed-r", text: "room"}
	if c := ta.send([]protocol.EditorEvent{ta.ev(protocol.EditorEvent{Kind: protocol.EditorOpen, Text: "room", Lang: "python"})}); c != "" {
		t.Fatal(c)
	}
	var f protocol.EditorLive
	dan.next(10*time.Second, "room editor.live", func(f frame) bool { return f.Type == "editor.live" }).get(&f)
	if f.MatchID != ms.MatchID || f.Seq != 1 || len(f.Events) != 1 || f.Events[0].Text != "room" {
		t.Fatalf("room frame %+v", f)
	}
	a.request("match.resign", map[string]any{"match_id": ms.MatchID}, "match.finished")
}

// applyLive applies an editor.live frame to a spectator's copy of that
// player's text (the web client's rule).
func applyLive(t *testing.T, text string, f protocol.EditorLive) string {
	t.Helper()
	if f.Reset {
		text = f.Text
	}
	for _, e := range f.Events {
		switch e.Kind {
		case protocol.EditorOpen:
			text = e.Text
		case protocol.EditorEdit:
			d := timeline.NewDoc(text)
			var cs []timeline.Change
			for _, c := range e.Changes {
				cs = append(cs, timeline.Change{Offset: c.Offset, Len: c.Len, Text: c.Text})
			}
			if err := d.Apply(cs); err != nil {
				t.Fatalf("frame %d of user %d does not apply: %v", f.Seq, f.UserID, err)
			}
			text = d.String()
		}
	}
	return text
}
