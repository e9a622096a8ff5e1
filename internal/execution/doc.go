// Package execution is the API side of the judge pipeline: it checks a
// submission or a sample run (language, code, problem, the player's
// limits), stores a submission as queued and publishes its job on the
// judge stream (ranked ahead of practice ahead of coach analyses; within
// ranked and practice, fair between accounts: the job's lane, see
// bus.Priority and jobs.UsageRate, follows the account's jobs in flight
// and judge time), waits
// for run answers, serves progress and results, and sweeps submissions
// that stopped moving. The worker side, which pulls the jobs and judges
// them in its sandbox, is package execution/worker; what the two share
// (the messages, packages, registry, results stream) is package
// execution/jobs. The same code runs embedded (`segfault serve`:
// in-process NATS and workers, StartEmbedded) and scaled out (`segfault
// api` and `segfault worker` on an external NATS cluster and PostgreSQL).
//
// Two more kinds of job share the queues (see jobs.Job):
//
//   - Sample runs (Service.RunSamples, POST /api/v1/runs, the arena's
//     code.run): judged by a worker on the problem's sample tests only, or
//     once on a custom input; the answer comes back on a core NATS inbox
//     the API node waits on, bounded by Limits.RunTimeout; nothing is
//     stored. Each user has a run token bucket (Limits.Run, ranked runs
//     included) and one run in flight per API node.
//   - Coach analyses (execution/worker, coach.go): after an Accepted
//     result the worker queues one on the lowest queue; a worker takes it
//     only when idle, with one slot, and cancels and requeues it as soon as
//     another slot judges or a ranked or practice job waits. The report
//     (store.CoachReports) is served by GET /api/v1/submissions/{id}/coach
//     and announced with an Event of Type CoachEventType. One that will
//     never come (its worker died on the job's last delivery) is stored as
//     failed by the sweeper (SweepCoach), so no report stays pending
//     forever.
//   - Time limits are scaled per language by worker.Options.TimeMultipliers
//     (--time-multipliers) on the worker, for judging, runs and analyses;
//     a package the judge cannot run (judge.CodeBadProblem, e.g. no time
//     limit) ends its submission as IE on the first delivery.
//
// Metrics: segfault_judge_submissions_total, segfault_judge_runs_total and
// segfault_judge_run_seconds (API), segfault_worker_jobs_total,
// segfault_worker_runs_total and segfault_worker_analyses_total (worker),
// queue depth per priority (the analysis queue holds analyses and
// throttled floods).
package execution

import "github.com/segfaultarena/segfault/internal/execution/jobs"

// The shared names the API side's users (the arena, the tools) speak.
type (
	Event         = jobs.Event
	Result        = jobs.Result
	RunResult     = jobs.RunResult
	RunTestResult = jobs.RunTestResult
	ProblemRef    = jobs.ProblemRef
	WorkerInfo    = jobs.WorkerInfo
)

const (
	EventType        = jobs.EventType
	CoachEventType   = jobs.CoachEventType
	PhaseQueued      = jobs.PhaseQueued
	PhaseCompiling   = jobs.PhaseCompiling
	PhaseTesting     = jobs.PhaseTesting
	PhaseDone        = jobs.PhaseDone
	PriorityRanked   = jobs.PriorityRanked
	PriorityPractice = jobs.PriorityPractice
	PriorityAnalysis = jobs.PriorityAnalysis
	LeaseTTL         = jobs.LeaseTTL
)

// BusConfig is jobs.BusConfig: every process of a deployment passes it to
// bus.Setup.
var BusConfig = jobs.BusConfig

// HandleResults and ResultOf are jobs': the arena consumes the results
// stream with them.
var (
	HandleResults = jobs.HandleResults
	ResultOf      = jobs.ResultOf
)
