package worker

import (
	"testing"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/judge"
)

// TestUnrunReply: CE shows the compiler's message and no results, IE is an
// `unavailable` refusal that blames the judge, and every other verdict has results to show.
func TestUnrunReply(t *testing.T) {
	r, ok := unrunReply(judge.CE, "main.cpp:1: error")
	if !ok || r.Error != nil || r.Result == nil || r.Result.CompileError == nil ||
		*r.Result.CompileError != "main.cpp:1: error" || r.Result.Results == nil || len(r.Result.Results) != 0 {
		t.Fatalf("CE: %+v, %v", r, ok)
	}
	r, ok = unrunReply(judge.IE, "sandbox broke")
	if !ok || r.Result != nil || r.Error == nil ||
		r.Error.Code != errcode.Unavailable || r.Error.Message != "the judge failed to run your code (not your fault); try again" {
		t.Fatalf("IE: %+v, %v", r, ok)
	}
	for _, v := range []judge.Verdict{judge.AC, judge.WA, judge.TLE, judge.MLE, judge.RE, judge.OLE} {
		if r, ok := unrunReply(v, "x"); ok || r.Result != nil || r.Error != nil {
			t.Fatalf("%s: %+v, %v; want no reply", v, r, ok)
		}
	}
}
