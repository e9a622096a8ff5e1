package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// externalURL is the NATS server the machine runs; override with
// SEGFAULT_TEST_NATS_URL.
func externalURL() string {
	if u := os.Getenv("SEGFAULT_TEST_NATS_URL"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

type backend struct {
	name string
	// dialer returns a function opening new connections to one server.
	dialer func(t *testing.T) func() (*nats.Conn, error)
}

var backends = []backend{
	{"embedded", func(t *testing.T) func() (*nats.Conn, error) {
		e := startEmbedded(t, t.TempDir(), false)
		return func() (*nats.Conn, error) { return e.Connect() }
	}},
	{"external", func(t *testing.T) func() (*nats.Conn, error) {
		nc, err := nats.Connect(externalURL(), nats.Timeout(time.Second), nats.MaxReconnects(0))
		if err != nil {
			t.Skipf("external NATS at %s unreachable (%v): start nats-server -js or set SEGFAULT_TEST_NATS_URL", externalURL(), err)
		}
		nc.Close()
		return func() (*nats.Conn, error) { return nats.Connect(externalURL(), nats.Timeout(2*time.Second)) }
	}},
}

// conn opens a connection with dial, closed at the end of the test.
func conn(t *testing.T, dial func() (*nats.Conn, error)) *nats.Conn {
	t.Helper()
	nc, err := dial()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

func startEmbedded(t *testing.T, dir string, listen bool) *Embedded {
	t.Helper()
	e, err := StartEmbedded(EmbeddedConfig{StoreDir: dir, Listen: listen})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	return e
}

// forEach runs f against every backend, each in a fresh namespace that is
// torn down afterwards (the external server is shared with other tests).
func forEach(t *testing.T, cfg Config, f func(t *testing.T, dial func() (*nats.Conn, error), b *Bus)) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			t.Parallel() // own namespace per run
			dial := be.dialer(t)
			cfg := cfg
			cfg.Namespace = "t" + randHex(6)
			b := setup(t, conn(t, dial), cfg)
			f(t, dial, b)
		})
	}
}

func setup(t *testing.T, nc *nats.Conn, cfg Config) *Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := Setup(ctx, nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := b.Teardown(ctx); err != nil {
			t.Errorf("teardown: %v", err)
		}
	})
	return b
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestSetupIdempotent(t *testing.T) {
	t.Parallel()
	forEach(t, Config{}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 10*time.Second)
		if _, err := b.PublishJob(ctx, Practice, "job-1", []byte("x")); err != nil {
			t.Fatal(err)
		}
		if _, err := b.State().Put(ctx, "lobby", []byte(`{"waiting":[]}`)); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			again, err := Setup(ctx, b.NC, b.Config)
			if err != nil {
				t.Fatalf("second setup: %v", err)
			}
			d, err := again.QueueDepth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if d[Practice].Pending != 1 {
				t.Fatalf("setup again lost the queued job: %+v", d)
			}
			if e, err := again.State().Get(ctx, "lobby"); err != nil || string(e.Value()) != `{"waiting":[]}` {
				t.Fatalf("setup again lost the state: %v", err)
			}
		}
		// A changed setting is applied to the existing consumer.
		cfg := b.Config
		cfg.AckWait = 45 * time.Second
		changed, err := Setup(ctx, b.NC, cfg)
		if err != nil {
			t.Fatal(err)
		}
		info, err := changed.consumers[Ranked].Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.Config.AckWait != 45*time.Second {
			t.Fatalf("ack wait %v after update", info.Config.AckWait)
		}
		sinfo, err := changed.judge.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{b.Names.JudgeSubject(Ranked), b.Names.JudgeSubject(RankedRepeat), b.Names.JudgeSubject(Practice),
			b.Names.JudgeSubject(PracticeRepeat), b.Names.JudgeSubject(Analysis)}
		if !slices.Equal(sinfo.Config.Subjects, want) || sinfo.Config.Retention.String() != "WorkQueue" {
			t.Fatalf("stream config %+v", sinfo.Config)
		}
	})
}

