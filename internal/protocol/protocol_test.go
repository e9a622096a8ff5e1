package protocol

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/segfaultarena/segfault/internal/errcode"
)

func TestListNeverNull(t *testing.T) {
	var v struct {
		A List[int]    `json:"a"`
		B List[string] `json:"b"`
	}
	v.B = List[string]{"x"}
	b, _ := json.Marshal(v)
	if string(b) != `{"a":[],"b":["x"]}` {
		t.Fatalf("got %s", b)
	}
	var back struct {
		A List[int] `json:"a"`
	}
	if err := json.Unmarshal([]byte(`{"a":[1,2]}`), &back); err != nil || len(back.A) != 2 {
		t.Fatalf("decode: %v %v", back, err)
	}
}

func TestValidateCodes(t *testing.T) {
	big := strings.Repeat("x", MaxCodeBytes+1)
	in := strings.Repeat("1", MaxInputBytes+1)
	cases := []struct {
		name string
		req  Request
		code errcode.Code // "" valid; InvalidRequest for plain errors
	}{
		{"submit", &CodeSubmit{MatchID: "m", Lang: "go", Code: "x"}, ""},
		{"empty submit", &CodeSubmit{MatchID: "m", Lang: "go"}, errcode.CodeEmpty},
		{"empty run", &CodeRun{MatchID: "m", Lang: "go"}, errcode.CodeEmpty},
		{"big submit", &CodeSubmit{MatchID: "m", Lang: "go", Code: big}, errcode.CodeTooLarge},
		{"big input", &CodeRun{MatchID: "m", Lang: "go", Code: "x", Input: &in}, errcode.InputTooLarge},
		{"no lang", &CodeSubmit{MatchID: "m", Code: "x"}, errcode.InvalidRequest},
		{"dotted match", &MatchRef{MatchID: "a.b"}, errcode.InvalidRequest},
		{"room 9", &RoomCreate{MaxPlayers: 9}, errcode.InvalidRequest},
		{"private queue", &QueueJoin{Mode: ModePrivate}, errcode.InvalidRequest},
		{"practice problem", &QueueJoin{Mode: ModePractice, ProblemID: "p"}, ""},
		{"ranked problem", &QueueJoin{Mode: ModeRanked, ProblemID: "p"}, errcode.InvalidRequest},
		{"board", &LeaderboardSub{Board: "elo", Limit: 5}, errcode.InvalidRequest},
	}
	for _, c := range cases {
		err := c.req.Validate()
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.code == errcode.InvalidRequest && (err == nil || errcode.CodeOf(err) != errcode.Internal):
			t.Errorf("%s: %v, want a plain error (invalid_request)", c.name, err)
		case c.code != "" && c.code != errcode.InvalidRequest && errcode.CodeOf(err) != c.code:
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	e, _ := errcode.As(CheckCode(big))
	if e.Limit != MaxCodeBytes || !strings.Contains(e.Message, "64 KiB") {
		t.Errorf("code_too_large must name the limit: %+v", e)
	}
}

func TestEveryOpAndEventIsListed(t *testing.T) {
	for _, e := range Enums() {
		switch e.Type.Name() {
		case "Op":
			if len(e.Values) != len(Ops()) {
				t.Errorf("%d ops, %d specs", len(e.Values), len(Ops()))
			}
			for _, v := range e.Values {
				if _, ok := OpFor(Op(v)); !ok {
					t.Errorf("op %s has no spec", v)
				}
			}
		case "Event":
			if len(e.Values) != len(Events()) {
				t.Errorf("%d events, %d specs", len(e.Values), len(Events()))
			}
		}
	}
}
