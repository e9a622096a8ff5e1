package catalog

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/store"
)

// Mount adds the problem routes to api:
//
//	GET  /api/v1/problems                     list (min_difficulty, max_difficulty, tag, offset, limit)
//	GET  /api/v1/problems/{id}                statement page (version, lang)
//	GET  /api/v1/problems/{id}/assets/{name}  statement image (version)
//	POST /api/v1/admin/problems               upload a package zip (admins; id, verify)
//	PUT  /api/v1/admin/problems/{id}/enabled  {"enabled": false} hides a problem from the
//	                                          list and matchmaking (admins); pages stay reachable
//
// Error codes: 400 invalid_request, missing_id, id_mismatch,
// verify_unavailable and the package codes of problem (bad_archive,
// bad_yaml, bad_type, bad_value, missing, unsupported, bad_layout,
// verify_failed); 404 not_found; 409 problem_conflict; 413 body_too_large;
// 415 unsupported_media_type.
func Mount(api *httpapi.Server, cat *Catalog) {
	h := &handlers{api: api, cat: cat}
	api.Handle("GET /api/v1/problems", http.HandlerFunc(h.list))
	api.Handle("GET /api/v1/problems/{id}", http.HandlerFunc(h.show))
	api.Handle("GET /api/v1/problems/{id}/assets/{name}", http.HandlerFunc(h.asset))
	api.Handle("POST /api/v1/admin/problems", api.RequireAdmin(http.HandlerFunc(h.upload)))
	api.Handle("PUT /api/v1/admin/problems/{id}/enabled", api.RequireAdmin(http.HandlerFunc(h.setEnabled)))
}

func (h *handlers) setEnabled(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var in struct {
		Enabled *bool `json:"enabled"`
	}
	if err := h.api.DecodeJSON(w, r, &in); err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	if in.Enabled == nil {
		h.api.WriteError(w, r, errcode.Errorf(errcode.InvalidRequest, "enabled (true or false) is required"))
		return
	}
	if !store.ProblemIDPattern.MatchString(id) {
		h.api.WriteError(w, r, errNotFound)
		return
	}
	if err := h.cat.st.SetProblemEnabled(r.Context(), id, *in.Enabled); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			h.api.WriteError(w, r, errNotFound)
			return
		}
		h.api.WriteError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "enabled": *in.Enabled})
}

// MaxPage is the largest page the list endpoint returns.
const MaxPage = 100

type handlers struct {
	api *httpapi.Server
	cat *Catalog
}

var (
	errNotFound      = errcode.New(errcode.NotFound, "no such problem")
	errAssetNotFound = errcode.New(errcode.NotFound, "no such asset")
)

// listItem is a problem in the list: what the lobby needs to pick one.
type listItem struct {
	ID          string   `json:"id"`
	Version     int      `json:"version"`
	Name        string   `json:"name"`
	Difficulty  int      `json:"difficulty,omitempty"`
	Tags        []string `json:"tags"`
	TimeLimitMS int64    `json:"time_limit_ms,omitempty"`
	MemoryMiB   int64    `json:"memory_mib"`
	Interactive bool     `json:"interactive"`
	Scoring     bool     `json:"scoring"`
}

type listResponse struct {
	Problems []listItem `json:"problems"`
	Total    int        `json:"total"`
	Offset   int        `json:"offset"`
	Limit    int        `json:"limit"`
}

