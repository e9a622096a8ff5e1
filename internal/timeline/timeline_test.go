package timeline

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// editor is a model of a Monaco editor for the tests: its text in UTF-16
// units, and the content change events Monaco fires for each action (the
// changes of one event against the text before it, in descending offset
// order, as the web client sends them).
type editor struct {
	u []uint16
}

func (ed *editor) text() string { return string(utf16.Decode(ed.u)) }

// edit applies simultaneous, non-overlapping replacements given against
// the current text (as a multi-cursor edit or an undo does) and returns
// the event's changes as the client sends them.
func (ed *editor) edit(cs ...Change) Event {
	slices.SortFunc(cs, func(a, b Change) int { return b.Offset - a.Offset })
	out := slices.Clone(ed.u)
	for _, c := range cs { // descending: earlier offsets are unaffected
		ins := utf16.Encode([]rune(c.Text))
		out = slices.Concat(out[:c.Offset], ins, out[c.Offset+c.Len:])
	}
	ed.u = out
	return Event{Kind: KindEdit, Changes: cs}
}

// offsetOf is the UTF-16 offset of the n-th rune of the text.
func (ed *editor) runeOffset(n int) int {
	rs := utf16.Decode(ed.u)
	return len(utf16.Encode(rs[:n]))
}

func (ed *editor) runes() int { return len(utf16.Decode(ed.u)) }

func TestDocApplyUTF16(t *testing.T) {
	d := NewDoc("héllo 😀 wörld")
	// "😀" is two units: it starts at 6 and "wörld" at 9.
	if d.Len() != 14 {
		t.Fatalf("Len = %d, want 14 (the emoji counts 2)", d.Len())
	}
	if err := d.Apply([]Change{{Offset: 9, Len: 5, Text: "monde"}, {Offset: 6, Len: 2, Text: "🌍🌍"}}); err != nil {
		t.Fatal(err)
	}
	if got := d.String(); got != "héllo 🌍🌍 monde" {
		t.Fatalf("text = %q", got)
	}
	before := d.String()
	for _, bad := range [][]Change{
		{{Offset: -1, Len: 0, Text: "x"}},
		{{Offset: 0, Len: -1}},
		{{Offset: 17, Len: 0, Text: "x"}},
		{{Offset: 10, Len: 8}},
		// The second change meets the text the first left: 3 units shorter.
		{{Offset: 0, Len: 3}, {Offset: 14, Len: 1}},
	} {
		if err := d.Apply(bad); !errors.Is(err, ErrRange) {
			t.Errorf("Apply(%+v) = %v, want ErrRange", bad, err)
		}
		if d.String() != before {
			t.Fatalf("a refused change altered the text: %q", d.String())
		}
	}
}

func TestHashMatchesClientRule(t *testing.T) {
	// FNV-1a over UTF-16 units; these values are what web/src/timeline
	// computes for the same strings (its test checks the same pairs).
	for s, want := range map[string]uint32{"": 2166136261, "a": 0xe40c292c, "😀": 0xcb31c4b8} {
		if got := HashString(s); got != want {
			t.Errorf("HashString(%q) = %#x, want %#x", s, got, want)
		}
	}
}

