package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/segfaultarena/segfault/internal/bus"
)

// WorkerInfo is a worker's heartbeat in the worker registry (a KV bucket
// whose entries expire when a worker stops renewing them): what it can
// judge and how busy it is.
type WorkerInfo struct {
	ID        string   `json:"id"`
	Host      string   `json:"host"`
	Runtime   string   `json:"runtime"`
	Languages []string `json:"languages"`
	// Versions are the toolchain versions of Languages, shown to players.
	Versions map[string]string `json:"versions,omitempty"`
	Slots    int               `json:"slots"`
	Busy     int               `json:"busy"`
	Healthy  bool              `json:"healthy"`
	Error    string            `json:"error,omitempty"` // why it is unhealthy
	// JobSeconds is the moving average of the worker's judge job
	// durations (0 before its first job): with Slots, how many jobs it
	// drains a minute (the API's queue bound).
	JobSeconds float64   `json:"job_seconds,omitempty"`
	Started    time.Time `json:"started"`
	At         time.Time `json:"at"`
}

// registryTTL is how long a heartbeat lives; workers renew every
// HeartbeatEvery, so a dead worker disappears within registryTTL.
const (
	registryTTL    = 15 * time.Second
	HeartbeatEvery = 4 * time.Second
)

func registryBucket(b *bus.Bus) string {
	return NSName(b, "workers")
}

func OpenRegistry(ctx context.Context, b *bus.Bus) (jetstream.KeyValue, error) {
	storage := jetstream.FileStorage
	if b.Config.Memory {
		storage = jetstream.MemoryStorage
	}
	kv, err := b.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      registryBucket(b),
		Description: "judge worker heartbeats: languages, capacity, health",
		History:     1,
		TTL:         registryTTL,
		Storage:     storage,
		Replicas:    b.Config.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("worker registry: %w", err)
	}
	return kv, nil
}

// ListWorkers reads every live heartbeat.
func ListWorkers(ctx context.Context, kv jetstream.KeyValue) ([]WorkerInfo, error) {
	lister, err := kv.ListKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list workers: %w", err)
	}
	defer lister.Stop()
	var out []WorkerInfo
	for key := range lister.Keys() {
		e, err := kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read worker %s: %w", key, err)
		}
		var wi WorkerInfo
		if json.Unmarshal(e.Value(), &wi) == nil {
			out = append(out, wi)
		}
	}
	return out, nil
}
