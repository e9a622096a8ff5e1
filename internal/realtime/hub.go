// Package realtime is the WebSocket hub of docs/protocol.md (v1): it
// authenticates the upgrade with the session cookie, checks the Origin,
// bounds frame sizes, rates and send queues, decodes and validates every
// client frame, and hands valid requests to a Handler (the arena service).
// A bad frame gets an `error` frame with a stable code (or a close with a
// reason); it never panics and never reaches the Handler.
package realtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/segfaultarena/segfault/internal/errcode"
	"github.com/segfaultarena/segfault/internal/protocol"
	"github.com/segfaultarena/segfault/internal/store"
)

// Close statuses of the protocol.
const (
	StatusProtocol     websocket.StatusCode = 4000
	StatusUnauthorized websocket.StatusCode = 4401
	StatusSlowConsumer websocket.StatusCode = 4408
	StatusFlooding     websocket.StatusCode = 4429
)

// Reply is reply data followed by frames pushed right after it (e.g. the
// leaderboard page a `resume` restores, after the snapshot).
type Reply struct {
	Data any
	Push [][]byte
}

// sessionEnded reports whether err from Options.Authenticate says the
// session is missing, expired or revoked (or the account disabled), as
// opposed to a failure to check it (database down), which does not close
// open connections.
func sessionEnded(err error) bool {
	c := errcode.CodeOf(err)
	return err != nil && (c == errcode.Unauthenticated || c == errcode.AccountDisabled)
}

// Handler is what the hub needs from the arena (consumer side). Request
// gets every valid frame except ping, after hello/resume; it returns the
// reply's type and data ("" for no reply) or an error (an *errcode.Error
// is sent as is, anything else as `internal`).
type Handler interface {
	Request(ctx context.Context, c *Conn, req Request) (replyType protocol.Event, data any, err error)
	// Opened and Closed bracket a connection's life (presence).
	Opened(c *Conn)
	Closed(c *Conn)
}

// Options configure the hub. Zero values take the protocol's numbers.
type Options struct {
	Authenticate func(r *http.Request) (store.User, error)
	SameOrigin   func(r *http.Request) bool
	// WriteError answers a refused upgrade (an *errcode.Error) with the
	// API's JSON error body.
	WriteError func(w http.ResponseWriter, r *http.Request, err error)
	Handler    Handler
	Logger     *slog.Logger

	MaxFrame  int64 // 256 KiB: larger frames are refused, the connection stays
	HardFrame int64 // 8 MiB: larger frames close the connection (1009)
	SendQueue int   // 256 frames
	// RatePerSec and RateBurst are each user's frame budget on this node,
	// shared by all of the user's connections: more sockets buy no more
	// requests.
	RatePerSec   float64       // 20
	RateBurst    float64       // 40
	FloodRefused int           // 200 refused frames ...
	FloodWindow  time.Duration // ... in 10 s closes with 4429
	PingEvery    time.Duration // 20 s
	PongTimeout  time.Duration // 45 s
	// Reauth is how often an open connection's session is checked again
	// (revoked or expired → `unauthenticated`, close 4401); 5 min.
	Reauth time.Duration
	// RequestTimeout bounds one Handler.Request (30 s: a submission is
	// stored and queued within it, even on a loaded node).
	RequestTimeout time.Duration
	// MaxConnsPerUser and MaxConnsPerIP cap the connections one account
	// and one client address hold on this node (5 and 50); an upgrade over
	// either is refused with 429 too_many_connections.
	MaxConnsPerUser int
	MaxConnsPerIP   int
	// ClientIP is the address MaxConnsPerIP counts (behind a proxy, the
	// forwarded one); default the connection's peer.
	ClientIP func(*http.Request) string
}

