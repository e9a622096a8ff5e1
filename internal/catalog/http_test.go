package catalog

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/judge"
	"github.com/segfaultarena/segfault/internal/problem"
	"github.com/segfaultarena/segfault/internal/problem/verify"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/sandbox"
)

// seed imports a small set with known difficulties and tags.
func seed(t *testing.T, e *testEnv) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	srcs := []string{
		withArena(t, dir, "p800", 800, "[greedy]"),
		withArena(t, dir, "p1500a", 1500, "[graphs, dp]"),
		withArena(t, dir, "p1500b", 1500, "[Math, binary search]"),
		withArena(t, dir, "p2400", 2400, "[graphs, trees]"),
		withArena(t, dir, "unrated", 0, "[math]"),
		copyPackage(t, filepath.Join(fixtures, "draft_average"), dir, "draft_average"),
		copyPackage(t, filepath.Join(fixtures, "interactive_guess"), dir, "interactive_guess"),
	}
	for _, src := range srcs {
		if _, err := e.cat.Import(ctx, src, problem.ImportOptions{}); err != nil {
			t.Fatalf("import %s: %v", src, err)
		}
	}
}

func TestListProblemsHTTP(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	all := []string{"p800", "draft_average", "p1500a", "p1500b", "p2400", "interactive_guess", "unrated"}
	tests := []struct {
		query string
		want  []string
		total int
	}{
		{"", all, 7},
		{"?min_difficulty=900&max_difficulty=1500", []string{"draft_average", "p1500a", "p1500b"}, 3},
		{"?min_difficulty=1600", []string{"p2400"}, 1},
		{"?tag=graphs", []string{"p1500a", "p2400"}, 2},
		{"?tag=MATH", []string{"draft_average", "p1500b", "unrated"}, 3},
		{"?tag=graphs&tag=trees", []string{"p2400"}, 1},
		{"?tag=graphs,dp", []string{"p1500a"}, 1},
		{"?tag=binary%20search", []string{"p1500b"}, 1},
		{"?tag=nope", []string{}, 0},
		{"?limit=2", all[:2], 7},
		{"?limit=2&offset=2", all[2:4], 7},
		{"?limit=3&offset=6", all[6:], 7},
		{"?offset=50", []string{}, 7},
	}
	for _, tt := range tests {
		r := e.get("/api/v1/problems" + tt.query)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", tt.query, r.status, r.body)
		}
		var got protocol.ProblemList
		r.json(t, &got)
		ids := []string{}
		for _, p := range got.Problems {
			ids = append(ids, p.ID)
		}
		if !slices.Equal(ids, tt.want) || got.Total != tt.total {
			t.Errorf("%s: %v (total %d), want %v (total %d)", tt.query, ids, got.Total, tt.want, tt.total)
		}
	}
	var first protocol.ProblemList
	e.get("/api/v1/problems?limit=1").json(t, &first)
	if p := first.Problems[0]; p.Name != "Any Divisor" || p.Difficulty != 800 || !slices.Equal(p.Tags, []string{"greedy"}) ||
		p.MemoryMiB != 256 || p.Version != 1 || first.Limit != 1 {
		t.Errorf("list item = %+v", first)
	}
	if strings.Contains(string(e.get("/api/v1/problems").body), "O(sqrt n)") {
		t.Error("the list shows the intended complexity")
	}
	for _, q := range []string{"?limit=0", "?limit=101", "?offset=-1", "?min_difficulty=abc", "?min_difficulty=2000&max_difficulty=1000",
		"?tag=a,b,c,d,e,f,g,h,i,j,k"} {
		if r := e.get("/api/v1/problems" + q); r.status != 400 || r.code() != "invalid_request" {
			t.Errorf("%s: %d %s, want 400 invalid_request", q, r.status, r.body)
		}
	}
	// A disabled problem leaves the list; its statement stays reachable
	// for the matches played on it. Only admins switch it.
	off := []byte(`{"enabled":false}`)
	if r := e.do("PUT", "/api/v1/admin/problems/p800/enabled", e.player, "application/json", off); r.status != 403 {
		t.Errorf("player disables: %d", r.status)
	}
	for body, code := range map[string]string{`{}`: "invalid_request", `{"enabled":"no"}`: "invalid_json", `{"x":1}`: "unknown_field"} {
		if r := e.do("PUT", "/api/v1/admin/problems/p800/enabled", e.admin, "application/json", []byte(body)); r.status != 400 || r.code() != code {
			t.Errorf("%s: %d %s, want 400 %s", body, r.status, r.body, code)
		}
	}
	if r := e.do("PUT", "/api/v1/admin/problems/nope/enabled", e.admin, "application/json", off); r.status != 404 {
		t.Errorf("disable unknown: %d", r.status)
	}
	if r := e.do("PUT", "/api/v1/admin/problems/p800/enabled", e.admin, "application/json", off); r.status != 200 {
		t.Fatalf("admin disables: %d %s", r.status, r.body)
	}
	var after protocol.ProblemList
	e.get("/api/v1/problems").json(t, &after)
	if after.Total != 6 || after.Problems[0].ID != "draft_average" {
		t.Errorf("after disabling p800: %+v", after)
	}
	if r := e.get("/api/v1/problems/p800"); r.status != 200 {
		t.Errorf("disabled problem's page: %d", r.status)
	}
	e.do("PUT", "/api/v1/admin/problems/p800/enabled", e.admin, "application/json", []byte(`{"enabled":true}`))
	var back protocol.ProblemList
	e.get("/api/v1/problems").json(t, &back)
	if back.Total != 7 {
		t.Errorf("after enabling again: total %d", back.Total)
	}
}