func TestSetupRejectsBadConfig(t *testing.T) {
	nc := conn(t, backends[0].dialer(t))
	ctx := ctxT(t, 5*time.Second)
	for _, cfg := range []Config{
		{Namespace: "has.dot"},
		{Namespace: "has space"},
		{AckWait: time.Millisecond},
		{LeaseTTL: time.Millisecond},
	} {
		if _, err := Setup(ctx, nc, cfg); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
}

func TestNames(t *testing.T) {
	def, _ := NewNames("")
	ns, _ := NewNames("blue")
	tests := []struct{ got, want string }{
		{def.JudgeStream(), "JUDGE"},
		{def.JudgeSubject(Ranked), "judge.ranked"},
		{def.JudgeSubject(Practice), "judge.practice"},
		{def.JudgeSubject(Analysis), "judge.analysis"},
		{def.UserEvents(42), "events.user.42"},
		{def.LeaderboardEvents(), "events.leaderboard"},
		{def.LeaseBucket(), "leases"},
		{def.RateBucket(), "ratelimits"},
		{def.StateBucket(), "arena"},
		{def.LobbyRequests(), "arena.lobby"},
		{ns.JudgeStream(), "blue_JUDGE"},
		{ns.UserEvents(7), "blue.events.user.7"},
		{ns.AllMatchEvents(), "blue.events.match.*"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if s, err := def.MatchEvents("m-123"); err != nil || s != "events.match.m-123" {
		t.Errorf("match subject %q %v", s, err)
	}
	for _, bad := range []string{"", "a.b", "*", ">", "a b", "x\n"} {
		if _, err := def.MatchEvents(bad); err == nil {
			t.Errorf("match id %q accepted", bad)
		}
	}
}

func TestEventsFanOut(t *testing.T) {
	t.Parallel()
	forEach(t, Config{}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		// Two "API nodes" subscribe; a third connection publishes.
		subj := b.Names.UserEvents(42)
		var subs []*nats.Subscription
		for i := 0; i < 2; i++ {
			c2 := conn(t, dial)
			s, err := c2.SubscribeSync(b.Names.AllUserEvents())
			if err != nil {
				t.Fatal(err)
			}
			if err := c2.Flush(); err != nil {
				t.Fatal(err)
			}
			subs = append(subs, s)
		}
		if err := b.NC.Publish(subj, []byte(`{"type":"rating"}`)); err != nil {
			t.Fatal(err)
		}
		for i, s := range subs {
			m, err := s.NextMsg(2 * time.Second)
			if err != nil {
				t.Fatalf("subscriber %d: %v", i, err)
			}
			if m.Subject != subj || string(m.Data) != `{"type":"rating"}` {
				t.Fatalf("subscriber %d got %s %s", i, m.Subject, m.Data)
			}
		}
	})
}

// leaseTTL is the lease TTL of the lease tests: the checks that a held lease
// stays exclusive must all run within it after a renewal, and 3 s is far
// more than a few NATS round trips take on a loaded machine (the 1 s
// minimum was not always).
const leaseTTL = 3 * time.Second

func TestLeaseExclusiveAndTakeover(t *testing.T) {
	t.Parallel()
	forEach(t, Config{LeaseTTL: leaseTTL}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 30*time.Second)
		a, _ := b.Lease("matchmaker", "node-a")
		c, _ := b.Lease("matchmaker", "node-b")

		if ok, err := a.TryAcquire(ctx); err != nil || !ok {
			t.Fatalf("a acquire: %v %v", ok, err)
		}
		if ok, err := c.TryAcquire(ctx); err != nil || ok {
			t.Fatalf("b acquired a held lease: %v %v", ok, err)
		}
		// The server stamps the renewal after this instant, so the lease
		// cannot expire before lastWrite + TTL.
		lastWrite := time.Now()
		if err := a.Renew(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, _ := c.TryAcquire(ctx); ok {
			t.Fatal("b acquired after a's renewal")
		}
		if h, _ := c.Holder(ctx); h != "node-a" {
			t.Fatalf("holder %q", h)
		}
		if !a.Held() || c.Held() {
			t.Fatalf("held: a %v b %v", a.Held(), c.Held())
		}

		// a stops renewing (crashed): b takes over once the TTL expires.
		var took time.Duration
		for {
			ok, err := c.TryAcquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				took = time.Since(lastWrite)
				break
			}
			if time.Since(lastWrite) > 5*leaseTTL {
				t.Fatal("lease never expired")
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("takeover %v after the last renewal (TTL %v)", took.Round(time.Millisecond), leaseTTL)
		if took < leaseTTL-100*time.Millisecond { // 100 ms for the clocks' granularity
			t.Fatalf("taken over after %v, before the TTL", took)
		}
		if a.Held() {
			t.Fatal("a still believes it holds the expired lease")
		}
		if err := a.Renew(ctx); !errors.Is(err, ErrLeaseLost) {
			t.Fatalf("stale renew: %v", err)
		}
		// A stale release must not delete b's lease.
		if err := a.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if h, _ := a.Holder(ctx); h != "node-b" {
			t.Fatalf("holder after stale release %q", h)
		}
		// b releases: a gets it at once, no TTL wait.
		if err := c.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, err := a.TryAcquire(ctx); err != nil || !ok {
			t.Fatalf("acquire after release: %v %v", ok, err)
		}
	})
}

func TestLeaseValidation(t *testing.T) {
	b := setup(t, conn(t, backends[0].dialer(t)), Config{})
	for _, name := range []string{"", "a b", ".x", "x.", "a*"} {
		if _, err := b.Lease(name, "h"); err == nil {
			t.Errorf("lease name %q accepted", name)
		}
	}
	if _, err := b.Lease("ok", ""); err == nil {
		t.Error("empty holder accepted")
	}
}

func TestCampaignOneLeaderAtATime(t *testing.T) {
	t.Parallel()
	forEach(t, Config{LeaseTTL: leaseTTL}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		var leading, maxLeading, terms atomic.Int32
		lead := func(ctx context.Context) {
			n := leading.Add(1)
			terms.Add(1)
			for {
				m := maxLeading.Load()
				if n <= m || maxLeading.CompareAndSwap(m, n) {
					break
				}
			}
			<-ctx.Done()
			leading.Add(-1)
		}
		ctxA, stopA := context.WithCancel(context.Background())
		ctxB, stopB := context.WithCancel(context.Background())
		defer stopB()
		la, _ := b.Lease("mm", "a")
		lb, _ := b.Lease("mm", "b")
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); _ = la.Campaign(ctxA, lead) }()
		waitFor(t, 10*time.Second, func() bool { return leading.Load() == 1 }) // a leads first
		go func() { defer wg.Done(); _ = lb.Campaign(ctxB, lead) }()

		time.Sleep(leaseTTL + leaseTTL/2) // longer than the TTL: a keeps renewing
		if h, _ := la.Holder(context.Background()); h != "a" || terms.Load() != 1 {
			t.Fatalf("holder %q after %d terms, want a to keep leading", h, terms.Load())
		}
		stopA() // a shuts down cleanly and releases: b leads within a renew period (TTL/3)
		waitFor(t, 3*leaseTTL, func() bool {
			h, _ := lb.Holder(context.Background())
			return h == "b" && leading.Load() == 1
		})
		stopB()
		wg.Wait()
		if m := maxLeading.Load(); m != 1 {
			t.Fatalf("%d leaders at once", m)
		}
		if h, _ := lb.Holder(context.Background()); h != "" {
			t.Fatalf("lease still held by %q after both stopped", h)
		}
	})
}

