package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Membership: which API nodes are alive, agreed by every node from one log.
//
// Each node writes a heartbeat key (node.<name>) in the lease bucket every
// TTL/4, and every node watches those keys. JetStream gives each write a
// revision and a timestamp from the server's clock, and every watcher sees
// the writes in revision order. At each write, the live nodes are those
// whose latest heartbeat is at most TTL older than the newest timestamp
// seen so far. Membership is therefore a function of the log: two nodes
// that have read up to the same revision agree on it, whatever their own
// clocks or delays, and the revision at which it last changed (the view's
// epoch) orders views.
//
// A match's owner is the live node with the highest rendezvous weight for
// (node, match id): a node that leaves moves only its own matches, spread
// evenly over the others, and a node that joins takes about 1/N of
// everyone's. The owner writes the match with its view's epoch as the
// fencing token (store.Arena), so a node still acting on an older view is
// refused by the store.
//
// A node that crashes right after a heartbeat stops appearing TTL later,
// at the next heartbeat of another node (TTL/4 at most): its matches move
// within 5/4 TTL of the crash (3.75 s with the 3 s TTL). A node that stops
// gracefully deletes its key: its matches move at once.

const memberPrefix = "node."

// view is the set of live API nodes at one point of the membership log.
type view struct {
	epoch int64    // revision at which the set last changed
	nodes []string // sorted
}

func (v view) has(node string) bool {
	_, ok := slices.BinarySearch(v.nodes, node)
	return ok
}

// owner is the node that owns match id in this view ("" if none is live).
func (v view) owner(id string) string {
	best, bestW := "", uint64(0)
	for _, n := range v.nodes {
		if w := weight(n, id); best == "" || w > bestW {
			best, bestW = n, w
		}
	}
	return best
}

// weight is the rendezvous weight of node for match id: FNV-1a of both,
// finished with splitmix64 so that similar names spread evenly.
func weight(node, id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(node); i++ {
		h = (h ^ uint64(node[i])) * 1099511628211
	}
	h = (h ^ 0xff) * 1099511628211
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// members keeps this node's heartbeat going and follows the membership.
type members struct {
	kv   jetstream.KeyValue
	self string
	ttl  time.Duration
	log  *slog.Logger
	// onChange is called with each new view, in order, from the watch loop.
	onChange func(view)

	mu     sync.Mutex
	cur    view
	sentOK time.Time // local time just before our last successful heartbeat was sent
	ready  chan struct{}
}

func newMembers(kv jetstream.KeyValue, self string, ttl time.Duration, log *slog.Logger, onChange func(view)) *members {
	return &members{kv: kv, self: self, ttl: ttl, log: log, onChange: onChange, ready: make(chan struct{})}
}

// beat writes this node's heartbeat.
func (m *members) beat(ctx context.Context) error {
	sent := time.Now()
	c, cancel := context.WithTimeout(ctx, m.ttl/2)
	defer cancel()
	if _, err := m.kv.Put(c, memberPrefix+m.self, []byte(m.self)); err != nil {
		return fmt.Errorf("arena: heartbeat: %w", err)
	}
	m.mu.Lock()
	m.sentOK = sent
	m.mu.Unlock()
	return nil
}

// run beats and watches until ctx ends, then removes this node's key so
// that its matches move at once.
func (m *members) run(ctx context.Context) {
	go m.watch(ctx)
	t := time.NewTicker(m.ttl / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			_ = m.kv.Delete(c, memberPrefix+m.self)
			cancel()
			return
		case <-t.C:
			if err := m.beat(ctx); err != nil && ctx.Err() == nil {
				m.log.Warn("membership heartbeat failed", "err", err)
			}
		}
	}
}

// watch follows the heartbeats; it restarts after the watcher breaks.
func (m *members) watch(ctx context.Context) {
	for ctx.Err() == nil {
		if err := m.watchOnce(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("membership watch failed; restarting", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func (m *members) watchOnce(ctx context.Context) error {
	w, err := m.kv.Watch(ctx, memberPrefix+"*")
	if err != nil {
		return err
	}
	defer w.Stop()
	last := map[string]time.Time{} // node → server time of its latest heartbeat
	var newest time.Time
	var rev uint64
	initial := true
	for {
		var e jetstream.KeyValueEntry
		select {
		case <-ctx.Done():
			return nil
		case x, ok := <-w.Updates():
			if !ok {
				return errors.New("watcher closed")
			}
			e = x
		}
		if e == nil {
			initial = false // the current values are in; from now on each write counts
		} else {
			node := strings.TrimPrefix(e.Key(), memberPrefix)
			rev = max(rev, e.Revision())
			switch e.Operation() {
			case jetstream.KeyValuePut:
				last[node] = e.Created()
				if e.Created().After(newest) {
					newest = e.Created()
				}
			default:
				delete(last, node)
			}
			if initial {
				continue
			}
		}
		var live []string
		for n, at := range last {
			if newest.Sub(at) <= m.ttl {
				live = append(live, n)
			} else {
				delete(last, n)
			}
		}
		slices.Sort(live)
		m.mu.Lock()
		changed := !slices.Equal(live, m.cur.nodes) || m.cur.epoch == 0
		if changed {
			m.cur = view{epoch: int64(rev), nodes: live}
		}
		v := m.cur
		m.mu.Unlock()
		if changed {
			m.log.Info("arena nodes", "nodes", v.nodes, "epoch", v.epoch)
			m.onChange(v)
			select {
			case <-m.ready:
			default:
				close(m.ready)
			}
		}
	}
}

// view is the latest view.
func (m *members) view() view {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur
}

// active reports whether this node may act on its matches: it is in the
// view and its last heartbeat reached the server less than 0.9 TTL ago
// (measured from before it was sent), so the others cannot have moved its
// matches yet.
func (m *members) active() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur.has(m.self) && time.Since(m.sentOK) < m.ttl-m.ttl/10
}
