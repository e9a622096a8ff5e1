package judge

import (
	"time"
)

// Verdict is the outcome of a submission or of one test.
type Verdict string

const (
	AC  Verdict = "AC"  // accepted
	WA  Verdict = "WA"  // wrong answer
	TLE Verdict = "TLE" // time limit exceeded (CPU, or wall clock while blocked)
	MLE Verdict = "MLE" // memory limit exceeded
	RE  Verdict = "RE"  // run-time error: non-zero exit or a signal
	CE  Verdict = "CE"  // compilation error
	OLE Verdict = "OLE" // output limit exceeded
	IE  Verdict = "IE"  // internal error: the judge failed, never the submitter's fault
)

// Problem is everything the judge needs about a problem.
// verify.JudgeProblem (internal/problem/verify) builds it from a Kattis
// package; tests and tools may build one by hand.
type Problem struct {
	Name        string
	TimeLimit   time.Duration // CPU time per test
	MemoryBytes int64         // per test
	OutputBytes int64         // stdout cap per test; 0 = DefaultOutputBytes
	Tests       []Test
	// Validator is a custom output validator (Kattis protocol); nil = the
	// default token checker.
	Validator *ValidatorSpec
	// ValidatorFlags go to the default checker (case_sensitive,
	// float_tolerance 1e-6, ...) or to the custom validator's command line,
	// for every test whose own Test.ValidatorFlags are nil.
	ValidatorFlags []string
	// Interactive: the validator talks to the submission through pipes.
	Interactive bool
}

// DefaultOutputBytes is the output cap when a problem names none (Kattis'
// default output limit).
const DefaultOutputBytes = 8 << 20

// Test is one test case. Files are on the host; the answer never enters the
// submission's box.
type Test struct {
	Name       string
	InputPath  string
	AnswerPath string // "" = empty answer (interactive problems may have none)
	Sample     bool
	// ValidatorFlags replace Problem.ValidatorFlags for this test when not
	// nil (an empty, non-nil slice means no flags): Kattis test groups set
	// their own output_validator_flags / output_validator_args, e.g. a
	// looser float tolerance for one group.
	ValidatorFlags []string
	// Args are appended to the program's command line for this test, after
	// Submission.Args (a generator run as `gen <n> <seed>`). They are argv
	// entries, never seen by a shell.
	Args []string
}

// ValidatorSpec is the source of a custom output validator.
type ValidatorSpec struct {
	Lang  string            // language id; "" = guessed from the file extensions
	Files map[string][]byte // file name (no directories) → content
}

// Submission is the program to judge.
type Submission struct {
	Lang   string
	Source []byte
	// Args are command-line arguments for every run of the program (Judge,
	// RunOnce, Build's Cmd): players' programs get none, but package
	// programs do (input validators get input_validator_flags). They go
	// to the process as argv entries, never through a shell; at most
	// MaxArgs of them, each without NUL bytes, MaxArgBytes in all.
	Args []string
	// Files, used instead of Source, is a program of several files (a
	// Kattis directory submission): file name (no directories) → content,
	// MaxSourceBytes in all. Every file is written into the work dir; the
	// compile step gets the files of the language's extensions. Entry
	// names the file the program starts from (Python's main.py, the Java
	// class to run); "" = Languages.EntryFile's choice.
	Files map[string][]byte
	Entry string
}

// Options change how one submission is judged.
type Options struct {
	// RunAll keeps going after the first failing test (partial scores).
	RunAll bool
	// Progress, when set, is called after compilation and after each test.
	Progress func(Progress)
	// SamplesOnly judges the sample tests only (a player's "Run"): the
	// secret tests are neither run nor counted.
	SamplesOnly bool
	// KeepOutput > 0 keeps the first KeepOutput bytes of the program's
	// stdout of each test in TestResult.Output, for showing a diff to the
	// player. Keep it to sample tests: secret outputs reveal secret data.
	KeepOutput int
}

// Progress reports where judging is, for a queue to stream to players.
type Progress struct {
	Phase   string // "compiled" or "test"
	Test    int    // 1-based index of the test just judged
	Total   int
	Verdict Verdict // of that test (or CE/IE after compilation)
}

// Result is the outcome of judging one submission.
type Result struct {
	Verdict Verdict
	// Message explains a non-AC verdict and is safe to show the player: the
	// compiler's output for CE, the exit code or signal for RE, the
	// checker's remark for WA on a sample test (only "wrong answer" on a
	// secret one). IE messages are generic; details go to the operator log.
	// TestResult.Message has the full detail for problem authors.
	Message         string
	Language        string // resolved id
	LanguageVersion string
	CompileTime     time.Duration // wall time of the compile step(s); 0 when CompileCached
	CompileCached   bool          // the program came from the compile cache: nothing was compiled
	Tests           []TestResult  // judged tests, in order
	Passed          int           // tests with AC
	Total           int           // tests in the problem
	MaxCPUTime      time.Duration
	MaxMemoryBytes  int64
	// FailedTest is the 1-based index of the first failing test (0 = none).
	FailedTest int
}

// TestResult is the outcome of one test.
type TestResult struct {
	Name        string
	Sample      bool
	Verdict     Verdict
	CPUTime     time.Duration
	WallTime    time.Duration
	MemoryBytes int64
	OutputBytes int64
	ExitCode    int
	Signal      string // e.g. SIGSEGV
	// Message says why the test failed. For WA it may quote the expected
	// answer, and Stderr is the program's own stderr: show them to the
	// player on sample tests only, or secret data leaks.
	Message string
	Stderr  string
	// Output is the head of the program's stdout (Options.KeepOutput).
	Output string
	// Score is what a custom output validator that accepted the output
	// (exit 42) wrote to feedback_dir/score.txt, for scoring problems;
	// nil when it wrote none (the test group's accept_score applies).
	Score *float64
}
