package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// runProblems is the store.Problems part of the suite (issue 4).
func runProblems(t *testing.T, fresh func(t *testing.T) Harness) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s Harness, p store.Problems)
	}{
		{"Versioning", testProblemVersioning},
		{"Invalid", testProblemInvalid},
		{"UUID", testProblemUUID},
		{"List", testListProblems},
		{"ConcurrentSave", testProblemConcurrentSave},
		{"ImporterDeleted", testProblemImporterDeleted},
	}
	for _, c := range cases {
		t.Run("Problems/"+c.name, func(t *testing.T) {
			t.Parallel()
			s := fresh(t)
			p, ok := s.(store.Problems)
			if !ok {
				t.Fatalf("%T does not implement store.Problems", s)
			}
			c.fn(t, s, p)
		})
	}
}

func shaOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func newProblemVersion(id, content string) (store.ProblemVersion, []byte) {
	return store.ProblemVersion{ProblemID: id, SHA256: shaOf(content), Name: "Name of " + id,
		Difficulty: 1200, Tags: []string{"Graphs", "dp"}, ComplexityTime: "O(n log n)", ComplexitySpace: "O(n)",
		TimeLimit: 1500 * time.Millisecond, MemoryMiB: 256}, []byte("PK zip of " + content)
}

func mustSaveProblem(t *testing.T, p store.Problems, v store.ProblemVersion, zip []byte, wantCreated bool) store.ProblemVersion {
	t.Helper()
	got, created, err := p.SaveProblemVersion(ctx(t), v, zip)
	if err != nil {
		t.Fatalf("SaveProblemVersion(%s, %s): %v", v.ProblemID, v.SHA256[:8], err)
	}
	if created != wantCreated {
		t.Fatalf("SaveProblemVersion(%s, %s): created = %v, want %v", v.ProblemID, v.SHA256[:8], created, wantCreated)
	}
	return got
}

func testProblemVersioning(t *testing.T, s Harness, p store.Problems) {
	c := ctx(t)
	u := mustUser(t, s, "importer")
	t0 := now()
	v1in, zip1 := newProblemVersion("two-sum", "v1")
	v1in.UUID, v1in.ImportedBy, v1in.ImportedAt = "0b7a2c3e-1111-4222-8333-444455556666", u.ID, t0
	v1in.Interactive, v1in.Scoring = true, false
	v1 := mustSaveProblem(t, p, v1in, zip1, true)
	want := v1in
	want.ID, want.Version, want.PackageBytes, want.Enabled, want.LatestVersion = v1.ID, 1, int64(len(zip1)), true, 1
	if !reflect.DeepEqual(v1, want) {
		t.Fatalf("saved v1 = %+v\nwant      %+v", v1, want)
	}

	// Same content again: the same version, nothing new.
	again := mustSaveProblem(t, p, v1in, zip1, false)
	if again.ID != v1.ID || again.Version != 1 {
		t.Fatalf("re-save of equal content = %+v, want version 1", again)
	}

	// Changed content: version 2; version 1 stays as it was.
	v2in, zip2 := newProblemVersion("two-sum", "v2")
	v2in.UUID, v2in.Tags, v2in.Difficulty = v1in.UUID, nil, 0
	v2 := mustSaveProblem(t, p, v2in, zip2, true)
	if v2.Version != 2 || v2.LatestVersion != 2 || v2.Difficulty != 0 || len(v2.Tags) != 0 || v2.Tags == nil {
		t.Fatalf("v2 = %+v", v2)
	}
	if v2.ImportedAt.IsZero() || time.Since(v2.ImportedAt) > time.Minute {
		t.Fatalf("v2 imported at %v, want now", v2.ImportedAt)
	}
	old, err := p.ProblemVersion(c, "two-sum", 1)
	if err != nil {
		t.Fatalf("ProblemVersion(1): %v", err)
	}
	want.LatestVersion = 2
	if !reflect.DeepEqual(old, want) {
		t.Fatalf("v1 after v2 = %+v\nwant          %+v", old, want)
	}
	newest, err := p.ProblemVersion(c, "two-sum", 0)
	if err != nil || newest.ID != v2.ID {
		t.Fatalf("ProblemVersion(0) = %+v, %v; want v2", newest, err)
	}
	byID, err := p.ProblemVersionByID(c, v1.ID)
	if err != nil || !reflect.DeepEqual(byID, want) {
		t.Fatalf("ProblemVersionByID = %+v, %v", byID, err)
	}
	for id, zip := range map[int64][]byte{v1.ID: zip1, v2.ID: zip2} {
		got, err := p.ProblemPackage(c, id)
		if err != nil || !bytes.Equal(got, zip) {
			t.Fatalf("ProblemPackage(%d) = %q, %v; want %q", id, got, err, zip)
		}
	}

	// Back to the content of version 1: a new version (the newest is what
	// was imported last), sharing the stored zip.
	v3 := mustSaveProblem(t, p, v1in, zip1, true)
	if v3.Version != 3 || v3.SHA256 != v1.SHA256 {
		t.Fatalf("v3 = %+v", v3)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM problem_packages"); n != 2 {
		t.Fatalf("%d stored zips for 2 distinct contents, want 2", n)
	}
	vs, err := p.ProblemVersions(c, "two-sum")
	if err != nil || len(vs) != 3 {
		t.Fatalf("ProblemVersions = %d, %v", len(vs), err)
	}
	for i, v := range vs {
		if v.Version != i+1 {
			t.Fatalf("ProblemVersions[%d].Version = %d", i, v.Version)
		}
	}

	wantErr(t, "unknown problem", func() error { _, err := p.ProblemVersion(c, "nope", 0); return err }(), store.ErrNotFound)
	wantErr(t, "unknown version", func() error { _, err := p.ProblemVersion(c, "two-sum", 9); return err }(), store.ErrNotFound)
	wantErr(t, "unknown id", func() error { _, err := p.ProblemVersionByID(c, 1<<40); return err }(), store.ErrNotFound)
	wantErr(t, "unknown package", func() error { _, err := p.ProblemPackage(c, 1<<40); return err }(), store.ErrNotFound)
	wantErr(t, "versions of unknown", func() error { _, err := p.ProblemVersions(c, "nope"); return err }(), store.ErrNotFound)

	// Disabling hides the problem from listings but keeps its versions.
	if err := p.SetProblemEnabled(c, "two-sum", false); err != nil {
		t.Fatalf("SetProblemEnabled: %v", err)
	}
	if got, err := p.ProblemVersion(c, "two-sum", 1); err != nil || got.Enabled {
		t.Fatalf("disabled problem's v1 = %+v, %v", got, err)
	}
	wantErr(t, "enable unknown", p.SetProblemEnabled(c, "nope", true), store.ErrNotFound)
}

