// Package web serves the browser arena: the single-page app built from web/
// (Vite) into dist/ and embedded in the binary.
//
// Caching follows the file names Vite produces: everything under /assets/
// carries a content hash, so it is cached for a year as immutable; index.html
// names those hashes and must be revalidated on every load (no-cache). Client
// routes (/match/ID, /users/NAME...) get index.html, except for API, auth,
// WebSocket and probe paths, which belong to other handlers and must never
// see an HTML page in place of their JSON.
//
// A clean clone has no build output (only dist/README.txt, so the embed
// pattern compiles): the handler then serves a page that says how to build
// it, and Go builds and tests work without Node.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

// Handler serves the embedded build.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil { // cannot happen: the directory is embedded
		panic(fmt.Sprintf("web: %v", err))
	}
	return New(sub)
}

// Built reports whether the embedded build contains the app (false in a
// clean clone before `make web`).
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}

// reserved prefixes belong to other handlers; the SPA fallback never
// answers them.
var reserved = []string{"/api", "/auth", "/ws", "/healthz", "/readyz", "/metrics"}

// contentTypes covers what Vite emits; the standard library's table lacks
// the font types and differs between systems (it reads /etc/mime.types).
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".ttf":   "font/ttf",
	".otf":   "font/otf",
	".wasm":  "application/wasm",
	".txt":   "text/plain; charset=utf-8",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

type file struct {
	body []byte
	gz   []byte // precompressed by the build, if it shrank the file
	etag string
	ct   string
}

type handler struct {
	files map[string]*file // by path without the leading slash
	index *file
}

// New serves the app in files (a Vite build: index.html, assets/...). It
// reads everything once: the build is a few MiB and already in memory when
// embedded, and the index lets every request be a map lookup.
func New(files fs.FS) http.Handler {
	h := &handler{files: map[string]*file{}}
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".gz") || hidden(p) {
			return nil
		}
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return nil
		}
		sum := sha256.Sum256(body)
		f := &file{body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ct: contentType(p)}
		if gz, err := fs.ReadFile(files, p+".gz"); err == nil && len(gz) < len(body) {
			f.gz = gz
		}
		h.files[p] = f
		return nil
	})
	h.index = h.files["index.html"]
	return h
}

// hidden: build metadata (.vite/manifest.json) and the placeholder README
// are not part of the site.
func hidden(p string) bool {
	if p == "README.txt" {
		return true
	}
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	for _, pre := range reserved {
		if p == pre || strings.HasPrefix(p, pre+"/") {
			http.NotFound(w, r)
			return
		}
	}
	if h.index == nil {
		notBuilt(w, r)
		return
	}
	name := strings.TrimPrefix(p, "/")
	if f, ok := h.files[name]; ok && name != "index.html" {
		if strings.HasPrefix(name, "assets/") {
			// Hashed names: a changed file gets a new name, so this one never changes.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		h.serve(w, r, f)
		return
	}
	// A missing hashed asset is a 404, never index.html: a stale page asking
	// for an old chunk must fail clearly, not parse HTML as JavaScript.
	if strings.HasPrefix(name, "assets/") || !acceptsHTML(r) {
		w.Header().Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	h.serve(w, r, h.index)
}

// acceptsHTML: browsers navigating send Accept: text/html,...; fetch() and
// API clients usually don't, and should get a 404 for a wrong URL.
func acceptsHTML(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return a == "" || strings.Contains(a, "text/html") || strings.Contains(a, "*/*")
}

// acceptsGzip: "gzip" listed in Accept-Encoding with a q-value above 0.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(params), "=")
		if !ok || strings.TrimSpace(k) != "q" {
			return true
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q > 0
	}
	return false
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request, f *file) {
	hd := w.Header()
	hd.Set("Content-Type", f.ct)
	hd.Set("X-Content-Type-Options", "nosniff")
	body, etag := f.body, f.etag
	if f.gz != nil {
		hd.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			body = f.gz
			etag = strings.TrimSuffix(f.etag, `"`) + `-gz"` // a different representation, a different tag
			hd.Set("Content-Encoding", "gzip")
		}
	}
	hd.Set("ETag", etag)
	// ServeContent answers If-None-Match (304), HEAD and Range.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

var notBuiltPage = template.Must(template.New("nb").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SegFault Arena: web UI not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#07080d;color:#cbd5e1;max-width:40rem;margin:10vh auto;padding:0 1rem}
code{background:#171b28;padding:.1rem .3rem;border-radius:4px;color:#67e8f9}h1{color:#fff}</style></head>
<body><h1>Web UI not built: run <code>make web</code></h1>
<p>This binary was built without the browser app. Build it with <code>make web</code> (or
<code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>), then rebuild the binary.</p>
<p>The API is up: <code>/api/v1/auth/providers</code>, <code>/healthz</code>.</p></body></html>
`))

func notBuilt(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method != http.MethodHead {
		_ = notBuiltPage.Execute(w, nil)
	}
}