func (o *Options) defaults() {
	if o.MaxFrame == 0 {
		o.MaxFrame = MaxFrameBytes
	}
	if o.HardFrame == 0 {
		o.HardFrame = protocol.HardFrameBytes
	}
	o.HardFrame = max(o.HardFrame, o.MaxFrame)
	if o.SendQueue == 0 {
		o.SendQueue = 256
	}
	if o.RatePerSec == 0 {
		o.RatePerSec = 20
	}
	if o.RateBurst == 0 {
		o.RateBurst = 40
	}
	if o.FloodRefused == 0 {
		o.FloodRefused = 200
	}
	if o.FloodWindow == 0 {
		o.FloodWindow = 10 * time.Second
	}
	if o.PingEvery == 0 {
		o.PingEvery = 20 * time.Second
	}
	if o.PongTimeout == 0 {
		o.PongTimeout = 45 * time.Second
	}
	if o.Reauth == 0 {
		o.Reauth = 5 * time.Minute
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxConnsPerUser == 0 {
		o.MaxConnsPerUser = 5
	}
	if o.MaxConnsPerIP == 0 {
		o.MaxConnsPerIP = 50
	}
	if o.ClientIP == nil {
		o.ClientIP = func(r *http.Request) string {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			if err != nil {
				return r.RemoteAddr
			}
			return host
		}
	}
}

// budget is one user's frame token bucket on this node, shared by the
// user's connections.
type budget struct {
	mu     sync.Mutex
	tokens float64
	last   time.Time
}

// Hub holds this node's connections.
type Hub struct {
	opt    Options
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu         sync.RWMutex
	conns      map[*Conn]struct{}
	byUser     map[int64]map[*Conn]struct{}
	spectators map[string]map[*Conn]struct{}
	// boards indexes leaderboard subscribers by the page they watch
	// (pageKey): a broadcast walks only the subscribers,
	// page by page, with no per-connection lock or key building.
	boards map[string]*boardGroup
	// Connections held (open or being opened) per user and per address,
	// and each user's frame budget while the user has one.
	perUser map[int64]int
	perIP   map[string]int
	budgets map[int64]*budget

	nextID  atomic.Uint64
	written atomic.Uint64 // frames handed to the kernel, all connections
}

// FramesWritten counts the frames written to sockets since the hub
// started (load tools time a broadcast's fan-out with it).
func (h *Hub) FramesWritten() uint64 { return h.written.Load() }

// New starts a hub (its heartbeat loop). Stop it with Close.
func New(opt Options) (*Hub, error) {
	if opt.Authenticate == nil || opt.Handler == nil {
		return nil, errors.New("realtime: Authenticate and Handler are required")
	}
	opt.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{opt: opt, ctx: ctx, cancel: cancel, conns: map[*Conn]struct{}{},
		byUser: map[int64]map[*Conn]struct{}{}, spectators: map[string]map[*Conn]struct{}{}, boards: map[string]*boardGroup{},
		perUser: map[int64]int{}, perIP: map[string]int{}, budgets: map[int64]*budget{}}
	h.wg.Add(1)
	go h.heartbeat()
	return h, nil
}

// Close closes every connection with 1001 (going away: another node takes
// over) and stops the hub.
func (h *Hub) Close() {
	h.mu.RLock()
	conns := make([]*Conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.RUnlock()
	for _, c := range conns {
		c.close(websocket.StatusGoingAway, "node draining")
	}
	h.cancel()
	h.wg.Wait()
}

// heartbeat pings every connection every PingEvery; a connection that does
// not answer within PongTimeout is closed. The pings are spread over the
// interval (one slice of the connections per tick) so that 10,000 of them
// never land on the same instant as a broadcast, and each runs in a
// short-lived goroutine so an idle connection keeps only its reader.
func (h *Hub) heartbeat() {
	defer h.wg.Done()
	const slices = 20
	t := time.NewTicker(h.opt.PingEvery / slices)
	defer t.Stop()
	for tick := uint64(0); ; tick++ {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		h.mu.RLock()
		for c := range h.conns {
			if c.ID%slices != tick%slices {
				continue
			}
			reauth := time.Since(c.authAt) >= h.opt.Reauth
			if reauth {
				c.authAt = time.Now()
			}
			go func() {
				if reauth && h.reauth(c) {
					return
				}
				ctx, cancel := context.WithTimeout(c.ctx, h.opt.PongTimeout)
				defer cancel()
				if err := c.ws.Ping(ctx); err != nil && c.ctx.Err() == nil {
					c.close(websocket.StatusPolicyViolation, "no pong")
				}
			}()
		}
		h.mu.RUnlock()
	}
}

// reauth checks c's session again and closes c (unauthenticated, 4401)
// when it ended; true when it did.
func (h *Hub) reauth(c *Conn) bool {
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	r, _ := http.NewRequestWithContext(ctx, http.MethodGet, "/ws", nil)
	r.Header.Set("Cookie", c.cookie)
	u, err := h.opt.Authenticate(r)
	cancel()
	if sessionEnded(err) || err == nil && u.ID != c.User.ID {
		c.Send(ErrorFrame("", errcode.New(errcode.Unauthenticated, "your session ended; sign in again")))
		c.close(StatusUnauthorized, "session expired")
		return true
	}
	return false
}

// Recheck checks the session of each of user's connections on this node
// again now, and closes those whose session ended (4401): a sign-out, a
// sign-out everywhere, a disabled account or a new password takes effect
// at once instead of at the next periodic check (Reauth). The arena calls
// it on every node when any node ends a user's sessions.
func (h *Hub) Recheck(user int64) {
	h.ForUser(user, func(c *Conn) { go h.reauth(c) })
}

// Count is the number of open connections.
func (h *Hub) Count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.conns)
}

