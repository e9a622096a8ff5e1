// Package bustest starts an in-process NATS server with JetStream for one
// test, the way every multi-node test here runs on real NATS without
// sharing the machine's server with other test runs.
package bustest

import (
	"path/filepath"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/segfaultarena/segfault/internal/bus"
)

// Server starts an embedded server storing under the test's temp dir; it
// shuts down when the test ends.
func Server(t testing.TB) *bus.Embedded {
	t.Helper()
	srv, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: filepath.Join(t.TempDir(), "nats")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

// Conn is a new connection to srv (one per simulated node), closed when the
// test ends.
func Conn(t testing.TB, srv *bus.Embedded) *nats.Conn {
	t.Helper()
	nc, err := srv.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}
