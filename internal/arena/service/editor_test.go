package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/replay"
	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/timeline"
)

// typist is a player's editor as the web client drives it: the text it
// holds, and batches of Monaco-like events against it.
type typist struct {
	w    *wsClient
	id   string
	doc  string
	text string
	t    int64
	n    int
}

func (ty *typist) ev(e protocol.EditorEvent) protocol.EditorEvent {
	ty.t += 37
	e.T = ty.t
	return e
}

// typeText appends s at the end of the text, one event per character.
func (ty *typist) typeText(s string) []protocol.EditorEvent {
	var evs []protocol.EditorEvent
	for _, r := range s {
		evs = append(evs, ty.ev(protocol.EditorEvent{Kind: protocol.EditorEdit,
			Changes: []protocol.EditorChange{{Offset: timeline.UnitLen(ty.text), Text: string(r)}}}))
		ty.text += string(r)
	}
	return evs
}

// batch sends events as one editor.batch (hash of the text now) and
// returns the error frame's code, "" when it was accepted (a ping sent
// right after is answered first: the connection handles frames in order).
func (ty *typist) batch(evs []protocol.EditorEvent, hash uint32) string {
	ty.n++
	id := fmt.Sprintf("b%d", ty.n)
	time.Sleep(120 * time.Millisecond) // two frames a batch: within the hub's 20 frames/s
	ty.w.send("editor.batch", id, protocol.EditorBatch{MatchID: ty.id, Doc: ty.doc, Events: evs, Hash: hash})
	ty.w.send("ping", "p"+id, map[string]any{})
	f := ty.w.next(10*time.Second, "batch "+id, func(f frame) bool { return f.ID == id || f.ID == "p"+id })
	if f.ID == id {
		ty.w.next(10*time.Second, "pong", func(f frame) bool { return f.ID == "p"+id })
		return f.code()
	}
	return ""
}

func (ty *typist) send(evs []protocol.EditorEvent) string {
	return ty.batch(evs, timeline.HashString(ty.text))
}

