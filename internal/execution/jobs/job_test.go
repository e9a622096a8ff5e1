package jobs

import "testing"

func TestJobCodec(t *testing.T) {
	j := Job{SubmissionID: "abc", UserID: 3, Lang: "python", Priority: PriorityRanked,
		Problem: ProblemRef{ID: "p", Version: 2, SHA256: "ff"}}
	got, err := DecodeJob(j.Encode())
	if err != nil || got.SubmissionID != "abc" || got.Problem.Version != 2 || got.UserID != 3 {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "{", `{"id":""}`, `{"id":"x","problem":{"id":"p"}}`} {
		if _, err := DecodeJob([]byte(bad)); err == nil {
			t.Errorf("DecodeJob(%q) accepted", bad)
		}
	}
	for _, p := range []string{PriorityRanked, PriorityPractice, PriorityAnalysis} {
		if _, err := BusPriority(p); err != nil {
			t.Error(err)
		}
	}
	if _, err := BusPriority("vip"); err == nil {
		t.Error("unknown priority accepted")
	}
}
