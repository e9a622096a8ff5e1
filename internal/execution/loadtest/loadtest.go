// Package loadtest drives a running arena with simulated players who submit
// real solutions and wait for their verdicts, once without and once with a
// flooding player, and reports throughput, latency percentiles, 429/503
// counts and how much the flood moved the honest players' p99.
package loadtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/segfaultarena/segfault/internal/auth"
)

// Config is one load test.
type Config struct {
	URL      string        // base URL of the arena (an API node or its load balancer)
	Users    int           // honest players
	Duration time.Duration // of each phase
	// Interval is each honest player's mean time between submissions
	// (±50% jitter); a player never has two submissions in flight.
	Interval time.Duration
	// Flood is the flooding player's rate as a multiple of one honest
	// player's (100 = the 100×); 0 skips the flood phase.
	Flood float64
	// FloodUsers, when > 0, replaces the one flooding player by that many
	// accounts, each submitting FloodSource (an infinite loop) at Flood
	// times an honest player's rate: issue 17's attack on the judge's fair
	// share.
	FloodUsers  int
	FloodSource string
	// ForwardedFor sends each player's own made-up client address in
	// X-Forwarded-For (honest players one each, all flooders one shared),
	// for an arena that trusts this host as a proxy (--embedded does): the
	// per-address limits then see what they would in the field.
	ForwardedFor bool
	// Rounds alternate baseline and flood slices of Duration/Rounds each.
	Rounds   int
	Problem  string
	Lang     string
	Source   string
	Poll     time.Duration // verdict polling interval; default 250 ms
	Password string
	Out      io.Writer
}

// Phase is what one phase measured.
type Phase struct {
	Name                 string
	Elapsed              time.Duration
	Accepted, Judged     int // honest submissions accepted (202) and finished
	AC                   int
	Honest429, Honest503 int
	Flood202, Flood429   int
	Flood503, FloodOther int
	P50, P90, P99, Max   time.Duration // honest submit → verdict
	AcceptedPerSec       float64       // honest + flood submissions accepted per second
	JudgedPerSec         float64       // honest verdicts per second
	latencies            []time.Duration
	active               time.Duration // submitting time, without the wait for the last verdicts
	mu                   sync.Mutex
	verdicts             map[string]int
}

// Report is the whole run.
type Report struct {
	Baseline, Flooded *Phase
	// Ratio is the flooded p99 over the baseline p99 (0 without a flood
	// phase); Ratio50 the same of the p50s.
	Ratio, Ratio50 float64
}

type player struct {
	*Client
	name string
	code string // what it submits ("" = Config.Source)
}

// Client is a signed-up player's REST session (its cookie) on one arena,
// for the load tests.
type Client struct {
	hc   *http.Client
	base string
	ip   string // X-Forwarded-For, when set
}

