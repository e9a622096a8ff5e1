package httpapi

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// Problems is the problem catalog as the REST API needs it;
// *catalog.Catalog implements it.
type Problems interface {
	List(ctx context.Context, f store.ProblemFilter) (protocol.ProblemList, error)
	Page(ctx context.Context, id string, version int, lang string) (protocol.ProblemPage, error)
	Asset(ctx context.Context, id string, version int, name string) (f io.ReadSeekCloser, contentType string, mod time.Time, err error)
	SetEnabled(ctx context.Context, id string, enabled bool) error
	UploadLimit() int64
	ImportZip(ctx context.Context, zipPath, id string, verify bool, importer int64) (protocol.ProblemUpload, error)
}

// MountProblems adds the problem routes (see routes.go).
func (s *Server) MountProblems(p Problems) {
	h := &problemHandlers{s: s, p: p}
	s.Handle("GET /api/v1/problems", http.HandlerFunc(h.list))
	s.Handle("GET /api/v1/problems/{id}", http.HandlerFunc(h.page))
	s.Handle("GET /api/v1/problems/{id}/assets/{name}", http.HandlerFunc(h.asset))
	s.Handle("POST /api/v1/admin/problems", s.RequireAdmin(http.HandlerFunc(h.upload)))
	s.Handle("PUT /api/v1/admin/problems/{id}/enabled", s.RequireAdmin(http.HandlerFunc(h.setEnabled)))
}

// maxProblemPage is the largest page of the problem list.
const maxProblemPage = 100

type problemHandlers struct {
	s *Server
	p Problems
}

