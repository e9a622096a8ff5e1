package storetest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/store"
)

// testTimelines: chunks are appended per match and player, read back by
// user then in append order, compacted in one transaction (chunks
// appended after the compaction point stay, after it), refused for an
// unknown match or user, and gone with their match.
func testTimelines(t *testing.T, s Harness) {
	var tl store.Timelines = s
	c := ctx(t)
	ada, bob := mustUser(t, s, "ada"), mustUser(t, s, "bob")
	t0 := time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)
	m := store.ArenaMatch{ID: "tm1", Mode: "ranked", State: "running", CreatedAt: t0,
		Players: []store.ArenaPlayer{{UserID: ada.ID, RatingBefore: 1500, RDBefore: 350}, {UserID: bob.ID, RatingBefore: 1500, RDBefore: 350}}}
	if err := s.CreateMatch(c, m); err != nil {
		t.Fatalf("CreateMatch: %v", err)
	}
	if got, err := tl.MatchTimelines(c, "tm1"); err != nil || len(got) != 0 {
		t.Fatalf("MatchTimelines of a match without timelines = %v, %v; want none", got, err)
	}
	blob := func(s string) []byte { return append([]byte{0, 0xff}, s...) } // binary, with a NUL
	for _, w := range []struct {
		user int64
		data string
	}{{bob.ID, "b1"}, {ada.ID, "a1"}, {ada.ID, "a2"}, {bob.ID, "b2"}, {ada.ID, "a3"}} {
		if err := tl.AppendTimeline(c, "tm1", w.user, blob(w.data)); err != nil {
			t.Fatalf("AppendTimeline %s: %v", w.data, err)
		}
	}
	wantErr(t, "AppendTimeline unknown match", tl.AppendTimeline(c, "nope", ada.ID, blob("x")), store.ErrNotFound)
	wantErr(t, "AppendTimeline unknown user", tl.AppendTimeline(c, "tm1", 999999, blob("x")), store.ErrNotFound)

	read := func() (ids []int64, datas []string) {
		t.Helper()
		got, err := tl.MatchTimelines(c, "tm1")
		if err != nil {
			t.Fatalf("MatchTimelines: %v", err)
		}
		for _, ch := range got {
			if ch.MatchID != "tm1" || ch.CreatedAt.IsZero() || !bytes.HasPrefix(ch.Data, []byte{0, 0xff}) {
				t.Fatalf("chunk %+v", ch)
			}
			ids = append(ids, ch.ID)
			datas = append(datas, string(ch.Data[2:])+"@"+map[int64]string{ada.ID: "ada", bob.ID: "bob"}[ch.UserID])
		}
		return ids, datas
	}
	ids, datas := read()
	want := []string{"a1@ada", "a2@ada", "a3@ada", "b1@bob", "b2@bob"}
	if ada.ID > bob.ID {
		want = append(want[3:], want[:3]...)
	}
	if !equalStrings(datas, want) {
		t.Fatalf("chunks %v, want %v (by user, in append order)", datas, want)
	}

	// Compact ada's first two chunks: a3 (appended "meanwhile") stays after.
	adaIDs := ids[:3]
	if ada.ID > bob.ID {
		adaIDs = ids[2:]
	}
	if err := tl.CompactTimeline(c, "tm1", ada.ID, adaIDs[1], blob("A12")); err != nil {
		t.Fatalf("CompactTimeline: %v", err)
	}
	_, datas = read()
	want = []string{"A12@ada", "a3@ada", "b1@bob", "b2@bob"}
	if ada.ID > bob.ID {
		want = append(want[2:], want[:2]...)
	}
	if !equalStrings(datas, want) {
		t.Fatalf("after compaction %v, want %v", datas, want)
	}
	// Compacting up to an id before the player's chunks changes nothing.
	if err := tl.CompactTimeline(c, "tm1", bob.ID, 0, blob("none")); err != nil {
		t.Fatalf("CompactTimeline of nothing: %v", err)
	}
	if _, d := read(); !equalStrings(d, want) {
		t.Fatalf("a compaction of nothing changed %v to %v", want, d)
	}

	if err := s.RawExec(c, "DELETE FROM matches WHERE id = ?", "tm1"); err != nil {
		t.Fatalf("delete match: %v", err)
	}
	if n := count(t, s, "SELECT COUNT(*) FROM match_timelines"); n != 0 {
		t.Fatalf("%d timeline chunks outlived their match", n)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// testProblemSubmissions: a problem's submissions, newest first, limited,
// no other problem's.
func testProblemSubmissions(t *testing.T, s Harness) {
	c := ctx(t)
	u := mustUser(t, s, "prob_subs")
	t0 := time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)
	for i, p := range []string{"p1", "p2", "p1", "p1"} {
		n := newSub(fmt.Sprintf("ps%d", i), u.ID, t0.Add(time.Duration(i)*time.Second))
		n.ProblemID = p
		if _, err := s.CreateSubmission(c, n, 0); err != nil {
			t.Fatalf("CreateSubmission: %v", err)
		}
	}
	got, err := s.ProblemSubmissions(c, "p1", 2)
	if err != nil || len(got) != 2 || got[0].ID != "ps3" || got[1].ID != "ps2" || string(got[0].Source) == "" {
		t.Fatalf("ProblemSubmissions(p1, 2) = %v, %v; want ps3, ps2 with their code", got, err)
	}
	if got, err := s.ProblemSubmissions(c, "none", 10); err != nil || len(got) != 0 {
		t.Fatalf("a problem without submissions: %v, %v", got, err)
	}
}