func (c Config) withDefaults() Config {
	if c.Users <= 0 {
		c.Users = 10
	}
	if c.Duration <= 0 {
		c.Duration = time.Minute
	}
	if c.Interval <= 0 {
		c.Interval = 20 * time.Second
	}
	if c.Rounds <= 0 {
		c.Rounds = 3
	}
	if c.Poll <= 0 {
		c.Poll = 250 * time.Millisecond
	}
	if c.Password == "" {
		c.Password = "loadtest-password-1"
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
	return c
}

// Run registers the players, runs the baseline phase, then the flooded
// phase, printing both and the p99 ratio.
func Run(ctx context.Context, c Config) (*Report, error) {
	c = c.withDefaults()
	if _, err := url.Parse(c.URL); err != nil || c.URL == "" {
		return nil, fmt.Errorf("loadtest: bad URL %q", c.URL)
	}
	var tag [3]byte
	_, _ = rand.Read(tag[:])
	prefix := "lt" + hex.EncodeToString(tag[:])
	nFlood := max(1, c.FloodUsers)
	if c.FloodUsers > 0 && c.FloodSource == "" {
		return nil, errors.New("loadtest: --flood-users needs the flooders' source")
	}
	players := make([]*player, c.Users+nFlood)
	for i := range players {
		ip := fmt.Sprintf("10.1.%d.%d", i/250, i%250+1)
		if i >= c.Users {
			ip = "10.66.0.1" // the flooders share one address
		}
		if !c.ForwardedFor {
			ip = ""
		}
		p, err := register(ctx, c, fmt.Sprintf("%s-%d", prefix, i), ip)
		if err != nil {
			return nil, err
		}
		if i >= c.Users && c.FloodUsers > 0 {
			p.code = c.FloodSource
		}
		players[i] = p
	}
	honest, flooders := players[:c.Users], players[c.Users:]
	fmt.Fprintf(c.Out, "load test: %d players, one submission each every ~%v, %v per phase in %d alternating rounds, problem %s in %s\n",
		c.Users, c.Interval, c.Duration, c.Rounds, c.Problem, c.Lang)
	if c.FloodUsers > 0 {
		fmt.Fprintf(c.Out, "flood: %d accounts from one address, each submitting an infinite loop at %gx an honest player's rate\n", c.FloodUsers, c.Flood)
	}

	// The phases alternate in rounds (baseline, flood, baseline, ...) so
	// that drift in the machine's other load hits both alike.
	rep := &Report{Baseline: newPhase("baseline")}
	if c.Flood > 0 {
		name := fmt.Sprintf("flood %gx", c.Flood)
		if c.FloodUsers > 0 {
			name = fmt.Sprintf("flood: %d accounts × %gx, infinite loops", c.FloodUsers, c.Flood)
		}
		rep.Flooded = newPhase(name)
	}
	slice := c.Duration / time.Duration(c.Rounds)
	for r := range c.Rounds {
		if ctx.Err() != nil {
			break
		}
		runPhase(ctx, c, slice, rep.Baseline, honest, nil)
		fmt.Fprintf(c.Out, "round %d/%d: baseline done", r+1, c.Rounds)
		if rep.Flooded != nil && ctx.Err() == nil {
			runPhase(ctx, c, slice, rep.Flooded, honest, flooders)
			fmt.Fprint(c.Out, ", flood done")
		}
		fmt.Fprintln(c.Out)
	}
	rep.Baseline.finish()
	printPhase(c.Out, rep.Baseline)
	if rep.Flooded != nil {
		rep.Flooded.finish()
		printPhase(c.Out, rep.Flooded)
		if rep.Baseline.P99 > 0 {
			rep.Ratio = float64(rep.Flooded.P99) / float64(rep.Baseline.P99)
		}
		if rep.Baseline.P50 > 0 {
			rep.Ratio50 = float64(rep.Flooded.P50) / float64(rep.Baseline.P50)
		}
		fmt.Fprintf(c.Out, "honest p50 with flood / without: %.2f (%v / %v)\n", rep.Ratio50,
			rep.Flooded.P50.Round(time.Millisecond), rep.Baseline.P50.Round(time.Millisecond))
		fmt.Fprintf(c.Out, "honest p99 with flood / without: %.2f (%v / %v)\n", rep.Ratio,
			rep.Flooded.P99.Round(time.Millisecond), rep.Baseline.P99.Round(time.Millisecond))
	}
	if rep.Baseline.Judged == 0 {
		return rep, errors.New("loadtest: no submission was judged in the baseline phase")
	}
	return rep, ctx.Err()
}

func register(ctx context.Context, c Config, name, ip string) (*player, error) {
	cl, err := SignUp(ctx, c.URL, name, c.Password, ip, 30*time.Second)
	if err != nil {
		return nil, err
	}
	return &player{Client: cl, name: name}, nil
}

// SignUp registers name on the arena at base as the web client does (the
// sign-up challenge solved), waiting as told while the sign-up limit per
// address refuses it; ip, when set, is sent as X-Forwarded-For; timeout
// bounds each request.
func SignUp(ctx context.Context, base, name, password, ip string, timeout time.Duration) (*Client, error) {
	jar, _ := cookiejar.New(nil)
	p := &Client{base: strings.TrimRight(base, "/"), ip: ip, hc: &http.Client{Jar: jar, Timeout: timeout}}
	for attempt := 0; ; attempt++ {
		status, body, _, err := p.Do(ctx, "GET", "/api/v1/auth/challenge", nil)
		if err != nil || status != http.StatusOK {
			return nil, fmt.Errorf("loadtest: sign-up challenge: %d %s %v", status, body, err)
		}
		var ch auth.Challenge
		if err := json.Unmarshal(body, &ch); err != nil {
			return nil, fmt.Errorf("loadtest: sign-up challenge: %w", err)
		}
		proof := auth.SolveProof(name, ch)
		status, body, h, err := p.Do(ctx, "POST", "/api/v1/auth/register", map[string]any{"username": name, "password": password,
			"proof": map[string]string{"stamp": proof.Stamp, "nonce": proof.Nonce}})
		if err != nil {
			return nil, fmt.Errorf("loadtest: register %s: %w", name, err)
		}
		switch {
		case status == http.StatusCreated:
			return p, nil
		case status == http.StatusTooManyRequests && attempt < 20:
			// The sign-up limit per address: wait as told.
			wait, _ := strconv.Atoi(h.Get("Retry-After"))
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(max(wait, 1)) * time.Second):
			}
		default:
			return nil, fmt.Errorf("loadtest: register %s: %d %s", name, status, body)
		}
	}
}