// UserCount is the number of distinct users connected here.
func (h *Hub) UserCount() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.byUser)
}

// Users lists the users with at least one connection here.
func (h *Hub) Users() []int64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	ids := make([]int64, 0, len(h.byUser))
	for id := range h.byUser {
		ids = append(ids, id)
	}
	return ids
}

// UserConnected reports whether user has a connection on this node.
func (h *Hub) UserConnected(user int64) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.byUser[user]) > 0
}

// ForUser calls fn for each of user's connections (outside the hub lock).
func (h *Hub) ForUser(user int64, fn func(*Conn)) {
	h.mu.RLock()
	cs := connList(h.byUser[user])
	h.mu.RUnlock()
	for _, c := range cs {
		fn(c)
	}
}

// ForSpectators calls fn for each connection spectating matchID.
func (h *Hub) ForSpectators(matchID string, fn func(*Conn)) {
	h.mu.RLock()
	cs := connList(h.spectators[matchID])
	h.mu.RUnlock()
	for _, c := range cs {
		fn(c)
	}
}

// connList copies a connection set (under the hub lock) so callbacks run
// without holding it.
func connList(set map[*Conn]struct{}) []*Conn {
	cs := make([]*Conn, 0, len(set))
	for c := range set {
		cs = append(cs, c)
	}
	return cs
}

// boardGroup is the connections watching one leaderboard page.
type boardGroup struct {
	sub   LeaderboardSub
	conns map[*Conn]struct{}
}

// pageKey names the page a subscription watches: connections with equal
// keys get the same frame. An "around me" page is the user's own.
func pageKey(s LeaderboardSub, user int64) string {
	if s.Around == "me" {
		return string(s.Board) + "|me" + strconv.FormatInt(user, 10) + "|" + strconv.Itoa(s.Limit)
	}
	return string(s.Board) + "|" + strconv.Itoa(s.Offset) + "|" + strconv.Itoa(s.Limit)
}

// ForLeaderboards calls fn once per watched leaderboard page with its
// subscribers (outside the hub lock). A user id of one subscriber is
// given for "around me" pages.
func (h *Hub) ForLeaderboards(fn func(key string, sub LeaderboardSub, user int64, conns []*Conn)) {
	type page struct {
		key   string
		sub   LeaderboardSub
		conns []*Conn
	}
	h.mu.RLock()
	pages := make([]page, 0, len(h.boards))
	for key, g := range h.boards {
		pages = append(pages, page{key: key, sub: g.sub, conns: connList(g.conns)})
	}
	h.mu.RUnlock()
	for _, p := range pages {
		if len(p.conns) > 0 {
			fn(p.key, p.sub, p.conns[0].User.ID, p.conns)
		}
	}
}

// ForAll calls fn for every connection that said hello.
func (h *Hub) ForAll(fn func(*Conn)) {
	h.mu.RLock()
	cs := make([]*Conn, 0, len(h.conns))
	for c := range h.conns {
		cs = append(cs, c)
	}
	h.mu.RUnlock()
	for _, c := range cs {
		if c.helloDone.Load() {
			fn(c)
		}
	}
}

func (h *Hub) refuse(w http.ResponseWriter, r *http.Request, status int, e *errcode.Error) {
	if h.opt.WriteError != nil {
		h.opt.WriteError(w, r, e)
		return
	}
	http.Error(w, e.Error(), status)
}

