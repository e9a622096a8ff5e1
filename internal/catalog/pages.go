package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// What the REST API shows of the catalog (httpapi serves it):
//
//	List        GET  /api/v1/problems                     (min_difficulty, max_difficulty, tag, offset, limit)
//	Page        GET  /api/v1/problems/{id}                statement page (version, lang)
//	Asset       GET  /api/v1/problems/{id}/assets/{name}  statement image (version)
//	ImportZip   POST /api/v1/admin/problems               an uploaded package zip (admins; id, verify)
//	SetEnabled  PUT  /api/v1/admin/problems/{id}/enabled  hides a problem from the list and matchmaking
//
// Refusals are errcode errors: not_found; problem_conflict; missing_id,
// id_mismatch, verify_unavailable; and the package codes of problem
// (bad_archive, bad_yaml, bad_type, bad_value, missing, unsupported,
// bad_layout, verify_failed) with every issue listed.

// MaxPage is the largest page List returns.
const MaxPage = 100

var (
	errNotFound      = errcode.New(errcode.NotFound, "no such problem")
	errAssetNotFound = errcode.New(errcode.NotFound, "no such asset")
)

// List is a page of the enabled problems matching f (Limit 0 = 50).
func (c *Catalog) List(ctx context.Context, f store.ProblemFilter) (protocol.ProblemList, error) {
	if f.Limit == 0 {
		f.Limit = 50
	}
	page, total, err := c.st.ListProblems(ctx, f)
	if err != nil {
		return protocol.ProblemList{}, err
	}
	out := protocol.ProblemList{Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, v := range page {
		out.Problems = append(out.Problems, protocol.ProblemListItem{ID: v.ProblemID, Version: v.Version, Name: v.Name,
			Difficulty: v.Difficulty, Tags: v.Tags, TimeLimitMS: v.TimeLimit.Milliseconds(), MemoryMiB: v.MemoryMiB,
			Interactive: v.Interactive, Scoring: v.Scoring})
	}
	return out, nil
}

// Page is version n (0 = newest) of a problem's statement page in lang
// (falling back to English). The intended complexity is left out on
// purpose: it gives the solution away.
func (c *Catalog) Page(ctx context.Context, id string, n int, lang string) (protocol.ProblemPage, error) {
	if !store.ProblemIDPattern.MatchString(id) {
		return protocol.ProblemPage{}, errNotFound
	}
	pkg, sv, err := c.Package(ctx, id, n)
	if errors.Is(err, problem.ErrNotFound) {
		return protocol.ProblemPage{}, errNotFound
	}
	if err != nil {
		return protocol.ProblemPage{}, err
	}
	sum, err := pkg.Summary(sv.TimeLimit)
	if err != nil {
		return protocol.ProblemPage{}, err
	}
	langs, err := c.pageLanguages(pkg)
	if err != nil {
		return protocol.ProblemPage{}, err
	}
	out := protocol.ProblemPage{
		ID: sv.ProblemID, Version: sv.Version, LatestVersion: sv.LatestVersion,
		Name: pkg.Meta.Name(lang), Names: sum.Names,
		TimeLimitMS: sum.TimeLimitMS, MemoryMiB: sum.MemoryMiB,
		Interactive: sum.Interactive, Scoring: sum.Scoring, Difficulty: sum.Difficulty, Tags: sum.Tags,
		Authors: sum.Authors, Source: sum.Source, License: sum.License, Languages: langs,
	}
	for _, s := range sum.Samples {
		ps := protocol.PageSample{Name: s.Name, Input: s.Input, Output: s.Output}
		for _, l := range s.Transcript {
			ps.Transcript = append(ps.Transcript, protocol.TranscriptLine{FromSubmission: l.FromSubmission, Text: l.Text})
		}
		out.Samples = append(out.Samples, ps)
	}
	for _, st := range pkg.Statements {
		out.Statements = append(out.Statements, st.Lang)
	}
	urlOf := func(name string) string { return assetURL(sv, name) }
	if st := pkg.Statement(lang); st != nil {
		out.Lang = st.Lang
		out.Statement = rewriteAssets(st.Markdown, pkg.Assets, urlOf)
	}
	for _, a := range pkg.Assets {
		out.Assets = append(out.Assets, protocol.PageAsset{Name: a, URL: urlOf(a)})
	}
	return out, nil
}

// pageLanguages are the judge's languages, narrowed to problem.yaml's
// languages list when it has one, and to what the live workers offer.
func (c *Catalog) pageLanguages(pkg *problem.Package) (protocol.List[protocol.PageLanguage], error) {
	table, err := c.languages()
	if err != nil {
		return nil, err
	}
	allowed := map[string]bool{}
	for _, l := range pkg.Meta.Languages {
		if spec, ok := table.Spec(l); ok {
			allowed[spec.ID] = true
		}
	}
	var live map[string]bool
	if c.Live != nil {
		if ids, ok := c.Live(); ok {
			live = map[string]bool{}
			for _, id := range ids {
				live[id] = true
			}
		}
	}
	var out protocol.List[protocol.PageLanguage]
	for _, id := range table.IDs() {
		if len(pkg.Meta.Languages) > 0 && !allowed[id] || live != nil && !live[id] {
			continue
		}
		spec, _ := table.Spec(id)
		out = append(out, protocol.PageLanguage{ID: id, Name: spec.Name})
	}
	return out, nil
}

// assetURL names the version, so a statement shown in a finished match
// keeps its own images and the response can be cached for good.
func assetURL(sv store.ProblemVersion, name string) string {
	return "/api/v1/problems/" + sv.ProblemID + "/assets/" + url.PathEscape(name) + "?version=" + strconv.Itoa(sv.Version)
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

// Asset opens image name of version n (0 = newest) of a problem; it
// returns the file, its content type and modification time.
func (c *Catalog) Asset(ctx context.Context, id string, n int, name string) (io.ReadSeekCloser, string, time.Time, error) {
	ctype := contentTypes[strings.ToLower(path.Ext(name))]
	if !store.ProblemIDPattern.MatchString(id) || !assetName.MatchString(name) || strings.Contains(name, "..") || ctype == "" {
		return nil, "", time.Time{}, errAssetNotFound
	}
	pkg, _, err := c.Package(ctx, id, n)
	if errors.Is(err, problem.ErrNotFound) {
		return nil, "", time.Time{}, errNotFound
	}
	if err != nil {
		return nil, "", time.Time{}, err
	}
	f, err := pkg.OpenAsset(name)
	if err != nil {
		return nil, "", time.Time{}, errAssetNotFound
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, "", time.Time{}, errAssetNotFound
	}
	return f, ctype, fi.ModTime(), nil
}

// SetEnabled shows or hides a problem in the list and matchmaking (its
// pages stay reachable).
func (c *Catalog) SetEnabled(ctx context.Context, id string, enabled bool) error {
	if !store.ProblemIDPattern.MatchString(id) {
		return errNotFound
	}
	err := c.st.SetProblemEnabled(ctx, id, enabled)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	return err
}

// UploadLimit is the body limit of a package upload.
func (c *Catalog) UploadLimit() int64 {
	if c.MaxUpload <= 0 {
		return DefaultMaxUpload
	}
	return c.MaxUpload
}

// ImportZip imports the package in the zip at zipPath (an upload, left for
// the caller to remove) as importer: id names it when problem.yaml is at
// the zip's top, and must match its directory otherwise; verify judges it
// first (Verify must be set). Everything is checked before anything is
// stored.
func (c *Catalog) ImportZip(ctx context.Context, zipPath, id string, verify bool, importer int64) (protocol.ProblemUpload, error) {
	id = strings.ToLower(id)
	if id != "" && !store.ProblemIDPattern.MatchString(id) {
		return protocol.ProblemUpload{}, errcode.Errorf(errcode.InvalidRequest, "id %q is not a valid problem id (lower-case letters, digits, - and _)", id)
	}
	if verify && c.Verify == nil {
		return protocol.ProblemUpload{}, errcode.Errorf(errcode.VerifyUnavailable, "this server has no judge to verify packages with; upload without verify=true")
	}
	tmp, err := os.MkdirTemp("", "segfault-import-")
	if err != nil {
		return protocol.ProblemUpload{}, err
	}
	defer os.RemoveAll(tmp)
	// Unpack with every safety check first (nothing is stored yet), then
	// find the package in it.
	x := filepath.Join(tmp, "x")
	if err := problem.ExtractZip(zipPath, x, c.limits()); err != nil {
		return protocol.ProblemUpload{}, packageError(err)
	}
	root, top, err := packageDir(x)
	if err != nil {
		return protocol.ProblemUpload{}, packageError(err)
	}
	switch {
	case top == "" && id == "":
		return protocol.ProblemUpload{}, errcode.Errorf(errcode.MissingID, "problem.yaml is at the top of the zip: give the problem id (?id=...) or zip the package directory")
	case top != "" && id != "" && strings.ToLower(top) != id:
		return protocol.ProblemUpload{}, errcode.Errorf(errcode.IDMismatch, "the zip holds package directory %q but id=%s was given", top, id)
	case top == "":
		// A package's id is its directory name.
		named := filepath.Join(tmp, "p", id)
		if err := os.MkdirAll(filepath.Dir(named), 0o755); err != nil {
			return protocol.ProblemUpload{}, err
		}
		if err := os.Rename(root, named); err != nil {
			return protocol.ProblemUpload{}, err
		}
		root = named
	}
	opt := problem.ImportOptions{}
	if verify {
		opt.Check = c.Verify
	}
	res, err := c.Import(WithImporter(ctx, importer), root, opt)
	if errors.Is(err, ErrConflict) {
		return protocol.ProblemUpload{}, errcode.New(errcode.ProblemConflict, strings.TrimPrefix(err.Error(), ErrConflict.Error()+": "))
	}
	if err != nil {
		return protocol.ProblemUpload{}, packageError(err)
	}
	out := protocol.ProblemUpload{ID: res.Version.ProblemID, Version: res.Version.Number, SHA256: res.Version.SHA256,
		Created: res.Created, TimeLimitMS: res.Version.TimeLimit.Milliseconds(), Verified: verify, Warnings: []string{}}
	for _, is := range res.Package.Warnings {
		out.Warnings = append(out.Warnings, "["+is.Code+"] "+is.String())
	}
	return out, nil
}

// packageError is a refused package with its code and every issue, so an
// author fixes them in one pass; other errors are returned as they are.
func packageError(err error) error {
	code := problem.ErrorCode(err)
	if code == "" {
		return err
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
	return e
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
