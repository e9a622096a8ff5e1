package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

const (
	indexHTML = `<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`
	appJS     = `console.log("segfault arena");` + "\n"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return b.Bytes()
}

// A build shaped like Vite's output, with a precompressed asset large
// enough that gzip shrinks it.
func testFS(t *testing.T) fstest.MapFS {
	big := strings.Repeat(appJS, 200)
	return fstest.MapFS{
		"index.html":                 {Data: []byte(indexHTML)},
		"favicon.svg":                {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		"README.txt":                 {Data: []byte("placeholder")},
		".vite/manifest.json":        {Data: []byte(`{}`)},
		"assets/index-abc123.js":     {Data: []byte(big)},
		"assets/index-abc123.js.gz":  {Data: gz(t, big)},
		"assets/index-abc123.css":    {Data: []byte("body{color:red}")},
		"assets/inter-latin-x.woff2": {Data: []byte("wOF2fake")},
		"assets/KaTeX_Main-x.ttf":    {Data: []byte("\x00\x01\x00\x00fake")},
	}
}

func do(h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func TestServe(t *testing.T) {
	h := New(testFS(t))
	nav := map[string]string{"Accept": browserAccept}
	tests := []struct {
		name, method, target string
		hdr                  map[string]string
		status               int
		ctype, cache         string
		bodyHas              string
	}{
		{"root is the app", "GET", "/", nav, 200, "text/html; charset=utf-8", "no-cache", `<div id="root">`},
		{"client route falls back to index", "GET", "/match/m_01JDX3", nav, 200, "text/html; charset=utf-8", "no-cache", `<div id="root">`},
		{"deep client route", "GET", "/users/ada", nav, 200, "text/html; charset=utf-8", "no-cache", `<div id="root">`},
		{"index.html itself is not long-cached", "GET", "/index.html", nav, 200, "text/html; charset=utf-8", "no-cache", `<div id="root">`},
		{"hashed js is immutable", "GET", "/assets/index-abc123.js", nil, 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "segfault arena"},
		{"hashed css", "GET", "/assets/index-abc123.css", nil, 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", "color:red"},
		{"woff2 font type", "GET", "/assets/inter-latin-x.woff2", nil, 200, "font/woff2", "public, max-age=31536000, immutable", "wOF2"},
		{"ttf font type", "GET", "/assets/KaTeX_Main-x.ttf", nil, 200, "font/ttf", "public, max-age=31536000, immutable", "fake"},
		{"unhashed public file: short cache", "GET", "/favicon.svg", nil, 200, "image/svg+xml", "public, max-age=3600", "<svg"},
		{"missing asset is 404, not the app", "GET", "/assets/index-old999.js", nav, 404, "", "no-store", ""},
		{"missing file for a non-HTML client", "GET", "/robots.txt", map[string]string{"Accept": "text/plain"}, 404, "", "", ""},
		{"client route from fetch() without text/html", "GET", "/match/x", map[string]string{"Accept": "application/json"}, 404, "", "", ""},
		{"API paths never get the app", "GET", "/api/v1/nope", nav, 404, "", "", ""},
		{"bare /api", "GET", "/api", nav, 404, "", "", ""},
		{"auth paths never get the app", "GET", "/auth/github/start", nav, 404, "", "", ""},
		{"websocket path", "GET", "/ws", nav, 404, "", "", ""},
		{"probes", "GET", "/healthz", nav, 404, "", "", ""},
		{"metrics", "GET", "/metrics", nav, 404, "", "", ""},
		{"a route that only starts like a reserved one", "GET", "/wsx", nav, 200, "text/html; charset=utf-8", "no-cache", `<div id="root">`},
		{"build metadata is hidden", "GET", "/.vite/manifest.json", map[string]string{"Accept": "application/json"}, 404, "", "", ""},
		{"placeholder readme is hidden", "GET", "/README.txt", map[string]string{"Accept": "text/plain"}, 404, "", "", ""},
		{"traversal is cleaned", "GET", "/assets/../assets/index-abc123.css", nil, 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", "color:red"},
		{"POST is refused", "POST", "/", nav, 405, "", "", ""},
		{"HEAD works", "HEAD", "/assets/index-abc123.css", nil, 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := do(h, tc.method, tc.target, tc.hdr)
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d; body %q", w.Code, tc.status, w.Body.String())
			}
			if tc.ctype != "" && w.Header().Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", w.Header().Get("Content-Type"), tc.ctype)
			}
			if tc.cache != "" && w.Header().Get("Cache-Control") != tc.cache {
				t.Errorf("Cache-Control = %q, want %q", w.Header().Get("Cache-Control"), tc.cache)
			}
			if !strings.Contains(w.Body.String(), tc.bodyHas) {
				t.Errorf("body %q does not contain %q", w.Body.String(), tc.bodyHas)
			}
			if tc.status == 404 && strings.Contains(w.Body.String(), `<div id="root">`) {
				t.Errorf("404 served the app page")
			}
			if tc.method == "HEAD" && w.Body.Len() != 0 {
				t.Errorf("HEAD has a body of %d bytes", w.Body.Len())
			}
			if tc.status == 405 && w.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q", w.Header().Get("Allow"))
			}
		})
	}
}