// ServeHTTP is GET /ws.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.opt.SameOrigin != nil && !h.opt.SameOrigin(r) {
		h.refuse(w, r, http.StatusForbidden, errcode.New(errcode.ForbiddenOrigin, "cross-origin WebSocket refused"))
		return
	}
	user, err := h.opt.Authenticate(r)
	if err != nil {
		h.refuse(w, r, http.StatusUnauthorized, errcode.New(errcode.Unauthenticated, "sign in first"))
		return
	}
	if offered := r.Header.Values("Sec-WebSocket-Protocol"); len(offered) > 0 &&
		!strings.Contains(strings.Join(offered, ","), Subprotocol) {
		h.refuse(w, r, http.StatusBadRequest, errcode.New(errcode.UnsupportedVersion, "this server speaks "+Subprotocol))
		return
	}
	ip := h.opt.ClientIP(r)
	b, refusal := h.reserve(user.ID, ip)
	if refusal != nil {
		h.refuse(w, r, http.StatusTooManyRequests, refusal)
		return
	}
	ws, err := websocket.Accept(leanHijacker{w}, r, &websocket.AcceptOptions{
		Subprotocols: []string{Subprotocol},
		// The Origin was checked above against the public URL, which is
		// stricter than the library's same-host rule behind a proxy.
		InsecureSkipVerify: true,
		CompressionMode:    websocket.CompressionDisabled,
	})
	if err != nil {
		h.release(user.ID, ip)
		return // Accept already answered
	}
	// Frames up to HardFrame are read (at most MaxFrame of them kept) so
	// that an oversized one is answered, not a reason to drop the player.
	ws.SetReadLimit(h.opt.HardFrame)
	ctx, cancel := context.WithCancel(h.ctx)
	// Only the cookie is kept, to check the session again later.
	c := &Conn{hub: h, ws: ws, ID: h.nextID.Add(1), User: user, IP: ip, ctx: ctx, cancel: cancel, cookie: r.Header.Get("Cookie"), authAt: time.Now(),
		budget: b}
	h.mu.Lock()
	h.conns[c] = struct{}{}
	if h.byUser[user.ID] == nil {
		h.byUser[user.ID] = map[*Conn]struct{}{}
	}
	h.byUser[user.ID][c] = struct{}{}
	h.mu.Unlock()
	h.opt.Handler.Opened(c)
	// The socket is read on a goroutine of its own and this handler
	// returns: the HTTP server forgets a hijacked connection, so its
	// request, its buffers and the deep stack of its goroutine are freed
	// instead of being held for the socket's life.
	go h.serve(c)
}

// serve reads c until it ends, then forgets it.
func (h *Hub) serve(c *Conn) {
	user := c.User
	defer h.release(user.ID, c.IP)
	c.readLoop()
	c.close(websocket.StatusNormalClosure, "")
	h.mu.Lock()
	delete(h.conns, c)
	if set := h.byUser[user.ID]; set != nil {
		delete(set, c)
		if len(set) == 0 {
			delete(h.byUser, user.ID)
		}
	}
	if c.spectate != "" {
		delete(h.spectators[c.spectate], c)
		if len(h.spectators[c.spectate]) == 0 {
			delete(h.spectators, c.spectate)
		}
	}
	h.unindexBoard(c)
	h.mu.Unlock()
	h.opt.Handler.Closed(c)
}

// reserve takes a connection place for user at ip, or refuses
// (too_many_connections) when either holds its cap; it returns the user's
// frame budget. Places are taken before the upgrade, so a burst of
// simultaneous upgrades cannot overshoot the caps.
func (h *Hub) reserve(user int64, ip string) (*budget, *errcode.Error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.perUser[user] >= h.opt.MaxConnsPerUser:
		return nil, &errcode.Error{Code: errcode.TooManyConnections, Limit: int64(h.opt.MaxConnsPerUser), RetryAfter: 5 * time.Second,
			Message: fmt.Sprintf("you have %d connections open already (close a tab)", h.opt.MaxConnsPerUser)}
	case h.perIP[ip] >= h.opt.MaxConnsPerIP:
		return nil, &errcode.Error{Code: errcode.TooManyConnections, Limit: int64(h.opt.MaxConnsPerIP), RetryAfter: 5 * time.Second,
			Message: fmt.Sprintf("your address has %d connections open already", h.opt.MaxConnsPerIP)}
	}
	h.perUser[user]++
	h.perIP[ip]++
	b := h.budgets[user]
	if b == nil {
		b = &budget{tokens: h.opt.RateBurst, last: time.Now()}
		h.budgets[user] = b
	}
	return b, nil
}