func testProblemInvalid(t *testing.T, s Harness, p store.Problems) {
	good, zip := newProblemVersion("ok", "x")
	tests := []struct {
		name string
		edit func(v *store.ProblemVersion, zip *[]byte)
	}{
		{"upper-case id", func(v *store.ProblemVersion, _ *[]byte) { v.ProblemID = "TwoSum" }},
		{"empty id", func(v *store.ProblemVersion, _ *[]byte) { v.ProblemID = "" }},
		{"path id", func(v *store.ProblemVersion, _ *[]byte) { v.ProblemID = "../etc" }},
		{"leading dash", func(v *store.ProblemVersion, _ *[]byte) { v.ProblemID = "-x" }},
		{"long id", func(v *store.ProblemVersion, _ *[]byte) { v.ProblemID = string(bytes.Repeat([]byte("a"), 65)) }},
		{"short sha", func(v *store.ProblemVersion, _ *[]byte) { v.SHA256 = "abc" }},
		{"upper sha", func(v *store.ProblemVersion, _ *[]byte) { v.SHA256 = "A" + v.SHA256[1:] }},
		{"empty zip", func(_ *store.ProblemVersion, z *[]byte) { *z = nil }},
		{"negative limit", func(v *store.ProblemVersion, _ *[]byte) { v.TimeLimit = -time.Second }},
	}
	for _, tt := range tests {
		v, z := good, zip
		tt.edit(&v, &z)
		_, _, err := p.SaveProblemVersion(ctx(t), v, z)
		wantErr(t, tt.name, err, store.ErrInvalid)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM problems"); n != 0 {
		t.Fatalf("%d problems after invalid saves, want 0", n)
	}
	// The schema refuses bad ids written around the store too (created_at
	// is copied from a user row so the SQL is the same in both dialects).
	u := mustUser(t, s, "schema_check")
	for _, id := range []string{"Bad", "a/b", "-x", "a b", ""} {
		if err := s.RawExec(ctx(t), "INSERT INTO problems (id, created_at) SELECT ?, created_at FROM users WHERE id = ?", id, u.ID); err == nil {
			t.Errorf("schema accepted problem id %q", id)
		}
	}
	if err := s.RawExec(ctx(t), "INSERT INTO problems (id, created_at) SELECT ?, created_at FROM users WHERE id = ?", "fine_id-9", u.ID); err != nil {
		t.Errorf("schema refused a valid id: %v", err)
	}
	// Longest and most varied valid id is fine.
	v := good
	v.ProblemID = "a" + string(bytes.Repeat([]byte("z9_-"), 15)) + "xyz"
	mustSaveProblem(t, p, v, zip, true)
}