func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWorkQueueOnceWithAck(t *testing.T) {
	t.Parallel()
	forEach(t, Config{AckWait: time.Second}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 20*time.Second)
		// Published lowest priority first; taken highest priority first.
		for i := 0; i < 3; i++ {
			for _, p := range []Priority{Analysis, Practice, Ranked} {
				if _, err := b.PublishJob(ctx, p, fmt.Sprintf("%s-%d", p, i), []byte(p.String())); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Priority holds among jobs the consumers have registered; a job
		// stored a microsecond ago may not be visible to a no-wait fetch yet.
		waitFor(t, 5*time.Second, func() bool {
			d, err := b.QueueDepth(ctx)
			return err == nil && d[Ranked].Pending == 3 && d[Practice].Pending == 3 && d[Analysis].Pending == 3
		})
		var order []Priority
		for i := 0; i < 9; i++ {
			j, err := b.NextJob(ctx, 50*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if j.Deliveries() != 1 || string(j.Data()) != j.Priority.String() {
				t.Fatalf("job %s delivered %d times", j.Data(), j.Deliveries())
			}
			order = append(order, j.Priority)
			if err := j.Done(ctx); err != nil {
				t.Fatal(err)
			}
		}
		want := []Priority{Ranked, Ranked, Ranked, Practice, Practice, Practice, Analysis, Analysis, Analysis}
		if !slices.Equal(order, want) {
			t.Fatalf("order %v", order)
		}
		// Acked jobs are gone, also after the ack wait.
		time.Sleep(1200 * time.Millisecond)
		short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		if j, err := b.NextJob(short, 50*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("want no job until the deadline, got %v %v", j.Msg, err)
		}
		d, err := b.QueueDepth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for p, v := range d {
			if v.Pending != 0 || v.InFlight != 0 {
				t.Fatalf("%s depth %+v", p, v)
			}
		}
	})
}

// An unacknowledged job comes back after the ack wait, never before, and
// not after MaxDeliver deliveries. The server's count can lag by one: a
// delivery it made to a pull request the client had already given up on
// (a NextJob poll that timed out a moment before) is taken back and not
// counted, so the counts seen may read 1, 1, 2 (1 in 30 runs on an idle
// machine). What holds is that no two deliveries are closer than the ack
// wait, the count never goes down or past MaxDeliver, and it ends at
// MaxDeliver.
func TestWorkQueueRedeliversAfterAckWait(t *testing.T) {
	t.Parallel()
	forEach(t, Config{AckWait: time.Second, MaxDeliver: 2}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 30*time.Second)
		if _, err := b.PublishJob(ctx, Ranked, "sub-1", []byte("code")); err != nil {
			t.Fatal(err)
		}
		var counts []uint64
		var prev time.Time // before the fetch of the previous delivery
		for {
			asked := time.Now()
			wait := 10 * time.Second // the first delivery: hang-only
			if len(counts) > 0 {
				// MaxDeliver reached: nothing comes in 1.8 ack waits.
				wait = 1800 * time.Millisecond
			}
			fetch, cancel := context.WithTimeout(ctx, wait)
			j, err := b.NextJob(fetch, 50*time.Millisecond)
			cancel()
			if errors.Is(err, context.DeadlineExceeded) && len(counts) > 0 && counts[len(counts)-1] == 2 {
				break
			}
			if err != nil {
				t.Fatalf("after deliveries %v: %v", counts, err)
			}
			n := j.Deliveries()
			if string(j.Data()) != "code" || n < 1 || n > 2 || (len(counts) > 0 && n < counts[len(counts)-1]) {
				t.Fatalf("delivery %s #%d after %v", j.Data(), n, counts)
			}
			// The worker "died" (no ack). The server delivered the previous
			// time after prev, so it cannot deliver again before prev +
			// AckWait, however slow the calls are.
			if len(counts) > 0 && time.Since(prev) < 900*time.Millisecond {
				t.Fatalf("redelivered %v after the previous fetch began (ack wait 1 s)", time.Since(prev))
			}
			counts = append(counts, n)
			prev = asked
			if len(counts) > 4 {
				t.Fatalf("delivered %d times: %v (MaxDeliver 2)", len(counts), counts)
			}
		}
		if len(counts) < 2 {
			t.Fatalf("deliveries %v: the job was not redelivered", counts)
		}
		if len(counts) != 2 {
			t.Logf("deliveries %v: one was taken back by the server", counts)
		}
	})
}