// release gives back a place taken by reserve.
func (h *Hub) release(user int64, ip string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.perUser[user]--; h.perUser[user] <= 0 {
		delete(h.perUser, user)
		delete(h.budgets, user)
	}
	if h.perIP[ip]--; h.perIP[ip] <= 0 {
		delete(h.perIP, ip)
	}
}

// Conn is one WebSocket connection of a signed-in user.
type Conn struct {
	hub  *Hub
	ws   *websocket.Conn
	ID   uint64
	User store.User
	// IP is the client's address as Options.ClientIP computed it at the
	// upgrade (behind a trusted proxy, the forwarded one): the judge's
	// per-address limits count the requests of this connection under it.
	IP     string
	ctx    context.Context
	cancel context.CancelFunc
	once   sync.Once

	// The send queue. An idle connection holds neither frames nor a
	// writer: the queue's slice is made by the first frame after a quiet
	// spell, and a writer goroutine lives while the queue is not empty.
	qmu     sync.Mutex
	queue   [][]byte      // frames not yet written, oldest first; at most SendQueue
	writing bool          // a writeLoop is running
	drained chan struct{} // made by close while writing: closed when the writer stops

	helloDone atomic.Bool
	cookie    string    // the upgrade's Cookie header: the session is checked again with it
	authAt    time.Time // guarded by the heartbeat loop (its only user)

	// rate limiting: the user's shared budget; the refusals are this
	// connection's (touched only by the read loop)
	budget      *budget
	refused     int
	refusedFrom time.Time
	badFrames   int

	// closed is set when a close is decided: Send queues no more, the
	// writer flushes what is queued, then the socket is closed.
	closed atomic.Bool

	mu       sync.Mutex
	boardKey string            // the subscription's pageKey; guarded by hub.mu for the index, mu for reads
	spectate string            // guarded by hub.mu for the index, mu for reads
	pending  map[string]string // submission id → request id awaiting submission.result
}

// Send queues a frame without blocking. A full queue means the client
// cannot keep up: it is cut (4408) rather than slowing anyone else.
//
// A broadcast calls it for thousands of connections in a row: it takes the
// connection's queue lock, appends and, when the queue was empty, starts
// the writer.
func (c *Conn) Send(frame []byte) bool {
	if c.closed.Load() {
		return false
	}
	c.qmu.Lock()
	// closed is set before close takes qmu: a frame queued here is flushed
	// by a writer that close waits for.
	if c.closed.Load() {
		c.qmu.Unlock()
		return false
	}
	if len(c.queue) >= c.hub.opt.SendQueue {
		c.qmu.Unlock()
		go c.close(StatusSlowConsumer, "slow_consumer")
		return false
	}
	c.queue = append(c.queue, frame)
	start := !c.writing
	c.writing = true
	c.qmu.Unlock()
	if start {
		go c.writeLoop()
	}
	return true
}

// queued is the number of frames waiting to be written.
func (c *Conn) queued() int {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return len(c.queue)
}

// Done is closed when the connection ends.
func (c *Conn) Done() <-chan struct{} { return c.ctx.Done() }

// SetLeaderboard sets (nil clears) the leaderboard subscription.
func (c *Conn) SetLeaderboard(s *LeaderboardSub) {
	h := c.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	h.unindexBoard(c)
	key := ""
	if s != nil {
		key = pageKey(*s, c.User.ID)
	}
	c.mu.Lock()
	c.boardKey = key
	c.mu.Unlock()
	if key == "" {
		return
	}
	if _, open := h.conns[c]; !open {
		return // already gone: never index a closed connection
	}
	g := h.boards[key]
	if g == nil {
		g = &boardGroup{sub: *s, conns: map[*Conn]struct{}{}}
		h.boards[key] = g
	}
	g.conns[c] = struct{}{}
}

// unindexBoard removes c from the leaderboard index (hub.mu held).
func (h *Hub) unindexBoard(c *Conn) {
	c.mu.Lock()
	key := c.boardKey
	c.mu.Unlock()
	if g := h.boards[key]; g != nil {
		delete(g.conns, c)
		if len(g.conns) == 0 {
			delete(h.boards, key)
		}
	}
}

