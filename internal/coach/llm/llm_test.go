package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeServer is an OpenAI-compatible endpoint on loopback whose answer the
// test chooses; it also checks the request shape.
func fakeServer(t *testing.T, answer func(w http.ResponseWriter, r *http.Request)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		if got := r.Header.Get("Authorization"); got != "Bearer k3y" {
			http.Error(w, "bad key "+got, http.StatusUnauthorized)
			return
		}
		var req request
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "coach-model" || len(req.Messages) != 2 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func reply(content string, extra string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":` + content + extra + `},"finish_reason":"stop"}]}`))
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		name    string
		answer  func(http.ResponseWriter, *http.Request)
		timeout time.Duration
		want    string
		wantErr error  // errors.Is target, if any
		errHas  string // substring of the error, if any
	}{
		{name: "success", answer: reply(`"  Nested loops at lines 4-9 give O(n^2).  "`, ""), want: "Nested loops at lines 4-9 give O(n^2)."},
		{name: "timeout", timeout: 100 * time.Millisecond, errHas: "deadline exceeded", answer: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}},
		{name: "server error", errHas: "status 500", answer: func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, `{"error":{"message":"overloaded"}}`, http.StatusInternalServerError)
		}},
		{name: "refusal field", wantErr: ErrRefused, answer: reply(`null`, `,"refusal":"I can't help with that."`)},
		{name: "refusal text", wantErr: ErrRefused, answer: reply(`"I'm sorry, but I can't help with that request."`, "")},
		{name: "empty answer", wantErr: ErrRefused, answer: reply(`""`, "")},
		{name: "content filter", wantErr: ErrRefused, answer: func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":"partial"},"finish_reason":"content_filter"}]}`))
		}},
		{name: "malformed json", errHas: "malformed", answer: func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"choices":[{"message":`))
		}},
		{name: "no choices", errHas: "no choices", answer: func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"choices":[]}`))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeServer(t, tc.answer)
			c := &Client{BaseURL: srv.URL + "/v1/", Model: "coach-model", APIKey: "k3y", Timeout: tc.timeout}
			got, err := c.Complete(context.Background(), "system", "user")
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
			case tc.errHas != "":
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("err = %v, want one containing %q", err, tc.errHas)
				}
			default:
				if err != nil || got != tc.want {
					t.Fatalf("got %q, %v; want %q", got, err, tc.want)
				}
			}
		})
	}
}

func TestCompleteNeedsConfig(t *testing.T) {
	if _, err := (&Client{}).Complete(context.Background(), "s", "u"); err == nil {
		t.Fatal("no error without base URL and model")
	}
}
