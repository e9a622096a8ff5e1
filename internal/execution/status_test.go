package execution

import (
	"testing"

	"github.com/segfaultarena/segfault/internal/bus"
)

func TestStatusJudgesAndCounts(t *testing.T) {
	py := WorkerInfo{ID: "a", Healthy: true, Slots: 2, Languages: []string{"python", "c"}}
	broken := WorkerInfo{ID: "b", Healthy: false, Slots: 4, Languages: []string{"rust"}}
	tests := []struct {
		name    string
		workers []WorkerInfo
		lang    string
		want    bool
	}{
		{"offered", []WorkerInfo{py}, "python", true},
		{"not offered by any healthy worker", []WorkerInfo{py, broken}, "rust", false},
		{"no healthy worker: queue and wait", []WorkerInfo{broken}, "java", true},
		{"no worker at all", nil, "java", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Status{Workers: tc.workers}).judges(tc.lang); got != tc.want {
				t.Fatalf("judges(%s) = %v, want %v", tc.lang, got, tc.want)
			}
		})
	}
	st := Status{Workers: []WorkerInfo{py, broken}, Queues: map[string]bus.Depth{
		PriorityRanked: {Pending: 7}, PriorityPractice: {Pending: 3, InFlight: 2}, PriorityAnalysis: {Pending: 4}}}
	if w, s := st.HealthyWorkers(); w != 1 || s != 2 {
		t.Fatalf("HealthyWorkers = %d, %d", w, s)
	}
	if st.Waiting() != 7 {
		t.Fatalf("Waiting = %d, want 7 (practice + analysis, not ranked)", st.Waiting())
	}
}

func TestJobCodec(t *testing.T) {
	j := Job{SubmissionID: "abc", UserID: 3, Lang: "python", Priority: PriorityRanked,
		Problem: ProblemRef{ID: "p", Version: 2, SHA256: "ff"}}
	got, err := decodeJob(j.encode())
	if err != nil || got.SubmissionID != "abc" || got.Problem.Version != 2 || got.UserID != 3 {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "{", `{"id":""}`, `{"id":"x","problem":{"id":"p"}}`} {
		if _, err := decodeJob([]byte(bad)); err == nil {
			t.Errorf("decodeJob(%q) accepted", bad)
		}
	}
	for _, p := range []string{PriorityRanked, PriorityPractice, PriorityAnalysis} {
		if _, err := busPriority(p); err != nil {
			t.Error(err)
		}
	}
	if _, err := busPriority("vip"); err == nil {
		t.Error("unknown priority accepted")
	}
}

// TestLowQueueClaim: only one slot at a time, and only on an otherwise
// idle worker, may take a low-priority job.
func TestLowQueueClaim(t *testing.T) {
	var w Worker
	if !w.claimLow() {
		t.Fatal("idle worker refused the low queue")
	}
	if w.claimLow() {
		t.Fatal("a second slot got the low queue while the first holds it")
	}
	w.releaseLow()
	w.busy.Store(1) // another slot judges a player's job
	if w.claimLow() {
		t.Fatal("low queue taken while another slot is busy")
	}
	w.busy.Store(0)
	if !w.claimLow() {
		t.Fatal("claim not available again after release")
	}
}
