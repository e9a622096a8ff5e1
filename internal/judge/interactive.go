package judge

import (
	"context"
	"fmt"
	"io"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// runInteractive runs one test of an interactive problem (Kattis protocol):
// the validator (`validator input answer feedback_dir`) and the submission
// run at the same time in their own boxes, each one's stdout piped into the
// other's stdin through the host.
//
// Which side ends first decides, as in Kattis: a validator that rejects
// before the submission has ended gives WA whatever the submission does
// next; a submission that ends first with TLE, MLE, RE or OLE gets that
// verdict; otherwise the validator's verdict stands (and a submission that
// crashes after an accepting validator still gets RE).
func (j *Judge) runInteractive(ctx context.Context, prog, val *program, p *Problem, t Test, n int) (TestResult, error) {
	tr := TestResult{Name: t.Name, Sample: t.Sample}
	answer, err := readAnswer(t)
	if err != nil {
		return tr, err
	}
	vargs, err := val.validatorArgs(p, t, n, answer)
	if err != nil {
		return tr, err
	}
	toVal, fromSub := io.Pipe() // submission stdout → validator stdin
	toSub, fromVal := io.Pipe() // validator stdout → submission stdin

	lim := runLimits(p, prog.lang)
	subErr := &capWriter{max: stderrKeepBytes}
	valErr := &capWriter{max: stderrKeepBytes}
	type done struct {
		validator bool
		r         sandbox.Result
		err       error
	}
	ch := make(chan done, 2)
	go func() {
		r, err := prog.box.Run(ctx, sandbox.Cmd{
			Args: prog.runArgs(t.Args...), Env: prog.env(), Dir: prog.dir,
			Stdin: toSub, Stdout: fromSub, Stderr: subErr,
			Limits: lim,
		})
		// The validator now reads EOF, and its writes stop blocking.
		fromSub.Close()
		toSub.CloseWithError(io.ErrClosedPipe)
		ch <- done{false, r, err}
	}()
	go func() {
		vl := validatorLimits(val.lang)
		// A validator waiting on a silent submission must not outlive the
		// submission's own wall clock by much.
		vl.WallTime = lim.WallTime + 2*ValidatorCPUTime
		r, err := val.box.Run(ctx, sandbox.Cmd{
			Args: vargs, Env: val.env(), Dir: val.dir,
			Stdin: toVal, Stdout: fromVal, Stderr: valErr,
			Limits: vl, Privileged: true,
		})
		fromVal.Close()
		toVal.CloseWithError(io.ErrClosedPipe)
		ch <- done{true, r, err}
	}()
	first := <-ch
	second := <-ch
	var sub, vres done
	if first.validator {
		vres, sub = first, second
	} else {
		sub, vres = first, second
	}
	if sub.err != nil || sub.r.Status == sandbox.StatusInternalError {
		return tr, fmt.Errorf("run submission: %v %s", sub.err, sub.r.Message)
	}
	if vres.err != nil {
		return tr, fmt.Errorf("run validator: %w", vres.err)
	}
	fillRun(&tr, sub.r, subErr)
	subVerdict, subMsg := classify(sub.r, p.TimeLimit, prog.lang, subErr.String())
	valVerdict, valMsg, valScore, verr := val.validatorVerdict(vres.r, n, valErr)
	validatorFirst := first.validator

	switch {
	case validatorFirst && verr == nil && valVerdict == WA:
		tr.Verdict, tr.Message = WA, valMsg
	case subVerdict != AC:
		tr.Verdict, tr.Message = subVerdict, subMsg
	case verr != nil:
		return tr, verr
	default:
		tr.Verdict, tr.Message, tr.Score = valVerdict, valMsg, valScore
	}
	return tr, nil
}
