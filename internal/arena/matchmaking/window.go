// Package matchmaking is the pure, storage-independent core of the lobby:
// tickets, the rating window, the pairing of one tick, the accept phase,
// free-for-all grouping and private rooms. Nothing here touches the network,
// a database or the wall clock: time comes from an injected clock, and the
// whole state can be snapshotted and restored so that a new matchmaker
// leader (another API node) can carry on where the previous one stopped.
package matchmaking

import (
	"fmt"
	"math"
	"time"
)

// Mode is a queue. Private rooms and practice do not queue.
type Mode string

// Queues.
const (
	Ranked Mode = "ranked" // 1v1, rated
	Casual Mode = "casual" // 1v1, unrated
	FFA    Mode = "ffa"    // free-for-all, up to 8, unrated
)

// Valid reports whether m is a queue.
func (m Mode) Valid() bool { return m == Ranked || m == Casual || m == FFA }

// Ticket is one player waiting in one queue.
type Ticket struct {
	UserID   int64
	Rating   float64
	RD       float64
	Mode     Mode
	Enqueued time.Time // set by the server when the player joined; kept across requeues
	// Rule is the scoring a free-for-all ticket asked for (issue 21):
	// groups form among tickets of the same rule. "" is fastest.
	Rule string `json:",omitempty"`
}

// Config holds the matchmaking constants. Start from Default().
//
// The acceptable rating gap of a ticket ("window", ± around its rating) is
//
//	W(wait, RD) = min(MaxWindow, StartWindow + Step·⌊wait/StepEvery⌋ + RDFactor·max(0, RD − RDBase))
//
// With the defaults (100, 50 per 5 s, cap 600, 0.5 per RD point above 50):
//
//	wait    RD ≤ 50   RD 150   RD 350 (new player)
//	 0 s     ±100      ±150      ±250
//	 5 s     ±150      ±200      ±300
//	10 s     ±200      ±250      ±350
//	20 s     ±300      ±350      ±450
//	30 s     ±400      ±450      ±550
//	40 s     ±500      ±550      ±600
//	50 s+    ±600      ±600      ±600
//
// Why RD widens the window: a rating with a large deviation is itself only
// known to about ±RD, so insisting on a tight gap for it buys no fairness and
// only makes newcomers wait. Two tickets are mutually acceptable when their
// gap is within both windows: |ra − rb| ≤ min(Wa, Wb).
type Config struct {
	StartWindow float64
	Step        float64
	StepEvery   time.Duration
	MaxWindow   float64
	RDBase      float64
	RDFactor    float64

	// Lookahead bounds how far apart (in rating order) two paired tickets may
	// be; see Pair. 1 is plain adjacent pairing.
	Lookahead int

	AcceptTimeout time.Duration // both must accept within this
	Cooldown      time.Duration // for a player who declined or let the accept time out

	FFAMax      int           // players per free-for-all
	FFAMin      int           // fewest players a free-for-all may start with
	FFAFillWait time.Duration // a partial group starts once its oldest ticket waited this long

	RoomMin, RoomMax int           // private room size bounds
	RoomIdle         time.Duration // an unstarted room is closed after this long without activity
}

// Default returns the documented defaults.
func Default() Config {
	return Config{
		StartWindow: 100, Step: 50, StepEvery: 5 * time.Second, MaxWindow: 600,
		RDBase: 50, RDFactor: 0.5,
		Lookahead:     4,
		AcceptTimeout: 15 * time.Second, Cooldown: 30 * time.Second,
		FFAMax: 8, FFAMin: 2, FFAFillWait: 30 * time.Second,
		RoomMin: 2, RoomMax: 8, RoomIdle: 30 * time.Minute,
	}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	switch {
	case c.StartWindow < 0 || c.Step < 0 || c.MaxWindow < c.StartWindow:
		return fmt.Errorf("matchmaking: window start %v, step %v, max %v inconsistent", c.StartWindow, c.Step, c.MaxWindow)
	case c.StepEvery <= 0:
		return fmt.Errorf("matchmaking: step interval %v must be positive", c.StepEvery)
	case c.RDFactor < 0:
		return fmt.Errorf("matchmaking: RD factor %v must not be negative", c.RDFactor)
	case c.Lookahead < 1 || c.Lookahead > 6:
		return fmt.Errorf("matchmaking: lookahead %d outside 1..6 (the DP has 2^lookahead states per ticket)", c.Lookahead)
	case c.AcceptTimeout <= 0 || c.Cooldown < 0:
		return fmt.Errorf("matchmaking: accept timeout %v / cooldown %v invalid", c.AcceptTimeout, c.Cooldown)
	case c.FFAMin < 2 || c.FFAMax < c.FFAMin:
		return fmt.Errorf("matchmaking: free-for-all size %d..%d invalid", c.FFAMin, c.FFAMax)
	case c.RoomMin < 2 || c.RoomMax < c.RoomMin:
		return fmt.Errorf("matchmaking: room size %d..%d invalid", c.RoomMin, c.RoomMax)
	}
	return nil
}

// Window is the ± rating gap the ticket accepts at time now.
func (c Config) Window(t Ticket, now time.Time) float64 {
	wait := now.Sub(t.Enqueued)
	if wait < 0 {
		wait = 0
	}
	w := c.StartWindow + c.Step*float64(wait/c.StepEvery) + c.RDFactor*math.Max(0, t.RD-c.RDBase)
	return math.Min(w, c.MaxWindow)
}

// Acceptable reports whether a and b may be paired at time now.
func (c Config) Acceptable(a, b Ticket, now time.Time) bool {
	return math.Abs(a.Rating-b.Rating) <= math.Min(c.Window(a, now), c.Window(b, now))
}
