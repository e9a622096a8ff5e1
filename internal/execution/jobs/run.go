package jobs

import (
	"encoding/json"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// RunResult is what a run produced: a compile error, or one result per
// sample (or one for the custom input). It is the protocol's run.result
// (without a match).
type RunResult = protocol.RunResult

// RunTestResult is one sample's (or the custom input's) outcome.
type RunTestResult = protocol.RunCase

// VerdictOK is the verdict of a custom-input run that ended normally
// (there is no expected output to compare with).
const VerdictOK = protocol.VerdictOK

// Run limits.
const (
	// MaxRunInputBytes is the largest custom input.
	MaxRunInputBytes = protocol.MaxInputBytes
	// RunKeepBytes is how much of each input, expected answer, output and
	// stderr a run shows.
	RunKeepBytes = 64 << 10
)

// RunReply is the worker's answer on the reply subject.
type RunReply struct {
	Result *RunResult `json:"result,omitempty"`
	Error  *RunError  `json:"error,omitempty"`
}

// RunError is a refusal from the worker: an errcode code and message.
type RunError struct {
	Code    errcode.Code `json:"code"`
	Message string       `json:"message"`
}

func EncodeRunReply(r RunReply, maxPayload int) []byte {
	if maxPayload <= 0 {
		maxPayload = 1 << 20
	}
	limit := maxPayload - 4<<10 // headers and subject
	b, _ := json.Marshal(r)
	if r.Result == nil {
		return b // an error: small
	}
	for keep := RunKeepBytes / 2; len(b) > limit && keep >= 64; keep /= 2 {
		for i := range r.Result.Results {
			t := &r.Result.Results[i]
			t.Input, t.Actual, t.Stderr = HeadString(t.Input, keep), HeadString(t.Actual, keep), HeadString(t.Stderr, keep)
			if t.Expected != nil {
				e := HeadString(*t.Expected, keep)
				t.Expected = &e
			}
		}
		if r.Result.CompileError != nil {
			c := HeadString(*r.Result.CompileError, keep)
			r.Result.CompileError = &c
		}
		b, _ = json.Marshal(r)
	}
	return b
}

// EncodeRunReply marshals r within the connection's payload limit: with
// many samples the shown texts (64 KiB each) are cut further, halving the
// cap until the answer fits.
func HeadString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