// A long job stays with its worker as long as it sends progress heartbeats.
// The ack wait is 3 s and a heartbeat leaves every 500 ms: a redelivery
// needs one to be 2.5 s late, which no load seen here has caused (with a
// 1 s ack wait, 600 ms late was enough).
func TestWorkQueueInProgressHoldsJob(t *testing.T) {
	t.Parallel()
	forEach(t, Config{AckWait: 3 * time.Second}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 20*time.Second)
		if _, err := b.PublishJob(ctx, Ranked, "long-1", []byte("slow")); err != nil {
			t.Fatal(err)
		}
		j, err := b.NextJob(ctx, 50*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		// A second worker on its own connection competes for jobs while the
		// first one works for 2.5 ack waits.
		other := setup(t, conn(t, dial), b.Config)
		got := make(chan Job, 1)
		wctx, cancel := context.WithTimeout(ctx, 7500*time.Millisecond)
		defer cancel()
		go func() {
			if j2, err := other.NextJob(wctx, 50*time.Millisecond); err == nil {
				got <- j2
			}
			close(got)
		}()
		for i := 0; i < 15; i++ {
			time.Sleep(500 * time.Millisecond)
			if err := j.InProgress(); err != nil {
				t.Fatal(err)
			}
		}
		if err := j.Done(ctx); err != nil {
			t.Fatal(err)
		}
		if j2, ok := <-got; ok {
			t.Fatalf("job redelivered (#%d) while its worker sent heartbeats", j2.Deliveries())
		}
	})
}