// SetSpectate sets ("" clears) the match this connection watches.
func (c *Conn) SetSpectate(matchID string) {
	h := c.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	c.mu.Lock()
	old := c.spectate
	c.spectate = matchID
	c.mu.Unlock()
	if old != "" {
		delete(h.spectators[old], c)
		if len(h.spectators[old]) == 0 {
			delete(h.spectators, old)
		}
	}
	if matchID != "" {
		if h.spectators[matchID] == nil {
			h.spectators[matchID] = map[*Conn]struct{}{}
		}
		h.spectators[matchID][c] = struct{}{}
	}
}

// Spectating is the watched match, "" if none.
func (c *Conn) Spectating() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.spectate
}

// AddPending remembers that request reqID waits for the result of
// submission subID (the reply comes later, as an event).
func (c *Conn) AddPending(subID, reqID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		c.pending = map[string]string{}
	}
	if len(c.pending) < 64 {
		c.pending[subID] = reqID
	}
}

// TakePending returns and forgets the request id waiting for subID.
func (c *Conn) TakePending(subID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.pending[subID]
	delete(c.pending, subID)
	return id, ok
}

// close ends the connection with a status: the frames already queued (an
// error explaining the close) are flushed for up to a second first.
func (c *Conn) close(code websocket.StatusCode, reason string) {
	c.once.Do(func() {
		c.closed.Store(true)
		c.qmu.Lock()
		var drained chan struct{}
		if c.writing {
			drained = make(chan struct{})
			c.drained = drained
		}
		c.qmu.Unlock()
		go func() {
			if drained != nil {
				t := time.NewTimer(time.Second)
				select {
				case <-drained:
				case <-t.C:
				}
				t.Stop()
			}
			_ = c.ws.Close(code, reason)
			c.cancel()
		}()
	})
}

// writeLoop writes the queued frames in order and ends when the queue is
// empty (Send starts it again with the next frame), so an idle connection
// keeps no writer goroutine and no stack for it.
func (c *Conn) writeLoop() {
	for {
		c.qmu.Lock()
		if len(c.queue) == 0 {
			c.stopWriting()
			c.qmu.Unlock()
			return
		}
		b := c.queue[0]
		c.queue[0] = nil
		c.queue = c.queue[1:]
		c.qmu.Unlock()
		var err error
		if c.closed.Load() {
			// Flushing before a close: a peer that does not read gets a
			// second per frame, then the close.
			ctx, cancel := context.WithTimeout(c.ctx, time.Second)
			err = c.ws.Write(ctx, websocket.MessageText, b)
			cancel()
		} else {
			// No per-frame context: it would cost a timer per frame on a
			// broadcast to thousands. A peer that stops reading fills its
			// queue (→ 4408) or misses pongs (→ closed); closing the socket
			// unblocks this write.
			err = c.ws.Write(context.Background(), websocket.MessageText, b)
		}
		if err != nil {
			c.qmu.Lock()
			c.stopWriting()
			c.qmu.Unlock()
			c.close(StatusSlowConsumer, "slow_consumer")
			return
		}
		c.hub.written.Add(1)
	}
}

// stopWriting marks the writer gone (qmu held): the queue's slice is let
// go and a close waiting for the flush is told.
func (c *Conn) stopWriting() {
	c.queue = nil
	c.writing = false
	if c.drained != nil {
		close(c.drained)
		c.drained = nil
	}
}

// allow applies the token bucket; over it, the frame is refused, and too
// many refusals within FloodWindow close the connection.
func (c *Conn) allow(now time.Time) (ok bool, retry time.Duration, flood bool) {
	o := c.hub.opt
	b := c.budget
	b.mu.Lock()
	b.tokens = min(o.RateBurst, b.tokens+max(0, now.Sub(b.last).Seconds())*o.RatePerSec)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		b.mu.Unlock()
		return true, 0, false
	}
	retry = time.Duration((1 - b.tokens) / o.RatePerSec * float64(time.Second))
	b.mu.Unlock()
	if now.Sub(c.refusedFrom) > o.FloodWindow {
		c.refused, c.refusedFrom = 0, now
	}
	c.refused++
	return false, retry, c.refused > o.FloodRefused
}

