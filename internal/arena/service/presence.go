package service

import (
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// Presence: every node tells every other which users have a connection on
// it, at once when a user's first connection opens or last one closes, and
// in full every presenceEvery; a node silent for presenceTTL counts as
// gone. Each node keeps the whole table, so the owner of a match (whichever
// node it is, and a new owner right after a takeover) knows at once who of
// its players is connected, and the matchmaker knows how many are online.

const (
	presenceEvery = 2 * time.Second
	presenceTTL   = 7 * time.Second
)

type presenceMsg struct {
	Node   string  `json:"node"`
	Full   bool    `json:"full,omitempty"`
	Online []int64 `json:"online,omitempty"` // every user connected there, when Full
	User   int64   `json:"user,omitempty"`
	On     bool    `json:"on,omitempty"`
	Count  int     `json:"count"` // distinct users connected there (-1: not a count)
}

type nodeStat struct {
	Online int
	At     time.Time
}

type presenceTable struct {
	now func() time.Time

	mu    sync.Mutex
	users map[int64]map[string]time.Time // user → node → last report
	nodes map[string]nodeStat
}

func newPresence(now func() time.Time) *presenceTable {
	return &presenceTable{now: now, users: map[int64]map[string]time.Time{}, nodes: map[string]nodeStat{}}
}

// apply records a report; it returns the users whose state it changed.
func (p *presenceTable) apply(m presenceMsg) []int64 {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if m.Count >= 0 {
		p.nodes[m.Node] = nodeStat{Online: m.Count, At: now}
	}
	set := func(u int64) bool {
		nodes := p.users[u]
		if nodes == nil {
			nodes = map[string]time.Time{}
			p.users[u] = nodes
		}
		_, had := nodes[m.Node]
		nodes[m.Node] = now
		return !had
	}
	var changed []int64
	switch {
	case m.Full:
		for _, u := range m.Online {
			if set(u) {
				changed = append(changed, u)
			}
		}
	case m.On:
		if set(m.User) {
			changed = append(changed, m.User)
		}
	default:
		if nodes := p.users[m.User]; nodes != nil {
			delete(nodes, m.Node)
			if len(nodes) == 0 {
				delete(p.users, m.User)
			}
		}
		changed = append(changed, m.User)
	}
	return changed
}

// seen records that user is connected on node now (a hello arrived from
// there): the owner never judges a player absent who just said hello.
func (p *presenceTable) seen(user int64, node string) {
	p.apply(presenceMsg{Node: node, User: user, On: true, Count: -1})
}

// online reports whether any live node reported user in the last
// presenceTTL.
func (p *presenceTable) online(user int64) bool {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for node, at := range p.users[user] {
		if now.Sub(at) < presenceTTL {
			return true
		}
		delete(p.users[user], node)
	}
	return false
}

// onlineUsers lists the users any live node reported in the last presenceTTL,
// in id order.
func (p *presenceTable) onlineUsers() []int64 {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]int64, 0, len(p.users))
	for u, nodes := range p.users {
		for node, at := range nodes {
			if now.Sub(at) >= presenceTTL {
				delete(nodes, node)
			}
		}
		if len(nodes) == 0 {
			delete(p.users, u)
			continue
		}
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// heardAll reports whether every node of nodes has reported since this
// node started: until then, a user absent from the table may be connected
// to a node not heard from yet.
func (p *presenceTable) heardAll(nodes []string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range nodes {
		if _, ok := p.nodes[n]; !ok {
			return false
		}
	}
	return true
}

// total is the number of users connected, summed over the nodes heard from
// in the last presenceTTL.
func (p *presenceTable) total() int {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for node, st := range p.nodes {
		if now.Sub(st.At) > presenceTTL {
			delete(p.nodes, node)
			continue
		}
		n += max(0, st.Online)
	}
	return n
}

// onPresence takes another node's (or this node's own) report.
func (s *Service) onPresence(m *nats.Msg) {
	var p presenceMsg
	if json.Unmarshal(m.Data, &p) != nil || p.Node == "" {
		return
	}
	for _, u := range s.presence.apply(p) {
		s.shard.presenceChanged(u)
	}
}

func (s *Service) publishPresence(p presenceMsg) {
	p.Node = s.node
	b, _ := json.Marshal(p)
	_ = s.bus.NC.Publish(s.bus.Names.Presence(), b)
}