// Do sends a request (body as JSON, if any) with the session and returns
// the status, body and headers of the answer.
func (p *Client) Do(ctx context.Context, method, path string, body any) (int, []byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if p.ip != "" {
		req.Header.Set("X-Forwarded-For", p.ip)
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header, err
}

type submission struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Result *struct {
		Verdict string `json:"verdict"`
	} `json:"result"`
}

// submit sends the solution. When refused it returns the server's
// Retry-After instead of an id.
func (p *player) submit(ctx context.Context, c Config) (string, int, time.Duration, error) {
	code := p.code
	if code == "" {
		code = c.Source
	}
	status, body, h, err := p.Do(ctx, "POST", "/api/v1/submissions", map[string]string{"problem": c.Problem, "lang": c.Lang, "code": code})
	if err != nil {
		return "", status, 0, err
	}
	if status != http.StatusAccepted {
		secs, _ := strconv.Atoi(h.Get("Retry-After"))
		return "", status, time.Duration(secs) * time.Second, nil
	}
	var s submission
	if err := json.Unmarshal(body, &s); err != nil {
		return "", status, 0, err
	}
	return s.ID, status, 0, nil
}

// wait polls until the verdict is in.
func (p *player) wait(ctx context.Context, c Config, id string) (string, error) {
	for {
		status, body, _, err := p.Do(ctx, "GET", "/api/v1/submissions/"+id, nil)
		if err != nil {
			return "", err
		}
		if status == http.StatusOK {
			var s submission
			if err := json.Unmarshal(body, &s); err != nil {
				return "", err
			}
			if s.Status == "done" && s.Result != nil {
				return s.Result.Verdict, nil
			}
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(c.Poll):
		}
	}
}

func newPhase(name string) *Phase { return &Phase{Name: name, verdicts: map[string]int{}} }

