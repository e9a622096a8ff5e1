package service

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/realtime"
)

// TestUserEventLayout: the event a node publishes is the JSON of
// userEvent (any reader decodes it), read back by position; the JSON
// layout of the code before (data before sub, sub omitted) and escaped
// strings are still read, through encoding/json.
func TestUserEventLayout(t *testing.T) {
	data := []byte(`{"match_id":"m1","tests_passed":3,"note":"a \"quoted\" \u003cb\u003e }"}`)
	for _, sub := range []string{"", "01JSUB", `we"ird\`} {
		for _, frame := range []protocol.Event{protocol.EventSubmissionResult, `fr"ame`} {
			b := appendUserEvent(nil, frame, sub, data)
			var viaJSON userEvent
			if err := json.Unmarshal(b, &viaJSON); err != nil {
				t.Fatalf("%s is not JSON: %v", b, err)
			}
			if viaJSON.Type != "arena" || viaJSON.Frame != frame || viaJSON.Sub != sub || !bytes.Equal(viaJSON.Data, data) {
				t.Fatalf("%s decodes as %+v", b, viaJSON)
			}
			got, ok := decodeUserEvent(b)
			if !ok || got.Frame != frame || got.Sub != sub || !bytes.Equal(got.Data, data) {
				t.Fatalf("decodeUserEvent(%s) = %+v, %v", b, got, ok)
			}
			old, _ := json.Marshal(userEvent{Type: "arena", Frame: frame, Data: data, Sub: sub})
			got, ok = decodeUserEvent(old)
			if !ok || got.Frame != frame || got.Sub != sub || !bytes.Equal(got.Data, data) {
				t.Fatalf("decodeUserEvent(%s) (the former layout) = %+v, %v", old, got, ok)
			}
		}
	}
	for _, bad := range []string{``, `{}`, `{"type":"execution","frame":"x"}`, `{"type":"arena","frame":"x","sub":"","data":`, `not json`} {
		if ev, ok := decodeUserEvent([]byte(bad)); ok {
			t.Errorf("decodeUserEvent(%q) = %+v, want refused", bad, ev)
		}
	}
}

// BenchmarkUserEvent is one fanned-out frame's encoding work on both
// sides of NATS: the owner encodes the event, a node decodes it and
// builds the client frame. "raw" is the layout read by position, "json"
// the code before (marshal the envelope, unmarshal it, encode the frame).
func BenchmarkUserEvent(b *testing.B) {
	data, _ := json.Marshal(progressJSON{MatchID: "01JEXAMPLEMATCHID0000000", UserID: 1234, TestsPassed: 3, TestsTotal: 10,
		Submissions: 2, Typing: true, Connected: true})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ev := appendUserEvent(nil, protocol.EventOpponentProgress, "", data)
			u, ok := decodeUserEvent(ev)
			if !ok {
				b.Fatal("not decoded")
			}
			_ = realtime.EncodeRaw(u.Frame, "", u.Data)
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ev, _ := json.Marshal(userEvent{Type: "arena", Frame: protocol.EventOpponentProgress, Data: data})
			var head struct {
				Type string `json:"type"`
			}
			if json.Unmarshal(ev, &head) != nil {
				b.Fatal("head")
			}
			var u userEvent
			if json.Unmarshal(ev, &u) != nil {
				b.Fatal("event")
			}
			_ = realtime.Encode(u.Frame, "", u.Data)
		}
	})
}
