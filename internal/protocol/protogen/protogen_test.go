package protogen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/segfaultarena/segfault/internal/protocol"
)

const root = "../../.."

// TestGeneratedFilesAreCurrent fails when the Go definitions changed and
// `go generate ./internal/protocol` was not run.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := Files(root)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		have, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || !bytes.Equal(have, want) {
			t.Errorf("%s is stale: run `go generate ./internal/protocol`", name)
		}
	}
}

// TestPayloadListsAreLists: a list in a protocol payload must be a
// protocol.List (or omitempty), so no payload can carry null for a list.
func TestPayloadListsAreLists(t *testing.T) {
	ts := newTypeScript()
	for _, ev := range protocol.Events() {
		ts.expr(reflect.TypeOf(ev.Data))
	}
	for _, op := range protocol.Ops() {
		ts.expr(reflect.TypeOf(op.New()).Elem())
	}
	if ts.err != nil {
		t.Fatal(ts.err)
	}
}

// TestNilListsEncodeAsEmpty: in the zero value of every event payload,
// every list encodes as [] (a List's nil is never null on the wire).
func TestNilListsEncodeAsEmpty(t *testing.T) {
	for _, ev := range protocol.Events() {
		b, err := json.Marshal(ev.Data)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fields(reflect.TypeOf(ev.Data)) {
			if _, ok := listElem(f.Type); ok && !bytes.Contains(b, []byte(`"`+f.Name+`":[]`)) {
				t.Errorf("%s: %s is not [] in %s", ev.Event, f.Name, b)
			}
		}
	}
}
