package catalog

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/segfaultarena/segfault/internal/auth"
	"github.com/segfaultarena/segfault/internal/httpapi"
	"github.com/segfaultarena/segfault/internal/problem"

	"github.com/segfaultarena/segfault/internal/store"
	"github.com/segfaultarena/segfault/internal/store/postgres"
	"github.com/segfaultarena/segfault/internal/store/sqlite"
)

// fixtures are the problem format's test packages (finished, stable).
const fixtures = "../problem/testdata"

// newPostgres returns a migrated PostgreSQL store in a schema of its own
// (SEGFAULT_TEST_PG, default the machine's test database), dropped at the
// end; skipped when the server is unreachable outside CI.
func newPostgres(t *testing.T) *postgres.Store {
	t.Helper()
	dsn := os.Getenv("SEGFAULT_TEST_PG")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL unreachable: %v", err)
		}
		t.Skipf("PostgreSQL unreachable: %v", err)
	}
	defer conn.Close(context.Background())
	b := make([]byte, 8)
	rand.Read(b)
	schema := "segfault_catalog_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := postgres.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

func newStore(t *testing.T) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "segfault.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

// copyPackage copies a package directory to dir/name.
func copyPackage(t *testing.T, src, dir, name string) string {
	t.Helper()
	dst := filepath.Join(dir, name)
	if err := problem.CopyTree(src, dst); err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
	return dst
}

// withArena copies legacy_divisor as name with the given difficulty and tags.
func withArena(t *testing.T, dir, name string, difficulty int, tags string) string {
	t.Helper()
	p := copyPackage(t, filepath.Join(fixtures, "legacy_divisor"), dir, name)
	yaml := "tags: " + tags + "\ncomplexity:\n  time: O(sqrt n)\n  space: O(1)\n"
	if difficulty > 0 {
		yaml = "difficulty: " + itoa(difficulty) + "\n" + yaml
	}
	if err := os.WriteFile(filepath.Join(p, "arena.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

type zipEntry struct {
	name string
	body []byte
	mode fs.FileMode // 0 = regular 0644
}

func makeZip(t *testing.T, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		mode := e.mode
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipDir zips a package directory under prefix/ (as `zip -r`).
func zipDir(t *testing.T, dir, prefix string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := problem.WriteZip(dir, prefix, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type testEnv struct {
	t       *testing.T
	st      *sqlite.Store
	cat     *Catalog
	api     *httpapi.Server
	url     string
	dataDir string
	admin   string // session tokens
	player  string
}

// newEnv runs the real API with the catalog mounted on loopback, a real
// SQLite store, an admin and a player.
func newEnv(t *testing.T) *testEnv {
	t.Helper()
	st := newStore(t)
	e := &testEnv{t: t, st: st, dataDir: t.TempDir()}
	e.cat = New(st, e.dataDir, nil)
	ts := httptest.NewUnstartedServer(nil)
	e.url = "http://" + ts.Listener.Addr().String()
	api, err := httpapi.New(httpapi.Options{
		Store: st, PublicURL: e.url,
		Auth: auth.Options{
			Password:     auth.PasswordParams{Time: 1, MemoryKiB: 1024, Threads: 1, KeyLen: 32, SaltLen: 16},
			IPRate:       auth.RateLimit{Burst: -1},
			UserRate:     auth.RateLimit{Burst: -1},
			RegisterRate: auth.RateLimit{Burst: -1},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	api.MountProblems(e.cat)
	e.api = api
	ts.Config.Handler = api
	ts.Start()
	t.Cleanup(ts.Close)
	e.admin = e.login("root", store.RoleAdmin)
	e.player = e.login("pat", store.RolePlayer)
	return e
}

func (e *testEnv) login(name string, role store.Role) string {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.api.Auth().CreateUser(ctx, name, "correct-horse-battery", role); err != nil {
		e.t.Fatal(err)
	}
	_, tok, err := e.api.Auth().Login(ctx, name, "correct-horse-battery", auth.Client{IP: "127.0.0.1"}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// code is the stable error code of a JSON error response.
func (r response) code() string {
	var b struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(r.body, &b)
	return b.Error.Code
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (e *testEnv) do(method, path, token, ctype string, body []byte) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "sf_session", Value: token})
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (e *testEnv) get(path string) response { return e.do("GET", path, "", "", nil) }

// upload posts a zip as an admin.
func (e *testEnv) upload(query string, zip []byte) response {
	return e.do("POST", "/api/v1/admin/problems"+query, e.admin, "application/zip", zip)
}

// versions counts stored versions of every problem.
func (e *testEnv) versions() int64 {
	e.t.Helper()
	var n int64
	ids, err := e.cat.Problems(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, id := range ids {
		vs, err := e.st.ProblemVersions(context.Background(), id)
		if err != nil {
			e.t.Fatal(err)
		}
		n += int64(len(vs))
	}
	return n
}
