package execution

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	submits    *prometheus.CounterVec
	verdicts   *prometheus.CounterVec
	runs       *prometheus.CounterVec
	runSeconds prometheus.Histogram
}

// statusCollector turns one cached Status read into the queue and worker
// gauges at scrape time.
type statusCollector struct {
	s                          *Service
	pending, inflight, workers *prometheus.Desc
	slots, busy                *prometheus.Desc
}

func (c *statusCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pending
	ch <- c.inflight
	ch <- c.workers
	ch <- c.slots
	ch <- c.busy
}

func (c *statusCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := c.s.Status(ctx)
	if err != nil {
		return // absent gauges say "unknown" better than zeros
	}
	for p, d := range st.Queues {
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(d.Pending), p)
		ch <- prometheus.MustNewConstMetric(c.inflight, prometheus.GaugeValue, float64(d.InFlight), p)
	}
	healthy, unhealthy, slots, busy := 0, 0, 0, 0
	for _, w := range st.Workers {
		if w.Healthy {
			healthy++
			slots += w.Slots
			busy += w.Busy
		} else {
			unhealthy++
		}
	}
	ch <- prometheus.MustNewConstMetric(c.workers, prometheus.GaugeValue, float64(healthy), "healthy")
	ch <- prometheus.MustNewConstMetric(c.workers, prometheus.GaugeValue, float64(unhealthy), "unhealthy")
	ch <- prometheus.MustNewConstMetric(c.slots, prometheus.GaugeValue, float64(slots))
	ch <- prometheus.MustNewConstMetric(c.busy, prometheus.GaugeValue, float64(busy))
}

func newMetrics(reg prometheus.Registerer, s *Service) (*metrics, error) {
	m := &metrics{
		submits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "segfault_judge_submissions_total",
			Help: "Submissions received by this API node, by priority and outcome (accepted, rate_limited, in_flight_limited, saturated, invalid, unavailable).",
		}, []string{"priority", "outcome"}),
		verdicts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "segfault_judge_verdicts_total",
			Help: "Final verdicts seen by this API node (every node sees every verdict).",
		}, []string{"verdict"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "segfault_judge_runs_total",
			Help: "Sample runs asked of this API node, by priority and outcome (done, rate_limited, in_flight_limited, saturated, invalid, unavailable, cancelled, or the worker's error code).",
		}, []string{"priority", "outcome"}),
		runSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "segfault_judge_run_seconds",
			Help:    "Wall time of answered sample runs, from publishing the job to the worker's answer.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 10),
		}),
	}
	c := &statusCollector{s: s,
		pending:  prometheus.NewDesc("segfault_judge_queue_pending", "Judge jobs waiting for a worker.", []string{"priority"}, nil),
		inflight: prometheus.NewDesc("segfault_judge_queue_inflight", "Judge jobs delivered and not yet acknowledged.", []string{"priority"}, nil),
		workers:  prometheus.NewDesc("segfault_judge_workers", "Judge workers with a live heartbeat, by health.", []string{"state"}, nil),
		slots:    prometheus.NewDesc("segfault_judge_worker_slots", "Judge slots of healthy workers.", nil, nil),
		busy:     prometheus.NewDesc("segfault_judge_worker_busy_slots", "Judge slots judging right now.", nil, nil),
	}
	for _, col := range []prometheus.Collector{m.submits, m.verdicts, m.runs, m.runSeconds, c} {
		if err := reg.Register(col); err != nil {
			return nil, fmt.Errorf("execution: register metrics: %w", err)
		}
	}
	return m, nil
}
