package service

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/bus/bustest"
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
		defer reportCPU(b, benchCPU())
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
		defer reportCPU(b, benchCPU())
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

// TestPublisherOrder: many callers at once; every message is sent once,
// each caller's in its order, and a caller returns only once its own are
// sent (the grouping hands the job over after a few rounds).
func TestPublisherOrder(t *testing.T) {
	var p publisher
	var mu sync.Mutex
	sent := map[string]bool{}
	var order []string
	send := func(ms []pubMsg) {
		mu.Lock()
		for _, m := range ms {
			if sent[m.subj] {
				t.Errorf("%s sent twice", m.subj)
			}
			sent[m.subj] = true
			order = append(order, m.subj)
		}
		mu.Unlock()
		time.Sleep(10 * time.Microsecond) // a caller arriving meanwhile queues
	}
	const callers, calls, per = 50, 40, 3
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for k := range calls {
				var ms []pubMsg
				for j := range per {
					ms = append(ms, pubMsg{subj: fmt.Sprintf("c%d.%04d.%d", c, k, j)})
				}
				p.publish(ms, send)
				mu.Lock()
				for _, m := range ms {
					if !sent[m.subj] {
						t.Errorf("publish returned before %s was sent", m.subj)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(order) != callers*calls*per {
		t.Fatalf("%d messages sent, want %d", len(order), callers*calls*per)
	}
	last := map[string]string{}
	for _, s := range order {
		c := s[:strings.IndexByte(s, '.')]
		if s < last[c] {
			t.Fatalf("caller %s: %s sent after %s", c, s, last[c])
		}
		last[c] = s
	}
	if p.busy || len(p.queue) != 0 {
		t.Fatalf("publisher left busy=%v with %d batches queued", p.busy, len(p.queue))
	}
}

// BenchmarkFanOutPublish: 1,000 goroutines (matches' runners) each
// publishing 3 frames at a time on one NATS connection: "direct" takes
// the connection's lock per message (the code before), "grouped" goes
// through the publisher.
func BenchmarkFanOutPublish(b *testing.B) {
	srv := bustest.Server(b)
	nc, err := srv.Connect()
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	sink, err := srv.Connect()
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	sub, err := sink.Subscribe("bench.>", func(*nats.Msg) {})
	if err != nil {
		b.Fatal(err)
	}
	_ = sub.SetPendingLimits(-1, -1)
	data := bytes.Repeat([]byte("x"), 300)
	direct := func(ms []pubMsg) {
		for _, m := range ms {
			_ = nc.Publish(m.subj, m.data)
		}
	}
	for _, v := range []struct {
		name string
		pub  func([]pubMsg)
	}{{"direct", direct}, {"grouped", nil}} {
		if v.name == "grouped" {
			p := &publisher{}
			v.pub = func(ms []pubMsg) { p.publish(ms, direct) }
		}
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(500)
			cpu0 := benchCPU()
			b.RunParallel(func(pb *testing.PB) {
				ms := []pubMsg{{subj: "bench.user.1", data: data}, {subj: "bench.user.2", data: data}, {subj: "bench.match.m", data: data}}
				for pb.Next() {
					v.pub(ms)
				}
			})
			_ = nc.Flush()
			b.ReportMetric(float64((benchCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// reportCPU adds the CPU time per op since cpu0 (the machine is shared:
// wall time measures the load).
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64((benchCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

func benchCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
