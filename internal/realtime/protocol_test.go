package realtime

import (
	"bytes"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/protocol"
)

// TestEncodeRawIsEncode: a frame built from data already encoded is
// byte for byte the frame Encode makes of the data itself.
func TestEncodeRawIsEncode(t *testing.T) {
	datas := []any{
		map[string]any{"match_id": "m1", "tests_passed": 3, "typing": true},
		protocol.ErrorData{Code: "x", Message: `<b>"quoted" & \ back</b>` + "\u2028\n\x01é"},
		[]int{}, "text", 12.5, nil, struct{}{},
	}
	for _, typ := range []protocol.Event{protocol.EventOpponentProgress, `odd"type<`} {
		for _, id := range []string{"", "r42", `id "with" <html> & é` + "\u2028"} {
			for _, d := range datas {
				raw, err := json.Marshal(d)
				if err != nil {
					t.Fatal(err)
				}
				want := Encode(typ, id, json.RawMessage(raw))
				if got := EncodeRaw(typ, id, raw); !bytes.Equal(got, want) {
					t.Errorf("EncodeRaw(%q, %q, %s) = %s, want %s", typ, id, raw, got, want)
				}
			}
		}
	}
	if got, want := EncodeRaw(protocol.EventMatchState, "", nil), Encode(protocol.EventMatchState, "", json.RawMessage(nil)); !bytes.Equal(got, want) {
		t.Errorf("EncodeRaw(nil) = %s, want %s", got, want)
	}
}

// BenchmarkEncodeFrame: a node building an opponent.progress frame from
// the bytes it received (raw) or re-encoding them (encode, the code
// before).
func BenchmarkEncodeFrame(b *testing.B) {
	data, _ := json.Marshal(map[string]any{"match_id": "01JEXAMPLEMATCHID0000000", "user_id": 1234, "tests_passed": 3, "tests_total": 10,
		"last_verdict": "WA", "submissions": 2, "typing": true, "running_samples": false, "connected": true, "server_now": "2026-12-07T09:00:00.000Z"})
	b.Run("raw", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			_ = EncodeRaw(protocol.EventOpponentProgress, "", data)
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			_ = Encode(protocol.EventOpponentProgress, "", json.RawMessage(data))
		}
	})
}

// reportCPU adds the CPU time per op since cpu0 (the machine is shared:
// wall time measures the load).
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

func processCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
