// Package bus is SegFault Arena's messaging layer on NATS JetStream: an
// embedded server for the single-binary shape, connection helpers for an
// external cluster, and the streams and KV buckets the arena and the judge
// use (judge work queue by priority, event subjects for fan-out across API
// nodes, leases for the single active matchmaker, shared rate-limit
// counters). The same code path serves both shapes; only the URL changes.
package bus

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// EmbeddedConfig configures an in-process NATS server with JetStream.
type EmbeddedConfig struct {
	// StoreDir holds JetStream's files (e.g. ./data/nats). Required.
	StoreDir string
	// Listen opens a TCP listener so that other processes (workers, other
	// API nodes, the nats CLI) can connect. Without it the server is reachable
	// only in-process (Embedded.Connect), which needs no port at all.
	Listen bool
	// Host and Port of the listener; defaults 127.0.0.1 and a random port.
	Host string
	Port int
	// Name is the server name (shows in monitoring); default "segfault".
	Name string
	// MaxStore caps JetStream file storage in bytes; 0 means the server's
	// default (a share of the free disk).
	MaxStore int64
	// Logger receives the server's log lines; nil keeps it silent.
	Logger server.Logger
	// ReadyTimeout bounds the wait for the server to accept clients; default 10 s.
	ReadyTimeout time.Duration
}

// Embedded is a running in-process NATS server.
type Embedded struct {
	srv    *server.Server
	listen bool
}

// StartEmbedded starts a NATS server with JetStream in this process and
// waits until it accepts clients.
func StartEmbedded(cfg EmbeddedConfig) (*Embedded, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("bus: embedded server needs a store directory")
	}
	if err := os.MkdirAll(cfg.StoreDir, 0o750); err != nil {
		return nil, fmt.Errorf("bus: create store dir: %w", err)
	}
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	if cfg.Port == 0 {
		cfg.Port = server.RANDOM_PORT
	}
	if cfg.Name == "" {
		cfg.Name = "segfault"
	}
	if cfg.ReadyTimeout == 0 {
		cfg.ReadyTimeout = 10 * time.Second
	}
	opts := &server.Options{
		ServerName:        cfg.Name,
		Host:              cfg.Host,
		Port:              cfg.Port,
		DontListen:        !cfg.Listen,
		JetStream:         true,
		StoreDir:          cfg.StoreDir,
		JetStreamMaxStore: cfg.MaxStore,
		NoSigs:            true, // the binary owns signal handling
		NoLog:             cfg.Logger == nil,
		// Monitoring, clustering and auth stay off: the embedded shape is a
		// single node on loopback; scaled-out deployments run nats-server.
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("bus: configure embedded server: %w", err)
	}
	if cfg.Logger != nil {
		srv.SetLoggerV2(cfg.Logger, false, false, false)
	}
	srv.Start()
	if !srv.ReadyForConnections(cfg.ReadyTimeout) {
		srv.Shutdown()
		return nil, fmt.Errorf("bus: embedded server not ready after %v", cfg.ReadyTimeout)
	}
	return &Embedded{srv: srv, listen: cfg.Listen}, nil
}

// Server exposes the underlying server (for monitoring or tests).
func (e *Embedded) Server() *server.Server { return e.srv }

// ClientURL is the nats:// URL of the listener, or "" without one.
func (e *Embedded) ClientURL() string {
	if !e.listen {
		return ""
	}
	return e.srv.ClientURL()
}

// Connect opens a client connection to the embedded server, in-process (no
// socket) whether or not it also listens.
func (e *Embedded) Connect(opts ...nats.Option) (*nats.Conn, error) {
	opts = append([]nats.Option{nats.Name("segfault-embedded"), nats.InProcessServer(e.srv)}, opts...)
	nc, err := nats.Connect("", opts...)
	if err != nil {
		return nil, fmt.Errorf("bus: connect in-process: %w", err)
	}
	return nc, nil
}

// Shutdown stops the server and waits for it to finish flushing to disk.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}

// Connect opens a connection to an external NATS server or cluster (a
// comma-separated URL list is accepted). It reconnects forever by default:
// a restarting nats-server must not take an API node or worker down.
func Connect(ctx context.Context, url, name string, opts ...nats.Option) (*nats.Conn, error) {
	base := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.RetryOnFailedConnect(false),
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) > 0 {
		base = append(base, nats.Timeout(time.Until(dl)))
	}
	nc, err := nats.Connect(url, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("bus: connect %s: %w", url, err)
	}
	return nc, nil
}