// runPhase runs one slice of a phase, adding its measurements to ph.
func runPhase(ctx context.Context, c Config, d time.Duration, ph *Phase, honest []*player, flooders []*player) {
	pctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for i, p := range honest {
		wg.Go(func() {
			// Stagger the first submissions over one interval.
			next := start.Add(time.Duration(float64(c.Interval) * float64(i) / float64(len(honest))))
			for {
				select {
				case <-pctx.Done():
					return
				case <-time.After(time.Until(next)):
				}
				next = time.Now().Add(time.Duration(float64(c.Interval) * (0.5 + mrand.Float64())))
				t0 := time.Now()
				id, status, retry, err := p.submit(pctx, c)
				if err != nil {
					continue
				}
				// Honest players respect Retry-After (the UI counts down).
				if at := time.Now().Add(retry); at.After(next) {
					next = at
				}
				switch status {
				case http.StatusAccepted:
				case http.StatusTooManyRequests:
					ph.add(func() { ph.Honest429++ })
					continue
				case http.StatusServiceUnavailable:
					ph.add(func() { ph.Honest503++ })
					continue
				default:
					continue
				}
				ph.add(func() { ph.Accepted++ })
				// A started submission is followed to its verdict even past
				// the phase end, so slow verdicts are not dropped.
				wctx, wcancel := context.WithTimeout(ctx, 5*time.Minute)
				verdict, err := p.wait(wctx, c, id)
				wcancel()
				if err != nil {
					continue
				}
				lat := time.Since(t0)
				ph.add(func() {
					ph.Judged++
					ph.latencies = append(ph.latencies, lat)
					ph.verdicts[verdict]++
					if verdict == "AC" {
						ph.AC++
					}
				})
			}
		})
	}
	for _, flooder := range flooders {
		rate := c.Flood / c.Interval.Seconds() // submissions per second
		wg.Go(func() {
			tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
			defer tick.Stop()
			var fw sync.WaitGroup
			defer fw.Wait()
			for {
				select {
				case <-pctx.Done():
					return
				case <-tick.C:
				}
				fw.Go(func() {
					_, status, _, err := flooder.submit(pctx, c)
					ph.add(func() {
						switch {
						case err != nil:
							ph.FloodOther++
						case status == http.StatusAccepted:
							ph.Flood202++
						case status == http.StatusTooManyRequests:
							ph.Flood429++
						case status == http.StatusServiceUnavailable:
							ph.Flood503++
						default:
							ph.FloodOther++
						}
					})
				})
			}
		})
	}
	wg.Wait()
	ph.Elapsed += time.Since(start)
	ph.active += d
}

// finish computes the figures once every slice ran.
func (ph *Phase) finish() {
	sort.Slice(ph.latencies, func(i, j int) bool { return ph.latencies[i] < ph.latencies[j] })
	ph.P50, ph.P90, ph.P99 = percentile(ph.latencies, 0.50), percentile(ph.latencies, 0.90), percentile(ph.latencies, 0.99)
	if n := len(ph.latencies); n > 0 {
		ph.Max = ph.latencies[n-1]
	}
	if secs := ph.active.Seconds(); secs > 0 {
		ph.AcceptedPerSec = float64(ph.Accepted+ph.Flood202) / secs
		ph.JudgedPerSec = float64(ph.Judged) / secs
	}
}

func (ph *Phase) add(f func()) {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	f()
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func printPhase(w io.Writer, ph *Phase) {
	fmt.Fprintf(w, "\n== %s (%v)\n", ph.Name, ph.Elapsed.Round(100*time.Millisecond))
	fmt.Fprintf(w, "  accepted/s %.2f   honest verdicts/s %.2f   honest accepted %d judged %d (AC %d) verdicts %v\n",
		ph.AcceptedPerSec, ph.JudgedPerSec, ph.Accepted, ph.Judged, ph.AC, ph.verdicts)
	fmt.Fprintf(w, "  honest submit→verdict p50 %v  p90 %v  p99 %v  max %v\n",
		ph.P50.Round(time.Millisecond), ph.P90.Round(time.Millisecond), ph.P99.Round(time.Millisecond), ph.Max.Round(time.Millisecond))
	fmt.Fprintf(w, "  honest 429 %d  503 %d\n", ph.Honest429, ph.Honest503)
	if ph.Flood202+ph.Flood429+ph.Flood503+ph.FloodOther > 0 {
		fmt.Fprintf(w, "  flooder: 202 %d  429 %d  503 %d  other %d\n", ph.Flood202, ph.Flood429, ph.Flood503, ph.FloodOther)
	}
}
