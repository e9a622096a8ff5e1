package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Pool keeps boxes started ahead of demand, so that a submission does not
// wait for a container start (tens of ms with runc, hundreds with runsc).
// Boxes are pooled per kind (per distinct BoxOptions: for the judge, per
// language, each box showing that language's toolchain only): size boxes
// of every kind in use, started when a kind is first asked for (or named
// at NewPool / Warm), at most MaxPoolKinds kinds (the least recently used
// kind's boxes are closed to make room).
//
// A pooled box is a fresh box: the pool never hands a box out twice and
// never takes one back. "Reset between submissions" is replacement: the
// user closes its box as without a pool, and the pool has already started
// the next one in the background, so a pooled box gives exactly the
// guarantees of a box opened for the caller (the same Open, only earlier).
// Closing a box handed out returns at once; the container is torn down in
// the background (Close of the pool waits for those teardowns).
type Pool struct {
	rt   Runtime
	size int

	mu      sync.Mutex
	kinds   map[string]*poolKind
	closed  bool
	ctx     context.Context
	cancel  context.CancelFunc
	stats   PoolStats
	closing sync.WaitGroup // boxes handed out, being closed in the background
}

// pooledBox is a box the pool handed out: its Close returns at once and
// the container is torn down in the background, off the submission's
// path (its last run has already ended with no process left; nothing uses
// the box again: every method fails once it is closed).
type pooledBox struct {
	Box
	p    *Pool
	once sync.Once
	mu   sync.Mutex
	done bool
}

func (b *pooledBox) Close() error {
	b.once.Do(func() {
		b.mu.Lock()
		b.done = true
		b.mu.Unlock()
		b.p.closing.Add(1)
		go func() {
			defer b.p.closing.Done()
			if err := b.Box.Close(); err != nil {
				slog.Error("sandbox pool: close box", "err", err)
			}
		}()
	})
	return nil
}

func (b *pooledBox) closed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return fmt.Errorf("sandbox: box closed")
	}
	return nil
}

func (b *pooledBox) Run(ctx context.Context, cmd Cmd) (Result, error) {
	if err := b.closed(); err != nil {
		return Result{Status: StatusInternalError, Message: err.Error()}, err
	}
	return b.Box.Run(ctx, cmd)
}

func (b *pooledBox) WriteFile(name string, data []byte, mode uint32) error {
	if err := b.closed(); err != nil {
		return err
	}
	return b.Box.WriteFile(name, data, mode)
}

// Unwrap is the runtime's box (tests look inside it).
func (b *pooledBox) Unwrap() Box { return b.Box }

func (p *Pool) wrap(b Box, err error) (Box, error) {
	if err != nil {
		return nil, err
	}
	return &pooledBox{Box: b, p: p}, nil
}

// MaxPoolKinds bounds the kinds of box a Pool keeps warm.
const MaxPoolKinds = 16

type poolKind struct {
	key     string
	opts    BoxOptions
	ready   []Box
	filling int
	waiters []chan Box // callers waiting for a box being started
	used    time.Time
}

// PoolStats counts how the pool served Open calls.
type PoolStats struct {
	Ready  int64 // handed out a box that was waiting
	Waited int64 // waited for a box the pool was already starting
	Direct int64 // opened for the caller (kind new, or every box of it taken)
	Failed int64 // background starts that failed
}

// NewPool returns a pool keeping size boxes of each kind in use; the kinds
// in warm are started at once. size 0 keeps none (every Open goes to the
// runtime).
func NewPool(rt Runtime, size int, warm ...BoxOptions) *Pool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{rt: rt, size: size, kinds: map[string]*poolKind{}, ctx: ctx, cancel: cancel}
	for _, o := range warm {
		p.Warm(o)
	}
	return p
}

func (p *Pool) Name() string                      { return p.rt.Name() }
func (p *Pool) Check(ctx context.Context) error   { return p.rt.Check(ctx) }
func (p *Pool) Cleanup(ctx context.Context) error { return p.rt.Cleanup(ctx) }

// Stats returns the pool's counters.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Idle is the number of started boxes waiting in the pool.
func (p *Pool) Idle() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, k := range p.kinds {
		n += len(k.ready)
	}
	return n
}

// Warm makes opts a kind of the pool and starts its boxes.
func (p *Pool) Warm(opts BoxOptions) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k := p.kindLocked(opts); k != nil {
		p.refillLocked(k)
	}
}

