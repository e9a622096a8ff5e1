package bus

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Priority of a judge job. Each priority has its own subject and durable
// consumer; workers always drain a higher priority first, so a practice
// flood cannot delay a ranked match.
//
// Ranked and practice each have two lanes, which is how the judge is
// shared fairly between accounts (round-robin): a user's job goes to the
// first lane (Ranked, Practice) when it is the user's only submission not
// yet judged, and to the repeat lane (RankedRepeat, PracticeRepeat) when
// the user already has one waiting or running. Workers drain a class's
// first lane before its repeat lane, so one account's backlog waits behind
// every other account's next job; the API side decides the lane
// (execution.Service), the workers only keep the order.
type Priority int

// Priorities (their values are not an order; Priorities is).
const (
	Ranked         Priority = iota // submissions in ranked matches
	Practice                       // practice runs, casual matches, samples
	Analysis                       // coach analysis and other background work
	RankedRepeat                   // ranked jobs of a user with another job in flight
	PracticeRepeat                 // practice jobs of a user with another job in flight
)

// Priorities lists every priority in the order workers take them, highest
// first: ranked, its repeat lane, practice, its repeat lane, analysis.
var Priorities = []Priority{Ranked, RankedRepeat, Practice, PracticeRepeat, Analysis}

func (p Priority) String() string {
	switch p {
	case Ranked:
		return "ranked"
	case Practice:
		return "practice"
	case Analysis:
		return "analysis"
	case RankedRepeat:
		return "ranked-repeat"
	case PracticeRepeat:
		return "practice-repeat"
	}
	return "priority(" + strconv.Itoa(int(p)) + ")"
}

func (p Priority) valid() bool { return p >= Ranked && p <= PracticeRepeat }

// Repeat is p's repeat lane (itself for Analysis and the repeat lanes).
func (p Priority) Repeat() Priority {
	switch p {
	case Ranked:
		return RankedRepeat
	case Practice:
		return PracticeRepeat
	}
	return p
}

// Names are the stream, subject and bucket names of one deployment. A
// namespace keeps several deployments (or test runs) apart on one NATS
// server; the default namespace "" gives the plain names below.
type Names struct {
	ns string
}

var nsPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{0,32}$`)

// NewNames validates a namespace: up to 32 of [A-Za-z0-9_-].
func NewNames(namespace string) (Names, error) {
	if !nsPattern.MatchString(namespace) {
		return Names{}, fmt.Errorf("bus: namespace %q: want up to 32 of [A-Za-z0-9_-]", namespace)
	}
	return Names{ns: namespace}, nil
}

func (n Names) subj(s string) string {
	if n.ns == "" {
		return s
	}
	return n.ns + "." + s
}

func (n Names) name(s string) string {
	if n.ns == "" {
		return s
	}
	return n.ns + "_" + s
}

// JudgeStream is the work-queue stream of judge jobs ("JUDGE").
func (n Names) JudgeStream() string { return n.name("JUDGE") }

// JudgeSubject is the subject of one priority: judge.ranked, judge.practice,
// judge.analysis, judge.ranked-repeat, judge.practice-repeat.
func (n Names) JudgeSubject(p Priority) string { return n.subj("judge." + p.String()) }

// JudgeConsumer is the durable consumer shared by all workers for one priority.
func (n Names) JudgeConsumer(p Priority) string { return "judge-" + p.String() }

// LeaseBucket is the KV bucket holding leases ("leases").
func (n Names) LeaseBucket() string { return n.name("leases") }

// RateBucket is the KV bucket holding rate-limit counters ("ratelimits").
func (n Names) RateBucket() string { return n.name("ratelimits") }

// StateBucket is the KV bucket for small shared arena state that must
// survive the loss of a node, e.g. the matchmaker's lobby snapshot written
// by the leader after every tick ("arena").
func (n Names) StateBucket() string { return n.name("arena") }

// LobbyRequests is the subject on which API nodes send lobby actions
// (enqueue, accept, ...) to the current matchmaker leader, which answers
// with NATS request/reply ("arena.lobby").
func (n Names) LobbyRequests() string { return n.subj("arena.lobby") }

// NodeRequests is arena.node.<node>: the actions on the matches one API
// node owns, sent to it by the other nodes (request/reply). node must be a
// single subject token.
func (n Names) NodeRequests(node string) (string, error) {
	if !validToken(node) {
		return "", fmt.Errorf("bus: node name %q is not a subject token", node)
	}
	return n.subj("arena.node." + node), nil
}

// SessionsEnded carries a user id (decimal) whenever some node ended
// sessions of that user (sign-out, sign-out everywhere, disabling, new
// password): every node checks that user's open sockets again at once.
func (n Names) SessionsEnded() string { return n.subj("auth.sessions.ended") }

// Presence is arena.presence: every API node tells every other which users
// have a connection on it.
func (n Names) Presence() string { return n.subj("arena.presence") }

// Event subjects. Events are plain NATS messages (no stream): every API
// node subscribes to the subjects of the users, matches and boards its
// clients watch, and a node that was down simply resends a snapshot on
// reconnect instead of replaying history.

// UserEvents is events.user.<id>: everything addressed to one player.
func (n Names) UserEvents(userID int64) string {
	return n.subj("events.user." + strconv.FormatInt(userID, 10))
}

// MatchEvents is events.match.<id>: progress of one match, for its players
// and spectators. The id must be a single subject token.
func (n Names) MatchEvents(matchID string) (string, error) {
	if !validToken(matchID) {
		return "", fmt.Errorf("bus: match id %q is not a subject token", matchID)
	}
	return n.subj("events.match." + matchID), nil
}

// LeaderboardEvents is events.leaderboard: rank changes.
func (n Names) LeaderboardEvents() string { return n.subj("events.leaderboard") }

// AllUserEvents, AllMatchEvents match every user's or match's events
// (for a node that prefers one wildcard subscription to many).
func (n Names) AllUserEvents() string  { return n.subj("events.user.*") }
func (n Names) AllMatchEvents() string { return n.subj("events.match.*") }

// validToken reports whether s can be one token of a subject: non-empty,
// no separators, wildcards or whitespace.
func validToken(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if c == '.' || c == '*' || c == '>' || c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// Config sizes the streams and buckets. Zero fields take the defaults of
// DefaultConfig.
type Config struct {
	Namespace string
	// Replicas for streams and buckets: 1 embedded, 3 on a cluster.
	Replicas int
	// Memory keeps streams in memory instead of files (tests only: judge
	// jobs must survive a restart).
	Memory bool

	// AckWait is how long a worker may hold a job without acking or sending
	// a progress heartbeat (Msg.InProgress) before it is redelivered.
	AckWait time.Duration
	// MaxDeliver bounds deliveries of one job; after that the API marks the
	// submission as an internal error instead of leaving it queued.
	MaxDeliver int
	// MaxJobs is the global queue depth cap: publishes beyond it are refused
	// (ErrQueueFull) so the API can answer 503 instead of queueing forever.
	MaxJobs int64
	// DedupWindow drops a second publish of the same job id (a retried
	// request) within this window.
	DedupWindow time.Duration

	// LeaseTTL is how long a lease lives without renewal.
	LeaseTTL time.Duration
	// RateTTL is how long an idle rate-limit counter is kept; it must be at
	// least the longest window used with Counters.Window.
	RateTTL time.Duration
}

// DefaultConfig returns the defaults: 1 replica, file storage, ack wait
// 30 s, 5 deliveries, 100,000 queued jobs, 2 min dedup, 10 s lease TTL,
// 1 h rate counter TTL.
func DefaultConfig() Config {
	return Config{
		Replicas: 1, AckWait: 30 * time.Second, MaxDeliver: 5, MaxJobs: 100_000,
		DedupWindow: 2 * time.Minute, LeaseTTL: 10 * time.Second, RateTTL: time.Hour,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Replicas == 0 {
		c.Replicas = d.Replicas
	}
	if c.AckWait == 0 {
		c.AckWait = d.AckWait
	}
	if c.MaxDeliver == 0 {
		c.MaxDeliver = d.MaxDeliver
	}
	if c.MaxJobs == 0 {
		c.MaxJobs = d.MaxJobs
	}
	if c.DedupWindow == 0 {
		c.DedupWindow = d.DedupWindow
	}
	if c.LeaseTTL == 0 {
		c.LeaseTTL = d.LeaseTTL
	}
	if c.RateTTL == 0 {
		c.RateTTL = d.RateTTL
	}
	return c
}

// Bus is a connection with the streams and buckets ensured.
type Bus struct {
	NC     *nats.Conn
	JS     jetstream.JetStream
	Names  Names
	Config Config

	judge     jetstream.Stream
	consumers map[Priority]jetstream.Consumer
	leases    jetstream.KeyValue
	rates     jetstream.KeyValue
	state     jetstream.KeyValue
}

// Leases is the lease bucket (see Names.LeaseBucket): every key expires
// TTL after its last write. API nodes also keep their membership keys in
// it.
func (b *Bus) Leases() jetstream.KeyValue { return b.leases }

// State is the arena state bucket (see Names.StateBucket). Writers that
// race should use Update with the revision they read (compare-and-set).
func (b *Bus) State() jetstream.KeyValue { return b.state }

// Setup ensures (creates or updates to match cfg) the judge stream with one
// durable consumer per priority, the lease, rate-limit and state buckets.
// It is idempotent: every API node and worker calls it at start.
func Setup(ctx context.Context, nc *nats.Conn, cfg Config) (*Bus, error) {
	cfg = cfg.withDefaults()
	names, err := NewNames(cfg.Namespace)
	if err != nil {
		return nil, err
	}
	if cfg.AckWait < time.Second || cfg.MaxDeliver < 1 || cfg.LeaseTTL < time.Second || cfg.RateTTL < time.Second {
		return nil, fmt.Errorf("bus: config %+v out of range", cfg)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	storage := jetstream.FileStorage
	if cfg.Memory {
		storage = jetstream.MemoryStorage
	}
	b := &Bus{NC: nc, JS: js, Names: names, Config: cfg, consumers: map[Priority]jetstream.Consumer{}}

	subjects := make([]string, 0, len(Priorities))
	for _, p := range Priorities {
		subjects = append(subjects, names.JudgeSubject(p))
	}
	b.judge, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        names.JudgeStream(),
		Description: "SegFault Arena judge jobs (work queue)",
		Subjects:    subjects,
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     storage,
		Replicas:    cfg.Replicas,
		MaxMsgs:     cfg.MaxJobs,
		Discard:     jetstream.DiscardNew,
		Duplicates:  cfg.DedupWindow,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: ensure stream %s: %w", names.JudgeStream(), err)
	}
	for _, p := range Priorities {
		c, err := b.judge.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{
			Durable:       names.JudgeConsumer(p),
			Description:   "judge workers, " + p.String() + " jobs",
			FilterSubject: names.JudgeSubject(p),
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       cfg.AckWait,
			MaxDeliver:    cfg.MaxDeliver,
			DeliverPolicy: jetstream.DeliverAllPolicy,
			// Enough outstanding jobs for many workers; the per-worker
			// concurrency is bounded by how often each one fetches.
			MaxAckPending: 10_000,
			Replicas:      cfg.Replicas,
		})
		if err != nil {
			return nil, fmt.Errorf("bus: ensure consumer %s: %w", names.JudgeConsumer(p), err)
		}
		b.consumers[p] = c
	}

	b.leases, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      names.LeaseBucket(),
		Description: "leases (matchmaker leader); an entry expires TTL after its last renewal",
		History:     1,
		TTL:         cfg.LeaseTTL,
		Storage:     storage,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: ensure bucket %s: %w", names.LeaseBucket(), err)
	}
	b.rates, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      names.RateBucket(),
		Description: "rate-limit counters shared by all API nodes",
		History:     1,
		TTL:         cfg.RateTTL,
		Storage:     storage,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: ensure bucket %s: %w", names.RateBucket(), err)
	}
	b.state, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      names.StateBucket(),
		Description: "arena state shared by API nodes (lobby snapshot)",
		History:     1,
		Storage:     storage,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: ensure bucket %s: %w", names.StateBucket(), err)
	}
	return b, nil
}

// Teardown deletes the deployment's streams and buckets (tests, and
// `segfault` maintenance commands). Missing ones are not an error.
func (b *Bus) Teardown(ctx context.Context) error {
	var errs []error
	if err := b.JS.DeleteStream(ctx, b.Names.JudgeStream()); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		errs = append(errs, err)
	}
	for _, bucket := range []string{b.Names.LeaseBucket(), b.Names.RateBucket(), b.Names.StateBucket()} {
		if err := b.JS.DeleteKeyValue(ctx, bucket); err != nil && !errors.Is(err, jetstream.ErrBucketNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
