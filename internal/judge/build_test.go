package judge

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/segfaultarena/segfault/internal/sandbox"
)

// TestBuild: a built program runs many times in its one box with the
// judge's command line; compile errors and bad requests leave nothing open.
func TestBuild(t *testing.T) {
	for _, rt := range pipelineRuntimes(t) {
		t.Run(rt, func(t *testing.T) {
			j := newTestJudge(t, rt)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			progs := []struct{ lang, src string }{
				{"python", "n = int(input())\nprint(n * 2)\n"},
				{"c", "#include <stdio.h>\nint main(void){long n; if (scanf(\"%ld\", &n) != 1) return 1; printf(\"%ld\\n\", n * 2); return 0;}\n"},
			}
			for _, p := range progs {
				b, ce, err := j.Build(ctx, Submission{Lang: p.lang, Source: []byte(p.src)}, 64<<20)
				if err != nil || ce != "" {
					t.Fatalf("%s: Build = %v, compile error %q", p.lang, err, ce)
				}
				if b.MemoryBytes < 64<<20 || len(b.Cmd.Args) == 0 || b.Cmd.Dir == "" || len(b.Cmd.Env) == 0 {
					t.Fatalf("%s: Built = %+v", p.lang, b)
				}
				for _, n := range []string{"21", "50"} {
					var out bytes.Buffer
					cmd := b.Cmd
					cmd.Stdin, cmd.Stdout = strings.NewReader(n+"\n"), &out
					cmd.Limits = sandbox.Limits{CPUTime: 5 * time.Second, MemoryBytes: b.MemoryBytes, OutputBytes: 1 << 20}
					r, err := b.Box.Run(ctx, cmd)
					if err != nil || r.Status != sandbox.StatusOK || r.ExitCode != 0 {
						t.Fatalf("%s: run %s = %+v, %v", p.lang, n, r, err)
					}
					want := map[string]string{"21": "42", "50": "100"}[n]
					if strings.TrimSpace(out.String()) != want {
						t.Fatalf("%s: output %q for %s, want %s", p.lang, out.String(), n, want)
					}
				}
				b.Close()
				b.Close() // twice is harmless
			}

			b, ce, err := j.Build(ctx, Submission{Lang: "c", Source: []byte("int main( {")}, 64<<20)
			if err != nil || b != nil || ce == "" {
				t.Fatalf("compile error: Build = %v, %v, %q", b, err, ce)
			}
			var je *Error
			for _, bad := range []struct {
				sub  Submission
				mem  int64
				code string
			}{
				{Submission{Lang: "cobol", Source: []byte("x")}, 64 << 20, CodeUnsupportedLanguage},
				{Submission{Lang: "python", Source: []byte("  \n")}, 64 << 20, CodeEmptySource},
				{Submission{Lang: "python", Source: bytes.Repeat([]byte("#"), MaxSourceBytes+1)}, 64 << 20, CodeSourceTooLarge},
				{Submission{Lang: "python", Source: []byte("print(1)")}, 0, CodeBadProblem},
			} {
				b, _, err := j.Build(ctx, bad.sub, bad.mem)
				if b != nil || !errors.As(err, &je) || je.Code != bad.code {
					t.Errorf("Build(%s) = %v, %v; want code %s", bad.code, b, err, bad.code)
				}
			}
			cctx, ccancel := context.WithCancel(ctx)
			ccancel()
			if b, _, err := j.Build(cctx, Submission{Lang: "python", Source: []byte("print(1)")}, 64<<20); b != nil || err == nil {
				t.Errorf("Build with a cancelled context = %v, %v", b, err)
			}
		})
	}
}
