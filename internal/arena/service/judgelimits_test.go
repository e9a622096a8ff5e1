package service

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/segfaultarena/segfault/internal/execution"
	"github.com/segfaultarena/segfault/internal/ratelimit"
)

// TestJudgeLimitsOverWebSocket is issue 17's flood from one address with
// several accounts, sent as code.submit on the WebSocket instead of REST:
// each account plays its own practice match and submits once. The
// per-address submission limit counts them all, whichever node queues the
// job: the node the player is connected to, or the match's owner when the
// operation is forwarded there over NATS. The address is the one the
// WebSocket upgrade computed by the REST side's trusted-proxy rule, so an
// X-Forwarded-For header from an untrusted peer (a different one per
// account here) changes nothing. code.run carries the address as well.
func TestJudgeLimitsOverWebSocket(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nodes int
	}{{"one node", 1}, {"forwarded to the owner", 2}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.limits = execution.DefaultLimits()
			const perIP = 3
			e.limits.SubmitPerIP = ratelimit.Rate{Burst: perIP, PerSec: 0.001}
			runner := &fakeRunner{}
			e.opt.Runner = runner
			var nodes []*node
			for range tc.nodes {
				nodes = append(nodes, e.addNode())
			}
			e.waitLeader()
			for i := range perIP + 2 {
				u, tok := e.user(fmt.Sprintf("flood%d", i))
				spoof := http.Header{"X-Forwarded-For": {fmt.Sprintf("10.9.0.%d", i+1)}}
				w := connectWith(t, nodes[0], tok, spoof)
				var st struct {
					MatchID string `json:"match_id"`
				}
				w.request("queue.join", map[string]any{"mode": "practice", "problem_id": "peak-count"}, "match.state").get(&st)
				w.next(hangOnly, "practice running", runningState)
				if tc.nodes > 1 {
					// Play from the node that does not own the match: every
					// submission is forwarded to the owner.
					if own := e.owner(st.MatchID); own == nodes[0] {
						w.c.CloseNow()
						w = connectWith(t, nodes[1], tok, spoof)
					}
				}
				sub := map[string]any{"match_id": st.MatchID, "lang": "python", "code": "print(1)\n"}
				if i == 0 {
					w.request("code.run", sub, "run.result")
					if got := runner.last().IP; got != "127.0.0.1" {
						t.Fatalf("code.run reached the judge with address %q, want 127.0.0.1", got)
					}
				}
				if i >= perIP {
					w.requestErr("code.submit", sub, "rate_limited")
					continue
				}
				// Accepted: stored and queued (no worker here), answered
				// only when judged; the player sees their own progress.
				w.seq++
				id := fmt.Sprintf("r%d", w.seq)
				w.send("code.submit", id, sub)
				f := w.next(hangOnly, "queued submission", func(f frame) bool {
					if f.ID == id {
						return true
					}
					var p struct {
						UserID      int64 `json:"user_id"`
						Submissions int   `json:"submissions"`
					}
					f.get(&p)
					return f.Type == "opponent.progress" && p.UserID == u.ID && p.Submissions == 1
				})
				if f.ID == id {
					t.Fatalf("account %d of %d on one address refused: %s %s", i+1, perIP, f.Type, f.Data)
				}
			}
		})
	}
}

// connectWith dials n with extra headers and says hello.
func connectWith(t *testing.T, n *node, token string, hdr http.Header) *wsClient {
	t.Helper()
	w, resp, err := dialWS(t, n, token, hdr.Clone())
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	w.request("hello", map[string]any{"client": "test"}, "snapshot")
	return w
}
