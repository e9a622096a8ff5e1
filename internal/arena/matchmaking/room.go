package matchmaking

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Room is a private room: friends join by invite code, the host starts the
// game once RoomMin..RoomMax players are in.
type Room struct {
	Code       string    `json:"code"`
	Host       int64     `json:"host"`
	Members    []int64   `json:"members"` // in join order
	Created    time.Time `json:"created"`
	LastActive time.Time `json:"last_active"`
}

func (r Room) clone() Room {
	r.Members = slices.Clone(r.Members)
	return r
}

// Invite codes are 6 symbols of Crockford's base32 (digits and letters
// without I, L, O, U). Input is case-insensitive and the look-alikes O→0,
// I/L→1 are folded, so a code read aloud or typed from a screenshot works.
// 32 symbols means a random byte maps to a symbol without bias (256 = 8·32);
// 32^6 ≈ 1.07e9 codes, retried on collision with an open room. Codes are not
// secrets: guessing is bounded by the code space and the API's rate limits.
const (
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLen      = 6
)

func newCode(r io.Reader) (string, error) {
	var b [codeLen]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("room code: %w", err)
	}
	for i := range b {
		b[i] = codeAlphabet[b[i]%32]
	}
	return string(b[:]), nil
}

// normalizeCode returns the canonical form of a code typed by a player.
func normalizeCode(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("-", "", " ", "", "O", "0", "I", "1", "L", "1").Replace(s)
	if len(s) != codeLen {
		return "", ErrBadCode
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(codeAlphabet, s[i]) < 0 {
			return "", ErrBadCode
		}
	}
	return s, nil
}

// CreateRoom opens a private room hosted by host, who becomes its first member.
func (l *Lobby) CreateRoom(host int64) (Room, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clk.Now()
	if err := l.busy(host, now); err != nil {
		return Room{}, err
	}
	var code string
	for tries := 0; ; tries++ {
		c, err := newCode(l.rnd)
		if err != nil {
			return Room{}, err
		}
		if l.rooms[c] == nil {
			code = c
			break
		}
		if tries == 20 {
			return Room{}, fmt.Errorf("matchmaking: no free room code after %d tries", tries)
		}
	}
	r := &Room{Code: code, Host: host, Members: []int64{host}, Created: now, LastActive: now}
	l.rooms[code] = r
	l.roomOf[host] = code
	return r.clone(), nil
}

// JoinRoom adds user to the room with the given invite code.
func (l *Lobby) JoinRoom(user int64, code string) (Room, error) {
	c, err := normalizeCode(code)
	if err != nil {
		return Room{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clk.Now()
	r := l.rooms[c]
	if r == nil {
		return Room{}, ErrNoRoom
	}
	if err := l.busy(user, now); err != nil {
		return Room{}, err
	}
	if len(r.Members) >= l.cfg.RoomMax {
		return Room{}, ErrRoomFull
	}
	r.Members = append(r.Members, user)
	r.LastActive = now
	l.roomOf[user] = c
	return r.clone(), nil
}

// LeaveRoom takes user out of their room. If the host leaves, the member who
// joined earliest after them becomes host; an empty room is closed. The
// returned room is the room after the change (no members when closed).
func (l *Lobby) LeaveRoom(user int64) (Room, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.rooms[l.roomOf[user]]
	if r == nil {
		return Room{}, ErrNotInRoom
	}
	r.Members = slices.DeleteFunc(r.Members, func(u int64) bool { return u == user })
	delete(l.roomOf, user)
	r.LastActive = l.clk.Now()
	if len(r.Members) == 0 {
		delete(l.rooms, r.Code)
		return r.clone(), nil
	}
	if r.Host == user {
		r.Host = r.Members[0]
	}
	return r.clone(), nil
}

// StartRoom starts the room's game: only the host may, with at least
// RoomMin members. The room closes and its members are Playing until Release.
func (l *Lobby) StartRoom(user int64) (Room, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.rooms[l.roomOf[user]]
	if r == nil {
		return Room{}, ErrNotInRoom
	}
	if r.Host != user {
		return Room{}, ErrNotHost
	}
	if len(r.Members) < l.cfg.RoomMin {
		return Room{}, ErrRoomTooSmall
	}
	started := r.clone()
	l.closeRoom(r)
	for _, u := range started.Members {
		l.playing[u] = true
	}
	return started, nil
}

// Room returns an open room by code.
func (l *Lobby) Room(code string) (Room, error) {
	c, err := normalizeCode(code)
	if err != nil {
		return Room{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.rooms[c]
	if r == nil {
		return Room{}, ErrNoRoom
	}
	return r.clone(), nil
}

func (l *Lobby) closeRoom(r *Room) {
	delete(l.rooms, r.Code)
	for _, u := range r.Members {
		delete(l.roomOf, u)
	}
}
