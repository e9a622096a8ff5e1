package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/protocol"
)

// ops GETs path from the operators' handler (the --metrics-addr listener).
func (e *testEnv) ops(path string) reply {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.api.OpsHandler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: b}
}

// TestOpsDetailsNotPublic is issue 17's finding: /metrics and the details
// of /readyz were public. On the public address /healthz stays open,
// /readyz tells only ok or not, /metrics is not there; both are complete
// with the metrics token, and on the operators' listener.
func TestOpsDetailsNotPublic(t *testing.T) {
	failing := func(context.Context) (any, error) {
		return map[string]string{"nats": "nats://10.0.0.7:4222"}, errDown
	}
	e := newEnv(t, false, func(o *httpapi.Options) {
		o.ReadyChecks = []httpapi.ReadyCheck{{Name: "judge_queue", Detail: failing}}
		o.MetricsToken = "s3cret-scrape-token"
	})
	if r := e.do(nil, "GET", "/healthz", ""); r.status != 200 {
		t.Fatalf("public healthz: %d", r.status)
	}
	for _, hdr := range [][]string{nil, {"Authorization", "Bearer wrong"}, {"Authorization", "s3cret-scrape-token"}} {
		r := e.do(nil, "GET", "/metrics", "", hdr...)
		if r.status != 404 || strings.Contains(string(r.body), "go_goroutines") {
			t.Errorf("public /metrics with %v: %d %.80s", hdr, r.status, r.body)
		}
		r = e.do(nil, "GET", "/readyz", "", hdr...)
		var ready map[string]any
		r.json(t, &ready)
		body := string(r.body)
		if r.status != 503 || ready["status"] != "unavailable" || strings.Contains(body, "10.0.0.7") ||
			strings.Contains(body, "queue is down") || strings.Contains(body, "detail") {
			t.Errorf("public /readyz with %v: %d %s", hdr, r.status, body)
		}
	}
	bearer := []string{"Authorization", "Bearer s3cret-scrape-token"}
	if r := e.do(nil, "GET", "/metrics", "", bearer...); r.status != 200 || !strings.Contains(string(r.body), "go_goroutines") {
		t.Errorf("/metrics with the token: %d", r.status)
	}
	for name, r := range map[string]reply{"token": e.do(nil, "GET", "/readyz", "", bearer...), "ops listener": e.ops("/readyz")} {
		var ready struct {
			Checks map[string]struct {
				Error  string            `json:"error"`
				Detail map[string]string `json:"detail"`
			} `json:"checks"`
		}
		if err := json.Unmarshal(r.body, &ready); err != nil || r.status != 503 || ready.Checks["judge_queue"].Error != "queue is down" ||
			ready.Checks["judge_queue"].Detail["nats"] == "" {
			t.Errorf("/readyz through the %s: %d %s", name, r.status, r.body)
		}
	}
	if r := e.ops("/metrics"); r.status != 200 || !strings.Contains(string(r.body), "go_goroutines") {
		t.Errorf("ops /metrics: %d", r.status)
	}
	if r := e.ops("/healthz"); r.status != 200 {
		t.Errorf("ops /healthz: %d", r.status)
	}
}

// statusJudge answers only JudgeStatus (the embedded Judge interface is
// nil: any other call would panic, and none is made).
type statusJudge struct{ httpapi.Judge }

func (statusJudge) JudgeStatus(context.Context) (protocol.JudgeStatus, error) {
	return protocol.JudgeStatus{Queues: map[string]protocol.QueueDepth{}, HealthyWorkers: 1, Slots: 2,
		Workers: protocol.List[protocol.JudgeWorker]{
			{ID: "judge-host-7.internal-4242-a1b2c3", Host: "judge-host-7.internal", Runtime: "runc", Languages: protocol.List[string]{"python"}, Slots: 2, Healthy: true},
			{ID: "judge-host-8.internal-77-d4e5f6", Host: "judge-host-8.internal", Runtime: "runc", Slots: 2, Error: "sandbox runtime runc unusable: /var/lib/segfault/boxes: permission denied"},
		}}, nil
}

// TestJudgeStatusHidesWorkerHosts is issue 17's finding: GET
// /api/v1/judge/status showed every player the workers' host names.
func TestJudgeStatusHidesWorkerHosts(t *testing.T) {
	e := newEnv(t, false, nil)
	e.api.MountJudge(statusJudge{})
	b := e.browser()
	e.do(b, "POST", "/api/v1/auth/register", creds("player1", "correct horse battery"))
	r := e.do(b, "GET", "/api/v1/judge/status", "")
	var st protocol.JudgeStatus
	r.json(t, &st)
	if r.status != 200 || strings.Contains(string(r.body), "judge-host") || strings.Contains(string(r.body), "/var/lib") ||
		len(st.Workers) != 2 || st.Workers[0].ID != "worker-1" || st.Workers[0].Languages[0] != "python" || !st.Workers[0].Healthy {
		t.Fatalf("player's judge status: %d %s", r.status, r.body)
	}
	var m me
	e.do(b, "GET", "/api/v1/me", "").json(t, &m)
	if err := e.st.SetUserRole(context.Background(), m.ID, "admin"); err != nil {
		t.Fatal(err)
	}
	r = e.do(b, "GET", "/api/v1/judge/status", "")
	if !strings.Contains(string(r.body), "judge-host-8.internal") || !strings.Contains(string(r.body), "permission denied") {
		t.Fatalf("admin's judge status lacks the hosts: %s", r.body)
	}
}

// counting is a WebSocket handler that knows how many sockets it holds.
type counting struct {
	http.Handler
	n int
}

func (c *counting) Count() int { return c.n }

// TestWebSocketsOpenMetric: an upgraded socket leaves the HTTP in-flight
// gauge at once, so /metrics shows the hub's open sockets instead.
func TestWebSocketsOpenMetric(t *testing.T) {
	e := newEnv(t, false, nil)
	ws := &counting{Handler: http.NotFoundHandler(), n: 3}
	e.api.MountArena(nil, ws)
	if m := string(e.ops("/metrics").body); !strings.Contains(m, "segfault_websockets_open 3\n") {
		t.Fatalf("/metrics lacks segfault_websockets_open 3:\n%s", m)
	}
	ws.n = 0
	if m := string(e.ops("/metrics").body); !strings.Contains(m, "segfault_websockets_open 0\n") {
		t.Fatal("segfault_websockets_open does not follow the hub's count")
	}
}