func TestProblemPageHTTP(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	r := e.get("/api/v1/problems/draft_average")
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var p protocol.ProblemPage
	r.json(t, &p)
	if p.ID != "draft_average" || p.Version != 1 || p.LatestVersion != 1 || p.Lang != "en" ||
		!slices.Equal(p.Statements, []string{"en", "sv"}) || len(p.Samples) != 2 || p.Difficulty != 900 ||
		!slices.Equal(p.Tags, []string{"math", "floats"}) || p.Interactive {
		t.Fatalf("page = %+v", p)
	}
	if !strings.Contains(p.Statement, "](/api/v1/problems/draft_average/assets/plot.png?version=1)") {
		t.Errorf("statement image not rewritten:\n%s", p.Statement)
	}
	if len(p.Assets) != 1 || p.Assets[0].URL != "/api/v1/problems/draft_average/assets/plot.png?version=1" {
		t.Errorf("assets = %+v", p.Assets)
	}
	if strings.Contains(string(r.body), "complexity") {
		t.Errorf("the page shows the intended complexity: %s", r.body)
	}
	ids := []string{}
	for _, l := range p.Languages {
		ids = append(ids, l.ID)
	}
	if !slices.Contains(ids, "python") || !slices.Contains(ids, "cpp") {
		t.Errorf("languages = %v", ids)
	}
	var sv protocol.ProblemPage
	e.get("/api/v1/problems/draft_average?lang=sv").json(t, &sv)
	if sv.Lang != "sv" || sv.Statement == p.Statement {
		t.Errorf("lang=sv gave %s", sv.Lang)
	}

	var ig protocol.ProblemPage
	e.get("/api/v1/problems/interactive_guess").json(t, &ig)
	if !ig.Interactive || len(ig.Samples) == 0 || len(ig.Samples[0].Transcript) != 6 ||
		ig.Samples[0].Transcript[0].Text != "500" || ig.Samples[0].Transcript[0].FromSubmission != true {
		t.Errorf("interactive page samples = %+v", ig.Samples)
	}

	// A new version; the old one stays reachable by number.
	src := copyPackage(t, filepath.Join(fixtures, "draft_average"), t.TempDir(), "draft_average")
	os.WriteFile(filepath.Join(src, "statement", "problem.en.md"), []byte("# Changed\n\n![plot](plot.png)\n"), 0o644)
	if _, err := e.cat.Import(context.Background(), src, problem.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var v2, v1 protocol.ProblemPage
	e.get("/api/v1/problems/draft_average").json(t, &v2)
	e.get("/api/v1/problems/draft_average?version=1").json(t, &v1)
	if v2.Version != 2 || !strings.Contains(v2.Statement, "# Changed") || !strings.Contains(v2.Statement, "plot.png?version=2") {
		t.Errorf("newest = v%d %q", v2.Version, v2.Statement)
	}
	if v1.Version != 1 || v1.LatestVersion != 2 || v1.Statement != p.Statement {
		t.Errorf("version 1 = v%d", v1.Version)
	}

	for path, want := range map[string]int{
		"/api/v1/problems/nope":                     404,
		"/api/v1/problems/UPPER":                    404,
		"/api/v1/problems/draft_average?version=9":  404,
		"/api/v1/problems/draft_average?version=x":  400,
		"/api/v1/problems/draft_average?version=-1": 400,
	} {
		if r := e.get(path); r.status != want {
			t.Errorf("%s: %d %s, want %d", path, r.status, r.body, want)
		}
	}
}

func TestAssetsHTTP(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	want, _ := os.ReadFile(filepath.Join(fixtures, "draft_average", "statement", "plot.png"))
	r := e.get("/api/v1/problems/draft_average/assets/plot.png")
	if r.status != 200 || !bytes.Equal(r.body, want) {
		t.Fatalf("asset: %d, %d bytes (want %d)", r.status, len(r.body), len(want))
	}
	h := r.header
	if h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") || h.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("headers = %v", h)
	}
	if r := e.get("/api/v1/problems/draft_average/assets/plot.png?version=1"); r.status != 200 ||
		!strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("versioned asset: %d %v", r.status, r.header.Get("Cache-Control"))
	}
	// Traversal and non-assets: all 404, nothing of the package leaks.
	for _, path := range []string{
		"/api/v1/problems/draft_average/assets/..%2Fproblem.yaml",
		"/api/v1/problems/draft_average/assets/%2e%2e%2fproblem.yaml",
		"/api/v1/problems/draft_average/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
		"/api/v1/problems/draft_average/assets/%2Fetc%2Fpasswd",
		"/api/v1/problems/draft_average/assets/../problem.yaml",
		"/api/v1/problems/draft_average/assets/problem.en.md",
		"/api/v1/problems/draft_average/assets/.plot.png",
		"/api/v1/problems/draft_average/assets/nothere.png",
		"/api/v1/problems/draft_average/assets/plot.png%00.md",
		"/api/v1/problems/..%2F..%2Fetc/assets/passwd.png",
		"/api/v1/problems/nope/assets/plot.png",
		"/api/v1/problems/draft_average/assets/plot.png?version=7",
	} {
		r := e.get(path)
		if r.status != 404 || strings.Contains(string(r.body), "problem_format_version") || strings.Contains(string(r.body), "root:") {
			t.Errorf("%s: %d %q, want 404", path, r.status, r.body)
		}
	}
}