// intQuery reads an optional integer parameter in lo..hi (absent: def).
func intQuery(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, errcode.Errorf(errcode.InvalidRequest, "%s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}

func (h *problemHandlers) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f store.ProblemFilter
	var err error
	for _, p := range []struct {
		name   string
		dst    *int
		lo, hi int
	}{
		{"min_difficulty", &f.MinDifficulty, 0, 10000},
		{"max_difficulty", &f.MaxDifficulty, 0, 10000},
		{"offset", &f.Offset, 0, 1 << 30},
		{"limit", &f.Limit, 1, maxProblemPage},
	} {
		if *p.dst, err = intQuery(q, p.name, 0, p.lo, p.hi); err != nil {
			h.s.WriteError(w, r, err)
			return
		}
	}
	if f.MinDifficulty > 0 && f.MaxDifficulty > 0 && f.MinDifficulty > f.MaxDifficulty {
		h.s.WriteError(w, r, errcode.New(errcode.InvalidRequest, "min_difficulty is above max_difficulty"))
		return
	}
	// tag=a&tag=b or tag=a,b: every tag must match.
	for _, t := range q["tag"] {
		for _, one := range strings.Split(t, ",") {
			if one = strings.TrimSpace(one); one != "" {
				f.Tags = append(f.Tags, one)
			}
		}
	}
	if len(f.Tags) > 10 {
		h.s.WriteError(w, r, errcode.New(errcode.InvalidRequest, "at most 10 tags"))
		return
	}
	out, err := h.p.List(r.Context(), f)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

// versionQuery reads ?version=N (absent = 0, the newest).
func versionQuery(r *http.Request) (int, error) {
	return intQuery(r.URL.Query(), "version", 0, 1, 1<<30)
}

// hidden refuses the statement to a signed-in player of a reverse match
// on the problem (the arena's HidesStatement); it writes the error.
func (h *problemHandlers) hidden(w http.ResponseWriter, r *http.Request) bool {
	a := h.s.arena.Load()
	if a == nil {
		return false
	}
	u, err := h.s.Authenticate(r)
	if err != nil {
		return false // signed out: the public page
	}
	if err := (*a).HidesStatement(r.Context(), u.ID, r.PathValue("id")); err != nil {
		h.s.WriteError(w, r, err)
		return true
	}
	return false
}

func (h *problemHandlers) page(w http.ResponseWriter, r *http.Request) {
	n, err := versionQuery(r)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	if h.hidden(w, r) {
		return
	}
	out, err := h.p.Page(r.Context(), r.PathValue("id"), n, r.URL.Query().Get("lang"))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

func (h *problemHandlers) asset(w http.ResponseWriter, r *http.Request) {
	n, err := versionQuery(r)
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	if h.hidden(w, r) {
		return
	}
	f, ctype, mod, err := h.p.Asset(r.Context(), r.PathValue("id"), n, r.PathValue("name"))
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	defer f.Close()
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("X-Content-Type-Options", "nosniff")
	// An SVG can carry script: opened directly it must not run with the
	// arena's origin.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
	if n > 0 {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable") // a version never changes
	} else {
		hd.Set("Cache-Control", "public, max-age=300")
	}
	http.ServeContent(w, r, "", mod, f)
}

func (h *problemHandlers) setEnabled(w http.ResponseWriter, r *http.Request) {
	var in protocol.SetEnabled
	if err := h.s.DecodeJSON(w, r, &in); err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	if in.Enabled == nil {
		h.s.WriteError(w, r, errcode.New(errcode.InvalidRequest, "enabled (true or false) is required"))
		return
	}
	id := r.PathValue("id")
	if err := h.p.SetEnabled(r.Context(), id, *in.Enabled); err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, protocol.ProblemEnabled{ID: id, Enabled: *in.Enabled})
}

// upload takes a package zip: the raw body (application/zip) or the first
// file part of a multipart form, streamed to a temporary file (never held
// in memory) within the catalog's upload limit.
func (h *problemHandlers) upload(w http.ResponseWriter, r *http.Request) {
	limit := h.p.UploadLimit()
	tooLarge := tooLarge(limit)
	tooLarge.Message = "package upload exceeds " + strconv.FormatInt(limit, 10) + " bytes"
	if r.ContentLength > limit {
		h.s.WriteError(w, r, tooLarge)
		return
	}
	verify := false
	if v := r.URL.Query().Get("verify"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			h.s.WriteError(w, r, errcode.New(errcode.InvalidRequest, "verify must be true or false"))
			return
		}
		verify = b
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	out, err := h.receive(r, verify)
	if errors.As(err, new(*http.MaxBytesError)) {
		err = tooLarge
	}
	if err != nil {
		h.s.WriteError(w, r, err)
		return
	}
	status := http.StatusOK
	if out.Created {
		status = http.StatusCreated
	}
	WriteJSON(w, status, out)
}

// receive saves the uploaded zip to a temporary file and imports it.
func (h *problemHandlers) receive(r *http.Request, verify bool) (protocol.ProblemUpload, error) {
	body, err := uploadBody(r)
	if err != nil {
		return protocol.ProblemUpload{}, err
	}
	tmp, err := os.MkdirTemp("", "segfault-upload-")
	if err != nil {
		return protocol.ProblemUpload{}, err
	}
	defer os.RemoveAll(tmp)
	zipPath := filepath.Join(tmp, "upload.zip")
	if err := saveBody(body, zipPath); err != nil {
		return protocol.ProblemUpload{}, err
	}
	u, _ := UserFrom(r.Context())
	return h.p.ImportZip(r.Context(), zipPath, r.URL.Query().Get("id"), verify, u.ID)
}

// uploadBody returns the zip: the raw body (application/zip or
// application/octet-stream) or the first file part of a multipart form (a
// browser <input type=file>), streamed.
func uploadBody(r *http.Request) (io.Reader, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	switch mt {
	case "application/zip", "application/x-zip-compressed", "application/octet-stream":
		return r.Body, nil
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, errcode.Errorf(errcode.InvalidRequest, "malformed multipart body: %v", err)
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil, errcode.New(errcode.InvalidRequest, "the form has no file part (want a field \"package\" with the zip)")
			}
			if err != nil {
				if errors.As(err, new(*http.MaxBytesError)) {
					return nil, err
				}
				return nil, errcode.Errorf(errcode.InvalidRequest, "malformed multipart body: %v", err)
			}
			if part.FileName() != "" || part.FormName() == "package" {
				return part, nil
			}
		}
	}
	return nil, errcode.New(errcode.UnsupportedMediaType,
		"send the package as application/zip (curl --data-binary @p.zip -H 'Content-Type: application/zip') or as a multipart form field \"package\"")
}

func saveBody(body io.Reader, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