func TestPrecompressed(t *testing.T) {
	h := New(testFS(t))
	want := strings.Repeat(appJS, 200)

	w := do(h, "GET", "/assets/index-abc123.js", map[string]string{"Accept-Encoding": "br, gzip, deflate"})
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", w.Header().Get("Content-Encoding"))
	}
	if w.Header().Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary = %q", w.Header().Get("Vary"))
	}
	if w.Header().Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type = %q: the type of the original, not of .gz", w.Header().Get("Content-Type"))
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if string(got) != want {
		t.Errorf("gunzipped body differs from the original (%d vs %d bytes)", len(got), len(want))
	}
	gzTag := w.Header().Get("ETag")

	for _, ae := range []string{"", "identity", "gzip;q=0", "deflate"} {
		w := do(h, "GET", "/assets/index-abc123.js", map[string]string{"Accept-Encoding": ae})
		if w.Header().Get("Content-Encoding") != "" || w.Body.String() != want {
			t.Errorf("Accept-Encoding %q: got encoding %q, %d bytes; want the plain file", ae, w.Header().Get("Content-Encoding"), w.Body.Len())
		}
		if w.Header().Get("ETag") == gzTag {
			t.Errorf("Accept-Encoding %q: plain and gzip representations share ETag %s", ae, gzTag)
		}
	}
}

func TestConditional(t *testing.T) {
	h := New(testFS(t))
	w := do(h, "GET", "/assets/index-abc123.css", nil)
	tag := w.Header().Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	w = do(h, "GET", "/assets/index-abc123.css", map[string]string{"If-None-Match": tag})
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Fatalf("If-None-Match: status %d, %d bytes; want 304 and no body", w.Code, w.Body.Len())
	}
	w = do(h, "GET", "/", map[string]string{"Accept": browserAccept, "If-None-Match": `"stale"`})
	if w.Code != 200 {
		t.Fatalf("stale If-None-Match: status %d, want 200", w.Code)
	}
}

func TestNotBuilt(t *testing.T) {
	// A clean clone: only the committed placeholder.
	h := New(fstest.MapFS{"README.txt": {Data: []byte("placeholder")}})
	w := do(h, "GET", "/lobby", map[string]string{"Accept": browserAccept})
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", w.Code)
	}
	if !strings.Contains(w.Body.String(), "Web UI not built: run <code>make web</code>") {
		t.Errorf("body does not say how to build: %q", w.Body.String())
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q: the placeholder must not be cached", w.Header().Get("Cache-Control"))
	}
	// Reserved paths are still not ours.
	if w := do(h, "GET", "/api/v1/me", nil); w.Code != 404 {
		t.Errorf("/api/v1/me: status %d, want 404", w.Code)
	}
}

// The embedded build: whichever state the tree is in (clean clone or after
// `make web`), the handler agrees with Built().
func TestEmbedded(t *testing.T) {
	h := Handler()
	w := do(h, "GET", "/", map[string]string{"Accept": browserAccept})
	if Built() {
		if w.Code != 200 || !strings.Contains(w.Body.String(), `id="root"`) {
			t.Fatalf("built: GET / = %d %q", w.Code, w.Body.String())
		}
		if !strings.Contains(w.Body.String(), "/assets/") {
			t.Errorf("index.html references no hashed asset")
		}
	} else if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("not built: GET / = %d, want 503", w.Code)
	}
}