// Open hands out a started box of opts' kind when one is waiting, else
// waits for one the pool is starting, else opens one for the caller; it
// starts the kind's replacements in the background either way.
func (p *Pool) Open(ctx context.Context, opts BoxOptions) (Box, error) {
	p.mu.Lock()
	k := p.kindLocked(opts)
	if k == nil { // closed, or no pooling
		p.mu.Unlock()
		return p.rt.Open(ctx, opts)
	}
	k.used = time.Now()
	if n := len(k.ready); n > 0 {
		box := k.ready[n-1]
		k.ready = k.ready[:n-1]
		p.stats.Ready++
		p.refillLocked(k)
		p.mu.Unlock()
		return p.wrap(box, nil)
	}
	if k.filling > len(k.waiters) {
		// A start is under way that nobody waits for yet: it is nearer
		// than one started now.
		ch := make(chan Box, 1)
		k.waiters = append(k.waiters, ch)
		p.stats.Waited++
		p.refillLocked(k)
		p.mu.Unlock()
		select {
		case box := <-ch:
			if box != nil {
				return p.wrap(box, nil)
			}
			// The start failed or the pool closed: open directly.
		case <-ctx.Done():
			p.mu.Lock()
			queued := p.dropWaiterLocked(k, ch)
			p.mu.Unlock()
			if !queued {
				// Taken off the queue by a start that ended: its box (or
				// nil) is on its way; pass a box on, never leak it.
				if box := <-ch; box != nil {
					p.give(k, box)
				}
			}
			return nil, ctx.Err()
		}
		return p.wrap(p.rt.Open(ctx, opts))
	}
	p.stats.Direct++
	p.refillLocked(k)
	p.mu.Unlock()
	return p.wrap(p.rt.Open(ctx, opts))
}

// dropWaiterLocked takes ch off k's queue; false if it was no longer there.
func (p *Pool) dropWaiterLocked(k *poolKind, ch chan Box) bool {
	for i, w := range k.waiters {
		if w == ch {
			k.waiters = append(k.waiters[:i], k.waiters[i+1:]...)
			return true
		}
	}
	return false
}

// give puts a started box of kind k at the disposal of its next waiter,
// else among the ready ones, else (pool closed, kind dropped, full) closes
// it.
func (p *Pool) give(k *poolKind, box Box) {
	p.mu.Lock()
	if len(k.waiters) > 0 {
		ch := k.waiters[0]
		k.waiters = k.waiters[1:]
		p.mu.Unlock()
		ch <- box
		return
	}
	if p.closed || p.kinds[k.key] != k || len(k.ready) >= p.size {
		p.mu.Unlock()
		box.Close()
		return
	}
	k.ready = append(k.ready, box)
	p.mu.Unlock()
}

// kindLocked returns opts' kind, making it (and dropping the least
// recently used kind past MaxPoolKinds); nil when the pool keeps nothing.
func (p *Pool) kindLocked(opts BoxOptions) *poolKind {
	if p.closed || p.size <= 0 {
		return nil
	}
	key := optionsKey(opts)
	if k, ok := p.kinds[key]; ok {
		return k
	}
	if len(p.kinds) >= MaxPoolKinds {
		var oldest *poolKind
		for _, k := range p.kinds {
			if oldest == nil || k.used.Before(oldest.used) {
				oldest = k
			}
		}
		delete(p.kinds, oldest.key)
		for _, b := range oldest.ready {
			go b.Close()
		}
		oldest.ready = nil
		// Its waiters still get the boxes being started (give hands them
		// over before it looks at the kind).
	}
	k := &poolKind{key: key, opts: opts, used: time.Now()}
	p.kinds[key] = k
	return k
}

// refillLocked starts boxes of kind k until ready + filling reaches size
// plus the callers waiting.
func (p *Pool) refillLocked(k *poolKind) {
	for !p.closed && p.kinds[k.key] == k && len(k.ready)+k.filling < p.size+len(k.waiters) {
		k.filling++
		go func() {
			box, err := p.rt.Open(p.ctx, k.opts)
			p.mu.Lock()
			k.filling--
			if err != nil {
				p.stats.Failed++
				// Waiters beyond the starts still under way open
				// directly; the next Open retries the refill.
				var fail []chan Box
				for len(k.waiters) > k.filling {
					fail = append(fail, k.waiters[len(k.waiters)-1])
					k.waiters = k.waiters[:len(k.waiters)-1]
				}
				p.mu.Unlock()
				for _, ch := range fail {
					ch <- nil
				}
				return
			}
			p.mu.Unlock()
			p.give(k, box)
		}()
	}
}

// Close closes the boxes waiting in the pool and stops starting new ones;
// boxes handed out are their users' to close, and boxes still starting
// are closed when they are up.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	var ready []Box
	var waiters []chan Box
	for _, k := range p.kinds {
		ready = append(ready, k.ready...)
		k.ready = nil
		waiters = append(waiters, k.waiters...)
		k.waiters = nil
	}
	p.mu.Unlock()
	p.cancel()
	for _, ch := range waiters {
		ch <- nil
	}
	var firstErr error
	for _, b := range ready {
		if err := b.Close(); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	p.closing.Wait() // boxes handed out and closed, still being torn down
	return firstErr
}

func optionsKey(o BoxOptions) string {
	return fmt.Sprintf("%d/%d/%g/%d/%d/%q", o.MemoryBytes, o.Pids, o.CPUs, o.WorkBytes, o.TmpBytes, o.ExtraBinds)
}