func intParam(q url.Values, name string, lo, hi int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, errcode.Errorf(errcode.InvalidRequest, "%s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}

func (h *handlers) list(w http.ResponseWriter, r *http.Request) {
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
		{"limit", &f.Limit, 1, MaxPage},
	} {
		if *p.dst, err = intParam(q, p.name, p.lo, p.hi); err != nil {
			h.api.WriteError(w, r, err)
			return
		}
	}
	if f.MinDifficulty > 0 && f.MaxDifficulty > 0 && f.MinDifficulty > f.MaxDifficulty {
		h.api.WriteError(w, r, errcode.Errorf(errcode.InvalidRequest, "min_difficulty is above max_difficulty"))
		return
	}
	if f.Limit == 0 {
		f.Limit = 50
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
		h.api.WriteError(w, r, errcode.Errorf(errcode.InvalidRequest, "at most 10 tags"))
		return
	}
	page, total, err := h.cat.st.ListProblems(r.Context(), f)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	out := listResponse{Problems: []listItem{}, Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, v := range page {
		out.Problems = append(out.Problems, listItem{ID: v.ProblemID, Version: v.Version, Name: v.Name,
			Difficulty: v.Difficulty, Tags: v.Tags, TimeLimitMS: v.TimeLimit.Milliseconds(), MemoryMiB: v.MemoryMiB,
			Interactive: v.Interactive, Scoring: v.Scoring})
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
}

// language is one language a submission may use.
type language struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type asset struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// problemResponse is the statement page. The intended complexity is left
// out on purpose (see the package comment).
type problemResponse struct {
	ID            string            `json:"id"`
	Version       int               `json:"version"`
	LatestVersion int               `json:"latest_version"`
	Name          string            `json:"name"`
	Names         map[string]string `json:"names"`
	Lang          string            `json:"lang"`       // language of Statement
	Statement     string            `json:"statement"`  // Markdown, math for KaTeX, image URLs absolute
	Statements    []string          `json:"statements"` // languages available
	Samples       []problem.Sample  `json:"samples"`
	TimeLimitMS   int64             `json:"time_limit_ms,omitempty"` // 0 = not known yet
	MemoryMiB     int64             `json:"memory_mib"`
	Interactive   bool              `json:"interactive"`
	Scoring       bool              `json:"scoring"`
	Difficulty    int               `json:"difficulty,omitempty"`
	Tags          []string          `json:"tags"`
	Authors       []string          `json:"authors,omitempty"`
	Source        string            `json:"source,omitempty"`
	License       string            `json:"license,omitempty"`
	Assets        []asset           `json:"assets"`
	Languages     []language        `json:"languages"`
}

// versionParam reads ?version=N (absent = newest).
func versionParam(r *http.Request) (int, error) {
	return intParam(r.URL.Query(), "version", 1, 1<<30)
}

func (h *handlers) show(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	n, err := versionParam(r)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	if !store.ProblemIDPattern.MatchString(id) {
		h.api.WriteError(w, r, errNotFound)
		return
	}
	pkg, sv, err := h.cat.Package(r.Context(), id, n)
	if errors.Is(err, problem.ErrNotFound) {
		h.api.WriteError(w, r, errNotFound)
		return
	}
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	sum, err := pkg.Summary(sv.TimeLimit)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	langs, err := h.languages(pkg)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	out := problemResponse{
		ID: sv.ProblemID, Version: sv.Version, LatestVersion: sv.LatestVersion,
		Name: pkg.Meta.Name(r.URL.Query().Get("lang")), Names: sum.Names,
		Samples: sum.Samples, TimeLimitMS: sum.TimeLimitMS, MemoryMiB: sum.MemoryMiB,
		Interactive: sum.Interactive, Scoring: sum.Scoring, Difficulty: sum.Difficulty, Tags: sum.Tags,
		Authors: sum.Authors, Source: sum.Source, License: sum.License,
		Assets: []asset{}, Languages: langs, Statements: []string{},
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if out.Samples == nil {
		out.Samples = []problem.Sample{}
	}
	for _, st := range pkg.Statements {
		out.Statements = append(out.Statements, st.Lang)
	}
	urlOf := func(name string) string { return assetURL(sv, name) }
	if st := pkg.Statement(r.URL.Query().Get("lang")); st != nil {
		out.Lang = st.Lang
		out.Statement = rewriteAssets(st.Markdown, pkg.Assets, urlOf)
	}
	for _, a := range pkg.Assets {
		out.Assets = append(out.Assets, asset{Name: a, URL: urlOf(a)})
	}
	httpapi.WriteJSON(w, http.StatusOK, out)
}

// assetURL names the version, so a statement shown in a finished match
// keeps its own images and the response can be cached for good.
func assetURL(sv store.ProblemVersion, name string) string {
	return "/api/v1/problems/" + sv.ProblemID + "/assets/" + url.PathEscape(name) + "?version=" + strconv.Itoa(sv.Version)
}

// languages are the judge's languages, narrowed to problem.yaml's
// languages list when it has one.
func (h *handlers) languages(pkg *problem.Package) ([]language, error) {
	table, err := h.cat.languages()
	if err != nil {
		return nil, err
	}
	allowed := map[string]bool{}
	for _, l := range pkg.Meta.Languages {
		if spec, ok := table.Spec(l); ok {
			allowed[spec.ID] = true
		}
	}
	out := []language{}
	for _, id := range table.IDs() {
		if len(pkg.Meta.Languages) > 0 && !allowed[id] {
			continue
		}
		spec, _ := table.Spec(id)
		out = append(out, language{ID: id, Name: spec.Name})
	}
	return out, nil
}

// markdownImage and htmlImage find image references in a statement; only
// targets that are assets of the package are rewritten.
var (
	markdownImage = regexp.MustCompile(`(!\[[^\]]*\]\(\s*)(?:<([^>\n]*)>|([^)\s]+))`)
	htmlImage     = regexp.MustCompile(`(<img\b[^>]*?\bsrc\s*=\s*)(["'])([^"']*)(["'])`)
)

// rewriteAssets points the statement's relative image links at the asset
// route. Links to anything else (absolute URLs, files that are not
// assets) are left as they are.
func rewriteAssets(md string, assets []string, urlOf func(string) string) string {
	if len(assets) == 0 {
		return md
	}
	known := map[string]bool{}
	for _, a := range assets {
		known[a] = true
	}
	target := func(t string) (string, bool) {
		t = strings.TrimPrefix(t, "./")
		if u, err := url.PathUnescape(t); err == nil {
			t = u
		}
		if known[t] {
			return urlOf(t), true
		}
		return "", false
	}
	md = markdownImage.ReplaceAllStringFunc(md, func(m string) string {
		sub := markdownImage.FindStringSubmatch(m)
		t := sub[2] + sub[3] // <angle form> or plain; one is empty
		if u, ok := target(t); ok {
			return sub[1] + u
		}
		return m
	})
	return htmlImage.ReplaceAllStringFunc(md, func(m string) string {
		sub := htmlImage.FindStringSubmatch(m)
		if u, ok := target(sub[3]); ok {
			return sub[1] + sub[2] + u + sub[4]
		}
		return m
	})
}

// assetName is what an asset may be called: one path element, no dot
// first (no "..", no hidden files). problem.OpenAsset also only opens
// names listed as assets; this check keeps garbage out of the lookup.
var assetName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._ -]{0,127}$`)

// contentTypes are the image types served; anything else is not an asset.
var contentTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".webp": "image/webp", ".svg": "image/svg+xml",
}

func (h *handlers) asset(w http.ResponseWriter, r *http.Request) {
	id, name := r.PathValue("id"), r.PathValue("name")
	n, err := versionParam(r)
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	ctype := contentTypes[strings.ToLower(path.Ext(name))]
	if !store.ProblemIDPattern.MatchString(id) || !assetName.MatchString(name) || strings.Contains(name, "..") || ctype == "" {
		h.api.WriteError(w, r, errAssetNotFound)
		return
	}
	pkg, _, err := h.cat.Package(r.Context(), id, n)
	if errors.Is(err, problem.ErrNotFound) {
		h.api.WriteError(w, r, errNotFound)
		return
	}
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	f, err := pkg.OpenAsset(name)
	if err != nil {
		h.api.WriteError(w, r, errAssetNotFound)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		h.api.WriteError(w, r, errAssetNotFound)
		return
	}
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
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// uploadResponse reports a stored upload.
type uploadResponse struct {
	ID          string   `json:"id"`
	Version     int      `json:"version"`
	SHA256      string   `json:"sha256"`
	Created     bool     `json:"created"` // false: the same content was already the newest version
	TimeLimitMS int64    `json:"time_limit_ms,omitempty"`
	Verified    bool     `json:"verified"`
	Warnings    []string `json:"warnings"`
}

// writePackageError answers a refused package with its code plus the list
// of every issue, so an author fixes them in one pass.
func (h *handlers) writePackageError(w http.ResponseWriter, r *http.Request, err error) {
	code := problem.ErrorCode(err)
	if code == "" {
		h.api.WriteError(w, r, err)
		return
	}
	e := &errcode.Error{Code: errcode.Code(code), Message: err.Error(), Err: err}
	var le *problem.LoadError
	if errors.As(err, &le) {
		var parts []string
		for _, is := range le.Issues {
			e.Issues = append(e.Issues, errcode.Issue{Code: is.Code, Path: is.Path, Message: is.Msg})
			parts = append(parts, is.String())
		}
		// LoadError's own text names the temporary directory.
		e.Message = fmt.Sprintf("package has %d error(s): %s", len(le.Issues), strings.Join(parts, "; "))
	}
	h.api.WriteError(w, r, e)
}

func (h *handlers) upload(w http.ResponseWriter, r *http.Request) {
	limit := h.cat.MaxUpload
	if limit <= 0 {
		limit = DefaultMaxUpload
	}
	tooLarge := &errcode.Error{Code: errcode.BodyTooLarge, Message: fmt.Sprintf("package upload exceeds %d bytes", limit), Limit: limit}
	if r.ContentLength > limit {
		h.api.WriteError(w, r, tooLarge)
		return
	}
	q := r.URL.Query()
	id := strings.ToLower(q.Get("id"))
	if id != "" && !store.ProblemIDPattern.MatchString(id) {
		h.api.WriteError(w, r, errcode.Errorf(errcode.InvalidRequest, "id %q is not a valid problem id (lower-case letters, digits, - and _)", id))
		return
	}
	verify := false
	if v := q.Get("verify"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			h.api.WriteError(w, r, errcode.Errorf(errcode.InvalidRequest, "verify must be true or false"))
			return
		}
		verify = b
	}
	if verify && h.cat.Verify == nil {
		h.api.WriteError(w, r, errcode.Errorf(errcode.VerifyUnavailable, "this server has no judge to verify packages with; upload without verify=true"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	body, err := uploadBody(r)
	if errors.As(err, new(*http.MaxBytesError)) {
		h.api.WriteError(w, r, tooLarge)
		return
	}
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	tmp, err := os.MkdirTemp("", "segfault-upload-")
	if err != nil {
		h.api.WriteError(w, r, err)
		return
	}
	defer os.RemoveAll(tmp)
	zipPath := filepath.Join(tmp, "upload.zip")
	if err := saveBody(body, zipPath); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.api.WriteError(w, r, tooLarge)
			return
		}
		h.api.WriteError(w, r, err)
		return
	}
	// Unpack with every safety check first (nothing is stored yet), then
	// find the package in it.
	x := filepath.Join(tmp, "x")
	if err := problem.ExtractZip(zipPath, x, h.cat.limits()); err != nil {
		h.writePackageError(w, r, err)
		return
	}
	os.Remove(zipPath)
	root, top, err := packageDir(x)
	if err != nil {
		h.writePackageError(w, r, err)
		return
	}
	switch {
	case top == "" && id == "":
		h.api.WriteError(w, r, errcode.Errorf(errcode.MissingID, "problem.yaml is at the top of the zip: give the problem id (?id=...) or zip the package directory"))
		return
	case top != "" && id != "" && strings.ToLower(top) != id:
		h.api.WriteError(w, r, errcode.Errorf(errcode.IDMismatch, "the zip holds package directory %q but id=%s was given", top, id))
		return
	case top == "":
		// A package's id is its directory name.
		named := filepath.Join(tmp, "p", id)
		if err := os.MkdirAll(filepath.Dir(named), 0o755); err != nil {
			h.api.WriteError(w, r, err)
			return
		}
		if err := os.Rename(root, named); err != nil {
			h.api.WriteError(w, r, err)
			return
		}
		root = named
	}
	opt := problem.ImportOptions{}
	if verify {
		opt.Check = h.cat.Verify
	}
	u, _ := httpapi.UserFrom(r.Context())
	res, err := h.cat.Import(WithImporter(r.Context(), u.ID), root, opt)
	if errors.Is(err, ErrConflict) {
		h.api.WriteError(w, r, errcode.New(errcode.ProblemConflict, strings.TrimPrefix(err.Error(), ErrConflict.Error()+": ")))
		return
	}
	if err != nil {
		h.writePackageError(w, r, err)
		return
	}
	out := uploadResponse{ID: res.Version.ProblemID, Version: res.Version.Number, SHA256: res.Version.SHA256,
		Created: res.Created, TimeLimitMS: res.Version.TimeLimit.Milliseconds(), Verified: verify, Warnings: []string{}}
	for _, is := range res.Package.Warnings {
		out.Warnings = append(out.Warnings, "["+is.Code+"] "+is.String())
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	httpapi.WriteJSON(w, status, out)
}

// uploadBody returns the zip: the raw body (application/zip or
// application/octet-stream) or the first file part of a multipart form (a
// browser <input type=file>), streamed, never buffered whole in memory.
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
				return nil, errcode.Errorf(errcode.InvalidRequest, "the form has no file part (want a field \"package\" with the zip)")
			}
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
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

// packageDir finds problem.yaml in an unpacked upload: at its top (top =
// "") or in its single top-level directory (top = that name), as
// problem.Import does for zips.
func packageDir(dir string) (root, top string, err error) {
	if _, err := os.Stat(filepath.Join(dir, "problem.yaml")); err == nil {
		return dir, "", nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", "", err
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), "__MACOSX") {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 1 {
		if _, err := os.Stat(filepath.Join(dir, dirs[0], "problem.yaml")); err == nil {
			return filepath.Join(dir, dirs[0]), dirs[0], nil
		}
	}
	return "", "", &problem.ArchiveError{Msg: "no problem.yaml at the top of the archive or in its single top-level directory"}
}