func TestWorkQueueCompetingWorkers(t *testing.T) {
	t.Parallel()
	forEach(t, Config{}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 20*time.Second)
		const n = 60
		for i := 0; i < n; i++ {
			if _, err := b.PublishJob(ctx, Priority(i%3), fmt.Sprint("job-", i), []byte(fmt.Sprint(i))); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[string]int{}
		var done atomic.Int32
		var wg sync.WaitGroup
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Until all n are done; a worker that waits in vain for a
				// job (the others took the rest) stops at ctx's end.
				for done.Load() < n {
					wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
					j, err := b.NextJob(wctx, 50*time.Millisecond)
					cancel()
					if errors.Is(err, context.DeadlineExceeded) {
						if ctx.Err() != nil {
							return
						}
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					seen[string(j.Data())]++
					mu.Unlock()
					if err := j.Done(ctx); err != nil {
						t.Error(err)
						return
					}
					done.Add(1)
				}
			}()
		}
		wg.Wait()
		short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		if j, err := b.NextJob(short, 50*time.Millisecond); err == nil {
			t.Fatalf("job %s delivered again after all were done", j.Data())
		}
		if len(seen) != n {
			t.Fatalf("%d distinct jobs processed, want %d", len(seen), n)
		}
		for k, c := range seen {
			if c != 1 {
				t.Fatalf("job %s processed %d times", k, c)
			}
		}
	})
}

func TestPublishDedupAndQueueFull(t *testing.T) {
	t.Parallel()
	forEach(t, Config{MaxJobs: 2}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 10*time.Second)
		if dup, err := b.PublishJob(ctx, Ranked, "s1", []byte("a")); err != nil || dup {
			t.Fatalf("first publish: %v %v", dup, err)
		}
		if dup, err := b.PublishJob(ctx, Ranked, "s1", []byte("a")); err != nil || !dup {
			t.Fatalf("retried publish not deduplicated: %v %v", dup, err)
		}
		if _, err := b.PublishJob(ctx, Practice, "s2", []byte("b")); err != nil {
			t.Fatal(err)
		}
		if _, err := b.PublishJob(ctx, Practice, "s3", []byte("c")); !errors.Is(err, ErrQueueFull) {
			t.Fatalf("publish beyond MaxJobs: %v", err)
		}
		if _, err := b.PublishJob(ctx, Priority(9), "s4", nil); err == nil {
			t.Fatal("unknown priority accepted")
		}
		if _, err := b.PublishJob(ctx, Ranked, "", nil); err == nil {
			t.Fatal("job without id accepted")
		}
	})
}

func TestCounters(t *testing.T) {
	t.Parallel()
	forEach(t, Config{}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 20*time.Second)
		c := b.Counters()
		now := time.Date(2026, 11, 26, 12, 0, 10, 0, time.UTC)
		for i := 1; i <= 3; i++ {
			d, err := c.Window(ctx, "submit.user.42", 3, time.Minute, now)
			if err != nil || !d.Allowed || d.Count != int64(i) {
				t.Fatalf("event %d: %+v %v", i, d, err)
			}
		}
		d, err := c.Window(ctx, "submit.user.42", 3, time.Minute, now.Add(5*time.Second))
		if err != nil || d.Allowed || d.RetryAfter != 45*time.Second || d.Count != 3 {
			t.Fatalf("4th event: %+v %v", d, err)
		}
		if d, _ := c.Window(ctx, "submit.user.43", 3, time.Minute, now); !d.Allowed {
			t.Fatal("another user limited")
		}
		if d, _ := c.Window(ctx, "submit.user.42", 3, time.Minute, now.Add(50*time.Second)); !d.Allowed || d.Count != 1 {
			t.Fatalf("next window: %+v", d)
		}

		// In-flight cap with increments from two connections (two API nodes).
		b2, err := Setup(ctx, conn(t, dial), b.Config)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var applied atomic.Int32
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(cs *Counters) {
				defer wg.Done()
				_, ok, err := cs.Add(ctx, "inflight.user.42", 1, 15)
				if err != nil {
					t.Error(err)
				}
				if ok {
					applied.Add(1)
				}
			}([]*Counters{c, b2.Counters()}[i%2])
		}
		wg.Wait()
		v, err := c.Get(ctx, "inflight.user.42")
		if err != nil || v != 15 || applied.Load() != 15 {
			t.Fatalf("value %d with %d applied, want 15 and 15 (%v)", v, applied.Load(), err)
		}
		if v, ok, _ := c.Add(ctx, "inflight.user.42", -20, 0); !ok || v != 0 {
			t.Fatalf("decrement below zero: %d %v", v, ok)
		}
		if _, _, err := c.Add(ctx, "bad key", 1, 0); err == nil {
			t.Fatal("bad key accepted")
		}
		if _, err := c.Window(ctx, "k", 0, time.Minute, now); err == nil {
			t.Fatal("zero limit accepted")
		}
	})
}