// TestEditorTimelineReplaysToSubmission: a player types (BMP and astral
// characters, a paste, a line replaced, focus changes) in batches; every
// hostile batch is refused with its error code and changes nothing; the
// stored, compacted timeline replays to exactly the code submitted, with
// the run the server saw in it.
func TestEditorTimelineReplaysToSubmission(t *testing.T) {
	e := newEnv(t)
	e.fakeJudge = func(n *node) Judger { return instantJudge{t: t, st: e.st, n: n} }
	e.opt.Runner = &fakeRunner{}
	n := e.addNode()
	e.waitLeader()
	ada, adaTok := e.user("ada")
	_, bobTok := e.user("bob")
	_, cydTok := e.user("cyd")
	a, b := connect(t, n, adaTok), connect(t, n, bobTok)
	id := startRanked(t, a, b)
	ty := &typist{w: a, id: id, doc: "ed-1"}
	must := func(what, code, want string) {
		t.Helper()
		if code != want {
			t.Fatalf("%s: got %q, want %q", what, code, want)
		}
	}

	// An editor the server never saw opened: resync.
	must("edit before open", ty.batch(ty.typeText("x"), timeline.HashString("x")), "timeline_resync")
	ty.text = ""
	template := "# write here\n"
	ty.text = template
	must("open", ty.send([]protocol.EditorEvent{ty.ev(protocol.EditorEvent{Kind: protocol.EditorOpen, Text: template, Lang: "python"}),
		ty.ev(protocol.EditorEvent{Kind: protocol.EditorFocus})}), "")
	sol := acceptedSolution(t)
	head, tail := sol[:len(sol)/2], sol[len(sol)/2:]
	must("typing", ty.send(ty.typeText("# naïve 🚀 peaks\n")), "")
	for i := 0; i < len(head); i += 40 {
		must("typing", ty.send(ty.typeText(head[i:min(len(head), i+40)])), "")
	}

	// Hostile batches: each refused, nothing of it kept.
	before := ty.text
	outside := protocol.EditorEvent{T: ty.t, Kind: protocol.EditorEdit, Changes: []protocol.EditorChange{{Offset: timeline.UnitLen(ty.text) + 1, Text: "x"}}}
	must("change outside the text", ty.batch([]protocol.EditorEvent{outside}, 0), "timeline_resync")
	lie := protocol.EditorEvent{T: ty.t, Kind: protocol.EditorEdit, Changes: []protocol.EditorChange{{Offset: 0, Text: "import os\n"}}}
	must("hash that is not the text's", ty.batch([]protocol.EditorEvent{lie}, timeline.HashString(ty.text)), "timeline_resync")
	many := make([]protocol.EditorEvent, protocol.MaxEditorEvents+1)
	for i := range many {
		many[i] = protocol.EditorEvent{T: ty.t, Kind: protocol.EditorFocus}
	}
	must("too many events", ty.batch(many, timeline.HashString(ty.text)), "timeline_too_large")
	huge := protocol.EditorEvent{T: ty.t, Kind: protocol.EditorOpen, Text: strings.Repeat("x", protocol.MaxCodeBytes+1)}
	must("open over the code limit", ty.batch([]protocol.EditorEvent{huge}, 0), "timeline_too_large")
	for name, bad := range map[string]protocol.EditorEvent{
		"run from a client":   {T: ty.t, Kind: protocol.EditorRun},
		"unknown kind":        {T: ty.t, Kind: "type"},
		"edit with a text":    {T: ty.t, Kind: protocol.EditorEdit, Text: "x", Changes: []protocol.EditorChange{{Text: "x"}}},
		"negative offset":     {T: ty.t, Kind: protocol.EditorEdit, Changes: []protocol.EditorChange{{Offset: -1, Text: "x"}}},
		"edit without change": {T: ty.t, Kind: protocol.EditorEdit},
		"negative time":       {T: -5, Kind: protocol.EditorFocus},
	} {
		must(name, ty.batch([]protocol.EditorEvent{bad}, timeline.HashString(ty.text)), "invalid_request")
	}
	must("time going back", ty.batch([]protocol.EditorEvent{{T: 10, Kind: protocol.EditorBlur}, {T: 9, Kind: protocol.EditorFocus}},
		timeline.HashString(ty.text)), "invalid_request")
	ty.doc = "bad.doc"
	must("bad doc id", ty.send([]protocol.EditorEvent{ty.ev(protocol.EditorEvent{Kind: protocol.EditorFocus})}), "invalid_request")
	ty.doc = "ed-1"
	a.send("editor.batch", "unk", map[string]any{"match_id": id, "doc": "ed-1", "events": []any{map[string]any{"t": 1, "k": "focus"}},
		"hash": timeline.HashString(ty.text), "extra": 1})
	if f := a.next(5*time.Second, "unknown field", func(f frame) bool { return f.ID == "unk" }); f.code() != "invalid_request" {
		t.Fatalf("unknown field: %s %s", f.Type, f.Data)
	}
	cyd := connect(t, n, cydTok)
	must("not a player", (&typist{w: cyd, id: id, doc: "x", text: "a"}).send([]protocol.EditorEvent{{T: 1, Kind: protocol.EditorOpen, Text: "a"}}), "not_in_match")
	if ty.text != before {
		t.Fatal("the test's own text changed")
	}

	// The editor goes on from the text before the refusals: nothing of
	// them was kept.
	tail += "# " + strings.Repeat("=", 200) + "\n" // a paste large enough for the review queue
	pasteAt := timeline.UnitLen(ty.text)
	ty.text += tail
	must("blur and paste", ty.send([]protocol.EditorEvent{ty.ev(protocol.EditorEvent{Kind: protocol.EditorBlur}),
		ty.ev(protocol.EditorEvent{Kind: protocol.EditorFocus}),
		ty.ev(protocol.EditorEvent{Kind: protocol.EditorPaste, N: timeline.UnitLen(tail)}),
		ty.ev(protocol.EditorEvent{Kind: protocol.EditorEdit, Changes: []protocol.EditorChange{{Offset: pasteAt, Text: tail}}})}), "")
	// Replace the template's comment line (a change in the middle).
	ty.text = ty.text[:2] + "peaks, typed" + ty.text[12:]
	must("replace", ty.send([]protocol.EditorEvent{ty.ev(protocol.EditorEvent{Kind: protocol.EditorEdit,
		Changes: []protocol.EditorChange{{Offset: 2, Len: 10, Text: "peaks, typed"}}})}), "")

	// While it runs: a player sees their own timeline only, others nothing.
	url := n.ts.URL + "/api/v1/matches/" + id + "/replay"
	if rp := getReplay(t, url, bobTok, 200); !rp.Players[indexOf(rp, ada.ID)].Hidden || rp.Players[1-indexOf(rp, ada.ID)].Hidden {
		t.Fatalf("bob during the match: %+v", rp.Players)
	}
	if rp := getReplay(t, url, cydTok, 200); !rp.Players[0].Hidden || !rp.Players[1].Hidden {
		t.Fatalf("an outsider during the match: %+v", rp.Players)
	}

	a.request("code.run", map[string]any{"match_id": id, "lang": "python", "code": ty.text}, "run.result")
	a.send("code.submit", "s", map[string]any{"match_id": id, "lang": "python", "code": ty.text})
	a.next(10*time.Second, "submission.result", func(f frame) bool { return f.ID == "s" })
	b.expect("match.finished", 10*time.Second)
	must("after the end", ty.send([]protocol.EditorEvent{ty.ev(protocol.EditorEvent{Kind: protocol.EditorBlur})}), "match_not_found")

	// The stored timeline: compacted to one chunk, replaying to the code.
	ctx := context.Background()
	var chunks []store.TimelineChunk
	deadline := time.Now().Add(10 * time.Second)
	for {
		var err error
		if chunks, err = e.st.MatchTimelines(ctx, id); err != nil {
			t.Fatal(err)
		}
		if len(chunks) == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(chunks) != 1 || chunks[0].UserID != ada.ID {
		t.Fatalf("%d chunks stored, want ada's one compacted chunk", len(chunks))
	}
	tls, err := replay.Load(ctx, e.st, id)
	if err != nil {
		t.Fatal(err)
	}
	evs := tls[ada.ID]
	subs, err := e.st.UserSubmissions(ctx, ada.ID, 10)
	if err != nil || len(subs) != 1 {
		t.Fatalf("submissions %v %v", subs, err)
	}
	final, err := timeline.TextAt(evs, evs[len(evs)-1].At)
	if err != nil {
		t.Fatal(err)
	}
	if final != string(subs[0].Source) {
		t.Fatalf("replayed text differs from the submission:\n%q\n%q", final, subs[0].Source)
	}
	kinds := map[timeline.Kind]int{}
	for i, ev := range evs {
		kinds[ev.Kind]++
		if i > 0 && ev.At < evs[i-1].At {
			t.Fatalf("stamps go back at %d", i)
		}
		if ev.At > time.Now().UnixMilli() || ev.At < time.Now().Add(-time.Minute).UnixMilli() {
			t.Fatalf("stamp %d is not the server's time of the match", ev.At)
		}
	}
	if kinds[timeline.KindRun] != 1 || kinds[timeline.KindPaste] != 1 || kinds[timeline.KindOpen] != 1 || kinds[timeline.KindBlur] != 1 {
		t.Fatalf("kinds %v: want one run, paste, open and blur", kinds)
	}

	// The REST replay of the finished ranked match, signed out: both
	// timelines; ada's replays to the code of her submit marker at its
	// stamp, and the markers are in order: run, submit, verdict, end.
	rp := getReplay(t, url, "", 200)
	if rp.Players[0].Hidden || rp.Players[1].Hidden || rp.StartMs == 0 || rp.EndMs < rp.StartMs {
		t.Fatalf("signed out after the end: %+v %d..%d", rp.Players, rp.StartMs, rp.EndMs)
	}
	var kindsSeen []string
	var submit protocol.ReplayMarker
	for _, mk := range rp.Markers {
		kindsSeen = append(kindsSeen, mk.Kind)
		if mk.Kind == "submit" {
			submit = mk
		}
	}
	if strings.Join(kindsSeen, ",") != "run,submit,verdict,finished" || submit.Code == nil || *submit.Code != string(subs[0].Source) {
		t.Fatalf("markers %v, submit %+v", kindsSeen, submit)
	}
	var wire []timeline.Event
	for _, e := range rp.Players[indexOf(rp, ada.ID)].Events {
		k, _ := timeline.ParseKind(string(e.Kind))
		ev := timeline.Event{At: e.At, Doc: e.Doc, Kind: k, Text: e.Text, Lang: e.Lang, N: e.N}
		for _, c := range e.Changes {
			ev.Changes = append(ev.Changes, timeline.Change{Offset: c.Offset, Len: c.Len, Text: c.Text})
		}
		wire = append(wire, ev)
	}
	if got, err := timeline.TextAt(wire, submit.At); err != nil || got != *submit.Code {
		t.Fatalf("the replay's text at the submit marker differs from the code submitted (%v):\n%q", err, got)
	}

	// The fair-play evidence, for administrators only: ada's paste came
	// after a focus loss; cyd's earlier copy of her code (a comment
	// added) is found, with the shared lines.
	cydUser, _ := e.st.UserByUsername(ctx, "cyd")
	copySrc := "# mine, honestly\n" + strings.ReplaceAll(*submit.Code, "peaks, typed", "peaks")
	if _, err := e.st.CreateSubmission(ctx, store.NewSubmission{ID: "copy1", UserID: cydUser.ID, ProblemID: rp.Match.Problem.ID, Lang: "python",
		Source: []byte(copySrc), Priority: "practice", CreatedAt: time.Now().Add(-time.Hour)}, 0); err != nil {
		t.Fatal(err)
	}
	evURL := n.ts.URL + "/api/v1/admin/matches/" + id + "/evidence"
	getStatus(t, evURL, "", 401)
	getStatus(t, evURL, adaTok, 403)
	if err := e.st.SetUserRole(ctx, cydUser.ID, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	var ev protocol.MatchEvidence
	if err := json.Unmarshal(getStatus(t, evURL, cydTok, 200), &ev); err != nil {
		t.Fatal(err)
	}
	var adaEv protocol.PlayerEvidence
	for _, p := range ev.Players {
		if p.UserID == ada.ID {
			adaEv = p
		}
	}
	if len(adaEv.Pastes) != 1 || adaEv.Pastes[0].Units != timeline.UnitLen(tail) || !adaEv.Pastes[0].AfterBlur || adaEv.Blurs != 1 ||
		adaEv.TypedUnits == 0 || adaEv.SubmissionID != subs[0].ID {
		t.Fatalf("ada's evidence %+v", adaEv)
	}
	if len(adaEv.Similar) != 1 || adaEv.Similar[0].SubmissionID != "copy1" || adaEv.Similar[0].Score < 0.9 || len(adaEv.Similar[0].Lines) == 0 {
		t.Fatalf("similar %+v: want cyd's copy", adaEv.Similar)
	}

	// The review queue lists ada (her paste followed a focus loss), not
	// bob (nothing recorded); players may not read it.
	getStatus(t, n.ts.URL+"/api/v1/admin/review", bobTok, 403)
	var q protocol.ReviewQueue
	if err := json.Unmarshal(getStatus(t, n.ts.URL+"/api/v1/admin/review?limit=10", cydTok, 200), &q); err != nil {
		t.Fatal(err)
	}
	if len(q.Items) != 1 || q.Items[0].UserID != ada.ID || q.Items[0].MatchID != id || len(q.Items[0].Reasons) == 0 ||
		!strings.Contains(q.Items[0].Reasons[0], "lost focus") {
		t.Fatalf("review queue %+v", q.Items)
	}
}

func getStatus(t *testing.T, url, token string, want int) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Cookie", "sf_session="+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d %s, want %d", url, resp.StatusCode, b, want)
	}
	return b
}

