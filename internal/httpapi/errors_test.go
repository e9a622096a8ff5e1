package httpapi_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/httpapi"
)

// TestEveryCodeHasAStatus: the one code → status mapping covers every code,
// so no refusal a domain package returns can turn into a 500.
func TestEveryCodeHasAStatus(t *testing.T) {
	for _, in := range errcode.All() {
		st := httpapi.Status(in.Code)
		if in.Code != errcode.Internal && (st < 400 || st >= 500 && st != http.StatusBadGateway &&
			st != http.StatusServiceUnavailable) {
			t.Errorf("%s → %d", in.Code, st)
		}
	}
	if httpapi.Status(errcode.Internal) != 500 || httpapi.Status("no_such_code") != 500 {
		t.Error("internal and unknown codes must be 500")
	}
}

// TestWriteErrorCarriesTheData: the code goes out unchanged with its data
// (retry_after_ms with Retry-After, cooldown_until, limit); a wrapped
// cause and any other error never reach the client.
func TestWriteErrorCarriesTheData(t *testing.T) {
	e := newEnv(t, false, nil)
	until := time.Date(2026, 11, 26, 4, 12, 3, 250e6, time.UTC)
	errs := map[string]error{
		"/api/v1/t/busy": fmt.Errorf("judge: %w", &errcode.Error{Code: errcode.JudgeBusy, Message: "wait",
			RetryAfter: 1200 * time.Millisecond, Err: errors.New("secret cause")}),
		"/api/v1/t/cooldown": &errcode.Error{Code: errcode.QueueCooldown, Message: "paused", CooldownUntil: until},
		"/api/v1/t/large":    &errcode.Error{Code: errcode.CodeTooLarge, Message: "too big", Limit: 65536},
		"/api/v1/t/plain":    errors.New("database password is hunter2"),
	}
	for path, err := range errs {
		e.api.Handle("GET "+path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.api.WriteError(w, r, err) }))
	}
	type body struct {
		Error struct {
			Code          string `json:"code"`
			Message       string `json:"message"`
			RetryAfterMS  int64  `json:"retry_after_ms"`
			CooldownUntil string `json:"cooldown_until"`
			Limit         int64  `json:"limit"`
		} `json:"error"`
	}
	var b body
	r := e.do(nil, "GET", "/api/v1/t/busy", "")
	r.json(t, &b)
	if r.status != 429 || b.Error.Code != "judge_busy" || b.Error.RetryAfterMS != 1200 || r.header.Get("Retry-After") != "2" ||
		strings.Contains(string(r.body), "secret") {
		t.Errorf("busy: %d %s %v", r.status, r.body, r.header)
	}
	b = body{}
	r = e.do(nil, "GET", "/api/v1/t/cooldown", "")
	r.json(t, &b)
	if r.status != 429 || b.Error.CooldownUntil != "2026-11-26T04:12:03.250Z" || r.header.Get("Retry-After") != "" {
		t.Errorf("cooldown: %d %s", r.status, r.body)
	}
	b = body{}
	r = e.do(nil, "GET", "/api/v1/t/large", "")
	r.json(t, &b)
	if r.status != 413 || b.Error.Code != "code_too_large" || b.Error.Limit != 65536 || strings.Contains(string(r.body), "retry_after_ms") {
		t.Errorf("large: %d %s", r.status, r.body)
	}
	r = e.do(nil, "GET", "/api/v1/t/plain", "")
	if r.status != 500 || r.code != "internal" || strings.Contains(string(r.body), "hunter2") {
		t.Errorf("plain: %d %s", r.status, r.body)
	}
}
