package judge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// Kattis output validator protocol: `validator input answer feedback_dir
// [flags] < team_output`; exit 42 accepts, 43 rejects, and the reason for
// the judges is in feedback_dir/judgemessage.txt.
const (
	validatorAccept = 42
	validatorReject = 43
)

// compileValidator builds a custom validator in a box of its own (it sees
// the answers; the submission's box never does) and makes one feedback
// directory per test, owned by the uid the validator runs as.
func (j *Judge) compileValidator(ctx context.Context, v *ValidatorSpec, tests int) (*program, string, error) {
	var spec LanguageSpec
	var ok bool
	if v.Lang != "" {
		spec, ok = j.langs.Spec(v.Lang)
	} else {
		for _, name := range sortedKeys(v.Files) {
			if spec, ok = j.langs.ByExtension(name); ok {
				break
			}
		}
	}
	if !ok {
		return nil, "", fmt.Errorf("validator language %q not known (files %v)", v.Lang, sortedKeys(v.Files))
	}
	lang, err := j.langs.Lookup(ctx, spec.ID)
	if err != nil {
		return nil, "", fmt.Errorf("validator: %w", err)
	}
	files := map[string][]byte{}
	for name, data := range v.Files {
		if name == "" || strings.ContainsAny(name, "/\\") {
			return nil, "", fmt.Errorf("validator file name %q", name)
		}
		files[name] = data
	}
	// The work dir itself: the validator's files and its feedback dirs
	// belong to the build uid it runs as.
	prog, ce, err := j.compileIn(ctx, lang, files, "", ValidatorMemoryBytes, "")
	if err != nil || ce != "" {
		return prog, ce, err
	}
	for i := 1; i <= tests; i++ {
		if err := prog.box.MkdirAll(feedbackDir(i)); err != nil {
			prog.close(j.log)
			return nil, "", fmt.Errorf("feedback dir: %w", err)
		}
	}
	return prog, "", nil
}

func feedbackDir(n int) string { return fmt.Sprintf("feedback/%d", n) }

// validatorArgs writes a test's input and answer into the validator's
// box and returns the validator's command line for it.
func (val *program) validatorArgs(p *Problem, t Test, n int, answer []byte) ([]string, error) {
	in, err := readFileLimited(t.InputPath)
	if err != nil {
		return nil, err
	}
	if err := val.box.WriteFile("judge/input", in, 0o644); err != nil {
		return nil, fmt.Errorf("write validator input: %w", err)
	}
	if err := val.box.WriteFile("judge/answer", answer, 0o644); err != nil {
		return nil, fmt.Errorf("write validator answer: %w", err)
	}
	w := val.box.WorkDir()
	args := []string{filepath.Join(w, "judge/input"), filepath.Join(w, "judge/answer"), filepath.Join(w, feedbackDir(n)) + "/"}
	return val.runArgs(append(args, p.flagsOf(t)...)...), nil
}

// validate runs the custom validator on a team output.
func (j *Judge) validate(ctx context.Context, val *program, p *Problem, t Test, n int, answer []byte, output io.Reader) (Verdict, string, *float64, error) {
	args, err := val.validatorArgs(p, t, n, answer)
	if err != nil {
		return IE, "", nil, err
	}
	stderr := &capWriter{max: stderrKeepBytes}
	r, err := val.box.Run(ctx, sandbox.Cmd{
		Args: args, Env: val.env(), Dir: val.dir,
		Stdin: output, Stderr: stderr,
		Limits:     validatorLimits(val.lang),
		Privileged: true,
	})
	if err != nil {
		return IE, "", nil, fmt.Errorf("run validator: %w", err)
	}
	return val.validatorVerdict(r, n, stderr)
}

func validatorLimits(lang *Language) sandbox.Limits {
	return sandbox.Limits{
		CPUTime:     ValidatorCPUTime,
		WallTime:    2 * ValidatorCPUTime,
		MemoryBytes: ValidatorMemoryBytes + lang.MemoryOverheadMiB<<20,
		OutputBytes: 1 << 20,
		StderrBytes: stderrKeepBytes,
	}
}

// problemFault is an internal error that the problem package causes (its
// validator crashed, wrote a malformed score): the test ends as IE with the
// error in TestResult.Message, for the package's author.
type problemFault struct{ msg string }

func (e *problemFault) Error() string { return e.msg }

func faultf(format string, a ...any) error { return &problemFault{fmt.Sprintf(format, a...)} }

// validatorVerdict reads the validator's exit: anything but 42 or 43 is the
// problem's fault, so it is an internal error, not a verdict on the player.
// An accepting validator may also have written a score (scoring problems).
func (val *program) validatorVerdict(r sandbox.Result, n int, stderr *capWriter) (Verdict, string, *float64, error) {
	if r.Status == sandbox.StatusOK && (r.ExitCode == validatorAccept || r.ExitCode == validatorReject) {
		msg, _ := val.box.ReadFile(feedbackDir(n)+"/judgemessage.txt", 4<<10)
		if r.ExitCode == validatorAccept {
			score, err := val.readScore(n)
			if err != nil {
				return IE, "", nil, err
			}
			return AC, strings.TrimSpace(string(msg)), score, nil
		}
		m := strings.TrimSpace(strings.ToValidUTF8(string(msg), "\uFFFD"))
		if m == "" {
			m = "wrong answer (output validator)"
		}
		return WA, m, nil, nil
	}
	return IE, "", nil, faultf("output validator failed: status %s exit %d signal %s: %s", r.Status, r.ExitCode, r.SignalName, firstLine(stderr.String()))
}

// maxScoreBytes bounds score.txt: one decimal number and some whitespace.
const maxScoreBytes = 128

// scoreRE is the decimal syntax of a score: no hex, inf or nan, which
// strconv.ParseFloat would take.
var scoreRE = regexp.MustCompile(`^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// readScore reads feedback_dir/score.txt of test n: nil when the validator
// wrote none. Anything that is not one finite decimal number is the
// package's fault (problemFault), never guessed at.
func (val *program) readScore(n int) (*float64, error) {
	b, err := val.box.ReadFile(feedbackDir(n)+"/score.txt", maxScoreBytes+1)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case errors.Is(err, sandbox.ErrNotRegular):
		return nil, faultf("output validator: score.txt is not a regular file")
	case err != nil:
		return nil, fmt.Errorf("read score.txt: %w", err)
	case len(b) > maxScoreBytes:
		return nil, faultf("output validator: score.txt is over %d bytes; it must hold one decimal number", maxScoreBytes)
	}
	text := strings.TrimSpace(string(b))
	if !scoreRE.MatchString(text) {
		return nil, faultf("output validator: score.txt must hold one decimal number, got %s", strconv.Quote(strings.ToValidUTF8(text, "\uFFFD")))
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(v, 0) {
		return nil, faultf("output validator: score.txt: %s is out of range", strconv.Quote(text))
	}
	return &v, nil
}