// TestEmbeddedListenAndPersist starts the embedded server with a loopback
// listener, connects over TCP, and checks that a queued job survives a
// restart on the same store directory.
func TestEmbeddedListenAndPersist(t *testing.T) {
	dir := t.TempDir()
	e, err := StartEmbedded(EmbeddedConfig{StoreDir: dir, Listen: true})
	if err != nil {
		t.Fatal(err)
	}
	url := e.ClientURL()
	if url == "" {
		t.Fatal("listening server has no URL")
	}
	ctx := ctxT(t, 15*time.Second)
	nc, err := Connect(ctx, url, "test")
	if err != nil {
		e.Shutdown()
		t.Fatal(err)
	}
	b, err := Setup(ctx, nc, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.PublishJob(ctx, Ranked, "persist-1", []byte("keep me")); err != nil {
		t.Fatal(err)
	}
	nc.Close()
	e.Shutdown()

	e2 := startEmbedded(t, dir, false)
	if e2.ClientURL() != "" {
		t.Fatal("in-process-only server reports a URL")
	}
	nc2, err := e2.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc2.Close()
	b2, err := Setup(ctx, nc2, Config{})
	if err != nil {
		t.Fatal(err)
	}
	j, err := b2.NextJob(ctx, 50*time.Millisecond)
	if err != nil || string(j.Data()) != "keep me" {
		t.Fatalf("after restart: %v %v", j.Msg, err)
	}
}

func TestStartEmbeddedNeedsDir(t *testing.T) {
	if _, err := StartEmbedded(EmbeddedConfig{}); err == nil {
		t.Fatal("started without a store directory")
	}
}

func TestConnectUnreachable(t *testing.T) {
	ctx := ctxT(t, 2*time.Second)
	if _, err := Connect(ctx, "nats://127.0.0.1:1", "test"); err == nil {
		t.Fatal("connected to a closed port")
	}
}

// TestLeaseTTLChangeUpdatesBucket: the bucket's TTL is set when it is
// created; a deployment that lowers LeaseTTL must get the lower expiry on
// its existing bucket (Setup updates it), or a crashed leader would still
// be waited for with the old TTL. The old TTL is 10 minutes and the new
// one 1 s: a takeover within 2 minutes can only come from the new TTL,
// and no load delays 1 s by 2 minutes.
func TestLeaseTTLChangeUpdatesBucket(t *testing.T) {
	t.Parallel()
	forEach(t, Config{LeaseTTL: 10 * time.Minute}, func(t *testing.T, dial func() (*nats.Conn, error), b *Bus) {
		ctx := ctxT(t, 3*time.Minute)
		old, _ := b.Lease("arena-leader", "old-node")
		lastWrite := time.Now() // the server stamps the write after this
		if ok, err := old.TryAcquire(ctx); err != nil || !ok {
			t.Fatalf("acquire: %v %v", ok, err)
		}
		cfg := b.Config
		cfg.LeaseTTL = time.Second
		nb, err := Setup(ctx, conn(t, dial), cfg)
		if err != nil {
			t.Fatal(err)
		}
		st, err := nb.leases.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.TTL() != time.Second {
			t.Fatalf("bucket TTL %v after Setup with LeaseTTL 1s", st.TTL())
		}
		// The old holder stops renewing: the new TTL decides when another
		// node takes over, also for the entry written before the change.
		c, _ := nb.Lease("arena-leader", "new-node")
		if c.TTL() != time.Second {
			t.Fatalf("lease TTL %v", c.TTL())
		}
		for {
			ok, err := c.TryAcquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				break
			}
			if time.Since(lastWrite) > 2*time.Minute { // 1 s wanted, 10 min if the old TTL held
				t.Fatalf("not taken over %v after the last write: the old 10 min TTL still applies", time.Since(lastWrite))
			}
			time.Sleep(50 * time.Millisecond)
		}
		if took := time.Since(lastWrite); took < 900*time.Millisecond {
			t.Fatalf("taken over after %v, before the TTL", took)
		}
	})
}