func multipartZip(t *testing.T, zip []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("note", "hello")
	fw, err := mw.CreateFormFile("package", "pkg.zip")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(zip)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func TestUploadHTTP(t *testing.T) {
	e := newEnv(t)
	divisor := filepath.Join(fixtures, "legacy_divisor")
	good := zipDir(t, divisor, "uploaded")

	if r := e.do("POST", "/api/v1/admin/problems", "", "application/zip", good); r.status != 401 {
		t.Errorf("anonymous upload: %d", r.status)
	}
	if r := e.do("POST", "/api/v1/admin/problems", e.player, "application/zip", good); r.status != 403 || r.code() != "forbidden" {
		t.Errorf("player upload: %d %s", r.status, r.body)
	}

	r := e.upload("", good)
	var up protocol.ProblemUpload
	r.json(t, &up)
	if r.status != 201 || up.ID != "uploaded" || up.Version != 1 || !up.Created || len(up.SHA256) != 64 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	if r := e.upload("", good); r.status != 200 || !strings.Contains(string(r.body), `"created":false`) {
		t.Errorf("same upload again: %d %s", r.status, r.body)
	}
	if r := e.get("/api/v1/problems/uploaded"); r.status != 200 {
		t.Errorf("uploaded problem page: %d", r.status)
	}
	sv, err := e.st.ProblemVersion(context.Background(), "uploaded", 1)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := e.st.UserByUsername(context.Background(), "root")
	if sv.ImportedBy != u.ID {
		t.Errorf("imported_by = %d, want the admin %d", sv.ImportedBy, u.ID)
	}

	root := zipDir(t, divisor, "")
	if r := e.upload("", root); r.status != 400 || r.code() != "missing_id" {
		t.Errorf("root layout without id: %d %s", r.status, r.body)
	}
	if r := e.upload("?id=rooted", root); r.status != 201 || !strings.Contains(string(r.body), `"id":"rooted"`) {
		t.Errorf("root layout with id: %d %s", r.status, r.body)
	}
	if r := e.upload("?id=other", good); r.status != 400 || r.code() != "id_mismatch" {
		t.Errorf("id mismatch: %d %s", r.status, r.body)
	}
	if r := e.upload("?id=Bad/Id", good); r.status != 400 || r.code() != "invalid_request" {
		t.Errorf("bad id: %d %s", r.status, r.body)
	}
	form, ctype := multipartZip(t, zipDir(t, divisor, "formed"))
	if r := e.do("POST", "/api/v1/admin/problems", e.admin, ctype, form); r.status != 201 {
		t.Errorf("multipart upload: %d %s", r.status, r.body)
	}
	before := e.versions()
	cacheBefore, _ := os.ReadDir(filepath.Join(e.dataDir, "problem-cache"))

	// Bad uploads: a clear code, nothing stored.
	dotdot, _ := os.ReadFile(filepath.Join(fixtures, "zips", "dotdot.zip"))
	symlink, _ := os.ReadFile(filepath.Join(fixtures, "zips", "symlink.zip"))
	e.cat.Limits = problem.ArchiveLimits{MaxFiles: 1000, MaxFileBytes: 1 << 20, MaxTotalBytes: 4 << 20}
	yaml := []byte("name: Big\n")
	huge := makeZip(t, []zipEntry{
		{name: "big/problem.yaml", body: yaml},
		{name: "big/data/secret/1.in", body: make([]byte, 2<<20)}, // 2 KiB compressed, 2 MiB unpacked
	})
	bomb := []zipEntry{{name: "bomb/problem.yaml", body: yaml}}
	for i := range 6 {
		bomb = append(bomb, zipEntry{name: "bomb/data/secret/" + itoa(i) + ".in", body: make([]byte, 900<<10)})
	}
	handDotdot := makeZip(t, []zipEntry{{name: "evil/problem.yaml", body: yaml}, {name: "evil/../../../tmp/pwned", body: yaml}})
	handLink := makeZip(t, []zipEntry{{name: "lnk/problem.yaml", body: yaml}, {name: "lnk/data", body: []byte("/etc"), mode: os.ModeSymlink | 0o777}})
	absolute := makeZip(t, []zipEntry{{name: "/etc/cron.d/x", body: yaml}})
	broken := zipDir(t, filepath.Join(fixtures, "broken_yaml"), "broken")
	missing := zipDir(t, filepath.Join(fixtures, "missing_data"), "missing")
	tests := []struct {
		name, ctype string
		body        []byte
		status      int
		code, msg   string
	}{
		{"dotdot fixture", "application/zip", dotdot, 400, "bad_archive", "escapes"},
		{"symlink fixture", "application/zip", symlink, 400, "bad_archive", "symbolic link"},
		{"dotdot", "application/zip", handDotdot, 400, "bad_archive", "escapes"},
		{"symlink", "application/zip", handLink, 400, "bad_archive", "symbolic link"},
		{"absolute", "application/zip", absolute, 400, "bad_archive", "absolute"},
		{"huge file", "application/zip", huge, 400, "bad_archive", "limit"},
		{"over total", "application/zip", makeZip(t, bomb), 400, "bad_archive", "total"},
		{"broken yaml", "application/zip", broken, 400, "bad_yaml", "problem.yaml"},
		{"missing data", "application/zip", missing, 400, "missing", "data"},
		{"not a zip", "application/zip", []byte("this is not a zip"), 400, "bad_archive", "zip"},
		{"empty", "application/zip", nil, 400, "bad_archive", "zip"},
		{"text body", "text/plain", good, 415, "unsupported_media_type", ""},
		{"form without file", "multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n"), 400, "invalid_request", "file"},
	}
	for _, tt := range tests {
		r := e.do("POST", "/api/v1/admin/problems", e.admin, tt.ctype, tt.body)
		if r.status != tt.status || r.code() != tt.code || !strings.Contains(string(r.body), tt.msg) {
			t.Errorf("%s: %d %s, want %d %s mentioning %q", tt.name, r.status, r.body, tt.status, tt.code, tt.msg)
		}
		if strings.Contains(string(r.body), "segfault-upload-") || strings.Contains(string(r.body), "segfault-import-") {
			t.Errorf("%s: the error names a temporary directory: %s", tt.name, r.body)
		}
	}
	var be struct {
		Error struct {
			Issues []errcode.Issue `json:"issues"`
		} `json:"error"`
	}
	e.upload("", broken).json(t, &be)
	if len(be.Error.Issues) == 0 || be.Error.Issues[0].Code != "bad_yaml" {
		t.Errorf("broken yaml issues = %+v", be.Error.Issues)
	}

	e.cat.MaxUpload = 64 << 10
	big := make([]byte, 100<<10)
	if r := e.upload("", big); r.status != 413 || r.code() != "body_too_large" {
		t.Errorf("over the upload limit: %d %s", r.status, r.body)
	}
	// Chunked (no Content-Length): the limit still holds.
	req, _ := http.NewRequest("POST", e.url+"/api/v1/admin/problems", struct{ *bytes.Reader }{bytes.NewReader(big)})
	req.AddCookie(&http.Cookie{Name: "sf_session", Value: e.admin})
	req.Header.Set("Content-Type", "application/zip")
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 413 {
		t.Errorf("chunked over the limit: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	e.cat.MaxUpload = DefaultMaxUpload

	if r := e.upload("?verify=true", good); r.status != 400 || r.code() != "verify_unavailable" {
		t.Errorf("verify without a judge: %d %s", r.status, r.body)
	}
	if r := e.upload("?verify=maybe", good); r.status != 400 || r.code() != "invalid_request" {
		t.Errorf("verify=maybe: %d %s", r.status, r.body)
	}
	if after := e.versions(); after != before {
		t.Errorf("%d versions after bad uploads, want %d", after, before)
	}
	cacheAfter, _ := os.ReadDir(filepath.Join(e.dataDir, "problem-cache"))
	if len(cacheAfter) != len(cacheBefore) {
		t.Errorf("cache has %d entries after bad uploads, want %d", len(cacheAfter), len(cacheBefore))
	}
	if _, err := os.Stat("/tmp/pwned"); err == nil {
		t.Error("/tmp/pwned exists")
	}
}

// TestUploadVerified runs real verification (judge on the bare runtime,
// as the problem command's tests do): a good package stores the derived
// time limit, a package whose validator does not compile is refused.
func TestUploadVerified(t *testing.T) {
	if testing.Short() {
		t.Skip("judges submissions")
	}
	rt, err := sandbox.New("bare", sandbox.Options{})
	if err != nil {
		t.Skip(err)
	}
	j, err := judge.New(rt, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	e.cat.Verify = verify.ImportCheck(j, verify.Options{}, nil)

	r := e.upload("?verify=true", zipDir(t, filepath.Join(fixtures, "draft_average"), "draft_average"))
	var up protocol.ProblemUpload
	r.json(t, &up)
	if r.status != 201 || !up.Verified || up.TimeLimitMS <= 0 {
		t.Fatalf("verified upload: %d %s", r.status, r.body)
	}
	r = e.upload("?verify=true", zipDir(t, filepath.Join(fixtures, "bad_validator"), "bad_validator"))
	if r.status != 400 || r.code() != "verify_failed" {
		t.Fatalf("bad validator: %d %s", r.status, r.body)
	}
	if _, err := e.cat.Version(context.Background(), "bad_validator", 0); err == nil {
		t.Fatal("a package that failed verification was stored")
	}
}
