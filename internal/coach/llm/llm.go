// Package llm is a minimal client for OpenAI-compatible Chat Completions
// endpoints (hosted APIs, llama.cpp's server, Ollama, vLLM). The coach only
// needs one request shape, so plain net/http is enough.
package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ErrRefused: the model declined to answer (refusal field, content filter,
// or an empty answer). The caller falls back to its offline text.
var ErrRefused = errors.New("llm: the model refused or returned no answer")

// Client talks to one endpoint and model.
type Client struct {
	BaseURL string        // e.g. http://127.0.0.1:8080/v1 ("/chat/completions" is appended)
	Model   string        // model name sent in the request
	APIKey  string        // sent as a Bearer token when set
	Timeout time.Duration // whole request, default 30 s
	HTTP    *http.Client  // default http.DefaultClient
}

// Name identifies the model in reports.
func (c *Client) Name() string { return c.Model }

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type request struct {
	Model       string    `json:"model"`
	Messages    []message `json:"messages"`
	Temperature float64   `json:"temperature"`
	MaxTokens   int       `json:"max_tokens"`
}

type response struct {
	Choices []struct {
		Message struct {
			Content *string `json:"content"`
			Refusal *string `json:"refusal"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// Complete sends one system + user exchange and returns the answer text.
func (c *Client) Complete(ctx context.Context, system, user string) (string, error) {
	if c.BaseURL == "" || c.Model == "" {
		return "", errors.New("llm: base URL and model are required")
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	body, err := json.Marshal(request{Model: c.Model, Temperature: 0.2, MaxTokens: 700,
		Messages: []message{{"system", system}, {"user", user}}})
	if err != nil {
		return "", err
	}
	url := strings.TrimRight(c.BaseURL, "/") + "/chat/completions"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("llm: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.APIKey)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("llm: request: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("llm: read response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("llm: status %d: %s", resp.StatusCode, snippet(raw))
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", fmt.Errorf("llm: malformed response: %w", err)
	}
	if r.Error != nil {
		return "", fmt.Errorf("llm: %s", r.Error.Message)
	}
	if len(r.Choices) == 0 {
		return "", fmt.Errorf("llm: malformed response: no choices")
	}
	ch := r.Choices[0]
	if ch.Message.Refusal != nil && strings.TrimSpace(*ch.Message.Refusal) != "" || ch.FinishReason == "content_filter" {
		return "", ErrRefused
	}
	if ch.Message.Content == nil || strings.TrimSpace(*ch.Message.Content) == "" || looksLikeRefusal(*ch.Message.Content) {
		return "", ErrRefused
	}
	return strings.TrimSpace(*ch.Message.Content), nil
}

// looksLikeRefusal catches models without a refusal field that answer with
// a stock apology instead of an explanation.
func looksLikeRefusal(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"i'm sorry, but i can't", "i am sorry, but i can't", "i cannot help with", "i can't help with", "i can't assist with", "i cannot assist with"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
