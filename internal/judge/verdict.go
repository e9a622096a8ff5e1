package judge

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// playerMessage is what a player may read about a failed test: checker
// and validator remarks can quote the expected answer, so on secret tests
// only the verdict's own explanation (limit, exit code, signal) is given.
func playerMessage(t Test, tr TestResult) string {
	if t.Sample || (tr.Verdict != WA && tr.Verdict != AC) {
		return tr.Message
	}
	return "wrong answer"
}

// classify maps how a run ended to a verdict; AC here means "ran cleanly,
// now check the output".
func classify(r sandbox.Result, timeLimit time.Duration, lang *Language, stderr string) (Verdict, string) {
	ranOutOfMemory := func() bool {
		for _, pat := range lang.MLEPatterns {
			if strings.Contains(stderr, pat) {
				return true
			}
		}
		return false
	}
	switch r.Status {
	case sandbox.StatusTimeLimitExceeded:
		return TLE, fmt.Sprintf("CPU time limit %v exceeded", timeLimit)
	case sandbox.StatusWallTimeExceeded:
		return TLE, fmt.Sprintf("wall-clock limit exceeded (%v wall, %v CPU): the program was blocked, sleeping or starved", r.WallTime.Round(time.Millisecond), r.CPUTime.Round(time.Millisecond))
	case sandbox.StatusMemoryLimitExceeded:
		return MLE, "memory limit exceeded"
	case sandbox.StatusOutputLimitExceeded:
		return OLE, "output limit exceeded"
	case sandbox.StatusSignaled:
		switch r.SignalName {
		case "SIGXCPU":
			return TLE, fmt.Sprintf("CPU time limit %v exceeded", timeLimit)
		case "SIGXFSZ":
			return RE, "killed by SIGXFSZ (file size limit exceeded)"
		}
		if ranOutOfMemory() {
			return MLE, "memory limit exceeded (" + r.SignalName + ")"
		}
		if r.CPUTime > timeLimit {
			return TLE, fmt.Sprintf("CPU time limit %v exceeded", timeLimit)
		}
		return RE, "killed by " + r.SignalName
	case sandbox.StatusOK:
		if r.CPUTime > timeLimit {
			return TLE, fmt.Sprintf("CPU time limit %v exceeded", timeLimit)
		}
		if r.ExitCode != 0 {
			if ranOutOfMemory() {
				return MLE, "memory limit exceeded (the runtime ran out of memory)"
			}
			return RE, fmt.Sprintf("exit code %d", r.ExitCode)
		}
		return AC, ""
	}
	return IE, "sandbox status " + r.Status.String()
}

// capWriter keeps at most max bytes and counts the rest, so a flood of
// output costs the worker no more than max bytes of memory.
type capWriter struct {
	mu  sync.Mutex // compilers write stdout and stderr into one capWriter
	buf bytes.Buffer
	max int64
	n   int64
	cut bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += int64(len(p))
	room := w.max - int64(w.buf.Len())
	if room <= 0 {
		w.cut = w.cut || len(p) > 0
		return len(p), nil
	}
	if int64(len(p)) > room {
		w.buf.Write(p[:room])
		w.cut = true
		return len(p), nil
	}
	w.buf.Write(p)
	return len(p), nil
}

func (w *capWriter) Bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Bytes()
}

func (w *capWriter) String() string { return strings.ToValidUTF8(string(w.Bytes()), "\uFFFD") }

var _ io.Writer = (*capWriter)(nil)
