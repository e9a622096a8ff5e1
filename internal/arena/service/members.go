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

	"github.com/segfaultarena/segfault/internal/arena/clock"
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
//
// Starvation (GC pauses, a saturated CPU) can stop this node's goroutines
// for longer than the TTL while it stays connected: the others then drop
// it from their views and claim its matches. It must not act on them when
// it wakes up. Two rules make that so:
//   - it acts only while the heartbeat it last *saw in its own view* was
//     sent less than 0.9 TTL ago by its local clock (a heartbeat's server
//     stamp is later than its sending, so the others cannot have dropped
//     it yet);
//   - a heartbeat counts only once the watcher applied it: a node waking
//     up from a starvation sends a new heartbeat at once, but its view is
//     still the one from before; until the watcher has read the log up to
//     that heartbeat, which passes through the view that dropped it (its
//     matches are dropped here too) and on to the one that takes it back
//     with a newer epoch, it decides nothing.
//
// Whatever it still does with an old token (an action begun before the
// starvation) is refused by the store's fencing once a newer owner claimed
// the match.
type members struct {
	kv   jetstream.KeyValue
	self string
	ttl  time.Duration
	log  *slog.Logger
	clk  clock.Clock // local time of heartbeats and of the active check (injected in tests)
	// onChange is called with each new view, in order, from the watch loop.
	onChange func(view)

	mu      sync.Mutex
	cur     view
	sentOK  time.Time  // local time just before the latest heartbeat the view has applied was sent
	pending []sentBeat // heartbeats written, not yet applied by the watcher
	seen    uint64     // the latest revision the watcher applied
	ready   chan struct{}
}

// sentBeat is a heartbeat written: when it was sent and its revision.
type sentBeat struct {
	at  time.Time
	rev uint64
}

func newMembers(kv jetstream.KeyValue, self string, ttl time.Duration, log *slog.Logger, onChange func(view)) *members {
	return &members{kv: kv, self: self, ttl: ttl, log: log, clk: clock.System{}, onChange: onChange, ready: make(chan struct{})}
}

// beat writes this node's heartbeat. It counts for active() once the
// watcher has applied it.
func (m *members) beat(ctx context.Context) error {
	sent := m.clk.Now()
	c, cancel := context.WithTimeout(ctx, m.ttl/2)
	defer cancel()
	rev, err := m.kv.Put(c, memberPrefix+m.self, []byte(m.self))
	if err != nil {
		return fmt.Errorf("arena: heartbeat: %w", err)
	}
	m.mu.Lock()
	m.pending = append(m.pending, sentBeat{at: sent, rev: rev})
	m.promote()
	m.mu.Unlock()
	return nil
}

// promote makes the latest heartbeat the watcher has applied the one
// active() measures from (m.mu held).
func (m *members) promote() {
	n := 0
	for _, b := range m.pending {
		if b.rev > m.seen {
			break
		}
		if b.at.After(m.sentOK) {
			m.sentOK = b.at
		}
		n++
	}
	m.pending = m.pending[n:]
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
	lg := newMemberLog()
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("watcher closed")
			}
			m.apply(lg, e)
		}
	}
}

// memberLog is the membership as read from the heartbeat log so far.
type memberLog struct {
	last    map[string]time.Time // node → server time of its latest heartbeat
	newest  time.Time
	rev     uint64
	initial bool // still reading the current values
}

func newMemberLog() *memberLog { return &memberLog{last: map[string]time.Time{}, initial: true} }

// apply reads one entry of the watch (nil: the current values are in) and
// moves the view on.
func (m *members) apply(lg *memberLog, e jetstream.KeyValueEntry) {
	if e == nil {
		lg.initial = false // the current values are in; from now on each write counts
	} else {
		node := strings.TrimPrefix(e.Key(), memberPrefix)
		lg.rev = max(lg.rev, e.Revision())
		switch e.Operation() {
		case jetstream.KeyValuePut:
			lg.last[node] = e.Created()
			if e.Created().After(lg.newest) {
				lg.newest = e.Created()
			}
		default:
			delete(lg.last, node)
		}
		if lg.initial {
			return
		}
	}
	var live []string
	for n, at := range lg.last {
		if lg.newest.Sub(at) <= m.ttl {
			live = append(live, n)
		} else {
			delete(lg.last, n)
		}
	}
	slices.Sort(live)
	m.mu.Lock()
	changed := !slices.Equal(live, m.cur.nodes) || m.cur.epoch == 0
	if changed {
		m.cur = view{epoch: int64(lg.rev), nodes: live}
	}
	v := m.cur
	m.mu.Unlock()
	if changed {
		m.log.Info("arena nodes", "nodes", v.nodes, "epoch", v.epoch)
		m.onChange(v)
	}
	// The heartbeats up to here count only now that the view (and the
	// matches dropped with it) reflects them.
	m.mu.Lock()
	m.seen = max(m.seen, lg.rev)
	m.promote()
	m.mu.Unlock()
	if changed {
		select {
		case <-m.ready:
		default:
			close(m.ready)
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
	return m.cur.has(m.self) && !m.sentOK.IsZero() && m.clk.Now().Sub(m.sentOK) < m.ttl-m.ttl/10
}
