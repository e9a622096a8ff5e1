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