func getReplay(t *testing.T, url, token string, want int) protocol.Replay {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Cookie", "sf_session="+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rp protocol.Replay
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d", url, resp.StatusCode, want)
	}
	if want == 200 {
		if err := json.NewDecoder(resp.Body).Decode(&rp); err != nil {
			t.Fatal(err)
		}
	}
	return rp
}

func indexOf(rp protocol.Replay, user int64) int {
	for i, p := range rp.Players {
		if p.UserID == user {
			return i
		}
	}
	return -1
}

// TestReplayVisibility is the code rule of issue 17 applied to replays.
func TestReplayVisibility(t *testing.T) {
	const ada, bob, cyd = 1, 2, 3
	for _, c := range []struct {
		mode, state string
		viewer      int64
		admin       bool
		author      int64
		want        bool
	}{
		{"ranked", "running", ada, false, ada, true},
		{"ranked", "running", ada, false, bob, false},
		{"ranked", "running", cyd, false, ada, false},
		{"ranked", "running", 0, false, ada, false},
		{"ranked", "running", cyd, true, ada, true},
		{"ranked", "finished", ada, false, bob, true},
		{"ranked", "finished", cyd, false, ada, true},
		{"casual", "finished", 0, false, ada, true},
		{"ranked", "cancelled", 0, false, ada, true},
		{"private", "finished", cyd, false, ada, false},
		{"private", "finished", bob, false, ada, true},
		{"ffa", "finished", cyd, false, ada, false},
		{"practice", "finished", cyd, false, ada, false},
		{"practice", "finished", cyd, true, ada, true},
	} {
		m := store.ArenaMatch{Mode: c.mode, State: c.state, Players: []store.ArenaPlayer{{UserID: ada}, {UserID: bob}}}
		if got := replayVisible(m, c.viewer, c.admin, c.author); got != c.want {
			t.Errorf("%+v: %v", c, got)
		}
	}
}