func testProblemUUID(t *testing.T, s Harness, p store.Problems) {
	const u1, u2 = "11111111-2222-4333-8444-555555555555", "99999999-2222-4333-8444-555555555555"
	a, zip := newProblemVersion("alpha", "a1")
	a.UUID = u1
	mustSaveProblem(t, p, a, zip, true)
	// Another problem claiming alpha's uuid: refused, nothing created.
	b, zipB := newProblemVersion("beta", "b1")
	b.UUID = u1
	_, _, err := p.SaveProblemVersion(ctx(t), b, zipB)
	wantErr(t, "uuid of another problem", err, store.ErrConflict)
	wantErr(t, "beta after refused save", func() error { _, err := p.ProblemVersion(ctx(t), "beta", 0); return err }(), store.ErrNotFound)
	if n := count(t, s, "SELECT COUNT(*) FROM problems WHERE id = 'beta'"); n != 0 {
		t.Fatal("refused save left a problem row")
	}
	// A new version of alpha with a different uuid: refused.
	a2, zip2 := newProblemVersion("alpha", "a2")
	a2.UUID = u2
	_, _, err = p.SaveProblemVersion(ctx(t), a2, zip2)
	wantErr(t, "changed uuid", err, store.ErrConflict)
	// Without a uuid, or with the same one, fine.
	a2.UUID = ""
	mustSaveProblem(t, p, a2, zip2, true)
	// A problem first imported without a uuid adopts the one it gets later.
	c1, zc := newProblemVersion("gamma", "c1")
	mustSaveProblem(t, p, c1, zc, true)
	c2, zc2 := newProblemVersion("gamma", "c2")
	c2.UUID = u2
	mustSaveProblem(t, p, c2, zc2, true)
	c3, zc3 := newProblemVersion("gamma", "c3")
	c3.UUID = u1
	_, _, err = p.SaveProblemVersion(ctx(t), c3, zc3)
	wantErr(t, "uuid after adoption", err, store.ErrConflict)
}

func testListProblems(t *testing.T, s Harness, p store.Problems) {
	c := ctx(t)
	type def struct {
		id   string
		diff int
		tags []string
	}
	defs := []def{
		{"easy-a", 800, []string{"Math"}},
		{"easy-b", 900, []string{"strings", "greedy"}},
		{"mid-a", 1500, []string{"graphs", "dp"}},
		{"mid-b", 1500, []string{"Binary Search", "math"}},
		{"hard-a", 2400, []string{"graphs", "trees"}},
		{"unrated", 0, []string{"math"}},
	}
	for _, d := range defs {
		v, zip := newProblemVersion(d.id, d.id)
		v.Difficulty, v.Tags = d.diff, d.tags
		mustSaveProblem(t, p, v, zip, true)
	}
	// Only the newest version counts: mid-a loses "dp" in version 2.
	v, zip := newProblemVersion("mid-a", "mid-a v2")
	v.Difficulty, v.Tags = 1500, []string{"graphs"}
	mustSaveProblem(t, p, v, zip, true)
	// A disabled problem is hidden unless asked for.
	v, zip = newProblemVersion("hidden", "hidden")
	v.Difficulty, v.Tags = 1000, []string{"math"}
	mustSaveProblem(t, p, v, zip, true)
	if err := p.SetProblemEnabled(c, "hidden", false); err != nil {
		t.Fatal(err)
	}

	ids := func(vs []store.ProblemVersion) []string {
		out := []string{}
		for _, v := range vs {
			out = append(out, v.ProblemID)
		}
		return out
	}
	tests := []struct {
		name  string
		f     store.ProblemFilter
		want  []string
		total int
	}{
		{"all", store.ProblemFilter{}, []string{"easy-a", "easy-b", "mid-a", "mid-b", "hard-a", "unrated"}, 6},
		{"with disabled", store.ProblemFilter{IncludeDisabled: true}, []string{"easy-a", "easy-b", "hidden", "mid-a", "mid-b", "hard-a", "unrated"}, 7},
		{"range", store.ProblemFilter{MinDifficulty: 900, MaxDifficulty: 1500}, []string{"easy-b", "mid-a", "mid-b"}, 3},
		{"min only", store.ProblemFilter{MinDifficulty: 1501}, []string{"hard-a"}, 1},
		{"max only", store.ProblemFilter{MaxDifficulty: 850}, []string{"easy-a"}, 1},
		{"tag any case", store.ProblemFilter{Tags: []string{"MATH"}}, []string{"easy-a", "mid-b", "unrated"}, 3},
		{"tag with space", store.ProblemFilter{Tags: []string{"binary search"}}, []string{"mid-b"}, 1},
		{"two tags", store.ProblemFilter{Tags: []string{"graphs", "trees"}}, []string{"hard-a"}, 1},
		{"old version tag", store.ProblemFilter{Tags: []string{"dp"}}, []string{}, 0},
		{"tag and range", store.ProblemFilter{Tags: []string{"math"}, MaxDifficulty: 1000}, []string{"easy-a"}, 1},
		{"page 1", store.ProblemFilter{Limit: 2}, []string{"easy-a", "easy-b"}, 6},
		{"page 2", store.ProblemFilter{Limit: 2, Offset: 2}, []string{"mid-a", "mid-b"}, 6},
		{"page past end", store.ProblemFilter{Limit: 2, Offset: 10}, []string{}, 6},
		{"negative offset", store.ProblemFilter{Limit: 1, Offset: -5}, []string{"easy-a"}, 6},
	}
	for _, tt := range tests {
		got, total, err := p.ListProblems(c, tt.f)
		if err != nil {
			t.Fatalf("%s: ListProblems: %v", tt.name, err)
		}
		if !reflect.DeepEqual(ids(got), tt.want) || total != tt.total {
			t.Errorf("%s: got %v (total %d), want %v (total %d)", tt.name, ids(got), total, tt.want, tt.total)
		}
	}
	got, _, err := p.ListProblems(c, store.ProblemFilter{Tags: []string{"graphs"}, MinDifficulty: 1500, MaxDifficulty: 1500})
	if err != nil || len(got) != 1 || got[0].Version != 2 || !reflect.DeepEqual(got[0].Tags, []string{"graphs"}) {
		t.Fatalf("listed mid-a = %+v, %v; want version 2", got, err)
	}
}