func (c *Conn) readLoop() {
	for {
		typ, b, tail, size, err := c.read()
		if c.closed.Load() {
			return
		}
		if err != nil {
			// A frame over the hard limit makes the library close with
			// 1009 itself; other errors are the peer going away.
			return
		}
		ok, retry, flood := c.allow(time.Now())
		if flood {
			c.close(StatusFlooding, "flooding")
			return
		}
		if !ok {
			e := &errcode.Error{Code: errcode.RateLimited, Message: "too many frames; slow down", RetryAfter: retry}
			// A flooder must not fill its own queue with refusals and get
			// cut as a slow consumer instead of a flooder: refusals are
			// dropped once the queue is half full.
			if c.queued() < c.hub.opt.SendQueue/2 {
				c.Send(ErrorFrame("", e))
			}
			continue
		}
		if typ != websocket.MessageText {
			if c.protocolError(errcode.New(errcode.BadFrame, "binary frames are not part of the protocol"), "") {
				return
			}
			continue
		}
		if size > c.hub.opt.MaxFrame {
			id, e := oversized(b, tail, size, c.hub.opt.MaxFrame)
			c.Send(ErrorFrame(id, e))
			continue
		}
		req, perr := decode(b)
		if perr != nil {
			if c.protocolError(perr, req.ID) {
				return
			}
			continue
		}
		c.badFrames = 0
		c.handle(req)
	}
}

// read returns the next message: all of it when it is at most MaxFrame
// bytes; else its first MaxFrame+1 bytes and its last tailBytes, the rest
// read and dropped (size is the whole message's).
func (c *Conn) read() (typ websocket.MessageType, b, tail []byte, size int64, err error) {
	typ, r, err := c.ws.Reader(c.ctx)
	if err != nil {
		return 0, nil, nil, 0, err
	}
	b, err = io.ReadAll(io.LimitReader(r, c.hub.opt.MaxFrame+1))
	if err != nil {
		return 0, nil, nil, 0, err
	}
	size = int64(len(b))
	if size > c.hub.opt.MaxFrame {
		t := &tailWriter{}
		n, err := io.Copy(t, r)
		if err != nil {
			return 0, nil, nil, 0, err
		}
		size += n
		tail = t.buf
	}
	return typ, b, tail, size, nil
}

const tailBytes = 512

// tailWriter keeps the last tailBytes written to it.
type tailWriter struct{ buf []byte }

func (t *tailWriter) Write(p []byte) (int, error) {
	if len(p) >= tailBytes {
		t.buf = append(t.buf[:0], p[len(p)-tailBytes:]...)
		return len(p), nil
	}
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - tailBytes; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// protocolError answers a bad frame; after 10 unreadable frames (not JSON,
// binary) in a row the client is clearly not speaking v1 and is closed
// with 4000. It reports a close.
func (c *Conn) protocolError(e *errcode.Error, id string) bool {
	if e.Code == errcode.BadFrame {
		c.badFrames++
	}
	if c.badFrames > 10 {
		c.close(StatusProtocol, "protocol violation")
		return true
	}
	c.Send(ErrorFrame(id, e))
	return false
}

func (c *Conn) handle(req Request) {
	if req.Type == protocol.OpPing {
		c.Send(Encode(protocol.EventPong, req.ID, protocol.Pong{ServerNow: protocol.Time(time.Now())}))
		return
	}
	isHello := req.Type == protocol.OpHello || req.Type == protocol.OpResume
	if !isHello && !c.helloDone.Load() {
		c.Send(ErrorFrame(req.ID, errcode.New(errcode.NotHello, "send hello or resume first")))
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.hub.opt.RequestTimeout)
	defer cancel()
	replyType, data, err := c.safeRequest(ctx, req)
	if err != nil {
		if _, ok := errcode.As(err); !ok {
			c.hub.opt.Logger.Error("websocket request failed", "type", req.Type, "user", c.User.ID, "err", err)
		}
		c.Send(ErrorFrame(req.ID, err))
		return
	}
	if isHello {
		c.helloDone.Store(true)
	}
	if r, ok := data.(Reply); ok {
		if replyType != "" {
			c.Send(Encode(replyType, req.ID, r.Data))
		}
		for _, p := range r.Push {
			c.Send(p)
		}
		return
	}
	if replyType != "" {
		c.Send(Encode(replyType, req.ID, data))
	}
}

// safeRequest turns a Handler panic into an internal error: one bad
// request must not take down the node.
func (c *Conn) safeRequest(ctx context.Context, req Request) (typ protocol.Event, data any, err error) {
	defer func() {
		if p := recover(); p != nil {
			c.hub.opt.Logger.Error("panic in websocket handler", "type", req.Type, "panic", p)
			typ, data, err = "", nil, errcode.New(errcode.Internal, "internal error")
		}
	}()
	return c.hub.opt.Handler.Request(ctx, c, req)
}
