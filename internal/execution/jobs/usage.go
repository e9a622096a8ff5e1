package jobs

import (
	"context"
	"strconv"
	"time"

	"github.com/segfaultarena/segfault/internal/bus"
	"github.com/segfaultarena/segfault/internal/ratelimit"
)

// Judge time per account, the weight of the fair share (bus.Priority's
// lanes): a bucket of judge-seconds in the shared token buckets, which the
// API side charges an estimate of one second when it queues a submission
// and the worker charges the rest of the job's wall time when it is done.
// A job goes to its priority's first lane only while its account has
// spent (net of the refill) less than UsageFirstLane of it: an account
// whose programs run for long (infinite loops until the time limit) waits
// in the repeat lane behind every account that has not, however few jobs
// it has in flight. The refill, 6 judge-seconds a minute, is a player
// submitting a 1-second program every 10 seconds.
var UsageRate = ratelimit.Rate{Burst: 6, PerSec: 0.1}

// UsageFirstLane is the judge time (seconds, net of the refill) an
// account may have spent recently and still have its next job in the
// first lane: half a second, so a second job queued right after the first
// (charged the estimate) is a repeat.
const UsageFirstLane = 0.5

// UsageEstimate is what the API side charges when it queues a job (the
// worker charges the wall time beyond it).
const UsageEstimate = 1.0

// UsageKey is the bucket of an account's judge time.
func UsageKey(userID int64) string { return ratelimit.Key("judge-time", strconv.FormatInt(userID, 10)) }

// UsageIPKey is the judge time of the jobs queued from one client address
// (charged as UsageKey: the estimate when queued, the rest of the wall time
// by the worker, Job.IP): several accounts behind one address share its
// first-lane allowance.
func UsageIPKey(ip string) string { return ratelimit.Key("judge-time-ip", ip) }

// OpenBuckets opens the deployment's shared token buckets (the API side's
// rate limits and the judge time); an idle key is dropped after an hour
// (every bucket is full again long before).
func OpenBuckets(ctx context.Context, b *bus.Bus) (*ratelimit.Buckets, error) {
	return ratelimit.Open(ctx, b.JS, NSName(b, "tokenbuckets"), b.Config.Replicas, b.Config.Memory, time.Hour)
}
