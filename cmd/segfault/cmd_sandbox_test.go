package main

import (
	"context"
	"testing"
)

func TestSandboxToolCheck(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"-sandbox-runtime", "bare", "check"}, 0},
		{[]string{"-sandbox-runtime", "bare", "cleanup"}, 0},
		{[]string{"-sandbox-runtime", "nope", "check"}, 1},
		{[]string{"frobnicate"}, 2},
		{nil, 2},
	}
	for _, c := range cases {
		if got := runSandboxTool(ctx, c.args); got != c.want {
			t.Errorf("__sandbox %v = %d, want %d", c.args, got, c.want)
		}
	}
}