// testProblemConcurrentSave: importers racing on one problem (API nodes,
// a CLI import next to a starting server) get distinct, gapless numbers,
// and racing saves of equal content create it once.
func testProblemConcurrentSave(t *testing.T, s Harness, p store.Problems) {
	const n = 8
	other := s.Twin(t).(store.Problems)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := p
			if i%2 == 1 {
				dst = other
			}
			v, zip := newProblemVersion("raced", fmt.Sprint("content ", i))
			_, _, errs[i] = dst.SaveProblemVersion(ctx(t), v, zip)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
	}
	vs, err := p.ProblemVersions(ctx(t), "raced")
	if err != nil || len(vs) != n {
		t.Fatalf("ProblemVersions = %d, %v; want %d", len(vs), err, n)
	}
	seen := map[string]bool{}
	for i, v := range vs {
		if v.Version != i+1 || seen[v.SHA256] {
			t.Fatalf("versions not distinct and gapless: %d has number %d (sha seen: %v)", i, v.Version, seen[v.SHA256])
		}
		seen[v.SHA256] = true
	}

	created := make([]bool, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := p
			if i%2 == 1 {
				dst = other
			}
			v, zip := newProblemVersion("same", "same content")
			_, created[i], errs[i] = dst.SaveProblemVersion(ctx(t), v, zip)
		}()
	}
	wg.Wait()
	nc := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("save %d: %v", i, errs[i])
		}
		if created[i] {
			nc++
		}
	}
	if nc != 1 {
		t.Fatalf("%d saves of equal content created a version, want 1", nc)
	}
}

func testProblemImporterDeleted(t *testing.T, s Harness, p store.Problems) {
	u := mustUser(t, s, "leaver")
	v, zip := newProblemVersion("kept", "k")
	v.ImportedBy = u.ID
	saved := mustSaveProblem(t, p, v, zip, true)
	if saved.ImportedBy != u.ID {
		t.Fatalf("ImportedBy = %d, want %d", saved.ImportedBy, u.ID)
	}
	if err := s.RawExec(ctx(t), "DELETE FROM users WHERE id = ?", u.ID); err != nil {
		t.Fatal(err)
	}
	got, err := p.ProblemVersion(ctx(t), "kept", 1)
	if err != nil || got.ImportedBy != 0 {
		t.Fatalf("after the importer was deleted: %+v, %v; want the version with ImportedBy 0", got, err)
	}
	// An importer that does not exist is refused.
	v2, zip2 := newProblemVersion("kept", "k2")
	v2.ImportedBy = 1 << 40
	if _, _, err := p.SaveProblemVersion(ctx(t), v2, zip2); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown importer: err = %v, want ErrNotFound", err)
	}
}