func TestStamp(t *testing.T) {
	// The last event gets the receipt; earlier ones their client spacing.
	got := Stamp(10_000, 0, 5_000, []int64{100, 150, 400})
	if !slices.Equal(got, []int64{9_700, 9_750, 10_000}) {
		t.Fatalf("Stamp = %v", got)
	}
	// A client claiming its events are an hour old is held to maxSpan.
	got = Stamp(10_000, 0, 5_000, []int64{0, 3_600_000})
	if !slices.Equal(got, []int64{5_000, 10_000}) {
		t.Fatalf("Stamp with a long span = %v", got)
	}
	// Never before the player's previous stamp, even if this node's clock
	// is behind the one that stamped it.
	got = Stamp(10_000, 10_500, 5_000, []int64{0, 10})
	if !slices.Equal(got, []int64{10_500, 10_500}) {
		t.Fatalf("Stamp under the floor = %v", got)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	evs := []Event{
		{At: 1_700_000_000_000, Doc: "d1", Kind: KindOpen, Lang: "python", Text: "print(1)\n"},
		{At: 1_700_000_000_250, Doc: "d1", Kind: KindEdit, Changes: []Change{{Offset: 9, Text: "x = 'ü😀'"}}},
		{At: 1_700_000_000_250, Doc: "d1", Kind: KindEdit, Changes: []Change{{Offset: 12, Len: 3, Text: ""}, {Offset: 0, Len: 5, Text: "log"}}},
		{At: 1_700_000_001_000, Doc: "d1", Kind: KindPaste, N: 42},
		{At: 1_700_000_002_000, Doc: "d2", Kind: KindOpen, Lang: "cpp", Text: ""},
		{At: 1_700_000_002_001, Doc: "d2", Kind: KindBlur},
		{At: 1_700_000_009_001, Doc: "d2", Kind: KindFocus},
		{At: 1_700_000_009_002, Doc: "d1", Kind: KindRun},
		{At: 1_700_000_009_003, Doc: "d1", Kind: KindLang, Lang: "go"},
	}
	raw, err := Encode(evs)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !eventsEqual(back, evs) {
		t.Fatalf("Decode(Encode) =\n%+v\nwant\n%+v", back, evs)
	}
	packed, err := Pack(evs)
	if err != nil {
		t.Fatal(err)
	}
	back, err = Unpack(packed)
	if err != nil || !eventsEqual(back, evs) {
		t.Fatalf("Unpack(Pack) = %+v, %v", back, err)
	}
	if _, err := Encode([]Event{{At: 5, Kind: KindRun, Doc: "a"}, {At: 4, Kind: KindRun, Doc: "a"}}); err == nil {
		t.Error("Encode accepted stamps going back")
	}
	if _, err := Encode([]Event{{At: 5, Kind: 99, Doc: "a"}}); err == nil {
		t.Error("Encode accepted an unknown kind")
	}
}

func eventsEqual(a, b []Event) bool {
	return slices.EqualFunc(a, b, func(x, y Event) bool {
		return x.At == y.At && x.Doc == y.Doc && x.Kind == y.Kind && x.Text == y.Text && x.Lang == y.Lang && x.N == y.N &&
			slices.Equal(x.Changes, y.Changes)
	})
}

// TestDecodeCorrupt feeds every truncation and many mutations of a valid
// stream: each is an error or a stream of events, never a panic or a huge
// allocation.
func TestDecodeCorrupt(t *testing.T) {
	evs := []Event{
		{At: 1000, Doc: "d", Kind: KindOpen, Lang: "py", Text: "abc"},
		{At: 1200, Doc: "d", Kind: KindEdit, Changes: []Change{{Offset: 3, Text: "def"}}},
		{At: 1300, Doc: "d", Kind: KindPaste, N: 3},
	}
	raw, _ := Encode(evs)
	for i := range raw {
		if _, err := Decode(raw[:i]); err == nil {
			t.Errorf("Decode of %d of %d bytes succeeded", i, len(raw))
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := slices.Clone(raw)
		b[rng.IntN(len(b))] = byte(rng.IntN(256))
		_, _ = Decode(b)
	}
	for _, b := range [][]byte{nil, {'T'}, {'T', 9}, {'Z'}, {'Z', 1, 2, 3},
		// A header claiming 2^60 events.
		append([]byte{'T', 1, 0}, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10)} {
		if _, err := Decode(b); err == nil {
			t.Errorf("Decode(%v) succeeded", b)
		}
		if _, err := Unpack(b); err == nil {
			t.Errorf("Unpack(%v) succeeded", b)
		}
	}
	if _, err := Decode(append(raw, 0)); err == nil {
		t.Error("Decode accepted trailing bytes")
	}
}

// session simulates a player typing a program in Monaco with the kinds of
// edits Monaco produces: characters at the cursor, backspace, Enter with
// auto-indent, a selection replaced by a multi-line paste, a multi-cursor
// edit (several changes in one event), undo restoring a replaced block,
// and text with accents, CJK and emoji (UTF-16 surrogate pairs).
func session(rng *rand.Rand, steps int) (evs []Event, final string) {
	ed := &editor{}
	var at int64 = 1_000
	evs = append(evs, Event{At: at, Doc: "a", Kind: KindOpen, Lang: "python", Text: ""})
	alphabet := []string{"a", "b", "x", "(", ")", ":", " ", "=", "1", "é", "中", "😀", "\t"}
	type undo struct {
		off  int
		was  string
		size int
	}
	var undos []undo
	for range steps {
		at += int64(50 + rng.IntN(400))
		var e Event
		n := ed.runes()
		cur := rng.IntN(n + 1)
		off := ed.runeOffset(cur)
		switch r := rng.IntN(100); {
		case r < 55:
			e = ed.edit(Change{Offset: off, Text: alphabet[rng.IntN(len(alphabet))]})
		case r < 70 && n > 0 && cur > 0:
			// Backspace removes one character, which is 2 units for an emoji.
			prev := ed.runeOffset(cur - 1)
			e = ed.edit(Change{Offset: prev, Len: off - prev})
		case r < 78:
			e = ed.edit(Change{Offset: off, Text: "\n    "})
		case r < 85 && n > 2:
			// Select a range and paste a multi-line block over it.
			end := ed.runeOffset(min(n, cur+rng.IntN(6)))
			block := "def f(x):\n    return x * 2  # ✓\n"
			was := string(utf16.Decode(ed.u[off:end]))
			e = ed.edit(Change{Offset: off, Len: end - off, Text: block})
			undos = append(undos, undo{off: off, was: was, size: UnitLen(block)})
			evs = append(evs, Event{At: at, Doc: "a", Kind: KindPaste, N: UnitLen(block)})
		case r < 90 && len(undos) > 0 && undos[len(undos)-1].off+undos[len(undos)-1].size <= len(ed.u):
			// Undo: the pasted block goes back to what it replaced, one change.
			u := undos[len(undos)-1]
			undos = undos[:len(undos)-1]
			e = ed.edit(Change{Offset: u.off, Len: u.size, Text: u.was})
		case r < 96 && n > 4:
			// Multi-cursor: the same text at three places, one event.
			ps := []int{ed.runeOffset(0), ed.runeOffset(n / 2), ed.runeOffset(n)}
			ps = slices.Compact(ps)
			var cs []Change
			for _, p := range ps {
				cs = append(cs, Change{Offset: p, Text: "#"})
			}
			e = ed.edit(cs...)
		default:
			e = Event{Kind: KindBlur}
		}
		e.At, e.Doc = at, "a"
		evs = append(evs, e)
	}
	return evs, ed.text()
}

func TestReconstructionEqualsEditor(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		evs, want := session(rng, 400)
		packed, err := Pack(evs)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Unpack(packed)
		if err != nil {
			t.Fatal(err)
		}
		got, err := TextAt(back, 1<<62)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if got != want {
			t.Fatalf("seed %d: reconstructed text differs from the editor's\ngot  %q\nwant %q", seed, got, want)
		}
	}
}

func TestPlayerEditors(t *testing.T) {
	evs := []Event{
		{At: 1, Doc: "tab1", Kind: KindOpen, Text: "one"},
		{At: 2, Doc: "tab2", Kind: KindOpen, Text: "two"},
		{At: 3, Doc: "tab1", Kind: KindEdit, Changes: []Change{{Offset: 3, Text: "!"}}},
	}
	if got, _ := TextAt(evs, 2); got != "two" {
		t.Errorf("at 2: %q, want the editor opened last", got)
	}
	if got, _ := TextAt(evs, 3); got != "one!" {
		t.Errorf("at 3: %q, want the editor edited last", got)
	}
	if _, err := TextAt([]Event{{At: 1, Doc: "x", Kind: KindEdit}}, 5); !errors.Is(err, ErrNoOpen) {
		t.Errorf("an edit before its editor opened: %v", err)
	}
}

func TestKinds(t *testing.T) {
	for _, name := range Kinds() {
		k, ok := ParseKind(name)
		if !ok || k.String() != name {
			t.Errorf("ParseKind(%q) = %v, %v", name, k, ok)
		}
	}
	if _, ok := ParseKind("submit"); ok {
		t.Error("submit is the server's, not a client kind")
	}
	if !strings.HasPrefix(Kind(42).String(), "kind(") {
		t.Error("unknown kind name")
	}
}
