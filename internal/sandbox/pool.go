package sandbox

import (
	"context"
	"slices"
	"sync"
)

// Pool keeps a few boxes open ahead of demand, so that a submission does
// not wait for a container start (tens of ms with runc, hundreds with
// runsc). A box is still used for one submission only: Open hands out a
// fresh box from the pool and starts opening its replacement in the
// background. Open with options other than the pool's goes straight to the
// runtime.
type Pool struct {
	rt   Runtime
	opts BoxOptions

	mu      sync.Mutex
	ready   []Box
	size    int
	filling int
	closed  bool
	ctx     context.Context
	cancel  context.CancelFunc
}

// NewPool returns a pool of size boxes opened with opts, filled in the
// background.
func NewPool(rt Runtime, size int, opts BoxOptions) *Pool {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Pool{rt: rt, opts: opts, size: size, ctx: ctx, cancel: cancel}
	p.mu.Lock()
	p.refillLocked()
	p.mu.Unlock()
	return p
}

func (p *Pool) Name() string                      { return p.rt.Name() }
func (p *Pool) Check(ctx context.Context) error   { return p.rt.Check(ctx) }
func (p *Pool) Cleanup(ctx context.Context) error { return p.rt.Cleanup(ctx) }

// Open returns a pooled box when opts are the pool's, else a new one.
func (p *Pool) Open(ctx context.Context, opts BoxOptions) (Box, error) {
	if sameBoxOptions(opts, p.opts) {
		p.mu.Lock()
		if n := len(p.ready); n > 0 {
			box := p.ready[n-1]
			p.ready = p.ready[:n-1]
			p.refillLocked()
			p.mu.Unlock()
			return box, nil
		}
		p.refillLocked()
		p.mu.Unlock()
	}
	return p.rt.Open(ctx, opts)
}

// refillLocked starts opening boxes until ready + filling reaches size.
func (p *Pool) refillLocked() {
	for !p.closed && len(p.ready)+p.filling < p.size {
		p.filling++
		go func() {
			box, err := p.rt.Open(p.ctx, p.opts)
			p.mu.Lock()
			defer p.mu.Unlock()
			p.filling--
			if err != nil {
				return // the next Open opens directly and retries the refill
			}
			if p.closed {
				box.Close()
				return
			}
			p.ready = append(p.ready, box)
		}()
	}
}

// Close closes the boxes waiting in the pool; boxes handed out are their
// users' to close.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	ready := p.ready
	p.ready = nil
	p.mu.Unlock()
	p.cancel()
	var firstErr error
	for _, b := range ready {
		if err := b.Close(); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

func sameBoxOptions(a, b BoxOptions) bool {
	return a.MemoryBytes == b.MemoryBytes && a.Pids == b.Pids && a.CPUs == b.CPUs &&
		a.WorkBytes == b.WorkBytes && a.TmpBytes == b.TmpBytes && slices.Equal(a.ExtraBinds, b.ExtraBinds)
}
